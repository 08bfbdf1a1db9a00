//! The follow-up commands' arguments (`bole pairing|service|outcome|target|stats|report`), with
//! Chinese help; the value parsers are [`super::args`]'s.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::args::{Pair, date, pair};
use crate::domain::pairing::Stage;

/// `bole pairing …`: the follow-up of pairings (对接跟踪).
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum PairingCmd {
    /// 列出对接（可按阶段、细分领域、企业、专家筛选；--due 只看本周待跟进和逾期的）
    List(PairingList),
    /// 查看一对对接的全部记录（阶段变化、服务记录、成果）
    Show(PairingShow),
    /// 加入对接（阶段“已推荐”），写成 需求编号:专家编号
    Add(PairingAdd),
    /// 推进阶段（每次变化都记下日期和说明，历史不会被覆盖）
    Stage(PairingStage),
    /// 记一笔跟进（不改变阶段）
    Note(PairingNote),
}

/// `bole pairing list`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct PairingList {
    /// 只列这一阶段（已推荐、已联系、已见面/对接会、蹲点调研、组建团队、提炼课题/联合申报、立项/签约、成果、结束）
    #[arg(long, value_name = "阶段", value_parser = stage)]
    pub stage: Option<Stage>,
    /// 只列本周内到期（含已逾期）、尚未结束的
    #[arg(long)]
    pub due: bool,
    /// 只列这个细分领域（编码，如 FL 或 FL01）
    #[arg(long, value_name = "编码")]
    pub subfield: Option<String>,
    /// 企业名称（包含即可）
    #[arg(long, value_name = "企业")]
    pub enterprise: Option<String>,
    /// 专家编号
    #[arg(long, value_name = "编号")]
    pub expert: Option<String>,
    /// 输出 JSON
    #[arg(long)]
    pub json: bool,
}

/// `bole pairing show D:E`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct PairingShow {
    /// 需求编号:专家编号
    #[arg(value_name = "D:E", value_parser = pair)]
    pub pair: Pair,
    /// 输出 JSON
    #[arg(long)]
    pub json: bool,
}

/// `bole pairing add D:E [--note 说明]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct PairingAdd {
    /// 需求编号:专家编号
    #[arg(value_name = "D:E", value_parser = pair)]
    pub pair: Pair,
    /// 说明
    #[arg(long, value_name = "说明", default_value = "")]
    pub note: String,
}

/// `bole pairing stage D:E 阶段 …`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct PairingStage {
    /// 需求编号:专家编号
    #[arg(value_name = "D:E", value_parser = pair)]
    pub pair: Pair,
    /// 新阶段
    #[arg(value_name = "阶段", value_parser = stage)]
    pub stage: Stage,
    /// 日期（默认今天）
    #[arg(long, value_name = "日期", value_parser = date)]
    pub date: Option<String>,
    /// 说明
    #[arg(long, value_name = "说明", default_value = "")]
    pub note: String,
    /// 结束的原因（阶段为“结束”时必填，如 无意向、专家无暇、企业暂缓）
    #[arg(long, value_name = "原因", default_value = "")]
    pub reason: String,
    /// 下一步要做的事（默认按阶段给出）
    #[arg(long, value_name = "下一步")]
    pub next: Option<String>,
    /// 下次跟进日期（默认按阶段推算）
    #[arg(long = "next-date", value_name = "日期", value_parser = date)]
    pub next_date: Option<String>,
    /// 附件路径（纪要、照片、协议），可重复
    #[arg(long, value_name = "路径")]
    pub attach: Vec<String>,
}

/// `bole pairing note D:E 说明 …`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct PairingNote {
    /// 需求编号:专家编号
    #[arg(value_name = "D:E", value_parser = pair)]
    pub pair: Pair,
    /// 说明
    #[arg(value_name = "说明")]
    pub note: String,
    /// 日期（默认今天）
    #[arg(long, value_name = "日期", value_parser = date)]
    pub date: Option<String>,
    /// 附件路径，可重复
    #[arg(long, value_name = "路径")]
    pub attach: Vec<String>,
}

/// `bole service add D:E …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum ServiceCmd {
    /// 登记一次服务（蹲点调研、技术指导……）：日期、天数、地点、内容、是否免费住宿/就餐
    Add(ServiceAdd),
}

/// `bole service add D:E --from 日期 …`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct ServiceAdd {
    /// 需求编号:专家编号
    #[arg(value_name = "D:E", value_parser = pair)]
    pub pair: Pair,
    /// 开始日期
    #[arg(long, value_name = "日期", value_parser = date)]
    pub from: String,
    /// 结束日期（默认与开始相同）
    #[arg(long, value_name = "日期", value_parser = date)]
    pub to: Option<String>,
    /// 天数（默认按日期算）
    #[arg(long, value_name = "天数", value_parser = number)]
    pub days: Option<String>,
    /// 种类（默认 蹲点调研）
    #[arg(long, value_name = "种类", default_value = "蹲点调研")]
    pub kind: String,
    /// 地点
    #[arg(long, value_name = "地点", default_value = "")]
    pub place: String,
    /// 做了什么
    #[arg(long, value_name = "内容", default_value = "")]
    pub content: String,
    /// 免费住宿
    #[arg(long)]
    pub lodging: bool,
    /// 免费就餐
    #[arg(long)]
    pub meals: bool,
}

/// `bole outcome add D:E 种类 名称 …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum OutcomeCmd {
    /// 登记成果：课题、申报项目（级别、状态）、新产品、新工艺、专利、技术合同（金额）、技术入股
    Add(OutcomeAdd),
}

/// `bole outcome add`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct OutcomeAdd {
    /// 需求编号:专家编号
    #[arg(value_name = "D:E", value_parser = pair)]
    pub pair: Pair,
    /// 种类：课题、申报项目、新产品、新工艺、专利、技术合同、技术入股
    #[arg(value_name = "种类", value_parser = outcome_kind)]
    pub kind: String,
    /// 名称
    #[arg(value_name = "名称")]
    pub title: String,
    /// 日期（默认今天）
    #[arg(long, value_name = "日期", value_parser = date)]
    pub date: Option<String>,
    /// 申报项目的级别：国家、省、市、县
    #[arg(long, value_name = "级别", default_value = "")]
    pub level: String,
    /// 申报项目的状态：申报、立项
    #[arg(long, value_name = "状态", default_value = "")]
    pub status: String,
    /// 金额（万元，技术合同/技术入股）
    #[arg(long, value_name = "万元", value_parser = number)]
    pub amount: Option<String>,
    /// 说明
    #[arg(long, value_name = "说明", default_value = "")]
    pub note: String,
}

/// `bole target list|set`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum TargetCmd {
    /// 列出各期目标与完成情况
    List(TargetList),
    /// 设定一期目标（新增或修改），如 bole target set 2025—2027年 --years 2025-2027 --projects 10
    Set(TargetSet),
}

/// `bole target list [--json]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct TargetList {
    /// 输出 JSON
    #[arg(long)]
    pub json: bool,
}

/// `bole target set 期间 --years A-B …`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct TargetSet {
    /// 期间名称，如 2025—2027年
    #[arg(value_name = "期间")]
    pub label: String,
    /// 年份，如 2025-2027 或 2026
    #[arg(long, value_name = "起-止", value_parser = years)]
    pub years: (i32, i32),
    /// 争取省市科技项目（个）
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub projects: i64,
    /// 推广新产品新工艺（项）
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub products: i64,
    /// 提炼科研课题（个）
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub topics: i64,
}

/// `bole stats [--from 日期] [--to 日期] [--json]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct StatsArgs {
    /// 起始日期（默认不限）
    #[arg(long, value_name = "日期", value_parser = date)]
    pub from: Option<String>,
    /// 截止日期（默认不限）
    #[arg(long, value_name = "日期", value_parser = date)]
    pub to: Option<String>,
    /// 不计算引才方向（需要为每项在办需求匹配专家，名单很大时较慢）
    #[arg(long = "no-gaps")]
    pub no_gaps: bool,
    /// 输出 JSON（阶段以中文名称为键）
    #[arg(long)]
    pub json: bool,
}

/// `bole report --from 日期 --to 日期 --out 简报.pdf|.xlsx`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct ReportArgs {
    /// 起始日期
    #[arg(long, value_name = "日期", value_parser = date)]
    pub from: String,
    /// 截止日期
    #[arg(long, value_name = "日期", value_parser = date)]
    pub to: String,
    /// 输出文件（.pdf 或 .xlsx）
    #[arg(long, value_name = "文件")]
    pub out: PathBuf,
}

fn stage(s: &str) -> Result<Stage, String> {
    crate::domain::followup::FollowupConfig::builtin().parse_stage(s).ok_or_else(|| {
        let names: Vec<&str> = Stage::ALL.iter().map(|s| s.label()).collect();
        format!("应为以下阶段之一：{}", names.join("、"))
    })
}

fn outcome_kind(s: &str) -> Result<String, String> {
    crate::domain::followup::OutcomeKind::parse(s)
        .map(|k| k.label().to_string())
        .ok_or_else(|| "应为 课题、申报项目、新产品、新工艺、专利、技术合同、技术入股 之一".to_string())
}

/// A non-negative number, kept as text (the arguments compare exactly).
fn number(s: &str) -> Result<String, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(s.trim().to_string()),
        _ => Err("应为不小于 0 的数".into()),
    }
}

fn years(s: &str) -> Result<(i32, i32), String> {
    let bad = || "应写成 2025-2027 或 2026".to_string();
    let t = s.trim().replace(['—', '–', '~', '～'], "-");
    let (a, b) = match t.split_once('-') {
        Some((a, b)) => (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?),
        None => {
            let y = t.parse().map_err(|_| bad())?;
            (y, y)
        }
    };
    if a > b || !(2000..=2100).contains(&a) || b > 2100 { Err(bad()) } else { Ok((a, b)) }
}
