//! Reading a spreadsheet file — `.xlsx`, `.xls`, `.ods` (calamine) or `.csv` (UTF-8 with or without
//! BOM, UTF-16, GBK/GB18030) — into plain grids of text cells, one per sheet. Merged cells are
//! filled with their top-left value, numbers stored as numbers come back without a trailing `.0`,
//! and dates as `YYYY-MM-DD`.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Sheets};

use super::{FileError, Result};

/// One sheet as text cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub sheet: String,
    /// Row-major cells; rows may have different lengths.
    pub rows: Vec<Vec<String>>,
    /// The spreadsheet row number (1-based) of `rows[0]`.
    pub first_row: usize,
}

impl Table {
    /// The row number a user sees in Excel for `rows[i]`.
    pub fn row_number(&self, i: usize) -> usize {
        self.first_row + i
    }
}

/// Reads every sheet of a file.
pub fn read_path(path: &Path) -> Result<Vec<Table>> {
    let bytes = std::fs::read(path).map_err(|source| FileError::Read { path: path.to_path_buf(), source })?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    read_bytes(&bytes, &name)
}

/// Reads a file's bytes; `name` (the file name) decides the format by its extension.
pub fn read_bytes(bytes: &[u8], name: &str) -> Result<Vec<Table>> {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" | "tsv" => {
            Ok(vec![Table { sheet: String::new(), rows: parse_csv(&decode_text(bytes)?), first_row: 1 }])
        }
        "xlsx" | "xlsm" | "xls" | "ods" | "xlsb" => read_workbook(bytes, name),
        _ => Err(FileError::Unsupported { name: name.to_string() }),
    }
}

fn read_workbook(bytes: &[u8], name: &str) -> Result<Vec<Table>> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|_| FileError::Damaged { name: name.to_string() })?;
    let mut tables = Vec::new();
    for sheet in wb.sheet_names() {
        let range = match wb.worksheet_range(&sheet) {
            Ok(r) => r,
            Err(e) => {
                return Err(FileError::Sheet { name: name.to_string(), sheet: sheet.clone(), detail: e.to_string() });
            }
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
        for m in merged_regions(&mut wb, &sheet) {
            fill_merged(&mut rows, (r0, c0), m);
        }
        while rows.last().is_some_and(|r| r.iter().all(String::is_empty)) {
            rows.pop();
        }
        tables.push(Table { sheet, rows, first_row: r0 as usize + 1 });
    }
    Ok(tables)
}

/// Merged regions as ((first row, first col), (last row, last col)), 0-based sheet coordinates.
fn merged_regions(wb: &mut Sheets<Cursor<&[u8]>>, sheet: &str) -> Vec<((u32, u32), (u32, u32))> {
    match wb {
        Sheets::Xlsx(x) => {
            x.merge_cells_by_sheet_name(sheet).unwrap_or_default().iter().map(|d| (d.start, d.end)).collect()
        }
        Sheets::Xls(x) => {
            x.merge_cells_by_sheet_name(sheet).unwrap_or_default().iter().map(|d| (d.start, d.end)).collect()
        }
        _ => Vec::new(),
    }
}

fn fill_merged(rows: &mut [Vec<String>], origin: (u32, u32), (start, end): ((u32, u32), (u32, u32))) {
    let (Some(r_start), Some(c_start)) = (start.0.checked_sub(origin.0), start.1.checked_sub(origin.1)) else {
        return;
    };
    let (r_start, c_start) = (r_start as usize, c_start as usize);
    let value = match rows.get(r_start).and_then(|r| r.get(c_start)) {
        Some(v) if !v.is_empty() => v.clone(),
        _ => return,
    };
    let r_end = (end.0.saturating_sub(origin.0) as usize).min(rows.len().saturating_sub(1));
    let c_end = end.1.saturating_sub(origin.1) as usize;
    for row in rows.iter_mut().take(r_end + 1).skip(r_start) {
        if row.len() <= c_end {
            row.resize(c_end + 1, String::new());
        }
        for cell in row.iter_mut().take(c_end + 1).skip(c_start) {
            if cell.is_empty() {
                *cell = value.clone();
            }
        }
    }
}

/// A cell as the text a person reads in Excel.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                number_text(dt.as_f64())
            } else {
                let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
                if (hh, mm, ss) == (0, 0, 0) {
                    format!("{y:04}-{m:02}-{d:02}")
                } else {
                    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}")
                }
            }
        }
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

/// 13800000000.0 → "13800000000"; 1.5 → "1.5".
pub use crate::util::number_text;

/// Decodes CSV bytes: UTF-8 (BOM or not), UTF-16 with BOM, else GBK/GB18030 (older office systems).
pub fn decode_text(bytes: &[u8]) -> Result<String> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(FileError::BadBom { bom: enc.name() });
        }
        return Ok(text.into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(FileError::Encoding);
    }
    Ok(text.into_owned())
}

/// RFC 4180 CSV with quoted fields (which may hold separators, quotes and newlines). The separator
/// is the one of `,` `;` tab that occurs most in the first line.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let first_line = text.lines().next().unwrap_or("");
    let sep = [',', '\t', ';', '，']
        .into_iter()
        .max_by_key(|c| first_line.matches(*c).count())
        .filter(|c| first_line.contains(*c))
        .unwrap_or(',');
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.trim().is_empty() {
            field.clear();
            in_quotes = true;
        } else if c == sep {
            row.push(field.trim().to_string());
            field.clear();
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(field.trim().to_string());
            field.clear();
            rows.push(std::mem::take(&mut row));
        } else {
            field.push(c);
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field.trim().to_string());
        rows.push(row);
    }
    while rows.last().is_some_and(|r: &Vec<String>| r.iter().all(String::is_empty)) {
        rows.pop();
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_newlines_and_separators() {
        let rows = parse_csv("编号,姓名,研究方向\r\nZJ1,张伟,\"界面化学,\n萃取\"\nZJ2,\"李\"\"娜\"\"\",\n\n");
        assert_eq!(
            rows,
            vec![vec!["编号", "姓名", "研究方向"], vec!["ZJ1", "张伟", "界面化学,\n萃取"], vec!["ZJ2", "李\"娜\"", ""],]
        );
        assert_eq!(parse_csv("a\tb\n1\t2")[1], vec!["1", "2"]);
    }

    #[test]
    fn decodes_utf8_bom_and_gbk() {
        let text = "姓名,单位\n张伟,厦门大学\n";
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode_text(&bom).unwrap(), text);
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_ne!(&gbk[..], text.as_bytes());
        assert_eq!(decode_text(&gbk).unwrap(), text);
    }

    #[test]
    fn numbers_read_like_excel_shows_them() {
        assert_eq!(number_text(13800000000.0), "13800000000");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(cell_text(&Data::Float(50.0)), "50");
    }

    #[test]
    fn unsupported_and_broken_files_explain_themselves() {
        assert!(matches!(read_bytes(b"x", "list.docx"), Err(FileError::Unsupported { .. })));
        assert!(matches!(read_bytes(b"not a zip", "list.xlsx"), Err(FileError::Damaged { .. })));
    }

    #[test]
    fn merged_cells_fill_their_region() {
        let mut rows = vec![
            vec!["企业A".to_string(), "x".into()],
            vec![String::new(), "y".into()],
            vec![String::new(), "z".into()],
        ];
        fill_merged(&mut rows, (1, 0), ((1, 0), (3, 0)));
        assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), vec!["企业A"; 3]);
    }
}
