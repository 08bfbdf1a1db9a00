//! The layers hold by themselves: every module under src/ may use only the modules its row of the
//! table in ARCHITECTURE.md allows (its "may use" column). A `crate::x` (or, in main.rs,
//! `bole::x`) anywhere in a file — a `use` line or an inline path — counts, tests included.
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// layer → the layers it may use, from the ARCHITECTURE.md table.
fn table() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | `layer` | what it holds | may use |
        if cells.len() < 5 || !cells[1].starts_with('`') {
            continue;
        }
        let layer = cells[1].trim_matches('`').to_string();
        let may: BTreeSet<String> = cells[3]
            .split(',')
            .map(|s| s.trim().trim_matches('`').to_string())
            .filter(|s| !s.is_empty() && s != "–" && s != "-")
            .collect();
        out.insert(layer, may);
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The modules a file names through `prefix` (`crate::` or `bole::`).
fn used(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue; // e.g. `$crate::`
        }
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if name == "{" || name.is_empty() {
            // `use crate::{a, b}`: every name in the braces.
            if let Some(group) = rest.strip_prefix('{').and_then(|r| r.split_once('}')) {
                for part in group.0.split(',') {
                    let n: String = part.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if !n.is_empty() {
                        out.insert(n);
                    }
                }
            }
            continue;
        }
        out.insert(name);
    }
    out
}

#[test]
fn no_layer_imports_upward() {
    let table = table();
    assert!(table.len() >= 10, "the layer table was not found in ARCHITECTURE.md: {table:?}");
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).expect("under src");
        let first = rel.components().next().expect("a component").as_os_str().to_string_lossy().into_owned();
        let layer = first.trim_end_matches(".rs").to_string();
        if layer == "lib" {
            continue; // declares the modules
        }
        let Some(allowed) = table.get(&layer) else {
            problems.push(format!("{} belongs to `{layer}`, which has no row in ARCHITECTURE.md", rel.display()));
            continue;
        };
        let text = std::fs::read_to_string(f).expect("read");
        let prefix = if layer == "main" { "bole::" } else { "crate::" };
        for u in used(&text, prefix) {
            if u != layer && !allowed.contains(&u) && table.contains_key(&u) {
                problems.push(format!("{} (`{layer}`) uses `{u}`, which its row does not allow", rel.display()));
            }
        }
    }
    assert!(problems.is_empty(), "layer violations:\n{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_inline_paths_and_groups() {
    let text = "use crate::{domain::X, store};\nfn f() { crate::search::g(); let s = \"$crate::io\"; }";
    let got = used(text, "crate::");
    assert_eq!(got.into_iter().collect::<Vec<_>>(), vec!["domain", "search", "store"]);
}
