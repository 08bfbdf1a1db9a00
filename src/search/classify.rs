//! Auto-classification: which subfield a record's text belongs to, from the taxonomy's terms.
//! Used for records without a subfield; the result is shown as a suggestion (建议归类), with the
//! terms that decided it.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::Analyzer;
use crate::domain::Taxonomy;

/// A suggested subfield with the terms found for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    pub code: String,
    pub score: f64,
    pub terms: Vec<String>,
}

/// The taxonomy's terms, analysed once, for classifying many texts.
#[derive(Debug, Clone)]
pub struct Classifier {
    analyzer: Analyzer,
    /// (subfield code, term as written, its analysed parts).
    entries: Vec<(String, String, Vec<String>)>,
    /// First part → entry indices.
    by_first: HashMap<String, Vec<usize>>,
}

impl Classifier {
    pub fn new(analyzer: &Analyzer, taxonomy: &Taxonomy) -> Self {
        let mut entries = Vec::new();
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
        for node in taxonomy.nodes().iter().filter(|n| n.parent.is_some()) {
            for term in std::iter::once(&node.name).chain(&node.aliases).chain(&node.terms) {
                let parts: Vec<String> =
                    analyzer.query_terms(term).into_iter().filter(|p| !p.sub).map(|p| p.text).collect();
                if let Some(first) = parts.first() {
                    by_first.entry(first.clone()).or_default().push(entries.len());
                    entries.push((node.code.clone(), term.clone(), parts));
                }
            }
        }
        Classifier { analyzer: analyzer.clone(), entries, by_first }
    }

    /// Ranks the subfields whose terms (and names/aliases) occur in `text`; best first, ties by
    /// code. A node needs two distinct terms, or one term of four or more characters.
    pub fn classify(&self, text: &str) -> Vec<Classification> {
        let tokens: HashSet<String> = self.analyzer.words(text).into_iter().map(|t| t.text).collect();
        let mut found: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for t in &tokens {
            for &i in self.by_first.get(t).into_iter().flatten() {
                let (code, term, parts) = &self.entries[i];
                if parts.iter().all(|p| tokens.contains(p)) {
                    let list = found.entry(code.as_str()).or_default();
                    if !list.contains(&term.as_str()) {
                        list.push(term.as_str());
                    }
                }
            }
        }
        let mut out: Vec<Classification> = found
            .into_iter()
            .filter(|(_, terms)| terms.len() >= 2 || terms.iter().any(|t| t.chars().count() >= 4))
            .map(|(code, mut terms)| {
                terms.sort();
                let score = terms.iter().map(|t| (t.chars().count() as f64).sqrt()).sum();
                Classification {
                    code: code.to_string(),
                    score,
                    terms: terms.iter().map(std::string::ToString::to_string).collect(),
                }
            })
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.code.cmp(&b.code)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Knowledge;

    #[test]
    fn classifies_from_terms_and_refuses_thin_evidence() {
        let k = Knowledge::builtin();
        let a = Classifier::new(&Analyzer::new(&k.vocabulary()), &k.taxonomy);
        let c = a.classify("我司六氟磷酸锂结晶工序收率偏低，产品游离酸和水分超标");
        assert_eq!(c.first().map(|c| c.code.as_str()), Some("FL05"), "{c:?}");
        assert!(c[0].terms.iter().any(|t| t == "六氟磷酸锂"));
        let c = a.classify("压铸件气孔多，A356铝合金T6热处理后强度不够");
        assert_eq!(c.first().map(|c| k.taxonomy.field_of(&c.code)), Some("LW"), "{c:?}");
        assert!(a.classify("希望与高校合作").is_empty());
    }
}
