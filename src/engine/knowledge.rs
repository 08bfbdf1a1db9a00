//! 设置 → 知识库: edits of the knowledge, its export and import. Each change is checked
//! (`domain::knowledge_edit`), recorded in the change log and — for a merge — re-maps the
//! records' subfield codes, all in one transaction whose last step writes the TOML files into the
//! data folder's `knowledge/` sub-folder (temporary files renamed over the old ones). Then the
//! new knowledge replaces the old one in memory and the search index is rebuilt with it, so
//! search, matching and classification use it from the next command on. The log keeps the
//! images of the changed files' rows (and of re-mapped records), so the change is undone like
//! any other action.

use std::collections::HashSet;
use std::path::Path;

use super::Core;
use super::error::{EngineError, Result};
use super::history::{self, Action, Change};
use crate::domain::knowledge_edit::{self, Edited, KnowledgeEdit};
use crate::domain::{Knowledge, KnowledgeFiles};
use crate::search::SearchIndex;
use crate::store::{self, changelog};

/// What a knowledge change did.
#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeChanged {
    /// The change as the log says it.
    pub summary: String,
    /// The files written.
    pub files: Vec<&'static str>,
    /// Records whose subfield codes were re-mapped (a merge).
    pub remapped: usize,
    /// Records classified under a code the new taxonomy no longer has (an imported taxonomy
    /// without it): they keep the code.
    pub stray: usize,
}

/// The change log's words for an edit.
fn summary(k: &Knowledge, edit: &KnowledgeEdit) -> String {
    use KnowledgeEdit as E;
    let name = |c: &str| format!("{c} {}", k.taxonomy.name(c).unwrap_or(""));
    match edit {
        E::AddSubfield { parent, name: n, .. } => format!("新增细分领域“{n}”（{}下）", name(parent)),
        E::RenameSubfield { code, name: n } => format!("细分领域 {} 改名为“{n}”", name(code)),
        E::MoveSubfield { code, new_parent } => format!("细分领域 {} 移到 {}", name(code), name(new_parent)),
        E::MergeSubfield { from, into } => format!("细分领域 {} 并入 {}", name(from), name(into)),
        E::SetAliases { code, .. } => format!("修改 {} 的别名", name(code)),
        E::SetTerms { code, .. } => format!("修改 {} 的分类术语", name(code)),
        E::AddSynonymGroup { terms } => format!("新增同义词组：{}", terms.join("、")),
        E::EditSynonymGroup { terms, .. } => format!("修改同义词组：{}", terms.join("、")),
        E::RemoveSynonymGroup { was, .. } => format!("删除同义词组：{}", was.join("、")),
        E::AddLink { symptoms, .. } => format!("新增问题→学科关联：{}", symptoms.join("、")),
        E::EditLink { id, .. } => format!("修改问题→学科关联 {id}"),
        E::RemoveLink { id } => format!("删除问题→学科关联 {id}"),
    }
}

/// Classifies every record under `from` under `into` instead (confirmed subfields; the
/// suggested ones follow from the new knowledge). Insert and delete, not update, so the
/// database's change counter moves (its triggers watch inserts and deletes). Returns how many
/// records changed.
fn remap(conn: &rusqlite::Connection, from: &str, into: &str) -> rusqlite::Result<usize> {
    let mut n = 0;
    for (table, col) in [("expert_subfield", "expert_id"), ("demand_subfield", "demand_id")] {
        conn.execute(
            &format!("INSERT OR IGNORE INTO {table}({col}, code) SELECT {col}, ?2 FROM {table} WHERE code = ?1"),
            [from, into],
        )?;
        n += conn.execute(&format!("DELETE FROM {table} WHERE code = ?1"), [from])?;
    }
    Ok(n)
}

/// The experts and demands classified under `code`.
fn coded(conn: &rusqlite::Connection, code: &str) -> rusqlite::Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for (t, table, col) in [("expert", "expert_subfield", "expert_id"), ("demand", "demand_subfield", "demand_id")] {
        let mut stmt = conn.prepare(&format!("SELECT {col} FROM {table} WHERE code = ?1 ORDER BY {col}"))?;
        for id in stmt.query_map([code], |r| r.get::<_, i64>(0))? {
            out.push((t, id?));
        }
    }
    Ok(out)
}

/// The records' images as the log keeps them, with their labels.
#[allow(clippy::type_complexity)]
fn images(
    conn: &rusqlite::Connection,
    ids: &[(&'static str, i64)],
) -> Result<Vec<(&'static str, i64, String, Option<changelog::Image>)>> {
    ids.iter()
        .map(|&(t, id)| Ok((t, id, history::label(conn, t, id)?, changelog::record_image(conn, t, id)?)))
        .collect()
}

/// How many records carry a subfield code the taxonomy does not have.
fn stray_records(conn: &rusqlite::Connection, k: &Knowledge) -> rusqlite::Result<usize> {
    let mut n = 0;
    for (table, col) in [("expert_subfield", "expert_id"), ("demand_subfield", "demand_id")] {
        let mut stmt = conn.prepare(&format!("SELECT {col}, code FROM {table}"))?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut stray = HashSet::new();
        for row in rows {
            let (id, code) = row?;
            if k.taxonomy.node(&code).is_none() {
                stray.insert(id);
            }
        }
        n += stray.len();
    }
    Ok(n)
}

impl Core {
    /// The knowledge files as they are in use.
    pub fn knowledge_files(&self) -> &KnowledgeFiles {
        &self.knowledge_files
    }

    /// Codes the database has seen (current and merged away): never given out again.
    fn known_codes(&self) -> Result<HashSet<String>> {
        let mut stmt = self.conn.prepare("SELECT code FROM subfield")?;
        let codes = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(codes)
    }

    /// Checks and applies one edit; `progress` hears (done, total) of the index rebuild.
    pub fn edit_knowledge(
        &mut self,
        edit: &KnowledgeEdit,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<KnowledgeChanged> {
        let retired = self.known_codes()?;
        let edited = knowledge_edit::apply(&self.knowledge, &self.knowledge_files, edit, &retired)
            .map_err(EngineError::Knowledge)?;
        let what = summary(&self.knowledge, edit);
        self.adopt(edited, &what, progress)
    }

    /// Replaces the knowledge by the files found in `dir` (导入知识文件); files missing there stay
    /// as they are. The whole folder is read and checked before anything is replaced.
    pub fn import_knowledge(&mut self, dir: &Path, progress: &mut dyn FnMut(usize, usize)) -> Result<KnowledgeChanged> {
        let (knowledge, files) = crate::io::knowledge::read_import(dir, &self.knowledge_files)?;
        let changed = files
            .named()
            .iter()
            .zip(self.knowledge_files.named())
            .filter(|(a, b)| a.1 != b.1)
            .map(|(a, _)| a.0)
            .collect();
        let edited = Edited { knowledge, files, changed, remap: None };
        self.adopt(edited, &format!("导入知识文件（{}）", dir.display()), progress)
    }

    /// Writes the knowledge files in use into `dir` (导出知识文件): all five, so another office
    /// gets the whole knowledge.
    pub fn export_knowledge(&self, dir: &Path) -> Result<Vec<&'static str>> {
        self.check_output(dir)?;
        let names: Vec<&'static str> = self.knowledge_files.named().iter().map(|(n, _)| *n).collect();
        crate::io::knowledge::write_files(dir, &self.knowledge_files, &names)?;
        Ok(names)
    }

    /// The change made: the log, the re-mapped records and the files in one transaction, then
    /// the knowledge swapped and the index rebuilt.
    fn adopt(
        &mut self,
        edited: Edited,
        what: &str,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<KnowledgeChanged> {
        let Edited { knowledge, files, changed, remap: pair } = edited;
        // New and renamed nodes first (a node merged away stays, so old log entries keep their codes).
        store::sync_taxonomy(&self.conn, &knowledge.taxonomy)?;
        let conn = &self.conn;
        let dir = self.knowledge_dir.clone();
        let old_files = &self.knowledge_files;
        let (remapped, summary) = store::atomically(conn, || -> Result<(usize, String)> {
            // Logged as row images (the files' rows and the re-mapped records), so undo can put
            // everything back.
            let mut changes: Vec<Change> = Vec::new();
            for (name, text) in files.named().into_iter().filter(|(n, _)| changed.contains(n)) {
                let old = old_files.named().into_iter().find(|(n, _)| *n == name).map_or("", |(_, t)| t);
                let id = store::knowledge_file_row(conn, name, old)?;
                // The row follows the file in use (edited outside Bole, or never logged before).
                store::set_knowledge_file(conn, id, old)?;
                let before = changelog::record_image(conn, "knowledge_file", id)?;
                store::set_knowledge_file(conn, id, text)?;
                let after = changelog::record_image(conn, "knowledge_file", id)?;
                changes.push(("knowledge_file", id, format!("知识文件 {name}"), before, after));
            }
            let n = match &pair {
                Some((from, into)) => {
                    let ids = coded(conn, from)?;
                    let befores = images(conn, &ids)?;
                    let n = remap(conn, from, into)?;
                    for ((t, id, label, before), (.., after)) in befores.into_iter().zip(images(conn, &ids)?) {
                        changes.push((t, id, label, before, after));
                    }
                    n
                }
                None => 0,
            };
            let summary = if n > 0 { format!("{what}，{n} 条记录改归新领域") } else { what.to_string() };
            history::record(conn, Action::Knowledge, &summary, &changes)?;
            if let Some(dir) = &dir
                && !changed.is_empty()
            {
                crate::io::knowledge::write_files(dir, &files, &changed)?;
            }
            Ok((n, summary))
        })?;
        let stray = stray_records(&self.conn, &knowledge)?;
        self.knowledge = knowledge;
        self.knowledge_files = files;
        self.rebuild_with_knowledge(progress)?;
        Ok(KnowledgeChanged { summary, files: changed, remapped, stray })
    }

    /// Before an undo: the knowledge files the batch changed must still read as it left them
    /// (not edited in the data folder by hand since), else the undo would lose that edit.
    pub(super) fn check_knowledge_undo(&self, batch: i64) -> Result<()> {
        for r in changelog::rows(&self.conn, batch)?.iter().filter(|r| r.table == "knowledge_file") {
            let Some(after) = &r.after else { continue };
            let (name, left) = (after.text("name"), after.text("content"));
            let now = self.knowledge_files.named().into_iter().find(|(n, _)| Some(*n) == name).map(|(_, t)| t);
            if left.is_some() && now.is_some() && left != now {
                return Err(EngineError::Undo(changelog::UndoBlock::ChangedSince(r.label.clone())));
            }
        }
        Ok(())
    }

    /// Inside an undo's transaction: when it put knowledge file rows back, the files they make
    /// (checked by parsing) are written to the data folder; returns them to adopt.
    pub(super) fn knowledge_undone(&self, touched: &[(String, i64)]) -> Result<Option<(Knowledge, KnowledgeFiles)>> {
        let mut files = self.knowledge_files.clone();
        let mut names: Vec<String> = Vec::new();
        for (_, id) in touched.iter().filter(|(t, _)| t == "knowledge_file") {
            let Some((name, text)) = store::knowledge_file(&self.conn, *id)? else { continue };
            if files.set(&name, text) {
                names.push(name);
            }
        }
        if names.is_empty() {
            return Ok(None);
        }
        let folder = self.knowledge_dir.clone().unwrap_or_default();
        let knowledge =
            files.parse().map_err(|detail| crate::io::FileError::Knowledge { file: folder.clone(), detail })?;
        if let Some(dir) = &self.knowledge_dir {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            crate::io::knowledge::write_files(dir, &files, &names)?;
        }
        Ok(Some((knowledge, files)))
    }

    /// After an undo that put knowledge files back: they are used from now on.
    pub(super) fn adopt_undone(&mut self, knowledge: Knowledge, files: KnowledgeFiles) -> Result<()> {
        store::sync_taxonomy(&self.conn, &knowledge.taxonomy)?;
        self.knowledge = knowledge;
        self.knowledge_files = files;
        self.rebuild_with_knowledge(&mut |_, _| {})
    }

    /// A new analyser and prepared knowledge, and the index rebuilt with them (`progress` hears
    /// how far it is), committed at the database's change counter. Until that commit the index
    /// on disk is behind the database, so an interrupted rebuild is redone at the next start.
    fn rebuild_with_knowledge(&mut self, progress: &mut dyn FnMut(usize, usize)) -> Result<()> {
        self.drop_model();
        let dir = self.index.dir().map(Path::to_path_buf);
        self.index = match SearchIndex::rebuilt(dir.as_deref(), &self.conn, &self.knowledge, progress) {
            Ok(idx) => idx,
            Err(e @ crate::search::SearchError::Store(_)) => return Err(e.into()),
            // The folder cannot be written now (another Bole holds it): this process searches an
            // index in memory; the next start finds the one on disk out of date and rebuilds it.
            Err(_) if dir.is_some() => SearchIndex::rebuilt(None, &self.conn, &self.knowledge, progress)?,
            Err(e) => return Err(e.into()),
        };
        self.mark_index_fresh();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Demand, Expert};

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_string()).collect()
    }

    #[test]
    fn a_merge_re_maps_records_and_is_logged() {
        let mut core = Core::in_memory(Knowledge::builtin()).unwrap();
        let a = core
            .save_expert(Expert {
                ext_id: "E1".into(),
                name: "甲".into(),
                subfields: s(&["FL03"]),
                ..Default::default()
            })
            .unwrap();
        let b = core
            .save_expert(Expert {
                ext_id: "E2".into(),
                name: "乙".into(),
                subfields: s(&["FL02", "FL03"]),
                ..Default::default()
            })
            .unwrap();
        let d = core
            .save_demand(Demand {
                ext_id: "D1".into(),
                enterprise: "某氟化工企业".into(),
                title: "氟化铝".into(),
                subfields: s(&["FL03"]),
                ..Default::default()
            })
            .unwrap();
        let mut seen = Vec::new();
        let done = core
            .edit_knowledge(&KnowledgeEdit::MergeSubfield { from: "FL03".into(), into: "FL02".into() }, &mut |a, b| {
                seen.push((a, b));
            })
            .unwrap();
        assert_eq!(seen, vec![(0, 3), (3, 3)]);
        assert!(done.remapped >= 3, "{done:?}");
        assert_eq!(core.expert_by_id(a).unwrap().subfields, s(&["FL02"]));
        assert_eq!(core.expert_by_id(b).unwrap().subfields, s(&["FL02"]));
        assert_eq!(core.demand_by_id(d).unwrap().subfields, s(&["FL02"]));
        assert!(core.knowledge.taxonomy.node("FL03").is_none());
        let log = core.log(1).unwrap();
        assert_eq!(log[0].action, "knowledge");
        assert!(log[0].summary.contains("并入"), "{}", log[0].summary);
        // The merged code is never given out again.
        let add = KnowledgeEdit::AddSubfield {
            parent: "FL".into(),
            code: Some("FL03".into()),
            name: "新".into(),
            aliases: vec![],
        };
        assert!(matches!(
            core.edit_knowledge(&add, &mut |_, _| {}),
            Err(EngineError::Knowledge(knowledge_edit::EditError::CodeTaken(_)))
        ));
    }

    #[test]
    fn a_refused_edit_changes_nothing() {
        let mut core = Core::in_memory(Knowledge::builtin()).unwrap();
        let before = core.knowledge.fingerprint;
        let r = core.edit_knowledge(&KnowledgeEdit::AddSynonymGroup { terms: s(&["甲"]) }, &mut |_, _| {});
        assert!(matches!(r, Err(EngineError::Knowledge(knowledge_edit::EditError::GroupTooSmall))));
        assert_eq!(core.knowledge.fingerprint, before);
        assert!(core.log(5).unwrap().is_empty());
    }
}
