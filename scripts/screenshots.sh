#!/usr/bin/env bash
# Screenshots of every main screen of the real window under Xvfb, as a tired author's laptop
# (1366x768) and a 4K screen at 200% (3840x2160, Xft.dpi 192, as GNOME and KDE set it) show
# them, with the demo data. PNGs land in build/screenshots/<size>/ (or the folder given); look
# at them. The 4K run also writes half-size copies, easier to view.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$(nproc)" --target imrdesk imrdesk-cli
out="${1:-$PWD/build/screenshots}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'Xft.dpi: %s\n' "${IMRDESK_XFT_DPI:-192}" > "$work/xresources"

shoot() {  # size, Xft.dpi
  local size="$1" dpi="$2" data="$work/data-$1"
  rm -rf "$out/$size"
  mkdir -p "$out/$size"
  build/ci/client/cli/imrdesk-cli --data-dir "$data" demo >/dev/null
  printf 'Xft.dpi: %s\n' "$dpi" > "$work/xresources"
  # -noreset: the resources stay set after xrdb disconnects, for the window that follows.
  xvfb-run -a -s "-screen 0 ${size}x24 -noreset" \
    sh -c 'xrdb -nocpp -merge "$1" && shift && exec "$@"' sh "$work/xresources" \
    build/ci/client/ui/imrdesk --data-dir "$data" --screenshots "$out/$size"
  # The review team's screens, from the review team's demo profile.
  xvfb-run -a -s "-screen 0 ${size}x24 -noreset" \
    sh -c 'xrdb -nocpp -merge "$1" && shift && exec "$@"' sh "$work/xresources" \
    build/ci/client/ui/imrdesk --data-dir "$data" --demo-review --screenshots "$out/$size"
  rm -f "$out/$size/board-template.csv"
  echo "screenshots: $out/$size ($(ls "$out/$size" | wc -l) screens, Xft.dpi $dpi)"
}

shoot 1366x768 96
shoot 3840x2160 "${IMRDESK_XFT_DPI:-192}"
mkdir -p "$out/3840x2160/half"
for png in "$out"/3840x2160/*.png; do convert "$png" -resize 50% "$out/3840x2160/half/$(basename "$png")"; done
