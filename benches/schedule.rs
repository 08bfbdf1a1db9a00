//! Meeting schedule benchmark: 300 enterprises × 1,000 experts, 3,000 meetings (seeded, distinct
//! pairs), 40 tables, 10 slots more than the lower bound. Target: well under a second.
//! Also the same meetings with exactly the lower bound of slots (every slot full; tables cannot
//! be kept, so enterprises move).
//! Run: `cargo bench --bench schedule`.
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

mod common;

use std::time::Instant;

use bole::matching::schedule::{Meeting, Problem, min_slots, schedule, tables_for_fixed_seating, violations};

fn main() {
    let (ne, nx, n, tables) = (300usize, 1_000usize, 3_000usize, 40usize);
    let mut rng = common::Rng::new(2024);
    let mut seen = std::collections::HashSet::new();
    let mut meetings = Vec::with_capacity(n);
    while meetings.len() < n {
        let (enterprise, expert) = (rng.below(ne), rng.below(nx));
        if seen.insert((enterprise, expert)) {
            meetings.push(Meeting { enterprise, expert, locked: None });
        }
    }
    let mut p = Problem {
        slots: 0,
        tables,
        meetings,
        enterprise_names: (0..ne).map(|i| format!("企业{i:03}")).collect(),
        expert_names: (0..nx).map(|i| format!("专家{i:04}")).collect(),
    };
    let lower = min_slots(&p);
    for extra in [10, 0] {
        p.slots = lower + extra;
        let t = Instant::now();
        let s = schedule(&p).expect("feasible");
        let secs = t.elapsed().as_secs_f64();
        assert!(violations(&p, &s).is_empty());
        println!(
            "schedule {ne} enterprises × {nx} experts, {n} meetings, {tables} tables, {} slots (lower bound {lower}): \
             {} slots used, {} tables, {} table changes (a table per enterprise would take {}), {} idle slots in all, {secs:.3} s",
            p.slots,
            s.slots_used,
            s.tables_used,
            s.table_changes,
            tables_for_fixed_seating(&p),
            s.total_gaps
        );
    }
}
