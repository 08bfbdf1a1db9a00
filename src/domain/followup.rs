//! The follow-up of pairings (对接跟踪): dated events, service records (蹲点调研 …), typed outcomes
//! (课题, 申报项目, 新产品 …) and the plan's targets they are counted against; the follow-up
//! settings (next action and days per stage, end reasons) as data (`data/followup.toml`).

use super::pairing::Stage;

/// What a pairing produced; these are what the plan's targets count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum OutcomeKind {
    #[serde(rename = "课题")]
    Topic,
    #[serde(rename = "申报项目")]
    Project,
    #[serde(rename = "新产品")]
    Product,
    #[serde(rename = "新工艺")]
    Process,
    #[serde(rename = "专利")]
    Patent,
    #[serde(rename = "技术合同")]
    Contract,
    #[serde(rename = "技术入股")]
    Equity,
}

impl OutcomeKind {
    pub const ALL: [OutcomeKind; 7] = [
        OutcomeKind::Topic,
        OutcomeKind::Project,
        OutcomeKind::Product,
        OutcomeKind::Process,
        OutcomeKind::Patent,
        OutcomeKind::Contract,
        OutcomeKind::Equity,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OutcomeKind::Topic => "课题",
            OutcomeKind::Project => "申报项目",
            OutcomeKind::Product => "新产品",
            OutcomeKind::Process => "新工艺",
            OutcomeKind::Patent => "专利",
            OutcomeKind::Contract => "技术合同",
            OutcomeKind::Equity => "技术入股",
        }
    }

    /// The kind by its exact name (as stored).
    pub fn from_label(label: &str) -> Option<OutcomeKind> {
        OutcomeKind::ALL.into_iter().find(|k| k.label() == label)
    }

    /// Reads the kind as staff write it (科研课题, 项目, 产品, 合同 …).
    pub fn parse(text: &str) -> Option<OutcomeKind> {
        const WORDS: &[(&str, OutcomeKind)] = &[
            ("课题", OutcomeKind::Topic),
            ("项目", OutcomeKind::Project),
            ("申报", OutcomeKind::Project),
            ("产品", OutcomeKind::Product),
            ("工艺", OutcomeKind::Process),
            ("专利", OutcomeKind::Patent),
            ("合同", OutcomeKind::Contract),
            ("入股", OutcomeKind::Equity),
        ];
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(k) = OutcomeKind::from_label(&t) {
            return Some(k);
        }
        WORDS.iter().find(|(w, _)| t.contains(w)).map(|(_, k)| *k)
    }
}

/// The level of a project applied for (申报项目).
pub const PROJECT_LEVELS: [&str; 4] = ["国家", "省", "市", "县"];
/// The status of a project applied for.
pub const PROJECT_STATUSES: [&str; 2] = ["申报", "立项"];

/// Reads a project level (国家级, 省级, 福建省 …) as one of [`PROJECT_LEVELS`].
pub fn parse_level(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.contains("国家") || t.contains("部") {
        Some("国家")
    } else if t.contains('省') {
        Some("省")
    } else if t.contains('市') {
        Some("市")
    } else if t.contains('县') || t.contains('区') {
        Some("县")
    } else {
        None
    }
}

/// One dated step in a pairing's history: a stage change (with `stage`) or a note (without).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct PairingEvent {
    pub id: i64,
    /// YYYY-MM-DD.
    pub date: String,
    pub stage: Option<Stage>,
    pub note: String,
    /// Paths of files staff keep with the event (minutes, photos, agreements).
    pub attachments: Vec<String>,
    pub meeting_id: Option<i64>,
}

/// A visit or other service by the expert (蹲点调研, 技术指导, 培训讲座 …): the office needs the
/// days for the expert's 柔性引才 benefits (免费住宿、就餐) and for reports.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct ServiceRecord {
    pub id: i64,
    pub kind: String,
    pub start_date: String,
    pub end_date: String,
    pub days: f64,
    pub place: String,
    pub content: String,
    pub lodging: bool,
    pub meals: bool,
}

/// The kinds of service offered in the form (any text is accepted).
pub const SERVICE_KINDS: [&str; 4] = ["蹲点调研", "技术指导", "培训讲座", "联合攻关"];

/// Something a pairing produced.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Outcome {
    pub id: i64,
    pub kind: OutcomeKind,
    pub title: String,
    pub date: String,
    /// 国家/省/市/县, for 申报项目.
    pub level: String,
    /// 申报/立项, for 申报项目.
    pub status: String,
    /// 万元, for 技术合同 and 技术入股.
    pub amount_wan: Option<f64>,
    pub note: String,
}

/// A period of the plan with its targets (seed 000: 2024 5/8/10, 2025–2027 10/15/26, 2028–2030 20/30/35).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlanTarget {
    pub label: String,
    pub from_year: i32,
    pub to_year: i32,
    /// 争取省市科技项目 (projects applied for at 国家/省/市 level).
    pub projects: i64,
    /// 推广新产品新工艺.
    pub products: i64,
    /// 提炼科研课题.
    pub topics: i64,
}

/// What the plan counts, from a pairing's outcomes: whether the outcome counts towards
/// 争取省市科技项目, 推广新产品新工艺 or 提炼科研课题.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetMetric {
    Projects,
    Products,
    Topics,
}

impl TargetMetric {
    pub const ALL: [TargetMetric; 3] = [TargetMetric::Projects, TargetMetric::Products, TargetMetric::Topics];

    pub fn label(self) -> &'static str {
        match self {
            TargetMetric::Projects => "争取省市科技项目",
            TargetMetric::Products => "推广新产品新工艺",
            TargetMetric::Topics => "提炼科研课题",
        }
    }

    /// The SQL condition on `outcome` rows that count for this metric (one definition, used by
    /// the statistics view, `bole stats` and the report alike).
    pub fn sql_condition(self) -> &'static str {
        match self {
            TargetMetric::Projects => "kind = '申报项目' AND level IN ('国家', '省', '市')",
            TargetMetric::Products => "kind IN ('新产品', '新工艺')",
            TargetMetric::Topics => "kind = '课题'",
        }
    }

    pub fn target(self, t: &PlanTarget) -> i64 {
        match self {
            TargetMetric::Projects => t.projects,
            TargetMetric::Products => t.products,
            TargetMetric::Topics => t.topics,
        }
    }
}

/// The result of one sitting at a meeting, tapped right after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SittingResult {
    #[serde(rename = "有意向继续")]
    Continue,
    #[serde(rename = "需要再沟通")]
    TalkAgain,
    #[serde(rename = "无意向")]
    NoInterest,
}

impl SittingResult {
    pub const ALL: [SittingResult; 3] = [SittingResult::Continue, SittingResult::TalkAgain, SittingResult::NoInterest];

    pub fn label(self) -> &'static str {
        match self {
            SittingResult::Continue => "有意向继续",
            SittingResult::TalkAgain => "需要再沟通",
            SittingResult::NoInterest => "无意向",
        }
    }

    pub fn parse(text: &str) -> Option<SittingResult> {
        SittingResult::ALL.iter().copied().find(|r| r.label() == text.trim())
    }

    /// The pairing's stage after this result.
    pub fn stage(self) -> Stage {
        match self {
            SittingResult::Continue | SittingResult::TalkAgain => Stage::Met,
            SittingResult::NoInterest => Stage::Ended,
        }
    }
}

/// One stage's settings.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct StageSetting {
    pub name: String,
    #[serde(default)]
    pub next_action: String,
    /// Days after a change to this stage when the pairing is due for follow-up (0: never).
    #[serde(default)]
    pub follow_days: i64,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The follow-up settings: per stage the next action and when it is due, and the end reasons.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct FollowupConfig {
    #[serde(default)]
    pub end_reasons: Vec<String>,
    #[serde(rename = "stage", default)]
    pub stages: Vec<StageSetting>,
}

const BUILTIN_TOML: &str = include_str!("../../data/followup.toml");

impl FollowupConfig {
    /// The settings compiled into the program.
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN_TOML).expect("data/followup.toml is checked by the tests")
    }

    /// Parses and checks a settings file; errors are in Chinese for the staff who edit it.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let c: FollowupConfig = toml::from_str(text).map_err(|e| format!("followup.toml 格式错误：{e}"))?;
        for s in &c.stages {
            if Stage::from_label(&s.name).is_none() {
                let names: Vec<&str> = Stage::ALL.iter().map(|s| s.label()).collect();
                return Err(format!("followup.toml：没有“{}”这个阶段（阶段为 {}）", s.name, names.join("、")));
            }
            if s.follow_days < 0 {
                return Err(format!("followup.toml：“{}”的 follow_days 不能是负数", s.name));
            }
        }
        Ok(c)
    }

    fn setting(&self, stage: Stage) -> Option<&StageSetting> {
        self.stages.iter().find(|s| s.name == stage.label())
    }

    /// The default next action after a change to `stage`.
    pub fn next_action(&self, stage: Stage) -> &str {
        self.setting(stage).map_or("", |s| s.next_action.as_str())
    }

    /// The date the pairing is due again after a change to `stage` on `date` (None: not due).
    pub fn next_date(&self, stage: Stage, date: &str) -> Option<String> {
        let days = self.setting(stage).map_or(0, |s| s.follow_days);
        if days <= 0 || stage == Stage::Ended {
            return None;
        }
        add_days(date, days)
    }

    /// Reads a stage by its name, the configured aliases, or the words [`Stage::parse`] knows.
    pub fn parse_stage(&self, text: &str) -> Option<Stage> {
        let t = text.trim();
        for s in &self.stages {
            if s.aliases.iter().any(|a| a == t)
                && let Some(st) = Stage::from_label(&s.name)
            {
                return Some(st);
            }
        }
        Stage::parse(t)
    }
}

/// `date` (YYYY-MM-DD) plus `days`.
pub fn add_days(date: &str, days: i64) -> Option<String> {
    let d: jiff::civil::Date = date.parse().ok()?;
    d.checked_add(jiff::Span::new().days(days)).ok().map(|d| d.strftime("%Y-%m-%d").to_string())
}

/// The Monday and Sunday of the week holding `date` (the start screen's "this week").
pub fn week_of(date: &str) -> Option<(String, String)> {
    let d: jiff::civil::Date = date.parse().ok()?;
    let back = i64::from(d.weekday().to_monday_zero_offset());
    let monday = d.checked_sub(jiff::Span::new().days(back)).ok()?;
    let sunday = monday.checked_add(jiff::Span::new().days(6)).ok()?;
    Some((monday.strftime("%Y-%m-%d").to_string(), sunday.strftime("%Y-%m-%d").to_string()))
}

/// Days from `from` to `to` inclusive (a visit from 3 to 5 May is 3 days); None when either
/// date is invalid or `to` is before `from`.
pub fn days_inclusive(from: &str, to: &str) -> Option<f64> {
    let a: jiff::civil::Date = from.parse().ok()?;
    let b: jiff::civil::Date = to.parse().ok()?;
    let span = a.until(b).ok()?;
    let n = span.get_days();
    (n >= 0).then(|| f64::from(n + 1))
}

/// Why a follow-up entry (stage change, note, service record, outcome, target) was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum FollowupProblem {
    /// A date that is not YYYY-MM-DD (the field's label, the text).
    BadDate(&'static str, String),
    /// A required field left empty (its label).
    Empty(&'static str),
    /// The end date before the start date.
    EndBeforeStart,
    /// Days that are negative, or more than the dates span.
    BadDays(f64),
    /// A project level other than 国家/省/市/县.
    BadLevel(String),
    /// A project status other than 申报/立项.
    BadStatus(String),
    /// A negative amount.
    BadAmount(f64),
    /// A target period whose years are out of order or out of range.
    BadYears(i32, i32),
    /// A negative target.
    BadTarget(i64),
    /// Ending a pairing needs a reason.
    NoEndReason,
}

/// The date as YYYY-MM-DD, or the problem.
pub fn check_date(field: &'static str, text: &str) -> Result<String, FollowupProblem> {
    let t = text.trim();
    match super::rules::parse_deadline(t) {
        Some(d) if !d.is_empty() => Ok(d),
        _ => Err(if t.is_empty() {
            FollowupProblem::Empty(field)
        } else {
            FollowupProblem::BadDate(field, t.to_string())
        }),
    }
}

/// Checks and normalises a service record: dates, days (taken from the dates when 0), kind.
pub fn check_service(s: &mut ServiceRecord) -> Result<(), FollowupProblem> {
    s.start_date = check_date("开始日期", &s.start_date)?;
    s.end_date = if !s.end_date.trim().is_empty() {
        check_date("结束日期", &s.end_date)?
    } else if s.days > 1.0 && s.days <= 366.0 {
        // Days without an end date: consecutive days from the start.
        add_days(&s.start_date, s.days.ceil() as i64 - 1).unwrap_or_else(|| s.start_date.clone())
    } else {
        s.start_date.clone()
    };
    let span = days_inclusive(&s.start_date, &s.end_date).ok_or(FollowupProblem::EndBeforeStart)?;
    if s.days == 0.0 {
        s.days = span;
    }
    if !(s.days > 0.0 && s.days <= span) {
        return Err(FollowupProblem::BadDays(s.days));
    }
    s.kind = s.kind.trim().to_string();
    if s.kind.is_empty() {
        s.kind = SERVICE_KINDS[0].to_string();
    }
    s.place = s.place.trim().to_string();
    s.content = s.content.trim().to_string();
    Ok(())
}

/// Checks and normalises an outcome: title, date, level and status of a project, amount.
pub fn check_outcome(o: &mut Outcome) -> Result<(), FollowupProblem> {
    o.title = o.title.trim().to_string();
    if o.title.is_empty() {
        return Err(FollowupProblem::Empty("名称"));
    }
    o.date = check_date("日期", &o.date)?;
    if o.kind == OutcomeKind::Project {
        o.level =
            parse_level(&o.level).ok_or_else(|| FollowupProblem::BadLevel(o.level.trim().to_string()))?.to_string();
        let st = o.status.trim();
        o.status = if st.is_empty() {
            PROJECT_STATUSES[0].to_string()
        } else if st.contains("立项") || st.contains("批准") || st.contains("获批") {
            "立项".to_string()
        } else if st.contains("申报") || st.contains("在审") {
            "申报".to_string()
        } else {
            return Err(FollowupProblem::BadStatus(st.to_string()));
        };
    } else {
        o.level.clear();
        o.status.clear();
    }
    if let Some(a) = o.amount_wan
        && !(a.is_finite() && a >= 0.0)
    {
        return Err(FollowupProblem::BadAmount(a));
    }
    Ok(())
}

/// Checks a target period.
pub fn check_target(t: &mut PlanTarget) -> Result<(), FollowupProblem> {
    t.label = t.label.trim().to_string();
    if t.label.is_empty() {
        t.label = if t.from_year == t.to_year {
            format!("{}年", t.from_year)
        } else {
            format!("{}—{}年", t.from_year, t.to_year)
        };
    }
    if !(2000..=2100).contains(&t.from_year) || !(t.from_year..=2100).contains(&t.to_year) {
        return Err(FollowupProblem::BadYears(t.from_year, t.to_year));
    }
    for n in [t.projects, t.products, t.topics] {
        if n < 0 {
            return Err(FollowupProblem::BadTarget(n));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_settings_name_every_stage_once() {
        let c = FollowupConfig::builtin();
        for s in Stage::ALL {
            assert_eq!(c.stages.iter().filter(|x| x.name == s.label()).count(), 1, "{}", s.label());
        }
        assert!(c.end_reasons.contains(&"无意向".to_string()));
        assert_eq!(c.next_date(Stage::Recommended, "2026-12-01").as_deref(), Some("2026-12-08"));
        assert_eq!(c.next_date(Stage::Ended, "2026-12-01"), None);
        assert_eq!(c.parse_stage("驻点"), Some(Stage::OnSite));
        assert_eq!(c.parse_stage("已签约"), Some(Stage::Signed));
        let bad = FollowupConfig::from_toml("[[stage]]\nname = \"完成了\"\n").unwrap_err();
        assert!(bad.contains("完成了"), "{bad}");
    }

    #[test]
    fn outcome_kinds_and_levels_as_staff_write_them() {
        assert_eq!(OutcomeKind::parse("科研课题"), Some(OutcomeKind::Topic));
        assert_eq!(OutcomeKind::parse("省级项目"), Some(OutcomeKind::Project));
        assert_eq!(OutcomeKind::parse("技术合同"), Some(OutcomeKind::Contract));
        assert_eq!(OutcomeKind::parse("随便"), None);
        assert_eq!(parse_level("福建省科技厅"), Some("省"));
        assert_eq!(parse_level("国家重点研发计划"), Some("国家"));
        assert_eq!(parse_level("三明市"), Some("市"));
        assert_eq!(parse_level(""), None);
    }

    #[test]
    fn dates_weeks_and_days() {
        assert_eq!(week_of("2026-12-02"), Some(("2026-11-30".into(), "2026-12-06".into())));
        assert_eq!(week_of("2026-12-06"), Some(("2026-11-30".into(), "2026-12-06".into())));
        assert_eq!(days_inclusive("2026-05-03", "2026-05-05"), Some(3.0));
        assert_eq!(days_inclusive("2026-05-05", "2026-05-03"), None);
        assert_eq!(add_days("2026-12-28", 7).as_deref(), Some("2027-01-04"));
        assert_eq!(SittingResult::NoInterest.stage(), Stage::Ended);
    }
}
