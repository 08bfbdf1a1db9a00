//! The worker's side of 对接跟踪 and 统计: [`FollowupCommand`]s in, [`FollowupEvent`]s out. Like
//! the rest of the worker it only translates: every rule lives in `Core` (`followup.rs`). A
//! refused entry (a bad date, 结束 without a reason …) comes back as [`FollowupEvent::Problem`]
//! naming the form it belongs to, so the view shows it next to that form; other errors travel as
//! [`Event::Error`](super::Event::Error).

use std::path::PathBuf;

use super::Core;
use super::error::{EngineError, Result};
use super::followup::{FollowupEntry, PairingDetail, ReportWritten};
use super::worker::Event;
use crate::domain::RecordKind;
use crate::domain::followup::{FollowupConfig, Outcome, PlanTarget, ServiceRecord};
use crate::store::followup::{PairingFilter, PairingListRow};
use crate::store::stats::{GapField, Period, StatFigures};

/// What 对接跟踪 and 统计 ask of the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum FollowupCommand {
    /// The follow-up settings ([`FollowupEvent::Config`]) and this week's due counts.
    Load,
    /// The pairings a filter lets through ([`FollowupEvent::List`]).
    List(PairingFilter),
    /// This week's due and overdue pairings, counted ([`FollowupEvent::Due`]).
    Due,
    /// One pairing with its history ([`FollowupEvent::Detail`]).
    Detail {
        expert_id: i64,
        demand_id: i64,
    },
    /// The pairings of one expert or demand (its detail panel; [`FollowupEvent::Record`]).
    OfRecord(RecordKind, i64),
    /// A stage change or a note.
    FollowUp {
        expert_id: i64,
        demand_id: i64,
        entry: Box<FollowupEntry>,
    },
    AddService {
        expert_id: i64,
        demand_id: i64,
        record: Box<ServiceRecord>,
    },
    AddOutcome {
        expert_id: i64,
        demand_id: i64,
        outcome: Box<Outcome>,
    },
    /// Set a period's targets, then the figures of `period` again.
    SetTarget {
        target: Box<PlanTarget>,
        period: Period,
    },
    RemoveTarget {
        label: String,
        period: Period,
    },
    /// The SQL figures of a period (quick; [`FollowupEvent::Figures`]).
    Figures(Period),
    /// The recruiting gaps (a full match: slow; [`FollowupEvent::Gaps`]).
    Gaps,
    /// The work report of a period (.pdf or .xlsx) at `path`.
    WriteReport {
        period: Period,
        path: PathBuf,
    },
}

/// Which form an entry came from (where its problem is shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowupForm {
    Stage,
    Service,
    Outcome,
    Target,
}

/// What the worker tells 对接跟踪 and 统计.
#[derive(Debug)]
pub enum FollowupEvent {
    Config(Box<FollowupConfig>),
    List {
        filter: PairingFilter,
        rows: Vec<PairingListRow>,
    },
    /// Due by the end of this week (overdue included), and of them overdue.
    Due {
        due: usize,
        overdue: usize,
    },
    Detail(Box<PairingDetail>),
    Record {
        kind: RecordKind,
        id: i64,
        rows: Vec<PairingListRow>,
        meetings: Vec<crate::store::MeetingRef>,
    },
    /// An entry was saved (the view reloads the list and the pairing).
    Saved {
        form: FollowupForm,
        expert_id: i64,
        demand_id: i64,
    },
    /// An entry was refused: the form and why.
    Problem {
        form: FollowupForm,
        error: EngineError,
    },
    Figures(Box<StatFigures>),
    /// The gaps, or why they could not be computed.
    Gaps(std::result::Result<Vec<GapField>, EngineError>),
    TargetSaved(String),
    TargetRemoved(String),
    ReportWritten {
        path: PathBuf,
        written: ReportWritten,
    },
}

fn ev(e: FollowupEvent) -> Event {
    Event::Followup(Box::new(e))
}

fn due(core: &Core) -> Result<Event> {
    let (rows, overdue) = core.due_this_week(&super::today(), &PairingFilter::default())?;
    Ok(ev(FollowupEvent::Due { due: rows.len(), overdue }))
}

/// Runs one follow-up command; a refused entry is answered with its form's problem.
pub(super) fn run(core: &mut Core, cmd: FollowupCommand, send: &dyn Fn(Event)) -> Result<()> {
    use FollowupCommand as C;
    let form = match &cmd {
        C::FollowUp { .. } => Some(FollowupForm::Stage),
        C::AddService { .. } => Some(FollowupForm::Service),
        C::AddOutcome { .. } => Some(FollowupForm::Outcome),
        C::SetTarget { .. } | C::RemoveTarget { .. } => Some(FollowupForm::Target),
        _ => None,
    };
    match (run_inner(core, cmd, send), form) {
        (Err(error @ EngineError::Followup(_)), Some(form)) => {
            send(ev(FollowupEvent::Problem { form, error }));
            Ok(())
        }
        (other, _) => other,
    }
}

fn run_inner(core: &mut Core, cmd: FollowupCommand, send: &dyn Fn(Event)) -> Result<()> {
    use FollowupCommand as C;
    let saved = |form, expert_id, demand_id| {
        send(ev(FollowupEvent::Saved { form, expert_id, demand_id }));
    };
    match cmd {
        C::Load => {
            send(ev(FollowupEvent::Config(Box::new(core.followup.clone()))));
            send(due(core)?);
        }
        C::List(filter) => {
            let rows = core.pairing_list(&filter)?;
            send(ev(FollowupEvent::List { filter, rows }));
        }
        C::Due => send(due(core)?),
        C::Detail { expert_id, demand_id } => {
            send(ev(FollowupEvent::Detail(Box::new(core.pairing_detail(expert_id, demand_id)?))));
        }
        C::OfRecord(kind, id) => {
            let filter = match kind {
                RecordKind::Expert => PairingFilter { expert_id: Some(id), ..Default::default() },
                RecordKind::Demand => PairingFilter { demand_id: Some(id), ..Default::default() },
            };
            let meetings = core.meetings_of(kind, id)?;
            send(ev(FollowupEvent::Record { kind, id, rows: core.pairing_list(&filter)?, meetings }));
        }
        C::FollowUp { expert_id, demand_id, entry } => {
            core.follow_up(expert_id, demand_id, &entry)?;
            saved(FollowupForm::Stage, expert_id, demand_id);
            send(due(core)?);
        }
        C::AddService { expert_id, demand_id, record } => {
            core.add_service(expert_id, demand_id, *record)?;
            saved(FollowupForm::Service, expert_id, demand_id);
        }
        C::AddOutcome { expert_id, demand_id, outcome } => {
            core.add_outcome(expert_id, demand_id, *outcome)?;
            saved(FollowupForm::Outcome, expert_id, demand_id);
        }
        C::SetTarget { target, period } => {
            let label = target.label.clone();
            core.set_target(*target)?;
            send(ev(FollowupEvent::TargetSaved(label)));
            send(ev(FollowupEvent::Figures(Box::new(core.stat_figures(&period)?))));
        }
        C::RemoveTarget { label, period } => {
            core.remove_target(&label)?;
            send(ev(FollowupEvent::TargetRemoved(label)));
            send(ev(FollowupEvent::Figures(Box::new(core.stat_figures(&period)?))));
        }
        C::Figures(period) => send(ev(FollowupEvent::Figures(Box::new(core.stat_figures(&period)?)))),
        C::Gaps => send(ev(FollowupEvent::Gaps(core.gaps()))),
        C::WriteReport { period, path } => {
            let stats = core.stats(&period)?;
            let written = core.write_report(&stats, &path)?;
            send(ev(FollowupEvent::ReportWritten { path, written }));
        }
    }
    Ok(())
}
