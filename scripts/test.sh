#!/usr/bin/env bash
# One command for every test: installs what is needed, builds with warnings as errors and runs
# the whole suite, then again under AddressSanitizer + UndefinedBehaviorSanitizer, then runs each
# fuzz target briefly. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs="$(nproc)"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

echo "== build and test (warnings as errors) =="
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$jobs"
ctest --preset ci -j"$jobs" | tee "$logs/ci.txt"

echo "== build and test under ASan + UBSan =="
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$jobs"
ctest --preset asan -j"$jobs" | tee "$logs/asan.txt"

if [ -x scripts/fuzz.sh ]; then
  echo "== fuzz smoke run =="
  scripts/fuzz.sh "${IMRDESK_FUZZ_SECONDS:-6}"
fi
# ctest's summary is "100% tests passed, 0 tests failed out of N": add the two runs up.
awk '/tests passed, [0-9]+ tests failed out of/ { failed += $4; total += $NF }
     END { printf "ctest: %d passed, %d failed\n", total - failed, failed }' "$logs/ci.txt" "$logs/asan.txt"
