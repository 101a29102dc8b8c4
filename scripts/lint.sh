#!/usr/bin/env bash
# Style checks CI runs (scripts/test.sh): clang-format on every C++ file, and clang-tidy's
# function-size and cognitive-complexity limits (.clang-tidy) on the functions the work
# changed since BASE: by default the newest commit a day older than HEAD, i.e. the work
# submitted.
#   scripts/lint.sh [BASE]      (needs build/compile_commands.json: scripts/build.sh first)
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t all < <(git ls-files '*.cpp' '*.hpp')
unformatted=()
for f in "${all[@]}"; do
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if [ "${#unformatted[@]}" -gt 0 ]; then
    printf 'lint: not clang-formatted (run clang-format -i):\n'
    printf '  %s\n' "${unformatted[@]}"
    exit 1
fi
echo "lint: clang-format: ${#all[@]} files formatted"

cutoff=$(($(git log -1 --format=%ct HEAD) - 86400))
base=${1:-$(git log --format='%H %ct' HEAD | awk -v c="$cutoff" '$2 < c && !found { print $1; found = 1 }')}
[ -n "$base" ] || base=$(git rev-list --max-parents=0 HEAD | tail -n 1)
mapfile -t changed < <(git diff --name-only --diff-filter=AM "$base" HEAD -- 'src/*.cpp')
echo "lint: clang-tidy: ${#changed[@]} sources changed since $(git rev-parse --short "$base")"
[ "${#changed[@]}" -gt 0 ] || exit 0
# clang cannot read g++'s precompiled header: the compile commands name its source instead.
mkdir -p build/tidy
sed -E 's#-include [^ ]*/cmake_pch\.hxx#-include '"$PWD"'/src/net/pch_net.hpp#g; s#-Winvalid-pch##g' \
    build/compile_commands.json >build/tidy/compile_commands.json
# Only what the work changed is held to the limits: a function is reported when a changed
# line holds its name (clang-tidy-diff), so a new or rewritten function must be short, and
# an old one is split when it is next rewritten.
checks='-*,readability-function-size,readability-function-cognitive-complexity'
report=$(git diff -U0 "$base" HEAD -- 'src/*.cpp' |
    clang-tidy-diff -p1 -path build/tidy -j "$(nproc)" -quiet -checks="$checks" \
        -extra-arg=-Wno-unknown-warning-option 2>&1 || true)
if grep -q ': error: ' <<<"$report"; then
    grep -A2 ': error: ' <<<"$report"
    echo "lint: clang-tidy: functions over the limits above (split them into named steps)"
    exit 1
fi
echo "lint: clang-tidy: clean"
