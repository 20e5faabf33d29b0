#!/usr/bin/env bash
# Live form of `check` against loopback servers this test starts itself:
#   check -i lo 'tcp port P' --expect ... -- curl ...
# once with a graceful server (exit 0) and once with a server that resets with SO_LINGER 0
# (exit 1, the RST shown in the report, the command's own status reported); the same check
# twice gives the same JUnit testcase names; -w keeps the capture of a failing run; a bad
# output path stops everything before the command runs. Needs root (or
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

# ---- the same check run twice: the client's ephemeral port differs, the JUnit testcase names
# do not; -w keeps what each run captured
CURRENT=live-stable-junit-names
for run in 1 2; do
    timeout 30 "$BIN" check -i lo "tcp port $PORT" --expect 'close == graceful|simultaneous' --count 1 \
        --grace 300 --format json --junit "$TMP/run$run.xml" -w "$TMP/run$run.pcap" \
        -- curl -s -m 5 "http://127.0.0.1:$PORT/" >"$TMP/run$run.json" 2>"$TMP/err"
    rc=$?
    expect_rc 0 $rc
done
python3 - "$TMP/run1.json" "$TMP/run2.json" "$TMP/run1.xml" "$TMP/run2.xml" "$PORT" <<'EOF' ||
import json, sys, xml.etree.ElementTree as ET
clients = [json.load(open(f))["checks"][0]["connections"][0]["client"] for f in sys.argv[1:3]]
assert clients[0] != clients[1], "the two runs used the same client port: %s" % clients
names = [[c.get("name") for c in ET.parse(f).getroot().iter("testcase")] for f in sys.argv[3:5]]
assert names[0] == ["conn to 127.0.0.1:%s #1" % sys.argv[5]], names[0]
assert names[0] == names[1], names
EOF
    fail "JUnit names differ between the two runs"

# ---- resetting server: close/rst expectations fail, with the RST segment in the report
CURRENT=live-reset
start_server reset
timeout 30 "$BIN" check -i lo "tcp port $PORT" "${EXPECT[@]}" --grace 300 --format json -w "$TMP/reset.pcap" \
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
# The failing run's -w file is a complete capture: read back, it holds the server's RST.
timeout 30 "$BIN" check "$TMP/reset.pcap" --expect 'rst_by == server and handshake == complete' --count 1 \
    >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?

# ---- a path that cannot be written: exit 2 and the command never runs
for bad in "--junit $TMP/nowhere/r.xml" "-w $TMP" "-Z nobody -w $TMP/rootonly/c.pcap"; do
    CURRENT="live-bad-output ($bad)"
    mkdir -p -m 700 "$TMP/rootonly"
    rm -f "$TMP/marker"
    # shellcheck disable=SC2086 # $bad is an option and its value
    timeout 30 "$BIN" check -i lo "tcp port $PORT" --expect 'packets > 0' $bad \
        -- touch "$TMP/marker" >"$TMP/out" 2>"$TMP/err"
    expect_rc 2 $?
    has "$TMP/err" "cannot write"
    [ -e "$TMP/marker" ] && fail "the command ran although an output path is bad"
done

# ---- the command cannot start: exit 2
CURRENT=live-bad-command
timeout 30 "$BIN" check -i lo "tcp port $PORT" --expect 'handshake == complete' \
    -- /nonexistent/command >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc 2 $rc
has "$TMP/err" "cannot run the command"

finish check_live
