//! `bole` with no command opens the desktop app (on `--db PATH`, `BOLE_DB` or the per-user
//! database; the demo data is loaded when it is empty); with a command it is the CLI.
//!
//! On Windows the program is built for the GUI subsystem (no console window opens with the app);
//! CLI commands attach to the console of the program that started them (cmd, PowerShell), so
//! their output still appears there.
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::ffi::OsString;

fn main() {
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
    let code = bole::cli::run(args, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    std::process::exit(code);
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
