//! Loading the knowledge files: the built-in ones, each replaced by a copy of the same name in
//! the user's `knowledge/` folder (next to the database) when present — so office staff can
//! extend the taxonomy, synonyms and problem links without a new program.

use std::path::Path;

use super::{FileError, Result};
use crate::domain::Knowledge;
use crate::domain::knowledge_edit::KnowledgeFiles;

/// The knowledge files, by the names staff put in the `knowledge/` folder.
pub const FILES: [&str; 5] =
    ["taxonomy.toml", "synonyms.toml", "problem_links.toml", "disciplines.toml", "generic_words.toml"];

/// Built-in knowledge, with files found in `dir` taking precedence. A broken override is an
/// error naming the file (never silently ignored).
pub fn load(dir: &Path) -> Result<Knowledge> {
    Ok(load_with_files(dir)?.0)
}

/// [`load`], with the texts it was read from (the knowledge editor writes them back).
pub fn load_with_files(dir: &Path) -> Result<(Knowledge, KnowledgeFiles)> {
    let files = read_files(dir, &KnowledgeFiles::builtin())?;
    let k = files.parse().map_err(|detail| FileError::Knowledge { file: dir.to_path_buf(), detail })?;
    Ok((k, files))
}

/// The texts of the knowledge files in `dir`, each one missing there taken from `fallback`.
fn read_files(dir: &Path, fallback: &KnowledgeFiles) -> Result<KnowledgeFiles> {
    let read = |name: &str, other: &str| -> Result<String> {
        let p = dir.join(name);
        if p.is_file() {
            std::fs::read_to_string(&p).map_err(|source| FileError::Read { path: p, source })
        } else {
            Ok(other.to_string())
        }
    };
    Ok(KnowledgeFiles {
        taxonomy: read(FILES[0], &fallback.taxonomy)?,
        synonyms: read(FILES[1], &fallback.synonyms)?,
        links: read(FILES[2], &fallback.links)?,
        disciplines: read(FILES[3], &fallback.disciplines)?,
        generic: read(FILES[4], &fallback.generic)?,
    })
}

/// A folder handed over by another office (导入知识文件): the knowledge files found in it, the
/// others kept from `current`. Everything is read and checked before anything is replaced; a
/// folder without any knowledge file is refused.
pub fn read_import(dir: &Path, current: &KnowledgeFiles) -> Result<(Knowledge, KnowledgeFiles)> {
    if !FILES.iter().any(|f| dir.join(f).is_file()) {
        let detail = format!("文件夹中没有知识文件（{}）", FILES.join("、"));
        return Err(FileError::Knowledge { file: dir.to_path_buf(), detail });
    }
    let files = read_files(dir, current)?;
    let k = files.parse().map_err(|detail| FileError::Knowledge { file: dir.to_path_buf(), detail })?;
    Ok((k, files))
}

/// Writes the named files of `files` into `dir` (created when missing). Each file is written
/// to a temporary name and renamed over the old one, so a failure never leaves half a file; all
/// temporary files are written before the first rename.
pub fn write_files(dir: &Path, files: &KnowledgeFiles, names: &[&str]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| FileError::Write { path: dir.to_path_buf(), source })?;
    let mut staged = Vec::new();
    for (name, text) in files.named() {
        if !names.contains(&name) {
            continue;
        }
        let tmp = dir.join(format!(".{name}.{}.knowledge.tmp", std::process::id()));
        if let Err(source) = write_synced(&tmp, text.as_bytes()) {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&tmp);
            return Err(FileError::Write { path: dir.join(name), source });
        }
        staged.push((tmp, dir.join(name)));
    }
    for (tmp, target) in &staged {
        if let Err(source) = std::fs::rename(tmp, target) {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            return Err(FileError::Write { path: target.clone(), source });
        }
    }
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
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

    #[test]
    fn written_files_read_back_and_imports_are_checked_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = KnowledgeFiles::builtin();
        files.synonyms = "[[group]]\nterms = [\"甲乙丙\", \"丁戊己\"]\n".into();
        write_files(dir.path(), &files, &["synonyms.toml"]).unwrap();
        assert!(!dir.path().join("taxonomy.toml").exists());
        let (k, back) = load_with_files(dir.path()).unwrap();
        assert_eq!((k.synonyms.len(), back), (1, files.clone()));
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".tmp")));
        assert_eq!(leftovers.count(), 0);
        let other = tempfile::tempdir().unwrap();
        assert!(read_import(other.path(), &files).is_err(), "an empty folder is refused");
        std::fs::write(other.path().join("problem_links.toml"), "[[link]]\nid = 3\n").unwrap();
        assert!(read_import(other.path(), &files).is_err());
        write_files(other.path(), &KnowledgeFiles::builtin(), &["problem_links.toml"]).unwrap();
        let (_, imported) = read_import(other.path(), &files).unwrap();
        assert_eq!(imported.synonyms, files.synonyms, "files missing from the folder stay as they are");
        assert_eq!(imported.links, KnowledgeFiles::builtin().links);
    }
}
