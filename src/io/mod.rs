//! Files in and out: reading the office's spreadsheets into typed rows with a report of rejected
//! rows ([`table`], [`headers`], [`import`]), and writing files (the rejected-rows workbook in
//! [`export`], a meeting's pairing sheets as xlsx/PDF/CSV in [`sheets`] with the PDF builder in
//! [`pdf`]). Nothing here decides matches or draws UI.

mod cfb;
pub mod checkin;
pub mod export;
mod grid;
pub mod headers;
pub mod import;
pub mod knowledge;
pub mod lists;
pub mod pairings;
pub mod pdf;
pub mod report;
pub mod sheets;
mod sniff;
pub mod table;
mod xml_scan;

pub use import::{Counts, ImportPlan};
pub use sniff::{Content, Format, Mislabeled, SpecialFile};

/// The largest file read, in bytes (50 MB): a list of ten thousand experts with long profiles is a
/// few MB; anything much larger is not a list (or holds sheets that do not belong to it).
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// The most a workbook (xlsx/ods: a zip of XML parts) may inflate to, all parts together (300 MB).
pub const MAX_INFLATED_BYTES: u64 = 300 * 1024 * 1024;
/// The most parts a workbook zip may hold (a sheet is two or three parts).
pub const MAX_ZIP_PARTS: usize = 10_000;
/// The most sheets read from one workbook.
pub const MAX_SHEETS: usize = 256;
/// The most rows of a sheet (and records of a CSV file).
pub const MAX_ROWS: usize = 200_000;
/// The most columns of a sheet: a cell with text beyond is refused, empty cells there are ignored.
pub const MAX_COLUMNS: usize = 500;
/// The most cells of a workbook, counting the empty ones between cells with text.
pub const MAX_CELLS: usize = 3_000_000;
/// The longest cell, in characters (Excel's own limit is 32 767).
pub const MAX_CELL_CHARS: usize = 32_767;
/// The most text of a workbook, all cells together, in bytes (100 MB).
pub const MAX_TEXT_BYTES: usize = 100 * 1024 * 1024;

use std::path::PathBuf;

use crate::domain::RecordKind;
use crate::store::StoreError;

/// What can go wrong reading or writing a file. Each says which file; the words for users are
/// made at the edge (`text`).
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{path}: not a regular file ({what:?})")]
    NotAFile { path: PathBuf, what: SpecialFile },
    #[error("{name}: {bytes} bytes, more than {max}")]
    TooBig { name: String, bytes: u64, max: u64 },
    /// A part of a workbook zip (`part` empty: all parts together) inflates beyond [`MAX_INFLATED_BYTES`].
    #[error("{name}: part {part:?} inflates to {bytes} bytes, more than {max}")]
    Inflates { name: String, part: String, bytes: u64, max: u64 },
    /// One XML event (a tag, a text run) of a workbook part longer than the scan allows.
    #[error("{name}: part {part:?} holds an XML event longer than {max} bytes")]
    LongXml { name: String, part: String, max: usize },
    #[error("{name}: {parts} parts in the zip, more than {max}")]
    TooManyParts { name: String, parts: usize, max: usize },
    #[error("{name}: {sheets} sheets, more than {max}")]
    TooManySheets { name: String, sheets: usize, max: usize },
    /// A cell beyond the last row read (`row` is 1-based as Excel shows it; `sheet` empty for CSV).
    #[error("{name}: sheet {sheet:?}: a cell in row {row}, more than {max} rows")]
    TooManyRows { name: String, sheet: String, row: usize, max: usize },
    /// A cell beyond the last column read (`cell` as Excel names it, e.g. XFD1048576, or 第 N 行第 M 列 for CSV).
    #[error("{name}: sheet {sheet:?}: cell {cell} beyond column {max}")]
    TooManyColumns { name: String, sheet: String, cell: String, max: usize },
    #[error("{name}: sheet {sheet:?}: more than {max} cells")]
    TooManyCells { name: String, sheet: String, max: usize },
    /// More formatting elements (cell formats, fonts, fills …) than any real workbook has.
    #[error("{name}: more than {max} style elements")]
    TooManyStyles { name: String, max: u64 },
    #[error("{name}: more than {max} bytes of text")]
    TooMuchText { name: String, max: usize },
    #[error("{name}: sheet {sheet:?}: cell {cell} holds {chars} characters, more than {max}")]
    CellTooLong { name: String, sheet: String, cell: String, chars: usize, max: usize },
    #[error("{name}: not a spreadsheet type Bole reads")]
    Unsupported { name: String },
    /// The content is something else than a list Bole reads (a web page, a PDF, a Word file …).
    #[error("{name}: the content is {found:?}")]
    Content { name: String, found: Content },
    #[error("{name}: cannot be opened as a spreadsheet")]
    Damaged { name: String },
    #[error("{name}: sheet {sheet} cannot be read: {detail}")]
    Sheet { name: String, sheet: String, detail: String },
    #[error("text with a {bom} byte-order mark has bytes that are not {bom}")]
    BadBom { bom: &'static str },
    #[error("text encoding is neither UTF-8 nor GBK/GB18030")]
    Encoding,
    /// Mostly UTF-8 text with bytes that are not (GBK text pasted in, or damage) from `line` on.
    #[error("text mixes UTF-8 and other bytes from line {line}")]
    MixedEncoding { line: usize },
    #[error("{name}: a quote opened on line {line} is never closed")]
    UnclosedQuote { name: String, line: usize, snippet: String, lines_after: usize },
    #[error("CSV line {line} cannot be read")]
    CsvUnreadable { line: usize },
    #[error("{file}: no header of the {kind:?} list")]
    NoHeader { file: String, kind: RecordKind, identity: Vec<&'static str> },
    /// No header of the chosen list, but the header of the other one.
    #[error("{file}: the header of the {found:?} list, not of the {kind:?} list")]
    OtherKind { file: String, kind: RecordKind, found: RecordKind },
    #[error("{file}: no 需求编号 and 专家编号 columns")]
    NoPairingHeader { file: String },
    #[error("xlsx writer: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("the bundled font cannot be embedded: {0}")]
    Font(String),
    #[error("knowledge file {file}: {detail}")]
    Knowledge { file: PathBuf, detail: String },
    #[error("cancelled")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for FileError {
    fn from(e: rusqlite::Error) -> Self {
        FileError::Store(e.into())
    }
}

/// The result of a file operation.
pub type Result<T, E = FileError> = std::result::Result<T, E>;
