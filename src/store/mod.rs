//! The SQLite file that is Bole's source of truth: opening it (WAL, foreign keys), schema migrations
//! by `PRAGMA user_version`, and the functions that read and write records. Every function takes a
//! `&Connection` (a `Transaction` derefs to one), so a caller decides what one transaction covers:
//! all writes of one user action go into one.

pub mod backup;
pub mod changelog;
pub mod followup;
mod knowledge;
mod meetings;
mod records;
mod snapshot;
pub mod stats;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use knowledge::*;
pub use meetings::*;
pub use records::*;
pub use snapshot::{Dependents, TableRows, dependents, dependents_in, restore_dependents};

use crate::domain::Taxonomy;

/// Schema migrations, applied in order; `user_version` is the number applied so far.
/// A shipped migration is never edited: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: the two lists and the taxonomy.
    r#"
    CREATE TABLE subfield (
        code    TEXT PRIMARY KEY,
        parent  TEXT REFERENCES subfield(code),
        name    TEXT NOT NULL,
        sort    INTEGER NOT NULL
    );
    CREATE TABLE expert (
        id            INTEGER PRIMARY KEY,
        ext_id        TEXT NOT NULL UNIQUE,
        name          TEXT NOT NULL DEFAULT '',
        gender        TEXT NOT NULL DEFAULT '',
        institution   TEXT NOT NULL DEFAULT '',
        department    TEXT NOT NULL DEFAULT '',
        title         TEXT NOT NULL DEFAULT '',
        recommender   TEXT NOT NULL DEFAULT '',
        subfield_text TEXT NOT NULL DEFAULT '',
        research      TEXT NOT NULL DEFAULT '',
        achievements  TEXT NOT NULL DEFAULT '',
        keywords      TEXT NOT NULL DEFAULT '[]',
        coop_modes    TEXT NOT NULL DEFAULT '[]',
        region        TEXT NOT NULL DEFAULT '',
        phone         TEXT NOT NULL DEFAULT '',
        email         TEXT NOT NULL DEFAULT '',
        note          TEXT NOT NULL DEFAULT '',
        available     INTEGER NOT NULL DEFAULT 1,
        created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime')),
        updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime'))
    );
    CREATE INDEX expert_name ON expert(name);
    CREATE TABLE expert_subfield (
        expert_id INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
        code      TEXT NOT NULL REFERENCES subfield(code),
        PRIMARY KEY (expert_id, code)
    ) WITHOUT ROWID;
    CREATE TABLE enterprise (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        credit_code TEXT NOT NULL DEFAULT '',
        park        TEXT NOT NULL DEFAULT '',
        contact     TEXT NOT NULL DEFAULT '',
        phone       TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime')),
        updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime'))
    );
    CREATE TABLE demand (
        id            INTEGER PRIMARY KEY,
        ext_id        TEXT NOT NULL UNIQUE,
        enterprise_id INTEGER REFERENCES enterprise(id) ON DELETE RESTRICT,
        title         TEXT NOT NULL DEFAULT '',
        description   TEXT NOT NULL DEFAULT '',
        subfield_text TEXT NOT NULL DEFAULT '',
        keywords      TEXT NOT NULL DEFAULT '[]',
        coop_modes    TEXT NOT NULL DEFAULT '[]',
        budget_wan    REAL,
        budget_text   TEXT NOT NULL DEFAULT '',
        urgency       TEXT,
        deadline      TEXT NOT NULL DEFAULT '',
        status        TEXT NOT NULL DEFAULT '待对接' CHECK (status IN ('待对接','对接中','已解决','已关闭')),
        created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime')),
        updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime'))
    );
    CREATE INDEX demand_enterprise ON demand(enterprise_id);
    CREATE TABLE demand_subfield (
        demand_id INTEGER NOT NULL REFERENCES demand(id) ON DELETE CASCADE,
        code      TEXT NOT NULL REFERENCES subfield(code),
        PRIMARY KEY (demand_id, code)
    ) WITHOUT ROWID;
    CREATE TABLE import_log (
        id        INTEGER PRIMARY KEY,
        kind      TEXT NOT NULL,
        file      TEXT NOT NULL,
        added     INTEGER NOT NULL,
        updated   INTEGER NOT NULL,
        unchanged INTEGER NOT NULL,
        rejected  INTEGER NOT NULL,
        at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime'))
    );
    "#,
    // 2: hard exclusions, availability is already on expert; a change counter the search index
    //    compares with, bumped by triggers on every write to the records it indexes.
    r#"
    CREATE TABLE exclusion (
        id            INTEGER PRIMARY KEY,
        expert_id     INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
        enterprise_id INTEGER NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL CHECK (kind IN ('回避', '不再推荐')),
        note          TEXT NOT NULL DEFAULT '',
        created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime')),
        UNIQUE (expert_id, enterprise_id)
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO meta(key, value) VALUES ('change_seq', 0);
    CREATE TRIGGER expert_ins AFTER INSERT ON expert BEGIN UPDATE meta SET value = value + 1 WHERE key = 'change_seq'; END;
    CREATE TRIGGER expert_upd AFTER UPDATE ON expert BEGIN UPDATE meta SET value = value + 1 WHERE key = 'change_seq'; END;
    CREATE TRIGGER expert_del AFTER DELETE ON expert BEGIN UPDATE meta SET value = value + 1 WHERE key = 'change_seq'; END;
    CREATE TRIGGER expert_sub_ins AFTER INSERT ON expert_subfield BEGIN UPDATE meta SET value = value + 1 WHERE key = 'change_seq'; END;
    CREATE TRIGGER expert_sub_del AFTER DELETE ON expert_subfield BEGIN UPDATE meta SET value = value + 1 WHERE key = 'change_seq'; END;
    CREATE TRIGGER demand_ins AFTER INSERT ON demand BEGIN UPDATE meta SET value = value + 1 WHERE key = 'change_seq'; END;
    CREATE TRIGGER demand_upd AFTER UPDATE ON demand BEGIN UPDATE meta SET value = value + 1 WHERE key = 'change_seq'; END;
    CREATE TRIGGER demand_del AFTER DELETE ON demand BEGIN UPDATE meta SET value = value + 1 WHERE key = 'change_seq'; END;
    CREATE TRIGGER demand_sub_ins AFTER INSERT ON demand_subfield BEGIN UPDATE meta SET value = value + 1 WHERE key = 'change_seq'; END;
    CREATE TRIGGER demand_sub_del AFTER DELETE ON demand_subfield BEGIN UPDATE meta SET value = value + 1 WHERE key = 'change_seq'; END;
    CREATE TRIGGER enterprise_upd AFTER UPDATE OF name ON enterprise BEGIN UPDATE meta SET value = value + 1 WHERE key = 'change_seq'; END;
    "#,
    // 3: pairings (对接): an expert paired with a demand, from a suggestion or by hand.
    r#"
    CREATE TABLE pairing (
        id         INTEGER PRIMARY KEY,
        expert_id  INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
        demand_id  INTEGER NOT NULL REFERENCES demand(id) ON DELETE CASCADE,
        score      REAL,
        reasons    TEXT NOT NULL DEFAULT '',
        note       TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime')),
        UNIQUE (expert_id, demand_id)
    );
    "#,
    // 4: matchmaking meetings (对接会): participants, pairings with slot and table, pairs the user
    //    removed; and each enterprise's 回避 lists (organisations, persons) as JSON arrays.
    r#"
    ALTER TABLE enterprise ADD COLUMN avoid_units TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE enterprise ADD COLUMN avoid_persons TEXT NOT NULL DEFAULT '[]';
    CREATE TABLE meeting (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL,
        date           TEXT NOT NULL DEFAULT '',
        venue          TEXT NOT NULL DEFAULT '',
        start_min      INTEGER NOT NULL DEFAULT 540 CHECK (start_min BETWEEN 0 AND 1439),
        slot_minutes   INTEGER NOT NULL DEFAULT 20 CHECK (slot_minutes > 0),
        slots          INTEGER NOT NULL DEFAULT 7 CHECK (slots > 0),
        tables         INTEGER NOT NULL DEFAULT 10 CHECK (tables > 0),
        min_experts    INTEGER NOT NULL DEFAULT 1 CHECK (min_experts >= 0),
        max_experts    INTEGER NOT NULL DEFAULT 3 CHECK (max_experts >= min_experts),
        expert_cap     INTEGER NOT NULL DEFAULT 3 CHECK (expert_cap > 0),
        min_score      REAL NOT NULL DEFAULT 30 CHECK (min_score BETWEEN 0 AND 100),
        avoid_previous INTEGER NOT NULL DEFAULT 0,
        created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime'))
    );
    CREATE TABLE meeting_demand (
        meeting_id  INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        demand_id   INTEGER NOT NULL REFERENCES demand(id) ON DELETE CASCADE,
        min_experts INTEGER,
        max_experts INTEGER,
        PRIMARY KEY (meeting_id, demand_id)
    ) WITHOUT ROWID;
    CREATE TABLE meeting_expert (
        meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        expert_id  INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
        cap        INTEGER,
        PRIMARY KEY (meeting_id, expert_id)
    ) WITHOUT ROWID;
    CREATE TABLE meeting_pair (
        meeting_id   INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        demand_id    INTEGER NOT NULL REFERENCES demand(id) ON DELETE CASCADE,
        expert_id    INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
        score        REAL NOT NULL DEFAULT 0,
        reasons      TEXT NOT NULL DEFAULT '[]',
        locked       INTEGER NOT NULL DEFAULT 0,
        slot         INTEGER,
        table_no     INTEGER,
        place_locked INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (meeting_id, demand_id, expert_id)
    ) WITHOUT ROWID;
    CREATE TABLE meeting_removed (
        meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        demand_id  INTEGER NOT NULL REFERENCES demand(id) ON DELETE CASCADE,
        expert_id  INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
        PRIMARY KEY (meeting_id, demand_id, expert_id)
    ) WITHOUT ROWID;
    "#,
    // 5: how far a pairing got, since when, and where it came from; whether it counts as
    // evidence of fit (a pairing that ended for lack of fit does not).
    r#"
    ALTER TABLE pairing ADD COLUMN stage TEXT NOT NULL DEFAULT '已推荐';
    ALTER TABLE pairing ADD COLUMN stage_date TEXT NOT NULL DEFAULT '';
    ALTER TABLE pairing ADD COLUMN source TEXT NOT NULL DEFAULT '加入对接';
    ALTER TABLE pairing ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1;
    "#,
    // 6: settings kept with the data (the backups folder); records that came with the demo data
    //    (removed together by 清除演示数据).
    r#"
    CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    ALTER TABLE expert ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE demand ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE enterprise ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
    "#,
    // 7: the change log (操作日志): one batch per user action, with the rows it changed as
    //    images before and after (JSON), written in the same transaction as the change.
    r#"
    CREATE TABLE change_batch (
        id       INTEGER PRIMARY KEY,
        at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime')),
        os_user  TEXT NOT NULL DEFAULT '',
        action   TEXT NOT NULL,
        summary  TEXT NOT NULL DEFAULT '',
        undoes   INTEGER REFERENCES change_batch(id) ON DELETE SET NULL,
        undone   INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE change_row (
        id        INTEGER PRIMARY KEY,
        batch     INTEGER NOT NULL REFERENCES change_batch(id) ON DELETE CASCADE,
        tbl       TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        label     TEXT NOT NULL DEFAULT '',
        before    TEXT,
        after     TEXT
    );
    CREATE INDEX change_row_batch ON change_row(batch);
    CREATE INDEX change_row_record ON change_row(tbl, record_id);
    "#,
    // 8: the follow-up of pairings (对接跟踪): dated events (stage changes and notes, never
    //    overwritten), service records (蹲点调研 …), typed outcomes, the plan's targets, the next
    //    action on each pairing; the meeting day: check-in and each sitting's result. Rows hanging
    //    on a pairing carry its expert and demand ids, so deleting either takes them along and
    //    undo puts them back (`snapshot::dependents`).
    r#"
    ALTER TABLE pairing ADD COLUMN next_action TEXT NOT NULL DEFAULT '';
    ALTER TABLE pairing ADD COLUMN next_date TEXT NOT NULL DEFAULT '';
    ALTER TABLE pairing ADD COLUMN end_reason TEXT NOT NULL DEFAULT '';
    ALTER TABLE pairing ADD COLUMN meeting_id INTEGER REFERENCES meeting(id) ON DELETE SET NULL;
    CREATE INDEX pairing_stage ON pairing(stage, stage_date);
    CREATE INDEX pairing_demand ON pairing(demand_id);
    CREATE TABLE pairing_event (
        id          INTEGER PRIMARY KEY,
        expert_id   INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
        demand_id   INTEGER NOT NULL REFERENCES demand(id) ON DELETE CASCADE,
        date        TEXT NOT NULL,
        stage       TEXT NOT NULL DEFAULT '',
        note        TEXT NOT NULL DEFAULT '',
        attachments TEXT NOT NULL DEFAULT '[]',
        meeting_id  INTEGER REFERENCES meeting(id) ON DELETE SET NULL,
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime')),
        FOREIGN KEY (expert_id, demand_id) REFERENCES pairing(expert_id, demand_id) ON DELETE CASCADE
    );
    CREATE INDEX pairing_event_pair ON pairing_event(expert_id, demand_id, date);
    CREATE INDEX pairing_event_date ON pairing_event(date);
    CREATE TABLE service_record (
        id         INTEGER PRIMARY KEY,
        expert_id  INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
        demand_id  INTEGER NOT NULL REFERENCES demand(id) ON DELETE CASCADE,
        kind       TEXT NOT NULL DEFAULT '蹲点调研',
        start_date TEXT NOT NULL,
        end_date   TEXT NOT NULL,
        days       REAL NOT NULL CHECK (days >= 0),
        place      TEXT NOT NULL DEFAULT '',
        content    TEXT NOT NULL DEFAULT '',
        lodging    INTEGER NOT NULL DEFAULT 0,
        meals      INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime')),
        FOREIGN KEY (expert_id, demand_id) REFERENCES pairing(expert_id, demand_id) ON DELETE CASCADE
    );
    CREATE INDEX service_pair ON service_record(expert_id, demand_id);
    CREATE TABLE outcome (
        id         INTEGER PRIMARY KEY,
        expert_id  INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
        demand_id  INTEGER NOT NULL REFERENCES demand(id) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('课题','申报项目','新产品','新工艺','专利','技术合同','技术入股')),
        title      TEXT NOT NULL,
        date       TEXT NOT NULL,
        level      TEXT NOT NULL DEFAULT '',
        status     TEXT NOT NULL DEFAULT '',
        amount_wan REAL,
        note       TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime')),
        FOREIGN KEY (expert_id, demand_id) REFERENCES pairing(expert_id, demand_id) ON DELETE CASCADE
    );
    CREATE INDEX outcome_pair ON outcome(expert_id, demand_id);
    CREATE INDEX outcome_date ON outcome(date);
    CREATE TABLE plan_target (
        label      TEXT PRIMARY KEY,
        from_year  INTEGER NOT NULL,
        to_year    INTEGER NOT NULL CHECK (to_year >= from_year),
        projects   INTEGER NOT NULL DEFAULT 0,
        products   INTEGER NOT NULL DEFAULT 0,
        topics     INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    INSERT INTO plan_target VALUES ('2024年', 2024, 2024, 5, 8, 10);
    INSERT INTO plan_target VALUES ('2025—2027年', 2025, 2027, 10, 15, 26);
    INSERT INTO plan_target VALUES ('2028—2030年', 2028, 2030, 20, 30, 35);
    CREATE TABLE meeting_checkin (
        meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('企业', '专家')),
        record_id  INTEGER NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('到场', '缺席')),
        at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now','localtime')),
        PRIMARY KEY (meeting_id, kind, record_id)
    ) WITHOUT ROWID;
    ALTER TABLE meeting_pair ADD COLUMN result TEXT NOT NULL DEFAULT '';
    "#,
    // The knowledge files as 设置 → 知识库 last wrote them: a change is logged as the images of
    // these rows, so it can be undone like any other action.
    r#"
    CREATE TABLE knowledge_file (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL UNIQUE,
        content TEXT NOT NULL
    );
    "#,
];

/// How long a writer waits for another Bole process's write (an import of a large list takes a
/// while) before saying the database is busy.
pub const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Where the database lives unless `--db` or `BOLE_DB` says otherwise:
/// `%APPDATA%\Bole\bole.db` on Windows, `~/.local/share/Bole/bole.db` on Linux.
pub fn default_db_path() -> PathBuf {
    if let Some(p) = std::env::var_os("BOLE_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    data_dir().join("bole.db")
}

/// The per-user data folder (`%APPDATA%\Bole`).
pub fn data_dir() -> PathBuf {
    directories::BaseDirs::new().map(|b| b.data_dir().join("Bole")).unwrap_or_else(|| PathBuf::from("Bole"))
}

/// What can go wrong in the store. Messages for users are made at the edge (`text`).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("cannot create the data folder {path}: {source}")]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("cannot open the database {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("{path} is not a Bole database")]
    NotBole { path: PathBuf },
    #[error("database schema {found} is newer than this program's {supported}")]
    TooNew { found: i64, supported: i64 },
    #[error("no database path given")]
    NoPath,
    #[error("{path} is a folder, not a database file")]
    NotAFile { path: PathBuf },
    #[error("{path} can only be read, and its schema needs an update")]
    ReadOnly { path: PathBuf },
    #[error("{path} does not exist or is not a file")]
    Missing { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

/// The result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Opens (creating if needed) the database file, applies pragmas and migrations and loads the
/// taxonomy. A file holding another program's tables is refused before anything is written to it;
/// a file this user may only read is opened read-only (lists, search and exports work; writes
/// say why they cannot).
pub fn open(path: &Path, taxonomy: &Taxonomy) -> Result<Connection> {
    if path.as_os_str().is_empty() {
        return Err(StoreError::NoPath);
    }
    if path.is_dir() {
        return Err(StoreError::NotAFile { path: path.to_path_buf() });
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir { path: dir.to_path_buf(), source })?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|source| StoreError::Open { path: path.to_path_buf(), source })?;
    let not_bole = |_| StoreError::NotBole { path: path.to_path_buf() };
    conn.busy_timeout(BUSY_WAIT).map_err(not_bole)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(not_bole)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0))
        .map_err(not_bole)?;
    if (version > 0 || tables > 0) && !is_bole(&conn).map_err(not_bole)? {
        return Err(StoreError::NotBole { path: path.to_path_buf() });
    }
    let read_only = conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false);
    if read_only {
        prepare(&conn).map_err(not_bole)?;
        if version != SCHEMA_VERSION {
            return Err(if version > SCHEMA_VERSION {
                StoreError::TooNew { found: version, supported: SCHEMA_VERSION }
            } else {
                StoreError::ReadOnly { path: path.to_path_buf() }
            });
        }
        return Ok(conn);
    }
    conn.pragma_update(None, "journal_mode", "WAL").map_err(not_bole)?;
    prepare(&conn).map_err(not_bole)?;
    migrate(&conn).map_err(|e| match e {
        StoreError::Db(rusqlite::Error::SqliteFailure(f, _)) if f.code == rusqlite::ErrorCode::NotADatabase => {
            StoreError::NotBole { path: path.to_path_buf() }
        }
        e => e,
    })?;
    sync_taxonomy(&conn, taxonomy)?;
    Ok(conn)
}

/// Whether the database holds Bole's tables.
pub fn is_bole(conn: &Connection) -> rusqlite::Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('expert', 'demand', 'subfield', 'enterprise')",
        [],
        |r| r.get(0),
    )?;
    Ok(n == 4)
}

/// An in-memory database with the full schema (for tests and `bole eval`).
pub fn open_in_memory(taxonomy: &Taxonomy) -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    prepare(&conn)?;
    migrate(&conn)?;
    sync_taxonomy(&conn, taxonomy)?;
    Ok(conn)
}

fn prepare(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.busy_timeout(BUSY_WAIT)?;
    Ok(())
}

/// Applies the migrations not yet applied, all in one exclusive transaction (as cargo's
/// `util/sqlite.rs` does): two programs starting on a new file cannot both migrate, and a
/// failure leaves the schema as it was. A schema newer than this program is refused.
pub fn migrate(conn: &Connection) -> Result<()> {
    // Up to date (the usual case): no lock taken, so opening never waits for another writer.
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Exclusive)?;
    let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::TooNew { found: current, supported: SCHEMA_VERSION });
    }
    if current < SCHEMA_VERSION {
        for sql in MIGRATIONS.iter().skip(usize::try_from(current).unwrap_or(0)) {
            tx.execute_batch(sql)?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()?;
    Ok(())
}

/// Runs `f` as one unit of work: all its writes land, or none. Outside a transaction this is a
/// `BEGIN IMMEDIATE` transaction (a second writer waits for the busy timeout instead of failing
/// halfway); inside one it is a savepoint, so units nest (an operation made of other operations
/// is still all or nothing).
pub fn atomically<T, E: From<rusqlite::Error>>(conn: &Connection, f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    let outer = conn.is_autocommit();
    conn.execute_batch(if outer { "BEGIN IMMEDIATE" } else { "SAVEPOINT bole_unit" })?;
    match f() {
        Ok(v) => {
            conn.execute_batch(if outer { "COMMIT" } else { "RELEASE bole_unit" })?;
            Ok(v)
        }
        Err(e) => {
            let undo = if outer { "ROLLBACK" } else { "ROLLBACK TO bole_unit; RELEASE bole_unit" };
            // A failed rollback leaves SQLite's own automatic rollback; the first error is the one to report.
            let _ = conn.execute_batch(undo);
            Err(e)
        }
    }
}

/// Makes the `subfield` table equal to the taxonomy (new nodes added, names updated). Nodes that
/// disappeared from the file stay, so records classified under them keep their codes.
pub fn sync_taxonomy(conn: &Connection, taxonomy: &Taxonomy) -> Result<()> {
    // Unchanged (the usual case): nothing written, so opening never waits for another writer.
    let stored: Vec<(String, Option<String>, String, i64)> = conn
        .prepare("SELECT code, parent, name, sort FROM subfield")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let stored: std::collections::HashMap<String, (Option<String>, String, i64)> =
        stored.into_iter().map(|(c, p, n, s)| (c, (p, n, s))).collect();
    let same = taxonomy.nodes().iter().enumerate().all(|(i, n)| {
        stored.get(&n.code).is_some_and(|(p, name, sort)| *p == n.parent && *name == n.name && *sort == i as i64)
    });
    if same {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    {
        let mut stmt = tx.prepare(
            "INSERT INTO subfield(code, parent, name, sort) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(code) DO UPDATE SET parent = excluded.parent, name = excluded.name, sort = excluded.sort
             WHERE parent IS NOT excluded.parent OR name IS NOT excluded.name OR sort IS NOT excluded.sort",
        )?;
        for (i, n) in taxonomy.nodes().iter().enumerate() {
            stmt.execute(rusqlite::params![n.code, n.parent, n.name, i as i64])?;
        }
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_set_user_version_and_are_idempotent() {
        let conn = open_in_memory(&Taxonomy::builtin()).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        migrate(&conn).unwrap();
        let fk: i64 = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        let n: i64 = conn.query_row("SELECT count(*) FROM subfield", [], |r| r.get(0)).unwrap();
        assert_eq!(n as usize, Taxonomy::builtin().nodes().len());
    }

    #[test]
    fn file_database_uses_wal_and_refuses_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("子目录").join("bole.db");
        let conn = open(&path, &Taxonomy::builtin()).unwrap();
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        drop(conn);
        let err = open(&path, &Taxonomy::builtin()).unwrap_err();
        assert!(
            matches!(err, StoreError::TooNew { found, supported } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
            "{err}"
        );
    }

    #[test]
    fn units_of_work_nest_and_roll_back_whole() {
        let conn = open_in_memory(&Taxonomy::builtin()).unwrap();
        let count = || -> i64 { conn.query_row("SELECT count(*) FROM enterprise", [], |r| r.get(0)).unwrap() };
        let add = |name: &str| conn.execute("INSERT INTO enterprise(name) VALUES (?1)", [name]).map(|_| ());
        let r: Result<(), StoreError> = atomically(&conn, || {
            add("甲")?;
            atomically(&conn, || add("乙").map_err(StoreError::from))?;
            Err(StoreError::TooNew { found: 0, supported: 0 })
        });
        assert!(r.is_err());
        assert_eq!(count(), 0, "the inner unit is undone with the outer one");
        atomically::<_, StoreError>(&conn, || {
            add("甲")?;
            let _ = atomically::<(), StoreError>(&conn, || {
                add("乙")?;
                Err(StoreError::TooNew { found: 0, supported: 0 })
            });
            Ok(())
        })
        .unwrap();
        assert_eq!(count(), 1, "a failed inner unit leaves the outer one's writes");
        assert!(conn.is_autocommit());
    }

    #[test]
    fn a_foreign_sqlite_file_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        let c = Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('keep');").unwrap();
        drop(c);
        let before = std::fs::read(&path).unwrap();
        let err = open(&path, &Taxonomy::builtin()).unwrap_err();
        assert!(matches!(err, StoreError::NotBole { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "not switched to WAL, not migrated");
        assert!(!dir.path().join("other.db-wal").exists());
        assert!(matches!(open(Path::new(""), &Taxonomy::builtin()), Err(StoreError::NoPath)));
        assert!(matches!(open(dir.path(), &Taxonomy::builtin()), Err(StoreError::NotAFile { .. })));
    }

    #[test]
    fn garbage_file_is_not_a_bole_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.db");
        std::fs::write(&path, b"this is not a database, just some text that is long enough....").unwrap();
        let err = open(&path, &Taxonomy::builtin()).unwrap_err();
        assert!(matches!(err, StoreError::NotBole { .. }), "{err}");
    }
}
