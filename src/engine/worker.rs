//! The engine thread: a named worker (`bole-engine`) that owns the [`Core`] — the only SQLite
//! connection and the only index writer of the GUI. The UI sends [`Command`]s and receives
//! [`Event`]s over bounded channels; after each event the worker asks the UI to repaint. Every
//! error is reported once, as an `Event::Error` with a Chinese sentence saying what to do.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

use super::{Core, MeetingSpec};
use crate::domain::ExclusionKind;
use crate::domain::meeting::{Meeting, MeetingDetail, MeetingSummary};
use crate::domain::{Demand, Enterprise, Expert};
use crate::io::ImportPlan;
use crate::io::import::Counts;
use crate::io::sheets::{self, SheetFormat, SheetOptions};
use crate::matching::Suggestion;
use crate::search::{OpenOutcome, RecordKind, SearchHit, SearchRequest};
use crate::store::{self, DemandRow, ExpertRow};

/// A deleted record, kept so the deletion can be undone.
#[derive(Debug, Clone, PartialEq)]
pub enum Undo {
    Expert(Box<Expert>),
    Demand(Box<Demand>),
}

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
    Restore(Undo),
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
}

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

/// The list rows and counts the list views show.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    pub experts: Vec<ExpertRow>,
    pub demands: Vec<DemandRow>,
    pub pairings: Vec<(i64, i64)>,
}

#[derive(Debug, Clone)]
pub enum Event {
    /// The database and index are open. `demo_loaded` when the empty database got the demo data.
    Ready {
        db: PathBuf,
        index: OpenOutcome,
        demo_loaded: bool,
        /// The taxonomy in use, including the staff's own knowledge files.
        taxonomy: Box<crate::domain::Taxonomy>,
        /// Local time minus UTC, in seconds (the projector's clock).
        utc_offset: i64,
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
    Saved {
        kind: RecordKind,
        id: i64,
        message: String,
    },
    Deleted {
        undo: Undo,
        message: String,
    },
    ImportPlanned {
        plan: Box<ImportPlan>,
        path: PathBuf,
    },
    ImportProgress {
        done: usize,
        total: usize,
    },
    Imported {
        counts: Counts,
        message: String,
    },
    Matches {
        kind: RecordKind,
        id: i64,
        list: Vec<Suggestion>,
    },
    Meetings(Vec<MeetingSummary>),
    Meeting(Box<MeetingDetail>),
    /// A meeting was paired: the candidate pairs its 回避 rules left out ("需求–专家：rule").
    MeetingConflicts {
        id: i64,
        conflicts: Vec<String>,
    },
    /// A meeting could not be paired or scheduled: why, and what to change.
    MeetingProblem {
        id: i64,
        message: String,
    },
    Info(String),
    Error(String),
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
                        send(Event::Error(format!("{e}。请检查数据文件位置（设置页）或换一个数据库文件。")));
                        return;
                    }
                };
                let mut demo_loaded = false;
                if demo_if_empty && store::count(&core.conn, store::Table::Experts).unwrap_or(1) == 0 {
                    match crate::cli::load_demo(&mut core, &mut std::io::sink()) {
                        Ok(_) => demo_loaded = true,
                        Err(e) => send(Event::Error(format!("载入演示数据失败：{e}"))),
                    }
                }
                send(Event::Ready {
                    db: db.clone(),
                    index: core.index_outcome.clone(),
                    demo_loaded,
                    taxonomy: Box::new(core.knowledge.taxonomy.clone()),
                    utc_offset: utc_offset(&core.conn),
                });
                send(lists(&core));
                while let Ok(cmd) = cmd_rx.recv() {
                    run(&mut core, cmd, &cancel2, &send);
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
    let db = |e: rusqlite::Error| format!("读取数据库失败：{e}");
    let result = (|| -> Result<Lists, String> {
        Ok(Lists {
            experts: store::expert_rows(&core.conn).map_err(db)?,
            demands: store::demand_rows(&core.conn).map_err(db)?,
            pairings: store::pairings(&core.conn).map_err(db)?,
        })
    })();
    match result {
        Ok(l) => Event::Lists(Box::new(l)),
        Err(e) => Event::Error(e),
    }
}

fn enterprise_for(core: &Core, name: &str) -> Result<Option<i64>, String> {
    let db = |e: rusqlite::Error| format!("保存失败：{e}");
    let name = crate::util::clean_line(name);
    if name.is_empty() {
        return Ok(None);
    }
    match store::find_enterprise(&core.conn, &name).map_err(db)? {
        Some(e) => Ok(Some(e.id)),
        None => store::insert_enterprise(&core.conn, &Enterprise { name, ..Default::default() }).map(Some).map_err(db),
    }
}

fn run(core: &mut Core, cmd: Command, cancel: &AtomicBool, send: &dyn Fn(Event)) {
    let result: Result<(), String> = (|| {
        let db = |e: rusqlite::Error| format!("数据库操作失败：{e}");
        match cmd {
            Command::LoadLists => send(lists(core)),
            Command::Search { seq, request } => {
                let hits = core.search(&request)?;
                send(Event::SearchResults { seq, kind: request.kind, hits });
            }
            Command::LoadExpert(id) => {
                let e = store::get_expert(&core.conn, id).map_err(db)?.ok_or("这位专家已不存在（可能已被删除）")?;
                send(Event::Expert(Box::new(e)));
            }
            Command::LoadDemand(id) => {
                let d = store::get_demand(&core.conn, id).map_err(db)?.ok_or("这条需求已不存在（可能已被删除）")?;
                let enterprise =
                    d.enterprise_id.map(|e| store::get_enterprise(&core.conn, e)).transpose().map_err(db)?.flatten();
                send(Event::Demand(Box::new(d)));
                if let Some(en) = enterprise {
                    send(Event::Enterprise(Box::new(en)));
                }
            }
            Command::SaveExpert(e) => {
                if let Some(other) = store::find_expert(&core.conn, &e.ext_id).map_err(db)?
                    && other.id != e.id
                {
                    return Err(format!("编号“{}”已被 {} 使用，请换一个编号", e.ext_id, other.name));
                }
                let tx = core.conn.unchecked_transaction().map_err(db)?;
                let id = if e.id == 0 {
                    store::insert_expert(&tx, &e).map_err(db)?
                } else {
                    store::update_expert(&tx, &e).map_err(db)?;
                    e.id
                };
                tx.commit().map_err(db)?;
                core.index.sync_records(&core.conn, &core.knowledge.taxonomy, &[id], &[])?;
                send(Event::Saved { kind: RecordKind::Expert, id, message: format!("已保存专家 {}", e.name) });
                send(lists(core));
            }
            Command::SaveDemand(d) => {
                if !d.ext_id.is_empty()
                    && let Some(other) = store::find_demand(&core.conn, &d.ext_id).map_err(db)?
                    && other.id != d.id
                {
                    return Err(format!("编号“{}”已被需求“{}”使用，请换一个编号", d.ext_id, other.title));
                }
                let tx = core.conn.unchecked_transaction().map_err(db)?;
                let mut d = *d;
                d.enterprise_id = enterprise_for(core, &d.enterprise)?;
                let id = if d.id == 0 {
                    store::insert_demand(&tx, &d).map_err(db)?
                } else {
                    store::update_demand(&tx, &d).map_err(db)?;
                    d.id
                };
                tx.commit().map_err(db)?;
                core.index.sync_records(&core.conn, &core.knowledge.taxonomy, &[], &[id])?;
                send(Event::Saved {
                    kind: RecordKind::Demand, id, message: format!("已保存需求“{}”", d.title)
                });
                send(lists(core));
            }
            Command::SaveEnterprise(en) => {
                if let Some(other) = store::find_enterprise(&core.conn, &en.name).map_err(db)?
                    && other.id != en.id
                {
                    return Err(format!("已有名为“{}”的企业，请换一个名称", en.name));
                }
                store::update_enterprise(&core.conn, &en).map_err(db)?;
                // Its demands carry the enterprise name in the index.
                let ids = store::demand_ids_of_enterprises(&core.conn, &[en.id]).map_err(db)?;
                core.index.sync_records(&core.conn, &core.knowledge.taxonomy, &[], &ids)?;
                send(Event::Enterprise(en.clone()));
                send(Event::Info(format!("已保存企业“{}”", en.name)));
                send(lists(core));
            }
            Command::DeleteExpert(id) => {
                let e = store::get_expert(&core.conn, id).map_err(db)?.ok_or("这位专家已不存在")?;
                store::delete_expert(&core.conn, id).map_err(db)?;
                core.index.sync_records(&core.conn, &core.knowledge.taxonomy, &[id], &[])?;
                let message = format!("已删除专家 {}（可撤销）", e.name);
                send(Event::Deleted { undo: Undo::Expert(Box::new(e)), message });
                send(lists(core));
            }
            Command::DeleteDemand(id) => {
                let d = store::get_demand(&core.conn, id).map_err(db)?.ok_or("这条需求已不存在")?;
                store::delete_demand(&core.conn, id).map_err(db)?;
                core.index.sync_records(&core.conn, &core.knowledge.taxonomy, &[], &[id])?;
                let message = format!("已删除需求“{}”（可撤销）", d.title);
                send(Event::Deleted { undo: Undo::Demand(Box::new(d)), message });
                send(lists(core));
            }
            Command::Restore(undo) => {
                match undo {
                    Undo::Expert(e) => {
                        let id = store::insert_expert(&core.conn, &Expert { id: 0, ..*e.clone() }).map_err(db)?;
                        core.index.sync_records(&core.conn, &core.knowledge.taxonomy, &[id], &[])?;
                        send(Event::Saved {
                            kind: RecordKind::Expert, id, message: format!("已恢复专家 {}", e.name)
                        });
                    }
                    Undo::Demand(d) => {
                        let mut d = *d;
                        d.id = 0;
                        d.enterprise_id = enterprise_for(core, &d.enterprise)?;
                        let id = store::insert_demand(&core.conn, &d).map_err(db)?;
                        core.index.sync_records(&core.conn, &core.knowledge.taxonomy, &[], &[id])?;
                        send(Event::Saved {
                            kind: RecordKind::Demand,
                            id,
                            message: format!("已恢复需求“{}”", d.title),
                        });
                    }
                }
                send(lists(core));
            }
            Command::PlanImport { path, kind } => {
                let plan = crate::cli::plan_file(&core.conn, &core.knowledge.taxonomy, &path, kind)?;
                send(Event::ImportPlanned { plan: Box::new(plan), path });
            }
            Command::CommitImport { path, kind, merge_duplicates } => {
                let plan = crate::cli::plan_file(&core.conn, &core.knowledge.taxonomy, &path, kind)?;
                let mut progress = |done, total| send(Event::ImportProgress { done, total });
                let counts = core.commit_import(&plan, merge_duplicates, &mut progress, Some(cancel))?;
                let message = format!(
                    "导入完成：新增 {}，更新 {}，未变化 {}，拒绝 {}",
                    counts.added, counts.updated, counts.unchanged, counts.rejected
                );
                send(Event::Imported { counts, message });
                send(lists(core));
            }
            Command::SaveRejected { plan, path } => {
                crate::io::export::save_rejected_rows(&plan, &path)?;
                send(Event::Info(format!("已保存被拒绝的行：{}", path.display())));
            }
            Command::MatchDemand { id, top } => {
                let d = store::get_demand(&core.conn, id).map_err(db)?.ok_or("这条需求已不存在")?;
                let list = core.match_demand(&d, top)?;
                send(Event::Matches { kind: RecordKind::Demand, id, list });
            }
            Command::MatchExpert { id, top } => {
                let e = store::get_expert(&core.conn, id).map_err(db)?.ok_or("这位专家已不存在")?;
                let list = core.match_expert(&e, top)?;
                send(Event::Matches { kind: RecordKind::Expert, id, list });
            }
            Command::SetExclusion { expert_id, enterprise_id, kind } => {
                let e = store::get_expert(&core.conn, expert_id).map_err(db)?.ok_or("这位专家已不存在")?;
                core.set_exclusion(&e, enterprise_id, kind, "")?;
                let what = kind
                    .map(|k| format!("已标记{}：{}（不再推荐给该企业）", k.label(), e.name))
                    .unwrap_or_else(|| format!("已取消 {} 的标记", e.name));
                send(Event::Info(what));
            }
            Command::SetAvailable { expert_id, available } => {
                let e = store::get_expert(&core.conn, expert_id).map_err(db)?.ok_or("这位专家已不存在")?;
                core.set_available(&e, available)?;
                send(Event::Info(format!("已将 {} 标记为{}", e.name, if available { "可约" } else { "暂不可约" })));
                send(lists(core));
            }
            Command::AddPairing { expert_id, demand_id, score, reasons } => {
                let added = store::add_pairing(&core.conn, expert_id, demand_id, Some(score), &reasons).map_err(db)?;
                send(Event::Info(if added {
                    "已加入对接清单".into()
                } else {
                    "这一对已在对接清单中".into()
                }));
                send(lists(core));
            }
            Command::Reindex => {
                let n = core.reindex()?;
                send(Event::Info(format!("已重建搜索索引：{n} 条记录")));
            }
            Command::Meeting(m) => meeting(core, m, send)?,
        }
        Ok(())
    })();
    if let Err(e) = result {
        send(Event::Error(e));
    }
}

/// Local time minus UTC, asked of SQLite (which reads the system's time zone); 0 if unknown.
fn utc_offset(conn: &rusqlite::Connection) -> i64 {
    conn.query_row(
        "SELECT CAST(round((julianday('now', 'localtime') - julianday('now')) * 86400.0) AS INTEGER)",
        [],
        |r| r.get(0),
    )
    .unwrap_or(0)
}

fn meetings(core: &Core) -> Result<Event, String> {
    Ok(Event::Meetings(store::list_meetings(&core.conn).map_err(|e| format!("读取对接会失败：{e}"))?))
}

fn meeting(core: &mut Core, cmd: MeetingCommand, send: &dyn Fn(Event)) -> Result<(), String> {
    use MeetingCommand as M;
    let db = |e: rusqlite::Error| format!("数据库操作失败：{e}");
    let reload = |core: &Core, id: i64| -> Result<(), String> {
        send(Event::Meeting(Box::new(core.meeting_detail(id)?)));
        send(meetings(core)?);
        Ok(())
    };
    match cmd {
        M::List => send(meetings(core)?),
        M::Load(id) => send(Event::Meeting(Box::new(core.meeting_detail(id)?))),
        M::Create(spec) => {
            let id = core.create_meeting(&spec)?;
            let plan = core.meeting_plan(id)?;
            send(Event::Info(format!(
                "已创建对接会「{}」：{} 项需求、{} 位专家",
                plan.meeting.name,
                plan.demands.len(),
                plan.experts.len()
            )));
            reload(core, id)?;
        }
        M::Update(m) => {
            core.update_meeting(&m)?;
            send(Event::Info(format!("已保存对接会「{}」", m.name)));
            reload(core, m.id)?;
        }
        M::Delete(id) => {
            core.delete_meeting(id)?;
            send(Event::Info("已删除对接会".into()));
            send(meetings(core)?);
        }
        M::Assign(id) => {
            match core.assign_meeting(id) {
                Ok(r) => {
                    let mut msg = format!("配对完成：{} 对，总匹配度 {:.0}", r.pairs, r.total);
                    if !r.conflicts.is_empty() {
                        msg.push_str(&format!("；因回避规则排除 {} 对", r.conflicts.len()));
                    }
                    if !r.short.is_empty() {
                        msg.push_str(&format!("；{} 项需求未达上限", r.short.len()));
                    }
                    send(Event::Info(msg));
                    send(Event::MeetingConflicts { id, conflicts: r.conflicts });
                }
                Err(message) => send(Event::MeetingProblem { id, message }),
            }
            reload(core, id)?;
        }
        M::Schedule(id) => {
            match core.schedule_meeting(id) {
                Ok(r) => {
                    let mut msg = format!(
                        "日程已排好：{} 场会面，{} 个时段（至少需要 {} 个）、{} 张桌子",
                        r.meetings, r.slots_used, r.min_slots, r.tables_used
                    );
                    if r.table_changes > 0 {
                        msg.push_str(&format!(
                            "；有 {} 次换桌（每家企业独占一张桌需 {} 张）",
                            r.table_changes, r.tables_for_fixed_seating
                        ));
                    }
                    send(Event::Info(msg));
                }
                Err(message) => send(Event::MeetingProblem { id, message }),
            }
            reload(core, id)?;
        }
        M::Lock { id, demand, expert, locked } => {
            core.lock_meeting_pair(id, demand, expert, locked)?;
            reload(core, id)?;
        }
        M::Remove { id, demand, expert } => {
            core.remove_meeting_pair(id, demand, expert)?;
            send(Event::Info("已移除该配对（重新优化时不会再加回）".into()));
            reload(core, id)?;
        }
        M::Add { id, demand, expert } => {
            if let Err(message) = core.add_meeting_pair(id, demand, expert) {
                send(Event::MeetingProblem { id, message });
            } else {
                send(Event::Info("已指定该配对（锁定）".into()));
            }
            reload(core, id)?;
        }
        M::Place { id, demand, expert, place } => {
            core.place_meeting_pair(id, demand, expert, place)?;
            reload(core, id)?;
        }
        M::AddDemands { id, ext_ids } => {
            let mut ids = Vec::new();
            for x in &ext_ids {
                ids.push(core.demand(x)?.id);
            }
            let n = store::add_meeting_demands(&core.conn, id, &ids).map_err(db)?;
            send(Event::Info(format!("已加入 {n} 项需求")));
            reload(core, id)?;
        }
        M::AddExperts { id, ext_ids } => {
            let mut ids = Vec::new();
            for x in &ext_ids {
                ids.push(core.expert(x)?.id);
            }
            let n = store::add_meeting_experts(&core.conn, id, &ids).map_err(db)?;
            send(Event::Info(format!("已加入 {n} 位专家")));
            reload(core, id)?;
        }
        M::RemoveDemand { id, demand } => {
            let tx = core.conn.unchecked_transaction().map_err(db)?;
            store::remove_meeting_demand(&tx, id, demand).map_err(db)?;
            tx.commit().map_err(db)?;
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
        M::RemoveExpert { id, expert } => {
            let tx = core.conn.unchecked_transaction().map_err(db)?;
            store::remove_meeting_expert(&tx, id, expert).map_err(db)?;
            tx.commit().map_err(db)?;
            reload(core, id)?;
        }
        M::Export { id, format, contacts, path } => {
            let detail = core.meeting_detail(id)?;
            if detail.plan.pairs.is_empty() {
                return Err("这场对接会还没有配对，请先“自动配对”".into());
            }
            sheets::save(&detail, format, SheetOptions { contacts }, &path)?;
            send(Event::Info(format!(
                "已导出{}：{}{}",
                format.label(),
                path.display(),
                if contacts { "" } else { "（不含电话和邮箱）" }
            )));
        }
    }
    Ok(())
}
