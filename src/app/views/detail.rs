//! The detail panel of the selected expert or demand (with the demand's enterprise), and the
//! delete confirmation.

use egui::{Color32, RichText, Ui};

use super::widgets::{ERROR, field_grid};
use crate::app::msg::UiMsg;
use crate::app::records::{demand_fields, enterprise_fields, expert_fields};
use crate::app::state::AppState;
use crate::domain::RecordKind;

/// The buttons every detail has: 编辑, 删除 and the way to its matches.
fn actions(ui: &mut Ui, kind: RecordKind, id: i64, out: &mut Vec<UiMsg>) {
    if ui.button("编辑").on_hover_text("Enter").clicked() {
        out.push(UiMsg::EditSelected(kind));
    }
    if ui.button("删除").on_hover_text("Delete").clicked() {
        out.push(UiMsg::AskDelete(kind));
    }
    let matches = if kind == RecordKind::Expert { "推荐需求" } else { "推荐专家" };
    if ui.button(matches).clicked() {
        out.push(UiMsg::MatchFrom(kind, id));
    }
}

pub fn detail(ui: &mut Ui, st: &AppState, kind: RecordKind, out: &mut Vec<UiMsg>) {
    let selected = st.list(kind).selected;
    match kind {
        RecordKind::Expert => {
            let Some(e) = st.expert_detail.as_ref().filter(|e| Some(e.id) == selected) else {
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
                actions(ui, kind, e.id, out);
                let toggle = if e.available { "标记暂不可约" } else { "恢复可约" };
                if ui.button(toggle).clicked() {
                    out.push(UiMsg::SetAvailable { expert_id: e.id, available: !e.available });
                }
            });
            ui.separator();
            field_grid(ui, "expert_detail_grid", &expert_fields(e, &st.taxonomy));
            super::followup::record_pairings(ui, st, kind, e.id, out);
            history(ui, st, kind, e.id);
        }
        RecordKind::Demand => {
            let Some(d) = st.demand_detail.as_ref().filter(|d| Some(d.id) == selected) else {
                ui.spinner();
                return;
            };
            ui.heading(&d.title);
            ui.label(RichText::new(format!("{} · {}", d.ext_id, d.enterprise)).weak());
            ui.add_space(6.0);
            ui.horizontal_wrapped(|ui| actions(ui, kind, d.id, out));
            ui.separator();
            field_grid(ui, "demand_detail_grid", &demand_fields(d, &st.taxonomy, &st.clock.today));
            if let Some(en) = st.enterprise_detail.as_ref().filter(|en| Some(en.id) == d.enterprise_id) {
                ui.separator();
                ui.horizontal(|ui| {
                    ui.strong("企业信息");
                    if ui.button("编辑企业").clicked() {
                        out.push(UiMsg::EditEnterprise);
                    }
                });
                field_grid(ui, "enterprise_detail_grid", &enterprise_fields(en));
            }
            super::followup::record_pairings(ui, st, kind, d.id, out);
            history(ui, st, kind, d.id);
        }
    }
}

/// 修改历史: the record's entries of the change log (who changed what, when).
fn history(ui: &mut Ui, st: &AppState, kind: RecordKind, id: i64) {
    let Some((k, i, lines)) = &st.data.history else { return };
    if (*k, *i) != (kind, id) || lines.is_empty() {
        return;
    }
    ui.separator();
    egui::CollapsingHeader::new(format!("修改历史（{} 条）", lines.len())).id_salt(("history", id)).show(ui, |ui| {
        for l in lines {
            ui.label(RichText::new(&l.head).small().strong());
            for r in &l.rows {
                ui.add(egui::Label::new(RichText::new(r).small()).wrap());
            }
        }
    });
}

pub fn confirm_delete(ctx: &egui::Context, st: &AppState, out: &mut Vec<UiMsg>) {
    let Some((_, _, what)) = &st.confirm_delete else { return };
    let modal = egui::Modal::new(egui::Id::unique("confirm_delete")).show(ctx, |ui| {
        ui.set_width(360.0);
        ui.heading("删除记录");
        ui.label(format!("确定删除{what}吗？删除后可以在下方状态栏点“撤销”恢复。"));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(RichText::new("确定删除").color(ERROR)).clicked() {
                out.push(UiMsg::ConfirmDelete);
            }
            if ui.button("取消").clicked() {
                out.push(UiMsg::CancelDelete);
            }
        });
    });
    if modal.should_close() {
        out.push(UiMsg::CancelDelete);
    }
}
