#!/usr/bin/env bash
# One command for a newcomer: installs what is needed, builds imrdesk, and opens the fictional
# demo profile ("Adult A") in the kiosk client. With no display it shows the demo with the CLI.
# IMRDESK_KIOSK=1 opens full screen as on an author's laptop; IMRDESK_DEMO=review opens the review
# team's demo profile (a case, its agencies, the merged chronology and timeline) instead; extra
# arguments go to the program.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target imrdesk imrdesk-cli
data_dir="${IMRDESK_DEMO_DATA_DIR:-$PWD/build/demo-data}"
demo=(--demo)
cli_demo=(demo)
if [ "${IMRDESK_DEMO:-}" = review ]; then
  demo=(--demo-review)
  cli_demo=(demo --review)
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display; showing the demo with imrdesk-cli (the window needs X11 or Wayland)" >&2
  exec build/release/client/cli/imrdesk-cli --data-dir "$data_dir" "${cli_demo[@]}" "$@"
fi
window=(--windowed)
[ "${IMRDESK_KIOSK:-0}" = 1 ] && window=()
exec build/release/client/ui/imrdesk --data-dir "$data_dir" "${demo[@]}" "${window[@]}" "$@"
