//! The pairing history: `bole import pairings` (the history an office already keeps in Excel)
//! read row by row against the lists, written in one transaction, and fed to the matcher.

use std::collections::HashMap;
use std::path::Path;

use super::core::Core;
use super::error::Result;
use crate::domain::pairing::{Pairing, Stage};
use crate::domain::rules::parse_deadline;
use crate::io::pairings::{self, PairingRow};
use crate::io::table;
use crate::store;

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
    /// The same pair again (the line of its first row).
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
        let mut seen: HashMap<(i64, i64), usize> = HashMap::new();
        let mut good: Vec<Pairing> = Vec::new();
        for r in &rows {
            match pairing_of(r, &experts, &demands) {
                Ok(p) => {
                    if let Some(first) = seen.get(&(p.expert_id, p.demand_id)) {
                        report.rejected.push((r.line, PairingProblem::Repeated(*first)));
                        continue;
                    }
                    seen.insert((p.expert_id, p.demand_id), r.line);
                    report.failed += usize::from(!p.confirmed);
                    good.push(p);
                }
                Err(problem) => report.rejected.push((r.line, problem)),
            }
        }
        if dry_run {
            let existing: std::collections::HashSet<(i64, i64)> = store::pairings(&self.conn)?.into_iter().collect();
            for p in &good {
                if existing.contains(&(p.expert_id, p.demand_id)) {
                    report.updated += 1;
                } else {
                    report.added += 1;
                }
            }
            return Ok(report);
        }
        let conn = &self.conn;
        let (added, updated) = store::atomically(conn, || -> Result<(usize, usize)> {
            let mut n = (0, 0);
            for p in &good {
                if store::upsert_pairing(conn, p)? {
                    n.0 += 1;
                } else {
                    n.1 += 1;
                }
            }
            Ok(n)
        })?;
        report.added = added;
        report.updated = updated;
        self.refresh_history()?;
        Ok(report)
    }
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
