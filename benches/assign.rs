//! Meeting assignment benchmark: 1,000 demands × 5,000 experts with the top-50 candidate edges
//! per demand (seeded), each demand 1–3 experts, each expert at most 2. Target ≤ 2 s.
//! Also a tight market (2,000 demands × 1,000 experts, at most 3 each: every expert is wanted),
//! where units must be rerouted along long alternating paths.
//! Run: `cargo bench --bench assign`.
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

mod common;

use std::time::Instant;

use bole::matching::assign::{DemandSlot, Edge, ExpertSlot, Problem, solve, violations};

fn problem(nd: usize, ne: usize, k: usize, cap: usize, seed: u64) -> Problem {
    let mut rng = common::Rng::new(seed);
    let demands = (0..nd).map(|i| DemandSlot { name: format!("D{i:04}"), min: 1, max: 3 }).collect();
    let experts = (0..ne).map(|i| ExpertSlot { name: format!("E{i:04}"), cap }).collect();
    let mut edges = Vec::with_capacity(nd * k);
    for d in 0..nd {
        let mut picked = std::collections::HashSet::new();
        while picked.len() < k {
            picked.insert(rng.below(ne));
        }
        let mut picked: Vec<usize> = picked.into_iter().collect();
        picked.sort_unstable();
        for e in picked {
            edges.push(Edge { demand: d, expert: e, score: 20.0 + rng.below(8000) as f64 / 100.0 });
        }
    }
    Problem { demands, experts, edges, forced: vec![] }
}

fn main() {
    let (nd, ne, k) = (1_000usize, 5_000usize, 50usize);
    let p = problem(nd, ne, k, 2, 2024);
    let t = Instant::now();
    let a = solve(&p).expect("feasible");
    let secs = t.elapsed().as_secs_f64();
    assert!(violations(&p, &a).is_empty());
    println!(
        "assignment {nd} demands × {ne} experts, {} candidate edges: {} pairs, total score {:.1}, {secs:.3} s (target ≤ 2 s → {})",
        p.edges.len(),
        a.pairs.len(),
        a.total,
        if secs <= 2.0 { "met" } else { "MISSED" }
    );
    let (nd, ne) = (2_000usize, 1_000usize);
    let p = problem(nd, ne, k, 3, 2025);
    let t = Instant::now();
    let a = solve(&p).expect("feasible");
    let secs = t.elapsed().as_secs_f64();
    assert!(violations(&p, &a).is_empty());
    println!(
        "tight market {nd} demands × {ne} experts (cap 3), {} candidate edges: {} pairs, total score {:.1}, {secs:.3} s",
        p.edges.len(),
        a.pairs.len(),
        a.total
    );
}
