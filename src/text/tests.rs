use std::path::PathBuf;

use super::*;
use crate::domain::meeting::Conflict;

/// True when the text has a run of three or more ASCII letters that is not a known token
/// (编号 like ZJ0001, file names and extensions, "CSV", "UTF-8", "bole" commands are fine).
fn has_english(s: &str) -> bool {
    const OK: &[&str] = &[
        "xlsx",
        "xls",
        "ods",
        "csv",
        "utf",
        "gbk",
        "bole",
        "meeting",
        "list",
        "excel",
        "wps",
        "libreoffice",
        "pdf",
        "tmp",
        "db",
        // Format and product names the reading errors use.
        "html",
        "xml",
        "xlsb",
        "xlsm",
        "word",
        "powerpoint",
        "opendocument",
        "gb18030",
    ];
    s.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .any(|w| !OK.contains(&w.to_ascii_lowercase().as_str()))
}

#[test]
fn io_errors_never_pass_english_os_text() {
    for kind in [
        std::io::ErrorKind::NotFound,
        std::io::ErrorKind::PermissionDenied,
        std::io::ErrorKind::IsADirectory,
        std::io::ErrorKind::StorageFull,
        std::io::ErrorKind::Other,
    ] {
        let e = FileError::Read { path: PathBuf::from("/tmp/名单.xlsx"), source: std::io::Error::from(kind) };
        let msg = file_error(&e);
        assert!(msg.contains("名单.xlsx"), "{msg}");
        assert!(!has_english(&msg.replace("/tmp/", "")), "{kind:?}: {msg}");
    }
    let msg = file_error(&FileError::Write {
        path: PathBuf::from("out.xlsx"),
        source: std::io::Error::other("No space left on device"),
    });
    assert!(!msg.contains("No space"), "{msg}");
}

#[test]
fn every_engine_error_reads_as_chinese() {
    let errors = vec![
        EngineError::NotFound(Missing::Record(RecordKind::Expert, Some("ZJ0001".into()))),
        EngineError::NotFound(Missing::Meeting(None)),
        EngineError::Duplicate { kind: RecordKind::Demand, ext_id: "XQ1".into(), other: "结晶".into() },
        EngineError::Store(StoreError::TooNew { found: 9, supported: 5 }),
        EngineError::Store(StoreError::NotBole { path: PathBuf::from("x.db") }),
        EngineError::Index(SearchError::Locked),
        EngineError::Meeting(MeetingError::NotPaired),
        EngineError::Infeasible {
            obstacles: vec![assign::Obstacle::TooFewCandidates { demand: "XQ2024-017".into(), candidates: 1, min: 2 }],
            min_score: 30.0,
            conflicts: vec![("XQ1".into(), Conflict::AvoidPerson { enterprise: "甲".into(), expert: "张伟".into() })],
        },
        EngineError::Unschedulable(vec![schedule::Obstacle::LocksBlock { slots: 6 }]),
        EngineError::File(FileError::Cancelled),
        EngineError::Thread,
        EngineError::Knowledge(crate::engine::EditError::GroupTooSmall),
    ];
    for e in &errors {
        let msg = error(e);
        assert!(msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{e:?}: {msg}");
        assert!(!has_english(&msg), "{e:?}: {msg}");
    }
    let msg = error(&errors[7]);
    assert!(msg.contains("需求 XQ2024-017 只有 1 位可选专家，但要求至少 2 位：放宽回避或降低下限"), "{msg}");
    assert!(msg.contains("最低匹配度") && msg.contains("回避专家 张伟"), "{msg}");
    assert!(error(&errors[3]).contains("升级伯乐"));
}

#[test]
fn obstacles_say_what_to_change() {
    let msg = assign_obstacle(&assign::Obstacle::CapacityShort { capacity: 40, needed: 52 });
    assert_eq!(msg, "专家总容量 40 < 需求下限合计 52：提高每位专家上限或增加专家");
    let msg =
        schedule_obstacle(&schedule::Obstacle::ExpertOverSlots { expert: "王强".into(), meetings: 7, slots: 6 });
    assert_eq!(msg, "时段不足：专家 王强 有 7 场对接，至少需要 7 个时段（现有 6 个）：增加时段或降低每位专家上限");
}

#[test]
fn a_meeting_ending_early_says_why() {
    let note = slot_rest(540, 690, 20).unwrap();
    assert_eq!(note, "按每时段 20 分钟只能排满 7 个时段，到 11:20 结束（最后 10 分钟不足一个时段）");
    assert_eq!(slot_rest(540, 720, 20), None, "whole slots fill 9:00–12:00");
}

#[test]
fn reading_limits_and_contents_say_what_to_do() {
    use crate::engine::{Content, Format, Mislabeled, SpecialFile};
    let name = || "名单.xlsx".to_string();
    let sheet = || "专家".to_string();
    let mut errors = vec![
        FileError::NotAFile { path: PathBuf::from("/tmp/名单"), what: SpecialFile::Device },
        FileError::TooBig { name: name(), bytes: 60 << 20, max: 50 << 20 },
        FileError::Inflates { name: name(), part: String::new(), bytes: 4 << 30, max: 300 << 20 },
        FileError::LongXml { name: name(), part: "xl/sharedStrings.xml".into(), max: 1 << 20 },
        FileError::TooManyParts { name: name(), parts: 20_000, max: 10_000 },
        FileError::TooManySheets { name: name(), sheets: 1000, max: 256 },
        FileError::TooManyRows { name: name(), sheet: sheet(), row: 1_048_576, max: 200_000 },
        FileError::TooManyColumns { name: name(), sheet: sheet(), cell: "XFD1".into(), max: 500 },
        FileError::TooManyCells { name: name(), sheet: sheet(), max: 3_000_000 },
        FileError::TooManyStyles { name: name(), max: 1_000_000 },
        FileError::TooMuchText { name: name(), max: 100 << 20 },
        FileError::CellTooLong { name: name(), sheet: String::new(), cell: "C2".into(), chars: 40_000, max: 32_767 },
        FileError::MixedEncoding { line: 3 },
        FileError::OtherKind { file: name(), kind: RecordKind::Expert, found: RecordKind::Demand },
    ];
    for found in [
        Content::Empty,
        Content::Html,
        Content::Xml2003,
        Content::Pdf,
        Content::Image,
        Content::Xlsb,
        Content::Encrypted,
        Content::OtherOffice,
        Content::Zip,
        Content::Binary,
    ] {
        errors.push(FileError::Content { name: name(), found });
    }
    for e in &errors {
        let msg = file_error(e);
        assert!(msg.contains('请') || msg.contains("已损坏"), "says what to do: {msg}");
        assert!(!has_english(&msg.replace("xl/sharedStrings.xml", "").replace("XFD1", "")), "{e:?}: {msg}");
    }
    assert!(file_error(&errors[1]).contains("有 60 MB，超过了 50 MB"), "{}", file_error(&errors[1]));
    assert!(file_error(&errors[6]).contains("工作表“专家”第 1048576 行还有内容"));
    assert!(file_error(&errors[13]).contains("这像是企业需求表"));
    let m = Mislabeled { ext: "csv".into(), format: Format::Xlsx };
    assert_eq!(
        mislabeled(&m),
        "文件扩展名是 .csv，但内容是 Excel 工作簿（.xlsx），已按实际内容读取（建议把扩展名改为 .xlsx）"
    );
    for kind in [std::io::ErrorKind::ResourceBusy, std::io::ErrorKind::NetworkDown, std::io::ErrorKind::QuotaExceeded] {
        assert!(!has_english(io_reason(&std::io::Error::from(kind))), "{kind:?}");
    }
}
