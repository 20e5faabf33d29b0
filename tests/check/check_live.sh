#!/usr/bin/env bash
# Live form of `check` against loopback servers this test starts itself:
#   check -i lo 'tcp port P' --expect ... -- curl ...
# once with a graceful server (exit 0) and once with a server that resets with SO_LINGER 0
# (exit 1, the RST shown in the report, the command's own status reported). Needs root (or
# CAP_NET_RAW) for the capture: exits 77 (skipped) otherwise. Every step is bounded by
# `timeout`; servers are killed on exit.
#
# usage: check_live.sh TCPFLOW_EXPLAIN SOURCE_DIR
set -u

BIN=${1:?usage: check_live.sh BINARY SOURCE_DIR}
SRC=${2:?usage: check_live.sh BINARY SOURCE_DIR}
SERVER=$SRC/tests/check/loopback_server.py

if [ "$(id -u)" -ne 0 ]; then
    echo "check_live: needs root for a live capture on lo: skipped"
    exit 77
fi
for tool in python3 curl timeout; do
    command -v "$tool" >/dev/null || { echo "check_live: $tool missing: skipped"; exit 77; }
done

# shellcheck source-path=SCRIPTDIR source=../support/testlib.sh
. "$SRC/tests/support/testlib.sh"

# start_server MODE: starts the server, sets PORT once it listens.
start_server() {
    local portfile=$TMP/port.$1
    python3 "$SERVER" "$1" "$portfile" &
    PIDS+=($!)
    for _ in $(seq 100); do
        [ -s "$portfile" ] && break
        sleep 0.05
    done
    [ -s "$portfile" ] || { echo "check_live: $1 server did not start" >&2; exit 1; }
    PORT=$(cat "$portfile")
}

EXPECT=(--expect 'handshake == complete'
        --expect 'close == graceful|simultaneous'
        --expect 'rst_count == 0'
        --expect 'retransmissions == 0'
        --expect 'handshake ~ "SYN SYN-ACK ACK"'
        --count 1)

# ---- graceful server: every expectation holds
CURRENT=live-graceful
start_server graceful
timeout 30 "$BIN" check -i lo "tcp port $PORT" "${EXPECT[@]}" --expect 'server_bytes > 30B' \
    --grace 300 --junit "$TMP/graceful.xml" -- curl -s -m 5 "http://127.0.0.1:$PORT/" \
    >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc 0 $rc
has "$TMP/out" "command: curl -s -m 5 http://127.0.0.1:$PORT/: exited with status 0"
has "$TMP/out" "6 checks: 6 passed, 0 failed"
has "$TMP/err" "hello from the graceful server"   # the command's stdout goes to stderr
python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" "$TMP/graceful.xml" ||
    fail "JUnit not well-formed"

# ---- resetting server: close/rst expectations fail, with the RST segment in the report
CURRENT=live-reset
start_server reset
timeout 30 "$BIN" check -i lo "tcp port $PORT" "${EXPECT[@]}" --grace 300 --format json \
    -- curl -s -m 5 "http://127.0.0.1:$PORT/" >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc 1 $rc
python3 - "$TMP/out" <<'EOF' || fail "report"
import json, sys
d = json.load(open(sys.argv[1]))
cmd = d["command"]
assert cmd["started"] and cmd["exit_status"] == 56, cmd   # curl: failure receiving network data
by = {c["expect"]: c for c in d["checks"]}
assert by["handshake == complete"]["passed"]
close = by["close == graceful|simultaneous"]
assert not close["passed"]
conn = close["connections"][0]
assert conn["terms"][0]["observed"] == "reset", conn
assert any(s["flags"].startswith("RST") and s["sender"] == "server" for s in conn["segments"]), conn
assert not by["rst_count == 0"]["passed"]
EOF

# ---- the command cannot start: exit 2
CURRENT=live-bad-command
timeout 30 "$BIN" check -i lo "tcp port $PORT" --expect 'handshake == complete' \
    -- /nonexistent/command >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc 2 $rc
has "$TMP/err" "cannot run the command"

finish check_live
