//! The new-material subfield taxonomy (新材料细分领域): a two-level tree read from
//! `data/taxonomy.toml`, and the mapping of free subfield text from a spreadsheet onto its nodes.

use std::collections::HashMap;

use crate::util::{norm_key, similarity};

/// The taxonomy shipped in the binary (`data/taxonomy.toml`).
pub const BUILTIN_TOML: &str = include_str!("../../data/taxonomy.toml");

/// Fuzzy matches below this similarity are not trusted.
const FUZZY_THRESHOLD: f64 = 0.72;

#[derive(Debug, Clone, PartialEq)]
pub struct TaxonomyNode {
    /// Stable code: two letters for a field (`FL`), plus two digits for a subfield (`FL01`).
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    pub aliases: Vec<String>,
    pub terms: Vec<String>,
    /// Other nodes whose experts can often solve this node's problems, with a strength 0–1.
    pub related: Vec<(String, f64)>,
}

/// How a piece of subfield text was mapped onto a node.
#[derive(Debug, Clone, PartialEq)]
pub enum SubfieldMatch {
    /// The node's name or code, as written (after normalisation).
    Exact { code: String },
    /// One of the node's aliases.
    Alias { code: String, alias: String },
    /// A name or alias that contains the text or is contained in it.
    Contains { code: String, label: String },
    /// Close spelling of a name or alias (strsim).
    Fuzzy { code: String, label: String, score: f64 },
    /// One of the node's domain terms (e.g. `SiC` → 碳化硅).
    Term { code: String, term: String },
    /// Nothing fits: the text is kept as written and reported.
    Unmapped,
}

impl SubfieldMatch {
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Exact { code }
            | Self::Alias { code, .. }
            | Self::Contains { code, .. }
            | Self::Fuzzy { code, .. }
            | Self::Term { code, .. } => Some(code),
            Self::Unmapped => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    nodes: Vec<TaxonomyNode>,
    by_code: HashMap<String, usize>,
    /// Normalised names, codes and aliases → node index (and whether it is an alias).
    labels: HashMap<String, (usize, bool)>,
    /// (normalised label, index) for containment and fuzzy matching, longest first.
    label_list: Vec<(String, usize)>,
    /// (normalised term, index), longest first.
    term_list: Vec<(String, usize)>,
}

#[derive(serde::Deserialize)]
struct RawFile {
    field: Vec<RawNode>,
}

#[derive(serde::Deserialize)]
struct RawNode {
    code: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    related: std::collections::BTreeMap<String, f64>,
    #[serde(default)]
    children: Vec<RawNode>,
}

impl Taxonomy {
    /// The taxonomy compiled into the program.
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN_TOML).expect("data/taxonomy.toml is checked by the tests")
    }

    /// Parses and checks a taxonomy file; errors are in Chinese for the office staff who edit it.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let raw: RawFile = toml::from_str(text).map_err(|e| format!("分类文件格式错误：{e}"))?;
        let mut nodes = Vec::new();
        for f in raw.field {
            nodes.push(TaxonomyNode {
                code: f.code.trim().to_string(),
                name: f.name.trim().to_string(),
                parent: None,
                aliases: f.aliases,
                terms: f.terms,
                related: f.related.into_iter().collect(),
            });
            for c in f.children {
                if !c.children.is_empty() {
                    return Err(format!("分类“{}”：只支持两级分类", c.name));
                }
                // A subfield's code usually starts with its field's, but one moved to another
                // field keeps its code (codes are stable), so the prefix is not required.
                nodes.push(TaxonomyNode {
                    code: c.code.trim().to_string(),
                    name: c.name.trim().to_string(),
                    parent: Some(f.code.trim().to_string()),
                    aliases: c.aliases,
                    terms: c.terms,
                    related: c.related.into_iter().collect(),
                });
            }
        }
        Self::from_nodes(nodes)
    }

    pub fn from_nodes(nodes: Vec<TaxonomyNode>) -> Result<Self, String> {
        let mut by_code = HashMap::new();
        let mut labels: HashMap<String, (usize, bool)> = HashMap::new();
        let mut term_map: HashMap<String, usize> = HashMap::new();
        for (i, n) in nodes.iter().enumerate() {
            if n.code.is_empty() || n.name.is_empty() {
                return Err("分类文件中有空的编码或名称".into());
            }
            if by_code.insert(n.code.clone(), i).is_some() {
                return Err(format!("分类编码重复：{}", n.code));
            }
            let own = [(n.name.as_str(), false), (n.code.as_str(), false)];
            for (label, is_alias) in own.into_iter().chain(n.aliases.iter().map(|a| (a.as_str(), true))) {
                let k = norm_key(label);
                if k.is_empty() {
                    continue;
                }
                if let Some((j, _)) = labels.get(&k)
                    && *j != i
                {
                    return Err(format!("名称或别名“{label}”同时属于 {} 和 {}", nodes[*j].code, n.code));
                }
                labels.insert(k, (i, is_alias));
            }
            for t in &n.terms {
                let k = norm_key(t);
                if k.chars().count() >= 2 {
                    // A term listed under two nodes belongs to the first (file order).
                    term_map.entry(k).or_insert(i);
                }
            }
        }
        for n in &nodes {
            for (code, strength) in &n.related {
                if !by_code.contains_key(code) {
                    return Err(format!("分类 {} 的相关分类“{code}”不存在", n.code));
                }
                if !(0.0..=1.0).contains(strength) {
                    return Err(format!("分类 {} 的相关分类 {code} 强度应在 0 到 1 之间", n.code));
                }
            }
        }
        let mut label_list: Vec<(String, usize)> = labels.iter().map(|(k, (i, _))| (k.clone(), *i)).collect();
        label_list.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.cmp(b)));
        let mut term_list: Vec<(String, usize)> = term_map.into_iter().collect();
        term_list.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.cmp(b)));
        Ok(Self { nodes, by_code, labels, label_list, term_list })
    }

    /// All nodes: each field followed by its subfields, in file order.
    pub fn nodes(&self) -> &[TaxonomyNode] {
        &self.nodes
    }

    pub fn node(&self, code: &str) -> Option<&TaxonomyNode> {
        self.by_code.get(code).map(|&i| &self.nodes[i])
    }

    pub fn name(&self, code: &str) -> Option<&str> {
        self.node(code).map(|n| n.name.as_str())
    }

    /// Top-level fields in file order.
    /// The names of some codes joined by 、 (unknown codes as written), as lists show them.
    pub fn names(&self, codes: &[String]) -> String {
        codes.iter().map(|c| self.name(c).unwrap_or(c)).collect::<Vec<_>>().join("、")
    }

    pub fn fields(&self) -> impl Iterator<Item = &TaxonomyNode> {
        self.nodes.iter().filter(|n| n.parent.is_none())
    }

    pub fn children<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a TaxonomyNode> + 'a {
        self.nodes.iter().filter(move |n| n.parent.as_deref() == Some(code))
    }

    /// The field a code belongs to (itself for a field).
    pub fn field_of<'a>(&'a self, code: &'a str) -> &'a str {
        self.node(code).and_then(|n| n.parent.as_deref()).unwrap_or(code)
    }

    /// Every term, name and alias — the words a tokenizer should keep whole.
    pub fn vocabulary(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .nodes
            .iter()
            .flat_map(|n| std::iter::once(&n.name).chain(&n.aliases).chain(&n.terms))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Maps one subfield value (one item of a multi-value cell) onto a node.
    pub fn map_label(&self, text: &str) -> SubfieldMatch {
        let k = norm_key(text);
        if k.is_empty() {
            return SubfieldMatch::Unmapped;
        }
        let stripped = strip_generic_suffix(&k);
        for key in [k.as_str(), stripped] {
            if let Some(&(i, is_alias)) = self.labels.get(key) {
                let code = self.nodes[i].code.clone();
                return if is_alias {
                    SubfieldMatch::Alias { code, alias: text.trim().to_string() }
                } else {
                    SubfieldMatch::Exact { code }
                };
            }
            if let Some(&i) = self.by_code.get(&key.to_uppercase()) {
                return SubfieldMatch::Exact { code: self.nodes[i].code.clone() };
            }
        }
        // A label inside the text ("含氟聚合物材料" ⊃ "含氟聚合物"), or the text inside a label.
        let n = stripped.chars().count();
        if n >= 2 {
            let mut best: Option<(usize, usize)> = None; // (matched length, index)
            for (label, i) in &self.label_list {
                let len = label.chars().count();
                let hit = if len >= 2 && stripped.contains(label.as_str()) {
                    Some(len)
                } else if n >= 3 && label.contains(stripped) {
                    Some(n)
                } else {
                    None
                };
                if let Some(len) = hit
                    && best.is_none_or(|(l, _)| len > l)
                {
                    best = Some((len, *i));
                }
            }
            if let Some((_, i)) = best {
                let label = self.label_of(i, stripped);
                return SubfieldMatch::Contains { code: self.nodes[i].code.clone(), label };
            }
        }
        // Close spelling.
        let mut best: Option<(f64, usize, &str)> = None;
        for (label, i) in &self.label_list {
            let s = similarity(stripped, label);
            if s >= FUZZY_THRESHOLD && best.is_none_or(|(b, _, _)| s > b) {
                best = Some((s, *i, label));
            }
        }
        if let Some((score, i, label)) = best {
            return SubfieldMatch::Fuzzy { code: self.nodes[i].code.clone(), label: label.to_string(), score };
        }
        // A domain term: exactly, or the longest term inside the text.
        for (term, i) in &self.term_list {
            if stripped == term || (term.chars().count() >= 2 && stripped.contains(term.as_str())) {
                return SubfieldMatch::Term { code: self.nodes[*i].code.clone(), term: term.clone() };
            }
        }
        SubfieldMatch::Unmapped
    }

    fn label_of(&self, i: usize, fallback: &str) -> String {
        let n = &self.nodes[i];
        if fallback.contains(&norm_key(&n.name)) || norm_key(&n.name).contains(fallback) {
            n.name.clone()
        } else {
            n.aliases
                .iter()
                .find(|a| fallback.contains(&norm_key(a)) || norm_key(a).contains(fallback))
                .cloned()
                .unwrap_or_else(|| n.name.clone())
        }
    }
}

/// "…材料", "…领域", "…方向" and similar add nothing to a subfield name.
fn strip_generic_suffix(k: &str) -> &str {
    let mut s = k;
    loop {
        let before = s;
        for suf in ["材料", "领域", "方向", "产业", "技术", "类"] {
            if let Some(rest) = s.strip_suffix(suf)
                && rest.chars().count() >= 2
            {
                s = rest;
            }
        }
        if s == before {
            return s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tax() -> Taxonomy {
        Taxonomy::builtin()
    }

    #[test]
    fn builtin_is_a_two_level_tree_with_all_required_fields() {
        let t = tax();
        let fields: Vec<&str> = t.fields().map(|n| n.name.as_str()).collect();
        for required in [
            "氟新材料",
            "石墨与石墨烯/碳材料",
            "新能源材料",
            "稀土功能材料",
            "轻量化材料/轻合金",
            "第三代半导体与电子材料",
            "高分子与复合材料",
            "增材制造材料",
            "先进钢铁与特种建材",
            "化工工艺与安全生产",
            "节能环保与资源循环",
        ] {
            assert!(fields.contains(&required), "missing field {required}");
        }
        for f in t.fields() {
            assert!(t.children(&f.code).count() >= 3, "{} has too few subfields", f.name);
        }
        for n in t.nodes() {
            if let Some(p) = &n.parent {
                assert!(t.node(p).is_some());
            }
        }
    }

    #[test]
    fn maps_exact_alias_contains_fuzzy_term() {
        let t = tax();
        assert_eq!(t.map_label("含氟聚合物").code(), Some("FL01"));
        assert_eq!(t.map_label(" 含氟聚合物 ").code(), Some("FL01"));
        assert!(matches!(t.map_label("FL01"), SubfieldMatch::Exact { .. }));
        assert!(matches!(t.map_label("含氟聚合物材料"), SubfieldMatch::Exact { .. }));
        assert_eq!(t.map_label("碳化硅").code(), Some("SC01"));
        assert_eq!(t.map_label("新能源材料").code(), Some("NE"));
        assert!(matches!(t.map_label("高性能铝合金压铸件"), SubfieldMatch::Contains { .. }));
        assert_eq!(t.map_label("高性能铝合金压铸件").code(), Some("LW01"));
        assert!(matches!(t.map_label("含氟聚和物"), SubfieldMatch::Fuzzy { .. }), "{:?}", t.map_label("含氟聚和物"));
        assert_eq!(t.map_label("兵器科学与技术"), SubfieldMatch::Unmapped);
        assert_eq!(t.map_label(""), SubfieldMatch::Unmapped);
    }

    #[test]
    fn rejects_broken_files_in_chinese() {
        let dup = "[[field]]\ncode='A'\nname='甲'\n[[field]]\ncode='A'\nname='乙'\n";
        assert!(Taxonomy::from_toml(dup).unwrap_err().contains("重复"));
        let deep = "[[field]]\ncode='A'\nname='甲'\n[[field.children]]\ncode='A01'\nname='乙'\n[[field.children.children]]\ncode='A0101'\nname='丙'\n";
        assert!(Taxonomy::from_toml(deep).unwrap_err().contains("两级"));
        let moved = "[[field]]\ncode='A'\nname='甲'\n[[field.children]]\ncode='B01'\nname='乙'\n";
        assert_eq!(Taxonomy::from_toml(moved).unwrap().field_of("B01"), "A");
        assert!(Taxonomy::from_toml("field = 3").unwrap_err().contains("格式错误"));
    }
}
