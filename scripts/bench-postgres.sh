#!/usr/bin/env bash
# The load harness (/work/shared/bench/run.sh) with headcount on a temporary, durable
# PostgreSQL 15 (fsync and synchronous_commit on, like SQLite's synchronous=FULL).
#   scripts/bench-postgres.sh             headcount on PostgreSQL vs the peer
#   scripts/bench-postgres.sh vs-sqlite   headcount on SQLite vs headcount on PostgreSQL
# Extra arguments go to run.sh (e.g. --rounds 3); --scenario defaults to join-leave,enriched.
# run.sh gives every server DATABASE_URL=sqlite:...; `env` in front of the binary replaces it
# and execs the server itself, as run.sh requires.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${BENCH_DIR:-/work/shared/bench}
peer=${PEER_CMD:-/work/shared/peer/peer.sh serve}
mode=peer
if [ "${1:-}" = vs-sqlite ]; then
    mode=sqlite
    shift
fi
scenario=(--scenario join-leave,enriched)
for a in "$@"; do [ "$a" = --scenario ] && scenario=(); done
HEADCOUNT_PG_DURABLE=1 exec scripts/with-postgres.sh bash -c '
    pg="env DATABASE_URL=$DATABASE_URL DB_POOL_SIZE=${DB_POOL_SIZE:-8} build/headcount serve"
    if [ "$0" = sqlite ]; then
        "$1/run.sh" --impl "build/headcount serve" --impl2 "$pg" "${@:3}"
    else
        "$1/run.sh" --impl "$pg" --impl2 "$2" "${@:3}"
    fi
' "$mode" "$bench" "$peer" "${scenario[@]}" "$@"
