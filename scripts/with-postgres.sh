#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL server on loopback (Debian's postgresql).
# The server refuses to run as root, so it runs as the postgres user in a temporary directory.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=$(mktemp -d)
port=${REFORMSTYR_PG_PORT:-55432}
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else bash -c "$1"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
as_pg "$bin/initdb -D $dir/data -A trust -U postgres >/dev/null"
as_pg "$bin/pg_ctl -D $dir/data -l $dir/log -w -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' start >/dev/null"
cleanup() { as_pg "$bin/pg_ctl -D $dir/data -m fast stop >/dev/null" || true; rm -rf "$dir"; }
trap cleanup EXIT
echo "PostgreSQL kører på 127.0.0.1:$port" >&2
REFORMSTYR_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres" "$@"
