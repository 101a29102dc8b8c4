#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (preset `fuzz`) and runs each for a while from the
# seed corpus in fuzz/corpus/<target>/ (new inputs go to a scratch copy). A crash stops the
# run with the failing input saved under build-fuzz/crashes/.   scripts/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -- -j"$(nproc)"
mkdir -p build-fuzz/crashes
for target in csv json jwt iso_time webhook engineio socketio websocket router; do
    work=build-fuzz/corpus/$target
    mkdir -p "$work"
    cp -n fuzz/corpus/$target/* "$work"/ 2>/dev/null || true
    echo "fuzz_$target: ${seconds} s"
    build-fuzz/fuzz/fuzz_$target -max_total_time="$seconds" -print_final_stats=0 \
        -artifact_prefix=build-fuzz/crashes/$target- "$work" 2>&1 | grep -E '^#[0-9]+.*DONE|ERROR|SUMMARY' || true
    if compgen -G "build-fuzz/crashes/$target-*" >/dev/null; then
        echo "fuzz_$target found a crash: $(ls build-fuzz/crashes/$target-*)"; exit 1
    fi
done
