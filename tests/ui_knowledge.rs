//! 设置 → 知识库 driven headless with egui_kittest on a temporary database with the demo data: a
//! synonym group added (then removed, after 确认删除) and a subfield renamed through the editor are
//! shown, written to the data folder's knowledge files and in use; a refused group is worded next
//! to the editor; nothing of the section lies outside a 1280×720 window.
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken fixture")]

mod common;

use bole::app::BoleApp;
use common::{harness, loaded, on_screen, wait};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

const SIZE: [f32; 2] = [1280.0, 720.0];

/// Scrolls a widget into view and clicks it.
fn press(h: &mut Harness<'static, BoleApp>, label: &str) {
    for _ in 0..10 {
        if h.query_by_label(label).is_some() {
            break;
        }
        h.step();
    }
    h.get_by_label(label).scroll_to_me();
    h.run_steps(3);
    h.get_by_label(label).click();
    h.run_steps(2);
}

/// Types into a labelled input, after scrolling it into view.
fn type_into(h: &mut Harness<'static, BoleApp>, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).scroll_to_me();
    h.run_steps(3);
    h.get_by_role_and_label(role, label).focus();
    h.run_steps(2);
    h.get_by_role_and_label(role, label).type_text(text);
    h.run_steps(2);
}

/// Scrolls 知识库 back to its top (the layout check wants nothing above the window).
fn to_top(h: &mut Harness<'static, BoleApp>) {
    h.get(egui_kittest::kittest::by().role(Role::Label).value("知识库")).scroll_to_me();
    // Scrolling is animated.
    h.run_steps(30);
}

fn open_knowledge(h: &mut Harness<'static, BoleApp>) {
    h.get_by_role_and_label(Role::Button, "设置").click();
    wait(h, "设置", |a| a.state.tab == bole::app::Tab::Settings);
    press(h, "打开知识库…");
    wait(h, "knowledge loaded", |a| a.state.knowledge.open && a.state.knowledge.knowledge.is_some());
}

/// Opens field FL in the tree, selects FL01 and types `text` into its 名称; returns the field's label.
fn select_fl01_and_type(h: &mut Harness<'static, BoleApp>, text: &str) -> String {
    let field = h.query_all_by_label_contains("FL 氟新材料（").next().unwrap().accesskit_node().label().unwrap();
    press(h, &field);
    press(h, "FL01 含氟聚合物");
    wait(h, "node selected", |a| a.state.knowledge.selected.as_deref() == Some("FL01"));
    type_into(h, Role::TextInput, "名称", text);
    field
}

#[test]
fn a_synonym_group_added_in_the_editor_is_shown_written_and_refusals_are_worded() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"), SIZE);
    loaded(&mut h);
    open_knowledge(&mut h);
    let before = h.state().state.knowledge.knowledge.as_ref().unwrap().synonyms.len();
    press(&mut h, "同义词");
    press(&mut h, "新增同义词组");
    let words = "同义词（每行一个，或用；分隔）";
    // One word only: refused, in Chinese, next to the editor.
    type_into(&mut h, Role::MultilineTextInput, words, "星辰酸");
    press(&mut h, "保存同义词组");
    wait(&mut h, "refused", |a| a.state.knowledge.problem.is_some());
    assert!(h.query_by_label("同义词组至少要有两个不同的词").is_some());
    type_into(&mut h, Role::MultilineTextInput, words, "；XC-9");
    press(&mut h, "保存同义词组");
    wait(&mut h, "group added", |a| {
        let v = &a.state.knowledge;
        !v.busy && v.knowledge.as_ref().is_some_and(|k| k.synonyms.len() == before + 1)
    });
    let k = h.state().state.knowledge.knowledge.clone().unwrap();
    assert_eq!(k.synonyms[before].terms, vec!["星辰酸", "XC-9"]);
    let file = std::fs::read_to_string(dir.path().join("knowledge/synonyms.toml")).unwrap();
    assert!(file.contains("\"星辰酸\", \"XC-9\""), "written to the data folder's knowledge file");
    type_into(&mut h, Role::TextInput, "筛选同义词", "XC-9");
    h.run_steps(3);
    assert!(h.query_by_label("星辰酸、XC-9").is_some(), "the new group is listed");
    assert!(h.query_all_by_label_contains("知识库已更新").next().is_some(), "the change is reported");
    to_top(&mut h);
    on_screen(&h, "知识库 · 同义词", SIZE, &[]);
    // 删除 asks again in the row; 确认删除 removes the group.
    press(&mut h, "删除");
    press(&mut h, "确认删除");
    wait(&mut h, "group removed", |a| {
        let v = &a.state.knowledge;
        !v.busy && v.knowledge.as_ref().is_some_and(|k| k.synonyms.len() == before)
    });
    let file = std::fs::read_to_string(dir.path().join("knowledge/synonyms.toml")).unwrap();
    assert!(!file.contains("星辰酸"));
}

#[test]
fn a_subfield_renamed_in_the_tree_keeps_its_code_and_is_used_by_the_lists() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"), SIZE);
    loaded(&mut h);
    open_knowledge(&mut h);
    select_fl01_and_type(&mut h, "树脂");
    let name = h.state().state.knowledge.name.clone();
    assert!(name.contains("树脂") && name.contains("含氟聚合物"), "{name}");
    press(&mut h, "改名");
    wait(&mut h, "renamed", |a| a.state.taxonomy.name("FL01") == Some(name.as_str()) && !a.state.knowledge.busy);
    h.run_steps(3);
    assert!(h.query_by_label(&format!("FL01 {name}")).is_some(), "the tree shows the new name");
    let tax = std::fs::read_to_string(dir.path().join("knowledge/taxonomy.toml")).unwrap();
    assert!(tax.contains(&format!("code = \"FL01\"\nname = \"{name}\"")), "same code, new name");
    // The lists name the subfield the new way.
    let names = &h.state().state.derived.subfield_names.0;
    assert!(names.iter().any(|n| n.contains(name.as_str())), "the expert list shows the new name");
    to_top(&mut h);
    on_screen(&h, "知识库 · 细分领域", SIZE, &[]);
    press(&mut h, "问题→学科");
    to_top(&mut h);
    on_screen(&h, "知识库 · 问题→学科", SIZE, &[]);
}

#[test]
fn a_knowledge_change_is_undone_from_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"), SIZE);
    loaded(&mut h);
    open_knowledge(&mut h);
    let old = h.state().state.taxonomy.name("FL01").unwrap().to_string();
    let field = select_fl01_and_type(&mut h, "树脂");
    press(&mut h, "改名");
    wait(&mut h, "renamed", |a| a.state.taxonomy.name("FL01") != Some(old.as_str()) && !a.state.knowledge.busy);
    to_top(&mut h);
    press(&mut h, "← 返回设置");
    press(&mut h, "刷新");
    wait(&mut h, "the log shows the rename", |a| a.state.data.log.first().is_some_and(|l| l.head.contains("改名")));
    h.run_steps(2);
    h.get_all_by_label("撤销").next().unwrap().scroll_to_me();
    h.run_steps(3);
    h.get_all_by_label("撤销").next().unwrap().click();
    h.run_steps(2);
    press(&mut h, "确认撤销");
    wait(&mut h, "rename undone", |a| a.state.taxonomy.name("FL01") == Some(old.as_str()));
    h.run_steps(3);
    assert!(h.query_all_by_label_contains("已撤销").next().is_some(), "the log marks the step undone");
    open_knowledge(&mut h);
    let k = h.state().state.knowledge.knowledge.clone().unwrap();
    assert_eq!(k.taxonomy.name("FL01"), Some(old.as_str()), "the editor has the knowledge as it is now");
    if h.query_by_label(&format!("FL01 {old}")).is_none() {
        press(&mut h, &field);
    }
    assert!(h.query_by_label(&format!("FL01 {old}")).is_some(), "the editor's tree shows the old name again");
    let tax = std::fs::read_to_string(dir.path().join("knowledge/taxonomy.toml")).unwrap();
    assert!(tax.contains(&format!("code = \"FL01\"\nname = \"{old}\"")), "the file is back");
}

#[test]
fn the_knowledge_is_exported_and_imported_through_the_path_box() {
    use bole::app::UiMsg;
    use bole::app::data::{DataMsg, PathFor};
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"), SIZE);
    loaded(&mut h);
    open_knowledge(&mut h);
    let label = "无法打开系统的文件选择窗口，请直接输入完整路径（可从资源管理器地址栏复制）";
    let through_box = |h: &mut Harness<'static, BoleApp>, what: PathFor, path: &std::path::Path| {
        // What the shell sends when the native dialog returns at once.
        h.state_mut().state.update(UiMsg::Data(DataMsg::NoDialog(what)));
        h.run_steps(2);
        h.get_by_role_and_label(Role::TextInput, label).focus();
        h.run_steps(2);
        h.get_by_role_and_label(Role::TextInput, label).type_text(path.to_str().unwrap());
        h.run_steps(2);
        h.get_by_label("确定").click();
        h.run_steps(2);
    };
    let out = dir.path().join("交给其他办公室");
    through_box(&mut h, PathFor::KnowledgeExport, &out);
    wait(&mut h, "exported", |a| a.state.knowledge.done.as_deref().is_some_and(|d| d.contains("已导出 5 个知识文件")));
    for f in ["taxonomy.toml", "synonyms.toml", "problem_links.toml", "disciplines.toml", "generic_words.toml"] {
        assert!(out.join(f).is_file(), "{f} exported");
    }
    // Another office's folder with one more synonym group.
    let mut synonyms = std::fs::read_to_string(out.join("synonyms.toml")).unwrap();
    synonyms.push_str("[[group]]\nterms = [\"辰星盐\", \"鑫鑫酸\"]\n");
    std::fs::write(out.join("synonyms.toml"), synonyms).unwrap();
    through_box(&mut h, PathFor::KnowledgeImport, &out);
    wait(&mut h, "imported", |a| {
        let v = &a.state.knowledge;
        !v.busy
            && v.knowledge.as_ref().is_some_and(|k| k.synonyms.iter().any(|g| g.terms.iter().any(|t| t == "辰星盐")))
    });
    let mine = std::fs::read_to_string(dir.path().join("knowledge/synonyms.toml")).unwrap();
    assert!(mine.contains("辰星盐"), "the imported file replaces the office's own");
}
