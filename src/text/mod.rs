//! The words users read: every error, obstacle and outcome of the engine, worded once, in
//! Chinese, for the two front ends (the GUI's status line and dialogs, the CLI's stdout/stderr).
//! Lower layers return typed values; nothing below the edge builds a sentence for a user (record
//! issues are the one exception: they are part of the domain's vocabulary, see
//! `domain::rules::Problem::text`). Operating-system messages are never passed through in
//! English: an I/O error is described by its kind.

use std::path::Path;

use crate::domain::RecordKind;
use crate::domain::rules::Issue;
use crate::engine::{
    AssignReport, Done, EngineError, FileError, MeetingError, Missing, RebuildReason, ScheduleReport, SearchError,
    StoreError, Undo, assign, schedule,
};
use crate::engine::{Content, Format, Mislabeled, SpecialFile};
use crate::engine::{Counts, ImportPlan, OpenOutcome};

mod followup;
mod knowledge;
pub use followup::{pairing_detail, pairing_table, report_written, stats_text, targets_table};
pub use knowledge::{changed as knowledge_changed, edit_error};
#[cfg(test)]
mod tests;

/// The desktop window could not be opened (no usable OpenGL, no display).
/// An unexpected failure inside the program (a panic).
pub const INTERNAL_ERROR: &str = "伯乐遇到内部错误，操作没有完成，数据库保持原样。请把日志文件发给维护人员";

pub const GUI_FAILED: &str =
    "无法启动图形界面。如果这台电脑的显卡驱动太旧，请更新显卡驱动后重试；也可以先用命令行（bole --help）。";

/// An I/O failure in plain words, by its kind (never the OS's English text).
pub fn io_reason(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件不存在",
        K::PermissionDenied => "没有权限（文件可能正被 Excel/WPS 打开，或是只读的）",
        K::AlreadyExists => "同名文件已存在",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::StorageFull => "磁盘空间已满",
        K::ReadOnlyFilesystem => "磁盘或文件夹是只读的",
        K::FileTooLarge => "文件太大",
        K::InvalidFilename => "文件名无效",
        K::BrokenPipe => "输出已被关闭",
        K::Interrupted | K::TimedOut | K::WouldBlock => "操作被中断，请重试",
        K::InvalidData | K::UnexpectedEof => "文件内容不完整或已损坏",
        K::ResourceBusy | K::ExecutableFileBusy => "文件正被其他程序占用，请关闭该程序后重试",
        K::Deadlock => "文件被锁定，请稍后重试",
        K::QuotaExceeded => "磁盘配额已用完",
        K::WriteZero => "写入失败（磁盘可能已满）",
        K::OutOfMemory => "内存不足，请关闭其他程序后重试",
        K::CrossesDevices => "不能跨磁盘移动文件",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::TooManyLinks => "路径中的快捷方式（链接）太多或形成了循环",
        K::NotSeekable => "这不是普通文件，无法读取",
        K::ArgumentListTooLong => "路径太长",
        K::InvalidInput => "路径或文件名无效",
        K::Unsupported => "系统不支持这个操作",
        K::StaleNetworkFileHandle
        | K::NetworkDown
        | K::NetworkUnreachable
        | K::HostUnreachable
        | K::ConnectionRefused
        | K::ConnectionReset
        | K::ConnectionAborted
        | K::NotConnected
        | K::AddrNotAvailable => "网络连接出错（文件可能在网络盘上），请检查网络后重试",
        _ => "读写失败",
    }
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// A database error.
pub fn store_error(e: &StoreError) -> String {
    match e {
        StoreError::Db(e) => db_error(e),
        StoreError::CreateDir { path: p, source } => {
            format!("无法创建数据文件夹 {}：{}。请在设置中换一个位置", path(p), io_reason(source))
        }
        StoreError::Open { path: p, source } => {
            format!("无法打开数据库 {}：{}。请检查路径，或换一个数据库文件", path(p), db_error(source))
        }
        StoreError::NotBole { path: p } => {
            format!("{} 不是伯乐的数据库文件（可能是其他程序的文件或已损坏）。请换一个文件，或从备份恢复", path(p))
        }
        StoreError::TooNew { found, supported } => format!(
            "这个数据库由更新版本的伯乐创建（数据库版本 {found}，本程序支持到 {supported}）。请升级伯乐后再打开，数据没有被改动"
        ),
        StoreError::NoPath => "数据库路径为空：请给出数据库文件的路径，例如 --db 伯乐.db".into(),
        StoreError::NotAFile { path: p } => {
            format!("{} 是一个文件夹，不是数据库文件。请给出文件路径，例如 {}", path(p), path(&p.join("bole.db")))
        }
        StoreError::ReadOnly { path: p } => format!(
            "数据库 {} 只能读取，而它需要升级到本程序的版本才能打开。请检查文件权限（或复制到可写的位置）后再试",
            path(p)
        ),
        StoreError::Missing { path: p } => format!("找不到文件 {}（或它不是文件）", path(p)),
        StoreError::Write { path: p, source } => format!("无法写入 {}：{}", path(p), io_reason(source)),
    }
}

fn db_error(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    match e {
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            C::DatabaseBusy | C::DatabaseLocked => "数据库正被另一个伯乐程序（窗口或命令行）写入，请稍后再试".into(),
            C::ReadOnly => "数据库文件是只读的，无法保存改动。请检查文件权限或换一个位置".into(),
            C::DiskFull => "磁盘空间已满，改动没有保存。请清理磁盘后重试".into(),
            C::NotADatabase | C::DatabaseCorrupt => "数据库文件已损坏。请从备份恢复".into(),
            C::CannotOpen => "无法打开数据库文件：请检查路径和权限".into(),
            C::ConstraintViolation => "保存失败：数据与已有记录冲突（如编号重复或仍被引用）".into(),
            _ => format!("数据库操作失败（错误码 {}）", f.extended_code),
        },
        _ => "数据库操作失败".into(),
    }
}

/// Why a meeting ends before the time asked for: only whole slots fit (None when they fill it).
pub fn slot_rest(start: u32, end: u32, slot_minutes: u32) -> Option<String> {
    if slot_minutes == 0 || end <= start {
        return None;
    }
    let (slots, rest) = ((end - start) / slot_minutes, (end - start) % slot_minutes);
    (rest > 0 && slots > 0).then(|| {
        let used = start + slots * slot_minutes;
        format!(
            "按每时段 {slot_minutes} 分钟只能排满 {slots} 个时段，到 {}:{:02} 结束（最后 {rest} 分钟不足一个时段）",
            used / 60,
            used % 60
        )
    })
}

/// What a backup holds, in one line.
pub fn backup_summary(s: &crate::engine::BackupSummary) -> String {
    format!(
        "专家 {} 位、需求 {} 条、企业 {} 家、对接会 {} 场、对接 {} 对",
        s.experts, s.demands, s.enterprises, s.meetings, s.pairings
    )
}

pub fn backup_kind(k: crate::engine::BackupKind) -> &'static str {
    use crate::engine::BackupKind as K;
    match k {
        K::Daily => "每日",
        K::Weekly => "每周",
        K::Before => "操作前",
        K::Manual => "手动",
    }
}

pub fn backup_action(a: crate::engine::BackupAction) -> &'static str {
    use crate::engine::BackupAction as A;
    match a {
        A::Import => "导入前",
        A::Merge => "合并前",
        A::ClearDemo => "清除演示数据前",
        A::Restore => "恢复前",
        A::Undo => "撤销前",
    }
}

/// A backup in a list: time, kind, what it holds, the file.
pub fn backup_line(b: &crate::engine::BackupInfo) -> String {
    let kind = match (b.kind, b.action) {
        (_, Some(a)) => backup_action(a),
        (Some(k), None) => backup_kind(k),
        (None, None) => "其他",
    };
    format!("{}\t{kind}\t{}\t{}", b.taken_at, backup_summary(&b.summary), b.path.display())
}

/// A change-log action by its stored tag.
pub fn log_action(tag: &str) -> &'static str {
    use crate::engine::Action as A;
    match A::from_tag(tag) {
        Some(A::Add) => "新增",
        Some(A::Edit) => "修改",
        Some(A::Delete) => "删除",
        Some(A::Import) => "导入",
        Some(A::Merge) => "导入并合并重复",
        Some(A::Exclusion) => "回避/不再推荐",
        Some(A::Available) => "可约状态",
        Some(A::Pairing) => "加入对接",
        Some(A::Classify) => "确认细分领域",
        Some(A::ClearDemo) => "清除演示数据",
        Some(A::RestoreBackup) => "从备份恢复",
        Some(A::Meeting) => "对接会",
        Some(A::Followup) => "对接跟踪",
        Some(A::Knowledge) => "知识库",
        Some(A::Undo) => "撤销",
        None => "其他",
    }
}

/// A change-log column by its database name.
pub fn log_column(table: &str, column: &str) -> String {
    let name = match (table, column) {
        ("demand", "title") => "需求名称",
        ("knowledge_file", "content") => "文件内容",
        ("demand", "description") => "需求描述",
        (_, "enterprise_id") => "企业",
        (_, "expert_id") => "专家",
        (_, "demand_id") => "需求",
        (_, "score") => "匹配度",
        (_, "reasons") => "匹配理由",
        (_, "stage") => "阶段",
        (_, "stage_date") => "阶段日期",
        (_, "source") => "来源",
        ("enterprise", "name") => "企业名称",
        ("enterprise" | "expert", "phone") => "电话",
        (_, "ext_id") => "编号",
        (_, "name") => "姓名",
        (_, "gender") => "性别",
        (_, "institution") => "单位",
        (_, "department") => "院系/部门",
        (_, "title") => "职称",
        (_, "recommender") => "推荐单位",
        (_, "subfield_text") => "细分领域（原文）",
        (_, "research") => "研究方向",
        (_, "achievements") => "代表性成果",
        (_, "keywords") => "关键词",
        (_, "coop_modes") => "合作方式",
        (_, "region") => "所在地区",
        (_, "email") => "邮箱",
        (_, "note") => "备注",
        (_, "available") => "是否可约",
        (_, "budget_wan") => "拟投入经费（万元）",
        (_, "budget_text") => "经费说明",
        (_, "urgency") => "紧急程度",
        (_, "deadline") => "截止时间",
        (_, "status") => "状态",
        (_, "credit_code") => "统一社会信用代码",
        (_, "park") => "所在园区",
        (_, "contact") => "联系人",
        (_, "avoid_units") => "回避单位",
        (_, "avoid_persons") => "回避专家",
        (_, "kind") => "类别",
        (_, "demo") => "演示数据",
        _ => column,
    };
    name.to_string()
}

/// A logged value as a person reads it.
pub fn log_value(v: &rusqlite::types::Value) -> String {
    use rusqlite::types::Value as V;
    match v {
        V::Null => "（空）".into(),
        V::Integer(i) => i.to_string(),
        V::Real(f) => crate::util::number_text(*f),
        V::Text(t) if t.is_empty() => "（空）".into(),
        V::Text(t) => {
            let t = t.trim_start_matches('[').trim_end_matches(']').replace('"', "");
            crate::util::short(&t, 60)
        }
        V::Blob(_) => "（二进制）".into(),
    }
}

/// A logged value of a column (yes/no columns as 是/否).
pub fn field_value(column: &str, v: &rusqlite::types::Value) -> String {
    match (column, v) {
        ("available" | "demo", rusqlite::types::Value::Integer(i)) => if *i == 0 { "否" } else { "是" }.into(),
        _ => log_value(v),
    }
}

/// Whether a row was added, changed or removed.
pub fn row_change_kind(r: &crate::engine::LogRow) -> &'static str {
    match (&r.before, &r.after) {
        (None, Some(_)) => "新增",
        (Some(_), None) => "删除",
        _ => "修改",
    }
}

/// One row of a change-log action, with its changed fields.
pub fn row_change_line(r: &crate::engine::LogRow) -> String {
    let kind = row_change_kind(r);
    if kind != "修改" {
        return format!("{kind} {}", r.label);
    }
    if r.table == "knowledge_file" {
        return format!("修改 {}（{}）", r.label, lines_changed(r));
    }
    let fields: Vec<String> = r
        .changed_columns()
        .iter()
        .filter(|(c, _, _)| c != "demo")
        .map(|(c, x, y)| format!("{}：{} → {}", log_column(&r.table, c), field_value(c, x), field_value(c, y)))
        .collect();
    if fields.is_empty() {
        format!("修改 {}（细分领域）", r.label)
    } else {
        format!("修改 {}：{}", r.label, fields.join("；"))
    }
}

/// How many lines of a logged knowledge file were added and removed.
fn lines_changed(r: &crate::engine::LogRow) -> String {
    let before = r.before.as_ref().and_then(|i| i.text("content")).unwrap_or("");
    let after = r.after.as_ref().and_then(|i| i.text("content")).unwrap_or("");
    let count = |a: &str, b: &str| {
        let mut left: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for l in b.lines() {
            *left.entry(l).or_default() += 1;
        }
        a.lines()
            .filter(|l| match left.get_mut(l) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
            .count()
    };
    format!("新增 {} 行，删除 {} 行", count(after, before), count(before, after))
}

/// A change-log action in one line.
pub fn log_line(b: &crate::engine::LogBatch) -> String {
    let state = if b.undone { "（已撤销）" } else { "" };
    let user = if b.os_user.is_empty() { String::new() } else { format!(" {}", b.os_user) };
    format!("{:>4}  {}{user}  {}：{}{state}", b.id, b.at, log_action(&b.action), b.summary)
}

/// What happened besides an operation's result.
pub fn notice(n: &crate::engine::Notice) -> String {
    use crate::engine::Notice;
    match n {
        Notice::IndexNotUpdated(e) => {
            format!("数据已保存到数据库，但搜索索引未能更新（{}）；下次搜索或启动时会自动重建", search_error(e))
        }
        Notice::IndexRebuilt(_) => "搜索索引文件已损坏，已从数据库重建（数据没有丢失）".into(),
        Notice::IndexInMemory => "搜索索引文件夹无法写入，本次在内存中检索（结果不受影响）；能写入后会自动重建".into(),
        Notice::BackupFailed(e) => format!("自动备份没有成功（{}）；操作照常完成。请在设置中检查备份文件夹", error(e)),
        Notice::ChangedElsewhere => "数据库已被另一个伯乐程序（窗口或命令行）修改，列表已刷新".into(),
    }
}

/// A search-index error.
pub fn search_error(e: &SearchError) -> String {
    match e {
        SearchError::Index(_) => "搜索索引出错。可在设置中“重建搜索索引”，或重启伯乐（会自动重建）".into(),
        SearchError::Damaged(_) => "搜索索引文件已损坏，正在从数据库重建；重建后再试一次".into(),
        SearchError::Locked => "搜索索引正被另一个伯乐程序（窗口或命令行）使用。请等它结束或关闭它后再试".into(),
        SearchError::Folder { action, path: p, source } => {
            let what = if *action == "clear" { "清理" } else { "创建" };
            format!("无法{what}搜索索引文件夹 {}：{}", path(p), io_reason(source))
        }
        SearchError::Store(e) => store_error(e),
    }
}

/// A file error.
pub fn file_error(e: &FileError) -> String {
    match e {
        FileError::Read { path: p, source } => format!("无法读取文件 {}：{}", path(p), io_reason(source)),
        FileError::Write { path: p, source } => {
            let why = match source.kind() {
                std::io::ErrorKind::NotFound => "目标文件夹不存在",
                std::io::ErrorKind::PermissionDenied => "没有写入权限，或文件正在被 Excel/WPS 打开",
                _ => io_reason(source),
            };
            format!("无法保存 {}：{why}", path(p))
        }
        FileError::Unsupported { name } => {
            format!("不支持的文件类型“{name}”：请使用 Excel（.xlsx/.xls）、WPS/LibreOffice（.ods）或 CSV 文件")
        }
        FileError::NotAFile { .. }
        | FileError::TooBig { .. }
        | FileError::Inflates { .. }
        | FileError::LongXml { .. }
        | FileError::TooManyParts { .. }
        | FileError::TooManySheets { .. }
        | FileError::TooManyRows { .. }
        | FileError::TooManyColumns { .. }
        | FileError::TooManyCells { .. }
        | FileError::TooManyStyles { .. }
        | FileError::TooMuchText { .. }
        | FileError::CellTooLong { .. } => limit_error(e),
        FileError::Content { name, found } => content_error(name, *found),
        FileError::MixedEncoding { line } => format!(
            "文件的文字是 UTF-8 编码，但从第 {line} 行起混有其他编码（如 GBK）的文字或损坏的字节（可能是把不同来源的内容拼在了一起），读出来会是乱码。请检查这几行，或在 Excel/WPS 中打开后另存为“CSV UTF-8”或 .xlsx 再导入"
        ),
        FileError::OtherKind { file, kind, found } => other_kind(file, *kind, *found),
        FileError::Damaged { name } => format!(
            "文件“{name}”无法作为电子表格打开：文件可能已损坏，或扩展名与内容不符（请在 Excel 中另存为 .xlsx 后重试）"
        ),
        FileError::Sheet { name, sheet, .. } => {
            format!("文件“{name}”的工作表“{sheet}”读取失败：文件可能已损坏，请在 Excel 中另存为 .xlsx 后重试")
        }
        FileError::BadBom { bom } => format!("文件以 {bom} 标记开头，但内容有无法识别的字符"),
        FileError::Encoding => {
            "无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030。请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后重试".into()
        }
        FileError::UnclosedQuote { name, line, snippet, lines_after } => {
            let file = if name.is_empty() { String::new() } else { format!("文件“{name}”") };
            let swallowed = if *lines_after > 0 {
                format!("它后面的 {lines_after} 行都会被读成这一个单元格")
            } else {
                "这个单元格直到文件末尾都没有结束".to_string()
            };
            format!(
                "{file}第 {line} 行的引号没有配对：从“{snippet}”开始，{swallowed}。请在该单元格末尾补上英文双引号（\"），或在 Excel/WPS 中打开后另存为 CSV 再导入"
            )
        }
        FileError::CsvUnreadable { line } => {
            format!("第 {line} 行无法按 CSV 读取。请在 Excel/WPS 中打开后另存为 .xlsx 再导入")
        }
        FileError::NoHeader { file, kind, identity } => {
            let need = identity.iter().map(|f| format!("“{f}”")).collect::<Vec<_>>().join("或");
            format!(
                "文件“{file}”中找不到{}的表头：前 15 行里需要有{need}列，以及至少一个其他可识别的列（如单位、研究方向、关键词）",
                kind.list_name()
            )
        }
        FileError::NoPairingHeader { file } => {
            format!(
                "文件“{file}”中找不到对接记录的表头：前 10 行里需要有“需求编号”和“专家编号”两列（可选：阶段/结果、日期、备注）"
            )
        }
        FileError::Xlsx(_) => "生成 Excel 文件失败".into(),
        FileError::Font(_) => "无法读取内置中文字体，不能生成 PDF".into(),
        FileError::Knowledge { file, detail } => {
            format!("知识文件有误（{}）：{detail}。请改正，或删除该文件以使用内置版本", path(file))
        }
        FileError::Cancelled => "导入已取消，数据库未作任何改动".into(),
        FileError::Store(e) => store_error(e),
    }
}

/// The size of a thing in MB, for messages.
fn mb(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss, reason = "one decimal for a person")]
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 10.0 { format!("{mb:.0}") } else { format!("{mb:.1}") }
}

/// "工作表“Sheet1”" or nothing (a CSV file has no sheets).
fn sheet_of(sheet: &str) -> String {
    if sheet.is_empty() { String::new() } else { format!("的工作表“{sheet}”") }
}

/// A file beyond one of the reading limits: what, and what to do.
fn limit_error(e: &FileError) -> String {
    const SPLIT: &str = "请删除无关的工作表或内容，或把名单拆成几个文件分别导入";
    match e {
        FileError::NotAFile { path: p, what } => {
            let what = match what {
                SpecialFile::Directory => "是一个文件夹，不是文件。请选择文件夹里的 Excel 或 CSV 文件",
                SpecialFile::Device => "是一个设备，不是普通文件。请选择 Excel 或 CSV 文件",
                SpecialFile::Pipe => "是管道或套接字，不是普通文件。请先把内容保存成文件再导入",
                SpecialFile::Other => "不是普通文件。请选择 Excel 或 CSV 文件",
            };
            format!("“{}”{what}", path(p))
        }
        FileError::TooBig { name, bytes, max } => format!(
            "文件“{name}”有 {} MB，超过了 {} MB 的上限（名单文件通常只有几 MB）。请删除无关的工作表或另存为较小的文件后再导入",
            mb(*bytes),
            mb(*max)
        ),
        FileError::Inflates { name, part, bytes, max } => {
            let which = if part.is_empty() { "全部内容".to_string() } else { format!("其中的“{part}”") };
            format!(
                "文件“{name}”{which}解压后有 {} MB，超过了 {} MB 的上限，不像是正常的名单（可能已损坏）。请在 Excel/WPS 中打开，只保留名单所在的工作表，另存为新文件后再导入",
                mb(*bytes),
                mb(*max)
            )
        }
        FileError::LongXml { name, part, max } => format!(
            "文件“{name}”的“{part}”中有一段超过 {} MB 的连续内容（一个单元格最多 32767 个字），文件可能已损坏。请在 Excel/WPS 中打开后另存为新的 .xlsx 再导入",
            mb(*max as u64)
        ),
        FileError::TooManyParts { name, parts, max } => format!(
            "文件“{name}”里有 {parts} 个部件，超过了 {max} 个，不像是正常的名单文件。请在 Excel/WPS 中打开后另存为新的 .xlsx 再导入"
        ),
        FileError::TooManySheets { name, sheets, max } => format!(
            "文件“{name}”有 {sheets} 个工作表，超过了 {max} 个的上限。请把名单所在的工作表复制到一个新文件后再导入"
        ),
        FileError::TooManyRows { name, sheet, row, max } => format!(
            "文件“{name}”{}第 {row} 行还有内容，超过了最多 {max} 行的上限。请把名单拆成几个文件分别导入，或删除表格下方无关的内容",
            sheet_of(sheet)
        ),
        FileError::TooManyColumns { name, sheet, cell, max } => format!(
            "文件“{name}”{}的单元格 {cell} 有内容，超出了最多 {max} 列的范围。请删除表格右侧无关的内容，或把名单复制到新的工作表后再导入",
            sheet_of(sheet)
        ),
        FileError::TooManyCells { name, sheet, max } => {
            format!("文件“{name}”{}的单元格超过 {} 万个。{SPLIT}", sheet_of(sheet), max / 10_000)
        }
        FileError::TooManyStyles { name, max } => format!(
            "文件“{name}”的单元格格式超过 {} 万种，不像是正常的名单（可能已损坏）。请把名单复制到新的工作簿（只粘贴数值）后再导入",
            max / 10_000
        ),
        FileError::TooMuchText { name, max } => {
            format!("文件“{name}”的文字内容超过 {} MB，不像是一份名单。{SPLIT}", mb(*max as u64))
        }
        FileError::CellTooLong { name, sheet, cell, chars, max } => format!(
            "文件“{name}”{}的单元格 {cell} 有 {chars} 个字，超过了一个单元格最多 {max} 个字的上限（可能粘贴了整篇文档）。请检查这个单元格后再导入",
            sheet_of(sheet)
        ),
        e => file_error(e),
    }
}

/// A file whose content is not a list Bole reads: what it is, and what to do.
fn content_error(name: &str, found: Content) -> String {
    let what = match found {
        Content::Empty => return format!("文件“{name}”是空的，里面没有内容。请检查是否选错了文件"),
        Content::Html => {
            "其实是网页（HTML），不是真正的 Excel 文件（有些系统导出的 .xls 是这样）。请用 Excel/WPS 打开后另存为 .xlsx 再导入"
        }
        Content::Xml2003 => "是 Excel 2003 XML 格式。请用 Excel/WPS 打开后另存为 .xlsx 再导入",
        Content::Pdf => "是 PDF 文件，无法从中读取名单。请使用原始的 Excel 或 CSV 文件",
        Content::Image => "是一张图片，无法从中读取名单。请使用原始的 Excel 或 CSV 文件",
        Content::Xlsb => "是 Excel 二进制工作簿（.xlsb）。请在 Excel 中另存为 .xlsx 再导入",
        Content::Encrypted => "设置了打开密码。请在 Excel/WPS 中打开并取消密码，另存后再导入",
        Content::OtherOffice => {
            "是 Word、PowerPoint 等文档，不是电子表格。请把表格复制到 Excel/WPS 中另存为 .xlsx 再导入"
        }
        Content::Zip => "是一个压缩包，里面没有 Excel 工作表。请先解压，再选择其中的表格文件",
        Content::Binary => {
            "既不是文本，也不是 Excel/WPS 表格（可能是其他程序的文件，或已损坏）。请选择 Excel（.xlsx/.xls）、.ods 或 CSV 文件"
        }
    };
    format!("文件“{name}”{what}")
}

/// A list imported as the other kind: what it looks like, and how to import it.
fn other_kind(file: &str, kind: RecordKind, found: RecordKind) -> String {
    let (looks, columns) = match found {
        RecordKind::Demand => ("企业需求表", "需求名称、需求描述"),
        RecordKind::Expert => ("专家名单", "姓名、工作单位"),
    };
    format!("文件“{file}”不是{}：这像是{looks}（有{columns}等列），请按{}导入", kind.list_name(), found.list_name())
}

/// A format's name as people know it.
pub fn format_name(f: Format) -> &'static str {
    match f {
        Format::Csv => "文本（CSV）",
        Format::Xlsx => "Excel 工作簿（.xlsx）",
        Format::Xls => "Excel 97-2003 工作簿（.xls）",
        Format::Ods => "OpenDocument 表格（.ods）",
    }
}

/// A file read by its content because its extension named another format.
pub fn mislabeled(m: &Mislabeled) -> String {
    let written =
        if m.ext.is_empty() { "文件没有扩展名".to_string() } else { format!("文件扩展名是 .{}", m.ext) };
    let name = format_name(m.format);
    let gap = if name.starts_with(|c: char| c.is_ascii()) { " " } else { "" };
    format!("{written}，但内容是{gap}{name}，已按实际内容读取（建议把扩展名改为 .{}）", m.format.ext())
}

/// What was not found.
pub fn missing(m: &Missing) -> String {
    match m {
        Missing::Record(kind, Some(key)) => format!("找不到编号为“{key}”的{}", kind.record_name()),
        Missing::Record(RecordKind::Expert, None) => "这位专家已不存在（可能已被删除）".into(),
        Missing::Record(RecordKind::Demand, None) => "这条需求已不存在（可能已被删除）".into(),
        Missing::Enterprise(name) => format!("找不到企业“{name}”"),
        Missing::Meeting(Some(key)) => format!("找不到对接会“{key}”（可用 bole meeting list 查看编号）"),
        Missing::Meeting(None) => "这场对接会已不存在（可能已被删除）".into(),
        Missing::Subfield(s) => format!("无法识别细分领域“{s}”（可用 FL、FL01 这样的编码或分类名称）"),
        Missing::Pairing => "这位专家与这项需求还没有加入对接（先“加入对接”或 bole pairing add）".into(),
        Missing::MeetingPair => "本次对接会没有这对配对".into(),
        Missing::MeetingDemand => "该需求不在本次对接会中".into(),
        Missing::MeetingExpert => "该专家不在本次对接会中，请先加入参会专家".into(),
    }
}

/// Record issues as one line: 【字段】问题；…
pub fn issues(issues: &[Issue]) -> String {
    issues.iter().map(|i| format!("【{}】{}", i.field, i.problem.text())).collect::<Vec<_>>().join("；")
}

/// A meeting operation that cannot be done.
pub fn meeting_error(e: &MeetingError) -> String {
    match e {
        MeetingError::Settings(p) => p.text(),
        MeetingError::NoDemands => "没有符合条件的需求：请选择需求，或换一个细分领域（只选待对接/对接中的需求）".into(),
        MeetingError::NoExperts => "没有参会专家：请选择专家，或填写自动推荐的专家人数".into(),
        MeetingError::NotPaired => "还没有配对：请先“自动配对”".into(),
        MeetingError::NothingToExport => "这场对接会还没有配对，请先“自动配对”".into(),
        MeetingError::NotScheduled => "这场对接会还没有排日程，请先“排日程”再重排剩余时段".into(),
        MeetingError::SlotOutOfRange { slot, slots } => format!("第 {slot} 时段不存在：这场对接会共 {slots} 个时段"),
        MeetingError::PlaceOutOfRange { slots, tables } => {
            format!("时段应在 1–{slots}、桌号应在 1–{tables} 之间")
        }
        MeetingError::CapZero => "每位专家的对接上限至少为 1；不想安排这位专家请把他移出本次对接会".into(),
        MeetingError::BoundsInverted { min, max } => format!("专家数下限 {min} 不能大于上限 {max}，上限至少为 1"),
        MeetingError::Forbidden(c) => format!("不能指定这对配对：{}", c.text()),
        MeetingError::LockedConflicts(list) => {
            let lines: Vec<String> = list
                .iter()
                .map(|(d, c)| format!("锁定的配对 {d} 与回避规则冲突（{}）：请取消锁定或移除这对", c.text()))
                .collect();
            format!("无法完成配对：\n{}", lines.join("\n"))
        }
    }
}

/// Why a meeting cannot be paired, and what to change.
pub fn assign_obstacle(o: &assign::Obstacle) -> String {
    use assign::Obstacle as O;
    match o {
        O::BoundsInverted { demand, min, max } => format!("需求 {demand} 的下限 {min} 大于上限 {max}：请调整"),
        O::ForcedOverMax { demand, forced, max } => {
            format!("需求 {demand} 指定了 {forced} 位专家，超过上限 {max}：减少指定或提高上限")
        }
        O::ForcedOverCap { expert, forced, cap } => {
            format!("专家 {expert} 被指定了 {forced} 次，超过上限 {cap}：减少指定或提高该专家上限")
        }
        O::CapacityShort { capacity, needed } => {
            format!("专家总容量 {capacity} < 需求下限合计 {needed}：提高每位专家上限或增加专家")
        }
        O::TooFewCandidates { demand, candidates, min } => {
            format!("需求 {demand} 只有 {candidates} 位可选专家，但要求至少 {min} 位：放宽回避或降低下限")
        }
        O::CandidatesTaken { demand, got, min, candidates } => format!(
            "需求 {demand} 只分到 {got} 位专家（下限 {min}）：它的 {candidates} 位可选专家已被其他需求占满，请提高这些专家的上限或降低下限"
        ),
    }
}

/// Why a meeting cannot be scheduled, and what to change.
pub fn schedule_obstacle(o: &schedule::Obstacle) -> String {
    use schedule::Obstacle as O;
    let pair = |e: &str, x: &str| format!("企业 {e} 与专家 {x} 的对接");
    match o {
        O::NoTables { meetings } => format!("没有桌子：{meetings} 场对接至少需要 1 张桌子"),
        O::EnterpriseOverSlots { enterprise, meetings, slots } => format!(
            "时段不足：企业 {enterprise} 有 {meetings} 场对接，至少需要 {meetings} 个时段（现有 {slots} 个）：增加时段或减少该企业的对接"
        ),
        O::ExpertOverSlots { expert, meetings, slots } => format!(
            "时段不足：专家 {expert} 有 {meetings} 场对接，至少需要 {meetings} 个时段（现有 {slots} 个）：增加时段或降低每位专家上限"
        ),
        O::TablesOverSlots { needed, meetings, tables, slots } => format!(
            "时段不足：至少需要 {needed} 个时段（{meetings} 场对接，{tables} 张桌子），现有 {slots} 个：增加时段或桌子"
        ),
        O::LockSlotOutOfRange { enterprise, expert, slot, slots } => format!(
            "锁定越界：{}锁定在第 {slot} 时段，但只有 {slots} 个时段：修改锁定或增加时段",
            pair(enterprise, expert)
        ),
        O::LockTableOutOfRange { enterprise, expert, table, tables } => format!(
            "锁定越界：{}锁定在 {table} 号桌，但只有 {tables} 张桌子：修改锁定或增加桌子",
            pair(enterprise, expert)
        ),
        O::ExpertTwoTables { expert, slot, tables: (a, b) } => {
            format!("锁定冲突：专家 {expert} 在第 {slot} 时段被锁定在两张桌子（{a} 号、{b} 号）：取消其中一个锁定")
        }
        O::ExpertTwice { expert, slot } => {
            format!("锁定冲突：专家 {expert} 在第 {slot} 时段被锁定了两场对接：取消其中一个锁定")
        }
        O::EnterpriseTwice { enterprise, slot, experts: (a, b) } => format!(
            "锁定冲突：企业 {enterprise} 在第 {slot} 时段被锁定了两场对接（专家 {a}、专家 {b}）：取消其中一个锁定"
        ),
        O::TableTwice { slot, table, first, second } => format!(
            "锁定冲突：第 {slot} 时段的 {table} 号桌被锁定了两场对接（{}、{}）：把其中一场改到其他桌子",
            pair(&first.0, &first.1),
            pair(&second.0, &second.1)
        ),
        O::LocksBlock { slots } => {
            format!("锁定的对接无法在 {slots} 个时段内与其余对接一起排开：减少或修改锁定，或增加时段")
        }
    }
}

/// Any engine error, in one message saying what to do.
pub fn error(e: &EngineError) -> String {
    match e {
        EngineError::Store(e) => store_error(e),
        EngineError::Index(e) => search_error(e),
        EngineError::File(e) => file_error(e),
        EngineError::NotFound(m) => missing(m),
        EngineError::Duplicate { kind: RecordKind::Expert, ext_id, other } => {
            format!("编号“{ext_id}”已被 {other} 使用，请换一个编号")
        }
        EngineError::Duplicate { kind: RecordKind::Demand, ext_id, other } => {
            format!("编号“{ext_id}”已被需求“{other}”使用，请换一个编号")
        }
        EngineError::DuplicateEnterprise(name) => format!("已有名为“{name}”的企业，请换一个名称"),
        EngineError::Invalid(list) => format!("无法保存：{}", issues(list)),
        EngineError::Infeasible { obstacles, min_score, conflicts } => {
            let mut msg =
                format!("无法完成配对：\n{}", obstacles.iter().map(assign_obstacle).collect::<Vec<_>>().join("\n"));
            if *min_score > 0.0 {
                msg.push_str(&format!(
                    "\n（只有匹配度不低于 {min_score:.0} 的专家才算可选；也可在会议设置中降低最低匹配度）"
                ));
            }
            if !conflicts.is_empty() {
                let shown: Vec<String> = conflicts.iter().take(5).map(|(d, c)| format!("{d}：{}", c.text())).collect();
                msg.push_str(&format!("\n（另有 {} 对因回避规则被排除：{}）", conflicts.len(), shown.join("；")));
            }
            msg
        }
        EngineError::Unschedulable(list) => {
            format!("无法排出日程：\n{}", list.iter().map(schedule_obstacle).collect::<Vec<_>>().join("\n"))
        }
        EngineError::Meeting(m) => meeting_error(m),
        EngineError::Undo(b) => match b {
            crate::engine::UndoBlock::Gone => "没有可以撤销的操作（或这一步已经撤销过）".into(),
            crate::engine::UndoBlock::NotUndoable => {
                "这一步只记录在操作日志中，不能自动撤销（如对接会配对、恢复备份）：请在相应页面修改，或从备份恢复"
                    .into()
            }
            crate::engine::UndoBlock::ChangedSince(what) => {
                format!("不能撤销：{what} 在这一步之后又被修改或删除过。请先撤销之后的操作，或直接修改该记录")
            }
        },
        EngineError::OwnFile(p) => {
            format!("不能写到 {}：这是伯乐自己的数据库、索引或备份文件，覆盖会毁掉数据。请另选文件名或文件夹", path(p))
        }
        EngineError::Followup(p) => followup_problem(p),
        EngineError::Knowledge(e) => edit_error(e),
        EngineError::Thread => "匹配时内部出错，请重试；若反复出现请重启伯乐".into(),
    }
}

/// Why a follow-up entry was refused.
pub fn followup_problem(p: &crate::domain::followup::FollowupProblem) -> String {
    use crate::domain::followup::FollowupProblem as P;
    match p {
        P::BadDate(field, t) => format!("{field}“{t}”不是日期，请写成 2026-05-03 这样的格式"),
        P::Empty(field) => format!("请填写{field}"),
        P::EndBeforeStart => "结束日期早于开始日期，请检查".into(),
        P::BadDays(d) => format!("天数 {} 不对：应大于 0，且不超过开始到结束日期的天数", crate::util::number_text(*d)),
        P::BadLevel(t) if t.is_empty() => "申报项目请填写级别：国家、省、市或县".into(),
        P::BadLevel(t) => format!("级别“{t}”看不懂，请写 国家、省、市 或 县"),
        P::BadStatus(t) => format!("状态“{t}”看不懂，请写 申报 或 立项"),
        P::BadAmount(a) => format!("金额 {} 不对：应为不小于 0 的万元数", crate::util::number_text(*a)),
        P::BadYears(a, b) => format!("年份 {a}—{b} 不对：起始年不能晚于结束年，且在 2000—2100 之间"),
        P::BadTarget(n) => format!("目标数 {n} 不能是负数"),
        P::NoEndReason => "结束对接时请选择原因（如 无意向、专家无暇、企业暂缓）".into(),
    }
}

/// Why the index was rebuilt.
pub fn rebuild_reason(r: &RebuildReason) -> &'static str {
    match r {
        RebuildReason::Missing => "索引不存在",
        RebuildReason::Damaged(_) => "索引已损坏",
        RebuildReason::SchemaChanged => "索引结构已更新",
        RebuildReason::OldVersion => "索引版本较旧",
        RebuildReason::KnowledgeChanged => "分类、同义词或问题-学科表已更改",
        RebuildReason::BehindDatabase => "数据库在索引之后有改动",
        RebuildReason::NoVersion => "索引缺少版本信息",
        RebuildReason::InMemory => "内存索引",
        RebuildReason::Busy => "另一个伯乐程序正在写入索引，本次在内存中建立",
        RebuildReason::Unwritable(_) => "索引文件夹无法写入，本次在内存中建立；下次能写入时自动重建",
    }
}

/// The index state for the settings page.
pub fn index_note(o: &OpenOutcome) -> String {
    match o {
        OpenOutcome::Reused => "搜索索引已就绪".into(),
        OpenOutcome::Rebuilt(why) => format!("搜索索引已重建（{}）", rebuild_reason(why)),
    }
}

/// An import's result.
pub fn imported(c: &Counts) -> String {
    format!("导入完成：新增 {}，更新 {}，未变化 {}，拒绝 {}", c.added, c.updated, c.unchanged, c.rejected)
}

/// A record saved or restored.
pub fn saved(kind: RecordKind, name: &str, restored: bool) -> String {
    match (kind, restored) {
        (RecordKind::Expert, false) => format!("已保存专家 {name}"),
        (RecordKind::Demand, false) => format!("已保存需求“{name}”"),
        (RecordKind::Expert, true) => format!("已恢复专家 {name}"),
        (RecordKind::Demand, true) => format!("已恢复需求“{name}”"),
    }
}

/// A record deleted (undoable).
pub fn deleted(undo: &Undo) -> String {
    match undo.kind() {
        RecordKind::Expert => format!("已删除专家 {}（可撤销）", undo.name()),
        RecordKind::Demand => format!("已删除需求“{}”（可撤销）", undo.name()),
    }
}

fn assigned(r: &AssignReport) -> String {
    let mut msg = format!("配对完成：{} 对，总匹配度 {:.0}", r.pairs, r.total);
    if !r.conflicts.is_empty() {
        msg.push_str(&format!("；因回避规则排除 {} 对", r.conflicts.len()));
    }
    if !r.short.is_empty() {
        msg.push_str(&format!("；{} 项需求未达上限", r.short.len()));
    }
    msg
}

fn scheduled(r: &ScheduleReport) -> String {
    let mut msg = format!(
        "日程已排好：{} 场会面，{} 个时段（至少需要 {} 个）、{} 张桌子",
        r.meetings, r.slots_used, r.min_slots, r.tables_used
    );
    if r.table_changes > 0 {
        msg.push_str(&format!(
            "；有 {} 次换桌（每家企业独占一张桌需 {} 张）",
            r.table_changes, r.tables_for_fixed_seating
        ));
    }
    msg
}

/// A finished operation, for the status line.
pub fn done(d: &Done) -> String {
    match d {
        Done::EnterpriseSaved(name) => format!("已保存企业“{name}”"),
        Done::BackedUp(p) => format!("已备份到 {}", path(p)),
        Done::BackupDirSet(p) => format!("备份文件夹已改为 {}，并已在那里备份一次", path(p)),
        Done::Restored { from, before } => {
            format!("已从 {} 恢复；恢复前的数据已备份到 {}，需要时可再恢复回来", path(from), path(before))
        }
        Done::DemoCleared(c) => format!(
            "已清除演示数据：专家 {} 位、需求 {} 条、企业 {} 家、对接会 {} 场（真实数据未改动；可在操作日志中撤销）",
            c.experts, c.demands, c.enterprises, c.meetings
        ),
        Done::ListExported { kind, count, path: p } => {
            let what = match kind {
                RecordKind::Expert => "位专家",
                RecordKind::Demand => "条需求",
            };
            format!("已导出 {count} {what}到 {}", path(p))
        }
        Done::Undone { action, summary } => format!("已撤销：{}（{summary}）", log_action(action)),
        Done::Exclusion { expert, kind: Some(k) } => format!("已标记{}：{expert}（不再推荐给该企业）", k.label()),
        Done::Exclusion { expert, kind: None } => format!("已取消 {expert} 的标记"),
        Done::Availability { expert, available } => {
            format!("已将 {expert} 标记为{}", if *available { "可约" } else { "暂不可约" })
        }
        Done::Pairing { added: true } => "已加入对接清单".into(),
        Done::Pairing { added: false } => "这一对已在对接清单中".into(),
        Done::Reindexed(n) => format!("已重建搜索索引：{n} 条记录"),
        Done::KnowledgeChanged(c) => knowledge_changed(c),
        Done::KnowledgeExported { dir, files } => {
            format!("已导出 {files} 个知识文件到 {}，可交给其他办公室在 设置 → 知识库 中导入", path(dir))
        }
        Done::RejectedSaved(p) => format!("已保存被拒绝的行：{}", path(p)),
        Done::MeetingCreated { name, demands, experts } => {
            format!("已创建对接会「{name}」：{demands} 项需求、{experts} 位专家")
        }
        Done::MeetingSaved(name) => format!("已保存对接会「{name}」"),
        Done::MeetingDeleted => "已删除对接会".into(),
        Done::Assigned(r) => assigned(r),
        Done::Scheduled(r) => scheduled(r),
        Done::PairRemoved => "已移除该配对（重新优化时不会再加回）".into(),
        Done::PairAdded => "已指定该配对（锁定）".into(),
        Done::DemandsAdded(n) => format!("已加入 {n} 项需求"),
        Done::ExpertsAdded(n) => format!("已加入 {n} 位专家"),
        Done::Exported { format, path: p, contacts, unprintable } => {
            let mut t =
                format!("已导出{}：{}{}", format.label(), path(p), if *contacts { "" } else { "（不含电话和邮箱）" });
            if !unprintable.is_empty() {
                let chars: String = unprintable.iter().map(|c| format!("“{c}”")).collect::<Vec<_>>().join("");
                t.push_str(&format!(
                    "。注意：内置字体没有 {chars}，PDF 中以 □ 代替；请核对相关姓名或名称（Excel 版不受影响）"
                ));
            }
            t
        }
    }
}

/// The dry-run preview of an import, as the CLI prints it (with likely duplicates merged or not,
/// as the commit will do).
pub fn import_report(plan: &ImportPlan, merge_duplicates: bool) -> String {
    let c = plan.counts_with(merge_duplicates);
    let mut s = String::new();
    let sheet = if plan.sheet.is_empty() { String::new() } else { format!("工作表“{}”，", plan.sheet) };
    s += &format!("{} ← {}（{}表头在第 {} 行）\n", plan.kind.list_name(), plan.file, sheet, plan.header_row);
    if let Some(m) = &plan.mislabeled {
        s += &format!("  {}\n", mislabeled(m));
    }
    s += &format!("  新增 {} 条，更新 {} 条，未变化 {} 条，拒绝 {} 条\n", c.added, c.updated, c.unchanged, c.rejected);
    if plan.kind == RecordKind::Demand {
        let new_ent = plan.enterprises.iter().filter(|(id, _)| id.is_none()).count();
        s += &format!("  涉及企业 {} 家（其中新企业 {} 家）\n", plan.enterprises.len(), new_ent);
    }
    let rec: Vec<String> = plan
        .recognised
        .iter()
        .map(|(h, l)| if crate::util::norm_key(h) == crate::util::norm_key(l) { h.clone() } else { format!("{h}→{l}") })
        .collect();
    s += &format!("  识别的列：{}\n", rec.join("、"));
    if !plan.ignored_columns.is_empty() {
        s += &format!("  未识别的列（已忽略）：{}\n", plan.ignored_columns.join("、"));
    }
    if !plan.rejected.is_empty() {
        s += "拒绝的行（不会导入，可导出后修改再导入）：\n";
        for r in &plan.rejected {
            for i in &r.reasons {
                s += &format!("  第 {} 行【{}】{}\n", i.row, i.column, i.message());
            }
        }
    }
    if !plan.duplicates.is_empty() {
        s += "可能重复（未合并，请核对）：\n";
        for d in &plan.duplicates {
            s += &format!("  第 {} 行 {} ≈ {}（相似度 {:.0}%）\n", d.row, d.label, d.other, d.similarity * 100.0);
        }
    }
    if !plan.warnings.is_empty() {
        s += "提醒（已导入，建议核对）：\n";
        for i in &plan.warnings {
            s += &format!("  第 {} 行【{}】{}\n", i.row, i.column, i.message());
        }
    }
    s
}

/// Why a pairing history row was not taken.
pub fn pairing_problem(p: &crate::engine::PairingProblem) -> String {
    use crate::engine::PairingProblem as P;
    match p {
        P::NoDemandId => "缺少需求编号".into(),
        P::NoExpertId => "缺少专家编号".into(),
        P::UnknownDemand(id) => format!("需求清单中没有编号为“{id}”的需求（请先导入需求清单）"),
        P::UnknownExpert(id) => format!("专家人才库中没有编号为“{id}”的专家（请先导入专家名单）"),
        P::UnknownStage(s) => format!(
            "看不懂阶段/结果“{s}”（可写：{}，或“无意向”等结果）",
            crate::domain::pairing::Stage::ALL.iter().map(|s| s.label()).collect::<Vec<_>>().join("、")
        ),
        P::BadDate(d) => format!("日期“{d}”无法识别（请写成 2025-03-18 或 2025年3月18日）"),
        P::Repeated(line) => format!("与第 {line} 行重复（同一对需求和专家、同一阶段和日期），已按第 {line} 行处理"),
    }
}

/// The report of `bole import pairings`.
pub fn pairing_report(r: &crate::engine::PairingReport, dry_run: bool) -> String {
    let mut s = format!(
        "对接记录 ← {}：共 {} 行，{}新增 {} 对，更新 {} 对，拒绝 {} 行\n",
        r.file,
        r.rows,
        if dry_run { "预计" } else { "" },
        r.added,
        r.updated,
        r.rejected.len()
    );
    if r.failed > 0 {
        s += &format!("  其中 {} 对写明未成功（如“无意向”），只作记录，不作为专家擅长此类需求的依据\n", r.failed);
    }
    for (line, p) in r.rejected.iter().take(50) {
        s += &format!("  第 {line} 行：{}\n", pairing_problem(p));
    }
    if r.rejected.len() > 50 {
        s += &format!("  ……另有 {} 行被拒绝\n", r.rejected.len() - 50);
    }
    s
}

/// Why a pair is never suggested.
pub fn pair_block(b: crate::engine::PairBlock) -> &'static str {
    use crate::engine::PairBlock as B;
    match b {
        B::Unavailable => "该专家已标记为暂不可约",
        B::Closed => "该需求已解决或已关闭",
        B::Excluded(crate::domain::ExclusionKind::Conflict) => "该专家与该企业标记为回避",
        B::Excluded(_) => "该专家与该企业标记为不再推荐",
    }
}
