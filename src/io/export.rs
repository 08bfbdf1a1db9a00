//! Writing files for people: the rejected rows of an import as an xlsx that staff fix and import
//! again. Files are written to a temporary name next to the target and renamed when complete, so a
//! failure never leaves a half-written file behind.

use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};

use super::import::ImportPlan;
use super::{FileError, Result};

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed to disk,
/// then renamed over the target (and the folder flushed), so a crash leaves either the old file
/// or the new one. Temporary files that an earlier, killed run left for the same target are
/// removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "bole".into());
    remove_stale_temps(dir, &name);
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(source) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(FileError::Write { path: path.to_path_buf(), source });
    }
    // The rename itself is durable once the folder is flushed (not possible on Windows, where
    // the rename is durable by itself).
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// How old another process's temporary file must be before it counts as left behind.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes `.<name>.<pid>.tmp` files in `dir` older than [`STALE_TEMP`] (a run killed between
/// writing and renaming left them).
fn remove_stale_temps(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let prefix = format!(".{name}.");
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = file.strip_prefix(&prefix).and_then(|r| r.strip_suffix(".tmp")) else { continue };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let old = e.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
        if old.is_some_and(|age| age > STALE_TEMP) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The rejected rows with their original header and a last column “拒绝原因”, ready to fix and
/// import again (the extra column is ignored on import).
pub fn rejected_rows_xlsx(plan: &ImportPlan) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("需修改的行")?;
    let head = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_border(FormatBorder::Thin);
    let reason =
        Format::new().set_font_color(Color::RGB(0x9C0006)).set_background_color(Color::RGB(0xFFC7CE)).set_text_wrap();
    let width = plan.headers.len().max(plan.rejected.iter().map(|r| r.cells.len()).max().unwrap_or(0));
    for (c, h) in plan.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &head)?;
        ws.set_column_width(c as u16, 14)?;
    }
    ws.write_string_with_format(0, width as u16, "拒绝原因", &head)?;
    ws.write_string_with_format(0, width as u16 + 1, "原行号", &head)?;
    ws.set_column_width(width as u16, 48)?;
    for (i, r) in plan.rejected.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, v) in r.cells.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(row, c as u16, v)?;
            }
        }
        let why: Vec<String> = r.reasons.iter().map(|x| format!("【{}】{}", x.column, x.message())).collect();
        ws.write_string_with_format(row, width as u16, why.join("\n"), &reason)?;
        ws.write_number(row, width as u16 + 1, r.row as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(wb.save_to_buffer()?)
}

/// Saves the rejected rows of a plan to `path`.
pub fn save_rejected_rows(plan: &ImportPlan, path: &Path) -> Result<()> {
    write_atomic(path, &rejected_rows_xlsx(plan)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_replace_the_target_and_clear_stale_temps() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("对接表.xlsx");
        let stale = dir.path().join(".对接表.xlsx.4242.tmp");
        let fresh = dir.path().join(".对接表.xlsx.4343.tmp");
        for f in [&stale, &fresh] {
            std::fs::write(f, b"half").unwrap();
        }
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options().write(true).open(&stale).unwrap().set_modified(old).unwrap();
        write_atomic(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert!(!stale.exists(), "a killed run's temp file is removed");
        assert!(fresh.exists(), "a temp file another run may still be writing stays");
        let err = write_atomic(&dir.path().join("没有这个目录").join("x.xlsx"), b"x").unwrap_err();
        assert!(matches!(err, FileError::Write { .. }), "{err}");
    }
}
