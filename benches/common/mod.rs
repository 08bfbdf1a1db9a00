//! Seeded synthetic data for benchmarks: experts and demands whose text is drawn from the
//! taxonomy's own vocabulary, so indexing and matching do realistic work. Same seed, same data.
#![allow(clippy::unwrap_used, reason = "bench setup fails loudly")]
#![allow(dead_code)]

use bole::domain::{Expert, Taxonomy};

/// xorshift64*: tiny, seeded, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗",
    "高",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚", "华",
    "斌",
];
const INSTITUTIONS: &[&str] = &[
    "厦门大学",
    "福州大学",
    "华侨大学",
    "天津大学",
    "上海交通大学",
    "中国人民大学",
    "中国科学院过程工程研究所",
    "中国科学院上海有机化学研究所",
    "嘉庚创新实验室",
    "三明学院",
];
const DISCIPLINES: &[&str] = &[
    "界面化学",
    "颗粒级配",
    "结晶动力学",
    "凝固理论",
    "腐蚀电化学",
    "第一性原理计算",
    "传质强化",
    "反应动力学",
    "有限元模拟",
    "过程控制",
    "粉体工程",
    "表面改性",
    "热力学分析",
    "原位表征",
    "机器学习辅助设计",
];
const SYMPTOMS: &[&str] = &[
    "收率偏低",
    "批次稳定性差",
    "杂质超标",
    "能耗高",
    "产品发黄",
    "分相慢",
    "压实密度偏低",
    "气孔多",
    "开裂",
    "团聚严重",
    "循环衰减快",
    "粘度波动",
    "设备结垢",
    "废水氨氮超标",
];

/// One synthetic expert row: (编号, 姓名, 单位, 细分领域, 研究方向, 关键词).
pub struct SynthExpert {
    pub id: String,
    pub name: String,
    pub institution: String,
    pub subfield: String,
    pub research: String,
    pub keywords: String,
}

/// One synthetic demand row: (编号, 企业, 需求名称, 需求描述, 细分领域).
pub struct SynthDemand {
    pub id: String,
    pub enterprise: String,
    pub title: String,
    pub description: String,
    pub subfield: String,
}

fn subfields(t: &Taxonomy) -> Vec<(&str, Vec<&str>)> {
    t.nodes()
        .iter()
        .filter(|n| n.parent.is_some())
        .map(|n| {
            let mut terms: Vec<&str> = n.terms.iter().map(String::as_str).collect();
            terms.push(n.name.as_str());
            (n.name.as_str(), terms)
        })
        .collect()
}

pub fn experts(n: usize, seed: u64) -> Vec<SynthExpert> {
    let t = Taxonomy::builtin();
    let subs = subfields(&t);
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let (sub, terms) = rng.pick(&subs);
            let kw: Vec<&str> = (0..4).map(|_| *rng.pick(terms)).collect();
            SynthExpert {
                id: format!("SE{i:06}"),
                name: format!("{}{}{}", rng.pick(SURNAMES), rng.pick(GIVEN), rng.pick(GIVEN)),
                institution: rng.pick(INSTITUTIONS).to_string(),
                subfield: sub.to_string(),
                research: format!(
                    "长期从事{}与{}研究，重点关注{}中的{}问题，发展了基于{}的{}方法。",
                    kw[0],
                    kw[1],
                    kw[2],
                    rng.pick(DISCIPLINES),
                    rng.pick(DISCIPLINES),
                    kw[3]
                ),
                keywords: kw.join("、"),
            }
        })
        .collect()
}

pub fn demands(n: usize, seed: u64) -> Vec<SynthDemand> {
    let t = Taxonomy::builtin();
    let subs = subfields(&t);
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let (sub, terms) = rng.pick(&subs);
            let a = *rng.pick(terms);
            let b = *rng.pick(terms);
            SynthDemand {
                id: format!("SD{i:05}"),
                enterprise: format!("福建合成{}号新材料有限公司", i % 997),
                title: format!("{a}{}", rng.pick(SYMPTOMS)),
                description: format!(
                    "我司{a}生产线目前{}，{b}工序{}，希望与高校合作改进工艺，提高产品一致性。",
                    rng.pick(SYMPTOMS),
                    rng.pick(SYMPTOMS)
                ),
                subfield: if rng.below(10) == 0 { String::new() } else { sub.to_string() },
            }
        })
        .collect()
}

/// Inserts `n` synthetic experts (classified by their subfield name) in one transaction.
pub fn seed_experts(conn: &mut rusqlite::Connection, n: usize, seed: u64) {
    let tax = Taxonomy::builtin();
    let tx = conn.transaction().unwrap();
    for e in experts(n, seed) {
        let code = tax.map_label(&e.subfield).code().map(String::from);
        bole::store::insert_expert(
            &tx,
            &Expert {
                ext_id: e.id,
                name: e.name,
                institution: e.institution,
                subfields: code.into_iter().collect(),
                research: e.research,
                keywords: bole::util::split_multi(&e.keywords),
                coop_modes: vec!["技术攻关".into()],
                available: true,
                ..Default::default()
            },
        )
        .unwrap();
    }
    tx.commit().unwrap();
}
