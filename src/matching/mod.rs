//! Matching: for a demand, which experts should the office call — and why; and the reverse, for
//! an expert, which demands. Pure functions over the search index and the knowledge files; the
//! records needed for explanations come through [`Records`].
//!
//! ## The score (匹配度, 0–100)
//!
//! `score = 60·T + 20·S + 10·P + 5·K + 5·C`, each part in 0..=1:
//! - **T 内容覆盖** — the share of the source's salient terms (up to 12 words of the demand's
//!   需求名称/需求描述/关键词, weighted by field and by rarity, IDF) found in the target's
//!   关键词/研究方向/代表性成果. A term counts fully in 关键词 or 研究方向, 0.85 in 代表性成果, 0.9 when
//!   only a synonym is found (data/synonyms.toml), up to 0.5 for the share of its character pairs found.
//! - **S 细分领域** — 1 when both records share a subfield, 0.5 when they share the top-level field,
//!   ×0.8 when a side's subfield is only the auto-classification suggestion.
//! - **P 问题→学科** — 1 when a shop-floor symptom in the demand (data/problem_links.toml) points to
//!   a discipline named in the expert's profile.
//! - **K 关键词相近** — the share of the demand's keywords with a near spelling among the expert's
//!   keywords (strsim; e.g. 硅碳负极 ≈ 硅碳复合负极).
//! - **C 合作方式** — 1 when the expert accepts a cooperation mode the demand asks for, 0.5 when a
//!   side names none, 0 otherwise.
//!
//! So 60 means "every salient word of the demand appears in the expert's profile, nothing else";
//! 80+ adds the same subfield. Ranking is by score, then BM25, then 编号 — deterministic.
//! Hard exclusions (experts marked unavailable, pairs marked 回避 or 不再推荐) never appear.

pub mod assign;
pub mod eval;
pub mod schedule;

/// A tiny seeded xorshift generator for the property tests (no crate needed).
#[cfg(test)]
pub(crate) mod test_rng {
    pub struct Rng(pub u64);
    impl Rng {
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        pub fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }
}

use std::collections::{HashMap, HashSet};

use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocAddress, Searcher};

use crate::domain::{COOP_MODES, Demand, Expert, Knowledge, coop_mask};
use crate::search::{Analyzer, RecordKind, SearchError, SearchIndex, TextField, boosted, node_code};
use crate::store::StoreError;
use crate::util::{norm_key, similarity};

pub const W_TEXT: f64 = 60.0;
pub const W_SUBFIELD: f64 = 20.0;
pub const W_LINK: f64 = 10.0;
pub const W_KEYWORD: f64 = 5.0;
pub const W_COOP: f64 = 5.0;

/// How many salient source terms the coverage is measured on.
const SALIENT: usize = 12;
/// How many candidates BM25 retrieval hands to the re-ranking.
const CANDIDATES: usize = 100;

/// What can go wrong while matching.
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for MatchError {
    fn from(e: rusqlite::Error) -> Self {
        MatchError::Store(e.into())
    }
}

/// Looks records up for explanations (SQLite, or a preloaded map for batch runs).
pub trait Records {
    fn experts(&self, ids: &[i64]) -> Result<HashMap<i64, Expert>, StoreError>;
    fn demands(&self, ids: &[i64]) -> Result<HashMap<i64, Demand>, StoreError>;
}

impl Records for rusqlite::Connection {
    fn experts(&self, ids: &[i64]) -> Result<HashMap<i64, Expert>, StoreError> {
        Ok(crate::store::get_experts(self, ids)?.into_iter().map(|e| (e.id, e)).collect())
    }
    fn demands(&self, ids: &[i64]) -> Result<HashMap<i64, Demand>, StoreError> {
        Ok(crate::store::get_demands(self, ids)?.into_iter().map(|d| (d.id, d)).collect())
    }
}

/// All records in memory (for `match --all` and evaluation).
#[derive(Default)]
pub struct Preloaded {
    pub experts: HashMap<i64, Expert>,
    pub demands: HashMap<i64, Demand>,
}

impl Records for Preloaded {
    fn experts(&self, ids: &[i64]) -> Result<HashMap<i64, Expert>, StoreError> {
        Ok(ids.iter().filter_map(|id| self.experts.get(id).map(|e| (*id, e.clone()))).collect())
    }
    fn demands(&self, ids: &[i64]) -> Result<HashMap<i64, Demand>, StoreError> {
        Ok(ids.iter().filter_map(|id| self.demands.get(id).map(|d| (*id, d.clone()))).collect())
    }
}

/// Why a suggestion was made — each piece names the knowledge that fired.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Source terms found in a field of the target.
    Terms { field: String, terms: Vec<String>, text: String },
    /// A term matched through a synonym group (data/synonyms.toml).
    Synonym { term: String, synonym: String, text: String },
    /// Shared subfield (or only the top-level field).
    Subfield { code: String, name: String, same_node: bool, suggested: bool, text: String },
    /// A shop-floor symptom linked to a discipline (data/problem_links.toml).
    ProblemLink { link: String, symptom: String, discipline: String, text: String },
    /// Near-spelled keywords (strsim).
    Keyword { a: String, b: String, similarity: f64, text: String },
    /// A cooperation mode both sides name.
    Coop { modes: Vec<String>, text: String },
    /// The sentence of the expert's profile (or the demand's description) that shows the fit.
    Evidence { sentence: String, terms: Vec<String>, text: String },
}

impl Reason {
    pub fn text(&self) -> &str {
        match self {
            Reason::Terms { text, .. }
            | Reason::Synonym { text, .. }
            | Reason::Subfield { text, .. }
            | Reason::ProblemLink { text, .. }
            | Reason::Keyword { text, .. }
            | Reason::Coop { text, .. }
            | Reason::Evidence { text, .. } => text,
        }
    }
}

/// The parts of a score, in points (they add up to `score`).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct ScoreParts {
    pub text: f64,
    pub subfield: f64,
    pub link: f64,
    pub keyword: f64,
    pub coop: f64,
}

/// One ranked suggestion.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Suggestion {
    /// Row id of the suggested expert (or demand).
    #[serde(skip)]
    pub id: i64,
    /// 编号 of the suggested record.
    pub ext_id: String,
    /// 姓名（单位） or 需求名称（企业）.
    pub label: String,
    pub score: f64,
    pub parts: ScoreParts,
    #[serde(skip)]
    pub bm25: f32,
    pub reasons: Vec<Reason>,
}

/// The knowledge analysed once for matching.
pub struct Prepared {
    /// Synonym groups: members as (written form, analysed parts).
    groups: Vec<Vec<(String, Vec<String>)>>,
    /// First analysed part → (group, member).
    by_first: HashMap<String, Vec<(usize, usize)>>,
    /// Per link: normalised symptoms, normalised disciplines, analysed parts of each.
    links: Vec<PreparedLink>,
}

struct PreparedLink {
    id: String,
    note: String,
    symptoms: Vec<(String, String, Vec<String>)>,
    disciplines: Vec<(String, String, Vec<String>)>,
}

fn parts(analyzer: &Analyzer, text: &str) -> Vec<String> {
    analyzer.query_terms(text).into_iter().filter(|q| !q.sub).map(|q| q.text).collect()
}

impl Prepared {
    pub fn new(analyzer: &Analyzer, knowledge: &Knowledge) -> Self {
        let mut groups = Vec::new();
        let mut by_first: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for g in &knowledge.synonyms {
            let members: Vec<(String, Vec<String>)> =
                g.terms.iter().map(|t| (t.clone(), parts(analyzer, t))).filter(|(_, p)| !p.is_empty()).collect();
            for (mi, (_, p)) in members.iter().enumerate() {
                by_first.entry(p[0].clone()).or_default().push((groups.len(), mi));
            }
            groups.push(members);
        }
        let prep = |words: &[String]| -> Vec<(String, String, Vec<String>)> {
            words
                .iter()
                .map(|w| (w.clone(), norm_key(w), parts(analyzer, w)))
                .filter(|(_, n, p)| !n.is_empty() && !p.is_empty())
                .collect()
        };
        let links = knowledge
            .links
            .iter()
            .map(|l| PreparedLink {
                id: l.id.clone(),
                note: l.note.clone(),
                symptoms: prep(&l.symptoms),
                disciplines: prep(&l.disciplines),
            })
            .collect();
        Prepared { groups, by_first, links }
    }
}

/// A weighted term of the source.
#[derive(Debug, Clone)]
struct SourceTerm {
    text: String,
    weight: f32,
    idf: f32,
    /// Known to the targets only through its character pairs.
    by_pairs: bool,
}

/// A synonym of a salient term, found through a group.
#[derive(Debug, Clone)]
struct SynonymHit {
    term: usize,
    written: String,
    source_written: String,
    parts: Vec<String>,
}

/// A knowledge link that fired: the word found in the source and what it points to.
#[derive(Debug, Clone)]
struct LinkHit {
    link: usize,
    found: String,
    targets: Vec<(String, Vec<String>)>,
}

/// The analysed source (a demand looking for experts, or an expert looking for demands).
struct SourceQuery {
    target: RecordKind,
    terms: Vec<SourceTerm>,
    sub_terms: Vec<(String, f32)>,
    salient: Vec<usize>,
    synonyms: Vec<SynonymHit>,
    links: Vec<LinkHit>,
}

/// The inputs of one matching direction.
pub struct Source<'a> {
    /// (text, weight): keywords ×3, the main text ×2, the long text ×1.
    pub texts: Vec<(&'a str, f32)>,
    pub keywords: &'a [String],
    pub subfields: &'a [String],
    pub coop: &'a [String],
    pub direction: Direction,
}

/// Demand → experts or expert → demands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    DemandToExperts,
    ExpertToDemands,
}

impl Direction {
    fn target(self) -> RecordKind {
        match self {
            Direction::DemandToExperts => RecordKind::Expert,
            Direction::ExpertToDemands => RecordKind::Demand,
        }
    }
}

impl<'a> Source<'a> {
    pub fn demand(d: &'a Demand) -> Self {
        Source {
            texts: vec![(d.title.as_str(), 2.0), (d.description.as_str(), 1.0)],
            keywords: &d.keywords,
            subfields: &d.subfields,
            coop: &d.coop_modes,
            direction: Direction::DemandToExperts,
        }
    }

    pub fn expert(e: &'a Expert) -> Self {
        Source {
            texts: vec![(e.research.as_str(), 2.0), (e.achievements.as_str(), 1.0)],
            keywords: &e.keywords,
            subfields: &e.subfields,
            coop: &e.coop_modes,
            direction: Direction::ExpertToDemands,
        }
    }
}

/// Options of one matching run.
#[derive(Debug, Clone, Default)]
pub struct MatchOptions {
    pub top: usize,
    /// Target row ids never to suggest (pairs marked 回避/不再推荐).
    pub excluded: HashSet<i64>,
    /// Demand → experts only: keep demands of every status when matching from an expert.
    pub include_closed: bool,
    /// Only these target row ids (a meeting's participants); more candidates are retrieved so
    /// that the participants are among them.
    pub only: Option<HashSet<i64>>,
}

/// The matcher: the index, the knowledge, and the analysed knowledge.
pub struct Matcher<'a> {
    pub index: &'a SearchIndex,
    pub knowledge: &'a Knowledge,
    pub prepared: &'a Prepared,
}

/// Per-candidate scoring state.
struct Cand {
    doc: DocAddress,
    bm25: f32,
    id: i64,
    coverage: f64,
    matched: Vec<(TextField, String)>,
    synonyms: Vec<(String, String)>,
    link: Option<(usize, String, String)>,
    subfield: (f64, Option<Reason>),
    coop: (f64, Vec<String>),
}

impl Matcher<'_> {
    #[allow(clippy::too_many_lines, reason = "TEMPORARY: rewritten by the matching issue")]
    fn analyze(&self, source: &Source, searcher: &Searcher) -> SourceQuery {
        let analyzer = &self.index.analyzer;
        let mut weights: Vec<(String, f32)> = Vec::new();
        let mut subs: Vec<(String, f32)> = Vec::new();
        let add = |list: &mut Vec<(String, f32)>, t: &str, w: f32| match list.iter_mut().find(|(x, _)| x == t) {
            Some((_, v)) => *v = (*v + w).min(8.0),
            None => list.push((t.to_string(), w)),
        };
        let kw_text = source.keywords.join("；");
        let all: Vec<(&str, f32)> =
            std::iter::once((kw_text.as_str(), 3.0)).chain(source.texts.iter().copied()).collect();
        for (text, w) in &all {
            for q in analyzer.query_terms(text) {
                // Pure numbers (78%, 100ppm's 100) say nothing about the topic.
                if q.text.chars().all(|c| c.is_ascii_digit()) || q.text.chars().count() < 2 && q.text.is_ascii() {
                    continue;
                }
                if q.sub {
                    add(&mut subs, &q.text, 0.3 * w);
                } else {
                    add(&mut weights, &q.text, *w);
                }
            }
        }
        subs.retain(|(t, _)| !weights.iter().any(|(w, _)| w == t));
        // Rarity among the targets.
        let target = source.direction.target();
        let n = self.index.doc_freq(searcher, &self.index.kind_term(target)).max(1) as f32;
        let mut terms: Vec<SourceTerm> = weights
            .into_iter()
            .map(|(text, weight)| {
                let df = TextField::CONTENT
                    .iter()
                    .map(|f| self.index.doc_freq(searcher, &self.index.word_term(target, *f, &text)))
                    .max()
                    .unwrap_or(0) as f32;
                // A Chinese word no target contains as a word (a shop-floor compound the
                // dictionary lacks) is judged by its rarest character pair instead.
                let (df, by_pairs) = if df == 0.0 && text.chars().count() >= 3 && !text.is_ascii() {
                    // Judged by its character pairs when at least half of them occur: the mean
                    // pair frequency stands in for the word's.
                    let pairs = self.index.analyzer.bigrams(&text);
                    let dfs: Vec<u64> = pairs
                        .iter()
                        .map(|g| self.index.doc_freq(searcher, &self.index.gram_term(target, &g.text)))
                        .filter(|d| *d > 0)
                        .collect();
                    if !pairs.is_empty() && dfs.len() * 2 >= pairs.len() {
                        (dfs.iter().sum::<u64>() as f32 / dfs.len() as f32, true)
                    } else {
                        (0.0, false)
                    }
                } else {
                    (df, false)
                };
                let idf = if df == 0.0 { 0.0 } else { (1.0 + (n - df + 0.5) / (df + 0.5)).ln() };
                SourceTerm { text, weight, idf, by_pairs }
            })
            .collect();
        // Synonyms of the source's terms (a member is present when all its parts are).
        let present: HashSet<String> = terms.iter().map(|t| t.text.clone()).collect();
        let mut synonyms = Vec::new();
        let mut seen_groups = HashSet::new();
        for t in &terms {
            for &(g, m) in self.prepared.by_first.get(&t.text).into_iter().flatten() {
                let (written, p) = &self.prepared.groups[g][m];
                if !p.iter().all(|x| present.contains(x.as_str())) || !seen_groups.insert(g) {
                    continue;
                }
                let Some(term_idx) = terms.iter().position(|x| x.text == p[0]) else { continue };
                for (oi, (other, op)) in self.prepared.groups[g].iter().enumerate() {
                    if oi != m && op != p {
                        synonyms.push(SynonymHit {
                            term: term_idx,
                            written: other.clone(),
                            source_written: written.clone(),
                            parts: op.clone(),
                        });
                    }
                }
            }
        }
        // A term the targets never use (LiPF6) still counts when a synonym of it is used (六氟磷酸锂).
        for syn in &synonyms {
            if terms[syn.term].idf == 0.0 {
                let df = syn
                    .parts
                    .iter()
                    .map(|p| {
                        TextField::CONTENT
                            .iter()
                            .map(|f| self.index.doc_freq(searcher, &self.index.word_term(target, *f, p)))
                            .max()
                            .unwrap_or(0)
                    })
                    .min()
                    .unwrap_or(0) as f32;
                if df > 0.0 {
                    terms[syn.term].idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                }
            }
        }
        let mut salient: Vec<usize> = (0..terms.len()).filter(|&i| terms[i].idf > 0.0).collect();
        salient.sort_by(|&a, &b| {
            (terms[b].weight * terms[b].idf).total_cmp(&(terms[a].weight * terms[a].idf)).then(a.cmp(&b))
        });
        salient.truncate(SALIENT);

        // Knowledge links: symptom → discipline (demand side) or discipline → symptom (expert side).
        let whole = norm_key(&all.iter().map(|(t, _)| *t).collect::<Vec<_>>().join("\n"));
        let mut links = Vec::new();
        for (li, l) in self.prepared.links.iter().enumerate() {
            let (from, to) = match source.direction {
                Direction::DemandToExperts => (&l.symptoms, &l.disciplines),
                Direction::ExpertToDemands => (&l.disciplines, &l.symptoms),
            };
            if let Some((written, _, _)) =
                from.iter().filter(|(_, n, _)| whole.contains(n.as_str())).max_by_key(|(_, n, _)| n.chars().count())
            {
                links.push(LinkHit {
                    link: li,
                    found: written.clone(),
                    targets: to.iter().map(|(w, _, p)| (w.clone(), p.clone())).collect(),
                });
            }
        }
        SourceQuery { target, terms, sub_terms: subs, salient, synonyms, links }
    }

    /// A pure union of boosted term queries on the target kind's fields (no required clause, so
    /// tantivy prunes with block-max WAND); filters are applied to the candidates afterwards.
    fn retrieval_query(&self, q: &SourceQuery, target: RecordKind) -> BooleanQuery {
        let idx = self.index;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let boosts = [(TextField::Keywords, 3.0), (TextField::Main, 2.0), (TextField::Body, 1.0)];
        let mut by_value: Vec<&SourceTerm> = q.terms.iter().filter(|t| t.idf > 0.0).collect();
        by_value.sort_by(|a, b| (b.weight * b.idf).total_cmp(&(a.weight * a.idf)).then(a.text.cmp(&b.text)));
        for t in by_value.iter().take(24) {
            if t.by_pairs {
                for g in idx.analyzer.bigrams(&t.text) {
                    should.push((Occur::Should, boosted(idx.gram_term(target, &g.text), 0.5 * t.weight)));
                }
            } else {
                for (f, b) in boosts {
                    should.push((Occur::Should, boosted(idx.word_term(target, f, &t.text), b * t.weight)));
                }
            }
        }
        for (t, w) in q.sub_terms.iter().take(10) {
            should.push((Occur::Should, boosted(idx.word_term(target, TextField::Main, t), *w)));
        }
        for s in &q.synonyms {
            for p in &s.parts {
                for (f, b) in boosts {
                    should.push((Occur::Should, boosted(idx.word_term(target, f, p), 0.8 * b)));
                }
            }
        }
        for l in &q.links {
            for (_, ps) in &l.targets {
                for p in ps {
                    should.push((Occur::Should, boosted(idx.word_term(target, TextField::Main, p), 0.5)));
                }
            }
        }
        BooleanQuery::new(should)
    }

    /// Ranked suggestions for a source record. `records` supplies the targets' texts for the
    /// explanations; `source_label` names the source in nothing but debugging.
    #[allow(clippy::too_many_lines, reason = "TEMPORARY: rewritten by the matching issue")]
    pub fn suggest(
        &self,
        source: &Source,
        opts: &MatchOptions,
        records: &dyn Records,
    ) -> Result<Vec<Suggestion>, MatchError> {
        let prof = std::env::var_os("BOLE_PROFILE").is_some();
        let t0 = std::time::Instant::now();
        let lap = |what: &str| {
            if prof {
                eprintln!("{what}: {:.3} ms", t0.elapsed().as_secs_f64() * 1000.0);
            }
        };
        let searcher = self.index.searcher();
        let q = self.analyze(source, &searcher);
        lap("analyze");
        if prof {
            let sal: Vec<String> = q
                .salient
                .iter()
                .map(|&i| {
                    format!(
                        "{}:{:.1}/{:.2}{}",
                        q.terms[i].text,
                        q.terms[i].weight,
                        q.terms[i].idf,
                        if q.terms[i].by_pairs { "*" } else { "" }
                    )
                })
                .collect();
            eprintln!("salient {sal:?} subs {:?}", q.sub_terms);
        }
        if q.terms.is_empty() && q.links.is_empty() {
            return Ok(Vec::new());
        }
        let target = source.direction.target();
        let query = self.retrieval_query(&q, target);
        let retrieve = if opts.only.is_some() { CANDIDATES * 10 } else { CANDIDATES };
        let mut top = self.index.top(&searcher, &query, retrieve)?;
        // Unavailable experts and closed demands are never suggested.
        if !(target == RecordKind::Demand && opts.include_closed) {
            let docs: Vec<DocAddress> = top.iter().map(|(_, d)| *d).collect();
            let live = self.index.live(&searcher, &docs);
            let mut it = live.into_iter();
            top.retain(|_| it.next().unwrap_or(false));
        }
        lap("retrieve");
        let docs: Vec<DocAddress> = top.iter().map(|(_, d)| *d).collect();
        let ids = self.index.row_ids(&searcher, &docs);
        let mut cands: Vec<Cand> = top
            .iter()
            .zip(ids)
            .filter(|(_, id)| !opts.excluded.contains(id) && opts.only.as_ref().is_none_or(|o| o.contains(id)))
            .map(|((bm25, doc), id)| Cand {
                doc: *doc,
                bm25: *bm25,
                id,
                coverage: 0.0,
                matched: vec![],
                synonyms: vec![],
                link: None,
                subfield: (0.0, None),
                coop: (0.0, vec![]),
            })
            .collect();
        let docs: Vec<DocAddress> = cands.iter().map(|c| c.doc).collect();
        lap("ids");
        self.score_text(&searcher, &q, &docs, &mut cands);
        lap("text");
        self.score_links(&searcher, &q, &docs, &mut cands);
        lap("links");
        self.score_subfields_and_coop(&searcher, source, &docs, &mut cands);
        lap("subfields");

        // Order without the keyword part (at most W_KEYWORD points), then explain only those that
        // can still reach the top N once it is added: exact, and cheap.
        let prelim = |c: &Cand| {
            W_TEXT * c.coverage + W_SUBFIELD * c.subfield.0 + W_LINK * c.link.is_some() as u8 as f64 + W_COOP * c.coop.0
        };
        cands.sort_by(|a, b| prelim(b).total_cmp(&prelim(a)).then(b.bm25.total_cmp(&a.bm25)).then(a.id.cmp(&b.id)));
        let n = opts.top.max(1);
        if cands.len() > n {
            let floor = prelim(&cands[n - 1]) - W_KEYWORD - 1e-9;
            let keep = cands.iter().take_while(|c| prelim(c) >= floor).count().max(n);
            cands.truncate(keep);
        }
        let ids: Vec<i64> = cands.iter().map(|c| c.id).collect();
        lap("sort");
        let mut out = match source.direction {
            Direction::DemandToExperts => {
                let experts = records.experts(&ids)?;
                cands
                    .iter()
                    .filter_map(|c| {
                        let e = experts.get(&c.id)?;
                        Some(self.explain(
                            source,
                            c,
                            &e.ext_id,
                            &expert_label(e),
                            &e.keywords,
                            &[&e.research, &e.achievements],
                        ))
                    })
                    .collect::<Vec<_>>()
            }
            Direction::ExpertToDemands => {
                let demands = records.demands(&ids)?;
                cands
                    .iter()
                    .filter_map(|c| {
                        let d = demands.get(&c.id)?;
                        Some(self.explain(
                            source,
                            c,
                            &d.ext_id,
                            &demand_label(d),
                            &d.keywords,
                            &[&d.description, &d.title],
                        ))
                    })
                    .collect::<Vec<_>>()
            }
        };
        lap("explain");
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.bm25.total_cmp(&a.bm25)).then(a.ext_id.cmp(&b.ext_id)));
        out.truncate(opts.top.max(1));
        Ok(out)
    }

    fn score_text(&self, searcher: &Searcher, q: &SourceQuery, docs: &[DocAddress], cands: &mut [Cand]) {
        let idx = self.index;
        let mut total = 0.0f64;
        let mut got = vec![0.0f64; cands.len()];
        for &si in &q.salient {
            let t = &q.terms[si];
            let w = (t.weight * t.idf) as f64;
            total += w;
            let mut best = vec![0.0f64; cands.len()];
            for (field, credit) in [(TextField::Keywords, 1.0), (TextField::Main, 1.0), (TextField::Body, 0.85)] {
                for (i, p) in
                    idx.presence(searcher, docs, &idx.word_term(q.target, field, &t.text)).into_iter().enumerate()
                {
                    if p {
                        best[i] = best[i].max(credit);
                        if !cands[i].matched.iter().any(|(f, x)| *f == field && *x == t.text) {
                            cands[i].matched.push((field, t.text.clone()));
                        }
                    }
                }
            }
            for s in q.synonyms.iter().filter(|s| s.term == si) {
                let all = self.all_parts_present(searcher, q.target, docs, &s.parts);
                for (i, hit) in all.into_iter().enumerate() {
                    if hit && best[i] < 0.9 {
                        best[i] = 0.9;
                        cands[i].synonyms.push((s.source_written.clone(), s.written.clone()));
                    }
                }
            }
            let grams: Vec<String> =
                idx.analyzer.bigrams(&t.text).into_iter().map(|g| g.text).filter(|g| *g != t.text).collect();
            if !grams.is_empty() {
                // Partial credit for the share of the term's character pairs found (a word cut
                // differently, or a longer phrase: 侧压力系数 ~ 侧向静止土压力系数).
                let mut count = vec![0usize; docs.len()];
                for g in &grams {
                    for (a, x) in count.iter_mut().zip(idx.presence(searcher, docs, &idx.gram_term(q.target, g))) {
                        *a += x as usize;
                    }
                }
                for (i, n) in count.into_iter().enumerate() {
                    best[i] = best[i].max(0.5 * n as f64 / grams.len() as f64);
                }
            }
            for (g, b) in got.iter_mut().zip(best) {
                *g += w * b;
            }
        }
        for (c, g) in cands.iter_mut().zip(got) {
            c.coverage = if total > 0.0 { (g / total).min(1.0) } else { 0.0 };
        }
    }

    /// For each document: whether every part occurs in one of its content fields.
    fn all_parts_present(
        &self,
        searcher: &Searcher,
        target: RecordKind,
        docs: &[DocAddress],
        parts: &[String],
    ) -> Vec<bool> {
        let idx = self.index;
        let mut all = vec![true; docs.len()];
        for p in parts {
            let mut any = vec![false; docs.len()];
            for field in TextField::CONTENT {
                for (a, x) in any.iter_mut().zip(idx.presence(searcher, docs, &idx.word_term(target, field, p))) {
                    *a |= x;
                }
            }
            for (a, x) in all.iter_mut().zip(any) {
                *a &= x;
            }
        }
        all
    }

    fn score_links(&self, searcher: &Searcher, q: &SourceQuery, docs: &[DocAddress], cands: &mut [Cand]) {
        for l in &q.links {
            for (written, ps) in &l.targets {
                let all = self.all_parts_present(searcher, q.target, docs, ps);
                for (i, hit) in all.into_iter().enumerate() {
                    if hit && cands[i].link.is_none() {
                        cands[i].link = Some((l.link, l.found.clone(), written.clone()));
                    }
                }
            }
        }
    }

    fn score_subfields_and_coop(&self, searcher: &Searcher, source: &Source, docs: &[DocAddress], cands: &mut [Cand]) {
        let tax = &self.knowledge.taxonomy;
        let (src_codes, src_suggested): (Vec<String>, bool) = if source.subfields.is_empty() {
            let text: String = source
                .texts
                .iter()
                .map(|(t, _)| *t)
                .chain(source.keywords.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join("\n");
            (self.index.classifier.classify(&text).into_iter().take(1).map(|c| c.code).collect(), true)
        } else {
            (source.subfields.to_vec(), false)
        };
        let src_coop = coop_mask(source.coop);
        let mut cols: HashMap<u32, [Column<u64>; 3]> = HashMap::new();
        for (c, d) in cands.iter_mut().zip(docs) {
            let [subs, auto, coop] = cols.entry(d.segment_ord).or_insert_with(|| {
                let ff = searcher.segment_reader(d.segment_ord).fast_fields();
                ["subs", "auto", "coop"].map(|f| ff.u64(f).expect("fast field of the schema"))
            });
            let mut tgt: Vec<&str> = subs.values_for_doc(d.doc_id).filter_map(|n| node_code(tax, n)).collect();
            let mut tgt_suggested = false;
            if tgt.is_empty() {
                tgt = auto.values_for_doc(d.doc_id).filter_map(|n| node_code(tax, n)).collect();
                tgt_suggested = true;
            }
            let factor = if src_suggested || tgt_suggested { 0.8 } else { 1.0 };
            let same = src_codes.iter().find(|s| tgt.contains(&s.as_str()));
            let parent = src_codes.iter().find(|s| tgt.iter().any(|t| tax.field_of(t) == tax.field_of(s)));
            c.subfield = if let Some(code) = same {
                let name = tax.name(code).unwrap_or(code).to_string();
                let note = if factor < 1.0 { "（按内容自动归类，仅供参考）" } else { "" };
                (
                    factor,
                    Some(Reason::Subfield {
                        code: code.clone(),
                        text: format!("同属细分领域：{name}{note}"),
                        name,
                        same_node: true,
                        suggested: factor < 1.0,
                    }),
                )
            } else if let Some(code) = parent {
                let f = tax.field_of(code);
                let name = tax.name(f).unwrap_or(f).to_string();
                let note = if factor < 1.0 { "（按内容自动归类，仅供参考）" } else { "" };
                (
                    0.5 * factor,
                    Some(Reason::Subfield {
                        code: f.to_string(),
                        text: format!("同属领域：{name}{note}"),
                        name,
                        same_node: false,
                        suggested: factor < 1.0,
                    }),
                )
            } else {
                (0.0, None)
            };
            let tgt_coop = coop.first(d.doc_id).unwrap_or(0);
            c.coop = if src_coop == 0 || tgt_coop == 0 {
                (0.5, vec![])
            } else if src_coop & tgt_coop != 0 {
                let both = src_coop & tgt_coop;
                (
                    1.0,
                    COOP_MODES
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| both & (1 << i) != 0)
                        .map(|(_, m)| m.to_string())
                        .collect(),
                )
            } else {
                (0.0, vec![])
            };
        }
    }

    #[allow(clippy::too_many_arguments)]
    #[allow(clippy::too_many_lines, reason = "TEMPORARY: rewritten by the matching issue")]
    fn explain(
        &self,
        source: &Source,
        c: &Cand,
        ext_id: &str,
        label: &str,
        tgt_keywords: &[String],
        evidence_texts: &[&str],
    ) -> Suggestion {
        let target = source.direction.target();
        let mut reasons = Vec::new();
        for field in [TextField::Keywords, TextField::Main, TextField::Body] {
            let terms: Vec<String> = c.matched.iter().filter(|(f, _)| *f == field).map(|(_, t)| t.clone()).collect();
            if !terms.is_empty() {
                let fl = field.label(target);
                reasons.push(Reason::Terms {
                    field: fl.to_string(),
                    text: format!("{fl}命中：{}", terms.join("、")),
                    terms,
                });
            }
        }
        for (a, b) in &c.synonyms {
            reasons
                .push(Reason::Synonym { term: a.clone(), synonym: b.clone(), text: format!("同义词：{a} = {b}") });
        }
        if let Some(r) = &c.subfield.1 {
            reasons.push(r.clone());
        }
        if let Some((li, found, disc)) = &c.link {
            let l = &self.prepared.links[*li];
            let (symptom, discipline) = match source.direction {
                Direction::DemandToExperts => (found.clone(), disc.clone()),
                Direction::ExpertToDemands => (disc.clone(), found.clone()),
            };
            reasons.push(Reason::ProblemLink {
                link: l.id.clone(),
                text: format!("问题→学科：{symptom} → {discipline}（{}）", l.note),
                symptom,
                discipline,
            });
        }
        // Near-spelled keywords.
        let mut kw_hits = 0usize;
        for a in source.keywords {
            let ak = norm_key(a);
            let best = tgt_keywords
                .iter()
                .map(|b| {
                    let bk = norm_key(b);
                    let s = if ak == bk
                        || (ak.chars().count() >= 2
                            && bk.chars().count() >= 2
                            && (ak.contains(&bk) || bk.contains(&ak)))
                    {
                        1.0
                    } else {
                        similarity(&ak, &bk)
                    };
                    (s, b)
                })
                .max_by(|x, y| x.0.total_cmp(&y.0));
            if let Some((s, b)) = best
                && s >= 0.75
            {
                kw_hits += 1;
                if ak != norm_key(b) {
                    reasons.push(Reason::Keyword {
                        a: a.clone(),
                        b: b.clone(),
                        similarity: s,
                        text: format!("关键词相近：{a} ≈ {b}"),
                    });
                }
            }
        }
        let kw = if source.keywords.is_empty() { 0.0 } else { kw_hits as f64 / source.keywords.len() as f64 };
        if !c.coop.1.is_empty() {
            reasons
                .push(Reason::Coop {
                    text: format!("合作方式一致：{}", c.coop.1.join("、")), modes: c.coop.1.clone()
                });
        }
        // Evidence: the sentence with the most matched words.
        let matched: HashSet<&str> =
            c.matched.iter().map(|(_, t)| t.as_str()).chain(c.link.iter().map(|l| l.2.as_str())).collect();
        if let Some((sentence, terms)) = best_sentence(evidence_texts, &matched) {
            reasons.push(Reason::Evidence { text: format!("依据：{sentence}"), sentence, terms });
        }
        let parts = ScoreParts {
            text: W_TEXT * c.coverage,
            subfield: W_SUBFIELD * c.subfield.0,
            link: if c.link.is_some() { W_LINK } else { 0.0 },
            keyword: W_KEYWORD * kw,
            coop: W_COOP * c.coop.0,
        };
        let score = ((parts.text + parts.subfield + parts.link + parts.keyword + parts.coop) * 10.0).round() / 10.0;
        Suggestion {
            id: c.id,
            ext_id: ext_id.to_string(),
            label: label.to_string(),
            score,
            parts,
            bm25: c.bm25,
            reasons,
        }
    }
}

/// The sentence (of the given texts) containing the most of `matched` (normalised terms, found
/// case-insensitively; English stems are prefixes of their words); ties keep the earlier one.
fn best_sentence(texts: &[&str], matched: &HashSet<&str>) -> Option<(String, Vec<String>)> {
    let mut terms: Vec<&str> = matched.iter().copied().collect();
    terms.sort();
    let mut best: Option<(usize, String, Vec<String>)> = None;
    for text in texts {
        for s in text.split(['。', '；', ';', '\n', '！', '？']).map(str::trim).filter(|s| !s.is_empty()) {
            let lower = s.to_lowercase();
            let found: Vec<String> =
                terms.iter().filter(|t| lower.contains(*t)).map(std::string::ToString::to_string).collect();
            if !found.is_empty() && best.as_ref().is_none_or(|(n, _, _)| found.len() > *n) {
                let shown: String = if s.chars().count() > 120 {
                    s.chars().take(120).collect::<String>() + "…"
                } else {
                    s.to_string()
                };
                best = Some((found.len(), shown, found));
            }
        }
    }
    best.map(|(_, s, f)| (s, f))
}

pub fn expert_label(e: &Expert) -> String {
    let name = if e.name.is_empty() { e.ext_id.as_str() } else { e.name.as_str() };
    match (e.institution.is_empty(), e.title.is_empty()) {
        (true, _) => name.to_string(),
        (false, true) => format!("{name}（{}）", e.institution),
        (false, false) => format!("{name}（{}，{}）", e.institution, e.title),
    }
}

pub fn demand_label(d: &Demand) -> String {
    if d.enterprise.is_empty() { d.title.clone() } else { format!("{}（{}）", d.title, d.enterprise) }
}
