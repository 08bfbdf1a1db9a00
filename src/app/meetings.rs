//! The 对接会 view's state: the meetings, the one being worked on, the create form, and the
//! projection mode (投屏模式) with its pages; [`MeetingMsg`] and [`MeetingsView::update`] for
//! what its views ask. Plain data and pure functions — no egui, no I/O.

use std::sync::Arc;

use super::state::{Clock, Effect};
use crate::domain::followup::SittingResult;
use crate::domain::meeting::{
    Meeting, MeetingDetail, MeetingProblem, MeetingSummary, Party, Presence, parse_hhmm, parse_time_range,
};
use crate::engine::{MeetingCommand, MeetingSpec, ReplanFrom, SheetFormat};
use crate::util::split_multi;

/// Which part of a meeting is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Pairs,
    Schedule,
    Participants,
    /// The meeting day: check-in, re-planning after a no-show, sitting results.
    Day,
    Settings,
}

impl Pane {
    pub const ALL: [Pane; 5] = [Pane::Pairs, Pane::Schedule, Pane::Participants, Pane::Day, Pane::Settings];
    pub fn label(self) -> &'static str {
        match self {
            Pane::Pairs => "配对",
            Pane::Schedule => "日程（时段 × 桌）",
            Pane::Participants => "参会需求与专家",
            Pane::Day => "会场签到与结果",
            Pane::Settings => "会议设置",
        }
    }
}

/// The fields of a meeting as typed (text until checked).
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingForm {
    pub id: i64,
    pub name: String,
    pub date: String,
    pub venue: String,
    /// "9:00-11:30"
    pub time: String,
    pub slot_minutes: String,
    pub tables: String,
    pub min: String,
    pub max: String,
    pub cap: String,
    pub min_score: String,
    pub avoid_previous: bool,
    // Only when creating:
    pub subfields: Vec<String>,
    pub demands: String,
    pub max_demands: String,
    pub experts: String,
    pub auto_experts: String,
    pub lock_recorded: bool,
    pub error: Option<String>,
}

impl MeetingForm {
    /// A new meeting with the office's usual settings (a morning of 20-minute talks).
    pub fn new_meeting(today: &str) -> Self {
        MeetingForm {
            id: 0,
            name: "新材料产业技术需求对接会".into(),
            date: today.into(),
            venue: String::new(),
            time: "9:00-11:30".into(),
            slot_minutes: "20".into(),
            tables: "12".into(),
            min: "1".into(),
            max: "3".into(),
            cap: "3".into(),
            min_score: "30".into(),
            avoid_previous: false,
            subfields: vec![],
            demands: String::new(),
            max_demands: "30".into(),
            experts: String::new(),
            auto_experts: "60".into(),
            lock_recorded: true,
            error: None,
        }
    }

    pub fn edit(m: &Meeting) -> Self {
        MeetingForm {
            id: m.id,
            name: m.name.clone(),
            date: m.date.clone(),
            venue: m.venue.clone(),
            time: m.time_range().replace('–', "-"),
            slot_minutes: m.slot_minutes.to_string(),
            tables: m.tables.to_string(),
            min: m.min_experts.to_string(),
            max: m.max_experts.to_string(),
            cap: m.expert_cap.to_string(),
            min_score: format!("{}", m.min_score),
            avoid_previous: m.avoid_previous,
            ..Self::new_meeting("")
        }
    }

    /// Why the meeting will end before the time typed (only whole slots fit), if it will.
    pub fn time_note(&self) -> Option<String> {
        let slot = self.slot_minutes.trim().parse::<u32>().ok()?;
        let (start, end) = parse_time_range(&self.time)?;
        crate::text::slot_rest(start, end, slot)
    }

    /// The meeting the fields describe, or what is wrong with them.
    pub fn meeting(&self) -> Result<Meeting, MeetingProblem> {
        let num = |field: &'static str, v: &str| -> Result<u32, MeetingProblem> {
            v.trim().parse::<u32>().map_err(|_| MeetingProblem::NotANumber { field, value: v.trim().to_string() })
        };
        let slot_minutes = num("每时段分钟", &self.slot_minutes)?;
        if slot_minutes == 0 {
            return Err(MeetingProblem::SlotMinutes);
        }
        let (start, end) = parse_time_range(&self.time)
            .or_else(|| parse_hhmm(&self.time).map(|s| (s, s + slot_minutes)))
            .ok_or_else(|| MeetingProblem::Time(self.time.clone()))?;
        let slots = (end - start) / slot_minutes;
        if slots == 0 {
            return Err(MeetingProblem::ShorterThanSlot);
        }
        let m = Meeting {
            id: self.id,
            name: self.name.trim().to_string(),
            date: self.date.trim().to_string(),
            venue: self.venue.trim().to_string(),
            start_min: start,
            slot_minutes,
            slots,
            tables: num("桌数", &self.tables)?,
            min_experts: num("每项需求专家下限", &self.min)?,
            max_experts: num("每项需求专家上限", &self.max)?,
            expert_cap: num("每位专家对接上限", &self.cap)?,
            min_score: self.min_score.trim().parse::<f64>().map_err(|_| MeetingProblem::MinScore)?,
            avoid_previous: self.avoid_previous,
            created_at: String::new(),
        };
        m.validate()?;
        Ok(m)
    }

    /// The creation request.
    pub fn spec(&self) -> Result<MeetingSpec, MeetingProblem> {
        let meeting = self.meeting()?;
        let count = |field: &'static str, v: &str| -> Result<usize, MeetingProblem> {
            if v.trim().is_empty() {
                return Ok(0);
            }
            v.trim().parse::<usize>().map_err(|_| MeetingProblem::NotANumber { field, value: v.trim().to_string() })
        };
        Ok(MeetingSpec {
            meeting,
            demands: split_multi(&self.demands),
            subfields: self.subfields.clone(),
            max_demands: count("最多需求数", &self.max_demands)?,
            experts: split_multi(&self.experts),
            auto_experts: count("自动推荐专家人数", &self.auto_experts)?,
            lock_recorded: self.lock_recorded,
        })
    }
}

/// Projection colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// The projector's state: which page, which theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub page: usize,
    pub theme: Theme,
    pub fullscreen: bool,
}

/// One projected page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The meeting's name, date, venue and times.
    Cover,
    /// Part `part` (of `parts`) of the board of a time slot (0-based): at most [`BOARD_ROWS`]
    /// tables a page, so every table is shown large enough to read from the back of the room.
    Board { slot: u32, part: usize, parts: usize },
    /// 专家在几号桌: the experts by name with their slots and tables, part `part` of `parts`.
    WhereIs { part: usize, parts: usize },
    /// A demand (row id) with its experts.
    Demand(i64),
}

/// Tables on one board page.
pub const BOARD_ROWS: usize = 12;
/// Experts on one 专家在几号桌 page.
pub const WHERE_ROWS: usize = 14;

/// A slot's board: (table, enterprise, expert and 单位), one row per table in use, by table.
pub fn board_rows(d: &MeetingDetail, slot: u32) -> Vec<(u32, String, String)> {
    let mut rows: Vec<(u32, String, String)> = Vec::new();
    for p in d.pairs_by_time().into_iter().filter(|p| p.slot == Some(slot)) {
        let (Some(dm), Some(e)) = (d.demands.get(&p.demand_id), d.experts.get(&p.expert_id)) else { continue };
        let t = p.table.unwrap_or(0);
        if rows.iter().any(|(rt, _, _)| *rt == t) {
            continue; // the same sitting, another demand of the same enterprise
        }
        rows.push((t, dm.enterprise.clone(), format!("{}  {}", e.name, crate::util::short(&e.institution, 14))));
    }
    rows.sort();
    rows
}

/// 专家在几号桌: (name, 单位, "9:00–9:20 3 号桌；…") for every expert with a place, by name.
pub fn where_rows(d: &MeetingDetail) -> Vec<(String, String, String)> {
    let mut by_expert: std::collections::BTreeMap<i64, Vec<(u32, u32)>> = Default::default();
    for p in &d.plan.pairs {
        if let (Some(s), Some(t)) = (p.slot, p.table) {
            by_expert.entry(p.expert_id).or_default().push((s, t));
        }
    }
    let mut rows: Vec<(String, String, String)> = by_expert
        .into_iter()
        .filter_map(|(id, mut places)| {
            let e = d.experts.get(&id)?;
            places.sort_unstable();
            places.dedup();
            let at: Vec<String> =
                places.iter().map(|(s, t)| format!("{} {} 号桌", d.meeting().slot_label(*s), t + 1)).collect();
            Some((e.name.clone(), e.institution.clone(), at.join("；")))
        })
        .collect();
    rows.sort_by_cached_key(|r| (crate::util::pinyin_key(&r.0), r.1.clone()));
    rows
}

/// The pages of a meeting: the cover, the boards (one or more pages per slot), 专家在几号桌,
/// then one page per demand that has pairings (in 编号 order).
pub fn pages(detail: &MeetingDetail) -> Vec<Page> {
    let mut v = vec![Page::Cover];
    for slot in 0..detail.meeting().slots {
        let parts = board_rows(detail, slot).len().div_ceil(BOARD_ROWS).max(1);
        v.extend((0..parts).map(|part| Page::Board { slot, part, parts }));
    }
    let parts = where_rows(detail).len().div_ceil(WHERE_ROWS);
    v.extend((0..parts).map(|part| Page::WhereIs { part, parts }));
    for d in &detail.plan.demands {
        if detail.plan.pairs.iter().any(|p| p.demand_id == d.demand_id) {
            v.push(Page::Demand(d.demand_id));
        }
    }
    v
}

/// The page of a slot's board (its first part).
pub fn board_page(pages: &[Page], slot: u32) -> Option<usize> {
    pages.iter().position(|p| matches!(p, Page::Board { slot: s, part: 0, .. } if *s == slot))
}

/// The slot running now (when the meeting is today and in session) and the seconds left in it.
pub fn live_slot(m: &Meeting, today: &str, minute: u32, second: u32) -> Option<(u32, u32)> {
    if m.date != today {
        return None;
    }
    let s = m.slot_at(minute)?;
    let end = m.start_min + (s + 1) * m.slot_minutes;
    Some((s, (end - minute) * 60 - second))
}

/// A field of the meeting form.
#[derive(Debug, Clone, PartialEq)]
pub enum MeetingEdit {
    Name(String),
    Date(String),
    Venue(String),
    Time(String),
    SlotMinutes(String),
    Tables(String),
    Min(String),
    Max(String),
    Cap(String),
    MinScore(String),
    AvoidPrevious(bool),
    Subfields(Vec<String>),
    Demands(String),
    MaxDemands(String),
    Experts(String),
    AutoExperts(String),
    LockRecorded(bool),
}

impl MeetingForm {
    pub fn apply(&mut self, e: MeetingEdit) {
        use MeetingEdit as E;
        match e {
            E::Name(v) => self.name = v,
            E::Date(v) => self.date = v,
            E::Venue(v) => self.venue = v,
            E::Time(v) => self.time = v,
            E::SlotMinutes(v) => self.slot_minutes = v,
            E::Tables(v) => self.tables = v,
            E::Min(v) => self.min = v,
            E::Max(v) => self.max = v,
            E::Cap(v) => self.cap = v,
            E::MinScore(v) => self.min_score = v,
            E::AvoidPrevious(v) => self.avoid_previous = v,
            E::Subfields(v) => self.subfields = v,
            E::Demands(v) => self.demands = v,
            E::MaxDemands(v) => self.max_demands = v,
            E::Experts(v) => self.experts = v,
            E::AutoExperts(v) => self.auto_experts = v,
            E::LockRecorded(v) => self.lock_recorded = v,
        }
    }
}

/// A key the projector answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectorKey {
    Next,
    Previous,
    /// Back to the slot running now (or the first page).
    Home,
    End,
    Theme,
    Fullscreen,
    Exit,
}

/// What the 对接会 views ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum MeetingMsg {
    New,
    Select(i64),
    Pane(Pane),
    Assign(i64),
    Schedule(i64),
    Project,
    Projector(ProjectorKey),
    Export(SheetFormat),
    Contacts(bool),
    AskDelete(i64),
    ConfirmDelete,
    CancelDelete,
    DismissProblem,
    PickPairDemand(Option<i64>),
    PickPairExpert(Option<i64>),
    AddPair,
    AddDemandsText(String),
    AddDemands,
    /// Add one record picked from the matches of the typed text (its 编号).
    PickDemand(String),
    PickExpert(String),
    AddExpertsText(String),
    AddExperts,
    Form(MeetingEdit),
    SaveForm,
    CancelForm,
    /// Check a party in (到场/缺席), or clear it (None).
    Checkin(Party, Option<Presence>),
    /// Re-plan the slots that have not started (by the clock on the meeting's day).
    Replan,
    /// One tap after a sitting.
    Result {
        demand: i64,
        expert: i64,
        result: SittingResult,
    },
}

/// The 对接会 view.
#[derive(Debug, Clone)]
pub struct MeetingsView {
    pub list: Vec<MeetingSummary>,
    pub selected: Option<i64>,
    /// Shared so the views can hold it while they change the rest of the state (no copy per frame).
    pub detail: Option<Arc<MeetingDetail>>,
    /// The last "cannot pair/schedule" message, with the meeting it belongs to.
    pub problem: Option<(i64, String)>,
    /// The pairs the last pairing left out because of 回避 rules, with the meeting they belong to.
    pub conflicts: Option<(i64, Vec<String>)>,
    pub pane: Pane,
    pub form: Option<MeetingForm>,
    pub busy: bool,
    /// Picked in the "指定配对" row.
    pub add_demand: Option<i64>,
    pub add_expert: Option<i64>,
    pub add_demands_text: String,
    pub add_experts_text: String,
    /// Records matching the typed text (by 编号, name, enterprise/单位 or subfield) that are not
    /// in the meeting yet: (编号, label), recomputed when the text changes.
    pub demand_picks: Vec<(String, String)>,
    pub expert_picks: Vec<(String, String)>,
    /// Exports include phone numbers and e-mails.
    pub contacts: bool,
    pub projection: Option<Projection>,
    pub confirm_delete: Option<i64>,
}

impl Default for MeetingsView {
    fn default() -> Self {
        MeetingsView {
            list: vec![],
            selected: None,
            detail: None,
            problem: None,
            conflicts: None,
            pane: Pane::Pairs,
            form: None,
            busy: false,
            add_demand: None,
            add_expert: None,
            add_demands_text: String::new(),
            add_experts_text: String::new(),
            demand_picks: Vec::new(),
            expert_picks: Vec::new(),
            contacts: true,
            projection: None,
            confirm_delete: None,
        }
    }
}

impl MeetingsView {
    /// A new list of meetings (a deleted selection is dropped).
    pub fn set_list(&mut self, list: Vec<MeetingSummary>) {
        if self.selected.is_some_and(|id| !list.iter().any(|x| x.id == id)) {
            self.selected = None;
            self.detail = None;
            self.projection = None;
        }
        self.list = list;
    }

    /// A meeting (re)loaded: shown when it is the selected one, or was just created.
    pub fn set_detail(&mut self, detail: MeetingDetail) {
        self.busy = false;
        let id = detail.meeting().id;
        if self.selected.is_none() || self.form.as_ref().is_some_and(|f| f.id == 0) {
            self.selected = Some(id);
            self.form = None;
        }
        if self.selected == Some(id) {
            if self.problem.as_ref().is_some_and(|(pid, _)| *pid != id) {
                self.problem = None;
            }
            if self.pane == Pane::Settings && self.form.as_ref().is_none_or(|f| f.id != id) {
                self.form = Some(MeetingForm::edit(detail.meeting()));
            }
            self.detail = Some(Arc::new(detail));
        }
    }

    /// Applies one view request; returns the engine commands and shell effects it needs.
    pub fn update(&mut self, msg: MeetingMsg, clock: &Clock) -> (Vec<MeetingCommand>, Vec<Effect>) {
        let mut commands = Vec::new();
        let mut effects = Vec::new();
        let current = self.current().map(|d| d.meeting().id);
        match msg {
            MeetingMsg::New => self.form = Some(MeetingForm::new_meeting(&clock.today)),
            MeetingMsg::Select(id) => {
                self.selected = Some(id);
                self.form = None;
                self.problem = None;
                commands.push(MeetingCommand::Load(id));
            }
            MeetingMsg::Pane(p) => {
                self.pane = p;
                if p == Pane::Settings
                    && let Some(d) = self.current()
                {
                    let form = MeetingForm::edit(d.meeting());
                    self.form = Some(form);
                }
            }
            MeetingMsg::Assign(id) => {
                self.busy = true;
                self.problem = None;
                commands.push(MeetingCommand::Assign(id));
            }
            MeetingMsg::Schedule(id) => {
                self.busy = true;
                self.problem = None;
                commands.push(MeetingCommand::Schedule(id));
            }
            MeetingMsg::Project => {
                if let Some(d) = self.current().filter(|d| !d.plan.pairs.is_empty()) {
                    let live = live_slot(d.meeting(), &clock.today, clock.minute, clock.second);
                    // In session: the slot running now; before: the cover.
                    let page = live.and_then(|(s, _)| board_page(&pages(d), s)).unwrap_or(0);
                    self.projection = Some(Projection { page, theme: Theme::Light, fullscreen: true });
                    effects.push(Effect::Fullscreen(true));
                }
            }
            MeetingMsg::Projector(key) => self.projector_key(key, clock, &mut effects),
            MeetingMsg::Export(format) => {
                if let Some(d) = self.current() {
                    let m = d.meeting();
                    effects.push(Effect::PickMeetingExport {
                        id: m.id,
                        format,
                        contacts: self.contacts,
                        name: m.name.clone(),
                    });
                }
            }
            MeetingMsg::Contacts(on) => self.contacts = on,
            MeetingMsg::AskDelete(id) => self.confirm_delete = Some(id),
            MeetingMsg::ConfirmDelete => {
                if let Some(id) = self.confirm_delete.take() {
                    commands.push(MeetingCommand::Delete(id));
                }
            }
            MeetingMsg::CancelDelete => self.confirm_delete = None,
            MeetingMsg::DismissProblem => self.problem = None,
            MeetingMsg::Replan => {
                let plan = self.current().map(|d| {
                    let m = d.meeting();
                    // On the day by the clock; before it everything is still to come; after it nothing.
                    let from = match clock.today.as_str().cmp(m.date.as_str()) {
                        std::cmp::Ordering::Less => ReplanFrom::Slot(0),
                        std::cmp::Ordering::Greater if !m.date.is_empty() => ReplanFrom::Now(24 * 60),
                        _ => ReplanFrom::Now(clock.minute),
                    };
                    (m.id, from)
                });
                if let Some((id, from)) = plan {
                    self.busy = true;
                    self.problem = None;
                    commands.push(MeetingCommand::Replan { id, from });
                }
            }
            msg => return self.update_edits(msg, current),
        }
        (commands, effects)
    }

    /// The requests that edit pairs, participants and the form.
    fn update_edits(&mut self, msg: MeetingMsg, current: Option<i64>) -> (Vec<MeetingCommand>, Vec<Effect>) {
        let mut commands = Vec::new();
        match msg {
            MeetingMsg::PickPairDemand(d) => self.add_demand = d,
            MeetingMsg::PickPairExpert(e) => self.add_expert = e,
            MeetingMsg::AddPair => {
                if let (Some(id), Some(demand), Some(expert)) = (current, self.add_demand, self.add_expert) {
                    commands.push(MeetingCommand::Add { id, demand, expert });
                }
            }
            MeetingMsg::AddDemandsText(t) => self.add_demands_text = t,
            MeetingMsg::AddExpertsText(t) => self.add_experts_text = t,
            MeetingMsg::PickDemand(ext) => {
                if let Some(id) = self.selected {
                    commands.push(MeetingCommand::AddDemands { id, ext_ids: vec![ext] });
                }
            }
            MeetingMsg::PickExpert(ext) => {
                if let Some(id) = self.selected {
                    commands.push(MeetingCommand::AddExperts { id, ext_ids: vec![ext] });
                }
            }
            MeetingMsg::AddDemands => {
                let ext_ids = split_multi(&std::mem::take(&mut self.add_demands_text));
                if let Some(id) = current.filter(|_| !ext_ids.is_empty()) {
                    commands.push(MeetingCommand::AddDemands { id, ext_ids });
                }
            }
            MeetingMsg::AddExperts => {
                let ext_ids = split_multi(&std::mem::take(&mut self.add_experts_text));
                if let Some(id) = current.filter(|_| !ext_ids.is_empty()) {
                    commands.push(MeetingCommand::AddExperts { id, ext_ids });
                }
            }
            MeetingMsg::Form(edit) => {
                if let Some(f) = &mut self.form {
                    f.apply(edit);
                }
            }
            MeetingMsg::SaveForm => {
                if let Some(f) = &mut self.form {
                    let result = if f.id == 0 {
                        f.spec().map(|s| MeetingCommand::Create(Box::new(s)))
                    } else {
                        f.meeting().map(|m| MeetingCommand::Update(Box::new(m)))
                    };
                    match result {
                        Ok(c) => {
                            f.error = None;
                            self.busy = true;
                            commands.push(c);
                        }
                        Err(e) => f.error = Some(e.text()),
                    }
                }
            }
            MeetingMsg::CancelForm => self.form = None,
            MeetingMsg::Checkin(party, presence) => {
                if let Some(id) = current {
                    commands.push(MeetingCommand::Checkin { id, parties: vec![party], presence });
                }
            }
            MeetingMsg::Result { demand, expert, result } => {
                if let Some(id) = current {
                    commands.push(MeetingCommand::SittingResult { id, demand, expert, result });
                }
            }
            _ => {}
        }
        (commands, Vec::new())
    }

    fn projector_key(&mut self, key: ProjectorKey, clock: &Clock, effects: &mut Vec<Effect>) {
        let Some(d) = self.current() else {
            self.projection = None;
            return;
        };
        let all = pages(d);
        let n = all.len();
        let live = live_slot(d.meeting(), &clock.today, clock.minute, clock.second);
        let Some(p) = &mut self.projection else { return };
        let last = n.saturating_sub(1);
        match key {
            ProjectorKey::Next => p.page = (p.page + 1).min(last),
            ProjectorKey::Previous => p.page = p.page.saturating_sub(1),
            ProjectorKey::Home => p.page = live.and_then(|(s, _)| board_page(&all, s)).unwrap_or(0),
            ProjectorKey::End => p.page = last,
            ProjectorKey::Theme => p.theme = if p.theme == Theme::Light { Theme::Dark } else { Theme::Light },
            ProjectorKey::Fullscreen => {
                p.fullscreen = !p.fullscreen;
                effects.push(Effect::Fullscreen(p.fullscreen));
            }
            ProjectorKey::Exit => {
                self.projection = None;
                effects.push(Effect::Fullscreen(false));
            }
        }
    }

    /// The meeting being shown, when it is the selected one.
    pub fn current(&self) -> Option<&MeetingDetail> {
        self.detail.as_deref().filter(|d| Some(d.meeting().id) == self.selected)
    }

    /// The meeting being shown, as a cheap shared handle.
    pub fn shared(&self) -> Option<Arc<MeetingDetail>> {
        self.detail.clone().filter(|d| Some(d.meeting().id) == self.selected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::meeting::{MeetingPair, MeetingPlan};

    #[test]
    fn form_turns_into_a_meeting_or_a_chinese_message() {
        let mut f = MeetingForm::new_meeting("2026-12-05");
        let m = f.meeting().unwrap();
        assert_eq!((m.start_min, m.slots, m.slot_minutes, m.tables), (540, 7, 20, 12));
        f.time = "9点".into();
        assert_eq!(f.meeting().unwrap().slots, 1);
        f.time = "下午".into();
        assert_eq!(f.meeting().unwrap_err(), MeetingProblem::Time("下午".into()));
        f.time = "9:00-11:30".into();
        f.tables = "十".into();
        assert!(f.meeting().unwrap_err().text().contains("桌数"));
        f.tables = "10".into();
        f.demands = "D001，D002".into();
        let spec = f.spec().unwrap();
        assert_eq!(spec.demands, vec!["D001", "D002"]);
        assert_eq!((spec.max_demands, spec.auto_experts), (30, 60));
        let again = MeetingForm::edit(&spec.meeting);
        assert_eq!(again.meeting().unwrap(), spec.meeting);
    }

    #[test]
    fn the_projector_opens_on_the_cover_before_the_meeting_and_on_the_running_slot_during_it() {
        let meeting = Meeting {
            id: 7,
            date: "2026-11-23".into(),
            start_min: 540,
            slot_minutes: 20,
            slots: 3,
            ..Default::default()
        };
        let pair = |slot| MeetingPair {
            demand_id: 1,
            expert_id: 1,
            score: 0.5,
            reasons: Vec::new(),
            locked: false,
            slot: Some(slot),
            table: Some(0),
            place_locked: false,
            result: None,
        };
        let plan = MeetingPlan { meeting, pairs: vec![pair(0), pair(1), pair(2)], ..Default::default() };
        let detail = Arc::new(MeetingDetail { plan, ..Default::default() });
        let opened = |today: &str, minute| {
            let mut v = MeetingsView { selected: Some(7), detail: Some(detail.clone()), ..Default::default() };
            v.update(MeetingMsg::Project, &Clock { today: today.into(), minute, second: 0 });
            v.projection.map(|p| p.page)
        };
        let board = |slot| board_page(&pages(&detail), slot);
        assert_eq!(opened("2026-11-22", 565), Some(0), "another day: the cover");
        assert_eq!(opened("2026-11-23", 500), Some(0), "before the start: the cover");
        assert_eq!(opened("2026-11-23", 565), board(1), "in session: the running slot");
        assert_ne!(board(1), Some(0));
        assert_eq!(opened("2026-11-23", 700), Some(0), "after the end: the cover");
    }

    #[test]
    fn live_slots() {
        let m = Meeting { date: "2026-11-23".into(), start_min: 540, slot_minutes: 20, slots: 3, ..Default::default() };
        assert_eq!(live_slot(&m, "2026-11-23", 565, 30), Some((1, 14 * 60 + 30)));
        assert_eq!(live_slot(&m, "2026-11-24", 565, 30), None);
        assert_eq!(live_slot(&m, "2026-11-23", 600, 0), None);
    }
}
