//! The 归类审核 window: one record at a time with the classifier's suggestions (confidence and
//! the words that led to them); Enter/1–3 accept, → skips, ← goes back; a subfield can be chosen
//! instead; everything above a confidence can be accepted at once.

use egui::{Key, RichText, Ui};

use crate::app::msg::UiMsg;
use crate::app::review::ReviewMsg;
use crate::app::state::AppState;
use crate::domain::RecordKind;

fn msg(m: ReviewMsg) -> UiMsg {
    UiMsg::Review(m)
}

/// Keys, read only when no text field has the focus.
fn keys(ui: &Ui, out: &mut Vec<UiMsg>) {
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    ui.ctx().input(|i| {
        if i.key_pressed(Key::Enter) || i.key_pressed(Key::Num1) {
            out.push(msg(ReviewMsg::Accept(0)));
        }
        if i.key_pressed(Key::Num2) {
            out.push(msg(ReviewMsg::Accept(1)));
        }
        if i.key_pressed(Key::Num3) {
            out.push(msg(ReviewMsg::Accept(2)));
        }
        if i.key_pressed(Key::ArrowRight) || i.key_pressed(Key::S) {
            out.push(msg(ReviewMsg::Skip));
        }
        if i.key_pressed(Key::ArrowLeft) {
            out.push(msg(ReviewMsg::Back));
        }
        if i.key_pressed(Key::Escape) {
            out.push(msg(ReviewMsg::Close));
        }
    });
}

pub fn review_window(ctx: &egui::Context, st: &AppState, out: &mut Vec<UiMsg>) {
    let r = &st.review;
    if !r.open {
        return;
    }
    let what = if r.kind == RecordKind::Expert { "专家" } else { "需求" };
    let mut open = true;
    egui::Window::new(format!("归类审核 · {what}"))
        .open(&mut open)
        .collapsible(false)
        .default_width(640.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
        .show(ctx, |ui| {
            keys(ui, out);
            if !r.loaded {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("正在为未分类的记录计算建议…");
                });
                return;
            }
            ui.label(
                RichText::new(format!(
                    "待确认 {} 条（本次已确认 {}）· Enter/1 接受首选，2/3 接受其他建议，→ 跳过，← 上一条，Esc 关闭",
                    r.queue.len(),
                    r.done
                ))
                .weak(),
            );
            bulk(ui, st, out);
            ui.separator();
            match r.current() {
                Some(c) => current(ui, st, c, out),
                None if r.queue.is_empty() => {
                    ui.label("没有待确认的记录：每条都已有细分领域。");
                }
                None => {
                    ui.label("已看完队列末尾。按 ← 返回，或关闭。");
                }
            }
        });
    if !open {
        out.push(msg(ReviewMsg::Close));
    }
}

fn bulk(ui: &mut Ui, st: &AppState, out: &mut Vec<UiMsg>) {
    let r = &st.review;
    ui.horizontal(|ui| {
        let label = ui.label("批量接受首选置信度 ≥");
        let mut t = r.threshold;
        if ui.add(egui::Slider::new(&mut t, 0.3..=1.0).step_by(0.05)).labelled_by(label.id).changed() {
            out.push(msg(ReviewMsg::Threshold(t)));
        }
        let n = r.above();
        if ui.add_enabled(n > 0, egui::Button::new(format!("接受这 {n} 条"))).clicked() {
            out.push(msg(ReviewMsg::AcceptAbove));
        }
    });
}

fn current(ui: &mut Ui, st: &AppState, c: &crate::engine::Classified, out: &mut Vec<UiMsg>) {
    let r = &st.review;
    let (title, sub) = match r.kind {
        RecordKind::Expert => st
            .lists
            .experts
            .iter()
            .find(|e| e.id == c.row)
            .map(|e| (format!("{} {}", e.ext_id, e.name), format!("{} · {}", e.institution, e.title)))
            .unwrap_or_default(),
        RecordKind::Demand => st
            .lists
            .demands
            .iter()
            .find(|d| d.id == c.row)
            .map(|d| (format!("{} {}", d.ext_id, d.title), d.enterprise.clone()))
            .unwrap_or_default(),
    };
    ui.heading(title);
    ui.label(RichText::new(sub).weak());
    ui.label(RichText::new(format!("第 {} / {} 条", r.pos + 1, r.queue.len())).weak());
    ui.add_space(6.0);
    if c.suggestions.is_empty() {
        ui.label("系统没有把握给出建议：请在下方选择细分领域，或跳过。");
    }
    for (i, s) in c.suggestions.iter().take(3).enumerate() {
        ui.horizontal_wrapped(|ui| {
            if ui.button(format!("{} 接受：{}", i + 1, s.name)).clicked() {
                out.push(msg(ReviewMsg::Accept(i)));
            }
            ui.label(format!("置信度 {:.0}%", s.confidence * 100.0));
            if !s.evidence.is_empty() {
                ui.label(RichText::new(format!("依据：{}", s.evidence.join("、"))).weak());
            }
        });
    }
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let label = ui.label("更改为");
        let chosen = r.change.as_deref().and_then(|code| st.taxonomy.name(code)).unwrap_or("选择细分领域");
        egui::ComboBox::from_id_salt("review_change")
            .selected_text(chosen)
            .show_ui(ui, |ui| {
                for field in st.taxonomy.fields() {
                    ui.label(RichText::new(&field.name).strong());
                    for child in st.taxonomy.children(&field.code) {
                        if ui
                            .selectable_label(
                                r.change.as_deref() == Some(child.code.as_str()),
                                format!("  {}", child.name),
                            )
                            .clicked()
                        {
                            out.push(msg(ReviewMsg::Change(Some(child.code.clone()))));
                        }
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if ui.add_enabled(r.change.is_some(), egui::Button::new("确认")).clicked() {
            out.push(msg(ReviewMsg::AcceptChange));
        }
        if ui.button("跳过 →").clicked() {
            out.push(msg(ReviewMsg::Skip));
        }
    });
}
