//! The built-in demo data (fictional, see data/demo/): an experts workbook, a demands workbook and
//! hand-labelled pairs, compiled into the program so `bole demo` and a first start work anywhere.

pub const EXPERTS_FILE: &str = "experts.xlsx";
pub const EXPERTS_XLSX: &[u8] = include_bytes!("../data/demo/experts.xlsx");
pub const DEMANDS_FILE: &str = "demands.xlsx";
pub const DEMANDS_XLSX: &[u8] = include_bytes!("../data/demo/demands.xlsx");
/// demand_id,expert_id,reason — pairs a domain expert agrees should match.
pub const LABELLED_PAIRS_CSV: &str = include_str!("../data/demo/labelled_pairs.csv");
