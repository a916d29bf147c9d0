#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and demos: initdb into a temp directory, a free port, a unix
# socket in that directory and 127.0.0.1, password authentication, run as a non-root user (as root: the
# `postgres` system user). Installs Debian's `postgresql` when initdb/pg_ctl are missing.
#
#   eval "$(scripts/postgres.sh start)"   # starts one; prints export lines (OCHT_TEST_POSTGRES, OCHT_PG_DIR)
#   scripts/postgres.sh env [DIR]          # prints the export lines of a running one again
#   scripts/postgres.sh stop [DIR]         # shuts it down and removes its directory (DIR: default $OCHT_PG_DIR)
#   scripts/postgres.sh pause|resume [DIR] # stops / starts the server, keeping its data (an outage, for tests)
#
# OCHT_TEST_POSTGRES is an Npgsql connection string to the database `ocht` as user `ocht`.
set -euo pipefail

say() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local dir
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$dir/pg_ctl" && -x "$dir/initdb" ]] && { echo "$dir"; return 0; }
  done
  return 1
}

ensure_bin() {
  local bin
  if bin="$(find_bin)"; then echo "$bin"; return 0; fi
  [[ $(id -u) -eq 0 ]] || { say "initdb/pg_ctl not found and not root: install the 'postgresql' package"; exit 1; }
  say "installing the postgresql package (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  find_bin || { say "postgresql installed but initdb/pg_ctl still not found"; exit 1; }
}

# Runs a command as the cluster's owner: ourselves, or the postgres system user when we are root.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [[ ! -e "/tmp/.s.PGSQL.$port" ]]; then
      echo "$port"
      return 0
    fi
  done
  say "no free port found"
  exit 1
}

print_env() {
  local dir="$1"
  [[ -f "$dir/env" ]] || { say "no cluster state in $dir"; exit 1; }
  cat "$dir/env"
}

start() {
  local bin dir port password
  bin="$(ensure_bin)"
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  dir="$(mktemp -d /tmp/ocht-pg.XXXXXX)"
  chmod 755 "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  printf '%s\n' "$password" >"$dir/pwfile"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$dir/pwfile"
  as_owner "$bin/initdb" -D "$dir/data" -U ocht --pwfile="$dir/pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  rm -f "$dir/pwfile"
  port="$(free_port)"
  # fsync off: a throwaway cluster; durability across a machine crash does not matter here.
  echo "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >"$dir/options"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$(cat "$dir/options")" start >&2 \
    || { cat "$dir/server.log" >&2; rm -rf "$dir"; exit 1; }
  PGPASSWORD="$password" "$bin/psql" -h "$dir" -p "$port" -U ocht -d postgres -qAt -c "CREATE DATABASE ocht" >&2
  cat >"$dir/env" <<EOF
export OCHT_PG_DIR='$dir'
export OCHT_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=ocht;Password=$password;Database=ocht'
EOF
  echo "$bin" >"$dir/bin"
  say "PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port and $dir (data in $dir/data)"
  print_env "$dir"
}

stop() {
  local dir="${1:-${OCHT_PG_DIR:-}}"
  [[ -n "$dir" ]] || { say "stop: which cluster? give its directory or set OCHT_PG_DIR"; exit 1; }
  [[ -d "$dir" ]] || { say "stop: $dir is gone already"; return 0; }
  case "$dir" in /tmp/ocht-pg.*) ;; *) say "stop: $dir is not a cluster this script made"; exit 1 ;; esac
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || say "stop: pg_ctl stop failed; removing anyway"
  fi
  rm -rf "$dir"
}

# An outage for tests: the server goes away (connections dropped) and comes back on the same port with its data.
pause() {
  local dir="${1:-${OCHT_PG_DIR:?give the cluster directory or set OCHT_PG_DIR}}"
  as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m fast -w stop >&2
}

resume() {
  local dir="${1:-${OCHT_PG_DIR:?give the cluster directory or set OCHT_PG_DIR}}"
  as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$(cat "$dir/options")" start >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  pause) pause "${2:-}" ;;
  resume) resume "${2:-}" ;;
  env) print_env "${2:-${OCHT_PG_DIR:?give the cluster directory or set OCHT_PG_DIR}}" ;;
  *) echo "usage: $0 start|stop [DIR]|pause [DIR]|resume [DIR]|env [DIR]" >&2; exit 2 ;;
esac
