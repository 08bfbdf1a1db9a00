//! Properties of the matcher over small pools built in memory: the bounded ranking is the
//! exhaustive one, a pair scores the same from both sides, vague demands are flagged, a focused
//! one-line entry beats a long profile of common words, history moves a ranking, reasons keep the
//! records' spelling.

use super::model::{Kit, Model, Records};
use super::score;
use super::test_rng::Rng;
use super::{MatchOptions, Matcher, Reason};
use crate::domain::{Demand, Expert, Knowledge};
use crate::search::Analyzer;
use crate::search::knowledge::Prepared;

struct World {
    knowledge: Knowledge,
    analyzer: Analyzer,
    prep: Prepared,
}

impl World {
    fn new() -> Self {
        let knowledge = Knowledge::builtin();
        let analyzer = Analyzer::new(&knowledge.vocabulary());
        let prep = Prepared::new(&analyzer, &knowledge);
        World { knowledge, analyzer, prep }
    }

    fn kit(&self) -> Kit<'_> {
        Kit { analyzer: &self.analyzer, prep: &self.prep, taxonomy: &self.knowledge.taxonomy }
    }

    fn model(&self, experts: &[Expert], demands: &[Demand], pairings: &[(i64, i64)]) -> Model {
        Model::build(self.kit(), &Records { experts, demands, pairings })
    }

    fn matcher<'a>(&'a self, model: &'a Model) -> Matcher<'a> {
        Matcher { model, kit: self.kit(), knowledge: &self.knowledge }
    }
}

fn expert(id: i64, research: &str, keywords: &[&str]) -> Expert {
    Expert {
        id,
        ext_id: format!("E{id:03}"),
        name: format!("专家{id}"),
        research: research.into(),
        keywords: keywords.iter().map(ToString::to_string).collect(),
        available: true,
        ..Default::default()
    }
}

fn demand(id: i64, title: &str, description: &str) -> Demand {
    Demand {
        id,
        ext_id: format!("D{id:03}"),
        title: title.into(),
        description: description.into(),
        ..Default::default()
    }
}

fn top(m: &Matcher<'_>, d: &Demand, n: usize) -> Vec<(i64, f64)> {
    m.rank_experts(d, &MatchOptions { top: n, ..Default::default() }).iter().map(|r| (r.row, r.score)).collect()
}

/// Every expert scored, sorted as the ranking sorts.
fn exhaustive(m: &Matcher<'_>, experts: &[Expert], d: &Demand, n: usize) -> Vec<(i64, f64)> {
    let mut all: Vec<(i64, f64)> = experts.iter().map(|e| (e.id, m.pair(d, e).score())).collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    all.truncate(n);
    all
}

const WORDS: &[&str] = &[
    "碳化硅",
    "单晶",
    "衬底",
    "六氟磷酸锂",
    "结晶",
    "游离酸",
    "稀土",
    "萃取",
    "乳化",
    "界面化学",
    "铝合金",
    "压铸",
    "气孔",
    "石墨",
    "负极",
    "压实密度",
    "颗粒级配",
    "钕铁硼",
    "矫顽力",
    "PVDF",
    "涂层",
    "腐蚀",
    "催化剂",
    "性能",
    "材料",
    "研究",
    "提高",
    "工艺",
    "热处理",
    "焊接",
    "粉体",
    "烧结",
    "陶瓷",
    "电解液",
    "隔膜",
    "硝化",
    "连续流",
];

fn random_text(rng: &mut Rng, words: usize) -> String {
    (0..words).map(|_| WORDS[rng.below(WORDS.len() as u64) as usize]).collect::<Vec<_>>().join("，")
}

#[test]
fn the_bounded_ranking_is_the_exhaustive_one() {
    let w = World::new();
    let mut rng = Rng(0x5eed_1234);
    let experts: Vec<Expert> = (1..=240)
        .map(|i| {
            let n = 1 + rng.below(12) as usize;
            let mut e = expert(i, &random_text(&mut rng, n), &[]);
            if rng.below(3) == 0 {
                e.keywords = vec![WORDS[rng.below(WORDS.len() as u64) as usize].to_string()];
            }
            e
        })
        .collect();
    let demands: Vec<Demand> = (1..=40)
        .map(|i| {
            let t = random_text(&mut rng, 2);
            let d = random_text(&mut rng, 6);
            demand(i, &t, &d)
        })
        .collect();
    let pairings: Vec<(i64, i64)> = (0..30).map(|_| (1 + rng.below(240) as i64, 1 + rng.below(40) as i64)).collect();
    let model = w.model(&experts, &demands, &pairings);
    let m = w.matcher(&model);
    for d in &demands {
        for n in [1, 5, 20] {
            let got = top(&m, d, n);
            let want = exhaustive(&m, &experts, d, n);
            assert_eq!(got.len(), want.len(), "{}", d.ext_id);
            for (g, x) in got.iter().zip(&want) {
                assert!((g.1 - x.1).abs() < 1e-9, "{}: {got:?} vs {want:?}", d.ext_id);
            }
        }
    }
}

#[test]
fn a_pair_scores_the_same_from_both_sides() {
    let w = World::new();
    let experts = vec![
        expert(1, "碳化硅单晶PVT生长与微管缺陷控制", &["碳化硅", "PVT"]),
        expert(2, "六氟磷酸锂结晶工艺与游离酸控制", &["六氟磷酸锂"]),
        expert(3, "稀土萃取分离中的界面化学", &[]),
    ];
    let demands = vec![
        demand(1, "SiC衬底微管密度高", "6英寸SiC衬底微管密度偏高，想优化PVT长晶温场"),
        demand(2, "LiPF6游离酸偏高", "结晶工序收率低，游离酸超标"),
        demand(3, "萃取槽乳化", "萃取槽乳化、分相慢"),
    ];
    let model = w.model(&experts, &demands, &[(1, 1)]);
    let m = w.matcher(&model);
    let all = MatchOptions { top: 10, ..Default::default() };
    for d in &demands {
        for r in m.rank_experts(d, &all) {
            let e = &experts[(r.row - 1) as usize];
            let from_expert = m.rank_demands(e, &all).into_iter().find(|x| x.row == d.id).map(|x| x.score);
            assert_eq!(from_expert, Some(r.score), "{} ~ {}", d.ext_id, e.ext_id);
            assert!((m.pair(d, e).score() - r.score).abs() < 1e-12);
        }
    }
    // The demand-side ranking puts the right expert first each time.
    for (d, want) in demands.iter().zip([1, 2, 3]) {
        assert_eq!(top(&m, d, 1)[0].0, want, "{}", d.ext_id);
    }
}

#[test]
fn a_vague_demand_scores_low_says_so_and_shows_no_generic_words() {
    let w = World::new();
    let experts =
        vec![expert(1, "高性能材料研究，提高材料性能与产品质量", &["材料", "性能"]), expert(2, "稀土永磁材料", &[])];
    let demands = vec![demand(1, "提高产品材料性能", "希望提高产品的材料性能")];
    let model = w.model(&experts, &demands, &[]);
    let m = w.matcher(&model);
    let d = &demands[0];
    for e in &experts {
        let pair = m.pair(d, e);
        assert!(pair.score() < super::Strength::MEDIUM, "{}: {}", e.ext_id, pair.score());
        let s = m.explain(d, e, &pair, crate::domain::RecordKind::Expert, &super::Preloaded::default());
        assert!(
            s.reasons.iter().any(|r| matches!(r, Reason::Hint { text } if text.contains("过于笼统"))),
            "{:?}",
            s.reasons
        );
        for r in &s.reasons {
            if let Reason::Terms { terms, .. } = r {
                panic!("generic words shown as a reason: {terms:?}");
            }
        }
    }
}

#[test]
fn a_focused_one_line_entry_beats_a_long_profile_of_common_words() {
    let w = World::new();
    let long = "长期从事材料研究，研究材料的性能与工艺，提高产品性能，优化工艺，开展材料表征与测试，\
                研究高温下材料性能的变化，提升产品质量与一致性，服务企业技术升级。";
    let experts = vec![expert(1, long, &["材料", "性能", "工艺"]), expert(2, "研究方向：稀土永磁材料", &[])];
    let demands = vec![demand(
        1,
        "钕铁硼磁体高温退磁",
        "烧结钕铁硼磁体150℃下退磁严重，想降低镝铽用量又保证矫顽力，提高材料高温性能",
    )];
    let model = w.model(&experts, &demands, &[]);
    let m = w.matcher(&model);
    let ranked = top(&m, &demands[0], 2);
    assert_eq!(
        ranked[0].0,
        2,
        "{ranked:?} {:#?} {:#?}",
        m.pair(&demands[0], &experts[0]),
        m.pair(&demands[0], &experts[1])
    );
    let s = m.explain(
        &demands[0],
        &experts[1],
        &m.pair(&demands[0], &experts[1]),
        crate::domain::RecordKind::Expert,
        &super::Preloaded::default(),
    );
    assert!(s.reasons.iter().any(|r| matches!(r, Reason::Subfield { same_node: true, .. })), "{:?}", s.reasons);
}

#[test]
fn confirmed_pairings_move_similar_demands_towards_the_expert() {
    let w = World::new();
    // Two experts with the same one line; expert 2 was paired before with a demand like the query.
    let experts = vec![expert(1, "研究领域：含氟精细化学品", &[]), expert(2, "研究领域：含氟精细化学品", &[])];
    let demands = vec![
        demand(1, "卤素交换氟化收率低", "氯代芳烃与氟化钾卤素交换氟化，收率低，釜底焦油多"),
        demand(2, "氟化反应焦油多、收率低", "卤素交换氟化工序焦油多，氟化钾用量大，收率只有60%"),
    ];
    let without = w.model(&experts, &demands, &[]);
    let with = w.model(&experts, &demands, &[(2, 1)]);
    let q = &demands[1];
    let a = top(&w.matcher(&without), q, 2);
    let b = top(&w.matcher(&with), q, 2);
    assert_eq!(a[0].0, 1, "without history the tie goes to the lower id: {a:?}");
    assert_eq!(b[0].0, 2, "with history the paired expert comes first: {b:?}");
    let m = w.matcher(&with);
    let pair = m.pair(q, &experts[1]);
    assert!(pair.history > 0.0 && pair.parts().history > 0.0);
    let records = super::Preloaded {
        experts: experts.iter().map(|e| (e.id, e.clone())).collect(),
        demands: demands.iter().map(|d| (d.id, d.clone())).collect(),
    };
    let s = m.explain(q, &experts[1], &pair, crate::domain::RecordKind::Expert, &records);
    assert!(
        s.reasons.iter().any(|r| matches!(r, Reason::History { demand_id, .. } if demand_id == "D001")),
        "{:?}",
        s.reasons
    );
    // The demand's own pairing is not history for itself.
    let self_paired = w.model(&experts, &demands, &[(2, 2)]);
    assert_eq!(w.matcher(&self_paired).pair(q, &experts[1]).history, 0.0);
}

#[test]
fn reasons_keep_the_records_spelling_and_name_synonyms() {
    let w = World::new();
    let experts = vec![expert(1, "LiFSI与PVDF粘结剂体系研究；碳化硅单晶生长", &["LiFSI"])];
    let demands = vec![demand(1, "LiFSI电解液与SiC", "LiFSI电解液对PVDF粘结剂的影响；SiC衬底")];
    let model = w.model(&experts, &demands, &[]);
    let m = w.matcher(&model);
    let pair = m.pair(&demands[0], &experts[0]);
    let s = m.explain(&demands[0], &experts[0], &pair, crate::domain::RecordKind::Expert, &super::Preloaded::default());
    let texts: Vec<&str> = s.reasons.iter().map(Reason::text).collect();
    assert!(texts.iter().any(|t| t.contains("LiFSI")) && texts.iter().any(|t| t.contains("PVDF")), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("lifsi") || t.contains("pvdf")), "{texts:?}");
    assert!(s.reasons.iter().any(|r| matches!(r, Reason::Synonym { .. })), "{texts:?}");
}

#[test]
fn the_score_parts_add_up_and_stay_in_range() {
    let w = World::new();
    let mut rng = Rng(77);
    let experts: Vec<Expert> = (1..=60).map(|i| expert(i, &random_text(&mut rng, 8), &["碳化硅"])).collect();
    let demands: Vec<Demand> =
        (1..=10).map(|i| demand(i, &random_text(&mut rng, 3), &random_text(&mut rng, 8))).collect();
    let model = w.model(&experts, &demands, &[(1, 1), (2, 1), (3, 2)]);
    let m = w.matcher(&model);
    for d in &demands {
        for e in &experts {
            let p = m.pair(d, e).parts();
            let sum = p.sum();
            assert!((0.0..=100.0).contains(&sum), "{sum}");
            for part in [p.text, p.subfield, p.link, p.coop, p.history] {
                assert!(part >= 0.0);
            }
            assert!(p.text <= score::W_TEXT + 1e-9 && p.subfield <= score::W_FIELD + 1e-9);
        }
    }
}
