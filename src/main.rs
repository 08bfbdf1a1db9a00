//! `bole` with no command opens the desktop app (on `--db PATH`, `BOLE_DB` or the per-user
//! database; the demo data is loaded when it is empty); with a command it is the CLI.
//!
//! On Windows the program is built for the GUI subsystem (no console window opens with the app);
//! CLI commands attach to the console of the program that started them (cmd, PowerShell), so
//! their output still appears there.
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::ffi::OsString;

fn main() {
    log_panics();
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if let Ok(bole::cli::args::Cli { db, command: None }) = bole::cli::args::parse(args.clone()) {
        let db = db.unwrap_or_else(bole::store::default_db_path);
        if bole::app::run(db).is_err() {
            attach_console();
            eprintln!("错误：{}", bole::text::GUI_FAILED);
            std::process::exit(1);
        }
        return;
    }
    attach_console();
    // stderr is not held locked: worker threads may write to it (BOLE_PROFILE timings) while a
    // command runs.
    let run = std::panic::catch_unwind(|| bole::cli::run(args, &mut std::io::stdout().lock(), &mut std::io::stderr()));
    let code = run.unwrap_or_else(|_| {
        eprintln!("错误：{}（详情已记录在 {}）", bole::text::INTERNAL_ERROR, panic_log().display());
        bole::cli::args::EXIT_FAILED
    });
    std::process::exit(code);
}

/// Where panics are recorded: `bole-errors.log` in the data folder.
fn panic_log() -> std::path::PathBuf {
    bole::store::data_dir().join("bole-errors.log")
}

/// Panics (a bug, or a damaged file that a library did not expect) are written to the log file
/// instead of English on the console; the ones caught inside (a damaged index) are recovered
/// from, the others end the command with one Chinese line.
fn log_panics() {
    std::panic::set_hook(Box::new(|info| {
        use std::io::Write;
        let path = panic_log();
        let _ = path.parent().map(std::fs::create_dir_all);
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(&path) {
            let at = jiff::Zoned::now().strftime("%Y-%m-%d %H:%M:%S").to_string();
            let thread = std::thread::current().name().unwrap_or("?").to_string();
            let _ = writeln!(f, "[{at}] {} {thread}: {info}", env!("CARGO_PKG_VERSION"));
        }
        if std::env::var_os("BOLE_DEBUG").is_some() {
            eprintln!("{info}");
        }
    }));
}

/// Windows: a GUI-subsystem program has no console; attach to the parent's, if any, so CLI
/// output reaches the user. Standard handles that were redirected (to a file or pipe) stay as they are.
#[cfg(windows)]
#[allow(unsafe_code)]
fn attach_console() {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn AttachConsole(process_id: u32) -> i32;
    }
    const ATTACH_PARENT_PROCESS: u32 = u32::MAX;
    // SAFETY: AttachConsole takes a plain process id and only fails (returns 0) when there is no
    // parent console or one is already attached; both are fine to ignore.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

#[cfg(not(windows))]
fn attach_console() {}
