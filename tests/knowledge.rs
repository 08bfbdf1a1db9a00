//! 设置 → 知识库 through the engine on a database file: an edit is written to the data folder's
//! `knowledge/` files and used at once by matching and search (and by the next process); a merge
//! re-maps the records; export → import hands the same files to another office.
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken fixture")]

use std::path::Path;

use bole::domain::{Demand, Expert, KnowledgeEdit, RecordKind};
use bole::engine::{Core, OpenOutcome};
use bole::matching::Reason;
use bole::search::SearchRequest;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_string()).collect()
}

fn core_with_pair(dir: &Path) -> Core {
    let mut core = Core::open(&dir.join("bole.db")).unwrap();
    core.save_expert(Expert {
        ext_id: "E1".into(),
        name: "林一".into(),
        institution: "福州大学".into(),
        research: "鑫鑫酸的结晶与提纯，工业结晶过程控制".into(),
        subfields: s(&["FL03"]),
        available: true,
        ..Default::default()
    })
    .unwrap();
    core.save_demand(Demand {
        ext_id: "D1".into(),
        enterprise: "福建某氟化工有限公司".into(),
        title: "辰星盐 提纯".into(),
        description: "辰星盐 产品纯度不稳定，需要改进提纯工艺".into(),
        subfields: s(&["FL03"]),
        ..Default::default()
    })
    .unwrap();
    core
}

fn synonym_fired(core: &Core) -> bool {
    let d = core.demand("D1").unwrap();
    let list = core.match_demand(&d, 5).unwrap();
    list.iter().filter(|s| s.ext_id == "E1").flat_map(|s| &s.reasons).any(
        |r| matches!(r, Reason::Synonym { term, synonym, .. } if [term, synonym].iter().any(|w| w.contains("鑫鑫酸"))),
    )
}

#[test]
fn an_edit_is_written_and_used_at_once_by_matching_search_and_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut core = core_with_pair(dir.path());
    assert!(!synonym_fired(&core));
    let group = KnowledgeEdit::AddSynonymGroup { terms: s(&["鑫鑫酸", "辰星盐"]) };
    let mut progress = Vec::new();
    let done = core.edit_knowledge(&group, &mut |a, b| progress.push((a, b))).unwrap();
    assert_eq!(done.files, vec!["synonyms.toml"]);
    assert_eq!(progress.last(), Some(&(2, 2)));
    assert!(synonym_fired(&core), "matching uses the new group at once");
    let e1 = core.expert("E1").unwrap().id;
    let hits = core.search(&SearchRequest::new(RecordKind::Expert, "辰星盐")).unwrap();
    assert!(hits.iter().any(|h| h.id == e1), "search expands the new group");
    let file = std::fs::read_to_string(dir.path().join("knowledge/synonyms.toml")).unwrap();
    assert!(file.contains("\"鑫鑫酸\", \"辰星盐\""), "written in the file's own format");
    assert!(file.starts_with("# Bole（伯乐）同义词表"), "the file keeps its head comments");
    assert!(!dir.path().join("knowledge/taxonomy.toml").exists(), "only the changed file is written");
    assert_eq!(core.log(1).unwrap()[0].action, "knowledge");
    drop(core);
    // The next process reads the edited files, and the index built with them is reused.
    let core = Core::open(&dir.path().join("bole.db")).unwrap();
    assert_eq!(core.index_outcome, OpenOutcome::Reused);
    assert!(synonym_fired(&core));
}

#[test]
fn a_merge_re_maps_the_records_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let mut core = core_with_pair(dir.path());
    core.edit_knowledge(&KnowledgeEdit::MergeSubfield { from: "FL03".into(), into: "FL02".into() }, &mut |_, _| {})
        .unwrap();
    assert_eq!(core.expert("E1").unwrap().subfields, s(&["FL02"]));
    assert_eq!(core.demand("D1").unwrap().subfields, s(&["FL02"]));
    let lists = core.lists().unwrap();
    assert!(lists.experts.iter().all(|e| !e.subfields.contains(&"FL03".to_string())));
    let d1 = core.demand("D1").unwrap().id;
    let mut req = SearchRequest::new(RecordKind::Demand, "提纯");
    req.subfield = Some("FL02".into());
    let hits = core.search(&req).unwrap();
    assert!(hits.iter().any(|h| h.id == d1), "the index follows the re-mapped codes");
    let tax = std::fs::read_to_string(dir.path().join("knowledge/taxonomy.toml")).unwrap();
    assert!(!tax.contains("code = \"FL03\""));
}

#[test]
fn a_knowledge_change_is_undone_like_any_other_action_files_records_and_matching() {
    let dir = tempfile::tempdir().unwrap();
    let mut core = core_with_pair(dir.path());
    let builtin = bole::domain::KnowledgeFiles::builtin();
    let group = KnowledgeEdit::AddSynonymGroup { terms: s(&["鑫鑫酸", "辰星盐"]) };
    core.edit_knowledge(&group, &mut |_, _| {}).unwrap();
    assert!(synonym_fired(&core));
    let log = core.log(1).unwrap();
    assert_eq!((log[0].action.as_str(), log[0].rows), ("knowledge", 1), "logged with the file's images");
    let line = bole::text::row_change_line(&core.log_rows(log[0].id, 5).unwrap()[0]);
    assert_eq!(line, "修改 知识文件 synonyms.toml（新增 2 行，删除 0 行）");

    let undone = core.undo_last().unwrap();
    assert_eq!(undone.action, "knowledge");
    assert!(!synonym_fired(&core), "matching no longer uses the group");
    let file = std::fs::read_to_string(dir.path().join("knowledge/synonyms.toml")).unwrap();
    assert_eq!(file, builtin.synonyms, "the file is back");
    assert_eq!(core.knowledge_files().synonyms, builtin.synonyms);
    // The undo is an action of its own, and undoing it brings the group back.
    let redo = core.log(1).unwrap()[0].id;
    core.undo_batch(redo).unwrap();
    assert!(synonym_fired(&core));

    // A merge: the files and the records' subfields go back together, and the next process
    // starts with the files as they were put back.
    core.edit_knowledge(&KnowledgeEdit::MergeSubfield { from: "FL03".into(), into: "FL02".into() }, &mut |_, _| {})
        .unwrap();
    assert_eq!(core.expert("E1").unwrap().subfields, s(&["FL02"]));
    let merge = core.log(1).unwrap()[0].id;
    let labels: Vec<String> = core.log_rows(merge, 10).unwrap().into_iter().map(|r| r.label).collect();
    assert_eq!(labels, s(&["知识文件 taxonomy.toml", "知识文件 disciplines.toml", "E1 林一", "D1 辰星盐 提纯"]));
    core.undo_last().unwrap();
    assert_eq!(core.expert("E1").unwrap().subfields, s(&["FL03"]));
    assert_eq!(core.demand("D1").unwrap().subfields, s(&["FL03"]));
    assert!(core.knowledge.taxonomy.node("FL03").is_some());
    let mut req = SearchRequest::new(RecordKind::Demand, "提纯");
    req.subfield = Some("FL03".into());
    let d1 = core.demand("D1").unwrap().id;
    assert!(core.search(&req).unwrap().iter().any(|h| h.id == d1), "the index follows");
    drop(core);
    let core = Core::open(&dir.path().join("bole.db")).unwrap();
    assert!(core.knowledge.taxonomy.node("FL03").is_some());
    assert!(synonym_fired(&core));
}

#[test]
fn a_knowledge_undo_never_loses_a_later_edit() {
    let dir = tempfile::tempdir().unwrap();
    let mut core = core_with_pair(dir.path());
    core.edit_knowledge(&KnowledgeEdit::AddSynonymGroup { terms: s(&["鑫鑫酸", "辰星盐"]) }, &mut |_, _| {}).unwrap();
    let first = core.log(1).unwrap()[0].id;
    core.edit_knowledge(&KnowledgeEdit::AddSynonymGroup { terms: s(&["甲甲料", "乙乙料"]) }, &mut |_, _| {}).unwrap();
    let blocked = core.undo_batch(first).unwrap_err();
    assert!(bole::text::error(&blocked).contains("知识文件 synonyms.toml 在这一步之后又被修改"), "{blocked:?}");
    assert!(synonym_fired(&core), "nothing was undone");

    // The file edited by hand in the data folder: the undo would overwrite that edit.
    let path = dir.path().join("knowledge/synonyms.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n[[group]]\nterms = [\"丙丙料\", \"丁丁料\"]\n");
    std::fs::write(&path, &text).unwrap();
    drop(core);
    let mut core = Core::open(&dir.path().join("bole.db")).unwrap();
    assert!(core.undo_last().is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "the hand edit stays");
}

#[test]
fn export_then_import_gives_identical_files() {
    let a = tempfile::tempdir().unwrap();
    let mut one = core_with_pair(a.path());
    one.edit_knowledge(&KnowledgeEdit::AddSynonymGroup { terms: s(&["鑫鑫酸", "辰星盐"]) }, &mut |_, _| {}).unwrap();
    let add = KnowledgeEdit::AddSubfield {
        parent: "FL".into(),
        code: None,
        name: "含氟涂料".into(),
        aliases: s(&["氟碳涂料"]),
    };
    one.edit_knowledge(&add, &mut |_, _| {}).unwrap();
    let handed = a.path().join("交接");
    let names = one.export_knowledge(&handed).unwrap();
    assert_eq!(names.len(), 5);

    let b = tempfile::tempdir().unwrap();
    let mut two = Core::open(&b.path().join("bole.db")).unwrap();
    let done = two.import_knowledge(&handed, &mut |_, _| {}).unwrap();
    assert!(done.files.contains(&"synonyms.toml") && done.files.contains(&"taxonomy.toml"), "{done:?}");
    assert!(two.knowledge.taxonomy.map_label("氟碳涂料").code().is_some());
    assert_eq!(done.stray, 0);
    let back = b.path().join("再导出");
    two.export_knowledge(&back).unwrap();
    for n in names {
        let x = std::fs::read(handed.join(n)).unwrap();
        let y = std::fs::read(back.join(n)).unwrap();
        assert_eq!(x, y, "{n} differs after export → import → export");
    }
    assert_eq!(one.knowledge.fingerprint, two.knowledge.fingerprint);

    // A broken folder is refused whole: nothing of it replaces the knowledge in use.
    let broken = b.path().join("坏");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("synonyms.toml"), "[[group]]\nterms = [\"甲\", \"乙\"]\n").unwrap();
    std::fs::write(broken.join("problem_links.toml"), "[[link]]\nid = 3\n").unwrap();
    let before = two.knowledge.fingerprint;
    assert!(two.import_knowledge(&broken, &mut |_, _| {}).is_err());
    assert_eq!(two.knowledge.fingerprint, before);
    let synonyms = std::fs::read_to_string(b.path().join("knowledge/synonyms.toml")).unwrap();
    assert!(synonyms.contains("鑫鑫酸"));

    // A taxonomy without a code the records use: they keep it, and the change says how many.
    let merged = a.path().join("合并后");
    one.edit_knowledge(&KnowledgeEdit::MergeSubfield { from: "FL03".into(), into: "FL02".into() }, &mut |_, _| {})
        .unwrap();
    one.export_knowledge(&merged).unwrap();
    let c = b.path().join("三");
    std::fs::create_dir_all(&c).unwrap();
    let mut three = core_with_pair(&c);
    let done = three.import_knowledge(&merged, &mut |_, _| {}).unwrap();
    assert_eq!(done.stray, 2, "E1 and D1 stay under FL03");
    assert_eq!(three.expert("E1").unwrap().subfields, s(&["FL03"]));
    assert!(bole::text::knowledge_changed(&done).contains("2 条记录"));
}

#[test]
fn the_command_line_exports_and_imports_the_knowledge() {
    let bole = |db: &Path, args: &[&str]| {
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_bole")).arg("--db").arg(db).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let a = tempfile::tempdir().unwrap();
    let mut one = core_with_pair(a.path());
    one.edit_knowledge(&KnowledgeEdit::AddSynonymGroup { terms: s(&["鑫鑫酸", "辰星盐"]) }, &mut |_, _| {}).unwrap();
    drop(one);
    let handed = a.path().join("交接");
    let (code, out, err) = bole(&a.path().join("bole.db"), &["knowledge", "export", handed.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("已导出 5 个知识文件"), "{out}");
    let b = tempfile::tempdir().unwrap();
    let (code, out, err) = bole(&b.path().join("bole.db"), &["knowledge", "import", handed.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("知识库已更新"), "{out}");
    let synonyms = std::fs::read_to_string(b.path().join("knowledge/synonyms.toml")).unwrap();
    assert_eq!(synonyms, std::fs::read_to_string(handed.join("synonyms.toml")).unwrap());
    let empty = b.path().join("空");
    std::fs::create_dir_all(&empty).unwrap();
    let (code, _, err) = bole(&b.path().join("bole.db"), &["knowledge", "import", empty.to_str().unwrap()]);
    assert_ne!(code, Some(0));
    assert!(err.contains("没有知识文件"), "{err}");
}

#[test]
fn the_rebuild_reports_progress_and_finds_what_it_found_before() {
    let mut core = Core::in_memory(bole::domain::Knowledge::builtin()).unwrap();
    core.load_demo(&mut |_, _| {}).unwrap();
    let total = core.lists().unwrap().experts.len() + core.lists().unwrap().demands.len();
    let search = |core: &mut Core| {
        let mut all = Vec::new();
        for (kind, text) in
            [(RecordKind::Expert, "六氟磷酸锂 结晶"), (RecordKind::Demand, "压铸 气孔"), (RecordKind::Expert, "碳化硅")]
        {
            all.push(
                core.search(&SearchRequest::new(kind, text)).unwrap().into_iter().map(|h| h.id).collect::<Vec<_>>(),
            );
        }
        all
    };
    let before = search(&mut core);
    let mut seen = Vec::new();
    core.edit_knowledge(&KnowledgeEdit::AddSynonymGroup { terms: s(&["鑫鑫酸", "辰星盐"]) }, &mut |a, b| {
        seen.push((a, b));
    })
    .unwrap();
    assert_eq!(seen.first(), Some(&(0, total)));
    assert!(seen.contains(&(200, total)), "{seen:?}");
    assert_eq!(seen.last(), Some(&(total, total)));
    assert_eq!(search(&mut core), before, "an unrelated edit finds the same records in the same order");
}
