//! Import benchmark: a seeded synthetic 100k-expert xlsx → read (calamine) → plan → commit into a
//! fresh SQLite file. Prints rows/s for each stage. Target: 100k rows in ≤ 30 s on 2 cores.
//! Run: `cargo bench --bench import` (BOLE_BENCH_ROWS=… to change the size).
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

mod common;

use std::time::Instant;

use bole::domain::RecordKind;
use bole::domain::Taxonomy;
use bole::io::import::{self, CommitOptions};
use bole::io::table;
use rust_xlsxwriter::Workbook;

fn main() {
    let n: usize = std::env::var("BOLE_BENCH_ROWS").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("experts_100k.xlsx");

    let t = Instant::now();
    let rows = common::experts(n, 42);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["编号", "姓名", "单位", "新材料细分领域", "研究方向", "关键词", "电话"].iter().enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, e) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &e.id).unwrap();
        ws.write_string(r, 1, &e.name).unwrap();
        ws.write_string(r, 2, &e.institution).unwrap();
        ws.write_string(r, 3, &e.subfield).unwrap();
        ws.write_string(r, 4, &e.research).unwrap();
        ws.write_string(r, 5, &e.keywords).unwrap();
        ws.write_number(r, 6, 13_800_000_000.0 + i as f64).unwrap();
    }
    wb.save(&path).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    println!(
        "generated {n} experts → {:.1} MB xlsx in {:.2} s (not part of the import)",
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let tax = Taxonomy::builtin();
    let mut conn = bole::store::open(&dir.path().join("bole.db"), &tax).unwrap();
    let total = Instant::now();
    let t = Instant::now();
    let tables = table::read_path(&path).unwrap();
    let read = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let plan = import::plan(&conn, &tax, &tables, RecordKind::Expert, "experts_100k.xlsx").unwrap();
    let planned = t.elapsed().as_secs_f64();
    assert_eq!(
        plan.counts().added,
        n,
        "{}",
        bole::text::import_report(&plan, false).lines().take(20).collect::<Vec<_>>().join("\n")
    );
    let t = Instant::now();
    import::commit(
        &mut conn,
        &plan,
        CommitOptions { merge_duplicates: false, progress: &mut |_, _| {}, cancel: None, demo: false, log: None },
    )
    .unwrap();
    let committed = t.elapsed().as_secs_f64();
    let all = total.elapsed().as_secs_f64();
    println!("read xlsx   {read:7.2} s  {:>9.0} rows/s", n as f64 / read);
    println!("plan        {planned:7.2} s  {:>9.0} rows/s", n as f64 / planned);
    println!("commit      {committed:7.2} s  {:>9.0} rows/s", n as f64 / committed);
    println!(
        "import total {all:6.2} s  {:>9.0} rows/s  (target: {n} rows ≤ 30 s → {})",
        n as f64 / all,
        if all <= 30.0 { "met" } else { "MISSED" }
    );

    // Re-import of the same file: everything recognised as unchanged.
    let t = Instant::now();
    let again = import::plan(&conn, &tax, &tables, RecordKind::Expert, "experts_100k.xlsx").unwrap();
    assert_eq!(again.counts().unchanged, n);
    println!("re-import plan (all unchanged) {:.2} s", t.elapsed().as_secs_f64());
}
