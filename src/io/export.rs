//! Writing files for people: the rejected rows of an import as an xlsx that staff fix and import
//! again. Files are written to a temporary name next to the target and renamed when complete, so a
//! failure never leaves a half-written file behind.

use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};

use super::import::ImportPlan;
use super::{FileError, Result};

/// Writes `bytes` to `path` atomically (temp file in the same folder, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "bole".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(source) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(FileError::Write { path: path.to_path_buf(), source });
    }
    Ok(())
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
