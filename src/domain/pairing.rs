//! Pairings (对接) and their stages: what staff confirmed (加入对接, a meeting, imported history)
//! and how far each got. The stage list follows the office's follow-up (已推荐 → … → 结束).

/// How far a pairing got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Stage {
    #[serde(rename = "已推荐")]
    Recommended,
    #[serde(rename = "已联系")]
    Contacted,
    #[serde(rename = "已见面/对接会")]
    Met,
    #[serde(rename = "蹲点调研")]
    OnSite,
    #[serde(rename = "组建团队")]
    Team,
    #[serde(rename = "提炼课题/联合申报")]
    Project,
    #[serde(rename = "立项/签约")]
    Signed,
    #[serde(rename = "成果")]
    Outcome,
    #[serde(rename = "结束")]
    Ended,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::Recommended,
        Stage::Contacted,
        Stage::Met,
        Stage::OnSite,
        Stage::Team,
        Stage::Project,
        Stage::Signed,
        Stage::Outcome,
        Stage::Ended,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Recommended => "已推荐",
            Stage::Contacted => "已联系",
            Stage::Met => "已见面/对接会",
            Stage::OnSite => "蹲点调研",
            Stage::Team => "组建团队",
            Stage::Project => "提炼课题/联合申报",
            Stage::Signed => "立项/签约",
            Stage::Outcome => "成果",
            Stage::Ended => "结束",
        }
    }

    /// The stage by its exact name (as stored).
    pub fn from_label(label: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.label() == label)
    }

    /// Reads a stage as offices write it in their own sheets (已对接, 已签约, 对接会, 无意向 …).
    /// Words of a failed pairing read as [`Stage::Ended`]; an unknown word is None.
    pub fn parse(text: &str) -> Option<Stage> {
        const WORDS: &[(&str, Stage)] = &[
            ("推荐", Stage::Recommended),
            ("配对", Stage::Recommended),
            ("已对接", Stage::Contacted),
            ("对接中", Stage::Contacted),
            ("联系", Stage::Contacted),
            ("见面", Stage::Met),
            ("对接会", Stage::Met),
            ("洽谈", Stage::Met),
            ("蹲点", Stage::OnSite),
            ("调研", Stage::OnSite),
            ("团队", Stage::Team),
            ("课题", Stage::Project),
            ("申报", Stage::Project),
            ("立项", Stage::Signed),
            ("签约", Stage::Signed),
            ("合同", Stage::Signed),
            ("成果", Stage::Outcome),
            ("新产品", Stage::Outcome),
            ("新工艺", Stage::Outcome),
            ("专利", Stage::Outcome),
            ("结束", Stage::Ended),
            ("完成", Stage::Outcome),
        ];
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if t.is_empty() {
            return None;
        }
        if let Some(s) = Stage::from_label(&t) {
            return Some(s);
        }
        if NEGATIVE.iter().any(|w| t.contains(w)) {
            return Some(Stage::Ended);
        }
        WORDS.iter().find(|(w, _)| t.contains(w)).map(|(_, s)| *s)
    }

    /// Whether the words say the pairing failed (无意向, 不合适 …).
    pub fn is_failure(text: &str) -> bool {
        NEGATIVE.iter().any(|w| text.contains(w))
    }
}

/// Words of a pairing that came to nothing.
const NEGATIVE: &[&str] = &["无意向", "不合适", "未成功", "失败", "放弃", "拒绝", "不匹配", "不再推荐", "终止", "无果"];

/// A pairing as staff recorded it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Pairing {
    pub expert_id: i64,
    pub demand_id: i64,
    pub stage: Stage,
    /// YYYY-MM-DD, or empty.
    pub stage_date: String,
    /// Where it came from: 加入对接, 对接会, 导入.
    pub source: String,
    pub note: String,
    /// Whether it counts as evidence that the expert fits such demands (not a pairing that
    /// ended for lack of fit).
    pub confirmed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_as_offices_write_them() {
        assert_eq!(Stage::parse("已推荐"), Some(Stage::Recommended));
        assert_eq!(Stage::parse(" 已对接 "), Some(Stage::Contacted));
        assert_eq!(Stage::parse("已签约"), Some(Stage::Signed));
        assert_eq!(Stage::parse("无意向"), Some(Stage::Ended));
        assert_eq!(Stage::parse("对接会"), Some(Stage::Met));
        assert_eq!(Stage::parse("随便"), None);
        assert_eq!(Stage::parse(""), None);
        assert!(Stage::is_failure("结束：企业无意向"));
        assert!(!Stage::is_failure("结束：已投产"));
    }
}
