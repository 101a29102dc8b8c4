#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this): installs what is missing,
# builds the release preset, checks the style (scripts/lint.sh), runs every test (unit, HTTP
# and Socket.IO black-box tests, the browser tests, the storage tests on PostgreSQL), then
# builds with AddressSanitizer + UndefinedBehaviorSanitizer and runs the unit and black-box
# tests again on that build.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { echo "== $* ($(( $(date +%s) - start )) s)"; }

step "release build"
scripts/build.sh release
step "style: clang-format, and clang-tidy's function limits on the sources changed"
scripts/lint.sh
step "release tests"
ctest --preset release -j2

step "sanitizer build"
scripts/build.sh asan-ubsan
step "sanitizer tests"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --preset asan-ubsan -j2 -L 'unit|integration|realtime'
step "fuzzing (libFuzzer, 20 s a target)"
scripts/fuzz.sh 20
step "all tests passed"
