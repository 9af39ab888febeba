#!/usr/bin/env bash
# Builds the libFuzzer targets with the 'fuzz' preset (clang, ASan, UBSan) and runs each one for
# N seconds (default 60) on a copy of its seed corpus. Fails if any target finds a crash, a
# sanitizer report, a leak, a timeout or an out-of-memory input; the reproducer is kept under
# build/fuzz/artifacts/<target>/.
#   scripts/fuzz.sh [seconds]        JOBS=<n> sets the build parallelism (default 2)
set -euo pipefail

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: $0 [seconds per target]" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cmake --preset fuzz
cmake --build build/fuzz --target fuzz_csv fuzz_date fuzz_frames fuzz_enrolment_code fuzz_xlsx fuzz_import fuzz_entry -j"${JOBS:-2}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

status=0
for name in csv date frames enrolment_code xlsx import entry; do
  target="fuzz_${name}"
  corpus="$work/corpus-${name}"
  artifacts="build/fuzz/artifacts/${target}"
  cp -r "fuzz/corpus/${name}" "$corpus"
  mkdir -p "$artifacts"
  dict=()
  if [ -f "fuzz/${name}.dict" ]; then
    dict=(-dict="fuzz/${name}.dict")
  fi
  echo "== ${target}: ${seconds}s, corpus $(find "$corpus" -type f | wc -l) files"
  if ! "build/fuzz/fuzz/${target}" "$corpus" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="${artifacts}/"; then
    echo "!! ${target} found a problem; reproducer in ${artifacts}/" >&2
    status=1
  fi
done
exit "$status"
