#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing headcount needs.
# Idempotent: apt-get skips what is already installed. Run as root (or through sudo).
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build ccache pkg-config git clang clang-format clang-tidy
    libclang-rt-14-dev
    # libraries
    libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
    libssl-dev libsqlite3-dev libpq-dev libhiredis-dev libsodium-dev libutf8proc-dev
    libspdlog-dev libfmt-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
    # test servers and clients
    postgresql-15 redis-server chromium curl wrk iproute2 procps python3
)
# Node.js may come from elsewhere (it bundles npm then); only ask Debian for it when missing.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages already installed"
    exit 0
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"
