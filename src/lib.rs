//! Bole (伯乐) pairs a county talent office's two lists — the expert talent pool (专家人才库) and the
//! enterprise key-technology demand list (企业关键核心技术需求清单).
//!
//! Layers, bottom up (see ARCHITECTURE.md):
//! - [`domain`]: plain types and pure rules (records, the new-material taxonomy, meetings and 回避).
//! - [`store`]: the SQLite file that is the source of truth (schema migrations, reads, writes).
//! - [`io`]: reading the office's spreadsheets (xlsx/xls/ods/csv) into typed rows with a report of
//!   rejected rows, and writing files back out (rejected rows, pairing sheets as xlsx/PDF/CSV).
//! - [`search`]: the tantivy index, rebuildable from the store.
//! - [`matching`]: scores with reasons, meeting assignment and schedule — pure functions.
//! - [`engine`]: the owner of the connection and the index, and its worker thread for the GUI.
//! - [`text`]: the words users read — every error and outcome in Chinese, worded once.
//! - [`app`]: the eframe desktop app; [`cli`]: the command-line front end over the same engine.

pub mod app;
pub mod assets;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod engine;
pub mod io;
pub mod matching;
pub mod search;
pub mod store;
pub mod text;
pub mod util;
