//! 匹配建议: pick a demand (or an expert) on the left, see the ranked suggestions with their score
//! bars and reason chips, and act on them (加入对接, 回避, 不再推荐).

use egui::{RichText, Ui};

use super::widgets::{OK, line_input, reason_chip};
use crate::app::msg::UiMsg;
use crate::app::state::AppState;
use crate::domain::{ExclusionKind, RecordKind};
use crate::engine::{Reason, Suggestion, expert_label};

fn sources(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    let m = &st.matches;
    ui.horizontal(|ui| {
        if ui.selectable_label(m.from_demand, "为需求找专家").clicked() {
            out.push(UiMsg::MatchMode { from_demand: true });
        }
        if ui.selectable_label(!m.from_demand, "为专家找需求").clicked() {
            out.push(UiMsg::MatchMode { from_demand: false });
        }
    });
    let label = if m.from_demand { "筛选需求" } else { "筛选专家" };
    if let (Some(f), _) = line_input(ui, label, &m.filter, "名称、企业或单位", f32::INFINITY) {
        out.push(UiMsg::MatchFilter(f));
    }
    ui.label(RichText::new(format!("{} 条", m.sources.len())).weak());
    egui::ScrollArea::vertical().auto_shrink([false, false]).show_rows(ui, 40.0, m.sources.len(), |ui, range| {
        for &i in &m.sources[range] {
            let (kind, id, title, sub) = if m.from_demand {
                let d = &st.lists.demands[i];
                (RecordKind::Demand, d.id, &d.title, &d.enterprise)
            } else {
                let e = &st.lists.experts[i];
                (RecordKind::Expert, e.id, &e.name, &e.institution)
            };
            let sel = m.source == Some((kind, id));
            let resp = ui.add(
                egui::Button::selectable(sel, format!("{title}\n{sub}"))
                    .min_size(egui::vec2(ui.available_width(), 36.0)),
            );
            if resp.clicked() {
                out.push(UiMsg::MatchFrom(kind, id));
            }
        }
    });
}

fn source_header(ui: &mut Ui, st: &AppState, kind: RecordKind, id: i64) {
    match kind {
        RecordKind::Demand => {
            if let Some(d) = st.demand_detail.as_ref().filter(|d| d.id == id) {
                ui.heading(&d.title);
                ui.label(RichText::new(format!("{} · {}", d.ext_id, d.enterprise)).weak());
                ui.add(egui::Label::new(&d.description).wrap());
            }
        }
        RecordKind::Expert => {
            if let Some(e) = st.expert_detail.as_ref().filter(|e| e.id == id) {
                ui.heading(expert_label(e));
                ui.add(egui::Label::new(&e.research).wrap());
            }
        }
    }
}

/// One suggestion's card: rank, score bar, name, reason chips, evidence, and its actions.
fn card(ui: &mut Ui, st: &AppState, rank: Option<usize>, s: &Suggestion, width: f32, out: &mut Vec<UiMsg>) {
    let Some((kind, id)) = st.matches.source else { return };
    let (expert_id, demand_id) = match kind {
        RecordKind::Demand => (s.id, id),
        RecordKind::Expert => (id, s.id),
    };
    let enterprise_id = st.demand_row(demand_id).and_then(|d| d.enterprise_id);
    let paired = st.lists.pairings.contains(&(expert_id, demand_id));
    egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
        ui.set_width(width);
        ui.set_max_width(width);
        ui.horizontal(|ui| {
            let rank = rank.map_or_else(|| "–".to_owned(), |r| (r + 1).to_string());
            ui.label(RichText::new(rank).size(20.0).strong());
            #[allow(clippy::cast_possible_truncation)]
            let share = (s.score / 100.0) as f32;
            let text = format!("匹配度 {:.1} · {}", s.score, s.strength.label());
            ui.add(egui::ProgressBar::new(share).desired_width(170.0).text(text))
                .on_hover_text("强：多半值得约谈；中：值得看一看；弱：仅供参考");
            ui.label(RichText::new(&s.label).size(16.0).strong());
            ui.label(RichText::new(&s.ext_id).weak());
        });
        ui.horizontal_wrapped(|ui| {
            for r in s.reasons.iter().filter(|r| !matches!(r, Reason::Evidence { .. })) {
                reason_chip(ui, r);
            }
        });
        for r in s.reasons.iter().filter(|r| matches!(r, Reason::Evidence { .. })) {
            reason_chip(ui, r);
        }
        ui.horizontal(|ui| {
            if paired {
                ui.label(RichText::new("✓ 已在对接清单").color(OK));
            } else if ui.button("加入对接").clicked() {
                let reasons = s.reasons.iter().map(Reason::text).collect::<Vec<_>>().join("；");
                out.push(UiMsg::AddPairing { expert_id, demand_id, score: s.score, reasons });
            }
            if let Some(enterprise_id) = enterprise_id {
                if ui.button("回避").on_hover_text("利益相关：此后不再把这位专家推荐给该企业").clicked()
                {
                    out.push(UiMsg::Exclude { expert_id, enterprise_id, kind: ExclusionKind::Conflict });
                }
                if ui.button("不再推荐").clicked() {
                    out.push(UiMsg::Exclude { expert_id, enterprise_id, kind: ExclusionKind::DoNotSuggest });
                }
            }
        });
    });
}

/// 单独评估: score the selected record against any one record the office names, suggested or not.
fn pair_check(ui: &mut Ui, st: &AppState, kind: RecordKind, out: &mut Vec<UiMsg>) {
    let (label, hint) = match kind {
        RecordKind::Demand => ("单独评估专家", "专家编号或姓名"),
        RecordKind::Expert => ("单独评估需求", "需求编号或标题"),
    };
    ui.horizontal(|ui| {
        let (changed, resp) = line_input(ui, label, &st.matches.pair_query, hint, 200.0);
        if let Some(q) = changed {
            out.push(UiMsg::PairQuery(q));
        }
        let enter = resp.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("评估").clicked() || enter {
            out.push(UiMsg::ScorePair);
        }
    });
    match &st.matches.pair {
        None => {}
        Some(Err(text)) => {
            ui.label(RichText::new(text).color(ui.visuals().warn_fg_color));
        }
        Some(Ok(r)) => {
            let note = match (r.blocked, r.rank) {
                (Some(b), _) => format!("不会被推荐：{}", crate::text::pair_block(b)),
                (None, Some(rank)) => format!("在推荐中排第 {rank} 位"),
                (None, None) => "不在前 1000 条推荐内".to_owned(),
            };
            ui.label(RichText::new(note).weak());
            card(ui, st, r.rank.map(|r| r - 1), &r.suggestion, ui.available_width() - 28.0, out);
        }
    }
    ui.separator();
}

pub fn matches_tab(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    egui::Panel::left("match_source").resizable(true).default_size(330.0).show(ui, |ui| sources(ui, st, out));
    egui::CentralPanel::default().show(ui, |ui| {
        let Some((kind, id)) = st.matches.source else {
            ui.vertical_centered(|ui| {
                ui.add_space(80.0);
                ui.label(
                    RichText::new("在左侧选择一条需求（或一位专家），这里会列出匹配建议和匹配理由").size(16.0).weak(),
                );
            });
            return;
        };
        source_header(ui, st, kind, id);
        ui.separator();
        pair_check(ui, st, kind, out);
        if st.matches.busy {
            ui.spinner();
            return;
        }
        let Some(list) = &st.matches.results else { return };
        if list.is_empty() {
            ui.label("没有合适的推荐（可能已被标记回避，或专家暂不可约）。");
            return;
        }
        ui.label(RichText::new(format!("推荐 {} 条，按匹配度排序", list.len())).weak());
        let width = ui.available_width() - 28.0;
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            for (rank, s) in list.iter().enumerate() {
                card(ui, st, Some(rank), s, width, out);
                ui.add_space(4.0);
            }
        });
    });
}
