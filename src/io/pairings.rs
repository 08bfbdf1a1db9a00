//! Reading a pairing history sheet (`bole import pairings`): columns 需求编号, 专家编号, and
//! optionally 阶段/结果, 日期, 备注, in any order, under the header names offices use. Rows come
//! out typed with their line numbers; the engine resolves the 编号 and applies the rules.

use super::table::Table;
use super::{FileError, Result};

/// One row of a pairing sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairingRow {
    /// Spreadsheet row number (1-based).
    pub line: usize,
    pub demand: String,
    pub expert: String,
    pub stage: String,
    pub date: String,
    pub note: String,
}

/// Header spellings per column.
const DEMAND: &[&str] = &["需求编号", "需求id", "demand_id", "demand"];
const EXPERT: &[&str] = &["专家编号", "专家id", "expert_id", "expert"];
const STAGE: &[&str] = &["阶段/结果", "阶段", "结果", "进展", "状态", "stage"];
const DATE: &[&str] = &["日期", "对接日期", "时间", "date"];
const NOTE: &[&str] = &["备注", "说明", "note"];

fn key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
}

fn find(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| names.iter().any(|n| key(h) == key(n)))
}

/// The rows of the first sheet that has a 需求编号 and a 专家编号 column in its first ten rows.
pub fn rows(tables: &[Table], file: &str) -> Result<Vec<PairingRow>> {
    for t in tables {
        for (hi, header) in t.rows.iter().enumerate().take(10) {
            let (Some(d), Some(e)) = (find(header, DEMAND), find(header, EXPERT)) else { continue };
            let (s, dt, n) = (find(header, STAGE), find(header, DATE), find(header, NOTE));
            let cell = |row: &[String], i: Option<usize>| {
                i.and_then(|i| row.get(i)).map(|c| c.trim().to_string()).unwrap_or_default()
            };
            let out = t.rows[hi + 1..]
                .iter()
                .enumerate()
                .map(|(i, row)| PairingRow {
                    line: t.first_row + hi + 1 + i,
                    demand: cell(row, Some(d)),
                    expert: cell(row, Some(e)),
                    stage: cell(row, s),
                    date: cell(row, dt),
                    note: cell(row, n),
                })
                .filter(|r| !(r.demand.is_empty() && r.expert.is_empty() && r.stage.is_empty() && r.note.is_empty()))
                .collect();
            return Ok(out);
        }
    }
    Err(FileError::NoPairingHeader { file: file.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table {
            sheet: "Sheet1".into(),
            rows: rows.iter().map(|r| r.iter().map(|c| (*c).to_string()).collect()).collect(),
            first_row: 1,
            mislabeled: None,
        }
    }

    #[test]
    fn columns_in_any_order_under_office_names() {
        let t = table(&[
            &["对接记录"],
            &["专家编号", "备注", "需求编号", "阶段"],
            &["E1", "", "D1", "已对接"],
            &["", "", "", ""],
            &["E2", "见过面", "D2", ""],
        ]);
        let r = rows(&[t], "h.xlsx").unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].line, r[0].demand.as_str(), r[0].expert.as_str(), r[0].stage.as_str()),
            (3, "D1", "E1", "已对接")
        );
        assert_eq!((r[1].line, r[1].note.as_str(), r[1].date.as_str()), (5, "见过面", ""));
    }

    #[test]
    fn a_sheet_without_the_two_columns_is_refused() {
        let t = table(&[&["姓名", "单位"], &["张三", "福州大学"]]);
        assert!(matches!(rows(&[t], "x.csv"), Err(FileError::NoPairingHeader { .. })));
    }
}
