//! Pairing under constraints for a matchmaking meeting: each demand gets between `min` and `max`
//! experts, each expert at most `cap` pairings, conflicting pairs are simply absent from the
//! candidate edges, forced pairs (指定) are always in — and the total match score is maximised
//! globally, not greedily.
//!
//! Method: a transportation problem solved exactly by min-cost flow. Each demand supplies a fixed
//! number of units (its `max` left after forced pairs, capped by its candidate count); a unit goes
//! to an expert (cost −score) or stays unassigned through the demand's own arcs to the sink: the
//! first `max − min` units free, the last `min` at a very high cost (so lower bounds are filled
//! first whenever possible, then the score is maximised). Minimising this cost is the same as the
//! original objective, and with the supplies fixed, units can be routed one demand at a time
//! (as in the Hungarian method): each is a Dijkstra search on reduced costs from that demand alone,
//! stopped as soon as the sink is settled, which keeps the searches small. Potentials start feasible
//! (a demand's = its best score), the network is in compressed (CSR) arrays, and scores are scaled
//! to integers so results are exact and deterministic.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Debug, Clone, PartialEq)]
pub struct DemandSlot {
    /// 编号, for messages.
    pub name: String,
    pub min: usize,
    pub max: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExpertSlot {
    pub name: String,
    pub cap: usize,
}

/// A candidate pair (demand index, expert index, score 0–100).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub demand: usize,
    pub expert: usize,
    pub score: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Problem {
    pub demands: Vec<DemandSlot>,
    pub experts: Vec<ExpertSlot>,
    pub edges: Vec<Edge>,
    /// (demand, expert) pairs that must be assigned (指定).
    pub forced: Vec<(usize, usize)>,
}

/// The chosen pairs, sorted, and their total score (forced pairs count with their edge's score,
/// or 0 when they are not candidate edges). A pair listed twice among the edges counts once, with
/// its best score.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub pairs: Vec<(usize, usize)>,
    pub total: f64,
}

/// Why no assignment meets every bound: each says what stands in the way (names are the slots'
/// names); the edge (UI, CLI) words them and says what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Obstacle {
    /// A demand's lower bound is above its upper bound.
    BoundsInverted { demand: String, min: usize, max: usize },
    /// More experts were forced on a demand than its upper bound.
    ForcedOverMax { demand: String, forced: usize, max: usize },
    /// An expert was forced more often than their cap.
    ForcedOverCap { expert: String, forced: usize, cap: usize },
    /// All experts' caps together are below the sum of the lower bounds.
    CapacityShort { capacity: usize, needed: usize },
    /// A demand has fewer candidate experts than its lower bound.
    TooFewCandidates { demand: String, candidates: usize, min: usize },
    /// A demand's candidates are all taken by other demands.
    CandidatesTaken { demand: String, got: usize, min: usize, candidates: usize },
}

const SCALE: f64 = 1000.0;
const INF: i64 = i64::MAX / 4;

/// The residual network in compressed (CSR) arrays: the arcs out of node `u` are
/// `start[u]..start[u + 1]`, and `rev[a]` is the residual twin of arc `a`.
struct Network {
    start: Vec<usize>,
    to: Vec<u32>,
    rev: Vec<u32>,
    cap: Vec<i64>,
    cost: Vec<i64>,
}

impl Network {
    /// The network of the arcs `(tail, head, capacity, cost)`, and where each of them landed.
    fn new(n: usize, arcs: &[(usize, usize, i64, i64)]) -> (Network, Vec<usize>) {
        let mut start = vec![0usize; n + 1];
        for &(a, b, _, _) in arcs {
            start[a + 1] += 1;
            start[b + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let m = 2 * arcs.len();
        let mut g = Network { to: vec![0; m], rev: vec![0; m], cap: vec![0; m], cost: vec![0; m], start };
        let mut fill = g.start.clone();
        let mut pos = Vec::with_capacity(arcs.len());
        for &(a, b, cap, cost) in arcs {
            let (i, j) = (fill[a], fill[b]);
            fill[a] += 1;
            fill[b] += 1;
            (g.to[i], g.rev[i], g.cap[i], g.cost[i]) = (b as u32, j as u32, cap, cost);
            (g.to[j], g.rev[j], g.cap[j], g.cost[j]) = (a as u32, i as u32, 0, -cost);
            pos.push(i);
        }
        (g, pos)
    }
}

/// Shortest-path searches on reduced costs, reusing their arrays.
struct Search {
    dist: Vec<i64>,
    prev: Vec<u32>,
    done: Vec<bool>,
    touched: Vec<usize>,
    settled: Vec<usize>,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
}

impl Search {
    fn new(n: usize) -> Self {
        Search {
            dist: vec![INF; n],
            prev: vec![u32::MAX; n],
            done: vec![false; n],
            touched: Vec::new(),
            settled: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Sends up to `want` units from `s` to `t` along one shortest path (Dijkstra on reduced
    /// costs, stopped once `t` is settled), then updates the potentials of the settled nodes by
    /// `dist − dist[t]`, which keeps every residual reduced cost non-negative. Returns the units
    /// sent (0 when `t` is unreachable).
    fn augment(&mut self, g: &mut Network, pot: &mut [i64], s: usize, t: usize, want: i64) -> i64 {
        for &v in &self.touched {
            self.dist[v] = INF;
            self.done[v] = false;
        }
        self.touched.clear();
        self.settled.clear();
        self.heap.clear();
        self.dist[s] = 0;
        self.touched.push(s);
        self.heap.push(Reverse((0, s as u32)));
        while let Some(Reverse((d, u))) = self.heap.pop() {
            let u = u as usize;
            if self.done[u] {
                continue;
            }
            self.done[u] = true;
            self.settled.push(u);
            if u == t {
                break;
            }
            let pu = pot[u];
            for a in g.start[u]..g.start[u + 1] {
                if g.cap[a] <= 0 {
                    continue;
                }
                let v = g.to[a] as usize;
                if self.done[v] {
                    continue;
                }
                let nd = d + g.cost[a] + pu - pot[v];
                if nd < self.dist[v] {
                    if self.dist[v] == INF {
                        self.touched.push(v);
                    }
                    self.dist[v] = nd;
                    self.prev[v] = a as u32;
                    self.heap.push(Reverse((nd, v as u32)));
                }
            }
        }
        if !self.done[t] {
            return 0;
        }
        let ds = self.dist[t];
        for &v in &self.settled {
            pot[v] += self.dist[v] - ds;
        }
        let mut f = want;
        let mut v = t;
        while v != s {
            let a = self.prev[v] as usize;
            f = f.min(g.cap[a]);
            v = g.to[g.rev[a] as usize] as usize;
        }
        let mut v = t;
        while v != s {
            let a = self.prev[v] as usize;
            g.cap[a] -= f;
            g.cap[g.rev[a] as usize] += f;
            v = g.to[g.rev[a] as usize] as usize;
        }
        f
    }
}

/// Solves the problem, or says what keeps every lower bound from being met.
pub fn solve(p: &Problem) -> Result<Assignment, Vec<Obstacle>> {
    let forced = Forced::place(p)?;
    // Candidate pairs, one per (demand, expert) with its best score, sorted.
    let mut cands: Vec<(usize, usize, f64)> = p.edges.iter().map(|e| (e.demand, e.expert, e.score)).collect();
    cands.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.total_cmp(&a.2)));
    cands.dedup_by(|x, y| (x.0, x.1) == (y.0, y.1));
    let pairs = route(p, &forced, &cands);
    // Lower bounds.
    let mut got = vec![0usize; p.demands.len()];
    for &(d, _) in &pairs {
        got[d] += 1;
    }
    let short: Vec<usize> = (0..p.demands.len()).filter(|&d| got[d] < p.demands[d].min).collect();
    if !short.is_empty() {
        return Err(shortfalls(p, &forced.pairs, &cands, &got, &short));
    }
    // As documented, scores are 0–100: a negative one counts as 0.
    let score_of =
        |d: usize, e: usize| cands.binary_search_by(|c| (c.0, c.1).cmp(&(d, e))).map_or(0.0, |i| cands[i].2.max(0.0));
    let total = pairs.iter().map(|&(d, e)| score_of(d, e)).sum();
    Ok(Assignment { pairs, total })
}

/// The forced pairs (sorted, once each) and the places they take.
struct Forced {
    pairs: Vec<(usize, usize)>,
    used_d: Vec<usize>,
    used_e: Vec<usize>,
}

impl Forced {
    /// Forced pairs take their places first; bounds they break are obstacles.
    fn place(p: &Problem) -> Result<Self, Vec<Obstacle>> {
        let mut pairs = p.forced.clone();
        pairs.sort_unstable();
        pairs.dedup();
        let mut used_d = vec![0usize; p.demands.len()];
        let mut used_e = vec![0usize; p.experts.len()];
        for &(d, e) in &pairs {
            used_d[d] += 1;
            used_e[e] += 1;
        }
        let mut errors = Vec::new();
        for (d, slot) in p.demands.iter().enumerate() {
            if slot.min > slot.max {
                errors.push(Obstacle::BoundsInverted { demand: slot.name.clone(), min: slot.min, max: slot.max });
            }
            if used_d[d] > slot.max {
                errors.push(Obstacle::ForcedOverMax { demand: slot.name.clone(), forced: used_d[d], max: slot.max });
            }
        }
        for (e, slot) in p.experts.iter().enumerate() {
            if used_e[e] > slot.cap {
                errors.push(Obstacle::ForcedOverCap { expert: slot.name.clone(), forced: used_e[e], cap: slot.cap });
            }
        }
        if errors.is_empty() { Ok(Forced { pairs, used_d, used_e }) } else { Err(errors) }
    }
}

/// Routes every demand's units through the network (see the module docs) and returns the
/// chosen pairs, forced ones included, sorted.
fn route(p: &Problem, forced: &Forced, cands: &[(usize, usize, f64)]) -> Vec<(usize, usize)> {
    let (nd, ne) = (p.demands.len(), p.experts.len());
    // Nodes: demands 0..nd, experts nd..nd + ne, the sink.
    let sink = nd + ne;
    let mut arcs: Vec<(usize, usize, i64, i64)> = Vec::with_capacity(cands.len() + ne + 2 * nd);
    let mut edge_arcs = Vec::with_capacity(cands.len());
    let mut free_cands = vec![0usize; nd];
    let mut best = vec![0i64; nd];
    for &(d, e, score) in cands {
        if forced.pairs.binary_search(&(d, e)).is_ok() {
            continue;
        }
        let cost = -((score * SCALE).round() as i64);
        edge_arcs.push((arcs.len(), d, e));
        arcs.push((d, nd + e, 1, cost));
        free_cands[d] += 1;
        best[d] = best[d].max(-cost);
    }
    // More than every possible difference in score: a lower-bound unit outweighs any scores.
    let big = arcs.iter().map(|a| a.3.abs()).sum::<i64>() + 1;
    for (e, slot) in p.experts.iter().enumerate() {
        arcs.push((nd + e, sink, (slot.cap - forced.used_e[e]) as i64, 0));
    }
    let mut supply = vec![0i64; nd];
    for (d, slot) in p.demands.iter().enumerate() {
        let s = (slot.max - forced.used_d[d]).min(free_cands[d]);
        let m = slot.min.saturating_sub(forced.used_d[d]).min(s);
        supply[d] = s as i64;
        arcs.push((d, sink, (s - m) as i64, 0));
        arcs.push((d, sink, m as i64, big));
    }
    let (mut g, pos) = Network::new(nd + ne + 1, &arcs);
    // Feasible start: every reduced cost is non-negative when a demand's potential is its best score.
    let mut pot = vec![0i64; nd + ne + 1];
    pot[..nd].copy_from_slice(&best);
    let mut search = Search::new(nd + ne + 1);
    for (d, &s) in supply.iter().enumerate() {
        let mut left = s;
        while left > 0 {
            let f = search.augment(&mut g, &mut pot, d, sink, left);
            debug_assert!(f > 0, "a demand can always leave its units unassigned");
            if f == 0 {
                break;
            }
            left -= f;
        }
    }
    let mut pairs: Vec<(usize, usize)> = forced.pairs.clone();
    pairs.extend(edge_arcs.iter().filter(|&&(a, _, _)| g.cap[pos[a]] == 0).map(|&(_, d, e)| (d, e)));
    pairs.sort_unstable();
    pairs
}

/// Why the `short` demands stay below their lower bound.
fn shortfalls(
    p: &Problem,
    forced: &[(usize, usize)],
    cands: &[(usize, usize, f64)],
    got: &[usize],
    short: &[usize],
) -> Vec<Obstacle> {
    let mut errors = Vec::new();
    let cap_total: usize = p.experts.iter().map(|e| e.cap).sum();
    let min_total: usize = p.demands.iter().map(|d| d.min).sum();
    if cap_total < min_total {
        errors.push(Obstacle::CapacityShort { capacity: cap_total, needed: min_total });
    }
    for &d in short {
        let slot = &p.demands[d];
        let from = cands.partition_point(|c| c.0 < d);
        let to = cands.partition_point(|c| c.0 <= d);
        let mut candidates: Vec<usize> = cands[from..to].iter().map(|c| c.1).collect();
        candidates.extend(forced.iter().filter(|f| f.0 == d).map(|f| f.1));
        candidates.sort_unstable();
        candidates.dedup();
        errors.push(if candidates.len() < slot.min {
            Obstacle::TooFewCandidates { demand: slot.name.clone(), candidates: candidates.len(), min: slot.min }
        } else {
            Obstacle::CandidatesTaken {
                demand: slot.name.clone(),
                got: got[d],
                min: slot.min,
                candidates: candidates.len(),
            }
        });
    }
    errors
}

/// Every constraint a valid assignment must meet, as diagnostics for the tests and benches.
pub fn violations(p: &Problem, a: &Assignment) -> Vec<String> {
    let mut out = Vec::new();
    let mut per_d = vec![0usize; p.demands.len()];
    let mut per_e = vec![0usize; p.experts.len()];
    let mut seen = std::collections::HashSet::new();
    let allowed: std::collections::HashSet<(usize, usize)> =
        p.edges.iter().map(|x| (x.demand, x.expert)).chain(p.forced.iter().copied()).collect();
    for &(d, e) in &a.pairs {
        if !seen.insert((d, e)) {
            out.push(format!("pair ({d}, {e}) twice"));
        }
        if !allowed.contains(&(d, e)) {
            out.push(format!("({d}, {e}) is not a candidate"));
        }
        per_d[d] += 1;
        per_e[e] += 1;
    }
    for (d, slot) in p.demands.iter().enumerate() {
        if per_d[d] < slot.min || per_d[d] > slot.max {
            out.push(format!("demand {} got {}, bounds {}–{}", slot.name, per_d[d], slot.min, slot.max));
        }
    }
    for (e, slot) in p.experts.iter().enumerate() {
        if per_e[e] > slot.cap {
            out.push(format!("expert {} got {}, cap {}", slot.name, per_e[e], slot.cap));
        }
    }
    for f in &p.forced {
        if !seen.contains(f) {
            out.push(format!("forced pair {f:?} missing"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::matching::test_rng::Rng;

    fn random_problem(rng: &mut Rng) -> Problem {
        let nd = 1 + rng.below(3) as usize;
        let ne = 1 + rng.below(4) as usize;
        let demands = (0..nd)
            .map(|i| {
                let min = rng.below(3) as usize;
                DemandSlot { name: format!("D{i}"), min, max: min + rng.below(2) as usize }
            })
            .collect();
        let experts = (0..ne).map(|i| ExpertSlot { name: format!("E{i}"), cap: 1 + rng.below(2) as usize }).collect();
        let mut edges = Vec::new();
        for d in 0..nd {
            for e in 0..ne {
                if rng.below(3) > 0 {
                    edges.push(Edge { demand: d, expert: e, score: rng.below(100) as f64 });
                }
            }
        }
        let forced = if !edges.is_empty() && rng.below(4) == 0 {
            let x = edges[rng.below(edges.len() as u64) as usize];
            vec![(x.demand, x.expert)]
        } else {
            vec![]
        };
        Problem { demands, experts, edges, forced }
    }

    /// The best feasible total by trying every subset of edges (small instances only).
    fn brute_force(p: &Problem) -> Option<f64> {
        let n = p.edges.len();
        let mut best: Option<f64> = None;
        for mask in 0u32..(1 << n) {
            let mut pairs: Vec<(usize, usize)> =
                (0..n).filter(|i| mask & (1 << i) != 0).map(|i| (p.edges[i].demand, p.edges[i].expert)).collect();
            for f in &p.forced {
                if !pairs.contains(f) {
                    pairs.push(*f);
                }
            }
            pairs.sort_unstable();
            pairs.dedup();
            let score_of = |d: usize, e: usize| {
                p.edges.iter().filter(|x| (x.demand, x.expert) == (d, e)).map(|x| x.score).fold(0.0, f64::max)
            };
            let total: f64 = pairs.iter().map(|&(d, e)| score_of(d, e)).sum();
            let a = Assignment { pairs, total };
            if violations(p, &a).is_empty() && best.is_none_or(|b| total > b + 1e-9) {
                best = Some(total);
            }
        }
        best
    }

    #[test]
    fn random_instances_meet_every_constraint_and_match_brute_force() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut feasible = 0;
        for _ in 0..400 {
            let p = random_problem(&mut rng);
            let expected = brute_force(&p);
            match (solve(&p), expected) {
                (Ok(a), Some(best)) => {
                    assert!(violations(&p, &a).is_empty(), "{:?}\n{:?}\n{:?}", p, a, violations(&p, &a));
                    assert!((a.total - best).abs() < 1e-6, "not optimal: {} vs {best}\n{p:?}", a.total);
                    feasible += 1;
                }
                (Err(msgs), None) => assert!(!msgs.is_empty()),
                (got, want) => panic!("solver {got:?} but brute force {want:?} for {p:?}"),
            }
        }
        assert!(feasible > 100, "the generator should make mostly feasible instances: {feasible}");
    }

    #[test]
    fn infeasibility_is_explained_in_chinese() {
        let p = Problem {
            demands: vec![DemandSlot { name: "D017".into(), min: 2, max: 3 }],
            experts: vec![ExpertSlot { name: "E1".into(), cap: 5 }, ExpertSlot { name: "E2".into(), cap: 5 }],
            edges: vec![Edge { demand: 0, expert: 0, score: 80.0 }],
            forced: vec![],
        };
        let e = solve(&p).unwrap_err();
        assert_eq!(e, vec![Obstacle::TooFewCandidates { demand: "D017".into(), candidates: 1, min: 2 }]);
        let p = Problem {
            demands: (0..3).map(|i| DemandSlot { name: format!("D{i}"), min: 2, max: 2 }).collect(),
            experts: vec![ExpertSlot { name: "E1".into(), cap: 2 }, ExpertSlot { name: "E2".into(), cap: 2 }],
            edges: (0..3).flat_map(|d| (0..2).map(move |e| Edge { demand: d, expert: e, score: 50.0 })).collect(),
            forced: vec![],
        };
        let e = solve(&p).unwrap_err();
        assert!(e.contains(&Obstacle::CapacityShort { capacity: 4, needed: 6 }), "{e:?}");
    }

    #[test]
    fn global_beats_greedy() {
        // Greedy would give D0 the best expert E0 (90) and leave D1 with nothing; optimal
        // gives D0 → E1 (80) and D1 → E0 (85).
        let p = Problem {
            demands: vec![
                DemandSlot { name: "D0".into(), min: 1, max: 1 },
                DemandSlot { name: "D1".into(), min: 1, max: 1 },
            ],
            experts: vec![ExpertSlot { name: "E0".into(), cap: 1 }, ExpertSlot { name: "E1".into(), cap: 1 }],
            edges: vec![
                Edge { demand: 0, expert: 0, score: 90.0 },
                Edge { demand: 0, expert: 1, score: 80.0 },
                Edge { demand: 1, expert: 0, score: 85.0 },
            ],
            forced: vec![],
        };
        let a = solve(&p).unwrap();
        assert_eq!(a.pairs, vec![(0, 1), (1, 0)]);
        assert!((a.total - 165.0).abs() < 1e-9);
    }

    /// The plain method as a reference: one source, each demand's `min` units at a very negative
    /// cost and the rest free, one unit per path found by Bellman–Ford, stopping when no path has
    /// negative cost. Returns (lower-bound units filled, scaled score of the free pairs).
    fn reference(p: &Problem) -> (usize, i64) {
        let (nd, ne) = (p.demands.len(), p.experts.len());
        let (src, sink) = (nd + ne, nd + ne + 1);
        let mut used_d = vec![0usize; nd];
        let mut used_e = vec![0usize; ne];
        for &(d, e) in &p.forced {
            used_d[d] += 1;
            used_e[e] += 1;
        }
        let mut best: std::collections::BTreeMap<(usize, usize), i64> = Default::default();
        for x in p.edges.iter().filter(|x| !p.forced.contains(&(x.demand, x.expert))) {
            let s = (x.score * SCALE).round() as i64;
            let b = best.entry((x.demand, x.expert)).or_insert(s);
            *b = (*b).max(s);
        }
        let big = best.values().map(|s| s.abs()).sum::<i64>() + 1;
        // Arcs as (from, to, cap, cost); arc i's twin is i ^ 1.
        let mut arcs: Vec<(usize, usize, i64, i64)> = Vec::new();
        let mut add = |a: usize, b: usize, cap: i64, cost: i64| {
            arcs.push((a, b, cap, cost));
            arcs.push((b, a, 0, -cost));
        };
        for (d, slot) in p.demands.iter().enumerate() {
            let min = slot.min.saturating_sub(used_d[d]) as i64;
            add(src, d, min, -big);
            add(src, d, (slot.max - used_d[d]) as i64 - min, 0);
        }
        for (&(d, e), &s) in &best {
            add(d, nd + e, 1, -s);
        }
        for (e, slot) in p.experts.iter().enumerate() {
            add(nd + e, sink, (slot.cap - used_e[e]) as i64, 0);
        }
        let n = nd + ne + 2;
        loop {
            let mut dist = vec![i64::MAX; n];
            let mut prev = vec![usize::MAX; n];
            dist[src] = 0;
            for _ in 0..n {
                let mut changed = false;
                for (i, &(a, b, cap, cost)) in arcs.iter().enumerate() {
                    if cap > 0 && dist[a] != i64::MAX && dist[a] + cost < dist[b] {
                        dist[b] = dist[a] + cost;
                        prev[b] = i;
                        changed = true;
                    }
                }
                if !changed {
                    break;
                }
            }
            if dist[sink] >= 0 {
                break;
            }
            let mut v = sink;
            while v != src {
                let i = prev[v];
                arcs[i].2 -= 1;
                arcs[i ^ 1].2 += 1;
                v = arcs[i].0;
            }
        }
        let mut got = used_d;
        let mut score = 0;
        for &(a, b, cap, cost) in arcs.iter().step_by(2) {
            if a < nd && b >= nd && b < nd + ne && cap == 0 {
                got[a] += 1;
                score -= cost;
            }
        }
        (got.iter().zip(&p.demands).map(|(g, d)| (*g).min(d.min)).sum(), score)
    }

    /// Medium instances with tight capacities, duplicate and zero-score edges and forced pairs:
    /// units are routed one demand at a time through long alternating paths, and the result must
    /// equal the plain single-source method's (same lower-bound units, same score).
    #[test]
    fn medium_instances_match_the_plain_method() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let (mut feasible, mut infeasible) = (0, 0);
        for _ in 0..150 {
            let nd = 5 + rng.below(25) as usize;
            let ne = 3 + rng.below(30) as usize;
            let demands: Vec<DemandSlot> = (0..nd)
                .map(|i| {
                    let min = rng.below(3) as usize;
                    DemandSlot { name: format!("D{i}"), min, max: min + rng.below(4) as usize }
                })
                .collect();
            let experts: Vec<ExpertSlot> =
                (0..ne).map(|i| ExpertSlot { name: format!("E{i}"), cap: 1 + rng.below(3) as usize }).collect();
            let mut edges = Vec::new();
            for d in 0..nd {
                for _ in 0..=rng.below(8) {
                    let e = rng.below(ne as u64) as usize;
                    let score = if rng.below(10) == 0 { 0.0 } else { rng.below(10_000) as f64 / 100.0 };
                    edges.push(Edge { demand: d, expert: e, score });
                }
            }
            let mut forced: Vec<(usize, usize)> = Vec::new();
            for _ in 0..rng.below(3) {
                let x = edges[rng.below(edges.len() as u64) as usize];
                // Only forced pairs that fit (too many are reported before solving).
                let fits = forced.iter().filter(|f| f.0 == x.demand).count() < demands[x.demand].max
                    && forced.iter().filter(|f| f.1 == x.expert).count() < experts[x.expert].cap;
                if fits && !forced.contains(&(x.demand, x.expert)) {
                    forced.push((x.demand, x.expert));
                }
            }
            let p = Problem { demands, experts, edges, forced };
            let (filled, score) = reference(&p);
            let min_total: usize = p.demands.iter().map(|d| d.min).sum();
            match solve(&p) {
                Ok(a) => {
                    assert!(violations(&p, &a).is_empty(), "{:?}\n{:?}", violations(&p, &a), p);
                    assert_eq!(filled, min_total, "the plain method misses a lower bound the solver met: {p:?}");
                    let got: i64 = a
                        .pairs
                        .iter()
                        .filter(|f| !p.forced.contains(f))
                        .map(|&(d, e)| {
                            p.edges
                                .iter()
                                .filter(|x| (x.demand, x.expert) == (d, e))
                                .map(|x| (x.score * SCALE).round() as i64)
                                .max()
                                .unwrap()
                        })
                        .sum();
                    assert_eq!(got, score, "not optimal: {a:?}\n{p:?}");
                    feasible += 1;
                }
                Err(msgs) => {
                    assert!(
                        filled < min_total,
                        "solver says infeasible but the plain method fills every lower bound: {msgs:?}\n{p:?}"
                    );
                    infeasible += 1;
                }
            }
        }
        assert!(feasible > 30 && infeasible > 10, "{feasible} feasible, {infeasible} infeasible");
    }

    #[test]
    fn a_late_demand_shifts_a_long_chain() {
        // D0..D39 each prefer E_i (90) over E_{i+1} (10); the last demand can only use E0.
        // Processed in order, it must push every earlier demand one expert along.
        let n = 40;
        let mut edges = Vec::new();
        for i in 0..n {
            edges.push(Edge { demand: i, expert: i, score: 90.0 });
            edges.push(Edge { demand: i, expert: i + 1, score: 10.0 });
        }
        edges.push(Edge { demand: n, expert: 0, score: 1.0 });
        let p = Problem {
            demands: (0..=n).map(|i| DemandSlot { name: format!("D{i}"), min: 1, max: 1 }).collect(),
            experts: (0..=n).map(|i| ExpertSlot { name: format!("E{i}"), cap: 1 }).collect(),
            edges,
            forced: vec![],
        };
        let a = solve(&p).unwrap();
        let mut want: Vec<(usize, usize)> = (0..n).map(|i| (i, i + 1)).collect();
        want.push((n, 0));
        assert_eq!(a.pairs, want);
        assert!((a.total - (10.0 * n as f64 + 1.0)).abs() < 1e-9);
    }

    #[test]
    fn duplicate_edges_count_once_with_their_best_score() {
        let p = Problem {
            demands: vec![DemandSlot { name: "D0".into(), min: 1, max: 3 }],
            experts: vec![ExpertSlot { name: "E0".into(), cap: 3 }],
            edges: vec![Edge { demand: 0, expert: 0, score: 40.0 }, Edge { demand: 0, expert: 0, score: 70.0 }],
            forced: vec![],
        };
        let a = solve(&p).unwrap();
        assert_eq!(a.pairs, vec![(0, 0)]);
        assert!((a.total - 70.0).abs() < 1e-9);
    }

    #[test]
    fn a_huge_upper_bound_costs_nothing() {
        // Units beyond a demand's candidates are never routed.
        let p = Problem {
            demands: vec![DemandSlot { name: "D0".into(), min: 0, max: usize::MAX / 2 }],
            experts: (0..3).map(|i| ExpertSlot { name: format!("E{i}"), cap: 1 }).collect(),
            edges: (0..3).map(|e| Edge { demand: 0, expert: e, score: 50.0 }).collect(),
            forced: vec![(0, 1)],
        };
        let a = solve(&p).unwrap();
        assert_eq!(a.pairs, vec![(0, 0), (0, 1), (0, 2)]);
        assert!((a.total - 150.0).abs() < 1e-9);
    }

    #[test]
    fn deterministic() {
        let mut rng = Rng(42);
        for _ in 0..20 {
            let p = random_problem(&mut rng);
            assert_eq!(solve(&p), solve(&p));
        }
    }
}
