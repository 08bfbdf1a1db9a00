//! Edits of the knowledge (设置 → 知识库) as pure functions: each [`KnowledgeEdit`] is checked
//! against the current [`Knowledge`] and, when it holds, gives the new knowledge and the texts
//! of the files that changed, written back in their own TOML format (`knowledge_toml`) and parsed
//! again — so an edited file is exactly a file the program could have been given by hand.
//!
//! Rules: codes are stable (a rename never changes a code, a moved subfield keeps its code, a
//! merged one is never given out again); new codes follow the parent's pattern (the next free
//! `FL07` under `FL`); the tree stays two levels deep; names are not empty; a name or alias
//! belongs to one node only; a synonym group has at least two words and a word sits in one
//! group only; a link has at least one symptom and at least one discipline the discipline list
//! knows. Errors are typed; the words for users are made by the front ends.

use std::collections::{HashMap, HashSet};

use super::knowledge::{Discipline, Knowledge, KnowledgeTexts, ProblemLink, SynonymGroup};
use super::knowledge_toml as toml_out;
use super::taxonomy::{Taxonomy, TaxonomyNode};
use crate::util::norm_key;

/// One change to the knowledge.
#[derive(Debug, Clone, PartialEq)]
pub enum KnowledgeEdit {
    /// A new subfield under a field; without a code the next free one in the field's pattern.
    AddSubfield {
        parent: String,
        code: Option<String>,
        name: String,
        aliases: Vec<String>,
    },
    /// A node's new name (its code stays).
    RenameSubfield {
        code: String,
        name: String,
    },
    /// A subfield under another field (its code stays).
    MoveSubfield {
        code: String,
        new_parent: String,
    },
    /// `from` goes into `into`: its name and aliases become aliases of `into`, its terms and
    /// relations join `into`'s, and every record classified under `from` is re-mapped.
    MergeSubfield {
        from: String,
        into: String,
    },
    SetAliases {
        code: String,
        aliases: Vec<String>,
    },
    SetTerms {
        code: String,
        terms: Vec<String>,
    },
    AddSynonymGroup {
        terms: Vec<String>,
    },
    /// The group at `index`, which holds `was` (so a stale view cannot change another group).
    EditSynonymGroup {
        index: usize,
        was: Vec<String>,
        terms: Vec<String>,
    },
    RemoveSynonymGroup {
        index: usize,
        was: Vec<String>,
    },
    /// A new problem → discipline link; without an id one is made.
    AddLink {
        id: Option<String>,
        symptoms: Vec<String>,
        disciplines: Vec<String>,
        note: String,
    },
    EditLink {
        id: String,
        symptoms: Vec<String>,
        disciplines: Vec<String>,
        note: String,
    },
    RemoveLink {
        id: String,
    },
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("no taxonomy node has the code {0}")]
    UnknownCode(String),
    #[error("{0} is a subfield, not a field")]
    NotAField(String),
    #[error("{0} is a field, not a subfield")]
    NotASubfield(String),
    #[error("the code {0} is already used")]
    CodeTaken(String),
    #[error("the code {code} does not follow the pattern of {parent} (e.g. {parent}07)")]
    BadCode { code: String, parent: String },
    #[error("the name is empty")]
    EmptyName,
    #[error("the name or alias {label} already belongs to {owner}")]
    LabelTaken { label: String, owner: String },
    #[error("{code} is already under {parent}")]
    SameParent { code: String, parent: String },
    #[error("a node cannot be merged into itself")]
    MergeIntoSelf,
    #[error("{into} is a subfield of {from}")]
    MergeIntoChild { from: String, into: String },
    #[error("a synonym group needs at least two different words")]
    GroupTooSmall,
    #[error("the word {term} is already in synonym group {group}")]
    TermInOtherGroup { term: String, group: usize },
    #[error("there is no synonym group {0} (the list changed)")]
    NoGroup(usize),
    #[error("a link needs at least one symptom word")]
    NoSymptom,
    #[error("a link needs at least one discipline the discipline list knows")]
    NoKnownDiscipline,
    #[error("the symptom {0} is a generic word")]
    GenericSymptom(String),
    #[error("the link id {0} is already used")]
    LinkIdTaken(String),
    #[error("the link id {0} may only hold a-z, 0-9 and _")]
    BadLinkId(String),
    #[error("there is no link {0}")]
    NoLink(String),
    #[error("the edited files do not parse: {0}")]
    Invalid(String),
}

/// The texts of the knowledge files, owned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KnowledgeFiles {
    pub taxonomy: String,
    pub synonyms: String,
    pub links: String,
    pub disciplines: String,
    pub generic: String,
}

impl KnowledgeFiles {
    /// The built-in files.
    pub fn builtin() -> Self {
        let b = KnowledgeTexts::BUILTIN;
        KnowledgeFiles {
            taxonomy: b.taxonomy.into(),
            synonyms: b.synonyms.into(),
            links: b.links.into(),
            disciplines: b.disciplines.into(),
            generic: b.generic.into(),
        }
    }

    pub fn texts(&self) -> KnowledgeTexts<'_> {
        KnowledgeTexts {
            taxonomy: &self.taxonomy,
            synonyms: &self.synonyms,
            links: &self.links,
            disciplines: &self.disciplines,
            generic: &self.generic,
        }
    }

    /// (file name, text) in the order of `io::knowledge::FILES`.
    pub fn named(&self) -> [(&'static str, &str); 5] {
        [
            ("taxonomy.toml", &self.taxonomy),
            ("synonyms.toml", &self.synonyms),
            ("problem_links.toml", &self.links),
            ("disciplines.toml", &self.disciplines),
            ("generic_words.toml", &self.generic),
        ]
    }

    /// Replaces the text of file `name` (one of [`Self::named`]); false for another name.
    pub fn set(&mut self, name: &str, text: String) -> bool {
        let slot = match name {
            "taxonomy.toml" => &mut self.taxonomy,
            "synonyms.toml" => &mut self.synonyms,
            "problem_links.toml" => &mut self.links,
            "disciplines.toml" => &mut self.disciplines,
            "generic_words.toml" => &mut self.generic,
            _ => return false,
        };
        *slot = text;
        true
    }

    /// Parses them; the error (in the parser's words) names the file.
    pub fn parse(&self) -> Result<Knowledge, String> {
        Knowledge::from_files(self.texts())
    }
}

/// An edit that holds: the new knowledge and files, and what the store must follow.
#[derive(Debug, Clone)]
pub struct Edited {
    pub knowledge: Knowledge,
    pub files: KnowledgeFiles,
    /// The names of the files whose text changed.
    pub changed: Vec<&'static str>,
    /// A merge: records classified under `.0` are to be classified under `.1`.
    pub remap: Option<(String, String)>,
}

fn trimmed(list: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    list.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty() && seen.insert(norm_key(s))).collect()
}

/// The nodes with each field followed by its subfields (the order the file is read in).
fn canonical(nodes: Vec<TaxonomyNode>) -> Vec<TaxonomyNode> {
    let fields: Vec<String> = nodes.iter().filter(|n| n.parent.is_none()).map(|n| n.code.clone()).collect();
    let mut out = Vec::with_capacity(nodes.len());
    for f in &fields {
        out.extend(nodes.iter().filter(|n| &n.code == f).cloned());
        out.extend(nodes.iter().filter(|n| n.parent.as_deref() == Some(f.as_str())).cloned());
    }
    out
}

/// The next free code under a field: its code and two digits past the highest in use (or
/// retired), `FL07` after `FL06`.
pub fn next_code(taxonomy: &Taxonomy, parent: &str, retired: &HashSet<String>) -> String {
    let used = taxonomy.nodes().iter().map(|n| n.code.as_str()).chain(retired.iter().map(String::as_str));
    let max = used
        .filter_map(|c| c.strip_prefix(parent))
        .filter(|rest| !rest.is_empty() && rest.chars().all(|ch| ch.is_ascii_digit()))
        .filter_map(|rest| rest.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{parent}{:02}", max + 1)
}

/// Checks that no normalised name, code or alias belongs to two nodes; the node being edited
/// (`focus`) is checked last, so a clash names the node that already had the label.
fn check_labels(nodes: &[TaxonomyNode], focus: Option<&str>) -> Result<(), EditError> {
    let mut owner: HashMap<String, &str> = HashMap::new();
    let others = nodes.iter().filter(|n| Some(n.code.as_str()) != focus);
    for n in others.chain(nodes.iter().filter(|n| Some(n.code.as_str()) == focus)) {
        if n.name.trim().is_empty() {
            return Err(EditError::EmptyName);
        }
        for label in std::iter::once(&n.name).chain(std::iter::once(&n.code)).chain(&n.aliases) {
            let k = norm_key(label);
            if k.is_empty() {
                continue;
            }
            match owner.get(&k) {
                Some(o) if *o != n.code => {
                    return Err(EditError::LabelTaken { label: label.clone(), owner: (*o).to_string() });
                }
                _ => {
                    owner.insert(k, &n.code);
                }
            }
        }
    }
    Ok(())
}

fn node_mut<'a>(nodes: &'a mut [TaxonomyNode], code: &str) -> Result<&'a mut TaxonomyNode, EditError> {
    nodes.iter_mut().find(|n| n.code == code).ok_or_else(|| EditError::UnknownCode(code.to_string()))
}

fn field(taxonomy: &Taxonomy, code: &str) -> Result<(), EditError> {
    match taxonomy.node(code) {
        None => Err(EditError::UnknownCode(code.to_string())),
        Some(n) if n.parent.is_some() => Err(EditError::NotAField(code.to_string())),
        Some(_) => Ok(()),
    }
}

fn subfield(taxonomy: &Taxonomy, code: &str) -> Result<(), EditError> {
    match taxonomy.node(code) {
        None => Err(EditError::UnknownCode(code.to_string())),
        Some(n) if n.parent.is_none() => Err(EditError::NotASubfield(code.to_string())),
        Some(_) => Ok(()),
    }
}

fn add_subfield(
    k: &Knowledge,
    retired: &HashSet<String>,
    parent: &str,
    code: Option<&str>,
    name: &str,
    aliases: &[String],
) -> Result<Vec<TaxonomyNode>, EditError> {
    field(&k.taxonomy, parent)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(EditError::EmptyName);
    }
    let code = match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => next_code(&k.taxonomy, parent, retired),
        Some(c) => {
            let c = c.to_uppercase();
            let digits = c.strip_prefix(parent).filter(|r| !r.is_empty() && r.chars().all(|ch| ch.is_ascii_digit()));
            if digits.is_none() {
                return Err(EditError::BadCode { code: c, parent: parent.to_string() });
            }
            if k.taxonomy.node(&c).is_some() || retired.contains(&c) {
                return Err(EditError::CodeTaken(c));
            }
            c
        }
    };
    let mut nodes = k.taxonomy.nodes().to_vec();
    nodes.push(TaxonomyNode {
        code,
        name: name.to_string(),
        parent: Some(parent.to_string()),
        aliases: trimmed(aliases),
        terms: Vec::new(),
        related: Vec::new(),
    });
    Ok(canonical(nodes))
}

fn move_subfield(k: &Knowledge, code: &str, new_parent: &str) -> Result<Vec<TaxonomyNode>, EditError> {
    subfield(&k.taxonomy, code)?;
    if code == new_parent {
        return Err(EditError::NotAField(code.to_string()));
    }
    field(&k.taxonomy, new_parent)?;
    let mut nodes = k.taxonomy.nodes().to_vec();
    let n = node_mut(&mut nodes, code)?;
    if n.parent.as_deref() == Some(new_parent) {
        return Err(EditError::SameParent { code: code.into(), parent: new_parent.into() });
    }
    n.parent = Some(new_parent.to_string());
    // Moved last among its new siblings.
    let i = nodes.iter().position(|n| n.code == code).unwrap_or(0);
    let moved = nodes.remove(i);
    nodes.push(moved);
    Ok(canonical(nodes))
}

/// Strengths to `from` become strengths to `into` (the larger one kept); none to itself.
fn remap_strengths(list: &mut Vec<(String, f64)>, from: &str, into: &str, owner: &str) {
    let mut out: Vec<(String, f64)> = Vec::new();
    for (c, s) in list.drain(..) {
        let c = if c == from { into.to_string() } else { c };
        if c == owner {
            continue;
        }
        match out.iter_mut().find(|(x, _)| *x == c) {
            Some(e) => e.1 = e.1.max(s),
            None => out.push((c, s)),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    *list = out;
}

fn merge_subfield(k: &Knowledge, from: &str, into: &str) -> Result<(Vec<TaxonomyNode>, Vec<Discipline>), EditError> {
    subfield(&k.taxonomy, from)?;
    let target = k.taxonomy.node(into).ok_or_else(|| EditError::UnknownCode(into.to_string()))?;
    if from == into {
        return Err(EditError::MergeIntoSelf);
    }
    if target.parent.as_deref() == Some(from) {
        return Err(EditError::MergeIntoChild { from: from.into(), into: into.into() });
    }
    let gone = k.taxonomy.node(from).cloned().ok_or_else(|| EditError::UnknownCode(from.to_string()))?;
    let mut nodes: Vec<TaxonomyNode> = k.taxonomy.nodes().iter().filter(|n| n.code != from).cloned().collect();
    {
        let t = node_mut(&mut nodes, into)?;
        let mut aliases = t.aliases.clone();
        aliases.push(gone.name.clone());
        aliases.extend(gone.aliases.iter().cloned());
        let own = norm_key(&t.name);
        t.aliases = trimmed(&aliases).into_iter().filter(|a| norm_key(a) != own).collect();
        let mut terms = t.terms.clone();
        terms.extend(gone.terms.iter().cloned());
        t.terms = trimmed(&terms);
        t.related.extend(gone.related.iter().cloned());
    }
    for n in &mut nodes {
        let owner = n.code.clone();
        remap_strengths(&mut n.related, from, into, &owner);
    }
    let mut disciplines = k.disciplines.clone();
    for d in &mut disciplines {
        remap_strengths(&mut d.serves, from, into, "");
    }
    Ok((nodes, disciplines))
}

fn set_words(k: &Knowledge, code: &str, words: &[String], aliases: bool) -> Result<Vec<TaxonomyNode>, EditError> {
    let mut nodes = k.taxonomy.nodes().to_vec();
    let n = node_mut(&mut nodes, code)?;
    if aliases {
        let own = norm_key(&n.name);
        n.aliases = trimmed(words).into_iter().filter(|a| norm_key(a) != own).collect();
    } else {
        n.terms = trimmed(words);
    }
    Ok(nodes)
}

/// Checks a synonym group at `index` (None: a new one) against the others.
fn check_group(groups: &[SynonymGroup], index: Option<usize>, terms: &[String]) -> Result<Vec<String>, EditError> {
    let terms = trimmed(terms);
    if terms.len() < 2 {
        return Err(EditError::GroupTooSmall);
    }
    let before: HashSet<String> =
        index.and_then(|i| groups.get(i)).map(|g| g.terms.iter().map(|t| norm_key(t)).collect()).unwrap_or_default();
    for t in &terms {
        let key = norm_key(t);
        if before.contains(&key) {
            continue;
        }
        if let Some(j) =
            groups.iter().enumerate().position(|(j, g)| Some(j) != index && g.terms.iter().any(|x| norm_key(x) == key))
        {
            return Err(EditError::TermInOtherGroup { term: t.clone(), group: j });
        }
    }
    Ok(terms)
}

fn group_at(groups: &[SynonymGroup], index: usize, was: &[String]) -> Result<(), EditError> {
    match groups.get(index) {
        Some(g) if g.terms == was => Ok(()),
        _ => Err(EditError::NoGroup(index)),
    }
}

/// Checks a link's words; returns them tidied.
fn check_link(
    k: &Knowledge,
    symptoms: &[String],
    disciplines: &[String],
) -> Result<(Vec<String>, Vec<String>), EditError> {
    let symptoms = trimmed(symptoms);
    let disciplines = trimmed(disciplines);
    if symptoms.is_empty() {
        return Err(EditError::NoSymptom);
    }
    let generic: HashSet<String> = k.generic.iter().map(|w| norm_key(w)).collect();
    if let Some(s) = symptoms.iter().find(|s| generic.contains(&norm_key(s))) {
        return Err(EditError::GenericSymptom(s.clone()));
    }
    let known: HashSet<String> =
        k.disciplines.iter().flat_map(|d| std::iter::once(&d.name).chain(&d.aliases)).map(|n| norm_key(n)).collect();
    if !disciplines.iter().any(|d| known.contains(&norm_key(d))) {
        return Err(EditError::NoKnownDiscipline);
    }
    Ok((symptoms, disciplines))
}

fn link_id(k: &Knowledge, id: Option<&str>) -> Result<String, EditError> {
    let taken = |id: &str| k.links.iter().any(|l| l.id == id);
    match id.map(str::trim).filter(|i| !i.is_empty()) {
        Some(id) => {
            if !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                return Err(EditError::BadLinkId(id.to_string()));
            }
            if taken(id) {
                return Err(EditError::LinkIdTaken(id.to_string()));
            }
            Ok(id.to_string())
        }
        None => Ok((1..).map(|n| format!("office_{n:03}")).find(|id| !taken(id)).unwrap_or_default()),
    }
}

/// The synonym groups after a synonym edit.
fn synonym_groups(k: &Knowledge, edit: &KnowledgeEdit) -> Result<Vec<SynonymGroup>, EditError> {
    use KnowledgeEdit as E;
    Ok(match edit {
        E::AddSynonymGroup { terms } => {
            let terms = check_group(&k.synonyms, None, terms)?;
            let mut groups = k.synonyms.clone();
            groups.push(SynonymGroup { terms });
            groups
        }
        E::EditSynonymGroup { index, was, terms } => {
            group_at(&k.synonyms, *index, was)?;
            let terms = check_group(&k.synonyms, Some(*index), terms)?;
            let mut groups = k.synonyms.clone();
            groups[*index] = SynonymGroup { terms };
            groups
        }
        E::RemoveSynonymGroup { index, was } => {
            group_at(&k.synonyms, *index, was)?;
            let mut groups = k.synonyms.clone();
            groups.remove(*index);
            groups
        }
        _ => k.synonyms.clone(),
    })
}

/// The links after a link edit.
fn links(k: &Knowledge, edit: &KnowledgeEdit) -> Result<Vec<ProblemLink>, EditError> {
    use KnowledgeEdit as E;
    Ok(match edit {
        E::AddLink { id, symptoms, disciplines, note } => {
            let id = link_id(k, id.as_deref())?;
            let (symptoms, disciplines) = check_link(k, symptoms, disciplines)?;
            let note = note.trim().to_string();
            let mut links = k.links.clone();
            links.push(ProblemLink { id, symptoms, disciplines, note });
            links
        }
        E::EditLink { id, symptoms, disciplines, note } => {
            let (symptoms, disciplines) = check_link(k, symptoms, disciplines)?;
            let mut links = k.links.clone();
            let l = links.iter_mut().find(|l| &l.id == id).ok_or_else(|| EditError::NoLink(id.clone()))?;
            *l = ProblemLink { id: id.clone(), symptoms, disciplines, note: note.trim().to_string() };
            links
        }
        E::RemoveLink { id } => {
            let mut links = k.links.clone();
            let before = links.len();
            links.retain(|l| &l.id != id);
            if links.len() == before {
                return Err(EditError::NoLink(id.clone()));
            }
            links
        }
        _ => k.links.clone(),
    })
}

/// What one edit changes: the parts of the knowledge to write back.
#[derive(Default)]
struct Parts {
    nodes: Option<Vec<TaxonomyNode>>,
    synonyms: Option<Vec<SynonymGroup>>,
    links: Option<Vec<ProblemLink>>,
    disciplines: Option<Vec<Discipline>>,
    remap: Option<(String, String)>,
}

fn parts(k: &Knowledge, edit: &KnowledgeEdit, retired: &HashSet<String>) -> Result<Parts, EditError> {
    use KnowledgeEdit as E;
    let mut p = Parts::default();
    match edit {
        E::AddSubfield { parent, code, name, aliases } => {
            p.nodes = Some(add_subfield(k, retired, parent, code.as_deref(), name, aliases)?);
        }
        E::RenameSubfield { code, name } => {
            let name = name.trim();
            if name.is_empty() {
                return Err(EditError::EmptyName);
            }
            let mut nodes = k.taxonomy.nodes().to_vec();
            let n = node_mut(&mut nodes, code)?;
            n.name = name.to_string();
            let own = norm_key(name);
            n.aliases.retain(|a| norm_key(a) != own);
            p.nodes = Some(nodes);
        }
        E::MoveSubfield { code, new_parent } => p.nodes = Some(move_subfield(k, code, new_parent)?),
        E::MergeSubfield { from, into } => {
            let (nodes, disciplines) = merge_subfield(k, from, into)?;
            p.nodes = Some(nodes);
            p.disciplines = Some(disciplines);
            p.remap = Some((from.clone(), into.clone()));
        }
        E::SetAliases { code, aliases } => p.nodes = Some(set_words(k, code, aliases, true)?),
        E::SetTerms { code, terms } => p.nodes = Some(set_words(k, code, terms, false)?),
        E::AddSynonymGroup { .. } | E::EditSynonymGroup { .. } | E::RemoveSynonymGroup { .. } => {
            p.synonyms = Some(synonym_groups(k, edit)?);
        }
        E::AddLink { .. } | E::EditLink { .. } | E::RemoveLink { .. } => p.links = Some(links(k, edit)?),
    }
    let focus = match edit {
        E::AddSubfield { .. } => p.nodes.as_ref().and_then(|n| {
            let old: HashSet<&str> = k.taxonomy.nodes().iter().map(|x| x.code.as_str()).collect();
            n.iter().find(|x| !old.contains(x.code.as_str())).map(|x| x.code.clone())
        }),
        E::RenameSubfield { code, .. } | E::SetAliases { code, .. } | E::SetTerms { code, .. } => Some(code.clone()),
        E::MergeSubfield { into, .. } => Some(into.clone()),
        _ => None,
    };
    if let Some(nodes) = &p.nodes {
        check_labels(nodes, focus.as_deref())?;
    }
    Ok(p)
}

/// Applies an edit to the knowledge read from `files`. `retired` holds codes that were once in
/// use (the database keeps them): they are never given out again.
pub fn apply(
    k: &Knowledge,
    files: &KnowledgeFiles,
    edit: &KnowledgeEdit,
    retired: &HashSet<String>,
) -> Result<Edited, EditError> {
    let p = parts(k, edit, retired)?;
    let mut out = files.clone();
    if let Some(nodes) = p.nodes {
        let t = Taxonomy::from_nodes(nodes).map_err(EditError::Invalid)?;
        out.taxonomy = toml_out::taxonomy_toml(&t, &files.taxonomy);
    }
    if let Some(groups) = p.synonyms {
        out.synonyms = toml_out::synonyms_toml(&groups, &files.synonyms);
    }
    if let Some(links) = p.links {
        out.links = toml_out::links_toml(&links, &files.links);
    }
    if let Some(list) = p.disciplines {
        out.disciplines = toml_out::disciplines_toml(&list, &files.disciplines);
    }
    let knowledge = out.parse().map_err(EditError::Invalid)?;
    let changed = out.named().iter().zip(files.named()).filter(|(a, b)| a.1 != b.1).map(|(a, _)| a.0).collect();
    Ok(Edited { knowledge, files: out, changed, remap: p.remap })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> (Knowledge, KnowledgeFiles) {
        let f = KnowledgeFiles::builtin();
        (f.parse().unwrap(), f)
    }

    fn run(edit: KnowledgeEdit) -> Result<Edited, EditError> {
        let (k, f) = base();
        apply(&k, &f, &edit, &HashSet::new())
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_string()).collect()
    }

    #[test]
    fn add_subfield_takes_the_next_free_code_and_never_a_retired_one() {
        let (k, _) = base();
        let last = next_code(&k.taxonomy, "FL", &HashSet::new());
        let e = run(KnowledgeEdit::AddSubfield {
            parent: "FL".into(),
            code: None,
            name: "含氟涂料".into(),
            aliases: s(&["氟涂料"]),
        })
        .unwrap();
        let n = e.knowledge.taxonomy.node(&last).unwrap();
        assert_eq!((n.name.as_str(), n.parent.as_deref()), ("含氟涂料", Some("FL")));
        assert_eq!(e.changed, vec!["taxonomy.toml"]);
        assert_eq!(e.knowledge.taxonomy.map_label("氟涂料").code(), Some(last.as_str()));
        let retired: HashSet<String> = [last.clone()].into();
        let after = next_code(&k.taxonomy, "FL", &retired);
        assert_ne!(after, last);
        // The new node sits with its field's children, so the file reads back in the same order.
        let codes: Vec<&str> = e.knowledge.taxonomy.children("FL").map(|n| n.code.as_str()).collect();
        assert_eq!(codes.last(), Some(&last.as_str()));
    }

    #[test]
    fn add_subfield_refusals() {
        let add = |parent: &str, code: Option<&str>, name: &str, aliases: &[&str]| {
            run(KnowledgeEdit::AddSubfield {
                parent: parent.into(),
                code: code.map(String::from),
                name: name.into(),
                aliases: s(aliases),
            })
            .unwrap_err()
        };
        assert_eq!(add("ZZ", None, "甲", &[]), EditError::UnknownCode("ZZ".into()));
        assert_eq!(add("FL01", None, "甲", &[]), EditError::NotAField("FL01".into()));
        assert_eq!(add("FL", None, "  ", &[]), EditError::EmptyName);
        assert_eq!(add("FL", Some("FL01"), "甲", &[]), EditError::CodeTaken("FL01".into()));
        assert!(matches!(add("FL", Some("NE99"), "甲", &[]), EditError::BadCode { .. }));
        assert!(matches!(add("FL", None, "碳化硅", &[]), EditError::LabelTaken { owner, .. } if owner == "SC01"));
        assert!(matches!(add("FL", None, "甲", &["含氟聚合物"]), EditError::LabelTaken { .. }));
    }

    #[test]
    fn rename_keeps_the_code_and_refuses_empty_or_taken_names() {
        let e = run(KnowledgeEdit::RenameSubfield { code: "FL01".into(), name: "氟聚合物材料".into() }).unwrap();
        assert_eq!(e.knowledge.taxonomy.name("FL01"), Some("氟聚合物材料"));
        assert_eq!(e.knowledge.taxonomy.nodes().len(), Knowledge::builtin().taxonomy.nodes().len());
        let err = run(KnowledgeEdit::RenameSubfield { code: "FL01".into(), name: " ".into() }).unwrap_err();
        assert_eq!(err, EditError::EmptyName);
        let err = run(KnowledgeEdit::RenameSubfield { code: "FL01".into(), name: "碳化硅".into() }).unwrap_err();
        assert!(matches!(err, EditError::LabelTaken { .. }));
        let err = run(KnowledgeEdit::RenameSubfield { code: "XX01".into(), name: "甲".into() }).unwrap_err();
        assert_eq!(err, EditError::UnknownCode("XX01".into()));
    }

    #[test]
    fn move_keeps_the_code_and_refuses_cycles_and_depth() {
        let e = run(KnowledgeEdit::MoveSubfield { code: "FL01".into(), new_parent: "PM".into() }).unwrap();
        let t = &e.knowledge.taxonomy;
        assert_eq!(t.node("FL01").unwrap().parent.as_deref(), Some("PM"));
        assert_eq!(t.field_of("FL01"), "PM");
        assert_eq!(t.children("PM").last().map(|n| n.code.as_str()), Some("FL01"));
        let mv = |code: &str, to: &str| {
            run(KnowledgeEdit::MoveSubfield { code: code.into(), new_parent: to.into() }).unwrap_err()
        };
        assert_eq!(mv("FL", "PM"), EditError::NotASubfield("FL".into()));
        assert_eq!(mv("FL01", "FL01"), EditError::NotAField("FL01".into()));
        assert_eq!(mv("FL01", "FL02"), EditError::NotAField("FL02".into()));
        assert!(matches!(mv("FL01", "FL"), EditError::SameParent { .. }));
        assert_eq!(mv("FL01", "QQ"), EditError::UnknownCode("QQ".into()));
    }

    #[test]
    fn merge_moves_names_terms_and_relations_and_asks_for_a_remap() {
        let (k, _) = base();
        let gone = k.taxonomy.node("FL03").unwrap().clone();
        let e = run(KnowledgeEdit::MergeSubfield { from: "FL03".into(), into: "FL02".into() }).unwrap();
        let t = &e.knowledge.taxonomy;
        assert!(t.node("FL03").is_none());
        assert_eq!(e.remap, Some(("FL03".into(), "FL02".into())));
        assert_eq!(t.map_label(&gone.name).code(), Some("FL02"));
        assert!(t.node("FL02").unwrap().terms.iter().any(|x| x == &gone.terms[0]));
        for n in t.nodes() {
            assert!(n.related.iter().all(|(c, _)| c != "FL03" && c != &n.code), "{}", n.code);
        }
        for d in &e.knowledge.disciplines {
            assert!(d.serves.iter().all(|(c, _)| c != "FL03"), "{}", d.name);
        }
        assert!(e.changed.contains(&"taxonomy.toml"));
        let mg = |from: &str, into: &str| {
            run(KnowledgeEdit::MergeSubfield { from: from.into(), into: into.into() }).unwrap_err()
        };
        assert_eq!(mg("FL02", "FL02"), EditError::MergeIntoSelf);
        assert_eq!(mg("FL02", "ZZ09"), EditError::UnknownCode("ZZ09".into()));
        assert_eq!(mg("FL", "NE"), EditError::NotASubfield("FL".into()));
    }

    #[test]
    fn aliases_and_terms() {
        let e = run(KnowledgeEdit::SetAliases {
            code: "FL01".into(), aliases: s(&["氟树脂", " 氟树脂 ", "新别名甲"])
        })
        .unwrap();
        assert_eq!(e.knowledge.taxonomy.node("FL01").unwrap().aliases, s(&["氟树脂", "新别名甲"]));
        assert_eq!(e.knowledge.taxonomy.map_label("新别名甲").code(), Some("FL01"));
        let err = run(KnowledgeEdit::SetAliases { code: "FL01".into(), aliases: s(&["碳化硅"]) }).unwrap_err();
        assert!(matches!(err, EditError::LabelTaken { .. }));
        let e = run(KnowledgeEdit::SetTerms { code: "FL01".into(), terms: s(&["专用术语甲乙"]) }).unwrap();
        assert_eq!(e.knowledge.taxonomy.node("FL01").unwrap().terms, s(&["专用术语甲乙"]));
        assert!(e.knowledge.vocabulary().iter().any(|w| w == "专用术语甲乙"));
    }

    #[test]
    fn synonym_groups_add_edit_remove_and_refusals() {
        let (k, f) = base();
        let n = k.synonyms.len();
        let e = run(KnowledgeEdit::AddSynonymGroup { terms: s(&["星辰酸", "XC-9", " "]) }).unwrap();
        assert_eq!(e.knowledge.synonyms.len(), n + 1);
        assert_eq!(e.knowledge.synonyms[n].terms, s(&["星辰酸", "XC-9"]));
        assert_eq!(e.changed, vec!["synonyms.toml"]);
        let err = run(KnowledgeEdit::AddSynonymGroup { terms: s(&["甲", "甲"]) }).unwrap_err();
        assert_eq!(err, EditError::GroupTooSmall);
        let err = run(KnowledgeEdit::AddSynonymGroup { terms: s(&["LiPF6", "新写法"]) }).unwrap_err();
        assert!(matches!(err, EditError::TermInOtherGroup { group: 0, .. }));
        let was = k.synonyms[0].terms.clone();
        let mut terms = was.clone();
        terms.push("六氟磷酸锂晶体".into());
        let edit = KnowledgeEdit::EditSynonymGroup { index: 0, was: was.clone(), terms };
        let e = apply(&k, &f, &edit, &HashSet::new()).unwrap();
        assert!(e.knowledge.synonyms[0].terms.iter().any(|t| t == "六氟磷酸锂晶体"));
        let stale = KnowledgeEdit::EditSynonymGroup { index: 1, was: was.clone(), terms: s(&["甲", "乙"]) };
        assert_eq!(apply(&k, &f, &stale, &HashSet::new()).unwrap_err(), EditError::NoGroup(1));
        let e = run(KnowledgeEdit::RemoveSynonymGroup { index: 0, was }).unwrap();
        assert_eq!(e.knowledge.synonyms.len(), n - 1);
    }

    #[test]
    fn links_add_edit_remove_and_refusals() {
        let (k, _) = base();
        let d = k.disciplines[0].name.clone();
        let e = run(KnowledgeEdit::AddLink {
            id: None,
            symptoms: s(&["滤布堵得快"]),
            disciplines: vec![d.clone(), "某个新方法".into()],
            note: "滤布堵 → 过滤".into(),
        })
        .unwrap();
        let l = e.knowledge.links.last().unwrap();
        assert_eq!((l.id.as_str(), l.note.as_str()), ("office_001", "滤布堵 → 过滤"));
        assert_eq!(e.changed, vec!["problem_links.toml"]);
        let add = |id: Option<&str>, sy: &[&str], di: &[&str]| {
            run(KnowledgeEdit::AddLink {
                id: id.map(String::from),
                symptoms: s(sy),
                disciplines: s(di),
                note: String::new(),
            })
            .unwrap_err()
        };
        let d = d.as_str();
        let generic = k.generic[0].as_str();
        assert_eq!(add(None, &[], &[d]), EditError::NoSymptom);
        assert_eq!(add(None, &["滤布堵"], &["没有这个学科"]), EditError::NoKnownDiscipline);
        assert_eq!(add(None, &["滤布堵"], &[]), EditError::NoKnownDiscipline);
        assert_eq!(add(None, &[generic], &[d]), EditError::GenericSymptom(generic.to_string()));
        assert_eq!(add(Some("low_yield"), &["滤布堵"], &[d]), EditError::LinkIdTaken("low_yield".into()));
        assert_eq!(add(Some("滤布"), &["滤布堵"], &[d]), EditError::BadLinkId("滤布".into()));
        let e = run(KnowledgeEdit::EditLink {
            id: "low_yield".into(),
            symptoms: s(&["收率低"]),
            disciplines: vec![d.to_string()],
            note: "新的说明".into(),
        })
        .unwrap();
        let l = e.knowledge.links.iter().find(|l| l.id == "low_yield").unwrap();
        assert_eq!((l.symptoms.len(), l.note.as_str()), (1, "新的说明"));
        let err = run(KnowledgeEdit::RemoveLink { id: "nope".into() }).unwrap_err();
        assert_eq!(err, EditError::NoLink("nope".into()));
        let e = run(KnowledgeEdit::RemoveLink { id: "low_yield".into() }).unwrap();
        assert!(e.knowledge.links.iter().all(|l| l.id != "low_yield"));
    }

    #[test]
    fn edited_files_round_trip() {
        let (k, f) = base();
        let mut cur = (k, f);
        for edit in [
            KnowledgeEdit::AddSubfield {
                parent: "NE".into(),
                code: None,
                name: "钠离子电池材料X".into(),
                aliases: vec![],
            },
            KnowledgeEdit::MoveSubfield { code: "FL01".into(), new_parent: "PM".into() },
            KnowledgeEdit::MergeSubfield { from: "FL03".into(), into: "FL02".into() },
            KnowledgeEdit::AddSynonymGroup { terms: s(&["星辰酸", "XC-9"]) },
        ] {
            let e = apply(&cur.0, &cur.1, &edit, &HashSet::new()).unwrap();
            let again = e.files.parse().unwrap();
            assert!(crate::domain::knowledge_toml::tests::same(&again, &e.knowledge));
            assert_eq!(again.fingerprint, e.knowledge.fingerprint);
            cur = (e.knowledge, e.files);
        }
        assert!(cur.1.taxonomy.starts_with("# 新材料细分领域"));
    }
}
