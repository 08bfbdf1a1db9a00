//! Old Excel files (`.xls`) checked before calamine reads them. calamine parses every sheet when it
//! opens the file and sizes its buffers from what the file declares, so a damaged or hostile file
//! could make it loop forever (a sector chain that runs in a circle), reserve terabytes (a
//! `Dimensions` record with a wrapped row count, a cell in column 65535) or copy one long shared
//! string into millions of cells. This module walks the compound file (MS-CFB) and the workbook
//! stream's records (MS-XLS) the way calamine does, without building anything, and refuses what
//! would exceed the limits in [`super`]: the workbook stream must be reachable through finite
//! chains of whole sectors, and the cells, their text and the formulas calamine would build must
//! fit.

use super::{FileError, MAX_CELLS, MAX_COLUMNS, MAX_SHEETS, MAX_TEXT_BYTES, Result};

/// The first bytes of a compound file.
pub(crate) const SIGNATURE: [u8; 8] = *b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const RESERVED: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
/// Streams shorter than this live in the mini stream.
const MINI_CUTOFF: u64 = 4096;
/// The largest sheet an `.xls` can have (BIFF8: 65 536 rows × 256 columns).
const XLS_MAX_BOX: u64 = 65_536 * 256;
/// How much formula rewriting calamine may do (bytes moved while it turns formula tokens into
/// text, estimated from above): a few seconds at most.
const FORMULA_WORK: u64 = 20_000_000_000;

/// What a compound file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An Excel workbook (a `Workbook` or `Book` stream).
    Workbook,
    /// An Office file encrypted with a password (`EncryptedPackage`).
    Encrypted,
    /// Something else (Word, PowerPoint …).
    Other,
}

struct Dir {
    name: String,
    start: u32,
    len: u64,
}

/// A compound file as calamine reads it: sectors after the header, the FAT, the directory and the
/// mini stream.
struct Cfb<'a> {
    bytes: &'a [u8],
    sector: usize,
    header: usize,
    /// The highest sector id calamine accepts (file length / sector size).
    maxid: u32,
    fats: Vec<u32>,
    dirs: Vec<Dir>,
    mini_fats: Vec<u32>,
    mini_stream: Vec<u8>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

impl<'a> Cfb<'a> {
    fn parse(bytes: &'a [u8]) -> Option<Cfb<'a>> {
        if bytes.len() < 512 || bytes[..8] != SIGNATURE {
            return None;
        }
        let version = u16_at(bytes, 26)?;
        let (sector, header) = match u16_at(bytes, 30)? {
            9 => (512, 512),
            12 if bytes.len() >= 4096 => (4096, 4096),
            _ => return None,
        };
        if u16_at(bytes, 32)? != 6 {
            return None;
        }
        let dir_start = u32_at(bytes, 48)?;
        let mini_fat_start = u32_at(bytes, 60)?;
        let mini_fat_len = u32_at(bytes, 64)? as usize;
        let difat_start = u32_at(bytes, 68)?;
        let maxid = u32::try_from(bytes.len() / sector).ok()?;
        let mut cfb = Cfb {
            bytes,
            sector,
            header,
            maxid,
            fats: Vec::new(),
            dirs: Vec::new(),
            mini_fats: Vec::new(),
            mini_stream: Vec::new(),
        };
        let mut difat: Vec<u32> = u32s(&bytes[76..512]).collect();
        let mut id = difat_start;
        let mut steps = 0usize;
        while id < RESERVED {
            steps += 1;
            if steps > maxid as usize + 1 {
                return None;
            }
            difat.extend(u32s(cfb.sector_bytes(id)?));
            id = difat.pop()?;
        }
        // A FAT longer than the file has sectors only repeats sectors (and could be made huge).
        let fat_sectors: Vec<u32> = difat.into_iter().filter(|id| *id < DIFSECT).collect();
        if fat_sectors.len() > maxid as usize + 1 {
            return None;
        }
        for id in fat_sectors {
            let s = cfb.sector_bytes(id)?;
            cfb.fats.extend(u32s(s));
        }
        let dirs = cfb.chain(dir_start, u64::MAX)?;
        cfb.dirs = dirs.chunks_exact(128).map(|c| Dir::from_slice(c, sector)).collect::<Option<_>>()?;
        let root_start = cfb.dirs.first()?.start;
        if version != 3 && root_start == ENDOFCHAIN {
            return None;
        }
        if mini_fat_len > 0 {
            cfb.mini_stream = cfb.chain(root_start, cfb.dirs[0].len)?;
            let mini_fat = cfb.chain(mini_fat_start, (mini_fat_len as u64).saturating_mul(sector as u64))?;
            cfb.mini_fats = u32s(&mini_fat).collect();
        }
        Some(cfb)
    }

    /// Sector `id`, which must lie whole inside the file (calamine would read zeros past its end).
    fn sector_bytes(&self, id: u32) -> Option<&'a [u8]> {
        if id > self.maxid {
            return None;
        }
        let start = self.header.checked_add((id as usize).checked_mul(self.sector)?)?;
        self.bytes.get(start..start.checked_add(self.sector)?)
    }

    /// The bytes of a chain of sectors, up to `len`, as calamine collects them; None when the chain
    /// leaves the file, points past the FAT or runs longer than the file has sectors (a loop).
    fn chain(&self, mut id: u32, len: u64) -> Option<Vec<u8>> {
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let mut out = Vec::new();
        let mut steps = 0usize;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > self.maxid as usize + 1 {
                return None;
            }
            let s = self.sector_bytes(id)?;
            let take = s.len().min(len - out.len());
            out.extend_from_slice(&s[..take]);
            if out.len() >= len {
                break;
            }
            id = *self.fats.get(id as usize)?;
        }
        Some(out)
    }

    /// A chain of 64-byte mini sectors inside the mini stream.
    fn mini_chain(&self, mut id: u32, len: u64) -> Option<Vec<u8>> {
        let len = usize::try_from(len).ok()?;
        let mut out = Vec::new();
        let mut steps = 0usize;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > self.mini_stream.len() / 64 + 1 {
                return None;
            }
            let start = (id as usize).checked_mul(64)?;
            let s = self.mini_stream.get(start..start.checked_add(64)?)?;
            let take = s.len().min(len - out.len());
            out.extend_from_slice(&s[..take]);
            if out.len() >= len {
                break;
            }
            id = *self.mini_fats.get(id as usize)?;
        }
        Some(out)
    }

    fn dir(&self, name: &str) -> Option<&Dir> {
        self.dirs.iter().find(|d| d.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
    }

    /// A stream's bytes, as calamine's `get_stream` gives them.
    fn stream(&self, name: &str) -> Option<Vec<u8>> {
        let d = self.dir(name)?;
        if d.len < MINI_CUTOFF { self.mini_chain(d.start, d.len) } else { self.chain(d.start, d.len) }
    }
}

impl Dir {
    fn from_slice(b: &[u8], sector: usize) -> Option<Dir> {
        let units: Vec<u16> = b[..64].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        let mut name = String::from_utf16_lossy(&units);
        if let Some(l) = name.as_bytes().iter().position(|b| *b == 0) {
            name.truncate(l);
        }
        let start = u32_at(b, 116)?;
        let len = if sector == 512 {
            u64::from(u32_at(b, 120)?)
        } else {
            u64::from_le_bytes(b.get(120..128)?.try_into().ok()?)
        };
        Some(Dir { name, start, len })
    }
}

/// What a compound file holds, or None when it cannot be read.
pub(crate) fn kind(bytes: &[u8]) -> Option<Kind> {
    let cfb = Cfb::parse(bytes)?;
    Some(if cfb.dir("EncryptedPackage").is_some() || cfb.dir("EncryptionInfo").is_some() {
        Kind::Encrypted
    } else if cfb.dir("Workbook").is_some() || cfb.dir("Book").is_some() {
        Kind::Workbook
    } else {
        Kind::Other
    })
}

/// Checks an `.xls` file before calamine opens it: the workbook stream is reachable, the sheets,
/// cells, their text and formulas fit the limits.
pub(crate) fn check_xls(bytes: &[u8], name: &str) -> Result<()> {
    let damaged = || FileError::Damaged { name: name.to_string() };
    let cfb = Cfb::parse(bytes).ok_or_else(damaged)?;
    let stream = cfb.stream("Workbook").or_else(|| cfb.stream("Book")).ok_or_else(damaged)?;
    Scan { name, totals: Totals::default() }.workbook(&stream)
}

/// One BIFF record with the CONTINUE records after it.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: std::collections::VecDeque<&'a [u8]>,
}

impl<'a> Record<'a> {
    fn next_part(&mut self) -> bool {
        match self.cont.pop_front() {
            Some(d) => {
                self.data = d;
                true
            }
            None => false,
        }
    }

    fn skip(&mut self, mut len: usize) -> Option<()> {
        while len > 0 {
            if self.data.is_empty() && !self.next_part() {
                return None;
            }
            let l = len.min(self.data.len());
            self.data = &self.data[l..];
            len -= l;
        }
        Some(())
    }
}

/// The records of a stream as calamine's `RecordIter` cuts them; an error ends the scan.
fn records(mut stream: &[u8]) -> impl Iterator<Item = Option<Record<'_>>> {
    std::iter::from_fn(move || {
        if stream.is_empty() {
            return None;
        }
        if stream.len() < 4 {
            stream = &[];
            return Some(None);
        }
        let typ = u16::from_le_bytes([stream[0], stream[1]]);
        let len = u16::from_le_bytes([stream[2], stream[3]]) as usize;
        if stream.len() < len + 4 {
            stream = &[];
            return Some(None);
        }
        let data = &stream[4..len + 4];
        stream = &stream[len + 4..];
        let mut cont = std::collections::VecDeque::new();
        while stream.len() > 4 && u16::from_le_bytes([stream[0], stream[1]]) == 0x003C {
            let len = u16::from_le_bytes([stream[2], stream[3]]) as usize;
            if stream.len() < len + 4 {
                stream = &[];
                return Some(None);
            }
            cont.push_back(&stream[4..len + 4]);
            stream = &stream[len + 4..];
        }
        Some(Some(Record { typ, data, cont }))
    })
}

/// The character counts of a shared string table, string by string, as calamine's `parse_sst`
/// reads them (None where calamine fails).
fn sst_lengths(mut r: Record<'_>) -> Option<Vec<u32>> {
    r.data = r.data.get(8..)?;
    let mut out = Vec::new();
    while !r.data.is_empty() || r.next_part() {
        if out.len() >= MAX_CELLS {
            return Some(out);
        }
        if r.data.is_empty() {
            out.push(0);
            continue;
        }
        let cch = u32::from(u16_at(r.data, 0)?);
        let flags = *r.data.get(2)?;
        r.data = &r.data[3..];
        let mut runs = 0usize;
        if flags & 0x8 != 0 {
            runs = u16_at(r.data, 0)? as usize;
            r.data = &r.data[2..];
        }
        let mut ext = 0usize;
        if flags & 0x4 != 0 {
            #[allow(clippy::cast_sign_loss, reason = "calamine reads it so; a negative length fails the skip below")]
            let n = i32::from_le_bytes(r.data.get(..4)?.try_into().ok()?) as usize;
            ext = n;
            r.data = &r.data[4..];
        }
        let mut high = flags & 0x1 != 0;
        let mut left = cch as usize;
        while left > 0 {
            let width = if high { 2 } else { 1 };
            let l = left.min(r.data.len() / width);
            r.data = &r.data[l * width..];
            left -= l;
            if left > 0 {
                if !r.next_part() {
                    return None;
                }
                high = *r.data.first()? & 0x1 != 0;
                r.data = &r.data[1..];
            }
        }
        r.skip(runs.checked_mul(4)?)?;
        r.skip(ext)?;
        out.push(cch);
    }
    Some(out)
}

/// A sheet's name from its BoundSheet8 record (for messages only: UTF-16 or one byte a character).
fn sheet_name(d: &[u8]) -> String {
    let chars = d.get(6).copied().unwrap_or(0) as usize;
    let text = d.get(8..).unwrap_or(&[]);
    if d.get(7).is_some_and(|f| f & 1 != 0) {
        let units: Vec<u16> = text.chunks_exact(2).take(chars).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        text.iter().take(chars).map(|&b| char::from(b)).collect()
    }
}

/// What calamine would build for the whole workbook.
#[derive(Default)]
struct Totals {
    cells: u64,
    boxes: u64,
    text: u64,
    formula_text: u64,
    formula_work: u64,
}

struct Scan<'n> {
    name: &'n str,
    totals: Totals,
}

/// The cells of one sheet as calamine collects them.
struct SheetBox {
    rows: (u32, u32),
    cols: (u32, u32),
    any: bool,
}

impl Scan<'_> {
    fn damaged(&self) -> FileError {
        FileError::Damaged { name: self.name.to_string() }
    }

    fn workbook(mut self, stream: &[u8]) -> Result<()> {
        let mut sheets: Vec<(usize, String)> = Vec::new();
        let mut longest_name = 8u64;
        let mut sst: Vec<u32> = Vec::new();
        for r in records(stream) {
            let r = r.ok_or_else(|| self.damaged())?;
            match r.typ {
                0x002F if u16_at(r.data, 0).ok_or_else(|| self.damaged())? != 0 => {
                    return Err(FileError::Content { name: self.name.to_string(), found: super::Content::Encrypted });
                }
                0x0085 => {
                    let pos = u32_at(r.data, 0).ok_or_else(|| self.damaged())? as usize;
                    let chars = *r.data.get(6).ok_or_else(|| self.damaged())?;
                    longest_name = longest_name.max(u64::from(chars));
                    sheets.push((pos, sheet_name(r.data)));
                }
                0x0018 => longest_name = longest_name.max(u64::from(*r.data.get(3).ok_or_else(|| self.damaged())?)),
                0x00FC => sst = sst_lengths(r).ok_or_else(|| self.damaged())?,
                0x000A => break,
                _ => {}
            }
            if sst.len() >= MAX_CELLS {
                return Err(FileError::TooManyCells {
                    name: self.name.to_string(),
                    sheet: String::new(),
                    max: MAX_CELLS,
                });
            }
        }
        if sheets.len() > MAX_SHEETS {
            return Err(FileError::TooManySheets {
                name: self.name.to_string(),
                sheets: sheets.len(),
                max: MAX_SHEETS,
            });
        }
        // Each formula token may become a sheet or defined name (up to three bytes a character) and
        // some punctuation.
        let expansion = 3 * longest_name + 32;
        for (pos, sheet) in &sheets {
            let data = stream.get(*pos..).ok_or_else(|| self.damaged())?;
            self.sheet(data, sheet, &sst, expansion)?;
        }
        Ok(())
    }

    fn sheet(&mut self, stream: &[u8], sheet: &str, sst: &[u32], expansion: u64) -> Result<()> {
        let mut b = SheetBox { rows: (u32::MAX, 0), cols: (u32::MAX, 0), any: false };
        let mut seen_bof = false;
        let mut depth = 0usize;
        let mut formula_at = (0u32, 0u32);
        for r in records(stream) {
            let r = r.ok_or_else(|| self.damaged())?;
            if depth > 0 {
                match r.typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let at = |i: usize| -> Option<(u32, u32)> {
                Some((u32::from(u16_at(r.data, i)?), u32::from(u16_at(r.data, i + 2)?)))
            };
            match r.typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x0200 => self.dimensions(r.data, sheet)?,
                // Number, BoolErr, Rk: a value without text.
                0x0203 | 0x0205 | 0x027E => self.cell(&mut b, at(0).ok_or_else(|| self.damaged())?, 0, sheet)?,
                // Label, RString: text inside the record.
                0x0204 | 0x00D6 => {
                    let text = 3 * r.data.len() as u64;
                    self.cell(&mut b, at(0).ok_or_else(|| self.damaged())?, text, sheet)?;
                }
                // LabelSst: a shared string, copied into the cell.
                0x00FD => {
                    let pos = at(0).ok_or_else(|| self.damaged())?;
                    let i = u32_at(r.data, 6).ok_or_else(|| self.damaged())? as usize;
                    if let Some(&chars) = sst.get(i) {
                        self.cell(&mut b, pos, 3 * u64::from(chars), sheet)?;
                    }
                }
                // String: the text value of the formula before it.
                0x0207 => self.cell(&mut b, formula_at, 3 * r.data.len() as u64, sheet)?,
                // MulRk: several numbers in one row.
                0x00BD => {
                    let (row, first) = at(0).ok_or_else(|| self.damaged())?;
                    let last = u32::from(u16_at(r.data, r.data.len().saturating_sub(2)).ok_or_else(|| self.damaged())?);
                    if last < first || r.data.len() != 6 + 6 * (last - first + 1) as usize {
                        return Err(self.damaged());
                    }
                    for col in first..=last {
                        self.cell(&mut b, (row, col), 0, sheet)?;
                    }
                }
                0x0006 => {
                    if r.data.len() < 22 {
                        return Err(self.damaged());
                    }
                    formula_at = at(0).ok_or_else(|| self.damaged())?;
                    self.cell(&mut b, formula_at, 0, sheet)?;
                    let cce = u64::from(u16_at(r.data, 20).ok_or_else(|| self.damaged())?);
                    self.formula(cce, expansion)?;
                }
                0x000A => break,
                _ => {}
            }
        }
        if b.any {
            let size = u64::from(b.rows.1 - b.rows.0 + 1) * u64::from(b.cols.1 - b.cols.0 + 1);
            self.totals.boxes += size;
            if self.totals.boxes > MAX_CELLS as u64 {
                return Err(self.too_many_cells(sheet));
            }
        }
        Ok(())
    }

    fn too_many_cells(&self, sheet: &str) -> FileError {
        FileError::TooManyCells { name: self.name.to_string(), sheet: sheet.to_string(), max: MAX_CELLS }
    }

    /// calamine reserves room for the whole declared area (and computes it with wrapping arithmetic).
    fn dimensions(&self, d: &[u8], sheet: &str) -> Result<()> {
        let read = || -> Option<(u32, u32, u32, u32)> {
            match d.len() {
                10 => Some((
                    u32::from(u16_at(d, 0)?),
                    u32::from(u16_at(d, 2)?),
                    u32::from(u16_at(d, 4)?),
                    u32::from(u16_at(d, 6)?),
                )),
                14 | 16 => Some((u32_at(d, 0)?, u32_at(d, 4)?, u32::from(u16_at(d, 8)?), u32::from(u16_at(d, 10)?))),
                _ => None,
            }
        };
        let (rf, rl, mut cf, cl) = read().ok_or_else(|| self.damaged())?;
        if 0xFF < cf || cl < cf {
            cf = 0;
        }
        let (rows, cols) = if rl >= 1 && cl >= 1 {
            (u64::from(rl - 1).checked_sub(u64::from(rf)).ok_or_else(|| self.damaged())? + 1, u64::from(cl - cf))
        } else {
            (1, 1)
        };
        if rows.saturating_mul(cols) > XLS_MAX_BOX {
            return Err(self.too_many_cells(sheet));
        }
        Ok(())
    }

    fn cell(&mut self, b: &mut SheetBox, (row, col): (u32, u32), text: u64, sheet: &str) -> Result<()> {
        if col as usize >= MAX_COLUMNS {
            let cell = super::grid::cell_name(row, col);
            return Err(FileError::TooManyColumns {
                name: self.name.to_string(),
                sheet: sheet.to_string(),
                cell,
                max: MAX_COLUMNS,
            });
        }
        b.rows = (b.rows.0.min(row), b.rows.1.max(row));
        b.cols = (b.cols.0.min(col), b.cols.1.max(col));
        b.any = true;
        self.totals.cells += 1;
        self.totals.text += text;
        if self.totals.cells > MAX_CELLS as u64 {
            return Err(self.too_many_cells(sheet));
        }
        if self.totals.text > MAX_TEXT_BYTES as u64 {
            return Err(FileError::TooMuchText { name: self.name.to_string(), max: MAX_TEXT_BYTES });
        }
        Ok(())
    }

    fn formula(&mut self, cce: u64, expansion: u64) -> Result<()> {
        let text = cce * expansion;
        self.totals.formula_text += text;
        self.totals.formula_work += text * cce;
        if self.totals.formula_text > MAX_TEXT_BYTES as u64 || self.totals.formula_work > FORMULA_WORK {
            return Err(FileError::TooMuchText { name: self.name.to_string(), max: MAX_TEXT_BYTES });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_with_continues() {
        let mut s = vec![0xFC, 0x00, 2, 0, 1, 2, 0x3C, 0x00, 1, 0, 3];
        s.extend([0x0A, 0x00, 0, 0]);
        let recs: Vec<_> = records(&s).collect();
        assert_eq!(recs.len(), 2);
        let first = recs[0].as_ref().unwrap();
        assert_eq!((first.typ, first.data, first.cont.len()), (0xFC, &[1u8, 2][..], 1));
        assert!(records(&[1, 2, 3]).next().unwrap().is_none());
    }

    #[test]
    fn shared_strings_across_continue_records() {
        // Two strings: "ab" (1 byte a char), then "中文" split over a CONTINUE in UTF-16.
        let mut sst = vec![0u8; 8];
        sst.extend([2, 0, 0, b'a', b'b']);
        sst.extend([2, 0, 1, 0x2D, 0x4E]);
        let cont: &[u8] = &[1, 0x87, 0x65];
        let r = Record { typ: 0xFC, data: &sst, cont: [cont].into_iter().collect() };
        assert_eq!(sst_lengths(r), Some(vec![2, 2]));
    }

    #[test]
    fn not_a_compound_file() {
        assert!(Cfb::parse(b"PK\x03\x04").is_none());
        let mut header = SIGNATURE.to_vec();
        header.resize(512, 0);
        assert!(Cfb::parse(&header).is_none(), "no sector shift");
    }
}
