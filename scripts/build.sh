#!/usr/bin/env bash
# Installs what is missing, fetches the pinned JavaScript and builds a preset
# (default: release → build/headcount).   scripts/build.sh [release|debug|asan-ubsan]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
scripts/setup.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -- -j"$(nproc)"
