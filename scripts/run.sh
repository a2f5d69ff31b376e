#!/usr/bin/env bash
# `make run`: serves Parley from ./parley-data (SQLite) on port ${PARLEY_PORT:-8080}.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA=./parley-data
PORT=${PARLEY_PORT:-8080}
mkdir -p "$DATA"

cat >&2 <<EOF
Parley: data in $DATA, listening on http://localhost:$PORT/
First time? Create the first admin in another terminal (password on standard input):
  printf '%s\n' 'a-long-password' | build/parley user add --email you@example.com --name "You" --role admin --data $DATA
Stop with Ctrl-C.
EOF

exec build/parley serve --port "$PORT" --data "$DATA"
