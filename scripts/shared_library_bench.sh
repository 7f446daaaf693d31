#!/usr/bin/env bash
# The shared library at scale (benches/shared_library.rs) against a throwaway local PostgreSQL server: initdb in a
# temporary folder, the server on a free port (as the `postgres` user when run as root: initdb refuses root), the
# benchmark, then the server stopped and the folder removed. Needs Debian's `postgresql` package (or initdb and
# pg_ctl on PATH). The server runs with its default settings (fsync on).
#
#   bash scripts/shared_library_bench.sh                 # 1,000,000 fact-checks, 8 clients
#   CLAIMDESK_BENCH_ENTRIES=100000 bash scripts/shared_library_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ]; then bin=$(dirname "$(command -v initdb)"); fi
dir=$(mktemp -d /tmp/claimdesk-bench-pg.XXXXXX)
run=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  run=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password="bench-$(date +%s%N)"
printf '%s' "$password" > "$dir/pw"
[ ${#run[@]} -gt 0 ] && chown postgres "$dir/pw"
"${run[@]}" "$bin/initdb" -D "$dir/data" -U bench --pwfile "$dir/pw" --auth-host=scram-sha-256 --auth-local=trust \
  -E UTF8 --locale=C >/dev/null
rm -f "$dir/pw"
stop() {
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
}
trap stop EXIT
"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=40" start >/dev/null
"${run[@]}" "$bin/psql" -h "$dir" -p "$port" -U bench -d postgres -q -c "CREATE DATABASE bench" >/dev/null

echo "PostgreSQL: $("$bin/postgres" --version); $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
CLAIMDESK_BENCH_PG="postgres://bench:$password@127.0.0.1:$port/bench" cargo bench --bench shared_library
