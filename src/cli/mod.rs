//! The command line: the same engine operations as the GUI, for batch work and scripts. The
//! arguments are defined in [`args`] (clap, Chinese help and errors); each command is one
//! function over [`Core`]. A failure prints one Chinese sentence to stderr and exits with a
//! documented code ([`args::EXIT_CODES`]). JSON output names records by their 编号.

pub mod args;
mod commands;
mod eval;
mod eval_classify;
mod followup;
pub mod followup_args;
mod meeting;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use args::{Cli, Cmd, EXIT_FAILED, EXIT_OUTPUT};

use crate::engine::{Core, EngineError};

/// A CLI failure: the message for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Self {
        Failure { message: crate::text::error(&e), code: EXIT_FAILED }
    }
}

impl From<std::io::Error> for Failure {
    /// Writing the output failed (stdout closed, disk full): whatever the command did is done.
    fn from(e: std::io::Error) -> Self {
        Failure {
            message: format!("结果无法输出（命令本身已完成）：{}", crate::text::io_reason(&e)),
            code: EXIT_OUTPUT,
        }
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        match e.io_error_kind() {
            Some(kind) => std::io::Error::from(kind).into(),
            None => Failure { message: "生成 JSON 失败".into(), code: EXIT_FAILED },
        }
    }
}

/// The result of a command.
pub type Result<T = ()> = std::result::Result<T, Failure>;

/// Runs the CLI with `args` (without the program name). Returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let cli = match args::parse(args) {
        Ok(cli) => cli,
        Err(e) if e.code == 0 => {
            // --help or --version.
            return match writeln!(out, "{}", e.message) {
                Ok(()) => 0,
                Err(_) => EXIT_OUTPUT,
            };
        }
        Err(e) => {
            let _ = writeln!(err, "错误：{}", e.message);
            return e.code;
        }
    };
    match dispatch(cli, out, err) {
        Ok(()) => 0,
        Err(f) => {
            let _ = writeln!(err, "错误：{}", f.message);
            f.code
        }
    }
}

/// The database a command works on: `--db`, else `BOLE_DB`, else the per-user one.
fn db_path(db: Option<PathBuf>) -> PathBuf {
    db.unwrap_or_else(crate::engine::default_db_path)
}

fn open(db: Option<PathBuf>) -> Result<Core> {
    let path = db_path(db);
    if path.as_os_str().is_empty() {
        return Err(Failure {
            message: "数据库路径为空：请在 --db 后给出文件路径，例如 --db 伯乐.db".into(),
            code: args::EXIT_USAGE,
        });
    }
    Ok(Core::open(&path)?)
}

fn dispatch(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result {
    let Cli { db, command } = cli;
    let Some(command) = command else {
        return Err(Failure {
            message: "缺少命令（不带命令运行 bole 会打开桌面程序）".into(), code: args::EXIT_USAGE
        });
    };
    if let Cmd::Eval(a) = &command {
        return eval::run(a, out, err);
    }
    let mut core = open(db)?;
    let result = run_on(&mut core, command, out, err);
    // Said once, after the command's own output: what happened besides it.
    let mut index_pending = false;
    for n in core.take_notices() {
        index_pending |= matches!(n, crate::engine::Notice::IndexNotUpdated(_));
        let _ = writeln!(err, "注意：{}", crate::text::notice(&n));
    }
    match result {
        Ok(()) if index_pending => Err(Failure {
            message: "数据已写入数据库；搜索索引未能更新，下次使用时自动重建".into(),
            code: args::EXIT_INDEX_PENDING,
        }),
        r => r,
    }
}

fn run_on(core: &mut Core, command: Cmd, out: &mut dyn Write, err: &mut dyn Write) -> Result {
    match command {
        Cmd::Import(a) => commands::import(core, &a, out, err),
        Cmd::List(a) => commands::list(core, &a, out),
        Cmd::Demo(a) if a.clear => commands::clear_demo(core, out),
        Cmd::Demo(_) => commands::demo(core, out, err),
        Cmd::Export(a) => commands::export(core, &a, out),
        Cmd::Backup(a) => commands::backup(core, &a, out),
        Cmd::Backups(a) => commands::backups(core, &a, out),
        Cmd::Restore(a) => commands::restore(core, &a, out),
        Cmd::Log(a) => commands::log(core, &a, out),
        Cmd::Undo(a) => commands::undo(core, &a, out),
        Cmd::Search(a) => commands::search(core, &a, out),
        Cmd::Match(a) => commands::matches(core, &a, out),
        Cmd::Classify(a) => commands::classify(core, &a, out),
        Cmd::Score(a) => commands::score(core, &a, out),
        Cmd::Eval(a) => eval::run(&a, out, err),
        Cmd::Exclude(a) => commands::exclude(core, &a, out),
        Cmd::Available(a) => commands::available(core, &a, out),
        Cmd::Reindex => {
            let n = core.reindex()?;
            writeln!(out, "已重建搜索索引：{n} 条记录")?;
            Ok(())
        }
        Cmd::Meeting(m) => meeting::run(core, m, out),
        Cmd::Pairing(c) => followup::pairing(core, c, out),
        Cmd::Service(c) => followup::service(core, c, out),
        Cmd::Outcome(c) => followup::outcome(core, c, out),
        Cmd::Target(c) => followup::target(core, c, out),
        Cmd::Stats(a) => followup::stats(core, &a, out),
        Cmd::Report(a) => followup::report(core, &a, out),
        Cmd::Knowledge(args::KnowledgeCmd::Export { dir }) => {
            let files = core.export_knowledge(&dir)?.len();
            writeln!(out, "{}", crate::text::done(&crate::engine::Done::KnowledgeExported { dir, files }))?;
            Ok(())
        }
        Cmd::Knowledge(args::KnowledgeCmd::Import { dir }) => {
            let changed = core.import_knowledge(&dir, &mut |_, _| {})?;
            writeln!(out, "{}", crate::text::knowledge_changed(&changed))?;
            Ok(())
        }
    }
}
