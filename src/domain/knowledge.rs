//! Domain knowledge kept as data so office staff can extend it: the taxonomy, synonym groups
//! (`data/synonyms.toml`) and shop-floor symptom → discipline links (`data/problem_links.toml`).
//! The program ships these files compiled in; copies placed in the data folder's `knowledge/`
//! sub-folder replace them (see `io::knowledge`).

use super::Taxonomy;

pub const BUILTIN_SYNONYMS: &str = include_str!("../../data/synonyms.toml");
pub const BUILTIN_PROBLEM_LINKS: &str = include_str!("../../data/problem_links.toml");
pub const BUILTIN_DISCIPLINES: &str = include_str!("../../data/disciplines.toml");
pub const BUILTIN_GENERIC_WORDS: &str = include_str!("../../data/generic_words.toml");

/// The texts of the knowledge files.
#[derive(Debug, Clone, Copy)]
pub struct KnowledgeTexts<'a> {
    pub taxonomy: &'a str,
    pub synonyms: &'a str,
    pub links: &'a str,
    pub disciplines: &'a str,
    pub generic: &'a str,
}

impl KnowledgeTexts<'static> {
    /// The files compiled into the program.
    pub const BUILTIN: Self = KnowledgeTexts {
        taxonomy: super::taxonomy::BUILTIN_TOML,
        synonyms: BUILTIN_SYNONYMS,
        links: BUILTIN_PROBLEM_LINKS,
        disciplines: BUILTIN_DISCIPLINES,
        generic: BUILTIN_GENERIC_WORDS,
    };
}

/// A discipline or research field as experts write it (材料物理与化学, 有色金属冶金 …), with the
/// taxonomy nodes it serves and how strongly (data/disciplines.toml).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Discipline {
    pub name: String,
    pub aliases: Vec<String>,
    /// (taxonomy code, strength 0–1); a field code means the whole field.
    pub serves: Vec<(String, f64)>,
    pub note: String,
}

/// Words that mean the same thing (full name, abbreviation, formula, English, shop-floor name).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SynonymGroup {
    pub terms: Vec<String>,
}

/// A shop-floor symptom that points to the science that solves it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProblemLink {
    pub id: String,
    pub symptoms: Vec<String>,
    pub disciplines: Vec<String>,
    pub note: String,
}

/// Everything the matcher knows besides the records themselves.
#[derive(Debug, Clone)]
pub struct Knowledge {
    pub taxonomy: Taxonomy,
    pub synonyms: Vec<SynonymGroup>,
    pub links: Vec<ProblemLink>,
    pub disciplines: Vec<Discipline>,
    /// Words that are never evidence of a match on their own (data/generic_words.toml).
    pub generic: Vec<String>,
    /// A hash of the source texts: the search index is rebuilt when it changes.
    pub fingerprint: u64,
}

#[derive(serde::Deserialize)]
struct RawSynonyms {
    #[serde(default)]
    group: Vec<RawGroup>,
}

#[derive(serde::Deserialize)]
struct RawGroup {
    terms: Vec<String>,
}

#[derive(serde::Deserialize)]
struct RawDisciplines {
    #[serde(default)]
    discipline: Vec<RawDiscipline>,
}

#[derive(serde::Deserialize)]
struct RawDiscipline {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    serves: std::collections::BTreeMap<String, f64>,
    #[serde(default)]
    note: String,
}

#[derive(serde::Deserialize)]
struct RawGeneric {
    #[serde(default)]
    words: Vec<String>,
}

#[derive(serde::Deserialize)]
struct RawLinks {
    #[serde(default)]
    link: Vec<RawLink>,
}

#[derive(serde::Deserialize)]
struct RawLink {
    id: String,
    symptoms: Vec<String>,
    disciplines: Vec<String>,
    #[serde(default)]
    note: String,
}

fn parse_disciplines(text: &str, taxonomy: &Taxonomy) -> Result<Vec<Discipline>, String> {
    let raw: RawDisciplines = toml::from_str(text).map_err(|e| format!("disciplines.toml 格式错误：{e}"))?;
    let mut names = std::collections::HashSet::new();
    let mut out = Vec::new();
    for d in raw.discipline {
        let name = d.name.trim().to_string();
        for n in std::iter::once(&name).chain(&d.aliases) {
            if !names.insert(crate::util::norm_key(n)) {
                return Err(format!("disciplines.toml：“{n}”出现了不止一次"));
            }
        }
        for (code, strength) in &d.serves {
            if taxonomy.node(code).is_none() {
                return Err(format!("disciplines.toml：“{name}”的分类编码 {code} 不存在"));
            }
            if !(0.0..=1.0).contains(strength) {
                return Err(format!("disciplines.toml：“{name}”对 {code} 的强度应在 0 到 1 之间"));
            }
        }
        out.push(Discipline { name, aliases: d.aliases, serves: d.serves.into_iter().collect(), note: d.note });
    }
    Ok(out)
}

/// FNV-1a, stable across runs and platforms (std's hasher is not).
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

impl Knowledge {
    /// The knowledge compiled into the program.
    pub fn builtin() -> Self {
        Self::from_files(KnowledgeTexts::BUILTIN).expect("the data/ files are checked by the tests")
    }

    /// The taxonomy, synonyms and links given, the other files built in.
    pub fn from_texts(taxonomy: &str, synonyms: &str, links: &str) -> Result<Self, String> {
        Self::from_files(KnowledgeTexts { taxonomy, synonyms, links, ..KnowledgeTexts::BUILTIN })
    }

    /// Parses the knowledge files; errors name the file and are in Chinese.
    pub fn from_files(t: KnowledgeTexts<'_>) -> Result<Self, String> {
        let KnowledgeTexts { taxonomy, synonyms, links, disciplines, generic } = t;
        let fingerprint = fnv1a(&[taxonomy, synonyms, links, disciplines, generic]);
        let taxonomy = Taxonomy::from_toml(taxonomy).map_err(|e| format!("taxonomy.toml：{e}"))?;
        let raw: RawSynonyms = toml::from_str(synonyms).map_err(|e| format!("synonyms.toml 格式错误：{e}"))?;
        let synonyms = raw
            .group
            .into_iter()
            .map(|g| SynonymGroup {
                terms: g.terms.into_iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
            })
            .filter(|g| g.terms.len() >= 2)
            .collect();
        let raw: RawLinks = toml::from_str(links).map_err(|e| format!("problem_links.toml 格式错误：{e}"))?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for l in raw.link {
            if !seen.insert(l.id.clone()) {
                return Err(format!("problem_links.toml：编号“{}”重复", l.id));
            }
            if l.symptoms.is_empty() || l.disciplines.is_empty() {
                return Err(format!("problem_links.toml：“{}”需要至少一个症状词和一个学科词", l.id));
            }
            let note = if l.note.is_empty() { format!("{} → {}", l.symptoms[0], l.disciplines[0]) } else { l.note };
            out.push(ProblemLink { id: l.id, symptoms: l.symptoms, disciplines: l.disciplines, note });
        }
        let disciplines = parse_disciplines(disciplines, &taxonomy)?;
        let raw: RawGeneric = toml::from_str(generic).map_err(|e| format!("generic_words.toml 格式错误：{e}"))?;
        let generic = raw.words.into_iter().map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect();
        Ok(Knowledge { taxonomy, synonyms, links: out, disciplines, generic, fingerprint })
    }

    /// All words the tokenizer should keep whole: taxonomy vocabulary, synonyms, link words.
    pub fn vocabulary(&self) -> Vec<String> {
        let mut v = self.taxonomy.vocabulary();
        v.extend(self.synonyms.iter().flat_map(|g| g.terms.iter().cloned()));
        v.extend(self.links.iter().flat_map(|l| l.symptoms.iter().chain(&l.disciplines).cloned()));
        v.extend(self.disciplines.iter().flat_map(|d| std::iter::once(&d.name).chain(&d.aliases).cloned()));
        v.sort();
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_knowledge_parses_with_enough_content() {
        let k = Knowledge::builtin();
        assert!(k.synonyms.len() >= 200, "{}", k.synonyms.len());
        assert!(k.links.len() >= 100, "{}", k.links.len());
        assert!(
            k.synonyms
                .iter()
                .any(|g| g.terms.iter().any(|t| t == "LiPF6") && g.terms.iter().any(|t| t == "六氟磷酸锂"))
        );
        assert!(k.links.iter().any(|l| l.symptoms.iter().any(|s| s.contains("乳化"))));
        assert!(k.vocabulary().iter().any(|w| w == "硅碳负极"));
        assert!(k.disciplines.len() >= 150, "{}", k.disciplines.len());
        assert!(k.disciplines.iter().any(|d| d.name == "有色金属冶金" && !d.serves.is_empty()));
        assert!(k.generic.iter().any(|w| w == "材料") && k.generic.iter().any(|w| w == "性能"));
        assert!(k.taxonomy.nodes().iter().any(|n| !n.related.is_empty()));
    }

    #[test]
    fn broken_link_files_are_refused() {
        let tax = super::super::taxonomy::BUILTIN_TOML;
        let dup = "[[link]]\nid='a'\nsymptoms=['x']\ndisciplines=['y']\n[[link]]\nid='a'\nsymptoms=['x']\ndisciplines=['y']\n";
        assert!(Knowledge::from_texts(tax, "", dup).unwrap_err().contains("重复"));
        let empty = "[[link]]\nid='a'\nsymptoms=[]\ndisciplines=['y']\n";
        assert!(Knowledge::from_texts(tax, "", empty).unwrap_err().contains("至少"));
        assert!(Knowledge::from_texts(tax, "[[group]]\nterms=3", "").unwrap_err().contains("synonyms.toml"));
    }

    #[test]
    fn fingerprint_changes_with_any_file() {
        let tax = super::super::taxonomy::BUILTIN_TOML;
        let a = Knowledge::from_texts(tax, "", "").unwrap().fingerprint;
        let b = Knowledge::from_texts(tax, "[[group]]\nterms=['甲','乙']\n", "").unwrap().fingerprint;
        assert_ne!(a, b);
    }
}
