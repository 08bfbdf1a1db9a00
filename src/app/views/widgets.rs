//! Small widgets the panels share: labelled text inputs that report a changed value, the
//! subfield picker, the cooperation-mode checkboxes, sortable column headers, reason chips and
//! (label, value) grids. Every input has an accessible label.

use egui::{Color32, RichText, Ui};

use crate::domain::{COOP_MODES, Taxonomy};
use crate::engine::Reason;

pub const ERROR: Color32 = Color32::from_rgb(200, 30, 30);
pub const WARN: Color32 = Color32::from_rgb(190, 100, 0);
pub const OK: Color32 = Color32::from_rgb(20, 130, 60);

/// A labelled text input in a two-column grid; returns the new text when it changed.
pub fn text_field(ui: &mut Ui, label: &str, value: &str, multiline: bool) -> Option<String> {
    let l = ui.label(label);
    let mut text = value.to_owned();
    let edit = if multiline {
        egui::TextEdit::multiline(&mut text).desired_rows(3).desired_width(f32::INFINITY)
    } else {
        egui::TextEdit::singleline(&mut text).desired_width(f32::INFINITY)
    };
    let changed = ui.add(edit).labelled_by(l.id).changed();
    ui.end_row();
    changed.then_some(text)
}

/// A grid row: label, then a single-line input with a hint shown while it is empty.
pub fn hinted_field(ui: &mut Ui, label: &str, value: &str, hint: &str) -> Option<String> {
    let l = ui.label(label);
    let mut text = value.to_owned();
    let edit = egui::TextEdit::singleline(&mut text).hint_text(hint).desired_width(f32::INFINITY);
    let changed = ui.add(edit).labelled_by(l.id).changed();
    ui.end_row();
    changed.then_some(text)
}

/// A single-line input after a label on the same row; returns the new text when it changed,
/// and the response (for focus).
pub fn line_input(ui: &mut Ui, label: &str, value: &str, hint: &str, width: f32) -> (Option<String>, egui::Response) {
    let l = ui.label(label);
    let mut text = value.to_owned();
    let resp = ui.add(egui::TextEdit::singleline(&mut text).hint_text(hint).desired_width(width)).labelled_by(l.id);
    (resp.changed().then_some(text), resp)
}

/// The subfield picker (a collapsible list of checkboxes by field); returns the new codes when
/// they changed.
pub fn subfield_picker(ui: &mut Ui, tax: &Taxonomy, codes: &[String]) -> Option<Vec<String>> {
    let l = ui.label("细分领域");
    let summary = if codes.is_empty() { "（未选择）".to_string() } else { tax.names(codes) };
    let mut out = None;
    egui::CollapsingHeader::new(summary)
        .id_salt("subfield_picker")
        .show(ui, |ui| {
            egui::ScrollArea::vertical().max_height(220.0).show(ui, |ui| {
                for f in tax.fields() {
                    ui.label(RichText::new(&f.name).strong());
                    ui.horizontal_wrapped(|ui| {
                        for c in tax.children(&f.code) {
                            let mut on = codes.contains(&c.code);
                            if ui.checkbox(&mut on, &c.name).changed() {
                                let mut next = codes.to_vec();
                                if on {
                                    next.push(c.code.clone());
                                } else {
                                    next.retain(|x| x != &c.code);
                                }
                                next.sort();
                                out = Some(next);
                            }
                        }
                    });
                }
            });
        })
        .header_response
        .labelled_by(l.id);
    ui.end_row();
    out
}

/// The cooperation-mode checkboxes; returns the new modes when they changed.
pub fn coop_picker(ui: &mut Ui, label: &str, modes: &[String]) -> Option<Vec<String>> {
    ui.label(label);
    let mut out = None;
    ui.horizontal_wrapped(|ui| {
        for m in COOP_MODES {
            let mut on = modes.iter().any(|x| x == m);
            if ui.checkbox(&mut on, m).changed() {
                let mut next = modes.to_vec();
                if on {
                    next.push(m.to_string());
                } else {
                    next.retain(|x| x != m);
                }
                out = Some(next);
            }
        }
    });
    ui.end_row();
    out
}

/// A column header that sorts; true when clicked.
pub fn header_button(ui: &mut Ui, title: &str, arrow: Option<bool>) -> bool {
    let arrow = match arrow {
        Some(true) => " ▲",
        Some(false) => " ▼",
        None => "",
    };
    ui.add(egui::Button::new(RichText::new(format!("{title}{arrow}")).strong()).frame(false))
        .on_hover_text("点击排序")
        .clicked()
}

/// Rows of (label, value) in a striped grid; empty values are left out.
pub fn field_grid(ui: &mut Ui, id: &str, rows: &[(&'static str, String)]) {
    egui::Grid::new(id).num_columns(2).striped(true).spacing([12.0, 6.0]).show(ui, |ui| {
        for (label, value) in rows {
            if value.trim().is_empty() {
                continue;
            }
            ui.label(RichText::new(*label).weak());
            ui.add(egui::Label::new(value).wrap());
            ui.end_row();
        }
    });
}

/// A reason as a coloured chip; the evidence sentence wraps across the full width.
pub fn reason_chip(ui: &mut Ui, r: &Reason) {
    let (fill, text) = match r {
        Reason::Terms { .. } => (Color32::from_rgb(222, 235, 255), Color32::from_rgb(20, 60, 130)),
        Reason::Synonym { .. } => (Color32::from_rgb(230, 225, 250), Color32::from_rgb(70, 40, 140)),
        Reason::Subfield { .. } => (Color32::from_rgb(220, 245, 230), Color32::from_rgb(20, 100, 50)),
        Reason::ProblemLink { .. } => (Color32::from_rgb(255, 236, 210), Color32::from_rgb(140, 70, 0)),
        Reason::Keyword { .. } => (Color32::from_rgb(240, 240, 240), Color32::from_rgb(60, 60, 60)),
        Reason::Coop { .. } => (Color32::from_rgb(235, 245, 250), Color32::from_rgb(30, 90, 110)),
        Reason::History { .. } => (Color32::from_rgb(250, 240, 250), Color32::from_rgb(110, 30, 100)),
        Reason::Hint { .. } => (Color32::from_rgb(255, 243, 205), Color32::from_rgb(130, 80, 0)),
        Reason::Evidence { .. } => (Color32::TRANSPARENT, ui.visuals().weak_text_color()),
    };
    // Chips keep their text on one line and start a new row when the rest of this one is too
    // short (a frame does not wrap by itself); a chip longer than a whole row, and the evidence
    // sentence, wrap across the full width instead.
    let label = RichText::new(r.text()).color(text);
    let chip = |ui: &mut Ui| {
        let one_line = egui::WidgetText::from(label.clone()).into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        );
        one_line.size().x + 12.0
    };
    let row = ui.max_rect().width();
    let width = chip(ui);
    let long = matches!(r, Reason::Evidence { .. }) || width > row;
    // (In a wrapping row `available_width` is the whole row; what is left is measured from the cursor.)
    let left = ui.max_rect().right() - ui.cursor().min.x;
    if !long && width > left && left < row {
        ui.end_row();
    }
    let mode = if long { egui::TextWrapMode::Wrap } else { egui::TextWrapMode::Extend };
    egui::Frame::new().fill(fill).corner_radius(6.0).inner_margin(egui::Margin::symmetric(6, 2)).show(ui, |ui| {
        ui.add(egui::Label::new(label).wrap_mode(mode));
    });
}
