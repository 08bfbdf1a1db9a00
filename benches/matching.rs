//! Matching benchmark on seeded synthetic data: 100k experts and 10k demands (sizes from the
//! matching issue; BOLE_BENCH_EXPERTS / BOLE_BENCH_DEMANDS change them).
//! Prints: index build (docs/s); top-20 experts for one demand, p50/p95; the same query as a bare
//! tantivy BM25 search on the same index and the ratio (target ≤ 2×); all suggestions for all
//! demands (target ≤ 30 s); peak memory.
//! Run: `cargo bench --bench matching`.
//! With `BOLE_BENCH_DB=path/bole.db` it seeds nothing and runs only the single-demand part (and
//! the bare BM25 comparison) over up to 300 demands of that database and its index (`path/bole.index`);
//! `scripts/bench_scale.sh` uses this on the database it imported.
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

mod common;

use std::time::Instant;

use bole::domain::{Demand, Enterprise};
use bole::engine::Core;
use bole::store;
use tantivy::Term;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::Token;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn main() {
    if let Some(db) = std::env::var_os("BOLE_BENCH_DB") {
        let db = std::path::PathBuf::from(db);
        let t = Instant::now();
        let core = Core::open(&db).unwrap();
        println!(
            "opened {} and its index: {:.2} s ({:?})",
            db.display(),
            t.elapsed().as_secs_f64(),
            core.index_outcome
        );
        single_demand(&core);
        against_exhaustive(&core);
        println!("peak memory (VmHWM): {:.0} MB", peak_mb());
        return;
    }
    let n_experts = env("BOLE_BENCH_EXPERTS", 100_000);
    let n_demands = env("BOLE_BENCH_DEMANDS", 10_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    let tax = bole::domain::Taxonomy::builtin();
    {
        let mut conn = store::open(&db, &tax).unwrap();
        let t = Instant::now();
        common::seed_experts(&mut conn, n_experts, 7);
        let tx = conn.transaction().unwrap();
        let mut ents = std::collections::HashMap::new();
        for d in common::demands(n_demands, 11) {
            let ent = *ents.entry(d.enterprise.clone()).or_insert_with(|| {
                store::insert_enterprise(&tx, &Enterprise { name: d.enterprise.clone(), ..Default::default() }).unwrap()
            });
            let code = tax.map_label(&d.subfield).code().map(String::from);
            store::insert_demand(
                &tx,
                &Demand {
                    ext_id: d.id,
                    enterprise_id: Some(ent),
                    title: d.title,
                    description: d.description,
                    subfields: code.into_iter().collect(),
                    ..Default::default()
                },
            )
            .unwrap();
        }
        tx.commit().unwrap();
        println!(
            "seeded {n_experts} experts + {n_demands} demands into SQLite in {:.1} s (not measured below)",
            t.elapsed().as_secs_f64()
        );
    }

    let t = Instant::now();
    let core = Core::open(&db).unwrap();
    let build = t.elapsed().as_secs_f64();
    let docs = n_experts + n_demands;
    println!(
        "index build (open + rebuild from SQLite): {build:.1} s, {:.0} docs/s ({:?})",
        docs as f64 / build,
        core.index_outcome
    );

    // Cold start with the index already built.
    drop(core);
    let t = Instant::now();
    let core = Core::open(&db).unwrap();
    println!("reopen with index up to date: {:.2} s ({:?})", t.elapsed().as_secs_f64(), core.index_outcome);

    single_demand(&core);

    let t = Instant::now();
    let all = core.match_all(20).unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "all suggestions for all {} demands (top 20 each, {} threads): {secs:.1} s (target ≤ 30 s → {})",
        all.len(),
        std::thread::available_parallelism().map(std::num::NonZero::get).unwrap_or(1),
        if secs <= 30.0 { "met" } else { "MISSED" }
    );
    println!("peak memory (VmHWM): {:.0} MB", peak_mb());
}

/// The ranking's top 20 against scoring every expert, on a sample of demands: the recall the
/// bounded ranking loses (it should be none: it is exact by construction).
fn against_exhaustive(core: &Core) {
    let demands = store::list_demands(&core.conn).unwrap();
    let experts = store::list_experts(&core.conn).unwrap();
    let sample: Vec<&Demand> = demands.iter().step_by((demands.len() / 10).max(1)).take(10).collect();
    let (mut same, mut total) = (0usize, 0usize);
    let t = Instant::now();
    core.with_matcher(|m| {
        let opts = bole::matching::MatchOptions { top: 20, ..Default::default() };
        for d in &sample {
            let ranked: Vec<(i64, f64)> = m.rank_experts(d, &opts).iter().map(|r| (r.row, r.score)).collect();
            let mut all: Vec<(i64, f64)> =
                experts.iter().filter(|e| e.available).map(|e| (e.id, m.pair(d, e).score())).collect();
            all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            all.truncate(20);
            // Equal scores may tie across the cut: compare the scores at each rank.
            same += ranked.iter().zip(&all).filter(|(a, b)| (a.1 - b.1).abs() < 1e-9).count();
            total += all.len();
        }
    })
    .unwrap();
    println!(
        "bounded top 20 vs scoring all {} experts ({} demands, {:.1} s): {same}/{total} ranks agree, recall lost {:.3}",
        experts.len(),
        sample.len(),
        t.elapsed().as_secs_f64(),
        1.0 - same as f64 / total.max(1) as f64
    );
}

/// Top 20 experts for one demand over up to 300 demands, next to a bare tantivy BM25 query of
/// the same text on the same index; prints p50/p95 of both and the ratio.
fn single_demand(core: &Core) {
    let demands = store::list_demands(&core.conn).unwrap();
    let sample: Vec<&Demand> = demands.iter().step_by((demands.len() / 300).max(1)).take(300).collect();
    // Warm-up.
    for d in sample.iter().take(20) {
        core.match_demand(d, 20).unwrap();
    }
    let mut ours: Vec<f64> = sample
        .iter()
        .map(|d| {
            let t = Instant::now();
            let r = core.match_demand(d, 20).unwrap();
            std::hint::black_box(r);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ours.sort_by(f64::total_cmp);

    let searcher = core.index.searcher();
    let f = core.index.fields;
    let parser = QueryParser::for_index(searcher.index(), vec![f.expert.kw, f.expert.main, f.expert.body]);
    let mut bare: Vec<f64> = sample
        .iter()
        .map(|d| {
            let text: String = format!("{} {}", d.title, d.description)
                .chars()
                .filter(|c| c.is_alphanumeric() || c.is_whitespace())
                .collect();
            let t = Instant::now();
            let (q, _) = parser.parse_query_lenient(&text);
            let top = searcher.search(&q, &TopDocs::with_limit(20).order_by_score()).unwrap();
            std::hint::black_box(top);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    bare.sort_by(f64::total_cmp);
    // The fields index no positions, so QueryParser cannot build the phrase queries it wants for
    // multi-token words; the lenient parse drops them and may be left with no real terms at all.
    let parse_errors = sample
        .iter()
        .filter(|d| !parser.parse_query_lenient(&format!("{} {}", d.title, d.description)).1.is_empty())
        .count();
    // The same text as an OR of its tokens (the index's own tokenizer) over kw/main/body: plain BM25.
    let mut tokenizer = searcher.index().tokenizer_for_field(f.expert.kw).unwrap();
    let mut terms_bm25: Vec<f64> = sample
        .iter()
        .map(|d| {
            let text = format!("{} {}", d.title, d.description);
            let t = Instant::now();
            let mut words = std::collections::BTreeSet::new();
            tokenizer.token_stream(&text).process(&mut |tok: &Token| {
                words.insert(tok.text.clone());
            });
            let clauses: Vec<(Occur, Box<dyn Query>)> = words
                .iter()
                .flat_map(|w| [f.expert.kw, f.expert.main, f.expert.body].map(|fd| (fd, w)))
                .map(|(fd, w)| {
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(Term::from_field_text(fd, w), IndexRecordOption::WithFreqs));
                    (Occur::Should, q)
                })
                .collect();
            let top = searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(20).order_by_score()).unwrap();
            std::hint::black_box(top);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    terms_bm25.sort_by(f64::total_cmp);
    let (o50, o95, b50, b95) =
        (percentile(&ours, 0.5), percentile(&ours, 0.95), percentile(&bare, 0.5), percentile(&bare, 0.95));
    let (t50, t95) = (percentile(&terms_bm25, 0.5), percentile(&terms_bm25, 0.95));
    println!("top-20 experts for one demand ({} demands): p50 {o50:.2} ms, p95 {o95:.2} ms", sample.len());
    println!("bare tantivy BM25 (QueryParser over kw/main/body, top 20): p50 {b50:.2} ms, p95 {b95:.2} ms");
    println!("ratio matcher / bare BM25: p50 {:.2}×, p95 {:.2}× (target ≤ 2×)", o50 / b50, o95 / b95);
    if parse_errors > 0 {
        println!(
            "  note: QueryParser dropped parts of {parse_errors} of {} queries (no positions indexed), see below",
            sample.len()
        );
    }
    println!(
        "bare tantivy BM25 (OR of the tokens, TermQuery over kw/main/body, top 20): p50 {t50:.2} ms, p95 {t95:.2} ms"
    );
    println!("ratio matcher / bare term BM25: p50 {:.2}×, p95 {:.2}× (target ≤ 2×)", o50 / t50, o95 / t95);
}
