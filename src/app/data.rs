//! 设置 → 数据安全: the state of the backups list, the restore and demo-clearing confirmations,
//! the change log (操作日志) with undo, a record's history and the path box that stands in for a
//! file dialog that cannot open. Plain data and [`DataMsg`]s, applied by [`AppState::update_data`].

use std::path::PathBuf;

use super::state::{AppState, Effect};
use crate::domain::RecordKind;
use crate::engine::{BackupInfo, Command, DataCommand, LogEntry};
use crate::text;

/// A log action as the view shows it: worded once when it arrives.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub batch: i64,
    pub head: String,
    pub rows: Vec<String>,
    /// More row changes than shown.
    pub more: usize,
    pub undoable: bool,
}

fn lines(entries: Vec<LogEntry>) -> Vec<LogLine> {
    entries
        .into_iter()
        .map(|(b, rows)| LogLine {
            batch: b.id,
            head: text::log_line(&b),
            more: b.rows.saturating_sub(rows.len()),
            rows: rows.iter().map(text::row_change_line).collect(),
            undoable: b.rows > 0 && !b.undone && b.undoes.is_none(),
        })
        .collect()
}

/// What a confirmation modal asks.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    Restore(Box<BackupInfo>),
    ClearDemo,
    Undo(i64, String),
}

/// Where a path typed in the path box goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathFor {
    ImportFile,
    RejectedOut,
    ExportList(RecordKind),
    MeetingExport {
        id: i64,
        format: crate::engine::SheetFormat,
        contacts: bool,
    },
    BackupDir,
    RestoreFrom,
    /// The work report of 统计.
    Report,
    /// A folder to write the knowledge files into, or to read them from.
    KnowledgeExport,
    KnowledgeImport,
}

#[derive(Debug, Clone, Default)]
pub struct DataView {
    pub backup_dir: String,
    pub backups: Vec<BackupInfo>,
    pub log: Vec<LogLine>,
    pub log_filter: String,
    pub confirm: Option<Confirm>,
    /// The path box: what it is for, the text typed, and why it is shown.
    pub path_box: Option<(PathFor, String, String)>,
    /// The record whose history is shown, and the history.
    pub history: Option<(RecordKind, i64, Vec<LogLine>)>,
    pub loaded: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DataMsg {
    /// The settings tab opened: load backups and the log.
    Load,
    BackupNow,
    AskRestore(Box<BackupInfo>),
    AskClearDemo,
    AskUndo(i64, String),
    Confirmed,
    Cancel,
    LogFilter(String),
    /// Ask where to export a list (a save dialog, or the path box when there is none).
    PickExport(RecordKind),
    /// Open the path box.
    PathBox(PathFor, String),
    PathText(String),
    PathOk,
    /// A path chosen (dialog or path box).
    Picked(PathFor, PathBuf),
    /// The native dialog could not open: show the path box instead.
    NoDialog(PathFor),
}

impl AppState {
    pub(super) fn update_data(&mut self, msg: DataMsg) {
        let send = |st: &mut AppState, c: DataCommand| st.send(Command::Data(c));
        match msg {
            DataMsg::Load => {
                send(self, DataCommand::ListBackups);
                send(self, DataCommand::LoadLog);
                self.data.loaded = true;
            }
            DataMsg::BackupNow => send(self, DataCommand::BackupNow),
            DataMsg::AskRestore(b) => self.data.confirm = Some(Confirm::Restore(b)),
            DataMsg::AskClearDemo => self.data.confirm = Some(Confirm::ClearDemo),
            DataMsg::AskUndo(id, what) => self.data.confirm = Some(Confirm::Undo(id, what)),
            DataMsg::Cancel => {
                self.data.confirm = None;
                self.data.path_box = None;
            }
            DataMsg::Confirmed => match self.data.confirm.take() {
                Some(Confirm::Restore(b)) => send(self, DataCommand::Restore(b.path)),
                Some(Confirm::ClearDemo) => send(self, DataCommand::ClearDemo),
                Some(Confirm::Undo(id, _)) => send(self, DataCommand::Undo(Some(id))),
                None => {}
            },
            DataMsg::LogFilter(f) => self.data.log_filter = f,
            DataMsg::PickExport(kind) => self.effects.push(Effect::PickListExport(kind)),
            DataMsg::PathBox(what, why) => self.data.path_box = Some((what, String::new(), why)),
            DataMsg::PathText(t) => {
                if let Some(b) = &mut self.data.path_box {
                    b.1 = t;
                }
            }
            DataMsg::PathOk => {
                if let Some((what, text, _)) = self.data.path_box.take() {
                    let t = text.trim().trim_matches('"');
                    if !t.is_empty() {
                        self.update_data(DataMsg::Picked(what, PathBuf::from(t)));
                    }
                }
            }
            DataMsg::NoDialog(what) => {
                let why = "无法打开系统的文件选择窗口，请直接输入完整路径（可从资源管理器地址栏复制）".to_string();
                self.data.path_box = Some((what, String::new(), why));
            }
            DataMsg::Picked(what, path) => match what {
                PathFor::ImportFile => self.update(super::UiMsg::PickedImportFile(path)),
                PathFor::RejectedOut => self.update(super::UiMsg::PickedRejectedOut(path)),
                PathFor::ExportList(kind) => {
                    let mut path = path;
                    if path.extension().is_none() {
                        path.set_extension("xlsx");
                    }
                    send(self, DataCommand::ExportList { kind, path });
                }
                PathFor::MeetingExport { id, format, contacts } => {
                    let mut path = path;
                    if path.extension().is_none() {
                        path.set_extension(format.extension());
                    }
                    self.send(Command::Meeting(crate::engine::MeetingCommand::Export { id, format, contacts, path }));
                }
                PathFor::BackupDir => send(self, DataCommand::SetBackupDir(path)),
                PathFor::RestoreFrom => send(self, DataCommand::Preview(path)),
                PathFor::Report => self.update_followup(super::msg_followup::FollowupMsg::ReportPicked(path)),
                PathFor::KnowledgeExport | PathFor::KnowledgeImport => {
                    self.update_knowledge(super::msg_knowledge::KnowledgeMsg::Picked(what, path));
                }
            },
        }
    }

    pub(super) fn handle_preview(&mut self, info: BackupInfo) {
        self.data.confirm = Some(Confirm::Restore(Box::new(info)));
    }

    pub(super) fn handle_backups(&mut self, dir: PathBuf, list: Vec<BackupInfo>) {
        self.data.backup_dir = dir.display().to_string();
        self.data.backups = list;
    }

    pub(super) fn handle_log(&mut self, entries: Vec<LogEntry>) {
        self.data.log = lines(entries);
    }

    pub(super) fn handle_history(&mut self, kind: RecordKind, id: i64, entries: Vec<LogEntry>) {
        self.data.history = Some((kind, id, lines(entries)));
    }
}
