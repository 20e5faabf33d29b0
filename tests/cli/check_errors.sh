#!/usr/bin/env bash
# Every usage error of `check`, CLI11's parse errors among them, in one style: exit status 2,
# one line `tcpflow-explain check: error: ...`, and only indented lines after it (the text of
# an expectation with its caret line).
#
# usage: check_errors.sh TCPFLOW_EXPLAIN SOURCE_DIR
set -u

BIN=${1:?usage: check_errors.sh BINARY SOURCE_DIR}
SRC=${2:?usage: check_errors.sh BINARY SOURCE_DIR}
S=$SRC/samples
# shellcheck source-path=SCRIPTDIR source=../support/testlib.sh
. "$SRC/tests/support/testlib.sh"
PREFIX="tcpflow-explain check: error: "
n=0

# usage_error NAME EXPECTED_FIRST_LINE ARGS...: `check ARGS` exits 2 and its stderr is exactly
# one error line (EXPECTED_FIRST_LINE, after the prefix) and indented lines.
usage_error() {
    CURRENT=$1
    local want=$2
    shift 2
    n=$((n + 1))
    timeout 60 "$BIN" check "$@" >"$TMP/out" 2>"$TMP/err"
    expect_rc 2 $?
    [ -s "$TMP/out" ] && fail "wrote to stdout"
    local first
    first=$(head -n 1 "$TMP/err")
    [ "$first" = "$PREFIX$want" ] || fail "first line is '$first', expected '$PREFIX$want'"
    if tail -n +2 "$TMP/err" | grep -qv '^  '; then
        fail "a line after the error is not indented:"
        sed 's/^/    /' "$TMP/err" >&2
    fi
}

HELP="(see 'tcpflow-explain check --help')"
E='close == graceful'
P=$S/seed-pouet.pcap

# CLI11's parse errors.
usage_error unknown-option "unknown option '--frobnicate' $HELP" "$P" --expect "$E" --frobnicate
usage_error unknown-options "unknown options '--frob' '--nit=1' $HELP" "$P" --expect "$E" --frob --nit=1
usage_error missing-value "--expect: 1 required EXPR missing $HELP" "$P" --expect
usage_error bad-choice "--format: yaml not in {text,json} $HELP" "$P" --expect "$E" --format yaml
usage_error bad-count "--count: x is not a whole number: give a whole number from 0 to 1000000000 $HELP" \
    "$P" --expect "$E" --count x
usage_error excludes "--any excludes --count $HELP" "$P" --any --count 1 --expect "$E"
# The command's own checks, before and after the capture is opened.
usage_error nothing "nothing to check: give --expect EXPR or --rules FILE" "$P"
usage_error bad-field "--expect: unknown field 'handshak' (did you mean 'handshake'?)" "$P" \
    --expect 'handshak == complete'
usage_error flag-pair "--expect: 'FIN ACK' is two segments, the second a lone ACK (did you mean 'FIN-ACK'?); the flags of one segment are joined by '-'" \
    "$P" --expect 'teardown ~ "FIN ACK FIN ACK"'
usage_error missing-file "cannot open '$TMP/none.pcap': No such file or directory" "$TMP/none.pcap" --expect "$E"
usage_error command-without-live "a command after '--' needs a live capture (-i IFACE)" "$P" --expect "$E" -- true

finish "check_errors: $n runs"
