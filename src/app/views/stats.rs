//! 统计: the period picker, the figures of the period as charts (egui_plot) each beside its table
//! with 复制表格 (tab-separated, pastes into Excel), the plan's targets edited in place, the
//! recruiting gaps (computed after the figures) and the work report.

use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, GridMark, Legend, Plot};

use super::followup::edit;
use super::widgets::{ERROR, OK};
use crate::app::followup::StatsView;
use crate::app::msg::UiMsg;
use crate::app::msg_followup::{FollowupMsg, Table};
use crate::app::state::AppState;
use crate::domain::followup::TargetMetric;
use crate::domain::pairing::Stage;
use crate::engine::StatFigures;
use crate::util::number_text;

const BLUE: Color32 = Color32::from_rgb(60, 120, 200);
const ORANGE: Color32 = Color32::from_rgb(230, 140, 40);
const GREEN: Color32 = Color32::from_rgb(60, 160, 90);
const GREY: Color32 = Color32::from_rgb(160, 160, 160);

fn msg(m: FollowupMsg) -> UiMsg {
    UiMsg::Followup(m)
}

pub fn stats_tab(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    let s = &st.stats;
    egui::CentralPanel::default().show(ui, |ui| {
        period_bar(ui, st, out);
        ui.separator();
        let Some(f) = s.figures.as_deref() else {
            ui.spinner();
            return;
        };
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            summary(ui, f);
            section(ui, "各领域人才供给与未解决需求", &s.tables.supply, |ui| supply_chart(ui, f));
            section(ui, "对接漏斗（累计到达各阶段的对接）", &s.tables.funnel, |ui| funnel_chart(ui, f));
            if !f.by_month.is_empty() {
                stacked(ui, "逐月阶段变化（每月进入各阶段的对接数）", &s.tables.monthly, |ui| {
                    monthly_chart(ui, s);
                });
            }
            section(ui, "成果与计划目标", &s.tables.targets, |ui| target_chart(ui, f));
            targets_editor(ui, s, out);
            table_block(ui, "outcomes", &s.tables.outcomes);
            if !f.meetings.is_empty() {
                stacked(ui, "各场对接会的对接进展", &s.tables.meetings, |ui| meeting_chart(ui, f));
            }
            gaps(ui, s, out);
        });
    });
}

fn period_bar(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    let s = &st.stats;
    ui.horizontal_wrapped(|ui| {
        let mut from = s.from.clone();
        if edit(ui, "从", &mut from, "最早", 100.0) {
            out.push(msg(FollowupMsg::From(from)));
        }
        let mut to = s.to.clone();
        if edit(ui, "到", &mut to, "最晚", 100.0) {
            out.push(msg(FollowupMsg::To(to)));
        }
        if ui.button("查询").clicked() {
            out.push(msg(FollowupMsg::Refresh));
        }
        ui.separator();
        let year = st.clock.today.get(..4).unwrap_or("2026");
        let presets = [
            ("本年", format!("{year}-01-01"), format!("{year}-12-31")),
            ("上半年", format!("{year}-01-01"), format!("{year}-06-30")),
            ("全部", String::new(), String::new()),
        ];
        for (label, from, to) in presets {
            let on = s.from == from && s.to == to;
            if ui.selectable_label(on, label).clicked() {
                out.push(msg(FollowupMsg::Period(from, to)));
            }
        }
        if s.busy {
            ui.spinner();
        }
        ui.separator();
        let report = ui.add_enabled(!s.report_busy, egui::Button::new("生成工作简报…"));
        if report.on_hover_text("本期统计写成 PDF 或 Excel（按文件扩展名）").clicked() {
            out.push(msg(FollowupMsg::PickReport));
        }
        if s.report_busy {
            ui.spinner();
            ui.label("正在生成（需要计算引才方向）…");
        }
        match &s.report {
            Some(Ok(t)) => {
                ui.colored_label(OK, format!("已生成：{t}"));
            }
            Some(Err(e)) => {
                ui.colored_label(ERROR, e);
            }
            None => {}
        }
    });
}

fn summary(ui: &mut Ui, f: &StatFigures) {
    let sv = &f.services;
    ui.label(
        RichText::new(format!(
            "专家 {} 位（本期新增 {}）· 需求 {} 条（未解决 {}，本期新增 {}）· 本期新增对接 {} 对 · 服务 {} 次 {} 天 · 技术合同/入股 {} 万元",
            f.experts,
            f.new_experts,
            f.demands,
            f.open_demands,
            f.new_demands,
            f.new_pairings,
            sv.records,
            number_text(sv.days),
            number_text(f.contract_wan)
        ))
        .strong(),
    );
    ui.add_space(6.0);
}

/// A chart with its table beside it (stacked on narrow windows).
fn section(ui: &mut Ui, title: &str, table: &Table, chart: impl FnOnce(&mut Ui)) {
    ui.add_space(6.0);
    ui.heading(title);
    let wide = ui.available_width() >= 900.0;
    if wide {
        ui.columns(2, |c| {
            chart(&mut c[0]);
            table_block(&mut c[1], title, table);
        });
    } else {
        chart(ui);
        table_block(ui, title, table);
    }
    ui.separator();
}

/// A chart with its table below it at full width (a table with a column per stage).
fn stacked(ui: &mut Ui, title: &str, table: &Table, chart: impl FnOnce(&mut Ui)) {
    ui.add_space(6.0);
    ui.heading(title);
    chart(ui);
    table_block(ui, title, table);
    ui.separator();
}

/// A table as a striped grid, with 复制表格.
fn table_block(ui: &mut Ui, id: &str, t: &Table) {
    // Not stretched over the column (ui.columns justifies its children).
    ui.horizontal(|ui| {
        if ui.button("复制表格").on_hover_text("复制为制表符分隔的文字，可直接粘贴到 Excel").clicked()
        {
            ui.ctx().copy_text(t.tsv());
        }
    });
    egui::ScrollArea::horizontal().id_salt(("table_scroll", id)).show(ui, |ui| {
        egui::Grid::new(("stat_table", id)).striped(true).spacing([14.0, 4.0]).show(ui, |ui| {
            for h in &t.headers {
                ui.strong(h);
            }
            ui.end_row();
            for row in &t.rows {
                for c in row {
                    ui.label(c);
                }
                ui.end_row();
            }
        });
    });
}

/// A horizontal bar chart over named categories (top to bottom), one series per (name, colour,
/// values); the series stand side by side.
fn hbars(ui: &mut Ui, id: &str, categories: &[String], series: &[(&str, Color32, Vec<f64>)]) {
    let n = categories.len();
    let height = (n as f32 * 26.0 + 50.0).clamp(140.0, 420.0);
    let k = series.len().max(1) as f64;
    let width = 0.8 / k;
    // Category i is drawn at y = n-1-i, so the first is on top.
    let y = |i: usize| (n - 1 - i) as f64;
    let names: Vec<String> = categories.to_vec();
    Plot::new(id)
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .legend(Legend::default().position(egui_plot::Corner::RightBottom))
        .y_grid_spacer(move |_| (0..n).map(|i| GridMark { value: i as f64, step_size: 1.0 }).collect())
        .y_axis_formatter(move |m, _| {
            let i = m.value.round();
            if (m.value - i).abs() > 0.01 || i < 0.0 || i as usize >= n {
                return String::new();
            }
            names.get(n - 1 - i as usize).map_or_else(String::new, |s| crate::util::short(s, 13))
        })
        .y_axis_min_width(150.0)
        .include_x(0.0)
        .show(ui, |plot| {
            for (j, (name, color, values)) in series.iter().enumerate() {
                let offset = (j as f64 - (k - 1.0) / 2.0) * width;
                let bars: Vec<Bar> = values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Bar::new(y(i) + offset, *v).width(width * 0.95).name(&categories[i]))
                    .collect();
                plot.bar_chart(BarChart::new(*name, bars).color(*color).horizontal());
            }
        });
}

fn supply_chart(ui: &mut Ui, f: &StatFigures) {
    let cats: Vec<String> = f.supply.iter().map(|s| s.name.clone()).collect();
    let experts = f.supply.iter().map(|s| s.experts as f64).collect();
    let open = f.supply.iter().map(|s| s.open_demands as f64).collect();
    hbars(ui, "supply_chart", &cats, &[("专家", BLUE, experts), ("未解决需求", ORANGE, open)]);
}

fn funnel_chart(ui: &mut Ui, f: &StatFigures) {
    let cats: Vec<String> = f.funnel.iter().map(|(s, _)| s.label().to_string()).collect();
    let reached = f.funnel.iter().map(|(_, n)| *n as f64).collect();
    hbars(ui, "funnel_chart", &cats, &[("累计到达", GREEN, reached)]);
}

fn target_chart(ui: &mut Ui, f: &StatFigures) {
    let mut cats = Vec::new();
    let (mut done, mut goal) = (Vec::new(), Vec::new());
    for t in &f.targets {
        for (m, (target, achieved)) in TargetMetric::ALL.iter().zip(&t.progress) {
            cats.push(format!("{} {}", t.target.label, m.label()));
            done.push(*achieved as f64);
            goal.push(*target as f64);
        }
    }
    if cats.is_empty() {
        ui.label(RichText::new("还没有计划目标：在下方添加").weak());
        return;
    }
    hbars(ui, "target_chart", &cats, &[("完成", GREEN, done), ("目标", GREY, goal)]);
}

/// One line per stage over the months of the period (from the monthly table).
fn monthly_chart(ui: &mut Ui, s: &StatsView) {
    let t = &s.tables.monthly;
    let months: Vec<String> = t.rows.iter().map(|r| r[0].clone()).collect();
    let n = months.len();
    Plot::new("monthly_chart")
        .height(280.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        // Room on the right for the legend, clear of the lines.
        .legend(Legend::default().position(egui_plot::Corner::RightTop))
        .include_x(-0.3)
        .include_x(n as f64 + 1.8)
        .x_grid_spacer(move |_| (0..n).map(|i| GridMark { value: i as f64, step_size: 1.0 }).collect())
        .x_axis_formatter(move |m, _| {
            let i = m.value.round();
            if (m.value - i).abs() > 0.01 || i < 0.0 || i as usize >= n {
                String::new()
            } else {
                months[i as usize].clone()
            }
        })
        .include_y(0.0)
        .show(ui, |plot| {
            for (c, head) in t.headers.iter().enumerate().skip(1) {
                let points: Vec<[f64; 2]> =
                    t.rows.iter().enumerate().map(|(i, r)| [i as f64, r[c].parse().unwrap_or(0.0)]).collect();
                let i = Stage::ALL.iter().position(|s| s.label() == head).unwrap_or(0);
                plot.line(egui_plot::Line::new(head.as_str(), points).color(stage_colour(i)).width(2.0));
            }
        });
}

fn meeting_chart(ui: &mut Ui, f: &StatFigures) {
    let cats: Vec<String> = f.meetings.iter().map(|m| m.name.clone()).collect();
    let series: Vec<(&str, Color32, Vec<f64>)> = Stage::ALL
        .iter()
        .enumerate()
        .filter(|(_, s)| f.meetings.iter().any(|m| m.stages.iter().any(|(x, n)| x == *s && *n > 0)))
        .map(|(i, s)| {
            let values = f.meetings.iter().map(|m| m.stages.iter().find(|(x, _)| x == s).map_or(0.0, |x| x.1 as f64));
            (s.label(), stage_colour(i), values.collect())
        })
        .collect();
    hbars(ui, "meeting_chart", &cats, &series);
}

fn stage_colour(i: usize) -> Color32 {
    const C: [Color32; 9] = [
        Color32::from_rgb(150, 180, 220),
        Color32::from_rgb(90, 140, 210),
        Color32::from_rgb(50, 100, 190),
        Color32::from_rgb(80, 170, 160),
        Color32::from_rgb(60, 160, 90),
        Color32::from_rgb(150, 180, 60),
        Color32::from_rgb(230, 160, 40),
        Color32::from_rgb(210, 90, 40),
        Color32::from_rgb(150, 150, 150),
    ];
    C[i % C.len()]
}

/// The plan's targets: change or remove a period, add one.
fn targets_editor(ui: &mut Ui, s: &StatsView, out: &mut Vec<UiMsg>) {
    let Some(f) = s.figures.as_deref() else { return };
    ui.strong("计划目标");
    ui.horizontal_wrapped(|ui| {
        for t in &f.targets {
            ui.label(&t.target.label);
            if ui.small_button("修改").on_hover_text("把这一期的目标填到下方修改").clicked() {
                out.push(msg(FollowupMsg::EditTarget(Box::new(t.target.clone()))));
            }
            if ui.small_button("删除").on_hover_text(format!("删除目标“{}”", t.target.label)).clicked() {
                out.push(msg(FollowupMsg::RemoveTarget(t.target.label.clone())));
            }
            ui.separator();
        }
    });
    let mut d = s.target.clone();
    ui.horizontal_wrapped(|ui| {
        edit(ui, "期间名称", &mut d.label, "如 2026年", 90.0);
        edit(ui, "起始年", &mut d.from_year, "2026", 50.0);
        edit(ui, "结束年", &mut d.to_year, "同起始年", 60.0);
        edit(ui, "项目", &mut d.projects, "0", 40.0);
        edit(ui, "新产品", &mut d.products, "0", 40.0);
        edit(ui, "课题", &mut d.topics, "0", 40.0);
        if ui.button("保存目标").on_hover_text("同名的期间会被替换").clicked() {
            out.push(msg(FollowupMsg::SaveTarget));
        }
    });
    if d != s.target {
        out.push(msg(FollowupMsg::TargetForm(d)));
    }
    if let Some(p) = &s.target_problem {
        ui.colored_label(ERROR, p);
    }
    ui.add_space(4.0);
}

fn gaps(ui: &mut Ui, s: &StatsView, out: &mut Vec<UiMsg>) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.heading("引才方向（缺少强匹配专家的领域）");
        if s.gaps_busy {
            ui.spinner();
            ui.label("正在为每条未解决需求计算匹配…");
        } else if ui.small_button("重新计算").clicked() {
            out.push(msg(FollowupMsg::Gaps));
        }
    });
    match &s.gaps {
        Some(Ok(g)) if g.is_empty() => {
            ui.label("每条未解决需求都有强匹配的专家");
        }
        Some(Ok(_)) => table_block(ui, "gaps", &s.gap_table),
        Some(Err(e)) => {
            ui.colored_label(ERROR, e);
        }
        None => {}
    }
}
