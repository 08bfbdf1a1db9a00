//! 对接跟踪: the filters, one virtualised table of every pairing, and the selected pairing's panel
//! (its dated history, services and outcomes, and the forms that add to them); the start screen's
//! due banner; a record's pairings in its detail panel.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::widgets::{ERROR, OK, WARN, field_grid, line_input};
use crate::app::followup::{FollowupView, overdue};
use crate::app::msg::UiMsg;
use crate::app::msg_followup::FollowupMsg;
use crate::app::state::AppState;
use crate::domain::RecordKind;
use crate::domain::followup::{OutcomeKind, PROJECT_LEVELS, PROJECT_STATUSES, SERVICE_KINDS};
use crate::domain::pairing::Stage;
use crate::engine::{FollowupForm, PairingListRow};
use crate::util::number_text;

const ROW_H: f32 = 24.0;

fn msg(m: FollowupMsg) -> UiMsg {
    UiMsg::Followup(m)
}

/// A labelled combo box; returns the choice when it changed.
pub(super) fn combo<T: PartialEq + Clone>(
    ui: &mut Ui,
    id: &str,
    label: &str,
    current: &T,
    options: &[(T, String)],
    width: f32,
) -> Option<T> {
    let l = ui.label(label);
    let mut chosen = current.clone();
    let text = options.iter().find(|(v, _)| v == current).map_or_else(String::new, |(_, t)| t.clone());
    egui::ComboBox::from_id_salt(id)
        .width(width)
        // Every stage (ten entries) in view without scrolling.
        .height(420.0)
        .selected_text(text)
        .show_ui(ui, |ui| {
            for (v, t) in options {
                ui.selectable_value(&mut chosen, v.clone(), t);
            }
        })
        .response
        .labelled_by(l.id);
    (chosen != *current).then_some(chosen)
}

/// A labelled single-line input that edits `value` in place; true when it changed.
pub(super) fn edit(ui: &mut Ui, label: &str, value: &mut String, hint: &str, width: f32) -> bool {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(width)).labelled_by(l.id).changed()
}

fn stage_options(all: &str) -> Vec<(Option<Stage>, String)> {
    std::iter::once((None, all.to_string())).chain(Stage::ALL.iter().map(|s| (Some(*s), s.label().into()))).collect()
}

pub fn followup_tab(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    let f = &st.followup;
    if f.selected.is_some() {
        egui::Panel::right("followup_detail").resizable(true).default_size(470.0).show(ui, |ui| {
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| detail(ui, st, out));
        });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        filters(ui, st, out);
        let n = f.visible.len();
        let text = if f.due_only { format!("本周待跟进 {n} 对（含逾期）") } else { format!("共 {n} 对") };
        ui.horizontal(|ui| {
            ui.label(RichText::new(text).weak());
            if f.busy {
                ui.spinner();
            }
        });
        ui.add_space(4.0);
        ui.style_mut().interaction.selectable_labels = false;
        table(ui, f, &st.clock.today, out);
    });
}

fn filters(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    let f = &st.followup;
    ui.horizontal_wrapped(|ui| {
        if let Some(s) = combo(ui, "fu_stage", "阶段", &f.stage, &stage_options("全部阶段"), 130.0) {
            out.push(msg(FollowupMsg::Stage(s)));
        }
        ui.add_space(8.0);
        let fields: Vec<(Option<String>, String)> = std::iter::once((None, "全部领域".to_string()))
            .chain(st.taxonomy.fields().map(|n| (Some(n.code.clone()), n.name.clone())))
            .collect();
        if let Some(s) = combo(ui, "fu_field", "领域", &f.subfield, &fields, 150.0) {
            out.push(msg(FollowupMsg::Subfield(s)));
        }
        ui.add_space(8.0);
        if let (Some(t), _) = line_input(ui, "企业", &f.enterprise, "企业名称的一部分", 150.0) {
            out.push(msg(FollowupMsg::Enterprise(t)));
        }
        if let (Some(t), _) = line_input(ui, "专家", &f.expert, "姓名或编号", 110.0) {
            out.push(msg(FollowupMsg::Expert(t)));
        }
        let mut due = f.due_only;
        if ui.checkbox(&mut due, "待跟进/逾期").on_hover_text("只看本周内到期和已逾期的对接").changed()
        {
            out.push(msg(FollowupMsg::DueOnly(due)));
        }
    });
}

fn table(ui: &mut Ui, f: &FollowupView, today: &str, out: &mut Vec<UiMsg>) {
    TableBuilder::new(ui)
        .id_salt("followup_table")
        .striped(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(140.0).resizable(true).clip(true))
        .column(Column::remainder().at_least(120.0).clip(true))
        .column(Column::initial(70.0).resizable(true).clip(true))
        .column(Column::initial(60.0).resizable(true).clip(true))
        .column(Column::initial(110.0).resizable(true).clip(true))
        .column(Column::initial(150.0).resizable(true).clip(true))
        .column(Column::initial(125.0))
        .header(26.0, |mut h| {
            for t in ["企业", "需求", "专家", "来源", "阶段", "下一步", "日期"] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(ROW_H, f.visible.len(), |mut row| {
                let r = &f.rows[f.visible[row.index()]];
                row.set_selected(f.selected == Some((r.expert_id, r.demand_id)));
                let cells = [&r.enterprise, &r.demand_title, &r.expert_name, &r.source];
                for c in cells {
                    row.col(|ui| {
                        ui.label(c.as_str());
                    });
                }
                row.col(|ui| {
                    ui.label(r.stage.map_or("", Stage::label));
                });
                row.col(|ui| {
                    ui.label(&r.next_action);
                });
                row.col(|ui| {
                    if overdue(r, today) {
                        ui.label(RichText::new(format!("{} 逾期", r.next_date)).color(ERROR))
                            .on_hover_text("跟进日期已过");
                    } else {
                        ui.label(&r.next_date);
                    }
                });
                if row.response().clicked() {
                    out.push(msg(FollowupMsg::Select(r.expert_id, r.demand_id)));
                }
            });
        });
}

fn detail(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    let f = &st.followup;
    let Some(d) = f.detail.as_ref().filter(|d| f.selected == Some((d.row.expert_id, d.row.demand_id))) else {
        ui.spinner();
        return;
    };
    let r = &d.row;
    ui.heading(&r.demand_title);
    ui.label(RichText::new(format!("{} · {}", r.demand_ext, r.enterprise)).weak());
    ui.label(format!("专家：{}（{} · {}）", r.expert_name, r.expert_ext, r.institution));
    ui.separator();
    let stage = r.stage.map_or(String::new(), |s| format!("{}（{}）", s.label(), r.stage_date));
    let next = format!("{} {}", r.next_date, r.next_action);
    field_grid(
        ui,
        "fu_detail_grid",
        &[
            ("来源", format!("{} {}", r.source, r.meeting)),
            ("阶段", stage),
            ("下一步", next.trim().to_string()),
            ("结束原因", r.end_reason.clone()),
        ],
    );
    if overdue(r, &st.clock.today) {
        ui.colored_label(ERROR, "跟进日期已过，请尽快联系");
    }
    ui.separator();
    stage_form(ui, st, out);
    ui.separator();
    ui.strong(format!("跟进记录（{} 条）", d.events.len()));
    egui::Grid::new("fu_events").num_columns(3).striped(true).spacing([10.0, 4.0]).show(ui, |ui| {
        for e in &d.events {
            ui.label(&e.date);
            ui.label(
                e.stage.map_or_else(|| RichText::new("记录").weak(), |s| RichText::new(format!("→ {}", s.label()))),
            );
            let mut note = e.note.clone();
            if !e.attachments.is_empty() {
                note.push_str(&format!("（附件：{}）", e.attachments.join("；")));
            }
            ui.add(egui::Label::new(note).wrap());
            ui.end_row();
        }
    });
    if !d.services.is_empty() {
        ui.add_space(4.0);
        ui.strong(format!("服务记录（{} 条）", d.services.len()));
        for v in &d.services {
            let perks: Vec<&str> =
                [(v.lodging, "免费住宿"), (v.meals, "免费就餐")].iter().filter(|p| p.0).map(|p| p.1).collect();
            let line = format!(
                "{}—{} {} {} 天 {} {} {}",
                v.start_date,
                v.end_date,
                v.kind,
                number_text(v.days),
                v.place,
                v.content,
                perks.join("、")
            );
            ui.add(egui::Label::new(line).wrap());
        }
    }
    if !d.outcomes.is_empty() {
        ui.add_space(4.0);
        ui.strong(format!("成果（{} 项）", d.outcomes.len()));
        for o in &d.outcomes {
            let mut extra = format!("{}{}", o.level, o.status);
            if let Some(a) = o.amount_wan {
                extra.push_str(&format!(" {} 万元", number_text(a)));
            }
            ui.add(egui::Label::new(format!("{} {} {} {}", o.date, o.kind.label(), o.title, extra.trim())).wrap());
        }
    }
    ui.separator();
    service_form(ui, f, out);
    outcome_form(ui, f, out);
}

/// The problem of a form (red), or the last save (green) under the stage form.
fn feedback(ui: &mut Ui, f: &FollowupView, form: FollowupForm) {
    if let Some(p) = f.problem(form) {
        ui.add(egui::Label::new(RichText::new(p).color(ERROR)).wrap());
    } else if form == FollowupForm::Stage
        && let Some(s) = &f.saved
    {
        ui.colored_label(OK, s);
    }
}

fn stage_form(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    let f = &st.followup;
    let mut d = f.stage_form.clone();
    egui::CollapsingHeader::new(RichText::new("变更阶段 / 记录跟进").strong()).default_open(true).show(ui, |ui| {
        egui::Grid::new("fu_stage_form").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            if let Some(s) = combo(ui, "fu_new_stage", "新阶段", &d.stage, &stage_options("不变（只记录）"), 170.0)
            {
                d.stage = s;
            }
            ui.end_row();
            edit(ui, "日期", &mut d.date, &format!("留空为今天 {}", st.clock.today), 170.0);
            ui.end_row();
            if d.stage == Some(Stage::Ended) {
                let reasons: Vec<(String, String)> = std::iter::once((String::new(), "请选择".to_string()))
                    .chain(f.config.end_reasons.iter().map(|r| (r.clone(), r.clone())))
                    .collect();
                if let Some(r) = combo(ui, "fu_end_reason", "结束原因", &d.end_reason, &reasons, 170.0) {
                    d.end_reason = r;
                }
                ui.end_row();
            }
            let l = ui.label("跟进记录");
            ui.add(egui::TextEdit::multiline(&mut d.note).desired_rows(2).desired_width(280.0)).labelled_by(l.id);
            ui.end_row();
            let l = ui.label("附件路径");
            ui.add(
                egui::TextEdit::multiline(&mut d.attachments)
                    .hint_text("每行一个文件路径（纪要、照片、协议）")
                    .desired_rows(1)
                    .desired_width(280.0),
            )
            .labelled_by(l.id);
            ui.end_row();
        });
        if ui.button("保存跟进").clicked() {
            out.push(msg(FollowupMsg::SaveStage));
        }
        feedback(ui, f, FollowupForm::Stage);
    });
    if d != f.stage_form {
        out.push(msg(FollowupMsg::StageForm(d)));
    }
}

fn service_form(ui: &mut Ui, f: &FollowupView, out: &mut Vec<UiMsg>) {
    let mut d = f.service_form.clone();
    egui::CollapsingHeader::new(RichText::new("添加服务记录").strong()).default_open(false).show(ui, |ui| {
        egui::Grid::new("fu_service_form").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            let kinds: Vec<(String, String)> = SERVICE_KINDS.iter().map(|k| (k.to_string(), k.to_string())).collect();
            if let Some(k) = combo(ui, "fu_service_kind", "类型", &d.kind, &kinds, 170.0) {
                d.kind = k;
            }
            ui.end_row();
            edit(ui, "开始日期", &mut d.start, "2026-05-03", 170.0);
            ui.end_row();
            edit(ui, "结束日期", &mut d.end, "留空为当天", 170.0);
            ui.end_row();
            edit(ui, "天数", &mut d.days, "留空按日期计算", 170.0);
            ui.end_row();
            edit(ui, "地点", &mut d.place, "", 280.0);
            ui.end_row();
            edit(ui, "内容", &mut d.content, "", 280.0);
            ui.end_row();
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut d.lodging, "免费住宿");
            ui.checkbox(&mut d.meals, "免费就餐");
        });
        if ui.button("添加服务记录").clicked() {
            out.push(msg(FollowupMsg::SaveService));
        }
        feedback(ui, f, FollowupForm::Service);
    });
    if d != f.service_form {
        out.push(msg(FollowupMsg::ServiceForm(d)));
    }
}

fn outcome_form(ui: &mut Ui, f: &FollowupView, out: &mut Vec<UiMsg>) {
    let mut d = f.outcome_form.clone();
    egui::CollapsingHeader::new(RichText::new("添加成果").strong()).default_open(false).show(ui, |ui| {
        egui::Grid::new("fu_outcome_form").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            let kinds: Vec<(OutcomeKind, String)> = OutcomeKind::ALL.iter().map(|k| (*k, k.label().into())).collect();
            if let Some(k) = combo(ui, "fu_outcome_kind", "类型", &d.kind, &kinds, 170.0) {
                d.kind = k;
            }
            ui.end_row();
            edit(ui, "名称", &mut d.title, "", 280.0);
            ui.end_row();
            edit(ui, "日期", &mut d.date, "2026-05-03", 170.0);
            ui.end_row();
            if d.kind == OutcomeKind::Project {
                let levels: Vec<(String, String)> = std::iter::once((String::new(), "请选择".to_string()))
                    .chain(PROJECT_LEVELS.iter().map(|l| (l.to_string(), l.to_string())))
                    .collect();
                if let Some(l) = combo(ui, "fu_level", "级别", &d.level, &levels, 170.0) {
                    d.level = l;
                }
                ui.end_row();
                let statuses: Vec<(String, String)> =
                    PROJECT_STATUSES.iter().map(|l| (l.to_string(), l.to_string())).collect();
                if d.status.is_empty() {
                    d.status = PROJECT_STATUSES[0].to_string();
                }
                if let Some(s) = combo(ui, "fu_status", "状态", &d.status, &statuses, 170.0) {
                    d.status = s;
                }
                ui.end_row();
            }
            if d.kind == OutcomeKind::Contract {
                edit(ui, "金额（万元）", &mut d.amount, "", 170.0);
                ui.end_row();
            }
            edit(ui, "备注", &mut d.note, "", 280.0);
            ui.end_row();
        });
        if ui.button("添加成果").clicked() {
            out.push(msg(FollowupMsg::SaveOutcome));
        }
        feedback(ui, f, FollowupForm::Outcome);
    });
    if d != f.outcome_form {
        out.push(msg(FollowupMsg::OutcomeForm(d)));
    }
}

/// The start screen's reminder: this week's due and overdue pairings (a link to them), and the
/// unresolved demands past their deadline.
/// The line is always there (empty when nothing is due), so the counts arriving do not move the
/// list under the pointer.
pub fn due_banner(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    let f = &st.followup;
    let (due, overdue) = f.due.unwrap_or((0, 0));
    ui.horizontal(|ui| {
        ui.set_min_height(20.0);
        if due > 0 {
            let color = if overdue > 0 { ERROR } else { WARN };
            let text = RichText::new(format!("本周待跟进 {due} 项，逾期 {overdue} 项")).color(color);
            if ui.link(text).on_hover_text("打开对接跟踪，只看待跟进和逾期的对接（Ctrl+6）").clicked()
            {
                out.push(msg(FollowupMsg::ShowDue));
            }
        }
        if f.expired_demands > 0 {
            let text = RichText::new(format!("{} 条需求已过截止时间仍未解决", f.expired_demands)).color(WARN);
            if ui.link(text).on_hover_text("企业需求清单的“截止时间”一栏标有“已过期”").clicked()
            {
                out.push(UiMsg::SetTab(crate::app::Tab::Demands));
            }
        }
    });
}

/// 对接情况 in an expert's or demand's detail panel: its pairings with stage and date.
pub fn record_pairings(ui: &mut Ui, st: &AppState, kind: RecordKind, id: i64, out: &mut Vec<UiMsg>) {
    let Some((k, i, rows)) = &st.followup.record else { return };
    if (*k, *i) != (kind, id) {
        return;
    }
    let meetings = &st.followup.record_meetings;
    if !meetings.is_empty() {
        ui.separator();
        ui.strong(format!("参加的对接会（{} 场）", meetings.len()));
        egui::Grid::new(("record_meetings", id)).num_columns(3).striped(true).spacing([10.0, 4.0]).show(ui, |ui| {
            for m in meetings {
                ui.label(if m.date.is_empty() { "日期待定" } else { m.date.as_str() });
                ui.label(&m.name);
                ui.label(format!("洽谈 {} 场", m.sittings));
                ui.end_row();
            }
        });
    }
    if rows.is_empty() {
        return;
    }
    ui.separator();
    ui.strong(format!("对接情况（{} 对）", rows.len()));
    egui::Grid::new(("record_pairings", id)).num_columns(3).striped(true).spacing([10.0, 4.0]).show(ui, |ui| {
        for r in rows {
            if ui.link(other_side(r, kind)).on_hover_text("在对接跟踪中打开").clicked() {
                out.push(msg(FollowupMsg::Open(r.expert_id, r.demand_id)));
            }
            ui.label(r.stage.map_or("", Stage::label));
            ui.label(&r.stage_date);
            ui.end_row();
        }
    });
}

fn other_side(r: &PairingListRow, kind: RecordKind) -> String {
    match kind {
        RecordKind::Expert => format!("{} · {}", r.enterprise, crate::util::short(&r.demand_title, 14)),
        RecordKind::Demand => format!("{}（{}）", r.expert_name, crate::util::short(&r.institution, 10)),
    }
}
