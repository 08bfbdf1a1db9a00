//! 专家人才库 and 企业需求: the subfield tree with counts, the search box, and one virtualised,
//! sortable table for both kinds, driven by the kind's column spec.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::detail;
use super::widgets::{WARN, header_button, line_input};
use crate::app::msg::UiMsg;
use crate::app::records::{ColumnSpec, ListRow, columns};
use crate::app::state::{AppState, ListView, SortCol};
use crate::domain::RecordKind;

const ROW_H: f32 = 24.0;

fn subfield_tree(ui: &mut Ui, st: &AppState, kind: RecordKind, out: &mut Vec<UiMsg>) {
    ui.heading("新材料细分领域");
    let current = st.list(kind).subfield.as_deref();
    let (counts, total) = match kind {
        RecordKind::Expert => (&st.derived.counts.0, st.lists.experts.len()),
        RecordKind::Demand => (&st.derived.counts.1, st.lists.demands.len()),
    };
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        if ui.selectable_label(current.is_none(), format!("全部（{total}）")).clicked() {
            out.push(UiMsg::Subfield(kind, None));
        }
        let (none, pending) = match kind {
            RecordKind::Expert => (st.derived.unclassified.0, st.pending_review.0),
            RecordKind::Demand => (st.derived.unclassified.1, st.pending_review.1),
        };
        let unclassified = crate::app::review::UNCLASSIFIED;
        if ui
            .selectable_label(current == Some(unclassified), format!("未分类（{none}）"))
            .on_hover_text("还没有确认细分领域的记录")
            .clicked()
        {
            out.push(UiMsg::Subfield(kind, Some(unclassified.to_string())));
        }
        let review = match pending {
            Some(n) => format!("归类审核：待确认 {n}…"),
            None => "归类审核…".to_string(),
        };
        if ui.button(review).on_hover_text("逐条确认系统建议的细分领域，或按置信度批量确认").clicked()
        {
            out.push(UiMsg::Review(crate::app::review::ReviewMsg::Open(kind)));
        }
        ui.separator();
        for field in st.taxonomy.fields() {
            let n = counts.get(&field.code).copied().unwrap_or(0);
            let id = ui.make_persistent_id(("tree", kind, &field.code));
            egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), id, false)
                .show_header(ui, |ui| {
                    let label = format!("{}（{n}）", field.name);
                    if ui.selectable_label(current == Some(field.code.as_str()), label).clicked() {
                        out.push(UiMsg::Subfield(kind, Some(field.code.clone())));
                    }
                })
                .body(|ui| {
                    for child in st.taxonomy.children(&field.code) {
                        let n = counts.get(&child.code).copied().unwrap_or(0);
                        let label = format!("{}（{n}）", child.name);
                        if ui.selectable_label(current == Some(child.code.as_str()), label).clicked() {
                            out.push(UiMsg::Subfield(kind, Some(child.code.clone())));
                        }
                    }
                });
        }
    });
}

pub fn list_tab(ui: &mut Ui, st: &AppState, kind: RecordKind, out: &mut Vec<UiMsg>) {
    let key = if kind == RecordKind::Expert { "e" } else { "d" };
    let view = st.list(kind);
    egui::Panel::left(format!("tree_{key}"))
        .resizable(true)
        .default_size(250.0)
        .show(ui, |ui| subfield_tree(ui, st, kind, out));
    if view.selected.is_some() {
        egui::Panel::right(format!("detail_{key}")).resizable(true).default_size(380.0).show(ui, |ui| {
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| detail::detail(ui, st, kind, out));
        });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        if kind == RecordKind::Expert {
            super::followup::due_banner(ui, st, out);
        }
        ui.horizontal(|ui| {
            let label = if kind == RecordKind::Expert { "搜索专家" } else { "搜索需求" };
            let (changed, resp) =
                line_input(ui, label, &view.search, "输入研究方向、技术词、姓名或单位，例如 碳化硅 外延", 420.0);
            if let Some(text) = changed {
                out.push(UiMsg::Search(kind, text));
            }
            if view.focus_search {
                resp.request_focus();
                out.push(UiMsg::SearchFocused(kind));
            }
            if !view.search.is_empty() && ui.small_button("清除").clicked() {
                out.push(UiMsg::Search(kind, String::new()));
            }
            ui.separator();
            let new = if kind == RecordKind::Expert { "新增专家" } else { "新增需求" };
            if ui.button(new).on_hover_text("Ctrl+N").clicked() {
                out.push(UiMsg::NewRecord(kind));
            }
        });
        let n = view.visible.len();
        let text = if view.hits.is_some() {
            format!("找到 {n} 条（按相关度排序）")
        } else {
            format!("共 {n} 条")
        };
        ui.label(RichText::new(text).weak());
        ui.add_space(4.0);
        // Cell texts must not take the click (or text selection) from the row.
        ui.style_mut().interaction.selectable_labels = false;
        match kind {
            RecordKind::Expert => {
                table(ui, &st.lists.experts, &st.derived.subfield_names.0, view, columns(kind), &st.clock.today, out);
            }
            RecordKind::Demand => {
                table(ui, &st.lists.demands, &st.derived.subfield_names.1, view, columns(kind), &st.clock.today, out);
            }
        }
    });
}

/// One table for both kinds: the columns of the spec, plus 命中词 while searching.
#[allow(clippy::too_many_arguments, reason = "one table drawing, its inputs spelled out")]
fn table<R: ListRow>(
    ui: &mut Ui,
    rows: &[R],
    subfield_names: &[String],
    view: &ListView,
    spec: &[ColumnSpec],
    today: &str,
    out: &mut Vec<UiMsg>,
) {
    let searching = view.hits.is_some();
    let mut table = TableBuilder::new(ui)
        .striped(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    // While searching, 命中词 takes the remainder and the last column gets a fixed width, so
    // the matched words stay in view when the detail panel narrows the table.
    for c in spec {
        table = table.column(match c.width {
            Some(w) => Column::initial(w).resizable(true),
            None if searching => Column::initial(150.0).resizable(true),
            None => Column::remainder().resizable(true),
        });
    }
    if searching {
        table = table.column(Column::remainder().at_least(120.0));
    }
    table
        .header(26.0, |mut h| {
            for c in spec {
                h.col(|ui| {
                    // Search hits come in rank order: no arrow on 编号 unless the user sorts.
                    let ranked = searching && view.sort == (SortCol::Id, true);
                    let arrow = (view.sort.0 == c.col && !ranked).then_some(view.sort.1);
                    if header_button(ui, c.title, arrow) {
                        out.push(UiMsg::Sort(view.kind, c.col));
                    }
                });
            }
            if searching {
                h.col(|ui| {
                    ui.strong("命中词");
                });
            }
        })
        .body(|body| {
            body.rows(ROW_H, view.visible.len(), |mut row| {
                let i = view.visible[row.index()];
                let r = &rows[i];
                row.set_selected(view.selected == Some(r.id()));
                for c in spec {
                    row.col(|ui| {
                        let text = match c.col {
                            SortCol::Subfield => subfield_names[i].as_str(),
                            col => r.cell(col),
                        };
                        if c.col == SortCol::Name && r.dimmed() {
                            ui.label(RichText::new(format!("{text}（暂不可约）")).weak());
                        } else if c.col == SortCol::Deadline && r.overdue(today) {
                            ui.label(RichText::new(format!("{text} 已过期")).color(super::widgets::ERROR))
                                .on_hover_text("截止时间已过，需求仍未解决");
                        } else {
                            ui.label(text);
                        }
                    });
                }
                if searching {
                    row.col(|ui| {
                        let m = view.matched.get(&r.id()).map(String::as_str).unwrap_or("");
                        ui.label(RichText::new(m).color(WARN));
                    });
                }
                if row.response().clicked() {
                    out.push(UiMsg::Select(view.kind, r.id()));
                }
            });
        });
}
