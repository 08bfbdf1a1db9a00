//! The hostile-input corpus: every case a file (made here, at run time, small or generated) or a
//! special path, the list it is imported as, and what must happen — refused with a given error and
//! words, or planned with given numbers. Shared by `tests/hostile.rs` and the fuzz harness
//! (`examples/fuzz_readers.rs`, which mutates the small cases).

use std::io::Write;

use bole::domain::RecordKind;
use bole::io::{Content, FileError, SpecialFile};

/// A small deterministic PRNG (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// A path that is not a plain file with bytes, made in a scratch folder when the case runs.
#[derive(Debug, Clone, Copy)]
pub enum Special {
    Missing,
    Directory,
    /// /dev/zero (Unix only).
    DevZero,
    /// A named pipe made with `mkfifo` (Unix only, when the tool exists).
    Fifo,
    /// A sparse file of this many bytes.
    Sparse(u64),
}

pub enum Input {
    Bytes(Vec<u8>),
    Special(Special),
}

/// Checks the database after a commit (e.g. how names were stored).
pub type Check = fn(&rusqlite::Connection) -> Result<(), String>;

pub enum Expect {
    /// Reading or planning fails with this error; its Chinese message contains the words.
    Refused { is: fn(&FileError) -> bool, says: &'static str },
    /// The plan is made with these numbers (and the commit reports the same); the words appear in
    /// the report (or in a rejected row's reason).
    Planned { added: usize, rejected: usize, says: &'static str, check: Option<Check> },
}

pub struct Case {
    /// Also the fixture file name under tests/fixtures/hostile/ for committed cases.
    pub name: &'static str,
    /// The file name the case is imported under (it decides nothing but text files and messages).
    pub file: &'static str,
    pub kind: RecordKind,
    pub input: Input,
    pub expect: Expect,
}

impl Case {
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.input {
            Input::Bytes(b) => Some(b),
            Input::Special(_) => None,
        }
    }
}

fn refused(
    name: &'static str,
    file: &'static str,
    kind: RecordKind,
    bytes: Vec<u8>,
    is: fn(&FileError) -> bool,
    says: &'static str,
) -> Case {
    Case { name, file, kind, input: Input::Bytes(bytes), expect: Expect::Refused { is, says } }
}

fn planned(
    name: &'static str,
    file: &'static str,
    kind: RecordKind,
    bytes: Vec<u8>,
    (added, rejected): (usize, usize),
    says: &'static str,
    check: Option<Check>,
) -> Case {
    Case { name, file, kind, input: Input::Bytes(bytes), expect: Expect::Planned { added, rejected, says, check } }
}

const E: RecordKind = RecordKind::Expert;
const D: RecordKind = RecordKind::Demand;

// ------------------------------------------------------------------------------------------ files

pub const EXPERT_HEADER: [&str; 4] = ["编号", "姓名", "工作单位", "研究方向"];
pub const EXPERT_ROWS: [[&str; 4]; 2] =
    [["ZJ01", "张伟", "厦门大学", "界面化学与萃取分离"], ["ZJ02", "李娜", "福州大学", "锂电正极材料"]];
pub const DEMAND_HEADER: [&str; 6] = ["编号", "企业名称", "需求名称", "需求描述", "拟投入经费（万元）", "截止时间"];

fn csv_of(rows: &[&[&str]]) -> String {
    rows.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\r\n") + "\r\n"
}

/// The small expert list as CSV text.
pub fn experts_csv() -> String {
    let mut rows: Vec<&[&str]> = vec![&EXPERT_HEADER];
    rows.extend(EXPERT_ROWS.iter().map(|r| &r[..]));
    csv_of(&rows)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An Excel cell name: (0, 0) → A1.
pub fn a1(row: u32, col: u32) -> String {
    let mut c = col as u64 + 1;
    let mut letters = Vec::new();
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap(), row + 1)
}

/// A cell of a sheet part.
pub enum X<'a> {
    S(&'a str),
    N(f64),
    /// An error value such as #REF!.
    Err(&'a str),
    /// A formula with its cached text result.
    F(&'a str, &'a str),
}

fn cell_xml(row: u32, col: u32, v: &X) -> String {
    let r = a1(row, col);
    match v {
        X::S(s) => format!(r#"<c r="{r}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#, xml_escape(s)),
        X::N(n) => format!(r#"<c r="{r}"><v>{n}</v></c>"#),
        X::Err(e) => format!(r#"<c r="{r}" t="e"><v>{e}</v></c>"#),
        X::F(f, v) => format!(r#"<c r="{r}" t="str"><f>{}</f><v>{}</v></c>"#, xml_escape(f), xml_escape(v)),
    }
}

/// A worksheet part from cells (row, col, value) in row order; `after` goes after the sheet data
/// (merged cells …).
pub fn sheet_xml(cells: &[(u32, u32, X)], after: &str) -> String {
    let mut order: Vec<&(u32, u32, X)> = cells.iter().collect();
    order.sort_by_key(|c| (c.0, c.1));
    let cells = order;
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    let mut i = 0;
    while i < cells.len() {
        let row = cells[i].0;
        s += &format!(r#"<row r="{}">"#, row + 1);
        while i < cells.len() && cells[i].0 == row {
            s += &cell_xml(cells[i].0, cells[i].1, &cells[i].2);
            i += 1;
        }
        s += "</row>";
    }
    s + "</sheetData>" + after + "</worksheet>"
}

/// The expert list as sheet cells, from row `first`.
pub fn expert_cells(first: u32) -> Vec<(u32, u32, X<'static>)> {
    let mut cells = Vec::new();
    for (c, h) in EXPERT_HEADER.iter().enumerate() {
        cells.push((first, c as u32, X::S(h)));
    }
    for (r, row) in EXPERT_ROWS.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            cells.push((first + 1 + r as u32, c as u32, X::S(v)));
        }
    }
    cells
}

/// A zip of parts (deflated; the first part stored when it is `mimetype`).
pub fn zip_of(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        for (name, data) in parts {
            let method =
                if *name == "mimetype" { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(method)
                .large_file(data.len() > u32::MAX as usize);
            z.start_file(*name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

/// A zip of parts plus parts of `n` zero bytes each (written in chunks: a bomb costs no memory
/// to make).
pub fn zip_with_zeros(parts: &[(&str, Vec<u8>)], zeros: &[(&str, usize)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let chunk = vec![0u8; 1 << 20];
        for (name, n) in zeros {
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(*n > u32::MAX as usize);
            z.start_file(*name, opts).unwrap();
            let mut left = *n;
            while left > 0 {
                let k = left.min(chunk.len());
                z.write_all(&chunk[..k]).unwrap();
                left -= k;
            }
        }
        for (name, data) in parts {
            z.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

/// An xlsx from sheet parts (name, xml), with optional shared strings and styles parts.
pub fn xlsx_of(sheets: &[(&str, String)], shared: Option<String>, styles: Option<String>) -> Vec<u8> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut book = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, (name, xml)) in sheets.iter().enumerate() {
        let n = i + 1;
        types += &format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        );
        book += &format!(r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#, xml_escape(name));
        rels += &format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
        parts.push((format!("xl/worksheets/sheet{n}.xml"), xml.clone().into_bytes()));
    }
    if let Some(s) = shared {
        rels += r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#;
        parts.push(("xl/sharedStrings.xml".into(), s.into_bytes()));
    }
    if let Some(s) = styles {
        rels += r#"<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#;
        parts.push(("xl/styles.xml".into(), s.into_bytes()));
    }
    types += "</Types>";
    book += "</sheets></workbook>";
    rels += "</Relationships>";
    let root = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let mut all: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", types.into_bytes()),
        ("_rels/.rels", root.as_bytes().to_vec()),
        ("xl/workbook.xml", book.into_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.into_bytes()),
    ];
    all.extend(parts.iter().map(|(n, d)| (n.as_str(), d.clone())));
    zip_of(&all)
}

/// An xlsx whose `n` sheets all point to one sheet part (read `n` times).
pub fn xlsx_one_part_many_sheets(n: usize, xml: String) -> Vec<u8> {
    let one = xlsx_of(&[("表1", xml)], None, None);
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(one)).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        let name = f.name().unwrap().into_owned();
        let text = String::from_utf8(data).unwrap();
        let text = if name == "xl/workbook.xml" {
            let sheets: String =
                (1..=n).map(|i| format!(r#"<sheet name="表{i}" sheetId="{i}" r:id="rId1"/>"#)).collect();
            text.replace(r#"<sheet name="表1" sheetId="1" r:id="rId1"/>"#, &sheets)
        } else {
            text
        };
        parts.push((name, text.into_bytes()));
    }
    zip_of(&parts.iter().map(|(n, d)| (n.as_str(), d.clone())).collect::<Vec<_>>())
}

/// The small expert list as an xlsx (one sheet).
pub fn experts_xlsx() -> Vec<u8> {
    xlsx_of(&[("专家", sheet_xml(&expert_cells(0), ""))], None, None)
}

/// A zip whose central directory declares `declared` bytes for a part that inflates to `actual`
/// zeros (a lying zip: the reader must stop at the declared size).
pub fn lying_zip(base: &[(&str, Vec<u8>)], part: &str, declared: u32, actual: usize) -> Vec<u8> {
    use flate2::write::DeflateEncoder;
    let mut entries: Vec<(String, Vec<u8>, u32, u32)> = Vec::new(); // name, deflated, crc, size declared
    for (name, data) in base {
        let mut enc = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).unwrap();
        let mut crc = flate2::Crc::new();
        crc.update(data);
        entries.push((name.to_string(), enc.finish().unwrap(), crc.sum(), data.len() as u32));
    }
    let mut enc = DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    let mut left = actual;
    while left > 0 {
        let n = left.min(zeros.len());
        enc.write_all(&zeros[..n]).unwrap();
        left -= n;
    }
    entries.push((part.to_string(), enc.finish().unwrap(), 0, declared));
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data, crc, size) in &entries {
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(8u16.to_le_bytes()); // deflate
            h.extend(0u32.to_le_bytes()); // time, date
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend([0u8; 8]); // comment len, disk, internal attrs, external attrs (part)
                h.extend([0u8; 2]);
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend([0u8; 2]);
    out
}

/// The fixed parts of a small xlsx (workbook, rels, content types) with one sheet part name.
fn xlsx_frame() -> Vec<(&'static str, Vec<u8>)> {
    let x = experts_xlsx();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(x)).unwrap();
    let mut parts = Vec::new();
    for name in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"] {
        let mut f = z.by_name(name).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        parts.push((name, data));
    }
    parts
}

/// An ods from a content.xml body (the rows of one table named 专家).
pub fn ods_of(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="专家">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
        ("META-INF/manifest.xml", manifest.as_bytes().to_vec()),
        ("content.xml", content.into_bytes()),
    ])
}

pub fn ods_cell(text: &str) -> String {
    format!(r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#, xml_escape(text))
}

fn ods_row(cells: &[&str]) -> String {
    format!("<table:table-row>{}</table:table-row>", cells.iter().map(|c| ods_cell(c)).collect::<String>())
}

pub fn experts_ods_rows() -> String {
    let mut s = ods_row(&EXPERT_HEADER);
    for r in EXPERT_ROWS {
        s += &ods_row(&r);
    }
    s
}

// ------------------------------------------------------------------------------------------ xls

/// The old-Excel fixture (a compound file with a Workbook stream in regular sectors).
pub fn base_xls() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/experts_old.xls")).unwrap()
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

/// (file offset of the FAT's first sector, file offset of the directory sector).
fn xls_layout(b: &[u8]) -> (usize, usize) {
    let fat = u32_at(b, 76) as usize;
    let dir = u32_at(b, 48) as usize;
    ((fat + 1) * 512, (dir + 1) * 512)
}

/// The offset of the directory entry with this name.
fn xls_dir_entry(b: &[u8], name: &str) -> usize {
    let (_, dir) = xls_layout(b);
    let units: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    (0..4).map(|i| dir + i * 128).find(|&at| b[at..].starts_with(&units)).unwrap()
}

/// Renames a directory entry (names up to 31 characters).
fn xls_rename(b: &mut [u8], from: &str, to: &str) {
    let at = xls_dir_entry(b, from);
    let units: Vec<u8> = to.encode_utf16().flat_map(u16::to_le_bytes).chain([0, 0]).collect();
    b[at..at + 64].fill(0);
    b[at..at + units.len()].copy_from_slice(&units);
    b[at + 64..at + 66].copy_from_slice(&(units.len() as u16).to_le_bytes());
}

/// The offset of the first BIFF record of this type and length (searched in the file's bytes).
fn xls_record(b: &[u8], typ: u16, len: u16) -> usize {
    let mut pat = typ.to_le_bytes().to_vec();
    pat.extend(len.to_le_bytes());
    b.windows(4).position(|w| w == pat).unwrap()
}

fn xls_fat_loop() -> Vec<u8> {
    let mut b = base_xls();
    let (fat, _) = xls_layout(&b);
    let dir = u32_at(&b, 48);
    b[fat + 4 * dir as usize..fat + 4 * dir as usize + 4].copy_from_slice(&dir.to_le_bytes());
    b
}

fn xls_stream_loop() -> Vec<u8> {
    let mut b = base_xls();
    let (fat, _) = xls_layout(&b);
    let at = xls_dir_entry(&b, "Workbook");
    let start = u32_at(&b, at + 116);
    // The stream's first sector points to itself, and the stream claims 4 GB.
    b[fat + 4 * start as usize..fat + 4 * start as usize + 4].copy_from_slice(&start.to_le_bytes());
    b[at + 120..at + 124].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    b
}

fn xls_dimensions(rf: u32, rl: u32, cl: u16) -> Vec<u8> {
    let mut b = base_xls();
    let at = xls_record(&b, 0x0200, 14) + 4;
    b[at..at + 4].copy_from_slice(&rf.to_le_bytes());
    b[at + 4..at + 8].copy_from_slice(&rl.to_le_bytes());
    b[at + 10..at + 12].copy_from_slice(&cl.to_le_bytes());
    b
}

/// Moves the first shared-string cell (LabelSst) to another place.
fn xls_move_cell(row: u16, col: u16) -> Vec<u8> {
    let mut b = base_xls();
    let at = xls_record(&b, 0x00FD, 10) + 4;
    b[at..at + 2].copy_from_slice(&row.to_le_bytes());
    b[at + 2..at + 4].copy_from_slice(&col.to_le_bytes());
    b
}

fn xls_renamed(to: &str) -> Vec<u8> {
    let mut b = base_xls();
    xls_rename(&mut b, "Workbook", to);
    b
}

// ------------------------------------------------------------------------------------------ cases

fn is_damaged(e: &FileError) -> bool {
    matches!(e, FileError::Damaged { .. })
}

fn content(found: Content) -> fn(&FileError) -> bool {
    match found {
        Content::Empty => |e| matches!(e, FileError::Content { found: Content::Empty, .. }),
        Content::Html => |e| matches!(e, FileError::Content { found: Content::Html, .. }),
        Content::Xml2003 => |e| matches!(e, FileError::Content { found: Content::Xml2003, .. }),
        Content::Pdf => |e| matches!(e, FileError::Content { found: Content::Pdf, .. }),
        Content::Image => |e| matches!(e, FileError::Content { found: Content::Image, .. }),
        Content::Xlsb => |e| matches!(e, FileError::Content { found: Content::Xlsb, .. }),
        Content::Encrypted => |e| matches!(e, FileError::Content { found: Content::Encrypted, .. }),
        Content::OtherOffice => |e| matches!(e, FileError::Content { found: Content::OtherOffice, .. }),
        Content::Zip => |e| matches!(e, FileError::Content { found: Content::Zip, .. }),
        Content::Binary => |e| matches!(e, FileError::Content { found: Content::Binary, .. }),
    }
}

fn stored_names(conn: &rusqlite::Connection) -> Vec<(String, String)> {
    bole::store::list_experts(conn).unwrap().into_iter().map(|e| (e.ext_id, e.name)).collect()
}

fn expect_names(conn: &rusqlite::Connection, want: &[(&str, &str)]) -> Result<(), String> {
    let got = stored_names(conn);
    let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    if got == want { Ok(()) } else { Err(format!("stored {got:?}, expected {want:?}")) }
}

/// The special paths.
pub fn special_cases() -> Vec<Case> {
    let case = |name, file, special, is, says| Case {
        name,
        file,
        kind: E,
        input: Input::Special(special),
        expect: Expect::Refused { is, says },
    };
    vec![
        case(
            "missing_file",
            "不存在.xlsx",
            Special::Missing,
            |e| matches!(e, FileError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound),
            "文件不存在",
        ),
        case(
            "directory",
            "名单.xlsx",
            Special::Directory,
            |e| matches!(e, FileError::NotAFile { what: SpecialFile::Directory, .. }),
            "是一个文件夹",
        ),
        case(
            "dev_zero",
            "zero",
            Special::DevZero,
            |e| matches!(e, FileError::NotAFile { what: SpecialFile::Device, .. }),
            "是一个设备",
        ),
        case(
            "named_pipe",
            "名单.csv",
            Special::Fifo,
            |e| matches!(e, FileError::NotAFile { what: SpecialFile::Pipe, .. }),
            "管道",
        ),
        case(
            "sparse_60mb",
            "大文件.csv",
            Special::Sparse(60 << 20),
            |e| matches!(e, FileError::TooBig { .. }),
            "超过了 50 MB",
        ),
    ]
}

/// Cases made of bytes; `big` includes the generated large ones (megabytes, bombs).
pub fn byte_cases(big: bool) -> Vec<Case> {
    let mut v = small_cases();
    if big {
        v.extend(big_cases());
    }
    v
}

#[allow(clippy::too_many_lines, reason = "one line per case")]
fn small_cases() -> Vec<Case> {
    let experts = experts_csv();
    let ok2 = (2, 0);
    let mut v = vec![
        refused("empty_csv", "名单.csv", E, Vec::new(), content(Content::Empty), "是空的"),
        refused("bom_only_csv", "名单.csv", E, b"\xEF\xBB\xBF".to_vec(), content(Content::Empty), "是空的"),
        refused("empty_xlsx", "名单.xlsx", E, Vec::new(), content(Content::Empty), "是空的"),
        planned("header_only_csv", "名单.csv", E, "编号,姓名,工作单位,研究方向\r\n".into(), (0, 0), "新增 0 条", None),
        refused("binary_garbage_csv", "名单.csv", E, Rng::new(7).bytes(4096), |e| matches!(e, FileError::Encoding), "无法识别文件编码"),
        refused("binary_controls_csv", "名单.csv", E, b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0\x10\x10\0\0\0\0\0\0@\0\0\0".repeat(20), content(Content::Binary), "既不是文本"),
        planned("utf16le_no_bom_csv", "名单.csv", E, experts.encode_utf16().flat_map(u16::to_le_bytes).collect(), ok2, "新增 2 条", None),
        planned("utf16be_no_bom_csv", "名单.csv", E, experts.encode_utf16().flat_map(u16::to_be_bytes).collect(), ok2, "新增 2 条", None),
        refused("mixed_encodings_csv", "名单.csv", E, {
            let mut b = "编号,姓名,工作单位,研究方向\r\nZJ01,张伟,厦门大学,界面化学\r\n".as_bytes().to_vec();
            b.extend(encoding_rs::GBK.encode("ZJ02,李娜,福州大学,锂电正极材料\r\n").0.iter());
            b
        }, |e| matches!(e, FileError::MixedEncoding { line: 3 }), "从第 3 行起混有其他编码"),
        planned("xlsx_named_csv", "名单.csv", E, experts_xlsx(), ok2, "内容是 Excel 工作簿", None),
        planned("csv_named_xlsx", "名单.xlsx", E, experts.clone().into_bytes(), ok2, "内容是文本（CSV）", None),
        refused("html_as_xls", "名单.xls", E, "<html><body><table><tr><td>编号</td><td>姓名</td></tr></table></body></html>".into(), content(Content::Html), "网页"),
        refused("xml2003_as_xls", "名单.xls", E, r#"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>"#.into(), content(Content::Xml2003), "2003"),
        refused("pdf_as_xlsx", "名单.xlsx", E, b"%PDF-1.7\n1 0 obj<<>>endobj\n".to_vec(), content(Content::Pdf), "PDF"),
        refused("png_as_xlsx", "名单.xlsx", E, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa".to_vec(), content(Content::Image), "图片"),
        refused("zip_wrong_entries", "名单.xlsx", E, zip_of(&[("a.txt", b"hello".to_vec()), ("b/c.txt", b"x".to_vec())]), content(Content::Zip), "压缩包"),
        refused("docx_as_xlsx", "名单.xlsx", E, zip_of(&[("[Content_Types].xml", b"<Types/>".to_vec()), ("word/document.xml", b"<w:document/>".to_vec())]), content(Content::OtherOffice), "Word"),
        refused("xlsb_zip", "名单.xlsb", E, zip_of(&[("[Content_Types].xml", b"<Types/>".to_vec()), ("xl/workbook.bin", vec![0; 16])]), content(Content::Xlsb), ".xlsb"),
        refused("truncated_xlsx", "名单.xlsx", E, { let x = experts_xlsx(); x[..x.len() * 3 / 5].to_vec() }, is_damaged, "已损坏"),
        planned("xfd_empty_cell_xlsx", "名单.xlsx", E, {
            let mut cells = expert_cells(0);
            cells.push((1_048_575, 16_383, X::S("")));
            xlsx_of(&[("专家", sheet_xml(&cells, ""))], None, None)
        }, ok2, "新增 2 条", None),
        refused("xfd_text_cell_xlsx", "名单.xlsx", E, {
            let mut cells = expert_cells(0);
            cells.push((1_048_575, 16_383, X::S("x")));
            xlsx_of(&[("专家", sheet_xml(&cells, ""))], None, None)
        }, |e| matches!(e, FileError::TooManyRows { row: 1_048_576, .. }), "第 1048576 行还有内容"),
        refused("far_column_xlsx", "名单.xlsx", E, {
            let mut cells = expert_cells(0);
            cells.push((1, 600, X::S("备注")));
            xlsx_of(&[("专家", sheet_xml(&cells, ""))], None, None)
        }, |e| matches!(e, FileError::TooManyColumns { cell, .. } if cell == "WC2"), "最多 500 列"),
        refused("zip_lying_size_xlsx", "名单.xlsx", E, lying_zip(&xlsx_frame(), "xl/worksheets/sheet1.xml", 2048, 8 << 20), is_damaged, "已损坏"),
        refused("shared_strings_count_xlsx", "名单.xlsx", E, xlsx_of(
            &[("专家", sheet_xml(&expert_cells(0), ""))],
            Some(r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000000"><si><t>x</t></si></sst>"#.into()),
            None,
        ), |e| matches!(e, FileError::TooManyCells { .. }), "万个"),
        refused("sheets_1000_xlsx", "名单.xlsx", E, {
            let sheet = sheet_xml(&expert_cells(0), "");
            let names: Vec<String> = (1..=1000).map(|i| format!("表{i}")).collect();
            let sheets: Vec<(&str, String)> = names.iter().map(|n| (n.as_str(), sheet.clone())).collect();
            xlsx_of(&sheets, None, None)
        }, |e| matches!(e, FileError::TooManySheets { sheets: 1000, .. }), "1000 个工作表"),
        planned("formulas_xlsx", "名单.xlsx", E, {
            let mut cells = expert_cells(0);
            cells.push((1, 4, X::F("A2&\"-\"&B2", "ZJ01-张伟")));
            cells.insert(4, (0, 4, X::S("备注")));
            xlsx_of(&[("专家", sheet_xml(&cells, ""))], None, None)
        }, ok2, "新增 2 条", Some(|c| {
            let notes: Vec<String> = bole::store::list_experts(c).unwrap().into_iter().map(|e| e.note).collect();
            if notes == ["ZJ01-张伟", ""] { Ok(()) } else { Err(format!("notes {notes:?}")) }
        })),
        planned("error_cells_xlsx", "名单.xlsx", E, {
            let mut cells = expert_cells(0);
            cells.push((0, 4, X::S("电话")));
            cells.sort_by_key(|c| (c.0, c.1));
            cells.push((1, 4, X::Err("#REF!")));
            cells.sort_by_key(|c| (c.0, c.1));
            cells.push((2, 4, X::Err("#N/A")));
            xlsx_of(&[("专家", sheet_xml(&cells, ""))], None, None)
        }, ok2, "新增 2 条", Some(|c| {
            let phones: Vec<String> = bole::store::list_experts(c).unwrap().into_iter().map(|e| e.phone).collect();
            if phones == ["", ""] { Ok(()) } else { Err(format!("phones {phones:?}")) }
        })),
        planned("dates_as_numbers_xlsx", "需求.xlsx", D, {
            let mut cells: Vec<(u32, u32, X)> = DEMAND_HEADER.iter().enumerate().map(|(c, h)| (0, c as u32, X::S(h))).collect();
            for (r, (id, serial)) in [("XQ1", 46203.0), ("XQ2", 46022.0)].into_iter().enumerate() {
                let r = r as u32 + 1;
                cells.extend([(r, 0, X::S(id)), (r, 1, X::S("甲公司")), (r, 2, X::S(if r == 1 { "结晶收率" } else { "涂层附着力" })), (r, 3, X::S("提高")), (r, 4, X::N(50.0)), (r, 5, X::N(serial))]);
            }
            xlsx_of(&[("需求", sheet_xml(&cells, ""))], None, None)
        }, ok2, "新增 2 条", Some(|c| {
            let d: Vec<String> = bole::store::list_demands(c).unwrap().into_iter().map(|d| d.deadline).collect();
            if d == ["2026-06-30", "2025-12-31"] { Ok(()) } else { Err(format!("deadlines {d:?}")) }
        })),
        planned("merged_header_xlsx", "名单.xlsx", E, {
            let mut cells = vec![(0, 0, X::S("清流县专家人才库（2026）"))];
            cells.extend([(1, 0, X::S("基本信息")), (1, 2, X::S("工作信息"))]);
            cells.extend(expert_cells(2));
            let merges = r#"<mergeCells count="3"><mergeCell ref="A1:D1"/><mergeCell ref="A2:B2"/><mergeCell ref="C2:D2"/></mergeCells>"#;
            xlsx_of(&[("专家", sheet_xml(&cells, merges))], None, None)
        }, ok2, "新增 2 条", None),
        planned("merge_everything_xlsx", "名单.xlsx", E, {
            let mut cells = vec![(0, 0, X::S("专家名单"))];
            cells.extend(expert_cells(1));
            cells.push((3, 6, X::S("")));
            let merges = r#"<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>"#;
            xlsx_of(&[("专家", sheet_xml(&cells, merges))], None, None)
        }, ok2, "新增 2 条", None),
        planned("header_repeated_csv", "名单.csv", E, format!("{experts}编号,姓名,工作单位,研究方向\r\nZJ03,王强,华侨大学,碳化硅\r\n").into(), (3, 1), "与表头相同", None),
        planned("duplicate_ids_csv", "名单.csv", E, "编号,姓名,工作单位\r\nZJ01,张伟,厦门大学\r\nZJ01,李娜,福州大学\r\n".into(), (1, 1), "编号“ZJ01”与第 2 行重复", None),
        planned("emoji_rare_cjk_csv", "名单.csv", E, "编号,姓名,工作单位\r\nZJ01,张伟😀,厦门大学\r\nZJ02,𠮷野 𪚥,福州大学\r\n".into(), ok2, "新增 2 条", Some(|c| expect_names(c, &[("ZJ01", "张伟😀"), ("ZJ02", "𠮷野𪚥")]))),
        planned("zero_width_rtl_csv", "名单.csv", E, "编号,姓名,工作单位\r\n\u{200B}ZJ01,陈\u{200B}静,厦门大学\r\nZJ\u{202E}02,\u{2067}李娜\u{2069},福州大学\u{FEFF}\r\n".into(), ok2, "新增 2 条", Some(|c| expect_names(c, &[("ZJ01", "陈静"), ("ZJ02", "李娜")]))),
        planned("control_bytes_csv", "名单.csv", E, "编号,姓名,工作单位\r\nZJ\u{1}01,张\0伟,厦门\u{7f}大学\r\nZJ02,李\u{1b}[31m娜,福州大学\r\n".into(), ok2, "新增 2 条", Some(|c| expect_names(c, &[("ZJ01", "张伟"), ("ZJ02", "李[31m娜")]))),
        planned("long_id_csv", "名单.csv", E, format!("编号,姓名,工作单位\r\n{},张伟,厦门大学\r\nZJ02,李娜,福州大学\r\n", "Z".repeat(300)).into(), (1, 1), "内容过长", None),
        refused("long_cell_csv", "名单.csv", E, format!("编号,姓名,研究方向\r\nZJ01,张伟,{}\r\n", "长".repeat(40_000)).into(), |e| matches!(e, FileError::CellTooLong { chars: 40_000, cell, .. } if cell == "C2"), "40000 个字"),
        refused("unclosed_quote_midfile_csv", "名单.csv", E, "编号,姓名,工作单位,研究方向\r\nZJ01,\"张伟,厦门大学,界面化学\r\nZJ02,李娜,福州大学,锂电\r\nZJ03,\"王强\",华侨大学,碳化硅\r\n".into(), |e| matches!(e, FileError::UnclosedQuote { line: 2, lines_after: 2, .. }), "第 2 行的引号没有配对"),
        refused("unclosed_quote_rowlike_csv", "名单.csv", E, "编号,姓名,工作单位,研究方向\r\nZJ01,张伟,厦门大学,\"界面化学\r\nZJ02,李娜,福州大学,锂电 15\"\r\nZJ03,王强,华侨大学,碳化硅\r\n".into(), |e| matches!(e, FileError::UnclosedQuote { line: 2, .. }), "引号没有配对"),
        refused("unclosed_quote_end_csv", "名单.csv", E, "编号,姓名,工作单位\r\nZJ01,张伟,\"厦门大学\r\nZJ02,李娜,福州大学\r\n".into(), |e| matches!(e, FileError::UnclosedQuote { line: 2, .. }), "引号没有配对"),
        refused("demands_as_experts_xlsx", "需求.xlsx", E, {
            let cells: Vec<(u32, u32, X)> = DEMAND_HEADER.iter().enumerate().map(|(c, h)| (0, c as u32, X::S(h)))
                .chain([(1, 0, X::S("XQ1")), (1, 1, X::S("甲公司")), (1, 2, X::S("结晶收率")), (1, 3, X::S("提高收率"))]).collect();
            xlsx_of(&[("需求", sheet_xml(&cells, ""))], None, None)
        }, |e| matches!(e, FileError::OtherKind { found: RecordKind::Demand, .. }), "这像是企业需求表"),
        refused("experts_as_demands_csv", "专家.csv", D, experts.clone().into_bytes(), |e| matches!(e, FileError::OtherKind { found: RecordKind::Expert, .. }), "这像是专家名单"),
        planned("budget_text_1e308_csv", "需求.csv", D, "编号,企业名称,需求名称,拟投入经费（万元）\r\nXQ1,甲公司,结晶收率,1e308\r\nXQ2,甲公司,涂层,inf\r\nXQ3,甲公司,粉体,50\r\n".into(), (1, 2), "应为数字", None),
        planned("budget_huge_xlsx", "需求.xlsx", D, {
            let mut cells: Vec<(u32, u32, X)> = ["编号", "企业名称", "需求名称", "拟投入经费（万元）"].iter().enumerate().map(|(c, h)| (0, c as u32, X::S(h))).collect();
            for (r, v) in [1e308, 1e23, 30.0].into_iter().enumerate() {
                let r = r as u32 + 1;
                cells.extend([(r, 0, X::S(["XQ1", "XQ2", "XQ3"][r as usize - 1])), (r, 1, X::S("甲公司")), (r, 2, X::S(["结晶", "涂层", "粉体"][r as usize - 1])), (r, 3, X::N(v))]);
            }
            xlsx_of(&[("需求", sheet_xml(&cells, ""))], None, None)
        }, (1, 2), "万元超过", None),
        planned("spaced_names_csv", "名单.csv", E, "姓名,工作单位\r\n陈 静,厦门大学\r\n陈静,厦门大学\r\nZhang Wei,福州大学\r\n".into(), (2, 1), "与第 2 行重复", Some(|c| {
            let names: Vec<String> = stored_names(c).into_iter().map(|(_, n)| n).collect();
            if names.contains(&"陈静".to_string()) && names.contains(&"Zhang Wei".to_string()) { Ok(()) } else { Err(format!("names {names:?}")) }
        })),
        refused("xls_fat_loop", "名单.xls", E, xls_fat_loop(), is_damaged, "已损坏"),
        refused("xls_stream_loop", "名单.xls", E, xls_stream_loop(), is_damaged, "已损坏"),
        refused("xls_dimensions_wrapped", "名单.xls", E, xls_dimensions(10, 5, 4), is_damaged, "已损坏"),
        refused("xls_dimensions_huge", "名单.xls", E, xls_dimensions(0, 0x0100_0000, 256), |e| matches!(e, FileError::TooManyCells { .. }), "万个"),
        refused("xls_far_column", "名单.xls", E, xls_move_cell(1, 0xFFFF), |e| matches!(e, FileError::TooManyColumns { .. }), "最多 500 列"),
        refused("xls_huge_box", "名单.xls", E, xls_move_cell(65_535, 255), |e| matches!(e, FileError::TooManyCells { .. }), "万个"),
        refused("encrypted_cfb_xlsx", "名单.xlsx", E, xls_renamed("EncryptedPackage"), content(Content::Encrypted), "密码"),
        refused("word_cfb_as_xls", "名单.xls", E, xls_renamed("WordDocument"), content(Content::OtherOffice), "Word"),
        planned("xls_valid", "名单.xls", E, base_xls(), (2, 0), "新增 2 条", None),
        planned("ods_valid", "名单.ods", E, ods_of(&experts_ods_rows()), ok2, "新增 2 条", None),
        refused("ods_wide_repeat", "名单.ods", E, ods_of(&format!(r#"{}<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#, experts_ods_rows())), |e| matches!(e, FileError::TooManyColumns { .. }), "最多 500 列"),
        refused("ods_tall_repeat", "名单.ods", E, ods_of(&format!(r#"{}<table:table-row table:number-rows-repeated="1000000">{}</table:table-row>"#, experts_ods_rows(), ods_cell("x"))), |e| matches!(e, FileError::TooManyRows { .. }), "最多 200000 行"),
        refused("ods_spaces_bomb", "名单.ods", E, ods_of(&format!(r#"{}<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="100000000000"/></text:p></table:table-cell></table:table-row>"#, experts_ods_rows())), |e| matches!(e, FileError::CellTooLong { .. }), "个字"),
        refused("ods_gap_repeats", "名单.ods", E, ods_of(&format!(r#"<table:table-row>{c}<table:table-cell table:number-columns-repeated="450"/>{c}</table:table-row>"#, c = ods_cell("x")).repeat(8000)), |e| matches!(e, FileError::TooManyCells { .. }), "万个"),
    ];
    // Found by the fuzzer (seed 16471): calamine reads an ods table until its end tag, forever.
    v.push(refused(
        "ods_unclosed_table",
        "名单.ods",
        E,
        {
            let x = ods_of(&experts_ods_rows());
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(x)).unwrap();
            let mut parts = Vec::new();
            for i in 0..z.len() {
                let mut f = z.by_index(i).unwrap();
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut data).unwrap();
                let data = String::from_utf8(data).unwrap().replace("</table:table>", "</tabme:table>").into_bytes();
                parts.push((f.name().unwrap().into_owned(), data));
            }
            zip_of(&parts.iter().map(|(n, d)| (n.as_str(), d.clone())).collect::<Vec<_>>())
        },
        is_damaged,
        "已损坏",
    ));
    v.push(refused("ods_unclosed_annotation", "名单.ods", E, ods_of(&format!(r#"{}<table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>备注</text:p></table:table-cell></table:table-row>"#, experts_ods_rows())), is_damaged, "已损坏"));
    v.push(planned("gbk_csv", "名单.csv", E, encoding_rs::GBK.encode(&experts).0.into_owned(), ok2, "新增 2 条", None));
    v
}

/// Cases generated at megabytes (bombs, long lines): not committed, not mutated by the fuzzer.
#[allow(clippy::too_many_lines, reason = "one line per case")]
fn big_cases() -> Vec<Case> {
    vec![
        refused(
            "zip_bomb_part_xlsx",
            "名单.xlsx",
            E,
            zip_with_zeros(&xlsx_frame(), &[("xl/worksheets/sheet1.xml", 320 << 20)]),
            |e| matches!(e, FileError::Inflates { part, .. } if part == "xl/worksheets/sheet1.xml"),
            "解压后有 320 MB",
        ),
        refused(
            "zip_bomb_total_xlsx",
            "名单.xlsx",
            E,
            {
                let mut parts = xlsx_frame();
                parts.push(("xl/worksheets/sheet1.xml", sheet_xml(&expert_cells(0), "").into_bytes()));
                let media =
                    ["xl/media/a.bin", "xl/media/b.bin", "xl/media/c.bin", "xl/media/d.bin"].map(|n| (n, 80 << 20));
                zip_with_zeros(&parts, &media)
            },
            |e| matches!(e, FileError::Inflates { part, .. } if part.is_empty()),
            "全部内容解压后",
        ),
        refused(
            "long_xml_event_xlsx",
            "名单.xlsx",
            E,
            {
                let long = "x".repeat(2 << 20);
                let mut cells: Vec<(u32, u32, X<'_>)> = expert_cells(0);
                cells.push((3, 0, X::S(&long)));
                xlsx_of(&[("专家", sheet_xml(&cells, ""))], None, None)
            },
            |e| matches!(e, FileError::LongXml { .. }),
            "连续内容",
        ),
        refused(
            "styles_bomb_xlsx",
            "名单.xlsx",
            E,
            xlsx_of(
                &[("专家", sheet_xml(&expert_cells(0), ""))],
                None,
                Some(format!(
                    r#"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>{}</cellXfs></styleSheet>"#,
                    "<xf/>".repeat(1_100_000)
                )),
            ),
            |e| matches!(e, FileError::TooManyStyles { .. }),
            "格式超过",
        ),
        // Found by the fuzzer (seed 651844: 58 sheets on one part took 4.7 s in header detection).
        // Sheets sharing one part are refused; many wide sheets of their own stay quick.
        refused(
            "sheets_share_one_part_xlsx",
            "名单.xlsx",
            E,
            xlsx_one_part_many_sheets(58, sheet_xml(&expert_cells(0), "")),
            is_damaged,
            "已损坏",
        ),
        planned(
            "wide_sheets_xlsx",
            "名单.xlsx",
            E,
            {
                let texts: Vec<String> = (0..15 * 480).map(|i| format!("研究方向与{i}领域")).collect();
                let mut cells: Vec<(u32, u32, X<'_>)> = expert_cells(0);
                for (i, t) in texts.iter().enumerate() {
                    cells.push(((i / 480) as u32, 20 + (i % 480) as u32, X::S(t)));
                }
                let xml = sheet_xml(&cells, "");
                let names: Vec<String> = (1..=40).map(|i| format!("表{i}")).collect();
                let sheets: Vec<(&str, String)> = names.iter().map(|n| (n.as_str(), xml.clone())).collect();
                xlsx_of(&sheets, None, None)
            },
            (2, 12),
            "新增 2 条",
            None,
        ),
        refused(
            "columns_1m_csv",
            "名单.csv",
            E,
            "a,".repeat(1_000_000).into_bytes(),
            |e| matches!(e, FileError::TooManyColumns { .. }),
            "最多 500 列",
        ),
        refused(
            "one_line_5m_columns_csv",
            "名单.csv",
            E,
            "ab,".repeat(5_000_000).into_bytes(),
            |e| matches!(e, FileError::TooManyColumns { cell, .. } if cell == "SG1"),
            "最多 500 列",
        ),
        refused(
            "rows_250k_csv",
            "名单.csv",
            E,
            {
                let mut s = String::from("编号,姓名,工作单位\n");
                for i in 0..250_000 {
                    s += &format!("ZJ{i},张{i},厦门大学\n");
                }
                s.into_bytes()
            },
            |e| matches!(e, FileError::TooManyRows { row: 200_001, .. }),
            "第 200001 行",
        ),
    ]
}
