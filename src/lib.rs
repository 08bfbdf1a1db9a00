//! Bole (伯乐) pairs a county talent office's two lists — the expert talent pool (专家人才库) and the
//! enterprise key-technology demand list (企业关键核心技术需求清单).
//!
//! Layers, bottom up (see ARCHITECTURE.md):
//! - [`domain`]: plain types and pure rules (records, the new-material taxonomy, text normalisation).
//! - [`store`]: the SQLite file that is the source of truth (schema migrations, reads, writes).
//! - [`io`]: reading the office's spreadsheets (xlsx/xls/ods/csv) into typed rows with a report of
//!   rejected rows, and writing files back out.
//! - [`cli`]: the command-line front end over the same functions.

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
pub mod util;
