//! Pairing under constraints for a matchmaking meeting: each demand gets between `min` and `max`
//! experts, each expert at most `cap` pairings, conflicting pairs are simply absent from the
//! candidate edges, forced pairs (指定) are always in — and the total match score is maximised
//! globally, not greedily.
//!
//! Method: min-cost flow by successive shortest paths (Dijkstra with potentials) on source → demand → expert → sink. Each demand has two source arcs: `min` units at
//! a very negative cost (so lower bounds are filled first whenever possible) and `max − min` units
//! at cost 0; a demand–expert arc costs −score. Augmenting stops when no path lowers the cost.
//! Scores are scaled to integers so results are exact and deterministic.

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
/// or 0 when they are not candidate edges).
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub pairs: Vec<(usize, usize)>,
    pub total: f64,
}

const SCALE: f64 = 1000.0;

struct Graph {
    to: Vec<usize>,
    cap: Vec<i64>,
    cost: Vec<i64>,
    head: Vec<Vec<usize>>,
}

impl Graph {
    fn new(n: usize) -> Self {
        Graph { to: vec![], cap: vec![], cost: vec![], head: vec![vec![]; n] }
    }
    /// Adds an arc and its residual twin; returns the arc's index.
    fn arc(&mut self, a: usize, b: usize, cap: i64, cost: i64) -> usize {
        let i = self.to.len();
        self.to.extend([b, a]);
        self.cap.extend([cap, 0]);
        self.cost.extend([cost, -cost]);
        self.head[a].push(i);
        self.head[b].push(i + 1);
        i
    }
}

/// Min-cost flow by successive shortest paths, stopping when no augmenting path has negative
/// cost. Dijkstra on reduced costs with potentials (started from the layered graph's distances);
/// each search stops as soon as the sink is settled and potentials are updated with
/// `min(dist, dist[sink])`, which keeps every reduced cost non-negative.
fn successive_shortest_paths(g: &mut Graph, src: usize, sink: usize, layers: &[Vec<usize>]) {
    const INF: i64 = i64::MAX / 4;
    let n = g.head.len();
    // Potentials: shortest distances in the initial DAG source → demands → experts → sink.
    let mut pot = vec![INF; n];
    pot[src] = 0;
    for layer in layers {
        for &u in layer {
            if pot[u] == INF {
                continue;
            }
            for &a in &g.head[u] {
                if a % 2 == 0 && g.cap[a] > 0 {
                    let v = g.to[a];
                    pot[v] = pot[v].min(pot[u] + g.cost[a]);
                }
            }
        }
    }
    // Nodes the source cannot reach never become reachable (only arcs on augmenting paths gain
    // residual capacity), so their potential does not matter.
    for p in pot.iter_mut().filter(|p| **p == INF) {
        *p = 0;
    }
    let mut dist = vec![INF; n];
    let mut prev = vec![usize::MAX; n];
    let mut done = vec![false; n];
    let mut touched: Vec<usize> = Vec::new();
    loop {
        for &v in &touched {
            dist[v] = INF;
            done[v] = false;
        }
        touched.clear();
        dist[src] = 0;
        touched.push(src);
        let mut heap = std::collections::BinaryHeap::new();
        heap.push(std::cmp::Reverse((0i64, src)));
        while let Some(std::cmp::Reverse((d, u))) = heap.pop() {
            if done[u] || d > dist[u] {
                continue;
            }
            done[u] = true;
            if u == sink {
                break;
            }
            for &a in &g.head[u] {
                let v = g.to[a];
                if g.cap[a] > 0 && !done[v] {
                    let nd = d + g.cost[a] + pot[u] - pot[v];
                    if nd < dist[v] {
                        if dist[v] == INF {
                            touched.push(v);
                        }
                        dist[v] = nd;
                        prev[v] = a;
                        heap.push(std::cmp::Reverse((nd, v)));
                    }
                }
            }
        }
        if !done[sink] {
            return;
        }
        // Real cost of the path: reduced distance plus the potential difference.
        if dist[sink] + pot[sink] - pot[src] >= 0 {
            return;
        }
        let ds = dist[sink];
        for (p, d) in pot.iter_mut().zip(&dist) {
            *p += (*d).min(ds);
        }
        let mut f = i64::MAX;
        let mut v = sink;
        while v != src {
            let a = prev[v];
            f = f.min(g.cap[a]);
            v = g.to[a ^ 1];
        }
        let mut v = sink;
        while v != src {
            let a = prev[v];
            g.cap[a] -= f;
            g.cap[a ^ 1] += f;
            v = g.to[a ^ 1];
        }
    }
}

/// Solves the problem, or explains in Chinese why no assignment meets every lower bound.
pub fn solve(p: &Problem) -> Result<Assignment, Vec<String>> {
    let (nd, ne) = (p.demands.len(), p.experts.len());
    let mut errors = Vec::new();
    // Forced pairs take their places first.
    let mut used_d = vec![0usize; nd];
    let mut used_e = vec![0usize; ne];
    let mut forced = p.forced.clone();
    forced.sort_unstable();
    forced.dedup();
    for &(d, e) in &forced {
        used_d[d] += 1;
        used_e[e] += 1;
    }
    for (d, slot) in p.demands.iter().enumerate() {
        if slot.min > slot.max {
            errors.push(format!("需求 {} 的下限 {} 大于上限 {}：请调整", slot.name, slot.min, slot.max));
        }
        if used_d[d] > slot.max {
            errors.push(format!(
                "需求 {} 指定了 {} 位专家，超过上限 {}：减少指定或提高上限",
                slot.name, used_d[d], slot.max
            ));
        }
    }
    for (e, slot) in p.experts.iter().enumerate() {
        if used_e[e] > slot.cap {
            errors.push(format!(
                "专家 {} 被指定了 {} 次，超过上限 {}：减少指定或提高该专家上限",
                slot.name, used_e[e], slot.cap
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let total_score: f64 = p.edges.iter().map(|e| e.score.max(0.0)).sum();
    let big = ((total_score + 1.0) * SCALE) as i64 + 1;
    let (src, sink) = (nd + ne, nd + ne + 1);
    let mut g = Graph::new(nd + ne + 2);
    for (d, slot) in p.demands.iter().enumerate() {
        let min_left = slot.min.saturating_sub(used_d[d]) as i64;
        let max_left = (slot.max - used_d[d]) as i64;
        g.arc(src, d, min_left, -big);
        g.arc(src, d, max_left - min_left, 0);
    }
    let mut edge_arcs = Vec::with_capacity(p.edges.len());
    let mut sorted_edges: Vec<(usize, &Edge)> = p.edges.iter().enumerate().collect();
    sorted_edges.sort_by(|a, b| (a.1.demand, a.1.expert).cmp(&(b.1.demand, b.1.expert)).then(a.0.cmp(&b.0)));
    for (_, e) in &sorted_edges {
        if forced.binary_search(&(e.demand, e.expert)).is_ok() {
            continue;
        }
        let arc = g.arc(e.demand, nd + e.expert, 1, -((e.score * SCALE).round() as i64));
        edge_arcs.push((arc, e.demand, e.expert));
    }
    for (e, slot) in p.experts.iter().enumerate() {
        g.arc(nd + e, sink, (slot.cap - used_e[e]) as i64, 0);
    }
    let layers = [vec![src], (0..nd).collect(), (nd..nd + ne).collect()];
    successive_shortest_paths(&mut g, src, sink, &layers);
    let mut pairs: Vec<(usize, usize)> = forced.clone();
    pairs.extend(edge_arcs.iter().filter(|(a, _, _)| g.cap[*a] == 0).map(|&(_, d, e)| (d, e)));
    pairs.sort_unstable();
    // Lower bounds.
    let mut got = vec![0usize; nd];
    for &(d, _) in &pairs {
        got[d] += 1;
    }
    let short: Vec<usize> = (0..nd).filter(|&d| got[d] < p.demands[d].min).collect();
    if !short.is_empty() {
        let cap_total: usize = p.experts.iter().map(|e| e.cap).sum();
        let min_total: usize = p.demands.iter().map(|d| d.min).sum();
        if cap_total < min_total {
            errors.push(format!("专家总容量 {cap_total} < 需求下限合计 {min_total}：提高每位专家上限或增加专家"));
        }
        for d in short {
            let slot = &p.demands[d];
            let mut candidates: Vec<usize> = p.edges.iter().filter(|e| e.demand == d).map(|e| e.expert).collect();
            candidates.extend(forced.iter().filter(|f| f.0 == d).map(|f| f.1));
            candidates.sort_unstable();
            candidates.dedup();
            if candidates.len() < slot.min {
                errors.push(format!(
                    "需求 {} 只有 {} 位可选专家，但要求至少 {} 位：放宽回避或降低下限",
                    slot.name,
                    candidates.len(),
                    slot.min
                ));
            } else {
                errors.push(format!(
                    "需求 {} 只分到 {} 位专家（下限 {}）：它的 {} 位可选专家已被其他需求占满，请提高这些专家的上限或降低下限",
                    slot.name,
                    got[d],
                    slot.min,
                    candidates.len()
                ));
            }
        }
        return Err(errors);
    }
    let score_of = |d: usize, e: usize| {
        p.edges.iter().filter(|x| x.demand == d && x.expert == e).map(|x| x.score).fold(0.0, f64::max)
    };
    let total = pairs.iter().map(|&(d, e)| score_of(d, e)).sum();
    Ok(Assignment { pairs, total })
}

/// Every constraint a valid assignment must meet (used by the tests, and to check locked plans).
pub fn violations(p: &Problem, a: &Assignment) -> Vec<String> {
    let mut out = Vec::new();
    let mut per_d = vec![0usize; p.demands.len()];
    let mut per_e = vec![0usize; p.experts.len()];
    let mut seen = std::collections::HashSet::new();
    for &(d, e) in &a.pairs {
        if !seen.insert((d, e)) {
            out.push(format!("重复的对接 ({d}, {e})"));
        }
        let allowed = p.edges.iter().any(|x| x.demand == d && x.expert == e) || p.forced.contains(&(d, e));
        if !allowed {
            out.push(format!("({d}, {e}) 不是候选（可能是回避的组合）"));
        }
        per_d[d] += 1;
        per_e[e] += 1;
    }
    for (d, slot) in p.demands.iter().enumerate() {
        if per_d[d] < slot.min || per_d[d] > slot.max {
            out.push(format!("需求 {} 分到 {} 位，应在 {}–{} 之间", slot.name, per_d[d], slot.min, slot.max));
        }
    }
    for (e, slot) in p.experts.iter().enumerate() {
        if per_e[e] > slot.cap {
            out.push(format!("专家 {} 分到 {} 次，上限 {}", slot.name, per_e[e], slot.cap));
        }
    }
    for f in &p.forced {
        if !a.pairs.contains(f) {
            out.push(format!("指定的对接 {f:?} 缺失"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

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
        assert!(e.iter().any(|m| m.contains("需求 D017 只有 1 位可选专家，但要求至少 2 位")), "{e:?}");
        let p = Problem {
            demands: (0..3).map(|i| DemandSlot { name: format!("D{i}"), min: 2, max: 2 }).collect(),
            experts: vec![ExpertSlot { name: "E1".into(), cap: 2 }, ExpertSlot { name: "E2".into(), cap: 2 }],
            edges: (0..3).flat_map(|d| (0..2).map(move |e| Edge { demand: d, expert: e, score: 50.0 })).collect(),
            forced: vec![],
        };
        let e = solve(&p).unwrap_err();
        assert!(e.iter().any(|m| m.contains("专家总容量 4 < 需求下限合计 6")), "{e:?}");
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
}
