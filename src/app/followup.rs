//! The state of 对接跟踪 (the pairing list with its filters, the selected pairing's history and the
//! three entry forms), of 统计 (period, figures, gaps, targets, report) and of the reminders (the
//! due banner, a record's pairings) — plain data, and how [`FollowupEvent`]s change it. The
//! messages the views push are in `msg_followup.rs`.

use crate::domain::RecordKind;
use crate::domain::followup::{FollowupConfig, OutcomeKind, SERVICE_KINDS, week_of};
use crate::domain::pairing::Stage;
use crate::engine::{
    Command, FollowupCommand, FollowupEvent, FollowupForm, GapField, PairingDetail, PairingFilter, PairingListRow,
    Period, StatFigures,
};

use super::state::{AppState, Tab};

/// The stage-change form (a note when `stage` is None).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StageDraft {
    pub stage: Option<Stage>,
    pub date: String,
    pub note: String,
    /// One path a line.
    pub attachments: String,
    pub end_reason: String,
}

/// The service-record form.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceDraft {
    pub kind: String,
    pub start: String,
    pub end: String,
    pub days: String,
    pub place: String,
    pub content: String,
    pub lodging: bool,
    pub meals: bool,
}

impl Default for ServiceDraft {
    fn default() -> Self {
        ServiceDraft {
            kind: SERVICE_KINDS[0].to_string(),
            start: String::new(),
            end: String::new(),
            days: String::new(),
            place: String::new(),
            content: String::new(),
            lodging: false,
            meals: false,
        }
    }
}

/// The outcome form.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeDraft {
    pub kind: OutcomeKind,
    pub title: String,
    pub date: String,
    pub level: String,
    pub status: String,
    /// 万元, as typed.
    pub amount: String,
    pub note: String,
}

impl Default for OutcomeDraft {
    fn default() -> Self {
        OutcomeDraft {
            kind: OutcomeKind::ALL[0],
            title: String::new(),
            date: String::new(),
            level: String::new(),
            status: String::new(),
            amount: String::new(),
            note: String::new(),
        }
    }
}

/// 对接跟踪.
#[derive(Debug, Clone)]
pub struct FollowupView {
    pub config: FollowupConfig,
    pub stage: Option<Stage>,
    /// A field or subfield code.
    pub subfield: Option<String>,
    pub enterprise: String,
    /// Part of the expert's name or 编号 (filtered here, not by the engine).
    pub expert: String,
    /// Only the pairings due by the end of this week (overdue included).
    pub due_only: bool,
    pub rows: Vec<PairingListRow>,
    /// Indices into `rows` shown, recomputed when the rows or the expert filter change.
    pub visible: Vec<usize>,
    /// A list was asked for and has not arrived.
    pub busy: bool,
    pub loaded: bool,
    /// (expert id, demand id).
    pub selected: Option<(i64, i64)>,
    pub detail: Option<Box<PairingDetail>>,
    pub stage_form: StageDraft,
    pub service_form: ServiceDraft,
    pub outcome_form: OutcomeDraft,
    /// Why the engine refused an entry, per form (worded).
    pub problems: Vec<(FollowupForm, String)>,
    /// The last entry saved (worded), shown under the forms.
    pub saved: Option<String>,
    /// This week: (due, overdue), once counted.
    pub due: Option<(usize, usize)>,
    /// The pairings of the expert or demand in the detail panel.
    pub record: Option<(RecordKind, i64, Vec<PairingListRow>)>,
    /// The meetings that record took part in.
    pub record_meetings: Vec<crate::engine::MeetingRef>,
    /// Unresolved demands whose deadline has passed (counted with each list load).
    pub expired_demands: usize,
}

impl Default for FollowupView {
    fn default() -> Self {
        FollowupView {
            config: FollowupConfig::builtin(),
            stage: None,
            subfield: None,
            enterprise: String::new(),
            expert: String::new(),
            due_only: false,
            rows: Vec::new(),
            visible: Vec::new(),
            busy: false,
            loaded: false,
            selected: None,
            detail: None,
            stage_form: StageDraft::default(),
            service_form: ServiceDraft::default(),
            outcome_form: OutcomeDraft::default(),
            problems: Vec::new(),
            saved: None,
            due: None,
            record: None,
            record_meetings: Vec::new(),
            expired_demands: 0,
        }
    }
}

impl FollowupView {
    /// The problem shown next to a form.
    pub fn problem(&self, form: FollowupForm) -> Option<&str> {
        self.problems.iter().find(|(f, _)| *f == form).map(|(_, t)| t.as_str())
    }

    /// The engine filter of the current choices (`today` for the due toggle).
    pub fn filter(&self, today: &str) -> PairingFilter {
        PairingFilter {
            stage: self.stage,
            subfield: self.subfield.clone().unwrap_or_default(),
            enterprise: self.enterprise.trim().to_string(),
            due_by: self.due_only.then(|| week_of(today).map_or_else(|| today.to_string(), |(_, sunday)| sunday)),
            ..Default::default()
        }
    }

    /// Recomputes the rows shown: the expert filter, and in due mode the earliest date first.
    pub fn refresh_visible(&mut self) {
        let q = self.expert.trim().to_lowercase();
        let rows = &self.rows;
        let mut idx: Vec<usize> = (0..rows.len())
            .filter(|&i| {
                q.is_empty()
                    || rows[i].expert_name.to_lowercase().contains(&q)
                    || rows[i].expert_ext.to_lowercase().contains(&q)
            })
            .collect();
        if self.due_only {
            idx.sort_by(|&a, &b| rows[a].next_date.cmp(&rows[b].next_date));
        }
        self.visible = idx;
    }
}

/// Whether a pairing's follow-up date has passed (ended pairings are never overdue).
pub fn overdue(r: &PairingListRow, today: &str) -> bool {
    !r.next_date.is_empty() && r.next_date.as_str() < today && r.stage != Some(Stage::Ended)
}

/// A target period being typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetDraft {
    pub label: String,
    pub from_year: String,
    pub to_year: String,
    pub projects: String,
    pub products: String,
    pub topics: String,
}

/// 统计.
#[derive(Debug, Clone, Default)]
pub struct StatsView {
    /// YYYY-MM-DD, empty: open.
    pub from: String,
    pub to: String,
    pub figures: Option<Box<StatFigures>>,
    pub busy: bool,
    /// The gaps, or why they could not be computed.
    pub gaps: Option<Result<Vec<GapField>, String>>,
    pub gaps_busy: bool,
    pub target: TargetDraft,
    pub target_problem: Option<String>,
    /// The figures' tables, worded when they arrive.
    pub tables: super::msg_followup::StatTables,
    /// The gaps' table.
    pub gap_table: super::msg_followup::Table,
    pub report_busy: bool,
    /// The last report written (worded), or why it was not.
    pub report: Option<Result<String, String>>,
}

impl StatsView {
    /// The chosen period (open ends cover every date).
    pub fn period(&self) -> Period {
        let all = Period::all();
        let pick = |t: &str, d: String| if t.trim().is_empty() { d } else { t.trim().to_string() };
        Period { from: pick(&self.from, all.from), to: pick(&self.to, all.to) }
    }
}

impl AppState {
    pub(super) fn send_followup(&mut self, c: FollowupCommand) {
        self.send(Command::Followup(c));
    }

    /// Asks for the pairing list of the current filter.
    pub(super) fn reload_pairings(&mut self) {
        let filter = self.followup.filter(&self.today());
        self.followup.busy = true;
        self.followup.loaded = true;
        self.send_followup(FollowupCommand::List(filter));
    }

    /// Asks for the figures of the chosen period (the gaps follow once).
    pub(super) fn reload_figures(&mut self) {
        self.stats.busy = true;
        let p = self.stats.period();
        self.send_followup(FollowupCommand::Figures(p));
    }

    /// Today on the shell's clock, or on this computer's before the first frame.
    pub(super) fn today(&self) -> String {
        if self.clock.today.is_empty() { crate::engine::today() } else { self.clock.today.clone() }
    }

    /// An open expert or demand detail that lists this pair asks for its pairings again.
    fn refresh_record_of(&mut self, expert_id: i64, demand_id: i64) {
        if let Some((kind, id, _)) = &self.followup.record {
            let (kind, id) = (*kind, *id);
            let mine = match kind {
                RecordKind::Expert => id == expert_id,
                RecordKind::Demand => id == demand_id,
            };
            if mine {
                self.record_pairings(kind, id);
            }
        }
    }

    /// Applies one answer of 对接跟踪 or 统计.
    pub(super) fn handle_followup(&mut self, e: FollowupEvent) {
        let today = self.today();
        let f = &mut self.followup;
        match e {
            FollowupEvent::Config(c) => f.config = *c,
            FollowupEvent::List { filter, rows } => {
                if filter == f.filter(&today) {
                    f.busy = false;
                    f.rows = rows;
                    f.refresh_visible();
                }
            }
            FollowupEvent::Due { due, overdue } => f.due = Some((due, overdue)),
            FollowupEvent::Detail(d) => {
                if f.selected == Some((d.row.expert_id, d.row.demand_id)) {
                    f.detail = Some(d);
                }
            }
            FollowupEvent::Record { kind, id, rows, meetings } => {
                f.record = Some((kind, id, rows));
                f.record_meetings = meetings;
            }
            FollowupEvent::Saved { form, expert_id, demand_id } => {
                f.problems.retain(|(x, _)| *x != form);
                f.saved = Some(super::msg_followup::saved_text(form));
                match form {
                    FollowupForm::Stage => f.stage_form = StageDraft::default(),
                    FollowupForm::Service => f.service_form = ServiceDraft::default(),
                    FollowupForm::Outcome => f.outcome_form = OutcomeDraft::default(),
                    FollowupForm::Target => {}
                }
                self.send_followup(FollowupCommand::Detail { expert_id, demand_id });
                self.refresh_record_of(expert_id, demand_id);
                self.reload_pairings();
                if self.stats.figures.is_some() {
                    self.reload_figures();
                }
            }
            FollowupEvent::Problem { form, error } => {
                let text = super::msg_followup::problem_text(form, &error);
                if form == FollowupForm::Target {
                    self.stats.target_problem = Some(text);
                } else {
                    f.problems.retain(|(x, _)| *x != form);
                    f.problems.push((form, text));
                    f.saved = None;
                }
            }
            FollowupEvent::Figures(fig) => {
                self.stats.busy = false;
                self.stats.tables = super::msg_followup::stat_tables(&fig);
                self.stats.figures = Some(fig);
                if self.stats.gaps.is_none() && !self.stats.gaps_busy {
                    self.stats.gaps_busy = true;
                    self.send_followup(FollowupCommand::Gaps);
                }
            }
            FollowupEvent::Gaps(g) => {
                self.stats.gaps_busy = false;
                if let Ok(g) = &g {
                    self.stats.gap_table = super::msg_followup::gap_table(g);
                }
                self.stats.gaps = Some(g.map_err(|e| crate::text::error(&e)));
            }
            FollowupEvent::TargetSaved(label) => {
                self.stats.target_problem = None;
                self.stats.target = TargetDraft::default();
                self.info(super::msg_followup::target_saved(&label));
            }
            FollowupEvent::TargetRemoved(label) => self.info(super::msg_followup::target_removed(&label)),
            FollowupEvent::ReportWritten { path, written } => {
                self.stats.report_busy = false;
                let text = super::msg_followup::report_text(&path, &written);
                self.info(text.clone());
                self.stats.report = Some(Ok(text));
            }
        }
    }

    /// An engine error ends the waits of 对接跟踪 and 统计.
    pub(super) fn followup_failed(&mut self, message: &str) {
        self.followup.busy = false;
        self.stats.busy = false;
        if self.stats.report_busy {
            self.stats.report_busy = false;
            self.stats.report = Some(Err(message.to_string()));
        }
    }

    /// Opens 对接跟踪 on this week's due pairings (the banner's link).
    pub(super) fn show_due(&mut self) {
        self.tab = Tab::Followup;
        self.followup.due_only = true;
        self.followup.stage = None;
        self.reload_pairings();
    }
}
