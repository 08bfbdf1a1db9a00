//! The database and its index under damage and sharing: a damaged index heals itself from SQLite,
//! an index that cannot follow a commit is said as such (exit 3) and repaired later, the window and
//! the command line share one database, and no output can overwrite the database.
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

use std::path::{Path, PathBuf};
use std::process::Command;

use bole::domain::RecordKind;
use bole::engine::{Core, Notice, SearchRequest};

fn bole(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bole")).arg("--db").arg(db).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn demo_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    let (code, out, err) = bole(&db, &["demo"]);
    assert_eq!(code, 0, "{out}{err}");
    (dir, db)
}

fn index_files(db: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(db.with_extension("index"))
        .unwrap()
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

/// Search and match both answer as on an intact index.
fn assert_answers(db: &Path, expected_hits: usize) {
    let (code, out, err) = bole(db, &["search", "碳化硅", "--json", "--top", "500"]);
    assert_eq!(code, 0, "search after damage: {out}{err}");
    let hits: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), expected_hits, "{err}");
    let (code, out, err) = bole(db, &["match", "--all", "--top", "3", "--json"]);
    assert_eq!(code, 0, "match after damage: {err}");
    assert!(out.len() > 100, "{out}");
}

#[test]
fn a_damaged_index_is_rebuilt_from_the_database() {
    let (_dir, db) = demo_db();
    let (_, out, _) = bole(&db, &["search", "碳化硅", "--json", "--top", "500"]);
    let expected = serde_json::from_str::<serde_json::Value>(&out).unwrap().as_array().unwrap().len();
    assert!(expected > 3);

    // Bytes flipped in the middle of postings and term dictionaries.
    for ext in ["idx", "term", "fieldnorm", "store"] {
        for f in index_files(&db, ext) {
            let mut bytes = std::fs::read(&f).unwrap();
            let n = bytes.len();
            for b in bytes.iter_mut().skip(n / 3).take(n / 3) {
                *b ^= 0x5a;
            }
            std::fs::write(&f, bytes).unwrap();
        }
        assert_answers(&db, expected);
    }
    // A deleted positions/postings file.
    for f in index_files(&db, "idx") {
        std::fs::remove_file(f).unwrap();
    }
    assert_answers(&db, expected);
    // meta.json listing no segments (rc 0 with empty results before).
    let meta = db.with_extension("index").join("meta.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&meta).unwrap()).unwrap();
    v["segments"] = serde_json::json!([]);
    std::fs::write(&meta, serde_json::to_vec(&v).unwrap()).unwrap();
    assert_answers(&db, expected);
    // The index folder replaced by a file: this run searches in memory and says so.
    let idir = db.with_extension("index");
    std::fs::remove_dir_all(&idir).unwrap();
    std::fs::write(&idir, b"not a folder").unwrap();
    let (code, out, err) = bole(&db, &["search", "碳化硅", "--json", "--top", "500"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap().as_array().unwrap().len(), expected);
    assert!(err.contains("内存中检索"), "{err}");
}

#[test]
fn damage_after_another_process_wrote_is_found_when_the_window_follows() {
    let (_dir, db) = demo_db();
    let mut window = Core::open(&db).unwrap();
    let csv = db.with_file_name("新专家.csv");
    std::fs::write(&csv, "专家编号,姓名,工作单位,研究方向\nNEW01,郑一鸣,福州大学,锆铪分离与萃取界面化学\n").unwrap();
    let (code, out, err) = bole(&db, &["import", "experts", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    for f in index_files(&db, "idx").into_iter().chain(index_files(&db, "term")) {
        let mut bytes = std::fs::read(&f).unwrap();
        let n = bytes.len();
        for b in bytes.iter_mut().skip(n / 4).take(n / 2) {
            *b = !*b;
        }
        std::fs::write(&f, bytes).unwrap();
    }
    assert!(window.follow_external().unwrap());
    let notices = window.take_notices();
    assert!(notices.iter().any(|n| matches!(n, Notice::IndexRebuilt(_))), "{notices:?}");
    let hits = window.search(&SearchRequest::new(RecordKind::Expert, "锆铪分离")).unwrap();
    assert!(hits.iter().any(|h| window.expert_by_id(h.id).unwrap().ext_id == "NEW01"), "{hits:?}");
    drop(window);
    let (code, _, err) = bole(&db, &["search", "锆铪分离"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("损坏"), "healed on disk, not only in memory: {err}");
}

#[test]
fn an_index_that_cannot_follow_a_commit_is_said_and_repaired_next_time() {
    let (_dir, db) = demo_db();
    let mut core = Core::open(&db).unwrap();
    let _ = core.take_notices();
    let idir = db.with_extension("index");
    std::fs::remove_dir_all(&idir).unwrap();
    std::fs::write(&idir, b"in the way").unwrap();
    let mut e = core.expert("ZJ0001").unwrap();
    e.research = format!("{}；钨钼难熔金属粉末冶金", e.research);
    core.save_expert(e).unwrap();
    let notices = core.take_notices();
    assert!(notices.iter().any(|n| matches!(n, Notice::IndexNotUpdated(_))), "{notices:?}");
    assert!(core.expert("ZJ0001").unwrap().research.contains("钨钼难熔金属"), "the row is saved");
    drop(core);
    std::fs::remove_file(&idir).unwrap();
    let mut core = Core::open(&db).unwrap();
    let hits = core.search(&SearchRequest::new(RecordKind::Expert, "钨钼难熔金属")).unwrap();
    assert!(!hits.is_empty(), "the next start rebuilt the index with the saved change");
}

#[test]
fn window_and_command_line_share_the_database() {
    let (_dir, db) = demo_db();
    // The window: a long-lived core that has written once (and so held the index writer).
    let mut window = Core::open(&db).unwrap();
    let mut e = window.expert("ZJ0002").unwrap();
    e.note = "窗口里改过".into();
    window.save_expert(e).unwrap();
    let _ = window.take_notices();
    // The command line reads and writes meanwhile.
    let (code, out, err) = bole(&db, &["list", "experts", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ZJ0002"));
    let csv = db.with_file_name("新专家.csv");
    std::fs::write(&csv, "专家编号,姓名,工作单位,研究方向\nNEW01,郑一鸣,福州大学,锆铪分离与萃取界面化学\n").unwrap();
    let (code, out, err) = bole(&db, &["import", "experts", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("注意"), "no notice for a clean import: {err}");
    // The window picks the change up.
    assert!(window.follow_external().unwrap());
    let hits = window.search(&SearchRequest::new(RecordKind::Expert, "锆铪分离")).unwrap();
    assert!(hits.iter().any(|h| window.expert_by_id(h.id).unwrap().ext_id == "NEW01"), "{hits:?}");
    assert!(!window.follow_external().unwrap(), "nothing new the second time");
}

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    let (code, out, err) = bole(db, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn lists(db: &Path) -> (serde_json::Value, serde_json::Value) {
    (json(db, &["list", "experts", "--json"]), json(db, &["list", "demands", "--json"]))
}

fn demo_meeting(db: &Path) {
    let args = [
        "meeting",
        "create",
        "--name",
        "对接会",
        "--time",
        "9:00-12:00",
        "--max-demands",
        "20",
        "--auto-experts",
        "40",
    ];
    let (code, out, err) = bole(db, &args);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = bole(db, &["meeting", "assign", "对接会"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = bole(db, &["meeting", "schedule", "对接会"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn backups_restore_to_the_same_lists_and_a_restore_can_be_undone() {
    let (dir, db) = demo_db();
    demo_meeting(&db);
    let before = lists(&db);
    let meeting = json(&db, &["meeting", "show", "对接会", "--json"]);
    let copy = dir.path().join("我的备份.db");
    let (code, out, err) = bole(&db, &["backup", "--out", copy.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("专家 373 位"), "{out}");
    // A consistent copy even while everything still sits in the -wal file.
    let (code, out, err) = bole(&db, &["demo", "--clear"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("对接会 3 场"), "{out}");
    assert_eq!(json(&db, &["list", "experts", "--json"]), serde_json::json!([]));

    let (code, out, err) = bole(&db, &["restore", copy.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(lists(&db), before);
    assert_eq!(json(&db, &["meeting", "show", "对接会", "--json"]), meeting);
    let (code, out, _) = bole(&db, &["search", "碳化硅", "--json"]);
    assert_eq!(code, 0);
    assert_ne!(out.trim(), "[]", "the index follows the restored data");
    // The state before the restore was backed up and can be brought back.
    let list = json(&db, &["backups", "--json"]);
    let pre = list.as_array().unwrap().iter().find(|b| b["action"] == "恢复前").expect("a before-restore backup");
    assert_eq!(pre["experts"], 0);
    assert_eq!(bole(&db, &["restore", pre["path"].as_str().unwrap()]).0, 0);
    assert_eq!(json(&db, &["list", "experts", "--json"]), serde_json::json!([]));

    // Not a Bole database: refused, nothing changed.
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);").unwrap();
    let (code, _, err) = bole(&db, &["restore", other.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("不是伯乐的数据库文件"), "{err}");
    let (code, _, err) = bole(&db, &["restore", dir.path().join("没有.db").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("找不到文件"), "{err}");
    assert_eq!(json(&db, &["list", "experts", "--json"]), serde_json::json!([]));
}

#[test]
fn automatic_backups_rotate_and_can_live_elsewhere() {
    let (dir, db) = demo_db();
    let usb = dir.path().join("U盘").join("伯乐备份");
    let (code, out, err) = bole(&db, &["backups", "--dir", usb.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("备份文件夹已改为"), "{out}");
    let csv = dir.path().join("一位.csv");
    for i in 0..13 {
        std::fs::write(&csv, format!("专家编号,姓名,工作单位,研究方向\nR{i:02},测试{i},福州大学,稀土永磁\n")).unwrap();
        assert_eq!(bole(&db, &["import", "experts", csv.to_str().unwrap()]).0, 0);
    }
    let names: Vec<String> =
        std::fs::read_dir(&usb).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    let before = names.iter().filter(|n| n.starts_with("bole-before-") && n.ends_with("-import.db")).count();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    assert_eq!(before, 10, "the last 10 before-import backups are kept: {names:?}");
    assert!(names.iter().any(|n| n.starts_with("bole-manual-")), "{names:?}");
    // Backups can never be the target of an export.
    let (code, _, err) = bole(&db, &["export", "experts", "--out", usb.join("x.xlsx").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("伯乐自己的"), "{err}");
}

#[test]
fn no_output_can_overwrite_the_database() {
    let (dir, db) = demo_db();
    demo_meeting(&db);
    let before = lists(&db);
    let wal = format!("{}-wal", db.display());
    let shm = format!("{}-shm", db.display());
    let index_file = db.with_extension("index").join("meta.json");
    let dotted = dir.path().join(".").join("bole.db");
    for out in [db.to_str().unwrap(), &wal, &shm, index_file.to_str().unwrap(), dotted.to_str().unwrap()] {
        for args in [
            vec!["meeting", "export", "1", "--format", "xlsx", "--out", out],
            vec!["export", "experts", "--out", out],
            vec!["backup", "--out", out],
            vec!["import", "demands", "/nonexistent.xlsx", "--rejected-out", out],
        ] {
            let (code, _, err) = bole(&db, &args);
            assert_eq!(code, 1, "{args:?}");
            assert!(
                err.contains("伯乐自己的") || err.contains("找不到") || err.contains("无法读取"),
                "{args:?}: {err}"
            );
        }
    }
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/demands_bad_rows.xlsx");
    let (code, _, err) = bole(
        &db,
        &["import", "demands", fixture.to_str().unwrap(), "--dry-run", "--rejected-out", db.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(err.contains("伯乐自己的"), "{err}");
    assert_eq!(lists(&db), before);
}

#[test]
fn a_failed_assignment_keeps_the_meeting_as_it_was() {
    let (_dir, db) = demo_db();
    demo_meeting(&db);
    let meeting = json(&db, &["meeting", "show", "对接会", "--json"]);
    let d = meeting["demands"][0]["ext_id"].as_str().unwrap().to_string();
    let e = meeting["experts"][0]["ext_id"].as_str().unwrap().to_string();
    let (code, _, err) =
        bole(&db, &["meeting", "assign", "1", "--cap", &format!("{e}=1"), "--bounds", &format!("{d}=40-50")]);
    assert_eq!(code, 1, "{err}");
    let pair = meeting["pairs"][0].clone();
    let ext = |list: &str, key: &str, id: &serde_json::Value| {
        let rows = meeting[list].as_array().unwrap();
        rows.iter().find(|r| r[key] == *id).unwrap()["ext_id"].as_str().unwrap().to_string()
    };
    let (pd, pe) = (ext("demands", "demand_id", &pair["demand_id"]), ext("experts", "expert_id", &pair["expert_id"]));
    let (code, _, _) =
        bole(&db, &["meeting", "assign", "1", "--remove", &format!("{pd}:{pe}"), "--bounds", &format!("{d}=40-50")]);
    assert_eq!(code, 1);
    assert_eq!(
        json(&db, &["meeting", "show", "对接会", "--json"]),
        meeting,
        "neither the cap, the bounds nor the removal stayed"
    );
}

#[test]
fn export_then_import_into_an_empty_database_gives_the_same_lists() {
    let (dir, db) = demo_db();
    let core = Core::open(&db).unwrap();
    let fresh_db = dir.path().join("新库.db");
    let mut fresh = Core::open(&fresh_db).unwrap();
    for (kind, file) in [(RecordKind::Expert, "专家.xlsx"), (RecordKind::Demand, "需求.csv")] {
        let path = dir.path().join(file);
        core.export_list(kind, &path).unwrap();
        let plan = fresh.plan_file(&path, kind).unwrap();
        assert!(plan.rejected.is_empty(), "{:?}", plan.rejected.first());
        fresh.commit_import(&plan, false, &mut |_, _| {}, None).unwrap();
    }
    let strip_e = |mut v: Vec<bole::domain::Expert>| {
        for e in &mut v {
            (e.id, e.created_at, e.updated_at, e.subfield_text) = (0, String::new(), String::new(), String::new());
        }
        v
    };
    assert_eq!(strip_e(fresh.all_experts().unwrap()), strip_e(core.all_experts().unwrap()));
    let strip_d = |mut v: Vec<bole::domain::Demand>| {
        for d in &mut v {
            (d.id, d.enterprise_id, d.created_at, d.updated_at, d.subfield_text) =
                (0, None, String::new(), String::new(), String::new());
        }
        v
    };
    assert_eq!(strip_d(fresh.all_demands().unwrap()), strip_d(core.all_demands().unwrap()));
    let ents = |c: &Core| {
        let mut v = bole::store::list_enterprises(&c.conn).unwrap();
        for e in &mut v {
            (e.id, e.created_at, e.updated_at) = (0, String::new(), String::new());
        }
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    };
    assert_eq!(ents(&fresh), ents(&core));
}

#[test]
fn clearing_the_demo_removes_demo_records_and_nothing_else() {
    let (dir, db) = demo_db();
    let csv = dir.path().join("真实专家.csv");
    std::fs::write(&csv, "专家编号,姓名,工作单位,研究方向\nR001,王真实,福州大学,稀土永磁材料\n").unwrap();
    assert_eq!(bole(&db, &["import", "experts", csv.to_str().unwrap()]).0, 0);
    let csv = dir.path().join("真实需求.csv");
    std::fs::write(
        &csv,
        "需求编号,企业名称,需求名称,需求描述\nRD01,清流真实材料有限公司,永磁体矫顽力偏低,烧结钕铁硼矫顽力不足\n",
    )
    .unwrap();
    assert_eq!(bole(&db, &["import", "demands", csv.to_str().unwrap()]).0, 0);
    // A demo expert re-imported from a real list becomes real data.
    let all = json(&db, &["list", "experts", "--json"]);
    let demo_expert = all.as_array().unwrap().iter().find(|e| e["id"] == "ZJ0001").unwrap().clone();
    let csv = dir.path().join("更新.csv");
    let line = format!(
        "专家编号,姓名,工作单位,研究方向\n{},{},{},真实名单里的方向\n",
        demo_expert["id"].as_str().unwrap(),
        demo_expert["name"].as_str().unwrap(),
        demo_expert["institution"].as_str().unwrap()
    );
    std::fs::write(&csv, line).unwrap();
    assert_eq!(bole(&db, &["import", "experts", csv.to_str().unwrap()]).0, 0);
    assert_eq!(bole(&db, &["exclude", "--expert", "R001", "--demand", "XQ2024-001"]).0, 0);
    let mut core = Core::open(&db).unwrap();
    assert_eq!(core.demo_counts().unwrap(), (372, 108));
    let cleared = core.clear_demo().unwrap();
    assert_eq!((cleared.experts, cleared.demands, cleared.enterprises), (372, 108, 41));
    let experts: Vec<String> = core.all_experts().unwrap().into_iter().map(|e| e.ext_id).collect();
    assert_eq!(experts, vec!["R001".to_string(), demo_expert["id"].as_str().unwrap().to_string()]);
    let demands: Vec<String> = core.all_demands().unwrap().into_iter().map(|d| d.ext_id).collect();
    assert_eq!(demands, vec!["RD01"]);
    assert_eq!(core.demo_counts().unwrap(), (0, 0));
    let n: i64 = core.conn.query_row("SELECT count(*) FROM exclusion", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0, "the exclusion hung on a demo demand's enterprise");
    let hits = core.search(&SearchRequest::new(RecordKind::Expert, "碳化硅")).unwrap();
    assert!(hits.is_empty(), "the index follows: {hits:?}");
}

/// Counts of the lists in a database file, read directly, and its integrity.
fn state(db: &Path) -> (i64, i64, i64, String) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    (q("SELECT count(*) FROM expert"), q("SELECT count(*) FROM demand"), q("SELECT count(*) FROM meeting_pair"), ok)
}

/// Starts `bole`, kills it after `ms` milliseconds (or lets it finish).
fn killed_after(db: &Path, args: &[&str], ms: u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bole"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(ms));
    let _ = child.kill();
    child.wait().unwrap();
}

#[test]
fn killed_restore_assign_export_and_edit_leave_a_whole_database() {
    let (dir, db) = demo_db();
    demo_meeting(&db);
    let copy = dir.path().join("copy.db");
    assert_eq!(bole(&db, &["backup", "--out", copy.to_str().unwrap()]).0, 0);
    let full = state(&db);
    assert_eq!(bole(&db, &["demo", "--clear"]).0, 0);
    let empty = state(&db);
    for ms in [5, 40, 80, 150, 300] {
        killed_after(&db, &["restore", copy.to_str().unwrap()], ms);
        let s = state(&db);
        assert!(s == full || s == empty, "restore killed after {ms} ms: {s:?}");
        if s == full {
            assert_eq!(bole(&db, &["demo", "--clear"]).0, 0);
        }
    }
    assert_eq!(bole(&db, &["restore", copy.to_str().unwrap()]).0, 0);
    let paired = state(&db);
    let out = dir.path().join("对接表.xlsx");
    for ms in [5, 40, 80, 150, 300] {
        killed_after(&db, &["meeting", "assign", "1", "--remove", "XQ2024-001:ZJ0001"], ms);
        let s = state(&db);
        assert_eq!(s.3, "ok", "assign killed after {ms} ms");
        assert!(s.0 == paired.0 && s.1 == paired.1, "{s:?}");
        killed_after(&db, &["meeting", "export", "1", "--out", out.to_str().unwrap()], ms);
        if out.exists() {
            let sheets = bole::io::table::read_path(&out).expect("a complete workbook or none");
            assert!(!sheets.is_empty());
        }
        killed_after(&db, &["available", "--expert", "ZJ0001", if ms % 2 == 0 { "no" } else { "yes" }], ms);
        assert_eq!(state(&db).3, "ok", "edit killed after {ms} ms");
    }
    let temps: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    // A killed export may leave its temp file; it is cleared by the next export of that file
    // once older than ten minutes, and never mistaken for the workbook.
    assert!(temps.iter().all(|t| t.starts_with(".对接表.xlsx.")), "{temps:?}");
}

#[test]
fn undo_brings_back_a_deleted_expert_with_exclusions_and_pairings_and_a_whole_import() {
    let (dir, db) = demo_db();
    demo_meeting(&db);
    let mut core = Core::open(&db).unwrap();
    let e = core.expert("ZJ0001").unwrap();
    let d = core.demand("XQ2024-001").unwrap();
    let en = d.enterprise_id.unwrap();
    core.set_exclusion(e.id, en, Some(bole::domain::ExclusionKind::Conflict), "亲属").unwrap();
    core.add_pairing(e.id, d.id, 50.0, "测试").unwrap();
    let deps = bole::store::dependents(&core.conn, RecordKind::Expert, e.id).unwrap();
    assert!(deps.count("exclusion") == 1 && deps.count("pairing") == 1, "{deps:?}");
    core.delete_expert(e.id).unwrap();
    assert!(core.expert("ZJ0001").is_err());

    let undone = core.undo_last().unwrap();
    assert_eq!(undone.action, "delete");
    let back = core.expert("ZJ0001").unwrap();
    assert_eq!((back.id, &back.name, &back.research), (e.id, &e.name, &e.research));
    let deps_back = bole::store::dependents(&core.conn, RecordKind::Expert, e.id).unwrap();
    assert_eq!(deps_back, deps, "exclusions, pairings and meeting places are back");
    let hits = core.search(&SearchRequest::new(RecordKind::Expert, &e.name)).unwrap();
    assert!(hits.iter().any(|h| h.id == e.id), "the index follows the undo");

    // A whole import: the added rows go, the updated ones return to what they were.
    let csv = dir.path().join("名单.csv");
    std::fs::write(&csv, "专家编号,姓名,工作单位,研究方向\nZJ0002,彭伟宇,新单位,新方向\nNEW01,郑一鸣,福州大学,锆铪分离\nNEW02,林二,厦门大学,稀土永磁\n").unwrap();
    let before = core.expert("ZJ0002").unwrap();
    let plan = core.plan_file(&csv, RecordKind::Expert).unwrap();
    core.commit_import(&plan, false, &mut |_, _| {}, None).unwrap();
    assert_eq!(core.expert("ZJ0002").unwrap().institution, "新单位");
    let undone = core.undo_last().unwrap();
    assert_eq!(undone.action, "import");
    assert!(core.expert("NEW01").is_err() && core.expert("NEW02").is_err());
    let restored = core.expert("ZJ0002").unwrap();
    assert_eq!((restored.institution, restored.research), (before.institution, before.research));

    // Undo goes back step by step; a record changed since is not overwritten.
    let log = core.log(100).unwrap();
    assert!(log.iter().filter(|b| b.action == "undo").count() == 2, "{log:?}");
    core.undo_last().unwrap(); // the pairing added above
    let mut e2 = core.expert("ZJ0001").unwrap();
    e2.note = "之后又改过".into();
    core.save_expert(e2).unwrap();
    let edit = core.log(1).unwrap().remove(0);
    let exclusion = core.log(100).unwrap().into_iter().find(|b| b.action == "exclusion").unwrap();
    let mut e3 = core.expert("ZJ0001").unwrap();
    e3.note = "再改".into();
    core.save_expert(e3).unwrap();
    let err = core.undo_batch(edit.id).unwrap_err();
    assert!(bole::text::error(&err).contains("之后又被修改"), "{err}");
    assert_eq!(core.expert("ZJ0001").unwrap().note, "再改");
    core.undo_batch(exclusion.id).unwrap();
    let n: i64 = core.conn.query_row("SELECT count(*) FROM exclusion", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0);

    // The CLI shows the log with fields before → after, and undoes.
    drop(core);
    let (code, out, err) = bole(&db, &["log", "--record", "ZJ0001"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("备注：之后又改过 → 再改"), "{out}");
    let v = json(&db, &["log", "--json", "--limit", "3"]);
    assert_eq!(v[0]["action"], "撤销", "{v}");
    assert_eq!(v[0]["changes"][0]["what"], "删除", "{v}");
    assert_eq!(v[1]["changes"][0]["fields"][0]["after"], "再改", "{v}");
    let (code, out, _) = bole(&db, &["undo"]);
    assert_eq!(code, 0);
    assert!(out.contains("已撤销第"), "{out}");
}

#[test]
fn two_imports_started_together_both_land() {
    let (dir, db) = demo_db();
    let mut children = Vec::new();
    for k in 0..2 {
        let csv = dir.path().join(format!("名单{k}.csv"));
        let mut text = String::from("专家编号,姓名,工作单位,研究方向\n");
        for i in 0..3000 {
            text.push_str(&format!("P{k}{i:05},专家{k}_{i},测试大学{},碳化硅外延第{i}项\n", i % 40));
        }
        std::fs::write(&csv, text).unwrap();
        children.push(
            Command::new(env!("CARGO_BIN_EXE_bole"))
                .arg("--db")
                .arg(&db)
                .args(["import", "experts", csv.to_str().unwrap()])
                .output_async(),
        );
    }
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let n = json(&db, &["list", "experts", "--json"]).as_array().unwrap().len();
    assert_eq!(n, 373 + 6000);

    // Another program holds the write lock for 7 s (a long import in the window): readers go on,
    // the command-line import waits and lands.
    let holder = {
        let db = db.clone();
        std::thread::Builder::new()
            .name("write-lock-holder".into())
            .spawn(move || {
                let c = rusqlite::Connection::open(&db).unwrap();
                c.execute_batch("BEGIN IMMEDIATE; UPDATE expert SET note = '长事务' WHERE ext_id = 'ZJ0001';").unwrap();
                std::thread::sleep(std::time::Duration::from_secs(7));
                c.execute_batch("COMMIT").unwrap();
            })
            .unwrap()
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    let started = std::time::Instant::now();
    let (code, out, err) = bole(&db, &["list", "demands"]);
    assert_eq!(code, 0, "a reader is not blocked: {err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "the reader waited {:?}", started.elapsed());
    assert!(out.contains("共 108 条需求"));
    let csv = dir.path().join("名单0.csv");
    std::fs::write(&csv, "专家编号,姓名,工作单位,研究方向\nW1,等待者,福州大学,稀土永磁\n").unwrap();
    let (code, _, err) = bole(&db, &["import", "experts", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "the writer waited: {err}");
    holder.join().unwrap();
    assert_eq!(json(&db, &["list", "experts", "--json"]).as_array().unwrap().len(), 373 + 6001);
}

trait SpawnQuiet {
    fn output_async(&mut self) -> std::process::Child;
}

impl SpawnQuiet for Command {
    fn output_async(&mut self) -> std::process::Child {
        self.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).spawn().unwrap()
    }
}

#[test]
fn the_windows_undo_of_a_delete_shows_in_the_log_as_that_delete_undone() {
    let (_dir, db) = demo_db();
    let mut core = Core::open(&db).unwrap();
    let e = core.expert("ZJ0003").unwrap();
    let token = core.delete_expert(e.id).unwrap();
    core.restore(&token).unwrap();
    assert_eq!(core.expert("ZJ0003").unwrap().name, e.name);
    let log = core.log(2).unwrap();
    assert_eq!((log[0].action.as_str(), log[0].undoes), ("undo", Some(token.batch)));
    assert!(log[1].undone && log[1].action == "delete", "{log:?}");
    let next = bole::store::changelog::last_undoable(&core.conn).unwrap().map(|b| b.id);
    assert_ne!(next, Some(token.batch), "the delete is not offered for undo again");
}
