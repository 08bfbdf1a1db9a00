//! Fuzzing the file readers on stable Rust: mutations of the hostile corpus (tests/hostile/) fed to
//! the xlsx/xls/ods/csv readers, the header detection and the import plan, as `bole import` reads a
//! file. Each input comes from one seed, so a finding is reproduced by its seed.
//!
//! ```text
//! cargo run --example fuzz_readers -- --minutes 5            # run (children of 500 inputs each)
//! cargo run --example fuzz_readers -- --seed 1234 --show     # one input: details, saved to the temp folder
//! cargo run --example fuzz_readers -- --write-corpus tests/fixtures/hostile
//! ```
//!
//! The inputs run in child processes (this program again, with `--child`), under a 6 GB address
//! space limit where `sh -c ulimit` is available: a panic escaping the readers, a crash (an
//! allocation failing, a stack overflow), an input running over 5 s or one taking over 1 GB of
//! memory is reported with its seed; a child silent for 20 s is killed and its seed reported as a
//! hang. Panics inside calamine are caught by the readers (they become “damaged file”); where they
//! happened is counted, to tell calamine's from ours.
#![allow(clippy::unwrap_used, reason = "a harness fails loudly")]

#[path = "../tests/hostile/corpus.rs"]
#[allow(dead_code)]
mod corpus;
#[path = "../tests/hostile/fuzz.rs"]
mod fuzz;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bole::domain::Taxonomy;

const SLOW: Duration = Duration::from_secs(5);
const BIG_MB: u64 = 1024;
const SILENT: Duration = Duration::from_secs(20);
const BATCH: u64 = 500;

struct Args {
    minutes: f64,
    iters: Option<u64>,
    seed: u64,
    child: bool,
    show: bool,
    write_corpus: Option<String>,
}

fn args() -> Args {
    let mut a = Args { minutes: 1.0, iters: None, seed: 1, child: false, show: false, write_corpus: None };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        match k.as_str() {
            "--minutes" => a.minutes = it.next().and_then(|v| v.parse().ok()).unwrap_or(1.0),
            "--iters" => a.iters = it.next().and_then(|v| v.parse().ok()),
            "--seed" => a.seed = it.next().and_then(|v| v.parse().ok()).unwrap_or(1),
            "--child" => a.child = true,
            "--show" => a.show = true,
            "--write-corpus" => a.write_corpus = it.next(),
            "--bench" => {}
            other => eprintln!("unknown argument {other}"),
        }
    }
    a
}

fn main() {
    let a = args();
    if let Some(dir) = &a.write_corpus {
        write_corpus(dir);
    } else if a.child {
        child(a.seed, a.iters.unwrap_or(BATCH), a.show);
    } else if a.show {
        child(a.seed, 1, true);
    } else {
        parent(&a);
    }
}

/// Writes the small byte cases of the corpus (≤ 32 KB) as tests/fixtures/hostile/<case>.<ext>.
fn write_corpus(dir: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let mut n = 0;
    for c in corpus::byte_cases(false) {
        let Some(b) = c.bytes() else { continue };
        if b.len() > 32 * 1024 {
            continue;
        }
        let ext = c.file.rsplit_once('.').map_or("bin", |(_, e)| e);
        std::fs::write(format!("{dir}/{}.{ext}", c.name), b).unwrap();
        n += 1;
    }
    println!("{n} files written to {dir}");
}

/// Runs `iters` inputs from `seed` on, one line each on stdout: `ok <seed> <ms> <peak MB> <result>`,
/// with `caught <seed> <where>` for panics the readers turned into errors.
fn child(seed: u64, iters: u64, show: bool) {
    let seeds = fuzz::seeds();
    let taxonomy = Taxonomy::builtin();
    let conn = bole::store::open_in_memory(&taxonomy).unwrap();
    for s in seed..seed + iters {
        let (name, bytes) = fuzz::input(&seeds, s);
        if show {
            let path = std::env::temp_dir().join(format!("fuzz-{s}-{name}"));
            std::fs::write(&path, &bytes).unwrap();
            eprintln!("seed {s}: {name}, {} bytes, saved as {}", bytes.len(), path.display());
        }
        fuzz::reset_peak();
        let Ok(out) =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fuzz::run(&name, &bytes, &conn, &taxonomy)))
        else {
            println!("panic {s} {name}");
            continue;
        };
        if let Some(at) = &out.caught {
            println!("caught {s} {at}");
        }
        println!("ok {s} {} {} {}", out.elapsed.as_millis(), fuzz::peak_mb(), out.result);
    }
}

#[derive(Default)]
struct Report {
    inputs: u64,
    results: BTreeMap<String, u64>,
    caught: BTreeMap<String, Vec<u64>>,
    findings: Vec<String>,
    slowest: (u128, u64),
    biggest: (u64, u64),
}

fn parent(a: &Args) {
    let deadline = Instant::now() + Duration::from_secs_f64(a.minutes * 60.0);
    let total = a.iters;
    let exe = std::env::current_exe().unwrap();
    let mut report = Report::default();
    let mut next = a.seed;
    let started = Instant::now();
    while total.map_or(Instant::now() < deadline, |t| next < a.seed + t) {
        let n = total.map_or(BATCH, |t| BATCH.min(a.seed + t - next));
        next = batch(&exe, next, n, &mut report);
    }
    println!(
        "fuzz_readers: {} inputs in {:.1} min from seed {}",
        report.inputs,
        started.elapsed().as_secs_f64() / 60.0,
        a.seed
    );
    println!(
        "slowest: seed {} in {} ms; largest peak: seed {} at {} MB",
        report.slowest.1, report.slowest.0, report.biggest.1, report.biggest.0
    );
    println!("results:");
    for (r, n) in &report.results {
        println!("  {n:>7}  {r}");
    }
    println!("panics caught inside the readers (file damaged), by place:");
    for (at, seeds) in &report.caught {
        println!("  {:>7}  {at} (e.g. seed {})", seeds.len(), seeds[0]);
    }
    if report.findings.is_empty() {
        println!("findings: none");
    } else {
        println!("findings:");
        for f in &report.findings {
            println!("  {f}");
        }
        std::process::exit(1);
    }
}

/// One child over seeds `from..from + n`; returns the next seed to run.
fn batch(exe: &std::path::Path, from: u64, n: u64, r: &mut Report) -> u64 {
    let args = ["--child".to_string(), "--seed".into(), from.to_string(), "--iters".into(), n.to_string()];
    let mut cmd = if std::path::Path::new("/bin/sh").exists() {
        let mut c = Command::new("/bin/sh");
        c.arg("-c").arg("ulimit -v 6000000 2>/dev/null; exec \"$0\" \"$@\"").arg(exe).args(&args);
        c
    } else {
        let mut c = Command::new(exe);
        c.args(&args);
        c
    };
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("fuzz-reader".into())
        .spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        })
        .unwrap();
    let mut last = from.wrapping_sub(1);
    loop {
        match rx.recv_timeout(SILENT) {
            Ok(line) => last = take_line(&line, last, r),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                r.findings.push(format!("seed {}: no answer for {} s (a hang)", last + 1, SILENT.as_secs()));
                return last + 2;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    let status = child.wait().unwrap();
    if last.wrapping_add(1) < from + n {
        r.findings.push(format!(
            "seed {}: the child died ({status}): a crash or an allocation failure",
            last.wrapping_add(1)
        ));
        return last.wrapping_add(2);
    }
    from + n
}

fn take_line(line: &str, last: u64, r: &mut Report) -> u64 {
    let mut parts = line.splitn(6, ' ');
    let kind = parts.next().unwrap_or("");
    let seed: u64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(last);
    match kind {
        "ok" => {
            let ms: u128 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            let mb: u64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            let result = parts.collect::<Vec<_>>().join(" ");
            r.inputs += 1;
            let class =
                result.split(' ').take(if result.starts_with("ok") { 1 } else { 2 }).collect::<Vec<_>>().join(" ");
            *r.results.entry(class).or_default() += 1;
            if ms > r.slowest.0 {
                r.slowest = (ms, seed);
            }
            if mb > r.biggest.0 {
                r.biggest = (mb, seed);
            }
            if ms > SLOW.as_millis() {
                r.findings.push(format!("seed {seed}: {ms} ms"));
            }
            if mb > BIG_MB {
                r.findings.push(format!("seed {seed}: {mb} MB"));
            }
            seed
        }
        "caught" => {
            let at = parts.next().unwrap_or("").to_string();
            r.caught.entry(at).or_default().push(seed);
            last
        }
        "panic" => {
            r.findings.push(format!("seed {seed}: a panic escaped the readers ({})", parts.next().unwrap_or("")));
            seed
        }
        _ => last,
    }
}
