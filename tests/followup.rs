//! The follow-up of pairings end to end on a database file: stage changes, service records and
//! outcomes stored with their dates in one transaction and kept across a restart; bad entries
//! refused whole; the statistics, `bole stats --json` and the work report agreeing on the demo
//! data's year of history.
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken fixture")]

use std::path::Path;
use std::process::Command;

use bole::domain::followup::{Outcome, OutcomeKind, ServiceRecord, TargetMetric};
use bole::domain::pairing::Stage;
use bole::engine::{Core, EngineError, FollowupEntry, PairingFilter, Period};

fn bole(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bole")).arg("--db").arg(db).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn demo_core(dir: &Path) -> (Core, std::path::PathBuf) {
    let db = dir.join("bole.db");
    let mut core = Core::open(&db).unwrap();
    core.load_demo(&mut |_, _| {}).unwrap();
    (core, db)
}

fn count(core: &Core, sql: &str) -> i64 {
    core.conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn stage_changes_services_and_outcomes_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (mut core, db) = demo_core(dir.path());
    // A pair the demo history does not follow yet.
    let (e, d) = core.pair_ids("XQ2024-100", "ZJ0001").unwrap();
    assert!(core.start_pairing(e, d, "手工", None, "办公室推荐").unwrap());
    assert!(!core.start_pairing(e, d, "手工", None, "").unwrap(), "a second add changes nothing");
    let entry = FollowupEntry {
        stage: Some(Stage::OnSite),
        date: "2026-05-03".into(),
        note: "专家到车间调研".into(),
        attachments: vec![r"D:\对接\调研纪要.docx".into()],
        ..Default::default()
    };
    core.follow_up(e, d, &entry).unwrap();
    let visit = ServiceRecord {
        start_date: "2026-05-03".into(),
        end_date: "2026-05-05".into(),
        place: "二车间".into(),
        lodging: true,
        ..Default::default()
    };
    core.add_service(e, d, visit).unwrap();
    let contract = Outcome {
        id: 0,
        kind: OutcomeKind::Contract,
        title: "技术开发合同".into(),
        date: "2026/6/1".into(),
        level: String::new(),
        status: String::new(),
        amount_wan: Some(35.0),
        note: String::new(),
    };
    core.add_outcome(e, d, contract).unwrap();
    drop(core);

    let core = Core::open(&db).unwrap();
    let detail = core.pairing_detail(e, d).unwrap();
    assert_eq!(detail.row.stage, Some(Stage::OnSite));
    assert_eq!(detail.row.stage_date, "2026-05-03");
    assert_eq!(detail.row.next_action, core.followup.next_action(Stage::OnSite));
    assert_eq!(detail.row.next_date, "2026-06-02", "30 days after, from data/followup.toml");
    let stages: Vec<Option<Stage>> = detail.events.iter().map(|ev| ev.stage).collect();
    assert!(stages.contains(&Some(Stage::OnSite)) && stages.contains(&Some(Stage::Recommended)), "{stages:?}");
    assert_eq!(detail.events.len(), 2, "已推荐 then 蹲点调研, both kept");
    let visit_event = detail.events.iter().find(|ev| ev.stage == Some(Stage::OnSite)).unwrap();
    assert_eq!(visit_event.attachments, vec![r"D:\对接\调研纪要.docx".to_string()]);
    assert_eq!(detail.services.len(), 1);
    assert_eq!(detail.services[0].days, 3.0, "days counted from the dates");
    assert_eq!(detail.outcomes[0].date, "2026-06-01", "dates normalised");
    assert_eq!(detail.outcomes[0].amount_wan, Some(35.0));
}

#[test]
fn bad_entries_are_refused_whole_and_undo_takes_a_step_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut core, _db) = demo_core(dir.path());
    let (e, d) = core.pair_ids("XQ2024-100", "ZJ0002").unwrap();
    let events = || "SELECT count(*) FROM pairing_event";
    let before = count(&core, events());
    let err = core.follow_up(e, d, &FollowupEntry { stage: Some(Stage::Contacted), ..Default::default() }).unwrap_err();
    assert!(matches!(err, EngineError::NotFound(_)), "{err:?}");
    core.start_pairing(e, d, "手工", None, "").unwrap();
    let n = count(&core, events());
    assert_eq!(n, before + 1);
    let end = FollowupEntry { stage: Some(Stage::Ended), ..Default::default() };
    let err = core.follow_up(e, d, &end).unwrap_err();
    assert!(bole::text::error(&err).contains("原因"), "{}", bole::text::error(&err));
    let bad_date = FollowupEntry { stage: Some(Stage::Met), date: "下周三".into(), ..Default::default() };
    assert!(core.follow_up(e, d, &bad_date).is_err());
    let project = Outcome {
        id: 0,
        kind: OutcomeKind::Project,
        title: "联合申报".into(),
        date: "2026-06-01".into(),
        level: "乡镇".into(),
        status: String::new(),
        amount_wan: None,
        note: String::new(),
    };
    assert!(bole::text::error(&core.add_outcome(e, d, project).unwrap_err()).contains("级别"));
    assert_eq!(count(&core, events()), n, "nothing half-written");

    core.follow_up(e, d, &FollowupEntry { stage: Some(Stage::Met), date: "2026-06-02".into(), ..Default::default() })
        .unwrap();
    assert_eq!(core.pairing_detail(e, d).unwrap().row.stage, Some(Stage::Met));
    core.undo_last().unwrap();
    let row = core.pairing_detail(e, d).unwrap();
    assert_eq!(row.row.stage, Some(Stage::Recommended), "undo puts the stage back");
    assert_eq!(row.events.len(), 1, "and removes the event it added");
}

#[test]
fn deleting_an_expert_and_undoing_keeps_the_pairing_history() {
    let dir = tempfile::tempdir().unwrap();
    let (mut core, _db) = demo_core(dir.path());
    let (e, d) = core.pair_ids("XQ2024-001", "ZJ0026").unwrap();
    let before = core.pairing_detail(e, d).unwrap();
    assert!(before.events.len() > 1, "the demo history follows this pair");
    let undo = core.delete_expert(e).unwrap();
    assert!(core.pairing_detail(e, d).is_err());
    core.restore(&undo).unwrap();
    let after = core.pairing_detail(e, d).unwrap();
    assert_eq!(after.events, before.events);
    assert_eq!(after.services, before.services);
    assert_eq!(after.outcomes, before.outcomes);
    assert_eq!(after.row.stage, before.row.stage);
}

#[test]
fn statistics_json_and_report_agree() {
    let dir = tempfile::tempdir().unwrap();
    let (core, db) = demo_core(dir.path());
    let year = Period { from: "2026-01-01".into(), to: "2026-12-31".into() };
    let f = core.stat_figures(&Period::all()).unwrap();
    // Independent count: the list of pairings by their stage.
    let rows = core.pairing_list(&PairingFilter::default()).unwrap();
    assert!(rows.len() >= 40, "the demo has a year of history: {}", rows.len());
    for (stage, n) in &f.stages {
        assert_eq!(*n, rows.iter().filter(|r| r.stage == Some(*stage)).count() as i64, "{}", stage.label());
    }
    assert!(f.funnel.windows(2).all(|w| w[0].1 >= w[1].1), "a funnel narrows: {:?}", f.funnel);
    assert!(f.services.days > 0.0 && f.outcomes.iter().any(|(_, n)| *n > 0));
    // The demo's past meetings: what became of each meeting's pairings adds up to its sittings.
    assert_eq!(f.meetings.len(), 2, "{:?}", f.meetings);
    for m in &f.meetings {
        let listed = rows.iter().filter(|r| r.source == "对接会" && r.meeting == m.name).count() as i64;
        assert!(listed > 0 && m.sittings == listed, "{}: {listed} listed, {} sittings", m.name, m.sittings);
        assert_eq!(m.stages.iter().map(|(_, n)| n).sum::<i64>(), listed, "{}", m.name);
    }
    drop(core);

    let (code, out, err) = bole(&db, &["stats", "--json", "--no-gaps"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for (stage, n) in &f.stages {
        assert_eq!(v["stages"][stage.label()], *n, "{}", stage.label());
    }
    for (stage, n) in &f.funnel {
        assert_eq!(v["funnel"][stage.label()], *n);
    }
    for (m, n) in TargetMetric::ALL.iter().zip(&f.metrics) {
        assert_eq!(v["metrics"][m.label()], *n);
    }
    assert_eq!(v["services"]["days"].as_f64(), Some(f.services.days));

    let core = Core::open(&db).unwrap();
    let yf = core.stat_figures(&year).unwrap();
    let (code, out, err) = bole(&db, &["stats", "--json", "--no-gaps", "--from", "2026-01-01", "--to", "2026-12-31"]);
    assert_eq!(code, 0, "{err}");
    let yv: serde_json::Value = serde_json::from_str(&out).unwrap();
    let xlsx = dir.path().join("简报.xlsx");
    let (code, _, err) =
        bole(&db, &["report", "--from", "2026-01-01", "--to", "2026-12-31", "--out", xlsx.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let tables = bole::io::table::read_path(&xlsx).unwrap();
    let sheet = tables.iter().find(|t| t.sheet == "对接阶段").unwrap();
    for (stage, n) in &yf.stages {
        let row = sheet.rows.iter().find(|r| r.first().map(String::as_str) == Some(stage.label())).unwrap();
        assert_eq!(row[1], n.to_string(), "{} in the report", stage.label());
        assert_eq!(yv["stages"][stage.label()], *n);
    }
    let outcomes = tables.iter().find(|t| t.sheet == "成果").unwrap();
    for (kind, n) in &yf.outcomes {
        let row = outcomes.rows.iter().find(|r| r.first() == Some(kind)).unwrap();
        assert_eq!(row[1], n.to_string(), "{kind}");
        assert_eq!(yv["outcomes"][kind], *n);
    }
    let pdf = dir.path().join("简报.pdf");
    let (code, out, err) =
        bole(&db, &["report", "--from", "2026-01-01", "--to", "2026-12-31", "--out", pdf.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("PDF"), "{out}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
}

#[test]
fn pairing_commands_speak_in_ids_and_stage_names() {
    let dir = tempfile::tempdir().unwrap();
    let (_core, db) = demo_core(dir.path());
    let (code, out, err) = bole(&db, &["pairing", "add", "XQ2024-100:ZJ0003", "--note", "电话推荐"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("已加入对接"), "{out}");
    let (code, out, err) = bole(&db, &["pairing", "stage", "XQ2024-100:ZJ0003", "已签约", "--date", "2026-11-20"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("立项/签约"), "{out}");
    let (code, _, err) = bole(&db, &["pairing", "stage", "XQ2024-100:ZJ0003", "结束"]);
    assert_ne!(code, 0);
    assert!(err.contains("原因"), "{err}");
    let (code, _, err) =
        bole(&db, &["outcome", "add", "XQ2024-100:ZJ0003", "申报项目", "省重点研发", "--level", "福建省"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) =
        bole(&db, &["service", "add", "XQ2024-100:ZJ0003", "--from", "2026-11-21", "--days", "2", "--lodging"]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = bole(&db, &["pairing", "list", "--stage", "立项/签约", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mine = v.as_array().unwrap().iter().find(|p| p["demand_id"] == "XQ2024-100").unwrap();
    assert_eq!(mine["expert_id"], "ZJ0003");
    assert_eq!(mine["stage"], "立项/签约");
    assert_eq!(mine["stage_date"], "2026-11-20");
    assert_eq!(mine["outcomes"], 1);
    assert!(mine["next_action"].as_str().is_some_and(|a| !a.is_empty()));
    let (code, out, _) = bole(&db, &["pairing", "show", "XQ2024-100:ZJ0003"]);
    assert_eq!(code, 0);
    assert!(out.contains("电话推荐") && out.contains("省") && out.contains("2 天"), "{out}");
    let (code, _, err) = bole(&db, &["pairing", "stage", "XQ2024-100:ZJ0003", "随便"]);
    assert_eq!(code, 2, "a stage Bole does not know is a usage error");
    assert!(err.contains("已推荐"), "{err}");
    let (code, _, err) = bole(
        &db,
        &["target", "set", "2026年", "--years", "2026", "--projects", "3", "--products", "4", "--topics", "5"],
    );
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = bole(&db, &["target", "list", "--json"]);
    assert!(out.contains("2026年"), "{out}");
}

#[test]
fn an_imported_history_becomes_dated_events_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mut core, db) = demo_core(dir.path());
    let file = dir.path().join("对接记录.csv");
    std::fs::write(
        &file,
        "需求编号,专家编号,阶段/结果,日期,备注\n\
         XQ2024-100,ZJ0007,已联系,2026-03-02,电话联系\n\
         XQ2024-100,ZJ0007,蹲点调研,2026-04-10,到厂三天\n\
         XQ2024-100,ZJ0007,已见面,2026-03-20,\n\
         XQ2024-100,ZJ0007,已联系,2026-03-02,重复的一行\n",
    )
    .unwrap();
    let r = core.import_pairings(&file, false).unwrap();
    assert_eq!((r.added, r.updated), (1, 0), "{r:?}");
    assert_eq!(r.rejected.len(), 1, "the same pair, stage and date twice is a repeat: {r:?}");
    let (e, d) = core.pair_ids("XQ2024-100", "ZJ0007").unwrap();
    let detail = core.pairing_detail(e, d).unwrap();
    assert_eq!(detail.row.stage, Some(Stage::OnSite), "the latest row sets the stage, whatever the row order");
    assert_eq!(detail.row.stage_date, "2026-04-10");
    let dated: Vec<(&str, Option<Stage>)> = detail.events.iter().map(|e| (e.date.as_str(), e.stage)).collect();
    assert_eq!(
        dated,
        [("2026-03-02", Some(Stage::Contacted)), ("2026-03-20", Some(Stage::Met)), ("2026-04-10", Some(Stage::OnSite))]
    );
    assert!(detail.events[0].note.contains("电话联系") && detail.events[0].note.contains("对接记录.csv"));
    drop(core);
    // The same file again, through the CLI: nothing new is written.
    let (code, _, err) = bole(&db, &["import", "pairings", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let core = Core::open(&db).unwrap();
    assert_eq!(core.pairing_detail(e, d).unwrap().events.len(), 3);
}
