#!/usr/bin/env bash
# `make check` (after the build): runs every suite and ends with one line
# "N passed, N failed" counting individual test cases across all suites.
#   1. build/tests/test_*   cmocka unit tests (ASan/UBSan)
#   2. tests/api/           node --test, twice: PARLEY_TEST_DB=sqlite, then postgres
#   3. tests/browser/       node --test, when the folder exists
#   4. build/fuzz/fuzz_*    libFuzzer, FUZZ_SECONDS each (default 15); a clean run = 1 pass
# A throwaway PostgreSQL (scripts/pg-test.sh) runs for the whole check.
# Environment: FUZZ_SECONDS, CHECK_SUITES (a space-separated subset of
# "unit api-sqlite api-postgres browser fuzz"), PARLEY_TEST_VERBOSE=1.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD

FUZZ_SECONDS=${FUZZ_SECONDS:-15}
CHECK_SUITES=${CHECK_SUITES:-unit api-sqlite api-postgres browser fuzz}
LOGDIR=$ROOT/build/check
mkdir -p "$LOGDIR"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export CMOCKA_MESSAGE_OUTPUT=STDOUT

PASSED=0
FAILED=0
SUMMARY=()

want() { [[ " $CHECK_SUITES " == *" $1 "* ]]; }
hr() { printf '\n=== %s ===\n' "$*"; }
# record SUITE PASSED FAILED [NOTE]
record() {
  PASSED=$((PASSED + $2))
  FAILED=$((FAILED + $3))
  SUMMARY+=("$(printf '%-28s %4d passed %4d failed %s' "$1" "$2" "$3" "${4:-}")")
}
elapsed() { echo "$(($(date +%s) - $1))s"; }

# --- the throwaway PostgreSQL -------------------------------------------------------
PGDIR=
cleanup() {
  if [[ -n $PGDIR ]]; then
    "$ROOT/scripts/pg-test.sh" stop "$PGDIR" >/dev/null 2>&1 || true
    PGDIR=
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

PG_OK=0
if want unit || want api-postgres; then
  PGDIR=$(mktemp -d /tmp/parley-pg.XXXXXX)
  if PARLEY_TEST_PG_URL=$("$ROOT/scripts/pg-test.sh" start "$PGDIR" 2>"$LOGDIR/pg-start.log"); then
    export PARLEY_TEST_PG_URL
    PG_OK=1
    echo "PostgreSQL for tests: $PARLEY_TEST_PG_URL"
  else
    echo "could not start the throwaway PostgreSQL:" >&2
    cat "$LOGDIR/pg-start.log" >&2
    record "postgresql start" 0 1 "(see above)"
  fi
fi

# --- 1. cmocka unit tests ----------------------------------------------------------
if want unit; then
  shopt -s nullglob
  units=(build/tests/test_*)
  shopt -u nullglob
  for bin in "${units[@]}"; do
    [[ -x $bin && -f $bin ]] || continue
    name=$(basename "$bin")
    hr "unit: $name"
    t0=$(date +%s)
    log=$LOGDIR/$name.log
    timeout -k 10 300 "$bin" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]\+\) test(s)\..*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]\+\) test(s).*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    sk=$(sed -n 's/^\[  SKIPPED \] \([0-9]\+\) test(s).*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    note="($(elapsed "$t0"))"
    ((sk > 0)) && note="($sk skipped) $note"
    if ((rc != 0 && f == 0)); then
      f=1
      note="(exit $rc: crashed or timed out) $note"
    fi
    if ((rc == 0 && p == 0 && f == 0 && sk == 0)); then
      note="(no cmocka summary; ran no test?) $note"
    fi
    record "unit $name" "$p" "$f" "$note"
  done
fi

# --- node --test suites --------------------------------------------------------------
# node_suite LABEL DIR [VAR=VALUE...]: runs node --test on DIR with a spec report on the
# terminal and a TAP copy for counting.
node_suite() {
  local label=$1 dir=$2
  shift 2
  hr "$label"
  local t0 tap rc p f c sk
  t0=$(date +%s)
  tap=$LOGDIR/$label.tap
  rm -f "$tap"
  # The files themselves (not the folder): Node 20 searches a folder, 22 takes globs.
  local files
  mapfile -t files < <(find "$dir" \( -name node_modules -prune \) -o -type f \
    \( -name '*.test.mjs' -o -name '*.test.js' \) -print | sort)
  env "$@" timeout -k 10 900 node --test \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    "${files[@]}"
  rc=$?
  p=$(sed -n 's/^# pass \([0-9]\+\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  f=$(sed -n 's/^# fail \([0-9]\+\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  c=$(sed -n 's/^# cancelled \([0-9]\+\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  sk=$(sed -n 's/^# skipped \([0-9]\+\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  p=${p:-0}
  f=$((${f:-0} + ${c:-0}))
  local note
  note="($(elapsed "$t0"))"
  ((${sk:-0} > 0)) && note="($sk skipped) $note"
  if ((rc != 0 && f == 0)); then
    f=1
    note="(exit $rc: crashed or timed out) $note"
  fi
  record "$label" "$p" "$f" "$note"
}

have_tests() { [[ -d $1 ]] && [[ -n $(find "$1" -name '*.test.mjs' -o -name '*.test.js' | head -1) ]]; }

if want api-sqlite && have_tests tests/api; then
  node_suite api-sqlite tests/api/ PARLEY_TEST_DB=sqlite
fi
if want api-postgres && have_tests tests/api; then
  if ((PG_OK)); then
    node_suite api-postgres tests/api/ PARLEY_TEST_DB=postgres
  else
    record "api-postgres" 0 1 "(no PostgreSQL)"
  fi
fi
if want browser && have_tests tests/browser; then
  node_suite browser tests/browser/ PARLEY_TEST_DB=sqlite
fi

# --- 4. fuzzers ------------------------------------------------------------------------
if want fuzz; then
  shopt -s nullglob
  fuzzers=(build/fuzz/fuzz_*)
  shopt -u nullglob
  for bin in "${fuzzers[@]}"; do
    [[ -x $bin && -f $bin ]] || continue
    name=$(basename "$bin")
    hr "fuzz: $name (${FUZZ_SECONDS}s)"
    corpus=build/fuzz-corpus/$name
    artifacts=build/fuzz-artifacts/$name
    mkdir -p "$corpus" "$artifacts"
    seeds=()
    [[ -d tests/fuzz/corpus/$name ]] && seeds=("tests/fuzz/corpus/$name")
    log=$LOGDIR/$name.log
    t0=$(date +%s)
    timeout -k 10 $((FUZZ_SECONDS + 120)) "$bin" -max_total_time="$FUZZ_SECONDS" \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "$corpus" "${seeds[@]}" >"$log" 2>&1
    rc=$?
    if ((rc == 0)); then
      grep -E '^(#[0-9]+\s+DONE|Done [0-9]+ runs|stat::number_of_executed_units)' "$log" | head -3
      record "fuzz $name" 1 0 "($(elapsed "$t0"))"
    else
      tail -n 60 "$log"
      echo "(full log: $log; reproducer in $artifacts/)"
      record "fuzz $name" 0 1 "(exit $rc) ($(elapsed "$t0"))"
    fi
  done
fi

cleanup

hr summary
for line in "${SUMMARY[@]}"; do echo "$line"; done
if ((PASSED + FAILED == 0)); then
  echo "no test ran" >&2
  FAILED=1
fi
echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
