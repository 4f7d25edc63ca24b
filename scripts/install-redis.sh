#!/usr/bin/env bash
# Makes a `redis-server` available to the test suite, which starts its own on a free port
# (tests/redis_server.py) to prove the shared state of `[state] backend = "redis"`.
#
# Usage: scripts/install-redis.sh [DIR]   (DIR defaults to .venv/redis)
#
# Idempotent. In order:
#   1. a `redis-server` already on PATH is used as it is: nothing is installed;
#   2. one installed here earlier (DIR/bin/redis-server answers --version) is kept;
#   3. otherwise Debian's packages are fetched with `apt-get download` (no root needed,
#      nothing installed system-wide) and unpacked into DIR with `dpkg -x`; if apt's
#      package lists are missing and we are root, `apt-get update` runs once first.
# DIR/bin/redis-server is then a launcher that points the binary at the libraries
# unpacked beside it. The binary must keep the name `redis-server`: the Debian build is
# one executable that acts as redis-check-rdb unless invoked under that name.
#
# Exit status: 0 when a redis-server is available. When none can be had the tests that
# need it are skipped, so a developer without apt can still run the rest of the suite;
# under CI (CI=true) that is an error instead, so CI never passes by skipping them.
set -euo pipefail

DIR="${1:-.venv/redis}"
PACKAGES=(redis-server redis-tools liblzf1 libjemalloc2)

say() { echo "install-redis: $*" >&2; }

give_up() {
    say "$*"
    if [ "${CI:-}" = "true" ]; then
        say "CI needs a redis-server for the shared-state tests; failing"
        exit 1
    fi
    say "the tests that need Redis will be skipped; install redis-server (apt, brew) to run them"
    exit 0
}

if command -v redis-server >/dev/null 2>&1; then
    say "using $(command -v redis-server) from PATH"
    exit 0
fi

if [ -x "$DIR/bin/redis-server" ] && "$DIR/bin/redis-server" --version >/dev/null 2>&1; then
    exit 0
fi

command -v apt-get >/dev/null 2>&1 || give_up "no redis-server on PATH and no apt-get to fetch one"
command -v dpkg >/dev/null 2>&1 || give_up "no redis-server on PATH and no dpkg to unpack one"

download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT

fetch() {
    (cd "$download" && apt-get download -qq "${PACKAGES[@]}") >"$download/apt.log" 2>&1
}

if ! fetch; then
    if [ "$(id -u)" = "0" ]; then
        say "apt-get download failed; refreshing apt's package lists once and retrying"
        apt-get update -qq >"$download/update.log" 2>&1 || say "apt-get update failed: $(tail -n 3 "$download/update.log")"
        fetch || give_up "apt-get download ${PACKAGES[*]} failed: $(tail -n 5 "$download/apt.log")"
    else
        give_up "apt-get download ${PACKAGES[*]} failed: $(tail -n 5 "$download/apt.log")"
    fi
fi

rm -rf "$DIR"
mkdir -p "$DIR/root" "$DIR/bin"
for deb in "$download"/*.deb; do
    dpkg -x "$deb" "$DIR/root"
done

root=$(cd "$DIR/root" && pwd)
server="$root/usr/bin/redis-server"
[ -e "$server" ] || give_up "the packages held no usr/bin/redis-server"
jemalloc=$(find "$root" -name 'libjemalloc.so.2' -print -quit)
[ -n "$jemalloc" ] || give_up "the packages held no libjemalloc.so.2"
libdir=$(dirname "$jemalloc")

# A launcher rather than a symlink: the libraries live beside the binary, not where the
# dynamic loader looks. `exec` keeps the process id, so stopping the launcher's process
# stops the server itself.
cat >"$DIR/bin/redis-server" <<EOF
#!/bin/sh
LD_LIBRARY_PATH="$libdir\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$server" "\$@"
EOF
chmod +x "$DIR/bin/redis-server"

if ! version=$("$DIR/bin/redis-server" --version 2>&1); then
    give_up "the unpacked redis-server does not run: $version"
fi
say "installed into $DIR: $version"
