//! Hostile and broken inputs through the real import path — `Core::plan_file`, then
//! `Core::commit_import`, what `bole import` runs — on a temporary database: never a panic, the
//! expected error (typed, worded in Chinese with a key phrase and no English OS text) or the
//! expected numbers (the preview's counts equal the commit's), the database unchanged when the
//! file is refused, within seconds and well under 1 GB. The corpus is in `hostile/corpus.rs`
//! (files made at run time; the small ones also committed under tests/fixtures/hostile/); a short
//! fuzz run over mutations of it ends the file.
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken fixture")]

#[path = "hostile/corpus.rs"]
mod corpus;
#[path = "hostile/fuzz.rs"]
mod fuzz;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bole::domain::{RecordKind, Taxonomy};
use bole::engine::{Core, EngineError};
use bole::{store, text};
use corpus::{Case, Expect, Input, Special};

/// Per case, in a debug build.
const TIME_LIMIT: Duration = Duration::from_secs(10);
/// Peak resident memory of the whole test process while a case runs.
const MEMORY_LIMIT_MB: u64 = 1024;

fn fresh_core() -> (tempfile::TempDir, Core) {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(&dir.path().join("bole.db")).unwrap();
    (dir, core)
}

/// What "the database changed" means: record counts and the change counter.
fn state(core: &Core) -> (i64, i64, i64, i64) {
    let c = &core.conn;
    (
        store::count(c, store::Table::Experts).unwrap(),
        store::count(c, store::Table::Demands).unwrap(),
        store::count(c, store::Table::Enterprises).unwrap(),
        store::change_seq(c).unwrap(),
    )
}

/// The case as a path: its bytes written under its file name, or the special path made.
fn materialize(case: &Case, dir: &Path) -> Option<PathBuf> {
    let folder = dir.join(case.name);
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join(case.file);
    match &case.input {
        Input::Bytes(b) => std::fs::write(&path, b).unwrap(),
        Input::Special(Special::Missing) => {}
        Input::Special(Special::Directory) => std::fs::create_dir_all(&path).unwrap(),
        Input::Special(Special::DevZero) => {
            let zero = PathBuf::from("/dev/zero");
            return zero.exists().then_some(zero);
        }
        Input::Special(Special::Fifo) => {
            let made = std::process::Command::new("mkfifo").arg(&path).status().is_ok_and(|s| s.success());
            if !made {
                return None;
            }
        }
        Input::Special(Special::Sparse(n)) => std::fs::File::create(&path).unwrap().set_len(*n).unwrap(),
    }
    Some(path)
}

/// Words that only come from the operating system or a library, never from Bole.
fn has_foreign_text(msg: &str) -> bool {
    ["os error", "No such file", "Is a directory", "denied", "failed", "Error", "error:", "panicked"]
        .iter()
        .any(|w| msg.contains(w))
}

/// Runs one case; the database is `core`'s (shared by refused cases, fresh for planned ones).
fn run_case(case: &Case, core: &mut Core, path: &Path) -> Result<(Duration, u64), String> {
    let before = state(core);
    fuzz::reset_peak();
    let t = Instant::now();
    let planned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| core.plan_file(path, case.kind)))
        .map_err(|_| "panicked while planning".to_string())?;
    match (planned, &case.expect) {
        (Err(e), Expect::Refused { is, says }) => {
            let msg = text::error(&e);
            if std::env::var_os("BOLE_HOSTILE_VERBOSE").is_some() {
                eprintln!("{}: {msg}", case.name);
            }
            let EngineError::File(fe) = &e else { return Err(format!("not a file error: {e:?}")) };
            if !is(fe) {
                return Err(format!("wrong error {fe:?}: {msg}"));
            }
            if !msg.contains(says) || has_foreign_text(&msg) {
                return Err(format!("message lacks “{says}” or has foreign text: {msg}"));
            }
            if state(core) != before {
                return Err("the database changed".into());
            }
        }
        (Ok(plan), Expect::Planned { added, rejected, says, check }) => {
            let c = plan.counts();
            let mut report = text::import_report(&plan, false);
            for r in &plan.rejected {
                for i in &r.reasons {
                    report += &i.message();
                }
            }
            if std::env::var_os("BOLE_HOSTILE_VERBOSE").is_some() {
                eprintln!("{}: {}", case.name, report.replace('\n', " | "));
            }
            if (c.added, c.rejected) != (*added, *rejected) || !report.contains(says) {
                return Err(format!(
                    "planned {c:?}, expected {added} added / {rejected} rejected and “{says}”:\n{report}"
                ));
            }
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                core.commit_import(&plan, false, &mut |_, _| {}, None)
            }))
            .map_err(|_| "panicked while committing".to_string())?
            .map_err(|e| format!("commit failed: {}", text::error(&e)))?;
            if done != c {
                return Err(format!("the preview said {c:?}, the commit did {done:?}"));
            }
            if let Some(check) = check {
                check(&core.conn)?;
            }
        }
        (Err(e), Expect::Planned { .. }) => return Err(format!("refused: {}", text::error(&e))),
        (Ok(plan), Expect::Refused { .. }) => return Err(format!("accepted:\n{}", text::import_report(&plan, false))),
    }
    let elapsed = t.elapsed();
    if elapsed > TIME_LIMIT {
        return Err(format!("took {elapsed:?}"));
    }
    let peak = fuzz::peak_mb();
    if peak > MEMORY_LIMIT_MB {
        return Err(format!("peak memory {peak} MB"));
    }
    Ok((elapsed, peak))
}

/// Runs cases (refused ones on one seeded database, planned ones each on a fresh one); failures
/// are collected so one run names them all.
fn run_all(cases: &[Case], paths: &dyn Fn(&Case, &Path) -> Option<PathBuf>) -> Vec<String> {
    let scratch = tempfile::tempdir().unwrap();
    let (_d, mut shared) = fresh_core();
    // Something to lose: the small list, committed.
    let seed = scratch.path().join("种子.csv");
    std::fs::write(&seed, corpus::experts_csv()).unwrap();
    let plan = shared.plan_file(&seed, RecordKind::Expert).unwrap();
    shared.commit_import(&plan, false, &mut |_, _| {}, None).unwrap();
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, "");
    let mut highest = (0, "");
    for case in cases {
        let Some(path) = paths(case, scratch.path()) else {
            eprintln!("skipped {} (not available here)", case.name);
            continue;
        };
        let result = match case.expect {
            Expect::Refused { .. } => run_case(case, &mut shared, &path),
            Expect::Planned { .. } => {
                let (_d, mut core) = fresh_core();
                run_case(case, &mut core, &path)
            }
        };
        match result {
            Ok((t, peak)) => {
                if t > slowest.0 {
                    slowest = (t, case.name);
                }
                if peak > highest.0 {
                    highest = (peak, case.name);
                }
            }
            Err(why) => failures.push(format!("{}: {why}", case.name)),
        }
    }
    eprintln!(
        "{} cases, slowest {} in {:?}, highest peak {} at {} MB (the whole test process)",
        cases.len(),
        slowest.1,
        slowest.0,
        highest.1,
        highest.0
    );
    failures
}

#[test]
fn hostile_inputs_are_refused_clearly_or_read_correctly() {
    let mut cases = corpus::special_cases();
    cases.extend(corpus::byte_cases(true));
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let failures = run_all(&cases, &materialize);
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

/// The committed copies of the small cases (tests/fixtures/hostile/<case>.<ext>) meet their
/// cases' expectations too.
#[test]
fn committed_hostile_fixtures() {
    let cases = corpus::byte_cases(false);
    let committed: Vec<&Case> = cases.iter().filter(|c| fixture_path(c).exists()).collect();
    assert!(committed.len() >= 30, "only {} fixtures committed", committed.len());
    let owned: Vec<Case> = committed
        .iter()
        .map(|c| Case {
            name: c.name,
            file: c.file,
            kind: c.kind,
            input: Input::Bytes(std::fs::read(fixture_path(c)).unwrap()),
            expect: match &c.expect {
                Expect::Refused { is, says } => Expect::Refused { is: *is, says },
                Expect::Planned { added, rejected, says, check } => {
                    Expect::Planned { added: *added, rejected: *rejected, says, check: *check }
                }
            },
        })
        .collect();
    let failures = run_all(&owned, &materialize);
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Where a case's committed copy lives.
pub fn fixture_path(c: &Case) -> PathBuf {
    let ext = c.file.rsplit_once('.').map_or("bin", |(_, e)| e);
    fixtures_dir().join(format!("{}.{ext}", c.name))
}

/// Likely duplicates merged or not, duplicates inside the file included: the preview's numbers
/// are the commit's numbers, and a stored record is written by one row at most.
#[test]
fn preview_counts_equal_the_result_with_and_without_merging() {
    let stored = "编号,姓名,工作单位\r\nZJ01,陈静,厦门大学材料学院\r\n";
    let files = [
        // Two new rows like the stored 陈静: only the first may be merged into it.
        "编号,姓名,工作单位\r\nZJ07,陈静,厦门大学 材料学院\r\nZJ08,陈 静,厦门大学材料学院（思明）\r\n",
        // One row names the stored record; a new row like it is not merged into it as well.
        "编号,姓名,工作单位\r\nZJ07,陈静,厦门大学 材料学院\r\n,陈静,厦门大学材料学院\r\n",
        // The same stored record by 编号 and by name: the second row is refused.
        "编号,姓名,工作单位,电话\r\nZJ01,陈静,厦门大学材料学院,13800000001\r\n,陈静,厦门大学材料学院,13800000002\r\n",
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, file) in files.iter().enumerate() {
        for merge in [false, true] {
            let (_d, mut core) = fresh_core();
            let path = dir.path().join("stored.csv");
            std::fs::write(&path, stored).unwrap();
            let plan = core.plan_file(&path, RecordKind::Expert).unwrap();
            core.commit_import(&plan, false, &mut |_, _| {}, None).unwrap();
            let path = dir.path().join(format!("file{i}.csv"));
            std::fs::write(&path, file).unwrap();
            let plan = core.plan_file(&path, RecordKind::Expert).unwrap();
            if i == 0 {
                let merged: Vec<Option<i64>> = plan.duplicates.iter().map(|d| d.other_id).collect();
                assert!(merged.len() == 2 && merged[0].is_some() && merged[1].is_none(), "{:?}", plan.duplicates);
            }
            let preview = plan.counts_with(merge);
            let report = text::import_report(&plan, merge);
            let done = core.commit_import(&plan, merge, &mut |_, _| {}, None).unwrap();
            assert_eq!(preview, done, "file {i}, merge {merge}:\n{report}");
            assert!(report.contains(&format!("新增 {} 条，更新 {} 条", done.added, done.updated)), "{report}");
            let experts = store::count(&core.conn, store::Table::Experts).unwrap() as usize;
            assert_eq!(experts, 1 + done.added, "file {i}, merge {merge}");
        }
    }
    // The third file: refused as a repeat of the first row.
    let (_d, mut core) = fresh_core();
    let path = dir.path().join("stored.csv");
    std::fs::write(&path, stored).unwrap();
    let plan = core.plan_file(&path, RecordKind::Expert).unwrap();
    core.commit_import(&plan, false, &mut |_, _| {}, None).unwrap();
    let path = dir.path().join("file2.csv");
    let plan = core.plan_file(&path, RecordKind::Expert).unwrap();
    let reasons: Vec<String> =
        plan.rejected.iter().flat_map(|r| r.reasons.iter().map(bole::engine::RowIssue::message)).collect();
    assert_eq!(reasons, vec!["“陈静”（厦门大学材料学院）与第 2 行重复"], "{reasons:?}");
}

/// A few hundred mutated inputs (the fuzz harness's smoke run): no panic escapes the readers,
/// none takes more than a few seconds.
#[test]
fn fuzz_smoke() {
    let seeds = fuzz::seeds();
    let taxonomy = Taxonomy::builtin();
    let conn = store::open_in_memory(&taxonomy).unwrap();
    let iterations: u64 = std::env::var("BOLE_FUZZ_SMOKE").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let mut slowest = (Duration::ZERO, 0);
    let (mut read, mut caught) = (0, 0);
    for seed in 0..iterations {
        let (name, bytes) = fuzz::input(&seeds, seed);
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fuzz::run(&name, &bytes, &conn, &taxonomy)))
            .unwrap_or_else(|_| panic!("seed {seed} ({name}, {} bytes) panicked outside the readers", bytes.len()));
        assert!(out.elapsed < Duration::from_secs(5), "seed {seed} ({name}) took {:?}", out.elapsed);
        if out.elapsed > slowest.0 {
            slowest = (out.elapsed, seed);
        }
        read += usize::from(out.result.starts_with("ok"));
        caught += usize::from(out.caught.is_some());
    }
    eprintln!(
        "{iterations} mutated inputs ({read} read, {caught} panics caught inside the readers), slowest seed {} in {:?}",
        slowest.1, slowest.0
    );
}
