#!/usr/bin/env python3
"""Build data/eval/colloquial from the hand-written pool and demands (deterministic)."""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import make_names, write_csv  # noqa: E402
import colloquial_experts as ce  # noqa: E402
import colloquial_demands as cd  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "data", "eval", "colloquial")
UNIS = ["厦门大学", "福州大学", "华侨大学", "福建师范大学", "三明学院", "闽江学院", "集美大学", "福建农林大学",
        "中国科学院福建物质结构研究所", "嘉庚创新实验室", "天津大学", "上海交通大学", "中国科学院过程工程研究所",
        "中国科学院固体物理研究所", "中国科学院上海有机化学研究所", "中南大学", "北京科技大学", "东北大学",
        "华南理工大学", "四川大学", "武汉理工大学", "江西理工大学", "昆明理工大学", "浙江大学"]
FIRMS = ["三明市闽材研究院（虚构）", "福建省清流新材料中试基地（虚构）", "某新能源材料企业技术中心", "某氟化工集团研究院",
         "某铝业公司技术中心", "退休高级工程师"]
OUT_INST = ["福州大学", "厦门大学", "华侨大学", "福建师范大学", "三明学院", "闽江学院", "福建医科大学", "福建江夏学院",
            "三明市某设计院（虚构）", "某地质调查院（虚构）", "某软件公司"]


def main():
    rng = random.Random(20261201)
    pool = [("detailed", e) for e in ce.DETAILED] + [("line", e) for e in ce.LINES] + \
           [("distractor", e) for e in ce.DISTRACTORS]
    rng.shuffle(pool)
    names = make_names(len(pool), seed=7)
    experts, tags = [], {}
    for i, (kind, (tg, sub, kw, prof)) in enumerate(pool):
        eid = f"X{i + 1:03d}"
        if kind == "distractor":
            inst = rng.choice(OUT_INST)
        else:
            inst = rng.choice(FIRMS) if rng.random() < 0.12 else rng.choice(UNIS)
        experts.append([eid, names[i], inst, sub, kw, prof])
        tags[eid] = set(tg.split())
    write_csv(os.path.join(OUT, "experts.csv"), ["id", "name", "institution", "subfield", "keywords", "profile"], experts)
    demands, qrels = [], []
    for j, (ent, title, desc, lv) in enumerate(cd.DEMANDS):
        did = f"Q{j + 1:03d}"
        demands.append([did, ent, title, desc])
        rel = []
        for e in experts:
            r = max(lv.get(t, 0) for t in tags[e[0]])
            if r:
                rel.append((did, e[0], r))
        rel.sort(key=lambda x: (-x[2], x[1]))
        assert 3 <= len(rel) <= 6, (did, title, len(rel))
        qrels.extend(rel)
    write_csv(os.path.join(OUT, "demands.csv"), ["id", "enterprise", "title", "description"], demands)
    write_csv(os.path.join(OUT, "qrels.csv"), ["demand_id", "expert_id", "relevance"], qrels)
    print(len(experts), "experts", len(demands), "demands", len(qrels), "qrels")


if __name__ == "__main__":
    main()
