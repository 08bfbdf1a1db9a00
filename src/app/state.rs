//! The GUI's state and how engine events change it — plain data, no egui, no I/O, so it is easy
//! to test. Views read it and push [`UiMsg`](super::msg::UiMsg)s; [`AppState::update`] (in
//! `msg.rs`) applies those, [`AppState::handle`] applies engine events. Both queue the commands
//! for the engine in `outbox` and the things only the shell can do (dialogs, window) in
//! `effects`. Derived data (visible rows, sort keys, counts) is recomputed here when its inputs
//! change, never in a frame.

use std::collections::HashMap;

use super::meetings::MeetingsView;
use super::records::{Form, ListRow};
use crate::domain::{Demand, DemandStatus, Enterprise, Expert, RecordKind, Taxonomy};
use crate::engine::SheetFormat;
use crate::engine::{Command, Event, ImportPlan, Lists, MeetingCommand, SearchHit, SearchRequest, Suggestion, Undo};
use crate::text;
use crate::util::pinyin_key;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Tab {
    Experts,
    Demands,
    Matches,
    Meetings,
    Settings,
    /// 对接跟踪 (`followup.rs`).
    Followup,
    /// 统计 (`followup.rs`).
    Stats,
}

impl Tab {
    /// In the order of the navigation bar.
    pub const ALL: [Tab; 7] =
        [Tab::Experts, Tab::Demands, Tab::Matches, Tab::Meetings, Tab::Followup, Tab::Stats, Tab::Settings];
    pub fn label(self) -> &'static str {
        match self {
            Tab::Experts => "专家人才库",
            Tab::Demands => "企业需求",
            Tab::Matches => "匹配建议",
            Tab::Meetings => "对接会",
            Tab::Settings => "设置",
            Tab::Followup => "对接跟踪",
            Tab::Stats => "统计",
        }
    }
}

/// Which column a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortCol {
    Id,
    Name,
    Org,
    Title,
    Subfield,
    Status,
    Deadline,
}

/// The state of one list view (experts or demands).
#[derive(Debug, Clone)]
pub struct ListView {
    pub kind: RecordKind,
    pub search: String,
    /// The text last sent to the engine, and the sequence number of that request.
    pub sent: (String, u64),
    /// Hits of the latest search, in rank order.
    pub hits: Option<Vec<SearchHit>>,
    /// Row id → matched terms of the hits (for the 命中词 column).
    pub matched: HashMap<i64, String>,
    pub subfield: Option<String>,
    pub sort: (SortCol, bool),
    pub selected: Option<i64>,
    pub focus_search: bool,
    /// Row indices (into the lists) currently shown, recomputed when inputs change.
    pub visible: Vec<usize>,
}

impl ListView {
    fn new(kind: RecordKind) -> Self {
        ListView {
            kind,
            search: String::new(),
            sent: (String::new(), 0),
            hits: None,
            matched: HashMap::new(),
            subfield: None,
            sort: (SortCol::Id, true),
            selected: None,
            focus_search: false,
            visible: Vec::new(),
        }
    }
}

/// The import wizard.
#[derive(Debug, Clone)]
pub struct ImportWizard {
    pub kind: RecordKind,
    pub path: String,
    pub plan: Option<Box<ImportPlan>>,
    pub merge_duplicates: bool,
    /// (done, total) while committing.
    pub progress: Option<(usize, usize)>,
    pub busy: bool,
    pub done: Option<String>,
}

impl ImportWizard {
    pub fn new(kind: RecordKind) -> Self {
        ImportWizard {
            kind,
            path: String::new(),
            plan: None,
            merge_duplicates: false,
            progress: None,
            busy: false,
            done: None,
        }
    }
}

/// The match suggestions view.
#[derive(Debug, Clone)]
pub struct MatchView {
    /// Demand → experts (true) or expert → demands.
    pub from_demand: bool,
    pub filter: String,
    pub source: Option<(RecordKind, i64)>,
    pub results: Option<Vec<Suggestion>>,
    pub busy: bool,
    pub top: usize,
    /// Indices (into `lists.demands` or `lists.experts`) of the records the left list offers,
    /// recomputed only when the mode, the filter or the lists change.
    pub sources: Vec<usize>,
    /// 单独评估: the other side of a pair to score, as typed (编号 or 姓名/标题).
    pub pair_query: String,
    /// The last pair scored, or the message why the typed record was not found.
    pub pair: Option<Result<Box<crate::engine::PairReport>, String>>,
}

/// The status line: a message, and whether it is an error (errors stay until dismissed).
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// What only the shell can do for the views (it owns the window and the dialogs).
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    PickImportFile,
    PickRejectedOut,
    CancelImport,
    ToggleDark,
    SetZoom(f32),
    Fullscreen(bool),
    /// Ask where to save a meeting's sheets, then export.
    PickMeetingExport {
        id: i64,
        format: SheetFormat,
        contacts: bool,
        name: String,
    },
    /// Ask where to export a list (专家人才库 / 企业需求).
    PickListExport(RecordKind),
    /// Ask where to write the work report (统计).
    PickReport,
    /// Ask for a folder to export the knowledge files to, or to import them from.
    PickKnowledgeFolder(super::data::PathFor),
}

/// Local wall-clock time as the views need it (set by the shell before each frame).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    /// YYYY-MM-DD
    pub today: String,
    pub minute: u32,
    pub second: u32,
}

impl Clock {
    /// Now, in the computer's time zone.
    pub fn now() -> Self {
        let now = jiff::Zoned::now();
        Clock {
            today: now.date().strftime("%Y-%m-%d").to_string(),
            minute: u32::try_from(i32::from(now.hour()) * 60 + i32::from(now.minute())).unwrap_or(0),
            second: u32::try_from(now.second()).unwrap_or(0),
        }
    }
}

/// Data derived from the lists, rebuilt once per list load.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// Counts of experts and demands per subfield code (fields include their children).
    pub counts: (HashMap<String, usize>, HashMap<String, usize>),
    /// Row id → index in `lists.experts` / `lists.demands`.
    pub positions: (HashMap<i64, usize>, HashMap<i64, usize>),
    /// Per row: its subfield names joined (shown in the tables, sort key of 细分领域).
    pub subfield_names: (Vec<String>, Vec<String>),
    /// Bumped with every list load.
    pub generation: u64,
    /// Experts and demands without a confirmed subfield (the tree's 未分类).
    pub unclassified: (usize, usize),
}

pub struct AppState {
    pub tab: Tab,
    pub ready: bool,
    pub db_path: String,
    pub index_note: String,
    pub taxonomy: Taxonomy,
    pub lists: Lists,
    pub derived: Derived,
    pub experts: ListView,
    pub demands: ListView,
    pub expert_detail: Option<Box<Expert>>,
    pub demand_detail: Option<Box<Demand>>,
    /// The enterprise of the demand shown in the detail panel.
    pub enterprise_detail: Option<Box<Enterprise>>,
    pub form: Option<Form>,
    pub confirm_delete: Option<(RecordKind, i64, String)>,
    pub undo: Option<Box<Undo>>,
    pub import: Option<ImportWizard>,
    pub matches: MatchView,
    pub meetings: MeetingsView,
    /// 设置 → 数据安全 (backups, change log, path box).
    pub data: super::data::DataView,
    /// 归类审核.
    pub review: super::review::ReviewView,
    /// 对接跟踪 and the reminders.
    pub followup: super::followup::FollowupView,
    /// 统计.
    pub stats: super::followup::StatsView,
    /// 设置 → 知识库.
    pub knowledge: super::msg_knowledge::KnowledgeView,
    /// Records waiting for review (experts, demands), once the queue was loaded.
    pub pending_review: (Option<usize>, Option<usize>),
    pub clock: Clock,
    pub status: Option<Status>,
    pub dark: bool,
    pub zoom: f32,
    pub outbox: Vec<Command>,
    pub effects: Vec<Effect>,
    pub(super) seq: u64,
}

impl AppState {
    pub fn new(taxonomy: Taxonomy) -> Self {
        AppState {
            tab: Tab::Experts,
            ready: false,
            db_path: String::new(),
            index_note: String::new(),
            taxonomy,
            lists: Lists::default(),
            derived: Derived::default(),
            experts: ListView::new(RecordKind::Expert),
            demands: ListView::new(RecordKind::Demand),
            expert_detail: None,
            demand_detail: None,
            enterprise_detail: None,
            form: None,
            confirm_delete: None,
            undo: None,
            import: None,
            matches: MatchView {
                from_demand: true,
                filter: String::new(),
                source: None,
                results: None,
                busy: false,
                top: 20,
                sources: Vec::new(),
                pair_query: String::new(),
                pair: None,
            },
            meetings: MeetingsView::default(),
            data: super::data::DataView::default(),
            review: super::review::ReviewView::default(),
            followup: Default::default(),
            stats: Default::default(),
            knowledge: Default::default(),
            pending_review: (None, None),
            clock: Clock { today: String::new(), minute: 0, second: 0 },
            status: None,
            dark: false,
            zoom: 1.0,
            outbox: Vec::new(),
            effects: Vec::new(),
            seq: 0,
        }
    }

    pub fn send(&mut self, c: Command) {
        self.outbox.push(c);
    }

    pub fn list(&self, kind: RecordKind) -> &ListView {
        match kind {
            RecordKind::Expert => &self.experts,
            RecordKind::Demand => &self.demands,
        }
    }

    pub fn list_mut(&mut self, kind: RecordKind) -> &mut ListView {
        match kind {
            RecordKind::Expert => &mut self.experts,
            RecordKind::Demand => &mut self.demands,
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), error: false });
    }

    pub(super) fn error(&mut self, text: String) {
        self.status = Some(Status { text, error: true });
    }

    /// The demand row of a row id, if loaded.
    pub fn demand_row(&self, id: i64) -> Option<&crate::engine::DemandRow> {
        self.derived.positions.1.get(&id).map(|&i| &self.lists.demands[i])
    }

    /// The expert row of a row id, if loaded.
    pub fn expert_row(&self, id: i64) -> Option<&crate::engine::ExpertRow> {
        self.derived.positions.0.get(&id).map(|&i| &self.lists.experts[i])
    }

    /// Applies one engine event.
    pub fn handle(&mut self, event: Event) {
        match event {
            Event::Ready { db, index, demo_loaded, taxonomy } => {
                self.ready = true;
                self.send(Command::Meeting(MeetingCommand::List));
                self.send(Command::Followup(crate::engine::FollowupCommand::Load));
                // Reopened on 对接跟踪 or 统计 (remembered tab): load it now.
                match self.tab {
                    Tab::Followup => self.reload_pairings(),
                    Tab::Stats => self.reload_figures(),
                    _ => {}
                }
                // The engine's taxonomy includes the staff's own knowledge files, if any.
                self.taxonomy = *taxonomy;
                self.db_path = db.display().to_string();
                self.index_note = text::index_note(&index);
                if demo_loaded {
                    self.info("数据库为空，已载入内置演示数据（虚构）");
                }
            }
            Event::Lists(l) => self.set_lists(*l),
            Event::Followup(e) => self.handle_followup(*e),
            Event::SearchResults { seq, kind, hits } => {
                let view = self.list_mut(kind);
                if seq == view.sent.1 {
                    view.matched = hits.iter().map(|h| (h.id, h.matched_terms.join("、"))).collect();
                    view.hits = Some(hits);
                    self.refresh_visible(kind);
                }
            }
            Event::Expert(e) => {
                if self.experts.selected == Some(e.id) || self.matches.source == Some((RecordKind::Expert, e.id)) {
                    self.send(Command::Data(crate::engine::DataCommand::History {
                        kind: RecordKind::Expert,
                        id: e.id,
                    }));
                    self.expert_detail = Some(e);
                }
            }
            Event::Demand(d) => {
                if self.demands.selected == Some(d.id) || self.matches.source == Some((RecordKind::Demand, d.id)) {
                    self.send(Command::Data(crate::engine::DataCommand::History {
                        kind: RecordKind::Demand,
                        id: d.id,
                    }));
                    self.demand_detail = Some(d);
                }
            }
            Event::Enterprise(en) => {
                if self.form.as_ref().is_some_and(|f| f.is_enterprise(en.id)) {
                    self.form = None;
                }
                if self.demand_detail.as_ref().is_some_and(|d| d.enterprise_id == Some(en.id)) {
                    if let Some(d) = &mut self.demand_detail {
                        d.enterprise.clone_from(&en.name);
                    }
                    self.enterprise_detail = Some(en);
                }
            }
            Event::Saved { kind, id, name, restored } => {
                self.form = None;
                self.info(text::saved(kind, &name, restored));
                let view = self.list_mut(kind);
                view.selected = Some(id);
                view.sent.0.clear(); // re-run the search: the record may now match
                self.search_if_changed(kind);
                self.send(load(kind, id));
            }
            Event::Deleted(undo) => {
                let kind = undo.kind();
                let view = self.list_mut(kind);
                view.selected = None;
                view.sent.0.clear();
                match kind {
                    RecordKind::Expert => self.expert_detail = None,
                    RecordKind::Demand => self.demand_detail = None,
                }
                self.search_if_changed(kind);
                self.info(text::deleted(&undo));
                self.undo = Some(undo);
            }
            event => self.handle_more(event),
        }
    }

    /// Imports, matches, meetings, outcomes and errors.
    fn handle_more(&mut self, event: Event) {
        match event {
            Event::ImportPlanned { plan, path } => {
                if let Some(w) = &mut self.import
                    && w.path == path.display().to_string()
                {
                    w.plan = Some(plan);
                    w.busy = false;
                }
            }
            Event::ImportProgress { done, total } => {
                if let Some(w) = &mut self.import {
                    w.progress = Some((done, total));
                }
            }
            Event::Imported(counts) => {
                let message = text::imported(&counts);
                if let Some(w) = &mut self.import {
                    w.busy = false;
                    w.progress = None;
                    w.done = Some(message.clone());
                }
                for kind in RecordKind::ALL {
                    self.list_mut(kind).sent.0.clear();
                    self.search_if_changed(kind);
                }
                self.info(message);
            }
            Event::PairScore(report) => self.matches.pair = Some(Ok(report)),
            Event::Matches { kind, id, list } if self.matches.source == Some((kind, id)) => {
                self.matches.results = Some(list);
                self.matches.busy = false;
            }
            Event::Meetings(list) => self.meetings.set_list(list),
            Event::Meeting(detail) => {
                self.meetings.set_detail(*detail);
                self.meeting_picks();
            }
            Event::MeetingConflicts { id, conflicts } => {
                let lines = conflicts.iter().map(|(d, c)| format!("{d}：{}", c.text())).collect();
                self.meetings.conflicts = Some((id, lines));
            }
            Event::MeetingProblem { id, error } => {
                self.meetings.busy = false;
                self.meetings.problem = Some((id, text::error(&error)));
            }
            Event::Done(d) => self.handle_done(&d),
            Event::Knowledge(k) => self.handle_knowledge(k),
            Event::KnowledgeIndexing { done, total } => self.handle_knowledge_indexing(done, total),
            Event::Backups { dir, list } => self.handle_backups(dir, list),
            Event::BackupPreview(info) => self.handle_preview(*info),
            Event::Review { kind, list } => self.handle_review(kind, list),
            Event::Classified { kind, count } => {
                let what = if kind == RecordKind::Expert { "位专家" } else { "条需求" };
                self.info(format!("已确认 {count} {what}的细分领域（可在操作日志中撤销）"));
            }
            Event::Log(entries) => self.handle_log(entries),
            Event::History { kind, id, entries } => self.handle_history(kind, id, entries),
            Event::Notice(n) => match n {
                crate::engine::Notice::IndexNotUpdated(_) => self.error(text::notice(&n)),
                _ => self.info(text::notice(&n)),
            },
            Event::Error(e) => self.handle_error(&e),
            _ => {}
        }
    }

    /// A failed command: the status line, and next to the form or view that asked.
    fn handle_error(&mut self, e: &crate::engine::EngineError) {
        let message = text::error(e);
        self.meetings.busy = false;
        if let Some(f) = &mut self.meetings.form {
            f.error = Some(message.clone());
        }
        if let Some(w) = &mut self.import {
            w.busy = false;
            w.progress = None;
        }
        if let Some(f) = &mut self.form {
            f.error = Some(message.clone());
        }
        self.matches.busy = false;
        self.followup_failed(&message);
        self.knowledge_failed(e);
        if !e.is_cancelled() || self.import.is_none() {
            self.error(message);
        }
    }

    /// A finished operation: the status line, and the knowledge editor for its own.
    fn handle_done(&mut self, d: &crate::engine::Done) {
        let message = text::done(d);
        if matches!(d, crate::engine::Done::KnowledgeChanged(_) | crate::engine::Done::KnowledgeExported { .. }) {
            self.knowledge.done = Some(message.clone());
        }
        self.info(message);
    }

    /// New list rows: the derived data follows.
    fn set_lists(&mut self, lists: Lists) {
        self.lists = lists;
        let tax = &self.taxonomy;
        let d = &mut self.derived;
        d.generation += 1;
        d.counts = (
            count_codes(tax, self.lists.experts.iter().map(|e| &e.subfields)),
            count_codes(tax, self.lists.demands.iter().map(|d| &d.subfields)),
        );
        d.unclassified = (
            self.lists.experts.iter().filter(|e| e.subfields.is_empty()).count(),
            self.lists.demands.iter().filter(|d| d.subfields.is_empty()).count(),
        );
        d.positions = (
            self.lists.experts.iter().enumerate().map(|(i, r)| (r.id, i)).collect(),
            self.lists.demands.iter().enumerate().map(|(i, r)| (r.id, i)).collect(),
        );
        d.subfield_names = (
            self.lists.experts.iter().map(|r| tax.names(&r.subfields)).collect(),
            self.lists.demands.iter().map(|r| tax.names(&r.subfields)).collect(),
        );
        for kind in RecordKind::ALL {
            self.refresh_visible(kind);
        }
        self.refresh_match_sources();
        let today = self.today();
        self.followup.expired_demands = (self.lists.demands.iter())
            .filter(|d| crate::domain::deadline_passed(&d.deadline, d.status, &today))
            .count();
    }

    /// Sends a search when a list's search text changed since the last request.
    pub fn search_if_changed(&mut self, kind: RecordKind) {
        let (text, subfield) = {
            let v = self.list(kind);
            (v.search.trim().to_string(), v.subfield.clone())
        };
        if text == self.list(kind).sent.0 {
            return;
        }
        self.seq += 1;
        let seq = self.seq;
        let v = self.list_mut(kind);
        v.sent = (text.clone(), seq);
        if text.is_empty() {
            v.hits = None;
            v.matched.clear();
            self.refresh_visible(kind);
            return;
        }
        let mut request = SearchRequest::new(kind, &text);
        // 未分类 is filtered here, not by the index.
        request.subfield = subfield.filter(|s| s != super::review::UNCLASSIFIED);
        request.limit = 500;
        self.send(Command::Search { seq, request });
    }

    /// Recomputes a list's visible rows (after its rows, hits, subfield filter or sort changed).
    pub fn refresh_visible(&mut self, kind: RecordKind) {
        let (lists, tax, d) = (&self.lists, &self.taxonomy, &self.derived);
        match kind {
            RecordKind::Expert => {
                self.experts.visible =
                    visible_rows(&lists.experts, (&d.positions.0, &d.subfield_names.0), &self.experts, tax);
            }
            RecordKind::Demand => {
                self.demands.visible =
                    visible_rows(&lists.demands, (&d.positions.1, &d.subfield_names.1), &self.demands, tax);
            }
        }
        // The detail panel shows only a record the list shows.
        let (rows, positions) = match kind {
            RecordKind::Expert => (&self.experts.visible, &self.derived.positions.0),
            RecordKind::Demand => (&self.demands.visible, &self.derived.positions.1),
        };
        let view = self.list(kind);
        if let Some(sel) = view.selected
            && positions.get(&sel).is_none_or(|i| !rows.contains(i))
        {
            self.list_mut(kind).selected = None;
        }
    }

    /// Recomputes the records offered in the 匹配建议 list: open demands, or available experts,
    /// whose name/organisation/编号 contains the filter.
    pub fn refresh_match_sources(&mut self) {
        let f = self.matches.filter.trim().to_lowercase();
        let has = |texts: [&str; 3]| f.is_empty() || texts.iter().any(|t| t.to_lowercase().contains(&f));
        self.matches.sources = if self.matches.from_demand {
            let rows = &self.lists.demands;
            (0..rows.len())
                .filter(|&i| matches!(rows[i].status, DemandStatus::Open | DemandStatus::InProgress))
                .filter(|&i| has([&rows[i].title, &rows[i].enterprise, &rows[i].ext_id]))
                .collect()
        } else {
            let rows = &self.lists.experts;
            (0..rows.len())
                .filter(|&i| rows[i].available)
                .filter(|&i| has([&rows[i].name, &rows[i].institution, &rows[i].ext_id]))
                .collect()
        };
    }

    /// Selects a row and asks for its details.
    pub fn select(&mut self, kind: RecordKind, id: i64) {
        self.list_mut(kind).selected = Some(id);
        self.send(load(kind, id));
        self.record_pairings(kind, id);
    }

    /// Starts matching from a record (and switches to the 匹配建议 tab).
    pub fn match_from(&mut self, kind: RecordKind, id: i64) {
        self.tab = Tab::Matches;
        if self.matches.from_demand != (kind == RecordKind::Demand) {
            self.matches.from_demand = kind == RecordKind::Demand;
            self.refresh_match_sources();
        }
        if self.matches.source != Some((kind, id)) {
            self.matches.pair = None;
        }
        self.matches.source = Some((kind, id));
        self.matches.results = None;
        self.matches.busy = true;
        let top = self.matches.top;
        self.send(match kind {
            RecordKind::Demand => Command::MatchDemand { id, top },
            RecordKind::Expert => Command::MatchExpert { id, top },
        });
        self.send(load(kind, id));
    }
}

impl AppState {
    /// Scores the selected record against the record typed in 单独评估 (by 编号, else by exact
    /// name or title, else by the only name containing the text).
    pub fn score_pair(&mut self) {
        let Some((kind, id)) = self.matches.source else { return };
        let q = self.matches.pair_query.trim();
        if q.is_empty() {
            return;
        }
        let other: Vec<(i64, &str, &str)> = match kind {
            RecordKind::Demand => {
                self.lists.experts.iter().map(|e| (e.id, e.ext_id.as_str(), e.name.as_str())).collect()
            }
            RecordKind::Expert => {
                self.lists.demands.iter().map(|d| (d.id, d.ext_id.as_str(), d.title.as_str())).collect()
            }
        };
        let by_code = other.iter().find(|o| o.1.eq_ignore_ascii_case(q));
        let by_name = || other.iter().find(|o| o.2 == q);
        let containing: Vec<_> = other.iter().filter(|o| o.2.contains(q)).collect();
        let found = by_code.or_else(by_name).map(|o| o.0).or(match containing.as_slice() {
            [one] => Some(one.0),
            _ => None,
        });
        let what = if kind == RecordKind::Demand { "专家" } else { "需求" };
        let Some(other_id) = found else {
            let text = if containing.len() > 1 {
                format!("有 {} 条{what}含「{q}」，请输入编号或完整名称", containing.len())
            } else {
                format!("没有找到{what}「{q}」")
            };
            self.matches.pair = Some(Err(text));
            return;
        };
        let (demand_id, expert_id) = match kind {
            RecordKind::Demand => (id, other_id),
            RecordKind::Expert => (other_id, id),
        };
        self.matches.pair = None;
        self.send(Command::ScorePair { demand_id, expert_id, target: kind.other() });
    }
}

fn load(kind: RecordKind, id: i64) -> Command {
    match kind {
        RecordKind::Expert => Command::LoadExpert(id),
        RecordKind::Demand => Command::LoadDemand(id),
    }
}

/// The rows a list shows: search hits in rank order (or all rows, which arrive sorted by 编号),
/// within the chosen subfield, sorted by another column when one is chosen.
fn visible_rows<R: ListRow>(
    rows: &[R],
    (positions, subfield_names): (&HashMap<i64, usize>, &[String]),
    view: &ListView,
    tax: &Taxonomy,
) -> Vec<usize> {
    let mut idx: Vec<usize> = match &view.hits {
        Some(hits) => hits.iter().filter_map(|h| positions.get(&h.id).copied()).collect(),
        None => (0..rows.len()).collect(),
    };
    match view.subfield.as_deref() {
        Some(super::review::UNCLASSIFIED) => idx.retain(|&i| rows[i].subfields().is_empty()),
        Some(s) => idx.retain(|&i| rows[i].subfields().iter().any(|c| c == s || tax.field_of(c) == s)),
        None => {}
    }
    let (col, asc) = view.sort;
    // 姓名/单位 (需求名称/企业) in pinyin order, as Chinese users expect: keys made only when
    // sorting by them, once per row.
    if matches!(col, SortCol::Name | SortCol::Org) {
        idx.sort_by_cached_key(|&i| (pinyin_key(rows[i].cell(col)), rows[i].ext_id().to_string()));
        if !asc {
            idx.reverse();
        }
        return idx;
    }
    if col != SortCol::Id || !asc {
        idx.sort_by(|&a, &b| {
            let o = match col {
                SortCol::Subfield => subfield_names[a].cmp(&subfield_names[b]),
                col => rows[a].cmp_col(&rows[b], col),
            }
            .then(rows[a].ext_id().cmp(rows[b].ext_id()));
            if asc { o } else { o.reverse() }
        });
    }
    idx
}

/// How many records carry each code; a field counts the records of all its subfields once.
fn count_codes<'a>(tax: &Taxonomy, lists: impl Iterator<Item = &'a Vec<String>>) -> HashMap<String, usize> {
    let mut out: HashMap<String, usize> = HashMap::new();
    for codes in lists {
        let mut fields: Vec<&str> = Vec::new();
        for c in codes {
            *out.entry(c.clone()).or_default() += usize::from(tax.field_of(c) != c);
            let f = tax.field_of(c);
            if !fields.contains(&f) {
                fields.push(f);
            }
        }
        for f in fields {
            *out.entry(f.to_string()).or_default() += 1;
        }
    }
    out
}
