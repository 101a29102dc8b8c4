#!/usr/bin/env bash
# The load harness (/work/shared/bench/run.sh) with headcount on a temporary, durable
# PostgreSQL 15 (fsync and synchronous_commit on, like SQLite's synchronous=FULL).
#   scripts/bench-postgres.sh             headcount on PostgreSQL vs the peer
#   scripts/bench-postgres.sh vs-sqlite   headcount on SQLite vs headcount on PostgreSQL
# Extra arguments go to run.sh (e.g. --rounds 3, --quick); --scenario defaults to
# join-leave,enriched. PEER_CMD overrides the peer ("/work/shared/peer/peer.sh serve").
#
# run.sh gives every server DATABASE_URL=sqlite:DIR/headcount.db and later sizes that file,
# so headcount runs through a generated wrapper that creates the (empty) file and execs the
# binary with the PostgreSQL URL: the server keeps the wrapper's PID, and the CLI
# (the command without `serve`) reaches the same database.
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
    set -euo pipefail
    mode=$1 bench=$2 peer=$3
    shift 3
    wrapper=$(mktemp /tmp/headcount-on-postgres-XXXXXX)
    trap "rm -f $wrapper" EXIT
    cat >"$wrapper" <<WRAPPER
#!/usr/bin/env bash
[ "\${DATABASE_URL#sqlite:}" != "\$DATABASE_URL" ] && touch "\${DATABASE_URL#sqlite:}"
exec env DATABASE_URL=$DATABASE_URL DB_POOL_SIZE=${DB_POOL_SIZE:-8} $PWD/build/headcount "\$@"
WRAPPER
    chmod +x "$wrapper"
    if [ "$mode" = sqlite ]; then
        "$bench/run.sh" --impl "build/headcount serve" --impl2 "$wrapper serve" "$@"
    else
        "$bench/run.sh" --impl "$wrapper serve" --impl2 "$peer" "$@"
    fi
' bench "$mode" "$bench" "$peer" "${scenario[@]}" "$@"
