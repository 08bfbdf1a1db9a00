//! The desktop app (eframe/egui, Chinese UI): the shell that owns the [`Engine`] handle, feeds its
//! events into [`state::AppState`] and sends the commands the views push. No SQL, tantivy or file
//! work happens inside a frame — the file dialogs run on their own threads.

pub mod fonts;
mod meeting_views;
pub mod meetings;
pub mod state;
mod views;

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::domain::Knowledge;
use crate::engine::Engine;
use crate::io::sheets::SheetFormat;
pub use state::{AppState, Tab};

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

/// A file chosen in a native dialog (dialogs run on a helper thread).
pub enum Picked {
    ImportFile(PathBuf),
    RejectedOut(PathBuf),
    MeetingExport { path: PathBuf, id: i64, format: SheetFormat, contacts: bool },
}

pub struct BoleApp {
    pub state: AppState,
    engine: Engine,
    prefs: Prefs,
    picked_tx: Sender<Picked>,
    picked_rx: Receiver<Picked>,
}

impl BoleApp {
    /// Builds the app on a database file; the engine opens it on its own thread.
    pub fn new(cc: &eframe::CreationContext<'_>, db: PathBuf, demo_if_empty: bool) -> Self {
        fonts::install(&cc.egui_ctx);
        let prefs: Prefs = cc.storage.and_then(|s| eframe::get_value(s, PREFS_KEY)).unwrap_or_default();
        cc.egui_ctx.set_zoom_factor(prefs.zoom.clamp(0.5, 3.0));
        cc.egui_ctx.set_visuals(if prefs.dark { egui::Visuals::dark() } else { egui::Visuals::light() });
        let ctx = cc.egui_ctx.clone();
        let engine = Engine::start(db, demo_if_empty, move || ctx.request_repaint());
        // Replaced by the engine's (possibly staff-extended) taxonomy when it is ready.
        let mut state = AppState::new(Knowledge::builtin().taxonomy);
        state.tab = prefs.tab;
        let (picked_tx, picked_rx) = channel();
        BoleApp { state, engine, prefs, picked_tx, picked_rx }
    }

    /// Opens a native file dialog on a helper thread; the choice arrives as a [`Picked`].
    fn pick(&self, ctx: &egui::Context, save: bool, make: fn(PathBuf) -> Picked) {
        let tx = self.picked_tx.clone();
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name("bole-file-dialog".into())
            .spawn(move || {
                let dialog = rfd::FileDialog::new().add_filter("电子表格", &["xlsx", "xls", "ods", "csv"]);
                let chosen =
                    if save { dialog.set_file_name("需修改的行.xlsx").save_file() } else { dialog.pick_file() };
                if let Some(p) = chosen {
                    let _ = tx.send(make(p));
                    ctx.request_repaint();
                }
            })
            .ok();
    }
}

impl BoleApp {
    /// Asks where to save a meeting's sheets (on a helper thread), then exports.
    fn pick_export(&self, ctx: &egui::Context, id: i64, format: SheetFormat, contacts: bool, name: &str) {
        let tx = self.picked_tx.clone();
        let ctx = ctx.clone();
        let file = format!("{}对接表.{}", sanitize_file_name(name), format.extension());
        std::thread::Builder::new()
            .name("bole-file-dialog".into())
            .spawn(move || {
                let chosen = rfd::FileDialog::new()
                    .add_filter(format.label(), &[format.extension()])
                    .set_file_name(file)
                    .save_file();
                if let Some(mut path) = chosen {
                    if path.extension().is_none() {
                        path.set_extension(format.extension());
                    }
                    let _ = tx.send(Picked::MeetingExport { path, id, format, contacts });
                    ctx.request_repaint();
                }
            })
            .ok();
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
        while let Ok(p) = self.picked_rx.try_recv() {
            match p {
                Picked::ImportFile(path) => {
                    if let Some(w) = &mut self.state.import {
                        w.path = path.display().to_string();
                        w.plan = None;
                        w.done = None;
                    }
                }
                Picked::MeetingExport { path, id, format, contacts } => {
                    self.state.send(crate::engine::Command::Meeting(crate::engine::MeetingCommand::Export {
                        id,
                        format,
                        contacts,
                        path,
                    }));
                }
                Picked::RejectedOut(path) => {
                    if let Some(plan) = self.state.import.as_ref().and_then(|w| w.plan.clone()) {
                        self.state.send(crate::engine::Command::SaveRejected { plan, path });
                    }
                }
            }
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let actions = views::root(ui, &mut self.state);
        for a in actions {
            match a {
                views::Action::PickImportFile => self.pick(ui.ctx(), false, Picked::ImportFile),
                views::Action::PickRejectedOut => self.pick(ui.ctx(), true, Picked::RejectedOut),
                views::Action::CancelImport => self.engine.cancel_import(),
                views::Action::PickMeetingExport { id, format, contacts, name } => {
                    self.pick_export(ui.ctx(), id, format, contacts, &name)
                }
                views::Action::ToggleDark => {
                    self.prefs.dark = !self.prefs.dark;
                    ui.ctx().set_visuals(if self.prefs.dark { egui::Visuals::dark() } else { egui::Visuals::light() });
                }
            }
        }
        for c in self.state.outbox.drain(..) {
            self.engine.send(c);
        }
        self.prefs.zoom = ui.ctx().zoom_factor();
        self.prefs.tab = self.state.tab;
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }
}

/// Runs the desktop app on `db` (the demo data is loaded when the database is empty).
pub fn run(db: PathBuf) -> Result<(), String> {
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")).ok();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("伯乐 · 专家与企业需求对接")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([900.0, 600.0]);
    if let Some(icon) = icon {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions { viewport, persist_window: true, ..Default::default() };
    eframe::run_native("伯乐", options, Box::new(move |cc| Ok(Box::new(BoleApp::new(cc, db, true)))))
        .map_err(|e| format!("无法启动图形界面：{e}。如果这台电脑的显卡驱动太旧，请更新显卡驱动后重试。"))
}
