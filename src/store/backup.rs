//! Consistent copies of the database: `VACUUM INTO` a temporary file next to the target, then a
//! rename (never a file copy, which would miss what sits in `-wal`); reading a copy's summary
//! without changing it; restoring a copy into the open connection with SQLite's online backup.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{Result, SCHEMA_VERSION, StoreError};

/// What a backup holds, read without changing it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub experts: i64,
    pub demands: i64,
    pub enterprises: i64,
    pub meetings: i64,
    pub pairings: i64,
    /// The schema version of the copy.
    pub schema: i64,
}

/// Writes a consistent copy of the database to `dest` (replacing it atomically).
pub fn write_copy(conn: &Connection, dest: &Path) -> Result<()> {
    let dir = dest.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir { path: dir.to_path_buf(), source })?;
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "bole".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let written =
        conn.execute("VACUUM INTO ?1", [tmp.to_string_lossy().as_ref()]).map_err(StoreError::from).and_then(|_| {
            let f = std::fs::File::open(&tmp).and_then(|f| f.sync_all());
            f.and_then(|()| std::fs::rename(&tmp, dest))
                .map_err(|source| StoreError::Write { path: dest.to_path_buf(), source })
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Reads a copy's summary, refusing a file that is not a Bole database (or is newer).
pub fn summary(path: &Path) -> Result<Summary> {
    let not_bole = || StoreError::NotBole { path: path.to_path_buf() };
    if !std::fs::metadata(path).map(|m| m.is_file()).unwrap_or(false) {
        return Err(StoreError::Missing { path: path.to_path_buf() });
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|source| StoreError::Open { path: path.to_path_buf(), source })?;
    let schema: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|_| not_bole())?;
    if schema > SCHEMA_VERSION {
        return Err(StoreError::TooNew { found: schema, supported: SCHEMA_VERSION });
    }
    if schema < 4 || !super::is_bole(&conn).map_err(|_| not_bole())? {
        return Err(not_bole());
    }
    let count = |table: &str| -> Result<i64> {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).map_err(|_| not_bole())
    };
    Ok(Summary {
        experts: count("expert")?,
        demands: count("demand")?,
        enterprises: count("enterprise")?,
        meetings: count("meeting")?,
        pairings: count("pairing")?,
        schema,
    })
}

/// Replaces the open database's content with the copy at `src` (all pages at once, under
/// SQLite's own locking), then brings its schema up to date.
pub fn restore_into(conn: &mut Connection, src: &Path) -> Result<()> {
    summary(src)?;
    conn.restore(rusqlite::MAIN_DB, src, None::<fn(rusqlite::backup::Progress)>)?;
    super::migrate(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Taxonomy;

    #[test]
    fn copies_hold_what_sits_in_the_wal_and_restore_whole() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bole.db");
        let mut conn = super::super::open(&db, &Taxonomy::builtin()).unwrap();
        conn.execute("INSERT INTO enterprise(name) VALUES ('甲公司')", []).unwrap();
        let copy = dir.path().join("备份").join("copy.db");
        write_copy(&conn, &copy).unwrap();
        assert_eq!(summary(&copy).unwrap().enterprises, 1, "the row still in -wal is in the copy");
        conn.execute("INSERT INTO enterprise(name) VALUES ('乙公司')", []).unwrap();
        restore_into(&mut conn, &copy).unwrap();
        let n: i64 = conn.query_row("SELECT count(*) FROM enterprise", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, b"SQLite format 3\0 but nothing else").unwrap();
        assert!(matches!(summary(&junk), Err(StoreError::NotBole { .. })));
        let foreign = dir.path().join("foreign.db");
        Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);").unwrap();
        assert!(matches!(restore_into(&mut conn, &foreign), Err(StoreError::NotBole { .. })));
        let n: i64 = conn.query_row("SELECT count(*) FROM enterprise", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1, "a refused restore changes nothing");
    }
}
