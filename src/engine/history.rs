//! The change log (操作日志) at the engine level: every user action is recorded with the rows it
//! changed, in the same transaction as the change (`store::changelog`), and the last actions can be
//! undone — an edit, a delete with its exclusions, pairings and meeting places, a whole import.

use super::core::Core;
use super::error::{EngineError, Result};
use crate::domain::RecordKind;
use crate::store::changelog::{self, Batch, Image, RowChange};
use crate::store::{self, DemoCleared};

/// An action as the log names it (stored as its tag, worded by `text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Add,
    Edit,
    Delete,
    Import,
    Merge,
    Exclusion,
    Available,
    Pairing,
    Classify,
    ClearDemo,
    RestoreBackup,
    Meeting,
    Followup,
    Knowledge,
    Undo,
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::Add,
        Action::Edit,
        Action::Delete,
        Action::Import,
        Action::Merge,
        Action::Exclusion,
        Action::Available,
        Action::Pairing,
        Action::Classify,
        Action::ClearDemo,
        Action::RestoreBackup,
        Action::Meeting,
        Action::Followup,
        Action::Knowledge,
        Action::Undo,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Edit => "edit",
            Action::Delete => "delete",
            Action::Import => "import",
            Action::Merge => "merge",
            Action::Exclusion => "exclusion",
            Action::Available => "available",
            Action::Pairing => "pairing",
            Action::Classify => "classify",
            Action::ClearDemo => "demo-clear",
            Action::RestoreBackup => "backup-restore",
            Action::Meeting => "meeting",
            Action::Followup => "followup",
            Action::Knowledge => "knowledge",
            Action::Undo => "undo",
        }
    }

    pub fn from_tag(t: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.tag() == t)
    }
}

/// The table of a record kind.
pub fn table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Expert => "expert",
        RecordKind::Demand => "demand",
    }
}

/// How a row is named in the log: 编号 and name (or the enterprise's name).
pub(super) fn label(conn: &rusqlite::Connection, table: &str, id: i64) -> rusqlite::Result<String> {
    use rusqlite::OptionalExtension;
    let sql = match table {
        "expert" => "SELECT ext_id || ' ' || name FROM expert WHERE id = ?1",
        "demand" => "SELECT ext_id || ' ' || title FROM demand WHERE id = ?1",
        "enterprise" => "SELECT name FROM enterprise WHERE id = ?1",
        "exclusion" => {
            "SELECT e.ext_id || ' ' || e.name || ' ↔ ' || n.name FROM exclusion x JOIN expert e ON e.id = x.expert_id
             JOIN enterprise n ON n.id = x.enterprise_id WHERE x.id = ?1"
        }
        "pairing" => {
            "SELECT d.ext_id || ' ↔ ' || e.ext_id || ' ' || e.name FROM pairing p JOIN expert e ON e.id = p.expert_id
             JOIN demand d ON d.id = p.demand_id WHERE p.id = ?1"
        }
        _ => return Ok(format!("{table} {id}")),
    };
    Ok(conn.query_row(sql, [id], |r| r.get::<_, String>(0)).optional()?.unwrap_or_else(|| format!("{table} {id}")))
}

/// One row change to record: table, row id, label, image before, image after.
pub(super) type Change = (&'static str, i64, String, Option<Image>, Option<Image>);

/// Writes a batch and its row changes (inside the caller's unit of work).
pub(super) fn record(conn: &rusqlite::Connection, action: Action, summary: &str, changes: &[Change]) -> Result<i64> {
    let batch = changelog::begin(conn, action.tag(), summary)?;
    for (t, id, label, before, after) in changes {
        changelog::record(conn, batch, t, *id, label, before.as_ref(), after.as_ref())?;
    }
    Ok(batch)
}

impl Core {
    /// The newest actions first.
    pub fn log(&self, limit: usize) -> Result<Vec<Batch>> {
        Ok(changelog::batches(&self.conn, limit)?)
    }

    /// The rows one action changed (at most `limit`).
    pub fn log_rows(&self, batch: i64, limit: usize) -> Result<Vec<RowChange>> {
        Ok(changelog::first_rows(&self.conn, batch, limit)?)
    }

    /// A record's history, newest first.
    pub fn record_history(&self, kind: RecordKind, id: i64) -> Result<Vec<(Batch, RowChange)>> {
        Ok(changelog::history(&self.conn, table(kind), id)?)
    }

    /// Undoes the newest action that can be undone (not itself an undo). Returns the action undone.
    pub fn undo_last(&mut self) -> Result<Batch> {
        let b = changelog::last_undoable(&self.conn)?.ok_or(EngineError::Undo(changelog::UndoBlock::Gone))?;
        self.undo_batch(b.id)
    }

    /// Undoes one action (all its rows, or none), as an action of its own; the index and the
    /// matching model follow.
    pub fn undo_batch(&mut self, id: i64) -> Result<Batch> {
        let b = changelog::batch(&self.conn, id)?.ok_or(EngineError::Undo(changelog::UndoBlock::Gone))?;
        self.check_knowledge_undo(id)?;
        let conn = &self.conn;
        let (touched, knowledge) = store::atomically(conn, || -> Result<_> {
            let touched = changelog::undo(conn, id)?.map(|(_, t)| t).map_err(EngineError::Undo)?;
            // Knowledge files put back are written as the transaction's last step.
            let knowledge = self.knowledge_undone(&touched)?;
            Ok((touched, knowledge))
        })?;
        if let Some((k, files)) = knowledge {
            // Every record is analysed anew: the whole index is rebuilt and the model dropped.
            self.adopt_undone(k, files)?;
            return Ok(b);
        }
        let ids = |t: &str| -> Vec<i64> { touched.iter().filter(|(x, _)| x == t).map(|(_, i)| *i).collect() };
        let (experts, mut demands) = (ids("expert"), ids("demand"));
        let enterprises = ids("enterprise");
        if !enterprises.is_empty() {
            demands.extend(store::demand_ids_of_enterprises(&self.conn, &enterprises)?);
        }
        self.after_undo(&experts, &demands)?;
        Ok(b)
    }

    /// Records a 清除演示数据 as undoable rows (taken before the deletion).
    pub(super) fn demo_images(&self) -> Result<Vec<Change>> {
        let mut changes = Vec::new();
        for t in ["demand", "expert", "enterprise"] {
            let mut stmt = self.conn.prepare(&format!("SELECT id FROM {t} WHERE demo = 1 ORDER BY id"))?;
            let ids: Vec<i64> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            for id in ids {
                let l = label(&self.conn, t, id)?;
                changes.push((t, id, l, changelog::image(&self.conn, t, id)?, None));
            }
        }
        Ok(changes)
    }

    /// The summary line of a 清除演示数据 batch.
    pub(super) fn demo_summary(c: &DemoCleared) -> String {
        format!("专家 {}、需求 {}、企业 {}、对接会 {}", c.experts, c.demands, c.enterprises, c.meetings)
    }
}

/// Records one row's change: `before` taken before the write, the after image read now.
pub(super) fn record_one(
    conn: &rusqlite::Connection,
    action: Action,
    t: &'static str,
    id: i64,
    before: Option<Image>,
) -> Result<i64> {
    let after = changelog::record_image(conn, t, id)?;
    let l = label(conn, t, id)?;
    record(conn, action, &l, &[(t, id, l.clone(), before, after)])
}

/// More rows than this in one import are logged as one action without row images (undo it by
/// restoring the backup taken before the import).
const IMPORT_ROWS_LOGGED: usize = 5_000;

/// The change log of one import: the images of the rows it will update, taken before it writes,
/// and the rows it wrote, recorded inside its transaction.
pub(super) struct ImportLog {
    action: Action,
    file: String,
    kind: RecordKind,
    /// None: too large to log row by row.
    befores: Option<std::collections::HashMap<(&'static str, i64), Image>>,
    max_enterprise: i64,
}

impl ImportLog {
    pub(super) fn prepare(
        conn: &rusqlite::Connection,
        plan: &crate::io::ImportPlan,
        merge: bool,
        demo: bool,
    ) -> Result<ImportLog> {
        use crate::io::import::Action as Planned;
        let action = if merge { Action::Merge } else { Action::Import };
        let file = if demo { "演示数据".to_string() } else { plan.file.clone() };
        let max_enterprise: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM enterprise", [], |r| r.get(0))?;
        let small = plan.experts.len() + plan.demands.len() <= IMPORT_ROWS_LOGGED;
        let befores = if small {
            let mut ids: Vec<(&'static str, i64)> = Vec::new();
            ids.extend(plan.experts.iter().filter_map(|p| match p.action {
                Planned::Update(id) => Some(("expert", id)),
                _ => None,
            }));
            ids.extend(plan.demands.iter().filter_map(|p| match p.action {
                Planned::Update(id) => Some(("demand", id)),
                _ => None,
            }));
            ids.extend(plan.enterprises.iter().filter_map(|(id, _)| id.map(|id| ("enterprise", id))));
            if merge {
                ids.extend(plan.duplicates.iter().filter_map(|d| d.other_id.map(|id| (table(plan.kind), id))));
            }
            let mut m = std::collections::HashMap::new();
            for (t, id) in ids {
                if let Some(i) = changelog::record_image(conn, t, id)? {
                    m.insert((t, id), i);
                }
            }
            Some(m)
        } else {
            None
        };
        Ok(ImportLog { action, file, kind: plan.kind, befores, max_enterprise })
    }

    /// Records the import (inside its transaction).
    pub(super) fn write(
        &mut self,
        conn: &rusqlite::Connection,
        touched: &crate::io::import::Touched,
    ) -> std::result::Result<(), store::StoreError> {
        let n = touched.experts.len() + touched.demands.len();
        let what = match self.kind {
            RecordKind::Expert => "专家",
            RecordKind::Demand => "需求",
        };
        let batch = changelog::begin(conn, self.action.tag(), &format!("{}：{what} {n} 条", self.file))?;
        let Some(befores) = &mut self.befores else { return Ok(()) };
        let rec = |t: &'static str, id: i64, before: Option<Image>| -> rusqlite::Result<()> {
            let after = changelog::record_image(conn, t, id)?;
            changelog::record(conn, batch, t, id, &label(conn, t, id)?, before.as_ref(), after.as_ref())
        };
        // New enterprises first: undone last, after the demands that need them.
        let mut stmt = conn.prepare("SELECT id FROM enterprise WHERE id > ?1 ORDER BY id")?;
        let new: Vec<i64> = stmt.query_map([self.max_enterprise], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        for id in new {
            rec("enterprise", id, None)?;
        }
        let mut updated: Vec<i64> = befores.keys().filter(|(t, _)| *t == "enterprise").map(|(_, id)| *id).collect();
        updated.sort_unstable();
        for id in updated {
            rec("enterprise", id, befores.remove(&("enterprise", id)))?;
        }
        for (t, ids) in [("expert", &touched.experts), ("demand", &touched.demands)] {
            for &id in ids {
                rec(t, id, befores.remove(&(t, id)))?;
            }
        }
        Ok(())
    }
}
