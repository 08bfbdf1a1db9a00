//! Backups (备份) and restore (恢复): consistent copies of the database (`store::backup`) in a
//! folder the user can point at a USB drive or a network share — one at the first start of each
//! day (kept 7 days), one per ISO week (kept 8 weeks), and one before each import, merge, demo
//! clearing and restore (the last 10 kept). A restore takes a backup first, so it can be undone.

use std::path::{Path, PathBuf};

use super::core::Core;
use super::error::Result;
use crate::store::{self, backup};

/// The kinds of automatic backup, each rotated on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BackupKind {
    /// At the first start of a day.
    Daily,
    /// The first of each ISO week.
    Weekly,
    /// Before an action that changes many rows.
    Before,
    /// Made by hand (`bole backup`, 立即备份): never removed automatically.
    Manual,
}

impl BackupKind {
    fn tag(self) -> &'static str {
        match self {
            BackupKind::Daily => "daily",
            BackupKind::Weekly => "weekly",
            BackupKind::Before => "before",
            BackupKind::Manual => "manual",
        }
    }

    /// How many of this kind are kept (None: all).
    fn keep(self) -> Option<usize> {
        match self {
            BackupKind::Daily => Some(7),
            BackupKind::Weekly => Some(8),
            BackupKind::Before => Some(10),
            BackupKind::Manual => None,
        }
    }

    fn from_tag(t: &str) -> Option<Self> {
        [BackupKind::Daily, BackupKind::Weekly, BackupKind::Before, BackupKind::Manual]
            .into_iter()
            .find(|k| k.tag() == t)
    }
}

/// The action a before-action backup was taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupAction {
    Import,
    Merge,
    ClearDemo,
    Restore,
    Undo,
}

impl BackupAction {
    pub fn tag(self) -> &'static str {
        match self {
            BackupAction::Import => "import",
            BackupAction::Merge => "merge",
            BackupAction::ClearDemo => "demo-clear",
            BackupAction::Restore => "restore",
            BackupAction::Undo => "undo",
        }
    }

    pub fn from_tag(t: &str) -> Option<Self> {
        [BackupAction::Import, BackupAction::Merge, BackupAction::ClearDemo, BackupAction::Restore, BackupAction::Undo]
            .into_iter()
            .find(|a| a.tag() == t)
    }
}

/// One backup file with what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupInfo {
    pub path: PathBuf,
    /// None for a file not named by Bole (restored from elsewhere).
    pub kind: Option<BackupKind>,
    pub action: Option<BackupAction>,
    /// `YYYY-MM-DD HH:MM:SS` from the name, else the file's modification time.
    pub taken_at: String,
    pub bytes: u64,
    pub summary: backup::Summary,
}

const SETTING_DIR: &str = "backup_dir";

impl Core {
    /// The backups folder: the one set in 设置 / `bole backups --dir`, else `backups` next to the
    /// database.
    pub fn backup_dir(&self) -> PathBuf {
        if let Ok(Some(d)) = store::setting(&self.conn, SETTING_DIR)
            && !d.is_empty()
        {
            return PathBuf::from(d);
        }
        let dir = self.db_path().and_then(Path::parent).unwrap_or(Path::new(".")).join("backups");
        std::path::absolute(&dir).unwrap_or(dir)
    }

    /// Points the backups folder elsewhere (a USB drive, a network share); it is created and
    /// checked by writing a backup there at once.
    pub fn set_backup_dir(&mut self, dir: &Path) -> Result<PathBuf> {
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        self.check_output_of(&dir.join("bole-manual.db"), false)?;
        store::set_setting(&self.conn, SETTING_DIR, &dir.to_string_lossy())?;
        self.backup(BackupKind::Manual, None)
    }

    /// Takes a backup of a kind now; old ones of that kind beyond what is kept are removed.
    pub fn backup(&self, kind: BackupKind, action: Option<BackupAction>) -> Result<PathBuf> {
        let now = jiff::Zoned::now();
        let stamp = match kind {
            BackupKind::Daily => now.strftime("%Y%m%d").to_string(),
            BackupKind::Weekly => {
                format!("{}W{:02}", now.date().iso_week_date().year(), now.date().iso_week_date().week())
            }
            // Milliseconds too: two backups within one second keep both, in order.
            BackupKind::Before | BackupKind::Manual => now.strftime("%Y%m%d-%H%M%S-%3f").to_string(),
        };
        let suffix = action.map(|a| format!("-{}", a.tag())).unwrap_or_default();
        let path = self.backup_dir().join(format!("bole-{}-{stamp}{suffix}.db", kind.tag()));
        backup::write_copy(&self.conn, &path)?;
        self.rotate(kind);
        Ok(path)
    }

    /// Writes a backup to a file the user names (`bole backup --out F`).
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        self.check_output_of(out, false)?;
        Ok(backup::write_copy(&self.conn, out)?)
    }

    /// A backup before a large change, when there is anything to lose.
    pub(super) fn backup_before(&self, action: BackupAction) -> Result<()> {
        if self.db_path().is_none() || self.is_empty()? && store::count(&self.conn, store::Table::Demands)? == 0 {
            return Ok(());
        }
        self.backup(BackupKind::Before, Some(action)).map(|_| ())
    }

    /// The daily (and weekly) backup, at the first start of a day with records in the database.
    pub fn daily_backup(&self) -> Result<Option<PathBuf>> {
        if self.db_path().is_none() || self.is_empty()? && store::count(&self.conn, store::Table::Demands)? == 0 {
            return Ok(None);
        }
        let today = jiff::Zoned::now().strftime("%Y%m%d").to_string();
        let have = self.backup_files().iter().any(|(k, p)| {
            *k == BackupKind::Daily && p.file_name().is_some_and(|n| n.to_string_lossy().contains(&today))
        });
        if have {
            return Ok(None);
        }
        let daily = self.backup(BackupKind::Daily, None)?;
        let week = jiff::Zoned::now().date().iso_week_date();
        let tag = format!("{}W{:02}", week.year(), week.week());
        if !self
            .backup_files()
            .iter()
            .any(|(k, p)| *k == BackupKind::Weekly && p.file_name().is_some_and(|n| n.to_string_lossy().contains(&tag)))
        {
            self.backup(BackupKind::Weekly, None)?;
        }
        Ok(Some(daily))
    }

    /// Bole's backup files in the folder, by kind, newest first within a kind.
    fn backup_files(&self) -> Vec<(BackupKind, PathBuf)> {
        let Ok(entries) = std::fs::read_dir(self.backup_dir()) else { return Vec::new() };
        let mut v: Vec<(BackupKind, PathBuf)> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let kind = name.strip_prefix("bole-")?.split('-').next().and_then(BackupKind::from_tag)?;
                name.ends_with(".db").then(|| (kind, e.path()))
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)));
        v
    }

    fn rotate(&self, kind: BackupKind) {
        let Some(keep) = kind.keep() else { return };
        for (_, p) in self.backup_files().into_iter().filter(|(k, _)| *k == kind).skip(keep) {
            let _ = std::fs::remove_file(p);
        }
    }

    /// Every backup in the folder with what it holds, newest first; files that cannot be read
    /// as Bole databases are left out.
    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        let mut v: Vec<BackupInfo> =
            self.backup_files().into_iter().filter_map(|(_, p)| backup_info(&p).ok()).collect();
        v.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then_with(|| a.path.cmp(&b.path)));
        Ok(v)
    }

    /// Replaces the database with a backup (checked first), after backing up the current state.
    /// The index is rebuilt and the model dropped. Returns the backup taken before.
    pub fn restore_backup(&mut self, src: &Path) -> Result<PathBuf> {
        backup_info(src)?;
        let keep_dir = store::setting(&self.conn, SETTING_DIR)?;
        let before = self.backup(BackupKind::Before, Some(BackupAction::Restore))?;
        backup::restore_into(&mut self.conn, src)?;
        // The folder setting belongs to this machine, not to the copy.
        match keep_dir {
            Some(d) => store::set_setting(&self.conn, SETTING_DIR, &d)?,
            None => store::delete_setting(&self.conn, SETTING_DIR)?,
        }
        store::sync_taxonomy(&self.conn, &self.knowledge.taxonomy)?;
        let what = format!("从备份恢复：{}（恢复前的数据在 {}）", src.display(), before.display());
        super::history::record(&self.conn, super::history::Action::RestoreBackup, &what, &[])?;
        self.reindex()?;
        Ok(before)
    }
}

/// A backup file's summary and the time it was taken.
pub fn backup_info(path: &Path) -> Result<BackupInfo> {
    let summary = backup::summary(path)?;
    let meta = std::fs::metadata(path).ok();
    let name = path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let parts: Vec<&str> = name.strip_prefix("bole-").map(|r| r.split('-').collect()).unwrap_or_default();
    let kind = parts.first().and_then(|t| BackupKind::from_tag(t));
    // bole-<kind>-<YYYYMMDD>-<HHMMSS>-<ms>[-<action>].db for the timed kinds.
    let timed = matches!(kind, Some(BackupKind::Before | BackupKind::Manual));
    let action = if timed && parts.len() > 4 { BackupAction::from_tag(&parts[4..].join("-")) } else { None };
    let from_name = timed.then(|| parts.get(1).zip(parts.get(2))).flatten().and_then(|(d, t)| {
        let (d, t) = (d.as_bytes(), t.as_bytes());
        (d.len() == 8 && t.len() == 6 && d.iter().chain(t).all(u8::is_ascii_digit)).then(|| {
            let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            format!("{}-{}-{} {}:{}:{}", s(&d[..4]), s(&d[4..6]), s(&d[6..]), s(&t[..2]), s(&t[2..4]), s(&t[4..]))
        })
    });
    let taken_at = from_name.unwrap_or_else(|| {
        meta.as_ref()
            .and_then(|m| m.modified().ok())
            .and_then(|t| jiff::Timestamp::try_from(t).ok())
            .map(|t| t.to_zoned(jiff::tz::TimeZone::system()).strftime("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default()
    });
    Ok(BackupInfo { path: path.to_path_buf(), kind, action, taken_at, bytes: meta.map_or(0, |m| m.len()), summary })
}
