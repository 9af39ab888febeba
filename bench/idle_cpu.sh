#!/usr/bin/env bash
# Idle CPU of the real imrdesk window under Xvfb: opens the demo, waits for it to settle, then
# reads the process's CPU time (utime + stime from /proc) over a window of SECONDS (default 30).
# Goal: under 1% of one core.   bench/idle_cpu.sh [build-dir] [seconds]
set -euo pipefail
build="${1:-build/release}"
seconds="${2:-30}"
app="$build/client/ui/imrdesk"
[ -x "$app" ] || { echo "idle_cpu: build $app first (cmake --build --preset release --target imrdesk)" >&2; exit 2; }
data="$(mktemp -d)"
trap 'kill "$runner" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"' EXIT
xvfb-run -a -s "-screen 0 1366x768x24" "$app" --windowed --demo --data-dir "$data" >/dev/null 2>&1 &
runner=$!
pid=""
for _ in $(seq 1 100); do
  pid="$(pgrep -n -f "$app --windowed --demo --data-dir $data" || true)"
  [ -n "$pid" ] && break
  sleep 0.1
done
[ -n "$pid" ] || { echo "idle_cpu: imrdesk did not start" >&2; exit 1; }
sleep 5  # open the demo, draw the first frames
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz="$(getconf CLK_TCK)"
before="$(ticks "$pid")"
sleep "$seconds"
after="$(ticks "$pid")"
awk -v a="$after" -v b="$before" -v hz="$hz" -v s="$seconds" 'BEGIN {
  cpu = (a - b) / hz; pct = 100 * cpu / s;
  printf "idle CPU over %d s: %.3f s of CPU = %.2f%% of one core (goal < 1%%): %s\n", s, cpu, pct, (pct < 1 ? "PASS" : "MISS") }'
