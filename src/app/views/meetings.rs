//! The 对接会 tab: the meetings, creating one, pairing, scheduling, editing single pairings,
//! participants and settings, exporting.

use egui::{Color32, Key, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::widgets::{ERROR, subfield_picker, text_field};
use crate::app::meetings::{MeetingEdit as E, MeetingForm, MeetingMsg as Msg, Pane};
use crate::app::msg::{UiMsg, meeting, meeting_edit};
use crate::app::state::AppState;
use crate::domain::followup::SittingResult;
use crate::domain::meeting::{MeetingDetail, Party, Presence};
use crate::engine::{MeetingCommand as M, SheetFormat};
use crate::util::short;

fn msg(m: Msg) -> UiMsg {
    UiMsg::Meeting(m)
}

pub fn meetings_tab(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    let mv = &st.meetings;
    egui::Panel::left("meeting_list")
        .resizable(true)
        .default_size(260.0)
        .min_size(220.0)
        .show(ui, |ui| meeting_list(ui, st, out));
    egui::CentralPanel::default().show(ui, |ui| {
        if let Some(f) = mv.form.as_ref().filter(|f| f.id == 0) {
            egui::ScrollArea::vertical().show(ui, |ui| meeting_form(ui, st, f, out));
            return;
        }
        let Some(detail) = mv.current() else {
            ui.vertical_centered(|ui| {
                ui.add_space(80.0);
                if mv.selected.is_some() {
                    ui.spinner();
                } else {
                    ui.label("选择左侧的对接会，或点“新建对接会”。");
                }
            });
            return;
        };
        meeting_header(ui, st, detail, out);
        ui.separator();
        ui.horizontal(|ui| {
            for p in Pane::ALL {
                if ui.selectable_label(mv.pane == p, RichText::new(p.label()).size(15.0)).clicked() {
                    out.push(msg(Msg::Pane(p)));
                }
            }
        });
        ui.separator();
        match mv.pane {
            Pane::Pairs => pairs_pane(ui, st, detail, out),
            Pane::Schedule => schedule_pane(ui, detail),
            Pane::Participants => participants_pane(ui, detail, st, out),
            Pane::Day => day_pane(ui, st, detail, out),
            Pane::Settings => {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    if let Some(f) = mv.form.as_ref().filter(|f| f.id == detail.meeting().id) {
                        meeting_form(ui, st, f, out);
                    }
                });
            }
        }
    });
    confirm_delete(ui.ctx(), st, out);
}

fn meeting_list(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    let mv = &st.meetings;
    ui.add_space(6.0);
    if ui.button(RichText::new("＋ 新建对接会").size(15.0)).clicked() {
        out.push(msg(Msg::New));
    }
    ui.add_space(6.0);
    if mv.list.is_empty() {
        ui.label(RichText::new("还没有对接会").weak());
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        for m in &mv.list {
            let on = mv.selected == Some(m.id) && mv.form.as_ref().is_none_or(|f| f.id != 0);
            let text = format!(
                "{}\n{} · 需求 {} · 专家 {} · 配对 {}{}",
                m.name,
                if m.date.is_empty() { "日期未定" } else { &m.date },
                m.demands,
                m.experts,
                m.pairs,
                if m.scheduled { " · 已排日程" } else { "" }
            );
            if ui.selectable_label(on, text).clicked() {
                out.push(msg(Msg::Select(m.id)));
            }
            ui.add_space(2.0);
        }
    });
}

fn meeting_header(ui: &mut Ui, st: &AppState, d: &MeetingDetail, out: &mut Vec<UiMsg>) {
    let mv = &st.meetings;
    let m = d.meeting();
    let id = m.id;
    ui.horizontal(|ui| {
        ui.heading(&m.name);
        ui.label(
            RichText::new(format!(
                "{} {}（{} 个时段 × {} 分钟，{} 张桌）{}",
                if m.date.is_empty() { "日期未定" } else { &m.date },
                m.time_range(),
                m.slots,
                m.slot_minutes,
                m.tables,
                if m.venue.is_empty() { String::new() } else { format!(" · {}", m.venue) }
            ))
            .weak(),
        );
    });
    ui.label(format!(
        "需求 {} 项 · 专家 {} 位 · 配对 {} 对（锁定 {}）· {}",
        d.plan.demands.len(),
        d.plan.experts.len(),
        d.plan.pairs.len(),
        d.plan.pairs.iter().filter(|p| p.locked).count(),
        if d.plan.is_scheduled() { "日程已排" } else { "日程未排" }
    ));
    header_buttons(ui, st, d, out);
    if let Some((_, text)) = mv.problem.as_ref().filter(|(pid, _)| *pid == id) {
        problem_banner(ui, text, out);
    }
    if ui.input(|i| i.key_pressed(Key::F5)) && !d.plan.pairs.is_empty() {
        out.push(msg(Msg::Project));
    }
}

/// Pairing, scheduling, projecting, exporting and deleting the meeting.
fn header_buttons(ui: &mut Ui, st: &AppState, d: &MeetingDetail, out: &mut Vec<UiMsg>) {
    let mv = &st.meetings;
    let id = d.meeting().id;
    let paired = !d.plan.pairs.is_empty();
    ui.horizontal_wrapped(|ui| {
        let busy = mv.busy;
        let label = if paired { "重新优化配对" } else { "自动配对" };
        if ui
            .add_enabled(!busy, egui::Button::new(label))
            .on_hover_text("在每项需求的专家上下限、每位专家的上限和回避规则下，求总匹配度最高的配对；锁定的配对保留")
            .clicked()
        {
            out.push(msg(Msg::Assign(id)));
        }
        if ui
            .add_enabled(!busy && paired, egui::Button::new("排日程"))
            .on_hover_text("给每对配对安排时段和桌号：专家和企业不会同时出现在两处，企业尽量固定一张桌")
            .clicked()
        {
            out.push(msg(Msg::Schedule(id)));
        }
        if ui
            .add_enabled(paired, egui::Button::new("投屏模式"))
            .on_hover_text("全屏大字显示各时段的对接安排和每项需求的专家（F5；Esc 退出）")
            .clicked()
        {
            out.push(msg(Msg::Project));
        }
        if busy {
            ui.spinner();
        }
        ui.separator();
        for f in [SheetFormat::Xlsx, SheetFormat::Pdf, SheetFormat::Csv] {
            let text = format!("导出 {}…", f.extension().to_uppercase());
            if ui
                .add_enabled(paired, egui::Button::new(text))
                .on_hover_text(format!("保存对接表（{}）", f.label()))
                .clicked()
            {
                out.push(msg(Msg::Export(f)));
            }
        }
        let mut contacts = mv.contacts;
        if ui.checkbox(&mut contacts, "含电话和邮箱").changed() {
            out.push(msg(Msg::Contacts(contacts)));
        }
        ui.separator();
        if ui.button("删除对接会").clicked() {
            out.push(msg(Msg::AskDelete(id)));
        }
    });
}

/// Why the last pairing or scheduling did not work, until dismissed.
fn problem_banner(ui: &mut Ui, text: &str, out: &mut Vec<UiMsg>) {
    egui::Frame::new()
        .fill(Color32::from_rgb(255, 235, 235))
        .stroke(egui::Stroke::new(1.0, Color32::from_rgb(200, 60, 60)))
        .inner_margin(8.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(text).color(Color32::from_rgb(150, 0, 0)));
                if ui.small_button("×").on_hover_text("关闭").clicked() {
                    out.push(msg(Msg::DismissProblem));
                }
            });
        });
}

fn add_pair_row(ui: &mut Ui, st: &AppState, d: &MeetingDetail, out: &mut Vec<UiMsg>) {
    let mv = &st.meetings;
    ui.horizontal(|ui| {
        ui.label("指定配对：");
        let demand_label =
            |x: i64| d.plan.demand(x).map(|md| format!("{} {}", md.ext_id, short(&md.title, 18))).unwrap_or_default();
        let expert_label = |x: i64| {
            d.plan.expert(x).map(|me| format!("{} {}", me.name, short(&me.institution, 12))).unwrap_or_default()
        };
        let l = ui.label("需求");
        let mut demand = mv.add_demand;
        egui::ComboBox::from_id_salt("add_pair_demand")
            .width(220.0)
            .selected_text(demand.map(demand_label).unwrap_or_else(|| "选择需求".into()))
            .show_ui(ui, |ui| {
                for md in &d.plan.demands {
                    ui.selectable_value(&mut demand, Some(md.demand_id), demand_label(md.demand_id));
                }
            })
            .response
            .labelled_by(l.id);
        if demand != mv.add_demand {
            out.push(msg(Msg::PickPairDemand(demand)));
        }
        let l = ui.label("专家");
        let mut expert = mv.add_expert;
        egui::ComboBox::from_id_salt("add_pair_expert")
            .width(200.0)
            .selected_text(expert.map(expert_label).unwrap_or_else(|| "选择专家".into()))
            .show_ui(ui, |ui| {
                for me in &d.plan.experts {
                    ui.selectable_value(&mut expert, Some(me.expert_id), expert_label(me.expert_id));
                }
            })
            .response
            .labelled_by(l.id);
        if expert != mv.add_expert {
            out.push(msg(Msg::PickPairExpert(expert)));
        }
        let ready = mv.add_demand.is_some() && mv.add_expert.is_some();
        if ui
            .add_enabled(ready, egui::Button::new("指定"))
            .on_hover_text("加入这对配对并锁定；再点“重新优化配对”调整其余配对")
            .clicked()
        {
            out.push(msg(Msg::AddPair));
        }
    });
}

fn pairs_pane(ui: &mut Ui, st: &AppState, d: &MeetingDetail, out: &mut Vec<UiMsg>) {
    let id = d.meeting().id;
    add_pair_row(ui, st, d, out);
    if let Some((_, list)) = st.meetings.conflicts.as_ref().filter(|(cid, l)| *cid == id && !l.is_empty()) {
        egui::CollapsingHeader::new(format!("因回避规则未安排的配对（{}）", list.len())).id_salt("conflicts").show(
            ui,
            |ui| {
                egui::ScrollArea::vertical().max_height(140.0).show(ui, |ui| {
                    for c in list {
                        ui.label(c);
                    }
                });
            },
        );
    }
    ui.add_space(4.0);
    if d.plan.pairs.is_empty() {
        ui.label("还没有配对：点上方“自动配对”。");
        return;
    }
    pairs_table(ui, d, out);
}

/// One row per pair: who meets whom, when and where, the score, lock and remove.
fn pairs_table(ui: &mut Ui, d: &MeetingDetail, out: &mut Vec<UiMsg>) {
    let id = d.meeting().id;
    let pairs = d.pairs_by_time();
    TableBuilder::new(ui)
        .id_salt("meeting_pairs")
        .striped(true)
        .resizable(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::auto().at_least(90.0))
        .column(Column::initial(170.0).clip(true))
        .column(Column::initial(120.0).clip(true))
        .column(Column::initial(130.0).clip(true))
        .column(Column::auto().at_least(46.0))
        .column(Column::auto().at_least(130.0))
        .column(Column::auto().at_least(50.0))
        .column(Column::auto().at_least(40.0))
        .column(Column::remainder().clip(true))
        .header(24.0, |mut h| {
            for t in ["需求", "企业", "专家", "单位", "匹配度", "时段 / 桌", "锁定", "", "匹配理由"]
            {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(30.0, pairs.len(), |mut row| {
                let p = pairs[row.index()];
                let (Some(dm), Some(e)) = (d.demands.get(&p.demand_id), d.experts.get(&p.expert_id)) else {
                    return;
                };
                let label = |ui: &mut Ui, text: &str| {
                    ui.add(egui::Label::new(text).selectable(false));
                };
                row.col(|ui| {
                    ui.add(egui::Label::new(&dm.ext_id).selectable(false)).on_hover_text(&dm.title);
                });
                row.col(|ui| label(ui, &dm.enterprise));
                row.col(|ui| label(ui, &format!("{} {}", e.name, e.title)));
                row.col(|ui| label(ui, &e.institution));
                row.col(|ui| label(ui, &format!("{:.0}", p.score)));
                row.col(|ui| {
                    let text = match (p.slot, p.table) {
                        (Some(s), Some(t)) => format!(
                            "{} · {} 号桌{}",
                            d.meeting().slot_label(s),
                            t + 1,
                            if p.place_locked { "（固定）" } else { "" }
                        ),
                        _ => "未排".into(),
                    };
                    label(ui, &text);
                });
                row.col(|ui| {
                    let text = if p.locked { RichText::new("已锁定").strong() } else { RichText::new("锁定") };
                    if ui
                        .add(egui::Button::selectable(p.locked, text))
                        .on_hover_text("锁定：重新优化时保留这对配对；再点一次取消")
                        .clicked()
                    {
                        out.push(meeting(M::Lock { id, demand: p.demand_id, expert: p.expert_id, locked: !p.locked }));
                    }
                });
                row.col(|ui| {
                    if ui.small_button("移除").on_hover_text("去掉这对配对（重新优化时不会再加回）").clicked()
                    {
                        out.push(meeting(M::Remove { id, demand: p.demand_id, expert: p.expert_id }));
                    }
                });
                row.col(|ui| {
                    let first = p.reasons.first().map(String::as_str).unwrap_or_default();
                    ui.add(egui::Label::new(first).selectable(false).truncate()).on_hover_text(p.reasons.join("\n"));
                });
            });
        });
}

/// 签到/缺席 toggles of one party.
fn presence_buttons(ui: &mut Ui, d: &MeetingDetail, party: Party, out: &mut Vec<UiMsg>) {
    let now = d.plan.presence(party);
    for p in [Presence::Present, Presence::Absent] {
        let word = if p == Presence::Present { "签到" } else { "缺席" };
        if ui.selectable_label(now == Some(p), word).clicked() {
            out.push(msg(Msg::Checkin(party, if now == Some(p) { None } else { Some(p) })));
        }
    }
}

/// 会场签到与结果: per enterprise and expert a 签到/缺席 toggle, re-planning after a no-show, and
/// per sitting the three result buttons.
fn day_pane(ui: &mut Ui, st: &AppState, d: &MeetingDetail, out: &mut Vec<UiMsg>) {
    if let Some((id, text)) = &st.meetings.problem
        && *id == d.meeting().id
    {
        problem_banner(ui, text, out);
    }
    let absent = d.plan.checkins.iter().filter(|c| c.presence == Presence::Absent).count();
    ui.horizontal(|ui| {
        let arrived = d.plan.checkins.iter().filter(|c| c.presence == Presence::Present).count();
        ui.label(format!("已签到 {arrived}，缺席 {absent}"));
        let can = d.plan.is_scheduled() && !st.meetings.busy;
        if ui.add_enabled(can, egui::Button::new("缺席后重排剩余时段")).clicked() {
            out.push(msg(Msg::Replan));
        }
    });
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.columns(2, |cols| {
            cols[0].strong("企业");
            for (g, name, _) in d.plan.enterprise_groups() {
                cols[0].horizontal(|ui| {
                    presence_buttons(ui, d, Party::Enterprise(g), out);
                    ui.label(short(&name, 18));
                });
            }
            cols[0].separator();
            cols[0].strong("专家");
            for e in &d.plan.experts {
                cols[0].horizontal(|ui| {
                    presence_buttons(ui, d, Party::Expert(e.expert_id), out);
                    ui.label(format!("{} {}", e.name, short(&e.institution, 14)));
                });
            }
            cols[1].strong("对接结果");
            for p in d.pairs_by_time() {
                let (Some(dm), Some(e)) = (d.demands.get(&p.demand_id), d.experts.get(&p.expert_id)) else { continue };
                let when = match (p.slot, p.table) {
                    (Some(s), Some(t)) => format!("{} 时段 {} 号桌", s + 1, t + 1),
                    (Some(s), None) => format!("{} 时段", s + 1),
                    _ => "未排".to_string(),
                };
                // The buttons first, from the right; the sitting's text takes what is left (truncated).
                let row = egui::vec2(cols[1].available_width(), cols[1].spacing().interact_size.y);
                cols[1].allocate_ui_with_layout(row, egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    for r in SittingResult::ALL.into_iter().rev() {
                        if ui.selectable_label(p.result == Some(r), r.label()).clicked() {
                            let (demand, expert) = (p.demand_id, p.expert_id);
                            out.push(msg(Msg::Result { demand, expert, result: r }));
                        }
                    }
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        // The demand, not only its enterprise: one enterprise may bring several demands.
                        let text = format!("{when} {} ↔ {}", dm.title, e.name);
                        let text = if d.plan.pair_absent(p) {
                            RichText::new(text).weak().strikethrough()
                        } else {
                            RichText::new(text)
                        };
                        ui.add(egui::Label::new(text).truncate())
                            .on_hover_text(format!("{}：{}（{}）↔ {}", dm.enterprise, dm.title, dm.ext_id, e.name));
                    });
                });
            }
        });
    });
}

fn schedule_pane(ui: &mut Ui, d: &MeetingDetail) {
    let m = d.meeting();
    if !d.plan.is_scheduled() {
        ui.label("日程还没排（或有新配对未排）：点上方“排日程”。");
        if !d.plan.pairs.iter().any(|p| p.slot.is_some()) {
            return;
        }
    }
    // table → slot → the sitting's text
    let mut cells: std::collections::BTreeMap<(u32, u32), (String, String)> = std::collections::BTreeMap::new();
    for p in &d.plan.pairs {
        let (Some(s), Some(t)) = (p.slot, p.table) else { continue };
        let (Some(dm), Some(e)) = (d.demands.get(&p.demand_id), d.experts.get(&p.expert_id)) else { continue };
        cells.entry((t, s)).or_insert_with(|| (short(&dm.enterprise, 12), e.name.clone()));
    }
    let used_tables = cells.keys().map(|(t, _)| *t + 1).max().unwrap_or(0);
    egui::ScrollArea::both().show(ui, |ui| {
        egui::Grid::new("schedule_grid").striped(true).min_col_width(120.0).spacing([8.0, 6.0]).show(ui, |ui| {
            ui.strong("桌号 \\ 时段");
            for s in 0..m.slots {
                ui.strong(format!("{}\n{}", s + 1, m.slot_label(s)));
            }
            ui.end_row();
            for t in 0..used_tables.max(1) {
                ui.strong(format!("{} 号桌", t + 1));
                for s in 0..m.slots {
                    match cells.get(&(t, s)) {
                        Some((en, ex)) => ui.label(format!("{en}\n↔ {ex}")),
                        None => ui.label(RichText::new("—").weak()),
                    };
                }
                ui.end_row();
            }
        });
    });
}

fn participant_demands(ui: &mut Ui, d: &MeetingDetail, st: &AppState, out: &mut Vec<UiMsg>) {
    let id = d.meeting().id;
    let m = d.meeting();
    ui.strong(format!("参会需求（{}）", d.plan.demands.len()));
    ui.horizontal(|ui| {
        let l = ui.label("加入需求");
        let mut text = st.meetings.add_demands_text.clone();
        if ui
            .add(egui::TextEdit::singleline(&mut text).hint_text("编号、名称、企业或细分领域").desired_width(200.0))
            .labelled_by(l.id)
            .changed()
        {
            out.push(msg(Msg::AddDemandsText(text)));
        }
        if ui.button("按编号加入").on_hover_text("把输入的编号（可多个，用逗号分隔）都加入").clicked()
        {
            out.push(msg(Msg::AddDemands));
        }
    });
    picks(ui, &st.meetings.demand_picks, Msg::PickDemand, out);
    egui::ScrollArea::vertical().id_salt("part_demands").auto_shrink([false, true]).show(ui, |ui| {
        for md in &d.plan.demands {
            ui.horizontal(|ui| {
                if ui.small_button("移出").on_hover_text("把这项需求移出本次对接会（连同其配对）").clicked()
                {
                    out.push(meeting(M::RemoveDemand { id, demand: md.demand_id }));
                }
                let n = d.plan.pairs.iter().filter(|p| p.demand_id == md.demand_id).count();
                let (lo, hi) = (md.min.unwrap_or(m.min_experts), md.max.unwrap_or(m.max_experts));
                ui.label(format!("{lo}–{hi} 位"));
                let demand = md.demand_id;
                if ui.small_button("−").on_hover_text("本需求少要一位专家（上限 −1）").clicked() && hi > 1
                {
                    out.push(meeting(M::SetBounds { id, demand, min: Some(lo.min(hi - 1)), max: Some(hi - 1) }));
                }
                if ui.small_button("+").on_hover_text("本需求多要一位专家（上限 +1）").clicked() {
                    out.push(meeting(M::SetBounds { id, demand, min: Some(lo), max: Some(hi + 1) }));
                }
                let text = format!("{} {} · {} · 已配 {n}", md.ext_id, md.title, md.enterprise);
                ui.add(egui::Label::new(text.clone()).truncate()).on_hover_text(text);
            });
        }
    });
}

fn participant_experts(ui: &mut Ui, d: &MeetingDetail, st: &AppState, out: &mut Vec<UiMsg>) {
    let id = d.meeting().id;
    ui.strong(format!("参会专家（{}）", d.plan.experts.len()));
    ui.horizontal(|ui| {
        let l = ui.label("加入专家");
        let mut text = st.meetings.add_experts_text.clone();
        if ui
            .add(egui::TextEdit::singleline(&mut text).hint_text("编号、姓名、单位或细分领域").desired_width(200.0))
            .labelled_by(l.id)
            .changed()
        {
            out.push(msg(Msg::AddExpertsText(text)));
        }
        if ui.button("按编号加入").on_hover_text("把输入的编号（可多个，用逗号分隔）都加入").clicked()
        {
            out.push(msg(Msg::AddExperts));
        }
    });
    picks(ui, &st.meetings.expert_picks, Msg::PickExpert, out);
    egui::ScrollArea::vertical().id_salt("part_experts").auto_shrink([false, true]).show(ui, |ui| {
        for me in &d.plan.experts {
            ui.horizontal(|ui| {
                if ui.small_button("移出").on_hover_text("把这位专家移出本次对接会（连同其配对）").clicked()
                {
                    out.push(meeting(M::RemoveExpert { id, expert: me.expert_id }));
                }
                let n = d.plan.pairs.iter().filter(|p| p.expert_id == me.expert_id).count();
                let cap = me.cap.unwrap_or(d.meeting().expert_cap);
                ui.label(format!("最多 {cap} 场"));
                let expert = me.expert_id;
                if ui.small_button("−").on_hover_text("这位专家少安排一场（上限 −1）").clicked() && cap > 1
                {
                    out.push(meeting(M::SetCap { id, expert, cap: Some(cap - 1) }));
                }
                if ui.small_button("+").on_hover_text("这位专家可多安排一场（上限 +1）").clicked() {
                    out.push(meeting(M::SetCap { id, expert, cap: Some(cap + 1) }));
                }
                let text = format!("{} {} · {} · 已配 {n}", me.ext_id, me.name, me.institution);
                ui.add(egui::Label::new(text.clone()).truncate()).on_hover_text(text);
            });
        }
    });
}

/// The records matching what was typed, each with 加入.
fn picks(ui: &mut Ui, list: &[(String, String)], make: fn(String) -> Msg, out: &mut Vec<UiMsg>) {
    for (ext, label) in list {
        ui.horizontal(|ui| {
            if ui.small_button("加入").clicked() {
                out.push(msg(make(ext.clone())));
            }
            ui.add(egui::Label::new(label.as_str()).truncate()).on_hover_text(label.as_str());
        });
    }
    if !list.is_empty() {
        ui.separator();
    }
}

fn participants_pane(ui: &mut Ui, d: &MeetingDetail, st: &AppState, out: &mut Vec<UiMsg>) {
    ui.columns(2, |cols| {
        participant_demands(&mut cols[0], d, st, out);
        participant_experts(&mut cols[1], d, st, out);
    });
}

/// The new meeting's choice of demands and experts (rows of the form's grid).
fn selection_fields(ui: &mut Ui, st: &AppState, f: &MeetingForm, out: &mut Vec<UiMsg>) {
    ui.separator();
    ui.separator();
    ui.end_row();
    if let Some(codes) = subfield_picker(ui, &st.taxonomy, &f.subfields) {
        out.push(meeting_edit(E::Subfields(codes)));
    }
    let mut text = |ui: &mut Ui, label: &str, value: &str, make: fn(String) -> E| {
        if let Some(v) = text_field(ui, label, value, false) {
            out.push(meeting_edit(make(v)));
        }
    };
    text(ui, "指定需求编号（可空）", &f.demands, E::Demands);
    text(ui, "最多需求数", &f.max_demands, E::MaxDemands);
    text(ui, "指定专家编号（可空）", &f.experts, E::Experts);
    text(ui, "专家总人数（自动推荐补足）", &f.auto_experts, E::AutoExperts);
    ui.label("已加入对接");
    let mut lock = f.lock_recorded;
    if ui.checkbox(&mut lock, "“加入对接”过的配对设为指定（锁定）").changed() {
        out.push(meeting_edit(E::LockRecorded(lock)));
    }
    ui.end_row();
}

fn meeting_form(ui: &mut Ui, st: &AppState, f: &MeetingForm, out: &mut Vec<UiMsg>) {
    let create = f.id == 0;
    ui.heading(if create { "新建对接会" } else { "会议设置" });
    ui.add_space(6.0);
    let grid = if create { "meeting_create" } else { "meeting_edit" };
    egui::Grid::new(grid).num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
        let mut text = |ui: &mut Ui, label: &str, value: &str, make: fn(String) -> E| {
            if let Some(v) = text_field(ui, label, value, false) {
                out.push(meeting_edit(make(v)));
            }
        };
        text(ui, "名称", &f.name, E::Name);
        let mut hinted = |ui: &mut Ui, label: &str, value: &str, hint: &str, make: fn(String) -> E| {
            if let Some(v) = super::widgets::hinted_field(ui, label, value, hint) {
                out.push(meeting_edit(make(v)));
            }
        };
        hinted(ui, "日期", &f.date, "如 2026-12-05", E::Date);
        hinted(ui, "地点", &f.venue, "", E::Venue);
        hinted(ui, "时间", &f.time, "如 9:00-11:30", E::Time);
        if let Some(note) = f.time_note() {
            ui.label("");
            ui.add(egui::Label::new(RichText::new(note).color(egui::Color32::from_rgb(180, 100, 0))).wrap());
            ui.end_row();
        }
        let mut text = |ui: &mut Ui, label: &str, value: &str, make: fn(String) -> E| {
            if let Some(v) = text_field(ui, label, value, false) {
                out.push(meeting_edit(make(v)));
            }
        };
        text(ui, "每时段分钟", &f.slot_minutes, E::SlotMinutes);
        text(ui, "桌数", &f.tables, E::Tables);
        text(ui, "每项需求专家下限", &f.min, E::Min);
        text(ui, "每项需求专家上限", &f.max, E::Max);
        text(ui, "每位专家对接上限", &f.cap, E::Cap);
        text(ui, "最低匹配度（0–100）", &f.min_score, E::MinScore);
        ui.label("回避");
        let mut avoid = f.avoid_previous;
        if ui.checkbox(&mut avoid, "不安排以前已对接过的专家与需求").changed() {
            out.push(meeting_edit(E::AvoidPrevious(avoid)));
        }
        ui.end_row();
        if create {
            selection_fields(ui, st, f, out);
        }
    });
    if create {
        ui.label(
            RichText::new(
                "需求：选了细分领域就取这些领域中待对接/对接中的需求（最紧急的优先），都不选则取全部在办需求；\
                 专家：先取指定的，再按各需求的匹配结果自动推荐补足人数（跳过暂不可约和回避的专家）。",
            )
            .weak(),
        );
    }
    if let Some(e) = &f.error {
        ui.colored_label(ERROR, format!("！{e}"));
    }
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if ui.button(if create { "创建" } else { "保存设置" }).clicked() {
            out.push(msg(Msg::SaveForm));
        }
        if create && ui.button("取消").clicked() {
            out.push(msg(Msg::CancelForm));
        }
    });
}

fn confirm_delete(ctx: &egui::Context, st: &AppState, out: &mut Vec<UiMsg>) {
    let Some(id) = st.meetings.confirm_delete else { return };
    let name = st.meetings.list.iter().find(|m| m.id == id).map(|m| m.name.as_str()).unwrap_or_default();
    egui::Modal::new(egui::Id::unique("confirm_delete_meeting")).show(ctx, |ui| {
        ui.heading("删除对接会？");
        ui.label(format!("「{name}」及其全部配对和日程将被删除，专家和需求记录不受影响。"));
        ui.horizontal(|ui| {
            if ui.button("删除").clicked() {
                out.push(msg(Msg::ConfirmDelete));
            }
            if ui.button("取消").clicked() {
                out.push(msg(Msg::CancelDelete));
            }
        });
    });
}
