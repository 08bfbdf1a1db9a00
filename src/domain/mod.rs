//! Plain types of Bole's world — experts, enterprises, demands, the new-material taxonomy — and the
//! pure rules about them (labels, parsing of enumerations). No I/O, no SQL, no GUI here.

pub mod followup;
pub mod knowledge;
pub mod knowledge_edit;
pub mod knowledge_toml;
pub mod meeting;
pub mod pairing;
pub mod rules;
pub mod taxonomy;

pub use knowledge::{Knowledge, ProblemLink, SynonymGroup};
pub use knowledge_edit::{EditError, KnowledgeEdit, KnowledgeFiles};
pub use taxonomy::{SubfieldMatch, Taxonomy, TaxonomyNode};

/// The two kinds of records Bole keeps: the experts of the talent pool and the enterprises' demands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum RecordKind {
    Expert,
    Demand,
}

impl RecordKind {
    pub const ALL: [RecordKind; 2] = [RecordKind::Expert, RecordKind::Demand];

    /// The other list: the side a record of this kind is matched with.
    pub fn other(self) -> Self {
        match self {
            Self::Expert => Self::Demand,
            Self::Demand => Self::Expert,
        }
    }

    /// The name of the list (专家人才库 / 企业技术需求清单).
    pub fn list_name(self) -> &'static str {
        match self {
            Self::Expert => "专家人才库",
            Self::Demand => "企业技术需求清单",
        }
    }

    /// The word for one record (专家 / 需求).
    pub fn record_name(self) -> &'static str {
        match self {
            Self::Expert => "专家",
            Self::Demand => "需求",
        }
    }
}

/// An expert of the talent pool (专家人才库).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Expert {
    /// Internal row id (0 while not stored).
    #[serde(skip)]
    pub id: i64,
    /// 编号: the external id from the source file (generated as `BL-E…` when the file had none).
    #[serde(rename = "id")]
    pub ext_id: String,
    pub name: String,
    pub gender: String,
    pub institution: String,
    pub department: String,
    pub title: String,
    pub recommender: String,
    /// Taxonomy codes (新材料细分领域), sorted.
    pub subfields: Vec<String>,
    /// The subfield text as the source file wrote it (kept even when it could not be mapped).
    pub subfield_text: String,
    pub research: String,
    pub achievements: String,
    pub keywords: Vec<String>,
    pub coop_modes: Vec<String>,
    pub region: String,
    pub phone: String,
    pub email: String,
    pub note: String,
    /// False when the office marked the expert as unavailable (暂不可约).
    pub available: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// An enterprise that lists demands.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Enterprise {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub park: String,
    pub contact: String,
    pub phone: String,
    /// 回避单位: experts from these organisations are never paired with this enterprise at a
    /// meeting (a name matches when it is contained in the expert's 单位, or the reverse).
    pub avoid_units: Vec<String>,
    /// 回避专家: named persons never paired with this enterprise.
    pub avoid_persons: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A key-technology demand (企业关键核心技术需求).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Demand {
    #[serde(skip)]
    pub id: i64,
    /// 编号 from the source file (generated as `BL-D…` when the file had none).
    #[serde(rename = "id")]
    pub ext_id: String,
    #[serde(skip)]
    pub enterprise_id: Option<i64>,
    /// The enterprise's name (read along with the demand; empty when the demand has none).
    pub enterprise: String,
    pub title: String,
    pub description: String,
    pub subfields: Vec<String>,
    pub subfield_text: String,
    pub keywords: Vec<String>,
    pub coop_modes: Vec<String>,
    /// 拟投入经费 in 万元, when given as a number.
    pub budget_wan: Option<f64>,
    /// The budget as written when it was not a number (面议, 待定 …).
    pub budget_text: String,
    pub urgency: Option<Urgency>,
    /// 截止时间 as `YYYY-MM-DD` or `YYYY-MM`.
    pub deadline: String,
    pub status: DemandStatus,
    pub created_at: String,
    pub updated_at: String,
}

/// 状态 of a demand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum DemandStatus {
    #[default]
    #[serde(rename = "待对接")]
    Open,
    #[serde(rename = "对接中")]
    InProgress,
    #[serde(rename = "已解决")]
    Solved,
    #[serde(rename = "已关闭")]
    Closed,
}

/// Whether a demand's 截止时间 (`YYYY-MM-DD` or `YYYY-MM`) has passed on `today` (`YYYY-MM-DD`)
/// while it is still open (待对接/对接中).
pub fn deadline_passed(deadline: &str, status: DemandStatus, today: &str) -> bool {
    let open = matches!(status, DemandStatus::Open | DemandStatus::InProgress);
    let d = deadline.trim();
    let passed = match d.len() {
        10 => d < today,
        7 => today.get(..7).is_some_and(|month| d < month),
        _ => false,
    };
    open && passed && today.len() == 10
}

impl DemandStatus {
    pub const ALL: [DemandStatus; 4] = [Self::Open, Self::InProgress, Self::Solved, Self::Closed];

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "待对接",
            Self::InProgress => "对接中",
            Self::Solved => "已解决",
            Self::Closed => "已关闭",
        }
    }

    /// Accepts the four labels and a few spellings found in real lists.
    pub fn parse(s: &str) -> Option<Self> {
        let k = crate::util::norm_key(s);
        Some(match k.as_str() {
            "待对接" | "未对接" | "待匹配" | "open" | "新增" => Self::Open,
            "对接中" | "进行中" | "洽谈中" | "inprogress" => Self::InProgress,
            "已解决" | "已完成" | "已对接" | "solved" | "done" => Self::Solved,
            "已关闭" | "关闭" | "已撤销" | "closed" => Self::Closed,
            _ => return None,
        })
    }
}

/// 紧急程度.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Urgency {
    #[serde(rename = "高")]
    High,
    #[serde(rename = "中")]
    Medium,
    #[serde(rename = "低")]
    Low,
}

impl Urgency {
    pub fn label(self) -> &'static str {
        match self {
            Self::High => "高",
            Self::Medium => "中",
            Self::Low => "低",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let k = crate::util::norm_key(s);
        Some(match k.as_str() {
            "高" | "紧急" | "特急" | "很急" | "急" | "非常紧急" | "high" | "a" => Self::High,
            "中" | "较急" | "一般" | "普通" | "medium" | "b" => Self::Medium,
            "低" | "不急" | "较缓" | "low" | "c" => Self::Low,
            _ => return None,
        })
    }
}

/// 回避 (conflict of interest) or 不再推荐 (do not suggest again) for an expert–enterprise pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ExclusionKind {
    #[serde(rename = "回避")]
    Conflict,
    #[serde(rename = "不再推荐")]
    DoNotSuggest,
}

impl ExclusionKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Conflict => "回避",
            Self::DoNotSuggest => "不再推荐",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "回避" | "conflict" => Some(Self::Conflict),
            "不再推荐" | "不推荐" | "no-suggest" | "nosuggest" => Some(Self::DoNotSuggest),
            _ => None,
        }
    }
}

/// The cooperation modes (合作方式) named in the county's plan.
pub const COOP_MODES: [&str; 6] =
    ["技术攻关", "成果转化/技术入股", "蹲点调研", "师带徒", "联合申报项目", "共建研发平台"];

/// Maps a written cooperation mode to its canonical name, if it is one of [`COOP_MODES`].
pub fn canonical_coop_mode(s: &str) -> Option<&'static str> {
    let k = crate::util::norm_key(s);
    let has = |needles: &[&str]| needles.iter().any(|n| k.contains(n));
    if has(&["攻关", "技术开发", "难题", "委托研发", "技术服务", "揭榜"]) {
        Some(COOP_MODES[0])
    } else if has(&["转化", "入股", "转让", "许可"]) {
        Some(COOP_MODES[1])
    } else if has(&["蹲点", "调研", "驻企", "现场指导"]) {
        Some(COOP_MODES[2])
    } else if has(&["师带徒", "带徒", "培训", "人才培养"]) {
        Some(COOP_MODES[3])
    } else if has(&["申报", "联合项目", "课题"]) {
        Some(COOP_MODES[4])
    } else if has(&["平台", "实验室", "研发中心", "工作站"]) {
        Some(COOP_MODES[5])
    } else {
        None
    }
}

/// Bitmask of cooperation modes (bit i = `COOP_MODES[i]`).
pub fn coop_mask(modes: &[String]) -> u64 {
    modes
        .iter()
        .filter_map(|m| canonical_coop_mode(m))
        .filter_map(|m| COOP_MODES.iter().position(|c| *c == m))
        .fold(0, |acc, i| acc | (1 << i))
}

/// Splits a cooperation-mode cell: the recognised modes in canonical form, then whatever else was
/// written (kept, never dropped). Note `成果转化/技术入股` contains the `/` separator, so known
/// modes are matched on the raw text first.
pub fn parse_coop_modes(cell: &str) -> (Vec<String>, Vec<String>) {
    let mut known = Vec::new();
    let mut other = Vec::new();
    let cell = cell.replace("成果转化/技术入股", "成果转化、");
    for part in crate::util::split_multi(&cell) {
        match canonical_coop_mode(&part) {
            Some(m) => {
                if !known.iter().any(|k: &String| k == m) {
                    known.push(m.to_string());
                }
            }
            None => other.push(part),
        }
    }
    (known, other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passed_deadlines_of_open_demands() {
        let t = "2026-12-02";
        assert!(deadline_passed("2026-12-01", DemandStatus::Open, t));
        assert!(deadline_passed("2026-11", DemandStatus::InProgress, t));
        assert!(!deadline_passed("2026-12", DemandStatus::Open, t), "this month is not over");
        assert!(!deadline_passed("2026-12-02", DemandStatus::Open, t));
        assert!(!deadline_passed("2026-01-01", DemandStatus::Solved, t), "solved demands are not late");
        assert!(!deadline_passed("", DemandStatus::Open, t));
    }

    #[test]
    fn statuses_round_trip() {
        for s in DemandStatus::ALL {
            assert_eq!(DemandStatus::parse(s.label()), Some(s));
        }
        assert_eq!(DemandStatus::parse(" 已完成 "), Some(DemandStatus::Solved));
        assert_eq!(DemandStatus::parse("搁置"), None);
    }

    #[test]
    fn urgency_spellings() {
        assert_eq!(Urgency::parse("紧急"), Some(Urgency::High));
        assert_eq!(Urgency::parse("一般"), Some(Urgency::Medium));
        assert_eq!(Urgency::parse("？"), None);
    }

    #[test]
    fn coop_modes_canonicalised_and_unknown_kept() {
        let (known, other) = parse_coop_modes("成果转化/技术入股、蹲点调研；联合申报项目,技术咨询");
        assert_eq!(known, vec!["成果转化/技术入股", "蹲点调研", "联合申报项目"]);
        assert_eq!(other, vec!["技术咨询"]);
        let (known, _) = parse_coop_modes("技术攻关、技术转让、共建实验室");
        assert_eq!(known, vec!["技术攻关", "成果转化/技术入股", "共建研发平台"]);
    }
}

/// How strong a suggestion is, by its 0–100 score: cut-offs calibrated on the labelled dev sets
/// (README, "匹配强度"): from 35 on about three in four suggestions were judged right, from 25
/// about one in two, below 25 one in ten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Strength {
    #[serde(rename = "弱")]
    Weak,
    #[serde(rename = "中")]
    Medium,
    #[serde(rename = "强")]
    Strong,
}

impl Strength {
    /// From this score on a suggestion is 强.
    pub const STRONG: f64 = 35.0;
    /// From this score on a suggestion is 中 (also the meeting's default minimum score).
    pub const MEDIUM: f64 = 25.0;

    pub fn of(score: f64) -> Self {
        if score >= Self::STRONG {
            Strength::Strong
        } else if score >= Self::MEDIUM {
            Strength::Medium
        } else {
            Strength::Weak
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Strength::Strong => "强",
            Strength::Medium => "中",
            Strength::Weak => "弱",
        }
    }
}
