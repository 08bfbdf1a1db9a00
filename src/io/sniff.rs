//! What a file is, by its content before its name: only regular files are read, and only up to
//! [`MAX_FILE_BYTES`]; a zip is a workbook only when its parts say so (and inflate within
//! [`MAX_INFLATED_BYTES`]); a compound file is an `.xls` only when it holds a workbook stream.
//! A file whose extension disagrees with its content is read by its content, and says so.

use std::io::{Cursor, Read};
use std::path::Path;

use super::{FileError, MAX_FILE_BYTES, MAX_INFLATED_BYTES, MAX_ZIP_PARTS, Result};

/// The formats Bole reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Xls,
    Ods,
}

impl Format {
    /// The extension a file of this format usually has.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }

    fn matches_ext(self, ext: &str) -> bool {
        match self {
            Format::Csv => matches!(ext, "csv" | "txt" | "tsv"),
            Format::Xlsx => matches!(ext, "xlsx" | "xlsm"),
            Format::Xls => ext == "xls",
            Format::Ods => ext == "ods",
        }
    }
}

/// A file whose extension says one format and whose content is another (read by its content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mislabeled {
    /// The extension as written (lower case, empty when the name has none).
    pub ext: String,
    pub format: Format,
}

/// Content that is not a list Bole reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// 0 bytes, or only a byte-order mark and blanks.
    Empty,
    /// A web page (some systems export tables as HTML named `.xls`).
    Html,
    /// Excel 2003 XML (SpreadsheetML).
    Xml2003,
    Pdf,
    Image,
    /// An Excel binary workbook (`.xlsb`).
    Xlsb,
    /// A workbook protected by a password.
    Encrypted,
    /// A Word, PowerPoint or OpenDocument text file.
    OtherOffice,
    /// A zip that holds no workbook.
    Zip,
    /// Bytes that are neither text nor a known format.
    Binary,
}

/// What kind of non-regular file a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialFile {
    Directory,
    /// A device such as /dev/zero.
    Device,
    /// A named pipe or a socket.
    Pipe,
    Other,
}

impl SpecialFile {
    fn of(t: std::fs::FileType) -> SpecialFile {
        if t.is_dir() {
            return SpecialFile::Directory;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_block_device() || t.is_char_device() {
                return SpecialFile::Device;
            }
            if t.is_fifo() || t.is_socket() {
                return SpecialFile::Pipe;
            }
        }
        SpecialFile::Other
    }
}

/// The file name of a path, for messages.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`]: folders, devices and pipes are refused by
/// their metadata before opening, and the reading itself stops one byte after the limit.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>> {
    let read_err = |source| FileError::Read { path: path.to_path_buf(), source };
    let regular = |meta: &std::fs::Metadata| {
        if meta.is_file() {
            Ok(())
        } else {
            Err(FileError::NotAFile { path: path.to_path_buf(), what: SpecialFile::of(meta.file_type()) })
        }
    };
    let too_big = |bytes| FileError::TooBig { name: file_name(path), bytes, max: MAX_FILE_BYTES };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    regular(&meta)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(read_err)?;
    // The path may have changed between the two looks; the open file is what counts.
    let meta = file.metadata().map_err(read_err)?;
    regular(&meta)?;
    let capacity = usize::try_from(meta.len().min(MAX_FILE_BYTES)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(read_err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The lower-case extension of a file name ("" without one).
pub(crate) fn extension(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// Text extensions, and workbook extensions whose files may turn out to be text.
fn text_allowed(ext: &str) -> bool {
    matches!(ext, "csv" | "txt" | "tsv" | "xls" | "xlsx" | "xlsm" | "ods")
}

/// The format to read a file's bytes as, and whether its extension said otherwise.
pub(crate) fn sniff(bytes: &[u8], name: &str) -> Result<(Format, Option<Mislabeled>)> {
    let ext = extension(name);
    let content = |found| Err(FileError::Content { name: name.to_string(), found });
    let format = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        match zip_kind(bytes, name)? {
            ZipKind::Xlsx => Format::Xlsx,
            ZipKind::Ods => Format::Ods,
            ZipKind::Xlsb => return content(Content::Xlsb),
            ZipKind::OtherOffice => return content(Content::OtherOffice),
            ZipKind::Other => return content(Content::Zip),
        }
    } else if bytes.starts_with(&super::cfb::SIGNATURE) {
        match super::cfb::kind(bytes) {
            Some(super::cfb::Kind::Workbook) => Format::Xls,
            Some(super::cfb::Kind::Encrypted) => return content(Content::Encrypted),
            Some(super::cfb::Kind::Other) => return content(Content::OtherOffice),
            None => return Err(FileError::Damaged { name: name.to_string() }),
        }
    } else if let Some(found) = other_content(bytes) {
        return content(found);
    } else if text_allowed(&ext) {
        Format::Csv
    } else {
        return Err(FileError::Unsupported { name: name.to_string() });
    };
    let mislabeled = (!format.matches_ext(&ext)).then_some(Mislabeled { ext, format });
    Ok((format, mislabeled))
}

/// Formats recognised by their first bytes that Bole does not read.
fn other_content(bytes: &[u8]) -> Option<Content> {
    let bom_len = encoding_rs::Encoding::for_bom(bytes).map_or(0, |(_, n)| n);
    let body = &bytes[bom_len..];
    if body.iter().all(u8::is_ascii_whitespace) {
        return Some(Content::Empty);
    }
    if bytes.starts_with(b"%PDF") {
        return Some(Content::Pdf);
    }
    let images: [&[u8]; 5] = [b"\x89PNG", b"\xFF\xD8\xFF", b"GIF8", b"BM", b"II*\0"];
    if images.iter().any(|m| bytes.starts_with(m)) && bytes.len() > 32 && bytes[..32].contains(&0) {
        return Some(Content::Image);
    }
    // Markup: only UTF-8/ASCII-compatible text is looked at (UTF-16 markup is rare).
    let head: Vec<u8> =
        body.iter().skip_while(|b| b.is_ascii_whitespace()).take(2048).map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if head.starts_with(b"<") {
        if has(b"urn:schemas-microsoft-com:office:spreadsheet") {
            return Some(Content::Xml2003);
        }
        if has(b"<html") || has(b"<!doctype html") || has(b"<table") {
            return Some(Content::Html);
        }
    }
    None
}

enum ZipKind {
    Xlsx,
    Ods,
    Xlsb,
    OtherOffice,
    Other,
}

/// One part of a workbook zip, checked to inflate within the limits (the central directory's size
/// is binding: the zip reader refuses to inflate more than that).
pub(crate) struct Part {
    pub name: String,
}

/// The parts of a zip, checked against the limits before anything is inflated: at most
/// [`MAX_ZIP_PARTS`] parts (counted from the end record before the directory is read), each and all
/// together inflating to at most [`MAX_INFLATED_BYTES`].
pub(crate) fn zip_parts(bytes: &[u8], name: &str) -> Result<Vec<Part>> {
    let damaged = || FileError::Damaged { name: name.to_string() };
    let declared = zip_entry_count(bytes).ok_or_else(damaged)?;
    if declared > MAX_ZIP_PARTS as u64 {
        let parts = usize::try_from(declared).unwrap_or(usize::MAX);
        return Err(FileError::TooManyParts { name: name.to_string(), parts, max: MAX_ZIP_PARTS });
    }
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| damaged())?;
    if zip.len() > MAX_ZIP_PARTS {
        return Err(FileError::TooManyParts { name: name.to_string(), parts: zip.len(), max: MAX_ZIP_PARTS });
    }
    let meta = zip.metadata();
    let mut parts = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = meta.entry(i).map_err(|_| damaged())?;
        let part = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let size = entry.size();
        total = total.saturating_add(size);
        if size > MAX_INFLATED_BYTES {
            return Err(FileError::Inflates { name: name.to_string(), part, bytes: size, max: MAX_INFLATED_BYTES });
        }
        if total > MAX_INFLATED_BYTES {
            let (part, bytes) = (String::new(), total);
            return Err(FileError::Inflates { name: name.to_string(), part, bytes, max: MAX_INFLATED_BYTES });
        }
        parts.push(Part { name: part });
    }
    Ok(parts)
}

/// The number of entries the end-of-central-directory record declares (zip64 included), or None
/// when there is no such record.
fn zip_entry_count(bytes: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let from = bytes.len().saturating_sub(22 + 65_535);
    let at = from + memchr::memmem::rfind(&bytes[from..], EOCD)?;
    let eocd = bytes.get(at..at + 22)?;
    let entries = u16::from_le_bytes([eocd[10], eocd[11]]);
    if entries != 0xFFFF {
        return Some(u64::from(entries));
    }
    // Zip64: the locator sits just before the end record and points at the zip64 end record.
    let locator = bytes.get(at.checked_sub(20)?..at)?;
    if !locator.starts_with(b"PK\x06\x07") {
        return None;
    }
    let offset = usize::try_from(u64::from_le_bytes(locator[8..16].try_into().ok()?)).ok()?;
    let record = bytes.get(offset..offset.checked_add(56)?)?;
    if !record.starts_with(b"PK\x06\x06") {
        return None;
    }
    Some(u64::from_le_bytes(record[32..40].try_into().ok()?))
}

/// Which kind of zip this is, by its part names (and the ODF `mimetype` part).
fn zip_kind(bytes: &[u8], name: &str) -> Result<ZipKind> {
    let parts = zip_parts(bytes, name)?;
    let has = |f: &dyn Fn(&str) -> bool| parts.iter().any(|p| f(&p.name.to_ascii_lowercase()));
    if parts.iter().any(|p| p.name == "mimetype") {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FileError::Damaged { name: name.into() })?;
        let mut mime = Vec::new();
        if let Ok(f) = zip.by_name("mimetype") {
            let _ = f.take(100).read_to_end(&mut mime);
        }
        return Ok(if mime.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
            ZipKind::Ods
        } else if mime.starts_with(b"application/vnd.oasis.opendocument") {
            ZipKind::OtherOffice
        } else {
            ZipKind::Other
        });
    }
    Ok(if has(&|n| n.ends_with("workbook.bin")) {
        ZipKind::Xlsb
    } else if has(&|n| n.ends_with("workbook.xml")) {
        ZipKind::Xlsx
    } else if has(&|n| n.starts_with("word/") || n.starts_with("ppt/") || n == "content.xml") {
        ZipKind::OtherOffice
    } else {
        ZipKind::Other
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert_eq!(extension("名单.XLSX"), "xlsx");
        assert_eq!(extension("名单"), "");
        assert_eq!(extension(".csv"), "");
        assert_eq!(extension("a.b.csv"), "csv");
    }

    #[test]
    fn content_by_first_bytes() {
        assert_eq!(other_content(b""), Some(Content::Empty));
        assert_eq!(other_content(b"\xEF\xBB\xBF \r\n"), Some(Content::Empty));
        assert_eq!(other_content(b"%PDF-1.7\n"), Some(Content::Pdf));
        assert_eq!(other_content(b"  <HTML><body><table>"), Some(Content::Html));
        let xml = b"<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">";
        assert_eq!(other_content(xml), Some(Content::Xml2003));
        assert_eq!(other_content("编号,姓名\n".as_bytes()), None);
    }

    #[test]
    fn text_is_read_as_csv_under_workbook_names_and_says_so() {
        let (f, m) = sniff("编号,姓名\nZJ1,张伟\n".as_bytes(), "名单.xls").unwrap();
        assert_eq!((f, m), (Format::Csv, Some(Mislabeled { ext: "xls".into(), format: Format::Csv })));
        assert_eq!(sniff(b"a,b", "a.csv").unwrap(), (Format::Csv, None));
        assert!(matches!(sniff(b"a,b", "a.docx"), Err(FileError::Unsupported { .. })));
        assert!(matches!(sniff(b"PK\x03\x04garbage", "a.xlsx"), Err(FileError::Damaged { .. })));
    }
}
