//! Reading a spreadsheet file — `.xlsx`, `.xls`, `.ods` (calamine) or `.csv` (UTF-8 with or without
//! BOM, UTF-16, GBK/GB18030) — into plain grids of text cells, one per sheet. Merged cells are
//! filled with their top-left value, numbers stored as numbers come back without a trailing `.0`,
//! and dates as `YYYY-MM-DD`.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataRef, Ods, Reader, Xls, XlsError, Xlsx, XlsxError};

use super::grid::{Budget, Grid, Region};
use super::sniff::{self, Format, Mislabeled};
use super::{Content, FileError, MAX_CELL_CHARS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, MAX_SHEETS, Result};

/// One sheet as text cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub sheet: String,
    /// Row-major cells; rows may have different lengths (only up to their last cell with text).
    pub rows: Vec<Vec<String>>,
    /// The spreadsheet row number (1-based) of `rows[0]`.
    pub first_row: usize,
    /// Set when the file's extension named another format than its content (read by its content).
    pub mislabeled: Option<Mislabeled>,
}

impl Table {
    /// The row number a user sees in Excel for `rows[i]`.
    pub fn row_number(&self, i: usize) -> usize {
        self.first_row + i
    }
}

/// Reads every sheet of a file: a regular file of at most [`MAX_FILE_BYTES`], by its content.
pub fn read_path(path: &Path) -> Result<Vec<Table>> {
    let bytes = sniff::read_file(path)?;
    read_bytes(&bytes, &sniff::file_name(path))
}

/// Reads a file's bytes; the content decides the format (zip → xlsx/ods, compound file → xls,
/// else text → CSV), `name` (the file name) is used in messages and for text files.
pub fn read_bytes(bytes: &[u8], name: &str) -> Result<Vec<Table>> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(FileError::TooBig { name: name.to_string(), bytes: bytes.len() as u64, max: MAX_FILE_BYTES });
    }
    let (format, mislabeled) = sniff::sniff(bytes, name)?;
    let mut tables = match format {
        Format::Csv => vec![read_csv_file(bytes, name)?],
        Format::Xlsx => guarded(name, || read_xlsx(bytes, name))?,
        Format::Xls => guarded(name, || read_xls(bytes, name))?,
        Format::Ods => guarded(name, || read_ods(bytes, name))?,
    };
    for t in &mut tables {
        t.mislabeled.clone_from(&mislabeled);
    }
    Ok(tables)
}

thread_local! {
    /// Set while a spreadsheet library runs under [`guarded`]: its panics are not printed.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Where the last panic caught by [`guarded`] happened (for the fuzz harness).
    static CAUGHT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Where the last panic turned into [`FileError::Damaged`] on this thread happened ("file:line"),
/// taken once. For the fuzz harness (`examples/fuzz_readers.rs`), to tell calamine's panics from ours.
#[doc(hidden)]
pub fn take_caught_panic() -> Option<String> {
    CAUGHT.with(|c| c.borrow_mut().take())
}

/// Runs a spreadsheet library on a file's bytes; a panic in it (a damaged file it did not expect)
/// becomes [`FileError::Damaged`], without the panic's English text on stderr.
fn guarded<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(std::cell::Cell::get) {
                let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
                CAUGHT.with(|c| *c.borrow_mut() = Some(at));
            } else {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.unwrap_or_else(|_| Err(FileError::Damaged { name: name.to_string() }))
}

fn too_many_sheets(name: &str, sheets: usize) -> Result<()> {
    if sheets > MAX_SHEETS {
        return Err(FileError::TooManySheets { name: name.to_string(), sheets, max: MAX_SHEETS });
    }
    Ok(())
}

/// An xlsx read cell by cell (calamine's streaming reader), never as the sheet's declared area.
fn read_xlsx(bytes: &[u8], name: &str) -> Result<Vec<Table>> {
    let parts = sniff::zip_parts(bytes, name)?;
    let scan = super::xml_scan::check_xlsx(bytes, &parts, name)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsxError::Password => FileError::Content { name: name.to_string(), found: Content::Encrypted },
        _ => FileError::Damaged { name: name.to_string() },
    })?;
    let sheets = wb.sheet_names();
    too_many_sheets(name, sheets.len())?;
    let mut budget = Budget::new(name);
    let mut tables = Vec::new();
    for sheet in sheets {
        let sheet_error =
            |e: XlsxError| FileError::Sheet { name: name.to_string(), sheet: sheet.clone(), detail: e.to_string() };
        let mut grid = Grid::new(&mut budget, &sheet);
        let mut any = false;
        {
            let mut cells = match wb.worksheet_cells_reader(&sheet) {
                Ok(c) => c,
                // A chart sheet: nothing to read.
                Err(XlsxError::NotAWorksheet(_)) => continue,
                Err(e) => return Err(sheet_error(e)),
            };
            while let Some(cell) = cells.next_cell().map_err(sheet_error)? {
                let (row, col) = cell.get_position();
                let value = cell.get_value();
                match value {
                    DataRef::SharedString(s) => grid.put(row, col, s)?,
                    DataRef::String(s) => grid.put(row, col, s)?,
                    DataRef::Empty => {}
                    other => grid.put(row, col, &cell_text(&Data::from(other.clone())))?,
                }
                any = true;
            }
        }
        // Merged regions take a second pass over the sheet: only when the file has some.
        let merges =
            if any && scan.has_merges { wb.merge_cells_by_sheet_name(&sheet).unwrap_or_default() } else { Vec::new() };
        let merges: Vec<_> = merges.iter().map(|d| (d.start, d.end)).collect();
        tables.push(grid.finish(&merges)?);
    }
    Ok(tables)
}

/// An xls, checked first (calamine reads all of it at once).
fn read_xls(bytes: &[u8], name: &str) -> Result<Vec<Table>> {
    super::cfb::check_xls(bytes, name)?;
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsError::Password => FileError::Content { name: name.to_string(), found: Content::Encrypted },
        _ => FileError::Damaged { name: name.to_string() },
    })?;
    read_sheets(&mut wb, name, |wb, sheet| {
        wb.merge_cells_by_sheet_name(sheet).unwrap_or_default().iter().map(|d| (d.start, d.end)).collect()
    })
}

/// Every sheet of a workbook calamine has opened, within the limits; `merges` gives a sheet's
/// merged regions.
fn read_sheets<'a, R: Reader<Cursor<&'a [u8]>>>(
    wb: &mut R,
    name: &str,
    merges: impl Fn(&mut R, &str) -> Vec<((u32, u32), (u32, u32))>,
) -> Result<Vec<Table>>
where
    R::Error: std::fmt::Display,
{
    let sheets = wb.sheet_names();
    too_many_sheets(name, sheets.len())?;
    let mut budget = Budget::new(name);
    let mut tables = Vec::new();
    for sheet in sheets {
        let range = wb.worksheet_range(&sheet).map_err(|e| FileError::Sheet {
            name: name.to_string(),
            sheet: sheet.clone(),
            detail: e.to_string(),
        })?;
        let m = merges(wb, &sheet);
        tables.push(range_table(&range, &sheet, &m, &mut budget)?);
    }
    Ok(tables)
}

/// An ods, checked first (calamine reads all of it at once, repeats expanded).
fn read_ods(bytes: &[u8], name: &str) -> Result<Vec<Table>> {
    let parts = sniff::zip_parts(bytes, name)?;
    super::xml_scan::check_ods(bytes, &parts, name)?;
    let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::OdsError::Password => FileError::Content { name: name.to_string(), found: Content::Encrypted },
        _ => FileError::Damaged { name: name.to_string() },
    })?;
    read_sheets(&mut wb, name, |_, _| Vec::new())
}

/// A calamine range's cells with text, through a grid.
fn range_table(range: &calamine::Range<Data>, sheet: &str, merges: &[Region], budget: &mut Budget) -> Result<Table> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut grid = Grid::new(budget, sheet);
    for (r, c, value) in range.used_cells() {
        let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) else { continue };
        grid.put(r0.saturating_add(r), c0.saturating_add(c), &cell_text(value))?;
    }
    grid.finish(merges)
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

/// A text file as one table: decoded, not binary, within the limits.
fn read_csv_file(bytes: &[u8], name: &str) -> Result<Table> {
    let text = decode_text(bytes)?;
    if looks_binary(&text) {
        return Err(FileError::Content { name: name.to_string(), found: Content::Binary });
    }
    let rows = try_parse_csv(&text).map_err(|e| match e {
        FileError::UnclosedQuote { line, snippet, lines_after, .. } => {
            FileError::UnclosedQuote { name: name.to_string(), line, snippet, lines_after }
        }
        FileError::TooManyRows { row, max, .. } => {
            FileError::TooManyRows { name: name.to_string(), sheet: String::new(), row, max }
        }
        FileError::TooManyColumns { cell, max, .. } => {
            FileError::TooManyColumns { name: name.to_string(), sheet: String::new(), cell, max }
        }
        FileError::CellTooLong { cell, chars, max, .. } => {
            FileError::CellTooLong { name: name.to_string(), sheet: String::new(), cell, chars, max }
        }
        e => e,
    })?;
    Ok(Table { sheet: String::new(), rows, first_row: 1, mislabeled: None })
}

/// Text with many control characters (other than tab and line breaks) is not a list.
fn looks_binary(text: &str) -> bool {
    let (mut chars, mut control) = (0usize, 0usize);
    for c in text.chars().take(65_536) {
        chars += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            control += 1;
        }
    }
    control >= 8 && control * 10 > chars
}

/// Decodes CSV bytes: UTF-8 (BOM or not), UTF-16 (with BOM, or without one when its zero bytes
/// show it), else GBK/GB18030 (older office systems). A file mixing UTF-8 and GBK text is refused
/// rather than read as garbled characters.
pub fn decode_text(bytes: &[u8]) -> Result<String> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(FileError::BadBom { bom: enc.name() });
        }
        return Ok(text.into_owned());
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return Ok(text.into_owned());
        }
    }
    let bad_at = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok(s.to_string()),
        Err(e) => e.valid_up_to(),
    };
    if mixes_utf8(bytes) {
        let line = 1 + bytes[..bad_at].iter().filter(|&&b| b == b'\n').count();
        return Err(FileError::MixedEncoding { line });
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(FileError::Encoding);
    }
    Ok(text.into_owned())
}

/// UTF-16 without a byte-order mark: the zero high bytes of ASCII characters (separators, digits,
/// line breaks) all fall on one side.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let zeros = |parity: usize| head.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    let half = head.len() / 2;
    if odd * 10 >= half && even * 100 <= half {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= half && odd * 100 <= half {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Invalid UTF-8 next to a good share of valid non-ASCII UTF-8: two encodings in one file (GBK
/// text alone is almost never valid UTF-8).
fn mixes_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid >= 8 && invalid > 0 && valid * 2 >= invalid
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
/// (lines counted as a text editor does), not a cell swallowing the rest of the file; so is a
/// quoted cell spanning lines that reads like rows swallowed by a stray quote (its closing quote
/// followed by more text, or a line inside it with as many separators as the header). More than
/// [`MAX_ROWS`] records, [`MAX_COLUMNS`] cells in a record or [`MAX_CELL_CHARS`] characters in a
/// cell are refused before the cells are built.
pub fn try_parse_csv(text: &str) -> Result<Vec<Vec<String>>> {
    let body = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let separator = guess_separator(sample(body));
    check_shape(body, separator)?;
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

/// The start of a text the separator is guessed from: 64 KB, cut after a line break when there is one.
fn sample(text: &str) -> &str {
    if text.len() <= 65_536 {
        return text;
    }
    let mut end = 65_536;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    head.rfind('\n').map_or(head, |i| &head[..=i])
}

/// Where a record's shape breaks the limits, or a quoted cell looks like a runaway quote.
fn check_shape(text: &str, separator: u8) -> Result<()> {
    let b = text.as_bytes();
    let at = |row: usize, col: usize| {
        super::grid::cell_name(u32::try_from(row).unwrap_or(u32::MAX), u32::try_from(col).unwrap_or(u32::MAX))
    };
    let (mut row, mut col, mut i) = (0usize, 0usize, 0usize);
    let mut header_cells = 0usize;
    loop {
        if row >= MAX_ROWS {
            return Err(FileError::TooManyRows {
                name: String::new(),
                sheet: String::new(),
                row: row + 1,
                max: MAX_ROWS,
            });
        }
        if col >= MAX_COLUMNS {
            let (name, sheet, cell) = (String::new(), String::new(), at(row, col));
            return Err(FileError::TooManyColumns { name, sheet, cell, max: MAX_COLUMNS });
        }
        let start = i;
        if b.get(i) == Some(&b'"') {
            match quoted_cell(text, start, separator, header_cells)? {
                Some(end) => i = end,
                // Runs to the end: the csv reader reports it.
                None => return Ok(()),
            }
        } else {
            i += memchr::memchr3(separator, b'\r', b'\n', &b[i..]).unwrap_or(b.len() - i);
        }
        if i - start > MAX_CELL_CHARS {
            let chars = b[start..i].iter().filter(|&&c| c & 0xC0 != 0x80).count();
            if chars > MAX_CELL_CHARS {
                let (name, sheet, cell) = (String::new(), String::new(), at(row, col));
                return Err(FileError::CellTooLong { name, sheet, cell, chars, max: MAX_CELL_CHARS });
            }
        }
        match b.get(i) {
            None => return Ok(()),
            Some(&c) if c == separator => {
                col += 1;
                i += 1;
            }
            Some(&c) => {
                i += 1;
                if c == b'\r' && b.get(i) == Some(&b'\n') {
                    i += 1;
                }
                if row == 0 {
                    header_cells = col + 1;
                }
                row += 1;
                col = 0;
            }
        }
    }
}

/// The end of the quoted cell starting at `start` (None when it runs to the end of the text); a
/// quoted cell spanning lines that closes with more text after its quote, or holds a line with
/// the header's number of separators, is a runaway quote.
fn quoted_cell(text: &str, start: usize, separator: u8, header_cells: usize) -> Result<Option<usize>> {
    let b = text.as_bytes();
    let mut i = start + 1;
    loop {
        match memchr::memchr(b'"', &b[i..]) {
            None => return Ok(None),
            Some(j) if b.get(i + j + 1) == Some(&b'"') => i += j + 2,
            Some(j) => {
                i += j + 1;
                break;
            }
        }
    }
    let close = i;
    while i < b.len() && !matches!(b[i], b'\r' | b'\n') && b[i] != separator {
        i += 1;
    }
    let inside = &b[start + 1..close - 1];
    if inside.contains(&b'\n') || inside.contains(&b'\r') {
        let trailing = !text[close..i].trim().is_empty();
        let rowlike = header_cells >= 3
            && inside.split(|&c| c == b'\n' || c == b'\r').skip(1).any(|line| {
                // A swallowed row starts with a short cell (an 编号, a name), as prose with
                // commas does not: a paragraph of an English profile is not a row.
                let first = line.split(|&c| c == separator).next().unwrap_or_default();
                let first = String::from_utf8_lossy(first);
                let short =
                    !first.trim().is_empty() && first.trim().chars().count() <= 20 && !first.trim().contains(' ');
                short && line.iter().filter(|&&c| c == separator).count() + 1 >= header_cells
            });
        if trailing || rowlike {
            return Err(runaway_quote(text, start, close));
        }
    }
    Ok(Some(i))
}

fn read_csv(text: &str) -> CsvText<'_> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let bytes = text.as_bytes();
    let separator = guess_separator(sample(text));
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
    runaway_quote(text, at, text.trim_end_matches(['\r', '\n']).len().max(at))
}

/// A quote opened at `at` whose cell runs to `end`.
fn runaway_quote(text: &str, at: usize, end: usize) -> FileError {
    let bytes = text.as_bytes();
    let line = 1 + line_breaks(bytes, 0, at);
    let lines_after = line_breaks(bytes, at, end);
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
        assert!(matches!(read_bytes(b"PK\x03\x04 not a zip", "list.xlsx"), Err(FileError::Damaged { .. })));
        // Text under a workbook's name is read as text, and says so.
        let t = read_bytes("编号,姓名\nZJ1,张伟".as_bytes(), "list.xlsx").unwrap();
        assert_eq!(t[0].mislabeled, Some(Mislabeled { ext: "xlsx".into(), format: Format::Csv }));
        assert_eq!(t[0].rows[1], vec!["ZJ1", "张伟"]);
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
    fn quoted_paragraphs_with_commas_are_one_cell() {
        // An English profile: several paragraphs, commas in the prose, blank lines between.
        let text = "id,name,inst,a,b,profile\nR1,唐雪飞,浙江大学,,,\"Anodes lose 20-30% of capacity, we found, in the first cycle, \
                    and, in turn, swell, crack, fade\n\nPorous carbon scaffolds, binders, and more, are compared, here, now\"\nR2,雷婷,浙江大学,,,x\n";
        let rows = try_parse_csv(text).unwrap();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(rows[1][5].contains("Porous carbon"));
        assert_eq!(rows[2][0], "R2");
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
