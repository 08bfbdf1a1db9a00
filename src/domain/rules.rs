//! The rules about records, in one place: how a typed value is read (`parse_*`), how a record is
//! tidied (`normalize`), and what makes it unacceptable or worth a second look (`check`). The
//! importer, the edit forms, the engine's save operations and the CLI all use these, so a record
//! that passes here is accepted everywhere.
//!
//! An [`Issue`] names the field (by its Chinese column label, the vocabulary staff see in their
//! files) and a typed [`Problem`]; [`Problem::text`] words it once, for previews, forms and the
//! rejected-rows workbook.

use super::{Demand, DemandStatus, Enterprise, Expert, Urgency};
use crate::util::{clean_line, norm_key, split_multi, to_half_width};

/// The longest name a person can plausibly have; longer means a column was mixed up.
pub const MAX_NAME: usize = 30;
/// The longest single-line value (单位, 需求名称, 编号 …).
pub const MAX_LINE: usize = 200;
/// The longest free text (研究方向, 代表性成果, 需求描述 …).
pub const MAX_TEXT: usize = 20_000;
/// The largest budget taken as real, in 万元 (100 亿元); larger is a typing error.
pub const MAX_BUDGET_WAN: f64 = 1_000_000.0;

/// How serious an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The record cannot be saved as it is.
    Error,
    /// Saved, but worth a look.
    Warning,
}

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A required value is empty.
    Missing,
    /// An expert with neither name nor 编号.
    NoNameNorId,
    /// An expert without name, shown by 编号 (warning).
    NameMissingShownById,
    /// A name longer than [`MAX_NAME`]: probably the wrong column.
    NameTooLong {
        chars: usize,
    },
    /// A value longer than the field allows.
    TooLong {
        chars: usize,
        max: usize,
    },
    /// NUL or another control character.
    ControlCharacter,
    Gender(String),
    Phone(String),
    Email(String),
    Budget(String),
    BudgetTooLarge(f64),
    Urgency(String),
    Deadline(String),
    Status(String),
    CreditCode(String),
    /// Same 编号 as an earlier row of the same file.
    DuplicateId {
        id: String,
        first_row: usize,
    },
    /// Same name and organisation as an earlier row of the same file.
    DuplicateRow {
        label: String,
        first_row: usize,
    },
    /// A subfield text mapped by a near spelling (warning).
    SubfieldFuzzy {
        text: String,
        label: String,
    },
    /// A subfield text kept as text only (warning).
    SubfieldUnmapped(String),
    /// A cooperation mode outside the common list, kept as written (warning).
    CoopUnknown(String),
    /// A demand without enterprise (warning).
    NoEnterprise,
    /// A demand with neither title nor description.
    NoTitleNorDescription,
    /// A demand without title: the start of its description is used (warning).
    TitleFromDescription(String),
    /// A row repeating the header (copied along with rows from another file).
    HeaderRepeated,
}

impl Problem {
    /// The problem in Chinese, saying what to write instead where that helps.
    pub fn text(&self) -> String {
        match self {
            Problem::Missing => "必填，不能为空".into(),
            Problem::NoNameNorId => "缺少姓名（也没有编号）".into(),
            Problem::NameMissingShownById => "缺少姓名，将以编号显示".into(),
            Problem::NameTooLong { chars } => format!("姓名过长（{chars} 个字），可能填错了列"),
            Problem::TooLong { chars, max } => format!("内容过长（{chars} 个字，最多 {max} 个字），可能填错了列"),
            Problem::ControlCharacter => "含有不可见的控制字符（可能是从其他系统复制来的），请删除后重试".into(),
            Problem::Gender(v) => format!("性别只能填“男”或“女”（或留空），而不是“{v}”"),
            Problem::Phone(v) => format!("电话号码格式不正确：“{v}”"),
            Problem::Email(v) => format!("邮箱格式不正确：“{v}”"),
            Problem::Budget(v) => format!("拟投入经费应为数字（单位：万元）或“面议”，而不是“{v}”"),
            Problem::BudgetTooLarge(v) => {
                let v = if *v < 1e15 { crate::util::number_text(*v) } else { format!("{v:e}") };
                format!("拟投入经费 {v} 万元超过 {MAX_BUDGET_WAN} 万元（100 亿元），请检查单位是否填错")
            }
            Problem::Urgency(v) => format!("紧急程度只能是“高”“中”“低”，而不是“{v}”"),
            Problem::Deadline(v) => format!("截止时间“{v}”无法识别（示例：2026-06-30 或 2026年6月）"),
            Problem::Status(v) => format!("状态只能是 待对接/对接中/已解决/已关闭，而不是“{v}”"),
            Problem::CreditCode(v) => format!("统一社会信用代码应为 18 位数字或大写字母，而不是“{v}”"),
            Problem::DuplicateId { id, first_row } => format!("编号“{id}”与第 {first_row} 行重复"),
            Problem::DuplicateRow { label, first_row } => format!("{label}与第 {first_row} 行重复"),
            Problem::SubfieldFuzzy { text, label } => format!("细分领域“{text}”按相近写法归入“{label}”，请核对"),
            Problem::SubfieldUnmapped(t) => format!("细分领域“{t}”未能对应到新材料分类，已原样保留"),
            Problem::CoopUnknown(m) => format!("合作方式“{m}”不在常用列表中，已原样保留"),
            Problem::NoEnterprise => "未填写企业名称".into(),
            Problem::NoTitleNorDescription => "需求名称和需求描述都为空".into(),
            Problem::TitleFromDescription(t) => format!("缺少需求名称，已取描述开头“{t}”"),
            Problem::HeaderRepeated => "这一行与表头相同（可能是复制时多带了一行表头），不是一条记录".into(),
        }
    }
}

/// A problem with one field of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// The field's label as staff know it (姓名, 电话 …).
    pub field: &'static str,
    pub problem: Problem,
    pub severity: Severity,
}

impl Issue {
    pub fn error(field: &'static str, problem: Problem) -> Self {
        Issue { field, problem, severity: Severity::Error }
    }
    pub fn warning(field: &'static str, problem: Problem) -> Self {
        Issue { field, problem, severity: Severity::Warning }
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Whether any issue keeps the record from being saved.
pub fn has_errors(issues: &[Issue]) -> bool {
    issues.iter().any(Issue::is_error)
}

// ------------------------------------------------------------------------------------------ values

/// 男/女 from the spellings found in lists; `None` for anything else (empty stays empty).
pub fn parse_gender(s: &str) -> Option<&'static str> {
    match norm_key(s).as_str() {
        "" => Some(""),
        "男" | "m" | "male" | "男性" => Some("男"),
        "女" | "f" | "female" | "女性" => Some("女"),
        _ => None,
    }
}

/// "50", "50万", "50万元", "1,200" → Some(50.0); "面议"/"待定"/"" → None with the text kept.
/// `None` overall when the text is neither.
pub fn parse_budget(s: &str) -> Option<(Option<f64>, String)> {
    let k = norm_key(s).replace(',', "");
    if k.is_empty() {
        return Some((None, String::new()));
    }
    if ["面议", "待定", "协商", "商定", "另议", "视情况", "不限"].iter().any(|w| k.contains(w)) {
        return Some((None, s.trim().to_string()));
    }
    let (num, factor) = if let Some(n) = k.strip_suffix("万元").or_else(|| k.strip_suffix("万")) {
        (n, 1.0)
    } else if let Some(n) = k.strip_suffix("亿元").or_else(|| k.strip_suffix("亿")) {
        (n, 10000.0)
    } else if let Some(n) = k.strip_suffix("元") {
        (n, 0.0001)
    } else {
        (k.as_str(), 1.0)
    };
    // Plain decimal numbers only: "1e308", "inf" and "NaN" are not budgets anyone writes.
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    match num.parse::<f64>() {
        Ok(v) if v >= 0.0 && v.is_finite() => {
            // Rounded to 4 decimals, unless that overflows: a huge value stays huge (and finite), so
            // `check` calls it too large rather than not a number.
            let wan = v * factor;
            let rounded = (wan * 10000.0).round() / 10000.0;
            let wan = if rounded.is_finite() { rounded } else { wan.min(f64::MAX) };
            Some((Some(wan), String::new()))
        }
        _ => None,
    }
}

/// Dates as written in office lists → "YYYY-MM-DD" or "YYYY-MM"; "" for none/长期.
pub fn parse_deadline(s: &str) -> Option<String> {
    let k = norm_key(s);
    if k.is_empty() || ["长期", "不限", "无", "待定", "尽快"].contains(&k.as_str()) {
        return Some(String::new());
    }
    // Excel serial day number stored as text.
    if let Ok(n) = k.parse::<i64>()
        && (20_000..80_000).contains(&n)
    {
        let d = jiff::civil::date(1899, 12, 30).checked_add(jiff::Span::new().days(n)).ok()?;
        return Some(d.strftime("%Y-%m-%d").to_string());
    }
    let k = k
        .replace("年底", "年12月31日")
        .replace("年末", "年12月31日")
        .replace("上半年", "年6月30日")
        .replace("下半年", "年12月31日");
    let nums: Vec<i16> =
        k.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).filter_map(|p| p.parse().ok()).collect();
    let year_ok = |y: i16| (1990..2100).contains(&y);
    match nums.as_slice() {
        [y, m, d] if year_ok(*y) => {
            let m = i8::try_from(*m).ok()?;
            let d = i8::try_from(*d).ok()?;
            jiff::civil::Date::new(*y, m, d).ok().map(|date| date.strftime("%Y-%m-%d").to_string())
        }
        [y, m] if year_ok(*y) && (1..=12).contains(m) => Some(format!("{y:04}-{m:02}")),
        [y] if year_ok(*y) && k.len() <= 6 => Some(format!("{y:04}-12-31")),
        _ => None,
    }
}

/// 18 characters, digits or capital letters (统一社会信用代码).
pub fn valid_credit_code(s: &str) -> bool {
    s.len() == 18 && s.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

/// Characters that never belong to a value: control characters (NUL, escape, DEL, C1) and the
/// invisible format characters copied in from web pages and other systems (zero-width spaces and
/// joiners, direction marks, embeddings, overrides and isolates, the byte-order mark, the soft
/// hyphen, interlinear annotation marks).
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// A text without [invisible](is_invisible) characters; tabs and line breaks are kept (a single
/// line collapses them into spaces with [`tidy_line`]).
pub fn visible(s: &str, keep_breaks: bool) -> String {
    if !s.chars().any(is_invisible) {
        return s.to_string();
    }
    s.chars().filter(|&c| !is_invisible(c) || (keep_breaks && matches!(c, '\t' | '\n' | '\r'))).collect()
}

/// A single-line value as stored: invisible characters removed, whitespace trimmed and collapsed.
pub fn tidy_line(s: &str) -> String {
    clean_line(&visible(s, true))
}

/// A character of Chinese (or Japanese/Korean) writing, where a space is typing noise.
fn is_cjk(c: char) -> bool {
    matches!(
        c,
        '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{323AF}'
            | '\u{3040}'..='\u{30FF}'
            | '\u{AC00}'..='\u{D7AF}'
            | '\u{3007}'
            | '·'
            | '•'
    )
}

/// A person's name as one key: spaces between Chinese characters are typing noise ("陈 静" is
/// 陈静), spaces between Latin words are kept ("Alice Chen", "Zhang Wei"); invisible characters
/// are removed.
pub fn tidy_name(s: &str) -> String {
    let s = tidy_line(s);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = chars[..i].last().copied().unwrap_or(' ');
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            if is_cjk(prev) && is_cjk(next) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A multi-line text as stored: invisible characters removed (tabs and line breaks kept).
fn tidy_text(s: &mut String) {
    if s.chars().any(is_invisible) {
        *s = visible(s, true);
    }
}

/// Each value of a list tidied as a single line; empty ones dropped.
fn tidy_lines(list: &mut Vec<String>) {
    for v in list.iter_mut() {
        *v = tidy_line(v);
    }
    list.retain(|v| !v.is_empty());
}

fn has_control(s: &str, multiline: bool) -> bool {
    s.chars().any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\t' | '\r')))
}

/// Phones or e-mails of a cell, half-width, joined by 、.
fn tidy_list(s: &str) -> String {
    split_multi(&to_half_width(&visible(s, true))).join("、")
}

/// Checks the lengths and characters of text fields.
fn check_texts(issues: &mut Vec<Issue>, lines: &[(&'static str, &str)], texts: &[(&'static str, &str)]) {
    for (field, v) in lines {
        if has_control(v, false) {
            issues.push(Issue::error(field, Problem::ControlCharacter));
        } else if v.chars().count() > MAX_LINE {
            issues.push(Issue::error(field, Problem::TooLong { chars: v.chars().count(), max: MAX_LINE }));
        }
    }
    for (field, v) in texts {
        if has_control(v, true) {
            issues.push(Issue::error(field, Problem::ControlCharacter));
        } else if v.chars().count() > MAX_TEXT {
            issues.push(Issue::error(field, Problem::TooLong { chars: v.chars().count(), max: MAX_TEXT }));
        }
    }
}

fn check_phones(issues: &mut Vec<Issue>, field: &'static str, phones: &str) {
    for p in split_multi(phones) {
        if !crate::util::valid_phone(&p) {
            issues.push(Issue::error(field, Problem::Phone(p)));
        }
    }
}

// ------------------------------------------------------------------------------------------ records

impl Expert {
    /// Tidies the values the way every list writes them differently: trimmed single lines, names
    /// without spaces between Chinese characters, 男/女, half-width phones and e-mails.
    pub fn normalize(&mut self) {
        self.ext_id = tidy_line(&self.ext_id);
        self.name = tidy_name(&self.name);
        self.gender = tidy_line(&self.gender);
        if let Some(g) = parse_gender(&self.gender) {
            self.gender = g.to_string();
        }
        for s in [&mut self.institution, &mut self.department, &mut self.title, &mut self.recommender, &mut self.region]
        {
            *s = tidy_line(s);
        }
        for s in [&mut self.subfield_text, &mut self.research, &mut self.achievements, &mut self.note] {
            tidy_text(s);
        }
        self.phone = tidy_list(&self.phone);
        self.email = tidy_list(&self.email);
        self.keywords = self.keywords.iter().flat_map(|k| split_multi(&visible(k, true))).collect();
        self.keywords.dedup();
        tidy_lines(&mut self.coop_modes);
    }

    /// What keeps this expert from being saved (errors) or deserves a look (warnings).
    pub fn check(&self) -> Vec<Issue> {
        let mut issues = Vec::new();
        if self.name.trim().is_empty() {
            issues.push(if self.ext_id.trim().is_empty() {
                Issue::error("姓名", Problem::NoNameNorId)
            } else {
                Issue::warning("姓名", Problem::NameMissingShownById)
            });
        } else if self.name.chars().count() > MAX_NAME {
            issues.push(Issue::error("姓名", Problem::NameTooLong { chars: self.name.chars().count() }));
        }
        if parse_gender(&self.gender).is_none_or(|g| g != self.gender) {
            issues.push(Issue::error("性别", Problem::Gender(self.gender.clone())));
        }
        check_phones(&mut issues, "电话", &self.phone);
        for m in split_multi(&self.email) {
            if !crate::util::valid_email(&m) {
                issues.push(Issue::error("邮箱", Problem::Email(m)));
            }
        }
        let lines = [
            ("编号", self.ext_id.as_str()),
            ("姓名", self.name.as_str()),
            ("单位", self.institution.as_str()),
            ("院系/部门", self.department.as_str()),
            ("职称", self.title.as_str()),
            ("推荐单位", self.recommender.as_str()),
            ("所在地区", self.region.as_str()),
        ];
        let texts = [
            ("研究方向", self.research.as_str()),
            ("代表性成果", self.achievements.as_str()),
            ("新材料细分领域", self.subfield_text.as_str()),
            ("备注", self.note.as_str()),
        ];
        check_texts(&mut issues, &lines, &texts);
        for k in &self.keywords {
            check_texts(&mut issues, &[("关键词", k.as_str())], &[]);
        }
        issues
    }
}

impl Demand {
    /// Tidies the values: single lines trimmed; a budget written as text (`budget_text`, e.g.
    /// "50万") becomes a number when it is one; the deadline in canonical form when readable.
    pub fn normalize(&mut self) {
        self.ext_id = tidy_line(&self.ext_id);
        self.title = tidy_line(&self.title);
        self.enterprise = tidy_line(&self.enterprise);
        self.budget_text = tidy_line(&self.budget_text);
        self.deadline = tidy_line(&self.deadline);
        tidy_text(&mut self.description);
        tidy_text(&mut self.subfield_text);
        tidy_lines(&mut self.coop_modes);
        if self.budget_wan.is_none()
            && let Some((wan, text)) = parse_budget(&self.budget_text)
        {
            (self.budget_wan, self.budget_text) = (wan, text);
        }
        if let Some(d) = parse_deadline(&self.deadline) {
            self.deadline = d;
        }
        self.keywords = self.keywords.iter().flat_map(|k| split_multi(&visible(k, true))).collect();
        self.keywords.dedup();
    }

    /// What keeps this demand from being saved (errors) or deserves a look (warnings).
    pub fn check(&self) -> Vec<Issue> {
        let mut issues = Vec::new();
        if self.title.trim().is_empty() {
            issues.push(Issue::error("需求名称", Problem::Missing));
        }
        match self.budget_wan {
            Some(v) if !v.is_finite() || v < 0.0 => {
                issues.push(Issue::error("拟投入经费", Problem::Budget(v.to_string())));
            }
            Some(v) if v > MAX_BUDGET_WAN => issues.push(Issue::error("拟投入经费", Problem::BudgetTooLarge(v))),
            None if parse_budget(&self.budget_text).is_none_or(|(wan, _)| wan.is_some()) => {
                issues.push(Issue::error("拟投入经费", Problem::Budget(self.budget_text.clone())));
            }
            _ => {}
        }
        if parse_deadline(&self.deadline).is_none_or(|d| d != self.deadline) {
            issues.push(Issue::error("截止时间", Problem::Deadline(self.deadline.clone())));
        }
        let lines = [
            ("编号", self.ext_id.as_str()),
            ("需求名称", self.title.as_str()),
            ("企业名称", self.enterprise.as_str()),
            ("拟投入经费", self.budget_text.as_str()),
        ];
        let texts = [("需求描述", self.description.as_str()), ("细分领域", self.subfield_text.as_str())];
        check_texts(&mut issues, &lines, &texts);
        for k in &self.keywords {
            check_texts(&mut issues, &[("关键词", k.as_str())], &[]);
        }
        issues
    }
}

impl Enterprise {
    /// Tidies the values: trimmed name and contact, upper-case credit code, half-width phones.
    pub fn normalize(&mut self) {
        self.name = tidy_line(&self.name);
        self.credit_code = norm_key(&visible(&self.credit_code, true)).to_uppercase();
        self.park = tidy_line(&self.park);
        self.contact = tidy_name(&self.contact);
        self.phone = tidy_list(&self.phone);
        self.avoid_units = self.avoid_units.iter().flat_map(|u| split_multi(&visible(u, true))).collect();
        self.avoid_persons =
            self.avoid_persons.iter().flat_map(|p| split_multi(&visible(p, true))).map(|p| tidy_name(&p)).collect();
    }

    /// What keeps this enterprise from being saved.
    pub fn check(&self) -> Vec<Issue> {
        let mut issues = Vec::new();
        if self.name.is_empty() {
            issues.push(Issue::error("企业名称", Problem::Missing));
        }
        if !self.credit_code.is_empty() && !valid_credit_code(&self.credit_code) {
            issues.push(Issue::error("统一社会信用代码", Problem::CreditCode(self.credit_code.clone())));
        }
        check_phones(&mut issues, "联系电话", &self.phone);
        let lines = [
            ("企业名称", self.name.as_str()),
            ("统一社会信用代码", self.credit_code.as_str()),
            ("所在园区/乡镇", self.park.as_str()),
            ("联系人", self.contact.as_str()),
        ];
        check_texts(&mut issues, &lines, &[]);
        issues
    }
}

/// Parses an urgency cell (empty = none).
pub fn parse_urgency(s: &str) -> Result<Option<Urgency>, Problem> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    Urgency::parse(s).map(Some).ok_or_else(|| Problem::Urgency(s.trim().to_string()))
}

/// Parses a status cell (empty = none given).
pub fn parse_status(s: &str) -> Result<Option<DemandStatus>, Problem> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    DemandStatus::parse(s).map(Some).ok_or_else(|| Problem::Status(s.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets() {
        assert_eq!(parse_budget("50"), Some((Some(50.0), String::new())));
        assert_eq!(parse_budget("５０万元"), Some((Some(50.0), String::new())));
        assert_eq!(parse_budget("1,200万"), Some((Some(1200.0), String::new())));
        assert_eq!(parse_budget("300000元"), Some((Some(30.0), String::new())));
        assert_eq!(parse_budget("面议"), Some((None, "面议".into())));
        assert_eq!(parse_budget("很多"), None);
        assert_eq!(parse_budget("-5"), None);
        for bad in ["1e308", "inf", "NaN", "1e23"] {
            assert_eq!(parse_budget(bad), None, "{bad}");
        }
    }

    #[test]
    fn deadlines() {
        assert_eq!(parse_deadline("2026-06-30"), Some("2026-06-30".into()));
        assert_eq!(parse_deadline("2026/6/3"), Some("2026-06-03".into()));
        assert_eq!(parse_deadline("2026年6月"), Some("2026-06".into()));
        assert_eq!(parse_deadline("2026年6月30日"), Some("2026-06-30".into()));
        assert_eq!(parse_deadline("2026年底"), Some("2026-12-31".into()));
        assert_eq!(parse_deadline("46203"), Some("2026-06-30".into()));
        assert_eq!(parse_deadline("长期"), Some(String::new()));
        assert_eq!(parse_deadline("2026-02-30"), None);
        assert_eq!(parse_deadline("2024-02-29"), Some("2024-02-29".into()));
        assert_eq!(parse_deadline("明年"), None);
    }

    #[test]
    fn names_lose_spaces_between_chinese_characters_only() {
        assert_eq!(tidy_name(" 陈 静 "), "陈静");
        assert_eq!(tidy_name("Alice  Chen"), "Alice Chen");
        assert_eq!(tidy_name("Zhang Wei"), "Zhang Wei");
        assert_eq!(tidy_name("欧阳　娜娜"), "欧阳娜娜");
        assert_eq!(tidy_name("陈 Jing"), "陈 Jing", "a space next to a Latin word stays");
        assert_eq!(tidy_name("阿依古丽 · 买买提"), "阿依古丽·买买提");
        assert_eq!(tidy_name("𠮷野 𪚥"), "𠮷野𪚥", "rare characters beyond the basic plane");
        assert_eq!(tidy_name("陈\u{200B}静\n"), "陈静");
    }

    #[test]
    fn control_and_invisible_characters_are_removed_everywhere() {
        assert_eq!(tidy_line("ZJ\u{0}01\u{202E}"), "ZJ01");
        assert_eq!(tidy_line("厦门\t大学\r\n"), "厦门 大学");
        assert_eq!(visible("第一行\n\u{1b}[31m第二行\t完", true), "第一行\n[31m第二行\t完");
        assert_eq!(visible("a\u{FEFF}b\u{2066}c\u{7f}", false), "abc");
        let mut e = Expert {
            ext_id: "\u{200B}ZJ01".into(),
            name: "张\0伟".into(),
            institution: "厦门\u{7f}大学".into(),
            research: "界面化学\u{0}\n萃取".into(),
            keywords: vec!["碳化硅\u{1}".into()],
            coop_modes: vec!["技术咨询\u{200D}".into()],
            ..Default::default()
        };
        e.normalize();
        assert_eq!((e.ext_id.as_str(), e.name.as_str(), e.institution.as_str()), ("ZJ01", "张伟", "厦门大学"));
        assert_eq!(
            (e.research.as_str(), e.keywords.as_slice(), e.coop_modes.as_slice()),
            ("界面化学\n萃取", &["碳化硅".to_string()][..], &["技术咨询".to_string()][..])
        );
        assert!(e.check().is_empty(), "{:?}", e.check());
        let mut en = Enterprise {
            name: "甲\u{0}公司".into(),
            avoid_persons: vec!["张 \u{200B}伟".into()],
            ..Default::default()
        };
        en.normalize();
        assert_eq!((en.name.as_str(), en.avoid_persons.as_slice()), ("甲公司", &["张伟".to_string()][..]));
        let mut d =
            Demand { title: "结晶\u{0}收率".into(), budget_text: "50\u{200B}万".into(), ..Default::default() };
        d.normalize();
        assert_eq!((d.title.as_str(), d.budget_wan), ("结晶收率", Some(50.0)));
    }

    #[test]
    fn budgets_are_finite_and_in_range() {
        let mut d = Demand { title: "结晶收率".into(), ..Default::default() };
        for (wan, ok) in [
            (Some(0.0), true),
            (Some(MAX_BUDGET_WAN), true),
            (Some(f64::INFINITY), false),
            (Some(f64::NAN), false),
            (Some(-1.0), false),
            (Some(1e23), false),
        ] {
            d.budget_wan = wan;
            assert_eq!(!has_errors(&d.check()), ok, "{wan:?}");
        }
        // A cell holding 1e308 as a number reads as its 309 digits: too large, not infinite.
        assert_eq!(parse_budget(&crate::util::number_text(1e308)), Some((Some(1e308), String::new())));
        assert_eq!(parse_budget(&"9".repeat(400)), None, "overflows to infinity");
        assert_eq!(parse_budget("100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000亿").map(|(w, _)| w.is_some_and(f64::is_finite)), Some(true));
        assert!(Problem::BudgetTooLarge(1e308).text().starts_with("拟投入经费 1e308 万元超过"));
    }

    #[test]
    fn the_same_rules_for_every_caller() {
        let mut e = Expert {
            name: "  张 伟 ".into(),
            gender: "male".into(),
            phone: "１３８ 0000 0001".into(),
            ..Default::default()
        };
        e.normalize();
        assert_eq!((e.name.as_str(), e.gender.as_str(), e.phone.as_str()), ("张伟", "男", "138 0000 0001"));
        assert!(e.check().is_empty(), "{:?}", e.check());
        e.gender = "未知".into();
        e.name = "张".repeat(31);
        e.email = "zhang#example.cn".into();
        let problems: Vec<Problem> = e.check().into_iter().map(|i| i.problem).collect();
        assert!(problems.contains(&Problem::Gender("未知".into())));
        assert!(problems.contains(&Problem::NameTooLong { chars: 31 }));
        assert!(problems.contains(&Problem::Email("zhang#example.cn".into())));
        let nul = Expert { name: "张\0伟".into(), ..Default::default() };
        assert!(nul.check().iter().any(|i| i.problem == Problem::ControlCharacter));
        let no_name = Expert { ext_id: "E1".into(), ..Default::default() };
        assert!(!has_errors(&no_name.check()), "a 编号 alone is enough, with a warning");
        assert!(has_errors(&Expert::default().check()));
    }

    #[test]
    fn demands_parse_budget_text_and_refuse_absurd_values() {
        let mut d = Demand {
            title: "结晶收率".into(),
            budget_text: "50万".into(),
            deadline: "2026年6月".into(),
            ..Default::default()
        };
        d.normalize();
        assert_eq!((d.budget_wan, d.deadline.as_str()), (Some(50.0), "2026-06"));
        assert!(d.check().is_empty(), "{:?}", d.check());
        d.budget_wan = Some(1e23);
        assert!(d.check().iter().any(|i| matches!(i.problem, Problem::BudgetTooLarge(_))));
        d.budget_wan = None;
        d.budget_text = "很多".into();
        assert!(d.check().iter().any(|i| i.problem == Problem::Budget("很多".into())));
        d.budget_text = "面议".into();
        d.deadline = "下个月".into();
        assert_eq!(d.check().len(), 1);
        assert!(has_errors(&Demand::default().check()), "a demand needs a title");
    }

    #[test]
    fn enterprises() {
        let mut en =
            Enterprise { name: " 甲公司 ".into(), credit_code: "91350400ma2xxxxx1k".into(), ..Default::default() };
        en.normalize();
        assert_eq!(en.credit_code, "91350400MA2XXXXX1K");
        assert!(en.check().is_empty());
        en.credit_code = "123".into();
        assert!(has_errors(&en.check()));
    }
}
