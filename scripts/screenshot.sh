#!/usr/bin/env bash
# Runs the desktop app under Xvfb on a fresh database with the demo data and saves a PNG of each
# main view into screenshots/ (look at them before calling a view done).
# Needs: xvfb, xdotool, imagemagick and Mesa (installed here if missing; Debian/Ubuntu).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for p in Xvfb:xvfb xdotool:xdotool import:imagemagick; do
  command -v "${p%%:*}" >/dev/null || need+=("${p#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" libgl1-mesa-dri libegl1 libxkbcommon-x11-0 >/dev/null
fi
cargo build --release --quiet
out=screenshots
mkdir -p "$out"
work=$(mktemp -d)
export DISPLAY=:97
Xvfb :97 -screen 0 1440x900x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
HOME="$work" LIBGL_ALWAYS_SOFTWARE=1 ./target/release/bole --db "$work/bole.db" >"$work/app.log" 2>&1 &
app=$!
# Wait for the window, then for the demo data to load.
for _ in $(seq 60); do xdotool search --name "伯乐" >/dev/null 2>&1 && break; sleep 0.5; done
win=$(xdotool search --name "伯乐" | head -1)
xdotool windowsize "$win" 1440 900 windowmove "$win" 0 0
sleep 6
shot() { sleep 1.5; import -window root "$out/$1.png"; echo "saved $out/$1.png"; }
click_tab() { xdotool mousemove "$1" 22 click 1; }
# Tab positions along the top bar at 1440 px (伯乐 专家与企业需求对接 | 专家人才库 企业需求 匹配建议 设置).
shot 1-experts
xdotool mousemove 500 118 click 1; shot 2-expert-detail
xdotool key ctrl+f; xdotool type --delay 60 "碳化硅"; shot 3-search
click_tab 380; shot 4-demands
click_tab 470; sleep 1; xdotool mousemove 150 130 click 1; sleep 2; shot 5-matches
click_tab 540; shot 6-settings
xdotool key ctrl+i; shot 7-import
