//! The matcher: ranks experts for a demand and demands for an expert over the [`Model`], with
//! the one pair score of [`super::score`], and explains the top of the ranking from the records.
//!
//! Every expert can be scored for every demand. Ranking computes a cheap upper bound of each
//! candidate's score first (the exact text coverage through the inverted lists, the field part
//! from the taxonomy nodes, the rest at its maximum) and scores exactly, best bound first, until
//! no remaining bound can reach the top N — the same top N as scoring everyone, in a fraction of
//! the time.

use std::borrow::Cow;
use std::collections::HashSet;

use super::model::{Focus, Kit, Model, Profile, Source};
use super::score::{self, Neighbours, PairScore, Query};
use crate::domain::{Demand, Expert, Knowledge};

/// Options of one ranking.
#[derive(Debug, Clone, Default)]
pub struct MatchOptions {
    pub top: usize,
    /// Target row ids never to suggest (pairs marked 回避/不再推荐).
    pub excluded: HashSet<i64>,
    /// Expert → demands: keep demands of every status.
    pub include_closed: bool,
    /// Only these target row ids (a meeting's participants).
    pub only: Option<HashSet<i64>>,
}

impl MatchOptions {
    fn allows(&self, row: i64) -> bool {
        !self.excluded.contains(&row) && self.only.as_ref().is_none_or(|o| o.contains(&row))
    }
}

/// One ranked target: its index in the model, its row id, and the pair's score.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub index: usize,
    pub row: i64,
    pub score: f64,
    pub pair: PairScore,
}

/// The demand side of a pair: from the model when it holds the record as given, else analysed
/// on the spot.
pub struct DemandSide<'m> {
    pub profile: Cow<'m, Profile>,
    pub query: Cow<'m, Query>,
    /// Index in the model's demands.
    pub index: Option<usize>,
}

/// The expert side of a pair.
pub struct ExpertSide<'m> {
    pub profile: Cow<'m, Profile>,
    pub focus: Cow<'m, Focus>,
    pub index: Option<usize>,
}

/// The matcher over a model.
#[derive(Clone, Copy)]
pub struct Matcher<'a> {
    pub model: &'a Model,
    pub kit: Kit<'a>,
    pub knowledge: &'a Knowledge,
}

impl<'a> Matcher<'a> {
    pub fn demand_side(&self, d: &Demand) -> DemandSide<'a> {
        let source = Source::demand(d);
        if let Some(i) = self.model.demand_index(d.id)
            && self.model.demands[i].stamp == source.stamp()
        {
            return DemandSide {
                profile: Cow::Borrowed(&self.model.demands[i]),
                query: Cow::Borrowed(&self.model.queries[i]),
                index: Some(i),
            };
        }
        let profile = self.model.probe(self.kit, &source);
        let query = Query::new(self.model, self.kit.prep, &profile, &source.whole());
        DemandSide { profile: Cow::Owned(profile), query: Cow::Owned(query), index: None }
    }

    pub fn expert_side(&self, e: &Expert) -> ExpertSide<'a> {
        let source = Source::expert(e);
        if let Some(i) = self.model.expert_index(e.id)
            && self.model.experts[i].stamp == source.stamp()
        {
            return ExpertSide {
                profile: Cow::Borrowed(&self.model.experts[i]),
                focus: Cow::Borrowed(&self.model.focus[i]),
                index: Some(i),
            };
        }
        let profile = self.model.probe(self.kit, &source);
        let (list, total) = score::salient(self.model, self.kit.prep, &profile, score::SALIENT);
        #[allow(clippy::cast_possible_truncation)]
        let focus = Focus { terms: list.iter().map(|s| (s.id, s.weight as f32)).collect(), total: total as f32 };
        ExpertSide { profile: Cow::Owned(profile), focus: Cow::Owned(focus), index: None }
    }

    /// The demand's nearest paired demands (itself excluded).
    fn neighbours(&self, query: &Query, index: Option<usize>) -> Neighbours {
        let model = self.model;
        Neighbours::new(
            model
                .paired
                .iter()
                .filter(|&&p| index != Some(p as usize))
                .map(|&p| {
                    let i = p as usize;
                    (p, score::demand_similarity(query, &model.queries[i]))
                })
                .collect(),
        )
    }

    /// The expert's paired demands (their history).
    fn past(&self, e: &ExpertSide<'_>) -> &'a [u32] {
        let model: &'a Model = self.model;
        e.index.and_then(|i| model.history.get(&u32::try_from(i).ok()?)).map_or(&[], Vec::as_slice)
    }

    /// The score of one pair, whoever the pair was found from.
    pub fn pair(&self, d: &Demand, e: &Expert) -> PairScore {
        let ds = self.demand_side(d);
        let es = self.expert_side(e);
        let past = self.past(&es);
        let nb = if past.is_empty() { Neighbours::default() } else { self.neighbours(&ds.query, ds.index) };
        score::score(self.kit.prep, (&ds.profile, &ds.query), (&es.profile, &es.focus), past, &nb)
    }

    /// The experts for a demand, best first (ties by row id). Unavailable experts never appear.
    pub fn rank_experts(&self, d: &Demand, opts: &MatchOptions) -> Vec<Ranked> {
        let ds = self.demand_side(d);
        self.rank_experts_for(&ds, opts)
    }

    pub fn rank_experts_for(&self, ds: &DemandSide<'_>, opts: &MatchOptions) -> Vec<Ranked> {
        let nb = self.neighbours(&ds.query, ds.index);
        let model = self.model;
        let n = opts.top.max(1);
        let bounds = Bounds::new(self, ds, &nb);
        let mut order: Vec<(f64, u32)> = model
            .experts
            .iter()
            .enumerate()
            .filter(|(_, e)| e.live && opts.allows(e.row))
            .map(|(i, _)| {
                let i = u32::try_from(i).unwrap_or(u32::MAX);
                (bounds.of(i), i)
            })
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut out: Vec<Ranked> = Vec::new();
        for (bound, i) in order {
            if out.len() >= n && bound + 1e-9 < out[n - 1].score {
                break;
            }
            let idx = i as usize;
            let e = &model.experts[idx];
            let past = model.history.get(&i).map_or(&[][..], Vec::as_slice);
            let pair = score::score(self.kit.prep, (&ds.profile, &ds.query), (e, &model.focus[idx]), past, &nb);
            let r = Ranked { index: idx, row: e.row, score: pair.score(), pair };
            let at = out.partition_point(|x| x.score > r.score || (x.score == r.score && x.row < r.row));
            if at < n {
                out.insert(at, r);
                out.truncate(n);
            }
        }
        out
    }

    /// The demands for an expert, best first (ties by row id): every open demand (every demand
    /// with `include_closed`) is scored, with the demand as the query, so the pair scores are
    /// the same as from the demand.
    pub fn rank_demands(&self, e: &Expert, opts: &MatchOptions) -> Vec<Ranked> {
        let es = self.expert_side(e);
        let model = self.model;
        let past = self.past(&es);
        let mut out: Vec<Ranked> = model
            .demands
            .iter()
            .enumerate()
            .filter(|(_, d)| (d.live || opts.include_closed) && opts.allows(d.row))
            .map(|(j, d)| {
                let q = &model.queries[j];
                let nb = if past.is_empty() { Neighbours::default() } else { self.neighbours(q, Some(j)) };
                let pair = score::score(self.kit.prep, (d, q), (&es.profile, &es.focus), past, &nb);
                Ranked { index: j, row: d.row, score: pair.score(), pair }
            })
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.row.cmp(&b.row)));
        out.truncate(opts.top.max(1));
        out
    }
}

/// Upper bounds of the scores of all experts for one demand.
struct Bounds<'m> {
    experts: &'m [Profile],
    /// Per expert: the exact-match coverage mass (through the inverted lists).
    mass: Vec<f32>,
    /// Per expert: the character-pair mass.
    gram_mass: Vec<f32>,
    gram_total: f64,
    total: f64,
    /// Coverage any expert can get beyond `mass` (synonyms, character pairs).
    slack: f64,
    /// Per taxonomy node: what an expert placed there (at confidence 1) gets ([`score::field_weights`]).
    node_value: Vec<f32>,
    vague: f64,
    /// Per expert: whether a problem link's discipline may be in their profile.
    link: Vec<bool>,
    /// Per expert: whether any of their paired demands resembles this one.
    history: Vec<bool>,
    coop: u64,
    has_keywords: bool,
}

impl<'m> Bounds<'m> {
    fn new(m: &Matcher<'m>, ds: &DemandSide<'_>, nb: &Neighbours) -> Self {
        let model = m.model;
        let q = &ds.query;
        let n = model.experts.len();
        let mut mass = vec![0f32; n];
        let mut slack = 0.0;
        for s in &q.salient {
            #[allow(clippy::cast_possible_truncation)]
            let w = s.weight as f32;
            for &e in model.postings.get(s.id as usize).into_iter().flatten() {
                mass[e as usize] += w;
            }
            // A synonym, the words inside it or its character pairs may stand in for the word.
            for (_, parts) in &s.alternatives {
                for &e in parts.first().and_then(|p| model.postings.get(*p as usize)).into_iter().flatten() {
                    mass[e as usize] += w * score::SYNONYM_CREDIT as f32;
                }
            }
            for (p, share) in &s.parts {
                #[allow(clippy::cast_possible_truncation)]
                let add = w * (score::PART_CREDIT * share) as f32;
                for &e in model.postings.get(*p as usize).into_iter().flatten() {
                    mass[e as usize] += add;
                }
            }
            if !s.grams.is_empty() {
                slack += s.weight * score::PAIR_CREDIT;
            }
        }
        let mut gram_mass = vec![0f32; n];
        for &(g, w) in &q.grams {
            #[allow(clippy::cast_possible_truncation)]
            let w = w as f32;
            for &e in model.gram_postings.get(g as usize).into_iter().flatten() {
                gram_mass[e as usize] += w;
            }
        }
        let prep = m.kit.prep;
        let node_value = score::field_weights(prep, &ds.profile);
        let mut link = vec![false; n];
        for l in &q.links {
            for (_, parts) in &l.disciplines {
                for &e in parts.first().and_then(|p| model.postings.get(*p as usize)).into_iter().flatten() {
                    link[e as usize] = true;
                }
            }
        }
        let mut history = vec![false; n];
        if !nb.is_empty() {
            for (e, past) in &model.history {
                if nb.list.iter().any(|(p, _)| past.binary_search(p).is_ok()) {
                    history[*e as usize] = true;
                }
            }
        }
        Bounds {
            experts: &model.experts,
            mass,
            gram_mass,
            gram_total: q.gram_total,
            total: q.total,
            slack,
            node_value,
            vague: q.vagueness(),
            link,
            history,
            coop: ds.profile.coop,
            has_keywords: !ds.profile.keywords.is_empty(),
        }
    }

    /// An upper bound of expert `i`'s score.
    fn of(&self, i: u32) -> f64 {
        let i = i as usize;
        let e = &self.experts[i];
        let words = if self.total > 0.0 { ((f64::from(self.mass[i]) + self.slack) / self.total).min(1.0) } else { 0.0 };
        let grams = if self.gram_total > 0.0 { (f64::from(self.gram_mass[i]) / self.gram_total).min(1.0) } else { 0.0 };
        let cover = score::mix(words, grams) + 1e-6;
        let text = score::combine(cover, 1.0);
        let field = score::field_with(&self.node_value, e).0;
        let v = self.vague;
        let base = score::knob("wt", score::W_TEXT) * text * v
            + score::knob("wf", score::W_FIELD) * field * v
            + if self.link[i] { score::knob("wl", score::W_LINK) * v } else { 0.0 }
            + if self.has_keywords && !e.keywords.is_empty() { score::W_KEYWORD * v } else { 0.0 }
            + score::W_COOP * score::coop(self.coop, e.coop);
        if self.history[i] { base + (100.0 - base).max(0.0) * score::knob("hs", score::HISTORY_SHARE) * v } else { base }
    }
}
