#!/usr/bin/env bash
# `make bench`: measures, on the machine at hand, and writes bench/RESULTS.md:
#   1. GET /healthz on build/parley (release build, temp SQLite data folder) with wrk:
#      keep-alive, 64 connections, 2 threads, 10 s -> requests/s and latency percentiles;
#   2. raw SQLite inserts in C (WAL, synchronous=FULL), one commit per row and 100 rows
#      per commit: the durable-write ceiling that later figures are compared to.
# All load goes to 127.0.0.1; every run is bounded in time (about 45 s in all).
# Environment: BENCH_SECONDS (wrk duration, default 10), BENCH_CONNECTIONS (64),
# BENCH_THREADS (2), SQLITE_SECONDS (3 per run), SQLITE_RUNS (3 per mode; the median
# is reported: disk flush times vary a lot on a shared virtual disk), PARLEY_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BIN=${PARLEY_BIN:-build/parley}
SECONDS_WRK=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
SQLITE_SECONDS=${SQLITE_SECONDS:-3}
SQLITE_RUNS=${SQLITE_RUNS:-3}
OUT=bench/RESULTS.md
WORK=$ROOT/build/bench
mkdir -p "$WORK"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
[[ -x $BIN ]] || { echo "bench: $BIN not built (make all)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk missing (scripts/install-deps.sh)" >&2; exit 1; }

# --- the SQLite insert program ---------------------------------------------------------
SI=$WORK/sqlite_insert
SI_BUILD="cc -std=c11 -O2 -Wall -Wextra -o $SI bench/sqlite_insert.c -lsqlite3"
$SI_BUILD

# --- the server --------------------------------------------------------------------------
DATA=$(mktemp -d "$WORK/data.XXXXXX")
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA" "$WORK"/sqlite-*.db*
}
trap cleanup EXIT

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo 18080
}
PORT=$(free_port)
URL=http://127.0.0.1:$PORT/healthz
SERVE_CMD="$BIN serve --port $PORT --data $DATA"
# The access log goes to stderr: to a file, so that writing it is part of the cost
# (as in production, where it goes to a journal) but not to a terminal.
$SERVE_CMD 2>"$WORK/server.log" >/dev/null &
SERVER_PID=$!
for _ in $(seq 1 200); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.05
done

echo "bench: warming up (2 s)" >&2
wrk -t"$THREADS" -c"$CONNS" -d2s "$URL" >/dev/null
WRK_CMD="wrk -t$THREADS -c$CONNS -d${SECONDS_WRK}s --latency $URL"
echo "bench: $WRK_CMD" >&2
WRK_OUT=$($WRK_CMD)
echo "$WRK_OUT" >&2

kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || true
SERVER_PID=

rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$WRK_OUT")
pct() { awk -v p="$1" '$1 == p {print $2}' <<<"$WRK_OUT"; }
p50=$(pct 50%); p75=$(pct 75%); p90=$(pct 90%); p99=$(pct 99%)
non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$WRK_OUT")
errors=$(grep -E '^\s+Socket errors:' <<<"$WRK_OUT" || true)

# --- SQLite inserts ------------------------------------------------------------------------
SI1_CMD="$SI $WORK/sqlite-1.db 1 1000000 $SQLITE_SECONDS"
SI100_CMD="$SI $WORK/sqlite-100.db 100 10000000 $SQLITE_SECONDS"
jget() { sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" <<<"$1"; }
# runs CMD SQLITE_RUNS times; prints every JSON line, the median (by rows/s) last
median_of() {
  local runs=() _
  for _ in $(seq 1 "$SQLITE_RUNS"); do runs+=("$($1)"); done
  printf '%s\n' "${runs[@]}" | awk -F'"rows_per_sec":' '{split($2, a, ","); print a[1] "\t" $0}' |
    sort -n | cut -f2- >"$WORK/runs.txt"
  cat "$WORK/runs.txt"
  sed -n "$(((SQLITE_RUNS + 1) / 2))p" "$WORK/runs.txt"
}
echo "bench: $SI1_CMD  (x$SQLITE_RUNS)" >&2
SI1_ALL=$(median_of "$SI1_CMD")
echo "$SI1_ALL" >&2
SI1=$(tail -1 <<<"$SI1_ALL")
SI1_RANGE="$(jget "$(sed -n 1p <<<"$SI1_ALL")" rows_per_sec)–$(jget "$(sed -n "${SQLITE_RUNS}p" <<<"$SI1_ALL")" rows_per_sec)"
echo "bench: $SI100_CMD  (x$SQLITE_RUNS)" >&2
SI100_ALL=$(median_of "$SI100_CMD")
echo "$SI100_ALL" >&2
SI100=$(tail -1 <<<"$SI100_ALL")
SI100_RANGE="$(jget "$(sed -n 1p <<<"$SI100_ALL")" rows_per_sec)–$(jget "$(sed -n "${SQLITE_RUNS}p" <<<"$SI100_ALL")" rows_per_sec)"

# --- tickets (bench/tickets.sh prints its own section) --------------------------------------
TICKETS_MD=$(PARLEY_BIN=$BIN bench/tickets.sh)

# --- the knowledge-base engine: 100,000 generated articles, 16 clients (build/bench/kb_bench) --
KB_CMD="build/bench/kb_bench ${KB_ARTICLES:-100000} 16 ${SECONDS_WRK}"
echo "bench: $KB_CMD" >&2
KB_OUT=$($KB_CMD)
echo "$KB_OUT" >&2

# --- the report ----------------------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
fs=$(df -T "$WORK" | awk 'NR == 2 {print $2 " on " $1}')
{
  echo "# Benchmark results"
  echo
  echo "Written by \`bench/run.sh\` (\`make bench\`); each run overwrites this file."
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "- parley: $($BIN --version 2>/dev/null | head -1) ($BIN, release build: -O2)"
  echo "- SQLite $(sqlite3 --version 2>/dev/null | awk '{print $1}' || true) files on: $fs"
  echo "- load average before the runs: $LOAD_BEFORE"
  echo "- git: $(git rev-parse --short HEAD 2>/dev/null || echo 'no commit')$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo
  echo "wrk and the server share the same $(nproc) cores, so the HTTP figure is a floor for what the server alone would do."
  echo
  echo "## GET /healthz (keep-alive, $CONNS connections, $THREADS threads, ${SECONDS_WRK} s)"
  echo
  echo "| requests/s | p50 | p75 | p90 | p99 | non-2xx |"
  echo "|---:|---:|---:|---:|---:|---:|"
  echo "| ${rps:-?} | ${p50:-?} | ${p75:-?} | ${p90:-?} | ${p99:-?} | ${non2xx:-0} |"
  [[ -n $errors ]] && { echo; echo "wrk reported:${errors}"; }
  echo
  echo "## SQLite inserts, WAL, synchronous=FULL (~300-byte rows, one index)"
  echo
  echo "Median of $SQLITE_RUNS runs of ${SQLITE_SECONDS} s per mode (by rows/s), with the range of all runs."
  echo "Commit times are those of this machine's (virtual, shared) disk flush and vary from run to run."
  echo
  echo "| rows per commit | rows/s | range of runs | commits/s | commit p50 (µs) | commit p99 (µs) |"
  echo "|---:|---:|---:|---:|---:|---:|"
  echo "| $(jget "$SI1" batch) | $(jget "$SI1" rows_per_sec) | $SI1_RANGE | $(jget "$SI1" commits_per_sec) | $(jget "$SI1" commit_us_p50) | $(jget "$SI1" commit_us_p99) |"
  echo "| $(jget "$SI100" batch) | $(jget "$SI100" rows_per_sec) | $SI100_RANGE | $(jget "$SI100" commits_per_sec) | $(jget "$SI100" commit_us_p50) | $(jget "$SI100" commit_us_p99) |"
  echo
  echo "$TICKETS_MD"
  echo
  echo "## Knowledge base"
  echo
  echo "\`$KB_CMD\`: the search engine of /api/v1/kb/search straight (retriever + filters + snippets),"
  echo "no HTTP; one JSON line per phase (index build, 16-client search, 16- and 1-client"
  echo "recommendations for 1,000-character texts). Analysis: docs/kb.md."
  echo
  echo '```'
  echo "$KB_OUT"
  echo '```'
  echo
  echo "## Commands"
  echo
  echo '```sh'
  echo "$SERVE_CMD   # DATA: a fresh folder under build/bench/, stderr to a file"
  echo "wrk -t$THREADS -c$CONNS -d2s $URL   # warm-up, not counted"
  echo "$WRK_CMD"
  echo "$SI_BUILD"
  echo "$SI1_CMD   # $SQLITE_RUNS times"
  echo "$SI100_CMD   # $SQLITE_RUNS times"
  echo '```'
  echo
  echo "## Raw output"
  echo
  echo '```'
  echo "$WRK_OUT"
  echo "$SI1_ALL" | head -n "$SQLITE_RUNS"
  echo "$SI100_ALL" | head -n "$SQLITE_RUNS"
  echo '```'
} | sed "s#$ROOT/##g" >"$OUT"
echo "bench: wrote $OUT" >&2
