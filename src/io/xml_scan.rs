//! The XML parts of a workbook zip checked before calamine reads them. calamine's XML reader keeps
//! one whole event (a tag, a text run, a comment) in memory, its xlsx reader keeps every shared
//! string and style, and its ods reader expands repeated cells and rows, so a small zip could make
//! it build gigabytes. Here each part is streamed once through a small tag scanner: every event
//! must stay under [`MAX_XML_EVENT`]; shared strings, styles, merged regions and sheets are
//! counted; an ods `content.xml` is followed the way calamine expands it (repeats, the area it
//! allocates, the text it copies) and refused beyond the limits of [`super`].

use std::io::{Cursor, Read};

use super::grid::cell_name;
use super::sniff::Part;
use super::{FileError, MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_SHEETS, MAX_TEXT_BYTES, Result};

/// The longest XML event (a tag with its attributes, a text run, a comment) read: a cell of
/// [`MAX_CELL_CHARS`] characters is under 100 KB even with escapes.
pub(crate) const MAX_XML_EVENT: usize = 1024 * 1024;
/// The most elements a styles part may hold (Excel itself allows 64 000 cell formats).
pub(crate) const MAX_STYLE_ELEMENTS: u64 = 1_000_000;
/// calamine's own caps on an ods sheet's rows and columns (repeats beyond are dropped).
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;

#[derive(Debug, PartialEq)]
enum Tok<'a> {
    Start {
        name: &'a [u8],
        tag: &'a [u8],
        empty: bool,
    },
    End {
        name: &'a [u8],
    },
    Text {
        len: usize,
    },
    /// A comment, CDATA section, processing instruction or declaration.
    Other,
}

/// Why a part cannot be scanned.
enum Stop {
    /// An event longer than [`MAX_XML_EVENT`].
    TooLong,
    /// Not XML as calamine would read it, or the part cannot be inflated.
    Broken,
    Limit(FileError),
}

impl From<FileError> for Stop {
    fn from(e: FileError) -> Self {
        Stop::Limit(e)
    }
}

/// A streaming tokenizer keeping at most one event (plus a read chunk) in memory.
struct Tokens<R> {
    r: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

const CHUNK: usize = 256 * 1024;

impl<R: Read> Tokens<R> {
    fn new(r: R) -> Self {
        Tokens { r, buf: Vec::with_capacity(CHUNK * 2), pos: 0, eof: false }
    }

    /// Reads more bytes; false at the end of the part.
    fn fill(&mut self) -> Result<bool, Stop> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let len = self.buf.len();
        self.buf.resize(len + CHUNK, 0);
        let n = loop {
            match self.r.read(&mut self.buf[len..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return Err(Stop::Broken),
            }
        };
        self.buf.truncate(len + n);
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    /// The end (exclusive, relative to `pos`) of the event starting at `pos`, reading as needed.
    fn event_end(&mut self) -> Result<Option<usize>, Stop> {
        loop {
            let rest = &self.buf[self.pos..];
            if let Some(end) = event_len(rest, self.eof) {
                if end > MAX_XML_EVENT {
                    return Err(Stop::TooLong);
                }
                return Ok(Some(end));
            }
            if rest.len() > MAX_XML_EVENT {
                return Err(Stop::TooLong);
            }
            if !self.fill()? {
                // At the end: a last text run is complete, an unfinished tag is not.
                let rest = &self.buf[self.pos..];
                return match event_len(rest, true) {
                    _ if rest.is_empty() => Ok(None),
                    Some(end) => Ok(Some(end)),
                    None => Err(Stop::Broken),
                };
            }
        }
    }

    fn next(&mut self) -> Result<Option<Tok<'_>>, Stop> {
        if self.pos >= self.buf.len() && !self.fill()? {
            return Ok(None);
        }
        let Some(len) = self.event_end()? else { return Ok(None) };
        let start = self.pos;
        self.pos += len;
        let ev = &self.buf[start..start + len];
        Ok(Some(token(ev)))
    }
}

/// The length of the complete event at the start of `b`, or None when more bytes are needed.
fn event_len(b: &[u8], eof: bool) -> Option<usize> {
    if b.first() != Some(&b'<') {
        return match memchr::memchr(b'<', b) {
            Some(i) => Some(i),
            None if eof => Some(b.len()),
            None => None,
        };
    }
    let find =
        |needle: &[u8], from: usize| memchr::memmem::find(b.get(from..)?, needle).map(|i| from + i + needle.len());
    if b.starts_with(b"<!--") {
        return find(b"-->", 4);
    }
    if b.starts_with(b"<![CDATA[") {
        return find(b"]]>", 9);
    }
    if b.starts_with(b"<?") {
        return find(b"?>", 2);
    }
    if b.starts_with(b"<!") {
        // A declaration; an internal subset in brackets may hold '>'.
        let mut depth = 0i32;
        for (i, &c) in b.iter().enumerate().skip(2) {
            match c {
                b'[' => depth += 1,
                b']' => depth -= 1,
                b'>' if depth <= 0 => return Some(i + 1),
                _ => {}
            }
        }
        return None;
    }
    // A tag: '>' outside quoted attribute values ends it.
    let mut i = 1;
    let mut quote = None;
    while i < b.len() {
        let rest = &b[i..];
        let j = match quote {
            None => memchr::memchr3(b'>', b'"', b'\'', rest)?,
            Some(q) => memchr::memchr(q, rest)?,
        };
        let c = rest[j];
        i += j + 1;
        match (quote, c) {
            (None, b'>') => return Some(i),
            (None, q) => quote = Some(q),
            (Some(_), _) => quote = None,
        }
    }
    None
}

fn token(ev: &[u8]) -> Tok<'_> {
    if ev.first() != Some(&b'<') {
        return Tok::Text { len: ev.len() };
    }
    if ev.starts_with(b"<!") || ev.starts_with(b"<?") {
        return Tok::Other;
    }
    let (is_end, body) = match ev.strip_prefix(b"</") {
        Some(b) => (true, b),
        None => (false, &ev[1..]),
    };
    let name_len = body.iter().position(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>').unwrap_or(body.len());
    let name = &body[..name_len];
    if is_end { Tok::End { name } } else { Tok::Start { name, tag: ev, empty: ev.ends_with(b"/>") } }
}

/// The part of a name after its namespace prefix.
fn local(name: &[u8]) -> &[u8] {
    name.iter().rposition(|c| *c == b':').map_or(name, |i| &name[i + 1..])
}

/// The raw value of an attribute of a start tag.
fn attr<'a>(tag: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&tag[from..], key) {
        let at = from + i;
        from = at + key.len();
        let before_ok = at > 0 && tag[at - 1].is_ascii_whitespace();
        let rest = &tag[from..];
        let trimmed = rest.iter().position(|c| !c.is_ascii_whitespace()).map_or(rest, |p| &rest[p..]);
        if !before_ok || trimmed.first() != Some(&b'=') {
            continue;
        }
        let v = &trimmed[1..];
        let v = v.iter().position(|c| !c.is_ascii_whitespace()).map_or(v, |p| &v[p..]);
        let q = *v.first()?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let end = memchr::memchr(q, &v[1..])?;
        return Some(&v[1..=end]);
    }
    None
}

/// A number attribute as calamine parses it (None: absent; Err: calamine fails on it).
fn number_attr(tag: &[u8], key: &[u8]) -> Result<Option<u64>, Stop> {
    match attr(tag, key) {
        None => Ok(None),
        Some(v) => std::str::from_utf8(v).ok().and_then(|s| s.trim().parse::<u64>().ok()).map(Some).ok_or(Stop::Broken),
    }
}

fn open_part<'z>(zip: &'z mut zip::ZipArchive<Cursor<&[u8]>>, part: &str) -> Option<impl Read + 'z> {
    zip.by_name(part).ok()
}

fn stop_to_error(stop: Stop, name: &str, part: &str) -> FileError {
    match stop {
        Stop::TooLong => FileError::LongXml { name: name.to_string(), part: part.to_string(), max: MAX_XML_EVENT },
        Stop::Broken => FileError::Damaged { name: name.to_string() },
        Stop::Limit(e) => e,
    }
}

fn is_xml(part: &str) -> bool {
    let p = part.to_ascii_lowercase();
    p.ends_with(".xml") || p.ends_with(".rels")
}

/// What the scan of an xlsx found that the reading needs.
pub(crate) struct XlsxScan {
    /// Whether any worksheet part holds merged regions (else they are not looked for).
    pub has_merges: bool,
}

/// What one part told: its sheets' relationship ids (workbook), relationships (id → target), merges.
#[derive(Default)]
struct PartInfo {
    sheet_ids: Vec<Vec<u8>>,
    rels: Vec<(Vec<u8>, Vec<u8>)>,
    merges: u64,
}

/// Checks the XML parts of an xlsx before calamine opens it. Sheets sharing one part (never
/// written by Excel; each would be read again) make the file damaged.
pub(crate) fn check_xlsx(bytes: &[u8], parts: &[Part], name: &str) -> Result<XlsxScan> {
    let damaged = || FileError::Damaged { name: name.to_string() };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| damaged())?;
    let (mut sheet_ids, mut rels, mut merges) = (Vec::new(), Vec::new(), 0u64);
    for part in parts.iter().filter(|p| is_xml(&p.name)) {
        let lower = part.name.to_ascii_lowercase();
        let Some(r) = open_part(&mut zip, &part.name) else { continue };
        let kind = if lower.ends_with("sharedstrings.xml") {
            PartKind::SharedStrings
        } else if lower.ends_with("styles.xml") {
            PartKind::Styles
        } else if lower.ends_with("workbook.xml") {
            PartKind::Workbook
        } else if lower.ends_with("workbook.xml.rels") {
            PartKind::WorkbookRels
        } else if lower.contains("worksheets/") {
            PartKind::Sheet
        } else {
            PartKind::Other
        };
        let info = scan_xlsx_part(r, kind, name).map_err(|s| stop_to_error(s, name, &part.name))?;
        sheet_ids.extend(info.sheet_ids);
        rels.extend(info.rels);
        merges += info.merges;
    }
    let mut targets: Vec<&[u8]> =
        sheet_ids.iter().filter_map(|id| rels.iter().find(|(i, _)| i == id).map(|(_, t)| t.as_slice())).collect();
    let sheets = targets.len();
    targets.sort_unstable();
    targets.dedup();
    if targets.len() < sheets {
        return Err(damaged());
    }
    Ok(XlsxScan { has_merges: merges > 0 })
}

#[derive(Clone, Copy, PartialEq)]
enum PartKind {
    SharedStrings,
    Styles,
    Workbook,
    WorkbookRels,
    Sheet,
    Other,
}

fn scan_xlsx_part(r: impl Read, kind: PartKind, name: &str) -> Result<PartInfo, Stop> {
    let mut t = Tokens::new(r);
    let mut count: u64 = 0;
    let mut info = PartInfo::default();
    let too_many_cells =
        || Stop::Limit(FileError::TooManyCells { name: name.to_string(), sheet: String::new(), max: MAX_CELLS });
    while let Some(tok) = t.next()? {
        let Tok::Start { name: tag_name, tag, .. } = tok else { continue };
        let l = local(tag_name);
        match kind {
            // calamine reserves room for the declared count.
            PartKind::SharedStrings
                if l == b"sst"
                    && number_attr(tag, b"uniqueCount").ok().flatten().is_some_and(|n| n > MAX_CELLS as u64) =>
            {
                return Err(too_many_cells());
            }
            PartKind::SharedStrings if l == b"si" => {
                count += 1;
                if count > MAX_CELLS as u64 {
                    return Err(too_many_cells());
                }
            }
            PartKind::Styles => {
                count += 1;
                if count > MAX_STYLE_ELEMENTS {
                    return Err(Stop::Limit(FileError::TooManyStyles {
                        name: name.to_string(),
                        max: MAX_STYLE_ELEMENTS,
                    }));
                }
            }
            // Counted to the end, so the message says how many there are.
            PartKind::Workbook if l == b"sheet" => {
                count += 1;
                if let Some(id) = attr(tag, b"r:id") {
                    info.sheet_ids.push(id.to_vec());
                }
            }
            PartKind::WorkbookRels if l == b"Relationship" => {
                if let (Some(id), Some(target)) = (attr(tag, b"Id"), attr(tag, b"Target")) {
                    info.rels.push((id.to_vec(), target.to_vec()));
                }
            }
            PartKind::Sheet if l == b"mergeCell" => {
                info.merges += 1;
                if info.merges > MAX_CELLS as u64 {
                    return Err(too_many_cells());
                }
            }
            _ => {}
        }
    }
    if kind == PartKind::Workbook && count > MAX_SHEETS as u64 {
        let sheets = usize::try_from(count).unwrap_or(usize::MAX);
        return Err(Stop::Limit(FileError::TooManySheets { name: name.to_string(), sheets, max: MAX_SHEETS }));
    }
    Ok(info)
}

// ------------------------------------------------------------------------------------------ ods

/// Checks the XML parts of an ods before calamine opens it: events of every part, and the sheets
/// of `content.xml` as calamine expands them.
pub(crate) fn check_ods(bytes: &[u8], parts: &[Part], name: &str) -> Result<()> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FileError::Damaged { name: name.to_string() })?;
    for part in parts.iter().filter(|p| is_xml(&p.name)) {
        let Some(r) = open_part(&mut zip, &part.name) else { continue };
        let result = if part.name == "content.xml" { OdsModel::new(name).run(r) } else { events_only(r) };
        result.map_err(|s| stop_to_error(s, name, &part.name))?;
    }
    Ok(())
}

fn events_only(r: impl Read) -> Result<(), Stop> {
    let mut t = Tokens::new(r);
    while t.next()?.is_some() {}
    Ok(())
}

/// One ods cell as calamine's `get_datatype` sees it from its start tag.
struct OdsCell {
    repeats: u64,
    /// A value, a formula or a string type: calamine stores something.
    filled: bool,
    /// calamine reads the text content up to the first end of a cell (else to the matching end).
    string_content: bool,
    /// Bytes of text the cell holds (attribute values, content, `text:s` spaces).
    text: u64,
    /// The cell's element name and how deep inside elements of that name the scan is.
    name: &'static [u8],
    depth: usize,
    /// Inside an `office:annotation` of a string cell (calamine skips to its end).
    annotation: bool,
}

/// What calamine builds for the sheets of an ods, followed row by row.
struct OdsModel<'n> {
    name: &'n str,
    sheet: String,
    in_table: bool,
    /// Rows so far in this table (after calamine's cap), the current row's repeats.
    rows: u64,
    row_repeats: u64,
    in_row: bool,
    /// The current row: places pushed, empty places pending, filled columns, text.
    pushed: u64,
    pending: u64,
    filled: Option<(u64, u64)>,
    row_text: u64,
    cell: Option<OdsCell>,
    /// This table: (first, last) filled row element index, filled columns, rows per element.
    row_elements: Vec<u64>,
    filled_rows: Option<(usize, usize)>,
    filled_cols: Option<(u64, u64)>,
    /// The whole workbook: places pushed, places of the areas, text copied.
    total_pushed: u64,
    total_area: u64,
    total_text: u64,
    sheets: usize,
}

impl<'n> OdsModel<'n> {
    fn new(name: &'n str) -> Self {
        OdsModel {
            name,
            sheet: String::new(),
            in_table: false,
            rows: 0,
            row_repeats: 0,
            in_row: false,
            pushed: 0,
            pending: 0,
            filled: None,
            row_text: 0,
            cell: None,
            row_elements: Vec::new(),
            filled_rows: None,
            filled_cols: None,
            total_pushed: 0,
            total_area: 0,
            total_text: 0,
            sheets: 0,
        }
    }

    fn too_many_cells(&self) -> Stop {
        Stop::Limit(FileError::TooManyCells { name: self.name.to_string(), sheet: self.sheet.clone(), max: MAX_CELLS })
    }

    fn text(&mut self, bytes: u64) -> Result<(), Stop> {
        self.total_text = self.total_text.saturating_add(bytes);
        if self.total_text > MAX_TEXT_BYTES as u64 {
            return Err(Stop::Limit(FileError::TooMuchText { name: self.name.to_string(), max: MAX_TEXT_BYTES }));
        }
        Ok(())
    }

    fn run(mut self, r: impl Read) -> Result<(), Stop> {
        let mut t = Tokens::new(r);
        while let Some(tok) = t.next()? {
            self.step(&tok)?;
        }
        // calamine reads a table (and an annotation) until its end, and loops forever at the end
        // of the part when there is none.
        if self.in_table || self.in_row || self.cell.is_some() {
            return Err(Stop::Broken);
        }
        Ok(())
    }

    fn step(&mut self, tok: &Tok) -> Result<(), Stop> {
        if self.cell.is_some() {
            return self.in_cell(tok);
        }
        match *tok {
            Tok::Start { name: b"table:table", tag, empty } if !self.in_table => {
                // calamine reads only named tables.
                if let Some(n) = attr(tag, b"table:name") {
                    self.sheets += 1;
                    if self.sheets > MAX_SHEETS {
                        let (name, sheets) = (self.name.to_string(), self.sheets);
                        return Err(Stop::Limit(FileError::TooManySheets { name, sheets, max: MAX_SHEETS }));
                    }
                    self.sheet = String::from_utf8_lossy(n).into_owned();
                    self.in_table = !empty;
                    self.rows = 0;
                    self.row_elements.clear();
                    (self.filled_rows, self.filled_cols) = (None, None);
                }
            }
            Tok::End { name: b"table:table" } if self.in_table && !self.in_row => {
                self.in_table = false;
                self.end_table()?;
            }
            Tok::Start { name: b"table:table-row", tag, empty } if self.in_table && !self.in_row => {
                let repeats = number_attr(tag, b"table:number-rows-repeated")?.unwrap_or(1);
                self.row_repeats = repeats.min(ODS_MAX_ROWS.saturating_sub(self.rows));
                (self.pushed, self.pending, self.filled, self.row_text) = (0, 0, None, 0);
                self.in_row = true;
                if empty {
                    self.end_row()?;
                }
            }
            Tok::End { name: b"table:table-row" } if self.in_row => self.end_row()?,
            Tok::Start { name: cell @ (b"table:table-cell" | b"table:covered-table-cell"), tag, empty }
                if self.in_row =>
            {
                let name: &'static [u8] =
                    if cell == b"table:table-cell" { b"table:table-cell" } else { b"table:covered-table-cell" };
                self.start_cell(tag, name)?;
                if empty {
                    self.end_cell()?;
                }
            }
            // calamine refuses anything else between the cells of a row.
            _ if self.in_row => return Err(Stop::Broken),
            _ => {}
        }
        Ok(())
    }

    fn start_cell(&mut self, tag: &[u8], name: &'static [u8]) -> Result<(), Stop> {
        let repeats = number_attr(tag, b"table:number-columns-repeated")?.unwrap_or(1);
        let mut text: u64 = 0;
        let mut valued = false;
        for key in [
            &b"office:value"[..],
            b"office:string-value",
            b"office:date-value",
            b"office:time-value",
            b"office:boolean-value",
        ] {
            if let Some(v) = attr(tag, key) {
                valued = true;
                text = text.max(v.len() as u64);
            }
        }
        let formula = attr(tag, b"table:formula");
        let string = attr(tag, b"office:value-type") == Some(b"string");
        let error = attr(tag, b"calcext:value-type") == Some(b"error");
        let string_content =
            (!valued && string) || (error && attr(tag, b"office:string-value").is_some_and(<[u8]>::is_empty));
        text += formula.map_or(0, |f| f.len() as u64);
        let filled = valued || string || formula.is_some_and(|f| !f.is_empty());
        self.cell = Some(OdsCell { repeats, filled, string_content, text, name, depth: 1, annotation: false });
        Ok(())
    }

    fn in_cell(&mut self, tok: &Tok) -> Result<(), Stop> {
        let Some(cell) = self.cell.as_mut() else { return Ok(()) };
        if cell.annotation {
            if matches!(tok, Tok::End { name: b"office:annotation" }) {
                cell.annotation = false;
            }
            return Ok(());
        }
        match *tok {
            Tok::Start { name: b"office:annotation", empty: false, .. } if cell.string_content => {
                cell.annotation = true;
            }
            Tok::Start { name, tag, empty } => {
                if name == b"text:s" {
                    let spaces = number_attr(tag, b"text:c")?.unwrap_or(1);
                    if spaces > MAX_CELL_CHARS as u64 {
                        let cell = cell_name(
                            u32::try_from(self.rows).unwrap_or(u32::MAX),
                            u32::try_from(self.pushed).unwrap_or(u32::MAX),
                        );
                        let (name, sheet) = (self.name.to_string(), self.sheet.clone());
                        let chars = usize::try_from(spaces).unwrap_or(usize::MAX);
                        return Err(Stop::Limit(FileError::CellTooLong {
                            name,
                            sheet,
                            cell,
                            chars,
                            max: MAX_CELL_CHARS,
                        }));
                    }
                    cell.text += spaces;
                }
                if name == cell.name && !empty {
                    cell.depth += 1;
                }
                cell.text += 1;
            }
            // The string content ends at the first end of any cell; other cells at their own end.
            Tok::End { name }
                if cell.string_content && (name == b"table:table-cell" || name == b"table:covered-table-cell") =>
            {
                return self.end_cell();
            }
            Tok::End { name } if !cell.string_content && name == cell.name => {
                cell.depth -= 1;
                if cell.depth == 0 {
                    return self.end_cell();
                }
            }
            Tok::Text { len } => cell.text += len as u64,
            Tok::End { .. } | Tok::Other => {}
        }
        Ok(())
    }

    /// calamine pushes the empty places pending before a cell, then the cell's repeats when it
    /// holds something (else they become pending); at most 16 384 places a row.
    fn end_cell(&mut self) -> Result<(), Stop> {
        let Some(cell) = self.cell.take() else { return Ok(()) };
        let room = |pushed: u64| ODS_MAX_COLUMNS.saturating_sub(pushed);
        self.pushed += self.pending.min(room(self.pushed));
        self.pending = 0;
        let repeats = cell.repeats.min(room(self.pushed));
        if cell.filled {
            let (first, last) = (self.pushed, self.pushed + repeats);
            if repeats > 0 {
                self.filled = Some(self.filled.map_or((first, last - 1), |(a, _)| (a, last - 1)));
            }
            self.pushed += repeats;
            self.row_text = self.row_text.saturating_add(cell.text.saturating_mul(repeats));
            if last > MAX_COLUMNS as u64 && repeats > 0 {
                let col = u32::try_from(first.max(MAX_COLUMNS as u64)).unwrap_or(u32::MAX);
                let cell = cell_name(u32::try_from(self.rows).unwrap_or(u32::MAX), col);
                let (name, sheet) = (self.name.to_string(), self.sheet.clone());
                return Err(Stop::Limit(FileError::TooManyColumns { name, sheet, cell, max: MAX_COLUMNS }));
            }
        } else {
            self.pending = repeats;
        }
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), Stop> {
        self.in_row = false;
        let index = self.row_elements.len();
        self.row_elements.push(self.row_repeats);
        let first_row = self.rows;
        self.rows += self.row_repeats;
        // Every cell pushed is kept twice (value and formula) until the sheet is built.
        self.total_pushed += self.pushed;
        if self.total_pushed > MAX_CELLS as u64 {
            return Err(self.too_many_cells());
        }
        let Some((a, b)) = self.filled else { return Ok(()) };
        if self.row_repeats > 0 && first_row + self.row_repeats > MAX_ROWS as u64 {
            let row = usize::try_from(first_row.max(MAX_ROWS as u64) + 1).unwrap_or(usize::MAX);
            let (name, sheet) = (self.name.to_string(), self.sheet.clone());
            return Err(Stop::Limit(FileError::TooManyRows { name, sheet, row, max: MAX_ROWS }));
        }
        self.filled_rows = Some(self.filled_rows.map_or((index, index), |(f, _)| (f, index)));
        self.filled_cols = Some(self.filled_cols.map_or((a, b), |(f, l)| (f.min(a), l.max(b))));
        // The row's text, copied for each repeat (and once while reading).
        self.text(self.row_text.saturating_mul(self.row_repeats + 1))
    }

    /// The area calamine allocates for the table: its filled row elements with their repeats, by
    /// its filled columns.
    fn end_table(&mut self) -> Result<(), Stop> {
        let (Some((r0, r1)), Some((c0, c1))) = (self.filled_rows, self.filled_cols) else { return Ok(()) };
        let rows: u64 = self.row_elements[r0..=r1].iter().sum();
        self.total_area = self.total_area.saturating_add(rows.saturating_mul(c1 - c0 + 1));
        if self.total_area > MAX_CELLS as u64 {
            return Err(self.too_many_cells());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(xml: &str) -> Vec<String> {
        let mut t = Tokens::new(xml.as_bytes());
        let mut out = Vec::new();
        while let Some(tok) = t.next().ok().flatten() {
            out.push(match tok {
                Tok::Start { name, empty, .. } => {
                    format!("<{}{}>", String::from_utf8_lossy(name), if empty { "/" } else { "" })
                }
                Tok::End { name } => format!("</{}>", String::from_utf8_lossy(name)),
                Tok::Text { len } => format!("text {len}"),
                Tok::Other => "other".into(),
            });
        }
        out
    }

    #[test]
    fn tokenizer_respects_quotes_comments_and_cdata() {
        let xml = r#"<?xml version="1.0"?><a x="1>2" y='>'><!-- <b> --><![CDATA[<c>]]>hi<d/></a>"#;
        assert_eq!(tokens(xml), vec!["other", "<a>", "other", "other", "text 2", "<d/>", "</a>"]);
        assert_eq!(tokens("<a/>\n"), vec!["<a/>", "text 1"]);
        assert!(events_only("<a><b".as_bytes()).is_err());
        assert_eq!(attr(br#"<c r="A1" t='s'>"#, b"t"), Some(&b"s"[..]));
        assert_eq!(attr(br#"<c xr="A1" r="B2">"#, b"r"), Some(&b"B2"[..]));
        assert_eq!(local(b"x:si"), b"si");
    }

    #[test]
    fn an_event_longer_than_the_limit_stops_the_scan() {
        let xml = format!("<a>{}</a>", "x".repeat(MAX_XML_EVENT + 10));
        assert!(matches!(events_only(xml.as_bytes()), Err(Stop::TooLong)));
        let xml = format!("<a b=\"{}\"/>", "x".repeat(MAX_XML_EVENT + 10));
        assert!(matches!(events_only(xml.as_bytes()), Err(Stop::TooLong)));
        let ok = format!("<a>{}</a>", "x".repeat(CHUNK * 3));
        assert!(events_only(ok.as_bytes()).is_ok());
    }

    fn ods(body: &str) -> Result<(), Stop> {
        let xml = format!(
            r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="S">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        OdsModel::new("x.ods").run(xml.as_bytes())
    }

    #[test]
    fn ods_repeats_are_followed_like_calamine() {
        let cell = r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;
        // Trailing empty repeats to the sheet's width and empty rows to its end cost nothing.
        let row = format!(
            r#"<table:table-row>{cell}<table:table-cell table:number-columns-repeated="16383"/></table:table-row>"#
        );
        let tail = r#"<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;
        assert!(ods(&format!("{}{tail}", row.repeat(100))).is_ok());
        // A filled cell repeated across the sheet, or a filled row repeated down it, is refused.
        let wide = r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#;
        assert!(matches!(ods(wide), Err(Stop::Limit(FileError::TooManyColumns { .. }))));
        let tall = format!(r#"<table:table-row table:number-rows-repeated="1000000">{cell}</table:table-row>"#);
        assert!(matches!(ods(&tall), Err(Stop::Limit(FileError::TooManyRows { row: 200_001, .. }))));
        // Empty repeats between filled cells are pushed.
        let gaps = format!(
            r#"<table:table-row>{cell}<table:table-cell table:number-columns-repeated="400"/>{cell}</table:table-row>"#
        );
        assert!(ods(&gaps.repeat(20_000)).is_err());
        let spaces = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="99999999999"/></text:p></table:table-cell></table:table-row>"#;
        assert!(matches!(ods(spaces), Err(Stop::Limit(FileError::CellTooLong { .. }))));
        // calamine loops forever on a table or an annotation that never ends.
        let open = format!("<table:table table:name=\"S\"><table:table-row>{cell}</table:table-row>");
        assert!(matches!(OdsModel::new("x.ods").run(open.as_bytes()), Err(Stop::Broken)));
        let note = r#"<table:table-row><table:table-cell office:value-type="string"><office:annotation></table:table-cell></table:table-row>"#;
        assert!(matches!(ods(note), Err(Stop::Broken)));
    }
}
