//! The edit form: one window for experts, demands and enterprises, laid out from the kind's
//! field spec; saving checks the record rules first.

use egui::{RichText, Ui};

use super::widgets::{ERROR, coop_picker, subfield_picker, text_field};
use crate::app::msg::UiMsg;
use crate::app::records::{DEMAND_FORM, Draft, ENTERPRISE_FORM, EXPERT_FORM, FieldSpec, FormEdit, Input};
use crate::app::state::AppState;
use crate::domain::{DemandStatus, Taxonomy, Urgency};

/// The inputs of one record, from its spec.
fn inputs<R>(
    ui: &mut Ui,
    spec: &[FieldSpec<R>],
    record: &R,
    tax: &Taxonomy,
    widget: &mut dyn FnMut(&mut Ui, Input, &str, &Taxonomy) -> Option<FormEdit>,
    out: &mut Vec<UiMsg>,
) {
    for (i, f) in spec.iter().enumerate() {
        let edit = match f.input {
            Input::Line | Input::Text => {
                text_field(ui, f.label, &(f.get)(record), f.input == Input::Text).map(|v| FormEdit::Text(i, v))
            }
            other => widget(ui, other, f.label, tax),
        };
        if let Some(e) = edit {
            out.push(UiMsg::Form(e));
        }
    }
}

fn urgency_picker(ui: &mut Ui, label: &str, current: Option<Urgency>) -> Option<FormEdit> {
    let l = ui.label(label);
    let mut chosen = current;
    egui::ComboBox::from_id_salt("urgency")
        .selected_text(current.map(Urgency::label).unwrap_or("未填"))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, "未填");
            for u in [Urgency::High, Urgency::Medium, Urgency::Low] {
                ui.selectable_value(&mut chosen, Some(u), u.label());
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
    (chosen != current).then_some(FormEdit::Urgency(chosen))
}

fn status_picker(ui: &mut Ui, label: &str, current: DemandStatus) -> Option<FormEdit> {
    let l = ui.label(label);
    let mut chosen = current;
    egui::ComboBox::from_id_salt("status")
        .selected_text(current.label())
        .show_ui(ui, |ui| {
            for s in DemandStatus::ALL {
                ui.selectable_value(&mut chosen, s, s.label());
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
    (chosen != current).then_some(FormEdit::Status(chosen))
}

fn fields(ui: &mut Ui, draft: &Draft, tax: &Taxonomy, out: &mut Vec<UiMsg>) {
    match draft {
        Draft::Expert(e) => {
            let mut widget = |ui: &mut Ui, input, label: &str, tax: &Taxonomy| match input {
                Input::Subfields => subfield_picker(ui, tax, &e.subfields).map(FormEdit::Subfields),
                Input::Coop => coop_picker(ui, label, &e.coop_modes).map(FormEdit::Coop),
                _ => None,
            };
            inputs(ui, EXPERT_FORM, e.as_ref(), tax, &mut widget, out);
        }
        Draft::Demand(d) => {
            let mut widget = |ui: &mut Ui, input, label: &str, tax: &Taxonomy| match input {
                Input::Subfields => subfield_picker(ui, tax, &d.subfields).map(FormEdit::Subfields),
                Input::Coop => coop_picker(ui, label, &d.coop_modes).map(FormEdit::Coop),
                Input::Urgency => urgency_picker(ui, label, d.urgency),
                Input::Status => status_picker(ui, label, d.status),
                _ => None,
            };
            inputs(ui, DEMAND_FORM, d.as_ref(), tax, &mut widget, out);
        }
        Draft::Enterprise(en) => {
            inputs(ui, ENTERPRISE_FORM, en.as_ref(), tax, &mut |_, _, _, _| None, out);
        }
    }
}

pub fn form_window(ctx: &egui::Context, st: &AppState, out: &mut Vec<UiMsg>) {
    let Some(form) = &st.form else { return };
    let mut open = true;
    let screen = ctx.content_rect();
    // Anchored below the tab bar; the error shows above the fields and the fields scroll in what
    // is left, so 保存/取消 stay on screen at 1280×720 and up, however long the error.
    egui::Window::new(form.title())
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(620.0_f32.min(screen.width() - 40.0))
        .anchor(egui::Align2::CENTER_TOP, [0.0, 48.0])
        .show(ctx, |ui| {
            if let Some(err) = &form.error {
                ui.add(egui::Label::new(RichText::new(err).color(ERROR)).wrap());
                ui.separator();
            }
            let max_h = (screen.bottom() - ui.cursor().top() - 72.0).max(120.0);
            egui::ScrollArea::vertical().max_height(max_h).show(ui, |ui| {
                egui::Grid::new("form_grid")
                    .num_columns(2)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| fields(ui, &form.draft, &st.taxonomy, out));
            });
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(RichText::new("保存").strong()).clicked() {
                    out.push(UiMsg::SaveForm);
                }
                if ui.button("取消").clicked() {
                    out.push(UiMsg::CloseForm);
                }
            });
        });
    if !open {
        out.push(UiMsg::CloseForm);
    }
}
