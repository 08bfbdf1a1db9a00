//! `bole` with no command opens the desktop app (on `--db PATH`, `BOLE_DB` or the per-user
//! database; the demo data is loaded when it is empty); with a command it is the CLI.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let gui_db = match args.as_slice() {
        [] => Some(bole::store::default_db_path()),
        [flag, path] if flag == "--db" => Some(std::path::PathBuf::from(path)),
        _ => None,
    };
    if let Some(db) = gui_db {
        if let Err(e) = bole::app::run(db) {
            eprintln!("错误：{e}");
            std::process::exit(1);
        }
        return;
    }
    let code = bole::cli::run(&args, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    std::process::exit(code);
}
