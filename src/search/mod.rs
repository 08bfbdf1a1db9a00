//! The full-text index (tantivy): derived from SQLite and rebuildable from it at any time.
//!
//! One index holds experts and demands (field `kind`), keyed by a STRING field (`e12`, `d7`) for
//! upserts (delete + add + commit). It lives next to the database (`bole.db` → `bole.index/`) and is
//! rebuilt when missing, corrupt, of an older schema, built with other knowledge files, or behind
//! the database's change counter. This module owns the only `IndexWriter` and one long-lived
//! `IndexReader`.

pub mod analyzer;
pub mod knowledge;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, DocSet, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TERMINATED, TantivyDocument, Term,
};

pub use analyzer::{Analyzer, QueryTerm, Tok};
use analyzer::{BoleTokenizer, Mode};

pub use crate::domain::RecordKind;
use crate::domain::{Demand, Expert, Knowledge, Taxonomy};
use crate::store;

/// Bumped whenever the schema or the analysis changes: older indexes are rebuilt.
pub const INDEX_SCHEMA: u32 = 3;

const WORDS: &str = "bole_words";
const BIGRAMS: &str = "bole_bigrams";

/// The `kind` field's value of a record kind.
fn kind_tag(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Expert => "e",
        RecordKind::Demand => "d",
    }
}

/// The STRING key of a record's document (`e12`, `d7`), used for upserts.
pub fn doc_key(kind: RecordKind, id: i64) -> String {
    format!("{}{id}", kind_tag(kind))
}

/// The text fields a term can match in, with their meaning per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TextField {
    /// 关键词 (both kinds).
    Keywords,
    /// 研究方向 (expert) / 需求名称 (demand).
    Main,
    /// 代表性成果 (expert) / 需求描述 (demand).
    Body,
    /// 姓名、单位 (expert) / 企业 (demand).
    Meta,
}

impl TextField {
    pub const CONTENT: [TextField; 3] = [TextField::Keywords, TextField::Main, TextField::Body];

    pub fn label(self, kind: RecordKind) -> &'static str {
        match (self, kind) {
            (TextField::Keywords, _) => "关键词",
            (TextField::Main, RecordKind::Expert) => "研究方向",
            (TextField::Main, RecordKind::Demand) => "需求名称",
            (TextField::Body, RecordKind::Expert) => "代表性成果",
            (TextField::Body, RecordKind::Demand) => "需求描述",
            (TextField::Meta, RecordKind::Expert) => "姓名/单位",
            (TextField::Meta, RecordKind::Demand) => "企业",
        }
    }
}

/// The text fields of one kind of record. Experts and demands have separate fields, so a query
/// for one kind needs no filter and tantivy can prune with block-max WAND.
#[derive(Debug, Clone, Copy)]
pub struct KindFields {
    pub kw: Field,
    pub main: Field,
    pub body: Field,
    pub meta: Field,
    pub gram: Field,
}

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub key: Field,
    pub rid: Field,
    pub kind: Field,
    pub expert: KindFields,
    pub demand: KindFields,
    pub subfield: Field,
    pub inst: Field,
    pub rank: Field,
    pub status: Field,
}

impl Fields {
    pub fn of(&self, kind: RecordKind) -> &KindFields {
        match kind {
            RecordKind::Expert => &self.expert,
            RecordKind::Demand => &self.demand,
        }
    }

    pub fn text(&self, kind: RecordKind, f: TextField) -> Field {
        let k = self.of(kind);
        match f {
            TextField::Keywords => k.kw,
            TextField::Main => k.main,
            TextField::Body => k.body,
            TextField::Meta => k.meta,
        }
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(WORDS).set_index_option(IndexRecordOption::WithFreqs),
    );
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(BIGRAMS).set_index_option(IndexRecordOption::WithFreqs),
    );
    let mut kind_fields = |p: &str| KindFields {
        kw: b.add_text_field(&format!("{p}_kw"), words.clone()),
        main: b.add_text_field(&format!("{p}_main"), words.clone()),
        body: b.add_text_field(&format!("{p}_body"), words.clone()),
        meta: b.add_text_field(&format!("{p}_meta"), words.clone()),
        gram: b.add_text_field(&format!("{p}_gram"), grams.clone()),
    };
    let expert = kind_fields("e");
    let demand = kind_fields("d");
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        rid: b.add_i64_field("rid", FAST | INDEXED | STORED),
        kind: b.add_text_field("kind", STRING),
        expert,
        demand,
        subfield: b.add_facet_field("subfield", FacetOptions::default()),
        inst: b.add_text_field("inst", STRING),
        rank: b.add_text_field("rank", STRING),
        status: b.add_text_field("status", STRING),
    };
    (b.build(), fields)
}

/// What the index's commit payload records.
#[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
struct Payload {
    schema: u32,
    knowledge: String,
    seq: i64,
}

/// Why an index was (re)built when opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    /// The index on disk was up to date.
    Reused,
    /// Built from SQLite, with the reason.
    Rebuilt(RebuildReason),
}

/// Why the index was built from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RebuildReason {
    /// There was no index (first start, or it was deleted).
    Missing,
    /// Its files could not be read; the detail is tantivy's.
    Damaged(String),
    /// This program's index schema differs.
    SchemaChanged,
    /// Built by an older version of the analysis.
    OldVersion,
    /// The knowledge files (taxonomy, synonyms, links) changed.
    KnowledgeChanged,
    /// The database changed after the index's last commit.
    BehindDatabase,
    /// The commit carries no version payload.
    NoVersion,
    /// An index in memory (tests, evaluation).
    InMemory,
    /// Another Bole process was writing the index on disk: this one built its own in memory.
    Busy,
    /// The index folder could not be written (the detail is the system's): built in memory.
    Unwritable(String),
}

/// What can go wrong in the search layer.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("the index is locked by another Bole process")]
    Locked,
    /// The files are damaged (found while reading; a panic inside tantivy is one too).
    #[error("the index files are damaged: {0}")]
    Damaged(String),
    #[error("cannot {action} the index folder {path}: {source}")]
    Folder { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

impl From<rusqlite::Error> for SearchError {
    fn from(e: rusqlite::Error) -> Self {
        SearchError::Store(e.into())
    }
}

/// The result of a search-layer operation.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// Taken only while writing (a save, an import, a rebuild) and released after each commit, so
    /// another Bole process (the window, the command line) can write the same index in between.
    writer: Option<IndexWriter>,
    pub fields: Fields,
    pub analyzer: Analyzer,
    /// The knowledge analysed once (synonyms for queries; the classifier and links for matching).
    pub prepared: knowledge::Prepared,
    knowledge_fp: String,
    dir: Option<PathBuf>,
}

/// The index folder for a database file: `…/bole.db` → `…/bole.index`.
pub fn index_dir_for(db: &Path) -> PathBuf {
    db.with_extension("index")
}

/// How long a writer waits for another Bole process's write to the index to finish.
/// Records read from the database per query while re-indexing many.
const SYNC_CHUNK: usize = 500;
/// How many documents between two progress reports of a rebuild.
const PROGRESS_EVERY: usize = 200;
/// At most this many indexing threads (tokenising with jieba is the cost of a rebuild).
const INDEX_THREADS: usize = 4;

fn cores() -> usize {
    std::thread::available_parallelism().map(std::num::NonZero::get).unwrap_or(1)
}

const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs `f`, turning a panic inside tantivy (it panics on some damaged files) into an error.
pub fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let detail = p
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(SearchError::Damaged(detail))
    })
}

/// An empty index in `dir`, replacing whatever the folder held.
fn new_in_dir(dir: &Path, schema: Schema) -> Result<Index> {
    let folder = |action| move |source| SearchError::Folder { action, path: dir.to_path_buf(), source };
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(folder("clear"))?;
    }
    std::fs::create_dir_all(dir).map_err(folder("create"))?;
    Ok(Index::create_in_dir(dir, schema)?)
}

impl SearchIndex {
    fn setup(
        index: Index,
        fields: Fields,
        analyzer: Analyzer,
        knowledge: &Knowledge,
        dir: Option<PathBuf>,
    ) -> Result<Self> {
        let prepared = knowledge::Prepared::new(&analyzer, knowledge);
        let fp = format!("{:016x}", knowledge.fingerprint);
        index
            .tokenizers()
            .register(WORDS, TextAnalyzer::from(BoleTokenizer { analyzer: analyzer.clone(), mode: Mode::Words }));
        index
            .tokenizers()
            .register(BIGRAMS, TextAnalyzer::from(BoleTokenizer { analyzer: analyzer.clone(), mode: Mode::Bigrams }));
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex { index, reader, writer: None, fields, analyzer, prepared, knowledge_fp: fp, dir })
    }

    /// The writer, taken when first needed (tokenising on up to [`INDEX_THREADS`] cores); waits for another process's write to end.
    fn writer(&mut self) -> Result<&mut IndexWriter> {
        if self.writer.is_none() {
            let started = std::time::Instant::now();
            let w = loop {
                match self
                    .index
                    .writer_with_num_threads(INDEX_THREADS.min(cores()), 40_000_000 * INDEX_THREADS.min(cores()))
                {
                    Ok(w) => break w,
                    Err(tantivy::TantivyError::LockFailure(..)) if started.elapsed() < LOCK_WAIT => {
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                    Err(tantivy::TantivyError::LockFailure(..)) => return Err(SearchError::Locked),
                    Err(e) => return Err(e.into()),
                }
            };
            self.writer = Some(w);
        }
        Ok(self.writer.as_mut().expect("writer was just set"))
    }

    /// An index in memory, filled from the database (tests, `bole eval`).
    pub fn in_ram(conn: &Connection, knowledge: &Knowledge) -> Result<Self> {
        let (schema, fields) = schema();
        let analyzer = Analyzer::new(&knowledge.vocabulary());
        let mut idx = Self::setup(Index::create_in_ram(schema), fields, analyzer, knowledge, None)?;
        idx.rebuild(conn, &knowledge.taxonomy)?;
        Ok(idx)
    }

    /// Opens the index in `dir`, rebuilding it from the database when it is missing, corrupt,
    /// of another schema or knowledge version, or behind the database. When another Bole process
    /// is writing it meanwhile, this process works on an index in memory built from the database.
    pub fn open(dir: &Path, conn: &Connection, knowledge: &Knowledge) -> Result<(Self, OpenOutcome)> {
        let reason = match guarded(|| Self::open_existing(dir, conn, knowledge)) {
            Ok(Ok(idx)) => return Ok((idx, OpenOutcome::Reused)),
            Ok(Err(reason)) => reason,
            Err(e) => RebuildReason::Damaged(e.to_string()),
        };
        let fallback = match guarded(|| Self::create_fresh(dir, conn, knowledge)) {
            Ok(idx) => return Ok((idx, OpenOutcome::Rebuilt(reason))),
            Err(e @ SearchError::Store(_)) => return Err(e),
            Err(SearchError::Locked) => RebuildReason::Busy,
            Err(e) => RebuildReason::Unwritable(e.to_string()),
        };
        // The folder cannot be used now: this process searches an index in memory; the one on
        // disk, behind the database, is rebuilt by the next process that can.
        let idx = Self::in_ram(conn, knowledge)?;
        Ok((idx, OpenOutcome::Rebuilt(fallback)))
    }

    /// The index on disk when it can be used as is, else why not.
    fn open_existing(dir: &Path, conn: &Connection, knowledge: &Knowledge) -> Result<Result<Self, RebuildReason>> {
        if !dir.join("meta.json").exists() {
            return Ok(Err(RebuildReason::Missing));
        }
        let index = match Index::open_in_dir(dir) {
            Ok(i) => i,
            Err(e) => return Ok(Err(RebuildReason::Damaged(e.to_string()))),
        };
        let fp = format!("{:016x}", knowledge.fingerprint);
        let (schema, fields) = schema();
        let payload: Option<Payload> =
            index.load_metas().ok().and_then(|m| m.payload).and_then(|p| serde_json::from_str(&p).ok());
        let reason = match payload {
            _ if index.schema() != schema => RebuildReason::SchemaChanged,
            None => RebuildReason::NoVersion,
            Some(p) if p.schema != INDEX_SCHEMA => RebuildReason::OldVersion,
            Some(p) if p.knowledge != fp => RebuildReason::KnowledgeChanged,
            Some(p) if p.seq != store::change_seq(conn)? => RebuildReason::BehindDatabase,
            Some(_) => {
                let analyzer = Analyzer::new(&knowledge.vocabulary());
                let idx = match Self::setup(index, fields, analyzer, knowledge, Some(dir.to_path_buf())) {
                    Ok(idx) => idx,
                    Err(e) => return Ok(Err(RebuildReason::Damaged(e.to_string()))),
                };
                // A reader that cannot load its segments means files are missing; a document count
                // other than the database's means segments were lost or the metadata was edited.
                if let Err(e) = idx.reader.reload() {
                    return Ok(Err(RebuildReason::Damaged(e.to_string())));
                }
                let records = store::count(conn, store::Table::Experts)? + store::count(conn, store::Table::Demands)?;
                let docs = idx.searcher().num_docs();
                if docs != records as u64 {
                    return Ok(Err(RebuildReason::Damaged(format!("{docs} documents for {records} records"))));
                }
                if let Err(e) = idx.check_files() {
                    return Ok(Err(RebuildReason::Damaged(e.to_string())));
                }
                return Ok(Ok(idx));
            }
        };
        Ok(Err(reason))
    }

    /// Checks every file's checksum (tantivy writes one in each footer): flipped bytes show now,
    /// not as wrong results or a panic in the middle of a search.
    fn check_files(&self) -> Result<()> {
        let bad = guarded(|| Ok(self.index.validate_checksum()?))?;
        if bad.is_empty() {
            return Ok(());
        }
        let mut names: Vec<String> = bad.iter().map(|p| p.display().to_string()).collect();
        names.sort();
        Err(SearchError::Damaged(format!("checksum mismatch: {}", names.join(", "))))
    }

    /// Builds the index in `dir` from the database: into the existing index when it opens with
    /// this schema (under its writer lock), else in a new folder.
    fn create_fresh(dir: &Path, conn: &Connection, knowledge: &Knowledge) -> Result<Self> {
        Self::rebuilt(Some(dir), conn, knowledge, &mut |_, _| {})
    }

    /// Rebuilds after damage found while reading: in a new folder, since the files on disk cannot
    /// be trusted. When the folder cannot be replaced (another process holds its files), this
    /// process goes on with an index in memory. Returns whether the index is on disk.
    pub fn heal(&mut self, conn: &Connection, knowledge: &Knowledge) -> Result<bool> {
        self.writer = None;
        let Some(dir) = self.dir.clone() else {
            self.rebuild(conn, &knowledge.taxonomy)?;
            return Ok(false);
        };
        let fresh = guarded(|| {
            let (schema, fields) = schema();
            let index = new_in_dir(&dir, schema)?;
            let mut idx = Self::setup(index, fields, self.analyzer.clone(), knowledge, Some(dir.clone()))?;
            idx.rebuild(conn, &knowledge.taxonomy)?;
            Ok(idx)
        });
        match fresh {
            Ok(idx) => {
                *self = idx;
                Ok(true)
            }
            Err(e @ SearchError::Store(_)) => Err(e),
            Err(_) => {
                *self = Self::in_ram(conn, knowledge)?;
                Ok(false)
            }
        }
    }

    /// Follows a change another process made: when the index on disk was committed at the
    /// database's change counter with this knowledge, reloads it; otherwise rebuilds it.
    pub fn follow(&mut self, conn: &Connection, taxonomy: &Taxonomy) -> Result<()> {
        let seq = store::change_seq(conn)?;
        let committed: Option<Payload> =
            self.index.load_metas().ok().and_then(|m| m.payload).and_then(|p| serde_json::from_str(&p).ok());
        match committed {
            Some(p) if p.seq == seq && p.knowledge == self.knowledge_fp && p.schema == INDEX_SCHEMA => {
                self.check_files()?;
                guarded(|| Ok(self.reader.reload()?))?;
            }
            _ => {
                self.rebuild(conn, taxonomy)?;
            }
        }
        Ok(())
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Replaces the whole content with the database's records; returns the number of documents.
    pub fn rebuild(&mut self, conn: &Connection, taxonomy: &Taxonomy) -> Result<usize> {
        self.rebuild_with(conn, taxonomy, &mut |_, _| {})
    }

    /// [`Self::rebuild`], telling `progress` (records added, records in all) as it goes.
    pub fn rebuild_with(
        &mut self,
        conn: &Connection,
        taxonomy: &Taxonomy,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<usize> {
        let seq = store::change_seq(conn)?;
        let experts = store::list_experts(conn)?;
        let demands = store::list_demands(conn)?;
        let total = experts.len() + demands.len();
        progress(0, total);
        let docs: Vec<TantivyDocument> = experts
            .iter()
            .map(|e| self.expert_doc(e, taxonomy))
            .chain(demands.iter().map(|d| self.demand_doc(d, taxonomy)))
            .collect();
        let w = self.writer()?;
        w.delete_all_documents()?;
        for (i, doc) in docs.into_iter().enumerate() {
            w.add_document(doc)?;
            if (i + 1) % PROGRESS_EVERY == 0 {
                progress(i + 1, total);
            }
        }
        self.commit(seq)?;
        progress(total, total);
        Ok(total)
    }

    /// The index in `dir` (or in memory) set up with `knowledge` and rebuilt from the database,
    /// telling `progress` how far it is — what a change of the knowledge files needs, since every
    /// document is analysed anew. The folder's files are reused when they have this schema.
    pub fn rebuilt(
        dir: Option<&Path>,
        conn: &Connection,
        knowledge: &Knowledge,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Self> {
        let (schema, fields) = schema();
        let analyzer = Analyzer::new(&knowledge.vocabulary());
        let mut idx = match dir {
            None => Self::setup(Index::create_in_ram(schema), fields, analyzer, knowledge, None)?,
            Some(dir) => {
                let reusable = Index::open_in_dir(dir).ok().filter(|i| i.schema() == schema);
                let index = match reusable {
                    Some(i) => i,
                    None => new_in_dir(dir, schema)?,
                };
                Self::setup(index, fields, analyzer, knowledge, Some(dir.to_path_buf()))?
            }
        };
        idx.rebuild_with(conn, &knowledge.taxonomy, progress)?;
        Ok(idx)
    }

    fn facets(&self, doc: &mut TantivyDocument, codes: &[String], taxonomy: &Taxonomy) {
        for c in codes {
            let field = taxonomy.field_of(c);
            let facet = if field == c { Facet::from_path([c.as_str()]) } else { Facet::from_path([field, c.as_str()]) };
            doc.add_facet(self.fields.subfield, facet);
        }
    }

    pub fn expert_doc(&self, e: &Expert, taxonomy: &Taxonomy) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, doc_key(RecordKind::Expert, e.id));
        doc.add_i64(f.rid, e.id);
        doc.add_text(f.kind, "e");
        let k = &f.expert;
        let kw = e.keywords.join("；");
        doc.add_text(k.kw, &kw);
        doc.add_text(k.main, &e.research);
        doc.add_text(k.body, &e.achievements);
        doc.add_text(k.meta, format!("{} {} {} {}", e.name, e.institution, e.department, e.title));
        let content = format!("{kw}\n{}\n{}", e.research, e.achievements);
        doc.add_text(k.gram, &content);
        self.facets(&mut doc, &e.subfields, taxonomy);
        doc.add_text(f.inst, &e.institution);
        doc.add_text(f.rank, &e.title);
        doc
    }

    pub fn demand_doc(&self, d: &Demand, taxonomy: &Taxonomy) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, doc_key(RecordKind::Demand, d.id));
        doc.add_i64(f.rid, d.id);
        doc.add_text(f.kind, "d");
        let k = &f.demand;
        let kw = d.keywords.join("；");
        doc.add_text(k.kw, &kw);
        doc.add_text(k.main, &d.title);
        doc.add_text(k.body, &d.description);
        doc.add_text(k.meta, &d.enterprise);
        let content = format!("{kw}\n{}\n{}", d.title, d.description);
        doc.add_text(k.gram, &content);
        self.facets(&mut doc, &d.subfields, taxonomy);
        doc.add_text(f.status, d.status.label());
        doc
    }

    /// Replaces (or adds) the documents of these records; call [`Self::commit`] after.
    pub fn upsert_expert(&mut self, e: &Expert, taxonomy: &Taxonomy) -> Result<()> {
        let (key, doc) = (doc_key(RecordKind::Expert, e.id), self.expert_doc(e, taxonomy));
        let term = Term::from_field_text(self.fields.key, &key);
        let w = self.writer()?;
        w.delete_term(term);
        w.add_document(doc)?;
        Ok(())
    }

    pub fn upsert_demand(&mut self, d: &Demand, taxonomy: &Taxonomy) -> Result<()> {
        let (key, doc) = (doc_key(RecordKind::Demand, d.id), self.demand_doc(d, taxonomy));
        let term = Term::from_field_text(self.fields.key, &key);
        let w = self.writer()?;
        w.delete_term(term);
        w.add_document(doc)?;
        Ok(())
    }

    pub fn delete(&mut self, kind: RecordKind, id: i64) -> Result<()> {
        let term = Term::from_field_text(self.fields.key, &doc_key(kind, id));
        self.writer()?.delete_term(term);
        Ok(())
    }

    /// Commits pending changes, recording the database change counter they reflect, makes them
    /// visible to searches and releases the writer (after its merges) for other processes.
    pub fn commit(&mut self, seq: i64) -> Result<()> {
        let payload = Payload { schema: INDEX_SCHEMA, knowledge: self.knowledge_fp.clone(), seq };
        let w = self.writer()?;
        let mut prepared = w.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&payload).unwrap_or_default());
        let committed = prepared.commit();
        if let Some(w) = self.writer.take() {
            if committed.is_ok() && self.dir.is_some() {
                w.wait_merging_threads()?;
            } else if self.dir.is_none() {
                self.writer = Some(w);
            }
        }
        committed?;
        self.reader.reload()?;
        Ok(())
    }

    /// Brings the index up to the database: re-indexes the given records and commits at the
    /// database's current change counter.
    pub fn sync_records(
        &mut self,
        conn: &Connection,
        taxonomy: &Taxonomy,
        experts: &[i64],
        demands: &[i64],
    ) -> Result<()> {
        // Read in chunks (one query per chunk, not per record): a large import re-indexes
        // thousands of records this way instead of rebuilding the whole index.
        for chunk in experts.chunks(SYNC_CHUNK) {
            let found: HashMap<i64, Expert> = store::get_experts(conn, chunk)?.into_iter().map(|e| (e.id, e)).collect();
            for &id in chunk {
                match found.get(&id) {
                    Some(e) => self.upsert_expert(e, taxonomy)?,
                    None => self.delete(RecordKind::Expert, id)?,
                }
            }
        }
        for chunk in demands.chunks(SYNC_CHUNK) {
            let found: HashMap<i64, Demand> = store::get_demands(conn, chunk)?.into_iter().map(|d| (d.id, d)).collect();
            for &id in chunk {
                match found.get(&id) {
                    Some(d) => self.upsert_demand(d, taxonomy)?,
                    None => self.delete(RecordKind::Demand, id)?,
                }
            }
        }
        self.commit(store::change_seq(conn)?)
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Number of indexed documents of a kind.
    pub fn count(&self, kind: RecordKind) -> usize {
        let q = TermQuery::new(self.kind_term(kind), IndexRecordOption::Basic);
        self.searcher().search(&q, &tantivy::collector::Count).unwrap_or(0)
    }

    pub fn kind_term(&self, kind: RecordKind) -> Term {
        Term::from_field_text(self.fields.kind, kind_tag(kind))
    }

    pub fn word_term(&self, kind: RecordKind, field: TextField, text: &str) -> Term {
        Term::from_field_text(self.fields.text(kind, field), text)
    }

    pub fn gram_term(&self, kind: RecordKind, text: &str) -> Term {
        Term::from_field_text(self.fields.of(kind).gram, text)
    }

    /// The facet term matching a subfield code and everything under it.
    pub fn subfield_term(&self, code: &str, taxonomy: &Taxonomy) -> Term {
        let field = taxonomy.field_of(code);
        let facet = if field == code { Facet::from_path([code]) } else { Facet::from_path([field, code]) };
        Term::from_facet(self.fields.subfield, &facet)
    }

    /// Row ids of documents.
    pub fn row_ids(&self, searcher: &Searcher, docs: &[DocAddress]) -> Vec<i64> {
        let mut cols: std::collections::HashMap<u32, tantivy::columnar::Column<i64>> = Default::default();
        docs.iter()
            .map(|d| {
                let col = cols.entry(d.segment_ord).or_insert_with(|| {
                    searcher.segment_reader(d.segment_ord).fast_fields().i64("rid").expect("rid is a fast field")
                });
                col.first(d.doc_id).unwrap_or(-1)
            })
            .collect()
    }

    /// Whether each document contains `term` (posting-list seeks, no stored text needed).
    pub fn presence(&self, searcher: &Searcher, docs: &[DocAddress], term: &Term) -> Vec<bool> {
        let mut out = vec![false; docs.len()];
        let mut order: Vec<usize> = (0..docs.len()).collect();
        order.sort_by_key(|&i| (docs[i].segment_ord, docs[i].doc_id));
        let mut seg: Option<(u32, Option<tantivy::postings::SegmentPostings>)> = None;
        for i in order {
            let d = docs[i];
            if seg.as_ref().is_none_or(|(s, _)| *s != d.segment_ord) {
                let reader = searcher.segment_reader(d.segment_ord);
                let postings = reader
                    .inverted_index(term.field())
                    .ok()
                    .and_then(|inv| inv.read_postings(term, IndexRecordOption::Basic).ok().flatten());
                seg = Some((d.segment_ord, postings));
            }
            if let Some((_, Some(p))) = seg.as_mut() {
                if p.doc() == TERMINATED {
                    continue;
                }
                if p.doc() < d.doc_id {
                    p.seek(d.doc_id);
                }
                out[i] = p.doc() == d.doc_id;
            }
        }
        out
    }

    /// Document frequency of a term.
    pub fn doc_freq(&self, searcher: &Searcher, term: &Term) -> u64 {
        searcher.doc_freq(term).unwrap_or(0)
    }

    /// Runs a query and returns (score, doc) best first; equal scores keep index order.
    pub fn top(&self, searcher: &Searcher, query: &dyn Query, limit: usize) -> Result<Vec<(f32, DocAddress)>> {
        Ok(searcher.search(query, &TopDocs::with_limit(limit.max(1)).order_by_score())?)
    }

    /// A synonym as a clause: each of its parts in some content field (silicon carbide needs
    /// both words), a little below the word itself.
    fn synonym_clause(&self, kind: RecordKind, parts: &[String]) -> Box<dyn Query> {
        let all: Vec<(Occur, Box<dyn Query>)> = parts
            .iter()
            .map(|p| {
                let any: Vec<(Occur, Box<dyn Query>)> =
                    [(TextField::Keywords, 3.0), (TextField::Main, 2.0), (TextField::Body, 1.0)]
                        .into_iter()
                        .map(|(field, boost)| (Occur::Should, boosted(self.word_term(kind, field, p), boost * 0.9)))
                        .collect();
                let q: Box<dyn Query> = Box::new(BooleanQuery::new(any));
                (Occur::Must, q)
            })
            .collect();
        Box::new(BooleanQuery::new(all))
    }

    /// Free-text search with filters: see [`SearchRequest`].
    pub fn search(&self, req: &SearchRequest, taxonomy: &Taxonomy) -> Result<Vec<SearchHit>> {
        let searcher = self.searcher();
        let qterms = self.analyzer.query_terms(&req.text);
        if qterms.is_empty() {
            return Ok(Vec::new());
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for q in &qterms {
            let w = if q.sub { 0.3 } else { 1.0 };
            for (field, boost) in
                [(TextField::Keywords, 3.0), (TextField::Main, 2.0), (TextField::Body, 1.0), (TextField::Meta, 2.0)]
            {
                should.push((Occur::Should, boosted(self.word_term(req.kind, field, &q.text), boost * w)));
            }
            if !q.sub {
                for g in self.analyzer.bigrams(&q.text) {
                    if g.text != q.text {
                        should.push((Occur::Should, boosted(self.gram_term(req.kind, &g.text), 0.3)));
                    }
                }
            }
        }
        let mut terms: Vec<String> = qterms.iter().filter(|q| !q.sub).map(|q| q.text.clone()).collect();
        // The same synonym groups as matching: SiC finds 碳化硅 and the other way round.
        let present: std::collections::HashSet<&str> = terms.iter().map(String::as_str).collect();
        let mut extra: Vec<String> = Vec::new();
        for parts in self.prepared.synonyms_of(&present) {
            should.push((Occur::Should, self.synonym_clause(req.kind, &parts)));
            if parts.len() == 1 && !extra.contains(&parts[0]) {
                extra.push(parts[0].clone());
            }
        }
        terms.extend(extra);
        // Each kind has its own text fields, so only the filters need to be required.
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut filter =
            |term: Term| must.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        if let Some(code) = &req.subfield {
            filter(self.subfield_term(code, taxonomy));
        }
        if let Some(inst) = &req.institution {
            filter(Term::from_field_text(self.fields.inst, inst));
        }
        if let Some(rank) = &req.title {
            filter(Term::from_field_text(self.fields.rank, rank));
        }
        if let Some(status) = &req.status {
            filter(Term::from_field_text(self.fields.status, status));
        }
        must.push((Occur::Must, Box::new(BooleanQuery::new(should))));
        let query = if must.len() == 1 { BooleanQuery::new(should_only(must)) } else { BooleanQuery::new(must) };
        let top = self.top(&searcher, &query, req.limit)?;
        let docs: Vec<DocAddress> = top.iter().map(|(_, d)| *d).collect();
        let ids = self.row_ids(&searcher, &docs);
        // Matched terms per hit, for highlighting.
        let mut matched: Vec<Vec<String>> = vec![Vec::new(); docs.len()];
        for t in &terms {
            let mut hit = vec![false; docs.len()];
            for field in [TextField::Keywords, TextField::Main, TextField::Body, TextField::Meta] {
                for (h, p) in hit.iter_mut().zip(self.presence(&searcher, &docs, &self.word_term(req.kind, field, t))) {
                    *h |= p;
                }
            }
            for (m, h) in matched.iter_mut().zip(hit) {
                if h {
                    m.push(t.clone());
                }
            }
        }
        let mut hits: Vec<SearchHit> = top
            .iter()
            .zip(ids)
            .zip(matched)
            .map(|(((score, _), id), matched_terms)| SearchHit { id, score: *score, matched_terms })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        Ok(hits)
    }
}

/// Unwraps a lone required sub-query (a union of terms) so tantivy can prune it with WAND.
fn should_only(mut must: Vec<(Occur, Box<dyn Query>)>) -> Vec<(Occur, Box<dyn Query>)> {
    let (_, q) = must.remove(0);
    vec![(Occur::Should, q)]
}

pub fn boosted(term: Term, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)), boost))
}

/// A free-text search with optional filters.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub kind: RecordKind,
    pub text: String,
    /// A subfield code; matches the node and its children.
    pub subfield: Option<String>,
    pub institution: Option<String>,
    /// 职称.
    pub title: Option<String>,
    /// Demand status label (待对接 …).
    pub status: Option<String>,
    pub limit: usize,
}

impl SearchRequest {
    pub fn new(kind: RecordKind, text: &str) -> Self {
        SearchRequest {
            kind,
            text: text.to_string(),
            subfield: None,
            institution: None,
            title: None,
            status: None,
            limit: 20,
        }
    }
}

/// A search result: the record's row id, its BM25 score and the query terms it contains.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub id: i64,
    pub score: f32,
    pub matched_terms: Vec<String>,
}

/// Stored key of a document (for debugging and tests).
pub fn stored_key(searcher: &Searcher, fields: &Fields, doc: DocAddress) -> Option<String> {
    let d: TantivyDocument = searcher.doc(doc).ok()?;
    d.get_first(fields.key).and_then(|v| v.as_str()).map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Expert;

    fn setup() -> (Connection, Knowledge) {
        let k = Knowledge::builtin();
        let conn = store::open_in_memory(&k.taxonomy).unwrap();
        for (ext, name, inst, sub, research) in [
            ("E1", "张伟", "厦门大学", "SC01", "碳化硅单晶生长与缺陷控制，PVT法热场模拟"),
            ("E2", "李娜", "福州大学", "FL05", "六氟磷酸锂结晶工艺与杂质控制"),
            ("E3", "王强", "厦门大学", "NE02", "硅碳负极界面工程与预锂化"),
            ("E4", "Alice", "天津大学", "NE02", "Interfacial engineering of silicon anodes for lithium-ion batteries"),
        ] {
            store::insert_expert(
                &conn,
                &Expert {
                    ext_id: ext.into(),
                    name: name.into(),
                    institution: inst.into(),
                    subfields: vec![sub.into()],
                    research: research.into(),
                    available: true,
                    ..Default::default()
                },
            )
            .unwrap();
        }
        (conn, k)
    }

    #[test]
    fn search_finds_whole_terms_with_filters_and_matched_terms() {
        let (conn, k) = setup();
        let idx = SearchIndex::in_ram(&conn, &k).unwrap();
        assert_eq!(idx.count(RecordKind::Expert), 4);
        let hits = idx.search(&SearchRequest::new(RecordKind::Expert, "碳化硅"), &k.taxonomy).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].matched_terms, vec!["碳化硅"]);
        let hits = idx.search(&SearchRequest::new(RecordKind::Expert, "LiPF6 六氟磷酸锂"), &k.taxonomy).unwrap();
        assert_eq!(store::get_expert(&conn, hits[0].id).unwrap().unwrap().ext_id, "E2");
        let mut req = SearchRequest::new(RecordKind::Expert, "负极");
        req.subfield = Some("NE".into());
        let hits = idx.search(&req, &k.taxonomy).unwrap();
        assert!(!hits.is_empty());
        req.institution = Some("福州大学".into());
        assert!(idx.search(&req, &k.taxonomy).unwrap().is_empty());
        let hits = idx.search(&SearchRequest::new(RecordKind::Expert, "silicon anode interface"), &k.taxonomy).unwrap();
        assert_eq!(
            store::get_expert(&conn, hits[0].id).unwrap().unwrap().ext_id,
            "E4",
            "English is stemmed: anodes ~ anode"
        );
        assert!(idx.search(&SearchRequest::new(RecordKind::Expert, "，。 ！"), &k.taxonomy).unwrap().is_empty());
    }

    #[test]
    fn on_disk_index_is_rebuilt_when_missing_corrupt_stale_or_behind() {
        let dir = tempfile::tempdir().unwrap();
        let k = Knowledge::builtin();
        let db = dir.path().join("bole.db");
        let conn = store::open(&db, &k.taxonomy).unwrap();
        store::insert_expert(
            &conn,
            &Expert {
                ext_id: "E1".into(),
                name: "张伟".into(),
                research: "碳化硅".into(),
                available: true,
                ..Default::default()
            },
        )
        .unwrap();
        let idir = index_dir_for(&db);
        let (idx, o) = SearchIndex::open(&idir, &conn, &k).unwrap();
        assert_eq!(o, OpenOutcome::Rebuilt(RebuildReason::Missing));
        drop(idx);
        let (idx, o) = SearchIndex::open(&idir, &conn, &k).unwrap();
        assert_eq!(o, OpenOutcome::Reused);
        drop(idx);
        // The database changed behind the index's back.
        store::insert_expert(
            &conn,
            &Expert {
                ext_id: "E2".into(),
                name: "李娜".into(),
                research: "碳化硅外延".into(),
                available: true,
                ..Default::default()
            },
        )
        .unwrap();
        let (idx, o) = SearchIndex::open(&idir, &conn, &k).unwrap();
        assert_eq!(o, OpenOutcome::Rebuilt(RebuildReason::BehindDatabase));
        assert_eq!(idx.count(RecordKind::Expert), 2);
        drop(idx);
        // Other knowledge files.
        let k2 =
            Knowledge::from_texts(crate::domain::taxonomy::BUILTIN_TOML, "[[group]]\nterms=['甲','乙']\n", "").unwrap();
        let (idx, o) = SearchIndex::open(&idir, &conn, &k2).unwrap();
        assert_eq!(o, OpenOutcome::Rebuilt(RebuildReason::KnowledgeChanged));
        drop(idx);
        // Corrupt files.
        std::fs::write(idir.join("meta.json"), b"{ not json").unwrap();
        let (idx, o) = SearchIndex::open(&idir, &conn, &k).unwrap();
        assert!(matches!(o, OpenOutcome::Rebuilt(RebuildReason::Damaged(_))), "{o:?}");
        assert_eq!(idx.count(RecordKind::Expert), 2);
        drop(idx);
        // Deleted segment files.
        for f in std::fs::read_dir(&idir).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "idx") {
                std::fs::remove_file(p).unwrap();
            }
        }
        let (idx, o) = SearchIndex::open(&idir, &conn, &k).unwrap();
        assert!(matches!(o, OpenOutcome::Rebuilt(_)), "{o:?}");
        assert_eq!(idx.search(&SearchRequest::new(RecordKind::Expert, "碳化硅"), &k.taxonomy).unwrap().len(), 2);
    }

    #[test]
    fn upsert_and_delete_are_incremental() {
        let (conn, k) = setup();
        let mut idx = SearchIndex::in_ram(&conn, &k).unwrap();
        let mut e = store::find_expert(&conn, "E1").unwrap().unwrap();
        e.research = "氮化镓外延".into();
        store::update_expert(&conn, &e).unwrap();
        idx.sync_records(&conn, &k.taxonomy, &[e.id], &[]).unwrap();
        assert!(idx.search(&SearchRequest::new(RecordKind::Expert, "碳化硅"), &k.taxonomy).unwrap().is_empty());
        assert_eq!(idx.search(&SearchRequest::new(RecordKind::Expert, "氮化镓"), &k.taxonomy).unwrap()[0].id, e.id);
        store::delete_expert(&conn, e.id).unwrap();
        idx.sync_records(&conn, &k.taxonomy, &[e.id], &[]).unwrap();
        assert_eq!(idx.count(RecordKind::Expert), 3);
    }
}
