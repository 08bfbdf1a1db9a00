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

/// The classifier on the demo data with its labels held out: every record's subfields and their
/// original text are cleared, then the suggestions are compared with the labels. Prints top-1
/// and top-3 accuracy (subfield, and field) and keeps them above a floor.
#[test]
fn classifier_accuracy_on_the_demo_with_labels_held_out() {
    use bole::domain::RecordKind;
    let dir = tempfile::tempdir().unwrap();
    let mut core = demo_core(dir.path());
    let truth_e: Vec<(i64, Vec<String>)> = core
        .all_experts()
        .unwrap()
        .into_iter()
        .filter(|e| !e.subfields.is_empty())
        .map(|e| (e.id, e.subfields))
        .collect();
    let truth_d: Vec<(i64, Vec<String>)> = core
        .all_demands()
        .unwrap()
        .into_iter()
        .filter(|d| !d.subfields.is_empty())
        .map(|d| (d.id, d.subfields))
        .collect();
    core.conn
        .execute_batch(
            "DELETE FROM expert_subfield; DELETE FROM demand_subfield; UPDATE expert SET subfield_text = '';
             UPDATE demand SET subfield_text = '';",
        )
        .unwrap();
    core.reindex().unwrap();
    let tax = core.knowledge.taxonomy.clone();
    let mut report = String::new();
    for (kind, truth) in [(RecordKind::Expert, &truth_e), (RecordKind::Demand, &truth_d)] {
        let got: std::collections::HashMap<i64, Vec<String>> = core
            .suggested_subfields(kind)
            .unwrap()
            .into_iter()
            .map(|c| (c.row, c.suggestions.into_iter().map(|s| s.code).collect()))
            .collect();
        let (mut top1, mut top3, mut field1) = (0, 0, 0);
        for (id, codes) in truth {
            let s = got.get(id).cloned().unwrap_or_default();
            // A suggestion counts when it is a true subfield (or the true field, for a record
            // labelled only with a field).
            let hit = |c: &String| codes.contains(c);
            top1 += usize::from(s.first().is_some_and(hit));
            top3 += usize::from(s.iter().take(3).any(hit));
            let fields: Vec<&str> = codes.iter().map(|c| tax.field_of(c)).collect();
            field1 += usize::from(s.first().is_some_and(|c| fields.contains(&tax.field_of(c))));
        }
        let n = truth.len() as f64;
        let (a1, a3, f1) = (top1 as f64 / n, top3 as f64 / n, field1 as f64 / n);
        writeln!(report, "{kind:?} ({}): subfield top-1 {a1:.3}, top-3 {a3:.3}; field top-1 {f1:.3}", truth.len())
            .unwrap();
        assert!(a1 >= 0.5 && a3 >= 0.7 && f1 >= 0.7, "{report}");
    }
    println!("classifier, demo labels held out:\n{report}");
}
