#!/usr/bin/env python3
"""Write a Bole run file (TSV demand_id<TAB>expert_id<TAB>score) for a set dir, for eval_baselines.py --run.

  python3 scripts/bole_match_run.py /work/tools/bole-base data/eval/english-profiles run.tsv [--top N]

Imports experts.csv and demands.csv into a temporary database and runs `bole match --all --json`.
Useful where `bole eval` does not report a metric (pairwise loss for english-profiles)."""
import argparse
import json
import os
import subprocess
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bole")
    ap.add_argument("set_dir")
    ap.add_argument("out")
    ap.add_argument("--top", type=int, default=0, help="matches per demand (default: number of experts)")
    a = ap.parse_args()
    with open(os.path.join(a.set_dir, "experts.csv"), encoding="utf-8") as f:
        n_exp = sum(1 for _ in f) - 1
    top = a.top or n_exp
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "run.db")
        for kind in ("experts", "demands"):
            subprocess.run([a.bole, "--db", db, "import", kind, os.path.join(a.set_dir, kind + ".csv")],
                           check=True, capture_output=True)
        out = subprocess.run([a.bole, "--db", db, "match", "--all", "--top", str(top), "--json"],
                             check=True, capture_output=True, text=True).stdout
    n = 0
    with open(a.out, "w", encoding="utf-8") as f:
        for line in out.splitlines():
            if line.strip():
                o = json.loads(line)
                for m in o["matches"]:
                    f.write(f"{o['demand_id']}\t{m['expert_id']}\t{m['score']}\n")
                    n += 1
    print(f"{n} scored pairs -> {a.out}")


if __name__ == "__main__":
    main()
