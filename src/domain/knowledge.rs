//! Domain knowledge kept as data so office staff can extend it: the taxonomy, synonym groups
//! (`data/synonyms.toml`) and shop-floor symptom → discipline links (`data/problem_links.toml`).
//! The program ships these files compiled in; copies placed in the data folder's `knowledge/`
//! sub-folder replace them (see `io::knowledge`).

use super::Taxonomy;

pub const BUILTIN_SYNONYMS: &str = include_str!("../../data/synonyms.toml");
pub const BUILTIN_PROBLEM_LINKS: &str = include_str!("../../data/problem_links.toml");

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
        Self::from_texts(super::taxonomy::BUILTIN_TOML, BUILTIN_SYNONYMS, BUILTIN_PROBLEM_LINKS)
            .expect("the data/ files are checked by the tests")
    }

    /// Parses the three files; errors name the file and are in Chinese.
    pub fn from_texts(taxonomy: &str, synonyms: &str, links: &str) -> Result<Self, String> {
        let fingerprint = fnv1a(&[taxonomy, synonyms, links]);
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
        Ok(Knowledge { taxonomy, synonyms, links: out, fingerprint })
    }

    /// All words the tokenizer should keep whole: taxonomy vocabulary, synonyms, link words.
    pub fn vocabulary(&self) -> Vec<String> {
        let mut v = self.taxonomy.vocabulary();
        v.extend(self.synonyms.iter().flat_map(|g| g.terms.iter().cloned()));
        v.extend(self.links.iter().flat_map(|l| l.symptoms.iter().chain(&l.disciplines).cloned()));
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
