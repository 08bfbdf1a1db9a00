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
        let t0 = std::time::Instant::now();
        let nb = self.neighbours(&ds.query, ds.index);
        let model = self.model;
        let n = opts.top.max(1);
        let bounds = Bounds::new(self, ds, &nb);
        let t_bounds = t0.elapsed();
        let usable = |i: u32| {
            let e = &model.experts[i as usize];
            e.live && opts.allows(e.row)
        };
        // The experts any part of the demand touches, best bound first (a heap: only the top is
        // ever ordered); the others can score no more than `bounds.untouched()`.
        // Keyed first by a cheap bound (text from the lists, the best field anywhere); an expert's
        // own bound is computed only when they reach the top of the heap, then they go back in.
        let mut heap: std::collections::BinaryHeap<Candidate> =
            bounds.touched.iter().filter(|&&i| usable(i)).map(|&i| Candidate(bounds.cheap(i), i | LAZY)).collect();
        let t_sort = t0.elapsed();
        let mut out: Vec<Ranked> = Vec::new();
        let mut exact = 0usize;
        let total = heap.len();
        let score_one = |i: u32, out: &mut Vec<Ranked>| {
            let idx = i as usize;
            let e = &model.experts[idx];
            let past = model.history.get(&i).map_or(&[][..], Vec::as_slice);
            let pair =
                score::score_with(self.kit.prep, (&ds.profile, &ds.query), (e, &model.focus[idx]), past, &nb, false);
            let r = Ranked { index: idx, row: e.row, score: pair.score(), pair };
            let at = out.partition_point(|x| x.score > r.score || (x.score == r.score && x.row < r.row));
            if at < n {
                out.insert(at, r);
                out.truncate(n);
            }
        };
        let enough = |out: &Vec<Ranked>, bound: f64| out.len() >= n && bound + 1e-9 < out[n - 1].score;
        while let Some(Candidate(bound, i)) = heap.pop() {
            if enough(&out, bound) {
                break;
            }
            if i & LAZY != 0 {
                let i = i & !LAZY;
                heap.push(Candidate(bounds.of(i), i));
                continue;
            }
            exact += 1;
            score_one(i, &mut out);
        }
        // Experts who share only the field with the demand, when the top is not full above
        // what a field alone can give.
        if !enough(&out, bounds.field_only()) {
            let mut more: std::collections::BinaryHeap<Candidate> = std::collections::BinaryHeap::new();
            let mut seen = vec![false; model.experts.len()];
            for (b, v) in bounds.node_value.iter().enumerate() {
                if *v <= 0.0 {
                    continue;
                }
                for &i in model.node_experts.get(b).into_iter().flatten() {
                    if !bounds.is_touched(i) && !seen[i as usize] && usable(i) {
                        seen[i as usize] = true;
                        more.push(Candidate(bounds.of(i), i));
                    }
                }
            }
            while let Some(Candidate(bound, i)) = more.pop() {
                if enough(&out, bound) {
                    break;
                }
                exact += 1;
                score_one(i, &mut out);
            }
        }
        // Untouched experts (no shared word, pair, field, link or history) only when the top is
        // not full above what they can score.
        if !enough(&out, bounds.untouched()) {
            for i in 0..u32::try_from(model.experts.len()).unwrap_or(u32::MAX) {
                if !bounds.is_touched(i) && bounds.field_of(i) <= 0.0 && usable(i) {
                    exact += 1;
                    score_one(i, &mut out);
                }
            }
        }
        self.detail(ds, &nb, &mut out);
        if std::env::var_os("BOLE_PROFILE").is_some() {
            let ms = |t: std::time::Duration| t.as_secs_f64() * 1e3;
            let (b, h, all) = (ms(t_bounds), ms(t_sort), ms(t0.elapsed()));
            eprintln!("scored exactly {exact} of {total} touched; bounds {b:.2} ms, heap {h:.2} ms, total {all:.2} ms");
        }
        out
    }

    /// Scores the few kept again with the words behind their scores, for their reasons.
    fn detail(&self, ds: &DemandSide<'_>, nb: &Neighbours, out: &mut [Ranked]) {
        let model = self.model;
        for r in out {
            let i = r.index;
            let past = model.history.get(&u32::try_from(i).unwrap_or(u32::MAX)).map_or(&[][..], Vec::as_slice);
            let e = (&model.experts[i], &model.focus[i]);
            r.pair = score::score(self.kit.prep, (&ds.profile, &ds.query), e, past, nb);
        }
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
                let pair = score::score_with(self.kit.prep, (d, q), (&es.profile, &es.focus), past, &nb, false);
                Ranked { index: j, row: d.row, score: pair.score(), pair }
            })
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.row.cmp(&b.row)));
        out.truncate(opts.top.max(1));
        for r in &mut out {
            let (d, q) = (&model.demands[r.index], &model.queries[r.index]);
            let nb = if past.is_empty() { Neighbours::default() } else { self.neighbours(q, Some(r.index)) };
            r.pair = score::score(self.kit.prep, (d, q), (&es.profile, &es.focus), past, &nb);
        }
        out
    }
}

/// An expert with its score bound, ordered by bound, then lower index first. With [`LAZY`] set
/// in the index, the bound is the cheap one and the expert's own is still to be computed.
struct Candidate(f64, u32);

/// Marks a [`Candidate`] whose bound is only [`Bounds::cheap`].
const LAZY: u32 = 1 << 31;

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0).then(other.1.cmp(&self.1))
    }
}

/// Upper bounds of the scores of all experts for one demand.
struct Bounds<'m> {
    experts: &'m [Profile],
    /// Per expert: the exact-match coverage mass (through the inverted lists).
    mass: Vec<f32>,
    /// Per expert: the share of their salient weight the demand's specific words have (exact).
    focus: Vec<f32>,
    /// Per expert: the character-pair mass.
    gram_mass: Vec<f32>,
    gram_total: f64,
    total: f64,
    /// Per taxonomy node: what an expert placed there (at confidence 1) gets ([`score::field_weights`]).
    node_value: Vec<f32>,
    /// The largest field part any expert can get.
    field_max: f64,
    vague: f64,
    /// Per expert: whether a problem link's discipline may be in their profile (empty: none).
    link: Vec<bool>,
    /// Per expert: whether any of their paired demands resembles this one (empty: none).
    history: Vec<bool>,
    coop: u64,
    /// Generic words' weight, which any expert may have.
    slack: f64,
    /// Which experts any part of the demand reaches, and the list of them.
    mark: Vec<bool>,
    touched: Vec<u32>,
}

impl<'m> Bounds<'m> {
    fn new(m: &Matcher<'m>, ds: &DemandSide<'_>, nb: &Neighbours) -> Self {
        let model = m.model;
        let q = &ds.query;
        let n = model.experts.len();
        let mut reach = Reach { mark: vec![false; n], touched: Vec::new() };
        let (mass, focus, slack) = word_mass(model, q, &mut reach);
        let mut gram_mass = vec![0f32; n];
        for &(g, w) in &q.grams {
            #[allow(clippy::cast_possible_truncation)]
            let w = w as f32;
            for &e in model.gram_postings.get(g as usize).into_iter().flatten() {
                gram_mass[e as usize] += w;
                reach.touch(e);
            }
        }
        let node_value = q.node_value.clone();
        // Experts with a linked discipline's word, and experts whose past demands resemble this one.
        let linked = q.links.iter().flat_map(|l| &l.disciplines).flat_map(|(_, parts)| {
            parts.first().and_then(|p| model.postings.get(*p as usize)).into_iter().flatten().map(|p| p.e)
        });
        let link = reach.flags(n, linked);
        let similar = model
            .history
            .iter()
            .filter(|_| !nb.is_empty())
            .filter(|(_, past)| nb.list.iter().any(|(p, _)| past.binary_search(p).is_ok()))
            .map(|(e, _)| *e);
        let history = reach.flags(n, similar);
        Bounds {
            experts: &model.experts,
            mass,
            focus,
            gram_mass,
            gram_total: q.gram_total,
            total: q.total,
            slack,
            field_max: f64::from(node_value.iter().copied().fold(0.0, f32::max)),
            node_value,
            vague: q.vagueness(),
            link,
            history,
            coop: ds.profile.coop,
            mark: reach.mark,
            touched: reach.touched,
        }
    }

    fn is_touched(&self, i: u32) -> bool {
        self.mark[i as usize]
    }

    /// The field part of expert `i`.
    fn field_of(&self, i: u32) -> f64 {
        score::field_with(&self.node_value, &self.experts[i as usize]).0
    }

    /// The most an expert reached by no word, pair, link or history can score: the field, the
    /// generic words and the cooperation part.
    fn field_only(&self) -> f64 {
        let field = f64::from(self.node_value.iter().copied().fold(0.0, f32::max));
        self.untouched() + score::W_FIELD * field * self.vague
    }

    /// The most an untouched expert can score: the generic words and the cooperation part.
    fn untouched(&self) -> f64 {
        let words = if self.total > 0.0 { (self.slack / self.total).min(1.0) } else { 0.0 };
        score::W_TEXT * score::combine(score::mix(words, 0.0) + 1e-6, 1e-6) * self.vague + score::W_COOP
    }

    /// A looser bound than [`Bounds::of`] that reads nothing of the expert's profile: the best
    /// field part anywhere and a shared cooperation mode assumed.
    fn cheap(&self, i: u32) -> f64 {
        self.bound(i as usize, self.field_max, 1.0)
    }

    /// An upper bound of expert `i`'s score.
    fn of(&self, i: u32) -> f64 {
        let e = &self.experts[i as usize];
        self.bound(i as usize, score::field_with(&self.node_value, e).0, score::coop(self.coop, e.coop))
    }

    /// The bound of expert `i` with the given field and cooperation parts.
    fn bound(&self, i: usize, field: f64, coop: f64) -> f64 {
        let words = if self.total > 0.0 { ((f64::from(self.mass[i]) + self.slack) / self.total).min(1.0) } else { 0.0 };
        let grams = if self.gram_total > 0.0 { (f64::from(self.gram_mass[i]) / self.gram_total).min(1.0) } else { 0.0 };
        let text = score::combine(score::mix(words, grams) + 1e-6, (f64::from(self.focus[i]) + 1e-6).min(1.0));
        let v = self.vague;
        let base = score::W_TEXT * text * v
            + score::W_FIELD * field * v
            + if self.link.get(i).copied().unwrap_or(false) { score::W_LINK * v } else { 0.0 }
            + score::W_COOP * coop;
        if self.history.get(i).copied().unwrap_or(false) {
            base + (100.0 - base).max(0.0) * score::HISTORY_SHARE * v
        } else {
            base
        }
    }
}

/// The experts a demand's lists reach, in the order first reached.
struct Reach {
    mark: Vec<bool>,
    touched: Vec<u32>,
}

impl Reach {
    fn touch(&mut self, e: u32) {
        if !self.mark[e as usize] {
            self.mark[e as usize] = true;
            self.touched.push(e);
        }
    }

    /// A flag per expert for those listed (empty when none is), each touched.
    fn flags(&mut self, n: usize, experts: impl Iterator<Item = u32>) -> Vec<bool> {
        let mut flags = Vec::new();
        for e in experts {
            if flags.is_empty() {
                flags = vec![false; n];
            }
            flags[e as usize] = true;
            self.touch(e);
        }
        flags
    }
}

/// Per expert, the coverage mass of the demand's specific words (the word itself, a synonym,
/// its character pairs, the words inside it) and the salient share they have; and the weight of
/// the generic words. Generic words (in a quarter of the pool or listed) weigh little: any expert
/// may have them, which spares walking their long lists.
fn word_mass(model: &Model, q: &Query, reach: &mut Reach) -> (Vec<f32>, Vec<f32>, f64) {
    let n = model.experts.len();
    let mut mass = vec![0f32; n];
    let mut focus = vec![0f32; n];
    let mut slack = 0.0;
    for s in &q.salient {
        #[allow(clippy::cast_possible_truncation)]
        let w = s.weight as f32;
        if s.generic {
            slack += s.weight;
            continue;
        }
        for p in model.postings.get(s.id as usize).into_iter().flatten() {
            mass[p.e as usize] += w * p.credit;
            focus[p.e as usize] += p.focus;
            reach.touch(p.e);
        }
        // A synonym or the words inside it may stand in for the word.
        for (_, parts) in &s.alternatives {
            for p in parts.first().and_then(|p| model.postings.get(*p as usize)).into_iter().flatten() {
                mass[p.e as usize] += w * score::SYNONYM_CREDIT as f32;
                reach.touch(p.e);
            }
        }
        if !s.grams.is_empty() {
            #[allow(clippy::cast_possible_truncation)]
            let add = w * (score::PAIR_CREDIT / s.grams.len() as f64) as f32;
            for &g in &s.grams {
                for &e in model.gram_postings.get(g as usize).into_iter().flatten() {
                    mass[e as usize] += add;
                    reach.touch(e);
                }
            }
        }
        for (p, share) in &s.parts {
            #[allow(clippy::cast_possible_truncation)]
            let add = w * (score::PART_CREDIT * share) as f32;
            for post in model.postings.get(*p as usize).into_iter().flatten() {
                mass[post.e as usize] += add;
                reach.touch(post.e);
            }
        }
    }
    (mass, focus, slack)
}
