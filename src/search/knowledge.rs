//! The knowledge files analysed once, for search and matching: synonym groups by their analysed terms,
//! problem→discipline links, the generic words, the classifier (taxonomy names, aliases and
//! terms, and the discipline names experts write) and the relation between taxonomy nodes
//! (same node, parent and child, siblings, `related`). Every piece keeps what it came from, so a
//! suggestion can name the piece of knowledge that fired.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::Analyzer;
use crate::domain::{Knowledge, Taxonomy};
use crate::util::norm_key;

/// The analysed parts of a written term (its non-sub query terms).
pub fn parts(analyzer: &Analyzer, text: &str) -> Vec<String> {
    analyzer.query_terms(text).into_iter().filter(|q| !q.sub).map(|q| q.text).collect()
}

/// A synonym group member: as written, and its analysed parts.
#[derive(Debug, Clone)]
pub struct Member {
    pub written: String,
    pub parts: Vec<String>,
}

/// Where a taxonomy node's evidence came from.
#[derive(Debug, Clone, PartialEq)]
pub enum ClassSource {
    /// The node's name.
    Name,
    /// One of its aliases.
    Alias,
    /// One of its domain terms.
    Term,
    /// A discipline that serves it (index into `Knowledge::disciplines`).
    Discipline(usize),
}

/// A piece of classification evidence, for counting each once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Evidence<'a> {
    Word(&'a str),
    Discipline(usize),
}

/// One classifier entry: a written form, its analysed parts, the node it points to and how
/// strongly.
#[derive(Debug, Clone)]
struct Entry {
    node: usize,
    written: String,
    parts: Vec<String>,
    weight: f64,
    source: ClassSource,
}

/// A node a text was classified into, with its confidence (0–1) and the words that led to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    pub node: usize,
    pub code: String,
    pub confidence: f64,
    pub evidence: Vec<String>,
}

/// A problem link with its symptoms and disciplines analysed.
#[derive(Debug, Clone)]
pub struct PreparedLink {
    pub id: String,
    pub note: String,
    /// (written, normalised key) of each symptom, longest first.
    pub symptoms: Vec<(String, String)>,
    /// Each discipline: written and analysed.
    pub disciplines: Vec<Member>,
}

/// The knowledge analysed once.
pub struct Prepared {
    /// Synonym groups.
    pub groups: Vec<Vec<Member>>,
    /// First analysed part → (group, member).
    pub by_first: HashMap<String, Vec<(usize, usize)>>,
    pub links: Vec<PreparedLink>,
    /// Generic words (analysed, lower-case): never evidence on their own.
    pub generic: HashSet<String>,
    entries: Vec<Entry>,
    /// First analysed part → classifier entries.
    entry_by_first: HashMap<String, Vec<usize>>,
    /// Taxonomy codes by node index.
    pub codes: Vec<String>,
    /// Node index of each node's field (itself for a field).
    pub field: Vec<usize>,
    /// relation[a * n + b]: how well an expert of node b fits a problem of node a (1 for the
    /// same node).
    relation: Vec<f32>,
}

/// How much going up from a subfield to its field (or across to a sibling) keeps.
const UP: f32 = 0.7;
/// What evidence found only inside a longer word keeps of its weight.
const INNER: f64 = 0.5;
/// How much two subfields of the same field share.
const SIBLING: f32 = 0.3;

impl Prepared {
    pub fn new(analyzer: &Analyzer, knowledge: &Knowledge) -> Self {
        let mut groups = Vec::new();
        let mut by_first: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for g in &knowledge.synonyms {
            let members: Vec<Member> = g
                .terms
                .iter()
                .map(|t| Member { written: t.clone(), parts: parts(analyzer, t) })
                .filter(|m| !m.parts.is_empty())
                .collect();
            for (mi, m) in members.iter().enumerate() {
                by_first.entry(m.parts[0].clone()).or_default().push((groups.len(), mi));
            }
            groups.push(members);
        }
        let mut links: Vec<PreparedLink> = knowledge
            .links
            .iter()
            .map(|l| {
                let mut symptoms: Vec<(String, String)> =
                    l.symptoms.iter().map(|s| (s.clone(), norm_key(s))).filter(|(_, k)| !k.is_empty()).collect();
                symptoms.sort_by_key(|s| std::cmp::Reverse(s.1.chars().count()));
                let disciplines = l
                    .disciplines
                    .iter()
                    .map(|d| Member { written: d.clone(), parts: parts(analyzer, d) })
                    .filter(|m| !m.parts.is_empty())
                    .collect();
                PreparedLink { id: l.id.clone(), note: l.note.clone(), symptoms, disciplines }
            })
            .collect();
        links.retain(|l| !l.symptoms.is_empty() && !l.disciplines.is_empty());
        let mut generic = HashSet::new();
        for w in &knowledge.generic {
            generic.insert(norm_key(w));
            for p in parts(analyzer, w) {
                // English words are stemmed (materials → materi); a Chinese word only counts
                // whole (高性能 does not make 性能's neighbours generic).
                if w.is_ascii() || p.chars().count() == w.chars().count() || p == norm_key(w) {
                    generic.insert(p);
                }
            }
        }
        let tax = &knowledge.taxonomy;
        let (codes, field) = node_tables(tax);
        let mut p = Prepared {
            groups,
            by_first,
            links,
            generic,
            entries: Vec::new(),
            entry_by_first: HashMap::new(),
            relation: relation(tax, &codes, &field),
            codes,
            field,
        };
        p.add_entries(analyzer, knowledge);
        p
    }

    fn add_entries(&mut self, analyzer: &Analyzer, knowledge: &Knowledge) {
        let tax = &knowledge.taxonomy;
        let mut add = |node: usize, written: &str, weight: f64, source: ClassSource| {
            let parts = parts(analyzer, written);
            if parts.is_empty() {
                return;
            }
            self.entry_by_first.entry(parts[0].clone()).or_default().push(self.entries.len());
            self.entries.push(Entry { node, written: written.to_string(), parts, weight, source });
        };
        // A word listed under several nodes says less about each.
        let mut spread: HashMap<String, usize> = HashMap::new();
        for n in tax.nodes() {
            for w in std::iter::once(&n.name).chain(&n.aliases).chain(&n.terms) {
                *spread.entry(norm_key(w)).or_default() += 1;
            }
        }
        let shared = |w: &str| 1.0 / (spread.get(&norm_key(w)).copied().unwrap_or(1).max(1) as f64).sqrt();
        for (i, n) in tax.nodes().iter().enumerate() {
            add(i, &n.name, 0.9 * shared(&n.name), ClassSource::Name);
            for a in &n.aliases {
                add(i, a, 0.8 * shared(a), ClassSource::Alias);
            }
            for t in &n.terms {
                // Longer terms say more (氟化氢回转炉 vs 含氟).
                let w = match t.chars().count() {
                    0..=2 => 0.35,
                    3 => 0.45,
                    _ => 0.55,
                };
                add(i, t, w * shared(t), ClassSource::Term);
            }
        }
        let index: HashMap<&str, usize> = tax.nodes().iter().enumerate().map(|(i, n)| (n.code.as_str(), i)).collect();
        for (di, d) in knowledge.disciplines.iter().enumerate() {
            for (code, strength) in &d.serves {
                let Some(&node) = index.get(code.as_str()) else { continue };
                for written in std::iter::once(&d.name).chain(&d.aliases) {
                    add(node, written, *strength, ClassSource::Discipline(di));
                }
            }
        }
    }

    /// The analysed parts of every synonym of the members present in `terms` (a member is
    /// present when all its parts are), each once, in group order.
    pub fn synonyms_of(&self, terms: &HashSet<&str>) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = Vec::new();
        let mut groups: Vec<usize> = Vec::new();
        for t in terms {
            for &(g, m) in self.by_first.get(*t).into_iter().flatten() {
                if self.groups[g][m].parts.iter().all(|p| terms.contains(p.as_str())) && !groups.contains(&g) {
                    groups.push(g);
                }
            }
        }
        groups.sort_unstable();
        for g in groups {
            for member in &self.groups[g] {
                if !member.parts.iter().all(|p| terms.contains(p.as_str())) && !out.contains(&member.parts) {
                    out.push(member.parts.clone());
                }
            }
        }
        out
    }

    pub fn nodes(&self) -> usize {
        self.codes.len()
    }

    /// How well an expert of node `b` fits a problem of node `a`.
    pub fn relation(&self, a: usize, b: usize) -> f32 {
        self.relation[a * self.codes.len() + b]
    }

    /// Whether an analysed term is a generic word (or too short to say anything).
    pub fn is_generic(&self, term: &str) -> bool {
        self.generic.contains(term) || weak_fragment(term)
    }

    /// The nodes a set of analysed terms points to, best first (ties by code): each entry whose
    /// parts are all present adds its weight (noisy-or per node), so two independent terms make a
    /// surer classification than one. Nodes below `min` are left out.
    /// `terms` maps each analysed term to whether it occurs only inside longer words (金属材料 in
    /// 无机非金属材料): such evidence counts [`INNER`] of its weight.
    pub fn classify(&self, terms: &HashMap<&str, bool>, min: f64) -> Vec<Classification> {
        // The best weight per (node, piece of evidence): a discipline counts once per node
        // however many of its names appear; a word counts once per node.
        let mut best: BTreeMap<(usize, Evidence<'_>), (f64, &str)> = BTreeMap::new();
        for t in terms.keys() {
            for &i in self.entry_by_first.get(*t).into_iter().flatten() {
                let e = &self.entries[i];
                let Some(inner) = e.parts.iter().map(|p| terms.get(p.as_str()).copied()).collect::<Option<Vec<bool>>>()
                else {
                    continue;
                };
                let weight = if inner.iter().any(|x| *x) { e.weight * INNER } else { e.weight };
                let key = match e.source {
                    ClassSource::Discipline(d) => Evidence::Discipline(d),
                    _ => Evidence::Word(&e.written),
                };
                let slot = best.entry((e.node, key)).or_insert((0.0, &e.written));
                // Equal weights: the name first in text order (not whichever word came first).
                if weight > slot.0 || (weight == slot.0 && e.written.as_str() < slot.1) {
                    *slot = (weight, &e.written);
                }
            }
        }
        let mut found: BTreeMap<usize, (f64, Vec<&str>)> = BTreeMap::new();
        for ((node, _), (w, written)) in best {
            let slot = found.entry(node).or_insert((0.0, Vec::new()));
            slot.0 = 1.0 - (1.0 - slot.0) * (1.0 - w);
            slot.1.push(written);
        }
        let mut out: Vec<Classification> = found
            .into_iter()
            .filter(|(_, (c, _))| *c >= min)
            .map(|(node, (confidence, mut ev))| {
                ev.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
                ev.dedup();
                Classification {
                    node,
                    code: self.codes[node].clone(),
                    confidence,
                    evidence: ev.into_iter().take(4).map(String::from).collect(),
                }
            })
            .collect();
        out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.code.cmp(&b.code)));
        out
    }

    /// The discipline entries found among the terms (for reasons: "有色金属冶金 → 稀土分离").
    pub fn disciplines_in(&self, terms: &HashMap<&str, bool>) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for t in terms.keys() {
            for &i in self.entry_by_first.get(*t).into_iter().flatten() {
                let e = &self.entries[i];
                if let ClassSource::Discipline(d) = e.source
                    && e.parts.iter().all(|p| terms.contains_key(p.as_str()))
                    && !out.iter().any(|(x, _)| *x == d)
                {
                    out.push((d, e.written.clone()));
                }
            }
        }
        out.sort();
        out
    }
}

/// A single character, a pure number or a two-letter Latin fragment says nothing on its own —
/// except the Chinese name of a chemical element (钛, 氢, 锂: one character, a whole material).
pub fn weak_fragment(term: &str) -> bool {
    let n = term.chars().count();
    if n == 1 && term.chars().all(|c| ELEMENTS.contains(c)) {
        return false;
    }
    n <= 1 || term.chars().all(|c| c.is_ascii_digit() || c == '.') || (n <= 2 && term.is_ascii())
}

/// The one-character Chinese names of the chemical elements.
const ELEMENTS: &str = "氢氦锂铍硼碳氮氧氟氖钠镁铝硅磷硫氯氩钾钙钪钛钒铬锰铁钴镍铜锌镓锗砷硒溴氪铷锶钇锆铌钼锝钌铑钯银镉铟锡锑碲碘氙铯钡镧铈镨钕钷钐铕钆铽镝钬铒铥镱镥铪钽钨铼锇铱铂金汞铊铅铋钋砹氡钫镭锕钍镤铀镎钚";

/// Codes by node index, and each node's field index.
fn node_tables(tax: &Taxonomy) -> (Vec<String>, Vec<usize>) {
    let codes: Vec<String> = tax.nodes().iter().map(|n| n.code.clone()).collect();
    let index: HashMap<&str, usize> = codes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let field = tax.nodes().iter().enumerate().map(|(i, n)| n.parent.as_deref().map_or(i, |p| index[p])).collect();
    (codes, field)
}

/// relation[a][b]: 1 for the same node; a `related` entry in either direction (strength);
/// through the fields: each step up (subfield → field) keeps [`UP`]. So a field and its
/// subfield relate by 0.7, siblings by [`SIBLING`], and FL01 (related PM 0.6) to PM01 by 0.42.
fn relation(tax: &Taxonomy, codes: &[String], field: &[usize]) -> Vec<f32> {
    let n = codes.len();
    let index: HashMap<&str, usize> = codes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let mut direct = vec![0f32; n * n];
    for i in 0..n {
        direct[i * n + i] = 1.0;
    }
    for (a, node) in tax.nodes().iter().enumerate() {
        for (code, s) in &node.related {
            if let Some(&b) = index.get(code.as_str()) {
                #[allow(clippy::cast_possible_truncation)]
                let s = *s as f32;
                direct[a * n + b] = direct[a * n + b].max(s);
                direct[b * n + a] = direct[b * n + a].max(s);
            }
        }
    }
    let mut rel = vec![0f32; n * n];
    for a in 0..n {
        for b in 0..n {
            let ups = |x: usize| if field[x] == x { vec![(x, 1.0)] } else { vec![(x, 1.0), (field[x], UP)] };
            let mut best = 0f32;
            for (x, fx) in ups(a) {
                for (y, fy) in ups(b) {
                    best = best.max(direct[x * n + y] * fx * fy);
                }
            }
            // Two subfields of one field share less than a subfield and its field.
            if a != b && field[a] == field[b] && field[a] != a && field[b] != b {
                best = best.min(SIBLING).max(direct[a * n + b]);
            }
            rel[a * n + b] = best;
        }
    }
    rel
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared() -> (Prepared, Analyzer, Knowledge) {
        let k = Knowledge::builtin();
        let a = Analyzer::new(&k.vocabulary());
        (Prepared::new(&a, &k), a, k)
    }

    fn classify(p: &Prepared, a: &Analyzer, text: &str) -> Vec<Classification> {
        let terms: Vec<String> = a.words(text).into_iter().map(|t| t.text).collect();
        let set: HashMap<&str, bool> = terms.iter().map(|t| (t.as_str(), false)).collect();
        p.classify(&set, 0.3)
    }

    #[test]
    fn demands_and_one_line_experts_land_in_their_subfield() {
        let (p, a, k) = prepared();
        let c = classify(&p, &a, "我司六氟磷酸锂结晶工序收率偏低，产品游离酸和水分超标");
        assert_eq!(c.first().map(|c| c.code.as_str()), Some("FL05"), "{c:?}");
        assert!(c[0].evidence.iter().any(|t| t == "六氟磷酸锂"));
        let c = classify(&p, &a, "压铸件气孔多，A356铝合金T6热处理后强度不够");
        assert_eq!(c.first().map(|c| k.taxonomy.field_of(&c.code)), Some("LW"), "{c:?}");
        // A one-line entry naming a discipline is classified through disciplines.toml.
        let c = classify(&p, &a, "研究领域：有色金属冶金");
        assert!(!c.is_empty(), "有色金属冶金 serves nodes");
        let c = classify(&p, &a, "稀土永磁材料");
        assert_eq!(c.first().map(|c| c.code.as_str()), Some("RE01"), "{c:?}");
        assert!(classify(&p, &a, "希望与高校合作").is_empty());
    }

    #[test]
    fn relations_go_through_fields_and_related_nodes() {
        let (p, _, k) = prepared();
        let idx = |code: &str| k.taxonomy.nodes().iter().position(|n| n.code == code).unwrap();
        assert_eq!(p.relation(idx("NE01"), idx("NE01")), 1.0);
        assert!((p.relation(idx("NE01"), idx("NE")) - 0.7).abs() < 1e-6);
        assert!((p.relation(idx("NE01"), idx("NE02")) - SIBLING).abs() < 1e-6);
        assert!(p.relation(idx("FL01"), idx("PM")) >= 0.5, "含氟聚合物 is related to 高分子");
        assert_eq!(p.relation(idx("FL01"), idx("SC01")), 0.0);
    }

    #[test]
    fn generic_words_and_fragments() {
        let (p, _, _) = prepared();
        for w in ["材料", "性能", "高", "4h", "12"] {
            assert!(p.is_generic(w), "{w}");
        }
        assert!(!p.is_generic("钛") && !p.is_generic("氢"), "an element is a material");
        assert!(!p.is_generic("碳化硅"));
        assert!(!p.is_generic("pvdf"));
    }
}
