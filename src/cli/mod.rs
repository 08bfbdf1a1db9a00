//! The command line: the same store and import functions as the GUI, for batch work and scripts.
//! Messages are Chinese; a failure prints one clear sentence to stderr and exits non-zero.
//! JSON output names records by their external ids (编号).

pub mod args;
mod commands;
mod meeting;

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::domain::Taxonomy;
use crate::engine::Core;
use crate::io::import;
use crate::io::{ImportPlan, ListKind, export, table};
use crate::store;

pub const USAGE: &str = "\
伯乐 · 专家与企业需求对接

用法：
  bole [--db 路径] import experts|demands 文件 [--dry-run] [--rejected-out 文件.xlsx] [--merge-duplicates]
        导入专家人才库或企业技术需求清单（.xlsx/.xls/.ods/.csv）；--dry-run 只预览不写入
  bole [--db 路径] list experts|demands [--json]
        列出专家或需求（--json 输出 JSON，使用文件中的编号）
  bole [--db 路径] demo
        载入内置演示数据（虚构）
  bole [--db 路径] search 查询词 [--subfield 编码] [--demands] [--top N] [--json]
        全文检索专家（或 --demands 检索需求），显示命中的词
  bole [--db 路径] match --demand 编号|--expert 编号|--all [--top N] [--json]
        为需求推荐专家（或为专家推荐需求），附匹配度与匹配理由；--all 为全部在办需求逐行输出 JSON
  bole eval --experts E.csv --demands D.csv --qrels Q.csv [--top 10]
        在临时数据库中导入两张清单，匹配每条需求，输出 Recall@10、MRR@10、nDCG@10
  bole [--db 路径] exclude --expert 编号 (--demand 编号|--enterprise 企业名称) [--kind 回避|不再推荐] [--remove]
        标记（或取消）专家与企业之间的回避/不再推荐，此后不会再推荐
  bole [--db 路径] available --expert 编号 yes|no
        标记专家可约/暂不可约（暂不可约的专家不会被推荐）
  bole [--db 路径] reindex
        从数据库重建搜索索引
  bole [--db 路径] meeting create --name 名称 [--date 2026-12-05] [--venue 地点] [--time 9:00-11:30] [--slot 20]
        [--tables 12] [--demands D001,D002|--subfield 细分领域] [--max-demands 30] [--experts E001,…]
        [--auto-experts 60] [--min 1] [--max 3] [--cap 3] [--min-score 30] [--avoid-previous] [--no-recorded]
        新建对接会：选需求（默认全部在办需求）和专家（可自动推荐），设定时段、桌数与配对规则
  bole [--db 路径] meeting list|show 对接会 [--json]
  bole [--db 路径] meeting assign 对接会 [--add D:E] [--lock D:E] [--unlock D:E] [--remove D:E]
        [--cap 专家编号=场数] [--bounds 需求编号=下限-上限]
        在上下限、专家上限与回避规则下求总匹配度最高的配对；锁定/指定的配对保留，其余重新优化
  bole [--db 路径] meeting schedule 对接会 [--place D:E=时段/桌号]
        排时段与桌号：专家和企业不会同时出现在两处，企业尽量固定一张桌
  bole [--db 路径] meeting export 对接会 --out 文件 [--format xlsx|pdf|csv] [--no-contacts]
        导出对接表（总表、企业对接表、专家日程）；--no-contacts 不含电话和邮箱
  bole [--db 路径] meeting delete 对接会
  bole help
        显示本说明

数据库位置：--db 指定，或环境变量 BOLE_DB，否则为用户数据目录下的 Bole/bole.db
（Windows：%APPDATA%\\Bole\\bole.db）。";

/// A CLI failure: the message for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure { message, code: 1 }
    }
}

fn usage_error(message: impl Into<String>) -> Failure {
    Failure { message: format!("{}\n\n{USAGE}", message.into()), code: 2 }
}

/// Parsed global options and the remaining words.
struct Args {
    db: Option<PathBuf>,
    words: Vec<String>,
}

fn parse_global(args: &[String]) -> Result<Args, Failure> {
    let mut db = None;
    let mut words = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--db" {
            db = Some(PathBuf::from(it.next().ok_or_else(|| usage_error("--db 后面需要数据库文件路径"))?));
        } else if let Some(p) = a.strip_prefix("--db=") {
            db = Some(PathBuf::from(p));
        } else {
            words.push(a.clone());
        }
    }
    Ok(Args { db, words })
}

/// Takes `--flag` out of `words`, returning whether it was there.
fn take_flag(words: &mut Vec<String>, flag: &str) -> bool {
    let before = words.len();
    words.retain(|w| w != flag);
    words.len() != before
}

/// Takes `--opt VALUE` out of `words`.
fn take_value(words: &mut Vec<String>, opt: &str) -> Result<Option<String>, Failure> {
    if let Some(i) = words.iter().position(|w| w == opt) {
        if i + 1 >= words.len() {
            return Err(usage_error(format!("{opt} 后面需要一个值")));
        }
        let v = words.remove(i + 1);
        words.remove(i);
        return Ok(Some(v));
    }
    Ok(None)
}

fn no_more(words: &[String]) -> Result<(), Failure> {
    match words.first() {
        Some(w) if w.starts_with("--") => Err(usage_error(format!("不认识的选项：{w}"))),
        Some(w) => Err(usage_error(format!("多余的参数：{w}"))),
        None => Ok(()),
    }
}

fn list_kind(word: Option<&String>) -> Result<ListKind, Failure> {
    match word.map(String::as_str) {
        Some("experts" | "expert" | "专家") => Ok(ListKind::Experts),
        Some("demands" | "demand" | "需求") => Ok(ListKind::Demands),
        Some(other) => Err(usage_error(format!("应为 experts 或 demands，而不是“{other}”"))),
        None => Err(usage_error("缺少 experts 或 demands")),
    }
}

/// Runs the CLI with `args` (without the program name). Returns the exit code.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match dispatch(args, out, err) {
        Ok(()) => 0,
        Err(f) => {
            let _ = writeln!(err, "错误：{}", f.message);
            f.code
        }
    }
}

fn open_db(db: Option<PathBuf>, taxonomy: &Taxonomy) -> Result<Connection, Failure> {
    let path = db.unwrap_or_else(store::default_db_path);
    Ok(store::open(&path, taxonomy)?)
}

fn dispatch(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
    let Args { db, mut words } = parse_global(args)?;
    if words.is_empty() {
        return Err(usage_error("缺少命令"));
    }
    let cmd = words.remove(0);
    let taxonomy = Taxonomy::builtin();
    let w = |r: std::io::Result<()>| r.map_err(|e| Failure::from(format!("输出失败：{e}")));
    match cmd.as_str() {
        "help" | "--help" | "-h" => w(writeln!(out, "{USAGE}")),
        "import" => {
            let kind = list_kind(words.first())?;
            words.remove(0);
            let dry = take_flag(&mut words, "--dry-run");
            let merge = take_flag(&mut words, "--merge-duplicates");
            let rejected_out = take_value(&mut words, "--rejected-out")?;
            if words.is_empty() {
                return Err(usage_error("缺少要导入的文件"));
            }
            let file = PathBuf::from(words.remove(0));
            no_more(&words)?;
            let mut core = if dry { None } else { Some(open_core(db.clone())?) };
            let conn_owned;
            let conn: &Connection = match &core {
                Some(c) => &c.conn,
                None => {
                    conn_owned = open_db(db, &taxonomy)?;
                    &conn_owned
                }
            };
            let taxonomy = core.as_ref().map(|c| c.knowledge.taxonomy.clone()).unwrap_or(taxonomy);
            let plan = plan_file(conn, &taxonomy, &file, kind)?;
            w(write!(out, "{}", plan.report()))?;
            if let Some(p) = rejected_out {
                if plan.rejected.is_empty() {
                    w(writeln!(out, "没有被拒绝的行，未生成 {p}"))?;
                } else {
                    export::save_rejected_rows(&plan, Path::new(&p))?;
                    w(writeln!(out, "已将 {} 个被拒绝的行保存到 {p}（修改后可再次导入）", plan.rejected.len()))?;
                }
            }
            if dry {
                return w(writeln!(out, "（预览，未写入数据库）"));
            }
            let core = core.as_mut().expect("opened when not a dry run");
            let c = commit_plan(core, &plan, merge, err)?;
            w(writeln!(
                out,
                "导入完成：新增 {}，更新 {}，未变化 {}，拒绝 {}",
                c.added, c.updated, c.unchanged, c.rejected
            ))
        }
        "list" => {
            let kind = list_kind(words.first())?;
            words.remove(0);
            let json = take_flag(&mut words, "--json");
            no_more(&words)?;
            let conn = open_db(db, &taxonomy)?;
            list(&conn, &taxonomy, kind, json, out)
        }
        "demo" => {
            no_more(&words)?;
            let mut core = open_core(db)?;
            let (e, d) = load_demo(&mut core, err)?;
            w(writeln!(
                out,
                "已载入演示数据（虚构）：专家 新增 {} / 更新 {}；需求 新增 {} / 更新 {}",
                e.added, e.updated, d.added, d.updated
            ))
        }
        "search" => commands::search(open_core(db)?, words, out),
        "match" => commands::matches(open_core(db)?, words, out),
        "eval" => commands::eval(words, out, err),
        "exclude" => commands::exclude(open_core(db)?, words, out),
        "available" => commands::available(open_core(db)?, words, out),
        "meeting" => meeting::run(open_core(db)?, words, out),
        "reindex" => {
            no_more(&words)?;
            let mut core = open_core(db)?;
            let n = core.reindex()?;
            w(writeln!(out, "已重建搜索索引：{n} 条记录"))
        }
        other => Err(usage_error(format!("不认识的命令：{other}"))),
    }
}

fn open_core(db: Option<PathBuf>) -> Result<Core, Failure> {
    let path = db.unwrap_or_else(store::default_db_path);
    Ok(Core::open(&path)?)
}

/// Reads a file and plans its import.
pub fn plan_file(conn: &Connection, taxonomy: &Taxonomy, file: &Path, kind: ListKind) -> Result<ImportPlan, String> {
    let tables = table::read_path(file)?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    import::plan(conn, taxonomy, &tables, kind, &name)
}

fn commit_plan(core: &mut Core, plan: &ImportPlan, merge: bool, err: &mut dyn Write) -> Result<import::Counts, String> {
    let mut progress = |done: usize, total: usize| {
        let _ = writeln!(err, "已写入 {done}/{total} 行");
    };
    core.commit_import(plan, merge, &mut progress, None)
}

/// Imports the built-in demo workbooks (idempotent: a second run updates nothing).
pub fn load_demo(core: &mut Core, err: &mut dyn Write) -> Result<(import::Counts, import::Counts), String> {
    let mut counts = Vec::new();
    for (bytes, name, kind) in [
        (crate::demo::EXPERTS_XLSX, crate::demo::EXPERTS_FILE, ListKind::Experts),
        (crate::demo::DEMANDS_XLSX, crate::demo::DEMANDS_FILE, ListKind::Demands),
    ] {
        let tables = table::read_bytes(bytes, name)?;
        let plan = import::plan(&core.conn, &core.knowledge.taxonomy, &tables, kind, name)?;
        counts.push(commit_plan(core, &plan, false, err)?);
    }
    Ok((counts[0], counts[1]))
}

fn list(
    conn: &Connection,
    taxonomy: &Taxonomy,
    kind: ListKind,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let db = |e: rusqlite::Error| Failure::from(format!("读取数据库失败：{e}"));
    let io = |e: std::io::Error| Failure::from(format!("输出失败：{e}"));
    let names = |codes: &[String]| codes.iter().map(|c| taxonomy.name(c).unwrap_or(c)).collect::<Vec<_>>().join("、");
    match kind {
        ListKind::Experts => {
            let experts = store::list_experts(conn).map_err(db)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &experts).map_err(|e| Failure::from(e.to_string()))?;
                writeln!(out).map_err(io)?;
            } else {
                writeln!(out, "编号\t姓名\t单位\t职称\t新材料细分领域").map_err(io)?;
                for e in &experts {
                    writeln!(out, "{}\t{}\t{}\t{}\t{}", e.ext_id, e.name, e.institution, e.title, names(&e.subfields))
                        .map_err(io)?;
                }
                writeln!(out, "共 {} 位专家", experts.len()).map_err(io)?;
            }
        }
        ListKind::Demands => {
            let demands = store::list_demands(conn).map_err(db)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &demands).map_err(|e| Failure::from(e.to_string()))?;
                writeln!(out).map_err(io)?;
            } else {
                writeln!(out, "编号\t企业\t需求名称\t状态\t细分领域").map_err(io)?;
                for d in &demands {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}",
                        d.ext_id,
                        d.enterprise,
                        d.title,
                        d.status.label(),
                        names(&d.subfields)
                    )
                    .map_err(io)?;
                }
                writeln!(out, "共 {} 条需求", demands.len()).map_err(io)?;
            }
        }
    }
    Ok(())
}
