//! Files in and out: reading the office's spreadsheets into typed rows with a report of rejected
//! rows ([`table`], [`headers`], [`import`]), and writing files (the rejected-rows workbook in
//! [`export`], a meeting's pairing sheets as xlsx/PDF/CSV in [`sheets`] with the PDF builder in
//! [`pdf`]). Nothing here decides matches or draws UI.

pub mod export;
pub mod headers;
pub mod import;
pub mod knowledge;
pub mod lists;
pub mod pairings;
pub mod pdf;
pub mod sheets;
pub mod table;

pub use import::{Counts, ImportPlan};

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
    #[error("{name}: not a spreadsheet type Bole reads")]
    Unsupported { name: String },
    #[error("{name}: cannot be opened as a spreadsheet")]
    Damaged { name: String },
    #[error("{name}: sheet {sheet} cannot be read: {detail}")]
    Sheet { name: String, sheet: String, detail: String },
    #[error("text with a {bom} byte-order mark has bytes that are not {bom}")]
    BadBom { bom: &'static str },
    #[error("text encoding is neither UTF-8 nor GBK/GB18030")]
    Encoding,
    #[error("{name}: a quote opened on line {line} is never closed")]
    UnclosedQuote { name: String, line: usize, snippet: String, lines_after: usize },
    #[error("CSV line {line} cannot be read")]
    CsvUnreadable { line: usize },
    #[error("{file}: no header of the {kind:?} list")]
    NoHeader { file: String, kind: RecordKind, identity: Vec<&'static str> },
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
