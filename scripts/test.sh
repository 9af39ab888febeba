#!/usr/bin/env bash
# One command for every test: installs what is needed, builds with warnings as errors and runs
# the whole suite, then again under AddressSanitizer + UndefinedBehaviorSanitizer, then runs each
# fuzz target briefly. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs="$(nproc)"

echo "== build and test (warnings as errors) =="
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$jobs"
ctest --preset ci -j"$jobs"

echo "== build and test under ASan + UBSan =="
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$jobs"
ctest --preset asan -j"$jobs"

if [ -x scripts/fuzz.sh ]; then
  echo "== fuzz smoke run =="
  scripts/fuzz.sh "${IMRDESK_FUZZ_SECONDS:-15}"
fi
echo "== all tests passed =="
