#!/usr/bin/env bash
# What the command line does with the files, signals and numbers it is given, when they are
# hostile or unlucky (no root needed; the root-only cases are in privileges.sh):
#   -w and --junit never destroy the input (a planted symbolic link: privileges.sh);
#   --junit is checked before any packet is read; an unknown -Z user is a usage error;
#   a file read interrupted by SIGINT/SIGTERM says so and exits 130/143;
#   `check` whose report cannot be written fails; numeric options out of range are usage
#   errors with a readable message; a rules file nested 100,000 deep is a usage error;
#   user-supplied strings with terminal escapes reach no terminal raw, JUnit stays XML;
#   a file name that is not UTF-8 leaves JSON, JSONL and JUnit valid;
#   running out of memory is one error line and status 10, not an abort.
#
# usage: file_safety.sh TCPFLOW_EXPLAIN SOURCE_DIR
set -u

BIN=${1:?usage: file_safety.sh BINARY SOURCE_DIR}
SRC=${2:?usage: file_safety.sh BINARY SOURCE_DIR}
S=$SRC/samples
# shellcheck source-path=SCRIPTDIR source=../support/testlib.sh
. "$SRC/tests/support/testlib.sh"

no_escape_bytes() {  # FILE: no ESC, BEL, CSI (0x9b) or other C0/C1 control bytes but \t \n
    if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f\x9b]' "$1"; then
        fail "control bytes in $(basename "$1")"
        od -c "$1" | head -5 >&2
    fi
}

# ---- -w onto the input: refused before anything is written, the input intact
CURRENT=w_onto_the_input_is_refused_and_the_input_survives
cp "$S/capture-drop.pcap" "$TMP/in.pcap"
timeout 30 "$BIN" --summary "$TMP/in.pcap" -w "$TMP/in.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
cmp -s "$S/capture-drop.pcap" "$TMP/in.pcap" || fail "the input was changed"
has "$TMP/err" "it is the capture being read"
# The same file under another name (a hard link), and read from standard input.
ln "$TMP/in.pcap" "$TMP/link.pcap"
timeout 30 "$BIN" --summary "$TMP/in.pcap" -w "$TMP/link.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
timeout 30 "$BIN" --summary - -w "$TMP/in.pcap" <"$TMP/in.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
cmp -s "$S/capture-drop.pcap" "$TMP/in.pcap" || fail "the input was changed (hard link or stdin)"

CURRENT=check_junit_onto_the_input_is_refused
timeout 30 "$BIN" check "$TMP/in.pcap" --expect 'packets > 0' --junit "$TMP/in.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
cmp -s "$S/capture-drop.pcap" "$TMP/in.pcap" || fail "the input was changed"

# ---- one's own symbolic link is followed (the planted one, another user's, is refused:
# privileges.sh), but not onto the input
CURRENT=w_through_a_symlink_onto_the_input_is_refused
ln -s "$TMP/in.pcap" "$TMP/own-link.pcap"
timeout 30 "$BIN" --summary "$TMP/in.pcap" -w "$TMP/own-link.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
cmp -s "$S/capture-drop.pcap" "$TMP/in.pcap" || fail "the input was changed"
CURRENT=w_to_dev_fd_still_works
timeout 30 "$BIN" --summary "$S/seed-pouet.pcap" -w /dev/fd/3 3>"$TMP/fd3.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
timeout 30 "$BIN" --summary "$TMP/fd3.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?

# ---- --junit is opened before any packet is read: no report, no command, on a bad path
CURRENT=junit_path_is_checked_before_the_capture_is_read
timeout 30 "$BIN" check "$S/seed-pouet.pcap" --expect 'packets > 0' --junit "$TMP/no/such/dir/r.xml" \
    >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
[ -s "$TMP/out" ] && fail "a report was written although --junit cannot be"
has "$TMP/err" "No such file or directory"

# ---- -Z with an unknown user: a usage error, for files too
CURRENT=unknown_Z_user_is_a_usage_error_for_files
timeout 30 "$BIN" -Z no-such-user-tfx "$S/seed-pouet.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
has "$TMP/err" "unknown user 'no-such-user-tfx'"
timeout 30 "$BIN" check -Z no-such-user-tfx "$S/seed-pouet.pcap" --expect 'packets > 0' >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?

# ---- a signal during a file read: said in every format, 130/143
# The capture comes through a FIFO whose writer keeps it open after the last frame: the read
# waits there, deterministically, until the signal arrives.
# interrupted_run SIGNAL ARGS...: runs the walkthrough on the FIFO, signals it once all 8
# frames of seed-pouet.pcap are written; status in $rc.
interrupted_run() {
    local sig=$1
    shift
    rm -f "$TMP/fifo"
    mkfifo "$TMP/fifo"
    (cat "$S/seed-pouet.pcap"; sleep 4) >"$TMP/fifo" &
    local writer=$!
    PIDS+=($writer)
    timeout 30 "$BIN" "$@" >"$TMP/out" 2>"$TMP/err" &
    local pid=$!
    sleep 1.5
    kill "-$sig" "$pid"
    wait "$pid"
    rc=$?
    kill "$writer" 2>/dev/null
    wait "$writer" 2>/dev/null
}
CURRENT=sigterm_during_a_file_read_is_reported_in_json_and_exits_143
interrupted_run TERM --format json --ingest-thread off "$TMP/fifo"
expect_rc 143 $rc
python3 - "$TMP/out" <<'PY' || fail "JSON does not say it was interrupted"
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
assert s["interrupted"] is True and s["interrupted_by"] == "SIGTERM", s
assert s["interrupted_after_frame"] == 8 == s["frames"], s
assert s["truncated"] is False, s  # the read the signal broke is not damage in the file
PY
has "$TMP/err" "interrupted by SIGTERM after frame 8"

CURRENT=sigint_during_a_file_read_is_reported_in_text_and_exits_130
interrupted_run INT --ingest-thread off "$TMP/fifo"
expect_rc 130 $rc
has "$TMP/out" "Warning: interrupted by SIGINT after frame 8"

CURRENT=sigterm_during_a_file_read_is_reported_in_jsonl_and_the_summary_table
interrupted_run TERM --format jsonl --ingest-thread off "$TMP/fifo"
expect_rc 143 $rc
tail -1 "$TMP/out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["type"]=="capture_end" and d["interrupted"], d' ||
    fail "capture_end does not say it was interrupted"
interrupted_run TERM --summary --ingest-thread off "$TMP/fifo"
expect_rc 143 $rc
has "$TMP/out" "(interrupted by SIGTERM after frame 8"

CURRENT=sigterm_during_a_check_file_read_is_never_a_pass
interrupted_run TERM check "$TMP/fifo" --expect 'packets > 0' --any
expect_rc 143 $rc
has "$TMP/out" "interrupted by SIGTERM"

CURRENT=a_complete_file_read_is_not_interrupted
timeout 30 "$BIN" --format json "$S/seed-pouet.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; assert s["interrupted"] is False and "interrupted_by" not in s, s' \
    "$TMP/out" || fail "a complete read says interrupted"

# ---- check's report to a full device: an I/O error, never a pass
CURRENT=check_report_that_cannot_be_written_fails
if [ -w /dev/full ]; then
    for fmt in text json; do
        timeout 30 "$BIN" check "$S/rst-abort.pcap" --expect 'close == reset' --any --format $fmt \
            >/dev/full 2>"$TMP/err"
        rc=$?
        [ "$rc" -eq 2 ] || fail "--format $fmt > /dev/full: exit $rc, expected 2"
        has "$TMP/err" "cannot write the report"
    done
else
    echo "file_safety: /dev/full missing: $CURRENT skipped"
fi

# ---- numeric options: ranges with readable messages
CURRENT=huge_timeouts_are_usage_errors_not_overflows
for opt in --idle-timeout --handshake-timeout --closed-linger; do
    for v in 1e10 9.3e9 inf nan -1; do
        timeout 30 "$BIN" --summary "$opt" "$v" "$S/seed-pouet.pcap" >"$TMP/out" 2>"$TMP/err"
        rc=$?
        [ "$rc" -eq 2 ] || fail "$opt $v: exit $rc, expected 2"
    done
done
has "$TMP/err" "give seconds from 0 to 1e+09"
timeout 30 "$BIN" --summary --idle-timeout 1e9 --handshake-timeout 1e9 --closed-linger 0 "$S/seed-pouet.pcap" \
    >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
CURRENT=count_zero_has_a_readable_message
timeout 30 "$BIN" -c 0 "$S/seed-pouet.pcap" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
has "$TMP/err" "0 is out of range: give a whole number from 1 to"
grep -q "1797" "$TMP/err" && fail "CLI11's double range in the message"
timeout 30 "$BIN" check "$S/seed-pouet.pcap" --expect 'packets > 0' --count 5000000000 >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
has "$TMP/err" "out of range"

# ---- a rules file nested 100,000 deep
CURRENT=deeply_nested_rules_are_a_usage_error_not_a_crash
python3 -c "
d = 100000
open('$TMP/deep.json', 'w').write('{\"checks\":[{\"expect\":\"close == graceful\"}],\"count\":' + '[' * d + ']' * d + '}')"
timeout 30 "$BIN" check "$S/seed-pouet.pcap" --rules "$TMP/deep.json" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
has "$TMP/err" "nested deeper than 64 levels"
[ "$(wc -c <"$TMP/err")" -lt 400 ] || fail "the error message is $(wc -c <"$TMP/err") bytes"

# ---- terminal escapes in user-supplied strings
CURRENT=rule_names_with_terminal_escapes_are_escaped
timeout 30 "$BIN" check "$S/rst-abort.pcap" --rules "$SRC/tests/cli/rules-name-terminal-escapes.json" \
    --junit "$TMP/esc.xml" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
no_escape_bytes "$TMP/out"
has "$TMP/out" '\x1b]0;PWNED-TITLE\x07'
python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" "$TMP/esc.xml" ||
    fail "JUnit not well-formed"
CURRENT=escapes_in_expectations_and_file_names_are_escaped_in_errors
timeout 30 "$BIN" check "$S/rst-abort.pcap" --expect $'close == \e[2Jreset' >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
no_escape_bytes "$TMP/err"
timeout 30 "$BIN" $'/nonexistent/\e]0;T\a.pcap' >"$TMP/out" 2>"$TMP/err"
expect_rc 3 $?
no_escape_bytes "$TMP/err"
has "$TMP/err" '\x1b]0;T\x07'

# ---- a file name that is not UTF-8: every structured output stays parseable
CURRENT=file_name_not_utf8_keeps_json_and_junit_valid
bad="$TMP/capture-$(printf '\377\376').pcap"
cp "$S/seed-pouet.pcap" "$bad"
for f in json jsonl; do
    timeout 30 "$BIN" -F $f "$bad" >"$TMP/out" 2>"$TMP/err"
    expect_rc 0 $?
    python3 -c 'import json, sys
text = open(sys.argv[1], "rb").read().decode("utf-8")  # strict: invalid UTF-8 raises
docs = [json.loads(l) for l in text.splitlines()] if sys.argv[2] == "jsonl" else [json.loads(text)]
source = docs[0]["capture"]["source"] if sys.argv[2] == "json" else docs[0]["source"]
assert source.endswith("capture-\ufffd\ufffd.pcap"), source' "$TMP/out" $f || fail "-F $f: not valid UTF-8 JSON"
done
timeout 30 "$BIN" check "$bad" --expect 'close == graceful' --format json --junit "$TMP/bad.xml" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
python3 -c "import json, sys; json.loads(open(sys.argv[1], 'rb').read().decode('utf-8'))" "$TMP/out" ||
    fail "check's JSON report not valid UTF-8 JSON"
python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" "$TMP/bad.xml" ||
    fail "JUnit not well-formed with a non-UTF-8 file name"

# ---- out of memory: one line and status 10, not std::terminate's abort
CURRENT=out_of_memory_is_an_error_line_not_an_abort
python3 - "$TMP/syn-flood.pcap" <<'PY'
# 150,000 SYNs from distinct ports and addresses: one tracked connection each.
import struct, sys
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for i in range(150000):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 0, 0, 64, 6, 0,
                     bytes([10, (i >> 16) & 255, (i >> 8) & 255, i & 255]), bytes([10, 255, 0, 1]))
    tcp = struct.pack("!HHIIBBHHH", 1024 + i % 60000, 80, i, 0, 0x50, 0x02, 65535, 0, 0)
    frame = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + tcp
    out.write(struct.pack("<IIII", 1 + i // 1000, i % 1000, len(frame), len(frame)) + frame)
PY
# A sanitizer build reserves terabytes of shadow address space at start-up, which a
# `ulimit -v` forbids before main() runs: the case means nothing there.
if grep -qa '__asan_init\|__tsan_init' "$BIN"; then
    rc=skip
    echo "file_safety: $CURRENT skipped: a sanitizer build cannot run under ulimit -v"
else
    (ulimit -v 120000; exec timeout 60 "$BIN" --summary --ingest-thread off --render-thread off "$TMP/syn-flood.pcap") \
        >"$TMP/out" 2>"$TMP/err"
    rc=$?
fi
if [ "$rc" = skip ]; then
    :
elif [ "$rc" -eq 0 ]; then
    echo "file_safety: 150,000 connections fit in 120 MB here: $CURRENT not exercised"
else
    expect_rc 10 $rc
    has "$TMP/err" "tcpflow-explain: error: out of memory"
fi

finish file_safety
