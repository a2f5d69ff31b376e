#!/usr/bin/env bash
# Installs the Debian packages that building and testing Parley need, only those
# missing. Silent when everything is already there; runs `apt-get update` only when
# something must be installed. Works as root (CI, dev machines) or through sudo.
set -euo pipefail

# The one list. Add packages here (one per line, a comment saying what needs it).
PACKAGES=(
  pkg-config gcc make            # build
  clang libclang-rt-14-dev       # libFuzzer targets, sanitizer runtimes
  libmicrohttpd-dev              # HTTP server
  libjansson-dev                 # JSON
  libsqlite3-dev                 # default store
  libpq-dev                      # PostgreSQL driver
  postgresql-15 postgresql-client-15   # throwaway server for tests (scripts/pg-test.sh)
  libcurl4-openssl-dev           # SMTP/IMAP/webhooks/LLM calls
  libsodium-dev                  # argon2id, secretbox, random
  libcrack2-dev cracklib-runtime # password policy (FascistCheck + its dictionary)
  liboath-dev                    # TOTP
  libqrencode-dev                # 2FA QR codes
  libstemmer-dev                 # Snowball stemmers
  libexttextcat-dev libexttextcat-data   # language identification
  libcmark-dev                   # Markdown
  libmagic-dev                   # attachment type sniffing
  libcmocka-dev                  # C unit tests
  wrk                            # bench/run.sh
  chromium                       # browser tests (tests/browser, playwright-core drives it)
)

# Node.js >= 20 usually comes from elsewhere on these machines: only when no `node`
# is on PATH at all do we fall back to Debian's nodejs + npm.
NODE_FALLBACK=(nodejs npm)

# One dpkg-query for all (it exits 1 when any is unknown): the installed ones' names.
installed=" $( { dpkg-query -W -f='${Package}=${db:Status-Abbrev}\n' "${PACKAGES[@]}" 2>/dev/null || true; } |
  awk -F= '$2 ~ /^ii/ {printf "%s ", $1}') "
missing=()
for p in "${PACKAGES[@]}"; do
  [[ $installed == *" $p "* ]] || missing+=("$p")
done
if ! command -v node >/dev/null 2>&1; then
  missing+=("${NODE_FALLBACK[@]}")
fi

if ((${#missing[@]} == 0)); then
  exit 0
fi

if ((EUID == 0)); then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and not root, no sudo" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# apt's chatter goes to a log shown only when something fails.
if ! { "${SUDO[@]}" apt-get update -qq &&
       "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
         --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "install-deps: apt-get failed" >&2
  exit 1
fi

if command -v node >/dev/null 2>&1; then
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if ((major < 20)); then
    echo "install-deps: warning: node $(node --version) is older than 20; tests expect 20+" >&2
  fi
fi
