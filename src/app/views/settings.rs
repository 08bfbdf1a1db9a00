//! 设置: where the data lives, the index (with a rebuild button), the way into the knowledge
//! editor (知识库, `knowledge.rs`, shown in place of the page), zoom, colours and the keyboard
//! shortcuts.

use egui::{RichText, Ui};

use crate::app::msg::UiMsg;
use crate::app::state::AppState;
use crate::engine::Command;

pub fn settings_tab(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    egui::CentralPanel::default().show(ui, |ui| {
        if st.knowledge.open {
            egui::ScrollArea::vertical()
                .id_salt("knowledge_scroll")
                .show(ui, |ui| super::knowledge::knowledge_section(ui, st, out));
        } else {
            egui::ScrollArea::vertical().id_salt("settings_scroll").show(ui, |ui| settings_body(ui, st, out));
        }
    });
}

fn settings_body(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    {
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
                    out.push(UiMsg::Send(Command::Reindex));
                }
            });
            ui.end_row();
            ui.label("知识库");
            let dir = std::path::Path::new(&st.db_path)
                .parent()
                .map(|p| p.join("knowledge").display().to_string())
                .unwrap_or_default();
            ui.horizontal_wrapped(|ui| {
                if ui.button("打开知识库…").clicked() {
                    out.push(UiMsg::Knowledge(crate::app::msg_knowledge::KnowledgeMsg::Open(true)));
                }
                ui.label(format!(
                    "修改细分领域、同义词、问题→学科关联，保存后立即生效；改动写入 {dir}，可导出交给其他办公室"
                ));
            });
            ui.end_row();
            ui.label("界面缩放");
            ui.horizontal(|ui| {
                let mut z = ui.ctx().zoom_factor();
                if ui.add(egui::Slider::new(&mut z, 0.75..=2.0).step_by(0.05)).changed() {
                    out.push(UiMsg::SetZoom(z));
                }
                ui.label(RichText::new("（也可按 Ctrl + / Ctrl −）").weak());
            });
            ui.end_row();
            ui.label("配色");
            if ui.button(if ui.visuals().dark_mode { "切换到浅色" } else { "切换到深色" }).clicked() {
                out.push(UiMsg::ToggleDark);
            }
            ui.end_row();
            ui.label("快捷键");
            ui.label(
                "Ctrl+1…5 切换页面 · Ctrl+F 搜索 · Ctrl+N 新增 · Ctrl+I 导入 · Delete 删除 · Ctrl+Z 撤销删除 · ↑↓ 选择 · Enter 编辑",
            );
            ui.end_row();
        });
        ui.add_space(12.0);
        ui.separator();
        super::data::safety_section(ui, st, out);
        ui.add_space(12.0);
        ui.separator();
        super::data::log_section(ui, st, out);
        ui.add_space(16.0);
        ui.label(
            RichText::new("伯乐 Bole · 专家人才库与企业技术需求清单对接工具。数据只保存在本机的数据库文件中。").weak(),
        );
    }
}
