//! Pairing sheets (对接表) of a meeting, for printing and handing out:
//! - xlsx: a whole-meeting sheet, one sheet per enterprise, and one page per expert's agenda on a
//!   “专家日程” sheet; A4 print setup with headers/footers and repeated title rows;
//! - PDF: the per-enterprise sheets and per-expert agendas with signature lines ([`super::pdf`]);
//! - CSV: the whole-meeting table, UTF-8 with BOM, formula-injection neutralised.
//!
//! Contacts (phone, e-mail) are included unless the caller leaves them out.

use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use super::Result;

use super::export::write_atomic;
use super::pdf::PdfBuilder;
use crate::domain::meeting::{MeetingDetail, MeetingPair};
use crate::domain::{Demand, Expert};

/// The file kinds a meeting exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Xlsx,
    Pdf,
    Csv,
}

impl SheetFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().trim_start_matches('.').to_ascii_lowercase().as_str() {
            "xlsx" | "excel" => Some(Self::Xlsx),
            "pdf" => Some(Self::Pdf),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Pdf => "pdf",
            Self::Csv => "csv",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Xlsx => "Excel 工作簿",
            Self::Pdf => "PDF 文档",
            Self::Csv => "CSV 表格",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetOptions {
    /// Include phone numbers and e-mail addresses.
    pub contacts: bool,
}

impl Default for SheetOptions {
    fn default() -> Self {
        SheetOptions { contacts: true }
    }
}

/// Renders the meeting in `format`.
pub fn render(detail: &MeetingDetail, format: SheetFormat, opts: SheetOptions) -> Result<Vec<u8>> {
    match format {
        SheetFormat::Xlsx => xlsx(detail, opts),
        SheetFormat::Pdf => pdf(detail, opts),
        SheetFormat::Csv => Ok(csv(detail, opts)),
    }
}

/// Renders and writes atomically (a failure leaves no half-written file). Returns the characters
/// a PDF could not print (the bundled font lacks them; they show as □), so the user is told.
pub fn save(detail: &MeetingDetail, format: SheetFormat, opts: SheetOptions, path: &Path) -> Result<Vec<char>> {
    if format == SheetFormat::Pdf {
        let doc = pdf_doc(detail, opts);
        let missing = doc.missing_chars();
        write_atomic(path, &doc.finish()?)?;
        return Ok(missing);
    }
    write_atomic(path, &render(detail, format, opts)?)?;
    Ok(Vec::new())
}

/// The whole-meeting table: header and rows.
pub fn overview_rows(detail: &MeetingDetail, opts: SheetOptions) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let mut head = vec![
        "时段",
        "时间",
        "桌号",
        "企业",
        "需求编号",
        "需求名称",
        "专家编号",
        "专家",
        "单位",
        "职称",
        "匹配度",
        "匹配理由",
        "锁定",
    ];
    if opts.contacts {
        head.extend(["企业联系人", "企业电话", "专家电话", "专家邮箱"]);
    }
    let m = detail.meeting();
    let rows = detail
        .pairs_by_time()
        .into_iter()
        .map(|p| {
            let d = detail.demands.get(&p.demand_id);
            let e = detail.experts.get(&p.expert_id);
            let en = d.and_then(|d| d.enterprise_id).and_then(|id| detail.enterprises.get(&id));
            let mut row = vec![
                p.slot.map(|s| (s + 1).to_string()).unwrap_or_else(|| "未排".into()),
                p.slot.map(|s| m.slot_label(s)).unwrap_or_default(),
                p.table.map(|t| (t + 1).to_string()).unwrap_or_else(|| "未排".into()),
                d.map(|d| d.enterprise.clone()).unwrap_or_default(),
                d.map(|d| d.ext_id.clone()).unwrap_or_default(),
                d.map(|d| d.title.clone()).unwrap_or_default(),
                e.map(|e| e.ext_id.clone()).unwrap_or_default(),
                e.map(|e| e.name.clone()).unwrap_or_default(),
                e.map(|e| e.institution.clone()).unwrap_or_default(),
                e.map(|e| e.title.clone()).unwrap_or_default(),
                format!("{:.0}", p.score),
                p.reasons.join("；"),
                if p.locked { "是".into() } else { String::new() },
            ];
            if opts.contacts {
                row.extend([
                    en.map(|x| x.contact.clone()).unwrap_or_default(),
                    en.map(|x| x.phone.clone()).unwrap_or_default(),
                    e.map(|e| e.phone.clone()).unwrap_or_default(),
                    e.map(|e| e.email.clone()).unwrap_or_default(),
                ]);
            }
            row
        })
        .collect();
    (head, rows)
}

// ---------------------------------------------------------------- CSV

/// A cell that a spreadsheet would read as a formula (= + - @, or a leading tab/CR) gets a
/// leading apostrophe, so it shows as text and never runs.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn csv_field(cell: &str) -> String {
    let c = neutralise(cell);
    if c.contains([',', '"', '\n', '\r']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c }
}

/// The whole-meeting table as CSV: UTF-8 with BOM (Excel on Chinese Windows then reads it
/// right), CRLF line ends.
pub fn csv(detail: &MeetingDetail, opts: SheetOptions) -> Vec<u8> {
    let (head, rows) = overview_rows(detail, opts);
    let mut out = String::from("\u{feff}");
    out.push_str(&head.iter().map(|h| csv_field(h)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for r in rows {
        out.push_str(&r.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

// ---------------------------------------------------------------- xlsx

/// Writes a cell; in a `numeric` column (时段, 桌号, 匹配度) a number is written as a number, so
/// Excel sorts and sums it (“未排” stays text).
fn put(ws: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, v: &str, f: &Format, numeric: bool) -> Result<()> {
    match v.parse::<f64>() {
        Ok(n) if numeric && n.is_finite() => {
            ws.write_number_with_format(row, col, n, f)?;
        }
        _ => {
            ws.write_string_with_format(row, col, v, f)?;
        }
    }
    Ok(())
}

struct Styles {
    title: Format,
    info: Format,
    head: Format,
    cell: Format,
    center: Format,
    sign: Format,
}

impl Styles {
    fn new() -> Self {
        let border =
            |f: Format| f.set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
        Styles {
            title: Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center),
            info: Format::new().set_font_size(10.5).set_text_wrap(),
            head: border(Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7)))
                .set_align(FormatAlign::Center),
            cell: border(Format::new().set_font_size(10.5)),
            center: border(Format::new().set_font_size(10.5)).set_align(FormatAlign::Center),
            sign: Format::new().set_font_size(12),
        }
    }
}

/// A4, with the meeting in the header and page numbers in the footer.
fn print_setup(ws: &mut Worksheet, header: &str, landscape: bool) {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    }
    ws.set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
    // & starts a code in Excel headers; a literal one is written &&.
    ws.set_header(format!("&L&9{}", header.replace('&', "&&")));
    ws.set_footer("&C&9第 &P 页，共 &N 页");
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
}

/// A sheet name Excel accepts (≤ 31 characters, none of []:*?/\), unique in `used`.
fn sheet_name(base: &str, used: &mut Vec<String>) -> String {
    let clean: String = base.chars().filter(|c| !"[]:*?/\\'".contains(*c)).collect();
    let clean = if clean.trim().is_empty() { "企业".to_string() } else { clean.trim().to_string() };
    let mut n = 1;
    loop {
        let suffix = if n == 1 { String::new() } else { format!("({n})") };
        let room = 31 - suffix.chars().count();
        let name: String = clean.chars().take(room).collect::<String>() + &suffix;
        if !used.iter().any(|u| u.to_lowercase() == name.to_lowercase()) {
            used.push(name.clone());
            return name;
        }
        n += 1;
    }
}

fn widths(ws: &mut Worksheet, w: &[f64]) -> Result<()> {
    for (i, w) in w.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    Ok(())
}

fn meeting_line(detail: &MeetingDetail) -> String {
    let m = detail.meeting();
    let mut parts = vec![];
    if !m.date.is_empty() {
        parts.push(format!("日期：{}", m.date));
    }
    parts.push(format!("时间：{}（每时段 {} 分钟）", m.time_range(), m.slot_minutes));
    if !m.venue.is_empty() {
        parts.push(format!("地点：{}", m.venue));
    }
    parts.join("    ")
}

fn expert_title(e: &Expert) -> String {
    [e.institution.as_str(), e.department.as_str(), e.title.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn demand_summary(d: &Demand, n: usize) -> String {
    let text = if d.description.is_empty() { d.title.clone() } else { d.description.clone() };
    crate::util::short(&text, n)
}

fn contact_of_expert(e: &Expert) -> String {
    [e.phone.as_str(), e.email.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("\n")
}

/// The workbook: 总表, one sheet per enterprise, 专家日程.
pub fn xlsx(detail: &MeetingDetail, opts: SheetOptions) -> Result<Vec<u8>> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    let mut used = vec!["总表".to_string(), "专家日程".to_string()];
    xlsx_overview(&mut wb, &st, detail, opts)?;
    for g in detail.groups() {
        xlsx_enterprise(&mut wb, &st, detail, &g, opts, &mut used)?;
    }
    xlsx_agendas(&mut wb, &st, detail, opts)?;
    Ok(wb.save_to_buffer()?)
}

/// 总表: every pair, one row each, filterable.
fn xlsx_overview(wb: &mut Workbook, st: &Styles, detail: &MeetingDetail, opts: SheetOptions) -> Result<()> {
    let m = detail.meeting();
    let (head, rows) = overview_rows(detail, opts);
    let ws = wb.add_worksheet();
    ws.set_name("总表")?;
    print_setup(ws, &m.name, true);
    let last = head.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last, &format!("{} · 对接总表", m.name), &st.title)?;
    ws.merge_range(1, 0, 1, last, &meeting_line(detail), &st.info)?;
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &st.head)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let f = if matches!(c, 0 | 2 | 10 | 12) { &st.center } else { &st.cell };
            put(ws, r as u32 + 3, c as u16, v, f, matches!(c, 0 | 2 | 10))?;
        }
    }
    widths(ws, &[5.0, 12.0, 5.0, 22.0, 9.0, 24.0, 9.0, 8.0, 20.0, 10.0, 6.0, 40.0, 5.0, 9.0, 13.0, 13.0, 20.0])?;
    ws.set_repeat_rows(2, 2)?;
    ws.set_freeze_panes(3, 0)?;
    ws.autofilter(2, 0, 2 + rows.len() as u32, last)?;
    Ok(())
}

/// One enterprise's sheet: its demands, then its sittings, and a signature line.
fn xlsx_enterprise(
    wb: &mut Workbook,
    st: &Styles,
    detail: &MeetingDetail,
    g: &crate::domain::meeting::GroupSheet<'_>,
    opts: SheetOptions,
    used: &mut Vec<String>,
) -> Result<()> {
    let m = detail.meeting();
    {
        let ws = wb.add_worksheet();
        let tab = match g.table {
            Some(t) => format!("{}号桌 {}", t + 1, g.name),
            None => g.name.clone(),
        };
        ws.set_name(sheet_name(&tab, used))?;
        print_setup(ws, &format!("{} · {}", m.name, g.name), false);
        let mut head = vec!["时段", "时间", "桌号", "需求", "专家", "单位 / 职称", "匹配理由"];
        if opts.contacts {
            head.push("联系方式");
        }
        head.push("专家签字");
        let last = head.len() as u16 - 1;
        ws.merge_range(0, 0, 0, last, &format!("{} · 企业对接表", m.name), &st.title)?;
        let mut info = format!("企业：{}    桌号：{}", g.name, MeetingDetail::table_label(g.table));
        if opts.contacts
            && let Some(en) = g.enterprise
            && !(en.contact.is_empty() && en.phone.is_empty())
        {
            info.push_str(&format!("    联系人：{} {}", en.contact, en.phone));
        }
        ws.merge_range(1, 0, 1, last, &format!("{}\n{info}", meeting_line(detail)), &st.info)?;
        ws.set_row_height(1, 32)?;
        let mut row = 2u32;
        for d in &g.demands {
            let text = format!("需求 {}：{}\n{}", d.ext_id, d.title, demand_summary(d, 160));
            ws.merge_range(row, 0, row, last, &text, &st.info)?;
            ws.set_row_height(row, 45)?;
            row += 1;
        }
        let head_row = row;
        for (c, h) in head.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &st.head)?;
        }
        row += 1;
        for p in &g.pairs {
            let (Some(d), Some(e)) = (detail.demands.get(&p.demand_id), detail.experts.get(&p.expert_id)) else {
                continue;
            };
            let mut cells = vec![
                p.slot.map(|s| (s + 1).to_string()).unwrap_or_else(|| "未排".into()),
                p.slot.map(|s| m.slot_label(s)).unwrap_or_default(),
                p.table.map(|t| (t + 1).to_string()).unwrap_or_else(|| "未排".into()),
                d.ext_id.clone(),
                e.name.clone(),
                expert_title(e),
                p.reasons.join("\n"),
            ];
            if opts.contacts {
                cells.push(contact_of_expert(e));
            }
            cells.push(String::new());
            for (c, v) in cells.iter().enumerate() {
                let f = if matches!(c, 0 | 2 | 3) { &st.center } else { &st.cell };
                put(ws, row, c as u16, v, f, matches!(c, 0 | 2))?;
            }
            ws.set_row_height(row, 48)?;
            row += 1;
        }
        row += 1;
        ws.merge_range(row, 0, row, last, "企业代表签字：____________________    日期：______________", &st.sign)?;
        let mut w = vec![5.0, 12.0, 5.0, 9.0, 8.0, 20.0, 36.0];
        if opts.contacts {
            w.push(18.0);
        }
        w.push(12.0);
        widths(ws, &w)?;
        ws.set_repeat_rows(head_row, head_row)?;
    }
    Ok(())
}

/// 专家日程: one printed page per expert.
fn xlsx_agendas(wb: &mut Workbook, st: &Styles, detail: &MeetingDetail, opts: SheetOptions) -> Result<()> {
    let m = detail.meeting();
    let ws = wb.add_worksheet();
    ws.set_name("专家日程")?;
    print_setup(ws, &format!("{} · 专家日程", m.name), false);
    let head = ["时段", "时间", "桌号", "企业", "需求", "需求摘要", "企业签字"];
    let last = head.len() as u16 - 1;
    let mut row = 0u32;
    let mut breaks = Vec::new();
    for (e, pairs) in detail.agendas() {
        if pairs.is_empty() {
            continue;
        }
        if row > 0 {
            breaks.push(row);
        }
        ws.merge_range(row, 0, row, last, &format!("{} · 专家日程：{}", m.name, e.name), &st.title)?;
        row += 1;
        let mut info = format!("{}\n专家：{}  {}", meeting_line(detail), e.name, expert_title(e));
        if opts.contacts && !contact_of_expert(e).is_empty() {
            info.push_str(&format!("    联系方式：{}", contact_of_expert(e).replace('\n', " ")));
        }
        ws.merge_range(row, 0, row, last, &info, &st.info)?;
        ws.set_row_height(row, 32)?;
        row += 1;
        for (c, h) in head.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &st.head)?;
        }
        row += 1;
        for p in pairs {
            let Some(d) = detail.demands.get(&p.demand_id) else { continue };
            let cells = [
                p.slot.map(|s| (s + 1).to_string()).unwrap_or_else(|| "未排".into()),
                p.slot.map(|s| m.slot_label(s)).unwrap_or_default(),
                p.table.map(|t| (t + 1).to_string()).unwrap_or_else(|| "未排".into()),
                d.enterprise.clone(),
                format!("{} {}", d.ext_id, d.title),
                demand_summary(d, 90),
                String::new(),
            ];
            for (c, v) in cells.iter().enumerate() {
                let f = if matches!(c, 0 | 2) { &st.center } else { &st.cell };
                put(ws, row, c as u16, v, f, c == 1)?;
            }
            ws.set_row_height(row, 60)?;
            row += 1;
        }
        row += 1;
        ws.merge_range(row, 0, row, last, "专家签字：____________________    日期：______________", &st.sign)?;
        row += 2;
    }
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks)?;
    }
    widths(ws, &[5.0, 12.0, 5.0, 20.0, 22.0, 36.0, 12.0])?;
    Ok(())
}

// ---------------------------------------------------------------- PDF

fn slot_cell(detail: &MeetingDetail, p: &MeetingPair) -> String {
    match p.slot {
        Some(s) => format!("{}\n{}", s + 1, detail.meeting().slot_label(s)),
        None => "未排".into(),
    }
}

/// Per-enterprise sheets, then per-expert agendas, each starting a page.
pub fn pdf(detail: &MeetingDetail, opts: SheetOptions) -> Result<Vec<u8>> {
    pdf_doc(detail, opts).finish()
}

/// The PDF document, laid out, before it is written.
fn pdf_doc(detail: &MeetingDetail, opts: SheetOptions) -> PdfBuilder {
    let m = detail.meeting();
    let mut doc = PdfBuilder::new(&format!("{} · 对接表", m.name));
    let when = {
        let mut v = vec![];
        if !m.date.is_empty() {
            v.push(m.date.clone());
        }
        v.push(m.time_range());
        v.join(" ")
    };
    for g in detail.groups() {
        pdf_enterprise(&mut doc, detail, &g, &when, opts);
    }
    for (e, pairs) in detail.agendas() {
        if !pairs.is_empty() {
            pdf_agenda(&mut doc, detail, e, &pairs, &when, opts);
        }
    }
    doc
}

/// One enterprise's sheet: its demands, its sittings, a signature line.
fn pdf_enterprise(
    doc: &mut PdfBuilder,
    detail: &MeetingDetail,
    g: &crate::domain::meeting::GroupSheet<'_>,
    when: &str,
    opts: SheetOptions,
) {
    let m = detail.meeting();
    doc.section(&g.name);
    doc.title(&format!("{} · 企业对接表", m.name));
    let mut kv = vec![
        ("企业".to_string(), g.name.clone()),
        ("桌号".to_string(), MeetingDetail::table_label(g.table)),
        ("时间".to_string(), when.to_string()),
        ("地点".to_string(), if m.venue.is_empty() { "—".into() } else { m.venue.clone() }),
    ];
    if opts.contacts
        && let Some(en) = g.enterprise
        && !(en.contact.is_empty() && en.phone.is_empty())
    {
        kv.push(("联系人".into(), format!("{} {}", en.contact, en.phone).trim().to_string()));
    }
    doc.key_values(&kv);
    for d in &g.demands {
        doc.spacer(2.0);
        doc.paragraph(&format!("需求 {}：{}", d.ext_id, d.title), 12.0);
        doc.paragraph(&demand_summary(d, 220), 9.5);
    }
    doc.spacer(3.0);
    // One table for the whole sitting (the usual case) is in the header line: no 桌号 column.
    let one_table = g.table.is_some() && g.pairs.iter().all(|p| p.table == g.table);
    let mut head = vec!["时段", "桌号", "需求", "专家", "单位 / 职称", "匹配理由"];
    // 专家 fits a four-character name on one line; 联系方式 a phone and an e-mail.
    let mut w = vec![1.8, 0.8, 1.8, 1.5, 1.9, 2.8];
    if opts.contacts {
        head.push("联系方式");
        w.push(2.8);
    }
    head.push("专家签字");
    w.push(1.4);
    let rows: Vec<Vec<String>> = g
        .pairs
        .iter()
        .filter_map(|p| {
            let (d, e) = (detail.demands.get(&p.demand_id)?, detail.experts.get(&p.expert_id)?);
            let mut r = vec![
                slot_cell(detail, p),
                p.table.map(|t| (t + 1).to_string()).unwrap_or_else(|| "—".into()),
                d.ext_id.clone(),
                e.name.clone(),
                expert_title(e),
                // A printed sheet keeps the three most telling reasons, short.
                p.reasons.iter().take(3).map(|r| crate::util::short(r, 40)).collect::<Vec<_>>().join("\n"),
            ];
            if opts.contacts {
                r.push(contact_of_expert(e));
            }
            r.push(String::new());
            Some(r)
        })
        .collect();
    let (head, w, rows) = if one_table {
        let drop = |v: &[&str]| -> Vec<String> {
            v.iter().enumerate().filter(|(i, _)| *i != 1).map(|(_, x)| (*x).to_string()).collect()
        };
        let head: Vec<&str> = head.iter().enumerate().filter(|(i, _)| *i != 1).map(|(_, h)| *h).collect();
        let w: Vec<f32> = w.iter().enumerate().filter(|(i, _)| *i != 1).map(|(_, x)| *x).collect();
        let rows: Vec<Vec<String>> =
            rows.iter().map(|r| drop(&r.iter().map(String::as_str).collect::<Vec<_>>())).collect();
        (head, w, rows)
    } else {
        (head, w, rows)
    };
    doc.table(&head, &w, &rows);
    doc.spacer(6.0);
    doc.signature_lines(&["企业代表签字"]);
}

/// One expert's agenda: their sittings in time order, a signature line.
fn pdf_agenda(
    doc: &mut PdfBuilder,
    detail: &MeetingDetail,
    e: &Expert,
    pairs: &[&MeetingPair],
    when: &str,
    opts: SheetOptions,
) {
    let m = detail.meeting();
    // Title, details, a table row per sitting and the signature: short agendas share a sheet.
    let height = 190.0 + 44.0 * pairs.len() as f32;
    doc.section_keep(&format!("{} · 专家日程", m.name), height);
    doc.title(&format!("{} · 专家日程", m.name));
    let mut kv = vec![
        ("专家".to_string(), e.name.clone()),
        ("单位 / 职称".to_string(), expert_title(e)),
        ("时间".to_string(), when.to_string()),
        ("地点".to_string(), if m.venue.is_empty() { "—".into() } else { m.venue.clone() }),
    ];
    if opts.contacts && !contact_of_expert(e).is_empty() {
        kv.push(("联系方式".into(), contact_of_expert(e).replace('\n', " ")));
    }
    doc.key_values(&kv);
    doc.spacer(3.0);
    let rows: Vec<Vec<String>> = pairs
        .iter()
        .filter_map(|p| {
            let d = detail.demands.get(&p.demand_id)?;
            Some(vec![
                slot_cell(detail, p),
                p.table.map(|t| (t + 1).to_string()).unwrap_or_else(|| "—".into()),
                d.enterprise.clone(),
                format!("{} {}", d.ext_id, d.title),
                demand_summary(d, 120),
                String::new(),
            ])
        })
        .collect();
    doc.table(&["时段", "桌号", "企业", "需求", "需求摘要", "企业签字"], &[1.8, 0.8, 2.0, 2.2, 3.4, 1.4], &rows);
    doc.spacer(6.0);
    doc.signature_lines(&["专家签字"]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_csv_quoting_is_right() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+86 591"), "'+86 591");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("福州大学"), "福州大学");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("说\"好\""), "\"说\"\"好\"\"\"");
        assert_eq!(csv_field("=1+1,2"), "\"'=1+1,2\"");
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = vec!["总表".to_string()];
        let a = sheet_name("1号桌 福建省某某新材料科技股份有限公司宁德分公司[筹]", &mut used);
        assert!(a.chars().count() <= 31 && !a.contains('['), "{a}");
        let b = sheet_name("1号桌 福建省某某新材料科技股份有限公司宁德分公司[筹]", &mut used);
        assert_ne!(a, b);
        assert!(b.ends_with("(2)"), "{b}");
        assert_eq!(sheet_name("", &mut used), "企业");
    }

    #[test]
    fn formats_parse() {
        assert_eq!(SheetFormat::parse("XLSX"), Some(SheetFormat::Xlsx));
        assert_eq!(SheetFormat::parse(".pdf"), Some(SheetFormat::Pdf));
        assert_eq!(SheetFormat::parse("doc"), None);
    }
}
