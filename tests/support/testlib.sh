# Helpers of the shell tests (sourced, not run). They give:
#   TMP                 a scratch directory, removed on exit;
#   PIDS                background processes to kill on exit (append with PIDS+=($!));
#   CURRENT             the name of the case being run, which the test sets;
#   fail MESSAGE        reports a failure of the current case and counts it;
#   expect_rc WANT GOT  checks an exit status, showing $TMP/out and $TMP/err when it is wrong;
#   has FILE TEXT       FILE contains TEXT (a fixed string); hasnt FILE TEXT, it does not;
#   finish NAME         prints the count of failures; its status is 0 only without any.
# shellcheck shell=bash

TMP=$(mktemp -d)
PIDS=()
testlib_cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap testlib_cleanup EXIT

CURRENT=
failures=0
fail() {
    echo "FAIL: $CURRENT: $*" >&2
    failures=$((failures + 1))
}

expect_rc() {
    [ "$2" -eq "$1" ] && return 0
    fail "exit $2, expected $1"
    sed 's/^/    out: /' "$TMP/out" >&2 2>/dev/null
    sed 's/^/    err: /' "$TMP/err" >&2 2>/dev/null
    return 1
}

has() {
    grep -qF -- "$2" "$1" || { fail "'$2' not in $(basename "$1")"; sed 's/^/    /' "$1" >&2; }
}
hasnt() {
    if grep -qF -- "$2" "$1"; then fail "'$2' in $(basename "$1")"; sed 's/^/    /' "$1" >&2; fi
}

finish() {
    echo "$1: $failures failure(s)"
    [ "$failures" -eq 0 ]
}
