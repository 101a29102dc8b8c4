#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for tests, in a folder of its own (never the system service).
#   scripts/test-postgres.sh start DIR   initdb into DIR, start on a free 127.0.0.1 port,
#                                        write the server's URL to DIR/url
#   scripts/test-postgres.sh stop DIR    stop it (by the postmaster's PID) and remove DIR
#   scripts/test-postgres.sh pause DIR   stop it, keeping DIR (a test's outage)
#   scripts/test-postgres.sh resume DIR  start it again on the same port
# HEADCOUNT_PG_DURABLE=1 keeps fsync and synchronous_commit on (for benchmarks).
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
set -euo pipefail
bin=${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
action=${1:?usage: test-postgres.sh start|stop|pause|resume DIR}
dir=${2:?usage: test-postgres.sh start|stop|pause|resume DIR}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

launch() {
    local port
    port=$(cat "$dir/port")
    local options="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c max_connections=200"
    # fsync off: a test cluster need not survive a power cut, and the machine is shared.
    [ "${HEADCOUNT_PG_DURABLE:-0}" = 1 ] || options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -o "$options" start >/dev/null
}

halt() {
    local pid
    [ -f "$dir/data/postmaster.pid" ] || return 0
    pid=$(head -1 "$dir/data/postmaster.pid")
    kill -INT "$pid" 2>/dev/null || return 0  # fast shutdown
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

case "$action" in
start)
    halt  # a cluster a killed run left behind
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U headcount --auth=trust -E UTF8 --no-sync >"$dir/initdb.log"
    free_port >"$dir/port"
    launch
    echo "postgres://headcount@127.0.0.1:$(cat "$dir/port")/postgres" >"$dir/url"
    ;;
stop)
    halt
    rm -rf "$dir"
    ;;
pause) halt ;;
resume) launch ;;
*)
    echo "unknown action $action" >&2
    exit 2
    ;;
esac
