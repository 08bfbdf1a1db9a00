//! Writing the knowledge back as the TOML files it is read from (`taxonomy.toml`, `synonyms.toml`,
//! `problem_links.toml`, `disciplines.toml`), so an edited knowledge is exported, imported and
//! parsed again exactly as a hand-written file is.
//!
//! Comments are kept where they can be: the comment block at the head of the previous text of the
//! file, and the comment lines right before an entry (a section title such as
//! `# ===== 氟化工 =====`), found again by the entry's key (a node's code, a link's id, a synonym
//! group's first word). Comments inside an entry are not kept.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::knowledge::{Discipline, ProblemLink, SynonymGroup};
use super::taxonomy::{Taxonomy, TaxonomyNode};

/// Arrays longer than this (in characters) are wrapped, with lines of about `WRAP` characters.
const ONE_LINE: usize = 200;
const WRAP: usize = 120;

/// A TOML basic string, escaped.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number that TOML reads back as a float (`1` would be an integer).
fn float(f: f64) -> String {
    let s = format!("{f}");
    if s.contains(['.', 'e', 'E']) || !f.is_finite() { s } else { format!("{s}.0") }
}

/// `key = [ … ]`, on one line when short, else wrapped with two spaces of indent.
fn array(out: &mut String, key: &str, items: &[String]) {
    let parts: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    let one = format!("{key} = [{}]", parts.join(", "));
    if one.chars().count() <= ONE_LINE {
        out.push_str(&one);
        out.push('\n');
        return;
    }
    let _ = writeln!(out, "{key} = [");
    let mut line = String::from(" ");
    for p in parts {
        if line.chars().count() + p.chars().count() + 2 > WRAP && !line.trim().is_empty() {
            let _ = writeln!(out, "{line}");
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(&p);
        line.push(',');
    }
    if !line.trim().is_empty() {
        let _ = writeln!(out, "{line}");
    }
    out.push_str("]\n");
}

/// `key = { A = 0.5, B = 0.3 }`.
fn strengths(out: &mut String, key: &str, items: &[(String, f64)]) {
    let parts: Vec<String> = items
        .iter()
        .map(|(c, s)| {
            let bare = !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-');
            let k = if bare { c.clone() } else { quoted(c) };
            format!("{k} = {}", float(*s))
        })
        .collect();
    let _ = writeln!(out, "{key} = {{ {} }}", parts.join(", "));
}

/// The comments of a file's previous text: its head, and the lines right before each entry.
struct Comments {
    head: Vec<String>,
    /// Top-level `key = value` lines between the head and the first entry (`version = 1`).
    preamble: Vec<String>,
    before: HashMap<String, Vec<String>>,
}

/// Splits `previous` into its head comments and the comments before each `[[…]]` entry, keyed by
/// `key_of` applied to the lines of the entry.
fn comments(previous: &str, key_of: fn(&str) -> Option<String>) -> Comments {
    let mut head = Vec::new();
    let mut preamble = Vec::new();
    let mut before = HashMap::new();
    let mut pending: Vec<String> = Vec::new();
    let mut in_head = true;
    let mut waiting: Option<Vec<String>> = None;
    // The entry's lines so far, until its key is found (a key's array may start on the next line).
    let mut entry = String::new();
    for line in previous.lines() {
        let t = line.trim();
        if t.starts_with("[[") {
            if in_head {
                // The comments after the head's last blank line belong to the first entry.
                if let Some(cut) = head.iter().rposition(String::is_empty) {
                    pending = head.split_off(cut + 1);
                }
                while head.last().is_some_and(String::is_empty) {
                    head.pop();
                }
            }
            in_head = false;
            // An entry without a key line before this one: its comments go with nothing.
            waiting = Some(std::mem::take(&mut pending));
            entry.clear();
            continue;
        }
        if t.starts_with('#') {
            if in_head {
                head.push(line.to_string());
            } else {
                pending.push(line.to_string());
            }
            continue;
        }
        if t.is_empty() {
            if in_head && preamble.is_empty() && !head.is_empty() {
                head.push(String::new());
            } else if !in_head && !pending.is_empty() {
                pending.push(String::new());
            }
            continue;
        }
        if in_head {
            preamble.push(line.to_string());
            continue;
        }
        if waiting.is_none() {
            continue;
        }
        entry.push_str(t);
        entry.push(' ');
        if let Some(key) = key_of(entry.trim())
            && let Some(p) = waiting.take()
            && !p.is_empty()
        {
            before.insert(key, p);
        }
    }
    Comments { head, preamble, before }
}

/// The first string value of a line `name = "…"` or `name = ["…", …]`.
fn first_string(line: &str, name: &str) -> Option<String> {
    let rest = line.strip_prefix(name)?.trim_start().strip_prefix('=')?.trim_start();
    let rest = rest.strip_prefix('[').map_or(rest, str::trim_start);
    let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &rest[1..];
    let end = body.find(q)?;
    Some(body[..end].to_string())
}

fn code_key(line: &str) -> Option<String> {
    first_string(line, "code")
}

fn id_key(line: &str) -> Option<String> {
    first_string(line, "id")
}

fn name_key(line: &str) -> Option<String> {
    first_string(line, "name")
}

fn terms_key(line: &str) -> Option<String> {
    first_string(line, "terms").map(|t| t.trim().to_string())
}

/// Writes the head comments (or `fallback` when the previous text had none) and the preamble.
fn head(out: &mut String, c: &Comments, fallback: &str) {
    if c.head.is_empty() {
        out.push_str(fallback);
    } else {
        for l in &c.head {
            out.push_str(l);
            out.push('\n');
        }
    }
    for l in &c.preamble {
        out.push_str(l);
        out.push('\n');
    }
}

/// The comment lines kept before an entry (with a blank line above them); whether there were any.
fn before(out: &mut String, c: &Comments, key: &str) -> bool {
    let Some(lines) = c.before.get(key) else { return false };
    let mut lines: &[String] = lines;
    while lines.last().is_some_and(String::is_empty) {
        lines = &lines[..lines.len() - 1];
    }
    out.push('\n');
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    true
}

const TAXONOMY_HEAD: &str = "# 新材料细分领域 — written by Bole's knowledge editor.\n\
# Codes are STABLE: never renumber or reuse a code; add new nodes with new codes.\n\
# name: the node's name; aliases: other names; terms: domain words; related: nodes (code = strength 0–1).\n";

const SYNONYMS_HEAD: &str = "# Bole 同义词表 — written by Bole's knowledge editor.\n\
# Each [[group]] lists words that mean the same thing.\n";

const LINKS_HEAD: &str = "# Bole 问题-学科关联表 — written by Bole's knowledge editor.\n\
# Each [[link]]: id (stable), symptoms (shop-floor words), disciplines, note (shown as the reason).\n";

const DISCIPLINES_HEAD: &str = "# Bole 学科表 — written by Bole's knowledge editor.\n\
# Each [[discipline]]: name, aliases, serves (taxonomy code = strength 0–1), note.\n";

fn node(out: &mut String, n: &TaxonomyNode, table: &str) {
    let _ = writeln!(out, "[[{table}]]");
    let _ = writeln!(out, "code = {}", quoted(&n.code));
    let _ = writeln!(out, "name = {}", quoted(&n.name));
    if !n.aliases.is_empty() {
        array(out, "aliases", &n.aliases);
    }
    if !n.terms.is_empty() {
        array(out, "terms", &n.terms);
    }
    if !n.related.is_empty() {
        strengths(out, "related", &n.related);
    }
}

/// `taxonomy.toml` for a taxonomy; `previous` is the file's former text (for its comments).
pub fn taxonomy_toml(t: &Taxonomy, previous: &str) -> String {
    let c = comments(previous, code_key);
    let mut out = String::new();
    head(&mut out, &c, TAXONOMY_HEAD);
    if c.preamble.is_empty() {
        out.push_str("version = 1\n");
    }
    for f in t.fields() {
        if !before(&mut out, &c, &f.code) {
            out.push('\n');
        }
        node(&mut out, f, "field");
        for s in t.children(&f.code) {
            if !before(&mut out, &c, &s.code) {
                out.push('\n');
            }
            node(&mut out, s, "field.children");
        }
    }
    out
}

/// `synonyms.toml` for some groups.
pub fn synonyms_toml(groups: &[SynonymGroup], previous: &str) -> String {
    let c = comments(previous, terms_key);
    let mut out = String::new();
    head(&mut out, &c, SYNONYMS_HEAD);
    for g in groups {
        if let Some(first) = g.terms.first() {
            let _ = before(&mut out, &c, first);
        }
        out.push_str("[[group]]\n");
        array(&mut out, "terms", &g.terms);
    }
    out
}

/// `problem_links.toml` for some links.
pub fn links_toml(links: &[ProblemLink], previous: &str) -> String {
    let c = comments(previous, id_key);
    let mut out = String::new();
    head(&mut out, &c, LINKS_HEAD);
    for l in links {
        if !before(&mut out, &c, &l.id) {
            out.push('\n');
        }
        out.push_str("[[link]]\n");
        let _ = writeln!(out, "id = {}", quoted(&l.id));
        array(&mut out, "symptoms", &l.symptoms);
        array(&mut out, "disciplines", &l.disciplines);
        let _ = writeln!(out, "note = {}", quoted(&l.note));
    }
    out
}

/// `disciplines.toml` for some disciplines.
pub fn disciplines_toml(list: &[Discipline], previous: &str) -> String {
    let c = comments(previous, name_key);
    let mut out = String::new();
    head(&mut out, &c, DISCIPLINES_HEAD);
    for d in list {
        if !before(&mut out, &c, &d.name) {
            out.push('\n');
        }
        out.push_str("[[discipline]]\n");
        let _ = writeln!(out, "name = {}", quoted(&d.name));
        if !d.aliases.is_empty() {
            array(&mut out, "aliases", &d.aliases);
        }
        if !d.serves.is_empty() {
            strengths(&mut out, "serves", &d.serves);
        }
        if !d.note.is_empty() {
            let _ = writeln!(out, "note = {}", quoted(&d.note));
        }
    }
    out
}

/// `generic_words.toml` for some words.
pub fn generic_toml(words: &[String], previous: &str) -> String {
    let mut out = String::new();
    let kept: Vec<&str> = previous.lines().take_while(|l| l.trim().starts_with('#') || l.trim().is_empty()).collect();
    if kept.iter().any(|l| !l.trim().is_empty()) {
        for l in kept {
            out.push_str(l);
            out.push('\n');
        }
    } else {
        out.push_str("# Bole 通用词 — written by Bole's knowledge editor.\n");
    }
    array(&mut out, "words", words);
    out
}

/// The files of a knowledge: the built-in texts when it is the built-in knowledge, else the
/// knowledge written out (with the built-in files' comments).
pub fn files_of(k: &super::Knowledge) -> super::KnowledgeFiles {
    let b = super::KnowledgeFiles::builtin();
    if b.parse().is_ok_and(|builtin| builtin.fingerprint == k.fingerprint) {
        return b;
    }
    super::KnowledgeFiles {
        taxonomy: taxonomy_toml(&k.taxonomy, &b.taxonomy),
        synonyms: synonyms_toml(&k.synonyms, &b.synonyms),
        links: links_toml(&k.links, &b.links),
        disciplines: disciplines_toml(&k.disciplines, &b.disciplines),
        generic: generic_toml(&k.generic, &b.generic),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::Knowledge;
    use crate::domain::knowledge::KnowledgeTexts;

    /// Everything but the fingerprint.
    pub(crate) fn same(a: &Knowledge, b: &Knowledge) -> bool {
        a.taxonomy.nodes() == b.taxonomy.nodes()
            && a.synonyms == b.synonyms
            && a.links == b.links
            && a.disciplines == b.disciplines
            && a.generic == b.generic
    }

    #[test]
    fn builtin_files_round_trip_with_their_comments() {
        let b = KnowledgeTexts::BUILTIN;
        let k = Knowledge::builtin();
        let taxonomy = taxonomy_toml(&k.taxonomy, b.taxonomy);
        let synonyms = synonyms_toml(&k.synonyms, b.synonyms);
        let links = links_toml(&k.links, b.links);
        let disciplines = disciplines_toml(&k.disciplines, b.disciplines);
        let texts = KnowledgeTexts {
            taxonomy: &taxonomy,
            synonyms: &synonyms,
            links: &links,
            disciplines: &disciplines,
            generic: b.generic,
        };
        let back = Knowledge::from_files(texts).unwrap();
        assert!(same(&k, &back));
        // Writing the parsed text again gives the same text (a fixed point).
        assert_eq!(taxonomy_toml(&back.taxonomy, &taxonomy), taxonomy);
        assert_eq!(synonyms_toml(&back.synonyms, &synonyms), synonyms);
        assert_eq!(links_toml(&back.links, &links), links);
        assert_eq!(disciplines_toml(&back.disciplines, &disciplines), disciplines);
        // A file that keeps to the format comes back as it was, comments and all.
        assert_eq!(synonyms, b.synonyms);
        // The head and the section titles are kept.
        assert!(taxonomy.starts_with("# 新材料细分领域"));
        assert!(taxonomy.contains("version = 1"));
        assert!(synonyms.contains("# ==================== 稀土功能材料 ===================="));
        assert!(links.contains("# ==================== 安全生产 ===================="));
    }

    #[test]
    fn strings_and_numbers_are_written_so_toml_reads_them_back() {
        let g = vec![SynonymGroup { terms: vec!["a\"b".into(), "c\\d".into(), "换行\n".into()] }];
        let text = synonyms_toml(&g, "");
        let k = Knowledge::from_texts(crate::domain::taxonomy::BUILTIN_TOML, &text, "").unwrap();
        assert_eq!(k.synonyms[0].terms, vec!["a\"b", "c\\d", "换行"]);
        assert_eq!(float(1.0), "1.0");
        assert_eq!(float(0.25), "0.25");
        assert!(text.starts_with("# Bole 同义词表"));
    }
}
