# Sourced by the shared library's scripts: `pg_start` starts a throwaway PostgreSQL server in a temporary folder on a
# free port (as the `postgres` user when run as root: initdb refuses root) with a database `bench`, sets PG_URL (its
# superuser's URL, password included: never print it) and stops it and removes the folder on exit. Needs Debian's
# `postgresql` package (or initdb and pg_ctl on PATH); the server runs with its default settings (fsync on).
pg_start() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$pg_bin" ]; then pg_bin=$(dirname "$(command -v initdb)"); fi
  pg_dir=$(mktemp -d /tmp/claimdesk-pg.XXXXXX)
  pg_run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$pg_dir"
    pg_run=(runuser -u postgres --)
  fi
  local port password
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  password="pw-$(date +%s%N)"
  printf '%s' "$password" > "$pg_dir/pw"
  if [ ${#pg_run[@]} -gt 0 ]; then chown postgres "$pg_dir/pw"; fi
  "${pg_run[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U bench --pwfile "$pg_dir/pw" --auth-host=scram-sha-256 \
    --auth-local=trust -E UTF8 --locale=C >/dev/null
  rm -f "$pg_dir/pw"
  trap pg_stop EXIT
  "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_dir -c max_connections=40" start >/dev/null
  "${pg_run[@]}" "$pg_bin/psql" -h "$pg_dir" -p "$port" -U bench -d postgres -q -c "CREATE DATABASE bench" >/dev/null
  PG_URL="postgres://bench:$password@127.0.0.1:$port/bench"
  echo "PostgreSQL: $("$pg_bin/postgres" --version); $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
}

pg_stop() {
  "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$pg_dir"
}
