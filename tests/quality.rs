//! Matching quality on the demo data: every hand-labelled pair (data/demo/labelled_pairs.csv)
//! appears in the top 5, and the rankings of all demo demands match a reviewed snapshot
//! (regenerate with BOLE_UPDATE_SNAPSHOTS=1 after an intended change, and review the diff).
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

use std::fmt::Write;

use bole::engine::Core;

fn demo_core(dir: &std::path::Path) -> Core {
    let mut core = Core::open(&dir.join("bole.db")).unwrap();
    core.load_demo(&mut |_, _| {}).unwrap();
    core
}

#[test]
fn every_labelled_pair_is_in_the_top_5() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path());
    let text = bole::demo::LABELLED_PAIRS_CSV;
    let rows = bole::io::table::parse_csv(text);
    assert_eq!(rows[0][..2], ["demand_id", "expert_id"]);
    let mut misses = Vec::new();
    let mut ranks = Vec::new();
    for row in &rows[1..] {
        let d = core.demand(&row[0]).unwrap();
        let list = core.match_demand(&d, 5).unwrap();
        match list.iter().position(|s| s.ext_id == row[1]) {
            Some(p) => ranks.push(p + 1),
            None => misses.push(format!(
                "{} → {} ({}); got {:?}",
                row[0],
                row[1],
                row.get(2).map(String::as_str).unwrap_or(""),
                list.iter().map(|s| &s.ext_id).collect::<Vec<_>>()
            )),
        }
    }
    assert!(rows.len() > 40, "at least 40 labelled pairs");
    assert!(misses.is_empty(), "labelled pairs not in the top 5:\n{}", misses.join("\n"));
    let first = ranks.iter().filter(|r| **r == 1).count();
    assert!(first * 10 >= ranks.len() * 7, "at least 70% of labelled experts rank first: {first}/{}", ranks.len());
}

#[test]
fn demo_rankings_match_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path());
    let mut out = String::new();
    for d in bole::store::list_demands(&core.conn).unwrap() {
        let list = core.match_demand(&d, 5).unwrap();
        let top: Vec<String> = list.iter().map(|s| format!("{} {:.1}", s.ext_id, s.score)).collect();
        writeln!(out, "{}: {}", d.ext_id, top.join(", ")).unwrap();
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/demo_rankings.txt");
    if std::env::var_os("BOLE_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &out).unwrap();
    }
    let expected = std::fs::read_to_string(&path).expect("snapshot missing: run with BOLE_UPDATE_SNAPSHOTS=1");
    assert!(expected == out, "rankings changed; review with BOLE_UPDATE_SNAPSHOTS=1 and git diff tests/snapshots/");
}
