//! The SQLite file that is Bole's source of truth: opening it (WAL, foreign keys), schema migrations
//! by `PRAGMA user_version`, and the functions that read and write records. Every function takes a
//! `&Connection` (a `Transaction` derefs to one), so a caller decides what one transaction covers:
//! all writes of one user action go into one.

mod meetings;
mod records;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use meetings::*;
pub use records::*;

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
];

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

/// Opens (creating if needed) the database file, applies pragmas and migrations and loads the
/// taxonomy. Errors are in Chinese, ready for the user.
pub fn open(path: &Path, taxonomy: &Taxonomy) -> Result<Connection, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("无法创建数据目录 {}：{e}", dir.display()))?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn =
        Connection::open_with_flags(path, flags).map_err(|e| format!("无法打开数据库 {}：{e}", path.display()))?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| format!("数据库 {} 无法使用（可能不是 Bole 数据文件）：{e}", path.display()))?;
    prepare(&conn).map_err(|e| format!("数据库 {} 初始化失败：{e}", path.display()))?;
    migrate(&conn).map_err(|e| format!("数据库 {} 升级失败：{e}", path.display()))?;
    sync_taxonomy(&conn, taxonomy).map_err(|e| format!("载入新材料细分领域失败：{e}"))?;
    Ok(conn)
}

/// An in-memory database with the full schema (for tests and `bole eval`).
pub fn open_in_memory(taxonomy: &Taxonomy) -> rusqlite::Result<Connection> {
    let conn = Connection::open_in_memory()?;
    prepare(&conn)?;
    migrate(&conn)?;
    sync_taxonomy(&conn, taxonomy)?;
    Ok(conn)
}

fn prepare(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

/// Applies the migrations not yet applied, each in its own transaction with its version bump.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISUSE),
            Some(format!("数据库版本 {current} 比本程序支持的 {SCHEMA_VERSION} 新，请升级 Bole")),
        ));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// Makes the `subfield` table equal to the taxonomy (new nodes added, names updated). Nodes that
/// disappeared from the file stay, so records classified under them keep their codes.
pub fn sync_taxonomy(conn: &Connection, taxonomy: &Taxonomy) -> rusqlite::Result<()> {
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
    tx.commit()
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
        assert!(err.contains("升级"), "{err}");
    }

    #[test]
    fn garbage_file_gives_a_chinese_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.db");
        std::fs::write(&path, b"this is not a database, just some text that is long enough....").unwrap();
        let err = open(&path, &Taxonomy::builtin()).unwrap_err();
        assert!(err.contains("数据库"), "{err}");
    }
}
