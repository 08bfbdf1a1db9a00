//! The GUI's state and how engine events change it — plain data, no egui, no I/O, so it is easy
//! to test. Views read it and push [`Command`]s into `outbox`; the shell sends them.

use std::collections::HashMap;

use super::meetings::MeetingsView;
use crate::domain::{Demand, DemandStatus, Enterprise, Expert, Taxonomy};
use crate::engine::{Command, Event, Lists, MeetingCommand, Undo};
use crate::io::ImportPlan;
use crate::matching::Suggestion;
use crate::search::{OpenOutcome, RecordKind, SearchHit, SearchRequest};
use crate::store::{DemandRow, ExpertRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Tab {
    Experts,
    Demands,
    Matches,
    Meetings,
    Settings,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Experts, Tab::Demands, Tab::Matches, Tab::Meetings, Tab::Settings];
    pub fn label(self) -> &'static str {
        match self {
            Tab::Experts => "专家人才库",
            Tab::Demands => "企业需求",
            Tab::Matches => "匹配建议",
            Tab::Meetings => "对接会",
            Tab::Settings => "设置",
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
    /// Hits of the latest search (row id → matched terms), in rank order.
    pub hits: Option<Vec<SearchHit>>,
    pub subfield: Option<String>,
    pub sort: (SortCol, bool),
    pub selected: Option<i64>,
    pub focus_search: bool,
    /// Row indices (into the lists) currently shown, recomputed when inputs change.
    pub visible: Vec<usize>,
    pub dirty: bool,
}

impl ListView {
    fn new(kind: RecordKind) -> Self {
        ListView {
            kind,
            search: String::new(),
            sent: (String::new(), 0),
            hits: None,
            subfield: None,
            sort: (SortCol::Id, true),
            selected: None,
            focus_search: false,
            visible: Vec::new(),
            dirty: true,
        }
    }
}

/// The record being edited in the form window.
#[derive(Debug, Clone)]
pub enum Form {
    Expert(Box<Expert>, FormText),
    Demand(Box<Demand>, FormText),
    Enterprise(Box<Enterprise>, FormText),
}

/// Form fields kept as text while editing (lists and numbers are parsed on save).
#[derive(Debug, Clone, Default)]
pub struct FormText {
    pub keywords: String,
    pub budget: String,
    /// An enterprise's 回避单位 and 回避专家, as typed.
    pub avoid_units: String,
    pub avoid_persons: String,
    pub error: Option<String>,
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
    sources_key: Option<(bool, String, u64)>,
}

/// The status line: a message, and whether it is an error (errors stay until dismissed).
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

pub struct AppState {
    pub tab: Tab,
    pub ready: bool,
    pub db_path: String,
    pub index_note: String,
    pub taxonomy: Taxonomy,
    pub lists: Lists,
    /// Counts of experts and demands per subfield code (fields include their children).
    pub counts: (HashMap<String, usize>, HashMap<String, usize>),
    /// Row id → index in `lists.experts` / `lists.demands` (built once per list load, so search
    /// results map to rows without work proportional to the list size).
    positions: (HashMap<i64, usize>, HashMap<i64, usize>),
    pub experts: ListView,
    pub demands: ListView,
    pub expert_detail: Option<Box<Expert>>,
    pub demand_detail: Option<Box<Demand>>,
    /// The enterprise of the demand shown in the detail panel.
    pub enterprise_detail: Option<Box<Enterprise>>,
    pub form: Option<Form>,
    pub confirm_delete: Option<(RecordKind, i64, String)>,
    pub undo: Option<Undo>,
    pub import: Option<ImportWizard>,
    pub matches: MatchView,
    pub meetings: MeetingsView,
    /// Seconds to add to UTC for local wall-clock time (from the engine; for the projector's clock).
    pub utc_offset: i64,
    pub status: Option<Status>,
    pub outbox: Vec<Command>,
    seq: u64,
    /// Bumped whenever new list rows arrive (so derived views know to recompute).
    lists_gen: u64,
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
            counts: Default::default(),
            positions: Default::default(),
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
                sources_key: None,
            },
            meetings: MeetingsView::default(),
            utc_offset: 8 * 3600,
            status: None,
            outbox: Vec::new(),
            seq: 0,
            lists_gen: 0,
        }
    }

    pub fn send(&mut self, c: Command) {
        self.outbox.push(c);
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

    /// Applies one engine event.
    pub fn handle(&mut self, event: Event) {
        match event {
            Event::Ready { db, index, demo_loaded, taxonomy, utc_offset } => {
                self.ready = true;
                self.utc_offset = utc_offset;
                self.send(Command::Meeting(MeetingCommand::List));
                // The engine's taxonomy includes the staff's own knowledge files, if any.
                self.taxonomy = *taxonomy;
                self.db_path = db.display().to_string();
                self.index_note = match index {
                    OpenOutcome::Reused => "搜索索引已就绪".into(),
                    OpenOutcome::Rebuilt(why) => format!("搜索索引已重建（{why}）"),
                };
                if demo_loaded {
                    self.info("数据库为空，已载入内置演示数据（虚构）");
                }
            }
            Event::Lists(l) => {
                self.lists = *l;
                self.lists_gen += 1;
                self.counts = (
                    count_codes(&self.taxonomy, self.lists.experts.iter().map(|e| &e.subfields)),
                    count_codes(&self.taxonomy, self.lists.demands.iter().map(|d| &d.subfields)),
                );
                self.positions = (
                    self.lists.experts.iter().enumerate().map(|(i, r)| (r.id, i)).collect(),
                    self.lists.demands.iter().enumerate().map(|(i, r)| (r.id, i)).collect(),
                );
                self.experts.dirty = true;
                self.demands.dirty = true;
            }
            Event::SearchResults { seq, kind, hits } => {
                let view = self.list_mut(kind);
                if seq == view.sent.1 {
                    view.hits = Some(hits);
                    view.dirty = true;
                }
            }
            Event::Expert(e) => {
                if self.experts.selected == Some(e.id) || self.matches.source == Some((RecordKind::Expert, e.id)) {
                    self.expert_detail = Some(e);
                }
            }
            Event::Demand(d) => {
                if self.demands.selected == Some(d.id) || self.matches.source == Some((RecordKind::Demand, d.id)) {
                    self.demand_detail = Some(d);
                }
            }
            Event::Enterprise(en) => {
                if matches!(&self.form, Some(Form::Enterprise(f, _)) if f.id == en.id) {
                    self.form = None;
                }
                if self.demand_detail.as_ref().is_some_and(|d| d.enterprise_id == Some(en.id)) {
                    if let Some(d) = &mut self.demand_detail {
                        d.enterprise = en.name.clone();
                    }
                    self.enterprise_detail = Some(en);
                }
            }
            Event::Saved { kind, id, message } => {
                self.form = None;
                self.info(message);
                let view = self.list_mut(kind);
                view.selected = Some(id);
                view.sent.0.clear(); // re-run the search: the record may now match
                self.send(match kind {
                    RecordKind::Expert => Command::LoadExpert(id),
                    RecordKind::Demand => Command::LoadDemand(id),
                });
            }
            Event::Deleted { undo, message } => {
                match &undo {
                    Undo::Expert(_) => {
                        self.experts.selected = None;
                        self.expert_detail = None;
                        self.experts.sent.0.clear();
                    }
                    Undo::Demand(_) => {
                        self.demands.selected = None;
                        self.demand_detail = None;
                        self.demands.sent.0.clear();
                    }
                }
                self.undo = Some(undo);
                self.info(message);
            }
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
            Event::Imported { message, .. } => {
                if let Some(w) = &mut self.import {
                    w.busy = false;
                    w.progress = None;
                    w.done = Some(message.clone());
                }
                self.experts.sent.0.clear();
                self.demands.sent.0.clear();
                self.info(message);
            }
            Event::Matches { kind, id, list } => {
                if self.matches.source == Some((kind, id)) {
                    self.matches.results = Some(list);
                    self.matches.busy = false;
                }
            }
            Event::Meetings(list) => {
                let m = &mut self.meetings;
                if m.selected.is_some_and(|id| !list.iter().any(|x| x.id == id)) {
                    m.selected = None;
                    m.detail = None;
                    m.projection = None;
                }
                m.list = list;
            }
            Event::Meeting(detail) => {
                let m = &mut self.meetings;
                m.busy = false;
                if m.selected.is_none() || m.form.as_ref().is_some_and(|f| f.id == 0) {
                    // A meeting just created: show it.
                    m.selected = Some(detail.meeting().id);
                    m.form = None;
                }
                if m.selected == Some(detail.meeting().id) {
                    if m.problem.as_ref().is_some_and(|(id, _)| *id != detail.meeting().id) {
                        m.problem = None;
                    }
                    m.detail = Some(std::sync::Arc::new(*detail));
                }
            }
            Event::MeetingConflicts { id, conflicts } => self.meetings.conflicts = Some((id, conflicts)),
            Event::MeetingProblem { id, message } => {
                self.meetings.busy = false;
                self.meetings.problem = Some((id, message));
            }
            Event::Info(text) => self.info(text),
            Event::Error(text) => {
                self.meetings.busy = false;
                if let Some(f) = &mut self.meetings.form {
                    f.error = Some(text.clone());
                }
                if let Some(w) = &mut self.import {
                    w.busy = false;
                    w.progress = None;
                }
                self.matches.busy = false;
                self.status = Some(Status { text, error: true });
            }
        }
    }

    /// Sends a search when a list's search text changed since the last request.
    pub fn search_if_changed(&mut self, kind: RecordKind) {
        let (text, subfield) = {
            let v = self.list_mut(kind);
            (v.search.trim().to_string(), v.subfield.clone())
        };
        if text == self.list_mut(kind).sent.0 {
            return;
        }
        self.seq += 1;
        let seq = self.seq;
        let v = self.list_mut(kind);
        v.sent = (text.clone(), seq);
        if text.is_empty() {
            v.hits = None;
            v.dirty = true;
            return;
        }
        let mut request = SearchRequest::new(kind, &text);
        request.subfield = subfield;
        request.limit = 500;
        self.send(Command::Search { seq, request });
    }

    /// Recomputes a list's visible rows when needed (not every frame).
    pub fn refresh_visible(&mut self, kind: RecordKind) {
        let (lists, tax, positions) = (&self.lists, &self.taxonomy, &self.positions);
        match kind {
            RecordKind::Expert => visible_rows(&lists.experts, &positions.0, &mut self.experts, tax),
            RecordKind::Demand => visible_rows(&lists.demands, &positions.1, &mut self.demands, tax),
        }
    }

    /// Recomputes the records offered in the 匹配建议 list when the mode, filter or lists changed:
    /// open demands, or available experts, whose name/organisation/编号 contains the filter.
    pub fn refresh_match_sources(&mut self) {
        let f = self.matches.filter.trim().to_lowercase();
        let key = (self.matches.from_demand, f.clone(), self.lists_gen);
        if self.matches.sources_key.as_ref() == Some(&key) {
            return;
        }
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
        self.matches.sources_key = Some(key);
    }

    /// Selects a row and asks for its details.
    pub fn select(&mut self, kind: RecordKind, id: i64) {
        self.list_mut(kind).selected = Some(id);
        self.send(match kind {
            RecordKind::Expert => Command::LoadExpert(id),
            RecordKind::Demand => Command::LoadDemand(id),
        });
    }

    /// Starts matching from a record (and switches to the 匹配建议 tab).
    pub fn match_from(&mut self, kind: RecordKind, id: i64) {
        self.tab = Tab::Matches;
        self.matches.from_demand = kind == RecordKind::Demand;
        self.matches.source = Some((kind, id));
        self.matches.results = None;
        self.matches.busy = true;
        let top = self.matches.top;
        self.send(match kind {
            RecordKind::Demand => Command::MatchDemand { id, top },
            RecordKind::Expert => Command::MatchExpert { id, top },
        });
        self.send(match kind {
            RecordKind::Demand => Command::LoadDemand(id),
            RecordKind::Expert => Command::LoadExpert(id),
        });
    }
}

/// What the list views need of a row to filter and sort it.
trait ListRow {
    fn ext_id(&self) -> &str;
    fn subfields(&self) -> &[String];
    /// Order by a column other than 编号 (ties are then broken by 编号).
    fn cmp_col(&self, other: &Self, col: SortCol, tax: &Taxonomy) -> std::cmp::Ordering;
}

fn subfield_names(tax: &Taxonomy, codes: &[String]) -> String {
    codes.iter().map(|c| tax.name(c).unwrap_or(c)).collect::<Vec<_>>().join("、")
}

impl ListRow for ExpertRow {
    fn ext_id(&self) -> &str {
        &self.ext_id
    }
    fn subfields(&self) -> &[String] {
        &self.subfields
    }
    fn cmp_col(&self, y: &Self, col: SortCol, tax: &Taxonomy) -> std::cmp::Ordering {
        match col {
            SortCol::Name => self.name.cmp(&y.name),
            SortCol::Org => self.institution.cmp(&y.institution),
            SortCol::Title => self.title.cmp(&y.title),
            SortCol::Subfield => subfield_names(tax, &self.subfields).cmp(&subfield_names(tax, &y.subfields)),
            _ => std::cmp::Ordering::Equal,
        }
    }
}

impl ListRow for DemandRow {
    fn ext_id(&self) -> &str {
        &self.ext_id
    }
    fn subfields(&self) -> &[String] {
        &self.subfields
    }
    fn cmp_col(&self, y: &Self, col: SortCol, tax: &Taxonomy) -> std::cmp::Ordering {
        match col {
            SortCol::Name => self.title.cmp(&y.title),
            SortCol::Org => self.enterprise.cmp(&y.enterprise),
            SortCol::Subfield => subfield_names(tax, &self.subfields).cmp(&subfield_names(tax, &y.subfields)),
            SortCol::Status => self.status.cmp(&y.status),
            SortCol::Deadline => self.deadline.cmp(&y.deadline),
            _ => std::cmp::Ordering::Equal,
        }
    }
}

/// The rows a list shows: search hits in rank order (or all rows, which arrive sorted by 编号),
/// within the chosen subfield, sorted by another column when one is chosen.
fn visible_rows<R: ListRow>(rows: &[R], positions: &HashMap<i64, usize>, view: &mut ListView, tax: &Taxonomy) {
    if !view.dirty {
        return;
    }
    view.dirty = false;
    let mut idx: Vec<usize> = match &view.hits {
        Some(hits) => hits.iter().filter_map(|h| positions.get(&h.id).copied()).collect(),
        None => (0..rows.len()).collect(),
    };
    if let Some(s) = &view.subfield {
        idx.retain(|&i| rows[i].subfields().iter().any(|c| c == s || tax.field_of(c) == s));
    }
    let (col, asc) = view.sort;
    if col != SortCol::Id || !asc {
        idx.sort_by(|&a, &b| {
            let (x, y) = (&rows[a], &rows[b]);
            let o = x.cmp_col(y, col, tax).then(x.ext_id().cmp(y.ext_id()));
            if asc { o } else { o.reverse() }
        });
    }
    view.visible = idx;
}

/// How many records carry each code; a field counts the records of all its subfields once.
fn count_codes<'a>(tax: &Taxonomy, lists: impl Iterator<Item = &'a Vec<String>>) -> HashMap<String, usize> {
    let mut out: HashMap<String, usize> = HashMap::new();
    for codes in lists {
        let mut fields: Vec<&str> = Vec::new();
        for c in codes {
            *out.entry(c.clone()).or_default() += (tax.field_of(c) != c) as usize;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, ext: &str, name: &str, subs: &[&str]) -> ExpertRow {
        ExpertRow {
            id,
            ext_id: ext.into(),
            name: name.into(),
            institution: String::new(),
            title: String::new(),
            region: String::new(),
            subfields: subs.iter().map(|s| s.to_string()).collect(),
            available: true,
        }
    }

    #[test]
    fn lists_are_counted_filtered_sorted_and_stale_searches_ignored() {
        let mut s = AppState::new(Taxonomy::builtin());
        let lists = Lists {
            // As the store returns them: sorted by 编号.
            experts: vec![
                row(2, "E1", "甲", &["FL02", "FL01"]),
                row(1, "E2", "乙", &["FL01"]),
                row(3, "E3", "丙", &["SC01"]),
            ],
            ..Default::default()
        };
        s.handle(Event::Lists(Box::new(lists)));
        assert_eq!(s.counts.0.get("FL"), Some(&2), "a field counts each record once");
        assert_eq!(s.counts.0.get("FL01"), Some(&2));
        s.refresh_visible(RecordKind::Expert);
        assert_eq!(s.experts.visible, vec![0, 1, 2], "by 编号");
        s.experts.sort = (SortCol::Name, true);
        s.experts.dirty = true;
        s.refresh_visible(RecordKind::Expert);
        assert_eq!(s.experts.visible, vec![2, 1, 0], "by name: 丙 < 乙 < 甲 in code point order");
        s.experts.sort = (SortCol::Id, false);
        s.experts.subfield = Some("FL".into());
        s.experts.dirty = true;
        s.refresh_visible(RecordKind::Expert);
        assert_eq!(s.experts.visible, vec![1, 0], "field filter, 编号 descending");
        s.experts.sort = (SortCol::Id, true);

        s.experts.search = "碳化硅".into();
        s.search_if_changed(RecordKind::Expert);
        assert!(matches!(s.outbox.last(), Some(Command::Search { .. })));
        let seq = s.experts.sent.1;
        s.handle(Event::SearchResults { seq: seq - 1, kind: RecordKind::Expert, hits: vec![] });
        assert!(s.experts.hits.is_none(), "an older search's results are ignored");
        s.handle(Event::SearchResults {
            seq,
            kind: RecordKind::Expert,
            hits: vec![SearchHit { id: 1, score: 1.0, matched_terms: vec![] }],
        });
        s.refresh_visible(RecordKind::Expert);
        assert_eq!(s.experts.visible, vec![1], "hit id 1 is the row at index 1");
    }

    #[test]
    fn match_sources_filter_available_experts_and_follow_new_lists() {
        let mut s = AppState::new(Taxonomy::builtin());
        let mut away = row(3, "E3", "丙", &[]);
        away.available = false;
        let lists = Lists {
            experts: vec![row(1, "E1", "张伟", &[]), row(2, "E2", "李娜", &[]), away],
            ..Default::default()
        };
        s.handle(Event::Lists(Box::new(lists.clone())));
        s.matches.from_demand = false;
        s.refresh_match_sources();
        assert_eq!(s.matches.sources, vec![0, 1], "unavailable experts are not offered");
        s.matches.filter = "李".into();
        s.refresh_match_sources();
        assert_eq!(s.matches.sources, vec![1]);
        let mut more = lists;
        more.experts.push(row(4, "E4", "李强", &[]));
        s.handle(Event::Lists(Box::new(more)));
        s.refresh_match_sources();
        assert_eq!(s.matches.sources, vec![1, 3], "recomputed when new rows arrive");
    }

    #[test]
    fn errors_stay_and_deletions_can_be_undone() {
        let mut s = AppState::new(Taxonomy::builtin());
        s.handle(Event::Error("保存失败".into()));
        assert_eq!(s.status, Some(Status { text: "保存失败".into(), error: true }));
        let e = Expert { id: 5, name: "张伟".into(), ..Default::default() };
        s.experts.selected = Some(5);
        s.handle(Event::Deleted { undo: Undo::Expert(Box::new(e)), message: "已删除".into() });
        assert!(s.undo.is_some() && s.experts.selected.is_none());
    }
}
