//! The pairing history: `bole import pairings` (the history an office already keeps in Excel)
//! read row by row against the lists, written in one transaction, and fed to the matcher.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::core::Core;
use super::error::Result;
use crate::domain::followup::PairingEvent;
use crate::domain::pairing::{Pairing, Stage};
use crate::domain::rules::parse_deadline;
use crate::io::pairings::{self, PairingRow};
use crate::io::table;
use crate::store;
use crate::store::followup as fstore;

/// Why a history row was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairingProblem {
    NoDemandId,
    NoExpertId,
    UnknownDemand(String),
    UnknownExpert(String),
    /// 阶段/结果 with words Bole does not know.
    UnknownStage(String),
    BadDate(String),
    /// The same pair with the same stage and date again (the line of its first row).
    Repeated(usize),
}

/// The outcome of reading (and, unless a dry run, writing) a history file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairingReport {
    pub file: String,
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    /// Rows whose words say the pairing failed (kept, but not counted as evidence of fit).
    pub failed: usize,
    pub rejected: Vec<(usize, PairingProblem)>,
}

impl Core {
    /// Reads a pairing history file; writes it unless `dry_run`. Rows that cannot be taken are
    /// reported with their line; the others are written together or not at all.
    pub fn import_pairings(&mut self, file: &Path, dry_run: bool) -> Result<PairingReport> {
        let tables = table::read_path(file)?;
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.import_pairing_tables(&tables, &name, dry_run)
    }

    /// [`Core::import_pairings`] from a file's bytes (`name` gives its type).
    pub fn import_pairings_bytes(&mut self, bytes: &[u8], name: &str, dry_run: bool) -> Result<PairingReport> {
        let tables = table::read_bytes(bytes, name)?;
        self.import_pairing_tables(&tables, name, dry_run)
    }

    fn import_pairing_tables(&mut self, tables: &[table::Table], name: &str, dry_run: bool) -> Result<PairingReport> {
        let name = name.to_string();
        let rows = pairings::rows(tables, &name)?;
        let mut report = PairingReport { file: name, rows: rows.len(), ..Default::default() };
        let experts: HashMap<String, i64> =
            store::expert_rows(&self.conn)?.into_iter().map(|r| (r.ext_id, r.id)).collect();
        let demands: HashMap<String, i64> =
            store::demand_rows(&self.conn)?.into_iter().map(|r| (r.ext_id, r.id)).collect();
        // Rows of one pair are its history (one event each); the same pair, stage and date twice is a repeat.
        let mut seen: HashMap<(i64, i64, Stage, String), usize> = HashMap::new();
        let mut pairs: BTreeMap<(i64, i64), Vec<Pairing>> = BTreeMap::new();
        for r in &rows {
            match pairing_of(r, &experts, &demands) {
                Ok(p) => {
                    let key = (p.expert_id, p.demand_id, p.stage, p.stage_date.clone());
                    if let Some(first) = seen.get(&key) {
                        report.rejected.push((r.line, PairingProblem::Repeated(*first)));
                        continue;
                    }
                    seen.insert(key, r.line);
                    pairs.entry((p.expert_id, p.demand_id)).or_default().push(p);
                }
                Err(problem) => report.rejected.push((r.line, problem)),
            }
        }
        // Oldest first (undated rows keep their place at the end); the pair takes its latest row.
        for history in pairs.values_mut() {
            history.sort_by(|a, b| {
                (a.stage_date.is_empty(), &a.stage_date).cmp(&(b.stage_date.is_empty(), &b.stage_date))
            });
        }
        report.failed = pairs.values().filter(|h| h.last().is_some_and(|p| !p.confirmed)).count();
        if dry_run {
            let existing: std::collections::HashSet<(i64, i64)> = store::pairings(&self.conn)?.into_iter().collect();
            for pair in pairs.keys() {
                if existing.contains(pair) {
                    report.updated += 1;
                } else {
                    report.added += 1;
                }
            }
            return Ok(report);
        }
        let conn = &self.conn;
        let today = super::followup::today();
        let (added, updated) = store::atomically(conn, || -> Result<(usize, usize)> {
            let mut n = (0, 0);
            for history in pairs.values() {
                let Some(latest) = history.last() else { continue };
                if store::upsert_pairing(conn, latest)? {
                    n.0 += 1;
                } else {
                    n.1 += 1;
                }
                write_events(conn, history, &report.file, &today)?;
            }
            Ok(n)
        })?;
        report.added = added;
        report.updated = updated;
        self.refresh_history()?;
        Ok(report)
    }
}

/// One dated event per history row (a row already recorded, by date, stage and note, is not
/// written twice, so importing the same file again adds nothing).
fn write_events(conn: &rusqlite::Connection, history: &[Pairing], file: &str, today: &str) -> Result<()> {
    let Some(first) = history.first() else { return Ok(()) };
    let known = fstore::events(conn, first.expert_id, first.demand_id)?;
    for p in history {
        let (date, undated) = match p.stage_date.len() {
            10 => (p.stage_date.clone(), false),
            7 => (format!("{}-01", p.stage_date), false),
            _ => (today.to_string(), true),
        };
        let mut note = format!("导入自 {file}");
        if undated {
            note.push_str("（原表无日期）");
        }
        if !p.note.is_empty() {
            note = format!("{}；{note}", p.note);
        }
        let ev = PairingEvent { date, stage: Some(p.stage), note, ..Default::default() };
        if !known.iter().any(|k| k.date == ev.date && k.stage == ev.stage && k.note == ev.note) {
            fstore::add_event(conn, p.expert_id, p.demand_id, &ev)?;
        }
    }
    Ok(())
}

fn pairing_of(
    r: &PairingRow,
    experts: &HashMap<String, i64>,
    demands: &HashMap<String, i64>,
) -> std::result::Result<Pairing, PairingProblem> {
    if r.demand.is_empty() {
        return Err(PairingProblem::NoDemandId);
    }
    if r.expert.is_empty() {
        return Err(PairingProblem::NoExpertId);
    }
    let demand_id = *demands.get(&r.demand).ok_or_else(|| PairingProblem::UnknownDemand(r.demand.clone()))?;
    let expert_id = *experts.get(&r.expert).ok_or_else(|| PairingProblem::UnknownExpert(r.expert.clone()))?;
    let stage = if r.stage.is_empty() {
        Stage::Contacted
    } else {
        Stage::parse(&r.stage).ok_or_else(|| PairingProblem::UnknownStage(r.stage.clone()))?
    };
    let stage_date = parse_deadline(&r.date).ok_or_else(|| PairingProblem::BadDate(r.date.clone()))?;
    let failed = Stage::is_failure(&r.stage) || Stage::is_failure(&r.note);
    let note = if r.stage.is_empty() || Stage::ALL.iter().any(|s| s.label() == r.stage) {
        r.note.clone()
    } else if r.note.is_empty() {
        r.stage.clone()
    } else {
        format!("{}；{}", r.stage, r.note)
    };
    Ok(Pairing { expert_id, demand_id, stage, stage_date, source: "导入".into(), note, confirmed: !failed })
}
