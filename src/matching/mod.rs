//! Matching: for a demand, which experts should the office call — and why; and the reverse, for
//! an expert, which demands. Pure functions over an in-memory [`model::Model`] of every record
//! and the knowledge files; the records needed for explanations come through [`Records`].
//!
//! ## The score (匹配度, 0–100)
//!
//! One function of the pair (demand, expert), the demand always being the query, so a pair scores
//! the same from either side and in search, match, meetings and exports:
//!
//! `score = 55·T + 30·F + 10·P + 5·C`, then the history `H` makes up a share of the rest:
//! `+ (100 − that)·0.4·H`. Each part is in 0..=1:
//! - **T 内容** — how much of the demand's salient words (up to 16, weighted by field — 关键词 3,
//!   需求名称 2, 描述 1 — and by rarity among the experts, IDF; generic words ×0.1) the expert's
//!   关键词/研究方向/代表性成果 have (a word counts 0.85 in 代表性成果 only, 0.9 through a synonym of
//!   data/synonyms.toml, up to 0.5 by its character pairs), lifted by the share of the expert's
//!   own salient words the demand has, so a focused one-line entry is not beaten by a long
//!   profile: `T = 0.7·cover + 0.3·√(cover·focus)`.
//! - **F 领域** — both sides placed in the taxonomy (their own 细分领域, else classified from
//!   their words: node names, aliases, terms, and the discipline names of data/disciplines.toml),
//!   scored confidence × confidence × relation: 1 for the same node, 0.7 between a field and its
//!   subfield, 0.49 between siblings, the `related` strength across fields.
//! - **P 问题→学科** — a shop-floor symptom of the demand (data/problem_links.toml) names a
//!   discipline the expert's profile has.
//! - **C 合作方式** — 1 when a mode is shared, 0.5 when a side names none, 0 otherwise.
//! - **H 对接历史** — how much the expert's past pairings (加入对接, `bole import pairings`)
//!   resemble this demand: noisy-or of the similarities of their past demands.
//!
//! A demand made only of generic words (data/generic_words.toml: 材料、性能、提高 …) is vague:
//! T, F, P and H are scaled down and the reasons say "需求描述过于笼统". The strength label
//! (强/中/弱, [`Strength`]) cuts the score at calibrated points. Ranking is by score, then row id —
//! deterministic. Hard exclusions (experts marked unavailable, pairs marked 回避 or 不再推荐) never
//! appear.

pub mod assign;
pub mod eval;
pub mod explain;
pub mod matcher;
pub mod model;
pub mod schedule;
pub mod score;
#[cfg(test)]
mod tests;

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

use crate::domain::{Demand, Expert, RecordKind};
use crate::search::SearchError;
use crate::store::StoreError;

pub use crate::domain::Strength;
pub use matcher::{MatchOptions, Matcher, Ranked};
pub use model::{Kit, Model};
pub use score::{PairScore, ScoreParts};

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
    /// Demand words found in a field of the suggested record (as the records write them).
    Terms { field: String, terms: Vec<String>, text: String },
    /// A word matched through a synonym group (data/synonyms.toml).
    Synonym { term: String, synonym: String, text: String },
    /// The taxonomy nodes the two sides share or relate through; `evidence` are the words that
    /// placed a side classified from its content.
    Subfield { code: String, name: String, same_node: bool, suggested: bool, evidence: Vec<String>, text: String },
    /// A shop-floor symptom linked to a discipline (data/problem_links.toml).
    ProblemLink { link: String, symptom: String, discipline: String, text: String },
    /// Near-spelled keywords (strsim).
    Keyword { a: String, b: String, similarity: f64, text: String },
    /// A cooperation mode both sides name.
    Coop { modes: Vec<String>, text: String },
    /// A demand the expert was paired with before that resembles this one.
    History { demand_id: String, title: String, similarity: f64, text: String },
    /// A warning about the pair's footing (a vague demand).
    Hint { text: String },
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
            | Reason::History { text, .. }
            | Reason::Hint { text }
            | Reason::Evidence { text, .. } => text,
        }
    }
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
    /// 0–100, one decimal.
    pub score: f64,
    pub strength: Strength,
    pub parts: ScoreParts,
    pub reasons: Vec<Reason>,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl Matcher<'_> {
    /// The explained suggestion of one pair; `target` is the kind suggested.
    pub fn explain(
        &self,
        d: &Demand,
        e: &Expert,
        pair: &PairScore,
        target: RecordKind,
        records: &dyn Records,
    ) -> Suggestion {
        let ds = self.demand_side(d);
        let es = self.expert_side(e);
        let past = |i: usize| -> Option<(String, String)> {
            let row = self.model.demands.get(i)?.row;
            let d = records.demands(&[row]).ok()?.remove(&row)?;
            Some((d.ext_id, d.title))
        };
        let reasons = explain::reasons(self, (d, &ds.profile), (e, &es.profile), pair, target, &past);
        let p = pair.parts();
        let parts = ScoreParts {
            text: round1(p.text),
            subfield: round1(p.subfield),
            link: round1(p.link),
            coop: round1(p.coop),
            history: round1(p.history),
        };
        let score = round1(p.sum());
        let (id, ext_id, label) = match target {
            RecordKind::Expert => (e.id, e.ext_id.clone(), expert_label(e)),
            RecordKind::Demand => (d.id, d.ext_id.clone(), demand_label(d)),
        };
        Suggestion { id, ext_id, label, score, strength: Strength::of(score), parts, reasons }
    }

    /// Ranked, explained experts for a demand.
    pub fn suggest_experts(
        &self,
        d: &Demand,
        opts: &MatchOptions,
        records: &dyn Records,
    ) -> Result<Vec<Suggestion>, MatchError> {
        let t = std::time::Instant::now();
        let ranked = self.rank_experts(d, opts);
        let t1 = t.elapsed();
        let ids: Vec<i64> = ranked.iter().map(|r| r.row).collect();
        let experts = records.experts(&ids)?;
        let out = ranked
            .iter()
            .filter_map(|r| Some(self.explain(d, experts.get(&r.row)?, &r.pair, RecordKind::Expert, records)))
            .collect();
        if std::env::var_os("BOLE_PROFILE").is_some() {
            eprintln!(
                "rank {:.2} ms, explain {:.2} ms",
                t1.as_secs_f64() * 1e3,
                t.elapsed().saturating_sub(t1).as_secs_f64() * 1e3
            );
        }
        Ok(out)
    }

    /// Ranked, explained demands for an expert.
    pub fn suggest_demands(
        &self,
        e: &Expert,
        opts: &MatchOptions,
        records: &dyn Records,
    ) -> Result<Vec<Suggestion>, MatchError> {
        let ranked = self.rank_demands(e, opts);
        let ids: Vec<i64> = ranked.iter().map(|r| r.row).collect();
        let demands = records.demands(&ids)?;
        Ok(ranked
            .iter()
            .filter_map(|r| Some(self.explain(demands.get(&r.row)?, e, &r.pair, RecordKind::Demand, records)))
            .collect())
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
