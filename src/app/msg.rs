//! What the views ask for: [`UiMsg`], and [`AppState::update`], which applies one — beside
//! [`AppState::handle`] for engine events, and unit-tested the same way. Views never change the
//! state themselves; they read it and push messages.

use std::path::PathBuf;

use super::meetings::{MeetingEdit, MeetingMsg};
use super::records::{Draft, Form, FormEdit};
use super::state::{AppState, Effect, ImportWizard, SortCol, Tab};
use crate::domain::{ExclusionKind, RecordKind};
use crate::engine::{Command, MeetingCommand};

/// A view's request.
#[derive(Debug, Clone)]
pub enum UiMsg {
    SetTab(Tab),
    /// 设置 → 数据安全.
    Data(super::data::DataMsg),
    /// 设置 → 知识库.
    Knowledge(super::msg_knowledge::KnowledgeMsg),
    /// 归类审核.
    Review(super::review::ReviewMsg),
    /// 对接跟踪, 统计 and the reminders.
    Followup(super::msg_followup::FollowupMsg),
    /// An engine command that changes nothing in the view's own state.
    Send(Command),
    DismissStatus,
    Undo,
    ToggleDark,
    SetZoom(f32),
    // Lists
    Search(RecordKind, String),
    FocusSearch(RecordKind),
    SearchFocused(RecordKind),
    Subfield(RecordKind, Option<String>),
    Sort(RecordKind, SortCol),
    Select(RecordKind, i64),
    /// Moves the selection one row down (+1) or up (−1).
    MoveSelection(RecordKind, i32),
    NewRecord(RecordKind),
    EditSelected(RecordKind),
    EditEnterprise,
    AskDelete(RecordKind),
    ConfirmDelete,
    CancelDelete,
    SetAvailable {
        expert_id: i64,
        available: bool,
    },
    MatchFrom(RecordKind, i64),
    // The edit form
    Form(FormEdit),
    SaveForm,
    CloseForm,
    // The import wizard
    OpenImport,
    CloseImport,
    ImportKind(RecordKind),
    ImportPath(String),
    PreviewImport,
    MergeDuplicates(bool),
    CommitImport,
    CancelImport,
    PickImportFile,
    PickRejectedOut,
    /// A file chosen in the shell's dialog.
    PickedImportFile(PathBuf),
    PickedRejectedOut(PathBuf),
    // 匹配建议
    MatchMode {
        from_demand: bool,
    },
    MatchFilter(String),
    /// 单独评估: the typed other side of a pair, and the button that scores it.
    PairQuery(String),
    ScorePair,
    AddPairing {
        expert_id: i64,
        demand_id: i64,
        score: f64,
        reasons: String,
    },
    Exclude {
        expert_id: i64,
        enterprise_id: i64,
        kind: ExclusionKind,
    },
    // 对接会
    Meeting(MeetingMsg),
}

impl AppState {
    /// Applies one view request.
    pub fn update(&mut self, msg: UiMsg) {
        match msg {
            UiMsg::SetTab(t) => {
                self.tab = t;
                // 归类审核 belongs to the list it was opened from.
                self.review.open = false;
                if t == Tab::Settings {
                    self.update_data(super::data::DataMsg::Load);
                    self.update_knowledge(super::msg_knowledge::KnowledgeMsg::Load);
                }
                if t == Tab::Followup {
                    self.reload_pairings();
                }
                if t == Tab::Stats {
                    self.reload_figures();
                }
            }
            UiMsg::Send(c) => self.send(c),
            UiMsg::DismissStatus => self.status = None,
            UiMsg::Undo => {
                if let Some(u) = self.undo.take() {
                    self.send(Command::Restore(u));
                }
            }
            UiMsg::ToggleDark => {
                self.dark = !self.dark;
                self.effects.push(Effect::ToggleDark);
            }
            UiMsg::SetZoom(z) => {
                self.zoom = z;
                self.effects.push(Effect::SetZoom(z));
            }
            UiMsg::Meeting(m) => self.update_meeting(m),
            UiMsg::Data(d) => self.update_data(d),
            UiMsg::Knowledge(k) => self.update_knowledge(k),
            UiMsg::Review(r) => self.update_review(r),
            UiMsg::Followup(f) => self.update_followup(f),
            msg @ (UiMsg::Search(..)
            | UiMsg::FocusSearch(_)
            | UiMsg::SearchFocused(_)
            | UiMsg::Subfield(..)
            | UiMsg::Sort(..)
            | UiMsg::Select(..)
            | UiMsg::MoveSelection(..)) => self.update_list(msg),
            msg @ (UiMsg::OpenImport
            | UiMsg::CloseImport
            | UiMsg::ImportKind(_)
            | UiMsg::ImportPath(_)
            | UiMsg::PreviewImport
            | UiMsg::MergeDuplicates(_)
            | UiMsg::CommitImport
            | UiMsg::CancelImport
            | UiMsg::PickImportFile
            | UiMsg::PickRejectedOut
            | UiMsg::PickedImportFile(_)
            | UiMsg::PickedRejectedOut(_)) => self.update_import(msg),
            msg => self.update_records(msg),
        }
    }

    fn update_list(&mut self, msg: UiMsg) {
        match msg {
            UiMsg::Search(kind, text) => {
                self.list_mut(kind).search = text;
                self.search_if_changed(kind);
            }
            UiMsg::FocusSearch(kind) => {
                if !matches!(self.tab, Tab::Experts | Tab::Demands) {
                    self.tab = Tab::Experts;
                }
                self.list_mut(kind).focus_search = true;
            }
            UiMsg::SearchFocused(kind) => self.list_mut(kind).focus_search = false,
            UiMsg::Subfield(kind, code) => {
                let view = self.list_mut(kind);
                view.subfield = code;
                view.sent.0.clear(); // searches are filtered by subfield too
                self.search_if_changed(kind);
                self.refresh_visible(kind);
            }
            UiMsg::Sort(kind, col) => {
                let view = self.list_mut(kind);
                view.sort = if view.sort.0 == col { (col, !view.sort.1) } else { (col, true) };
                self.refresh_visible(kind);
            }
            UiMsg::Select(kind, id) => self.select(kind, id),
            UiMsg::MoveSelection(kind, delta) => {
                let view = self.list(kind);
                let rows: Vec<i64> = match kind {
                    RecordKind::Expert => view.visible.iter().map(|&i| self.lists.experts[i].id).collect(),
                    RecordKind::Demand => view.visible.iter().map(|&i| self.lists.demands[i].id).collect(),
                };
                if rows.is_empty() {
                    return;
                }
                let cur = view.selected.and_then(|s| rows.iter().position(|&r| r == s));
                let next = match cur {
                    None => 0,
                    Some(p) if delta > 0 => (p + 1).min(rows.len() - 1),
                    Some(p) => p.saturating_sub(1),
                };
                self.select(kind, rows[next]);
            }
            _ => {}
        }
    }

    fn update_import(&mut self, msg: UiMsg) {
        if let UiMsg::OpenImport = msg {
            if self.import.is_none() {
                let kind = if self.tab == Tab::Demands { RecordKind::Demand } else { RecordKind::Expert };
                self.import = Some(ImportWizard::new(kind));
            }
            return;
        }
        let Some(w) = &mut self.import else { return };
        let mut command = None;
        match msg {
            UiMsg::CloseImport => self.import = None,
            UiMsg::ImportKind(kind) => {
                w.kind = kind;
                w.plan = None;
                w.done = None;
            }
            UiMsg::ImportPath(p) => {
                w.path = p;
                w.plan = None;
                w.done = None;
            }
            UiMsg::PickedImportFile(path) => {
                w.path = path.display().to_string();
                w.plan = None;
                w.done = None;
            }
            UiMsg::PreviewImport => {
                w.plan = None;
                w.done = None;
                w.busy = true;
                command = Some(Command::PlanImport { path: w.path.trim().into(), kind: w.kind });
            }
            UiMsg::MergeDuplicates(on) => w.merge_duplicates = on,
            UiMsg::CommitImport => {
                let c = w.plan.as_ref().map(|p| p.counts()).unwrap_or_default();
                w.busy = true;
                w.progress = Some((0, c.added + c.updated + c.unchanged));
                command = Some(Command::CommitImport {
                    path: w.path.trim().into(),
                    kind: w.kind,
                    merge_duplicates: w.merge_duplicates,
                });
            }
            UiMsg::CancelImport => self.effects.push(Effect::CancelImport),
            UiMsg::PickImportFile => self.effects.push(Effect::PickImportFile),
            UiMsg::PickRejectedOut => self.effects.push(Effect::PickRejectedOut),
            UiMsg::PickedRejectedOut(path) => {
                if let Some(plan) = &w.plan {
                    command = Some(Command::SaveRejected { plan: plan.clone(), path });
                }
            }
            _ => {}
        }
        if let Some(c) = command {
            self.send(c);
        }
    }

    fn update_records(&mut self, msg: UiMsg) {
        match msg {
            UiMsg::NewRecord(kind) => self.form = Some(Form::new_record(kind)),
            UiMsg::EditSelected(kind) => {
                let draft = match kind {
                    RecordKind::Expert => {
                        self.expert_detail.clone().filter(|e| Some(e.id) == self.experts.selected).map(Draft::Expert)
                    }
                    RecordKind::Demand => {
                        self.demand_detail.clone().filter(|d| Some(d.id) == self.demands.selected).map(Draft::Demand)
                    }
                };
                if let Some(d) = draft {
                    self.form = Some(Form::edit(d));
                }
            }
            UiMsg::EditEnterprise => {
                if let Some(en) = self.enterprise_detail.clone() {
                    self.form = Some(Form::edit(Draft::Enterprise(en)));
                }
            }
            UiMsg::Form(edit) => {
                if let Some(f) = &mut self.form {
                    f.apply(edit);
                }
            }
            UiMsg::SaveForm => {
                let Some(f) = &mut self.form else { return };
                match f.save() {
                    Ok(c) => {
                        // The form closes when the engine reports it saved.
                        f.error = None;
                        self.send(c);
                    }
                    Err(e) => f.error = Some(e),
                }
            }
            UiMsg::CloseForm => self.form = None,
            UiMsg::AskDelete(kind) => {
                self.confirm_delete = match kind {
                    RecordKind::Expert => self
                        .expert_detail
                        .as_ref()
                        .filter(|e| Some(e.id) == self.experts.selected)
                        .map(|e| (kind, e.id, format!("专家 {}（{}）", e.name, e.ext_id))),
                    RecordKind::Demand => self
                        .demand_detail
                        .as_ref()
                        .filter(|d| Some(d.id) == self.demands.selected)
                        .map(|d| (kind, d.id, format!("需求“{}”（{}）", d.title, d.ext_id))),
                };
            }
            UiMsg::ConfirmDelete => {
                if let Some((kind, id, _)) = self.confirm_delete.take() {
                    self.send(match kind {
                        RecordKind::Expert => Command::DeleteExpert(id),
                        RecordKind::Demand => Command::DeleteDemand(id),
                    });
                }
            }
            UiMsg::CancelDelete => self.confirm_delete = None,
            msg => self.update_matches(msg),
        }
    }

    fn update_matches(&mut self, msg: UiMsg) {
        match msg {
            UiMsg::SetAvailable { expert_id, available } => {
                self.send(Command::SetAvailable { expert_id, available });
                self.send(Command::LoadExpert(expert_id));
            }
            UiMsg::MatchFrom(kind, id) => self.match_from(kind, id),
            UiMsg::MatchMode { from_demand } => {
                self.matches.from_demand = from_demand;
                self.refresh_match_sources();
            }
            UiMsg::MatchFilter(f) => {
                self.matches.filter = f;
                self.refresh_match_sources();
            }
            UiMsg::PairQuery(q) => self.matches.pair_query = q,
            UiMsg::ScorePair => self.score_pair(),
            UiMsg::AddPairing { expert_id, demand_id, score, reasons } => {
                self.send(Command::AddPairing { expert_id, demand_id, score, reasons });
            }
            UiMsg::Exclude { expert_id, enterprise_id, kind } => {
                self.send(Command::SetExclusion { expert_id, enterprise_id, kind: Some(kind) });
                if let Some((k, id)) = self.matches.source {
                    self.match_from(k, id);
                }
            }
            _ => {}
        }
    }

    fn update_meeting(&mut self, msg: MeetingMsg) {
        let retype = matches!(msg, MeetingMsg::AddDemandsText(_) | MeetingMsg::AddExpertsText(_));
        let (commands, effects) = self.meetings.update(msg, &self.clock);
        if retype {
            self.meeting_picks();
        }
        for c in commands {
            self.send(Command::Meeting(c));
        }
        self.effects.extend(effects);
    }
}

impl AppState {
    /// The records the participant boxes offer for what was typed: a few best matches by 编号,
    /// name, enterprise/单位 or subfield name, leaving out those already in the meeting.
    pub(super) fn meeting_picks(&mut self) {
        let (taken_d, taken_e): (Vec<&str>, Vec<&str>) = match self.meetings.detail.as_deref() {
            Some(d) => (
                d.plan.demands.iter().map(|m| m.ext_id.as_str()).collect(),
                d.plan.experts.iter().map(|m| m.ext_id.as_str()).collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        let demands = picks(
            &self.lists.demands,
            &self.derived.subfield_names.1,
            &self.meetings.add_demands_text,
            &taken_d,
            |d| [&d.ext_id, &d.title, &d.enterprise],
        );
        let experts = picks(
            &self.lists.experts,
            &self.derived.subfield_names.0,
            &self.meetings.add_experts_text,
            &taken_e,
            |e| [&e.ext_id, &e.name, &e.institution],
        );
        self.meetings.demand_picks = demands;
        self.meetings.expert_picks = experts;
    }
}

/// Up to 8 rows whose 编号, name, organisation or subfield names contain `query` (2 characters
/// at least), leaving out the 编号 in `taken`: (编号, "编号 name · organisation").
fn picks<R>(
    rows: &[R],
    subfield_names: &[String],
    query: &str,
    taken: &[&str],
    fields: impl Fn(&R) -> [&String; 3],
) -> Vec<(String, String)> {
    let q = query.trim().to_lowercase();
    if q.chars().count() < 2 {
        return Vec::new();
    }
    rows.iter()
        .enumerate()
        .filter(|(i, r)| {
            let [ext, name, org] = fields(r);
            let sub = subfield_names.get(*i).map_or("", String::as_str);
            [ext.as_str(), name, org, sub].iter().any(|h| h.to_lowercase().contains(&q))
                && !taken.contains(&ext.as_str())
        })
        .take(8)
        .map(|(_, r)| {
            let [ext, name, org] = fields(r);
            (ext.clone(), format!("{ext} {name} · {org}"))
        })
        .collect()
}

/// The shorthand views use for a meeting command.
pub fn meeting(c: MeetingCommand) -> UiMsg {
    UiMsg::Send(Command::Meeting(c))
}

/// The shorthand views use for a meeting form edit.
pub fn meeting_edit(e: MeetingEdit) -> UiMsg {
    UiMsg::Meeting(MeetingMsg::Form(e))
}

#[cfg(test)]
mod tests;
