//! [`Core`]: the connection, the knowledge, the search index and the matcher, with every
//! user-level operation (save, delete with undo, restore, plan and commit an import, load the
//! demo, search, match, exclusions, pairings) — one call each, shared by the GUI's worker and
//! the CLI, so both follow the same rules.
//!
//! SQLite is written first, in one transaction per user action; the index follows and records
//! the database change counter it reflects, so an interrupted update is repaired (rebuilt) on the
//! next start.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::Connection;

use super::backup::BackupAction;
use super::error::{EngineError, Missing, Result};
use super::history::{self, Action};
use crate::domain::rules::has_errors;
use crate::domain::{Demand, DemandStatus, Enterprise, ExclusionKind, Expert, Knowledge, RecordKind};
use crate::io::import::{self, CommitOptions, Counts, ImportPlan};
use crate::io::table;
use crate::matching::{Kit, MatchOptions, Matcher, Model, PairScore, Preloaded, Records, Suggestion};
use crate::search::{OpenOutcome, RebuildReason, SearchHit, SearchIndex, SearchRequest, index_dir_for};
use crate::store::changelog;
use crate::store::{self, DemandRow, Dependents, ExpertRow};

/// A path with links and `..` resolved as far as it exists (the rest appended as written).
fn resolved(p: &Path) -> std::path::PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = std::fs::canonicalize(cur) {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return abs,
        }
    }
}

/// id → set of ids (expert → enterprises, enterprise → experts).
type IdSets = HashMap<i64, HashSet<i64>>;

pub struct Core {
    pub conn: Connection,
    pub knowledge: Knowledge,
    /// The texts the knowledge was read from (the knowledge editor writes them back).
    pub(super) knowledge_files: crate::domain::KnowledgeFiles,
    /// The data folder's `knowledge/` sub-folder (None in memory: edits stay in memory).
    pub(super) knowledge_dir: Option<std::path::PathBuf>,
    /// The follow-up settings (next action and days per stage, end reasons).
    pub followup: crate::domain::followup::FollowupConfig,
    pub index: SearchIndex,
    /// Every record analysed for matching: built on first use, kept up to date by saves,
    /// dropped (and rebuilt on next use) after imports and deletions.
    model: Mutex<Option<Arc<Model>>>,
    /// Whether the index was reused or rebuilt when opening, and why.
    pub index_outcome: OpenOutcome,
    /// The index missed a change that SQLite holds (it could not be written): it is rebuilt
    /// before its next use.
    index_stale: bool,
    /// What happened besides the operation's own result, for the front end to say once.
    notices: Vec<Notice>,
    /// The database file (None in memory): outputs may never resolve to it or its companions.
    db_path: Option<std::path::PathBuf>,
    /// SQLite's `data_version` when this process last looked: it changes when another process
    /// (the window, the command line) commits to the same file.
    data_version: i64,
}

/// Something a front end tells the user besides an operation's result.
#[derive(Debug)]
pub enum Notice {
    /// The records were saved in SQLite, but the search index could not follow (why); it is
    /// rebuilt automatically before the next search or at the next start.
    IndexNotUpdated(crate::search::SearchError),
    /// The index was damaged and has been rebuilt from the database (what was found).
    IndexRebuilt(String),
    /// The index folder cannot be written: this process searches an index in memory.
    IndexInMemory,
    /// Another Bole process changed the database; lists and index were reloaded.
    ChangedElsewhere,
    /// An automatic backup could not be written (the operation itself went ahead).
    BackupFailed(Box<EngineError>),
}

/// Suggestions for one demand (for `match --all`).
#[derive(Debug, Clone)]
pub struct DemandMatches {
    pub demand_id: String,
    pub matches: Vec<Suggestion>,
}

/// One pair explained ([`Core::explain_pair`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PairReport {
    pub demand_id: i64,
    pub expert_id: i64,
    pub suggestion: Suggestion,
    pub blocked: Option<PairBlock>,
    /// 1-based rank among the demand's suggestions.
    pub rank: Option<usize>,
}

/// A record's suggested subfields ([`Core::suggested_subfields`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    pub row: i64,
    pub ext_id: String,
    /// Whether the record has subfields of its own (from the file or accepted by staff).
    pub confirmed: bool,
    pub suggestions: Vec<Suggested>,
}

/// A subfield the classifier suggests for a record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Suggested {
    pub code: String,
    pub name: String,
    pub confidence: f64,
    pub evidence: Vec<String>,
}

/// Why a pair is never suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairBlock {
    /// The expert is marked 暂不可约.
    Unavailable,
    /// The demand is closed (已解决/已关闭).
    Closed,
    /// The expert and the demand's enterprise are marked 回避 or 不再推荐.
    Excluded(ExclusionKind),
}

/// The list rows and counts the list views show.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    pub experts: Vec<ExpertRow>,
    pub demands: Vec<DemandRow>,
    pub pairings: Vec<(i64, i64)>,
    /// Experts and demands that are demo data.
    pub demo: (i64, i64),
}

/// A deleted record.
#[derive(Debug, Clone, PartialEq)]
pub enum Deleted {
    Expert(Box<Expert>),
    Demand(Box<Demand>),
}

/// What undoing a deletion needs: the record and every row that hung on it (exclusions,
/// pairings, meeting places), which the database's cascade removed with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    pub record: Deleted,
    pub dependents: Dependents,
    /// The deletion's action in the change log (marked undone when this token is used).
    pub batch: i64,
}

impl Undo {
    pub fn kind(&self) -> RecordKind {
        match self.record {
            Deleted::Expert(_) => RecordKind::Expert,
            Deleted::Demand(_) => RecordKind::Demand,
        }
    }

    /// The record's name (姓名 or 需求名称).
    pub fn name(&self) -> &str {
        match &self.record {
            Deleted::Expert(e) => &e.name,
            Deleted::Demand(d) => &d.title,
        }
    }
}

/// The demo workbooks, compiled in.
const DEMO: [(&[u8], &str, RecordKind); 2] = [
    (crate::demo::EXPERTS_XLSX, crate::demo::EXPERTS_FILE, RecordKind::Expert),
    (crate::demo::DEMANDS_XLSX, crate::demo::DEMANDS_FILE, RecordKind::Demand),
];

/// Records by row id, for matching many demands at once.
fn preloaded(experts: Vec<Expert>, demands: Vec<Demand>) -> Preloaded {
    Preloaded {
        experts: experts.into_iter().map(|e| (e.id, e)).collect(),
        demands: demands.into_iter().map(|d| (d.id, d)).collect(),
    }
}

/// More records than this in one import, when they are most of the records, rebuild the index
/// instead of upserting.
const REBUILD_ABOVE: usize = 5_000;

impl Core {
    /// Opens the database file and its index (`bole.db` → `bole.index/`), loading the knowledge
    /// files (built-in, or the copies in `<data folder>/knowledge/`).
    pub fn open(db: &Path) -> Result<Self> {
        let knowledge_dir = db.parent().unwrap_or(Path::new(".")).join("knowledge");
        let (knowledge, knowledge_files) = crate::io::knowledge::load_with_files(&knowledge_dir)?;
        let followup = crate::io::knowledge::load_followup(&knowledge_dir)?;
        let conn = store::open(db, &knowledge.taxonomy)?;
        let (index, index_outcome) = SearchIndex::open(&index_dir_for(db), &conn, &knowledge)?;
        let data_version = store::data_version(&conn)?;
        let notices = match &index_outcome {
            OpenOutcome::Rebuilt(RebuildReason::Damaged(why)) => vec![Notice::IndexRebuilt(why.clone())],
            OpenOutcome::Rebuilt(RebuildReason::Unwritable(_)) => vec![Notice::IndexInMemory],
            _ => Vec::new(),
        };
        let mut core = Core {
            conn,
            knowledge,
            knowledge_files,
            knowledge_dir: Some(knowledge_dir),
            followup,
            index,
            model: Mutex::new(None),
            index_outcome,
            index_stale: false,
            notices,
            data_version,
            db_path: Some(db.to_path_buf()),
        };
        if !core.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false)
            && let Err(e) = core.daily_backup()
        {
            core.notices.push(Notice::BackupFailed(Box::new(e)));
        }
        Ok(core)
    }

    /// A database and index in memory (evaluation, tests).
    pub fn in_memory(knowledge: Knowledge) -> Result<Self> {
        let conn = store::open_in_memory(&knowledge.taxonomy)?;
        let index = SearchIndex::in_ram(&conn, &knowledge)?;
        let knowledge_files = crate::domain::knowledge_toml::files_of(&knowledge);
        Ok(Core {
            conn,
            knowledge,
            knowledge_files,
            knowledge_dir: None,
            followup: crate::domain::followup::FollowupConfig::builtin(),
            index,
            model: Mutex::new(None),
            index_outcome: OpenOutcome::Rebuilt(RebuildReason::InMemory),
            index_stale: false,
            notices: Vec::new(),
            data_version: 0,
            db_path: None,
        })
    }

    fn kit(&self) -> Kit<'_> {
        Kit { analyzer: &self.index.analyzer, prep: &self.index.prepared, taxonomy: &self.knowledge.taxonomy }
    }

    /// The matching model, built from the database when there is none yet.
    pub fn model(&self) -> Result<Arc<Model>> {
        let mut slot = self.model.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(m) = slot.as_ref() {
            return Ok(m.clone());
        }
        let t = std::time::Instant::now();
        let experts = store::list_experts(&self.conn)?;
        let demands = store::list_demands(&self.conn)?;
        let read = t.elapsed();
        let m = self.build_model(&experts, &demands)?;
        if std::env::var_os("BOLE_PROFILE").is_some() {
            eprintln!("records read in {:.2} s", read.as_secs_f64());
        }
        *slot = Some(m.clone());
        Ok(m)
    }

    /// The model built from these records (all of them) and the stored pairings.
    fn build_model(&self, experts: &[Expert], demands: &[Demand]) -> Result<Arc<Model>> {
        let pairings = store::confirmed_pairings(&self.conn)?;
        let records = crate::matching::model::Records { experts, demands, pairings: &pairings };
        let t = std::time::Instant::now();
        let m = Arc::new(Model::build(self.kit(), &records));
        if std::env::var_os("BOLE_PROFILE").is_some() {
            eprintln!("model built in {:.2} s", t.elapsed().as_secs_f64());
        }
        Ok(m)
    }

    /// Every record in memory, and the model built from them when there is none yet (one read
    /// of the database for both).
    fn preloaded_with_model(&self) -> Result<(Preloaded, Arc<Model>)> {
        let mut slot = self.model.lock().unwrap_or_else(PoisonError::into_inner);
        let experts = store::list_experts(&self.conn)?;
        let demands = store::list_demands(&self.conn)?;
        let m = match slot.as_ref() {
            Some(m) => m.clone(),
            None => {
                let m = self.build_model(&experts, &demands)?;
                *slot = Some(m.clone());
                m
            }
        };
        Ok((preloaded(experts, demands), m))
    }

    /// Runs `f` with a matcher over the current model.
    pub fn with_matcher<T>(&self, f: impl FnOnce(&Matcher<'_>) -> T) -> Result<T> {
        let model = self.model()?;
        let m = Matcher { model: &model, kit: self.kit(), knowledge: &self.knowledge };
        Ok(f(&m))
    }

    /// Brings the model up to date after records changed (when it is built at all): saved
    /// records are analysed again; a deletion or a large change drops it.
    fn refresh_model(&mut self, experts: &[i64], demands: &[i64]) -> Result<()> {
        let slot = self.model.get_mut().unwrap_or_else(PoisonError::into_inner);
        let Some(model) = slot.as_mut() else { return Ok(()) };
        if experts.len() + demands.len() > 200 {
            *slot = None;
            return Ok(());
        }
        let kit =
            Kit { analyzer: &self.index.analyzer, prep: &self.index.prepared, taxonomy: &self.knowledge.taxonomy };
        let found_e = store::get_experts(&self.conn, experts)?;
        let found_d = store::get_demands(&self.conn, demands)?;
        if found_e.len() < experts.len() || found_d.len() < demands.len() {
            *slot = None;
            return Ok(());
        }
        let m = Arc::make_mut(model);
        for e in &found_e {
            m.upsert_expert(kit, e);
        }
        for d in &found_d {
            m.upsert_demand(kit, d);
        }
        if !(found_e.is_empty() && found_d.is_empty()) {
            m.set_history(&store::confirmed_pairings(&self.conn)?);
        }
        Ok(())
    }

    /// Feeds the pairing history to the model after pairings changed.
    pub(super) fn refresh_history(&mut self) -> Result<()> {
        if let Some(m) = self.model.get_mut().unwrap_or_else(PoisonError::into_inner).as_mut() {
            Arc::make_mut(m).set_history(&store::confirmed_pairings(&self.conn)?);
        }
        Ok(())
    }

    /// Re-indexes records after their rows changed in SQLite, and updates the model. SQLite is
    /// already committed, so an index that cannot follow is not the operation's failure: it is
    /// marked stale (rebuilt before its next use or at the next start) and the user told.
    fn sync(&mut self, experts: &[i64], demands: &[i64]) -> Result<()> {
        let synced = if self.index_stale {
            self.index.rebuild(&self.conn, &self.knowledge.taxonomy).map(|_| ())
        } else {
            self.index.sync_records(&self.conn, &self.knowledge.taxonomy, experts, demands)
        };
        self.index_followed(synced);
        self.refresh_model(experts, demands)
    }

    /// Records whether the index followed a committed change.
    fn index_followed<T>(&mut self, r: std::result::Result<T, crate::search::SearchError>) {
        match r {
            Ok(_) => self.index_stale = false,
            Err(e) => {
                self.index_stale = true;
                self.notices.push(Notice::IndexNotUpdated(e));
            }
        }
    }

    /// The database file, when on disk.
    pub fn db_path(&self) -> Option<&Path> {
        self.db_path.as_deref()
    }

    /// Refuses an output path that is (or lies inside) one of Bole's own files: the database and
    /// its -wal/-shm/-journal, the index folder, the backups folder. Paths are compared after
    /// resolving links and `..`, and without case on Windows.
    pub fn check_output(&self, out: &Path) -> Result<()> {
        self.check_output_of(out, true)
    }

    /// [`Self::check_output`]; `backups_too`: the backups folder is off limits as well.
    pub(super) fn check_output_of(&self, out: &Path, backups_too: bool) -> Result<()> {
        let Some(db) = &self.db_path else { return Ok(()) };
        let target = resolved(out);
        let mut own: Vec<std::path::PathBuf> = ["", "-wal", "-shm", "-journal"]
            .iter()
            .map(|suffix| {
                let mut p = db.as_os_str().to_owned();
                p.push(suffix);
                resolved(Path::new(&p))
            })
            .collect();
        let mut folders = vec![resolved(&index_dir_for(db))];
        if backups_too {
            folders.push(resolved(&self.backup_dir()));
        }
        let same = |a: &Path, b: &Path| {
            if cfg!(windows) {
                a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
            } else {
                a == b
            }
        };
        let inside = |f: &Path| target.ancestors().any(|a| same(a, f));
        own.retain(|p| same(p, &target));
        if !own.is_empty() || folders.iter().any(|f| inside(f)) {
            return Err(EngineError::OwnFile(out.to_path_buf()));
        }
        Ok(())
    }

    /// What happened besides the results, since the last call (each said once).
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// Follows changes another Bole process committed to the same database: the index is
    /// reloaded (or rebuilt) and the model dropped. Returns whether there were any.
    pub fn follow_external(&mut self) -> Result<bool> {
        let v = store::data_version(&self.conn)?;
        if v == self.data_version {
            return Ok(false);
        }
        self.data_version = v;
        match self.index.follow(&self.conn, &self.knowledge.taxonomy) {
            Err(e @ (crate::search::SearchError::Damaged(_) | crate::search::SearchError::Index(_))) => {
                self.heal_index(&e)?;
            }
            followed => self.index_followed(followed),
        }
        self.drop_model();
        self.notices.push(Notice::ChangedElsewhere);
        Ok(true)
    }

    /// Rebuilds a damaged index (in a new folder, or in memory when the folder cannot be
    /// replaced) and says so.
    fn heal_index(&mut self, found: &crate::search::SearchError) -> Result<()> {
        let on_disk = self.index.heal(&self.conn, &self.knowledge)?;
        self.index_stale = false;
        self.notices.push(Notice::IndexRebuilt(found.to_string()));
        if !on_disk {
            self.notices.push(Notice::IndexInMemory);
        }
        Ok(())
    }

    /// Runs a read of the index; damage found on the way (an error or a panic inside tantivy)
    /// rebuilds it from the database and the read runs once more.
    fn read_index<T>(
        &mut self,
        read: impl Fn(&SearchIndex, &crate::domain::Taxonomy) -> std::result::Result<T, crate::search::SearchError>,
    ) -> Result<T> {
        if self.index_stale {
            let rebuilt = self.index.rebuild(&self.conn, &self.knowledge.taxonomy);
            self.index_followed(rebuilt);
        }
        let first = crate::search::guarded(|| read(&self.index, &self.knowledge.taxonomy));
        match first {
            Ok(v) => Ok(v),
            Err(e @ (crate::search::SearchError::Damaged(_) | crate::search::SearchError::Index(_))) => {
                self.heal_index(&e)?;
                Ok(read(&self.index, &self.knowledge.taxonomy)?)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// After an undo: the index and the model follow the rows it put back.
    pub(super) fn after_undo(&mut self, experts: &[i64], demands: &[i64]) -> Result<()> {
        self.drop_model();
        self.sync(experts, demands)
    }

    /// Drops the model (rebuilt on next use).
    /// The index reflects the database again (rebuilt from it).
    pub(super) fn mark_index_fresh(&mut self) {
        self.index_stale = false;
    }

    pub(super) fn drop_model(&mut self) {
        *self.model.get_mut().unwrap_or_else(PoisonError::into_inner) = None;
    }

    // ------------------------------------------------------------------------------ lookups

    /// The rows and pairings the list views show.
    pub fn lists(&self) -> Result<Lists> {
        Ok(Lists {
            experts: store::expert_rows(&self.conn)?,
            demands: store::demand_rows(&self.conn)?,
            pairings: store::pairings(&self.conn)?,
            demo: store::demo_counts(&self.conn)?,
        })
    }

    /// An expert by row id.
    pub fn expert_by_id(&self, id: i64) -> Result<Expert> {
        store::get_expert(&self.conn, id)?.ok_or(EngineError::NotFound(Missing::Record(RecordKind::Expert, None)))
    }

    /// A demand by row id.
    pub fn demand_by_id(&self, id: i64) -> Result<Demand> {
        store::get_demand(&self.conn, id)?.ok_or(EngineError::NotFound(Missing::Record(RecordKind::Demand, None)))
    }

    pub fn enterprise_by_id(&self, id: i64) -> Result<Option<Enterprise>> {
        Ok(store::get_enterprise(&self.conn, id)?)
    }

    /// An expert by 编号.
    pub fn expert(&self, ext_id: &str) -> Result<Expert> {
        store::find_expert(&self.conn, ext_id)?
            .ok_or_else(|| EngineError::NotFound(Missing::Record(RecordKind::Expert, Some(ext_id.to_string()))))
    }

    /// A demand by 编号.
    pub fn demand(&self, ext_id: &str) -> Result<Demand> {
        store::find_demand(&self.conn, ext_id)?
            .ok_or_else(|| EngineError::NotFound(Missing::Record(RecordKind::Demand, Some(ext_id.to_string()))))
    }

    /// Every expert (full records), sorted by 编号.
    pub fn all_experts(&self) -> Result<Vec<Expert>> {
        Ok(store::list_experts(&self.conn)?)
    }

    /// Every demand (full records), sorted by 编号.
    pub fn all_demands(&self) -> Result<Vec<Demand>> {
        Ok(store::list_demands(&self.conn)?)
    }

    /// Every record in memory, for matching many demands at once.
    pub fn preloaded_records(&self) -> Result<Preloaded> {
        Ok(preloaded(store::list_experts(&self.conn)?, store::list_demands(&self.conn)?))
    }

    /// An enterprise by exact name.
    pub fn enterprise(&self, name: &str) -> Result<Enterprise> {
        store::find_enterprise(&self.conn, name)?
            .ok_or_else(|| EngineError::NotFound(Missing::Enterprise(name.to_string())))
    }

    // ------------------------------------------------------------------------------ records

    /// Inserts (id 0) or updates an expert under the record rules; returns its row id.
    pub fn save_expert(&mut self, mut e: Expert) -> Result<i64> {
        e.normalize();
        let issues = e.check();
        if has_errors(&issues) {
            return Err(EngineError::Invalid(issues));
        }
        if !e.ext_id.is_empty()
            && let Some(other) = store::find_expert(&self.conn, &e.ext_id)?
            && other.id != e.id
        {
            return Err(EngineError::Duplicate { kind: RecordKind::Expert, ext_id: e.ext_id, other: other.name });
        }
        let conn = &self.conn;
        let id = store::atomically(conn, || -> Result<i64> {
            let before = if e.id == 0 { None } else { changelog::record_image(conn, "expert", e.id)? };
            let id = if e.id == 0 {
                store::insert_expert(conn, &e)?
            } else {
                store::update_expert(conn, &e)?;
                e.id
            };
            let action = if before.is_none() { Action::Add } else { Action::Edit };
            history::record_one(conn, action, "expert", id, before)?;
            Ok(id)
        })?;
        self.sync(&[id], &[])?;
        Ok(id)
    }

    /// Inserts (id 0) or updates a demand under the record rules; its enterprise is found by
    /// name or created. Returns its row id.
    pub fn save_demand(&mut self, mut d: Demand) -> Result<i64> {
        d.normalize();
        let issues = d.check();
        if has_errors(&issues) {
            return Err(EngineError::Invalid(issues));
        }
        if !d.ext_id.is_empty()
            && let Some(other) = store::find_demand(&self.conn, &d.ext_id)?
            && other.id != d.id
        {
            return Err(EngineError::Duplicate { kind: RecordKind::Demand, ext_id: d.ext_id, other: other.title });
        }
        let conn = &self.conn;
        let id = store::atomically(conn, || -> Result<i64> {
            let before = if d.id == 0 { None } else { changelog::record_image(conn, "demand", d.id)? };
            let enterprise_before = store::find_enterprise(conn, &d.enterprise)?.map(|en| en.id);
            d.enterprise_id = enterprise_for(conn, &d.enterprise)?;
            let id = if d.id == 0 {
                store::insert_demand(conn, &d)?
            } else {
                store::update_demand(conn, &d)?;
                d.id
            };
            let mut changes = Vec::new();
            if let (None, Some(new)) = (enterprise_before, d.enterprise_id) {
                let l = history::label(conn, "enterprise", new)?;
                changes.push(("enterprise", new, l, None, changelog::record_image(conn, "enterprise", new)?));
            }
            let l = history::label(conn, "demand", id)?;
            changes.push(("demand", id, l.clone(), before.clone(), changelog::record_image(conn, "demand", id)?));
            history::record(conn, if before.is_none() { Action::Add } else { Action::Edit }, &l, &changes)?;
            Ok(id)
        })?;
        self.sync(&[], &[id])?;
        Ok(id)
    }

    /// Updates an enterprise under the record rules; its demands are re-indexed (they carry its
    /// name). Returns the enterprise as stored.
    pub fn save_enterprise(&mut self, mut en: Enterprise) -> Result<Enterprise> {
        en.normalize();
        en.avoid_units.retain(|u| !u.trim().is_empty());
        en.avoid_persons.retain(|p| !p.trim().is_empty());
        let issues = en.check();
        if has_errors(&issues) {
            return Err(EngineError::Invalid(issues));
        }
        if let Some(other) = store::find_enterprise(&self.conn, &en.name)?
            && other.id != en.id
        {
            return Err(EngineError::DuplicateEnterprise(en.name));
        }
        let conn = &self.conn;
        let ids = store::atomically(conn, || -> Result<Vec<i64>> {
            let before = changelog::record_image(conn, "enterprise", en.id)?;
            store::update_enterprise(conn, &en)?;
            history::record_one(conn, Action::Edit, "enterprise", en.id, before)?;
            Ok(store::demand_ids_of_enterprises(conn, &[en.id])?)
        })?;
        self.sync(&[], &ids)?;
        Ok(store::get_enterprise(&self.conn, en.id)?.unwrap_or(en))
    }

    /// Deletes an expert, returning what it takes to undo it.
    pub fn delete_expert(&mut self, id: i64) -> Result<Undo> {
        let e = self.expert_by_id(id)?;
        let conn = &self.conn;
        let (dependents, batch) = store::atomically(conn, || -> Result<(Dependents, i64)> {
            let dependents = store::dependents(conn, RecordKind::Expert, id)?;
            let (before, l) = (changelog::image(conn, "expert", id)?, history::label(conn, "expert", id)?);
            store::delete_expert(conn, id)?;
            let batch = history::record(conn, Action::Delete, &l, &[("expert", id, l.clone(), before, None)])?;
            Ok((dependents, batch))
        })?;
        self.sync(&[id], &[])?;
        Ok(Undo { record: Deleted::Expert(Box::new(e)), dependents, batch })
    }

    /// Deletes a demand, returning what it takes to undo it.
    pub fn delete_demand(&mut self, id: i64) -> Result<Undo> {
        let d = self.demand_by_id(id)?;
        let conn = &self.conn;
        let (dependents, batch) = store::atomically(conn, || -> Result<(Dependents, i64)> {
            let dependents = store::dependents(conn, RecordKind::Demand, id)?;
            let (before, l) = (changelog::image(conn, "demand", id)?, history::label(conn, "demand", id)?);
            store::delete_demand(conn, id)?;
            let batch = history::record(conn, Action::Delete, &l, &[("demand", id, l.clone(), before, None)])?;
            Ok((dependents, batch))
        })?;
        self.sync(&[], &[id])?;
        Ok(Undo { record: Deleted::Demand(Box::new(d)), dependents, batch })
    }

    /// Undoes a deletion: the record comes back (with its old row id when still free) with its
    /// exclusions, pairings and meeting places. Returns its kind and row id.
    pub fn restore(&mut self, undo: &Undo) -> Result<(RecordKind, i64)> {
        let conn = &self.conn;
        let (kind, id) = store::atomically(conn, || -> Result<(RecordKind, i64)> {
            let (kind, id) = match &undo.record {
                Deleted::Expert(e) => {
                    let taken = store::get_expert(conn, e.id)?.is_some();
                    (RecordKind::Expert, store::insert_expert_with_id(conn, e, (!taken).then_some(e.id))?)
                }
                Deleted::Demand(d) => {
                    let mut d = (**d).clone();
                    d.enterprise_id = enterprise_for(conn, &d.enterprise)?;
                    let taken = store::get_demand(conn, d.id)?.is_some();
                    (RecordKind::Demand, store::insert_demand_with_id(conn, &d, (!taken).then_some(d.id))?)
                }
            };
            store::restore_dependents(conn, &undo.dependents, id)?;
            // The log shows the deletion undone (not a second, unrelated insert), so its own
            // 撤销 is not offered again.
            let batch = history::record_one(conn, Action::Undo, history::table(kind), id, None)?;
            changelog::mark_undoes(conn, batch, undo.batch)?;
            Ok((kind, id))
        })?;
        match kind {
            RecordKind::Expert => self.sync(&[id], &[])?,
            RecordKind::Demand => self.sync(&[], &[id])?,
        }
        Ok((kind, id))
    }

    // ------------------------------------------------------------------------------ import

    /// Reads a file and plans its import (the dry run).
    pub fn plan_file(&self, file: &Path, kind: RecordKind) -> Result<ImportPlan> {
        let tables = table::read_path(file)?;
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(import::plan(&self.conn, &self.knowledge.taxonomy, &tables, kind, &name)?)
    }

    /// Plans the import of a file's bytes (`name` gives its type).
    pub fn plan_bytes(&self, bytes: &[u8], name: &str, kind: RecordKind) -> Result<ImportPlan> {
        let tables = table::read_bytes(bytes, name)?;
        Ok(import::plan(&self.conn, &self.knowledge.taxonomy, &tables, kind, name)?)
    }

    /// Commits an import plan in one transaction, then brings the index up to date.
    pub fn commit_import(
        &mut self,
        plan: &ImportPlan,
        merge_duplicates: bool,
        progress: &mut dyn FnMut(usize, usize),
        cancel: Option<&AtomicBool>,
    ) -> Result<Counts> {
        self.commit_plan(plan, merge_duplicates, progress, cancel, false)
    }

    fn commit_plan(
        &mut self,
        plan: &ImportPlan,
        merge_duplicates: bool,
        progress: &mut dyn FnMut(usize, usize),
        cancel: Option<&AtomicBool>,
        demo: bool,
    ) -> Result<Counts> {
        let action = if merge_duplicates { BackupAction::Merge } else { BackupAction::Import };
        if !demo && let Err(e) = self.backup_before(action) {
            self.notices.push(Notice::BackupFailed(Box::new(e)));
        }
        let mut log = history::ImportLog::prepare(&self.conn, plan, merge_duplicates, demo)?;
        let mut write_log = |conn: &Connection, touched: &import::Touched| log.write(conn, touched);
        let opts = CommitOptions { merge_duplicates, progress, cancel, demo, log: Some(&mut write_log) };
        let (counts, touched) = import::commit_touched(&mut self.conn, plan, opts)?;
        let changed = touched.experts.len() + touched.demands.len();
        // Rebuilt when most of the index changes; otherwise only the changed records are
        // indexed again (a list of demands imported next to a large pool of experts).
        let stored =
            store::count(&self.conn, store::Table::Experts)? + store::count(&self.conn, store::Table::Demands)?;
        if changed > REBUILD_ABOVE && changed.saturating_mul(2) > usize::try_from(stored).unwrap_or(0) {
            let rebuilt = self.index.rebuild(&self.conn, &self.knowledge.taxonomy);
            self.index_followed(rebuilt);
            self.drop_model();
        } else {
            self.sync(&touched.experts, &touched.demands)?;
        }
        Ok(counts)
    }

    /// Saves the rejected rows of a plan as a workbook to fix and import again.
    pub fn save_rejected(&self, plan: &ImportPlan, path: &Path) -> Result<()> {
        self.check_output(path)?;
        Ok(crate::io::export::save_rejected_rows(plan, path)?)
    }

    /// Imports the built-in demo workbooks (a second run updates nothing). Returns the counts
    /// for experts and for demands.
    pub fn load_demo(&mut self, progress: &mut dyn FnMut(usize, usize)) -> Result<(Counts, Counts)> {
        let mut counts = [Counts::default(); 2];
        for (slot, (bytes, name, kind)) in counts.iter_mut().zip(DEMO) {
            let plan = self.plan_bytes(bytes, name, kind)?;
            *slot = self.commit_plan(&plan, false, &mut *progress, None, true)?;
        }
        self.load_demo_history(&super::followup::today())?;
        self.refresh_history()?;
        Ok((counts[0], counts[1]))
    }

    /// Writes a list (专家人才库 or 企业需求) as xlsx/CSV with the importer's headers; returns
    /// the number of records.
    pub fn export_list(&self, kind: RecordKind, path: &Path) -> Result<usize> {
        use crate::io::lists;
        self.check_output(path)?;
        let tax = &self.knowledge.taxonomy;
        let sheet = match kind {
            RecordKind::Expert => lists::experts_sheet(&self.all_experts()?, tax),
            RecordKind::Demand => {
                let enterprises: HashMap<i64, Enterprise> =
                    store::list_enterprises(&self.conn)?.into_iter().map(|e| (e.id, e)).collect();
                let find = |d: &Demand| d.enterprise_id.and_then(|id| enterprises.get(&id).cloned());
                lists::demands_sheet(&self.all_demands()?, &find, tax)
            }
        };
        lists::save(&sheet, path)?;
        Ok(sheet.rows.len())
    }

    /// How many experts and demands are demo data (the status bar says so while there are any).
    pub fn demo_counts(&self) -> Result<(i64, i64)> {
        Ok(store::demo_counts(&self.conn)?)
    }

    /// 清除演示数据: removes the demo records and everything attached to them, and nothing else,
    /// in one transaction after a backup.
    pub fn clear_demo(&mut self) -> Result<store::DemoCleared> {
        if let Err(e) = self.backup_before(BackupAction::ClearDemo) {
            self.notices.push(Notice::BackupFailed(Box::new(e)));
        }
        let images = self.demo_images()?;
        let conn = &self.conn;
        let cleared = store::atomically(conn, || -> Result<store::DemoCleared> {
            let cleared = store::clear_demo(conn)?;
            history::record(conn, Action::ClearDemo, &Core::demo_summary(&cleared), &images)?;
            Ok(cleared)
        })?;
        let rebuilt = self.index.rebuild(&self.conn, &self.knowledge.taxonomy);
        self.index_followed(rebuilt);
        self.drop_model();
        Ok(cleared)
    }

    /// Whether the database has no experts (a first start).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(store::count(&self.conn, store::Table::Experts)? == 0)
    }

    // ------------------------------------------------------------------------------ search and match

    /// Rebuilds the index from the database; returns the number of documents.
    pub fn reindex(&mut self) -> Result<usize> {
        self.drop_model();
        let n = match self.index.rebuild(&self.conn, &self.knowledge.taxonomy) {
            Ok(n) => n,
            // Files too damaged to write into: start a new folder.
            Err(crate::search::SearchError::Damaged(_) | crate::search::SearchError::Index(_)) => {
                if !self.index.heal(&self.conn, &self.knowledge)? {
                    self.notices.push(Notice::IndexInMemory);
                }
                let n =
                    store::count(&self.conn, store::Table::Experts)? + store::count(&self.conn, store::Table::Demands)?;
                usize::try_from(n).unwrap_or(0)
            }
            Err(e) => return Err(e.into()),
        };
        self.index_stale = false;
        Ok(n)
    }

    pub fn search(&mut self, req: &SearchRequest) -> Result<Vec<SearchHit>> {
        self.read_index(|index, taxonomy| index.search(req, taxonomy))
    }

    /// expert id → enterprise ids, and enterprise id → expert ids, of pairs marked 回避/不再推荐.
    fn exclusion_maps(&self) -> Result<(IdSets, IdSets)> {
        let mut by_expert: IdSets = HashMap::new();
        let mut by_enterprise: IdSets = HashMap::new();
        for (e, en, _) in store::exclusions(&self.conn)? {
            by_expert.entry(e).or_default().insert(en);
            by_enterprise.entry(en).or_default().insert(e);
        }
        Ok((by_expert, by_enterprise))
    }

    /// Ranked experts for a demand.
    pub fn match_demand(&self, demand: &Demand, top: usize) -> Result<Vec<Suggestion>> {
        let opts = self.demand_options(demand, top)?;
        Ok(self.with_matcher(|m| m.suggest_experts(demand, &opts, &self.conn))??)
    }

    /// Ranked open demands for an expert. An expert marked unavailable gets none.
    pub fn match_expert(&self, expert: &Expert, top: usize) -> Result<Vec<Suggestion>> {
        if !expert.available {
            return Ok(Vec::new());
        }
        let opts = self.expert_options(expert, top)?;
        Ok(self.with_matcher(|m| m.suggest_demands(expert, &opts, &self.conn))??)
    }

    /// The options of a demand's ranking: its enterprise's 回避/不再推荐 experts left out.
    fn demand_options(&self, demand: &Demand, top: usize) -> Result<MatchOptions> {
        let (_, by_enterprise) = self.exclusion_maps()?;
        let excluded = demand.enterprise_id.and_then(|id| by_enterprise.get(&id).cloned()).unwrap_or_default();
        Ok(MatchOptions { top, excluded, ..Default::default() })
    }

    /// The options of an expert's ranking: the demands of enterprises marked for them left out.
    fn expert_options(&self, expert: &Expert, top: usize) -> Result<MatchOptions> {
        let (by_expert, _) = self.exclusion_maps()?;
        let blocked: Vec<i64> = by_expert.get(&expert.id).into_iter().flatten().copied().collect();
        let excluded: HashSet<i64> = store::demand_ids_of_enterprises(&self.conn, &blocked)?.into_iter().collect();
        Ok(MatchOptions { top, excluded, ..Default::default() })
    }

    /// The score of any pair, explained as a suggestion of the expert (also for a pair that is
    /// not suggested, or is excluded: `excluded` says why it would not be).
    pub fn score_pair(&self, demand: &Demand, expert: &Expert) -> Result<(Suggestion, PairScore)> {
        self.score_pair_for(demand, expert, RecordKind::Expert)
    }

    /// [`Core::score_pair`] worded for `target`, the side being suggested.
    fn score_pair_for(&self, demand: &Demand, expert: &Expert, target: RecordKind) -> Result<(Suggestion, PairScore)> {
        self.with_matcher(|m| {
            let pair = m.pair(demand, expert);
            (m.explain(demand, expert, &pair, target, &self.conn), pair)
        })
    }

    /// Any pair explained, worded for `target` (the side being suggested): its suggestion, why it
    /// would never be suggested (if so), and its rank among the suggestions for the other side
    /// (within the first 1000).
    pub fn explain_pair(&self, demand: &Demand, expert: &Expert, target: RecordKind) -> Result<PairReport> {
        let (suggestion, _) = self.score_pair_for(demand, expert, target)?;
        let blocked = self.pair_blocked(demand, expert)?;
        // The rank from the ranking alone: nothing else needs explaining.
        let rank = match (blocked, target) {
            (Some(_), _) => None,
            (None, RecordKind::Expert) => {
                let opts = self.demand_options(demand, 1000)?;
                self.with_matcher(|m| m.rank_experts(demand, &opts).iter().position(|r| r.row == expert.id))?
            }
            (None, RecordKind::Demand) => {
                let opts = self.expert_options(expert, 1000)?;
                self.with_matcher(|m| m.rank_demands(expert, &opts).iter().position(|r| r.row == demand.id))?
            }
        };
        let rank = rank.map(|p| p + 1);
        Ok(PairReport { demand_id: demand.id, expert_id: expert.id, suggestion, blocked, rank })
    }

    /// Why a pair is never suggested, when it is not: the expert is unavailable, the demand is
    /// closed, or the pair is marked 回避/不再推荐.
    pub fn pair_blocked(&self, demand: &Demand, expert: &Expert) -> Result<Option<PairBlock>> {
        if !expert.available {
            return Ok(Some(PairBlock::Unavailable));
        }
        if let Some(en) = demand.enterprise_id
            && let Some(kind) = store::exclusion(&self.conn, expert.id, en)?
        {
            return Ok(Some(PairBlock::Excluded(kind)));
        }
        if !matches!(demand.status, DemandStatus::Open | DemandStatus::InProgress) {
            return Ok(Some(PairBlock::Closed));
        }
        Ok(None)
    }

    /// The subfields the classifier suggests for every record of a kind (nodes the record does
    /// not have as its own), best first; records sorted by 编号.
    pub fn suggested_subfields(&self, kind: RecordKind) -> Result<Vec<Classified>> {
        let model = self.model()?;
        let rows: Vec<(i64, String, Vec<String>)> = match kind {
            RecordKind::Expert => {
                store::expert_rows(&self.conn)?.into_iter().map(|r| (r.id, r.ext_id, r.subfields)).collect()
            }
            RecordKind::Demand => {
                store::demand_rows(&self.conn)?.into_iter().map(|r| (r.id, r.ext_id, r.subfields)).collect()
            }
        };
        let mut out = Vec::new();
        for (id, ext_id, own) in rows {
            let p = match kind {
                RecordKind::Expert => model.expert(id),
                RecordKind::Demand => model.demand(id),
            };
            let Some(p) = p else { continue };
            let suggestions = p
                .nodes
                .iter()
                .zip(&p.node_evidence)
                .map(|((n, c), ev)| (self.index.prepared.codes[*n as usize].clone(), *c, ev))
                .filter(|(code, _, _)| !own.contains(code))
                .map(|(code, c, ev)| Suggested {
                    name: self.knowledge.taxonomy.name(&code).unwrap_or(&code).to_string(),
                    code,
                    confidence: (f64::from(c) * 100.0).round() / 100.0,
                    evidence: ev.clone(),
                })
                .collect();
            out.push(Classified { row: id, ext_id, confirmed: !own.is_empty(), suggestions });
        }
        out.sort_by(|a, b| a.ext_id.cmp(&b.ext_id));
        Ok(out)
    }

    /// Confirms the best suggested subfield of every record of a kind that has none of its own,
    /// when its confidence is at least `threshold`: one transaction, then the index and the
    /// model follow. Returns (编号, code) of the records changed, sorted by 编号.
    /// Confirms a record's subfields (归类审核: accept or change), as one logged action; the index
    /// and the model follow.
    pub fn set_subfields(&mut self, kind: RecordKind, row: i64, codes: Vec<String>) -> Result<()> {
        for c in &codes {
            if self.knowledge.taxonomy.node(c).is_none() {
                return Err(EngineError::NotFound(Missing::Subfield(c.clone())));
            }
        }
        let conn = &self.conn;
        store::atomically(conn, || -> Result<()> {
            let t = history::table(kind);
            let before = changelog::record_image(conn, t, row)?;
            match kind {
                RecordKind::Expert => {
                    let mut e = store::get_expert(conn, row)?
                        .ok_or(EngineError::NotFound(Missing::Record(RecordKind::Expert, None)))?;
                    e.subfields = codes.clone();
                    store::update_expert(conn, &e)?;
                }
                RecordKind::Demand => {
                    let mut d = store::get_demand(conn, row)?
                        .ok_or(EngineError::NotFound(Missing::Record(RecordKind::Demand, None)))?;
                    d.subfields = codes.clone();
                    store::update_demand(conn, &d)?;
                }
            }
            history::record_one(conn, Action::Classify, t, row, before).map(|_| ())
        })?;
        match kind {
            RecordKind::Expert => self.sync(&[row], &[]),
            RecordKind::Demand => self.sync(&[], &[row]),
        }
    }

    pub fn accept_suggestions(&mut self, kind: RecordKind, threshold: f64) -> Result<Vec<(String, String)>> {
        let picks: Vec<(i64, String, String)> = self
            .suggested_subfields(kind)?
            .into_iter()
            .filter(|c| !c.confirmed)
            .filter_map(|c| {
                let best = c.suggestions.into_iter().next().filter(|s| s.confidence + 1e-9 >= threshold)?;
                Some((c.row, c.ext_id, best.code))
            })
            .collect();
        let conn = &self.conn;
        store::atomically(conn, || -> Result<()> {
            let t = history::table(kind);
            let mut changes = Vec::new();
            for (row, _, code) in &picks {
                let before = changelog::record_image(conn, t, *row)?;
                match kind {
                    RecordKind::Expert => {
                        let Some(mut e) = store::get_expert(conn, *row)? else { continue };
                        e.subfields = vec![code.clone()];
                        store::update_expert(conn, &e)?;
                    }
                    RecordKind::Demand => {
                        let Some(mut d) = store::get_demand(conn, *row)? else { continue };
                        d.subfields = vec![code.clone()];
                        store::update_demand(conn, &d)?;
                    }
                }
                let l = history::label(conn, t, *row)?;
                changes.push((t, *row, l, before, changelog::record_image(conn, t, *row)?));
            }
            if !changes.is_empty() {
                history::record(conn, Action::Classify, &format!("{} 条", changes.len()), &changes)?;
            }
            Ok(())
        })?;
        let rows: Vec<i64> = picks.iter().map(|p| p.0).collect();
        match kind {
            RecordKind::Expert => self.sync(&rows, &[])?,
            RecordKind::Demand => self.sync(&[], &rows)?,
        }
        Ok(picks.into_iter().map(|(_, ext_id, code)| (ext_id, code)).collect())
    }

    /// Suggestions for every open demand (待对接/对接中), using all cores; sorted by 编号.
    pub fn match_all(&self, top: usize) -> Result<Vec<DemandMatches>> {
        let mut all = Vec::new();
        self.match_all_each(top, &|m| m, |batch| -> std::result::Result<(), std::convert::Infallible> {
            all.extend(batch);
            Ok(())
        })?
        .unwrap_or_else(|never| match never {});
        Ok(all)
    }

    /// [`Core::match_all`] handed over in batches (in 编号 order), so a caller that writes them
    /// out never holds every suggestion at once; each demand's suggestions are first turned
    /// into what the caller keeps by `render`, on the matching threads (writing 10,000 lines of
    /// JSON is work too); stops at the first error `each` returns.
    pub fn match_all_each<T: Send, E>(
        &self,
        top: usize,
        render: &(dyn Fn(DemandMatches) -> T + Sync),
        mut each: impl FnMut(Vec<T>) -> std::result::Result<(), E>,
    ) -> Result<std::result::Result<(), E>> {
        /// Demands matched between two hand-overs.
        const BATCH: usize = 1024;
        let started = std::time::Instant::now();
        let (records, _model) = self.preloaded_with_model()?;
        let mut demands: Vec<Demand> = records
            .demands
            .values()
            .filter(|d| matches!(d.status, DemandStatus::Open | DemandStatus::InProgress))
            .cloned()
            .collect();
        demands.sort_by(|a, b| a.ext_id.cmp(&b.ext_id).then(a.id.cmp(&b.id)));
        let (_, by_enterprise) = self.exclusion_maps()?;
        let prof = std::env::var_os("BOLE_PROFILE").is_some();
        let (mut matching, mut handing) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
        if prof {
            eprintln!("records and model ready at {:.2} s", started.elapsed().as_secs_f64());
        }
        for batch in demands.chunks(BATCH) {
            let t = std::time::Instant::now();
            let matched = self.match_many_with(batch, top, &records, &by_enterprise, render)?;
            matching += t.elapsed();
            let t = std::time::Instant::now();
            let handed = each(matched);
            handing += t.elapsed();
            if let Err(e) = handed {
                return Ok(Err(e));
            }
        }
        if prof {
            eprintln!(
                "matched in {:.2} s, handed over (written) in {:.2} s",
                matching.as_secs_f64(),
                handing.as_secs_f64()
            );
        }
        Ok(Ok(()))
    }

    /// Matches many demands on all cores; sorted by 编号.
    pub fn match_many(
        &self,
        demands: &[Demand],
        top: usize,
        records: &(dyn Records + Sync),
        by_enterprise: &IdSets,
    ) -> Result<Vec<DemandMatches>> {
        let mut out = self.match_many_with(demands, top, records, by_enterprise, &|m| m)?;
        out.sort_by(|a, b| a.demand_id.cmp(&b.demand_id));
        Ok(out)
    }

    /// Matches many demands on all cores (each thread takes the next demand when done with
    /// one), each rendered by `render`; in the order given.
    fn match_many_with<T: Send>(
        &self,
        demands: &[Demand],
        top: usize,
        records: &(dyn Records + Sync),
        by_enterprise: &IdSets,
        render: &(dyn Fn(DemandMatches) -> T + Sync),
    ) -> Result<Vec<T>> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let threads = std::thread::available_parallelism().map(std::num::NonZero::get).unwrap_or(1).clamp(1, 8);
        let model = self.model()?;
        let matcher = Matcher { model: &model, kit: self.kit(), knowledge: &self.knowledge };
        let one = |d: &Demand| -> Result<T> {
            let excluded = d.enterprise_id.and_then(|id| by_enterprise.get(&id).cloned()).unwrap_or_default();
            let opts = MatchOptions { top, excluded, ..Default::default() };
            let matches = matcher.suggest_experts(d, &opts, records)?;
            Ok(render(DemandMatches { demand_id: d.ext_id.clone(), matches }))
        };
        let next = AtomicUsize::new(0);
        let work = || -> Result<Vec<(usize, T)>> {
            let mut got = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(d) = demands.get(i) else { return Ok(got) };
                got.push((i, one(d)?));
            }
        };
        let results: Vec<Result<Vec<(usize, T)>>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads.min(demands.len()).max(1))
                .map(|i| std::thread::Builder::new().name(format!("bole-match-{i}")).spawn_scoped(s, work))
                .collect();
            handles
                .into_iter()
                .map(|h| match h {
                    Ok(h) => h.join().unwrap_or(Err(EngineError::Thread)),
                    Err(_) => Err(EngineError::Thread),
                })
                .collect()
        });
        let mut out: Vec<(usize, T)> = Vec::with_capacity(demands.len());
        for r in results {
            out.extend(r?);
        }
        out.sort_by_key(|(i, _)| *i);
        Ok(out.into_iter().map(|(_, t)| t).collect())
    }

    // ------------------------------------------------------------------------------ marks

    /// Marks (or with `kind = None` clears) an expert–enterprise pair.
    pub fn set_exclusion(
        &mut self,
        expert_id: i64,
        enterprise_id: i64,
        kind: Option<ExclusionKind>,
        note: &str,
    ) -> Result<()> {
        let conn = &self.conn;
        let find = || -> rusqlite::Result<Option<i64>> {
            use rusqlite::OptionalExtension;
            conn.query_row(
                "SELECT id FROM exclusion WHERE expert_id = ?1 AND enterprise_id = ?2",
                [expert_id, enterprise_id],
                |r| r.get(0),
            )
            .optional()
        };
        store::atomically(conn, || -> Result<()> {
            let old = find()?;
            let before = match old {
                Some(x) => changelog::record_image(conn, "exclusion", x)?,
                None => None,
            };
            let label = match old {
                Some(x) => history::label(conn, "exclusion", x)?,
                None => String::new(),
            };
            match kind {
                Some(k) => store::set_exclusion(conn, expert_id, enterprise_id, k, note)?,
                None => {
                    store::clear_exclusion(conn, expert_id, enterprise_id)?;
                }
            }
            let now = find()?;
            let row = now.or(old).unwrap_or(0);
            let after = match now {
                Some(x) => changelog::record_image(conn, "exclusion", x)?,
                None => None,
            };
            let label = if label.is_empty() { history::label(conn, "exclusion", row)? } else { label };
            history::record(conn, Action::Exclusion, &label, &[("exclusion", row, label.clone(), before, after)])?;
            Ok(())
        })
    }

    /// Marks an expert available or not (暂不可约); the index follows.
    pub fn set_available(&mut self, expert_id: i64, available: bool) -> Result<()> {
        let conn = &self.conn;
        store::atomically(conn, || -> Result<()> {
            let before = changelog::record_image(conn, "expert", expert_id)?;
            if !store::set_available(conn, expert_id, available)? {
                return Err(EngineError::NotFound(Missing::Record(RecordKind::Expert, None)));
            }
            history::record_one(conn, Action::Available, "expert", expert_id, before).map(|_| ())
        })?;
        self.sync(&[expert_id], &[])
    }

    /// Records a pairing (加入对接); false when it was already recorded.
    pub fn add_pairing(&mut self, expert_id: i64, demand_id: i64, score: f64, reasons: &str) -> Result<bool> {
        let origin =
            store::followup::PairingOrigin { source: "加入对接", meeting_id: None, score: Some(score), reasons };
        self.begin_pairing(expert_id, demand_id, origin, "加入对接")
    }
}

/// The cells of a file's first sheet (a CSV of labels, say), as text.
pub fn read_table(path: &Path) -> Result<Vec<Vec<String>>> {
    Ok(table::read_path(path)?.into_iter().next().map(|t| t.rows).unwrap_or_default())
}

/// The enterprise named `name` (found, or created); None for an empty name.
fn enterprise_for(conn: &Connection, name: &str) -> Result<Option<i64>> {
    let name = crate::util::clean_line(name);
    if name.is_empty() {
        return Ok(None);
    }
    Ok(Some(match store::find_enterprise(conn, &name)? {
        Some(e) => e.id,
        None => store::insert_enterprise(conn, &Enterprise { name, ..Default::default() })?,
    }))
}
