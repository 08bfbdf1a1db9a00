#!/usr/bin/env python3
"""Builds Bole's built-in demo data in data/demo/ (fictional; re-run only to change it).

  python3 scripts/gen_demo.py          # needs openpyxl; output is byte-for-byte reproducible

Hand-written content lives in scripts/demo/*.json (demands, anchor experts, per-subfield phrase
pools, enterprises, names/institutions); this script assembles it with a fixed random seed.
Check the result with scripts/demo/verify_demo.py. All people, enterprises and contacts are fictional.
"""
import csv, datetime, glob, hashlib, io, json, os, random, re, tomllib, zipfile
import openpyxl
from openpyxl.styles import Alignment, Font

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SRC = os.path.join(ROOT, "scripts", "demo")
OUT = os.path.join(ROOT, "data", "demo")
FIXED = datetime.datetime(2026, 1, 1)
rng = random.Random(20241128)

def load(name):
    return json.load(open(os.path.join(SRC, name), encoding="utf-8"))

def load_all(pattern):
    out = []
    for f in sorted(glob.glob(os.path.join(SRC, pattern))):
        d = json.load(open(f, encoding="utf-8"))
        out.extend(d) if isinstance(d, list) else out.append(d)
    return out

tax = tomllib.load(open(os.path.join(ROOT, "data", "taxonomy.toml"), "rb"))
CHILD = {}  # code -> dict(name, field, terms, aliases)
for f in tax["field"]:
    for c in f["children"]:
        CHILD[c["code"]] = dict(name=c["name"], field=f["code"], fname=f["name"],
                                terms=c.get("terms", []), aliases=c.get("aliases", []))
NAME2CODE = {v["name"]: k for k, v in CHILD.items()}
ALIAS2CODE = {a: k for k, v in CHILD.items() for a in v["aliases"]}
POOLS = {}
for p in load_all("pools_*.json"):
    POOLS.update(p)
META = load("meta.json")
ENT = load("enterprises.json")
DEMANDS = load_all("demands_*.json")
ANCHORS = load_all("experts_anchor_*.json")
assert set(POOLS) == set(CHILD), set(CHILD) ^ set(POOLS)
# The taxonomy keeps growing after the demo is built (terms and aliases appended, an alias moved to a new
# field), and every list drawn from shifts the random stream. So generation reads each child's terms and
# aliases as they stood when its rows were built, kept in meta.json "taxonomy_at_build": a count keeps the
# first N of the current list, a list stands in for it. The checksum catches edits inside the frozen part
# (a term removed or reordered), which would silently change existing rows: keep them out, or regenerate
# on purpose and refresh the block. A new child needs its counts added there (current lengths) and the
# checksum refreshed (after checking that the old children alone still give the old one).
FROZEN = META["taxonomy_at_build"]
assert set(FROZEN["terms"]) == set(FROZEN["aliases"]) == set(CHILD), set(CHILD) ^ set(FROZEN["terms"])
for k, v in CHILD.items():
    for key in ("terms", "aliases"):
        n = FROZEN[key][k]
        v[key] = v[key][:n] if isinstance(n, int) else n
        assert len(v[key]) == (n if isinstance(n, int) else len(n)), (k, key)
_sha = hashlib.sha256(json.dumps([[k, v["name"], v["fname"], v["terms"], v["aliases"]] for k, v in sorted(CHILD.items())],
                                 ensure_ascii=False).encode()).hexdigest()
assert _sha == FROZEN["sha256"], f"taxonomy changed inside the part the demo was drawn from ({_sha})"
# Fields added to the taxonomy after the demo was first built, and subfields added later to fields that were
# already there. Their experts are made last, batch by batch, each batch with its own seed, and appended after
# the existing rows, so every existing 编号, row, demand and labelled pair stays byte-identical. The main loop
# never sees a late code (not in its codes, sibling or weight lists, nor in any draw from CHILD). Add a new
# field to LATE_FIELDS or a new subfield to LATE_CHILDREN (with its pools file) and give it a new batch at the
# end of LATE_BATCHES (never change an existing batch's codes or seed), rather than adding it to the main loop.
LATE_FIELDS = {"CE"}
LATE_SEED = 20260101
LATE_CHILDREN = {"ST06", "SC07", "PM07"}  # children of older fields
LATE_BATCHES = [(LATE_SEED, sorted(c for c in CHILD if CHILD[c]["field"] in LATE_FIELDS)),
                (20260301, sorted(LATE_CHILDREN))]
LATE_CODES = {c for _, cs in LATE_BATCHES for c in cs}
assert len(LATE_CODES) == sum(len(cs) for _, cs in LATE_BATCHES) and not LATE_CHILDREN & {
    c for c in CHILD if CHILD[c]["field"] in LATE_FIELDS}
# The same goes for hand-written content of a late code: its demands (by 细分领域 in the JSON, which must be
# filled in for them; the workbook may still blank it), its anchor experts (by node) and the enterprises that
# only its demands name are made in its batch too, numbered after everything before it.
def demand_code(d):
    return NAME2CODE.get(d["sub"]) or ALIAS2CODE.get(d["sub"])
def batch_of(code):
    return next((i for i, (_, cs) in enumerate(LATE_BATCHES) if code in cs), None)
LATE_DEMANDS = [[d for d in DEMANDS if batch_of(demand_code(d)) == i] for i in range(len(LATE_BATCHES))]
DEMANDS = [d for d in DEMANDS if demand_code(d) not in LATE_CODES]
# an older demand must never move to a later step (e.g. its 细分领域 became an alias of a late code)
_before = DEMANDS
for ds in LATE_DEMANDS:
    assert not ds or max(d["id"] for d in _before) < min(d["id"] for d in ds)
    _before = _before + ds
LATE_ANCHORS = [[a for a in ANCHORS if batch_of(a["node"]) == i] for i in range(len(LATE_BATCHES))]
ANCHORS = [a for a in ANCHORS if a["node"] not in LATE_CODES]
LATE_ENT, _named = [], {d["e"] for d in DEMANDS}
for ds in LATE_DEMANDS:
    LATE_ENT.append({d["e"] for d in ds} - _named)
    _named |= {d["e"] for d in ds}

def pairs(s):
    return [tuple(x.split(":")) for x in s.split()]
SURN, MALE, FEMALE = pairs(META["surnames"]), pairs(META["male"]), pairs(META["female"])
COOP = ["技术攻关", "成果转化/技术入股", "蹲点调研", "师带徒", "联合申报项目", "共建研发平台"]
EN_J = {"FL": ["J. Fluorine Chem.", "Ind. Eng. Chem. Res.", "Chem. Eng. J."], "CM": ["Carbon", "New Carbon Mater.", "J. Mater. Chem. A"],
        "NE": ["J. Power Sources", "Energy Storage Mater.", "Electrochim. Acta", "ACS Appl. Mater. Interfaces"],
        "RE": ["J. Rare Earths", "J. Alloys Compd.", "Acta Mater."], "LW": ["J. Mater. Process. Technol.", "Mater. Sci. Eng. A", "J. Alloys Compd."],
        "SC": ["J. Cryst. Growth", "Appl. Phys. Lett.", "J. Mater. Chem. C"], "PM": ["Polymer", "Compos. Sci. Technol.", "Carbohydr. Polym."],
        "AM": ["Addit. Manuf.", "Mater. Des.", "J. Eur. Ceram. Soc."], "ST": ["ISIJ Int.", "Cem. Concr. Res.", "Ceram. Int."],
        "CH": ["Chem. Eng. Sci.", "AIChE J.", "Ind. Eng. Chem. Res."], "EP": ["Water Res.", "J. Hazard. Mater.", "J. Clean. Prod."],
        "CE": ["J. Eur. Ceram. Soc.", "Ceram. Int.", "J. Non-Cryst. Solids"],
        # a child's own list, where the field's journals would be implausible for it (late codes only: an older
        # child's list would change its rows)
        "CE01": ["J. Eur. Ceram. Soc.", "Ceram. Int.", "J. Clean. Prod."], "CE02": ["J. Eur. Ceram. Soc.", "J. Am. Ceram. Soc.", "Ceram. Int."],
        "CE03": ["J. Non-Cryst. Solids", "J. Am. Ceram. Soc.", "Int. J. Appl. Glass Sci."], "CE04": ["Appl. Clay Sci.", "Powder Technol.", "Miner. Eng."],
        "CE05": ["Ceram. Int.", "J. Eur. Ceram. Soc.", "J. Am. Ceram. Soc."],
        "ST06": ["Int. J. Refract. Met. Hard Mater.", "J. Alloys Compd.", "Mater. Sci. Eng. A"],
        "SC07": ["J. Electrochem. Soc.", "Electrochim. Acta", "Surf. Coat. Technol."],
        "PM07": ["Text. Res. J.", "J. Appl. Polym. Sci.", "Polymer"]}
CN_J = {"FL": ["化工学报", "无机盐工业", "有机氟工业"], "CM": ["炭素技术", "新型炭材料", "材料导报"], "NE": ["储能科学与技术", "电源技术", "电化学"],
        "RE": ["中国稀土学报", "稀土", "中国有色金属学报"], "LW": ["中国有色金属学报", "铸造", "轻合金加工技术"], "SC": ["人工晶体学报", "半导体学报", "发光学报"],
        "PM": ["高分子学报", "高分子材料科学与工程", "塑料工业"], "AM": ["中国激光", "材料工程", "粉末冶金技术"], "ST": ["钢铁", "硅酸盐学报", "耐火材料"],
        "CH": ["化工学报", "化工进展", "过程工程学报"], "EP": ["环境工程学报", "中国环境科学", "环境科学学报"],
        "CE": ["硅酸盐学报", "陶瓷学报", "硅酸盐通报", "玻璃与搪瓷"],
        "CE01": ["陶瓷学报", "中国陶瓷", "硅酸盐通报"], "CE02": ["硅酸盐学报", "无机材料学报", "电子元件与材料"],
        "CE03": ["硅酸盐学报", "玻璃与搪瓷", "玻璃纤维"], "CE04": ["硅酸盐通报", "非金属矿", "中国粉体技术"], "CE05": ["陶瓷学报", "中国陶瓷", "硅酸盐通报"],
        "ST06": ["硬质合金", "中国钨业", "粉末冶金技术"], "SC07": ["电镀与涂饰", "电化学", "印制电路信息"],
        "PM07": ["合成纤维工业", "纺织学报", "合成纤维"]}
FIELD_W = {"FL": 3, "CM": 2, "NE": 3, "RE": 2, "LW": 1.5, "SC": 1.5, "PM": 1, "AM": 1, "ST": 1, "CH": 1.5, "EP": 1.5, "CE": 1.5}
TPL = ["主要从事{a}研究，近年来重点关注{b}。", "研究方向：{a}；{b}；{c}。", "长期围绕{a}开展基础与应用研究，在{b}方面形成了系统积累。",
       "致力于{a}，同时开展{b}、{c}等方面的工程化应用研究。", "{a}；{b}。", "面向{f}产业需求，开展{a}、{b}等方面的研究，相关成果已在企业中试验证。",
       "以{a}为主线，研究{b}，并探索{c}。", "1. {a}；2. {b}；3. {c}", "围绕{f}领域的关键共性问题，研究{a}和{b}。",
       "从事{a}方面的工作，承担过{b}相关的企业委托课题。"]
TPL_ENT = ["在企业一线从事{a}工作十余年，熟悉{b}。", "负责{a}的工艺开发与产业化，主持完成{b}技术改造。"]
NOTES = ["2024年已赴清流蹲点调研", "2025年参加清流县新材料对接会", "已与清流县企业开展师带徒结对", "可提供线上技术咨询"]

used_names, used_mail, used_phone, used_titles = set(), set(), set(), set()

def new_name(sex):
    while True:
        s, sp = rng.choice(SURN)
        pool = MALE if sex == "男" else FEMALE
        g = [rng.choice(pool) for _ in range(1 if rng.random() < 0.2 else 2)]
        name = s + "".join(c for c, _ in g)
        if name not in used_names and len(set(c for c, _ in g)) == len(g):
            used_names.add(name)
            return name, sp + "".join(p[0] for _, p in g)

def mail(py, kind):
    dom = {"uni": "example.edu.cn", "cas": "example.ac.cn"}.get(kind, "example.com")
    base, i = py, 1
    while f"{py}@{dom}" in used_mail:
        i += 1
        py = f"{base}{i}"
    used_mail.add(f"{py}@{dom}")
    return f"{py}@{dom}"

def phone(prefix):
    while True:
        p = f"{prefix}{rng.randrange(10000):04d}"
        if p not in used_phone:
            used_phone.add(p)
            return p

def pick_inst(code):
    """A department whose scope lists the child code or its field code."""
    cands = []
    for inst, d in META["inst"].items():
        ds = [dep for dep, fs in d["depts"] if {code, CHILD[code]["field"]} & set(fs.split())]
        cands += [(inst, dep, d["w"] / len(ds)) for dep in ds]
    inst, dep, _ = rng.choices(cands, weights=[c[2] for c in cands])[0]
    return inst, dep

def title_for(kind):
    opts = {"uni": (["教授", "副教授", "讲师", "研究员", "副研究员"], [40, 36, 7, 9, 8]),
            "cas": (["研究员", "副研究员", "高级工程师", "正高级工程师"], [45, 40, 10, 5]),
            "ind": (["高级工程师", "正高级工程师"], [60, 40]), "ent": (["高级工程师", "正高级工程师"], [55, 45])}[kind]
    return rng.choices(*opts)[0]

def recommender(inst, kind):
    r = rng.random()
    if kind == "ent":
        return "清流县人才办" if r < 0.6 else "三明市科技局"
    return inst if r < 0.75 else ("清流县人才办" if r < 0.9 else "三明市科技局")

def keywords(codes):
    out = []
    for code in codes:
        t = CHILD[code]["terms"]
        cjk = [x for x in t if re.search(r"[\u4e00-\u9fff]", x)]
        out += rng.sample(cjk, min(len(cjk), rng.randint(2, 4)))
        if rng.random() < 0.4:
            out.append(rng.choice([x for x in t if x not in cjk] or cjk))
    out = list(dict.fromkeys(out))[: rng.randint(3, 6)]
    while len(out) < 3:
        out.append(rng.choice(CHILD[codes[0]]["terms"]))
        out = list(dict.fromkeys(out))
    return rng.choice(["、", "、", "；"]).join(out)

def achievements(code, kind):
    f, pool, items = CHILD[code]["field"], POOLS[code], []
    yr = lambda: rng.randint(2018, 2024)
    free = [p for p in pool["papers"] if p not in used_titles]  # no two experts claim the same paper
    if free and (kind in ("uni", "cas") or rng.random() < 0.3):
        p = rng.choice(free)
        used_titles.add(p)
        items.append(f"{p}, {rng.choice(EN_J.get(code, EN_J[f]))}, {yr()}")
    topic = rng.choice(pool["topics"])
    cn = f"《{topic}{rng.choice(['研究', '研究进展'])}》"
    if cn not in used_titles and rng.random() < 0.5:
        used_titles.add(cn)
        items.append(f"{cn}，{rng.choice(CN_J.get(code, CN_J[f]))}，{yr()}")
    pat = f"一种{topic[:-3]}的制备方法"
    if topic.endswith("的制备") and pat not in used_titles and rng.random() < 0.7:
        used_titles.add(pat)
        items.append(f"授权发明专利“{pat}”")
    else:
        items.append(f"授权发明专利{rng.randint(2, 12)}项")
    if kind in ("uni", "cas"):
        items.append(rng.choice(["主持国家自然科学基金面上项目1项", "主持国家自然科学基金青年科学基金项目", "参与国家重点研发计划项目",
                                 f"承担福建省科技计划项目“{topic}关键技术研究”", f"主持企业横向课题“{topic}”",
                                 f"承担三明市科技计划项目“{topic}技术开发”"]))
    else:
        items.append(rng.choice(["主持省级企业技术中心创新项目", "参与制定团体标准1项", f"主持“{topic}”技术改造项目"]))
    rng.shuffle(items)
    return "；".join(items[: rng.randint(2, 3)])

def direction(code, code2, kind, seen):
    for _ in range(50):
        ds = rng.sample(POOLS[code]["dirs"], 3)
        if code2:
            ds[rng.choice([1, 2])] = rng.choice(POOLS[code2]["dirs"])
        tpl = rng.choice(TPL_ENT if kind in ("ent", "ind") and rng.random() < 0.6 else TPL)
        s = tpl.format(a=ds[0], b=ds[1], c=ds[2], f=CHILD[code]["fname"])
        if s not in seen:
            seen.add(s)
            return s
    raise RuntimeError(code)

def make_expert(code, shown, code2=None, seen=set()):
    inst, dept = pick_inst(code)
    kind = META["inst"][inst]["kind"]
    sex = "男" if rng.random() < 0.68 else "女"
    name, py = new_name(sex)
    codes = [code] + ([code2] if code2 else [])
    return {"姓名": name, "性别": sex, "单位": inst, "院系/部门": dept, "职称": title_for(kind), "推荐单位": recommender(inst, kind),
            "新材料细分领域": shown, "研究方向": direction(code, code2, kind, seen), "代表性成果": achievements(code, kind),
            "关键词": keywords(codes), "可接受的合作方式": "、".join(rng.sample(COOP, rng.choice([1, 2, 2, 3]))),
            "所在地区": META["inst"][inst]["city"], "电话": phone("1380000" if rng.random() < 0.85 else "1390000"),
            "邮箱": mail(py, kind), "备注": "虚构示例数据" + ("；" + rng.choice(NOTES) if rng.random() < 0.12 else ""), "_node": code}

def anchor_expert(a):
    used_names.add(a["name"])
    kind = META["inst"][a["inst"]]["kind"]
    return {"姓名": a["name"], "性别": a["sex"], "单位": a["inst"], "院系/部门": a["dept"], "职称": a["title"],
            "推荐单位": a.get("rec") or recommender(a["inst"], kind), "新材料细分领域": CHILD[a["node"]]["name"],
            "研究方向": a["dirs"], "代表性成果": a["ach"], "关键词": a["kw"], "可接受的合作方式": a["coop"],
            "所在地区": META["inst"][a["inst"]]["city"], "电话": phone("1380000"), "邮箱": mail(a["py"], kind),
            "备注": "虚构示例数据" + ("；" + a["note"] if a.get("note") else ""), "_node": a["node"], "_anchor": a["k"]}

# ---------- experts ----------
experts = []
for a in ANCHORS:
    experts.append(anchor_expert(a))
for a in ANCHORS:  # reserve the anchors' own paper titles
    used_titles.update(t for pool in POOLS.values() for t in pool["papers"] if t in a["ach"])
codes = sorted(c for c in CHILD if c not in LATE_CODES)  # late codes: see LATE_BATCHES
fillers = [make_expert(c, CHILD[c]["name"]) for c in codes for _ in range(3)]
modes = ["empty"] * 10 + ["joined"] * 20 + ["loose"] * 22 + ["exact"] * 48
rng.shuffle(modes)
wts = [FIELD_W[CHILD[c]["field"]] / sum(1 for d in codes if CHILD[d]["field"] == CHILD[c]["field"]) for c in codes]
for m in modes:
    c = rng.choices(codes, weights=wts)[0]
    if m == "joined":
        sib = [d for d in codes if CHILD[d]["field"] == CHILD[c]["field"] and d != c]
        c2 = rng.choice(sib)
        fillers.append(make_expert(c, CHILD[c]["name"] + "、" + CHILD[c2]["name"], c2))
    elif m == "loose":
        fillers.append(make_expert(c, rng.choice(META["loose"].get(c) or CHILD[c]["aliases"] or [CHILD[c]["name"]])))
    else:
        fillers.append(make_expert(c, "" if m == "empty" else CHILD[c]["name"]))
# ~5% of research directions entirely in English (distinct subfields; anchors may add one more)
en_idx, en_codes = [], set()
for i in rng.sample(range(len(fillers)), len(fillers)):
    if fillers[i]["_node"] not in en_codes and len(en_idx) < 16:
        en_idx.append(i)
        en_codes.add(fillers[i]["_node"])
for i in en_idx:
    fillers[i]["研究方向"] = POOLS[fillers[i]["_node"]]["en"]
experts += fillers
rng.shuffle(experts)
for i, e in enumerate(experts, 1):
    e["编号"] = f"ZJ{i:04d}"

E_HEAD = ["编号", "姓名", "性别", "单位", "院系/部门", "职称", "推荐单位", "新材料细分领域", "研究方向", "代表性成果", "关键词",
          "可接受的合作方式", "所在地区", "电话", "邮箱", "备注"]
E_W = [9, 9, 6, 30, 26, 12, 18, 24, 60, 60, 34, 26, 10, 14, 28, 26]

# ---------- demands ----------
BLANK = {"XQ2024-018", "XQ2024-043", "XQ2024-057", "XQ2024-071", "XQ2024-086", "XQ2024-097"}
contacts, credit = {}, {}

def enterprise_draws(keys):
    """Contacts, then credit codes, for these enterprises (late ones: see LATE_ENT)."""
    for k in keys:
        n = [new_name("男" if rng.random() < 0.7 else "女")[0] for _ in range(rng.choice([1, 1, 2]))]
        contacts[k] = [(x, phone("1390000")) for x in n]
    for k in keys:
        chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        credit[k] = "" if rng.random() < 0.1 else "91350423" + "".join(rng.choice(chars) for _ in range(10))
enterprise_draws(sorted(k for k in ENT if not any(k in e for e in LATE_ENT)))

def deadline(s):
    y, m = map(int, s.split("-"))
    r = rng.random()
    if r < 0.5:
        last = (datetime.date(y + m // 12, m % 12 + 1, 1) - datetime.timedelta(days=1)).day
        return datetime.datetime(y, m, rng.choice([15, last, last]))
    if r < 0.8:
        return f"{y}年{m}月"
    return rng.choice([f"{y}年{m}月底", f"{y}.{m:02d}", f"{y}年{m}月前"])

D_HEAD = ["编号", "企业名称", "统一社会信用代码", "所在园区/乡镇", "联系人", "联系电话", "需求名称", "需求描述", "细分领域", "关键词",
          "期望合作方式", "拟投入经费（万元）", "紧急程度", "截止时间", "状态", "回避单位", "回避专家"]
D_W = [13, 32, 22, 22, 9, 14, 28, 70, 24, 34, 24, 14, 9, 14, 9, 24, 12]
# 回避 (conflicts) for matchmaking meetings: two fluorochemical firms avoid a competitor's staff,
# one avoids a named expert. Fixed here (no random draws), so the rest of the data is unchanged.
AVOID_UNITS = {"E01": "浙江衢氟新材料股份有限公司", "E04": "浙江衢氟新材料股份有限公司"}
AVOID_PERSONS = {"E05": "许延兵"}
def demand_row(d):
    c = rng.choice(contacts[d["e"]])
    return [d["id"], ENT[d["e"]][0], credit[d["e"]], ENT[d["e"]][1], c[0], c[1], d["title"], d["desc"],
            "" if d["id"] in BLANK else d["sub"], d["kw"], d["coop"], d["budget"], d["urg"], deadline(d["due"]), d["status"],
            AVOID_UNITS.get(d["e"], ""), AVOID_PERSONS.get(d["e"], "")]
drows = [demand_row(d) for d in DEMANDS]

# ---------- late codes (see LATE_BATCHES) ----------
# Runs after every draw above, batch by batch, each on its own generator (the helpers read the module-level
# rng), and shares the used_* sets so names, phones, e-mails, titles and 研究方向 stay unique. Per code: 3
# experts with the exact subfield name and 1 with an alias; one of the batch writes the research direction in
# English. Then, in this order (append only, so nothing drawn earlier moves): the batch's anchors, its
# enterprises' contacts and credit codes, and its demands.
for (seed, bcodes), banchors, bent, bdemands in zip(LATE_BATCHES, LATE_ANCHORS, LATE_ENT, LATE_DEMANDS):
    rng = random.Random(seed)
    late = []
    for c in bcodes:
        late += [make_expert(c, CHILD[c]["name"]) for _ in range(3)]
        late.append(make_expert(c, rng.choice(META["loose"].get(c) or CHILD[c]["aliases"])))
    rng.shuffle(late)
    late[0]["研究方向"] = POOLS[late[0]["_node"]]["en"]
    for a in banchors:  # drawn after every generated expert; their papers must not be a pool's (already handed out)
        assert a["name"] not in used_names, a["name"]
        assert not any(t in a["ach"] for pool in POOLS.values() for t in pool["papers"]), a["k"]
        late.append(anchor_expert(a))
    for i, e in enumerate(late, len(experts) + 1):
        e["编号"] = f"ZJ{i:04d}"
    experts += late
    enterprise_draws(sorted(bent))
    drows += [demand_row(d) for d in bdemands]
ALL_DEMANDS = DEMANDS + [d for ds in LATE_DEMANDS for d in ds]
ALL_ANCHORS = ANCHORS + [a for As in LATE_ANCHORS for a in As]

# ---------- write ----------
def normalise_zip(path):
    """Rewrite the xlsx with fixed zip and core-property timestamps so the file is byte-for-byte reproducible."""
    src = zipfile.ZipFile(path)
    items = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    src.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name == "docProps/core.xml":  # openpyxl stamps 'modified' with the current time on save
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data)
            zi = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)

def workbook(path, sheet, title, head, widths, rows, note_lines):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(head))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(head)
    for c in ws[2]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    for i, w in enumerate(widths):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = w
    for row in ws.iter_rows(min_row=3):
        for c in row:
            if isinstance(c.value, datetime.datetime):
                c.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A3"
    ns = wb.create_sheet("说明")
    for line in note_lines:
        ns.append([line])
    ns.column_dimensions["A"].width = 100
    wb.properties.creator = "Bole scripts/gen_demo.py"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(path)
    normalise_zip(path)

NOTE = ["本工作簿为虚构示例数据，仅供 Bole（伯乐）演示与测试使用。",
        "虚构示例数据，人名、单位联系方式、企业均为虚构；电话、邮箱均为不可用的示例号码和 example 域名。",
        "由 scripts/gen_demo.py 生成（手写内容见 scripts/demo/*.json，固定随机种子，可重复生成）。"]
os.makedirs(OUT, exist_ok=True)
workbook(os.path.join(OUT, "experts.xlsx"), "专家人才库", "清流县新材料专家人才库（虚构示例数据，仅供演示）", E_HEAD, E_W,
         [[e[h] for h in E_HEAD] for e in experts],
         NOTE + [f"共 {len(experts)} 位专家；新材料细分领域取自 data/taxonomy.toml，少数为别名、合并或留空，用于测试导入映射。"])
workbook(os.path.join(OUT, "demands.xlsx"), "企业技术需求清单", "清流县企业新材料关键核心技术需求清单（虚构示例数据，仅供演示）",
         D_HEAD, D_W, drows, NOTE + [f"共 {len(drows)} 条需求，来自 {len({d['e'] for d in ALL_DEMANDS})} 家虚构企业。"])
anchor_id = {e["_anchor"]: e["编号"] for e in experts if "_anchor" in e}
lab = sorted((did, anchor_id[a["k"]], why) for a in ALL_ANCHORS for did, why in a["pairs"])
with open(os.path.join(OUT, "labelled_pairs.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["demand_id", "expert_id", "reason"])
    w.writerows(lab)
print(f"experts {len(experts)}, demands {len(drows)}, labelled pairs {len(lab)} -> {os.path.relpath(OUT, ROOT)}")
