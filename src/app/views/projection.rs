//! The projection mode (投屏模式): large type, high contrast, one board per time slot with a
//! countdown, one page per demand; PageDown/PageUp/arrows/space turn pages, Home returns to the
//! slot running now, End goes to the last page, T changes colours, F11 full screen, Esc leaves.
//! The projector never shows phone numbers or e-mail addresses.

use egui::{Color32, Key, RichText, Ui};

use crate::app::meetings::{MeetingMsg, Page, ProjectorKey, Theme, live_slot, pages};
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
            Some(Page::Board(s)) => board(ui, d, *s, live, big, &c),
            Some(Page::Demand(id)) => demand_page(ui, d, *id, big, &c),
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
