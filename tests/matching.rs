//! Matching on real files through the engine: knowledge links and synonyms fire and are shown,
//! exclusions hold, ranking is deterministic, both directions work, and the on-disk index
//! survives deletion and follows edits.
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

use std::path::Path;

use bole::domain::ExclusionKind;
use bole::domain::Knowledge;
use bole::domain::RecordKind;
use bole::engine::Core;
use bole::matching::{Reason, Suggestion};
use bole::search::SearchRequest;
use bole::store;

const EXPERTS: &str = "\
编号,姓名,单位,职称,新材料细分领域,研究方向,代表性成果,关键词,可接受的合作方式
E01,郑海峰,中国科学院过程工程研究所,研究员,稀土分离与冶炼,稀土萃取分离过程中的界面化学与第三相形成机理，萃取体系相分离动力学,国家重点研发计划课题,稀土萃取、界面化学、相分离,技术攻关、蹲点调研
E02,李娜,福州大学,教授,含氟锂盐与电解质材料,六氟磷酸锂结晶工艺与游离酸控制,授权发明专利6项,六氟磷酸锂、结晶、杂质控制,技术攻关
E03,王强,厦门大学,教授,碳化硅,碳化硅单晶PVT生长与微管缺陷控制,SiC衬底项目,碳化硅、PVT、缺陷,联合申报项目
E04,Alice Chen,天津大学,Professor,锂电负极材料,Interfacial engineering of silicon anodes for lithium-ion batteries with stable SEI,Nature Energy paper,silicon anode、SEI,成果转化/技术入股
E05,赵刚,华侨大学,副教授,锂电负极材料,石墨负极颗粒级配与振实密度调控，提高极片压实密度,负极材料企业横向课题,颗粒级配、压实密度、石墨负极,技术攻关
E06,赵刚,福州大学,副教授,锂电负极材料,石墨负极颗粒级配与振实密度调控，提高极片压实密度,负极材料企业横向课题,颗粒级配、压实密度、石墨负极,技术攻关
E07,孙丽,上海交通大学,研究员,高性能铝合金,铝合金压铸凝固组织与气孔缺陷控制,压铸工艺专利,压铸、气孔、凝固,技术攻关
";

const DEMANDS: &str = "\
编号,企业名称,需求名称,需求描述,细分领域,关键词,期望合作方式,状态
D01,福建嵩溪稀土有限公司,萃取分相慢,萃取槽乳化、分相慢，第三相时有出现，影响稀土收率,稀土分离与冶炼,萃取,技术攻关,待对接
D02,福建清源氟化学有限公司,LiPF6收率提升,我司LiPF6结晶工序收率仅78%，游离酸偏高,,LiPF6,技术攻关,待对接
D03,三明龙津电池材料有限公司,负极压实密度偏低,负极压实密度偏低（1.55 g/cm³），客户要求≥1.65,锂电负极材料,压实密度,技术攻关,待对接
D04,三明龙津电池材料有限公司,Silicon anode cycle life,Our silicon anodes lose capacity fast; we need a more stable SEI on the anode surface,,silicon anode,,待对接
D05,福建某铝业有限公司,压铸件气孔多,压铸件气孔多、X光探伤不合格率12%,高性能铝合金,压铸,技术攻关,已关闭
";

fn core_with_data(dir: &Path) -> Core {
    let e = dir.join("experts.csv");
    let d = dir.join("demands.csv");
    std::fs::write(&e, EXPERTS).unwrap();
    std::fs::write(&d, DEMANDS).unwrap();
    let mut core = Core::open(&dir.join("bole.db")).unwrap();
    for (f, kind) in [(&e, RecordKind::Expert), (&d, RecordKind::Demand)] {
        let plan = core.plan_file(f, kind).unwrap();
        assert!(plan.rejected.is_empty(), "{}", bole::text::import_report(&plan, false));
        core.commit_import(&plan, false, &mut |_, _| {}, None).unwrap();
    }
    core
}

fn ids(list: &[Suggestion]) -> Vec<&str> {
    list.iter().map(|s| s.ext_id.as_str()).collect()
}

fn texts(s: &Suggestion) -> Vec<&str> {
    s.reasons.iter().map(Reason::text).collect()
}

#[test]
fn shop_floor_symptom_finds_the_science_and_says_which_link_fired() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_with_data(dir.path());
    let d = core.demand("D01").unwrap();
    let list = core.match_demand(&d, 5).unwrap();
    assert_eq!(list[0].ext_id, "E01", "{list:#?}");
    let top = &list[0];
    assert!(
        top.reasons.iter().any(
            |r| matches!(r, Reason::ProblemLink { symptom, .. } if symptom.contains("乳化") || symptom.contains("分相"))
        ),
        "{:?}",
        texts(top)
    );
    assert!(top.reasons.iter().any(|r| matches!(r, Reason::Subfield { same_node: true, .. })));
    assert!(top.reasons.iter().any(|r| matches!(r, Reason::Evidence { .. })));
    assert!(top.score > 50.0 && top.score <= 100.0, "{}", top.score);
    let p = top.parts;
    assert!((p.text + p.subfield + p.link + p.coop + p.history - top.score).abs() < 0.06);
}

#[test]
fn formula_and_chinese_name_are_synonyms_and_unclassified_demands_get_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_with_data(dir.path());
    let d = core.demand("D02").unwrap();
    assert!(d.subfields.is_empty());
    let list = core.match_demand(&d, 5).unwrap();
    assert_eq!(list[0].ext_id, "E02", "{list:#?}");
    let t = texts(&list[0]);
    assert!(t.iter().any(|r| r.contains("同义词") && r.contains("六氟磷酸锂")), "{t:?}");
    assert!(t.iter().any(|r| r.contains("按内容归类")), "the demand's subfield is a suggestion: {t:?}");
    assert!(!t.iter().any(|r| r.contains("笼统")), "a specific demand is not vague: {t:?}");
}

#[test]
fn english_profiles_match_english_demands() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_with_data(dir.path());
    let list = core.match_demand(&core.demand("D04").unwrap(), 3).unwrap();
    assert_eq!(list[0].ext_id, "E04", "{list:#?}");
}

#[test]
fn ties_are_broken_by_id_and_runs_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_with_data(dir.path());
    let d = core.demand("D03").unwrap();
    let a = core.match_demand(&d, 5).unwrap();
    assert_eq!(&ids(&a)[..2], &["E05", "E06"], "identical profiles: lower 编号 first");
    assert_eq!(a[0].score, a[1].score);
    let b = core.match_demand(&d, 5).unwrap();
    assert_eq!(a, b);
}

#[test]
fn exclusions_and_unavailable_experts_are_never_suggested() {
    let dir = tempfile::tempdir().unwrap();
    let mut core = core_with_data(dir.path());
    let d = core.demand("D03").unwrap();
    let e5 = core.expert("E05").unwrap();
    core.set_exclusion(e5.id, d.enterprise_id.unwrap(), Some(ExclusionKind::Conflict), "同一课题组").unwrap();
    let e6 = core.expert("E06").unwrap();
    core.set_available(e6.id, false).unwrap();
    let list = core.match_demand(&d, 10).unwrap();
    assert!(!ids(&list).contains(&"E05") && !ids(&list).contains(&"E06"), "{:?}", ids(&list));
    // The same enterprise's other demand is covered by the pair mark too.
    let list = core.match_demand(&core.demand("D04").unwrap(), 10).unwrap();
    assert!(!ids(&list).contains(&"E05"));
    // And the reverse direction: no demand of that enterprise for E05; nothing for E06.
    let rev = core.match_expert(&e5, 10).unwrap();
    assert!(!ids(&rev).contains(&"D03"), "{:?}", ids(&rev));
    assert!(core.match_expert(&core.expert("E06").unwrap(), 10).unwrap().is_empty());
    core.set_exclusion(e5.id, d.enterprise_id.unwrap(), None, "").unwrap();
    assert!(ids(&core.match_demand(&d, 10).unwrap()).contains(&"E05"));
}

#[test]
fn expert_to_demands_skips_closed_demands() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_with_data(dir.path());
    let e = core.expert("E05").unwrap();
    let list = core.match_expert(&e, 5).unwrap();
    assert_eq!(list[0].ext_id, "D03", "{list:#?}");
    let e7 = core.expert("E07").unwrap();
    assert!(!ids(&core.match_expert(&e7, 5).unwrap()).contains(&"D05"), "D05 is 已关闭");
}

#[test]
fn index_is_rebuilt_after_deletion_and_follows_edits() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    {
        let _ = core_with_data(dir.path());
    }
    std::fs::remove_dir_all(dir.path().join("bole.index")).unwrap();
    let mut core = Core::open(&db).unwrap();
    assert!(matches!(core.index_outcome, bole::search::OpenOutcome::Rebuilt(_)));
    assert_eq!(core.index.count(RecordKind::Expert), 7);
    let hits = core.search(&SearchRequest::new(RecordKind::Expert, "碳化硅")).unwrap();
    assert_eq!(hits.len(), 1);
    // An edit through the engine (available → no) reaches the index; a reopen reuses it.
    let mut core = core;
    let e3 = core.expert("E03").unwrap();
    core.set_available(e3.id, false).unwrap();
    drop(core);
    let core = Core::open(&db).unwrap();
    assert_eq!(core.index_outcome, bole::search::OpenOutcome::Reused);
    // A change made without the index (another tool wrote the DB) is caught on open.
    let mut e = store::find_expert(&core.conn, "E03").unwrap().unwrap();
    e.research = "氮化镓HEMT器件".into();
    store::update_expert(&core.conn, &e).unwrap();
    drop(core);
    let mut core = Core::open(&db).unwrap();
    assert!(matches!(core.index_outcome, bole::search::OpenOutcome::Rebuilt(_)));
    assert!(
        core.search(&SearchRequest::new(RecordKind::Expert, "微管")).unwrap().is_empty(),
        "old research text is gone"
    );
    assert_eq!(core.search(&SearchRequest::new(RecordKind::Expert, "氮化镓")).unwrap().len(), 1);
}

#[test]
fn knowledge_is_extensible_by_files_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let _ = core_with_data(dir.path());
    // Staff add a link the built-in files do not have.
    std::fs::create_dir_all(dir.path().join("knowledge")).unwrap();
    std::fs::write(
        dir.path().join("knowledge/problem_links.toml"),
        "[[link]]\nid = \"staff_test\"\nsymptoms = [\"晶圆翘曲\"]\ndisciplines = [\"微管缺陷\"]\nnote = \"测试：翘曲 → 缺陷控制\"\n",
    )
    .unwrap();
    let k = bole::io::knowledge::load(&dir.path().join("knowledge")).unwrap();
    assert_ne!(k.fingerprint, Knowledge::builtin().fingerprint);
    let core = Core::open(&dir.path().join("bole.db")).unwrap();
    assert_eq!(core.index_outcome, bole::search::OpenOutcome::Rebuilt(bole::search::RebuildReason::KnowledgeChanged));
    let d = bole::domain::Demand { title: "衬底晶圆翘曲".into(), ..Default::default() };
    let list = core.match_demand(&d, 3).unwrap();
    assert_eq!(list[0].ext_id, "E03");
    assert!(list[0].reasons.iter().any(|r| matches!(r, Reason::ProblemLink { link, .. } if link == "staff_test")));
}
