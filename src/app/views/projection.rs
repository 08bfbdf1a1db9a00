//! The projection mode (投屏模式): large type, high contrast, one board per time slot with a
//! countdown, one page per demand; PageDown/PageUp/arrows/space turn pages, Home returns to the
//! slot running now, End goes to the last page, T changes colours, F11 full screen, Esc leaves.
//! The projector never shows phone numbers or e-mail addresses.

use egui::{Color32, Key, RichText, Ui};

use crate::app::meetings::{
    BOARD_ROWS, MeetingMsg, Page, ProjectorKey, Theme, WHERE_ROWS, board_rows, live_slot, pages, where_rows,
};
use crate::app::msg::UiMsg;
use crate::app::state::AppState;
use crate::domain::meeting::MeetingDetail;
use crate::util::{scrub_contacts, short};

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

/// The keys the projector answers to, read this frame.
fn keys(ui: &Ui) -> Vec<ProjectorKey> {
    ui.ctx().input(|i| {
        let mut keys = Vec::new();
        let pressed = |k: &[Key]| k.iter().any(|k| i.key_pressed(*k));
        if pressed(&[Key::Escape]) {
            keys.push(ProjectorKey::Exit);
        }
        if pressed(&[Key::PageDown, Key::ArrowRight, Key::ArrowDown, Key::Space]) {
            keys.push(ProjectorKey::Next);
        }
        if pressed(&[Key::PageUp, Key::ArrowLeft, Key::ArrowUp]) {
            keys.push(ProjectorKey::Previous);
        }
        for (k, key) in [
            (Key::Home, ProjectorKey::Home),
            (Key::End, ProjectorKey::End),
            (Key::F11, ProjectorKey::Fullscreen),
            (Key::T, ProjectorKey::Theme),
        ] {
            if pressed(&[k]) {
                keys.push(key);
            }
        }
        keys
    })
}

/// Draws the projector over the whole window and reads its keys; true while it is on.
pub fn projection(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) -> bool {
    let Some(p) = &st.meetings.projection else { return false };
    let Some(d) = st.meetings.current() else { return false };
    out.extend(keys(ui).into_iter().map(|k| UiMsg::Meeting(MeetingMsg::Projector(k))));
    let pages = pages(d);
    let clock = &st.clock;
    let live = live_slot(d.meeting(), &clock.today, clock.minute, clock.second);
    let page = p.page.min(pages.len().saturating_sub(1));
    let c = colors(p.theme);
    ui.ctx().request_repaint_after(std::time::Duration::from_millis(500));
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
            Some(Page::Cover) => cover(ui, d, big, &c),
            Some(Page::Board { slot, part, parts }) => board(ui, d, (*slot, *part, *parts), live, big, &c),
            Some(Page::WhereIs { part, parts }) => where_is(ui, d, (*part, *parts), big, &c),
            Some(Page::Demand(id)) => demand_page(ui, d, *id, big, &c),
            None => {
                ui.label(RichText::new("没有可显示的内容").size(big).color(c.text));
            }
        }
    });
    true
}

fn cover(ui: &mut Ui, d: &MeetingDetail, big: f32, c: &Colors) {
    let m = d.meeting();
    ui.add_space(big);
    ui.vertical_centered(|ui| {
        ui.add(egui::Label::new(RichText::new(&m.name).size(big * 1.1).color(c.text).strong()).wrap());
        ui.add_space(big * 0.5);
        let when = if m.date.is_empty() { m.time_range() } else { format!("{}  {}", m.date, m.time_range()) };
        ui.label(RichText::new(when).size(big * 0.6).color(c.accent));
        if !m.venue.is_empty() {
            ui.label(RichText::new(&m.venue).size(big * 0.6).color(c.text));
        }
        ui.add_space(big * 0.5);
        let enterprises: std::collections::BTreeSet<&str> = d.demands.values().map(|x| x.enterprise.as_str()).collect();
        ui.label(
            RichText::new(format!(
                "{} 家企业 · {} 项需求 · {} 位专家 · {} 个时段 × {} 张桌",
                enterprises.len(),
                d.plan.demands.len(),
                d.plan.experts.len(),
                m.slots,
                m.tables
            ))
            .size(big * 0.45)
            .color(c.weak),
        );
        ui.add_space(big * 0.8);
        ui.label(RichText::new("按 PageDown 或 → 开始").size(big * 0.35).color(c.weak));
    });
}

fn board(
    ui: &mut Ui,
    d: &MeetingDetail,
    (slot, part, parts): (u32, usize, usize),
    live: Option<(u32, u32)>,
    big: f32,
    c: &Colors,
) {
    let m = d.meeting();
    ui.horizontal(|ui| {
        let more = if parts > 1 { format!("（{}/{}）", part + 1, parts) } else { String::new() };
        ui.label(
            RichText::new(format!("第 {} 时段  {}{more}", slot + 1, m.slot_label(slot)))
                .size(big)
                .color(c.text)
                .strong(),
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
    let rows: Vec<(u32, String, String)> =
        board_rows(d, slot).into_iter().skip(part * BOARD_ROWS).take(BOARD_ROWS).collect();
    if rows.is_empty() {
        ui.label(RichText::new("本时段没有安排").size(big * 0.7).color(c.weak));
        return;
    }
    let row_size = ((ui.available_height() / (BOARD_ROWS as f32 + 1.0)) * 0.6).clamp(18.0, big * 0.75);
    egui::Grid::new(("board", slot, part)).spacing([row_size * 0.8, row_size * 0.3]).show(ui, |ui| {
        for (t, en, ex) in rows {
            ui.label(RichText::new(format!("{} 号桌", t + 1)).size(row_size).color(c.accent).strong());
            ui.label(RichText::new(scrub_contacts(&short(&en, 16))).size(row_size).color(c.text));
            ui.label(RichText::new("↔").size(row_size).color(c.line));
            ui.label(RichText::new(scrub_contacts(&ex)).size(row_size).color(c.text));
            ui.end_row();
        }
    });
    if parts > 1 && part + 1 < parts {
        ui.label(RichText::new("后面还有，按 → 继续").size(row_size * 0.7).color(c.weak));
    }
}

fn where_is(ui: &mut Ui, d: &MeetingDetail, (part, parts): (usize, usize), big: f32, c: &Colors) {
    let more = if parts > 1 { format!("（{}/{}）", part + 1, parts) } else { String::new() };
    ui.label(RichText::new(format!("专家在几号桌{more}")).size(big).color(c.text).strong());
    ui.add_space(big * 0.3);
    let size = ((ui.available_height() / (WHERE_ROWS as f32 + 1.0)) * 0.6).clamp(16.0, big * 0.6);
    egui::Grid::new(("where", part)).spacing([size, size * 0.3]).show(ui, |ui| {
        for (name, inst, at) in where_rows(d).into_iter().skip(part * WHERE_ROWS).take(WHERE_ROWS) {
            ui.label(RichText::new(name).size(size * 1.1).color(c.accent).strong());
            ui.label(RichText::new(scrub_contacts(&short(&inst, 14))).size(size).color(c.weak));
            ui.label(RichText::new(at).size(size).color(c.text));
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
