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
        let plain = opts.excluded.is_empty() && opts.only.is_none();
        let usable = |i: u32| {
            let b = &model.briefs[i as usize];
            b.live && (plain || opts.allows(b.row))
        };
        let mut out: Vec<Ranked> = Vec::new();
        let mut exact = 0usize;
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
        // Every expert has a quick (linear) upper bound from the per-expert sums. The best few
        // are scored exactly and set the bar; of the rest, only those whose quick bound reaches
        // it get their own bound, and are scored exactly, best bound first, until no bound can
        // reach the top N: the same top N as scoring everyone.
        let quick = bounds.quick();
        let head = (2 * n).max(32).min(quick.len());
        // The quick bound the head reaches (the head-th largest), then the head itself.
        let cut = if head < quick.len() { kth_largest(&quick, head) } else { f32::NEG_INFINITY };
        let mut first = candidates(&quick, |q| q >= cut, usable, |i| bounds.of(i), f64::NEG_INFINITY);
        first.sort_unstable_by(|a, b| b.cmp(a));
        for &Candidate(bound, i) in &first {
            if enough(&out, bound) {
                break;
            }
            exact += 1;
            score_one(i, &mut out);
        }
        #[allow(clippy::cast_possible_truncation)]
        let bar = if out.len() >= n { out[n - 1].score - 1e-6 } else { f64::NEG_INFINITY };
        #[allow(clippy::cast_possible_truncation)]
        let quick_bar = bar as f32;
        let mut more = candidates(&quick, |q| q < cut && q >= quick_bar, usable, |i| bounds.of(i), bar);
        let total = first.len() + more.len();
        more.sort_unstable_by(|a, b| b.cmp(a));
        for Candidate(bound, i) in more {
            if enough(&out, bound) {
                break;
            }
            exact += 1;
            score_one(i, &mut out);
        }
        let t_rank = t0.elapsed();
        self.detail(ds, &nb, &mut out);
        if std::env::var_os("BOLE_PROFILE").is_some() {
            let ms = |t: std::time::Duration| t.as_secs_f64() * 1e3;
            let (b, h, all) = (ms(t_bounds), ms(t_rank), ms(t0.elapsed()));
            eprintln!(
                "scored exactly {exact} of {total} bounded; bounds {b:.2} ms, ranked {h:.2} ms, total {all:.2} ms"
            );
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

/// The `k`-th largest of `values` (`k` ≥ 1, at most their number), in [`f32::total_cmp`]'s
/// order: one pass keeping the `k` largest in a heap (most values are below its least and cost
/// one comparison), far cheaper than selecting in a copy of a pool-sized array.
fn kth_largest(values: &[f32], k: usize) -> f32 {
    use std::cmp::Reverse;
    // f32 bits → i32 in total_cmp's order; the same map takes a key back to the bits.
    #[allow(clippy::cast_sign_loss, clippy::cast_possible_wrap)]
    let flip = |b: i32| b ^ ((((b >> 31) as u32) >> 1) as i32);
    let key = |x: f32| flip(x.to_bits().cast_signed());
    let value = |k: i32| f32::from_bits(flip(k).cast_unsigned());
    let mut heap: std::collections::BinaryHeap<Reverse<i32>> = std::collections::BinaryHeap::with_capacity(k + 1);
    for &x in values {
        let kx = key(x);
        if heap.len() < k {
            heap.push(Reverse(kx));
        } else if heap.peek().is_some_and(|Reverse(least)| kx > *least) {
            heap.pop();
            heap.push(Reverse(kx));
        }
    }
    heap.peek().map_or(f32::NEG_INFINITY, |Reverse(least)| value(*least))
}

/// The usable experts whose quick bound passes `keep`, with their own bound if it reaches `bar`
/// (a plain loop over the pool: an iterator chain here called its filter closure per expert).
fn candidates(
    quick: &[f32],
    keep: impl Fn(f32) -> bool,
    usable: impl Fn(u32) -> bool,
    bound: impl Fn(u32) -> f64,
    bar: f64,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (i, &q) in quick.iter().enumerate() {
        if keep(q) {
            let i = index_u32(i);
            if usable(i) {
                let b = bound(i);
                if b >= bar {
                    out.push(Candidate(b, i));
                }
            }
        }
    }
    out
}

fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// An expert with its score bound, ordered by bound, then lower index first.
#[derive(Clone, Copy)]
struct Candidate(f64, u32);

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
    briefs: &'m [super::model::Brief],
    /// Per expert: the word coverage mass (through the inverted lists: exact, but for a synonym
    /// of several words, counted when the expert has its rarest word), and the share of their
    /// salient weight the demand's specific words have (exact). Side by side: one cache line
    /// per posting.
    mf: Vec<[f32; 2]>,
    /// Per expert: the character-pair mass.
    gram_mass: Vec<f32>,
    gram_total: f64,
    total: f64,
    /// Per expert: the field part (through the taxonomy nodes' lists).
    field: Vec<f32>,
    vague: f64,
    /// Per expert: whether a problem link's discipline may be in their profile (empty: none).
    link: Vec<bool>,
    /// Per expert: whether any of their paired demands resembles this one (empty: none).
    history: Vec<bool>,
    coop: u64,
    /// Generic words' weight, which any expert may have (0 when their lists were walked).
    slack: f64,
}

impl<'m> Bounds<'m> {
    fn new(m: &Matcher<'m>, ds: &DemandSide<'_>, nb: &Neighbours) -> Self {
        let model = m.model;
        let q = &ds.query;
        let n = model.experts.len();
        let t0 = std::time::Instant::now();
        let Sums { mf, gram_mass, field, slack } = sums(model, q);
        if std::env::var_os("BOLE_PROFILE").is_some() {
            eprintln!("bounds: sums {:.2} ms", t0.elapsed().as_secs_f64() * 1e3);
        }
        // Experts with a linked discipline's word, and experts whose past demands resemble this one.
        let linked = q.links.iter().flat_map(|l| &l.disciplines).flat_map(|(_, parts)| {
            parts
                .first()
                .and_then(|p| model.postings.get(*p as usize))
                .into_iter()
                .flat_map(|l| l.experts.iter().copied())
        });
        let link = flags(n, linked);
        let similar = model
            .history
            .iter()
            .filter(|_| !nb.is_empty())
            .filter(|(_, past)| nb.list.iter().any(|(p, _)| past.binary_search(p).is_ok()))
            .map(|(e, _)| *e);
        let history = flags(n, similar);
        Bounds {
            briefs: &model.briefs,
            mf,
            gram_mass,
            gram_total: q.gram_total,
            total: q.total,
            slack,
            field,
            vague: q.vagueness(),
            link,
            history,
            coop: ds.profile.coop,
        }
    }

    /// Per expert, a bound above [`Bounds::of`] that is linear in the sums (the text part's
    /// geometric mean taken as the arithmetic one), for a fast pass over the whole pool.
    fn quick(&self) -> Vec<f32> {
        const COVER: f64 = 0.7;
        let v = self.vague;
        let text = score::W_TEXT * v;
        let share = |x: f64| if x > 0.0 { 1.0 / x } else { 0.0 };
        // text ≤ (0.7 + 0.15)·cover + 0.15·focus; cover = (1−g)·words + g·pairs.
        let c = COVER + (1.0 - COVER) / 2.0;
        let g = score::GRAM_SHARE;
        let a = text * c * (1.0 - g) * share(self.total);
        let b = text * c * g * share(self.gram_total);
        let f = text * (1.0 - COVER) / 2.0;
        let d = score::W_FIELD * v;
        let base =
            text * c * ((1.0 - g) * self.slack * share(self.total) + 2e-5) + f * 2e-5 + d * 2e-5 + score::W_COOP + 1e-3;
        let link = score::W_LINK * v;
        #[allow(clippy::cast_possible_truncation)]
        let (a, b, f, d, base, link) = (a as f32, b as f32, f as f32, d as f32, base as f32, link as f32);
        let mut out: Vec<f32> = (0..self.mf.len())
            .map(|i| a * self.mf[i][0] + b * self.gram_mass[i] + f * self.mf[i][1] + d * self.field[i] + base)
            .collect();
        for (i, _) in self.link.iter().enumerate().filter(|(_, l)| **l) {
            out[i] += link;
        }
        for (i, _) in self.history.iter().enumerate().filter(|(_, h)| **h) {
            out[i] = f32::INFINITY;
        }
        out
    }

    /// An upper bound of expert `i`'s score (from the per-expert sums; a little above them, so
    /// that rounding in a different order never puts the bound below the exact score).
    fn of(&self, i: u32) -> f64 {
        let i = i as usize;
        let words =
            if self.total > 0.0 { ((f64::from(self.mf[i][0]) + self.slack) / self.total).min(1.0) } else { 0.0 };
        let grams = if self.gram_total > 0.0 { (f64::from(self.gram_mass[i]) / self.gram_total).min(1.0) } else { 0.0 };
        let text =
            score::combine((score::mix(words, grams) + 1e-5).min(1.0), (f64::from(self.mf[i][1]) + 1e-5).min(1.0));
        let field = f64::from(self.field[i]) + 1e-5;
        let coop = score::coop(self.coop, self.briefs[i].coop);
        let v = self.vague;
        let base = score::W_TEXT * text * v
            + score::W_FIELD * field * v
            + if self.link.get(i).copied().unwrap_or(false) { score::W_LINK * v } else { 0.0 }
            + score::W_COOP * coop;
        if self.history.get(i).copied().unwrap_or(false) {
            base + (100.0 - base).max(0.0) * score::HISTORY_SHARE * v + 1e-6
        } else {
            base + 1e-6
        }
    }
}

/// A flag per expert for those listed (empty when none is).
fn flags(n: usize, experts: impl Iterator<Item = u32>) -> Vec<bool> {
    let mut flags = Vec::new();
    for e in experts {
        if flags.is_empty() {
            flags = vec![false; n];
        }
        flags[e as usize] = true;
    }
    flags
}

/// Whether generic words' lists are walked (exact coverage) rather than their weight assumed
/// for everyone (a looser bound, more experts to score exactly).
const WALK_GENERIC: bool = false;

/// Experts taken at a time by the bound pass: every list of the demand is walked through one
/// block before the next, so the block's sums stay in the core's cache (a walk over the whole
/// pool per list misses it on nearly every posting). Small in unit tests, so that their small
/// pools span several blocks.
const BLOCK: usize = if cfg!(test) { 64 } else { 16384 };
const MASK: usize = BLOCK - 1;

/// An entry of an inverted list, by expert.
trait Keyed {
    fn expert(&self) -> u32;
}
impl Keyed for u32 {
    fn expert(&self) -> u32 {
        *self
    }
}
impl Keyed for (u32, f32) {
    fn expert(&self) -> u32 {
        self.0
    }
}

/// A position in an inverted list (ascending by expert), handed out block by block.
struct Cursor<'m, T> {
    list: &'m [T],
    at: usize,
}

impl<'m, T: Keyed> Cursor<'m, T> {
    fn new(list: &'m [T]) -> Self {
        Cursor { list, at: 0 }
    }

    /// The entries not handed out yet of experts below `end`.
    fn upto(&mut self, end: u32) -> &'m [T] {
        let list: &'m [T] = self.list;
        &list[self.range(end)]
    }

    /// Where in the list [`Cursor::upto`]'s entries are.
    fn range(&mut self, end: u32) -> std::ops::Range<usize> {
        let list: &'m [T] = self.list;
        let from = self.at;
        let rest = &list[from..];
        // A scan, not a search: the entries are read in order, as the walk then reads them
        // (a search jumps ahead and misses the cache at every step).
        let k = rest.iter().position(|p| p.expert() >= end).unwrap_or(rest.len());
        self.at += k;
        from..from + k
    }
}

/// The ways into one demand word (see [`score`]): the word itself, the rarest word of each
/// synonym, the words inside it, its character pairs.
struct Ways<'m> {
    weight: f32,
    generic: bool,
    direct: Cursor<'m, u32>,
    /// The direct list's (credit, focus), by expert.
    values: &'m [(f32, f32)],
    alternatives: Vec<Cursor<'m, u32>>,
    parts: Vec<(Cursor<'m, u32>, f32)>,
    grams: Vec<Cursor<'m, u32>>,
    per_gram: f32,
}

impl<'m> Ways<'m> {
    fn new(model: &'m Model, s: &score::Salient) -> Self {
        let direct = model.postings.get(s.id as usize);
        let list = |id: u32| model.postings.get(id as usize).map_or(&[][..], |l| l.experts.as_slice());
        // A synonym may stand in for the word: an expert with all its words, so with its rarest.
        let alternatives = s.alternatives.iter().filter_map(|(_, parts)| {
            parts.iter().filter_map(|p| model.postings.get(*p as usize)).min_by_key(|l| l.len())
        });
        #[allow(clippy::cast_possible_truncation)]
        Ways {
            weight: s.weight as f32,
            generic: s.generic,
            direct: Cursor::new(list(s.id)),
            values: direct.map_or(&[][..], |l| l.values.as_slice()),
            alternatives: alternatives.map(|l| Cursor::new(l.experts.as_slice())).collect(),
            parts: s.parts.iter().map(|(p, share)| (Cursor::new(list(*p)), *share as f32)).collect(),
            grams: s
                .grams
                .iter()
                .map(|g| Cursor::new(model.gram_postings.get(*g as usize).map_or(&[][..], Vec::as_slice)))
                .collect(),
            per_gram: if s.grams.is_empty() { 0.0 } else { (score::PAIR_CREDIT / s.grams.len() as f64) as f32 },
        }
    }

    fn direct_only(&self) -> bool {
        self.alternatives.is_empty() && self.parts.is_empty() && self.grams.is_empty()
    }

    /// Adds this word's credit (times its weight) to `mass` and its salient shares to `focus`,
    /// for the experts of one block below `end`; `best` and `acc` are zero before and after.
    fn add_block(&mut self, end: u32, mass: &mut [f32; BLOCK], focus: &mut [f32; BLOCK], scratch: &mut Scratch) {
        let (w, generic) = (self.weight, self.generic);
        let at = self.direct.range(end);
        let direct = self.direct.list[at.clone()].iter().zip(&self.values[at]);
        if self.direct_only() {
            // The word itself only: its credit goes straight into the sums.
            for (&e, &(credit, share)) in direct {
                let j = e as usize & MASK;
                mass[j] += w * credit;
                if !generic {
                    focus[j] += share;
                }
            }
            return;
        }
        let (best, acc) = (&mut *scratch.best, &mut *scratch.acc);
        for (&e, &(credit, share)) in direct {
            let j = e as usize & MASK;
            best[j] = best[j].max(credit);
            if !generic {
                focus[j] += share;
            }
        }
        #[allow(clippy::cast_possible_truncation)]
        let syn = score::SYNONYM_CREDIT as f32;
        for c in &mut self.alternatives {
            for &e in c.upto(end) {
                let j = e as usize & MASK;
                best[j] = best[j].max(syn);
            }
        }
        // The words inside a long word: their shares add up.
        let mut any = false;
        for (c, share) in &mut self.parts {
            for &e in c.upto(end) {
                acc[e as usize & MASK] += *share;
                any = true;
            }
        }
        #[allow(clippy::cast_possible_truncation)]
        let part = score::PART_CREDIT as f32;
        if any {
            for (b, a) in best.iter_mut().zip(acc.iter_mut()) {
                *b = b.max(part * *a);
                *a = 0.0;
            }
        }
        // A word no expert writes: the share of its character pairs an expert has.
        any = false;
        for c in &mut self.grams {
            for &e in c.upto(end) {
                acc[e as usize & MASK] += 1.0;
                any = true;
            }
        }
        if any {
            let per = self.per_gram;
            for (b, a) in best.iter_mut().zip(acc.iter_mut()) {
                *b = b.max(per * *a);
                *a = 0.0;
            }
        }
        for (m, b) in mass.iter_mut().zip(best.iter_mut()) {
            *m += w * *b;
            *b = 0.0;
        }
    }
}

/// Per-block work arrays of a word with more than one way in.
struct Scratch {
    /// The best credit per expert.
    best: Box<[f32; BLOCK]>,
    /// A sum being gathered per expert.
    acc: Box<[f32; BLOCK]>,
}

/// A zeroed block-sized array (on the heap: four of them would take a quarter of a thread's stack).
fn block() -> Box<[f32; BLOCK]> {
    vec![0f32; BLOCK].into_boxed_slice().try_into().unwrap_or_else(|_| unreachable!("the length is BLOCK"))
}

/// What the bound pass gathers per expert.
struct Sums {
    /// The word coverage mass and the specific words' salient share, side by side.
    mf: Vec<[f32; 2]>,
    gram_mass: Vec<f32>,
    field: Vec<f32>,
    /// The weight of the generic words not walked.
    slack: f64,
}

/// Per expert, the coverage mass of the demand's words — per word the best of what the expert
/// has of it (the word itself, a synonym, the words inside it, its character pairs), as
/// [`score`] counts it — and the salient share the specific words have in their profile; the
/// character-pair mass; the field part (through the taxonomy nodes' lists); and the weight of
/// the generic words not walked. One pass over the pool, block by block.
fn sums(model: &Model, q: &Query) -> Sums {
    let n = model.experts.len();
    let mut slack = 0.0;
    let mut words: Vec<Ways<'_>> = Vec::new();
    for s in &q.salient {
        if s.generic && !WALK_GENERIC {
            slack += s.weight;
        } else {
            words.push(Ways::new(model, s));
        }
    }
    #[allow(clippy::cast_possible_truncation)]
    let mut grams: Vec<(Cursor<'_, u32>, f32)> = q
        .grams
        .iter()
        .map(|&(g, w)| (Cursor::new(model.gram_postings.get(g as usize).map_or(&[][..], Vec::as_slice)), w as f32))
        .collect();
    let mut nodes: Vec<(Cursor<'_, (u32, f32)>, f32)> = q
        .node_value
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0.0)
        .map(|(b, &v)| (Cursor::new(model.node_posts.get(b).map_or(&[][..], Vec::as_slice)), v))
        .collect();
    let mut out = Sums { mf: vec![[0f32; 2]; n], gram_mass: vec![0f32; n], field: vec![0f32; n], slack };
    let mut scratch = Scratch { best: block(), acc: block() };
    let (mut mass, mut focus) = (block(), block());
    for start in (0..n).step_by(BLOCK) {
        let len = BLOCK.min(n - start);
        let end = index_u32(start + len);
        mass.fill(0.0);
        focus.fill(0.0);
        for ways in &mut words {
            ways.add_block(end, &mut mass, &mut focus, &mut scratch);
        }
        for (slot, (m, f)) in out.mf[start..start + len].iter_mut().zip(mass.iter().zip(focus.iter())) {
            *slot = [*m, *f];
        }
        for (c, w) in &mut grams {
            for &e in c.upto(end) {
                out.gram_mass[e as usize] += *w;
            }
        }
        for (c, v) in &mut nodes {
            for &(e, share) in c.upto(end) {
                out.field[e as usize] += share * *v;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kth_largest_is_the_selected_one() {
        let mut rng = super::super::test_rng::Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..200 {
            let n = 1 + rng.below(300) as usize;
            #[allow(clippy::cast_precision_loss)]
            let mut values: Vec<f32> = (0..n).map(|_| (rng.below(2000) as f32 - 1000.0) / 7.0).collect();
            if round % 3 == 0 {
                values[0] = f32::INFINITY;
                values[n / 2] = f32::NEG_INFINITY;
            }
            if round % 5 == 0 {
                values[n - 1] = -0.0;
            }
            let k = 1 + rng.below(n as u64) as usize;
            let mut sorted = values.clone();
            let want = *sorted.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a)).1;
            let got = kth_largest(&values, k);
            assert_eq!(got.to_bits(), want.to_bits(), "k {k} of {values:?}");
        }
    }

    #[test]
    fn a_cursor_hands_out_each_entry_once_block_by_block() {
        let list: Vec<u32> = vec![0, 3, 63, 64, 65, 200, 201, 1000];
        let mut c = Cursor::new(list.as_slice());
        assert_eq!(c.upto(64), &[0, 3, 63]);
        assert_eq!(c.upto(128), &[64, 65]);
        assert!(c.upto(192).is_empty());
        assert_eq!(c.upto(256), &[200, 201]);
        assert_eq!(c.upto(u32::MAX), &[1000]);
        assert!(c.upto(u32::MAX).is_empty());
    }
}
