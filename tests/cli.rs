//! The `bole` binary as a user runs it: exit codes, Chinese errors, JSON with external ids, and a
//! process killed in the middle of an import leaving the database as it was.
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

fn bole(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bole")).arg("--db").arg(db).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).to_string_lossy().into_owned()
}

#[test]
fn import_list_json_and_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("数据 目录").join("bole.db");
    let (code, out, _) = bole(&db, &["import", "experts", &fixture("experts_gbk.csv"), "--dry-run"]);
    assert_eq!(code, 0);
    assert!(out.contains("新增 3 条") && out.contains("预览"), "{out}");
    let (_, out, _) = bole(&db, &["list", "experts", "--json"]);
    assert_eq!(out.trim(), "[]", "dry run wrote nothing");

    let (code, out, _) = bole(&db, &["import", "experts", &fixture("experts_gbk.csv")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("导入完成：新增 3"), "{out}");
    let (code, out, _) = bole(&db, &["list", "experts", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["G001", "G002", "G003"]);
    assert_eq!(v[0]["name"], "陈立新");
    assert!(v[0]["subfields"].is_array() && v[0]["suggested_subfields"].is_array(), "{}", v[0]);
    let (_, out, _) = bole(&db, &["list", "experts"]);
    assert!(out.contains("G002\t林美华\t华侨大学") && out.contains("共 3 位专家"), "{out}");
}

#[test]
fn rejected_rows_can_be_saved_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    let out_xlsx = dir.path().join("退回修改.xlsx");
    let (code, out, _) = bole(
        &db,
        &["import", "demands", &fixture("demands_bad_rows.xlsx"), "--rejected-out", out_xlsx.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("已将 5 个被拒绝的行保存到"), "{out}");
    assert!(out_xlsx.exists());
}

#[test]
fn failures_are_chinese_and_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    let (code, _, err) = bole(&db, &["import", "experts", &fixture("broken_truncated.xlsx")]);
    assert_eq!(code, 1);
    assert!(err.starts_with("错误：") && err.contains("已损坏"), "{err}");
    let (code, _, err) = bole(&db, &["import", "lists", "x.xlsx"]);
    assert_eq!(code, 2);
    assert!(err.contains("应为 experts、demands 或 pairings"), "{err}");
    let (code, _, err) = bole(&db, &["frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.contains("不认识的命令"), "{err}");
    let (code, _, err) = bole(&db, &["list", "experts", "--xml"]);
    assert_eq!(code, 2);
    assert!(err.contains("不认识的选项"), "{err}");
    let bad_db = dir.path().join("not.db");
    std::fs::write(&bad_db, vec![b'x'; 4096]).unwrap();
    let (code, _, err) = bole(&bad_db, &["list", "experts"]);
    assert_eq!(code, 1);
    assert!(err.contains("数据库"), "{err}");
}

#[test]
fn demo_loads_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    let (code, out, _) = bole(&db, &["demo"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("已载入演示数据"), "{out}");
    let (_, out, _) = bole(&db, &["demo"]);
    assert!(out.contains("新增 0 / 更新 0；需求 新增 0 / 更新 0"), "{out}");
}

/// Killing the process while it writes an import leaves the database exactly as before.
#[test]
fn killed_import_leaves_database_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    assert_eq!(bole(&db, &["import", "experts", &fixture("experts_gbk.csv")]).0, 0);
    let big = dir.path().join("big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
    writeln!(f, "编号,姓名,单位,新材料细分领域,研究方向,关键词").unwrap();
    for i in 0..60_000 {
        writeln!(f, "K{i:06},专家{i},测试大学{},碳化硅,碳化硅外延与缺陷控制第{i}项,碳化硅、外延", i % 50).unwrap();
    }
    drop(f);
    let mut child = Command::new(env!("CARGO_BIN_EXE_bole"))
        .arg("--db")
        .arg(&db)
        .args(["import", "experts", big.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().expect("progress line").unwrap();
    assert!(first.starts_with("已写入 500/"), "{first}");
    child.kill().unwrap();
    child.wait().unwrap();

    let conn = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = conn.query_row("SELECT count(*) FROM expert", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 3, "no row of the killed import is visible");
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let (code, out, _) = bole(&db, &["list", "experts"]);
    assert_eq!(code, 0);
    assert!(out.contains("共 3 位专家"), "{out}");
}

#[test]
fn classify_confirms_suggestions_above_a_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    assert_eq!(bole(&db, &["demo"]).0, 0);
    let json = |args: &[&str]| -> serde_json::Value {
        let (code, out, err) = bole(&db, args);
        assert_eq!(code, 0, "{out}{err}");
        serde_json::from_str(&out).unwrap()
    };
    let before = json(&["classify", "--json"]);
    let before = before.as_array().unwrap();
    assert!(!before.is_empty(), "the demo has experts without a subfield");
    // What should be confirmed: each record's best suggestion at 0.99 or more.
    let expected: Vec<(String, String)> = before
        .iter()
        .filter_map(|r| {
            let best = r["suggestions"].as_array()?.first()?;
            (best["confidence"].as_f64()? >= 0.99)
                .then(|| (r["id"].as_str().unwrap().to_string(), best["code"].as_str().unwrap().to_string()))
        })
        .collect();
    assert!(!expected.is_empty(), "{before:?}");
    let accepted = json(&["classify", "--accept-above", "0.99", "--json"]);
    let got: Vec<(String, String)> = accepted
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap().to_string(), a["code"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(got, expected);
    // They are confirmed now: listed with the code, and no longer waiting.
    let after = json(&["classify", "--json"]);
    assert_eq!(after.as_array().unwrap().len(), before.len() - expected.len());
    let experts = json(&["list", "experts", "--json"]);
    let (id, code) = &expected[0];
    let e = experts.as_array().unwrap().iter().find(|e| e["id"] == id.as_str()).unwrap();
    assert!(e["subfields"].as_array().unwrap().iter().any(|c| c == code.as_str()), "{e}");
    let (code, _, err) = bole(&db, &["classify", "--accept-above", "1.5"]);
    assert_eq!(code, 2);
    assert!(err.contains("应为 0 到 1 之间的数"), "{err}");
}
