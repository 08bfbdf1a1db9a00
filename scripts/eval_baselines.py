#!/usr/bin/env python3
"""Char-bigram TF-IDF cosine baseline for Bole's labelled development sets.

Usage:
  python3 scripts/eval_baselines.py data/eval/SET [--history pairings.csv] [--top 10]
  python3 scripts/eval_baselines.py data/eval/SET --run run.tsv     # score another system's run

Set dir holds experts.csv (id,name,institution,subfield,keywords,profile),
demands.csv (id,enterprise,title,description) and qrels.csv (demand_id,expert_id,relevance).

Baseline (as in /work/shared/eval/short-entries/README.md):
  expert text = subfield + keywords + profile; demand text = title + description;
  features = overlapping bigrams of the CJK/alphanumeric characters (other characters are
  dropped first); tf weight = 1 + log(tf); IDF fitted on the experts,
  idf = log(N / df); cosine similarity. Only demands present in qrels are queried.

--history FILE: pairings CSV (需求编号,专家编号,阶段,日期,备注); each expert's text is extended
  with the titles of the demands they were paired with (history-aware peer). Demands that appear
  in the history are not ranked as queries (only qrels demands are).
--write-run FILE: write the baseline's scores (all positive ones) in that TSV format.
--features word: ASCII words + CJK bigrams instead of char bigrams (an extra peer for English text).
--history-knn K (with --history): rank experts by their pairings on the K most similar past projects.
--run FILE: TSV demand_id<TAB>expert_id<TAB>score (higher = better); scored with the same metrics.
  Experts missing from a demand's run are treated as unscored (ranked after all scored ones;
  ties among them count as ties in the pairwise loss).

Metrics, averaged over queried demands:
  Recall@k  = relevant experts (relevance > 0) in top k / all relevant experts of the demand
  MRR@k     = 1 / rank of the first relevant expert within top k (0 if none)
  nDCG@k    = graded gains (gain = relevance), log2(rank+1) discount, ideal = sorted labels
  pairwise loss (only when qrels has more than two distinct relevance values, e.g. 1-5 ratings):
    for each expert, over all pairs of papers rated by that expert with different ratings,
    loss += |r1-r2| if the system orders them opposite to the ratings, += 0.5*|r1-r2| on a tie
    (including both unscored); divided by the sum of |r1-r2| over those pairs.
    Scores used are the expert-paper scores (cosine for the baseline, run scores for --run).
"""
import argparse
import csv
import math
import os
import sys
from collections import Counter, defaultdict


def is_feat_char(c):
    o = ord(c)
    if c.isascii():
        return c.isalnum()
    # CJK Unified Ideographs (+Ext A), compatibility ideographs
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
        return True
    # full-width digits/letters and other Unicode letters/digits (Greek μ, etc.)
    return c.isalnum()


def bigrams(text):
    """Overlapping bigrams over the CJK/alphanumeric characters of the text.

    All other characters (punctuation, spaces, symbols) are dropped first, so a bigram may
    span a removed character. This variant reproduces short-entries' published figures
    (0.467 / 0.772 / 0.513 vs published 0.468 / 0.773 / 0.515).
    """
    chars = [c for c in text.lower() if is_feat_char(c)]
    return Counter(a + b for a, b in zip(chars, chars[1:]))


_WORD = None


def words(text):
    """Alternative features (--features word): lower-cased ASCII alphanumeric words plus CJK bigrams."""
    global _WORD
    import re
    if _WORD is None:
        _WORD = re.compile(r"[a-z0-9]+")
    text = text.lower()
    feats = Counter(w for w in _WORD.findall(text) if len(w) > 1)
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    feats.update(a + b for a, b in zip(cjk, cjk[1:]))
    return feats


FEATURES = {"bigram": bigrams, "word": words}


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_set(d):
    experts = read_csv(os.path.join(d, "experts.csv"))
    demands = read_csv(os.path.join(d, "demands.csv"))
    qrels = defaultdict(dict)
    for r in read_csv(os.path.join(d, "qrels.csv")):
        qrels[r["demand_id"]][r["expert_id"]] = int(r["relevance"])
    return experts, demands, qrels


def load_history(path):
    hist = defaultdict(list)
    for r in read_csv(path):
        hist[r["专家编号"]].append(r["需求编号"])
    return hist


def baseline_scores(experts, demands, qrels, history=None, feat=bigrams):
    dem_by_id = {d["id"]: d for d in demands}
    etexts = {}
    for e in experts:
        t = " ".join([e.get("subfield", ""), e.get("keywords", ""), e.get("profile", "")])
        if history:
            titles = [dem_by_id[x]["title"] for x in history.get(e["id"], []) if x in dem_by_id]
            if titles:
                t += " " + " ".join(titles)
        etexts[e["id"]] = t
    etf = {eid: feat(t) for eid, t in etexts.items()}
    n = len(etf)
    df = Counter()
    for tf in etf.values():
        df.update(tf.keys())
    idf = {g: math.log(n / c) for g, c in df.items()}

    def vec(tf):
        v = {g: (1 + math.log(c)) * idf[g] for g, c in tf.items() if g in idf and idf[g] > 0}
        norm = math.sqrt(sum(x * x for x in v.values()))
        return v, norm

    evecs = {eid: vec(tf) for eid, tf in etf.items()}
    # inverted index
    inv = defaultdict(list)
    for eid, (v, nrm) in evecs.items():
        if nrm == 0:
            continue
        for g, w in v.items():
            inv[g].append((eid, w / nrm))
    scores = {}
    for did in qrels:
        d = dem_by_id.get(did)
        if d is None:
            continue
        qv, qn = vec(feat(d.get("title", "") + " " + d.get("description", "")))
        s = defaultdict(float)
        if qn > 0:
            for g, w in qv.items():
                for eid, ew in inv.get(g, ()):
                    s[eid] += w / qn * ew
        scores[did] = dict(s)
    return scores, [e["id"] for e in experts]


def knn_history_scores(demands, qrels, history_pairs, k=10, feat=bigrams):
    """History-kNN peer: score(expert) = sum of cosine(query, past project) over the k past projects most
    similar to the query that the expert was paired with (IDF fitted on all demands)."""
    dem_by_id = {d["id"]: d for d in demands}
    tf = {i: feat(d.get("title", "") + " " + d.get("description", "")) for i, d in dem_by_id.items()}
    df = Counter()
    for t in tf.values():
        df.update(t.keys())
    n = len(tf)

    def vec(t):
        v = {g: (1 + math.log(c)) * math.log(n / df[g]) for g, c in t.items()}
        nrm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x / nrm for g, x in v.items()}
    vecs = {i: vec(t) for i, t in tf.items()}
    past = sorted(history_pairs)
    scores = {}
    for q in qrels:
        if q not in vecs:
            continue
        qv = vecs[q]
        sims = sorted(((sum(w * vecs[h].get(g, 0.0) for g, w in qv.items()), h) for h in past if h != q),
                      reverse=True)[:k]
        s = defaultdict(float)
        for sim, h in sims:
            for e in history_pairs[h]:
                s[e] += sim
        scores[q] = dict(s)
    return scores


def load_run(path):
    scores = defaultdict(dict)
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            try:
                sc = float(parts[2])
            except ValueError:
                continue  # header
            scores[parts[0]][parts[1]] = sc
    return scores


def rank(score_map, expert_ids):
    # deterministic: score desc, then file order of experts
    order = {eid: i for i, eid in enumerate(expert_ids)}
    items = list(score_map.items())
    items.sort(key=lambda x: (-x[1], order.get(x[0], 1 << 30), x[0]))
    return [eid for eid, sc in items if sc > 0]


def evaluate(scores, qrels, expert_ids, k=10):
    rec = mrr = ndcg = 0.0
    nq = 0
    zero_hit = 0
    for did, rels in qrels.items():
        relevant = {e: r for e, r in rels.items() if r > 0}
        if not relevant:
            continue
        nq += 1
        ranked = rank(scores.get(did, {}), expert_ids)[:k]
        hits = [e for e in ranked if e in relevant]
        rec += len(hits) / len(relevant)
        if not hits:
            zero_hit += 1
        for i, e in enumerate(ranked):
            if e in relevant:
                mrr += 1 / (i + 1)
                break
        dcg = sum(relevant.get(e, 0) / math.log2(i + 2) for i, e in enumerate(ranked))
        ideal = sorted(relevant.values(), reverse=True)[:k]
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcg += dcg / idcg if idcg else 0
    if nq == 0:
        return {"queries": 0}
    return {"queries": nq, f"Recall@{k}": rec / nq, f"MRR@{k}": mrr / nq,
            f"nDCG@{k}": ndcg / nq, "no_hit_in_top": zero_hit}


def pairwise_loss(scores, qrels):
    by_expert = defaultdict(list)
    for did, rels in qrels.items():
        for eid, r in rels.items():
            s = scores.get(did, {}).get(eid)
            by_expert[eid].append((r, s if s is not None and s > 0 else None))
    loss = total = 0.0
    for eid, lst in by_expert.items():
        for i in range(len(lst)):
            for j in range(i + 1, len(lst)):
                (r1, s1), (r2, s2) = lst[i], lst[j]
                if r1 == r2:
                    continue
                w = abs(r1 - r2)
                total += w
                if r1 < r2:
                    (r1, s1), (r2, s2) = (r2, s2), (r1, s1)
                # now r1 > r2: want s1 > s2
                a = s1 if s1 is not None else float("-inf")
                b = s2 if s2 is not None else float("-inf")
                if a == b:
                    loss += 0.5 * w
                elif a < b:
                    loss += w
    return loss / total if total else float("nan"), len(by_expert)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set_dir")
    ap.add_argument("--history", help="pairings CSV (需求编号,专家编号,阶段,日期,备注)")
    ap.add_argument("--run", help="TSV run file demand_id<TAB>expert_id<TAB>score")
    ap.add_argument("--features", choices=sorted(FEATURES), default="bigram",
                    help="bigram (default, the published baseline) or word (ASCII words + CJK bigrams)")
    ap.add_argument("--history-knn", type=int, metavar="K",
                    help="with --history: score experts by their pairings on the K past projects most similar "
                         "to the query (history-kNN peer) instead of appending titles")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--write-run", metavar="FILE", help="also write the baseline's scores as a TSV run file")
    a = ap.parse_args()
    experts, demands, qrels = load_set(a.set_dir)
    expert_ids = [e["id"] for e in experts]
    if a.run:
        scores = load_run(a.run)
        label = f"run {a.run}"
    else:
        hist = None
        if a.history:
            hp = a.history
            if not os.path.exists(hp) and os.path.exists(os.path.join(a.set_dir, hp)):
                hp = os.path.join(a.set_dir, hp)
            hist = load_history(hp)
        feat = FEATURES[a.features]
        fname = "char-bigram TF-IDF" if a.features == "bigram" else "word TF-IDF"
        if a.history_knn and hist:
            by_demand = defaultdict(list)
            for e, ds in hist.items():
                for d in ds:
                    by_demand[d].append(e)
            scores = knn_history_scores(demands, qrels, by_demand, a.history_knn, feat)
            label = f"history-kNN (k={a.history_knn}, {fname} project similarity)"
        else:
            scores, _ = baseline_scores(experts, demands, qrels, hist, feat)
            label = fname + (" + history" if hist else "")
    if a.write_run and not a.run:
        with open(a.write_run, "w", encoding="utf-8") as f:
            for did in qrels:
                for eid, sc in sorted(scores.get(did, {}).items(), key=lambda x: -x[1]):
                    if sc > 0:
                        f.write(f"{did}\t{eid}\t{sc:.6f}\n")
    m = evaluate(scores, qrels, expert_ids, a.top)
    print(f"# {a.set_dir} — {label}")
    print(f"queries\t{m['queries']}")
    for key in (f"Recall@{a.top}", f"MRR@{a.top}", f"nDCG@{a.top}"):
        print(f"{key}\t{m[key]:.3f}")
    print(f"no relevant in top {a.top}\t{m['no_hit_in_top']}")
    levels = {r for rels in qrels.values() for r in rels.values()}
    if len(levels) > 2:
        pl, ne = pairwise_loss(scores, qrels)
        print(f"pairwise loss\t{pl:.3f}\t({ne} raters)")


if __name__ == "__main__":
    main()
