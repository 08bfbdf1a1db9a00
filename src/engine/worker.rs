//! The engine thread: a named worker (`bole-engine`) that owns the [`Core`] — the only SQLite
//! connection and the only index writer of the GUI. The UI sends [`Command`]s and receives
//! [`Event`]s over bounded channels; after each event the worker asks the UI to repaint. The
//! worker only translates: every rule lives in [`Core`]. Outcomes and errors travel typed
//! ([`Done`], [`EngineError`]); the UI words them.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::time::Duration;

use super::core::{Lists, Undo};
use super::error::{EngineError, Result};
use super::{AssignReport, Core, MeetingSpec, ScheduleReport};
use crate::domain::meeting::{Conflict, Meeting, MeetingDetail, MeetingSummary};
use crate::domain::{Demand, Enterprise, ExclusionKind, Expert, RecordKind, Taxonomy};
use crate::io::ImportPlan;
use crate::io::import::Counts;
use crate::io::sheets::{SheetFormat, SheetOptions};
use crate::matching::Suggestion;
use crate::search::{OpenOutcome, SearchHit, SearchRequest};
use crate::store;

/// How often the idle worker looks for changes made by another process.
const FOLLOW_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, Clone)]
pub enum Command {
    /// Reload the list rows (after any write the worker does this by itself).
    LoadLists,
    Search {
        seq: u64,
        request: SearchRequest,
    },
    LoadExpert(i64),
    LoadDemand(i64),
    /// Insert (id 0) or update an expert.
    SaveExpert(Box<Expert>),
    /// Insert (id 0) or update a demand; its enterprise is found or created by `demand.enterprise`.
    SaveDemand(Box<Demand>),
    /// Update an enterprise (name, credit code, park, contact, phone).
    SaveEnterprise(Box<Enterprise>),
    DeleteExpert(i64),
    DeleteDemand(i64),
    Restore(Box<Undo>),
    PlanImport {
        path: PathBuf,
        kind: RecordKind,
    },
    /// Plans the file again (the database may have changed) and commits it.
    CommitImport {
        path: PathBuf,
        kind: RecordKind,
        merge_duplicates: bool,
    },
    SaveRejected {
        plan: Box<ImportPlan>,
        path: PathBuf,
    },
    MatchDemand {
        id: i64,
        top: usize,
    },
    MatchExpert {
        id: i64,
        top: usize,
    },
    /// Explains one pair, suggested or not.
    ScorePair {
        demand_id: i64,
        expert_id: i64,
        /// The side being suggested (how the result is worded and ranked).
        target: RecordKind,
    },
    SetExclusion {
        expert_id: i64,
        enterprise_id: i64,
        kind: Option<ExclusionKind>,
    },
    SetAvailable {
        expert_id: i64,
        available: bool,
    },
    AddPairing {
        expert_id: i64,
        demand_id: i64,
        score: f64,
        reasons: String,
    },
    Reindex,
    /// Matchmaking meetings (对接会).
    Meeting(MeetingCommand),
    /// Backups, the change log, list export, demo data (设置 → 数据安全).
    Data(DataCommand),
    /// 对接跟踪 and 统计 (`worker_followup.rs`).
    Followup(super::worker_followup::FollowupCommand),
    /// 归类审核: the records without confirmed subfields and their suggestions ([`Event::Review`]).
    LoadReview(RecordKind),
    /// Confirm one record's subfields.
    SetSubfields {
        kind: RecordKind,
        row: i64,
        codes: Vec<String>,
    },
    /// Confirm every unclassified record's best suggestion at or above a confidence.
    AcceptAbove {
        kind: RecordKind,
        threshold: f64,
    },
    /// 设置 → 知识库: the knowledge in use ([`Event::Knowledge`]).
    LoadKnowledge,
    /// One checked change of the knowledge; the index is rebuilt with it
    /// ([`Event::KnowledgeIndexing`], then [`Event::Knowledge`] and [`Done::KnowledgeChanged`]).
    EditKnowledge(Box<crate::domain::KnowledgeEdit>),
    /// Write the knowledge files into a folder (导出知识文件).
    ExportKnowledge(PathBuf),
    /// Replace the knowledge by the files of a folder, checked whole first (导入知识文件).
    ImportKnowledge(PathBuf),
}

/// What 设置's data-safety section asks of the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum DataCommand {
    /// The backups folder and its backups ([`Event::Backups`]).
    ListBackups,
    BackupNow,
    SetBackupDir(PathBuf),
    /// Read what a backup file holds ([`Event::BackupPreview`]), before restoring from it.
    Preview(PathBuf),
    /// Replace the database with a backup (a backup of the current data is taken first).
    Restore(PathBuf),
    ClearDemo,
    ExportList {
        kind: RecordKind,
        path: PathBuf,
    },
    /// The newest actions of the change log ([`Event::Log`]).
    LoadLog,
    /// Undo one action (None: the newest one that can be undone).
    Undo(Option<i64>),
    /// One record's history ([`Event::History`]).
    History {
        kind: RecordKind,
        id: i64,
    },
}

/// One action of the change log with (the first of) its row changes.
pub type LogEntry = (crate::store::changelog::Batch, Vec<crate::store::changelog::RowChange>);

/// What the 对接会 view asks of the engine. Each write answers with the meeting reloaded
/// ([`Event::Meeting`]) and the list of meetings ([`Event::Meetings`]).
#[derive(Debug, Clone)]
pub enum MeetingCommand {
    List,
    Load(i64),
    Create(Box<MeetingSpec>),
    Update(Box<Meeting>),
    Delete(i64),
    /// Pair (again): locked pairs stay, the rest is re-optimised.
    Assign(i64),
    Schedule(i64),
    Lock {
        id: i64,
        demand: i64,
        expert: i64,
        locked: bool,
    },
    Remove {
        id: i64,
        demand: i64,
        expert: i64,
    },
    Add {
        id: i64,
        demand: i64,
        expert: i64,
    },
    /// Fix a pairing at (slot, table), or free it (None).
    Place {
        id: i64,
        demand: i64,
        expert: i64,
        place: Option<(u32, u32)>,
    },
    /// Add participants by 编号.
    AddDemands {
        id: i64,
        ext_ids: Vec<String>,
    },
    AddExperts {
        id: i64,
        ext_ids: Vec<String>,
    },
    RemoveDemand {
        id: i64,
        demand: i64,
    },
    /// Per-expert cap / per-demand bounds for this meeting (None = the meeting's default).
    SetCap {
        id: i64,
        expert: i64,
        cap: Option<u32>,
    },
    SetBounds {
        id: i64,
        demand: i64,
        min: Option<u32>,
        max: Option<u32>,
    },
    /// The meeting day: check-in of parties (None clears it).
    Checkin {
        id: i64,
        parties: Vec<crate::domain::meeting::Party>,
        presence: Option<crate::domain::meeting::Presence>,
    },
    /// After a no-show: re-plan the slots that have not started.
    Replan {
        id: i64,
        from: super::meeting_day::ReplanFrom,
    },
    /// One sitting's result, written to the pairing's follow-up too.
    SittingResult {
        id: i64,
        demand: i64,
        expert: i64,
        result: crate::domain::followup::SittingResult,
    },
    RemoveExpert {
        id: i64,
        expert: i64,
    },
    Export {
        id: i64,
        format: SheetFormat,
        contacts: bool,
        path: PathBuf,
    },
}

/// What the worker tells the UI.
#[derive(Debug)]
pub enum Event {
    /// The database and index are open. `demo_loaded` when the empty database got the demo data.
    Ready {
        db: PathBuf,
        index: OpenOutcome,
        demo_loaded: bool,
        /// The taxonomy in use, including the staff's own knowledge files.
        taxonomy: Box<Taxonomy>,
    },
    Lists(Box<Lists>),
    SearchResults {
        seq: u64,
        kind: RecordKind,
        hits: Vec<SearchHit>,
    },
    Expert(Box<Expert>),
    Demand(Box<Demand>),
    Enterprise(Box<Enterprise>),
    /// A record was saved (or restored): its kind, row id and name.
    Saved {
        kind: RecordKind,
        id: i64,
        name: String,
        restored: bool,
    },
    /// A record was deleted; the token undoes it.
    Deleted(Box<Undo>),
    ImportPlanned {
        plan: Box<ImportPlan>,
        path: PathBuf,
    },
    ImportProgress {
        done: usize,
        total: usize,
    },
    Imported(Counts),
    Matches {
        kind: RecordKind,
        id: i64,
        list: Vec<Suggestion>,
    },
    PairScore(Box<super::PairReport>),
    Meetings(Vec<MeetingSummary>),
    Meeting(Box<MeetingDetail>),
    /// A meeting was paired: the candidate pairs its 回避 rules left out.
    MeetingConflicts {
        id: i64,
        conflicts: Vec<(String, Conflict)>,
    },
    /// A meeting could not be paired or scheduled, or a pair not added: why.
    MeetingProblem {
        id: i64,
        error: EngineError,
    },
    /// The backups folder and its backups, newest first.
    Backups {
        dir: PathBuf,
        list: Vec<super::BackupInfo>,
    },
    /// The review queue of a kind: records without confirmed subfields, with suggestions.
    Review {
        kind: RecordKind,
        list: Vec<super::Classified>,
    },
    /// Records confirmed by 归类审核 (how many).
    Classified {
        kind: RecordKind,
        count: usize,
    },
    /// What a backup file holds.
    BackupPreview(Box<super::BackupInfo>),
    /// The newest actions of the change log.
    Log(Vec<LogEntry>),
    /// One record's history, newest first.
    History {
        kind: RecordKind,
        id: i64,
        entries: Vec<LogEntry>,
    },
    /// 对接跟踪 and 统计's answers (`worker_followup.rs`).
    Followup(Box<super::worker_followup::FollowupEvent>),
    /// The knowledge in use (after loading it or after a change).
    Knowledge(Box<crate::domain::Knowledge>),
    /// The index being rebuilt with new knowledge: records done of total.
    KnowledgeIndexing {
        done: usize,
        total: usize,
    },
    /// Something finished that the status line reports.
    Done(Done),
    /// Something that happened besides a command's result (the index rebuilt, another process's
    /// changes picked up).
    Notice(super::Notice),
    Error(EngineError),
}

/// A finished operation worth a line in the status bar.
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    EnterpriseSaved(String),
    /// An expert–enterprise mark set (`Some`) or cleared.
    Exclusion {
        expert: String,
        kind: Option<ExclusionKind>,
    },
    Availability {
        expert: String,
        available: bool,
    },
    /// 加入对接: `added` false when the pair was already recorded.
    Pairing {
        added: bool,
    },
    Reindexed(usize),
    RejectedSaved(PathBuf),
    MeetingCreated {
        name: String,
        demands: usize,
        experts: usize,
    },
    MeetingSaved(String),
    MeetingDeleted,
    Assigned(AssignReport),
    Scheduled(ScheduleReport),
    PairRemoved,
    PairAdded,
    DemandsAdded(usize),
    ExpertsAdded(usize),
    Exported {
        format: SheetFormat,
        path: PathBuf,
        contacts: bool,
        /// Characters the PDF could not print (shown as □).
        unprintable: Vec<char>,
    },
    BackedUp(PathBuf),
    BackupDirSet(PathBuf),
    /// Restored from a backup; the data before was backed up to `before`.
    Restored {
        from: PathBuf,
        before: PathBuf,
    },
    DemoCleared(crate::store::DemoCleared),
    ListExported {
        kind: RecordKind,
        count: usize,
        path: PathBuf,
    },
    /// The knowledge changed (edited or imported).
    KnowledgeChanged(super::KnowledgeChanged),
    /// The knowledge files written into a folder.
    KnowledgeExported {
        dir: PathBuf,
        files: usize,
    },
    /// An action undone (its summary).
    Undone {
        action: String,
        summary: String,
    },
}

/// The UI's handle on the worker.
pub struct Engine {
    tx: Option<SyncSender<Command>>,
    rx: Receiver<Event>,
    cancel: Arc<AtomicBool>,
    pending: std::collections::VecDeque<Command>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Engine {
    /// Closes the command channel and waits for the worker, so the database and the index writer
    /// are released before the process (or a test) opens them again.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Engine {
    /// Starts the worker on `db`. When the database is empty and `demo_if_empty`, the demo data
    /// is loaded. `repaint` is called after every event (egui's `request_repaint`).
    pub fn start(db: PathBuf, demo_if_empty: bool, repaint: impl Fn() + Send + 'static) -> Engine {
        let (tx, cmd_rx) = sync_channel::<Command>(64);
        let (ev_tx, rx) = sync_channel::<Event>(256);
        let cancel = Arc::new(AtomicBool::new(false));
        let cancel2 = cancel.clone();
        let thread = std::thread::Builder::new()
            .name("bole-engine".into())
            .spawn(move || {
                let send = |e: Event| {
                    let _ = ev_tx.send(e);
                    repaint();
                };
                let mut core = match Core::open(&db) {
                    Ok(c) => c,
                    Err(e) => {
                        send(Event::Error(e));
                        return;
                    }
                };
                let mut demo_loaded = false;
                if demo_if_empty && core.is_empty().unwrap_or(false) {
                    match core.load_demo(&mut |_, _| {}) {
                        Ok(_) => demo_loaded = true,
                        Err(e) => send(Event::Error(e)),
                    }
                }
                send(Event::Ready {
                    db: db.clone(),
                    index: core.index_outcome.clone(),
                    demo_loaded,
                    taxonomy: Box::new(core.knowledge.taxonomy.clone()),
                });
                send(lists(&core));
                loop {
                    match cmd_rx.recv_timeout(FOLLOW_EVERY) {
                        Ok(cmd) => run(&mut core, cmd, &cancel2, &send),
                        // Idle: pick up what another Bole process (the command line) committed.
                        Err(RecvTimeoutError::Timeout) => match core.follow_external() {
                            Ok(true) => send(lists(&core)),
                            Ok(false) => {}
                            Err(e) => send(Event::Error(e)),
                        },
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                    for n in core.take_notices() {
                        send(Event::Notice(n));
                    }
                }
            })
            .expect("spawn the engine thread");
        Engine { tx: Some(tx), rx, cancel, pending: Default::default(), thread: Some(thread) }
    }

    /// Queues a command without ever blocking the UI.
    pub fn send(&mut self, cmd: Command) {
        if matches!(cmd, Command::CommitImport { .. }) {
            self.cancel.store(false, Ordering::Relaxed);
        }
        self.pending.push_back(cmd);
        self.flush();
    }

    fn flush(&mut self) {
        let Some(tx) = &self.tx else { return };
        while let Some(cmd) = self.pending.pop_front() {
            match tx.try_send(cmd) {
                Ok(()) => {}
                Err(TrySendError::Full(cmd)) => {
                    self.pending.push_front(cmd);
                    return;
                }
                Err(TrySendError::Disconnected(_)) => return,
            }
        }
    }

    /// Events that arrived since the last call.
    pub fn poll(&mut self) -> Vec<Event> {
        self.flush();
        self.rx.try_iter().collect()
    }

    /// Asks a running import to stop; it is rolled back.
    pub fn cancel_import(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

fn lists(core: &Core) -> Event {
    match core.lists() {
        Ok(l) => Event::Lists(Box::new(l)),
        Err(e) => Event::Error(e),
    }
}

/// Runs one command; its error is reported once, as an event.
fn run(core: &mut Core, cmd: Command, cancel: &AtomicBool, send: &dyn Fn(Event)) {
    let result = match cmd {
        Command::Meeting(m) => meeting(core, m, send),
        c @ (Command::PlanImport { .. } | Command::CommitImport { .. } | Command::SaveRejected { .. }) => {
            import(core, c, cancel, send)
        }
        c @ (Command::MatchDemand { .. }
        | Command::MatchExpert { .. }
        | Command::ScorePair { .. }
        | Command::SetExclusion { .. }
        | Command::SetAvailable { .. }
        | Command::AddPairing { .. }
        | Command::Reindex) => matching(core, c, send),
        Command::Data(d) => data(core, d, send),
        Command::Followup(f) => super::worker_followup::run(core, f, send),
        c @ (Command::LoadReview(_) | Command::SetSubfields { .. } | Command::AcceptAbove { .. }) => {
            review(core, c, send)
        }
        c @ (Command::LoadKnowledge
        | Command::EditKnowledge(_)
        | Command::ExportKnowledge(_)
        | Command::ImportKnowledge(_)) => knowledge(core, c, send),
        c => records(core, c, send),
    };
    if let Err(e) = result {
        send(Event::Error(e));
    }
}

/// The list views' commands: rows, details, saving, deleting and undoing.
fn records(core: &mut Core, cmd: Command, send: &dyn Fn(Event)) -> Result<()> {
    match cmd {
        Command::LoadLists => send(lists(core)),
        Command::Search { seq, request } => {
            let hits = core.search(&request)?;
            send(Event::SearchResults { seq, kind: request.kind, hits });
        }
        Command::LoadExpert(id) => send(Event::Expert(Box::new(core.expert_by_id(id)?))),
        Command::LoadDemand(id) => {
            let d = core.demand_by_id(id)?;
            let enterprise = d.enterprise_id.map(|e| core.enterprise_by_id(e)).transpose()?.flatten();
            send(Event::Demand(Box::new(d)));
            if let Some(en) = enterprise {
                send(Event::Enterprise(Box::new(en)));
            }
        }
        Command::SaveExpert(e) => {
            let name = e.name.clone();
            let id = core.save_expert(*e)?;
            send(Event::Saved { kind: RecordKind::Expert, id, name, restored: false });
            send(lists(core));
        }
        Command::SaveDemand(d) => {
            let name = d.title.clone();
            let id = core.save_demand(*d)?;
            send(Event::Saved { kind: RecordKind::Demand, id, name, restored: false });
            send(lists(core));
        }
        Command::SaveEnterprise(en) => {
            let en = core.save_enterprise(*en)?;
            send(Event::Done(Done::EnterpriseSaved(en.name.clone())));
            send(Event::Enterprise(Box::new(en)));
            send(lists(core));
        }
        Command::DeleteExpert(id) => {
            send(Event::Deleted(Box::new(core.delete_expert(id)?)));
            send(lists(core));
        }
        Command::DeleteDemand(id) => {
            send(Event::Deleted(Box::new(core.delete_demand(id)?)));
            send(lists(core));
        }
        Command::Restore(undo) => {
            let (kind, id) = core.restore(&undo)?;
            send(Event::Saved { kind, id, name: undo.name().to_string(), restored: true });
            send(lists(core));
        }
        _ => {}
    }
    Ok(())
}

/// The import wizard's commands.
fn import(core: &mut Core, cmd: Command, cancel: &AtomicBool, send: &dyn Fn(Event)) -> Result<()> {
    match cmd {
        Command::PlanImport { path, kind } => {
            let plan = core.plan_file(&path, kind)?;
            send(Event::ImportPlanned { plan: Box::new(plan), path });
        }
        Command::CommitImport { path, kind, merge_duplicates } => {
            // Planned again: the database may have changed since the preview.
            let plan = core.plan_file(&path, kind)?;
            let mut progress = |done, total| send(Event::ImportProgress { done, total });
            let counts = core.commit_import(&plan, merge_duplicates, &mut progress, Some(cancel))?;
            send(Event::Imported(counts));
            send(lists(core));
        }
        Command::SaveRejected { plan, path } => {
            core.save_rejected(&plan, &path)?;
            send(Event::Done(Done::RejectedSaved(path)));
        }
        _ => {}
    }
    Ok(())
}

/// 匹配建议's commands and the marks on experts and pairs.
fn matching(core: &mut Core, cmd: Command, send: &dyn Fn(Event)) -> Result<()> {
    match cmd {
        Command::MatchDemand { id, top } => {
            let list = core.match_demand(&core.demand_by_id(id)?, top)?;
            send(Event::Matches { kind: RecordKind::Demand, id, list });
        }
        Command::MatchExpert { id, top } => {
            let list = core.match_expert(&core.expert_by_id(id)?, top)?;
            send(Event::Matches { kind: RecordKind::Expert, id, list });
        }
        Command::ScorePair { demand_id, expert_id, target } => {
            let (d, e) = (core.demand_by_id(demand_id)?, core.expert_by_id(expert_id)?);
            let report = core.explain_pair(&d, &e, target)?;
            send(Event::PairScore(Box::new(report)));
        }
        Command::SetExclusion { expert_id, enterprise_id, kind } => {
            let expert = core.expert_by_id(expert_id)?.name;
            core.set_exclusion(expert_id, enterprise_id, kind, "")?;
            send(Event::Done(Done::Exclusion { expert, kind }));
        }
        Command::SetAvailable { expert_id, available } => {
            let expert = core.expert_by_id(expert_id)?.name;
            core.set_available(expert_id, available)?;
            send(Event::Done(Done::Availability { expert, available }));
            send(lists(core));
        }
        Command::AddPairing { expert_id, demand_id, score, reasons } => {
            let added = core.add_pairing(expert_id, demand_id, score, &reasons)?;
            send(Event::Done(Done::Pairing { added }));
            send(lists(core));
        }
        Command::Reindex => send(Event::Done(Done::Reindexed(core.reindex()?))),
        _ => {}
    }
    Ok(())
}

/// 归类审核: the queue, one confirmation, a bulk confirmation.
fn review(core: &mut Core, cmd: Command, send: &dyn Fn(Event)) -> Result<()> {
    let queue = |core: &Core, kind| -> Result<Event> {
        let list = core.suggested_subfields(kind)?.into_iter().filter(|c| !c.confirmed).collect();
        Ok(Event::Review { kind, list })
    };
    match cmd {
        Command::LoadReview(kind) => send(queue(core, kind)?),
        Command::SetSubfields { kind, row, codes } => {
            core.set_subfields(kind, row, codes)?;
            send(Event::Classified { kind, count: 1 });
            send(lists(core));
        }
        Command::AcceptAbove { kind, threshold } => {
            let done = core.accept_suggestions(kind, threshold)?;
            send(Event::Classified { kind, count: done.len() });
            send(lists(core));
            send(queue(core, kind)?);
        }
        _ => {}
    }
    Ok(())
}

/// 设置 → 知识库: the knowledge, an edit, export and import. After a change the lists follow
/// (subfield names, re-mapped records) and the taxonomy travels with the knowledge.
fn knowledge(core: &mut Core, cmd: Command, send: &dyn Fn(Event)) -> Result<()> {
    let mut progress = |done, total| send(Event::KnowledgeIndexing { done, total });
    let changed = match cmd {
        Command::LoadKnowledge => None,
        Command::EditKnowledge(edit) => Some(core.edit_knowledge(&edit, &mut progress)?),
        Command::ImportKnowledge(dir) => Some(core.import_knowledge(&dir, &mut progress)?),
        Command::ExportKnowledge(dir) => {
            let files = core.export_knowledge(&dir)?.len();
            send(Event::Done(Done::KnowledgeExported { dir, files }));
            None
        }
        _ => return Ok(()),
    };
    send(Event::Knowledge(Box::new(core.knowledge.clone())));
    if let Some(c) = changed {
        send(Event::Done(Done::KnowledgeChanged(c)));
        send(lists(core));
    }
    Ok(())
}

/// How many row changes of an action travel to the window (the rest is counted in the batch).
const LOG_ROWS_SHOWN: usize = 20;

fn log_entries(core: &Core, batches: Vec<crate::store::changelog::Batch>) -> Result<Vec<LogEntry>> {
    batches
        .into_iter()
        .map(|b| {
            let rows = core.log_rows(b.id, LOG_ROWS_SHOWN)?;
            Ok((b, rows))
        })
        .collect()
}

fn backups(core: &Core) -> Result<Event> {
    Ok(Event::Backups { dir: core.backup_dir(), list: core.backups()? })
}

/// 设置 → 数据安全: backups, restore, demo data, list export, the change log and undo.
fn data(core: &mut Core, cmd: DataCommand, send: &dyn Fn(Event)) -> Result<()> {
    let changed_all = |core: &Core| {
        send(lists(core));
        if let Ok(e) = meetings(core) {
            send(e);
        }
    };
    match cmd {
        DataCommand::ListBackups => send(backups(core)?),
        DataCommand::Preview(path) => send(Event::BackupPreview(Box::new(super::backup_info(&path)?))),
        DataCommand::BackupNow => {
            let path = core.backup(super::BackupKind::Manual, None)?;
            send(Event::Done(Done::BackedUp(path)));
            send(backups(core)?);
        }
        DataCommand::SetBackupDir(dir) => {
            core.set_backup_dir(&dir)?;
            send(Event::Done(Done::BackupDirSet(core.backup_dir())));
            send(backups(core)?);
        }
        DataCommand::Restore(from) => {
            let before = core.restore_backup(&from)?;
            send(Event::Done(Done::Restored { from, before }));
            changed_all(core);
            send(backups(core)?);
            send(Event::Log(log_entries(core, core.log(100)?)?));
        }
        DataCommand::ClearDemo => {
            let c = core.clear_demo()?;
            send(Event::Done(Done::DemoCleared(c)));
            changed_all(core);
        }
        DataCommand::ExportList { kind, path } => {
            let count = core.export_list(kind, &path)?;
            send(Event::Done(Done::ListExported { kind, count, path }));
        }
        DataCommand::LoadLog => send(Event::Log(log_entries(core, core.log(100)?)?)),
        DataCommand::Undo(batch) => {
            let before = core.knowledge.fingerprint;
            let b = match batch {
                Some(id) => core.undo_batch(id)?,
                None => core.undo_last()?,
            };
            if core.knowledge.fingerprint != before {
                send(Event::Knowledge(Box::new(core.knowledge.clone())));
            }
            send(Event::Done(Done::Undone { action: b.action, summary: b.summary }));
            changed_all(core);
            send(Event::Log(log_entries(core, core.log(100)?)?));
        }
        DataCommand::History { kind, id } => {
            let entries = core.record_history(kind, id)?.into_iter().map(|(b, r)| (b, vec![r])).collect();
            send(Event::History { kind, id, entries });
        }
    }
    Ok(())
}

fn meetings(core: &Core) -> Result<Event> {
    Ok(Event::Meetings(store::list_meetings(&core.conn)?))
}

/// The 对接会 view's commands. Each write answers with the meeting reloaded and the list.
fn meeting(core: &mut Core, cmd: MeetingCommand, send: &dyn Fn(Event)) -> Result<()> {
    use MeetingCommand as M;
    let reload = |core: &Core, id: i64| -> Result<()> {
        send(Event::Meeting(Box::new(core.meeting_detail(id)?)));
        send(meetings(core)?);
        Ok(())
    };
    let problem = |id: i64, result: Result<()>| match result {
        Err(error @ (EngineError::Infeasible { .. } | EngineError::Unschedulable(_) | EngineError::Meeting(_))) => {
            send(Event::MeetingProblem { id, error });
            Ok(())
        }
        other => other,
    };
    match cmd {
        M::List => send(meetings(core)?),
        M::Load(id) => send(Event::Meeting(Box::new(core.meeting_detail(id)?))),
        M::Create(spec) => {
            let id = core.create_meeting(&spec)?;
            let plan = core.meeting_plan(id)?;
            send(Event::Done(Done::MeetingCreated {
                name: plan.meeting.name.clone(),
                demands: plan.demands.len(),
                experts: plan.experts.len(),
            }));
            reload(core, id)?;
        }
        M::Update(m) => {
            core.update_meeting(&m)?;
            send(Event::Done(Done::MeetingSaved(m.name.clone())));
            reload(core, m.id)?;
        }
        M::Delete(id) => {
            core.delete_meeting(id)?;
            send(Event::Done(Done::MeetingDeleted));
            send(meetings(core)?);
        }
        M::Assign(id) => {
            let result = core.assign_meeting(id).map(|r| {
                send(Event::MeetingConflicts { id, conflicts: r.conflicts.clone() });
                send(Event::Done(Done::Assigned(r)));
            });
            problem(id, result)?;
            reload(core, id)?;
        }
        M::Schedule(id) => {
            let result = core.schedule_meeting(id).map(|r| send(Event::Done(Done::Scheduled(r))));
            problem(id, result)?;
            reload(core, id)?;
        }
        cmd => return meeting_edit(core, cmd, send),
    }
    Ok(())
}

/// The 对接会 view's edits of single pairs, participants, caps and bounds, and exports.
fn meeting_edit(core: &mut Core, cmd: MeetingCommand, send: &dyn Fn(Event)) -> Result<()> {
    use MeetingCommand as M;
    let reload = |core: &Core, id: i64| -> Result<()> {
        send(Event::Meeting(Box::new(core.meeting_detail(id)?)));
        send(meetings(core)?);
        Ok(())
    };
    let problem = |id: i64, result: Result<()>| match result {
        Err(error @ EngineError::Meeting(_)) => {
            send(Event::MeetingProblem { id, error });
            Ok(())
        }
        other => other,
    };
    match cmd {
        M::Lock { id, demand, expert, locked } => {
            core.lock_meeting_pair(id, demand, expert, locked)?;
            reload(core, id)?;
        }
        M::Remove { id, demand, expert } => {
            core.remove_meeting_pair(id, demand, expert)?;
            send(Event::Done(Done::PairRemoved));
            reload(core, id)?;
        }
        M::Add { id, demand, expert } => {
            let result = core.add_meeting_pair(id, demand, expert).map(|()| send(Event::Done(Done::PairAdded)));
            problem(id, result)?;
            reload(core, id)?;
        }
        M::Place { id, demand, expert, place } => {
            core.place_meeting_pair(id, demand, expert, place)?;
            reload(core, id)?;
        }
        M::AddDemands { id, ext_ids } => {
            let n = core.add_meeting_demands(id, &ext_ids)?;
            send(Event::Done(Done::DemandsAdded(n)));
            reload(core, id)?;
        }
        M::AddExperts { id, ext_ids } => {
            let n = core.add_meeting_experts(id, &ext_ids)?;
            send(Event::Done(Done::ExpertsAdded(n)));
            reload(core, id)?;
        }
        M::RemoveDemand { id, demand } => {
            core.remove_meeting_demand(id, demand)?;
            reload(core, id)?;
        }
        M::RemoveExpert { id, expert } => {
            core.remove_meeting_expert(id, expert)?;
            reload(core, id)?;
        }
        M::SetCap { id, expert, cap } => {
            core.set_meeting_expert_cap(id, expert, cap)?;
            reload(core, id)?;
        }
        M::SetBounds { id, demand, min, max } => {
            core.set_meeting_demand_bounds(id, demand, min, max)?;
            reload(core, id)?;
        }
        M::Export { id, format, contacts, path } => {
            let unprintable = core.export_meeting(id, format, SheetOptions { contacts }, &path)?;
            send(Event::Done(Done::Exported { format, path, contacts, unprintable }));
        }
        cmd => return meeting_day(core, cmd, send),
    }
    Ok(())
}

/// The meeting day's commands: check-in, re-planning after a no-show, sitting results.
fn meeting_day(core: &mut Core, cmd: MeetingCommand, send: &dyn Fn(Event)) -> Result<()> {
    use MeetingCommand as M;
    let id = match cmd {
        M::Checkin { id, parties, presence } => {
            core.meeting_checkin(id, &parties, presence)?;
            id
        }
        M::Replan { id, from } => {
            match core.replan_meeting(id, from) {
                Err(
                    error @ (EngineError::Infeasible { .. } | EngineError::Unschedulable(_) | EngineError::Meeting(_)),
                ) => {
                    send(Event::MeetingProblem { id, error });
                }
                other => {
                    other?;
                }
            }
            id
        }
        M::SittingResult { id, demand, expert, result } => {
            core.set_sitting_result(id, demand, expert, result)?;
            id
        }
        _ => return Ok(()),
    };
    send(Event::Meeting(Box::new(core.meeting_detail(id)?)));
    send(meetings(core)?);
    Ok(())
}
