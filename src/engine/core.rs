//! [`Core`]: the connection, the knowledge, the search index and the matcher, with the user-level
//! operations (import, search, match, exclusions) that keep SQLite and the index in step.
//! SQLite is written first; the index follows and records the database change counter it reflects,
//! so an interrupted update is repaired (rebuilt) on the next start.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::AtomicBool;

use rusqlite::Connection;

use crate::domain::ExclusionKind;
use crate::domain::{Demand, DemandStatus, Expert, Knowledge};
use crate::io::import::{self, CommitOptions, Counts, ImportPlan};
use crate::matching::{MatchOptions, Matcher, Preloaded, Prepared, Records, Source, Suggestion};
use crate::search::{OpenOutcome, SearchHit, SearchIndex, SearchRequest, index_dir_for};
use crate::store;

/// id → set of ids (expert → enterprises, enterprise → experts).
type IdSets = HashMap<i64, HashSet<i64>>;

pub struct Core {
    pub conn: Connection,
    pub knowledge: Knowledge,
    pub index: SearchIndex,
    pub prepared: Prepared,
    /// Whether the index was reused or rebuilt when opening, and why.
    pub index_outcome: OpenOutcome,
}

/// Suggestions for one demand (for `match --all`).
#[derive(Debug, Clone)]
pub struct DemandMatches {
    pub demand_id: String,
    pub matches: Vec<Suggestion>,
}

pub(super) fn db_err(e: rusqlite::Error) -> String {
    format!("数据库操作失败：{e}")
}

impl Core {
    /// Opens the database file and its index (`bole.db` → `bole.index/`), loading the knowledge
    /// files (built-in, or the copies in `<data folder>/knowledge/`).
    pub fn open(db: &Path) -> Result<Self, String> {
        let knowledge_dir = db.parent().unwrap_or(Path::new(".")).join("knowledge");
        let knowledge = crate::io::knowledge::load(&knowledge_dir)?;
        let conn = store::open(db, &knowledge.taxonomy)?;
        let (index, index_outcome) = SearchIndex::open(&index_dir_for(db), &conn, &knowledge)?;
        let prepared = Prepared::new(&index.analyzer, &knowledge);
        Ok(Core { conn, knowledge, index, prepared, index_outcome })
    }

    /// A database and index in memory (evaluation, tests).
    pub fn in_memory(knowledge: Knowledge) -> Result<Self, String> {
        let conn = store::open_in_memory(&knowledge.taxonomy).map_err(db_err)?;
        let index = SearchIndex::in_ram(&conn, &knowledge)?;
        let prepared = Prepared::new(&index.analyzer, &knowledge);
        Ok(Core { conn, knowledge, index, prepared, index_outcome: OpenOutcome::Rebuilt("内存索引".into()) })
    }

    pub fn matcher(&self) -> Matcher<'_> {
        Matcher { index: &self.index, knowledge: &self.knowledge, prepared: &self.prepared }
    }

    /// Commits an import plan, then brings the index up to date.
    pub fn commit_import(
        &mut self,
        plan: &ImportPlan,
        merge_duplicates: bool,
        progress: &mut dyn FnMut(usize, usize),
        cancel: Option<&AtomicBool>,
    ) -> Result<Counts, String> {
        let (counts, touched) =
            import::commit_touched(&mut self.conn, plan, CommitOptions { merge_duplicates, progress, cancel })?;
        if touched.experts.len() + touched.demands.len() > 5_000 {
            self.index.rebuild(&self.conn, &self.knowledge.taxonomy)?;
        } else {
            self.index.sync_records(&self.conn, &self.knowledge.taxonomy, &touched.experts, &touched.demands)?;
        }
        Ok(counts)
    }

    /// Rebuilds the index from the database; returns the number of documents.
    pub fn reindex(&mut self) -> Result<usize, String> {
        self.index.rebuild(&self.conn, &self.knowledge.taxonomy)
    }

    pub fn search(&self, req: &SearchRequest) -> Result<Vec<SearchHit>, String> {
        self.index.search(req, &self.knowledge.taxonomy)
    }

    pub fn expert(&self, ext_id: &str) -> Result<Expert, String> {
        store::find_expert(&self.conn, ext_id).map_err(db_err)?.ok_or_else(|| format!("找不到编号为“{ext_id}”的专家"))
    }

    pub fn demand(&self, ext_id: &str) -> Result<Demand, String> {
        store::find_demand(&self.conn, ext_id).map_err(db_err)?.ok_or_else(|| format!("找不到编号为“{ext_id}”的需求"))
    }

    /// expert id → enterprise ids, and enterprise id → expert ids, of pairs marked 回避/不再推荐.
    fn exclusion_maps(&self) -> Result<(IdSets, IdSets), String> {
        let mut by_expert: HashMap<i64, HashSet<i64>> = HashMap::new();
        let mut by_enterprise: HashMap<i64, HashSet<i64>> = HashMap::new();
        for (e, en, _) in store::exclusions(&self.conn).map_err(db_err)? {
            by_expert.entry(e).or_default().insert(en);
            by_enterprise.entry(en).or_default().insert(e);
        }
        Ok((by_expert, by_enterprise))
    }

    /// Ranked experts for a demand.
    pub fn match_demand(&self, demand: &Demand, top: usize) -> Result<Vec<Suggestion>, String> {
        let (_, by_enterprise) = self.exclusion_maps()?;
        let excluded = demand.enterprise_id.and_then(|id| by_enterprise.get(&id).cloned()).unwrap_or_default();
        let opts = MatchOptions { top, excluded, ..Default::default() };
        self.matcher().suggest(&Source::demand(demand), &opts, &self.conn)
    }

    /// Ranked open demands for an expert. An expert marked unavailable gets none.
    pub fn match_expert(&self, expert: &Expert, top: usize) -> Result<Vec<Suggestion>, String> {
        if !expert.available {
            return Ok(Vec::new());
        }
        let (by_expert, _) = self.exclusion_maps()?;
        let blocked = by_expert.get(&expert.id).cloned().unwrap_or_default();
        let blocked: Vec<i64> = blocked.into_iter().collect();
        let excluded: HashSet<i64> =
            store::demand_ids_of_enterprises(&self.conn, &blocked).map_err(db_err)?.into_iter().collect();
        let opts = MatchOptions { top, excluded, ..Default::default() };
        self.matcher().suggest(&Source::expert(expert), &opts, &self.conn)
    }

    /// Suggestions for every open demand (待对接/对接中), using both cores; sorted by 编号.
    pub fn match_all(&self, top: usize) -> Result<Vec<DemandMatches>, String> {
        let demands: Vec<Demand> = store::list_demands(&self.conn)
            .map_err(db_err)?
            .into_iter()
            .filter(|d| matches!(d.status, DemandStatus::Open | DemandStatus::InProgress))
            .collect();
        let records = Preloaded {
            experts: store::list_experts(&self.conn).map_err(db_err)?.into_iter().map(|e| (e.id, e)).collect(),
            demands: HashMap::new(),
        };
        let (_, by_enterprise) = self.exclusion_maps()?;
        self.match_many(&demands, top, &records, &by_enterprise)
    }

    /// Matches many demands on all cores.
    pub fn match_many(
        &self,
        demands: &[Demand],
        top: usize,
        records: &dyn RecordsSync,
        by_enterprise: &HashMap<i64, HashSet<i64>>,
    ) -> Result<Vec<DemandMatches>, String> {
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
        let chunk = demands.len().div_ceil(threads).max(1);
        let matcher = self.matcher();
        let results: Vec<Result<Vec<DemandMatches>, String>> = std::thread::scope(|s| {
            let handles: Vec<_> = demands
                .chunks(chunk)
                .enumerate()
                .map(|(i, part)| {
                    let matcher = &matcher;
                    std::thread::Builder::new()
                        .name(format!("bole-match-{i}"))
                        .spawn_scoped(s, move || {
                            part.iter()
                                .map(|d| {
                                    let excluded = d
                                        .enterprise_id
                                        .and_then(|id| by_enterprise.get(&id).cloned())
                                        .unwrap_or_default();
                                    let opts = MatchOptions { top, excluded, ..Default::default() };
                                    let matches = matcher.suggest(&Source::demand(d), &opts, records.as_records())?;
                                    Ok(DemandMatches { demand_id: d.ext_id.clone(), matches })
                                })
                                .collect()
                        })
                        .expect("spawn matching thread")
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("匹配线程异常退出".into()))).collect()
        });
        let mut out = Vec::with_capacity(demands.len());
        for r in results {
            out.extend(r?);
        }
        out.sort_by(|a, b| a.demand_id.cmp(&b.demand_id));
        Ok(out)
    }

    /// Marks (or with `kind = None` clears) an expert–enterprise pair.
    pub fn set_exclusion(
        &mut self,
        expert: &Expert,
        enterprise_id: i64,
        kind: Option<ExclusionKind>,
        note: &str,
    ) -> Result<(), String> {
        match kind {
            Some(k) => store::set_exclusion(&self.conn, expert.id, enterprise_id, k, note).map_err(db_err),
            None => store::clear_exclusion(&self.conn, expert.id, enterprise_id).map(|_| ()).map_err(db_err),
        }
    }

    /// Marks an expert available or not (暂不可约); the index follows.
    pub fn set_available(&mut self, expert: &Expert, available: bool) -> Result<(), String> {
        store::set_available(&self.conn, expert.id, available).map_err(db_err)?;
        self.index.sync_records(&self.conn, &self.knowledge.taxonomy, &[expert.id], &[])
    }
}

/// [`Records`] that can be shared across matching threads.
pub trait RecordsSync: Sync {
    fn as_records(&self) -> &dyn Records;
}

impl RecordsSync for Preloaded {
    fn as_records(&self) -> &dyn Records {
        self
    }
}
