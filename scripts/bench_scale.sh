#!/usr/bin/env bash
# Scale benchmark: Bole next to the Python peer (jieba + bm25s) on the same synthetic input, in one run.
#
# How to run (from the repo root, on a Debian machine with the Rust toolchain):
#
#   scripts/bench_scale.sh                                  # full size: 100,000 experts x 10,000 demands
#   scripts/bench_scale.sh --experts 20000 --demands 2000   # quick run
#
# Options are passed to ../shared/bench/gen_scale.py (--experts N, --demands N, --seed S).
# Environment: BOLE_BENCH_SHARED (default ../shared), BOLE_BENCH_OUT (generated set, default
# target/bench-scale/set), BOLE_BENCH_VENV (Python venv for the peer, default target/bench-venv).
# Installs /usr/bin/time (apt package `time`) and the venv (pip install jieba bm25s) when missing.
# Steps, one at a time (the heavy ones are never run in parallel):
#   generate the set -> cargo build --release -> import experts + demands into a fresh database (timed)
#   -> `bole match --all --top 20 --json` (wall, peak RSS) -> peer_bm25.py --top 20 (wall, peak RSS)
#   -> `BOLE_BENCH_DB=<db> cargo bench --bench matching` (single-demand p50/p95 vs bare tantivy BM25)
# Prints a summary table and writes it to target/bench-scale/summary.txt; logs are in target/bench-scale/.
# The full-size run takes about 5 minutes plus the first release build (~8 minutes).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SHARED="$(realpath -m "${BOLE_BENCH_SHARED:-$ROOT/../shared}")"
WORK="$ROOT/target/bench-scale"
OUT="$(realpath -m "${BOLE_BENCH_OUT:-$WORK/set}")"
VENV="$(realpath -m "${BOLE_BENCH_VENV:-$ROOT/target/bench-venv}")"
DB="$WORK/bole.db"
BOLE="$ROOT/target/release/bole"
GEN_ARGS=("$@")

step() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench_scale: %s\n' "$*" >&2; exit 1; }

for f in gen_scale.py peer_bm25.py; do
    [[ -f "$SHARED/bench/$f" ]] || die "missing $SHARED/bench/$f (set BOLE_BENCH_SHARED)"
done

# ---- prerequisites ---------------------------------------------------------------------------
SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then SUDO="sudo"; fi
apt_install() {
    step "installing $* (apt)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
[[ -x /usr/bin/time ]] || apt_install time
command -v python3 >/dev/null || apt_install python3 python3-venv
if [[ ! -x "$VENV/bin/python" ]]; then
    step "creating the Python venv $VENV"
    python3 -m venv "$VENV" 2>/dev/null || { rm -rf "$VENV"; apt_install python3-venv; python3 -m venv "$VENV"; }
fi
if ! "$VENV/bin/python" -c 'import jieba, bm25s' 2>/dev/null; then
    step "pip install jieba bm25s"
    "$VENV/bin/python" -m pip install -q jieba bm25s
fi

# /usr/bin/time -v output -> wall seconds / peak RSS in MB.
wall_s() {
    awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }' "$1"
}
peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
verdict() { awk "BEGIN { print (($1) ? \"met\" : \"MISSED\") }"; }

mkdir -p "$WORK"

# ---- input -----------------------------------------------------------------------------------
step "generating the set in $OUT ${GEN_ARGS[*]:-}"
python3 "$SHARED/bench/gen_scale.py" "$OUT" "${GEN_ARGS[@]}"
N_EXPERTS=$(($(wc -l <"$OUT/experts.csv") - 1))
N_DEMANDS=$(($(wc -l <"$OUT/demands.csv") - 1))

# ---- build (the bench binary too, so a compile error shows before the long steps) ------------
step "cargo build --release"
cargo build --release
step "cargo bench --bench matching --no-run"
cargo bench --bench matching --no-run

# ---- import + index on a fresh database --------------------------------------------------------
step "import experts + demands into a fresh $DB"
rm -rf "$DB" "$DB-wal" "$DB-shm" "${DB%.db}.index"
t0=$EPOCHREALTIME
/usr/bin/time -v -o "$WORK/import-experts.time" "$BOLE" --db "$DB" import experts "$OUT/experts.csv" \
    >"$WORK/import-experts.log" 2>&1 || { tail -20 "$WORK/import-experts.log" >&2; die "import experts failed"; }
/usr/bin/time -v -o "$WORK/import-demands.time" "$BOLE" --db "$DB" import demands "$OUT/demands.csv" \
    >"$WORK/import-demands.log" 2>&1 || { tail -20 "$WORK/import-demands.log" >&2; die "import demands failed"; }
IMPORT_S=$(calc "%.1f" "$EPOCHREALTIME - $t0")
IMPORT_MB=$(for f in "$WORK"/import-*.time; do peak_mb "$f"; echo; done | sort -n | tail -1)
IMPORTED_E=$(grep -h '导入完成' "$WORK/import-experts.log" | tail -1)
IMPORTED_D=$(grep -h '导入完成' "$WORK/import-demands.log" | tail -1)
echo "experts: $IMPORTED_E" >&2
echo "demands: $IMPORTED_D" >&2

# ---- match --all -------------------------------------------------------------------------------
step "bole match --all --top 20 --json"
/usr/bin/time -v -o "$WORK/match.time" "$BOLE" --db "$DB" match --all --top 20 --json >"$WORK/bole.jsonl"
MATCH_S=$(wall_s "$WORK/match.time")
MATCH_MB=$(peak_mb "$WORK/match.time")
MATCH_LINES=$(wc -l <"$WORK/bole.jsonl")

# ---- peer --------------------------------------------------------------------------------------
step "peer: jieba + bm25s, --top 20"
/usr/bin/time -v -o "$WORK/peer.time" "$VENV/bin/python" "$SHARED/bench/peer_bm25.py" "$OUT" "$WORK/peer.tsv" \
    --top 20 | tee "$WORK/peer.log"
PEER_S=$(wall_s "$WORK/peer.time")
PEER_MB=$(peak_mb "$WORK/peer.time")
PEER_RANK_S=$(sed -n 's/.*index+rank \([0-9.]*\)s.*/\1/p' "$WORK/peer.log")

# ---- single-demand latency on the same database ------------------------------------------------
step "BOLE_BENCH_DB=$DB cargo bench --bench matching"
BOLE_BENCH_DB="$DB" cargo bench --bench matching | tee "$WORK/bench.log"
read -r Q50 Q95 < <(sed -n 's/^top-20 experts for one demand.*p50 \([0-9.]*\) ms, p95 \([0-9.]*\) ms.*/\1 \2/p' "$WORK/bench.log") || true
read -r B50 B95 < <(sed -n 's/^bare tantivy BM25 (OR of the tokens.*p50 \([0-9.]*\) ms, p95 \([0-9.]*\) ms.*/\1 \2/p' "$WORK/bench.log") || true
read -r P50 P95 < <(sed -n 's/^bare tantivy BM25 (QueryParser.*p50 \([0-9.]*\) ms, p95 \([0-9.]*\) ms.*/\1 \2/p' "$WORK/bench.log") || true
PARSER_NOTE=$(grep -q 'QueryParser dropped' "$WORK/bench.log" && echo "not BM25: terms dropped, see bench.log" || echo "-")
[[ -n "${Q50:-}" && -n "${B50:-}" ]] || die "could not read the latencies from $WORK/bench.log"

# ---- summary -----------------------------------------------------------------------------------
RATIO=$(calc "%.2f" "$MATCH_S / $PEER_S")
QRATIO=$(calc "%.1f" "$Q50 / $B50")
{
    echo "Bole scale benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+dirty src'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    printf '%-46s %-32s %s\n' "item" "result" "target"
    printf '%-46s %-32s %s\n' "input" "$N_EXPERTS experts x $N_DEMANDS demands" "-"
    printf '%-46s %-32s %s\n' "import + index (experts then demands)" "${IMPORT_S} s (peak ${IMPORT_MB} MB)" \
        "<= 10 s: $(verdict "$IMPORT_S <= 10")"
    printf '%-46s %-32s %s\n' "bole match --all --top 20 --json" "${MATCH_S} s, peak ${MATCH_MB} MB" "$MATCH_LINES lines"
    printf '%-46s %-32s %s\n' "peer jieba+bm25s --top 20 (whole process)" "${PEER_S} s, peak ${PEER_MB} MB" \
        "index+rank only ${PEER_RANK_S:-?} s"
    printf '%-46s %-32s %s\n' "ratio bole / peer (wall)" "${RATIO}" "<= 0.5: $(verdict "$RATIO <= 0.5")"
    printf '%-46s %-32s %s\n' "one demand, top 20 with reasons" "p50 ${Q50} ms, p95 ${Q95} ms" \
        "p95 <= 10 ms: $(verdict "$Q95 <= 10")"
    printf '%-46s %-32s %s\n' "bare tantivy BM25 (OR of the demand's tokens)" "p50 ${B50} ms, p95 ${B95} ms" "same index"
    printf '%-46s %-32s %s\n' "  (old baseline: QueryParser, lenient)" "p50 ${P50:-?} ms, p95 ${P95:-?} ms" "$PARSER_NOTE"
    printf '%-46s %-32s %s\n' "ratio single query / bare BM25 (p50)" "${QRATIO}x" "<= 2x: $(verdict "$QRATIO <= 2")"
} | tee "$WORK/summary.txt"
echo "(written to $WORK/summary.txt; logs in $WORK)" >&2
