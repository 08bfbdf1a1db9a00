//! The two lists as files for people: 专家人才库 and 企业需求 as xlsx (a header row the importer
//! reads, frozen, filterable, numbers as numbers) or CSV (UTF-8 with BOM, formula cells
//! neutralised). Exporting and importing into an empty database gives the same lists.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};

use super::export::write_atomic;
use super::headers::{DemandField, ExpertField, Field};
use super::sheets::neutralise;
use super::{FileError, Result};
use crate::domain::{Demand, Enterprise, Expert, Taxonomy};

/// A cell of an exported list.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => crate::util::number_text(*n),
        }
    }
}

/// A sheet: its name, the header labels (the importer's canonical ones) and the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ListSheet {
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

fn subfields_cell(tax: &Taxonomy, codes: &[String], text: &str) -> Cell {
    if codes.is_empty() {
        return Cell::Text(text.to_string());
    }
    Cell::Text(codes.iter().map(|c| tax.name(c).unwrap_or(c)).collect::<Vec<_>>().join("；"))
}

/// The expert pool, one row per expert, every column the importer reads.
pub fn experts_sheet(experts: &[Expert], tax: &Taxonomy) -> ListSheet {
    use ExpertField as F;
    let fields: Vec<F> = F::ALIASES.iter().map(|(f, _, _)| *f).collect();
    let rows = experts
        .iter()
        .map(|e| {
            fields
                .iter()
                .map(|f| {
                    let t = |s: &str| Cell::Text(s.to_string());
                    match f {
                        F::Id => t(&e.ext_id),
                        F::Name => t(&e.name),
                        F::Gender => t(&e.gender),
                        F::Institution => t(&e.institution),
                        F::Department => t(&e.department),
                        F::Title => t(&e.title),
                        F::Recommender => t(&e.recommender),
                        F::Subfield => subfields_cell(tax, &e.subfields, &e.subfield_text),
                        F::Research => t(&e.research),
                        F::Achievements => t(&e.achievements),
                        F::Keywords => t(&e.keywords.join("；")),
                        F::Coop => t(&e.coop_modes.join("；")),
                        F::Region => t(&e.region),
                        F::Phone => t(&e.phone),
                        F::Email => t(&e.email),
                        F::Note => t(&e.note),
                        F::Available => t(if e.available { "是" } else { "否" }),
                    }
                })
                .collect()
        })
        .collect();
    ListSheet { name: "专家人才库", headers: fields.iter().map(|f| f.label()).collect(), rows }
}

/// The demand list, one row per demand with its enterprise's fields.
pub fn demands_sheet(
    demands: &[Demand],
    enterprise: &dyn Fn(&Demand) -> Option<Enterprise>,
    tax: &Taxonomy,
) -> ListSheet {
    use DemandField as F;
    let fields: Vec<F> = F::ALIASES.iter().map(|(f, _, _)| *f).collect();
    let rows = demands
        .iter()
        .map(|d| {
            let en = enterprise(d).unwrap_or_default();
            fields
                .iter()
                .map(|f| {
                    let t = |s: &str| Cell::Text(s.to_string());
                    match f {
                        F::Id => t(&d.ext_id),
                        F::Enterprise => t(&d.enterprise),
                        F::CreditCode => t(&en.credit_code),
                        F::Park => t(&en.park),
                        F::Contact => t(&en.contact),
                        F::Phone => t(&en.phone),
                        F::Title => t(&d.title),
                        F::Description => t(&d.description),
                        F::Subfield => subfields_cell(tax, &d.subfields, &d.subfield_text),
                        F::Keywords => t(&d.keywords.join("；")),
                        F::Coop => t(&d.coop_modes.join("；")),
                        F::Budget => d.budget_wan.map_or_else(|| t(&d.budget_text), Cell::Number),
                        F::Urgency => t(d.urgency.map(crate::domain::Urgency::label).unwrap_or("")),
                        F::Deadline => t(&d.deadline),
                        F::Status => t(d.status.label()),
                        F::AvoidUnits => t(&en.avoid_units.join("；")),
                        F::AvoidPersons => t(&en.avoid_persons.join("；")),
                    }
                })
                .collect()
        })
        .collect();
    ListSheet { name: "企业需求清单", headers: fields.iter().map(|f| f.label()).collect(), rows }
}

/// The sheet as xlsx bytes.
pub fn xlsx(sheet: &ListSheet) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet.name)?;
    let head = Format::new().set_bold().set_background_color(rust_xlsxwriter::Color::RGB(0xDD_EB_F7));
    let wrap = Format::new().set_text_wrap();
    for (c, h) in sheet.headers.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(0, c, *h, &head)?;
        ws.set_column_width(c, if matches!(*h, "研究方向" | "代表性成果" | "需求描述") { 40.0 } else { 14.0 })?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| FileError::Font("too many rows".into()))?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    ws.write_string_with_format(r, c, s, &wrap)?;
                }
                Cell::Number(n) => {
                    ws.write_number(r, c, *n)?;
                }
            }
        }
    }
    let last_col = u16::try_from(sheet.headers.len().saturating_sub(1)).unwrap_or(0);
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, u32::try_from(sheet.rows.len()).unwrap_or(0), last_col)?;
    Ok(wb.save_to_buffer()?)
}

/// The sheet as CSV: UTF-8 with BOM, CRLF, formula cells neutralised.
pub fn csv(sheet: &ListSheet) -> Vec<u8> {
    let field = |c: &str| {
        let c = neutralise(c);
        if c.contains([',', '"', '\n', '\r']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c }
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&sheet.headers.iter().map(|h| field(h)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for row in &sheet.rows {
        out.push_str(&row.iter().map(|c| field(&c.text())).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// Writes the sheet to `path` (xlsx, or CSV for `.csv`), atomically.
pub fn save(sheet: &ListSheet, path: &Path) -> Result<()> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let bytes = match ext.as_str() {
        "csv" => csv(sheet),
        "xlsx" => xlsx(sheet)?,
        _ => return Err(FileError::Unsupported { name: path.display().to_string() }),
    };
    write_atomic(path, &bytes)
}
