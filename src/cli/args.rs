//! The command-line arguments, defined with clap (derive), with Chinese help and Chinese errors.
//!
//! This module only parses: [`parse`] turns the words after the program name into a [`Cli`] or an
//! [`ArgError`] ready to print. clap never prints anything itself and never exits the process.
//!
//! - `Cli { db, command: None }` means “open the desktop app” (`bole`, `bole --db x`).
//! - Help (`-h`, `--help`, `bole help …`) and `--version` come back as `ArgError { code: 0, .. }`:
//!   print the message to stdout and exit 0. Usage errors are `code: 2`: print `错误：{message}`
//!   to stderr and exit 2 (the message is one Chinese sentence and a hint where to find the usage).
//! - Validation that needs no database lives in the definitions: value enums with Chinese and
//!   English spellings, ranges (`--top` 1..=1000, 时段长度 5..=240, …), `D:E`-style values parsed into
//!   [`Pair`], [`Cap`], [`Bounds`], [`Place`], dates and times checked with the meeting rules.
//! - List options (`--demands D001,D002`, `--add D:E`) are repeatable and also split on
//!   `，` `、` `;` `；` (clap splits on one character only, so [`parse`] rewrites those to `,` in
//!   the values of list options, and nowhere else, before clap sees them).
//!
//! [`usage_markdown`] renders the command list for README.md from these definitions, and
//! [`EXIT_CODES`] documents the exit codes.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, ArgGroup, Args, Command, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::domain::followup::SittingResult;
use crate::domain::meeting::{Meeting, parse_hhmm, parse_time_range, valid_date};

// ------------------------------------------------------------------------------- exit codes

/// Success.
pub const EXIT_OK: i32 = 0;
/// The operation failed; the message says why (a broken file, an unknown 编号, a database error).
pub const EXIT_FAILED: i32 = 1;
/// Wrong usage: unknown command or option, missing or invalid argument.
pub const EXIT_USAGE: i32 = 2;
/// Written to the database, but the search index will only be rebuilt later.
pub const EXIT_INDEX_PENDING: i32 = 3;
/// The output could not be written (e.g. stdout closed).
pub const EXIT_OUTPUT: i32 = 4;

/// Every exit code of `bole` and what it means (for `--help` and the README).
pub const EXIT_CODES: &[(i32, &str)] = &[
    (EXIT_OK, "成功"),
    (EXIT_FAILED, "操作失败（错误信息说明原因，例如文件损坏、找不到编号、数据库无法打开）"),
    (EXIT_USAGE, "用法错误（不认识的命令或选项、缺少参数、参数值不对）"),
    (EXIT_INDEX_PENDING, "已写入数据库，但搜索索引稍后才会重建"),
    (EXIT_OUTPUT, "结果无法输出（例如标准输出已关闭）"),
];

// ------------------------------------------------------------------------------- the commands

/// `bole [--db 路径] [命令 …]`.
#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(name = "bole", bin_name = "bole", version, about = "伯乐 · 专家与企业需求对接")]
pub struct Cli {
    /// 数据库文件（默认：环境变量 BOLE_DB，否则为用户数据目录下的 Bole/bole.db）
    #[arg(long, global = true, value_name = "路径")]
    pub db: Option<PathBuf>,
    /// `None`: no command, open the desktop app.
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

/// The commands.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Cmd {
    /// 导入专家人才库或企业技术需求清单（.xlsx/.xls/.ods/.csv），先预览再写入
    Import(Import),
    /// 列出专家或需求
    List(List),
    /// 载入内置演示数据（虚构），或用 --clear 清除演示数据（只删演示记录及其关联，不动真实数据）
    Demo(Demo),
    /// 把专家人才库或企业需求清单导出为 xlsx/CSV（表头与导入相同，可再导入）
    Export(ExportList),
    /// 立即备份数据库（默认存到备份文件夹；--out 另存到指定文件）
    Backup(Backup),
    /// 列出备份（时间、种类、各类记录数），或用 --dir 指定备份文件夹（如 U 盘、共享文件夹）
    Backups(Backups),
    /// 从备份恢复数据库（恢复前先自动备份当前数据，可再恢复回来）
    Restore(Restore),
    /// 操作日志：每次修改、删除、导入等操作的时间、操作人和改动（--record 只看一条记录的历史）
    Log(Log),
    /// 撤销最近一次操作（修改、删除连同其回避与对接、整批导入……），或用 --batch 撤销指定的一步
    Undo(Undo),
    /// 全文检索专家（或 --demands 检索需求），显示命中的词
    Search(Search),
    /// 为需求推荐专家（或为专家推荐需求），附匹配度与匹配理由
    Match(Match),
    /// 列出没有确认细分领域的记录及系统建议的领域（置信度与依据词），或把高置信度的建议确认下来
    Classify(Classify),
    /// 给出任意一对需求与专家的匹配度和理由（也可查看“为什么没有推荐”）
    Score(Score),
    /// 在临时数据库中导入评测集，匹配每条需求，输出 Recall、MRR、nDCG 和成对损失
    Eval(Eval),
    /// 标记（或取消）专家与企业之间的回避/不再推荐，此后不会再推荐
    Exclude(Exclude),
    /// 标记专家可约/暂不可约（暂不可约的专家不会被推荐）
    Available(Available),
    /// 从数据库重建搜索索引
    Reindex,
    /// 对接会：新建、配对、排日程、导出对接表（与桌面程序的“对接会”页相同）
    #[command(subcommand)]
    Meeting(MeetingCmd),
    /// 对接跟踪：列出对接、推进阶段、记一笔跟进（与桌面程序的“对接跟踪”页相同）
    #[command(subcommand)]
    Pairing(super::followup_args::PairingCmd),
    /// 服务记录：登记专家蹲点调研等服务的日期、天数、地点与内容
    #[command(subcommand)]
    Service(super::followup_args::ServiceCmd),
    /// 成果：登记对接产生的课题、申报项目、新产品、新工艺、专利、技术合同
    #[command(subcommand)]
    Outcome(super::followup_args::OutcomeCmd),
    /// 规划目标：各期的争取项目、推广新产品新工艺、提炼课题目标数
    #[command(subcommand)]
    Target(super::followup_args::TargetCmd),
    /// 统计：供需、对接各阶段、服务、成果与目标、引才方向
    Stats(super::followup_args::StatsArgs),
    /// 工作简报：一段时间的新增专家与需求、对接会、对接进展、服务、成果对照目标、引才方向（PDF 或 xlsx）
    Report(super::followup_args::ReportArgs),
    /// 知识库：把细分领域、同义词、问题→学科等知识文件导出到文件夹（交给其他办公室），或从文件夹导入
    #[command(subcommand)]
    Knowledge(KnowledgeCmd),
}

/// `bole knowledge export|import 文件夹`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum KnowledgeCmd {
    /// 把正在使用的全部知识文件（TOML）写入文件夹
    Export {
        /// 目标文件夹（不存在时新建）
        #[arg(value_name = "文件夹")]
        dir: PathBuf,
    },
    /// 用文件夹中的知识文件替换当前的（先整体检查，有错不替换；文件夹里没有的文件保持不变）
    Import {
        /// 另一办公室导出的文件夹
        #[arg(value_name = "文件夹")]
        dir: PathBuf,
    },
}

/// Which list: `experts|demands`, also `expert|demand|专家|需求`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Records {
    /// 专家人才库
    #[value(alias = "expert", alias = "专家")]
    Experts,
    /// 企业技术需求清单
    #[value(alias = "demand", alias = "需求")]
    Demands,
}

impl From<Records> for crate::domain::RecordKind {
    fn from(r: Records) -> Self {
        match r {
            Records::Experts => Self::Expert,
            Records::Demands => Self::Demand,
        }
    }
}

/// What `bole import` reads: one of the two lists, or the pairing history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportKind {
    /// 专家人才库
    #[value(alias = "expert", alias = "专家")]
    Experts,
    /// 企业技术需求清单
    #[value(alias = "demand", alias = "需求")]
    Demands,
    /// 已有的对接记录（需求编号、专家编号，可选 阶段/结果、日期、备注），作为匹配的历史依据
    #[value(alias = "pairing", alias = "对接")]
    Pairings,
}

/// `bole import experts|demands|pairings 文件 …`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Import {
    /// 导入什么：专家名单、需求清单或对接记录
    #[arg(value_enum, value_name = "种类")]
    pub kind: ImportKind,
    /// 要导入的名单文件（.xlsx/.xls/.ods/.csv，CSV 可为 UTF-8 或 GBK）
    #[arg(value_name = "文件")]
    pub file: PathBuf,
    /// 只预览（新增/更新/未变化/拒绝及原因），不写入数据库
    #[arg(long)]
    pub dry_run: bool,
    /// 把被拒绝的行连同“拒绝原因”列存成 xlsx，修改后可再次导入
    #[arg(long, value_name = "文件.xlsx")]
    pub rejected_out: Option<PathBuf>,
    /// 合并“可能重复”的记录（默认只提示）
    #[arg(long)]
    pub merge_duplicates: bool,
}

/// `bole demo [--clear]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Demo {
    /// 清除演示数据及其对接、回避与对接会安排（先自动备份）
    #[arg(long)]
    pub clear: bool,
}

/// `bole export experts|demands --out 文件`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct ExportList {
    /// 导出哪张清单
    #[arg(value_enum, value_name = "种类")]
    pub kind: Records,
    /// 输出文件（.xlsx 或 .csv，按扩展名）
    #[arg(long, value_name = "文件")]
    pub out: PathBuf,
}

/// `bole backup [--out 文件]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Backup {
    /// 另存到这个文件（默认存到备份文件夹）
    #[arg(long, value_name = "文件")]
    pub out: Option<PathBuf>,
}

/// `bole backups [--dir 文件夹] [--json]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Backups {
    /// 以后把自动备份存到这个文件夹（立即在那里备份一次以确认可写）
    #[arg(long, value_name = "文件夹")]
    pub dir: Option<PathBuf>,
    /// 输出 JSON
    #[arg(long)]
    pub json: bool,
}

/// `bole log [--record 编号] [--limit N] [--json]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Log {
    /// 只看这位专家或这条需求（编号）的历史
    #[arg(long, value_name = "编号")]
    pub record: Option<String>,
    /// 最多列出多少步（默认 50）
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,
    /// 输出 JSON（含每一步改动的字段：改前 → 改后）
    #[arg(long)]
    pub json: bool,
}

/// `bole undo [--batch N]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Undo {
    /// 要撤销的那一步（bole log 列出的序号；默认最近一步）
    #[arg(long, value_name = "序号")]
    pub batch: Option<i64>,
}

/// `bole restore 备份文件`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Restore {
    /// 备份文件（bole backups 列出的，或其他位置的伯乐数据库文件）
    #[arg(value_name = "备份文件")]
    pub file: PathBuf,
}

/// `bole list experts|demands [--json]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct List {
    /// 列出哪张清单
    #[arg(value_enum, value_name = "种类")]
    pub kind: Records,
    /// 输出 JSON（使用文件中的编号）
    #[arg(long)]
    pub json: bool,
}

/// `bole search 查询词… [--subfield 编码] [--demands] [--top N] [--json]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Search {
    /// 查询词（可写多个，以空格连接）
    #[arg(required = true, value_name = "查询词")]
    pub words: Vec<String>,
    /// 只在这个细分领域中检索（编码，如 FL、FL01）
    #[arg(long, value_name = "编码")]
    pub subfield: Option<String>,
    /// 检索企业需求而不是专家
    #[arg(long)]
    pub demands: bool,
    /// 最多显示几条结果（1–1000）
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = int(1usize, Some(1000)))]
    pub top: usize,
    /// 输出 JSON（使用文件中的编号）
    #[arg(long)]
    pub json: bool,
}

impl Search {
    /// The query: the words joined by spaces.
    pub fn text(&self) -> String {
        self.words.join(" ")
    }
}

/// `bole match (--demand 编号 | --expert 编号 | --all) [--top N] [--json]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
#[command(group(ArgGroup::new("target").required(true).args(["demand", "expert", "all"])))]
pub struct Match {
    /// 为这条需求推荐专家（需求编号）
    #[arg(long, value_name = "编号")]
    pub demand: Option<String>,
    /// 为这位专家推荐需求（专家编号）
    #[arg(long, value_name = "编号")]
    pub expert: Option<String>,
    /// 为全部在办需求推荐专家（--json 时每行一条需求）
    #[arg(long)]
    pub all: bool,
    /// 每条最多推荐几位（1–1000）
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = int(1usize, Some(1000)))]
    pub top: usize,
    /// 输出 JSON（使用文件中的编号）
    #[arg(long)]
    pub json: bool,
}

/// What `bole match` matches (exactly one, enforced by the definitions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchTarget {
    Demand(String),
    Expert(String),
    All,
}

impl Match {
    pub fn target(&self) -> MatchTarget {
        match (&self.demand, &self.expert) {
            (Some(d), _) => MatchTarget::Demand(d.clone()),
            (None, Some(e)) => MatchTarget::Expert(e.clone()),
            (None, None) => MatchTarget::All,
        }
    }
}

/// `bole classify [--kind experts|demands] [--all] [--json]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Classify {
    /// 哪张清单（默认专家）
    #[arg(long, value_enum, value_name = "种类", default_value = "experts")]
    pub kind: Records,
    /// 也列出已有确认领域的记录（显示其另外的建议领域）
    #[arg(long)]
    pub all: bool,
    /// 把没有确认领域、最佳建议置信度不低于此值（0–1，如 0.8）的记录确认为该领域
    #[arg(long, value_name = "置信度", value_parser = hundredths)]
    pub accept_above: Option<u16>,
    /// 输出 JSON（使用文件中的编号）
    #[arg(long)]
    pub json: bool,
}

/// `bole score --demand 编号 --expert 编号 [--json]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Score {
    /// 需求编号
    #[arg(long, value_name = "编号")]
    pub demand: String,
    /// 专家编号
    #[arg(long, value_name = "编号")]
    pub expert: String,
    /// 输出 JSON（使用文件中的编号）
    #[arg(long)]
    pub json: bool,
}

/// `bole eval [评测集目录…] [--experts E --demands D --qrels Q] [--top N] [--misses]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
#[command(group(ArgGroup::new("input").required(true).args(["sets", "experts"])))]
pub struct Eval {
    /// 评测集目录（含 experts.csv、demands.csv、qrels.csv；有 pairings.csv 时另算“使用历史”一行）
    #[arg(value_name = "目录")]
    pub sets: Vec<PathBuf>,
    /// 专家清单文件
    #[arg(long, value_name = "E.csv", requires_all = ["demands", "qrels"], conflicts_with = "sets")]
    pub experts: Option<PathBuf>,
    /// 需求清单文件
    #[arg(long, value_name = "D.csv", requires = "experts")]
    pub demands: Option<PathBuf>,
    /// 标注文件（每行 需求编号,专家编号,相关度）
    #[arg(long, value_name = "Q.csv", requires = "experts")]
    pub qrels: Option<PathBuf>,
    /// 对接历史文件（需求编号,专家编号,…），先导入再评测
    #[arg(long, value_name = "P.csv", requires = "experts")]
    pub pairings: Option<PathBuf>,
    /// 评估前几名（Recall@N、MRR@N、nDCG@N，1–1000）
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = int(1usize, Some(1000)))]
    pub top: usize,
    /// 列出没有全部命中的需求
    #[arg(long)]
    pub misses: bool,
}

/// 回避 or 不再推荐.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Exclusion {
    /// 回避（利益冲突）
    #[value(name = "回避", alias = "conflict")]
    Conflict,
    /// 不再推荐
    #[value(name = "不再推荐", alias = "不推荐", alias = "no-suggest", alias = "nosuggest")]
    DoNotSuggest,
}

impl From<Exclusion> for crate::domain::ExclusionKind {
    fn from(e: Exclusion) -> Self {
        match e {
            Exclusion::Conflict => Self::Conflict,
            Exclusion::DoNotSuggest => Self::DoNotSuggest,
        }
    }
}

/// `bole exclude --expert 编号 (--demand 编号 | --enterprise 企业名称) [--kind 回避|不再推荐] [--note 说明] [--remove]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
#[command(group(ArgGroup::new("enterprise_of").required(true).args(["demand", "enterprise"])))]
pub struct Exclude {
    /// 专家编号
    #[arg(long, value_name = "编号")]
    pub expert: String,
    /// 这条需求所属的企业（需求编号）
    #[arg(long, value_name = "编号")]
    pub demand: Option<String>,
    /// 企业名称
    #[arg(long, value_name = "企业名称")]
    pub enterprise: Option<String>,
    /// 标记的种类
    #[arg(long, value_enum, value_name = "种类", default_value_t = Exclusion::Conflict)]
    pub kind: Exclusion,
    /// 备注（如回避的原因）
    #[arg(long, value_name = "说明", default_value = "")]
    pub note: String,
    /// 取消这一对的标记
    #[arg(long)]
    pub remove: bool,
}

/// Which enterprise `bole exclude` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnterpriseRef {
    /// The enterprise of this demand (编号).
    Demand(String),
    /// The enterprise with this name.
    Name(String),
}

impl Exclude {
    pub fn enterprise_ref(&self) -> EnterpriseRef {
        match (&self.demand, &self.enterprise) {
            (Some(d), _) => EnterpriseRef::Demand(d.clone()),
            (None, e) => EnterpriseRef::Name(e.clone().unwrap_or_default()),
        }
    }
}

/// `yes|no` (also 是/否, 可约/暂不可约, on/off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum YesNo {
    /// 可约
    #[value(alias = "是", alias = "可约", alias = "on")]
    Yes,
    /// 暂不可约
    #[value(alias = "否", alias = "暂不可约", alias = "off")]
    No,
}

/// `bole available --expert 编号 yes|no`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Available {
    /// 专家编号
    #[arg(long, value_name = "编号")]
    pub expert: String,
    /// yes：可约；no：暂不可约（不会被推荐）
    #[arg(value_enum, value_name = "是否可约")]
    pub value: YesNo,
}

impl Available {
    pub fn available(&self) -> bool {
        self.value == YesNo::Yes
    }
}

// ------------------------------------------------------------------------------- meetings

/// `bole meeting …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum MeetingCmd {
    /// 新建对接会：选需求（默认全部在办需求）和专家（可自动推荐），设定时段、桌数与配对规则
    Create(Create),
    /// 列出全部对接会
    List(MeetingList),
    /// 查看一场对接会的需求、专家与配对
    Show(Show),
    /// 在上下限、专家上限与回避规则下求总匹配度最高的配对；锁定/指定的配对保留，其余重新优化
    Assign(Assign),
    /// 排时段与桌号：专家和企业不会同时出现在两处，企业尽量固定一张桌
    Schedule(Schedule),
    /// 导出对接表（总表、企业对接表、专家日程）
    Export(Export),
    /// 删除一场对接会
    Delete(Delete),
    /// 会场签到：企业（按需求编号）和专家到场或缺席
    Checkin(Checkin),
    /// 缺席后重排剩余时段：已开始和已结束的时段不变，缺席者的位置由其他配对补上
    Replan(Replan),
    /// 记录一场对接的结果（有意向继续、需要再沟通、无意向），写入对接跟踪
    Result(SittingResultArgs),
    /// 导出签到表（PDF 或 xlsx，按扩展名）：企业和专家、单位、桌号与时段、签名栏
    CheckinSheet(CheckinSheet),
}

/// A time range such as `9:00-11:30`, in minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub start: u32,
    pub end: u32,
}

/// `bole meeting create --name 名称 …`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Create {
    /// 对接会名称
    #[arg(long, value_name = "名称")]
    pub name: String,
    /// 日期，如 2026-12-05
    #[arg(long, value_name = "日期", value_parser = date)]
    pub date: Option<String>,
    /// 地点
    #[arg(long, value_name = "地点")]
    pub venue: Option<String>,
    /// 时间段，如 9:00-11:30（时段数 = 时长 ÷ 每时段分钟）
    #[arg(long, value_name = "开始-结束", value_parser = time_range, conflicts_with = "start")]
    pub time: Option<TimeRange>,
    /// 开始时间，如 9:00（默认 9:00，与 --slots 一起用）
    #[arg(long, value_name = "时间", value_parser = time_of_day)]
    pub start: Option<u32>,
    /// 每个时段的分钟数（5–240）
    #[arg(long, value_name = "分钟", default_value_t = Meeting::default().slot_minutes, value_parser = int(5u32, Some(240)))]
    pub slot: u32,
    /// 时段数（1–48；默认由 --time 算出，否则为 7）
    #[arg(long, value_name = "N", value_parser = int(1u32, Some(48)))]
    pub slots: Option<u32>,
    /// 桌数（1–500）
    #[arg(long, value_name = "N", default_value_t = Meeting::default().tables, value_parser = int(1u32, Some(500)))]
    pub tables: u32,
    /// 参加的需求（需求编号，逗号分隔，可重复）
    #[arg(long, value_name = "编号,…", value_delimiter = ',', value_parser = item)]
    pub demands: Vec<String>,
    /// 参加的细分领域（编码或名称，逗号分隔，可重复）：其中全部在办需求参加
    #[arg(long, value_name = "细分领域,…", value_delimiter = ',', value_parser = item)]
    pub subfield: Vec<String>,
    /// 最多几项需求（最紧急的优先；0 为不限）
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = int(0usize, None))]
    pub max_demands: usize,
    /// 参加的专家（专家编号，逗号分隔，可重复）
    #[arg(long, value_name = "编号,…", value_delimiter = ',', value_parser = item)]
    pub experts: Vec<String>,
    /// 按匹配结果自动补足到这么多位专家（0 为不自动补足）
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = int(0usize, None))]
    pub auto_experts: usize,
    /// 每项需求至少几位专家
    #[arg(long, value_name = "N", default_value_t = Meeting::default().min_experts, value_parser = int(0u32, None))]
    pub min: u32,
    /// 每项需求至多几位专家
    #[arg(long, value_name = "N", default_value_t = Meeting::default().max_experts, value_parser = int(1u32, None))]
    pub max: u32,
    /// 每位专家最多参加几场对接
    #[arg(long, value_name = "N", default_value_t = Meeting::default().expert_cap, value_parser = int(1u32, None))]
    pub cap: u32,
    /// 最低匹配度（0–100），低于它的配对不予考虑
    #[arg(long, value_name = "分", default_value_t = Meeting::default().min_score as u32, value_parser = int(0u32, Some(100)))]
    pub min_score: u32,
    /// 不安排以前对接过的专家—企业组合
    #[arg(long)]
    pub avoid_previous: bool,
    /// 不把已“加入对接”的配对设为指定（锁定）
    #[arg(long)]
    pub no_recorded: bool,
}

impl Create {
    /// The meeting record these options describe (rules as in [`Meeting::validate`], which the
    /// engine still checks for the rules that span fields, e.g. 下限 ≤ 上限, not past midnight).
    pub fn meeting(&self) -> Meeting {
        let mut m = Meeting {
            name: self.name.clone(),
            date: self.date.clone().unwrap_or_default(),
            venue: self.venue.clone().unwrap_or_default(),
            slot_minutes: self.slot,
            tables: self.tables,
            min_experts: self.min,
            max_experts: self.max,
            expert_cap: self.cap,
            min_score: f64::from(self.min_score),
            avoid_previous: self.avoid_previous,
            ..Meeting::default()
        };
        if let Some(t) = self.time {
            m.start_min = t.start;
            m.slots = (t.end - t.start) / m.slot_minutes;
        } else if let Some(s) = self.start {
            m.start_min = s;
        }
        if let Some(n) = self.slots {
            m.slots = n;
        }
        m
    }

    /// Pairs recorded with 加入对接 among the chosen demands become locked pairings.
    pub fn lock_recorded(&self) -> bool {
        !self.no_recorded
    }
}

/// `bole meeting list [--json]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct MeetingList {
    /// 输出 JSON
    #[arg(long)]
    pub json: bool,
}

/// `bole meeting show 对接会 [--json]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Show {
    /// 对接会的编号或名称（bole meeting list 可查看）
    #[arg(value_name = "对接会")]
    pub meeting: String,
    /// 输出 JSON（配对方案）
    #[arg(long)]
    pub json: bool,
}

/// A demand–expert pair written `需求编号:专家编号` (also with `：`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub demand: String,
    pub expert: String,
}

impl fmt::Display for Pair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.demand, self.expert)
    }
}

/// `专家编号=场数`: at most this many meetings for the expert here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cap {
    pub expert: String,
    pub meetings: u32,
}

impl fmt::Display for Cap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.expert, self.meetings)
    }
}

/// `需求编号=下限-上限`: this demand gets between `min` and `max` experts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounds {
    pub demand: String,
    pub min: u32,
    pub max: u32,
}

impl fmt::Display for Bounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}-{}", self.demand, self.min, self.max)
    }
}

/// `需求编号:专家编号=时段/桌号`; `slot` and `table` are 1-based, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub pair: Pair,
    pub slot: u32,
    pub table: u32,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}/{}", self.pair, self.slot, self.table)
    }
}

/// `bole meeting assign 对接会 [--add D:E] [--lock D:E] [--unlock D:E] [--remove D:E] [--cap E=N] [--bounds D=MIN-MAX]`
///
/// The dispatcher applies caps and bounds, then adds, locks, unlocks and removes, then re-pairs.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Assign {
    /// 对接会的编号或名称（bole meeting list 可查看）
    #[arg(value_name = "对接会")]
    pub meeting: String,
    /// 指定配对（并锁定），写成 需求编号:专家编号，可重复或用逗号分隔
    #[arg(long, value_name = "D:E", value_delimiter = ',', value_parser = pair)]
    pub add: Vec<Pair>,
    /// 锁定已有配对（重新优化时保留）
    #[arg(long, value_name = "D:E", value_delimiter = ',', value_parser = pair)]
    pub lock: Vec<Pair>,
    /// 取消锁定
    #[arg(long, value_name = "D:E", value_delimiter = ',', value_parser = pair)]
    pub unlock: Vec<Pair>,
    /// 移除配对（重新优化时不会再加回）
    #[arg(long, value_name = "D:E", value_delimiter = ',', value_parser = pair)]
    pub remove: Vec<Pair>,
    /// 本次这位专家最多参加几场，写成 专家编号=场数
    #[arg(long, value_name = "E=N", value_delimiter = ',', value_parser = cap)]
    pub cap: Vec<Cap>,
    /// 本次这项需求配几位专家，写成 需求编号=下限-上限，如 XQ2024-001=2-3
    #[arg(long, value_name = "D=下限-上限", value_delimiter = ',', value_parser = bounds)]
    pub bounds: Vec<Bounds>,
}

/// `bole meeting schedule 对接会 [--place D:E=时段/桌号]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Schedule {
    /// 对接会的编号或名称（bole meeting list 可查看）
    #[arg(value_name = "对接会")]
    pub meeting: String,
    /// 把一对固定在某时段某桌（从 1 数起），写成 需求编号:专家编号=时段/桌号
    #[arg(long, value_name = "D:E=时段/桌号", value_delimiter = ',', value_parser = place)]
    pub place: Vec<Place>,
}

/// The file kinds `meeting export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Excel 工作簿：总表、每家企业一张对接表、专家日程
    #[value(alias = "excel", alias = ".xlsx")]
    Xlsx,
    /// PDF：每家企业的对接表和每位专家的日程（A4）
    #[value(alias = ".pdf")]
    Pdf,
    /// CSV：总表（UTF-8 带 BOM）
    #[value(alias = ".csv")]
    Csv,
}

impl From<Format> for crate::engine::SheetFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Xlsx => Self::Xlsx,
            Format::Pdf => Self::Pdf,
            Format::Csv => Self::Csv,
        }
    }
}

/// `bole meeting export 对接会 --out 文件 [--format xlsx|pdf|csv] [--no-contacts]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Export {
    /// 对接会的编号或名称（bole meeting list 可查看）
    #[arg(value_name = "对接会")]
    pub meeting: String,
    /// 输出文件
    #[arg(long, value_name = "文件")]
    pub out: PathBuf,
    /// 文件格式（默认按 --out 的扩展名）
    #[arg(long, value_enum, value_name = "格式", ignore_case = true)]
    pub format: Option<Format>,
    /// 不含电话和邮箱
    #[arg(long)]
    pub no_contacts: bool,
}

impl Export {
    /// `--format`, else the extension of `--out`. [`parse`] rejects an export with neither, so
    /// on a parsed [`Cli`] this is always `Some`.
    pub fn format(&self) -> Option<Format> {
        self.format.or_else(|| {
            let ext = self.out.extension()?.to_str()?;
            Format::from_str(ext, true).ok()
        })
    }
}

/// `bole meeting delete 对接会`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Delete {
    /// 对接会的编号或名称（bole meeting list 可查看）
    #[arg(value_name = "对接会")]
    pub meeting: String,
}

/// `bole meeting checkin 对接会 [--experts E,…] [--demands D,…] [--absent]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Checkin {
    /// 对接会的编号或名称（bole meeting list 可查看）
    #[arg(value_name = "对接会")]
    pub meeting: String,
    /// 签到的专家（专家编号，逗号分隔，可重复）
    #[arg(long, alias = "expert", value_name = "编号,…", value_delimiter = ',', value_parser = item)]
    pub experts: Vec<String>,
    /// 签到的企业，写它的需求编号（逗号分隔，可重复）
    #[arg(long, alias = "demand", value_name = "编号,…", value_delimiter = ',', value_parser = item)]
    pub demands: Vec<String>,
    /// 记为缺席（之后可用 bole meeting replan 重排剩余时段）
    #[arg(long)]
    pub absent: bool,
}

/// `bole meeting replan 对接会 [--now 10:05 | --from-slot N]`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Replan {
    /// 对接会的编号或名称（bole meeting list 可查看）
    #[arg(value_name = "对接会")]
    pub meeting: String,
    /// 现在的时间，如 10:05：正在进行的时段算已开始，从下一个时段重排（默认为电脑时钟）
    #[arg(long, value_name = "时间", value_parser = time_of_day, conflicts_with = "from_slot")]
    pub now: Option<u32>,
    /// 从第 N 个时段起重排（从 1 数起）
    #[arg(long, value_name = "N", value_parser = int(1u32, Some(48)))]
    pub from_slot: Option<u32>,
}

/// `bole meeting result 对接会 D:E 结果`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct SittingResultArgs {
    /// 对接会的编号或名称（bole meeting list 可查看）
    #[arg(value_name = "对接会")]
    pub meeting: String,
    /// 哪一对，写成 需求编号:专家编号
    #[arg(value_name = "D:E", value_parser = pair)]
    pub pair: Pair,
    /// 有意向继续、需要再沟通 或 无意向
    #[arg(value_name = "结果", value_parser = sitting_result)]
    pub result: SittingResult,
}

/// `bole meeting checkin-sheet 对接会 --out 签到表.pdf|.xlsx`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct CheckinSheet {
    /// 对接会的编号或名称（bole meeting list 可查看）
    #[arg(value_name = "对接会")]
    pub meeting: String,
    /// 输出文件（.pdf 或 .xlsx，按扩展名）
    #[arg(long, value_name = "文件")]
    pub out: PathBuf,
}

// ------------------------------------------------------------------------------- value parsers
// Each returns the Chinese predicate of the sentence “--top 应为 1 到 1000 的整数，而不是“0””.

/// An integer in `min..=max` (no upper bound when `max` is `None`).
fn int<T>(min: T, max: Option<T>) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: std::str::FromStr + PartialOrd + Copy + fmt::Display + From<u8> + Send + Sync + 'static,
{
    move |s: &str| match s.trim().parse::<T>() {
        Ok(n) if n >= min && max.is_none_or(|m| n <= m) => Ok(n),
        _ => Err(match max {
            Some(max) => format!("应为 {min} 到 {max} 的整数"),
            None if min == T::from(0) => "应为非负整数".to_string(),
            None => format!("应为不小于 {min} 的整数"),
        }),
    }
}

/// A confidence in 0..=1 (0.8, or 80%), in hundredths.
fn hundredths(s: &str) -> Result<u16, String> {
    let t = s.trim();
    let v = match t.strip_suffix(['%', '％']) {
        Some(p) => p.trim().parse::<f64>().map(|x| x / 100.0),
        None => t.parse::<f64>(),
    };
    match v {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(x) if (0.0..=1.0).contains(&x) => Ok((x * 100.0).round() as u16),
        _ => Err("应为 0 到 1 之间的数（如 0.8）".into()),
    }
}

/// One item of a comma list (an 编号 or a name).
fn item(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() { Err("不能为空".into()) } else { Ok(s.to_string()) }
}

pub(crate) fn date(s: &str) -> Result<String, String> {
    let s = s.trim();
    if valid_date(s) { Ok(s.to_string()) } else { Err("应为 2026-12-05 这样的日期".into()) }
}

fn time_of_day(s: &str) -> Result<u32, String> {
    parse_hhmm(s).ok_or_else(|| "应写成 9:00 这样的时间".to_string())
}

fn time_range(s: &str) -> Result<TimeRange, String> {
    parse_time_range(s)
        .map(|(start, end)| TimeRange { start, end })
        .ok_or_else(|| "应写成 9:00-11:30 这样的时间段（结束晚于开始）".to_string())
}

fn sitting_result(s: &str) -> Result<SittingResult, String> {
    SittingResult::parse(s).ok_or_else(|| "应为 有意向继续、需要再沟通 或 无意向".to_string())
}

pub(crate) fn pair(s: &str) -> Result<Pair, String> {
    let bad = || "应写成 需求编号:专家编号".to_string();
    let (d, e) = s.split_once([':', '：']).ok_or_else(bad)?;
    let (d, e) = (d.trim(), e.trim());
    if d.is_empty() || e.is_empty() {
        return Err(bad());
    }
    Ok(Pair { demand: d.to_string(), expert: e.to_string() })
}

fn cap(s: &str) -> Result<Cap, String> {
    let bad = || "应写成 专家编号=场数（场数为非负整数）".to_string();
    let (e, n) = s.split_once('=').ok_or_else(bad)?;
    let e = e.trim();
    let meetings = n.trim().parse().map_err(|_| bad())?;
    if e.is_empty() {
        return Err(bad());
    }
    Ok(Cap { expert: e.to_string(), meetings })
}

fn bounds(s: &str) -> Result<Bounds, String> {
    let bad = || "应写成 需求编号=下限-上限（如 XQ2024-001=2-3，下限不大于上限）".to_string();
    // 编号 may contain '-' (XQ2024-001), so split at the last '='.
    let (d, r) = s.rsplit_once('=').ok_or_else(bad)?;
    let (lo, hi) = r.split_once('-').ok_or_else(bad)?;
    let (min, max): (u32, u32) = (lo.trim().parse().map_err(|_| bad())?, hi.trim().parse().map_err(|_| bad())?);
    let d = d.trim();
    if d.is_empty() || min > max {
        return Err(bad());
    }
    Ok(Bounds { demand: d.to_string(), min, max })
}

fn place(s: &str) -> Result<Place, String> {
    let bad = || "应写成 需求编号:专家编号=时段/桌号（时段和桌号从 1 数起）".to_string();
    let (p, at) = s.split_once('=').ok_or_else(bad)?;
    let pair = pair(p).map_err(|_| bad())?;
    let (slot, table) = at.split_once('/').ok_or_else(bad)?;
    match (slot.trim().parse::<u32>(), table.trim().parse::<u32>()) {
        (Ok(slot), Ok(table)) if slot > 0 && table > 0 => Ok(Place { pair, slot, table }),
        _ => Err(bad()),
    }
}

// ------------------------------------------------------------------------------- parsing

/// A parse that did not give a [`Cli`]: help or version (`code` 0, print `message` to stdout) or
/// wrong usage (`code` 2, print `错误：{message}` to stderr). `message` has no trailing newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgError {
    pub message: String,
    pub code: i32,
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArgError {}

/// Parses the command line **without** the program name (`std::env::args_os().skip(1)`).
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli, ArgError> {
    let mut cmd = command();
    cmd.build();
    let (args, path) = prepare(&cmd, args);
    let matches = cmd
        .try_get_matches_from_mut(std::iter::once(OsString::from("bole")).chain(args))
        .map_err(|e| translate(&e, &path))?;
    if let Some(words) = help_request(&matches) {
        return Err(help_for(&mut cmd, &words));
    }
    let cli = Cli::from_arg_matches(&matches).map_err(|e| translate(&e, &path))?;
    if let Some(Cmd::Meeting(MeetingCmd::Export(e))) = &cli.command
        && e.format().is_none()
    {
        return Err(usage_error("无法从 --out 的扩展名判断格式，请用 --format 指定 xlsx、pdf 或 csv", &path));
    }
    Ok(cli)
}

/// The clap command with Chinese help: own `-h/--help`, `-V/--version` and `help` subcommand,
/// per-command help templates and usage lines, defaults and possible values written in Chinese.
/// Use [`parse`] rather than `Cli::parse()`: clap's own entry points would print and exit.
pub fn command() -> Command {
    let cmd = Cli::command()
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).global(true).help("显示帮助"))
        .arg(Arg::new("version").short('V').long("version").action(ArgAction::Version).help("显示版本"))
        .after_help(root_after_help());
    localize(cmd, &[])
}

const PROGRAM: &str = "伯乐 · 专家与企业需求对接";
const GUI_SUMMARY: &str = "不带命令：打开桌面程序，数据库为空时先载入内置演示数据";
/// Commands that do not open the database, so their usage line has no `[--db 路径]`.
const NO_DB: &[&str] = &["eval", "help"];
/// Width to wrap usage lines at (CJK characters count two columns).
const WIDTH: usize = 100;

fn root_after_help() -> String {
    let codes: Vec<String> = EXIT_CODES.iter().map(|(c, m)| format!("  {c}  {m}")).collect();
    format!(
        "数据库位置：--db 指定，或环境变量 BOLE_DB，否则为用户数据目录下的 Bole/bole.db\
         （Windows：%APPDATA%\\Bole\\bole.db）。\n\n退出码：\n{}",
        codes.join("\n")
    )
}

fn help_subcommand() -> Command {
    Command::new("help").about("显示帮助（bole help <命令> 与 bole <命令> --help 相同）").arg(
        Arg::new("command")
            .value_name("命令")
            .num_args(0..)
            .action(ArgAction::Append)
            .help("要查看帮助的命令，如 meeting export"),
    )
}

/// Recursively: help subcommand where there are subcommands, Chinese notes for defaults and
/// possible values, the help template and the usage line.
fn localize(mut cmd: Command, path: &[String]) -> Command {
    if cmd.has_subcommands() {
        cmd = cmd.subcommand(help_subcommand()).arg_required_else_help(false);
    }
    cmd = cmd.mut_subcommands(|sub| {
        let mut p = path.to_vec();
        p.push(sub.get_name().to_string());
        localize(sub, &p)
    });
    // Own arguments in definition order, then the global ones (--db first, -h last).
    let mut order = 10;
    cmd = cmd.mut_args(|arg| {
        order += 1;
        let order = match arg.get_id().as_str() {
            "db" => 0,
            "help" => 1000,
            "version" => 1001,
            _ => order,
        };
        annotate(arg).display_order(order)
    });
    let template = template(&cmd);
    let mut usage = usage_line(&cmd, path, "      ");
    if path.is_empty() {
        usage = format!("bole [--db <路径>] <命令> …\n      bole [--db <路径>]（{GUI_SUMMARY}）");
    }
    cmd.help_template(template).override_usage(usage)
}

/// Writes the default value and the possible values into the Chinese help (clap would print
/// `[default: …]` and `[possible values: …]`).
fn annotate(arg: Arg) -> Arg {
    if !arg.get_action().takes_values() {
        return arg;
    }
    let mut notes = Vec::new();
    let values = arg.get_possible_values();
    if !values.is_empty() {
        let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
        let aliases: Vec<&str> = values
            .iter()
            .flat_map(|v| v.get_name_and_aliases().skip(1))
            .filter(|a| !a.starts_with('.') && *a != "excel")
            .collect();
        let mut note = format!("可选：{}", names.join("、"));
        if !aliases.is_empty() {
            note += &format!("，也可写 {}", aliases.join("、"));
        }
        if arg.is_ignore_case_set() {
            note += "，不区分大小写";
        }
        notes.push(note);
    }
    let defaults: Vec<String> =
        arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).filter(|v| !v.is_empty()).collect();
    if !defaults.is_empty() {
        notes.push(format!("默认：{}", defaults.join("、")));
    }
    let arg = arg.hide_default_value(true).hide_possible_values(true);
    if notes.is_empty() {
        return arg;
    }
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let notes = notes.join("；");
    // “时长（5–240）” + notes → “时长（5–240；默认：20）”.
    let help = match help.strip_suffix('）') {
        Some(h) => format!("{h}；{notes}）"),
        None => format!("{help}（{notes}）"),
    };
    let long = arg.get_long_help().map(|h| format!("{h}\n（{notes}）"));
    let arg = arg.help(help);
    match long {
        Some(long) => arg.long_help(long),
        None => arg,
    }
}

fn template(cmd: &Command) -> String {
    let mut t = String::from("{about-with-newline}\n用法：{usage}");
    if cmd.has_subcommands() {
        t += "\n\n命令：\n{subcommands}";
    }
    if cmd.get_positionals().next().is_some() {
        t += "\n\n参数：\n{positionals}";
    }
    t += "\n\n选项：\n{options}{after-help}";
    t
}

/// `bole [--db <路径>] meeting export <对接会> --out <文件> [--format xlsx|pdf|csv] [--no-contacts]`,
/// wrapped at [`WIDTH`] with `indent` before continuation lines.
fn usage_line(cmd: &Command, path: &[String], indent: &str) -> String {
    let mut units = vec!["bole".to_string()];
    if path.first().is_none_or(|c| !NO_DB.contains(&c.as_str())) {
        units.push("[--db <路径>]".into());
    }
    units.extend(path.iter().cloned());
    if cmd.has_subcommands() {
        units.push(if path.is_empty() { "[<命令>]".into() } else { "<子命令>".into() });
    }
    let groups: Vec<&ArgGroup> = cmd.get_groups().filter(|g| g.is_required_set()).collect();
    let mut done: Vec<&str> = Vec::new();
    let shown = |a: &&Arg| {
        !a.is_hide_set() && !a.is_global_set() && !matches!(a.get_action(), ArgAction::Help | ArgAction::Version)
    };
    for arg in cmd.get_arguments().filter(shown) {
        if let Some(g) = groups.iter().find(|g| g.get_args().any(|id| id == arg.get_id())) {
            if !done.contains(&g.get_id().as_str()) {
                done.push(g.get_id().as_str());
                let members: Vec<String> = g
                    .get_args()
                    .filter_map(|id| cmd.get_arguments().find(|a| a.get_id() == id))
                    .map(arg_usage)
                    .collect();
                units.push(format!("({})", members.join(" | ")));
            }
            continue;
        }
        let mut u = arg_usage(arg);
        let repeat = matches!(arg.get_action(), ArgAction::Append);
        if arg.is_required_set() {
            if repeat && !arg.is_positional() {
                u += "…";
            }
        } else {
            u = format!("[{u}]");
            if repeat && !arg.is_positional() {
                u += "…";
            }
        }
        units.push(u);
    }
    wrap(&units, indent)
}

/// `--top <N>`, `--kind 回避|不再推荐`, `<文件>`, `experts|demands`, `<查询词>…`.
fn arg_usage(arg: &Arg) -> String {
    let values: Vec<PossibleValue> = arg.get_possible_values();
    let value = if !arg.get_action().takes_values() {
        None
    } else if !values.is_empty() {
        Some(values.iter().map(PossibleValue::get_name).collect::<Vec<_>>().join("|"))
    } else {
        let name = arg.get_value_names().and_then(|n| n.first()).map(ToString::to_string).unwrap_or_default();
        Some(format!("<{name}>"))
    };
    match (arg.get_long(), value) {
        (Some(long), Some(v)) => format!("--{long} {v}"),
        (Some(long), None) => format!("--{long}"),
        (None, Some(v)) if arg.is_positional() && matches!(arg.get_action(), ArgAction::Append) => format!("{v}…"),
        (None, Some(v)) => v,
        (None, None) => String::new(),
    }
}

/// Terminal columns of `s`: CJK and full-width characters take two.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF => 2,
            0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 => 2,
            0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// Joins `units` with spaces, starting a new line (with `indent`) before one that would pass [`WIDTH`].
fn wrap(units: &[String], indent: &str) -> String {
    let mut out = String::new();
    let mut col = 0;
    for u in units {
        let w = display_width(u);
        if col > 0 && col + 1 + w > WIDTH {
            out.push('\n');
            out.push_str(indent);
            col = display_width(indent);
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(u);
        col += w;
    }
    out
}

/// Rewrites the values of list options (those split on ',') so that `，` `、` `;` `；` split too,
/// and finds the subcommand path the words lead to (for the hint after an error).
fn prepare(cmd: &Command, args: impl IntoIterator<Item = OsString>) -> (Vec<OsString>, Vec<String>) {
    let is_list = |a: &Arg| a.get_value_delimiter() == Some(',');
    let mut cur = cmd;
    let mut path = Vec::new();
    let mut out = Vec::new();
    let mut it = args.into_iter().peekable();
    while let Some(word) = it.next() {
        let Some(s) = word.to_str() else {
            out.push(word);
            continue;
        };
        if s == "--" {
            out.push(word);
            out.extend(it);
            break;
        }
        if let Some(long) = s.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            let arg = cur.get_arguments().find(|a| a.get_long() == Some(name));
            match (arg, inline) {
                (Some(a), Some(v)) if is_list(a) => out.push(format!("--{name}={}", list_value(v)).into()),
                (Some(a), None) if a.get_action().takes_values() => {
                    out.push(word);
                    // Like clap, a following word that starts with '-' is not taken as the value.
                    if let Some(v) = it.next_if(|v| !v.to_str().is_some_and(|v| v.starts_with('-') && v.len() > 1)) {
                        out.push(match v.to_str() {
                            Some(s) if is_list(a) => list_value(s).into(),
                            _ => v,
                        });
                    }
                }
                _ => out.push(word),
            }
            continue;
        }
        if !s.starts_with('-')
            && let Some(sub) = cur.find_subcommand(s)
        {
            cur = sub;
            path.push(sub.get_name().to_string());
        }
        out.push(word);
    }
    (out, path)
}

fn list_value(v: &str) -> String {
    v.split([',', '，', ';', '；', '、']).map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(",")
}

/// `bole help …` anywhere: the words after it, prefixed by the subcommands before it.
fn help_request(matches: &clap::ArgMatches) -> Option<Vec<String>> {
    let mut m = matches;
    let mut words = Vec::new();
    while let Some((name, sub)) = m.subcommand() {
        if name == "help" {
            words.extend(sub.get_many::<String>("command").into_iter().flatten().cloned());
            return Some(words);
        }
        words.push(name.to_string());
        m = sub;
    }
    None
}

fn help_for(cmd: &mut Command, words: &[String]) -> ArgError {
    let mut cur = cmd;
    for (i, w) in words.iter().enumerate() {
        match cur.find_subcommand_mut(w) {
            Some(sub) => cur = sub,
            None => {
                let what = if i == 0 { "命令".to_string() } else { format!("{} 子命令", words[..i].join(" ")) };
                return usage_error(&format!("不认识的{what}：{w}"), &words[..i]);
            }
        }
    }
    ArgError { message: cur.render_help().to_string().trim_end().to_string(), code: EXIT_OK }
}

fn usage_error(sentence: &str, path: &[String]) -> ArgError {
    let cmd = if path.is_empty() { String::new() } else { format!(" {}", path.join(" ")) };
    ArgError { message: format!("{sentence}（用 bole{cmd} --help 查看用法）"), code: EXIT_USAGE }
}

fn version() -> String {
    format!("bole {}（{PROGRAM}）", env!("CARGO_PKG_VERSION"))
}

/// `--top <N>` → `--top`; `<文件>` → `文件`; `<文件>...` → `文件`.
fn arg_name(display: &str) -> String {
    if display.starts_with('-') {
        return display.split(' ').next().unwrap_or(display).to_string();
    }
    display.trim_end_matches("...").trim_start_matches('<').trim_end_matches('>').to_string()
}

/// `a`, `a 或 b`, `a、b 或 c`.
fn either(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} 或 {last}", init.join("、")),
    }
}

fn strings(v: Option<&ContextValue>) -> Vec<String> {
    match v {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(s)) => s.clone(),
        _ => Vec::new(),
    }
}

/// "--top 应为 1 到 1000 的整数，而不是“0”", or "--top 后面需要一个值".
fn invalid_value(err: &clap::Error) -> String {
    let get = |k: ContextKind| strings(err.get(k));
    let first = |k: ContextKind| get(k).into_iter().next().unwrap_or_default();
    let arg = first(ContextKind::InvalidArg);
    let value = first(ContextKind::InvalidValue);
    let valid = get(ContextKind::ValidValue);
    let expected = if !valid.is_empty() {
        format!("应为 {}", either(&valid))
    } else if let Some(source) = std::error::Error::source(err) {
        source.to_string()
    } else {
        "的值不对".to_string()
    };
    if value.is_empty() {
        let hint = if valid.is_empty() { String::new() } else { format!("（{}）", either(&valid)) };
        return format!("{} 后面需要一个值{hint}", arg_name(&arg));
    }
    // A positional's name is glued to the sentence ("种类应为 …"), an option's is not.
    let name = arg_name(&arg);
    let subject = if name.starts_with('-') { format!("{name} ") } else { name };
    let suggestion = match get(ContextKind::SuggestedValue).as_slice() {
        [] => String::new(),
        s => format!("，是不是 {}？", either(s)),
    };
    format!("{subject}{expected}，而不是“{value}”{suggestion}")
}

/// "缺少 --expert" (a required group: "缺少 --demand、--expert 或 --all 中的一个").
fn missing_required(args: &[String]) -> String {
    let mut parts = Vec::new();
    for a in args {
        // A required group comes as `<--demand <编号>|--expert <编号>|--all>`.
        if let Some(inner) = a.strip_prefix("<-").and_then(|s| s.strip_suffix('>')) {
            let names: Vec<String> = format!("-{inner}").split('|').map(arg_name).collect();
            parts.push(format!("{} 中的一个", either(&names)));
        } else {
            parts.push(a.clone());
        }
    }
    format!("缺少 {}", parts.join("、"))
}

/// A clap error as one Chinese sentence and a hint (usage), or the help/version text (code 0).
fn translate(err: &clap::Error, path: &[String]) -> ArgError {
    let get = |k: ContextKind| strings(err.get(k));
    let first = |k: ContextKind| get(k).into_iter().next().unwrap_or_default();
    let suggestion = |k: ContextKind| match get(k).as_slice() {
        [] => String::new(),
        s => format!("，是不是 {}？", either(s)),
    };
    let sentence = match err.kind() {
        ErrorKind::DisplayHelp => {
            return ArgError { message: err.to_string().trim_end().to_string(), code: EXIT_OK };
        }
        ErrorKind::DisplayVersion => return ArgError { message: version(), code: EXIT_OK },
        ErrorKind::UnknownArgument => {
            let arg = first(ContextKind::InvalidArg);
            let what = if arg.starts_with('-') { "不认识的选项" } else { "多余的参数" };
            format!("{what}：{arg}{}", suggestion(ContextKind::SuggestedArg))
        }
        ErrorKind::InvalidSubcommand => {
            let sub = first(ContextKind::InvalidSubcommand);
            let what = if path.is_empty() { "命令".to_string() } else { format!(" {} 子命令", path.join(" ")) };
            format!("不认识的{what}：{sub}{}", suggestion(ContextKind::SuggestedSubcommand))
        }
        ErrorKind::MissingSubcommand => {
            let subs: Vec<String> = get(ContextKind::ValidSubcommand).into_iter().filter(|s| s != "help").collect();
            let after = path.last().map(String::as_str).unwrap_or("bole");
            format!("{after} 后面需要子命令：{}", either(&subs))
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => invalid_value(err),
        ErrorKind::MissingRequiredArgument => missing_required(&get(ContextKind::InvalidArg)),
        ErrorKind::ArgumentConflict => {
            let arg = arg_name(&first(ContextKind::InvalidArg));
            let prior: Vec<String> = get(ContextKind::PriorArg).iter().map(|p| arg_name(p)).collect();
            if prior.is_empty() || prior == [arg.clone()] {
                format!("{arg} 只能写一次")
            } else {
                format!("{arg} 不能与 {} 同时使用", either(&prior))
            }
        }
        ErrorKind::TooManyValues => format!(
            "{} 只需要一个值，多出了“{}”",
            arg_name(&first(ContextKind::InvalidArg)),
            first(ContextKind::InvalidValue)
        ),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{} 的值的个数不对", arg_name(&first(ContextKind::InvalidArg)))
        }
        ErrorKind::NoEquals => {
            let arg = arg_name(&first(ContextKind::InvalidArg));
            format!("{arg} 应写成 {arg}=值")
        }
        ErrorKind::InvalidUtf8 => "参数中有无法识别的字符（不是 UTF-8 文字）".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    usage_error(&sentence, path)
}

// ------------------------------------------------------------------------------- README

/// The command list for README.md (between `<!-- usage:start -->` and `<!-- usage:end -->`):
/// every command's usage line and its one-line summary, then the exit codes.
pub fn usage_markdown() -> String {
    let cmd = command();
    let mut lines = vec!["```text".to_string(), "bole [--db <路径>]".to_string(), format!("    {GUI_SUMMARY}")];
    leaves(&cmd, &[], &mut lines);
    lines.push("```".into());
    lines.push(String::new());
    lines.push("| 退出码 | 含义 |".into());
    lines.push("|---|---|".into());
    lines.extend(EXIT_CODES.iter().map(|(c, m)| format!("| {c} | {m} |")));
    lines.join("\n") + "\n"
}

fn leaves(cmd: &Command, path: &[String], out: &mut Vec<String>) {
    for sub in cmd.get_subcommands() {
        let mut p = path.to_vec();
        p.push(sub.get_name().to_string());
        if sub.has_subcommands() {
            leaves(sub, &p, out);
        } else if sub.get_name() != "help" || path.is_empty() {
            out.push(usage_line(sub, &p, "      "));
            out.push(format!("    {}", sub.get_about().map(ToString::to_string).unwrap_or_default()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn definitions_are_consistent() {
        command().debug_assert();
    }

    #[test]
    fn list_values_split_on_chinese_separators_only_for_list_options() {
        let mut cmd = command();
        cmd.build();
        let (args, path) = prepare(
            &cmd,
            os(&[
                "meeting",
                "create",
                "--name",
                "甲、乙",
                "--demands",
                "D1，D2、 D3",
                "--experts=E1；E2",
                "--subfield",
                "x",
            ]),
        );
        assert_eq!(path, ["meeting", "create"]);
        assert_eq!(
            args,
            os(&[
                "meeting",
                "create",
                "--name",
                "甲、乙",
                "--demands",
                "D1,D2,D3",
                "--experts=E1,E2",
                "--subfield",
                "x"
            ])
        );
        // `--demands` of eval is a file, not a list.
        let (args, path) = prepare(&cmd, os(&["eval", "--demands", "需求、2.csv"]));
        assert_eq!(path, ["eval"]);
        assert_eq!(args, os(&["eval", "--demands", "需求、2.csv"]));
    }

    #[test]
    fn display_width_counts_cjk_double() {
        assert_eq!(display_width("bole"), 4);
        assert_eq!(display_width("<路径>"), 6);
        assert_eq!(display_width("（默认）"), 8);
    }

    #[test]
    fn wrap_breaks_between_units() {
        let units: Vec<String> = (0..30).map(|i| format!("[--option-{i}]")).collect();
        let text = wrap(&units, "      ");
        assert!(text.lines().count() > 1);
        assert!(text.lines().all(|l| display_width(l) <= WIDTH), "{text}");
        assert!(text.lines().skip(1).all(|l| l.starts_with("      [")), "{text}");
    }

    #[test]
    fn int_parser_messages() {
        let top = int(1usize, Some(1000));
        assert_eq!(top("5"), Ok(5));
        assert_eq!(top(" 7 "), Ok(7));
        assert_eq!(top("0").unwrap_err(), "应为 1 到 1000 的整数");
        assert_eq!(int(0u32, None)("-1").unwrap_err(), "应为非负整数");
        assert_eq!(int(1u32, None)("0").unwrap_err(), "应为不小于 1 的整数");
    }

    #[test]
    fn pair_like_values() {
        assert_eq!(pair("D1：E2"), Ok(Pair { demand: "D1".into(), expert: "E2".into() }));
        assert!(pair("D1E2").is_err() && pair(":E2").is_err());
        assert_eq!(cap("E1=0"), Ok(Cap { expert: "E1".into(), meetings: 0 }));
        assert!(cap("E1=x").is_err());
        assert_eq!(bounds("XQ2024-001=2-3"), Ok(Bounds { demand: "XQ2024-001".into(), min: 2, max: 3 }));
        assert!(bounds("XQ2024-001=3-2").is_err());
        let p = place("D1:E2=3/5").unwrap();
        assert_eq!((p.slot, p.table, p.to_string()), (3, 5, "D1:E2=3/5".to_string()));
        assert!(place("D1:E2=0/5").is_err());
    }
}
