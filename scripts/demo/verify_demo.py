#!/usr/bin/env python3
"""Reads data/demo/ back with openpyxl and checks the demo data (run after scripts/gen_demo.py)."""
import collections, csv, datetime, glob, json, os, re, sys, tomllib
import openpyxl

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DEMO = os.path.join(ROOT, "data", "demo")
tax = tomllib.load(open(os.path.join(ROOT, "data", "taxonomy.toml"), "rb"))
NAME = {c["name"]: (c["code"], f["code"]) for f in tax["field"] for c in f["children"]}
ALIAS = {a: (c["code"], f["code"]) for f in tax["field"] for c in f["children"] for a in c.get("aliases", [])}
errors = []
def check(ok, msg):
    if not ok:
        errors.append(msg)

def read(path, sheet, title, head):
    wb = openpyxl.load_workbook(path)
    check(wb.sheetnames == [sheet, "说明"], f"{path}: sheets {wb.sheetnames}")
    ws = wb[sheet]
    check(ws["A1"].value == title, f"{path}: title {ws['A1'].value}")
    check(any(str(r).startswith("A1:") for r in ws.merged_cells.ranges), f"{path}: A1 not merged")
    got = [c.value for c in ws[2]]
    check(got == head, f"{path}: headers {got}")
    rows = [dict(zip(head, r)) for r in ws.iter_rows(min_row=3, values_only=True) if any(v is not None for v in r)]
    note = " ".join(str(r[0]) for r in wb["说明"].iter_rows(values_only=True))
    check("虚构示例数据，人名、单位联系方式、企业均为虚构" in note and "scripts/gen_demo.py" in note, f"{path}: 说明 sheet")
    check(wb.properties.created == datetime.datetime(2026, 1, 1), f"{path}: created {wb.properties.created}")
    return rows

E_HEAD = ["编号", "姓名", "性别", "单位", "院系/部门", "职称", "推荐单位", "新材料细分领域", "研究方向", "代表性成果", "关键词",
          "可接受的合作方式", "所在地区", "电话", "邮箱", "备注"]
D_HEAD = ["编号", "企业名称", "统一社会信用代码", "所在园区/乡镇", "联系人", "联系电话", "需求名称", "需求描述", "细分领域", "关键词",
          "期望合作方式", "拟投入经费（万元）", "紧急程度", "截止时间", "状态", "回避单位", "回避专家"]
ex = read(os.path.join(DEMO, "experts.xlsx"), "专家人才库", "清流县新材料专家人才库（虚构示例数据，仅供演示）", E_HEAD)
de = read(os.path.join(DEMO, "demands.xlsx"), "企业技术需求清单", "清流县企业新材料关键核心技术需求清单（虚构示例数据，仅供演示）", D_HEAD)

# experts
ids = [e["编号"] for e in ex]
check(len(ex) >= 320, f"only {len(ex)} experts")
check(len(set(ids)) == len(ids), "duplicate expert 编号")
check(ids == [f"ZJ{i:04d}" for i in range(1, len(ids) + 1)], "expert 编号 not ZJ0001…")
exact = collections.Counter(e["新材料细分领域"] for e in ex)
few = {n: exact[n] for n in NAME if exact[n] < 3}
check(not few, f"child nodes with <3 exact experts: {few}")
empty = sum(1 for e in ex if not e["新材料细分领域"])
english = sum(1 for e in ex if not re.search(r"[\u4e00-\u9fff]", e["研究方向"] or ""))
check(len({e["研究方向"] for e in ex}) == len(ex), "duplicate 研究方向")
check(len({e["姓名"] for e in ex}) == len(ex), "duplicate expert names")
check(len({e["邮箱"] for e in ex}) == len(ex), "duplicate e-mails")
for e in ex:
    check(re.fullmatch(r"13[89]0000\d{4}", e["电话"] or ""), f"{e['编号']} phone {e['电话']}")
    check(re.fullmatch(r"[a-z]+\d*@example\.(edu\.cn|ac\.cn|com)", e["邮箱"] or ""), f"{e['编号']} mail {e['邮箱']}")
    check((e["备注"] or "").startswith("虚构示例数据"), f"{e['编号']} 备注")
    n = len(re.split("[、；]", e["关键词"]))
    check(3 <= n <= 6, f"{e['编号']} {n} keywords")
    check(e["性别"] in ("男", "女") and all(e[h] for h in ("姓名", "单位", "职称", "研究方向", "代表性成果")), f"{e['编号']} missing fields")

# demands
check(len(de) >= 85, f"only {len(de)} demands")
dids = [d["编号"] for d in de]
check(len(set(dids)) == len(dids), "duplicate demand 编号")
check(len({d["需求描述"] for d in de}) == len(de), "duplicate demand descriptions")
for d in de:
    L = len(d["需求描述"])
    check(60 <= L <= 250, f"{d['编号']} description length {L}")
    check(d["紧急程度"] in ("高", "中", "低"), f"{d['编号']} 紧急程度")
    check(d["状态"] in ("待对接", "对接中", "已解决", "已关闭"), f"{d['编号']} 状态")
    n = len(re.split("[、；]", d["关键词"]))
    check(2 <= n <= 5, f"{d['编号']} {n} keywords")
    cc = d["统一社会信用代码"]
    check(cc is None or re.fullmatch(r"[0-9A-Z]{18}", cc), f"{d['编号']} credit code {cc}")
truth = {}  # demand id -> true child code (the JSON keeps subfields that the workbook leaves blank)
for f in sorted(glob.glob(os.path.join(ROOT, "scripts", "demo", "demands_*.json"))):
    for d in json.load(open(f, encoding="utf-8")):
        truth[d["id"]] = (NAME.get(d["sub"]) or ALIAS.get(d["sub"]) or (None, None))
OVERRIDE = {"XQ2024-010": "FL03", "XQ2024-032": "NE01", "XQ2024-051": "RE02", "XQ2024-075": "PM06", "XQ2024-103": "EP05"}
for k, v in OVERRIDE.items():
    truth[k] = (v, v[:2])
check(all(v[0] for v in truth.values()), f"demands without a known node: {[k for k, v in truth.items() if not v[0]]}")
fields_shown = {(NAME.get(d["细分领域"]) or ALIAS.get(d["细分领域"]) or (None, None))[1] for d in de} - {None}
fields_true = {v[1] for v in truth.values()}
check(len(fields_true) == len(fields_shown) == len(tax["field"]), f"fields covered: true {sorted(fields_true)}, shown {sorted(fields_shown)}")
d_empty = sum(1 for d in de if not d["细分领域"])

# labelled pairs
with open(os.path.join(DEMO, "labelled_pairs.csv"), encoding="utf-8") as f:
    raw = f.read()
check(not raw.startswith("\ufeff"), "labelled_pairs.csv has a BOM")
lab = list(csv.DictReader(raw.splitlines()))
check(list(lab[0].keys()) == ["demand_id", "expert_id", "reason"], "labelled header")
check(len(lab) >= 40, f"only {len(lab)} labelled pairs")
exmap = {e["编号"]: e for e in ex}
for r in lab:
    check(r["demand_id"] in truth and r["demand_id"] in dids, f"unknown demand {r['demand_id']}")
    check(r["expert_id"] in exmap, f"unknown expert {r['expert_id']}")
    if r["expert_id"] in exmap and r["demand_id"] in truth:
        node = NAME.get(exmap[r["expert_id"]]["新材料细分领域"], (None,))[0]
        check(node == truth[r["demand_id"]][0], f"pair {r['demand_id']}/{r['expert_id']}: subfield {node} vs {truth[r['demand_id']][0]}")
    check(r["reason"] and re.search(r"[\u4e00-\u9fff]", r["reason"]), f"reason missing {r}")
check(len({(r["demand_id"], r["expert_id"]) for r in lab}) == len(lab), "duplicate labelled pairs")

print(f"experts {len(ex)} (empty subfield {empty} = {empty / len(ex):.1%}, English 研究方向 {english} = {english / len(ex):.1%}, "
      f"min exact per node {min(exact[n] for n in NAME)})")
print(f"demands {len(de)} from {len({d['企业名称'] for d in de})} enterprises (empty subfield {d_empty} = {d_empty / len(de):.1%}), "
      f"fields {len(fields_true)}; statuses {dict(collections.Counter(d['状态'] for d in de))}")
print(f"labelled pairs {len(lab)} covering {len({r['demand_id'] for r in lab})} demands, {len({r['expert_id'] for r in lab})} experts")
print("institutions:", dict(collections.Counter(e["单位"] for e in ex).most_common()))
print("titles:", dict(collections.Counter(e["职称"] for e in ex)))
if errors:
    print(f"{len(errors)} PROBLEMS:\n  " + "\n  ".join(errors[:50]))
    sys.exit(1)
print("OK")
