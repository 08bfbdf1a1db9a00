#!/usr/bin/env bash
# Runs the desktop app under Xvfb on a fresh database with the demo data and saves a PNG of each
# main view into screenshots/ (look at them before calling a view done).
# Needs xvfb, xdotool, imagemagick and Mesa; installs them (Debian/Ubuntu) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for p in Xvfb:xvfb xdotool:xdotool import:imagemagick; do
  command -v "${p%%:*}" >/dev/null || need+=("${p#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" libgl1-mesa-dri libegl1 libxkbcommon-x11-0 >/dev/null
fi
# BOLE_BIN=path uses an already built binary (e.g. to compare with an older build); SHOTS=dir
# changes the output folder.
if [ -z "${BOLE_BIN:-}" ]; then cargo build --release --quiet; fi
bin=${BOLE_BIN:-./target/release/bole}
out=${SHOTS:-screenshots}
mkdir -p "$out"
work=$(mktemp -d)
export DISPLAY=:97
# SIZE=1920x1080 shoots at another window size (default 1280x800); TABLES=24 gives the meeting
# 24 tables (the projection board then pages).
size=${SIZE:-1280x800}
tables=${TABLES:-12}
# More tables, more demands: a longer morning so one enterprise's sittings still fit.
hours=9:00-12:00
if [ "$tables" -gt 12 ]; then hours=8:00-12:00; fi
export BOLE_WINDOW=$size
width=${size%x*}
# Dialogs are centred across the window: their buttons move right by half the extra width.
dx=$(((width - 1280) / 2))
# No window manager: the window sits at the top-left of a screen of the same size.
Xvfb :97 -screen 0 "${size}x24" >/dev/null 2>&1 &
xvfb=$!
app=
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
# A meeting of 30 demands and 60 experts, paired and scheduled, for the 对接会 shots.
"$bin" --db "$work/bole.db" demo >/dev/null
"$bin" --db "$work/bole.db" meeting create --name "清流县新材料技术需求对接会" --date 2026-12-05 \
  --venue "县行政服务中心三楼" --time "$hours" --slot 20 --tables "$tables" --max-demands $((tables * 5 / 2)) --auto-experts $((tables * 5)) >/dev/null
"$bin" --db "$work/bole.db" meeting assign "清流县新材料技术需求对接会" >/dev/null
"$bin" --db "$work/bole.db" meeting schedule "清流县新材料技术需求对接会" >/dev/null
"$bin" --db "$work/bole.db" meeting export "清流县新材料技术需求对接会" --out "$out/对接表.pdf" >/dev/null
HOME="$work" LIBGL_ALWAYS_SOFTWARE=1 "$bin" --db "$work/bole.db" >"$work/app.log" 2>&1 &
app=$!
sleep 8 # first start: creates the database, loads the demo data, builds the index
shot() { sleep 1.5; import -window root "$out/$1.png"; echo "saved $out/$1.png"; }
tab() { xdotool mousemove "$1" 20 click 1; sleep 0.5; }
shot 1-experts
xdotool mousemove 48 137 click 1; sleep 2; shot 1b-review
xdotool mousemove $((939 + dx)) 80 click 1; sleep 0.5 # close the review window
xdotool mousemove 500 172 click 1; shot 2-expert-detail
xdotool mousemove 500 62 click 1; xdotool type --delay 80 "SiC PVT"; shot 3-search
tab 335; xdotool mousemove 600 145 click 1; shot 4-demands
xdotool mousemove 1000 95 click 1 2>/dev/null; sleep 0.5
tab 423; xdotool mousemove 150 150 click 1; sleep 2; shot 5-matches
xdotool mousemove 525 163 click 1; sleep 0.7; xdotool type --delay 100 "ZJ0157"; sleep 0.5; xdotool key Return; sleep 1; shot 5b-pair-check
tab 711; shot 6-settings
xdotool mousemove 136 165 click 1; sleep 1; shot 6b-knowledge
tab 711; xdotool mousemove $((width - 50)) 20 click 1; shot 7-import
xdotool mousemove $((716 + dx)) 36 click 1; sleep 0.5 # close the import window
tab 503; xdotool mousemove 100 117 click 1; shot 8-meeting-pairs
xdotool mousemove 385 151 click 1; shot 9-meeting-schedule
xdotool mousemove 660 151 click 1; shot 9b-meeting-day
xdotool mousemove 476 113 click 1; shot 10-projection-cover
xdotool key Right; shot 10b-projection-board
xdotool key End; shot 11-projection-demand
xdotool key t Home; shot 12-projection-dark
xdotool key Escape
tab 583; xdotool mousemove 400 226 click 1; sleep 1; shot 14-followup
tab 655; sleep 3; shot 15-stats
xdotool mousemove 640 500; for i in $(seq 1 7); do xdotool click 5; sleep 0.05; done; shot 15b-stats-monthly
# The PDF pairing sheets: first enterprise sheet and first expert agenda as PNG.
if command -v pdftoppm >/dev/null; then pdftoppm -r 70 -png -f 1 -l 1 "$out/对接表.pdf" "$out/13-pdf-enterprise"; fi
