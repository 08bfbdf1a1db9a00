//! The views: functions that draw the state and push commands (or return [`Action`]s the shell
//! must do, such as opening a file dialog). Every input has an accessible label.

use egui::{Color32, Key, KeyboardShortcut, Modifiers, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::state::{AppState, Form, FormText, ImportWizard, SortCol, Tab};
use crate::domain::ExclusionKind;
use crate::domain::RecordKind;
use crate::domain::{COOP_MODES, DemandStatus, Expert, Urgency};
use crate::engine::Command;
use crate::matching::Reason;

/// What the shell has to do for the views.
pub enum Action {
    PickImportFile,
    PickRejectedOut,
    CancelImport,
    ToggleDark,
    /// Ask where to save a meeting's sheets, then export.
    PickMeetingExport {
        id: i64,
        format: crate::io::sheets::SheetFormat,
        contacts: bool,
        name: String,
    },
}

const ROW_H: f32 = 24.0;

pub fn root(ui: &mut Ui, st: &mut AppState) -> Vec<Action> {
    let mut actions = Vec::new();
    if st.tab == Tab::Meetings && super::meeting_views::projection(ui, st) {
        return actions;
    }
    shortcuts(ui, st);
    egui::Panel::top("nav").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.heading(RichText::new("伯乐").strong());
            ui.label(RichText::new("专家与企业需求对接").weak());
            ui.separator();
            for tab in Tab::ALL {
                ui.selectable_value(&mut st.tab, tab, RichText::new(tab.label()).size(16.0));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("导入名单…").on_hover_text("从 Excel/WPS/CSV 导入专家或需求（Ctrl+I）").clicked()
                {
                    open_import(st);
                }
            });
        });
        ui.add_space(4.0);
    });
    egui::Panel::bottom("status").show(ui, |ui| status_bar(ui, st));
    if !st.ready {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(120.0);
                ui.spinner();
                ui.label("正在打开数据库与搜索索引…");
            });
        });
        return actions;
    }
    match st.tab {
        Tab::Experts => list_tab(ui, st, RecordKind::Expert),
        Tab::Demands => list_tab(ui, st, RecordKind::Demand),
        Tab::Matches => matches_tab(ui, st),
        Tab::Meetings => super::meeting_views::meetings_tab(ui, st, &mut actions),
        Tab::Settings => settings_tab(ui, st, &mut actions),
    }
    form_window(ui.ctx(), st);
    confirm_delete(ui.ctx(), st);
    import_window(ui.ctx(), st, &mut actions);
    actions
}

fn typing(ui: &Ui) -> bool {
    ui.ctx().egui_wants_keyboard_input()
}

fn shortcuts(ui: &mut Ui, st: &mut AppState) {
    let ctx = ui.ctx().clone();
    let kind = match st.tab {
        Tab::Experts => Some(RecordKind::Expert),
        Tab::Demands => Some(RecordKind::Demand),
        _ => None,
    };
    for (key, tab) in [
        (Key::Num1, Tab::Experts),
        (Key::Num2, Tab::Demands),
        (Key::Num3, Tab::Matches),
        (Key::Num4, Tab::Meetings),
        (Key::Num5, Tab::Settings),
    ] {
        if ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, key))) {
            st.tab = tab;
        }
    }
    if ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::F))) {
        if let Some(k) = kind {
            st.list_mut(k).focus_search = true;
        } else {
            st.tab = Tab::Experts;
            st.experts.focus_search = true;
        }
    }
    if ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::N))) {
        new_record(st, kind.unwrap_or(RecordKind::Expert));
    }
    if ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::I))) {
        open_import(st);
    }
    if !typing(ui) && ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Z))) {
        undo(st);
    }
    let Some(kind) = kind else { return };
    if typing(ui) || st.form.is_some() || st.confirm_delete.is_some() || st.import.is_some() {
        return;
    }
    if ctx.input(|i| i.key_pressed(Key::Delete)) {
        ask_delete(st, kind);
    }
    let (down, up, enter) =
        ctx.input(|i| (i.key_pressed(Key::ArrowDown), i.key_pressed(Key::ArrowUp), i.key_pressed(Key::Enter)));
    if down || up {
        let rows: Vec<i64> = match kind {
            RecordKind::Expert => st.experts.visible.iter().map(|&i| st.lists.experts[i].id).collect(),
            RecordKind::Demand => st.demands.visible.iter().map(|&i| st.lists.demands[i].id).collect(),
        };
        if !rows.is_empty() {
            let cur = st.list_mut(kind).selected.and_then(|s| rows.iter().position(|&r| r == s));
            let next = match (cur, down) {
                (None, _) => 0,
                (Some(p), true) => (p + 1).min(rows.len() - 1),
                (Some(p), false) => p.saturating_sub(1),
            };
            st.select(kind, rows[next]);
        }
    }
    if enter {
        edit_selected(st, kind);
    }
}

fn undo(st: &mut AppState) {
    if let Some(u) = st.undo.take() {
        st.send(Command::Restore(u));
    }
}

fn open_import(st: &mut AppState) {
    let kind = if st.tab == Tab::Demands { RecordKind::Demand } else { RecordKind::Expert };
    if st.import.is_none() {
        st.import = Some(ImportWizard::new(kind));
    }
}

fn new_record(st: &mut AppState, kind: RecordKind) {
    st.form = Some(match kind {
        RecordKind::Expert => {
            Form::Expert(Box::new(Expert { available: true, ..Default::default() }), FormText::default())
        }
        RecordKind::Demand => Form::Demand(Box::default(), FormText::default()),
    });
}

fn edit_selected(st: &mut AppState, kind: RecordKind) {
    match kind {
        RecordKind::Expert => {
            if let Some(e) = st.expert_detail.clone().filter(|e| Some(e.id) == st.experts.selected) {
                let text = FormText { keywords: e.keywords.join("、"), ..Default::default() };
                st.form = Some(Form::Expert(e, text));
            }
        }
        RecordKind::Demand => {
            if let Some(d) = st.demand_detail.clone().filter(|d| Some(d.id) == st.demands.selected) {
                let budget = d.budget_wan.map(crate::io::table::number_text).unwrap_or_else(|| d.budget_text.clone());
                let text = FormText { keywords: d.keywords.join("、"), budget, ..Default::default() };
                st.form = Some(Form::Demand(d, text));
            }
        }
    }
}

fn ask_delete(st: &mut AppState, kind: RecordKind) {
    match kind {
        RecordKind::Expert => {
            if let Some(e) = st.expert_detail.as_ref().filter(|e| Some(e.id) == st.experts.selected) {
                st.confirm_delete = Some((kind, e.id, format!("专家 {}（{}）", e.name, e.ext_id)));
            }
        }
        RecordKind::Demand => {
            if let Some(d) = st.demand_detail.as_ref().filter(|d| Some(d.id) == st.demands.selected) {
                st.confirm_delete = Some((kind, d.id, format!("需求“{}”（{}）", d.title, d.ext_id)));
            }
        }
    }
}

fn status_bar(ui: &mut Ui, st: &mut AppState) {
    ui.horizontal(|ui| {
        if let Some(s) = st.status.clone() {
            let color = if s.error { Color32::from_rgb(200, 30, 30) } else { ui.visuals().text_color() };
            ui.label(RichText::new(if s.error { format!("⚠ {}", s.text) } else { s.text.clone() }).color(color));
            if st.undo.is_some() && !s.error && ui.button("撤销").on_hover_text("恢复刚删除的记录（Ctrl+Z）").clicked()
            {
                undo(st);
            }
            if ui.small_button("×").on_hover_text("关闭提示").clicked() {
                st.status = None;
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(
                RichText::new(format!(
                    "专家 {} 位 · 需求 {} 条 · 对接 {} 对",
                    st.lists.experts.len(),
                    st.lists.demands.len(),
                    st.lists.pairings.len()
                ))
                .weak(),
            );
        });
    });
}

// ------------------------------------------------------------------------------------------ lists

fn subfield_tree(ui: &mut Ui, st: &mut AppState, kind: RecordKind) {
    ui.heading("新材料细分领域");
    let current = st.list_mut(kind).subfield.clone();
    let counts = match kind {
        RecordKind::Expert => &st.counts.0,
        RecordKind::Demand => &st.counts.1,
    };
    let total = match kind {
        RecordKind::Expert => st.lists.experts.len(),
        RecordKind::Demand => st.lists.demands.len(),
    };
    let mut chosen: Option<Option<String>> = None;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        if ui.selectable_label(current.is_none(), format!("全部（{total}）")).clicked() {
            chosen = Some(None);
        }
        for field in st.taxonomy.fields() {
            let n = counts.get(&field.code).copied().unwrap_or(0);
            let id = ui.make_persistent_id(("tree", kind == RecordKind::Expert, &field.code));
            egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), id, false)
                .show_header(ui, |ui| {
                    if ui
                        .selectable_label(current.as_deref() == Some(&field.code), format!("{}（{n}）", field.name))
                        .clicked()
                    {
                        chosen = Some(Some(field.code.clone()));
                    }
                })
                .body(|ui| {
                    for child in st.taxonomy.children(&field.code) {
                        let n = counts.get(&child.code).copied().unwrap_or(0);
                        if ui
                            .selectable_label(current.as_deref() == Some(&child.code), format!("{}（{n}）", child.name))
                            .clicked()
                        {
                            chosen = Some(Some(child.code.clone()));
                        }
                    }
                });
        }
    });
    if let Some(c) = chosen {
        let view = st.list_mut(kind);
        view.subfield = c;
        view.dirty = true;
        view.sent.0.clear(); // searches are filtered by subfield too
    }
}

fn list_tab(ui: &mut Ui, st: &mut AppState, kind: RecordKind) {
    let key = if kind == RecordKind::Expert { "e" } else { "d" };
    egui::Panel::left(format!("tree_{key}"))
        .resizable(true)
        .default_size(250.0)
        .show(ui, |ui| subfield_tree(ui, st, kind));
    if st.list_mut(kind).selected.is_some() {
        egui::Panel::right(format!("detail_{key}")).resizable(true).default_size(380.0).show(ui, |ui| {
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| match kind {
                RecordKind::Expert => expert_detail(ui, st),
                RecordKind::Demand => demand_detail(ui, st),
            });
        });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            let label = ui.label(if kind == RecordKind::Expert { "搜索专家" } else { "搜索需求" });
            let view = st.list_mut(kind);
            let resp = ui
                .add(
                    egui::TextEdit::singleline(&mut view.search)
                        .hint_text("输入研究方向、技术词、姓名或单位，例如 碳化硅 外延")
                        .desired_width(420.0),
                )
                .labelled_by(label.id);
            if view.focus_search {
                resp.request_focus();
                view.focus_search = false;
            }
            if !view.search.is_empty() && ui.small_button("清除").clicked() {
                st.list_mut(kind).search.clear();
            }
            ui.separator();
            if ui
                .button(if kind == RecordKind::Expert { "新增专家" } else { "新增需求" })
                .on_hover_text("Ctrl+N")
                .clicked()
            {
                new_record(st, kind);
            }
        });
        st.search_if_changed(kind);
        st.refresh_visible(kind);
        let view = st.list_mut(kind);
        let n = view.visible.len();
        let searching = view.hits.is_some();
        ui.label(
            RichText::new(if searching {
                format!("找到 {n} 条（按相关度排序）")
            } else {
                format!("共 {n} 条")
            })
            .weak(),
        );
        ui.add_space(4.0);
        // Cell texts must not take the click (or text selection) from the row.
        ui.style_mut().interaction.selectable_labels = false;
        match kind {
            RecordKind::Expert => expert_table(ui, st),
            RecordKind::Demand => demand_table(ui, st),
        }
    });
}

fn header_button(ui: &mut Ui, title: &str, col: SortCol, sort: &mut (SortCol, bool), dirty: &mut bool) {
    let arrow = if sort.0 == col { if sort.1 { " ▲" } else { " ▼" } } else { "" };
    if ui
        .add(egui::Button::new(RichText::new(format!("{title}{arrow}")).strong()).frame(false))
        .on_hover_text("点击排序")
        .clicked()
    {
        if sort.0 == col {
            sort.1 = !sort.1;
        } else {
            *sort = (col, true);
        }
        *dirty = true;
    }
}

fn matched_for(hits: &Option<Vec<crate::search::SearchHit>>, id: i64) -> String {
    hits.as_ref().and_then(|h| h.iter().find(|x| x.id == id)).map(|h| h.matched_terms.join("、")).unwrap_or_default()
}

fn expert_table(ui: &mut Ui, st: &mut AppState) {
    let mut clicked = None;
    let tax = &st.taxonomy;
    let rows = &st.lists.experts;
    let view = &mut st.experts;
    let searching = view.hits.is_some();
    let mut table = TableBuilder::new(ui)
        .striped(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(90.0).resizable(true))
        .column(Column::initial(80.0).resizable(true))
        .column(Column::initial(230.0).resizable(true))
        .column(Column::initial(90.0).resizable(true))
        .column(Column::remainder().resizable(true));
    if searching {
        table = table.column(Column::initial(160.0));
    }
    let (mut sort, mut dirty) = (view.sort, false);
    table
        .header(26.0, |mut h| {
            h.col(|ui| header_button(ui, "编号", SortCol::Id, &mut sort, &mut dirty));
            h.col(|ui| header_button(ui, "姓名", SortCol::Name, &mut sort, &mut dirty));
            h.col(|ui| header_button(ui, "单位", SortCol::Org, &mut sort, &mut dirty));
            h.col(|ui| header_button(ui, "职称", SortCol::Title, &mut sort, &mut dirty));
            h.col(|ui| header_button(ui, "细分领域", SortCol::Subfield, &mut sort, &mut dirty));
            if searching {
                h.col(|ui| {
                    ui.strong("命中词");
                });
            }
        })
        .body(|body| {
            body.rows(ROW_H, view.visible.len(), |mut row| {
                let r = &rows[view.visible[row.index()]];
                row.set_selected(view.selected == Some(r.id));
                row.col(|ui| {
                    ui.label(&r.ext_id);
                });
                row.col(|ui| {
                    let name = if r.available {
                        RichText::new(&r.name)
                    } else {
                        RichText::new(format!("{}（暂不可约）", r.name)).weak()
                    };
                    ui.label(name);
                });
                row.col(|ui| {
                    ui.label(&r.institution);
                });
                row.col(|ui| {
                    ui.label(&r.title);
                });
                row.col(|ui| {
                    ui.label(r.subfields.iter().map(|c| tax.name(c).unwrap_or(c)).collect::<Vec<_>>().join("、"));
                });
                if searching {
                    row.col(|ui| {
                        ui.label(RichText::new(matched_for(&view.hits, r.id)).color(Color32::from_rgb(190, 100, 0)));
                    });
                }
                if row.response().clicked() {
                    clicked = Some(r.id);
                }
            });
        });
    if dirty {
        view.sort = sort;
        view.dirty = true;
    }
    if let Some(id) = clicked {
        st.select(RecordKind::Expert, id);
    }
}

fn demand_table(ui: &mut Ui, st: &mut AppState) {
    let mut clicked = None;
    let tax = &st.taxonomy;
    let rows = &st.lists.demands;
    let view = &mut st.demands;
    let searching = view.hits.is_some();
    let mut table = TableBuilder::new(ui)
        .striped(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(100.0).resizable(true))
        .column(Column::initial(210.0).resizable(true))
        .column(Column::initial(250.0).resizable(true))
        .column(Column::initial(150.0).resizable(true))
        .column(Column::initial(70.0).resizable(true))
        .column(Column::remainder());
    if searching {
        table = table.column(Column::initial(160.0));
    }
    let (mut sort, mut dirty) = (view.sort, false);
    table
        .header(26.0, |mut h| {
            h.col(|ui| header_button(ui, "编号", SortCol::Id, &mut sort, &mut dirty));
            h.col(|ui| header_button(ui, "企业", SortCol::Org, &mut sort, &mut dirty));
            h.col(|ui| header_button(ui, "需求名称", SortCol::Name, &mut sort, &mut dirty));
            h.col(|ui| header_button(ui, "细分领域", SortCol::Subfield, &mut sort, &mut dirty));
            h.col(|ui| header_button(ui, "状态", SortCol::Status, &mut sort, &mut dirty));
            h.col(|ui| header_button(ui, "截止时间", SortCol::Deadline, &mut sort, &mut dirty));
            if searching {
                h.col(|ui| {
                    ui.strong("命中词");
                });
            }
        })
        .body(|body| {
            body.rows(ROW_H, view.visible.len(), |mut row| {
                let r = &rows[view.visible[row.index()]];
                row.set_selected(view.selected == Some(r.id));
                row.col(|ui| {
                    ui.label(&r.ext_id);
                });
                row.col(|ui| {
                    ui.label(&r.enterprise);
                });
                row.col(|ui| {
                    ui.label(&r.title);
                });
                row.col(|ui| {
                    ui.label(r.subfields.iter().map(|c| tax.name(c).unwrap_or(c)).collect::<Vec<_>>().join("、"));
                });
                row.col(|ui| {
                    ui.label(r.status.label());
                });
                row.col(|ui| {
                    ui.label(&r.deadline);
                });
                if searching {
                    row.col(|ui| {
                        ui.label(RichText::new(matched_for(&view.hits, r.id)).color(Color32::from_rgb(190, 100, 0)));
                    });
                }
                if row.response().clicked() {
                    clicked = Some(r.id);
                }
            });
        });
    if dirty {
        view.sort = sort;
        view.dirty = true;
    }
    if let Some(id) = clicked {
        st.select(RecordKind::Demand, id);
    }
}

fn field_row(ui: &mut Ui, label: &str, value: &str) {
    if value.trim().is_empty() {
        return;
    }
    ui.label(RichText::new(label).weak());
    ui.add(egui::Label::new(value).wrap());
    ui.end_row();
}

fn expert_detail(ui: &mut Ui, st: &mut AppState) {
    let Some(e) = st.expert_detail.clone().filter(|e| Some(e.id) == st.experts.selected) else {
        ui.spinner();
        return;
    };
    ui.heading(&e.name);
    ui.label(RichText::new(format!("{} · {}", e.ext_id, e.institution)).weak());
    if !e.available {
        ui.colored_label(Color32::from_rgb(180, 80, 0), "已标记为暂不可约：不会被推荐");
    }
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        if ui.button("编辑").on_hover_text("Enter").clicked() {
            edit_selected(st, RecordKind::Expert);
        }
        if ui.button("删除").on_hover_text("Delete").clicked() {
            ask_delete(st, RecordKind::Expert);
        }
        if ui.button("推荐需求").clicked() {
            st.match_from(RecordKind::Expert, e.id);
        }
        let toggle = if e.available { "标记暂不可约" } else { "恢复可约" };
        if ui.button(toggle).clicked() {
            st.send(Command::SetAvailable { expert_id: e.id, available: !e.available });
            st.send(Command::LoadExpert(e.id));
        }
    });
    ui.separator();
    let subfields = e.subfields.iter().map(|c| st.taxonomy.name(c).unwrap_or(c)).collect::<Vec<_>>().join("、");
    egui::Grid::new("expert_detail_grid").num_columns(2).striped(true).spacing([12.0, 6.0]).show(ui, |ui| {
        field_row(ui, "性别", &e.gender);
        field_row(ui, "院系/部门", &e.department);
        field_row(ui, "职称", &e.title);
        field_row(ui, "推荐单位", &e.recommender);
        field_row(ui, "细分领域", &subfields);
        if subfields.is_empty() {
            field_row(ui, "细分领域（原文）", &e.subfield_text);
        }
        field_row(ui, "研究方向", &e.research);
        field_row(ui, "代表性成果", &e.achievements);
        field_row(ui, "关键词", &e.keywords.join("、"));
        field_row(ui, "合作方式", &e.coop_modes.join("、"));
        field_row(ui, "所在地区", &e.region);
        field_row(ui, "电话", &e.phone);
        field_row(ui, "邮箱", &e.email);
        field_row(ui, "备注", &e.note);
        field_row(ui, "更新时间", &e.updated_at);
    });
}

fn demand_detail(ui: &mut Ui, st: &mut AppState) {
    let Some(d) = st.demand_detail.clone().filter(|d| Some(d.id) == st.demands.selected) else {
        ui.spinner();
        return;
    };
    ui.heading(&d.title);
    ui.label(RichText::new(format!("{} · {}", d.ext_id, d.enterprise)).weak());
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        if ui.button("编辑").on_hover_text("Enter").clicked() {
            edit_selected(st, RecordKind::Demand);
        }
        if ui.button("删除").on_hover_text("Delete").clicked() {
            ask_delete(st, RecordKind::Demand);
        }
        if ui.button("推荐专家").clicked() {
            st.match_from(RecordKind::Demand, d.id);
        }
    });
    ui.separator();
    let subfields = d.subfields.iter().map(|c| st.taxonomy.name(c).unwrap_or(c)).collect::<Vec<_>>().join("、");
    let budget = d
        .budget_wan
        .map(|b| format!("{} 万元", crate::io::table::number_text(b)))
        .unwrap_or_else(|| d.budget_text.clone());
    egui::Grid::new("demand_detail_grid").num_columns(2).striped(true).spacing([12.0, 6.0]).show(ui, |ui| {
        field_row(ui, "需求描述", &d.description);
        field_row(ui, "细分领域", &subfields);
        if subfields.is_empty() {
            field_row(ui, "细分领域（原文）", &d.subfield_text);
        }
        field_row(ui, "关键词", &d.keywords.join("、"));
        field_row(ui, "期望合作方式", &d.coop_modes.join("、"));
        field_row(ui, "拟投入经费", &budget);
        field_row(ui, "紧急程度", d.urgency.map(Urgency::label).unwrap_or(""));
        field_row(ui, "截止时间", &d.deadline);
        field_row(ui, "状态", d.status.label());
        field_row(ui, "更新时间", &d.updated_at);
    });
    if let Some(en) = st.enterprise_detail.clone().filter(|en| Some(en.id) == d.enterprise_id) {
        ui.separator();
        ui.horizontal(|ui| {
            ui.strong("企业信息");
            if ui.button("编辑企业").clicked() {
                let text = FormText {
                    avoid_units: en.avoid_units.join("、"),
                    avoid_persons: en.avoid_persons.join("、"),
                    ..Default::default()
                };
                st.form = Some(Form::Enterprise(en.clone(), text));
            }
        });
        egui::Grid::new("enterprise_detail_grid").num_columns(2).striped(true).spacing([12.0, 6.0]).show(ui, |ui| {
            field_row(ui, "企业名称", &en.name);
            field_row(ui, "统一社会信用代码", &en.credit_code);
            field_row(ui, "所在园区/乡镇", &en.park);
            field_row(ui, "联系人", &en.contact);
            field_row(ui, "回避单位", &en.avoid_units.join("、"));
            field_row(ui, "回避专家", &en.avoid_persons.join("、"));
            field_row(ui, "联系电话", &en.phone);
        });
    }
}

// ------------------------------------------------------------------------------------------ forms

pub(super) fn text_field(ui: &mut Ui, label: &str, value: &mut String, multiline: bool) {
    let l = ui.label(label);
    let w = if multiline {
        egui::TextEdit::multiline(value).desired_rows(3).desired_width(f32::INFINITY)
    } else {
        egui::TextEdit::singleline(value).desired_width(f32::INFINITY)
    };
    ui.add(w).labelled_by(l.id);
    ui.end_row();
}

pub(super) fn subfield_picker(ui: &mut Ui, tax: &crate::domain::Taxonomy, codes: &mut Vec<String>) {
    let l = ui.label("细分领域");
    let summary = if codes.is_empty() {
        "（未选择）".to_string()
    } else {
        codes.iter().map(|c| tax.name(c).unwrap_or(c)).collect::<Vec<_>>().join("、")
    };
    egui::CollapsingHeader::new(summary)
        .id_salt("subfield_picker")
        .show(ui, |ui| {
            egui::ScrollArea::vertical().max_height(220.0).show(ui, |ui| {
                for f in tax.fields() {
                    ui.label(RichText::new(&f.name).strong());
                    ui.horizontal_wrapped(|ui| {
                        for c in tax.children(&f.code) {
                            let mut on = codes.contains(&c.code);
                            if ui.checkbox(&mut on, &c.name).changed() {
                                if on {
                                    codes.push(c.code.clone());
                                } else {
                                    codes.retain(|x| x != &c.code);
                                }
                                codes.sort();
                            }
                        }
                    });
                }
            });
        })
        .header_response
        .labelled_by(l.id);
    ui.end_row();
}

fn coop_picker(ui: &mut Ui, label: &str, modes: &mut Vec<String>) {
    ui.label(label);
    ui.horizontal_wrapped(|ui| {
        for m in COOP_MODES {
            let mut on = modes.iter().any(|x| x == m);
            if ui.checkbox(&mut on, m).changed() {
                if on {
                    modes.push(m.to_string());
                } else {
                    modes.retain(|x| x != m);
                }
            }
        }
    });
    ui.end_row();
}

fn form_window(ctx: &egui::Context, st: &mut AppState) {
    let Some(mut form) = st.form.take() else { return };
    let mut open = true;
    let mut save = false;
    let mut cancel = false;
    let title = match &form {
        Form::Enterprise(..) => "编辑企业",
        Form::Expert(e, _) if e.id == 0 => "新增专家",
        Form::Expert(..) => "编辑专家",
        Form::Demand(d, _) if d.id == 0 => "新增需求",
        Form::Demand(..) => "编辑需求",
    };
    egui::Window::new(title).open(&mut open).collapsible(false).default_width(620.0).show(ctx, |ui| {
        let max_h = (ui.ctx().content_rect().height() - 240.0).max(240.0);
        egui::ScrollArea::vertical().max_height(max_h).show(ui, |ui| {
            egui::Grid::new("form_grid").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| match &mut form {
                Form::Expert(e, text) => {
                    text_field(ui, "编号", &mut e.ext_id, false);
                    text_field(ui, "姓名（必填）", &mut e.name, false);
                    text_field(ui, "性别", &mut e.gender, false);
                    text_field(ui, "单位", &mut e.institution, false);
                    text_field(ui, "院系/部门", &mut e.department, false);
                    text_field(ui, "职称", &mut e.title, false);
                    text_field(ui, "推荐单位", &mut e.recommender, false);
                    subfield_picker(ui, &st.taxonomy, &mut e.subfields);
                    text_field(ui, "研究方向", &mut e.research, true);
                    text_field(ui, "代表性成果", &mut e.achievements, true);
                    text_field(ui, "关键词（用顿号分隔）", &mut text.keywords, false);
                    coop_picker(ui, "可接受的合作方式", &mut e.coop_modes);
                    text_field(ui, "所在地区", &mut e.region, false);
                    text_field(ui, "电话", &mut e.phone, false);
                    text_field(ui, "邮箱", &mut e.email, false);
                    text_field(ui, "备注", &mut e.note, true);
                }
                Form::Enterprise(en, text) => {
                    text_field(ui, "企业名称（必填）", &mut en.name, false);
                    text_field(ui, "统一社会信用代码", &mut en.credit_code, false);
                    text_field(ui, "所在园区/乡镇", &mut en.park, false);
                    text_field(ui, "联系人", &mut en.contact, false);
                    text_field(ui, "联系电话", &mut en.phone, false);
                    text_field(ui, "回避单位（对接会不安排这些单位的专家，用、分隔）", &mut text.avoid_units, false);
                    text_field(ui, "回避专家（姓名，用、分隔）", &mut text.avoid_persons, false);
                }
                Form::Demand(d, text) => {
                    text_field(ui, "编号", &mut d.ext_id, false);
                    text_field(ui, "企业名称", &mut d.enterprise, false);
                    text_field(ui, "需求名称（必填）", &mut d.title, false);
                    text_field(ui, "需求描述", &mut d.description, true);
                    subfield_picker(ui, &st.taxonomy, &mut d.subfields);
                    text_field(ui, "关键词（用顿号分隔）", &mut text.keywords, false);
                    coop_picker(ui, "期望合作方式", &mut d.coop_modes);
                    text_field(ui, "拟投入经费（万元）", &mut text.budget, false);
                    let l = ui.label("紧急程度");
                    egui::ComboBox::from_id_salt("urgency")
                        .selected_text(d.urgency.map(Urgency::label).unwrap_or("未填"))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut d.urgency, None, "未填");
                            for u in [Urgency::High, Urgency::Medium, Urgency::Low] {
                                ui.selectable_value(&mut d.urgency, Some(u), u.label());
                            }
                        })
                        .response
                        .labelled_by(l.id);
                    ui.end_row();
                    text_field(ui, "截止时间（如 2026-06-30）", &mut d.deadline, false);
                    let l = ui.label("状态");
                    egui::ComboBox::from_id_salt("status")
                        .selected_text(d.status.label())
                        .show_ui(ui, |ui| {
                            for s in DemandStatus::ALL {
                                ui.selectable_value(&mut d.status, s, s.label());
                            }
                        })
                        .response
                        .labelled_by(l.id);
                    ui.end_row();
                }
            });
        });
        let error = match &form {
            Form::Expert(_, t) | Form::Demand(_, t) | Form::Enterprise(_, t) => t.error.clone(),
        };
        if let Some(err) = error {
            ui.colored_label(Color32::from_rgb(200, 30, 30), err);
        }
        ui.separator();
        ui.horizontal(|ui| {
            if ui.button(RichText::new("保存").strong()).clicked() {
                save = true;
            }
            if ui.button("取消").clicked() {
                cancel = true;
            }
        });
    });
    if save {
        match validate(&mut form) {
            Ok(cmd) => {
                st.send(cmd);
                st.form = Some(form); // closed when the engine reports it saved
                return;
            }
            Err(e) => match &mut form {
                Form::Expert(_, t) | Form::Demand(_, t) | Form::Enterprise(_, t) => t.error = Some(e),
            },
        }
    }
    if open && !cancel {
        st.form = Some(form);
    }
}

/// Checks a form and turns it into the save command; the error is a Chinese sentence.
pub fn validate(form: &mut Form) -> Result<Command, String> {
    match form {
        Form::Enterprise(en, text) => {
            en.avoid_units = crate::util::split_multi(&text.avoid_units);
            en.avoid_persons = crate::util::split_multi(&text.avoid_persons);
            en.name = crate::util::clean_line(&en.name);
            if en.name.is_empty() {
                return Err("请填写企业名称".into());
            }
            en.credit_code = crate::util::norm_key(&en.credit_code).to_uppercase();
            if !en.credit_code.is_empty() && !crate::io::import::valid_credit_code(&en.credit_code) {
                return Err("统一社会信用代码应为 18 位数字或大写字母".into());
            }
            for p in crate::util::split_multi(&en.phone) {
                if !crate::util::valid_phone(&p) {
                    return Err(format!("电话号码格式不正确：“{p}”"));
                }
            }
            Ok(Command::SaveEnterprise(en.clone()))
        }
        Form::Expert(e, text) => {
            e.name = crate::util::clean_line(&e.name);
            if e.name.is_empty() {
                return Err("请填写姓名".into());
            }
            if !matches!(e.gender.trim(), "" | "男" | "女") {
                return Err("性别只能填“男”或“女”（或留空）".into());
            }
            for m in crate::util::split_multi(&e.email) {
                if !crate::util::valid_email(&m) {
                    return Err(format!("邮箱格式不正确：“{m}”"));
                }
            }
            for p in crate::util::split_multi(&e.phone) {
                if !crate::util::valid_phone(&p) {
                    return Err(format!("电话号码格式不正确：“{p}”"));
                }
            }
            e.keywords = crate::util::split_multi(&text.keywords);
            e.ext_id = e.ext_id.trim().to_string();
            Ok(Command::SaveExpert(e.clone()))
        }
        Form::Demand(d, text) => {
            d.title = crate::util::clean_line(&d.title);
            if d.title.is_empty() {
                return Err("请填写需求名称".into());
            }
            match crate::io::import::parse_budget(&text.budget) {
                Some((wan, t)) => (d.budget_wan, d.budget_text) = (wan, t),
                None => return Err("拟投入经费应为数字（万元）或“面议”".into()),
            }
            d.deadline = crate::io::import::parse_deadline(&d.deadline)
                .ok_or_else(|| "截止时间无法识别（示例：2026-06-30 或 2026年6月）".to_string())?;
            d.keywords = crate::util::split_multi(&text.keywords);
            d.ext_id = d.ext_id.trim().to_string();
            Ok(Command::SaveDemand(d.clone()))
        }
    }
}

fn confirm_delete(ctx: &egui::Context, st: &mut AppState) {
    let Some((kind, id, what)) = st.confirm_delete.clone() else { return };
    let modal = egui::Modal::new(egui::Id::unique("confirm_delete")).show(ctx, |ui| {
        ui.set_width(360.0);
        ui.heading("删除记录");
        ui.label(format!("确定删除{what}吗？删除后可以在下方状态栏点“撤销”恢复。"));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(RichText::new("确定删除").color(Color32::from_rgb(200, 30, 30))).clicked() {
                st.send(match kind {
                    RecordKind::Expert => Command::DeleteExpert(id),
                    RecordKind::Demand => Command::DeleteDemand(id),
                });
                st.confirm_delete = None;
            }
            if ui.button("取消").clicked() {
                st.confirm_delete = None;
            }
        });
    });
    if modal.should_close() {
        st.confirm_delete = None;
    }
}

// ------------------------------------------------------------------------------------------ import

fn import_window(ctx: &egui::Context, st: &mut AppState, actions: &mut Vec<Action>) {
    let Some(mut w) = st.import.take() else { return };
    let mut open = true;
    let mut send = Vec::new();
    egui::Window::new("导入名单").open(&mut open).collapsible(false).default_width(720.0).show(ctx, |ui| {
        ui.horizontal(|ui| {
            ui.label("导入到：");
            ui.radio_value(&mut w.kind, RecordKind::Expert, "专家人才库");
            ui.radio_value(&mut w.kind, RecordKind::Demand, "企业技术需求清单");
        });
        ui.horizontal(|ui| {
            let l = ui.label("文件");
            ui.add(
                egui::TextEdit::singleline(&mut w.path).desired_width(420.0).hint_text("Excel/WPS/CSV 文件的完整路径"),
            )
            .labelled_by(l.id);
            if ui.button("选择文件…").clicked() {
                actions.push(Action::PickImportFile);
            }
        });
        ui.horizontal(|ui| {
            let ready = !w.path.trim().is_empty() && !w.busy;
            if ui.add_enabled(ready, egui::Button::new("预览")).on_hover_text("只检查，不写入").clicked() {
                w.plan = None;
                w.done = None;
                w.busy = true;
                send.push(Command::PlanImport { path: w.path.trim().into(), kind: w.kind });
            }
            if w.busy && w.progress.is_none() {
                ui.spinner();
            }
        });
        if let Some(plan) = w.plan.clone() {
            ui.separator();
            let c = plan.counts();
            ui.label(
                RichText::new(format!(
                    "新增 {} 条，更新 {} 条，未变化 {} 条，拒绝 {} 条",
                    c.added, c.updated, c.unchanged, c.rejected
                ))
                .strong(),
            );
            ui.label(
                RichText::new(format!(
                    "识别的列：{}",
                    plan.recognised.iter().map(|(h, _)| h.as_str()).collect::<Vec<_>>().join("、")
                ))
                .weak(),
            );
            if !plan.ignored_columns.is_empty() {
                ui.label(RichText::new(format!("未识别的列（已忽略）：{}", plan.ignored_columns.join("、"))).weak());
            }
            if !plan.rejected.is_empty() {
                ui.label(RichText::new("拒绝的行（不会导入）").color(Color32::from_rgb(200, 30, 30)));
                egui::ScrollArea::vertical().id_salt("rejected").max_height(160.0).show(ui, |ui| {
                    egui::Grid::new("rejected_grid").striped(true).num_columns(3).show(ui, |ui| {
                        ui.strong("行");
                        ui.strong("列");
                        ui.strong("原因");
                        ui.end_row();
                        for r in &plan.rejected {
                            for i in &r.reasons {
                                ui.label(format!("第 {} 行", i.row));
                                ui.label(&i.column);
                                ui.label(&i.message);
                                ui.end_row();
                            }
                        }
                    });
                });
                if ui.button("保存被拒绝的行…").on_hover_text("存成 xlsx，修改后可再次导入").clicked()
                {
                    actions.push(Action::PickRejectedOut);
                }
            }
            if !plan.duplicates.is_empty() {
                ui.label(RichText::new("可能重复（请核对）").color(Color32::from_rgb(190, 100, 0)));
                egui::ScrollArea::vertical().id_salt("dups").max_height(120.0).show(ui, |ui| {
                    for d in &plan.duplicates {
                        ui.label(format!(
                            "第 {} 行 {} ≈ {}（相似度 {:.0}%）",
                            d.row,
                            d.label,
                            d.other,
                            d.similarity * 100.0
                        ));
                    }
                });
                ui.checkbox(&mut w.merge_duplicates, "合并到已有记录（不勾选则作为新记录导入）");
            }
            if !plan.warnings.is_empty() {
                egui::CollapsingHeader::new(format!("提醒 {} 条（已导入，建议核对）", plan.warnings.len())).show(
                    ui,
                    |ui| {
                        egui::ScrollArea::vertical().id_salt("warnings").max_height(120.0).show(ui, |ui| {
                            for i in &plan.warnings {
                                ui.label(format!("第 {} 行【{}】{}", i.row, i.column, i.message));
                            }
                        });
                    },
                );
            }
            ui.separator();
            if let Some((done, total)) = w.progress {
                ui.add(
                    egui::ProgressBar::new(done as f32 / total.max(1) as f32).text(format!("正在写入 {done}/{total}")),
                );
                if ui.button("取消导入").clicked() {
                    actions.push(Action::CancelImport);
                }
            } else if w.done.is_none() {
                let can = c.added + c.updated > 0 && !w.busy;
                if ui.add_enabled(can, egui::Button::new(RichText::new("导入").strong())).clicked() {
                    w.busy = true;
                    w.progress = Some((0, c.added + c.updated + c.unchanged));
                    send.push(Command::CommitImport {
                        path: w.path.trim().into(),
                        kind: w.kind,
                        merge_duplicates: w.merge_duplicates,
                    });
                }
            }
        }
        if let Some(done) = &w.done {
            ui.colored_label(Color32::from_rgb(20, 130, 60), done);
        }
    });
    for c in send {
        st.send(c);
    }
    if open {
        st.import = Some(w);
    }
}

// ------------------------------------------------------------------------------------------ matches

fn reason_chip(ui: &mut Ui, r: &Reason) {
    let (fill, text) = match r {
        Reason::Terms { .. } => (Color32::from_rgb(222, 235, 255), Color32::from_rgb(20, 60, 130)),
        Reason::Synonym { .. } => (Color32::from_rgb(230, 225, 250), Color32::from_rgb(70, 40, 140)),
        Reason::Subfield { .. } => (Color32::from_rgb(220, 245, 230), Color32::from_rgb(20, 100, 50)),
        Reason::ProblemLink { .. } => (Color32::from_rgb(255, 236, 210), Color32::from_rgb(140, 70, 0)),
        Reason::Keyword { .. } => (Color32::from_rgb(240, 240, 240), Color32::from_rgb(60, 60, 60)),
        Reason::Coop { .. } => (Color32::from_rgb(235, 245, 250), Color32::from_rgb(30, 90, 110)),
        Reason::Evidence { .. } => (Color32::TRANSPARENT, ui.visuals().weak_text_color()),
    };
    // Chips keep their text on one line (a wrapped row moves them down); the evidence sentence,
    // which can be long, wraps across the full width instead.
    let mode = if matches!(r, Reason::Evidence { .. }) { egui::TextWrapMode::Wrap } else { egui::TextWrapMode::Extend };
    egui::Frame::new().fill(fill).corner_radius(6.0).inner_margin(egui::Margin::symmetric(6, 2)).show(ui, |ui| {
        ui.add(egui::Label::new(RichText::new(r.text()).color(text)).wrap_mode(mode));
    });
}

fn matches_tab(ui: &mut Ui, st: &mut AppState) {
    egui::Panel::left("match_source").resizable(true).default_size(330.0).show(ui, |ui| {
        ui.horizontal(|ui| {
            if ui.selectable_label(st.matches.from_demand, "为需求找专家").clicked() {
                st.matches.from_demand = true;
            }
            if ui.selectable_label(!st.matches.from_demand, "为专家找需求").clicked() {
                st.matches.from_demand = false;
            }
        });
        let l = ui.label(if st.matches.from_demand { "筛选需求" } else { "筛选专家" });
        ui.add(
            egui::TextEdit::singleline(&mut st.matches.filter)
                .hint_text("名称、企业或单位")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
        st.refresh_match_sources();
        ui.label(RichText::new(format!("{} 条", st.matches.sources.len())).weak());
        let mut chosen = None;
        let n = st.matches.sources.len();
        egui::ScrollArea::vertical().auto_shrink([false, false]).show_rows(ui, 40.0, n, |ui, range| {
            for &i in &st.matches.sources[range] {
                let (kind, id, title, sub) = if st.matches.from_demand {
                    let d = &st.lists.demands[i];
                    (RecordKind::Demand, d.id, &d.title, &d.enterprise)
                } else {
                    let e = &st.lists.experts[i];
                    (RecordKind::Expert, e.id, &e.name, &e.institution)
                };
                let sel = st.matches.source == Some((kind, id));
                let resp = ui.add(
                    egui::Button::selectable(sel, format!("{title}\n{sub}"))
                        .min_size(egui::vec2(ui.available_width(), 36.0)),
                );
                if resp.clicked() {
                    chosen = Some((kind, id));
                }
            }
        });
        if let Some((k, id)) = chosen {
            st.match_from(k, id);
        }
    });
    egui::CentralPanel::default().show(ui, |ui| {
        let Some((kind, id)) = st.matches.source else {
            ui.vertical_centered(|ui| {
                ui.add_space(80.0);
                ui.label(
                    RichText::new("在左侧选择一条需求（或一位专家），这里会列出匹配建议和匹配理由").size(16.0).weak(),
                );
            });
            return;
        };
        match kind {
            RecordKind::Demand => {
                if let Some(d) = st.demand_detail.as_ref().filter(|d| d.id == id) {
                    ui.heading(&d.title);
                    ui.label(RichText::new(format!("{} · {}", d.ext_id, d.enterprise)).weak());
                    ui.add(egui::Label::new(&d.description).wrap());
                }
            }
            RecordKind::Expert => {
                if let Some(e) = st.expert_detail.as_ref().filter(|e| e.id == id) {
                    ui.heading(crate::matching::expert_label(e));
                    ui.add(egui::Label::new(&e.research).wrap());
                }
            }
        }
        ui.separator();
        if st.matches.busy {
            ui.spinner();
            return;
        }
        let Some(list) = st.matches.results.clone() else { return };
        if list.is_empty() {
            ui.label("没有合适的推荐（可能已被标记回避，或专家暂不可约）。");
            return;
        }
        ui.label(RichText::new(format!("推荐 {} 条，按匹配度排序", list.len())).weak());
        let source_enterprise = st.lists.demands.iter().find(|d| d.id == id).and_then(|d| d.enterprise_id);
        let mut cmds = Vec::new();
        let width = ui.available_width() - 28.0;
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            for (rank, s) in list.iter().enumerate() {
                let (expert_id, demand_id, enterprise_id) = match kind {
                    RecordKind::Demand => (s.id, id, source_enterprise),
                    RecordKind::Expert => {
                        (id, s.id, st.lists.demands.iter().find(|d| d.id == s.id).and_then(|d| d.enterprise_id))
                    }
                };
                let paired = st.lists.pairings.contains(&(expert_id, demand_id));
                egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
                    ui.set_width(width);
                    ui.set_max_width(width);
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(format!("{}", rank + 1)).size(20.0).strong());
                        ui.add(
                            egui::ProgressBar::new((s.score / 100.0) as f32)
                                .desired_width(160.0)
                                .text(format!("匹配度 {:.1}", s.score)),
                        );
                        ui.label(RichText::new(&s.label).size(16.0).strong());
                        ui.label(RichText::new(&s.ext_id).weak());
                    });
                    ui.horizontal_wrapped(|ui| {
                        for r in s.reasons.iter().filter(|r| !matches!(r, Reason::Evidence { .. })) {
                            reason_chip(ui, r);
                        }
                    });
                    for r in s.reasons.iter().filter(|r| matches!(r, Reason::Evidence { .. })) {
                        reason_chip(ui, r);
                    }
                    ui.horizontal(|ui| {
                        let reasons = s.reasons.iter().map(Reason::text).collect::<Vec<_>>().join("；");
                        if paired {
                            ui.label(RichText::new("✓ 已在对接清单").color(Color32::from_rgb(20, 130, 60)));
                        } else if ui.button("加入对接").clicked() {
                            cmds.push(Command::AddPairing { expert_id, demand_id, score: s.score, reasons });
                        }
                        if let Some(en) = enterprise_id {
                            if ui.button("回避").on_hover_text("利益相关：此后不再把这位专家推荐给该企业").clicked()
                            {
                                cmds.push(Command::SetExclusion {
                                    expert_id,
                                    enterprise_id: en,
                                    kind: Some(ExclusionKind::Conflict),
                                });
                                cmds.push(rematch(kind, id, st.matches.top));
                            }
                            if ui.button("不再推荐").clicked() {
                                cmds.push(Command::SetExclusion {
                                    expert_id,
                                    enterprise_id: en,
                                    kind: Some(ExclusionKind::DoNotSuggest),
                                });
                                cmds.push(rematch(kind, id, st.matches.top));
                            }
                        }
                    });
                });
                ui.add_space(4.0);
            }
        });
        for c in cmds {
            st.send(c);
        }
    });
}

fn rematch(kind: RecordKind, id: i64, top: usize) -> Command {
    match kind {
        RecordKind::Demand => Command::MatchDemand { id, top },
        RecordKind::Expert => Command::MatchExpert { id, top },
    }
}

// ------------------------------------------------------------------------------------------ settings

fn settings_tab(ui: &mut Ui, st: &mut AppState, actions: &mut Vec<Action>) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading("设置");
        ui.add_space(8.0);
        egui::Grid::new("settings").num_columns(2).spacing([16.0, 10.0]).show(ui, |ui| {
            ui.label("数据库文件");
            ui.label(&st.db_path);
            ui.end_row();
            ui.label("搜索索引");
            ui.horizontal(|ui| {
                ui.label(&st.index_note);
                if ui.button("重建搜索索引").clicked() {
                    st.send(Command::Reindex);
                }
            });
            ui.end_row();
            ui.label("知识文件");
            let dir = std::path::Path::new(&st.db_path).parent().map(|p| p.join("knowledge").display().to_string()).unwrap_or_default();
            ui.add(egui::Label::new(format!(
                "细分领域、同义词、问题→学科对照表可复制到 {dir} 中修改（taxonomy.toml、synonyms.toml、problem_links.toml），重启后生效"
            ))
            .wrap());
            ui.end_row();
            ui.label("界面缩放");
            ui.horizontal(|ui| {
                let mut z = ui.ctx().zoom_factor();
                if ui.add(egui::Slider::new(&mut z, 0.75..=2.0).step_by(0.05)).changed() {
                    ui.ctx().set_zoom_factor(z);
                }
                ui.label(RichText::new("（也可按 Ctrl + / Ctrl −）").weak());
            });
            ui.end_row();
            ui.label("配色");
            if ui.button(if ui.visuals().dark_mode { "切换到浅色" } else { "切换到深色" }).clicked() {
                actions.push(Action::ToggleDark);
            }
            ui.end_row();
            ui.label("快捷键");
            ui.label("Ctrl+1…5 切换页面 · Ctrl+F 搜索 · Ctrl+N 新增 · Ctrl+I 导入 · Delete 删除 · Ctrl+Z 撤销删除 · ↑↓ 选择 · Enter 编辑");
            ui.end_row();
        });
        ui.add_space(16.0);
        ui.label(RichText::new("伯乐 Bole · 专家人才库与企业技术需求清单对接工具。数据只保存在本机的数据库文件中。").weak());
    });
}
