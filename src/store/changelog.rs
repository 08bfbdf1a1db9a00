//! The change log (操作日志): every user action is a batch (when, the OS user, what), with the
//! rows it changed as images — the row's columns and the rows that hang on it — before and after,
//! written in the same transaction as the change. Undoing a batch puts the before images back
//! (refused when a row changed since), as a new batch of its own.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use super::snapshot::quoted;
use super::{Dependents, TableRows, dependents_in, restore_dependents};

/// A row as it was: its columns and everything referencing it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Image {
    pub columns: Vec<String>,
    pub values: Vec<Value>,
    pub deps: Dependents,
}

impl Image {
    /// The value of a column.
    pub fn get(&self, column: &str) -> Option<&Value> {
        self.columns.iter().position(|c| c == column).map(|i| &self.values[i])
    }

    /// The text of a column (None when it is absent or not text).
    pub fn text(&self, column: &str) -> Option<&str> {
        match self.get(column)? {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The rows of the tables that belong to the record itself (its subfield codes), compared
    /// and put back with it.
    fn own_children(&self) -> impl Iterator<Item = &TableRows> {
        self.deps.tables.iter().filter(|t| t.table.ends_with("_subfield"))
    }

    /// Equal as far as the record goes (row and own children; not its pairings etc.).
    fn same_record(&self, other: &Image) -> bool {
        let strip = |i: &Image| -> (Vec<String>, Vec<Value>) {
            i.columns
                .iter()
                .zip(&i.values)
                .filter(|(c, _)| c.as_str() != "updated_at")
                .map(|(c, v)| (c.clone(), v.clone()))
                .unzip()
        };
        strip(self) == strip(other) && self.own_children().eq(other.own_children())
    }
}

/// Reads the image of row `id` of `table` with everything referencing it (None when there is no
/// such row): what a deletion needs to be undone.
pub fn image(conn: &Connection, table: &str, id: i64) -> rusqlite::Result<Option<Image>> {
    let Some(mut i) = row_image(conn, table, id)? else { return Ok(None) };
    i.deps = dependents_in(conn, table, id)?;
    Ok(Some(i))
}

/// The image of a record as an edit or an insert needs it: the row and its own children (its
/// subfield codes), not what hangs on it.
pub fn record_image(conn: &Connection, table: &str, id: i64) -> rusqlite::Result<Option<Image>> {
    let Some(mut i) = row_image(conn, table, id)? else { return Ok(None) };
    let child = match table {
        "expert" => Some(("expert_subfield", "expert_id")),
        "demand" => Some(("demand_subfield", "demand_id")),
        _ => None,
    };
    if let Some((t, c)) = child {
        let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {t} WHERE {c} = ?1 ORDER BY code"))?;
        let columns: Vec<String> = stmt.column_names().map(String::from).collect();
        let n = columns.len();
        let rows: Vec<Vec<Value>> =
            stmt.query_map([id], |r| (0..n).map(|k| r.get::<_, Value>(k)).collect())?.collect::<Result<_, _>>()?;
        if !rows.is_empty() {
            i.deps.tables.push(TableRows { table: t.into(), column: c.into(), columns, rows });
        }
    }
    Ok(Some(i))
}

fn row_image(conn: &Connection, table: &str, id: i64) -> rusqlite::Result<Option<Image>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {} WHERE id = ?1", quoted(table)))?;
    let columns: Vec<String> = stmt.column_names().map(String::from).collect();
    let n = columns.len();
    let values: Option<Vec<Value>> =
        stmt.query_row([id], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect()).optional()?;
    Ok(values.map(|values| Image { columns, values, deps: Dependents::default() }))
}

fn value_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => serde_json::json!(i),
        Value::Real(f) => serde_json::json!({ "real": f }),
        Value::Text(s) => serde_json::json!(s),
        Value::Blob(b) => serde_json::json!({ "blob": b }),
    }
}

fn json_value(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Integer(i64::from(*b)),
        serde_json::Value::Number(n) => {
            n.as_i64().map_or_else(|| Value::Real(n.as_f64().unwrap_or(0.0)), Value::Integer)
        }
        serde_json::Value::String(s) => Value::Text(s.clone()),
        serde_json::Value::Object(o) => {
            if let Some(f) = o.get("real").and_then(serde_json::Value::as_f64) {
                Value::Real(f)
            } else {
                let bytes = o
                    .get("blob")
                    .and_then(|b| b.as_array())
                    .map(|a| a.iter().filter_map(|x| x.as_u64().and_then(|x| u8::try_from(x).ok())).collect());
                Value::Blob(bytes.unwrap_or_default())
            }
        }
        serde_json::Value::Array(_) => Value::Null,
    }
}

fn image_json(i: &Image) -> String {
    let tables: Vec<serde_json::Value> = i
        .deps
        .tables
        .iter()
        .map(|t| {
            serde_json::json!({
                "table": t.table,
                "column": t.column,
                "columns": t.columns,
                "rows": t.rows.iter().map(|r| r.iter().map(value_json).collect::<Vec<_>>()).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({
        "columns": i.columns,
        "values": i.values.iter().map(value_json).collect::<Vec<_>>(),
        "deps": tables,
    })
    .to_string()
}

fn json_image(s: &str) -> Option<Image> {
    let j: serde_json::Value = serde_json::from_str(s).ok()?;
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default()
    };
    let values = |v: &serde_json::Value| -> Vec<Value> {
        v.as_array().map(|a| a.iter().map(json_value).collect()).unwrap_or_default()
    };
    let tables = j["deps"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| TableRows {
                    table: t["table"].as_str().unwrap_or_default().to_string(),
                    column: t["column"].as_str().unwrap_or_default().to_string(),
                    columns: strings(&t["columns"]),
                    rows: t["rows"].as_array().map(|r| r.iter().map(values).collect()).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Image { columns: strings(&j["columns"]), values: values(&j["values"]), deps: Dependents { tables } })
}

/// The OS user (Windows `USERNAME`, else `USER`).
pub fn os_user() -> String {
    ["USERNAME", "USER", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_default()
}

/// Starts a batch (one user action); returns its id.
pub fn begin(conn: &Connection, action: &str, summary: &str) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO change_batch(os_user, action, summary) VALUES (?1, ?2, ?3)",
        [os_user().as_str(), action, summary],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Sets a batch's summary once its counts are known.
pub fn set_summary(conn: &Connection, batch: i64, summary: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE change_batch SET summary = ?2 WHERE id = ?1", rusqlite::params![batch, summary])?;
    Ok(())
}

/// Records one row's change within a batch; an unchanged row is not recorded.
pub fn record(
    conn: &Connection,
    batch: i64,
    table: &str,
    id: i64,
    label: &str,
    before: Option<&Image>,
    after: Option<&Image>,
) -> rusqlite::Result<()> {
    if let (Some(b), Some(a)) = (before, after)
        && b.same_record(a)
    {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO change_row(batch, tbl, record_id, label, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(rusqlite::params![batch, table, id, label, before.map(image_json), after.map(image_json)])?;
    Ok(())
}

/// One batch of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub id: i64,
    pub at: String,
    pub os_user: String,
    pub action: String,
    pub summary: String,
    /// The batch this one undid.
    pub undoes: Option<i64>,
    pub undone: bool,
    /// Rows it changed (0: an action recorded without images, which cannot be undone).
    pub rows: usize,
}

/// One row change of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct RowChange {
    pub batch: i64,
    pub table: String,
    pub record_id: i64,
    pub label: String,
    pub before: Option<Image>,
    pub after: Option<Image>,
}

impl RowChange {
    /// The columns whose values differ: (column, before, after), record columns only.
    pub fn changed_columns(&self) -> Vec<(String, Value, Value)> {
        let empty = Image::default();
        let (b, a) = (self.before.as_ref().unwrap_or(&empty), self.after.as_ref().unwrap_or(&empty));
        let mut cols: Vec<&String> = b.columns.iter().chain(&a.columns).collect();
        cols.sort();
        cols.dedup();
        cols.into_iter()
            .filter(|c| !matches!(c.as_str(), "id" | "created_at" | "updated_at"))
            .filter_map(|c| {
                let (x, y) = (b.get(c).cloned().unwrap_or(Value::Null), a.get(c).cloned().unwrap_or(Value::Null));
                (x != y).then(|| (c.clone(), x, y))
            })
            .collect()
    }
}

fn batch_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<Batch> {
    Ok(Batch {
        id: r.get(0)?,
        at: r.get(1)?,
        os_user: r.get(2)?,
        action: r.get(3)?,
        summary: r.get(4)?,
        undoes: r.get(5)?,
        undone: r.get::<_, i64>(6)? != 0,
        rows: usize::try_from(r.get::<_, i64>(7)?).unwrap_or(0),
    })
}

const BATCH_SELECT: &str = "SELECT b.id, b.at, b.os_user, b.action, b.summary, b.undoes, b.undone,
        (SELECT count(*) FROM change_row r WHERE r.batch = b.id) FROM change_batch b";

/// Marks `old` undone by `new` (an undo made another way, e.g. the window's undo of a deletion).
pub fn mark_undoes(conn: &Connection, new: i64, old: i64) -> rusqlite::Result<()> {
    conn.execute("UPDATE change_batch SET undoes = ?2 WHERE id = ?1", [new, old])?;
    conn.execute("UPDATE change_batch SET undone = 1 WHERE id = ?1", [old])?;
    Ok(())
}

/// The newest batches first (at most `limit`).
pub fn batches(conn: &Connection, limit: usize) -> rusqlite::Result<Vec<Batch>> {
    let mut stmt = conn.prepare(&format!("{BATCH_SELECT} ORDER BY b.id DESC LIMIT ?1"))?;
    stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], batch_from)?.collect()
}

pub fn batch(conn: &Connection, id: i64) -> rusqlite::Result<Option<Batch>> {
    conn.query_row(&format!("{BATCH_SELECT} WHERE b.id = ?1"), [id], batch_from).optional()
}

/// The batch `bole undo` takes: the newest one with row images, not undone, not itself an undo.
pub fn last_undoable(conn: &Connection) -> rusqlite::Result<Option<Batch>> {
    conn.query_row(
        &format!(
            "{BATCH_SELECT} WHERE b.undone = 0 AND b.undoes IS NULL
             AND EXISTS (SELECT 1 FROM change_row r WHERE r.batch = b.id) ORDER BY b.id DESC LIMIT 1"
        ),
        [],
        batch_from,
    )
    .optional()
}

fn row_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<RowChange> {
    let before: Option<String> = r.get(4)?;
    let after: Option<String> = r.get(5)?;
    Ok(RowChange {
        batch: r.get(0)?,
        table: r.get(1)?,
        record_id: r.get(2)?,
        label: r.get(3)?,
        before: before.as_deref().and_then(json_image),
        after: after.as_deref().and_then(json_image),
    })
}

/// The rows a batch changed, in the order they were changed.
pub fn rows(conn: &Connection, batch: i64) -> rusqlite::Result<Vec<RowChange>> {
    first_rows(conn, batch, usize::MAX)
}

/// The first `limit` rows a batch changed (a log view shows a few of a large import).
pub fn first_rows(conn: &Connection, batch: i64, limit: usize) -> rusqlite::Result<Vec<RowChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT batch, tbl, record_id, label, before, after FROM change_row WHERE batch = ?1 ORDER BY id LIMIT ?2",
    )?;
    stmt.query_map(rusqlite::params![batch, i64::try_from(limit).unwrap_or(i64::MAX)], row_from)?.collect()
}

/// The changes of one record, newest first.
pub fn history(conn: &Connection, table: &str, id: i64) -> rusqlite::Result<Vec<(Batch, RowChange)>> {
    let mut stmt = conn.prepare(
        "SELECT batch, tbl, record_id, label, before, after FROM change_row WHERE tbl = ?1 AND record_id = ?2
         ORDER BY id DESC",
    )?;
    let changes: Vec<RowChange> = stmt.query_map(rusqlite::params![table, id], row_from)?.collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for c in changes {
        if let Some(b) = batch(conn, c.batch)? {
            out.push((b, c));
        }
    }
    Ok(out)
}

/// Why a batch cannot be undone.
#[derive(Debug, Clone, PartialEq)]
pub enum UndoBlock {
    /// No such batch, or already undone.
    Gone,
    /// Recorded without row images (e.g. a meeting pairing).
    NotUndoable,
    /// A row changed after the batch (its label).
    ChangedSince(String),
}

/// An undo done: the new batch, and the (table, row id) pairs it touched.
pub type Undone = (i64, Vec<(String, i64)>);

/// Puts a batch's before images back, newest row first, as a new batch (`action` "undo") in
/// the caller's transaction. Returns (the new batch, the tables and row ids touched) or why not.
pub fn undo(conn: &Connection, batch_id: i64) -> rusqlite::Result<Result<Undone, UndoBlock>> {
    let Some(b) = batch(conn, batch_id)?.filter(|b| !b.undone) else { return Ok(Err(UndoBlock::Gone)) };
    let changes = rows(conn, batch_id)?;
    if changes.is_empty() {
        return Ok(Err(UndoBlock::NotUndoable));
    }
    let new = begin(conn, "undo", &b.summary)?;
    let mut touched = Vec::new();
    let mut deferred: Vec<(&Dependents, i64)> = Vec::new();
    let mut done: Vec<(&RowChange, Option<Image>)> = Vec::new();
    for c in changes.iter().rev() {
        let now = record_image(conn, &c.table, c.record_id)?;
        let current_matches = match (&now, &c.after) {
            (None, None) => true,
            (Some(n), Some(a)) => n.same_record(a),
            _ => false,
        };
        if !current_matches {
            return Ok(Err(UndoBlock::ChangedSince(c.label.clone())));
        }
        let t = quoted(&c.table);
        // A row this undo deletes is recorded whole (with what hangs on it), so the undo itself
        // can be undone.
        let now = if c.before.is_none() { image(conn, &c.table, c.record_id)? } else { now };
        match &c.before {
            None => {
                conn.execute(&format!("DELETE FROM {t} WHERE id = ?1"), [c.record_id])?;
            }
            Some(before) => {
                let cols = before.columns.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
                let marks = (1..=before.columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
                // INSERT OR REPLACE would cascade-delete the dependents: update in place instead.
                if now.is_some() {
                    let sets = before
                        .columns
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.as_str() != "id")
                        .map(|(i, c)| format!("{} = ?{}", quoted(c), i + 1))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let idx = before.columns.iter().position(|c| c == "id").map_or(1, |i| i + 1);
                    conn.execute(
                        &format!("UPDATE {t} SET {sets} WHERE id = ?{idx}"),
                        params_from_iter(&before.values),
                    )?;
                    let mut child_tables: Vec<(String, String)> = before
                        .own_children()
                        .chain(now.iter().flat_map(Image::own_children))
                        .map(|t| (t.table.clone(), t.column.clone()))
                        .collect();
                    child_tables.sort();
                    child_tables.dedup();
                    for (table, column) in child_tables {
                        conn.execute(
                            &format!("DELETE FROM {} WHERE {} = ?1", quoted(&table), quoted(&column)),
                            [c.record_id],
                        )?;
                    }
                    let own = Dependents { tables: before.own_children().cloned().collect() };
                    restore_dependents(conn, &own, c.record_id)?;
                } else {
                    conn.execute(
                        &format!("INSERT INTO {t} ({cols}) VALUES ({marks})"),
                        params_from_iter(&before.values),
                    )?;
                    // What hung on it comes back once every row of the batch is back (a demand's
                    // enterprise, an exclusion's expert).
                    deferred.push((&before.deps, c.record_id));
                }
            }
        }
        // A deletion (by this undo) keeps everything that hung on the row, so it can be redone.
        done.push((c, now));
    }
    for (deps, id) in deferred {
        restore_dependents(conn, deps, id)?;
    }
    for (c, now) in done {
        let after_undo = record_image(conn, &c.table, c.record_id)?;
        record(conn, new, &c.table, c.record_id, &c.label, now.as_ref(), after_undo.as_ref())?;
        touched.push((c.table.clone(), c.record_id));
    }
    mark_undoes(conn, new, batch_id)?;
    Ok(Ok((new, touched)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Expert, Taxonomy};
    use crate::store::{self, open_in_memory};

    #[test]
    fn edits_deletes_and_inserts_undo_with_what_hangs_on_them() {
        let conn = open_in_memory(&Taxonomy::builtin()).unwrap();
        let e = Expert {
            ext_id: "E1".into(),
            name: "张伟".into(),
            subfields: vec!["FL01".into()],
            available: true,
            ..Default::default()
        };
        let b = begin(&conn, "add", "新增").unwrap();
        let id = store::insert_expert(&conn, &e).unwrap();
        record(&conn, b, "expert", id, "E1", None, record_image(&conn, "expert", id).unwrap().as_ref()).unwrap();
        conn.execute("INSERT INTO enterprise(id, name) VALUES (7, '甲公司')", []).unwrap();
        conn.execute("INSERT INTO exclusion(expert_id, enterprise_id, kind) VALUES (?1, 7, '回避')", [id]).unwrap();

        // An edit.
        let before = record_image(&conn, "expert", id).unwrap();
        let b = begin(&conn, "edit", "修改").unwrap();
        let mut e2 = store::get_expert(&conn, id).unwrap().unwrap();
        e2.name = "张伟伟".into();
        e2.subfields = vec!["FL02".into()];
        store::update_expert(&conn, &e2).unwrap();
        let after = record_image(&conn, "expert", id).unwrap();
        record(&conn, b, "expert", id, "E1", before.as_ref(), after.as_ref()).unwrap();
        let changed = rows(&conn, b).unwrap()[0].changed_columns();
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert_eq!(changed[0].0, "name");

        // A delete (the cascade takes the exclusion).
        let before = image(&conn, "expert", id).unwrap();
        let d = begin(&conn, "delete", "删除").unwrap();
        store::delete_expert(&conn, id).unwrap();
        record(&conn, d, "expert", id, "E1", before.as_ref(), None).unwrap();
        assert_eq!(store::count(&conn, store::Table::Experts).unwrap(), 0);

        assert_eq!(last_undoable(&conn).unwrap().unwrap().id, d);
        undo(&conn, d).unwrap().unwrap();
        let back = store::get_expert(&conn, id).unwrap().unwrap();
        assert_eq!((back.name.as_str(), back.subfields.clone()), ("张伟伟", vec!["FL02".to_string()]));
        let n: i64 = conn.query_row("SELECT count(*) FROM exclusion", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1, "the exclusion comes back with the expert");

        assert_eq!(last_undoable(&conn).unwrap().unwrap().id, b, "undo goes further back, not in circles");
        undo(&conn, b).unwrap().unwrap();
        let back = store::get_expert(&conn, id).unwrap().unwrap();
        assert_eq!((back.name.as_str(), back.subfields.clone()), ("张伟", vec!["FL01".to_string()]));
        let n: i64 = conn.query_row("SELECT count(*) FROM exclusion", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1, "undoing an edit keeps the pairings and exclusions");

        // A row changed since the batch: refused.
        let add = last_undoable(&conn).unwrap().unwrap();
        let mut e3 = store::get_expert(&conn, id).unwrap().unwrap();
        e3.note = "后来又改".into();
        store::update_expert(&conn, &e3).unwrap();
        assert_eq!(undo(&conn, add.id).unwrap(), Err(UndoBlock::ChangedSince("E1".into())));
    }
}
