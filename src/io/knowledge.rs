//! Loading the knowledge files: the built-in ones, each replaced by a copy of the same name in
//! the user's `knowledge/` folder (next to the database) when present — so office staff can
//! extend the taxonomy, synonyms and problem links without a new program.

use std::path::Path;

use super::{FileError, Result};
use crate::domain::Knowledge;
use crate::domain::knowledge::KnowledgeTexts;

/// The knowledge files, by the names staff put in the `knowledge/` folder.
pub const FILES: [&str; 5] =
    ["taxonomy.toml", "synonyms.toml", "problem_links.toml", "disciplines.toml", "generic_words.toml"];

/// Built-in knowledge, with files found in `dir` taking precedence. A broken override is an
/// error naming the file (never silently ignored).
pub fn load(dir: &Path) -> Result<Knowledge> {
    let read = |name: &str, builtin: &'static str| -> Result<String> {
        let p = dir.join(name);
        if p.exists() {
            std::fs::read_to_string(&p).map_err(|source| FileError::Read { path: p, source })
        } else {
            Ok(builtin.to_string())
        }
    };
    let b = KnowledgeTexts::BUILTIN;
    let taxonomy = read(FILES[0], b.taxonomy)?;
    let synonyms = read(FILES[1], b.synonyms)?;
    let links = read(FILES[2], b.links)?;
    let disciplines = read(FILES[3], b.disciplines)?;
    let generic = read(FILES[4], b.generic)?;
    let texts = KnowledgeTexts {
        taxonomy: &taxonomy,
        synonyms: &synonyms,
        links: &links,
        disciplines: &disciplines,
        generic: &generic,
    };
    Knowledge::from_files(texts).map_err(|detail| FileError::Knowledge { file: dir.to_path_buf(), detail })
}

/// The follow-up settings: built in, or `followup.toml` in `dir` when present.
pub fn load_followup(dir: &Path) -> Result<crate::domain::followup::FollowupConfig> {
    let p = dir.join("followup.toml");
    if !p.exists() {
        return Ok(crate::domain::followup::FollowupConfig::builtin());
    }
    let text = std::fs::read_to_string(&p).map_err(|source| FileError::Read { path: p.clone(), source })?;
    crate::domain::followup::FollowupConfig::from_toml(&text).map_err(|detail| FileError::Knowledge { file: p, detail })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_replace_builtin_files_and_errors_name_them() {
        let dir = tempfile::tempdir().unwrap();
        let builtin = load(dir.path()).unwrap();
        assert_eq!(builtin.fingerprint, Knowledge::builtin().fingerprint);
        std::fs::write(dir.path().join("synonyms.toml"), "[[group]]\nterms = [\"萃取剂P507\", \"P507\"]\n").unwrap();
        let k = load(dir.path()).unwrap();
        assert_eq!(k.synonyms.len(), 1);
        assert_ne!(k.fingerprint, builtin.fingerprint);
        std::fs::write(dir.path().join("problem_links.toml"), "[[link]]\nid = 3\n").unwrap();
        let e = load(dir.path()).unwrap_err();
        assert!(matches!(&e, FileError::Knowledge { detail, .. } if detail.contains("problem_links.toml")), "{e}");
    }
}
