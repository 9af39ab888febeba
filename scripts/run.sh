#!/usr/bin/env bash
# One command for a newcomer: installs what is needed, builds imrdesk, and opens the fictional
# demo profile ("Adult A"). Extra arguments are passed to the program.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target imrdesk-cli
data_dir="${IMRDESK_DEMO_DATA_DIR:-$PWD/build/demo-data}"
exec build/release/client/cli/imrdesk-cli --data-dir "$data_dir" demo "$@"
