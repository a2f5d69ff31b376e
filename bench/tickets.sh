#!/usr/bin/env bash
# Ticket benchmarks (called by bench/run.sh, or alone): prints a Markdown section on stdout.
#   creation: POST /api/v1/tickets, 64 connections, durable commits, rate limits raised;
#   reading:  GET /api/v1/tickets/{id} of a ticket with 20 messages;
#   lists:    first page of the "unassigned" view and of ?status=open over 1,000,000 tickets;
#   memory:   the server's RSS after serving those lists.
# SQLite always; PostgreSQL too when BENCH_PG_URL is set (a throwaway server's URL, see
# scripts/pg-test.sh; the database is created and dropped here). Loads go to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${PARLEY_BIN:-build/parley}
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
FEW=${BENCH_FEW_CONNECTIONS:-4}
TICKETS=${BENCH_TICKETS:-1000000}
WORK=$ROOT/build/bench/tickets
mkdir -p "$WORK"
cc -std=c11 -O2 -Wall -Wextra -o "$WORK/seed_tickets" bench/seed_tickets.c -lsqlite3
PW='Bench-Passw0rd-long!'
PID=

stop_server() {
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"
    wait "$PID" 2>/dev/null || true
  fi
  PID=
}
trap stop_server EXIT

# start_server DATA [DBURL]: starts parley on a free port, sets PORT
start_server() {
  PORT=$((20000 + RANDOM % 40000))
  local args=(serve --port "$PORT" --data "$1" --threads 64 --bind 127.0.0.1)
  [[ -n ${2:-} ]] && args+=(--db "$2")
  "$BIN" "${args[@]}" 2>"$WORK/server.log" &
  PID=$!
  for _ in $(seq 1 200); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  cat "$WORK/server.log" >&2
  return 1
}

api() { curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }

# sign_in DATA [DBURL]: the first admin and an API key in TOKEN; rate limits raised
sign_in() {
  local db=()
  [[ -n ${2:-} ]] && db=(--db "$2")
  printf '%s\n' "$PW" | "$BIN" user add --email bench@example.com --name Bench --role admin --data "$1" "${db[@]}" >/dev/null
  start_server "$@"
  local jar=$WORK/cookies csrf
  curl -fs -c "$jar" -H 'Content-Type: application/json' -d "{\"email\":\"bench@example.com\",\"password\":\"$PW\"}" \
    "http://127.0.0.1:$PORT/api/v1/auth/login" >"$WORK/login.json"
  csrf=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$WORK/login.json")
  TOKEN=$(curl -fs -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
    "http://127.0.0.1:$PORT/api/v1/api-keys" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  export TOKEN
  api -X PATCH -d '{"rate_limits":{"ticket_create_per_minute":1000000,"ticket_update_per_minute":1000000}}' \
    "http://127.0.0.1:$PORT/api/v1/admin/settings" >/dev/null
}

# row LABEL WRK_OUTPUT: one Markdown table row
row() {
  local rps p50 p99 non2xx
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$2")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$2")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$2")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$2")
  echo "| $1 | ${rps:-?} | ${p50:-?} | ${p99:-?} | ${non2xx:-0} |"
}

# measure KIND DATA [DBURL]: the table rows for one database
measure() {
  local kind=$1 out
  sign_in "${@:2}"
  local base=http://127.0.0.1:$PORT/api/v1
  echo "bench: $kind ticket creation" >&2
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/create_ticket.lua "$base/tickets")
  row "$kind: POST /tickets (create, durable)" "$out"
  local id
  id=$(api -d '{"subject":"Twenty messages","body":"first"}' "$base/tickets" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
  for i in $(seq 1 19); do api -d "{\"body\":\"reply $i with **Markdown**\"}" "$base/tickets/$id/messages" >/dev/null; done
  echo "bench: $kind GET ticket" >&2
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/get_auth.lua "$base/tickets/$id")
  row "$kind: GET /tickets/{id} (20 messages)" "$out"
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/get_auth.lua "$base/tickets/$id/messages")
  row "$kind: GET /tickets/{id}/messages (20)" "$out"
  stop_server
  echo "bench: $kind seeding $TICKETS tickets" >&2
  if [[ $kind == sqlite ]]; then
    "$WORK/seed_tickets" "$2/parley.db" 1 "$TICKETS"
  else
    psql "$3" -qAtX -c "INSERT INTO tickets (subject, status, priority, channel, requester_id, assignee_id, tags,
      custom_fields, created_at, updated_at) SELECT 'Generated ticket ' || x, (ARRAY['new','open','pending','solved'])[x % 4 + 1],
      (ARRAY['low','normal','high'])[x % 3 + 1], 'web', 1, CASE WHEN x % 4 = 0 THEN NULL ELSE 1 END, '[]', '{}',
      1700000000 + x, 1700000000 + x FROM generate_series(1, $TICKETS) x; ANALYZE;" >/dev/null
  fi
  start_server "${@:2}"
  base=http://127.0.0.1:$PORT/api/v1
  echo "bench: $kind lists" >&2
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/get_auth.lua "$base/views/unassigned/tickets?limit=50")
  row "$kind: first page of view 'unassigned' ($TICKETS tickets)" "$out"
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/get_auth.lua "$base/tickets?status=open&limit=50")
  row "$kind: GET /tickets?status=open first page ($TICKETS tickets)" "$out"
  # the latency of one page without 64 requests queued in front of it on 2 cores
  out=$(wrk -t2 -c"$FEW" -d"${SECS}s" --latency -s bench/get_auth.lua "$base/views/unassigned/tickets?limit=50")
  row "$kind: first page of view 'unassigned', $FEW connections" "$out"
  RSS[$kind]=$(awk '/VmRSS/ {printf "%.0f MB", $2 / 1024}' "/proc/$PID/status")
  stop_server
}

declare -A RSS
echo "## Tickets"
echo
echo "$CONNS connections, 2 wrk threads, ${SECS} s each; the server with --threads 64 (workers wait on"
echo "the group commit's fsync, so more of them make bigger groups); wrk shares the $(nproc) cores."
echo
echo "| what | requests/s | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|"
DATA=$(mktemp -d "$WORK/sqlite.XXXXXX")
measure sqlite "$DATA"
rm -rf "$DATA"
if [[ -n ${BENCH_PG_URL:-} ]]; then
  dbname=parley_bench_$$
  psql "$BENCH_PG_URL" -qAtX -c "CREATE DATABASE $dbname" >/dev/null
  pgurl=$(sed -E "s#^(postgres(ql)?://[^/?]*)/[^?]*#\1/$dbname#" <<<"$BENCH_PG_URL")
  DATA=$(mktemp -d "$WORK/pg.XXXXXX")
  measure postgres "$DATA" "$pgurl"
  rm -rf "$DATA"
  psql "$BENCH_PG_URL" -qAtX -c "DROP DATABASE $dbname WITH (FORCE)" >/dev/null
fi
echo
for k in "${!RSS[@]}"; do echo "- server RSS after the list runs ($k, $TICKETS tickets): ${RSS[$k]}"; done
echo
echo "Command: \`bench/tickets.sh\` (BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_FEW_CONNECTIONS, BENCH_TICKETS, BENCH_PG_URL)."
