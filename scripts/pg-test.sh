#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests.
#   scripts/pg-test.sh start DIR   creates DIR, starts a server whose only socket is in
#                                  DIR (no TCP), prints its URL on stdout:
#                                  postgres://app@/postgres?host=DIR&port=PORT
#   scripts/pg-test.sh stop DIR    stops that server and removes DIR.
# Superuser `app`, trust auth. initdb refuses to run as root, so as root the server runs
# as the `postgres` user (DIR and its parents must be reachable by it: use a short path
# under /tmp; a Unix socket path must stay under 107 bytes).
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

usage() { echo "usage: $0 start DIR | stop DIR" >&2; exit 2; }
(($# == 2)) || usage
cmd=$1
dir=$2

as_owner() {
  if ((EUID == 0)); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  # The server listens on no TCP address, so the port only names the socket file;
  # still pick one nothing listens on, so a psql -p PORT mistake cannot reach another.
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo 54329
}

case $cmd in
start)
  [[ -x $PGBIN/initdb ]] || { echo "pg-test: $PGBIN/initdb not found (install postgresql-15)" >&2; exit 1; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [[ -e $dir/PG_VERSION || -e $dir/data ]]; then
    echo "pg-test: $dir already holds a server; stop it first" >&2; exit 1
  fi
  if ((${#dir} > 80)); then
    echo "pg-test: $dir is too long for a Unix socket path; use a shorter one" >&2; exit 1
  fi
  if ((EUID == 0)); then
    chown postgres: "$dir"
    chmod 700 "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      echo "pg-test: user postgres cannot write $dir (a parent folder is closed to it?); use a folder under /tmp" >&2
      exit 1
    fi
  fi
  port=$(free_port)
  as_owner "$PGBIN/initdb" -D "$dir/data" -U app -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2; exit 1; }
  # Fast and throwaway: no fsync. Listens only on the socket in $dir.
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || {
    echo "pg-test: server did not start; its log:" >&2
    cat "$dir/server.log" >&2 || true
    exit 1; }
  echo "$port" >"$dir/port" 2>/dev/null || as_owner sh -c "echo $port > '$dir/port'"
  echo "postgres://app@/postgres?host=$dir&port=$port"
  ;;
stop)
  [[ -d $dir ]] || exit 0
  dir=$(cd "$dir" && pwd)
  if [[ -f $dir/data/postmaster.pid ]]; then
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || {
      # Last resort: the postmaster's pid is the first line of postmaster.pid.
      pid=$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)
      [[ -n $pid ]] && kill -9 "$pid" 2>/dev/null || true
    }
  fi
  rm -rf "$dir"
  ;;
*) usage ;;
esac
