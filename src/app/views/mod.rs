//! The views: functions of the read-only [`AppState`] that draw it and push [`UiMsg`]s. One file
//! per panel or window, as rerun's viewer does: the record lists ([`lists`]), the detail panel
//! ([`detail`]), the edit form ([`form`]), the import wizard ([`import`]), 匹配建议
//! ([`matches`]), 设置 ([`settings`]), 对接会 ([`meetings`]), the projector ([`projection`]),
//! 对接跟踪 with the reminders ([`followup`]) and 统计 ([`stats`]),
//! with shared [`widgets`].

mod data;
mod detail;
mod followup;
mod form;
mod import;
mod knowledge;
mod lists;
mod matches;
mod meetings;
mod projection;
mod review;
mod settings;
mod stats;
pub mod widgets;

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};

use super::msg::UiMsg;
use super::state::{AppState, Tab};
use crate::domain::RecordKind;

/// Draws the whole window; the requests go to `out`.
pub fn root(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    if st.tab == Tab::Meetings && projection::projection(ui, st, out) {
        return;
    }
    shortcuts(ui, st, out);
    egui::Panel::top("nav").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.heading(RichText::new("伯乐").strong());
            ui.label(RichText::new("专家与企业需求对接").weak());
            ui.separator();
            for tab in Tab::ALL {
                if ui.selectable_label(st.tab == tab, RichText::new(tab.label()).size(16.0)).clicked() {
                    out.push(UiMsg::SetTab(tab));
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("导入名单…").on_hover_text("从 Excel/WPS/CSV 导入专家或需求（Ctrl+I）").clicked()
                {
                    out.push(UiMsg::OpenImport);
                }
            });
        });
        ui.add_space(4.0);
    });
    egui::Panel::bottom("status").show(ui, |ui| status_bar(ui, st, out));
    if !st.ready {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(120.0);
                ui.spinner();
                ui.label("正在打开数据库与搜索索引…");
            });
        });
        return;
    }
    match st.tab {
        Tab::Experts => lists::list_tab(ui, st, RecordKind::Expert, out),
        Tab::Demands => lists::list_tab(ui, st, RecordKind::Demand, out),
        Tab::Matches => matches::matches_tab(ui, st, out),
        Tab::Meetings => meetings::meetings_tab(ui, st, out),
        Tab::Settings => settings::settings_tab(ui, st, out),
        Tab::Followup => followup::followup_tab(ui, st, out),
        Tab::Stats => stats::stats_tab(ui, st, out),
    }
    form::form_window(ui.ctx(), st, out);
    detail::confirm_delete(ui.ctx(), st, out);
    import::import_window(ui.ctx(), st, out);
    data::modals(ui.ctx(), st, out);
    review::review_window(ui.ctx(), st, out);
}

fn typing(ui: &Ui) -> bool {
    ui.ctx().egui_wants_keyboard_input()
}

fn shortcut(ui: &Ui, key: Key) -> bool {
    ui.ctx().input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, key)))
}

fn shortcuts(ui: &Ui, st: &AppState, out: &mut Vec<UiMsg>) {
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
        (Key::Num6, Tab::Followup),
        (Key::Num7, Tab::Stats),
    ] {
        if shortcut(ui, key) {
            out.push(UiMsg::SetTab(tab));
        }
    }
    if shortcut(ui, Key::F) {
        out.push(UiMsg::FocusSearch(kind.unwrap_or(RecordKind::Expert)));
    }
    if shortcut(ui, Key::N) {
        out.push(UiMsg::NewRecord(kind.unwrap_or(RecordKind::Expert)));
    }
    if shortcut(ui, Key::I) {
        out.push(UiMsg::OpenImport);
    }
    if !typing(ui) && shortcut(ui, Key::Z) {
        out.push(UiMsg::Undo);
    }
    let Some(kind) = kind else { return };
    if typing(ui) || st.form.is_some() || st.confirm_delete.is_some() || st.import.is_some() || st.review.open {
        return;
    }
    let (delete, down, up, enter) = ui.ctx().input(|i| {
        (
            i.key_pressed(Key::Delete),
            i.key_pressed(Key::ArrowDown),
            i.key_pressed(Key::ArrowUp),
            i.key_pressed(Key::Enter),
        )
    });
    if delete {
        out.push(UiMsg::AskDelete(kind));
    }
    if down || up {
        out.push(UiMsg::MoveSelection(kind, if down { 1 } else { -1 }));
    }
    if enter {
        out.push(UiMsg::EditSelected(kind));
    }
}

fn status_bar(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    ui.horizontal(|ui| {
        if let Some(s) = &st.status {
            let color = if s.error { widgets::ERROR } else { ui.visuals().text_color() };
            ui.label(RichText::new(if s.error { format!("！{}", s.text) } else { s.text.clone() }).color(color));
            if st.undo.is_some() && !s.error && ui.button("撤销").on_hover_text("恢复刚删除的记录（Ctrl+Z）").clicked()
            {
                out.push(UiMsg::Undo);
            }
            if ui.small_button("×").on_hover_text("关闭提示").clicked() {
                out.push(UiMsg::DismissStatus);
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
            let (de, dd) = st.lists.demo;
            if de + dd > 0
                && ui
                    .link(RichText::new("含演示数据").color(egui::Color32::from_rgb(180, 100, 0)))
                    .on_hover_text(format!("演示专家 {de} 位、需求 {dd} 条（虚构）；可在“设置”中清除"))
                    .clicked()
            {
                out.push(UiMsg::SetTab(Tab::Settings));
            }
        });
    });
}
