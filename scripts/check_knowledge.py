#!/usr/bin/env python3
"""Checks Bole's knowledge files (data/*.toml) for the mistakes office staff can make when editing them.

    python3 scripts/check_knowledge.py [data-dir]

Loads taxonomy.toml, disciplines.toml, problem_links.toml, generic_words.toml (and synonyms.toml)
with tomllib and verifies:
  - every taxonomy code referenced (disciplines' serves, taxonomy's related) exists;
  - every strength is a number in 0..1;
  - no discipline name or alias is used twice (after the same normalisation Bole uses);
  - no generic word is a problem-link symptom on its own;
  - taxonomy codes/labels are unique and children start with their field's code (as Bole requires);
  - problem-link ids are unique, each link has symptoms and disciplines, and each link names at
    least one discipline from disciplines.toml (so links and disciplines connect).
Prints warnings (not errors) for things worth a look. Exit code 1 when there are errors.
"""

import sys
import tomllib
import unicodedata
from pathlib import Path


# Short words that are real symptoms but mean different things in different industries; alone they
# fire links in the wrong context (结疤 in an HF kiln is not a steel-surface defect).
AMBIGUOUS = {
    "乳化", "老化", "断裂", "翘曲", "结疤", "脱碳", "堵塞", "泄漏", "静电", "着火", "产气", "鼓包", "沉降",
    "结块", "成团", "变色", "发黄", "异味", "臭味", "黑点", "针孔", "缩孔", "疏松", "龟裂", "鼓泡", "起皮",
    "粉化", "超温", "超压", "击穿", "断线", "断丝", "废盐", "脱氟", "白点", "折叠", "拉伤", "流痕", "夹渣",
    "表面裂纹", "使用寿命短", "密度偏低", "流动性差", "体积膨胀", "强度不达标", "加工困难", "能耗高",
    "分离效果差", "一致性差", "活性下降", "耐热性差", "灰分高", "pH偏高", "转换效率低",
}


def norm(s: str) -> str:
    """Like Bole's norm_key: full-width → half-width, no whitespace, lower case."""
    s = unicodedata.normalize("NFKC", s)
    return "".join(c for c in s if not c.isspace()).lower()


def load(path: Path, errors: list) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        errors.append(f"{path.name}: 文件不存在")
    except tomllib.TOMLDecodeError as e:
        errors.append(f"{path.name}: 格式错误：{e}")
    return {}


def check_strengths(where: str, table, codes: set, errors: list, own: str | None = None) -> None:
    if not isinstance(table, dict):
        errors.append(f"{where}: 应写成 {{ 编码 = 强度, ... }}")
        return
    if not table:
        errors.append(f"{where}: 至少要有一个编码")
    for code, strength in table.items():
        if code not in codes:
            errors.append(f"{where}: 编码 {code} 不在 taxonomy.toml 中")
        if own is not None and code == own:
            errors.append(f"{where}: 不能关联到自己 {code}")
        if isinstance(strength, bool) or not isinstance(strength, (int, float)) or not 0 <= strength <= 1:
            errors.append(f"{where}: {code} 的强度 {strength!r} 应在 0～1 之间")


def main() -> int:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "data"
    errors: list[str] = []
    warnings: list[str] = []

    tax = load(data / "taxonomy.toml", errors)
    disc = load(data / "disciplines.toml", errors)
    links = load(data / "problem_links.toml", errors)
    generic = load(data / "generic_words.toml", errors)
    load(data / "synonyms.toml", errors)  # only that it parses
    if errors:
        print("\n".join(errors))
        return 1

    # ---- taxonomy ----
    codes: set[str] = set()
    labels: dict[str, str] = {}
    nodes = []
    for f in tax.get("field", []):
        nodes.append((f, None))
        for c in f.get("children", []):
            nodes.append((c, f["code"]))
            if not c["code"].startswith(f["code"]):
                errors.append(f"taxonomy.toml: {c['code']} 应以上级编码 {f['code']} 开头")
    for n, _ in nodes:
        if n["code"] in codes:
            errors.append(f"taxonomy.toml: 编码重复 {n['code']}")
        codes.add(n["code"])
    for n, _ in nodes:
        for label in [n["name"], n["code"], *n.get("aliases", [])]:
            k = norm(label)
            if k in labels and labels[k] != n["code"]:
                errors.append(f"taxonomy.toml: 名称或别名“{label}”同时属于 {labels[k]} 和 {n['code']}")
            labels[k] = n["code"]
        if len(set(map(norm, n.get("terms", [])))) != len(n.get("terms", [])):
            warnings.append(f"taxonomy.toml: {n['code']} 的 terms 有重复")
    related_count = 0
    for n, _ in nodes:
        if "related" in n:
            related_count += 1
            check_strengths(f"taxonomy.toml {n['code']} related", n["related"], codes, errors, own=n["code"])

    # ---- disciplines ----
    seen: dict[str, str] = {}
    disc_words: set[str] = set()
    entries = disc.get("discipline", [])
    for d in entries:
        name = d.get("name", "")
        if not name:
            errors.append("disciplines.toml: 有一条没有 name")
            continue
        for w in [name, *d.get("aliases", [])]:
            k = norm(w)
            if k in seen:
                errors.append(f"disciplines.toml: “{w}”重复（{seen[k]} 与 {name}）")
            seen[k] = name
            disc_words.add(k)
        check_strengths(f"disciplines.toml “{name}” serves", d.get("serves"), codes, errors)
        if not d.get("note"):
            warnings.append(f"disciplines.toml: “{name}” 没有 note")

    # ---- generic words ----
    words = generic.get("words", [])
    gw = [norm(w) for w in words]
    dup = sorted({w for w in gw if gw.count(w) > 1})
    if dup:
        errors.append(f"generic_words.toml: 重复的词 {dup}")
    gset = set(gw)
    for k in sorted(gset & disc_words):
        warnings.append(f"generic_words.toml: “{k}”也是 disciplines.toml 里的学科写法")
    for k in sorted(gset & set(labels)):
        warnings.append(f"generic_words.toml: “{k}”也是分类 {labels[k]} 的名称或别名（只在证据里不算数）")

    # ---- problem links ----
    ids: set[str] = set()
    unconnected = []
    link_list = links.get("link", [])
    for l in link_list:
        lid = l.get("id", "")
        if lid in ids:
            errors.append(f"problem_links.toml: 编号“{lid}”重复")
        ids.add(lid)
        syms = l.get("symptoms", [])
        dis = l.get("disciplines", [])
        if not syms or not dis:
            errors.append(f"problem_links.toml: “{lid}”需要至少一个症状词和一个学科词")
        for s in syms:
            k = norm(s)
            if k in gset:
                errors.append(f"problem_links.toml: “{lid}”的症状“{s}”是通用词（generic_words.toml），单独出现不能算症状")
            if k in {norm(a) for a in AMBIGUOUS}:
                warnings.append(f"problem_links.toml: “{lid}”的症状“{s}”在不同行业意思不同，请写得更具体（如“萃取槽乳化”）")
        if not any(norm(x) in disc_words for x in dis):
            unconnected.append(lid)
    for lid in unconnected:
        errors.append(f"problem_links.toml: “{lid}”的 disciplines 里没有 disciplines.toml 中的学科名")

    for w in warnings:
        print("提示:", w)
    for e in errors:
        print("错误:", e)
    print(
        f"taxonomy {len(nodes)} 个分类（{related_count} 个有 related），disciplines {len(entries)} 条，"
        f"problem_links {len(link_list)} 条，generic_words {len(words)} 个 —— "
        + ("通过" if not errors else f"{len(errors)} 个错误")
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
