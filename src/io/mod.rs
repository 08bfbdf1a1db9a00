//! Files in and out: reading the office's spreadsheets into typed rows with a report of rejected
//! rows ([`table`], [`headers`], [`import`]), and writing files (the rejected-rows workbook in
//! [`export`], a meeting's pairing sheets as xlsx/PDF/CSV in [`sheets`] with the PDF builder in
//! [`pdf`]). Nothing here decides matches or draws UI.

pub mod export;
pub mod headers;
pub mod import;
pub mod knowledge;
pub mod pdf;
pub mod sheets;
pub mod table;

pub use import::{Counts, ImportPlan};
