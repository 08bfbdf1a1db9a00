//! The rows that hang on a record (exclusions, pairings, meeting places, subfields …): taken
//! before the record is deleted (the cascade would lose them) and put back when the deletion is
//! undone. The dependent tables are found from the schema's foreign keys, so a table added by a
//! later migration is covered without code here.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use crate::domain::RecordKind;

/// Rows of one table that reference the record through `column`.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRows {
    pub table: String,
    /// The referencing column.
    pub column: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Every row referencing one record, table by table (sorted by table name).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dependents {
    pub tables: Vec<TableRows>,
}

impl Dependents {
    /// Number of rows of `table` in the snapshot.
    pub fn count(&self, table: &str) -> usize {
        self.tables.iter().filter(|t| t.table == table).map(|t| t.rows.len()).sum()
    }
}

fn table_of(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Expert => "expert",
        RecordKind::Demand => "demand",
    }
}

/// (table, column) pairs whose column references the record table, sorted.
fn referencing(conn: &Connection, table: &str) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT m.name, p.\"from\" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p
         WHERE m.type = 'table' AND p.\"table\" = ?1 ORDER BY m.name, p.\"from\"",
    )?;
    stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The rows referencing record `id`.
pub fn dependents(conn: &Connection, kind: RecordKind, id: i64) -> rusqlite::Result<Dependents> {
    dependents_in(conn, table_of(kind), id)
}

/// The rows referencing row `id` of any table.
pub fn dependents_in(conn: &Connection, record_table: &str, id: i64) -> rusqlite::Result<Dependents> {
    let mut tables = Vec::new();
    for (table, column) in referencing(conn, record_table)? {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {} WHERE {} = ?1 ORDER BY rowid", quoted(&table), quoted(&column)))
            .or_else(|_| {
                // WITHOUT ROWID tables have no rowid: their primary key order is stable too.
                conn.prepare(&format!("SELECT * FROM {} WHERE {} = ?1", quoted(&table), quoted(&column)))
            })?;
        let columns: Vec<String> = stmt.column_names().map(String::from).collect();
        let n = columns.len();
        let rows: Vec<Vec<Value>> =
            stmt.query_map([id], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())?.collect::<Result<_, _>>()?;
        if !rows.is_empty() {
            tables.push(TableRows { table, column, columns, rows });
        }
    }
    Ok(Dependents { tables })
}

/// Puts the rows back, pointing at `new_id` (the restored record's row id). Rows whose other
/// references no longer exist (an enterprise or meeting deleted meanwhile) are skipped; rows
/// already present are kept. Returns the number of rows restored.
pub fn restore_dependents(conn: &Connection, deps: &Dependents, new_id: i64) -> rusqlite::Result<usize> {
    let mut pending: Vec<(String, Vec<Value>)> = Vec::new();
    for t in &deps.tables {
        let cols = t.columns.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
        let marks = (1..=t.columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("INSERT OR IGNORE INTO {} ({cols}) VALUES ({marks})", quoted(&t.table));
        let at = t.columns.iter().position(|c| *c == t.column);
        for row in &t.rows {
            let mut row = row.clone();
            if let Some(i) = at {
                row[i] = Value::Integer(new_id);
            }
            pending.push((sql.clone(), row));
        }
    }
    // A row whose other parent is itself among the rows (a pairing's events need the pairing)
    // goes in once that parent is back: retry the refused rows while any pass restores some.
    let mut restored = 0;
    loop {
        let mut refused = Vec::new();
        let mut progress = false;
        for (sql, row) in pending {
            match insert_row(conn, &sql, &row)? {
                Some(n) => {
                    restored += n;
                    progress = true;
                }
                None => refused.push((sql, row)),
            }
        }
        if refused.is_empty() || !progress {
            // What is left lost its other parent (an enterprise or meeting deleted meanwhile): skipped.
            return Ok(restored);
        }
        pending = refused;
    }
}

/// Inserts one row in a savepoint; None when a constraint refuses it.
fn insert_row(conn: &Connection, sql: &str, row: &[Value]) -> rusqlite::Result<Option<usize>> {
    let sp = Savepoint::new(conn)?;
    match sp.execute(sql, params_from_iter(row.iter())) {
        Ok(n) => {
            sp.commit()?;
            Ok(Some(n))
        }
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
            sp.rollback()?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// A named savepoint on a shared connection (the caller's transaction stays open around it),
/// released on commit, rolled back otherwise.
struct Savepoint<'c> {
    conn: &'c Connection,
    done: bool,
}

impl<'c> Savepoint<'c> {
    fn new(conn: &'c Connection) -> rusqlite::Result<Self> {
        conn.execute_batch("SAVEPOINT bole_restore")?;
        Ok(Savepoint { conn, done: false })
    }
    fn execute(&self, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
        self.conn.execute(sql, params)
    }
    fn commit(mut self) -> rusqlite::Result<()> {
        self.done = true;
        self.conn.execute_batch("RELEASE bole_restore")
    }
    fn rollback(mut self) -> rusqlite::Result<()> {
        self.done = true;
        self.conn.execute_batch("ROLLBACK TO bole_restore; RELEASE bole_restore")
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.conn.execute_batch("ROLLBACK TO bole_restore; RELEASE bole_restore");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Demand, Enterprise, ExclusionKind, Expert, Taxonomy};
    use crate::store::{self, open_in_memory};

    #[test]
    fn dependents_come_back_after_delete() {
        let conn = open_in_memory(&Taxonomy::builtin()).unwrap();
        let e = store::insert_expert(
            &conn,
            &Expert {
                ext_id: "E1".into(), name: "张伟".into(), subfields: vec!["FL01".into()], ..Default::default()
            },
        )
        .unwrap();
        let en = store::insert_enterprise(&conn, &Enterprise { name: "甲公司".into(), ..Default::default() }).unwrap();
        let d = store::insert_demand(
            &conn,
            &Demand { ext_id: "D1".into(), title: "结晶".into(), enterprise_id: Some(en), ..Default::default() },
        )
        .unwrap();
        store::set_exclusion(&conn, e, en, ExclusionKind::Conflict, "同一单位").unwrap();
        store::add_pairing(&conn, e, d, Some(50.0), "理由").unwrap();
        let deps = dependents(&conn, RecordKind::Expert, e).unwrap();
        assert_eq!((deps.count("exclusion"), deps.count("pairing"), deps.count("expert_subfield")), (1, 1, 1));
        let record = store::get_expert(&conn, e).unwrap().unwrap();
        store::delete_expert(&conn, e).unwrap();
        assert!(store::exclusions(&conn).unwrap().is_empty());
        let back = store::insert_expert(&conn, &Expert { id: 0, ..record }).unwrap();
        let n = restore_dependents(&conn, &deps, back).unwrap();
        assert_eq!(n, 2, "exclusion and pairing (the subfield came back with the record)");
        assert_eq!(store::exclusions(&conn).unwrap(), vec![(back, en, ExclusionKind::Conflict)]);
        assert_eq!(store::pairings(&conn).unwrap(), vec![(back, d)]);
        // A dependent whose other parent is gone is skipped, not an error.
        store::delete_expert(&conn, back).unwrap();
        store::delete_demand(&conn, d).unwrap();
        let again = store::insert_expert(&conn, &Expert { ext_id: "E1".into(), ..Default::default() }).unwrap();
        assert_eq!(
            restore_dependents(&conn, &deps, again).unwrap(),
            2,
            "the exclusion and the subfield; the pairing's demand is gone"
        );
        assert!(store::pairings(&conn).unwrap().is_empty());
    }
}
