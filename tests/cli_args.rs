//! The argument definitions (`bole::cli::args`): every command parses from a realistic command
//! line, flags go in any order, help/version are Chinese and exit 0, usage errors are Chinese
//! sentences with exit code 2, and README.md carries the generated command list.

use std::ffi::OsString;
use std::path::PathBuf;

use bole::cli::args::*;

fn parse_ok(args: &[&str]) -> Cli {
    match parse(args.iter().map(OsString::from)) {
        Ok(cli) => cli,
        Err(e) => panic!("{args:?} → code {}: {}", e.code, e.message),
    }
}

fn parse_err(args: &[&str]) -> ArgError {
    match parse(args.iter().map(OsString::from)) {
        Ok(cli) => panic!("{args:?} parsed: {cli:?}"),
        Err(e) => e,
    }
}

fn cmd(args: &[&str]) -> Cmd {
    parse_ok(args).command.expect("a command")
}

fn meeting(args: &[&str]) -> MeetingCmd {
    match cmd(args) {
        Cmd::Meeting(m) => m,
        other => panic!("{other:?}"),
    }
}

fn usage_error(args: &[&str]) -> String {
    let e = parse_err(args);
    assert_eq!(e.code, 2, "{args:?}: {}", e.message);
    assert!(e.message.contains("查看用法）"), "{}", e.message);
    e.message
}

// ----------------------------------------------------------------------- one per command

#[test]
fn import() {
    let Cmd::Import(i) =
        cmd(&["import", "demands", "需求 清单.xlsx", "--rejected-out", "退回.xlsx", "--merge-duplicates"])
    else {
        panic!()
    };
    assert_eq!(i.kind, ImportKind::Demands);
    assert_eq!(i.file, PathBuf::from("需求 清单.xlsx"));
    assert_eq!(i.rejected_out, Some(PathBuf::from("退回.xlsx")));
    assert!(i.merge_duplicates && !i.dry_run);
    for (word, kind) in
        [("对接", ImportKind::Pairings), ("pairings", ImportKind::Pairings), ("专家", ImportKind::Experts)]
    {
        let Cmd::Import(i) = cmd(&["import", word, "f.xlsx"]) else { panic!() };
        assert_eq!(i.kind, kind);
    }
}

#[test]
fn score_and_classify() {
    let Cmd::Score(s) = cmd(&["score", "--demand", "D1", "--expert", "E1", "--json"]) else { panic!() };
    assert_eq!((s.demand.as_str(), s.expert.as_str(), s.json), ("D1", "E1", true));
    usage_error(&["score", "--demand", "D1"]);
    let Cmd::Classify(c) = cmd(&["classify", "--kind", "需求"]) else { panic!() };
    assert_eq!(c.kind, Records::Demands);
    assert!(!c.all && !c.json);
}

#[test]
fn list() {
    let Cmd::List(l) = cmd(&["list", "专家", "--json"]) else { panic!() };
    assert_eq!((l.kind, l.json), (Records::Experts, true));
    let Cmd::List(l) = cmd(&["list", "demand"]) else { panic!() };
    assert_eq!((l.kind, l.json), (Records::Demands, false));
}

#[test]
fn demo_and_reindex() {
    assert_eq!(cmd(&["demo"]), Cmd::Demo(bole::cli::args::Demo { clear: false }));
    assert_eq!(cmd(&["demo", "--clear"]), Cmd::Demo(bole::cli::args::Demo { clear: true }));
    assert_eq!(
        cmd(&["restore", "备份.db"]),
        Cmd::Restore(bole::cli::args::Restore { file: std::path::PathBuf::from("备份.db") })
    );
    assert_eq!(cmd(&["reindex"]), Cmd::Reindex);
}

#[test]
fn search() {
    let Cmd::Search(s) = cmd(&["search", "碳化硅", "--subfield", "FL01", "外延", "缺陷", "--top", "5", "--demands"])
    else {
        panic!()
    };
    assert_eq!(s.text(), "碳化硅 外延 缺陷");
    assert_eq!(s.subfield.as_deref(), Some("FL01"));
    assert_eq!((s.top, s.demands, s.json), (5, true, false));
    let Cmd::Search(s) = cmd(&["search", "稀土"]) else { panic!() };
    assert_eq!(s.top, 20, "default");
}

#[test]
fn match_targets() {
    let Cmd::Match(m) = cmd(&["match", "--demand", "XQ2024-001", "--json"]) else { panic!() };
    assert_eq!((m.target(), m.top, m.json), (MatchTarget::Demand("XQ2024-001".into()), 10, true));
    let Cmd::Match(m) = cmd(&["match", "--top", "3", "--expert", "ZJ0026"]) else { panic!() };
    assert_eq!((m.target(), m.top), (MatchTarget::Expert("ZJ0026".into()), 3));
    let Cmd::Match(m) = cmd(&["match", "--all"]) else { panic!() };
    assert_eq!(m.target(), MatchTarget::All);
}

#[test]
fn eval() {
    let Cmd::Eval(e) =
        cmd(&["eval", "--qrels", "q.csv", "--experts", "e.csv", "--demands", "d.csv", "--misses", "--top", "5"])
    else {
        panic!()
    };
    assert_eq!((e.experts, e.demands, e.qrels), (Some("e.csv".into()), Some("d.csv".into()), Some("q.csv".into())));
    assert_eq!((e.top, e.misses), (5, true));
    let Cmd::Eval(e) = cmd(&["eval", "sets/a", "sets/b"]) else { panic!() };
    assert_eq!(e.sets, vec![PathBuf::from("sets/a"), PathBuf::from("sets/b")]);
    usage_error(&["eval"]);
    usage_error(&["eval", "--experts", "e.csv"]);
}

#[test]
fn exclude() {
    let Cmd::Exclude(x) =
        cmd(&["exclude", "--expert", "ZJ0001", "--enterprise", "厦门钨业", "--kind", "不再推荐", "--note", "已合作"])
    else {
        panic!()
    };
    assert_eq!(x.enterprise_ref(), EnterpriseRef::Name("厦门钨业".into()));
    assert_eq!((x.kind, x.note.as_str(), x.remove), (Exclusion::DoNotSuggest, "已合作", false));
    assert_eq!(bole::domain::ExclusionKind::from(x.kind), bole::domain::ExclusionKind::DoNotSuggest);
    let Cmd::Exclude(x) = cmd(&["exclude", "--demand", "XQ1", "--expert", "ZJ0001", "--remove"]) else { panic!() };
    assert_eq!(
        (x.enterprise_ref(), x.kind, x.note.as_str()),
        (EnterpriseRef::Demand("XQ1".into()), Exclusion::Conflict, "")
    );
    for (word, kind) in [
        ("conflict", Exclusion::Conflict),
        ("no-suggest", Exclusion::DoNotSuggest),
        ("不推荐", Exclusion::DoNotSuggest),
    ] {
        let Cmd::Exclude(x) = cmd(&["exclude", "--expert", "E", "--demand", "D", "--kind", word]) else { panic!() };
        assert_eq!(x.kind, kind, "{word}");
    }
}

#[test]
fn available() {
    let Cmd::Available(a) = cmd(&["available", "--expert", "ZJ0001", "no"]) else { panic!() };
    assert!(!a.available());
    let Cmd::Available(a) = cmd(&["available", "可约", "--expert", "ZJ0001"]) else { panic!() };
    assert!(a.available() && a.expert == "ZJ0001");
}

#[test]
fn meeting_create() {
    let MeetingCmd::Create(c) = meeting(&[
        "meeting",
        "create",
        "--name",
        "新材料对接会",
        "--date",
        "2026-12-05",
        "--venue",
        "县科技馆",
        "--time",
        "9:00-11:30",
        "--slot",
        "15",
        "--tables",
        "12",
        "--demands",
        "XQ1，XQ2、XQ3",
        "--demands",
        "XQ4",
        "--subfield",
        "氟新材料",
        "--max-demands",
        "30",
        "--experts",
        "E1,E2",
        "--auto-experts",
        "60",
        "--min",
        "2",
        "--max",
        "4",
        "--cap",
        "2",
        "--min-score",
        "40",
        "--avoid-previous",
        "--no-recorded",
    ]) else {
        panic!()
    };
    assert_eq!(c.demands, ["XQ1", "XQ2", "XQ3", "XQ4"]);
    assert_eq!(
        (c.subfield.as_slice(), c.experts.as_slice()),
        (&["氟新材料".to_string()][..], &["E1".to_string(), "E2".into()][..])
    );
    assert_eq!((c.max_demands, c.auto_experts, c.lock_recorded()), (30, 60, false));
    let m = c.meeting();
    assert_eq!((m.name.as_str(), m.date.as_str(), m.venue.as_str()), ("新材料对接会", "2026-12-05", "县科技馆"));
    assert_eq!((m.start_min, m.slot_minutes, m.slots, m.tables), (540, 15, 10, 12));
    assert_eq!((m.min_experts, m.max_experts, m.expert_cap, m.min_score, m.avoid_previous), (2, 4, 2, 40.0, true));
    assert!(m.validate().is_ok());

    // Defaults are the meeting defaults.
    let MeetingCmd::Create(c) = meeting(&["meeting", "create", "--name", "x", "--start", "14:00", "--slots", "6"])
    else {
        panic!()
    };
    let d = bole::domain::meeting::Meeting::default();
    let m = c.meeting();
    assert_eq!((m.start_min, m.slots, m.slot_minutes, m.tables), (14 * 60, 6, d.slot_minutes, d.tables));
    assert_eq!(
        (m.min_experts, m.max_experts, m.expert_cap, m.min_score),
        (d.min_experts, d.max_experts, d.expert_cap, d.min_score)
    );
    assert!(c.lock_recorded() && c.demands.is_empty());
}

#[test]
fn meeting_list_show_delete() {
    assert_eq!(meeting(&["meeting", "list", "--json"]), MeetingCmd::List(MeetingList { json: true }));
    let MeetingCmd::Show(s) = meeting(&["meeting", "show", "--json", "12月对接会"]) else { panic!() };
    assert_eq!((s.meeting.as_str(), s.json), ("12月对接会", true));
    let MeetingCmd::Delete(d) = meeting(&["meeting", "delete", "3"]) else { panic!() };
    assert_eq!(d.meeting, "3");
}

#[test]
fn meeting_assign() {
    let MeetingCmd::Assign(a) = meeting(&[
        "meeting",
        "assign",
        "3",
        "--add",
        "XQ1:E1，XQ2：E2",
        "--lock",
        "XQ3:E3",
        "--lock",
        "XQ4:E4",
        "--unlock",
        "XQ5:E5",
        "--remove",
        "XQ6:E6",
        "--cap",
        "E1=1",
        "--bounds",
        "XQ2024-001=2-3",
    ]) else {
        panic!()
    };
    let p = |d: &str, e: &str| Pair { demand: d.into(), expert: e.into() };
    assert_eq!(a.meeting, "3");
    assert_eq!(a.add, [p("XQ1", "E1"), p("XQ2", "E2")]);
    assert_eq!(a.lock, [p("XQ3", "E3"), p("XQ4", "E4")]);
    assert_eq!((a.unlock, a.remove), (vec![p("XQ5", "E5")], vec![p("XQ6", "E6")]));
    assert_eq!(a.cap, [Cap { expert: "E1".into(), meetings: 1 }]);
    assert_eq!(a.bounds, [Bounds { demand: "XQ2024-001".into(), min: 2, max: 3 }]);
    assert_eq!(a.bounds[0].to_string(), "XQ2024-001=2-3");
}

#[test]
fn meeting_schedule() {
    let MeetingCmd::Schedule(s) = meeting(&["meeting", "schedule", "3", "--place", "XQ1:E1=3/5,XQ2:E2=1/1"]) else {
        panic!()
    };
    assert_eq!(s.place.len(), 2);
    assert_eq!((s.place[0].pair.to_string(), s.place[0].slot, s.place[0].table), ("XQ1:E1".into(), 3, 5));
}

#[test]
fn meeting_export() {
    let MeetingCmd::Export(e) = meeting(&["meeting", "export", "3", "--out", "对接表.PDF", "--no-contacts"]) else {
        panic!()
    };
    assert_eq!((e.format(), e.no_contacts), (Some(Format::Pdf), true));
    let MeetingCmd::Export(e) = meeting(&["meeting", "export", "--format", "CSV", "--out", "x.txt", "3"]) else {
        panic!()
    };
    assert_eq!(e.format(), Some(Format::Csv));
    assert_eq!(bole::io::sheets::SheetFormat::from(Format::Xlsx), bole::io::sheets::SheetFormat::Xlsx);
    let m = usage_error(&["meeting", "export", "3", "--out", "x.txt"]);
    assert!(m.contains("请用 --format 指定 xlsx、pdf 或 csv"), "{m}");
}

// ----------------------------------------------------------------------- order and --db

#[test]
fn flags_before_and_after_positionals() {
    let a = cmd(&["import", "--dry-run", "experts", "f.xlsx"]);
    assert_eq!(a, cmd(&["import", "experts", "--dry-run", "f.xlsx"]));
    assert_eq!(a, cmd(&["import", "experts", "f.xlsx", "--dry-run"]));
    let Cmd::Import(i) = a else { panic!() };
    assert!(i.dry_run && i.kind == ImportKind::Experts && i.file == std::path::Path::new("f.xlsx"));
}

#[test]
fn db_anywhere() {
    for args in [
        &["--db", "x.db", "list", "experts"][..],
        &["--db=x.db", "list", "experts"],
        &["list", "--db", "x.db", "experts"],
        &["list", "experts", "--db=x.db"],
        &["meeting", "list", "--db", "x.db"],
    ] {
        assert_eq!(parse_ok(args).db, Some(PathBuf::from("x.db")), "{args:?}");
    }
    assert_eq!(parse_ok(&["list", "experts"]).db, None);
}

#[test]
fn no_command_is_the_gui() {
    assert_eq!(parse_ok(&[]), Cli { db: None, command: None });
    assert_eq!(parse_ok(&["--db", "x.db"]), Cli { db: Some("x.db".into()), command: None });
    assert_eq!(parse_ok(&["--db=x.db"]), Cli { db: Some("x.db".into()), command: None });
}

// ----------------------------------------------------------------------- help and version

/// Words clap would print if any of its English text got through.
const ENGLISH: &[&str] = &[
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Print",
    "default:",
    "possible values",
    "[OPTIONS]",
    "COMMAND",
    "help for",
];

fn assert_chinese_help(args: &[&str]) -> String {
    let e = parse_err(args);
    assert_eq!(e.code, 0, "{args:?}: {}", e.message);
    assert!(e.message.contains("用法：bole"), "{}", e.message);
    assert!(
        e.message.contains("选项：") && e.message.contains("-h, --help") && e.message.contains("显示帮助"),
        "{}",
        e.message
    );
    for w in ENGLISH {
        assert!(!e.message.contains(w), "{args:?} has “{w}”:\n{}", e.message);
    }
    e.message
}

#[test]
fn meeting_help_is_chinese_and_exits_0() {
    let m = assert_chinese_help(&["meeting", "--help"]);
    assert!(m.contains("命令：") && m.contains("export"), "{m}");
    let m = assert_chinese_help(&["meeting", "export", "--help"]);
    assert!(m.contains("参数：") && m.contains("<对接会>") && m.contains("--no-contacts"), "{m}");
    assert!(m.contains("可选：xlsx、pdf、csv"), "{m}");
    assert_eq!(parse_err(&["meeting", "export", "-h"]).code, 0);
    assert_eq!(parse_err(&["help", "meeting", "export"]).code, 0);
    assert_eq!(parse_err(&["meeting", "help", "export"]).code, 0);
}

#[test]
fn every_command_has_chinese_help() {
    let root = assert_chinese_help(&["--help"]);
    assert!(root.contains("退出码") && root.contains("打开桌面程序"), "{root}");
    assert_eq!(assert_chinese_help(&["help"]), assert_chinese_help(&["-h"]));
    let cmd = command();
    let mut paths: Vec<Vec<String>> = Vec::new();
    for sub in cmd.get_subcommands() {
        paths.push(vec![sub.get_name().into()]);
        for s in sub.get_subcommands() {
            paths.push(vec![sub.get_name().into(), s.get_name().into()]);
        }
    }
    assert!(paths.len() >= 19, "{paths:?}");
    for p in paths {
        let mut args: Vec<&str> = p.iter().map(String::as_str).collect();
        args.push("--help");
        assert_chinese_help(&args);
        args.pop();
        args.push("-h");
        assert_chinese_help(&args);
    }
    walk(&cmd);
}

#[test]
fn version() {
    for flag in ["--version", "-V"] {
        let e = parse_err(&[flag]);
        assert_eq!(e.code, 0);
        assert_eq!(e.message, format!("bole {}（伯乐 · 专家与企业需求对接）", env!("CARGO_PKG_VERSION")));
    }
}

// ----------------------------------------------------------------------- usage errors

#[test]
fn unknown_option_and_command() {
    let m = usage_error(&["list", "experts", "--xml"]);
    assert_eq!(m, "不认识的选项：--xml（用 bole list --help 查看用法）");
    let m = usage_error(&["list", "experts", "--jsno"]);
    assert!(m.starts_with("不认识的选项：--jsno，是不是 --json？"), "{m}");
    assert_eq!(usage_error(&["frobnicate"]), "不认识的命令：frobnicate（用 bole --help 查看用法）");
    assert!(usage_error(&["meeting", "frob"]).starts_with("不认识的 meeting 子命令：frob"));
    assert!(usage_error(&["demo", "extra"]).starts_with("多余的参数：extra"));
    assert!(usage_error(&["help", "frob"]).starts_with("不认识的命令：frob"));
}

#[test]
fn missing_values_and_arguments() {
    assert_eq!(usage_error(&["match", "--all", "--top"]), "--top 后面需要一个值（用 bole match --help 查看用法）");
    assert!(usage_error(&["--db"]).starts_with("--db 后面需要一个值"));
    assert!(usage_error(&["match"]).starts_with("缺少 --demand、--expert 或 --all 中的一个"));
    assert!(usage_error(&["exclude", "--demand", "D"]).starts_with("缺少 --expert <编号>"));
    assert!(usage_error(&["import", "experts"]).starts_with("缺少 <文件>"));
    assert!(usage_error(&["search"]).starts_with("缺少 <查询词>"));
    assert!(usage_error(&["meeting", "create"]).starts_with("缺少 --name <名称>"));
    assert!(usage_error(&["meeting"]).starts_with("meeting 后面需要子命令：create、list"));
}

#[test]
fn invalid_values() {
    assert_eq!(
        usage_error(&["match", "--all", "--top", "0"]),
        "--top 应为 1 到 1000 的整数，而不是“0”（用 bole match --help 查看用法）"
    );
    assert!(usage_error(&["search", "x", "--top=1001"]).starts_with("--top 应为 1 到 1000 的整数，而不是“1001”"));
    assert!(usage_error(&["search", "x", "--top", "十"]).starts_with("--top 应为 1 到 1000 的整数，而不是“十”"));
    assert_eq!(
        usage_error(&["exclude", "--expert", "E", "--demand", "D", "--kind", "拉黑"]),
        "--kind 应为 回避 或 不再推荐，而不是“拉黑”（用 bole exclude --help 查看用法）"
    );
    assert!(usage_error(&["import", "lists", "x.xlsx"]).contains("应为 experts、demands 或 pairings，而不是“lists”"));
    assert!(usage_error(&["available", "--expert", "E", "maybe"]).contains("应为 yes 或 no"));
    assert!(
        usage_error(&["meeting", "assign", "1", "--add", "XQ1E1"])
            .starts_with("--add 应写成 需求编号:专家编号，而不是“XQ1E1”")
    );
    assert!(
        usage_error(&["meeting", "assign", "1", "--bounds", "D=3-2"]).starts_with("--bounds 应写成 需求编号=下限-上限")
    );
    assert!(usage_error(&["meeting", "schedule", "1", "--place", "D:E=0/1"]).starts_with("--place 应写成"));
    assert!(
        usage_error(&["meeting", "create", "--name", "x", "--date", "12/5"])
            .starts_with("--date 应为 2026-12-05 这样的日期")
    );
    assert!(
        usage_error(&["meeting", "create", "--name", "x", "--time", "11:30-9:00"])
            .starts_with("--time 应写成 9:00-11:30")
    );
    assert!(
        usage_error(&["meeting", "create", "--name", "x", "--slot", "0"]).starts_with("--slot 应为 5 到 240 的整数")
    );
    assert!(
        usage_error(&["meeting", "create", "--name", "x", "--demands", "，"]).starts_with("--demands 后面需要一个值")
    );
    assert!(
        usage_error(&["meeting", "export", "1", "--out", "a", "--format", "doc"]).contains("应为 xlsx、pdf 或 csv")
    );
}

#[test]
fn conflicts() {
    assert!(usage_error(&["match", "--demand", "D", "--all"]).starts_with("--demand 不能与 --all 同时使用"));
    assert!(usage_error(&["match", "--all", "--top", "5", "--top", "6"]).starts_with("--top 只能写一次"));
    assert!(
        usage_error(&["meeting", "create", "--name", "x", "--time", "9:00-10:00", "--start", "9:00"])
            .contains("同时使用")
    );
}

// ----------------------------------------------------------------------- README

#[test]
fn exit_codes_are_documented() {
    let codes: Vec<i32> = EXIT_CODES.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, [0, 1, 2, 3, 4]);
    let md = usage_markdown();
    assert!(EXIT_CODES.iter().all(|(c, m)| md.contains(&format!("| {c} | {m} |"))));
}

/// README.md holds `usage_markdown()` verbatim between the markers.
/// `BOLE_UPDATE_SNAPSHOTS=1 cargo test --test cli_args` rewrites it.
#[test]
fn readme_contains_the_generated_usage() {
    const START: &str = "<!-- usage:start -->\n";
    const END: &str = "<!-- usage:end -->";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (a, b) = (readme.find(START).expect("start marker"), readme.find(END).expect("end marker"));
    let current = &readme[a + START.len()..b];
    let want = usage_markdown();
    assert!(want.lines().count() > 40 && want.contains("meeting export"), "{want}");
    if current != want && std::env::var_os("BOLE_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, format!("{}{want}{}", &readme[..a + START.len()], &readme[b..])).unwrap();
        return;
    }
    assert_eq!(current, want, "README.md is out of date: run BOLE_UPDATE_SNAPSHOTS=1 cargo test --test cli_args");
}

/// Every argument says in Chinese what it is.
fn walk(c: &clap::Command) {
    assert!(c.get_about().is_some(), "{} has no summary", c.get_name());
    for a in c.get_arguments() {
        let help = a.get_help().map(ToString::to_string).unwrap_or_default();
        assert!(
            help.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
            "{} {}: “{help}”",
            c.get_name(),
            a.get_id()
        );
    }
    c.get_subcommands().for_each(walk);
}
