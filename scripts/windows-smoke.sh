#!/usr/bin/env bash
# Windows smoke test, run here: cross-builds bole.exe (release, x86_64-pc-windows-gnu) and runs it
# under Wine with Xvfb. The CLI imports the demo data from a Chinese path with spaces, matches,
# and writes an xlsx to a Chinese path; the GUI opens on the demo data and a screenshot is saved
# (screenshots/windows-wine.png). Installs what it needs (Debian): mingw-w64, wine, xvfb, imagemagick.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

step "tools"
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v wine >/dev/null || need+=(wine wine64)
command -v Xvfb >/dev/null || need+=(xvfb)
command -v import >/dev/null || need+=(imagemagick)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
rustup target list --installed | grep -q x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu

step "build bole.exe"
cargo build --release --target x86_64-pc-windows-gnu --quiet
exe=target/x86_64-pc-windows-gnu/release/bole.exe
ls -l "$exe"
headers=$(x86_64-w64-mingw32-objdump -p "$exe"); sections=$(x86_64-w64-mingw32-objdump -h "$exe")
grep -q "Subsystem.*Windows GUI" <<<"$headers" || fail "bole.exe is not a GUI-subsystem program"
grep -q "\.rsrc" <<<"$sections" || fail "bole.exe has no resources (icon, version)"

step "wine prefix"
work=$(mktemp -d)
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEARCH=win64
export DISPLAY=:93
Xvfb :93 -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
app=
trap 'kill $app $xvfb 2>/dev/null || true; wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
wineboot -i >/dev/null 2>&1 || true
# Wine 8 lacks bcryptprimitives!ProcessPrng, which Rust's std calls: a stub for this test only.
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" scripts/wine/processprng_stub.c scripts/wine/processprng_stub.def
desk="$WINEPREFIX/drive_c/users/张伟/桌面"
mkdir -p "$desk/伯乐 数据"
cp "$exe" "$work/bole.exe"
cp data/demo/experts.xlsx "$desk/专家名单.xlsx"
cp data/demo/demands.xlsx "$desk/企业 需求.xlsx"
cp tests/fixtures/experts_bad_rows.xlsx "$desk/退回 名单.xlsx"
export WINEDLLOVERRIDES="bcryptprimitives=n,b"
db='C:\Users\张伟\桌面\伯乐 数据\bole.db'
bole() { (cd "$work" && wine ./bole.exe --db "$db" "$@"); }

step "CLI: import from Chinese paths with spaces"
out=$(bole import experts 'C:\Users\张伟\桌面\专家名单.xlsx' 2>&1) || { echo "$out"; fail "import experts"; }
echo "$out" | tail -2
grep -q "导入完成：新增 336" <<<"$out" || fail "experts not imported"
out=$(bole import demands 'C:\Users\张伟\桌面\企业 需求.xlsx' 2>&1) || { echo "$out"; fail "import demands"; }
grep -q "导入完成：新增 103" <<<"$out" || fail "demands not imported"
[ -f "$desk/伯乐 数据/bole.db" ] || fail "database not in the Chinese folder"

step "CLI: match"
out=$(bole match --demand XQ2024-001 --top 3 --json 2>&1) || { echo "$out"; fail "match"; }
echo "$out" | head -5
grep -q '"expert_id": "ZJ' <<<"$out" || fail "no match in JSON"

step "CLI: export an xlsx to a Chinese path"
bole import experts 'C:\Users\张伟\桌面\退回 名单.xlsx' --dry-run --rejected-out 'C:\Users\张伟\桌面\需修改 的行.xlsx' >/dev/null 2>&1 || true
[ -s "$desk/需修改 的行.xlsx" ] || fail "rejected rows xlsx not written to the Chinese path"
python3 - "$desk/需修改 的行.xlsx" <<'PY' || fail "exported xlsx unreadable"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); assert any(n.startswith("xl/worksheets/") for n in z.namelist())
print("xlsx ok:", sys.argv[1])
PY

step "CLI: default data folder is %APPDATA%\\Bole"
(cd "$work" && wine ./bole.exe list demands >/dev/null 2>&1) || fail "list without --db"
appdata=$(find "$WINEPREFIX/drive_c/users" -path "*AppData/Roaming/Bole/bole.db" | head -1)
[ -n "$appdata" ] || fail "no database in %APPDATA%\\Bole"
echo "database: $appdata"

step "GUI under Wine (OpenGL via Mesa)"
mkdir -p screenshots
(cd "$work" && wine ./bole.exe --db "$db" >"$work/gui.log" 2>&1) &
app=$!
sleep 25
import -window root screenshots/windows-wine.png
kill $app 2>/dev/null || true
echo "saved screenshots/windows-wine.png"
echo
echo "windows smoke test passed"
