#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running headcount on SQLite:
# installs the packages, builds build/headcount, creates an admin account on first run
# and serves the API, Socket.IO and the dashboard on http://localhost:${PORT:-8080}/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh release
export DATABASE_URL=${DATABASE_URL:-sqlite:./headcount.db}
if [ -z "${JWT_SECRET:-}" ]; then
    # Development mode makes a random secret (tokens end with the process); set JWT_SECRET to keep them.
    export HEADCOUNT_ENV=${HEADCOUNT_ENV:-development}
fi
if [ ! -e "${DATABASE_URL#sqlite:}" ] && [[ "$DATABASE_URL" == sqlite:* ]]; then
    password=${HEADCOUNT_ADMIN_PASSWORD:-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')}
    printf '%s\n' "$password" | build/headcount user add --username admin --email admin@localhost.localdomain \
        --role admin --password-stdin >/dev/null
    echo "created the admin account: username 'admin', password '$password'"
fi
exec build/headcount serve "$@"
