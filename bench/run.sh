#!/usr/bin/env bash
# Configures the release build, builds the benchmark targets only and runs them: the vault against
# plain SQLite and SQLCipher, and the unlock timings, printed as one table; then the UI's frame
# time with 10,000 entries and the autosave latency (bench_ui). bench/idle_cpu.sh measures the
# idle window separately (it needs Xvfb).
#
#   bench/run.sh [bench_vault options: --entries N --autosave N --reps N --skip-calibrated]
#
# Files go to a private directory under $TMPDIR (default /tmp), removed afterwards. About 1-3
# minutes on a 2-core machine (most of it fsync-bound autosaves and Argon2id at 256 MiB).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cmake --preset release >/dev/null
cmake --build build/release --target bench_vault bench_sqlcipher_peer bench_ui -j"${BENCH_JOBS:-2}" >&2

build/release/bench/bench_vault "$@"
echo
build/release/bench/bench_ui
