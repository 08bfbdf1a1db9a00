//! The import wizard: choose the list and the file, preview (new / updated / unchanged /
//! rejected rows with their reasons, likely duplicates), then import with a progress bar.

use egui::{RichText, Ui};

use super::widgets::{ERROR, OK, WARN, line_input};
use crate::app::msg::UiMsg;
use crate::app::state::{AppState, ImportWizard};
use crate::domain::RecordKind;
use crate::engine::ImportPlan;

fn preview(ui: &mut Ui, w: &ImportWizard, plan: &ImportPlan, out: &mut Vec<UiMsg>) {
    ui.separator();
    let c = plan.counts_with(w.merge_duplicates);
    if let Some(m) = &plan.mislabeled {
        ui.label(RichText::new(crate::text::mislabeled(m)).color(WARN));
    }
    ui.label(
        RichText::new(format!(
            "新增 {} 条，更新 {} 条，未变化 {} 条，拒绝 {} 条",
            c.added, c.updated, c.unchanged, c.rejected
        ))
        .strong(),
    );
    let recognised: Vec<&str> = plan.recognised.iter().map(|(h, _)| h.as_str()).collect();
    ui.label(RichText::new(format!("识别的列：{}", recognised.join("、"))).weak());
    if !plan.ignored_columns.is_empty() {
        ui.label(RichText::new(format!("未识别的列（已忽略）：{}", plan.ignored_columns.join("、"))).weak());
    }
    if !plan.rejected.is_empty() {
        ui.label(RichText::new("拒绝的行（不会导入）").color(ERROR));
        egui::ScrollArea::vertical().id_salt("rejected").max_height(160.0).show(ui, |ui| {
            egui::Grid::new("rejected_grid").striped(true).num_columns(3).show(ui, |ui| {
                ui.strong("行");
                ui.strong("列");
                ui.strong("原因");
                ui.end_row();
                for i in plan.rejected.iter().flat_map(|r| &r.reasons) {
                    ui.label(format!("第 {} 行", i.row));
                    ui.label(&i.column);
                    ui.label(i.message());
                    ui.end_row();
                }
            });
        });
        if ui.button("保存被拒绝的行…").on_hover_text("存成 xlsx，修改后可再次导入").clicked() {
            out.push(UiMsg::PickRejectedOut);
        }
    }
    if !plan.duplicates.is_empty() {
        ui.label(RichText::new("可能重复（请核对）").color(WARN));
        egui::ScrollArea::vertical().id_salt("dups").max_height(120.0).show(ui, |ui| {
            for d in &plan.duplicates {
                ui.label(format!("第 {} 行 {} ≈ {}（相似度 {:.0}%）", d.row, d.label, d.other, d.similarity * 100.0));
            }
        });
        let mut merge = w.merge_duplicates;
        if ui.checkbox(&mut merge, "合并到已有记录（不勾选则作为新记录导入）").changed() {
            out.push(UiMsg::MergeDuplicates(merge));
        }
    }
    if !plan.warnings.is_empty() {
        egui::CollapsingHeader::new(format!("提醒 {} 条（已导入，建议核对）", plan.warnings.len())).show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("warnings").max_height(120.0).show(ui, |ui| {
                for i in &plan.warnings {
                    ui.label(format!("第 {} 行【{}】{}", i.row, i.column, i.message()));
                }
            });
        });
    }
    ui.separator();
    if let Some((done, total)) = w.progress {
        #[allow(clippy::cast_precision_loss)]
        let share = done as f32 / total.max(1) as f32;
        ui.add(egui::ProgressBar::new(share).text(format!("正在写入 {done}/{total}")));
        if ui.button("取消导入").clicked() {
            out.push(UiMsg::CancelImport);
        }
    } else if w.done.is_none() {
        let can = c.added + c.updated > 0 && !w.busy;
        if ui.add_enabled(can, egui::Button::new(RichText::new("导入").strong())).clicked() {
            out.push(UiMsg::CommitImport);
        }
    }
}

pub fn import_window(ctx: &egui::Context, st: &AppState, out: &mut Vec<UiMsg>) {
    let Some(w) = &st.import else { return };
    let mut open = true;
    egui::Window::new("导入名单").open(&mut open).collapsible(false).default_width(720.0).show(ctx, |ui| {
        ui.horizontal(|ui| {
            ui.label("导入到：");
            for kind in RecordKind::ALL {
                if ui.radio(w.kind == kind, kind.list_name()).clicked() {
                    out.push(UiMsg::ImportKind(kind));
                }
            }
        });
        ui.horizontal(|ui| {
            if let (Some(p), _) = line_input(ui, "文件", &w.path, "Excel/WPS/CSV 文件的完整路径", 420.0) {
                out.push(UiMsg::ImportPath(p));
            }
            if ui.button("选择文件…").clicked() {
                out.push(UiMsg::PickImportFile);
            }
        });
        ui.horizontal(|ui| {
            let ready = !w.path.trim().is_empty() && !w.busy;
            if ui.add_enabled(ready, egui::Button::new("预览")).on_hover_text("只检查，不写入").clicked() {
                out.push(UiMsg::PreviewImport);
            }
            if w.busy && w.progress.is_none() {
                ui.spinner();
            }
        });
        if let Some(plan) = &w.plan {
            preview(ui, w, plan, out);
        }
        if let Some(done) = &w.done {
            ui.colored_label(OK, done);
            let none = match w.kind {
                crate::domain::RecordKind::Expert => st.derived.unclassified.0,
                crate::domain::RecordKind::Demand => st.derived.unclassified.1,
            };
            if none > 0
                && ui
                    .button(format!("为 {none} 条没有细分领域的记录归类…"))
                    .on_hover_text("打开归类审核：逐条确认系统建议的细分领域，或批量确认")
                    .clicked()
            {
                out.push(UiMsg::CloseImport);
                out.push(UiMsg::Review(crate::app::review::ReviewMsg::Open(w.kind)));
            }
        }
    });
    if !open {
        out.push(UiMsg::CloseImport);
    }
}
