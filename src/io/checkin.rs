//! A meeting's 签到表 (check-in sheet) for the door: every enterprise and every expert with 单位,
//! 桌号 and 时段, the sittings count, the check-in state so far, and an empty 签名 column; as A4
//! PDF ([`PdfBuilder`]) or xlsx (numbers as numbers), written atomically.

use std::collections::BTreeSet;
use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use super::Result;
use super::export::write_atomic;
use super::pdf::PdfBuilder;
use crate::domain::meeting::{MeetingDetail, MeetingPair, Party};

/// The file kinds a 签到表 is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckinFormat {
    Pdf,
    Xlsx,
}

impl CheckinFormat {
    /// By the file's extension (.pdf / .xlsx).
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "pdf" => Some(CheckinFormat::Pdf),
            "xlsx" => Some(CheckinFormat::Xlsx),
            _ => None,
        }
    }
}

/// One line of the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckinRow {
    /// 企业 or 专家.
    pub kind: &'static str,
    /// The expert's name, or the enterprise's contact person.
    pub name: String,
    /// The enterprise, or the expert's 单位.
    pub unit: String,
    /// Tables, 1-based ("3" or "3、5").
    pub tables: String,
    /// Slots, 1-based with their start ("1（09:00）、3（09:40）").
    pub slots: String,
    pub sittings: usize,
    /// 到场 / 缺席 / empty.
    pub state: String,
}

pub const HEADERS: [&str; 9] = ["序号", "类别", "姓名/联系人", "单位", "桌号", "时段", "场数", "签到", "签名"];

/// The rows: enterprises (by table, then name), then experts (by 编号).
pub fn rows(detail: &MeetingDetail) -> Vec<CheckinRow> {
    let plan = &detail.plan;
    let state = |p: Party| plan.presence(p).map(|x| x.label().to_string()).unwrap_or_default();
    let mut out = Vec::new();
    for g in detail.groups() {
        let group = g.demands.first().map(|d| plan.group_of(d.id)).unwrap_or_default();
        let (tables, slots) = places(detail, &g.pairs);
        out.push(CheckinRow {
            kind: "企业",
            name: g.enterprise.map(|e| e.contact.clone()).unwrap_or_default(),
            unit: g.name.clone(),
            tables,
            slots,
            sittings: sittings(detail, &g.pairs, true),
            state: state(Party::Enterprise(group)),
        });
    }
    for (e, pairs) in detail.agendas() {
        let (tables, slots) = places(detail, &pairs);
        out.push(CheckinRow {
            kind: "专家",
            name: e.name.clone(),
            unit: e.institution.clone(),
            tables,
            slots,
            sittings: sittings(detail, &pairs, false),
            state: state(Party::Expert(e.id)),
        });
    }
    out
}

/// Distinct sittings among the pairs: an enterprise meets each expert once, an expert each
/// enterprise once.
fn sittings(detail: &MeetingDetail, pairs: &[&MeetingPair], by_expert: bool) -> usize {
    let keys: BTreeSet<i64> =
        pairs.iter().map(|p| if by_expert { p.expert_id } else { detail.plan.group_of(p.demand_id) }).collect();
    keys.len()
}

fn places(detail: &MeetingDetail, pairs: &[&MeetingPair]) -> (String, String) {
    let tables: BTreeSet<u32> = pairs.iter().filter_map(|p| p.table).collect();
    let slots: BTreeSet<u32> = pairs.iter().filter_map(|p| p.slot).collect();
    let m = detail.meeting();
    let t = tables.iter().map(|t| (t + 1).to_string()).collect::<Vec<_>>().join("、");
    let s = slots
        .iter()
        .map(|&s| format!("{}（{}）", s + 1, crate::domain::meeting::hhmm(m.start_min + s * m.slot_minutes)))
        .collect::<Vec<_>>()
        .join("、");
    (t, s)
}

fn title(detail: &MeetingDetail) -> String {
    format!("{} · 签到表", detail.meeting().name)
}

fn subtitle(detail: &MeetingDetail) -> String {
    let m = detail.meeting();
    let mut v = Vec::new();
    if !m.date.is_empty() {
        v.push(format!("日期：{}", m.date));
    }
    v.push(format!("时间：{}", m.time_range()));
    if !m.venue.is_empty() {
        v.push(format!("地点：{}", m.venue));
    }
    v.join("    ")
}

fn cells(i: usize, r: &CheckinRow) -> Vec<String> {
    vec![
        (i + 1).to_string(),
        r.kind.to_string(),
        r.name.clone(),
        r.unit.clone(),
        r.tables.clone(),
        r.slots.clone(),
        r.sittings.to_string(),
        r.state.clone(),
        String::new(),
    ]
}

/// The A4 PDF: the enterprises' table, then the experts'.
pub fn pdf_doc(detail: &MeetingDetail) -> PdfBuilder {
    let mut doc = PdfBuilder::new(&title(detail));
    doc.title(&title(detail));
    doc.paragraph(&subtitle(detail), 10.5);
    let all = rows(detail);
    let widths = [0.6, 0.7, 1.3, 2.6, 0.8, 2.2, 0.6, 0.7, 1.6];
    for (kind, header) in [("企业", "参会企业"), ("专家", "参会专家")] {
        let part: Vec<Vec<String>> =
            all.iter().filter(|r| r.kind == kind).enumerate().map(|(i, r)| cells(i, r)).collect();
        doc.section(header);
        doc.table(&HEADERS, &widths, &part);
    }
    doc
}

/// The workbook: one sheet, enterprises then experts; 序号 and 场数 (and a single 桌号) as numbers.
pub fn xlsx(detail: &MeetingDetail) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("签到表")?;
    ws.set_paper_size(9);
    let border = |f: Format| f.set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let head = border(Format::new().set_bold()).set_align(FormatAlign::Center);
    let cell = border(Format::new());
    ws.merge_range(0, 0, 0, HEADERS.len() as u16 - 1, &title(detail), &Format::new().set_bold().set_font_size(16))?;
    ws.write_string(1, 0, subtitle(detail))?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &head)?;
    }
    let all = rows(detail);
    let mut n = [0usize; 2];
    for (i, r) in all.iter().enumerate() {
        let row = 3 + i as u32;
        let k = usize::from(r.kind == "专家");
        n[k] += 1;
        for (c, v) in cells(n[k] - 1, r).iter().enumerate() {
            let numeric = matches!(c, 0 | 6) || (c == 4 && !v.contains('、'));
            match v.parse::<f64>() {
                Ok(x) if numeric => ws.write_number_with_format(row, c as u16, x, &cell)?,
                _ => ws.write_string_with_format(row, c as u16, v, &cell)?,
            };
        }
        ws.set_row_height(row, 28)?;
    }
    for (c, w) in [5.0, 6.0, 12.0, 26.0, 8.0, 24.0, 6.0, 7.0, 18.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Renders and writes atomically; returns the characters a PDF could not print.
pub fn save(detail: &MeetingDetail, format: CheckinFormat, path: &Path) -> Result<Vec<char>> {
    match format {
        CheckinFormat::Pdf => {
            let doc = pdf_doc(detail);
            let missing = doc.missing_chars();
            write_atomic(path, &doc.finish()?)?;
            Ok(missing)
        }
        CheckinFormat::Xlsx => {
            write_atomic(path, &xlsx(detail)?)?;
            Ok(Vec::new())
        }
    }
}
