//! Mutations of the corpus for the fuzz harness (`examples/fuzz_readers.rs`) and its smoke run in
//! `tests/hostile.rs`: bit flips, interesting bytes, truncation, splicing, repeated ranges, huge
//! numbers, and changes inside a zip's parts (inflated, mutated, zipped again), each drawn from a
//! seeded xorshift so a seed reproduces its input exactly.

use std::io::Read;
use std::time::{Duration, Instant};

use super::corpus::{Rng, byte_cases, zip_of};
use bole::domain::{RecordKind, Taxonomy};
use bole::io::headers::{DemandField, ExpertField, detect};
use bole::io::{import, table};

/// A seed input: its file name (for the extension) and bytes.
#[derive(Clone)]
pub struct Seed {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The small byte cases of the corpus and the regular fixtures.
pub fn seeds() -> Vec<Seed> {
    let mut out: Vec<Seed> = byte_cases(false)
        .into_iter()
        .filter_map(|c| {
            let b = c.bytes()?.to_vec();
            (b.len() <= 64 * 1024).then(|| Seed { name: c.file.to_string(), bytes: b })
        })
        .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
        files.sort();
        for p in files {
            if let Ok(bytes) = std::fs::read(&p) {
                out.push(Seed { name: p.file_name().unwrap().to_string_lossy().into_owned(), bytes });
            }
        }
    }
    out
}

const INTERESTING: [u8; 12] = [0, 0xFF, 0x7F, 0x80, b'"', b',', b'\n', b'\r', b'<', b'>', b'9', b'/'];

fn flip_bits(r: &mut Rng, b: &mut [u8]) {
    if b.is_empty() {
        return;
    }
    for _ in 0..=r.below(8) {
        let i = r.below(b.len());
        b[i] ^= 1 << r.below(8);
    }
}

fn mutate_bytes(r: &mut Rng, mut b: Vec<u8>, other: &[u8]) -> Vec<u8> {
    match r.below(7) {
        0 => flip_bits(r, &mut b),
        1 if !b.is_empty() => {
            for _ in 0..=r.below(4) {
                let i = r.below(b.len());
                b[i] = INTERESTING[r.below(INTERESTING.len())];
            }
        }
        2 => b.truncate(r.below(b.len() + 1)),
        3 if !other.is_empty() => {
            // Splice: a piece of another seed, inserted or written over.
            let from = r.below(other.len());
            let len = r.below((other.len() - from).min(4096) + 1);
            let at = r.below(b.len() + 1);
            let piece = &other[from..from + len];
            if r.below(2) == 0 {
                b.splice(at..at, piece.iter().copied());
            } else {
                let end = (at + len).min(b.len());
                b.splice(at..end, piece.iter().copied());
            }
        }
        4 if !b.is_empty() => {
            // A range repeated.
            let from = r.below(b.len());
            let len = r.below((b.len() - from).min(256) + 1);
            let piece = b[from..from + len].to_vec();
            let times = 1 + r.below(64);
            for _ in 0..times {
                b.splice(from..from, piece.iter().copied());
            }
        }
        5 => {
            // A run of digits made huge (counts, repeats, row numbers, sizes).
            let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
            if let Some(&i) = digits.get(r.below(digits.len().max(1))) {
                let huge: &[u8] = [&b"99999999999"[..], b"4294967296", b"1048576", b"16384", b"0", b"-1"][r.below(6)];
                let mut j = i;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                b.splice(i..j, huge.iter().copied());
            }
        }
        _ => flip_bits(r, &mut b),
    }
    b
}

/// Mutates one part inside a zip (inflated first), keeping the rest.
fn mutate_zip(r: &mut Rng, b: &[u8], other: &[u8]) -> Option<Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(b)).ok()?;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).ok()?;
        let mut data = Vec::new();
        f.by_ref().take(1 << 20).read_to_end(&mut data).ok()?;
        parts.push((f.name().ok()?.into_owned(), data));
    }
    if parts.is_empty() {
        return None;
    }
    let i = r.below(parts.len());
    let data = std::mem::take(&mut parts[i].1);
    parts[i].1 = mutate_bytes(r, data, other);
    let refs: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    Some(zip_of(&refs))
}

/// The input of one fuzz iteration: (file name, bytes), all drawn from `seed`.
pub fn input(seeds: &[Seed], seed: u64) -> (String, Vec<u8>) {
    let mut r = Rng::new(seed);
    let s = &seeds[r.below(seeds.len())];
    let other = &seeds[r.below(seeds.len())].bytes;
    let mut bytes = s.bytes.clone();
    for _ in 0..=r.below(3) {
        bytes = if bytes.starts_with(b"PK") && r.below(3) > 0 {
            mutate_zip(&mut r, &bytes, other).unwrap_or_else(|| mutate_bytes(&mut r, bytes.clone(), other))
        } else {
            mutate_bytes(&mut r, bytes, other)
        };
    }
    // Now and then under another extension.
    let name = if r.below(8) == 0 {
        let ext = ["csv", "xlsx", "xls", "ods", "txt"][r.below(5)];
        format!("fuzz.{ext}")
    } else {
        s.name.clone()
    };
    (name, bytes)
}

/// What one iteration gave.
pub struct Outcome {
    /// "ok N" (tables), or the error's variant.
    pub result: String,
    pub elapsed: Duration,
    /// Where a panic caught inside the readers happened (turned into "damaged").
    pub caught: Option<String>,
}

/// Reads the bytes as `bole import` does (readers, header detection, the import plan on an empty
/// in-memory database); a panic escaping it propagates to the caller.
pub fn run(name: &str, bytes: &[u8], conn: &rusqlite::Connection, taxonomy: &Taxonomy) -> Outcome {
    let t = Instant::now();
    let result = match table::read_bytes(bytes, name) {
        Ok(tables) => {
            for t in &tables {
                let _ = detect::<ExpertField>(&t.rows);
                let _ = detect::<DemandField>(&t.rows);
            }
            let mut planned = String::new();
            for kind in [RecordKind::Expert, RecordKind::Demand] {
                match import::plan(conn, taxonomy, &tables, kind, name) {
                    Ok(p) => planned += &format!(" {}+{}", p.counts().added, p.counts().rejected),
                    Err(e) => planned += &format!(" {}", variant(&e)),
                }
            }
            format!("ok {}{planned}", tables.len())
        }
        Err(e) => variant(&e),
    };
    Outcome { result, elapsed: t.elapsed(), caught: table::take_caught_panic() }
}

/// An error's variant name (from its Debug form).
pub fn variant(e: &bole::io::FileError) -> String {
    let d = format!("{e:?}");
    d.split([' ', '(', '{']).next().unwrap_or("").to_string()
}

/// The peak resident memory of this process in MB since the last [`reset_peak`] (Linux; 0 elsewhere).
pub fn peak_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// Starts a new peak for [`peak_mb`] (Linux; best effort).
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
