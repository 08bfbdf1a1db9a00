//! 设置 → 数据安全: backups (folder, 立即备份, the list with 恢复…), 导出名单, 清除演示数据 and the
//! 操作日志 with 撤销; the confirmation modals and the path box that stands in for a file dialog.

use egui::{RichText, Ui};

use super::widgets::ERROR;
use crate::app::data::{Confirm, DataMsg, PathFor};
use crate::app::msg::UiMsg;
use crate::app::state::AppState;
use crate::domain::RecordKind;

fn data(m: DataMsg) -> UiMsg {
    UiMsg::Data(m)
}

/// The backups, list export and demo data.
pub fn safety_section(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    ui.heading("数据安全");
    ui.label(
        RichText::new(
            "每天第一次启动、每周、每次导入/合并/清除演示数据/恢复之前自动备份；备份是完整一致的数据库副本。",
        )
        .weak(),
    );
    ui.add_space(4.0);
    egui::Grid::new("safety").num_columns(2).spacing([16.0, 8.0]).show(ui, |ui| {
        ui.label("备份文件夹");
        ui.horizontal_wrapped(|ui| {
            ui.label(&st.data.backup_dir);
            if ui.button("更改…").on_hover_text("例如 U 盘或共享文件夹").clicked() {
                out.push(data(DataMsg::PathBox(PathFor::BackupDir, "输入新的备份文件夹（如 E:\\伯乐备份）".into())));
            }
            if ui.button("立即备份").clicked() {
                out.push(data(DataMsg::BackupNow));
            }
            if ui.button("从其他文件恢复…").clicked() {
                out.push(data(DataMsg::PathBox(PathFor::RestoreFrom, "输入备份文件的完整路径".into())));
            }
        });
        ui.end_row();
        ui.label("导出名单");
        ui.horizontal_wrapped(|ui| {
            if ui.button("导出专家人才库…").clicked() {
                out.push(data(DataMsg::PickExport(RecordKind::Expert)));
            }
            if ui.button("导出企业需求…").clicked() {
                out.push(data(DataMsg::PickExport(RecordKind::Demand)));
            }
            ui.label(RichText::new("xlsx 或 CSV，表头与导入相同").weak());
        });
        ui.end_row();
        let (de, dd) = st.lists.demo;
        if de + dd > 0 {
            ui.label("演示数据");
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("当前含演示数据：专家 {de} 位、需求 {dd} 条"));
                if ui.button(RichText::new("清除演示数据…").color(ERROR)).clicked() {
                    out.push(data(DataMsg::AskClearDemo));
                }
            });
            ui.end_row();
        }
    });
    ui.add_space(6.0);
    if st.data.backups.is_empty() {
        ui.label(RichText::new("还没有备份").weak());
        return;
    }
    egui::ScrollArea::vertical().id_salt("backups").max_height(180.0).show(ui, |ui| {
        egui::Grid::new("backup_list").striped(true).num_columns(4).spacing([12.0, 4.0]).show(ui, |ui| {
            for h in ["时间", "种类", "内容", ""] {
                ui.strong(h);
            }
            ui.end_row();
            for b in &st.data.backups {
                ui.label(&b.taken_at);
                let kind = match (b.kind, b.action) {
                    (_, Some(a)) => crate::text::backup_action(a),
                    (Some(k), None) => crate::text::backup_kind(k),
                    (None, None) => "其他",
                };
                ui.label(kind);
                ui.label(crate::text::backup_summary(&b.summary));
                if ui.button("恢复…").clicked() {
                    out.push(data(DataMsg::AskRestore(Box::new(b.clone()))));
                }
                ui.end_row();
            }
        });
    });
}

/// The change log with its filter and 撤销.
pub fn log_section(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    ui.heading("操作日志");
    ui.horizontal(|ui| {
        let label = ui.label("筛选");
        let mut f = st.data.log_filter.clone();
        if ui.add(egui::TextEdit::singleline(&mut f).hint_text("姓名、编号、操作…")).labelled_by(label.id).changed()
        {
            out.push(data(DataMsg::LogFilter(f)));
        }
        if ui.button("刷新").clicked() {
            out.push(data(DataMsg::Load));
        }
    });
    let filter = st.data.log_filter.trim();
    let shown: Vec<_> = st
        .data
        .log
        .iter()
        .filter(|l| filter.is_empty() || l.head.contains(filter) || l.rows.iter().any(|r| r.contains(filter)))
        .collect();
    if shown.is_empty() {
        ui.label(RichText::new("没有记录").weak());
        return;
    }
    egui::ScrollArea::vertical().id_salt("log").max_height(320.0).show(ui, |ui| {
        for l in shown {
            ui.horizontal(|ui| {
                ui.label(RichText::new(&l.head).strong());
                if l.undoable && ui.small_button("撤销").on_hover_text("把这一步改动的记录恢复原样").clicked()
                {
                    out.push(data(DataMsg::AskUndo(l.batch, l.head.clone())));
                }
            });
            for r in l.rows.iter().take(5) {
                ui.add(egui::Label::new(RichText::new(format!("    {r}")).small()).wrap());
            }
            let more = l.more + l.rows.len().saturating_sub(5);
            if more > 0 {
                ui.label(RichText::new(format!("    …… 另有 {more} 条记录")).small().weak());
            }
        }
    });
}

/// The confirmation modal and the path box (over any tab).
pub fn modals(ctx: &egui::Context, st: &AppState, out: &mut Vec<UiMsg>) {
    if let Some(c) = &st.data.confirm {
        let (title, body, ok) = match c {
            Confirm::Restore(b) => (
                "从备份恢复",
                format!(
                    "用 {} 的备份替换当前全部数据？\n备份内容：{}\n当前数据会先自动备份，需要时可再恢复回来。",
                    b.taken_at,
                    crate::text::backup_summary(&b.summary)
                ),
                "确认恢复",
            ),
            Confirm::ClearDemo => (
                "清除演示数据",
                "删除全部演示专家、需求和企业，以及挂在它们上面的对接、回避和对接会安排？真实数据不动；清除前自动备份，也可在操作日志中撤销。".to_string(),
                "确认清除",
            ),
            Confirm::Undo(_, what) => ("撤销操作", format!("撤销这一步？\n{what}"), "确认撤销"),
        };
        let modal = egui::Modal::new(egui::Id::unique("data_confirm")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading(title);
            ui.add(egui::Label::new(body).wrap());
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(RichText::new(ok).color(ERROR)).clicked() {
                    out.push(data(DataMsg::Confirmed));
                }
                if ui.button("取消").clicked() {
                    out.push(data(DataMsg::Cancel));
                }
            });
        });
        if modal.should_close() {
            out.push(data(DataMsg::Cancel));
        }
    }
    if let Some((_, text, why)) = &st.data.path_box {
        let modal = egui::Modal::new(egui::Id::unique("path_box")).show(ctx, |ui| {
            ui.set_width(480.0);
            ui.heading("输入路径");
            let label = ui.add(egui::Label::new(why.as_str()).wrap());
            let mut t = text.clone();
            let edit = ui.add(egui::TextEdit::singleline(&mut t).desired_width(f32::INFINITY)).labelled_by(label.id);
            if edit.changed() {
                out.push(data(DataMsg::PathText(t)));
            }
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                if ui.button("确定").clicked() || enter {
                    out.push(data(DataMsg::PathOk));
                }
                if ui.button("取消").clicked() {
                    out.push(data(DataMsg::Cancel));
                }
            });
        });
        if modal.should_close() {
            out.push(data(DataMsg::Cancel));
        }
    }
}
