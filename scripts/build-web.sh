#!/usr/bin/env bash
# `make web`: builds the web UI (web/) into web/dist with Vite. Installs the npm
# packages with `npm ci` only when web/node_modules is missing or package-lock.json
# changed since the last install. Quiet on success but for one line with the bundle
# size; prints the tools' output when something fails.
set -euo pipefail
cd "$(dirname "$0")/../web"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

if ! command -v npm >/dev/null 2>&1; then
  echo "build-web: npm is missing (scripts/install-deps.sh installs Node.js)" >&2
  exit 1
fi

lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.parley-lock-sha256
if [[ ! -d node_modules || ! -f $stamp || $(cat "$stamp") != "$lock_sum" ]]; then
  if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
    cat "$log" >&2
    echo "build-web: npm ci failed" >&2
    exit 1
  fi
  echo "$lock_sum" >"$stamp"
fi

if ! npm run --silent build >"$log" 2>&1; then
  cat "$log" >&2
  echo "build-web: the build failed" >&2
  exit 1
fi
grep '^web: ' "$log" || true
