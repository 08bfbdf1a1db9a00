#!/usr/bin/env python3
"""Build data/eval/fund-history: a provincial science fund's reviewer assignments with history.

Projects (title, abstract) and the PI titles in expert profiles are hand-written (fund_topics_*.py);
the reviewer assignment is simulated the way a fund office works, with a fixed seed:
  * each fine topic has 3-6 experts whose one-line field fits; about half of them are "regulars"
    (weight 5) whom the office calls again and again, the rest occasional (weight 1);
  * some experts also review a secondary, neighbouring topic that their line does not state (0.4x);
  * broad-field experts ("材料科学与工程", "冶金工程" ...) are drawn for their areas (0.2x);
  * a few out-of-materials experts are drawn for some areas (0.3), same-area experts of other topics
    occasionally (0.01x) and anyone rarely (0.004): the noise of a real office;
  * experts join or leave the pool in some years (no history for newcomers, stale history for leavers).
Each project gets 3-5 reviewers. 2021-2024 assignments -> pairings.csv (history), 2025 -> qrels.csv.
"""
import datetime
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import make_names, write_csv  # noqa: E402
from fund_topics_a import TOPICS_A  # noqa: E402
from fund_topics_b import TOPICS_B  # noqa: E402
from fund_topics_c import TOPICS_C  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "data", "eval", "fund-history")
TOPICS = {**TOPICS_A, **TOPICS_B, **TOPICS_C}

# neighbouring topics (latent secondary review areas)
NEIGH = {
    "li_cathode": ["solid_state", "hydromet", "sodium"], "li_anode": ["graphite", "porous_carbon", "sodium"],
    "electrolyte": ["fluoro_inorg", "solid_state"], "solid_state": ["li_cathode", "electrolyte"],
    "sodium": ["li_cathode", "li_anode", "porous_carbon"], "h2": ["magnet", "catalysis"], "pv": ["electronic", "nano"],
    "fluoropolymer": ["polymer_processing", "coatings_adh"], "fluoro_fine": ["catalysis", "fluoro_inorg"],
    "fluoro_inorg": ["electrolyte", "env", "fluoro_fine"], "graphite": ["li_anode", "porous_carbon"],
    "graphene": ["porous_carbon", "nano"], "porous_carbon": ["graphene", "li_anode"],
    "magnet": ["re_separation", "h2"], "re_lum": ["nano", "electronic"], "re_separation": ["hydromet", "separation"],
    "al_alloy": ["mg_alloy", "am"], "mg_alloy": ["al_alloy", "corrosion"], "ti_alloy": ["am", "biomed"],
    "steel": ["corrosion", "refractory"], "corrosion": ["steel", "coatings_adh"], "am": ["ti_alloy", "al_alloy"],
    "hydromet": ["re_separation", "separation", "env"], "refractory": ["steel", "am"],
    "sic_gan": ["electronic"], "electronic": ["sic_gan", "ceramics"], "polymer_processing": ["biodegradable", "fiber"],
    "biodegradable": ["polymer_processing"], "fiber": ["polymer_processing", "composites"],
    "composites": ["polymer_processing", "coatings_adh"], "coatings_adh": ["corrosion", "composites"],
    "ceramics": ["electronic", "building"], "building": ["ceramics", "env"], "catalysis": ["env", "fluoro_fine"],
    "separation": ["hydromet", "re_separation"], "env": ["separation", "catalysis"], "nano": ["graphene", "biomed"],
    "biomed": ["nano", "ti_alloy"],
}
AREAS = sorted({t["area"] for t in TOPICS.values()})
BROAD = [  # (line, areas)
    ("材料科学与工程", "ECFRMSPIN"), ("材料科学与工程", "ECFRMSPIN"), ("研究领域：材料科学与工程", "ECFRMSPIN"),
    ("材料科学与工程", "ECFRMSPIN"), ("化学工程与技术", "KFE"), ("化学工程与技术", "KFER"), ("研究领域：化学工程", "KF"),
    ("冶金工程", "MR"), ("研究领域：冶金物理化学", "MR"), ("有色金属材料", "MR"), ("高分子化学与物理", "PF"),
    ("研究领域：高分子材料与工程", "PF"), ("无机非金属材料工程", "ISC"), ("研究领域：无机非金属材料", "IS"),
    ("材料物理与化学", "ESNC"), ("研究领域：材料物理与化学", "ESN"), ("应用化学", "FKEN"), ("研究领域：应用化学", "FKN"),
    ("物理化学", "EKN"), ("新能源材料与器件", "E"), ("金属材料工程", "M"), ("材料加工工程", "MP"),
]
MISC = [  # out-of-materials experts that a fund office sometimes uses: (line, areas)
    ("机械工程", "M"), ("研究领域：机械制造及其自动化", "M"), ("电气工程", "ES"), ("研究领域：分析化学", "KF"),
    ("凝聚态物理", "SN"), ("研究领域：环境科学", "K"), ("土木工程", "I"), ("研究领域：矿物加工工程", "RMC"),
    ("生物医学工程", "N"), ("研究领域：地质学", "R"), ("纺织工程", "P"),
]
UNIS = ["厦门大学", "福州大学", "华侨大学", "福建师范大学", "集美大学", "福建农林大学", "三明学院", "闽江学院",
        "闽南师范大学", "龙岩学院", "中国科学院福建物质结构研究所", "嘉庚创新实验室", "福建理工大学", "莆田学院",
        "中国科学院城市环境研究所", "宁德师范学院", "武夷学院", "泉州师范学院"]
ORG_HEADS = ["岚泽", "沙溪", "嵩川", "翠江", "金溪", "玉华", "桃源", "鹭屿", "芝岭", "东牙", "凤岗", "九峰", "澜沧", "梅林",
             "清源", "安砂", "岩泉", "龙津", "闽晟", "华屿"]
ORG_TAILS = ["新材料科技有限公司", "新材料研究院", "化工有限公司", "材料科学研究所", "科技有限公司", "新能源有限公司",
             "理工学院", "产业技术研究院"]


APP = {
    "li_cathode": "高性能锂电正极材料的产业化", "li_anode": "高性能负极材料的开发", "electrolyte": "电解液与锂盐产品升级",
    "solid_state": "固态电池的工程化", "sodium": "钠离子电池产业发展", "h2": "氢能储运与利用", "pv": "光伏产业技术升级",
    "fluoropolymer": "省内含氟聚合物产品的高端化", "fluoro_fine": "含氟精细化学品产业", "fluoro_inorg": "氟化工产业链延伸",
    "graphite": "石墨资源的高值化利用", "graphene": "石墨烯产品的规模化应用", "porous_carbon": "炭材料产业发展",
    "magnet": "稀土永磁产业", "re_lum": "稀土发光材料的应用", "re_separation": "稀土资源绿色高效利用",
    "al_alloy": "铝加工产业转型升级", "mg_alloy": "镁合金的推广应用", "ti_alloy": "钛合金构件的工程应用",
    "steel": "钢铁企业产品质量提升", "corrosion": "装备安全运行与腐蚀控制", "am": "增材制造技术的工程应用",
    "hydromet": "有色金属资源循环利用", "refractory": "钨钼产业链延伸", "sic_gan": "第三代半导体产业",
    "electronic": "电子信息材料国产化", "polymer_processing": "塑料制品企业技术升级", "biodegradable": "可降解材料推广",
    "fiber": "化纤产业提质增效", "composites": "复合材料的工程应用", "coatings_adh": "涂料与胶粘剂产品升级",
    "ceramics": "陶瓷产业技术进步", "building": "建材行业绿色低碳发展", "catalysis": "催化剂国产化与工艺升级",
    "separation": "化工分离过程的节能降耗", "env": "工业污染治理", "nano": "纳米功能材料的应用", "biomed": "医用材料的临床转化",
}
ENDINGS = ["研究成果可为{app}提供理论依据和技术支撑。", "项目实施后拟申请发明专利2～3件，形成具有自主知识产权的关键技术。",
           "预期形成可推广的工艺方案，服务于{app}。", "项目将与省内企业合作开展中试验证，推动{app}。",
           "通过本项目实施，可为{app}提供关键技术储备。"]


def main():
    rng = random.Random(int(os.environ.get("FUND_SEED", "2025")))
    # ---- experts
    experts = []  # dict(id, line, topic, sec, weight, kind, areas, start, end, pi)
    topics = list(TOPICS)
    for t in topics:
        n = rng.choice([3, 4, 4, 5, 5, 6])
        lines = TOPICS[t]["lines"]
        pis = list(TOPICS[t]["pi"])
        rng.shuffle(pis)
        for i in range(n):
            line = lines[0] if (i == 0 or rng.random() < 0.45) else rng.choice(lines[1:])
            e = dict(line=line, topic=t, kind="topic", areas=TOPICS[t]["area"],
                     weight=8.0 if rng.random() < 0.4 else 1.0,
                     sec=rng.choice(NEIGH[t]) if rng.random() < 0.3 else None, pi=[])
            if rng.random() < 0.5 and pis:
                k = min(len(pis), rng.choice([1, 1, 2, 2, 3]))
                e["pi"] = [pis.pop() for _ in range(k)]
            experts.append(e)
    for line, areas in BROAD:
        experts.append(dict(line=line, topic=None, kind="broad", areas=areas, weight=rng.choice([0.6, 1.0, 1.6]),
                            sec=None, pi=[]))
    for line, areas in MISC:
        experts.append(dict(line=line, topic=None, kind="misc", areas=areas, weight=1.0, sec=None, pi=[]))
    # a few broad/misc experts also list own projects, from any topic of their area
    spare = {t: [p for p in TOPICS[t]["pi"] if not any(p in e["pi"] for e in experts)] for t in topics}
    for e in experts:
        if e["kind"] != "topic" and rng.random() < 0.45:
            cands = [p for t in topics if TOPICS[t]["area"] in e["areas"] for p in spare[t]]
            if cands:
                p = rng.choice(cands)
                e["pi"] = [p]
                for t in topics:
                    if p in spare[t]:
                        spare[t].remove(p)
    for e in experts:
        r = rng.random()
        e["start"] = 2021 if r < 0.8 else (2022 if r < 0.87 else (2023 if r < 0.92 else (2024 if r < 0.96 else 2025)))
        e["end"] = 2025 if rng.random() < 0.9 else rng.choice([2023, 2024])
        if e["end"] < e["start"]:
            e["end"] = 2025
    rng.shuffle(experts)
    names = make_names(len(experts), seed=11)
    for i, e in enumerate(experts):
        e["id"] = f"F{i + 1:03d}"
        e["name"] = names[i]
        e["inst"] = rng.choice(UNIS)
    # ---- projects with years: 1-2 per topic in 2025, the rest spread over 2021-2024
    projects = []
    for t in topics:
        ps = list(TOPICS[t]["projects"])
        rng.shuffle(ps)
        n25 = 2 if len(ps) >= 7 and rng.random() < 0.75 else 1
        off = rng.randrange(4)
        hist_years = [2021 + (i + off) % 4 for i in range(len(ps) - n25)]
        rng.shuffle(hist_years)
        years = [2025] * n25 + hist_years
        for (title, abstract), y in zip(ps, years):
            n_sent = abstract.count("。")
            extra = rng.sample(ENDINGS, 2 if n_sent == 1 and rng.random() < 0.35 else (1 if n_sent <= 2 else 0))
            abstract += "".join(x.format(app=APP[t]) for x in extra)
            org = rng.choice(ORG_HEADS) + rng.choice(ORG_TAILS)
            projects.append(dict(title=title, abstract=abstract, topic=t, year=y, org=org))
    projects.sort(key=lambda p: (p["year"], rng.random()))
    for i, p in enumerate(projects):
        p["id"] = f"J{i + 1:03d}"

    # ---- assignment
    def weight(e, p):
        if not (e["start"] <= p["year"] <= e["end"]):
            return 0.0
        t, area = p["topic"], TOPICS[p["topic"]]["area"]
        if e["kind"] == "topic":
            if e["topic"] == t:
                return e["weight"]
            if e["sec"] == t:
                return 0.4 * e["weight"]
            if e["areas"] == area:
                return 0.01 * e["weight"]
            return 0.004
        if e["kind"] == "broad":
            return 0.2 * e["weight"] if area in e["areas"] else 0.004
        return 0.3 if area in e["areas"] else 0.004

    assign = {}
    for p in projects:
        k = rng.choices([3, 4, 5], weights=[0.3, 0.45, 0.25])[0]
        pool = [(e, weight(e, p)) for e in experts]
        chosen = []
        for _ in range(k):
            tot = sum(w for e, w in pool if e not in chosen)
            x = rng.random() * tot
            for e, w in pool:
                if e in chosen:
                    continue
                x -= w
                if x <= 0:
                    chosen.append(e)
                    break
        assign[p["id"]] = chosen

    # ---- write
    rows = []
    for e in experts:
        prof = e["line"]
        if e["pi"]:
            prof += "\n主持项目：" + "；".join(e["pi"])
        sub = ""
        if e["kind"] == "broad" and rng.random() < 0.3:
            sub = e["line"].replace("研究领域：", "")
        rows.append([e["id"], e["name"], e["inst"], sub, "", prof])
    write_csv(os.path.join(OUT, "experts.csv"), ["id", "name", "institution", "subfield", "keywords", "profile"], rows)
    write_csv(os.path.join(OUT, "demands.csv"), ["id", "enterprise", "title", "description"],
              [[p["id"], p["org"], p["title"], p["abstract"]] for p in projects])
    write_csv(os.path.join(OUT, "projects_year.csv"), ["demand_id", "year"], [[p["id"], p["year"]] for p in projects])
    q, h = [], []
    for p in projects:
        for e in assign[p["id"]]:
            if p["year"] == 2025:
                q.append([p["id"], e["id"], 1])
            else:
                d = datetime.date(p["year"], 1, 1) + datetime.timedelta(days=rng.randrange(120, 300))
                h.append([p["id"], e["id"], "已对接", d.isoformat(), ""])
    write_csv(os.path.join(OUT, "qrels.csv"), ["demand_id", "expert_id", "relevance"], q)
    write_csv(os.path.join(OUT, "pairings.csv"), ["需求编号", "专家编号", "阶段", "日期", "备注"], h)
    # ---- stats for the README
    import collections
    kinds = collections.Counter(e["kind"] for e in experts)
    n25 = sum(1 for p in projects if p["year"] == 2025)
    print(f"experts {len(experts)} {dict(kinds)}; with PI titles {sum(1 for e in experts if e['pi'])}")
    print(f"projects {len(projects)}; per year {dict(collections.Counter(p['year'] for p in projects))}")
    print(f"qrels {len(q)} for {n25} queries; pairings {len(h)}")
    src = collections.Counter()
    for p in projects:
        for e in assign[p["id"]]:
            if e["kind"] == "topic":
                src["own topic" if e["topic"] == p["topic"] else ("secondary" if e["sec"] == p["topic"] else "other topic")] += 1
            else:
                src[e["kind"]] += 1
    print("assignment sources:", dict(src))
    q25 = [(p, e) for p in projects if p["year"] == 2025 for e in assign[p["id"]]]
    seen_hist = sum(1 for p, e in q25 if any(e in assign[x["id"]] for x in projects if x["year"] < 2025))
    print(f"2025 pairs whose expert has any history: {seen_hist}/{len(q25)}")


if __name__ == "__main__":
    main()
