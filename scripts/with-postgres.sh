#!/usr/bin/env bash
# Runs CMD with a throwaway PostgreSQL 15 (scripts/test-postgres.sh) in a temporary folder:
# DATABASE_URL and HEADCOUNT_TEST_DATABASE_URL name it; it is stopped and removed afterwards.
#   scripts/with-postgres.sh node --test tests/integration/auth.test.mjs
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/headcount-pg-XXXXXX)
trap '"$here/test-postgres.sh" stop "$dir"' EXIT
"$here/test-postgres.sh" start "$dir"
DATABASE_URL=$(cat "$dir/url")
export DATABASE_URL HEADCOUNT_TEST_DATABASE_URL=$DATABASE_URL
"$@"
