#!/usr/bin/env bash
# Configures the release build, builds the benchmark targets only and runs them: the vault against
# plain SQLite and SQLCipher, and the unlock timings, printed as one table; then the UI's frame
# time with 10,000 entries and the autosave latency (bench_ui); then sync on loopback TLS 1.3
# against an in-process server, beside a raw TLS transfer of the same bytes, and 200 devices
# syncing at once (bench_sync). bench/idle_cpu.sh measures the idle window separately (it needs
# Xvfb).
#
#   bench/run.sh [bench_vault options: --entries N --autosave N --reps N --skip-calibrated]
#   BENCH_SYNC_ARGS="--quick" bench/run.sh   (bench_sync options: --entries N --reps N --devices N
#                                             --rounds N --records N --quick --skip-concurrent)
#
# Files go to a private directory under $TMPDIR (default /tmp), removed afterwards. About 2-4
# minutes on a 2-core machine (most of it fsync-bound autosaves and Argon2id at 256 MiB; bench_sync
# 1-2 minutes, 20-40 s with --quick).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cmake --preset release >/dev/null
cmake --build build/release --target bench_vault bench_sqlcipher_peer bench_ui bench_sync bench_import bench_export -j"${BENCH_JOBS:-2}" >&2

build/release/bench/bench_vault "$@"
echo
build/release/bench/bench_ui
echo
# Part 3 of bench_sync also runs on PostgreSQL: a throwaway cluster with PostgreSQL's durable
# defaults (fsync, synchronous_commit), as SQLite runs at synchronous=FULL.
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/imrdesk-bench-pg.XXXXXX")"
trap 'scripts/pg-cluster.sh stop "$pg_dir"' EXIT
pg_uri="$(scripts/pg-cluster.sh start "$pg_dir" --durable)"
# shellcheck disable=SC2086 # BENCH_SYNC_ARGS is a list of options
build/release/bench/bench_sync --postgres "$pg_uri" ${BENCH_SYNC_ARGS:-}
echo
build/release/bench/bench_import
echo
build/release/bench/bench_export
