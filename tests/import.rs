//! Import on real files: the demo workbooks, a GBK CSV, messy headers, bad rows, old .xls and .ods,
//! broken files, re-import of a corrected file, likely duplicates, and all-or-nothing commits.
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use bole::domain::RecordKind;
use bole::domain::Taxonomy;
use bole::io::import::{self, Action, CommitOptions};
use bole::io::{ImportPlan, table};
use bole::{store, text};
use rusqlite::Connection;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn db() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = store::open(&dir.path().join("bole.db"), &Taxonomy::builtin()).unwrap();
    (dir, conn)
}

/// The dry run, with a failure as the sentence a user reads.
fn plan(conn: &Connection, path: &Path, kind: RecordKind) -> Result<ImportPlan, String> {
    let tables = table::read_path(path).map_err(|e| text::file_error(&e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    import::plan(conn, &Taxonomy::builtin(), &tables, kind, &name).map_err(|e| text::file_error(&e))
}

fn commit(conn: &mut Connection, p: &ImportPlan) -> import::Counts {
    import::commit(
        conn,
        p,
        CommitOptions { merge_duplicates: false, progress: &mut |_, _| {}, cancel: None, demo: false, log: None },
    )
    .unwrap()
}

fn reasons(p: &ImportPlan) -> Vec<(usize, String, String)> {
    p.rejected.iter().flat_map(|r| r.reasons.iter().map(|i| (i.row, i.column.clone(), i.message()))).collect()
}

#[test]
fn demo_workbooks_import_and_reimport_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut core = bole::engine::Core::open(&dir.path().join("bole.db")).unwrap();
    let tax = Taxonomy::builtin();
    let (e, d) = core.load_demo(&mut |_, _| {}).unwrap();
    let conn = &core.conn;
    assert!(e.added >= 300, "{e:?}");
    assert!(d.added >= 80, "{d:?}");
    assert_eq!((e.rejected, d.rejected), (0, 0));
    let experts = store::list_experts(conn).unwrap();
    // Every subfield of the taxonomy has demo experts.
    for node in tax.nodes().iter().filter(|n| n.parent.is_some()) {
        assert!(
            experts.iter().any(|x| x.subfields.contains(&node.code)),
            "no demo expert in {} {}",
            node.code,
            node.name
        );
    }
    let demands = store::list_demands(conn).unwrap();
    let fields: std::collections::BTreeSet<&str> =
        demands.iter().flat_map(|d| d.subfields.iter().map(|c| tax.field_of(c))).collect();
    assert_eq!(fields.len(), tax.fields().count(), "demands cover every field: {fields:?}");
    assert!(store::list_enterprises(conn).unwrap().len() >= 20);

    let (e2, d2) = core.load_demo(&mut |_, _| {}).unwrap();
    assert_eq!((e2.added, e2.updated, e2.unchanged), (0, 0, e.added));
    assert_eq!((d2.added, d2.updated, d2.unchanged), (0, 0, d.added));
}

#[test]
fn gbk_csv_is_decoded_and_unmapped_subfields_are_kept() {
    let (_d, mut conn) = db();
    let p = plan(&conn, &fixture("experts_gbk.csv"), RecordKind::Expert).unwrap();
    assert_eq!(p.counts().added, 3);
    assert!(
        p.warnings.iter().any(|w| w.row == 4 && w.message().contains("兵器科学") && w.message().contains("原样保留"))
    );
    commit(&mut conn, &p);
    let e = store::find_expert(&conn, "G002").unwrap().unwrap();
    assert_eq!(e.name, "林美华");
    assert_eq!(e.subfields, vec!["FL01", "NE01"]);
    assert_eq!(e.keywords, vec!["PVDF", "浆料", "流变"]);
    assert_eq!(e.phone, "0591-83700002");
    let g3 = store::find_expert(&conn, "G003").unwrap().unwrap();
    assert!(g3.subfields.is_empty());
    assert_eq!(g3.subfield_text, "兵器科学");
}

#[test]
fn messy_headers_title_rows_and_merged_cells() {
    let (_d, mut conn) = db();
    let p = plan(&conn, &fixture("experts_messy_headers.xlsx"), RecordKind::Expert).unwrap();
    assert_eq!(p.header_row, 2);
    assert_eq!(p.ignored_columns, vec!["序号", "填表人"]);
    assert_eq!(p.counts().added, 3);
    commit(&mut conn, &p);
    let experts = store::list_experts(&conn).unwrap();
    let wu = experts.iter().find(|e| e.name == "吴晓琳").unwrap();
    assert_eq!(wu.institution, "厦门大学", "merged cell value reaches the second row");
    assert_eq!(wu.subfields, vec!["LW01", "LW02"]);
    assert_eq!(wu.phone, "13800000012", "numbers stored as numbers keep all digits");
    assert!(wu.ext_id.starts_with("BL-E"), "rows without 编号 get a generated one");
    let zhou = experts.iter().find(|e| e.name == "周文斌").unwrap();
    assert_eq!((zhou.gender.as_str(), zhou.email.as_str()), ("男", "zhouwb@example.edu.cn"));
}

#[test]
fn old_xls_and_ods_files_read_like_xlsx() {
    for f in ["experts_old.xls", "experts_wps.ods"] {
        let (_d, conn) = db();
        let p = plan(&conn, &fixture(f), RecordKind::Expert).unwrap();
        let names: Vec<&str> = p.experts.iter().map(|e| e.record.name.as_str()).collect();
        assert_eq!(names, vec!["高明", "罗敏"], "{f}");
        assert_eq!(p.experts[1].record.subfields, vec!["SC04"], "{f}");
    }
}

#[test]
fn bad_rows_are_rejected_with_reasons_and_can_be_fixed_and_reimported() {
    let (dir, mut conn) = db();
    let p = plan(&conn, &fixture("experts_bad_rows.xlsx"), RecordKind::Expert).unwrap();
    let r = reasons(&p);
    let has =
        |row: usize, col: &str, needle: &str| r.iter().any(|(rr, c, m)| *rr == row && c == col && m.contains(needle));
    assert!(has(3, "邮箱", "sunli#example.edu.cn"), "{r:?}");
    assert!(has(4, "性别", "男性?"), "{r:?}");
    assert!(has(5, "姓名", "缺少姓名"), "{r:?}");
    assert!(has(6, "编号", "第 2 行重复"), "{r:?}");
    assert!(has(7, "电话", "格式不正确"), "{r:?}");
    assert_eq!(p.counts().added, 2);
    assert_eq!(p.counts().rejected, 5);
    let report = text::import_report(&p, false);
    assert!(report.contains("拒绝 5 条") && report.contains("第 3 行【邮箱】"), "{report}");

    // The rejected rows go to an xlsx with the original header and a reason column.
    let out = dir.path().join("需修改 的行.xlsx");
    bole::io::export::save_rejected_rows(&p, &out).unwrap();
    let sheets = table::read_path(&out).unwrap();
    let rows = &sheets[0].rows;
    assert_eq!(rows.len(), 6);
    assert_eq!(&rows[0][..3], &["编号", "姓名", "性别"]);
    assert_eq!(rows[0][8], "拒绝原因");
    assert!(rows[1][8].contains("邮箱格式不正确"));
    assert_eq!(rows[1][9], "3");

    commit(&mut conn, &p);
    assert_eq!(store::count(&conn, store::Table::Experts).unwrap(), 2);
    // The corrected file updates B001/B007, adds the fixed ones, duplicates nothing.
    let fixed = plan(&conn, &fixture("experts_bad_rows_fixed.xlsx"), RecordKind::Expert).unwrap();
    let c = fixed.counts();
    assert_eq!((c.added, c.updated, c.unchanged, c.rejected), (4, 1, 1, 0), "{}", text::import_report(&fixed, false));
    commit(&mut conn, &fixed);
    assert_eq!(store::count(&conn, store::Table::Experts).unwrap(), 6);
    assert!(store::find_expert(&conn, "B007").unwrap().unwrap().research.contains("已更新"));
}

#[test]
fn demand_rows_validate_budget_urgency_deadline_status_and_credit_code() {
    let (_d, mut conn) = db();
    let p = plan(&conn, &fixture("demands_bad_rows.xlsx"), RecordKind::Demand).unwrap();
    let r = reasons(&p);
    let cols: Vec<(usize, &str)> = r.iter().map(|(row, c, _)| (*row, c.as_str())).collect();
    for expected in
        [(4, "拟投入经费"), (5, "紧急程度"), (6, "截止时间"), (7, "状态"), (7, "统一社会信用代码"), (8, "需求名称")]
    {
        assert!(cols.contains(&expected), "missing {expected:?} in {r:?}");
    }
    assert_eq!(p.counts().added, 2);
    // 清溪新材料 is flagged as the same enterprise as 福建清溪新材料有限公司, not merged.
    assert!(p.duplicates.iter().any(|d| d.row == 3 && d.other.contains("福建清溪新材料有限公司")));
    commit(&mut conn, &p);
    let t1 = store::find_demand(&conn, "T001").unwrap().unwrap();
    assert_eq!((t1.budget_wan, t1.deadline.as_str()), (Some(80.0), "2026-06-30"));
    let t2 = store::find_demand(&conn, "T002").unwrap().unwrap();
    assert_eq!((t2.budget_wan, t2.deadline.as_str(), t2.enterprise.as_str()), (Some(50.0), "2026-12", "清溪新材料"));
    assert_eq!(store::list_enterprises(&conn).unwrap().len(), 2);
}

#[test]
fn near_duplicate_experts_are_flagged_not_merged_unless_asked() {
    let (dir, mut conn) = db();
    let a = dir.path().join("a.csv");
    std::fs::write(&a, "姓名,单位,研究方向\n张伟,厦门大学材料学院,碳化硅外延\n").unwrap();
    let p = plan(&conn, &a, RecordKind::Expert).unwrap();
    commit(&mut conn, &p);
    let b = dir.path().join("b.csv");
    std::fs::write(&b, "姓名,单位,研究方向\n张伟,厦门大学 材料学院,碳化硅外延生长\n").unwrap();
    let p = plan(&conn, &b, RecordKind::Expert).unwrap();
    assert_eq!(p.experts[0].action, Action::Add);
    assert_eq!(p.duplicates.len(), 1);
    assert!(p.duplicates[0].other.contains("厦门大学材料学院"), "{:?}", p.duplicates);
    assert!(text::import_report(&p, false).contains("可能重复"));
    // Merging on request updates the stored record instead of adding.
    let c = import::commit(
        &mut conn,
        &p,
        CommitOptions { merge_duplicates: true, progress: &mut |_, _| {}, cancel: None, demo: false, log: None },
    )
    .unwrap();
    assert_eq!((c.added, c.updated), (0, 1));
    assert_eq!(store::count(&conn, store::Table::Experts).unwrap(), 1);
}

#[test]
fn broken_files_never_change_the_database() {
    let (_d, mut conn) = db();
    let p = plan(&conn, &fixture("experts_gbk.csv"), RecordKind::Expert).unwrap();
    commit(&mut conn, &p);
    let before = store::list_experts(&conn).unwrap();
    let e = plan(&conn, &fixture("broken_truncated.xlsx"), RecordKind::Expert).unwrap_err();
    assert!(e.contains("已损坏"), "{e}");
    let e = plan(&conn, &fixture("not_a_list.csv"), RecordKind::Expert).unwrap_err();
    assert!(e.contains("找不到") && e.contains("表头"), "{e}");
    let e = plan(&conn, &fixture("does_not_exist.xlsx"), RecordKind::Expert).unwrap_err();
    assert!(e.contains("文件不存在"), "{e}");
    assert_eq!(store::list_experts(&conn).unwrap(), before);
}

#[test]
fn csv_with_an_unclosed_quote_is_refused_naming_the_line() {
    let (_d, conn) = db();
    let e = plan(&conn, &fixture("experts_unclosed_quote.csv"), RecordKind::Expert).unwrap_err();
    assert!(e.starts_with("文件“experts_unclosed_quote.csv”第 4 行的引号没有配对"), "{e}");
    assert!(e.contains("后面的 1 行"), "{e}");
    assert_eq!(store::count(&conn, store::Table::Experts).unwrap(), 0);
}

#[test]
fn cancelled_or_failing_commit_rolls_back_everything() {
    let (_d, mut conn) = db();
    let p = plan(&conn, &fixture("experts_bad_rows_fixed.xlsx"), RecordKind::Expert).unwrap();
    let cancel = AtomicBool::new(true);
    let err = import::commit(
        &mut conn,
        &p,
        CommitOptions {
            merge_duplicates: false,
            progress: &mut |_, _| {},
            cancel: Some(&cancel),
            demo: false,
            log: None,
        },
    )
    .unwrap_err();
    assert!(text::file_error(&err).contains("取消"), "{err}");
    assert_eq!(store::count(&conn, store::Table::Experts).unwrap(), 0);

    // A row that fails inside the transaction (a stored duplicate 编号 appears meanwhile) undoes the rows before it.
    let mut p2 = p.clone();
    p2.experts[3].record.ext_id = p2.experts[0].record.ext_id.clone();
    assert!(
        import::commit(
            &mut conn,
            &p2,
            CommitOptions { merge_duplicates: false, progress: &mut |_, _| {}, cancel: None, demo: false, log: None }
        )
        .is_err()
    );
    assert_eq!(store::count(&conn, store::Table::Experts).unwrap(), 0);
}
