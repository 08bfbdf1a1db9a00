//! Statistics benchmark (issue 13: "statistics over 100k experts and 50k pairings open in ≤ 1 s").
//! Seeds a database (seeded synthetic data) with 100k experts, 10k demands, 50k pairings with a
//! dated history of stage events, service records and outcomes, then times what the 统计 view and
//! `bole stats --no-gaps` wait for: [`Core::stat_figures`] (SQL aggregates) for the whole record and
//! for one half-year, and the pairing list with and without the "待跟进/逾期" filter.
//! Run: `cargo bench --bench stats` (sizes: BOLE_BENCH_EXPERTS, BOLE_BENCH_PAIRINGS).
//! The recruiting gaps (引才方向) are not part of this figure: they match every open demand and are
//! computed after the figures are shown (see the matching bench for that speed).
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

mod common;

use std::time::Instant;

use bole::domain::followup::{Outcome, OutcomeKind, PairingEvent, ServiceRecord};
use bole::domain::pairing::Stage;
use bole::domain::{Demand, Enterprise, Taxonomy};
use bole::engine::Core;
use bole::store::followup::{self as fstore, PairingFilter, PairingOrigin, PairingState};
use bole::store::stats::Period;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

/// `day` days after 2024-01-01, as YYYY-MM-DD (months of 28 days keep every date valid).
fn date(day: usize) -> String {
    let (y, rest) = (day / 336, day % 336);
    format!("{:04}-{:02}-{:02}", 2024 + y, rest / 28 + 1, rest % 28 + 1)
}

fn seed_demands(conn: &mut rusqlite::Connection, n: usize) -> Vec<i64> {
    let tax = Taxonomy::builtin();
    let tx = conn.transaction().unwrap();
    let mut enterprises = Vec::new();
    for i in 0..997.min(n.max(1)) {
        let name = format!("福建合成{i}号新材料有限公司");
        enterprises.push(bole::store::insert_enterprise(&tx, &Enterprise { name, ..Default::default() }).unwrap());
    }
    let mut ids = Vec::with_capacity(n);
    for (i, d) in common::demands(n, 7).into_iter().enumerate() {
        let code = tax.map_label(&d.subfield).code().map(String::from);
        let demand = Demand {
            ext_id: d.id,
            enterprise_id: Some(enterprises[i % enterprises.len()]),
            title: d.title,
            description: d.description,
            subfields: code.into_iter().collect(),
            ..Default::default()
        };
        ids.push(bole::store::insert_demand(&tx, &demand).unwrap());
    }
    tx.commit().unwrap();
    ids
}

/// Pairings with 1–6 stage events each, a service record on every fourth, an outcome on every
/// tenth, spread over three years; returns the number of events written.
fn seed_pairings(conn: &mut rusqlite::Connection, experts: usize, demands: &[i64], n: usize) -> usize {
    let mut rng = common::Rng::new(13);
    let tx = conn.transaction().unwrap();
    let first_expert: i64 = tx.query_row("SELECT min(id) FROM expert", [], |r| r.get(0)).unwrap();
    let sources: [&str; 4] = ["加入对接", "对接会", "手工", "导入"];
    let mut events = 0;
    let mut made = 0;
    while made < n {
        let e = first_expert + rng.below(experts) as i64;
        let d = *rng.pick(demands);
        let origin = PairingOrigin { source: sources[rng.below(sources.len())], ..Default::default() };
        let (_, new) = fstore::ensure_pairing(&tx, e, d, origin).unwrap();
        if !new {
            continue;
        }
        made += 1;
        let mut day = rng.below(900);
        let steps = 1 + rng.below(6);
        let mut stage = Stage::Recommended;
        for k in 0..steps {
            stage = if k + 1 == steps && rng.below(6) == 0 { Stage::Ended } else { Stage::ALL[k] };
            let ev = PairingEvent { date: date(day), stage: Some(stage), note: "跟进".into(), ..Default::default() };
            fstore::add_event(&tx, e, d, &ev).unwrap();
            events += 1;
            if k + 1 < steps {
                day += 3 + rng.below(40);
            }
        }
        let state = PairingState {
            stage: Some(stage),
            stage_date: date(day),
            next_action: "电话回访".into(),
            next_date: date(day + 14),
            end_reason: if stage == Stage::Ended { "无意向".into() } else { String::new() },
        };
        fstore::set_state(&tx, e, d, &state).unwrap();
        if made % 4 == 0 {
            let s = ServiceRecord {
                kind: "蹲点调研".into(),
                start_date: date(day),
                end_date: date(day + 2),
                days: 3.0,
                place: "企业车间".into(),
                content: "现场诊断".into(),
                lodging: true,
                meals: true,
                ..Default::default()
            };
            fstore::add_service(&tx, e, d, &s).unwrap();
        }
        if made % 10 == 0 {
            let kind = OutcomeKind::ALL[rng.below(OutcomeKind::ALL.len())];
            let o = Outcome {
                id: 0,
                kind,
                title: "联合攻关成果".into(),
                date: date(day),
                level: if kind == OutcomeKind::Project { "省".into() } else { String::new() },
                status: if kind == OutcomeKind::Project { "立项".into() } else { String::new() },
                amount_wan: (kind == OutcomeKind::Contract).then_some(30.0),
                note: String::new(),
            };
            fstore::add_outcome(&tx, e, d, &o).unwrap();
        }
    }
    tx.commit().unwrap();
    events
}

fn time_ms(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut v: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[v.len() - 1])
}

fn main() {
    let experts = env("BOLE_BENCH_EXPERTS", 100_000);
    let pairings = env("BOLE_BENCH_PAIRINGS", 50_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    let tax = Taxonomy::builtin();
    let t = Instant::now();
    let events = {
        let mut conn = bole::store::open(&db, &tax).unwrap();
        common::seed_experts(&mut conn, experts, 3);
        let demands = seed_demands(&mut conn, 10_000);
        seed_pairings(&mut conn, experts, &demands, pairings)
    };
    println!(
        "seeded {experts} experts, 10000 demands, {pairings} pairings with {events} stage events in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    // The first open builds the search index; the stats do not use it.
    drop(Core::open(&db).unwrap());
    let t = Instant::now();
    let core = Core::open(&db).unwrap();
    println!("open: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);

    let all = Period::all();
    let half = Period { from: "2025-01-01".into(), to: "2025-06-30".into() };
    let mut check = 0;
    let (p50, max) = time_ms(5, || check = core.stat_figures(&all).unwrap().stages.iter().map(|s| s.1).sum());
    assert_eq!(check as usize, pairings, "every pairing has a stage at the end of the record");
    println!("统计, whole record: p50 {p50:.0} ms, max {max:.0} ms (target ≤ 1000 ms)");
    let (p50, max) = time_ms(5, || drop(core.stat_figures(&half).unwrap()));
    println!("统计, 2025 上半年: p50 {p50:.0} ms, max {max:.0} ms (target ≤ 1000 ms)");
    let (p50, max) = time_ms(3, || drop(core.pairing_list(&PairingFilter::default()).unwrap()));
    println!("对接跟踪 list, all {pairings}: p50 {p50:.0} ms, max {max:.0} ms");
    let (p50, max) = time_ms(3, || drop(core.due_this_week("2025-06-02", &PairingFilter::default()).unwrap()));
    println!("对接跟踪 待跟进/逾期: p50 {p50:.0} ms, max {max:.0} ms");
}
