//! 设置 → 知识库: the subfield tree with its node editor (rename, aliases, terms, move, merge, add),
//! the synonym groups and the problem → discipline links, 导出/导入知识文件, and the progress of
//! the index rebuild. Reads [`KnowledgeView`]; every change is a [`KnowledgeMsg`].

use egui::{RichText, Ui};

use super::widgets::{ERROR, OK};
use crate::app::msg::UiMsg;
use crate::app::msg_knowledge::{KnowledgeMsg as M, KnowledgeView, LinkField, Part, Removal};
use crate::app::state::AppState;
use crate::domain::Knowledge;

fn msg(m: M) -> UiMsg {
    UiMsg::Knowledge(m)
}

/// A labelled input editing a copy of `value`; the new text when it changed.
fn input(ui: &mut Ui, label: &str, value: &str, hint: &str, multiline: bool) -> Option<String> {
    let l = ui.label(label);
    let mut text = value.to_owned();
    let edit = if multiline {
        egui::TextEdit::multiline(&mut text).desired_rows(3).hint_text(hint).desired_width(f32::INFINITY)
    } else {
        egui::TextEdit::singleline(&mut text).hint_text(hint).desired_width(f32::INFINITY)
    };
    let changed = ui.add(edit).labelled_by(l.id).changed();
    changed.then_some(text)
}

/// 设置 → 知识库, shown in place of the 设置 page.
pub fn knowledge_section(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    let v = &st.knowledge;
    ui.horizontal(|ui| {
        if ui.button("← 返回设置").clicked() {
            out.push(msg(M::Open(false)));
        }
        ui.heading("知识库");
    });
    ui.label(
        RichText::new(
            "细分领域、同义词和问题→学科关联：改动经检查后写入数据库旁的 knowledge 文件夹，记入操作日志，搜索、匹配和自动归类立即使用。",
        )
        .weak(),
    );
    ui.horizontal_wrapped(|ui| {
        if ui.button("导出知识文件…").on_hover_text("选择一个文件夹，写入全部知识文件（TOML）").clicked()
        {
            out.push(msg(M::Export));
        }
        if ui.button("导入知识文件…").on_hover_text("选择另一办公室导出的文件夹；检查无误后整体替换").clicked()
        {
            out.push(msg(M::Import));
        }
        for p in Part::ALL {
            if ui.selectable_label(v.part == p, p.label()).clicked() {
                out.push(msg(M::Part(p)));
            }
        }
    });
    status(ui, v);
    let Some(k) = &v.knowledge else {
        if !v.asked {
            out.push(msg(M::Load));
        }
        ui.spinner();
        return;
    };
    ui.add_space(4.0);
    match v.part {
        Part::Subfields => subfields(ui, v, k, out),
        Part::Synonyms => synonyms(ui, v, k, out),
        Part::Links => links(ui, v, k, out),
    }
}

fn status(ui: &mut Ui, v: &KnowledgeView) {
    if let Some((done, total)) = v.indexing {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("正在按新知识重建搜索索引…（{done}/{total} 条记录）"));
        });
    } else if v.busy {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("正在检查并保存…");
        });
    }
    if let Some(p) = &v.problem {
        ui.label(RichText::new(p).color(ERROR));
    } else if let Some(d) = &v.done {
        ui.label(RichText::new(d).color(OK));
    }
}

fn subfields(ui: &mut Ui, v: &KnowledgeView, k: &Knowledge, out: &mut Vec<UiMsg>) {
    ui.columns(2, |cols| {
        tree(&mut cols[0], v, k, out);
        cols[0].add_space(6.0);
        new_subfield(&mut cols[0], v, k, out);
        node_editor(&mut cols[1], v, k, out);
    });
}

fn tree(ui: &mut Ui, v: &KnowledgeView, k: &Knowledge, out: &mut Vec<UiMsg>) {
    egui::ScrollArea::vertical().id_salt("knowledge_tree").max_height(340.0).show(ui, |ui| {
        for f in k.taxonomy.fields() {
            let n = k.taxonomy.children(&f.code).count();
            egui::CollapsingHeader::new(format!("{} {}（{n}）", f.code, f.name)).id_salt(("kn_field", &f.code)).show(
                ui,
                |ui| {
                    let own = v.selected.as_deref() == Some(f.code.as_str());
                    if ui.selectable_label(own, format!("{} {}（一级领域）", f.code, f.name)).clicked() {
                        out.push(msg(M::Select(f.code.clone())));
                    }
                    for c in k.taxonomy.children(&f.code) {
                        let on = v.selected.as_deref() == Some(c.code.as_str());
                        if ui.selectable_label(on, format!("{} {}", c.code, c.name)).clicked() {
                            out.push(msg(M::Select(c.code.clone())));
                        }
                    }
                },
            );
        }
    });
}

/// A combo box of the fields; the chosen code when it changed.
fn field_combo(ui: &mut Ui, id: &str, label: &str, k: &Knowledge, current: &str) -> Option<String> {
    let l = ui.label(label);
    let mut chosen = current.to_string();
    let text = k.taxonomy.node(current).map_or_else(|| "（请选择）".to_string(), |n| format!("{} {}", n.code, n.name));
    egui::ComboBox::from_id_salt(id)
        .selected_text(text)
        .height(400.0)
        .show_ui(ui, |ui| {
            for f in k.taxonomy.fields() {
                ui.selectable_value(&mut chosen, f.code.clone(), format!("{} {}", f.code, f.name));
            }
        })
        .response
        .labelled_by(l.id);
    (chosen != current).then_some(chosen)
}

fn new_subfield(ui: &mut Ui, v: &KnowledgeView, k: &Knowledge, out: &mut Vec<UiMsg>) {
    egui::CollapsingHeader::new("新增细分领域").id_salt("kn_new").show(ui, |ui| {
        egui::Grid::new("kn_new_grid").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            if let Some(c) = field_combo(ui, "kn_new_parent", "上级领域", k, &v.new_parent) {
                out.push(msg(M::NewParent(c)));
            }
            ui.end_row();
            if let Some(t) = input(ui, "新领域名称", &v.new_name, "", false) {
                out.push(msg(M::NewName(t)));
            }
            ui.end_row();
            if let Some(t) = input(ui, "新领域编码", &v.new_code, "可留空，自动编号", false) {
                out.push(msg(M::NewCode(t)));
            }
            ui.end_row();
            if let Some(t) = input(ui, "新领域别名", &v.new_aliases, "每行一个，或用；分隔", true) {
                out.push(msg(M::NewAliases(t)));
            }
            ui.end_row();
        });
        if ui.add_enabled(!v.busy, egui::Button::new("新增")).clicked() {
            out.push(msg(M::AddSubfield));
        }
    });
}

fn node_editor(ui: &mut Ui, v: &KnowledgeView, k: &Knowledge, out: &mut Vec<UiMsg>) {
    let Some(node) = v.selected.as_deref().and_then(|c| k.taxonomy.node(c)) else {
        ui.label(RichText::new("在左边选择一个领域来修改它").weak());
        return;
    };
    ui.strong(format!("正在修改：{}（{}）", node.name, node.code));
    ui.label(RichText::new("编码不会改变；记录按编码归类").weak());
    egui::Grid::new("kn_node").num_columns(3).spacing([8.0, 6.0]).show(ui, |ui| {
        let row = |ui: &mut Ui, out: &mut Vec<UiMsg>, button: &str, m: M| {
            if ui.add_enabled(!v.busy, egui::Button::new(button)).clicked() {
                out.push(msg(m));
            }
            ui.end_row();
        };
        if let Some(t) = input(ui, "名称", &v.name, "", false) {
            out.push(msg(M::Name(t)));
        }
        row(ui, out, "改名", M::Rename);
        if let Some(t) = input(ui, "别名", &v.aliases, "每行一个", true) {
            out.push(msg(M::Aliases(t)));
        }
        row(ui, out, "保存别名", M::SaveAliases);
        if let Some(t) = input(ui, "分类术语", &v.terms, "每行一个", true) {
            out.push(msg(M::Terms(t)));
        }
        row(ui, out, "保存术语", M::SaveTerms);
        if node.parent.is_some() {
            if let Some(c) = field_combo(ui, "kn_move_to", "移到", k, &v.move_to) {
                out.push(msg(M::MoveTo(c)));
            }
            row(ui, out, "移动", M::Move);
            if let Some(t) = input(ui, "并入", &v.merge_into, "目标编码，如 FL02", false) {
                out.push(msg(M::MergeInto(t)));
            }
            row(ui, out, "合并…", M::AskMerge);
        }
    });
    if v.confirm_merge {
        let into = v.merge_into.trim().to_uppercase();
        let target = k.taxonomy.name(&into).unwrap_or("？");
        ui.label(
            RichText::new(format!(
                "把 {} {} 并入 {into} {target}：它的名称成为别名，归在它下面的记录都改归 {into}。此操作不能撤销。",
                node.code, node.name
            ))
            .color(ERROR),
        );
        ui.horizontal(|ui| {
            if ui.button("确认合并").clicked() {
                out.push(msg(M::Merge));
            }
            if ui.button("取消").clicked() {
                out.push(msg(M::CancelMerge));
            }
        });
    }
}

/// The line above a list: a labelled filter box, how many are shown of how many, and an add button.
struct FilterBar {
    label: &'static str,
    hint: &'static str,
    unit: &'static str,
    add: &'static str,
}

impl FilterBar {
    /// The filter as typed (when it changed) and whether the add button was clicked.
    fn show(&self, ui: &mut Ui, filter: &str, shown: usize, total: usize) -> (Option<String>, bool) {
        ui.horizontal(|ui| {
            let l = ui.label(self.label);
            let mut f = filter.to_string();
            let changed = ui
                .add(egui::TextEdit::singleline(&mut f).hint_text(self.hint).desired_width(220.0))
                .labelled_by(l.id)
                .changed();
            ui.label(format!("{shown} / {total} {}", self.unit));
            let add = ui.button(self.add).clicked();
            (changed.then_some(f), add)
        })
        .inner
    }
}

fn synonyms(ui: &mut Ui, v: &KnowledgeView, k: &Knowledge, out: &mut Vec<UiMsg>) {
    let bar = FilterBar { label: "筛选同义词", hint: "任一写法", unit: "组", add: "新增同义词组" };
    let (typed, add) = bar.show(ui, &v.syn_filter, v.syn_visible.len(), k.synonyms.len());
    out.extend(typed.map(|f| msg(M::SynFilter(f))));
    if add {
        out.push(msg(M::EditGroup(None)));
    }
    if let Some((index, text)) = &v.group {
        ui.group(|ui| {
            ui.strong(if index.is_some() { "修改同义词组" } else { "新增同义词组" });
            if let Some(t) = input(ui, "同义词（每行一个，或用；分隔）", text, "如：六氟磷酸锂；LiPF6", true)
            {
                out.push(msg(M::GroupText(t)));
            }
            ui.horizontal(|ui| {
                if ui.add_enabled(!v.busy, egui::Button::new("保存同义词组")).clicked() {
                    out.push(msg(M::SaveGroup));
                }
                if ui.button("取消").clicked() {
                    out.push(msg(M::CancelGroup));
                }
            });
        });
    }
    let row_h = ui.spacing().interact_size.y + 2.0;
    egui::ScrollArea::vertical().id_salt("kn_synonyms").max_height(340.0).show_rows(
        ui,
        row_h,
        v.syn_visible.len(),
        |ui, range| {
            for &i in &v.syn_visible[range] {
                let Some(g) = k.synonyms.get(i) else { continue };
                ui.horizontal(|ui| {
                    if ui.small_button("修改").clicked() {
                        out.push(msg(M::EditGroup(Some(i))));
                    }
                    remove_button(ui, v, out, Removal::Group(i), M::RemoveGroup(i));
                    ui.add(egui::Label::new(g.terms.join("、")).truncate());
                });
            }
        },
    );
}

/// 删除, then 确认删除 / 取消 in its place (a removal cannot be undone from the log).
fn remove_button(ui: &mut Ui, v: &KnowledgeView, out: &mut Vec<UiMsg>, what: Removal, confirmed: M) {
    if v.confirm_remove.as_ref() == Some(&what) {
        if ui.add_enabled(!v.busy, egui::Button::new(RichText::new("确认删除").color(ERROR)).small()).clicked() {
            out.push(msg(confirmed));
        }
        if ui.small_button("取消").clicked() {
            out.push(msg(M::CancelRemove));
        }
    } else if ui.add_enabled(!v.busy, egui::Button::new("删除").small()).clicked() {
        out.push(msg(M::AskRemove(what)));
    }
}

fn link_form(ui: &mut Ui, v: &KnowledgeView, out: &mut Vec<UiMsg>) {
    let Some(f) = &v.link else { return };
    ui.group(|ui| {
        ui.strong(f.id.as_ref().map_or_else(|| "新增问题→学科关联".to_string(), |id| format!("修改关联 {id}")));
        egui::Grid::new("kn_link").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            if f.id.is_none() {
                if let Some(t) = input(ui, "关联编号", &f.new_id, "可留空，自动编号", false) {
                    out.push(msg(M::LinkText(LinkField::Id, t)));
                }
                ui.end_row();
            }
            if let Some(t) = input(ui, "问题词", &f.symptoms, "车间说法，每行一个", true) {
                out.push(msg(M::LinkText(LinkField::Symptoms, t)));
            }
            ui.end_row();
            if let Some(t) = input(ui, "学科", &f.disciplines, "学科方向，每行一个（至少一个是学科表中的）", true)
            {
                out.push(msg(M::LinkText(LinkField::Disciplines, t)));
            }
            ui.end_row();
            if let Some(t) = input(ui, "说明", &f.note, "显示为匹配理由，如：乳化 → 界面化学", false)
            {
                out.push(msg(M::LinkText(LinkField::Note, t)));
            }
            ui.end_row();
        });
        ui.horizontal(|ui| {
            if ui.add_enabled(!v.busy, egui::Button::new("保存关联")).clicked() {
                out.push(msg(M::SaveLink));
            }
            if ui.button("取消").clicked() {
                out.push(msg(M::CancelLink));
            }
        });
    });
}

fn links(ui: &mut Ui, v: &KnowledgeView, k: &Knowledge, out: &mut Vec<UiMsg>) {
    let bar =
        FilterBar { label: "筛选关联", hint: "问题词、学科或编号", unit: "条", add: "新增关联" };
    let (typed, add) = bar.show(ui, &v.link_filter, v.link_visible.len(), k.links.len());
    out.extend(typed.map(|f| msg(M::LinkFilter(f))));
    if add {
        out.push(msg(M::EditLink(None)));
    }
    link_form(ui, v, out);
    let row_h = ui.spacing().interact_size.y + 2.0;
    egui::ScrollArea::vertical().id_salt("kn_links").max_height(340.0).show_rows(
        ui,
        row_h,
        v.link_visible.len(),
        |ui, range| {
            for &i in &v.link_visible[range] {
                let Some(l) = k.links.get(i) else { continue };
                ui.horizontal(|ui| {
                    if ui.small_button("修改").clicked() {
                        out.push(msg(M::EditLink(Some(l.id.clone()))));
                    }
                    remove_button(ui, v, out, Removal::Link(l.id.clone()), M::RemoveLink(l.id.clone()));
                    let text =
                        format!("{}：{} → {}（{}）", l.id, l.symptoms.join("、"), l.disciplines.join("、"), l.note);
                    ui.add(egui::Label::new(text).truncate());
                });
            }
        },
    );
}
