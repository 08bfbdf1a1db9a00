//! 设置 → 知识库: the editor's plain state ([`KnowledgeView`]), its requests ([`KnowledgeMsg`]) and
//! how they become [`Command::EditKnowledge`] and friends; the engine's answers
//! ([`Event::Knowledge`](crate::engine::Event::Knowledge), the index progress, errors) are taken in
//! by [`AppState::handle_knowledge`]. The words of refusals come from `text::edit_error`.

use std::path::PathBuf;

use super::data::PathFor;
use super::state::{AppState, Effect};
use crate::domain::{Knowledge, KnowledgeEdit};
use crate::engine::{Command, EngineError};
use crate::text;

/// The three parts of the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Part {
    #[default]
    Subfields,
    Synonyms,
    Links,
}

impl Part {
    pub const ALL: [Part; 3] = [Part::Subfields, Part::Synonyms, Part::Links];

    pub fn label(self) -> &'static str {
        match self {
            Part::Subfields => "细分领域",
            Part::Synonyms => "同义词",
            Part::Links => "问题→学科",
        }
    }
}

/// A synonym group or a link whose 删除 waits for 确认删除.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    Group(usize),
    Link(String),
}

/// The text boxes of a link being added (id None) or edited.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinkForm {
    pub id: Option<String>,
    pub new_id: String,
    pub symptoms: String,
    pub disciplines: String,
    pub note: String,
}

/// A link form's boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkField {
    Id,
    Symptoms,
    Disciplines,
    Note,
}

#[derive(Debug, Clone, Default)]
pub struct KnowledgeView {
    /// The editor is shown in place of the 设置 page.
    pub open: bool,
    pub knowledge: Option<Box<Knowledge>>,
    /// The knowledge was asked for.
    pub asked: bool,
    pub part: Part,
    /// The node being edited and its boxes.
    pub selected: Option<String>,
    pub name: String,
    pub aliases: String,
    pub terms: String,
    pub move_to: String,
    pub merge_into: String,
    /// The merge asked for, waiting for 确认合并.
    pub confirm_merge: bool,
    /// 新增细分领域: field, name, code (empty: next free), aliases.
    pub new_parent: String,
    pub new_name: String,
    pub new_code: String,
    pub new_aliases: String,
    pub syn_filter: String,
    /// Indices of the groups the filter shows (rebuilt when the filter or the knowledge changes).
    pub syn_visible: Vec<usize>,
    /// The group being edited (None: a new one) and its words.
    pub group: Option<(Option<usize>, String)>,
    pub link_filter: String,
    pub link_visible: Vec<usize>,
    pub link: Option<LinkForm>,
    /// The 删除 clicked, waiting for 确认删除.
    pub confirm_remove: Option<Removal>,
    /// A command is on its way.
    pub busy: bool,
    /// The index rebuild with the new knowledge: (done, total).
    pub indexing: Option<(usize, usize)>,
    /// Why the last change was refused.
    pub problem: Option<String>,
    /// What the last change did.
    pub done: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum KnowledgeMsg {
    /// 打开知识库… / 返回设置.
    Open(bool),
    Load,
    Part(Part),
    Select(String),
    Name(String),
    Aliases(String),
    Terms(String),
    MoveTo(String),
    MergeInto(String),
    Rename,
    SaveAliases,
    SaveTerms,
    Move,
    AskMerge,
    Merge,
    CancelMerge,
    NewParent(String),
    NewName(String),
    NewCode(String),
    NewAliases(String),
    AddSubfield,
    SynFilter(String),
    /// Open the group editor: an existing group, or a new one (None).
    EditGroup(Option<usize>),
    GroupText(String),
    SaveGroup,
    /// 删除 clicked: ask again in the row.
    AskRemove(Removal),
    CancelRemove,
    /// 确认删除.
    RemoveGroup(usize),
    CancelGroup,
    LinkFilter(String),
    /// Open the link editor: an existing link by id, or a new one (None).
    EditLink(Option<String>),
    LinkText(LinkField, String),
    SaveLink,
    RemoveLink(String),
    CancelLink,
    /// 导出知识文件… / 导入知识文件…: a folder dialog (or the path box).
    Export,
    Import,
    Picked(PathFor, PathBuf),
}

/// Words typed one a line (or separated by ；).
pub fn words(text: &str) -> Vec<String> {
    text.split(['\n', '\r', '；', ';']).map(str::trim).filter(|w| !w.is_empty()).map(String::from).collect()
}

/// Words as the boxes show them, one a line.
pub fn lines(list: &[String]) -> String {
    list.join("\n")
}

impl KnowledgeView {
    /// The filtered lists again (the filter or the knowledge changed).
    fn refilter(&mut self) {
        let Some(k) = &self.knowledge else { return };
        let f = self.syn_filter.trim().to_lowercase();
        self.syn_visible = k
            .synonyms
            .iter()
            .enumerate()
            .filter(|(_, g)| f.is_empty() || g.terms.iter().any(|t| t.to_lowercase().contains(&f)))
            .map(|(i, _)| i)
            .collect();
        let f = self.link_filter.trim().to_lowercase();
        self.link_visible = k
            .links
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                f.is_empty()
                    || l.id.contains(&f)
                    || l.note.to_lowercase().contains(&f)
                    || l.symptoms.iter().chain(&l.disciplines).any(|t| t.to_lowercase().contains(&f))
            })
            .map(|(i, _)| i)
            .collect();
    }

    /// The boxes of the selected node, from the knowledge.
    fn fill_node(&mut self) {
        let node = self.selected.as_deref().and_then(|c| self.knowledge.as_ref()?.taxonomy.node(c)).cloned();
        match node {
            Some(n) => {
                self.name = n.name;
                self.aliases = lines(&n.aliases);
                self.terms = lines(&n.terms);
                self.move_to = n.parent.unwrap_or_default();
            }
            None => self.selected = None,
        }
        self.merge_into.clear();
        self.confirm_merge = false;
    }
}

impl AppState {
    fn edit_knowledge(&mut self, edit: KnowledgeEdit) {
        self.knowledge.busy = true;
        self.knowledge.problem = None;
        self.knowledge.done = None;
        self.send(Command::EditKnowledge(Box::new(edit)));
    }

    pub(super) fn update_knowledge(&mut self, msg: KnowledgeMsg) {
        let v = &mut self.knowledge;
        match msg {
            KnowledgeMsg::Open(open) => {
                v.open = open;
                if open && !v.asked {
                    self.update_knowledge(KnowledgeMsg::Load);
                }
            }
            KnowledgeMsg::Load => {
                v.asked = true;
                self.send(Command::LoadKnowledge);
            }
            KnowledgeMsg::Part(p) => v.part = p,
            KnowledgeMsg::Select(code) => {
                // 新增细分领域 goes under the field of the node last chosen.
                if let Some(k) = &v.knowledge {
                    v.new_parent = k.taxonomy.field_of(&code).to_string();
                }
                v.selected = Some(code);
                v.fill_node();
            }
            KnowledgeMsg::Name(t) => v.name = t,
            KnowledgeMsg::Aliases(t) => v.aliases = t,
            KnowledgeMsg::Terms(t) => v.terms = t,
            KnowledgeMsg::MoveTo(t) => v.move_to = t,
            KnowledgeMsg::MergeInto(t) => {
                v.merge_into = t;
                v.confirm_merge = false;
            }
            KnowledgeMsg::AskMerge => v.confirm_merge = true,
            KnowledgeMsg::AskRemove(r) => v.confirm_remove = Some(r),
            KnowledgeMsg::CancelRemove => v.confirm_remove = None,
            KnowledgeMsg::CancelMerge => v.confirm_merge = false,
            KnowledgeMsg::NewParent(t) => v.new_parent = t,
            KnowledgeMsg::NewName(t) => v.new_name = t,
            KnowledgeMsg::NewCode(t) => v.new_code = t,
            KnowledgeMsg::NewAliases(t) => v.new_aliases = t,
            KnowledgeMsg::SynFilter(t) => {
                v.syn_filter = t;
                v.refilter();
            }
            KnowledgeMsg::LinkFilter(t) => {
                v.link_filter = t;
                v.refilter();
            }
            msg @ (KnowledgeMsg::EditGroup(_)
            | KnowledgeMsg::GroupText(_)
            | KnowledgeMsg::CancelGroup
            | KnowledgeMsg::EditLink(_)
            | KnowledgeMsg::LinkText(..)
            | KnowledgeMsg::CancelLink) => self.knowledge_form_msg(msg),
            KnowledgeMsg::Export => self.effects.push(Effect::PickKnowledgeFolder(PathFor::KnowledgeExport)),
            KnowledgeMsg::Import => self.effects.push(Effect::PickKnowledgeFolder(PathFor::KnowledgeImport)),
            KnowledgeMsg::Picked(what, dir) => {
                let cmd = if what == PathFor::KnowledgeImport {
                    self.knowledge.busy = true;
                    self.knowledge.problem = None;
                    Command::ImportKnowledge(dir)
                } else {
                    Command::ExportKnowledge(dir)
                };
                self.send(cmd);
            }
            msg => self.knowledge_edit_msg(msg),
        }
    }

    /// The synonym-group and link editors' boxes.
    fn knowledge_form_msg(&mut self, msg: KnowledgeMsg) {
        let v = &mut self.knowledge;
        match msg {
            KnowledgeMsg::EditGroup(i) => {
                let text =
                    i.and_then(|i| v.knowledge.as_ref()?.synonyms.get(i)).map(|g| lines(&g.terms)).unwrap_or_default();
                v.group = Some((i, text));
            }
            KnowledgeMsg::GroupText(t) => {
                if let Some(g) = &mut v.group {
                    g.1 = t;
                }
            }
            KnowledgeMsg::CancelGroup => v.group = None,
            KnowledgeMsg::EditLink(id) => {
                let l = id.as_deref().and_then(|id| v.knowledge.as_ref()?.links.iter().find(|l| l.id == id));
                v.link = Some(match l {
                    Some(l) => LinkForm {
                        id: Some(l.id.clone()),
                        new_id: String::new(),
                        symptoms: lines(&l.symptoms),
                        disciplines: lines(&l.disciplines),
                        note: l.note.clone(),
                    },
                    None => LinkForm::default(),
                });
            }
            KnowledgeMsg::LinkText(field, t) => {
                if let Some(f) = &mut v.link {
                    match field {
                        LinkField::Id => f.new_id = t,
                        LinkField::Symptoms => f.symptoms = t,
                        LinkField::Disciplines => f.disciplines = t,
                        LinkField::Note => f.note = t,
                    }
                }
            }
            KnowledgeMsg::CancelLink => v.link = None,
            _ => {}
        }
    }

    /// The requests that become an edit.
    fn knowledge_edit_msg(&mut self, msg: KnowledgeMsg) {
        let v = &self.knowledge;
        let code = v.selected.clone().unwrap_or_default();
        let edit = match msg {
            KnowledgeMsg::Rename => KnowledgeEdit::RenameSubfield { code, name: v.name.clone() },
            KnowledgeMsg::SaveAliases => KnowledgeEdit::SetAliases { code, aliases: words(&v.aliases) },
            KnowledgeMsg::SaveTerms => KnowledgeEdit::SetTerms { code, terms: words(&v.terms) },
            KnowledgeMsg::Move => KnowledgeEdit::MoveSubfield { code, new_parent: v.move_to.clone() },
            KnowledgeMsg::Merge => {
                KnowledgeEdit::MergeSubfield { from: code, into: v.merge_into.trim().to_uppercase() }
            }
            KnowledgeMsg::AddSubfield => KnowledgeEdit::AddSubfield {
                parent: v.new_parent.clone(),
                code: Some(v.new_code.trim().to_string()).filter(|c| !c.is_empty()),
                name: v.new_name.clone(),
                aliases: words(&v.new_aliases),
            },
            KnowledgeMsg::SaveGroup => {
                let Some((index, text)) = &v.group else { return };
                let terms = words(text);
                match index {
                    None => KnowledgeEdit::AddSynonymGroup { terms },
                    Some(i) => {
                        let was = v.knowledge.as_ref().and_then(|k| k.synonyms.get(*i)).map(|g| g.terms.clone());
                        KnowledgeEdit::EditSynonymGroup { index: *i, was: was.unwrap_or_default(), terms }
                    }
                }
            }
            KnowledgeMsg::RemoveGroup(i) => {
                let was = v.knowledge.as_ref().and_then(|k| k.synonyms.get(i)).map(|g| g.terms.clone());
                KnowledgeEdit::RemoveSynonymGroup { index: i, was: was.unwrap_or_default() }
            }
            KnowledgeMsg::SaveLink => {
                let Some(f) = &v.link else { return };
                let (symptoms, disciplines, note) = (words(&f.symptoms), words(&f.disciplines), f.note.clone());
                match &f.id {
                    Some(id) => KnowledgeEdit::EditLink { id: id.clone(), symptoms, disciplines, note },
                    None => {
                        let id = Some(f.new_id.trim().to_string()).filter(|i| !i.is_empty());
                        KnowledgeEdit::AddLink { id, symptoms, disciplines, note }
                    }
                }
            }
            KnowledgeMsg::RemoveLink(id) => KnowledgeEdit::RemoveLink { id },
            _ => return,
        };
        self.edit_knowledge(edit);
    }

    /// The knowledge in use arrived (after loading, or after a change the engine made).
    pub(super) fn handle_knowledge(&mut self, k: Box<Knowledge>) {
        self.taxonomy = k.taxonomy.clone();
        let v = &mut self.knowledge;
        let changed = v.busy;
        // A subfield just added is the one to go on with.
        let old: std::collections::HashSet<&str> =
            v.knowledge.iter().flat_map(|o| o.taxonomy.nodes()).map(|n| n.code.as_str()).collect();
        let added = k.taxonomy.nodes().iter().find(|n| !old.is_empty() && !old.contains(n.code.as_str()));
        if changed && let Some(n) = added {
            v.selected = Some(n.code.clone());
        }
        v.knowledge = Some(k);
        v.busy = false;
        v.indexing = None;
        v.refilter();
        if changed {
            v.confirm_remove = None;
            v.group = None;
            v.link = None;
            v.new_name.clear();
            v.new_code.clear();
            v.new_aliases.clear();
        }
        v.fill_node();
    }

    pub(super) fn handle_knowledge_indexing(&mut self, done: usize, total: usize) {
        self.knowledge.indexing = Some((done, total));
    }

    /// A command failed: when it was the editor's, the reason goes next to it.
    pub(super) fn knowledge_failed(&mut self, e: &EngineError) {
        if self.knowledge.busy || matches!(e, EngineError::Knowledge(_)) {
            self.knowledge.busy = false;
            self.knowledge.indexing = None;
            self.knowledge.problem = Some(text::error(e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Taxonomy;
    use crate::engine::{EditError, Event};

    fn state() -> AppState {
        let mut s = AppState::new(Taxonomy::builtin());
        s.handle(Event::Knowledge(Box::new(Knowledge::builtin())));
        s.outbox.clear();
        s
    }

    #[test]
    fn a_new_group_is_sent_as_an_edit_and_a_refusal_is_worded_next_to_it() {
        let mut s = state();
        s.update_knowledge(KnowledgeMsg::EditGroup(None));
        s.update_knowledge(KnowledgeMsg::GroupText("星辰酸；XC-9\n".into()));
        s.update_knowledge(KnowledgeMsg::SaveGroup);
        assert!(matches!(
            s.outbox.as_slice(),
            [Command::EditKnowledge(e)] if **e == KnowledgeEdit::AddSynonymGroup { terms: vec!["星辰酸".into(), "XC-9".into()] }
        ));
        assert!(s.knowledge.busy);
        s.handle(Event::Error(EngineError::Knowledge(EditError::GroupTooSmall)));
        assert!(!s.knowledge.busy);
        assert!(s.knowledge.problem.as_deref().is_some_and(|p| p.contains("两个")));
        assert!(s.knowledge.group.is_some(), "the editor stays open to fix the words");
    }

    #[test]
    fn a_subfield_just_added_is_selected() {
        let mut s = state();
        s.update_knowledge(KnowledgeMsg::Select("FL01".into()));
        s.update_knowledge(KnowledgeMsg::NewName("含氟涂料".into()));
        s.update_knowledge(KnowledgeMsg::AddSubfield);
        let Some(Command::EditKnowledge(edit)) = s.outbox.pop() else { panic!("no edit sent") };
        assert!(matches!(&*edit, KnowledgeEdit::AddSubfield { parent, .. } if parent == "FL"));
        let files = crate::domain::KnowledgeFiles::builtin();
        let k = files.parse().unwrap();
        let e = crate::domain::knowledge_edit::apply(&k, &files, &edit, &Default::default()).unwrap();
        s.handle(Event::Knowledge(Box::new(e.knowledge)));
        let code = s.knowledge.selected.clone().unwrap();
        assert_ne!(code, "FL01");
        assert_eq!(s.knowledge.name, "含氟涂料");
        assert!(s.knowledge.new_name.is_empty(), "the form is cleared after the change");
    }

    #[test]
    fn selecting_a_node_fills_its_boxes_and_the_filter_narrows_the_lists() {
        let mut s = state();
        s.update_knowledge(KnowledgeMsg::Select("FL01".into()));
        assert_eq!(s.knowledge.name, "含氟聚合物");
        assert_eq!(s.knowledge.move_to, "FL");
        s.update_knowledge(KnowledgeMsg::Name("氟聚合物材料".into()));
        s.update_knowledge(KnowledgeMsg::Rename);
        assert!(matches!(
            s.outbox.as_slice(),
            [Command::EditKnowledge(e)] if matches!(&**e, KnowledgeEdit::RenameSubfield { code, .. } if code == "FL01")
        ));
        let all = s.knowledge.syn_visible.len();
        s.update_knowledge(KnowledgeMsg::SynFilter("lipf6".into()));
        assert!(s.knowledge.syn_visible.len() < all && !s.knowledge.syn_visible.is_empty());
    }
}
