//! The 对接会 tab (create a meeting, pair, schedule, edit single pairings, export) and the
//! projection mode (投屏模式): large type, high contrast, one board per time slot with a countdown,
//! one page per demand; PageDown/PageUp/arrows/space turn pages, F11 full screen, Esc leaves.
//! The projector never shows phone numbers or e-mail addresses.

use egui::{Color32, Key, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::meetings::{MeetingForm, Page, Pane, Projection, Theme, live_slot, local_now, pages};
use super::state::AppState;
use super::views::{Action, subfield_picker, text_field};
use crate::domain::meeting::MeetingDetail;
use crate::engine::{Command, MeetingCommand as M};
use crate::io::sheets::SheetFormat;
use crate::util::{scrub_contacts, short};

fn send(st: &mut AppState, c: M) {
    st.send(Command::Meeting(c));
}

pub fn meetings_tab(ui: &mut Ui, st: &mut AppState, actions: &mut Vec<Action>) {
    egui::Panel::left("meeting_list")
        .resizable(true)
        .default_size(260.0)
        .min_size(220.0)
        .show(ui, |ui| meeting_list(ui, st));
    egui::CentralPanel::default().show(ui, |ui| {
        if st.meetings.form.as_ref().is_some_and(|f| f.id == 0) {
            egui::ScrollArea::vertical().show(ui, |ui| meeting_form(ui, st, true));
            return;
        }
        let Some(detail) = st.meetings.shared() else {
            ui.vertical_centered(|ui| {
                ui.add_space(80.0);
                if st.meetings.selected.is_some() {
                    ui.spinner();
                } else {
                    ui.label("选择左侧的对接会，或点“新建对接会”。");
                }
            });
            return;
        };
        meeting_header(ui, st, &detail, actions);
        ui.separator();
        ui.horizontal(|ui| {
            for p in Pane::ALL {
                ui.selectable_value(&mut st.meetings.pane, p, RichText::new(p.label()).size(15.0));
            }
        });
        ui.separator();
        match st.meetings.pane {
            Pane::Pairs => pairs_pane(ui, st, &detail),
            Pane::Schedule => schedule_pane(ui, &detail),
            Pane::Participants => participants_pane(ui, st, &detail),
            Pane::Settings => {
                egui::ScrollArea::vertical()
                    .show(ui, |ui| {
                        if st.meetings.form.as_ref().is_none_or(|f| f.id != detail.meeting().id) {
                            st.meetings.form = Some(MeetingForm::edit(detail.meeting()));
                        }
                        meeting_form(ui, st, false);
                    })
                    .inner
            }
        }
    });
    confirm_delete(ui.ctx(), st);
}

fn meeting_list(ui: &mut Ui, st: &mut AppState) {
    ui.add_space(6.0);
    if ui.button(RichText::new("＋ 新建对接会").size(15.0)).clicked() {
        let (today, _, _) = local_now(st.utc_offset);
        st.meetings.form = Some(MeetingForm::new_meeting(&today));
    }
    ui.add_space(6.0);
    if st.meetings.list.is_empty() {
        ui.label(RichText::new("还没有对接会").weak());
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        for m in st.meetings.list.clone() {
            let on = st.meetings.selected == Some(m.id) && st.meetings.form.as_ref().is_none_or(|f| f.id != 0);
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
                st.meetings.selected = Some(m.id);
                st.meetings.form = None;
                st.meetings.problem = None;
                send(st, M::Load(m.id));
            }
            ui.add_space(2.0);
        }
    });
}

fn meeting_header(ui: &mut Ui, st: &mut AppState, d: &MeetingDetail, actions: &mut Vec<Action>) {
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
    ui.horizontal_wrapped(|ui| {
        let busy = st.meetings.busy;
        let label = if d.plan.pairs.is_empty() { "自动配对" } else { "重新优化配对" };
        if ui
            .add_enabled(!busy, egui::Button::new(label))
            .on_hover_text("在每项需求的专家上下限、每位专家的上限和回避规则下，求总匹配度最高的配对；锁定的配对保留")
            .clicked()
        {
            st.meetings.busy = true;
            st.meetings.problem = None;
            send(st, M::Assign(id));
        }
        if ui
            .add_enabled(!busy && !d.plan.pairs.is_empty(), egui::Button::new("排日程"))
            .on_hover_text("给每对配对安排时段和桌号：专家和企业不会同时出现在两处，企业尽量固定一张桌")
            .clicked()
        {
            st.meetings.busy = true;
            st.meetings.problem = None;
            send(st, M::Schedule(id));
        }
        if ui
            .add_enabled(!d.plan.pairs.is_empty(), egui::Button::new("投屏模式"))
            .on_hover_text("全屏大字显示各时段的对接安排和每项需求的专家（F5；Esc 退出）")
            .clicked()
        {
            start_projection(ui.ctx(), st, d);
        }
        if busy {
            ui.spinner();
        }
        ui.separator();
        for f in [SheetFormat::Xlsx, SheetFormat::Pdf, SheetFormat::Csv] {
            let text = format!("导出 {}…", f.extension().to_uppercase());
            if ui
                .add_enabled(!d.plan.pairs.is_empty(), egui::Button::new(text))
                .on_hover_text(format!("保存对接表（{}）", f.label()))
                .clicked()
            {
                actions.push(Action::PickMeetingExport {
                    id,
                    format: f,
                    contacts: st.meetings.contacts,
                    name: m.name.clone(),
                });
            }
        }
        ui.checkbox(&mut st.meetings.contacts, "含电话和邮箱");
        ui.separator();
        if ui.button("删除对接会").clicked() {
            st.meetings.confirm_delete = Some(id);
        }
    });
    if let Some((pid, msg)) = st.meetings.problem.clone()
        && pid == id
    {
        egui::Frame::new()
            .fill(Color32::from_rgb(255, 235, 235))
            .stroke(egui::Stroke::new(1.0, Color32::from_rgb(200, 60, 60)))
            .inner_margin(8.0)
            .corner_radius(4.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(&msg).color(Color32::from_rgb(150, 0, 0)));
                    if ui.small_button("×").on_hover_text("关闭").clicked() {
                        st.meetings.problem = None;
                    }
                });
            });
    }
    if ui.input(|i| i.key_pressed(Key::F5)) && !d.plan.pairs.is_empty() {
        start_projection(ui.ctx(), st, d);
    }
}

fn start_projection(ctx: &egui::Context, st: &mut AppState, d: &MeetingDetail) {
    let (today, minute, second) = local_now(st.utc_offset);
    let page = live_slot(d.meeting(), &today, minute, second).map(|(s, _)| s as usize).unwrap_or(0);
    st.meetings.projection = Some(Projection { page, theme: Theme::Light, fullscreen: true });
    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
}

fn pairs_pane(ui: &mut Ui, st: &mut AppState, d: &MeetingDetail) {
    let id = d.meeting().id;
    ui.horizontal(|ui| {
        ui.label("指定配对：");
        let demand_label =
            |x: i64| d.plan.demand(x).map(|md| format!("{} {}", md.ext_id, short(&md.title, 18))).unwrap_or_default();
        let expert_label = |x: i64| {
            d.plan.expert(x).map(|me| format!("{} {}", me.name, short(&me.institution, 12))).unwrap_or_default()
        };
        let l = ui.label("需求");
        egui::ComboBox::from_id_salt("add_pair_demand")
            .width(220.0)
            .selected_text(st.meetings.add_demand.map(demand_label).unwrap_or_else(|| "选择需求".into()))
            .show_ui(ui, |ui| {
                for md in &d.plan.demands {
                    ui.selectable_value(&mut st.meetings.add_demand, Some(md.demand_id), demand_label(md.demand_id));
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label("专家");
        egui::ComboBox::from_id_salt("add_pair_expert")
            .width(200.0)
            .selected_text(st.meetings.add_expert.map(expert_label).unwrap_or_else(|| "选择专家".into()))
            .show_ui(ui, |ui| {
                for me in &d.plan.experts {
                    ui.selectable_value(&mut st.meetings.add_expert, Some(me.expert_id), expert_label(me.expert_id));
                }
            })
            .response
            .labelled_by(l.id);
        let ready = st.meetings.add_demand.is_some() && st.meetings.add_expert.is_some();
        if ui
            .add_enabled(ready, egui::Button::new("指定"))
            .on_hover_text("加入这对配对并锁定；再点“重新优化配对”调整其余配对")
            .clicked()
            && let (Some(demand), Some(expert)) = (st.meetings.add_demand, st.meetings.add_expert)
        {
            send(st, M::Add { id, demand, expert });
        }
    });
    if let Some((cid, list)) = &st.meetings.conflicts
        && *cid == id
        && !list.is_empty()
    {
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
    let pairs = d.pairs_by_time();
    let mut actions: Vec<M> = Vec::new();
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
                row.col(|ui| {
                    ui.add(egui::Label::new(&dm.ext_id).selectable(false)).on_hover_text(&dm.title);
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(&dm.enterprise).selectable(false));
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(format!("{} {}", e.name, e.title)).selectable(false));
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(&e.institution).selectable(false));
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(format!("{:.0}", p.score)).selectable(false));
                });
                row.col(|ui| {
                    let text = match (p.slot, p.table) {
                        (Some(s), Some(t)) => {
                            format!(
                                "{} · {} 号桌{}",
                                d.meeting().slot_label(s),
                                t + 1,
                                if p.place_locked { " 📌" } else { "" }
                            )
                        }
                        _ => "未排".into(),
                    };
                    ui.add(egui::Label::new(text).selectable(false));
                });
                row.col(|ui| {
                    let text = if p.locked { RichText::new("已锁定").strong() } else { RichText::new("锁定") };
                    if ui
                        .add(egui::Button::selectable(p.locked, text))
                        .on_hover_text("锁定：重新优化时保留这对配对；再点一次取消")
                        .clicked()
                    {
                        actions.push(M::Lock { id, demand: p.demand_id, expert: p.expert_id, locked: !p.locked });
                    }
                });
                row.col(|ui| {
                    if ui.small_button("移除").on_hover_text("去掉这对配对（重新优化时不会再加回）").clicked()
                    {
                        actions.push(M::Remove { id, demand: p.demand_id, expert: p.expert_id });
                    }
                });
                row.col(|ui| {
                    let first = p.reasons.first().cloned().unwrap_or_default();
                    ui.add(egui::Label::new(first).selectable(false).truncate()).on_hover_text(p.reasons.join("\n"));
                });
            });
        });
    for a in actions {
        send(st, a);
    }
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
    let mut cells: std::collections::BTreeMap<(u32, u32), (String, String)> = Default::default();
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

fn participants_pane(ui: &mut Ui, st: &mut AppState, d: &MeetingDetail) {
    let id = d.meeting().id;
    let mut cmds: Vec<M> = Vec::new();
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        ui.strong(format!("参会需求（{}）", d.plan.demands.len()));
        ui.horizontal(|ui| {
            let l = ui.label("按编号加入");
            ui.add(
                egui::TextEdit::singleline(&mut st.meetings.add_demands_text)
                    .hint_text("D001, D002")
                    .desired_width(160.0),
            )
            .labelled_by(l.id);
            if ui.button("加入需求").clicked() && !st.meetings.add_demands_text.trim().is_empty() {
                let ext_ids = crate::util::split_multi(&st.meetings.add_demands_text);
                st.meetings.add_demands_text.clear();
                cmds.push(M::AddDemands { id, ext_ids });
            }
        });
        egui::ScrollArea::vertical().id_salt("part_demands").show(ui, |ui| {
            for md in &d.plan.demands {
                ui.horizontal(|ui| {
                    if ui.small_button("移出").on_hover_text("把这项需求移出本次对接会（连同其配对）").clicked()
                    {
                        cmds.push(M::RemoveDemand { id, demand: md.demand_id });
                    }
                    let n = d.plan.pairs.iter().filter(|p| p.demand_id == md.demand_id).count();
                    let m = d.meeting();
                    let (lo, hi) = (md.min.unwrap_or(m.min_experts), md.max.unwrap_or(m.max_experts));
                    ui.label(format!("{lo}–{hi} 位"));
                    let demand = md.demand_id;
                    if ui.small_button("−").on_hover_text("本需求少要一位专家（上限 −1）").clicked() && hi > 1
                    {
                        cmds.push(M::SetBounds { id, demand, min: Some(lo.min(hi - 1)), max: Some(hi - 1) });
                    }
                    if ui.small_button("+").on_hover_text("本需求多要一位专家（上限 +1）").clicked() {
                        cmds.push(M::SetBounds { id, demand, min: Some(lo), max: Some(hi + 1) });
                    }
                    ui.label(format!(
                        "{} {} · {} · 已配 {n}",
                        md.ext_id,
                        short(&md.title, 18),
                        short(&md.enterprise, 12)
                    ));
                });
            }
        });
        let ui = &mut cols[1];
        ui.strong(format!("参会专家（{}）", d.plan.experts.len()));
        ui.horizontal(|ui| {
            let l = ui.label("按编号加入");
            ui.add(
                egui::TextEdit::singleline(&mut st.meetings.add_experts_text)
                    .hint_text("E0001, E0002")
                    .desired_width(160.0),
            )
            .labelled_by(l.id);
            if ui.button("加入专家").clicked() && !st.meetings.add_experts_text.trim().is_empty() {
                let ext_ids = crate::util::split_multi(&st.meetings.add_experts_text);
                st.meetings.add_experts_text.clear();
                cmds.push(M::AddExperts { id, ext_ids });
            }
        });
        egui::ScrollArea::vertical().id_salt("part_experts").show(ui, |ui| {
            for me in &d.plan.experts {
                ui.horizontal(|ui| {
                    if ui.small_button("移出").on_hover_text("把这位专家移出本次对接会（连同其配对）").clicked()
                    {
                        cmds.push(M::RemoveExpert { id, expert: me.expert_id });
                    }
                    let n = d.plan.pairs.iter().filter(|p| p.expert_id == me.expert_id).count();
                    let cap = me.cap.unwrap_or(d.meeting().expert_cap);
                    ui.label(format!("最多 {cap} 场"));
                    let expert = me.expert_id;
                    if ui.small_button("−").on_hover_text("这位专家少安排一场（上限 −1）").clicked() && cap > 1
                    {
                        cmds.push(M::SetCap { id, expert, cap: Some(cap - 1) });
                    }
                    if ui.small_button("+").on_hover_text("这位专家可多安排一场（上限 +1）").clicked() {
                        cmds.push(M::SetCap { id, expert, cap: Some(cap + 1) });
                    }
                    ui.label(format!("{} {} · {} · 已配 {n}", me.ext_id, me.name, short(&me.institution, 14)));
                });
            }
        });
    });
    for c in cmds {
        send(st, c);
    }
}

fn meeting_form(ui: &mut Ui, st: &mut AppState, create: bool) {
    let tax = st.taxonomy.clone();
    let Some(f) = st.meetings.form.as_mut() else { return };
    ui.heading(if create { "新建对接会" } else { "会议设置" });
    ui.add_space(6.0);
    egui::Grid::new(if create { "meeting_create" } else { "meeting_edit" }).num_columns(2).spacing([12.0, 8.0]).show(
        ui,
        |ui| {
            text_field(ui, "名称", &mut f.name, false);
            text_field(ui, "日期（2026-12-05）", &mut f.date, false);
            text_field(ui, "地点", &mut f.venue, false);
            text_field(ui, "时间（9:00-11:30）", &mut f.time, false);
            text_field(ui, "每时段分钟", &mut f.slot_minutes, false);
            text_field(ui, "桌数", &mut f.tables, false);
            text_field(ui, "每项需求专家下限", &mut f.min, false);
            text_field(ui, "每项需求专家上限", &mut f.max, false);
            text_field(ui, "每位专家对接上限", &mut f.cap, false);
            text_field(ui, "最低匹配度（0–100）", &mut f.min_score, false);
            ui.label("回避");
            ui.checkbox(&mut f.avoid_previous, "不安排以前已对接过的专家与需求");
            ui.end_row();
            if create {
                ui.separator();
                ui.separator();
                ui.end_row();
                subfield_picker(ui, &tax, &mut f.subfields);
                text_field(ui, "指定需求编号（可空）", &mut f.demands, false);
                text_field(ui, "最多需求数", &mut f.max_demands, false);
                text_field(ui, "指定专家编号（可空）", &mut f.experts, false);
                text_field(ui, "专家总人数（自动推荐补足）", &mut f.auto_experts, false);
                ui.label("已加入对接");
                ui.checkbox(&mut f.lock_recorded, "“加入对接”过的配对设为指定（锁定）");
                ui.end_row();
            }
        },
    );
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
        ui.colored_label(Color32::from_rgb(200, 30, 30), format!("⚠ {e}"));
    }
    ui.add_space(6.0);
    let mut cmd = None;
    let mut cancel = false;
    ui.horizontal(|ui| {
        if ui.button(if create { "创建" } else { "保存设置" }).clicked() {
            let result = if create {
                f.spec().map(|s| M::Create(Box::new(s)))
            } else {
                f.meeting().map(|m| M::Update(Box::new(m)))
            };
            match result {
                Ok(c) => {
                    f.error = None;
                    cmd = Some(c);
                }
                Err(e) => f.error = Some(e),
            }
        }
        if create && ui.button("取消").clicked() {
            cancel = true;
        }
    });
    if cancel {
        st.meetings.form = None;
    }
    if let Some(c) = cmd {
        st.meetings.busy = true;
        send(st, c);
    }
}

fn confirm_delete(ctx: &egui::Context, st: &mut AppState) {
    let Some(id) = st.meetings.confirm_delete else { return };
    let name = st.meetings.list.iter().find(|m| m.id == id).map(|m| m.name.clone()).unwrap_or_default();
    let mut close = false;
    egui::Modal::new(egui::Id::unique("confirm_delete_meeting")).show(ctx, |ui| {
        ui.heading("删除对接会？");
        ui.label(format!("「{name}」及其全部配对和日程将被删除，专家和需求记录不受影响。"));
        ui.horizontal(|ui| {
            if ui.button("删除").clicked() {
                send(st, M::Delete(id));
                close = true;
            }
            if ui.button("取消").clicked() {
                close = true;
            }
        });
    });
    if close {
        st.meetings.confirm_delete = None;
    }
}

// ------------------------------------------------------------------------------------ projection

struct Colors {
    bg: Color32,
    text: Color32,
    weak: Color32,
    accent: Color32,
    line: Color32,
}

fn colors(t: Theme) -> Colors {
    match t {
        Theme::Light => Colors {
            bg: Color32::WHITE,
            text: Color32::BLACK,
            weak: Color32::from_gray(70),
            accent: Color32::from_rgb(0, 70, 160),
            line: Color32::from_gray(160),
        },
        Theme::Dark => Colors {
            bg: Color32::BLACK,
            text: Color32::WHITE,
            weak: Color32::from_gray(200),
            accent: Color32::from_rgb(255, 210, 0),
            line: Color32::from_gray(110),
        },
    }
}

/// Draws the projector over the whole window and handles its keys; true while it is on.
pub fn projection(ui: &mut Ui, st: &mut AppState) -> bool {
    if st.meetings.projection.is_none() {
        return false;
    }
    let Some(d) = st.meetings.shared() else {
        st.meetings.projection = None;
        return false;
    };
    let pages = pages(&d);
    let ctx = ui.ctx().clone();
    let (next, prev, home, end, esc, f11, theme) = ctx.input(|i| {
        (
            i.key_pressed(Key::PageDown)
                || i.key_pressed(Key::ArrowRight)
                || i.key_pressed(Key::ArrowDown)
                || i.key_pressed(Key::Space),
            i.key_pressed(Key::PageUp) || i.key_pressed(Key::ArrowLeft) || i.key_pressed(Key::ArrowUp),
            i.key_pressed(Key::Home),
            i.key_pressed(Key::End),
            i.key_pressed(Key::Escape),
            i.key_pressed(Key::F11),
            i.key_pressed(Key::T),
        )
    });
    if esc {
        st.meetings.projection = None;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        return false;
    }
    if next {
        st.meetings.turn(1);
    }
    if prev {
        st.meetings.turn(-1);
    }
    let (today, minute, second) = local_now(st.utc_offset);
    let live = live_slot(d.meeting(), &today, minute, second);
    let Some(p) = st.meetings.projection.as_mut() else { return false };
    if home {
        // Back to the slot running now (or the first page).
        p.page = live.map(|(s, _)| s as usize).unwrap_or(0);
    }
    if end {
        p.page = pages.len().saturating_sub(1);
    }
    if f11 {
        p.fullscreen = !p.fullscreen;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(p.fullscreen));
    }
    if theme {
        p.theme = if p.theme == Theme::Light { Theme::Dark } else { Theme::Light };
    }
    let page = p.page.min(pages.len().saturating_sub(1));
    let c = colors(p.theme);
    ctx.request_repaint_after(std::time::Duration::from_millis(500));
    egui::CentralPanel::default().frame(egui::Frame::new().fill(c.bg).inner_margin(40.0)).show(ui, |ui| {
        let h = ui.available_height();
        // Type scales with the screen: ~1/14 of the height for titles on a 1080p projector.
        let big = (h / 14.0).clamp(28.0, 80.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new(&d.meeting().name).size(big * 0.5).color(c.weak));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(
                    RichText::new(format!("{} / {}   ← → 翻页 · T 换色 · Esc 退出", page + 1, pages.len().max(1)))
                        .size(big * 0.3)
                        .color(c.weak),
                );
            });
        });
        match pages.get(page) {
            Some(Page::Board(s)) => board(ui, &d, *s, live, big, &c),
            Some(Page::Demand(id)) => demand_page(ui, &d, *id, big, &c),
            None => {
                ui.label(RichText::new("没有可显示的内容").size(big).color(c.text));
            }
        }
    });
    true
}

fn board(ui: &mut Ui, d: &MeetingDetail, slot: u32, live: Option<(u32, u32)>, big: f32, c: &Colors) {
    let m = d.meeting();
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!("第 {} 时段  {}", slot + 1, m.slot_label(slot))).size(big).color(c.text).strong(),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let text = match live {
                Some((s, left)) if s == slot => {
                    let what = if slot + 1 < m.slots { "距下一时段" } else { "距结束" };
                    format!("{what} {:02}:{:02}", left / 60, left % 60)
                }
                Some((s, _)) if s > slot => "已结束".into(),
                Some(_) => "稍后".into(),
                None => String::new(),
            };
            ui.label(RichText::new(text).size(big * 0.8).color(c.accent).strong());
        });
    });
    ui.add_space(big * 0.3);
    let mut rows: Vec<(u32, String, String)> = Vec::new();
    for p in d.pairs_by_time().into_iter().filter(|p| p.slot == Some(slot)) {
        let (Some(dm), Some(e)) = (d.demands.get(&p.demand_id), d.experts.get(&p.expert_id)) else { continue };
        let t = p.table.unwrap_or(0);
        if rows.iter().any(|(rt, _, _)| *rt == t) {
            continue; // the same sitting, another demand of the same enterprise
        }
        rows.push((t, dm.enterprise.clone(), format!("{}  {}", e.name, short(&e.institution, 14))));
    }
    rows.sort();
    if rows.is_empty() {
        ui.label(RichText::new("本时段没有安排").size(big * 0.7).color(c.weak));
        return;
    }
    let row_size = ((ui.available_height() / (rows.len() as f32 + 1.0)) * 0.55).clamp(18.0, big * 0.75);
    egui::Grid::new(("board", slot)).spacing([row_size * 0.8, row_size * 0.35]).show(ui, |ui| {
        for (t, en, ex) in rows {
            ui.label(RichText::new(format!("{} 号桌", t + 1)).size(row_size).color(c.accent).strong());
            ui.label(RichText::new(scrub_contacts(&short(&en, 16))).size(row_size).color(c.text));
            ui.label(RichText::new("↔").size(row_size).color(c.line));
            ui.label(RichText::new(scrub_contacts(&ex)).size(row_size).color(c.text));
            ui.end_row();
        }
    });
}

fn demand_page(ui: &mut Ui, d: &MeetingDetail, id: i64, big: f32, c: &Colors) {
    let Some(dm) = d.demands.get(&id) else { return };
    ui.label(RichText::new(scrub_contacts(&dm.title)).size(big * 0.85).color(c.text).strong());
    ui.label(RichText::new(format!("{} · 需求 {}", dm.enterprise, dm.ext_id)).size(big * 0.45).color(c.weak));
    ui.add_space(big * 0.3);
    let pairs: Vec<_> = d.pairs_by_time().into_iter().filter(|p| p.demand_id == id).collect();
    let size = ((ui.available_height() / (pairs.len() as f32 * 2.6 + 1.0)) * 0.6).clamp(16.0, big * 0.6);
    for p in pairs {
        let Some(e) = d.experts.get(&p.expert_id) else { continue };
        ui.horizontal(|ui| {
            ui.label(RichText::new(&e.name).size(size * 1.15).color(c.accent).strong());
            ui.label(RichText::new(scrub_contacts(&format!("{} {}", e.institution, e.title))).size(size).color(c.text));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let (Some(s), Some(t)) = (p.slot, p.table) {
                    ui.label(
                        RichText::new(format!("{} · {} 号桌", d.meeting().slot_label(s), t + 1))
                            .size(size)
                            .color(c.text),
                    );
                }
            });
        });
        let why: Vec<String> = p.reasons.iter().take(2).map(|r| scrub_contacts(&short(r, 60))).collect();
        ui.label(RichText::new(why.join("；")).size(size * 0.8).color(c.weak));
        ui.add_space(size * 0.5);
    }
}
