//! The follow-up of pairings (对接跟踪) at the engine level: listing and filtering pairings,
//! stage changes and notes as dated events, service records, outcomes, the plan's targets, the
//! statistics (one [`Stats`] for the view, `bole stats` and the report) and the recruiting gaps
//! (引才方向). Every write is one unit of work with its change-log entry.

use std::collections::{BTreeMap, HashMap};

use super::core::Core;
use super::error::{EngineError, Missing, Result};
use super::history::{self, Action};
use crate::domain::followup::{
    FollowupProblem, Outcome, PairingEvent, PlanTarget, ServiceRecord, check_date, check_outcome, check_service,
    check_target, week_of,
};
use crate::domain::pairing::Stage;
use crate::domain::{RecordKind, Strength};
use crate::store::followup::{self as fstore, PairingFilter, PairingListRow, PairingOrigin, PairingState};
use crate::store::stats::{self, GapField, Period, StatFigures};
use crate::store::{self, changelog};

/// A stage change or a note on a pairing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FollowupEntry {
    /// None: a note only (the stage stays).
    pub stage: Option<Stage>,
    /// YYYY-MM-DD (empty: today).
    pub date: String,
    pub note: String,
    pub attachments: Vec<String>,
    /// None: the stage's default next action (data/followup.toml); Some("") clears it.
    pub next_action: Option<String>,
    /// None: the stage's default follow-up date; Some("") clears it.
    pub next_date: Option<String>,
    /// Why the pairing ended (with stage 结束).
    pub end_reason: String,
    pub meeting_id: Option<i64>,
}

/// A pairing with its whole history.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PairingDetail {
    pub row: PairingListRow,
    pub events: Vec<PairingEvent>,
    pub services: Vec<crate::domain::followup::ServiceRecord>,
    pub outcomes: Vec<Outcome>,
}

/// The statistics of a period: the SQL figures and the recruiting gaps.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stats {
    #[serde(flatten)]
    pub figures: StatFigures,
    pub gaps: Vec<GapField>,
}

/// A field's gap demands, best score and institutions while they are gathered.
type GapAcc = (Vec<String>, f64, HashMap<String, f64>);

/// What a written report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportWritten {
    Pdf { pages: usize },
    Xlsx { sheets: usize },
}

/// Today's date, YYYY-MM-DD, on this computer's clock.
pub fn today() -> String {
    jiff::Zoned::now().strftime("%Y-%m-%d").to_string()
}

impl Core {
    /// The pairings the filter lets through, sorted by demand then expert 编号.
    pub fn pairing_list(&self, filter: &PairingFilter) -> Result<Vec<PairingListRow>> {
        Ok(fstore::pairing_list(&self.conn, filter)?)
    }

    /// The pairings `filter` lets through that are due for follow-up by the end of the week
    /// holding `today` (overdue ones first), and how many of them are overdue.
    pub fn due_this_week(&self, today: &str, filter: &PairingFilter) -> Result<(Vec<PairingListRow>, usize)> {
        let sunday = week_of(today).map_or_else(|| today.to_string(), |(_, s)| s);
        let mut rows = fstore::pairing_list(&self.conn, &PairingFilter { due_by: Some(sunday), ..filter.clone() })?;
        rows.sort_by(|a, b| {
            a.next_date.cmp(&b.next_date).then(a.demand_ext.cmp(&b.demand_ext)).then(a.expert_ext.cmp(&b.expert_ext))
        });
        let overdue = rows.iter().filter(|r| r.next_date.as_str() < today).count();
        Ok((rows, overdue))
    }

    /// One pairing with its events, service records and outcomes.
    pub fn pairing_detail(&self, expert_id: i64, demand_id: i64) -> Result<PairingDetail> {
        let row =
            fstore::pairing_row(&self.conn, expert_id, demand_id)?.ok_or(EngineError::NotFound(Missing::Pairing))?;
        Ok(PairingDetail {
            row,
            events: fstore::events(&self.conn, expert_id, demand_id)?,
            services: fstore::services(&self.conn, expert_id, demand_id)?,
            outcomes: fstore::outcomes(&self.conn, expert_id, demand_id)?,
        })
    }

    /// The row ids of a demand and an expert given by 编号 (`D:E` on the command line).
    pub fn pair_ids(&self, demand_ext: &str, expert_ext: &str) -> Result<(i64, i64)> {
        let d = fstore::demand_id_by_ext(&self.conn, demand_ext.trim())?
            .ok_or_else(|| EngineError::NotFound(Missing::Record(RecordKind::Demand, Some(demand_ext.to_string()))))?;
        let e = fstore::expert_id_by_ext(&self.conn, expert_ext.trim())?
            .ok_or_else(|| EngineError::NotFound(Missing::Record(RecordKind::Expert, Some(expert_ext.to_string()))))?;
        Ok((e, d))
    }

    /// Starts following a pair: records the pairing (source 加入对接 / 对接会 / 手工) with its first
    /// event, or, when it is already recorded, changes nothing. Returns whether it was new.
    pub fn start_pairing(
        &mut self,
        expert_id: i64,
        demand_id: i64,
        source: &str,
        meeting_id: Option<i64>,
        note: &str,
    ) -> Result<bool> {
        let origin = PairingOrigin { source, meeting_id, ..Default::default() };
        self.begin_pairing(expert_id, demand_id, origin, note)
    }

    /// Records a new pairing with its first event (已推荐, today) and its change-log entry, in
    /// one unit of work; a pair already recorded is left alone. Returns whether it was new.
    pub(super) fn begin_pairing(
        &mut self,
        expert_id: i64,
        demand_id: i64,
        origin: PairingOrigin<'_>,
        note: &str,
    ) -> Result<bool> {
        let conn = &self.conn;
        let date = today();
        let followup = &self.followup;
        let added = store::atomically(conn, || -> Result<bool> {
            let (id, added) = fstore::ensure_pairing(conn, expert_id, demand_id, origin)?;
            if added {
                start_events(conn, followup, expert_id, demand_id, &date, note, origin.meeting_id)?;
                history::record_one(conn, Action::Pairing, "pairing", id, None)?;
            }
            Ok(added)
        })?;
        if added {
            self.refresh_history()?;
        }
        Ok(added)
    }

    /// Records a stage change or a note as a dated event, and the pairing's new stage and next
    /// action, in one unit of work. Returns the event's row id.
    pub fn follow_up(&mut self, expert_id: i64, demand_id: i64, entry: &FollowupEntry) -> Result<i64> {
        let id = self.write_follow_up(expert_id, demand_id, entry)?;
        if entry.stage.is_some() {
            self.refresh_history()?;
        }
        Ok(id)
    }

    /// [`Self::follow_up`] without refreshing the matching model's history (the caller does it
    /// after its own unit of work, when the stage changed).
    pub(super) fn write_follow_up(&self, expert_id: i64, demand_id: i64, entry: &FollowupEntry) -> Result<i64> {
        let date = if entry.date.trim().is_empty() { today() } else { check_date("日期", &entry.date)? };
        if entry.stage == Some(Stage::Ended) && entry.end_reason.trim().is_empty() {
            return Err(FollowupProblem::NoEndReason.into());
        }
        let next_date = match &entry.next_date {
            Some(d) if d.trim().is_empty() => String::new(),
            Some(d) => check_date("下次跟进日期", d)?,
            None => String::new(),
        };
        let conn = &self.conn;
        let cfg = &self.followup;
        let id = store::atomically(conn, || -> Result<i64> {
            let pid = fstore::pairing_id(conn, expert_id, demand_id)?.ok_or(EngineError::NotFound(Missing::Pairing))?;
            let before = changelog::record_image(conn, "pairing", pid)?;
            let cur = fstore::pairing_row(conn, expert_id, demand_id)?.unwrap_or_default();
            let stage = entry.stage.or(cur.stage).unwrap_or(Stage::Recommended);
            let state = PairingState {
                stage: entry.stage,
                stage_date: if entry.stage.is_some() { date.clone() } else { cur.stage_date.clone() },
                next_action: match (&entry.next_action, entry.stage) {
                    (Some(a), _) => a.trim().to_string(),
                    (None, Some(s)) => cfg.next_action(s).to_string(),
                    (None, None) => cur.next_action.clone(),
                },
                next_date: match (&entry.next_date, entry.stage) {
                    (Some(_), _) => next_date.clone(),
                    (None, Some(s)) => cfg.next_date(s, &date).unwrap_or_default(),
                    (None, None) => cur.next_date.clone(),
                },
                end_reason: if stage == Stage::Ended { entry.end_reason.trim().to_string() } else { String::new() },
            };
            fstore::set_state(conn, expert_id, demand_id, &state)?;
            let note = match (entry.stage, entry.end_reason.trim()) {
                (Some(Stage::Ended), r) if !entry.note.contains(r) => {
                    if entry.note.trim().is_empty() {
                        r.to_string()
                    } else {
                        format!("{r}；{}", entry.note.trim())
                    }
                }
                _ => entry.note.trim().to_string(),
            };
            let ev = PairingEvent {
                id: 0,
                date: date.clone(),
                stage: entry.stage,
                note,
                attachments: entry.attachments.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
                meeting_id: entry.meeting_id,
            };
            let eid = fstore::add_event(conn, expert_id, demand_id, &ev)?;
            let label = history::label(conn, "pairing", pid)?;
            let after = changelog::record_image(conn, "pairing", pid)?;
            let event = changelog::record_image(conn, "pairing_event", eid)?;
            history::record(
                conn,
                Action::Followup,
                &label,
                &[("pairing", pid, label.clone(), before, after), ("pairing_event", eid, label.clone(), None, event)],
            )?;
            Ok(eid)
        })?;
        Ok(id)
    }

    /// Adds a service record (蹲点调研 …) to a pairing; returns its row id.
    pub fn add_service(&mut self, expert_id: i64, demand_id: i64, mut s: ServiceRecord) -> Result<i64> {
        check_service(&mut s)?;
        self.add_followup_row(expert_id, demand_id, "service_record", |conn| {
            fstore::add_service(conn, expert_id, demand_id, &s)
        })
    }

    /// Adds an outcome (课题, 申报项目, 新产品 …) to a pairing; returns its row id.
    pub fn add_outcome(&mut self, expert_id: i64, demand_id: i64, mut o: Outcome) -> Result<i64> {
        check_outcome(&mut o)?;
        self.add_followup_row(expert_id, demand_id, "outcome", |conn| {
            fstore::add_outcome(conn, expert_id, demand_id, &o)
        })
    }

    fn add_followup_row(
        &mut self,
        expert_id: i64,
        demand_id: i64,
        table: &'static str,
        insert: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<i64>,
    ) -> Result<i64> {
        let conn = &self.conn;
        store::atomically(conn, || -> Result<i64> {
            let pid = fstore::pairing_id(conn, expert_id, demand_id)?.ok_or(EngineError::NotFound(Missing::Pairing))?;
            let id = insert(conn)?;
            let label = history::label(conn, "pairing", pid)?;
            let after = changelog::record_image(conn, table, id)?;
            history::record(conn, Action::Followup, &label, &[(table, id, label.clone(), None, after)])?;
            Ok(id)
        })
    }

    /// The plan's periods with their targets.
    pub fn targets(&self) -> Result<Vec<PlanTarget>> {
        Ok(fstore::targets(&self.conn)?)
    }

    /// Sets (adds or replaces) a period's targets.
    pub fn set_target(&mut self, mut t: PlanTarget) -> Result<()> {
        check_target(&mut t)?;
        let conn = &self.conn;
        store::atomically(conn, || -> Result<()> {
            fstore::set_target(conn, &t)?;
            history::record(conn, Action::Followup, &format!("目标 {}", t.label), &[])?;
            Ok(())
        })
    }

    /// Removes a period's targets; false when there was none.
    pub fn remove_target(&mut self, label: &str) -> Result<bool> {
        let conn = &self.conn;
        store::atomically(conn, || -> Result<bool> {
            let removed = fstore::remove_target(conn, label)?;
            if removed {
                history::record(conn, Action::Followup, &format!("删除目标 {label}"), &[])?;
            }
            Ok(removed)
        })
    }

    /// The figures of a period (SQL aggregates only: quick at any size).
    pub fn stat_figures(&self, period: &Period) -> Result<StatFigures> {
        let fields: Vec<(String, String)> =
            self.knowledge.taxonomy.fields().map(|n| (n.code.clone(), n.name.clone())).collect();
        Ok(stats::figures(&self.conn, period, &fields)?)
    }

    /// The figures and the recruiting gaps (which match every open demand: slower at scale).
    pub fn stats(&self, period: &Period) -> Result<Stats> {
        Ok(Stats { figures: self.stat_figures(period)?, gaps: self.gaps()? })
    }

    /// Writes the work report of `stats` to `path` (.pdf, else .xlsx), atomically.
    pub fn write_report(&self, stats: &Stats, path: &std::path::Path) -> Result<ReportWritten> {
        self.check_output(path)?;
        let pdf = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
        let made_on = today();
        let (bytes, written) = if pdf {
            let (b, pages) = crate::io::report::pdf(&stats.figures, &stats.gaps, &made_on)?;
            (b, ReportWritten::Pdf { pages })
        } else {
            let (b, sheets) = crate::io::report::xlsx(&stats.figures, &stats.gaps, &made_on)?;
            (b, ReportWritten::Xlsx { sheets })
        };
        crate::io::export::write_atomic(path, &bytes)?;
        Ok(written)
    }

    /// The fields whose open demands have no 强 suggestion, with the institutions whose
    /// experts come closest; sorted by the number of such demands, then by code.
    pub fn gaps(&self) -> Result<Vec<GapField>> {
        let matches = self.match_all(3)?;
        let lists = self.lists()?;
        let institution: HashMap<i64, &str> = lists.experts.iter().map(|e| (e.id, e.institution.as_str())).collect();
        let field_of: HashMap<&str, &str> = lists
            .demands
            .iter()
            .map(|d| (d.ext_id.as_str(), d.subfields.first().map_or("", |c| &c[..c.len().min(2)])))
            .collect();
        let mut per: BTreeMap<String, GapAcc> = BTreeMap::new();
        for m in &matches {
            let best = m.matches.first().map_or(0.0, |s| s.score);
            if best >= Strength::STRONG {
                continue;
            }
            let code = field_of.get(m.demand_id.as_str()).copied().unwrap_or("").to_string();
            let e = per.entry(code).or_default();
            e.0.push(m.demand_id.clone());
            e.1 = e.1.max(best);
            for s in &m.matches {
                let inst = institution.get(&s.id).copied().unwrap_or("").trim().to_string();
                if !inst.is_empty() {
                    let v = e.2.entry(inst).or_insert(0.0);
                    *v = v.max(s.score);
                }
            }
        }
        let mut out: Vec<GapField> = per
            .into_iter()
            .map(|(code, (demands, best, inst))| {
                let name = self.knowledge.taxonomy.node(&code).map_or_else(|| "未分类".to_string(), |n| n.name.clone());
                let mut institutions: Vec<(String, f64)> = inst.into_iter().collect();
                institutions.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                institutions.truncate(5);
                GapField { code, name, demands, best_score: best, institutions }
            })
            .collect();
        out.sort_by(|a, b| b.demands.len().cmp(&a.demands.len()).then(a.code.cmp(&b.code)));
        Ok(out)
    }
}

/// The first events of a new pairing: 已推荐 on `date`, with the stage's next action.
pub(super) fn start_events(
    conn: &rusqlite::Connection,
    cfg: &crate::domain::followup::FollowupConfig,
    expert_id: i64,
    demand_id: i64,
    date: &str,
    note: &str,
    meeting_id: Option<i64>,
) -> Result<()> {
    let stage = Stage::Recommended;
    fstore::set_state(
        conn,
        expert_id,
        demand_id,
        &PairingState {
            stage: Some(stage),
            stage_date: date.to_string(),
            next_action: cfg.next_action(stage).to_string(),
            next_date: cfg.next_date(stage, date).unwrap_or_default(),
            end_reason: String::new(),
        },
    )?;
    let ev = PairingEvent {
        id: 0,
        date: date.to_string(),
        stage: Some(stage),
        note: note.trim().to_string(),
        attachments: Vec::new(),
        meeting_id,
    };
    fstore::add_event(conn, expert_id, demand_id, &ev)?;
    Ok(())
}
