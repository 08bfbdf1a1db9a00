//! The desktop app (eframe/egui, Chinese UI): the shell that owns the [`Engine`] handle, feeds its
//! events into [`AppState::handle`], draws the views, applies what they ask with
//! [`AppState::update`], sends the queued commands and carries out the effects only a shell can
//! (native file dialogs on helper threads, zoom, colours, full screen). No SQL, tantivy or file
//! work happens inside a frame.

pub mod data;
pub mod followup;
pub mod fonts;
pub mod meetings;
pub mod msg;
pub mod msg_followup;
pub mod msg_knowledge;
pub mod records;
pub mod review;
pub mod state;
mod views;

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::domain::Taxonomy;
use crate::engine::Engine;
pub use msg::UiMsg;
pub use state::{AppState, Effect, Tab};

/// UI preferences remembered between runs (data lives only in SQLite).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Prefs {
    pub zoom: f32,
    pub dark: bool,
    pub tab: Tab,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs { zoom: 1.0, dark: false, tab: Tab::Experts }
    }
}

const PREFS_KEY: &str = "bole_prefs";

pub struct BoleApp {
    pub state: AppState,
    engine: Engine,
    picked_tx: Sender<UiMsg>,
    picked_rx: Receiver<UiMsg>,
}

fn visuals(dark: bool) -> egui::Visuals {
    if dark { egui::Visuals::dark() } else { egui::Visuals::light() }
}

impl BoleApp {
    /// Builds the app on a database file; the engine opens it on its own thread.
    pub fn new(cc: &eframe::CreationContext<'_>, db: PathBuf, demo_if_empty: bool) -> Self {
        fonts::install(&cc.egui_ctx);
        let prefs: Prefs = cc.storage.and_then(|s| eframe::get_value(s, PREFS_KEY)).unwrap_or_default();
        cc.egui_ctx.set_zoom_factor(prefs.zoom.clamp(0.5, 3.0));
        cc.egui_ctx.set_visuals(visuals(prefs.dark));
        let ctx = cc.egui_ctx.clone();
        let engine = Engine::start(db, demo_if_empty, move || ctx.request_repaint());
        // Replaced by the engine's (possibly staff-extended) taxonomy when it is ready.
        let mut state = AppState::new(Taxonomy::builtin());
        state.tab = prefs.tab;
        state.dark = prefs.dark;
        state.zoom = prefs.zoom;
        let (picked_tx, picked_rx) = channel();
        BoleApp { state, engine, picked_tx, picked_rx }
    }

    /// Opens a native file dialog on a helper thread; the choice arrives as
    /// [`data::DataMsg::Picked`]. When no dialog can open
    /// (it returns at once, e.g. Linux without a desktop portal), the path box is offered instead.
    fn dialog_or_box(
        &self,
        ctx: &egui::Context,
        open: impl FnOnce() -> Option<PathBuf> + Send + 'static,
        what: data::PathFor,
    ) {
        let tx = self.picked_tx.clone();
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name("bole-file-dialog".into())
            .spawn(move || {
                let started = std::time::Instant::now();
                let msg = match open() {
                    Some(p) => data::DataMsg::Picked(what, p),
                    // A person takes longer than this to cancel a dialog.
                    None if started.elapsed() < std::time::Duration::from_millis(300) => data::DataMsg::NoDialog(what),
                    None => return,
                };
                let _ = tx.send(UiMsg::Data(msg));
                ctx.request_repaint();
            })
            .ok();
    }

    fn effect(&mut self, ctx: &egui::Context, e: Effect) {
        let sheets = || rfd::FileDialog::new().add_filter("电子表格", &["xlsx", "xls", "ods", "csv"]);
        match e {
            Effect::PickImportFile => self.dialog_or_box(ctx, move || sheets().pick_file(), data::PathFor::ImportFile),
            Effect::PickRejectedOut => self.dialog_or_box(
                ctx,
                move || sheets().set_file_name("需修改的行.xlsx").save_file(),
                data::PathFor::RejectedOut,
            ),
            Effect::PickMeetingExport { id, format, contacts, name } => {
                let file = format!("{}对接表.{}", sanitize_file_name(&name), format.extension());
                let open = move || {
                    rfd::FileDialog::new()
                        .add_filter(format.label(), &[format.extension()])
                        .set_file_name(file)
                        .save_file()
                };
                self.dialog_or_box(ctx, open, data::PathFor::MeetingExport { id, format, contacts });
            }
            Effect::PickListExport(kind) => {
                let name = match kind {
                    crate::domain::RecordKind::Expert => "专家人才库.xlsx",
                    crate::domain::RecordKind::Demand => "企业需求清单.xlsx",
                };
                let open = move || {
                    rfd::FileDialog::new()
                        .add_filter("Excel", &["xlsx"])
                        .add_filter("CSV", &["csv"])
                        .set_file_name(name)
                        .save_file()
                };
                let what = data::PathFor::ExportList(kind);
                self.dialog_or_box(ctx, open, what);
            }
            Effect::PickReport => {
                let open = || {
                    rfd::FileDialog::new()
                        .add_filter("PDF", &["pdf"])
                        .add_filter("Excel", &["xlsx"])
                        .set_file_name("工作简报.pdf")
                        .save_file()
                };
                self.dialog_or_box(ctx, open, data::PathFor::Report);
            }
            Effect::PickKnowledgeFolder(what) => {
                self.dialog_or_box(ctx, || rfd::FileDialog::new().pick_folder(), what);
            }
            Effect::CancelImport => self.engine.cancel_import(),
            Effect::ToggleDark => ctx.set_visuals(visuals(self.state.dark)),
            Effect::SetZoom(z) => ctx.set_zoom_factor(z),
            Effect::Fullscreen(on) => ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(on)),
        }
    }
}

/// A meeting name usable as a file name on Windows.
fn sanitize_file_name(name: &str) -> String {
    let s: String = name.chars().map(|c| if "<>:\"/\\|?*".contains(c) || c.is_control() { '_' } else { c }).collect();
    let s = s.trim().trim_end_matches('.').to_string();
    if s.is_empty() { "对接会".into() } else { s }
}

impl eframe::App for BoleApp {
    fn logic(&mut self, _ctx: &egui::Context, _frame: &mut eframe::Frame) {
        for e in self.engine.poll() {
            self.state.handle(e);
        }
        while let Ok(m) = self.picked_rx.try_recv() {
            self.state.update(m);
        }
        self.state.clock = state::Clock::now();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let mut msgs = Vec::new();
        views::root(ui, &self.state, &mut msgs);
        if !msgs.is_empty() {
            // The state changed after this frame was drawn: draw the next one.
            ui.ctx().request_repaint();
        }
        for m in msgs {
            self.state.update(m);
        }
        for e in std::mem::take(&mut self.state.effects) {
            self.effect(ui.ctx(), e);
        }
        for c in self.state.outbox.drain(..) {
            self.engine.send(c);
        }
        self.state.zoom = ui.ctx().zoom_factor();
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        let prefs = Prefs { zoom: self.state.zoom, dark: self.state.dark, tab: self.state.tab };
        eframe::set_value(storage, PREFS_KEY, &prefs);
    }
}

/// The first window size: 1280×800, or `BOLE_WINDOW=1920x1080` (screenshots, a projector's size).
fn window_size() -> [f32; 2] {
    std::env::var("BOLE_WINDOW")
        .ok()
        .and_then(|v| {
            let (w, h) = v.split_once(['x', '×'])?;
            Some([w.trim().parse::<f32>().ok()?, h.trim().parse::<f32>().ok()?])
        })
        .filter(|[w, h]| (900.0..=8000.0).contains(w) && (600.0..=8000.0).contains(h))
        .unwrap_or([1280.0, 800.0])
}

/// Runs the desktop app on `db` (the demo data is loaded when the database is empty).
pub fn run(db: PathBuf) -> Result<(), eframe::Error> {
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")).ok();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("伯乐 · 专家与企业需求对接")
        .with_inner_size(window_size())
        .with_min_inner_size([900.0, 600.0]);
    if let Some(icon) = icon {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions { viewport, persist_window: true, ..Default::default() };
    eframe::run_native("伯乐", options, Box::new(move |cc| Ok(Box::new(BoleApp::new(cc, db, true)))))
}
