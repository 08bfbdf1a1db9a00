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
            let rows = try_parse_csv(&decode_text(bytes)?).map_err(|e| match e {
                FileError::UnclosedQuote { line, snippet, lines_after, .. } => {
                    FileError::UnclosedQuote { name: name.to_string(), line, snippet, lines_after }
                }
                e => e,
            })?;
            Ok(vec![Table { sheet: String::new(), rows, first_row: 1 }])
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

/// Separators the guess tries, in order of preference when two fit equally well. The full-width
/// comma `，` is not one: in real files it is punctuation inside Chinese text.
const SEPARATORS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// Records read with each candidate separator to guess which one the file uses.
const GUESS_SAMPLE: usize = 50;

/// CSV text (RFC 4180, read by the `csv` crate) as rows of cells, leniently: an unclosed quote makes
/// its cell run to the end of the text. Importers use [`try_parse_csv`], which reports that instead.
///
/// The separator (`,` tab `;` `|`) is guessed from the first records, quote-aware. Unquoted cells
/// are trimmed; quoted cells keep their spaces and line breaks (only whitespace after the closing
/// quote is dropped). A quote opens a cell only as its first character (`a, "b"` gives `"b"`).
/// `""` inside quotes is one `"`; CRLF, LF and CR-only line endings all work; a leading BOM is
/// skipped. Rows keep their own lengths (not padded). Each blank line gives one row with a single
/// empty cell and trailing blank rows are dropped, so `rows[i]` is the row Excel shows as row
/// `i + 1`.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    read_csv(text).rows
}

/// [`parse_csv`], but a quote that is never closed is an error naming the line where it opened
/// (lines counted as a text editor does), not a cell swallowing the rest of the file.
pub fn try_parse_csv(text: &str) -> Result<Vec<Vec<String>>> {
    let csv = read_csv(text);
    match csv.problem {
        None => Ok(csv.rows),
        Some(Problem::UnclosedQuote(at)) => Err(unclosed_quote(csv.text, at)),
        Some(Problem::Unreadable { line }) => Err(FileError::CsvUnreadable { line }),
    }
}

struct CsvText<'a> {
    /// The text read (without its BOM); byte offsets in `problem` are into it.
    text: &'a str,
    rows: Vec<Vec<String>>,
    problem: Option<Problem>,
}

enum Problem {
    /// Byte offset of a quote opening a cell that runs to the end of the text.
    UnclosedQuote(usize),
    /// The csv crate stopped with an error (not expected for text already in memory).
    Unreadable { line: usize },
}

fn csv_reader(text: &str, separator: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(separator).from_reader(text.as_bytes())
}

fn read_csv(text: &str) -> CsvText<'_> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let bytes = text.as_bytes();
    let separator = guess_separator(text);
    let mut reader = csv_reader(text, separator);
    let mut record = csv::StringRecord::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut problem = None;
    let mut end = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => {
                let line = 1 + line_breaks(bytes, 0, end);
                problem = Some(Problem::Unreadable { line });
                break;
            }
        }
        // The record's raw text: from where the previous one stopped (the csv crate skips blank
        // lines as part of the next record) to where this one stopped.
        let start = record.position().map_or(end, |p| p.byte() as usize).min(bytes.len());
        end = (reader.position().byte() as usize).clamp(start, bytes.len());
        let lead = bytes[start..end].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        rows.extend(std::iter::repeat_with(|| vec![String::new()]).take(line_breaks(bytes, start, start + lead)));
        let raw = &bytes[start + lead..end];
        let at_end = end == bytes.len();
        let edges = |f: &str| f.trim().len() != f.len();
        let scan = (at_end || record.iter().any(edges)).then(|| scan_record(raw, separator));
        if at_end && let Some(open) = scan.as_ref().and_then(|s| s.open_quote) {
            problem = Some(Problem::UnclosedQuote(start + lead + open));
        }
        let kinds = scan.map(|s| s.cells).filter(|c| c.len() == record.len());
        let row = record
            .iter()
            .enumerate()
            .map(|(i, f)| match kinds.as_ref().map(|k| k[i]) {
                Some(Cell::Quoted { trailing }) => f.get(..f.len().saturating_sub(trailing)).unwrap_or(f).to_string(),
                _ => f.trim().to_string(),
            })
            .collect();
        rows.push(row);
    }
    while rows.last().is_some_and(|r| r.iter().all(String::is_empty)) {
        rows.pop();
    }
    CsvText { text, rows, problem }
}

/// The separator that reads the first records most plausibly: among those splitting some records
/// into more than one cell, the one leaving fewest stray `"` in the cells (a wrong separator cuts
/// quoted cells open, so a `,` inside quotes does not count), then the one giving most records the
/// same cell count, then more cells. Comma when none splits anything.
fn guess_separator(text: &str) -> u8 {
    // (fewest stray quotes, most records with the usual cell count, most cells)
    type Score = (std::cmp::Reverse<usize>, usize, usize);
    let mut best: Option<(Score, u8)> = None;
    for separator in SEPARATORS {
        let mut counts: Vec<(usize, usize)> = Vec::new(); // (cells, records)
        let mut stray_quotes = 0;
        for record in csv_reader(text, separator).records().take(GUESS_SAMPLE) {
            let Ok(record) = record else { break };
            stray_quotes += record.iter().map(|f| f.matches('"').count()).sum::<usize>();
            if record.len() > 1 {
                match counts.iter_mut().find(|(n, _)| *n == record.len()) {
                    Some((_, k)) => *k += 1,
                    None => counts.push((record.len(), 1)),
                }
            }
        }
        let Some(&(cells, records)) = counts.iter().max_by_key(|&&(n, k)| (k, n)) else { continue };
        let score = (std::cmp::Reverse(stray_quotes), records, cells);
        // Strictly better only: on a tie the earlier separator stays.
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, separator));
        }
    }
    best.map_or(b',', |(_, separator)| separator)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cell {
    Plain,
    /// Started with a quote; `trailing` bytes of whitespace followed the closing quote (the csv
    /// crate keeps text after a closing quote as part of the cell).
    Quoted {
        trailing: usize,
    },
}

struct Scan {
    cells: Vec<Cell>,
    /// Offset of the quote opening a cell that the text ends inside.
    open_quote: Option<usize>,
}

/// Which cells of one record's raw text were quoted, and whether the text ends inside quotes. The
/// csv crate does not tell; this follows its rules (a quote opens a cell only as its first byte,
/// `""` inside quotes is an escape, text after the closing quote belongs to the cell, `\r` and `\n`
/// end the record) without building the values, which come from the csv crate.
fn scan_record(raw: &[u8], separator: u8) -> Scan {
    let ends_cell = |b: u8| b == separator || b == b'\r' || b == b'\n';
    let mut cells = Vec::new();
    let mut i = 0;
    loop {
        if raw.get(i) == Some(&b'"') {
            let open = i;
            i += 1;
            loop {
                match raw.get(i) {
                    None => {
                        cells.push(Cell::Quoted { trailing: 0 });
                        return Scan { cells, open_quote: Some(open) };
                    }
                    Some(b'"') if raw.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            let after = i;
            while raw.get(i).is_some_and(|&b| !ends_cell(b)) {
                i += 1;
            }
            let blank = std::str::from_utf8(&raw[after..i]).is_ok_and(|t| t.trim().is_empty());
            cells.push(Cell::Quoted { trailing: if blank { i - after } else { 0 } });
        } else {
            while raw.get(i).is_some_and(|&b| !ends_cell(b)) {
                i += 1;
            }
            cells.push(Cell::Plain);
        }
        match raw.get(i) {
            Some(&b) if b == separator => i += 1,
            _ => return Scan { cells, open_quote: None },
        }
    }
}

/// Line breaks in `bytes[from..to]`, counting CRLF once and a lone CR or LF once each.
fn line_breaks(bytes: &[u8], from: usize, to: usize) -> usize {
    (from..to).filter(|&i| bytes[i] == b'\r' || (bytes[i] == b'\n' && (i == 0 || bytes[i - 1] != b'\r'))).count()
}

/// Where an unclosed quote opened: its line, the start of its cell, how many lines it swallows.
fn unclosed_quote(text: &str, at: usize) -> FileError {
    let bytes = text.as_bytes();
    let line = 1 + line_breaks(bytes, 0, at);
    let lines_after = line_breaks(bytes, at, text.trim_end_matches(['\r', '\n']).len().max(at));
    let rest = text[at..].lines().next().unwrap_or("");
    let mut snippet: String = rest.chars().take(20).collect();
    if snippet.len() < rest.len() {
        snippet.push('…');
    }
    FileError::UnclosedQuote { name: String::new(), line, snippet, lines_after }
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

    #[test]
    fn separator_guess_ignores_commas_inside_quotes() {
        let text = "编号;\"研究方向,多个,逗号\";姓名\nZJ1;\"a,b,c\";张伟\nZJ2;\"d,e,f\";李娜\n";
        assert_eq!(guess_separator(text), b';');
        assert_eq!(parse_csv(text)[1], vec!["ZJ1", "a,b,c", "张伟"]);
        let tabs = "编号\t\"简介,含逗号\"\t单位\nZJ1\t\"界面化学,萃取\"\t厦门大学\n";
        assert_eq!(parse_csv(tabs)[1], vec!["ZJ1", "界面化学,萃取", "厦门大学"]);
        // The full-width comma is punctuation, not a separator (it used to win ties over ",").
        assert_eq!(parse_csv("编号,说明（甲，乙）\nZJ1,x")[0], vec!["编号", "说明（甲，乙）"]);
        // Nothing splits: one column, read with the comma.
        assert_eq!(parse_csv("会议纪要\n今天讨论了对接会安排\n"), vec![vec!["会议纪要"], vec!["今天讨论了对接会安排"]]);
        assert_eq!(guess_separator("会议纪要\n"), b',');
    }

    #[test]
    fn tab_semicolon_and_pipe_files() {
        let expected = vec![vec!["编号", "姓名", "单位"], vec!["ZJ1", "张伟", "厦门大学"]];
        for sep in ["\t", ";", "|"] {
            let text = format!("编号{sep}姓名{sep}单位\r\nZJ1{sep} 张伟 {sep}厦门大学\r\n");
            assert_eq!(parse_csv(&text), expected, "separator {sep:?}");
        }
        // A comma file whose cells hold semicolons stays a comma file.
        assert_eq!(parse_csv("姓名,关键词\n张伟,a;b\n李娜,c;d;e\n")[2], vec!["李娜", "c;d;e"]);
    }

    #[test]
    fn quoted_cells_keep_inner_whitespace_and_newlines() {
        let rows = parse_csv("姓名,简介,备注\n\"  张伟 \",  李娜  ,\"第一行\n  第二行\n\"\n\"x\"  ,y,\"z\" w\n");
        assert_eq!(rows[1], vec!["  张伟 ", "李娜", "第一行\n  第二行\n"]);
        // Whitespace after a closing quote is dropped; other text there is kept, as the csv crate reads it.
        assert_eq!(rows[2], vec!["x", "y", "z w"]);
        assert_eq!(try_parse_csv("a,\"b\r\nc\"\r\n").unwrap(), vec![vec!["a", "b\r\nc"]]);
        // A quote after a space is text, not the start of a quoted cell (the old reader unquoted it).
        assert_eq!(parse_csv("a, \"b\"")[0], vec!["a", "\"b\""]);
    }

    #[test]
    fn doubled_quotes_are_one_quote() {
        let rows = parse_csv("a,\"他说\"\"好\"\"\",\"\"\"\"\n\"\",x\n");
        assert_eq!(rows, vec![vec!["a", "他说\"好\"", "\""], vec!["", "x"]]);
    }

    #[test]
    fn ragged_rows_and_blank_lines_keep_excel_row_numbers() {
        let rows = parse_csv("\u{FEFF}编号,姓名,单位\n\nZJ1,张伟\n   \nZJ2,李娜,厦门大学,多余\n,,\n\n\n");
        assert_eq!(
            rows,
            vec![
                vec!["编号", "姓名", "单位"],
                vec![""],
                vec!["ZJ1", "张伟"],
                vec![""],
                vec!["ZJ2", "李娜", "厦门大学", "多余"],
            ]
        );
        // A quoted cell spanning lines is one row, as Excel shows it; blank lines count.
        let rows = parse_csv("h\r\n\"a\r\nb\"\r\n\r\nc\r\n");
        assert_eq!(rows, vec![vec!["h"], vec!["a\r\nb"], vec![""], vec!["c"]]);
    }

    #[test]
    fn cr_only_line_endings() {
        let rows = parse_csv("编号,简介\rZJ1,\"界面化学\r萃取\"\r\rZJ2,x\r");
        assert_eq!(rows, vec![vec!["编号", "简介"], vec!["ZJ1", "界面化学\r萃取"], vec![""], vec!["ZJ2", "x"]]);
    }

    #[test]
    fn gbk_file_with_quotes() {
        let text = "编号,姓名,研究方向,关键词\r\nG001,陈立新,\"碳化硅单晶生长，PVT法\",\"碳化硅,PVT\"\r\nG002,\"林\"\"美\"\"华\",\" 正极浆料\n流变 \",PVDF\r\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let tables = read_bytes(&gbk, "专家.csv").unwrap();
        assert_eq!(
            tables[0].rows,
            vec![
                vec!["编号", "姓名", "研究方向", "关键词"],
                vec!["G001", "陈立新", "碳化硅单晶生长，PVT法", "碳化硅,PVT"],
                vec!["G002", "林\"美\"华", " 正极浆料\n流变 ", "PVDF"],
            ]
        );
    }

    #[test]
    fn unclosed_quote_is_an_error_naming_its_line() {
        let text = "编号,姓名,简介\nZJ1,张伟,\"界面化学\n萃取\"\nZJ2,李娜,\"萃取分离与纯化技术研究，兼顾工艺放大\n\nZJ3,王强,x\nZJ4,赵敏,y\n";
        let e = try_parse_csv(text).unwrap_err();
        assert!(
            matches!(&e, FileError::UnclosedQuote { line: 4, snippet, lines_after: 3, .. } if snippet == "\"萃取分离与纯化技术研究，兼顾工艺放大"),
            "{e:?}"
        );
        // The lenient reader still gives what the csv crate reads: the cell runs to the end.
        let rows = parse_csv(text);
        assert_eq!(rows.len(), 3);
        assert!(rows[2][2].ends_with("ZJ4,赵敏,y\n"), "{:?}", rows[2]);
        // CR-only and CRLF lines are counted like a text editor does; the file is named.
        let e = read_bytes("a,b\r1,2\r\r3,\"x".as_bytes(), "名单.csv").unwrap_err();
        assert!(
            matches!(&e, FileError::UnclosedQuote { name, line: 4, lines_after: 0, .. } if name == "名单.csv"),
            "{e:?}"
        );
        let e = try_parse_csv("a\r\n\"b,1234567890123456789012345\r\n").unwrap_err();
        assert!(
            matches!(&e, FileError::UnclosedQuote { line: 2, snippet, .. } if snippet == "\"b,12345678901234567…"),
            "{e:?}"
        );
        assert!(try_parse_csv("a,\"\"\nb,\"\"\"\"").is_ok());
    }
}
