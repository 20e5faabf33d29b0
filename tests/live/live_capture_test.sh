#!/usr/bin/env bash
# Live-capture test: tcpflow-explain -i lo against a real `echo pouet | nc` exchange.
#
#   bash tests/live/live_capture_test.sh path/to/tcpflow-explain
#
# 1. -c 8 --format json: exits by itself after the 8 packets of the classic exchange;
#    the JSON has 1 conversation whose segments' flags are
#    SYN, SYN-ACK, ACK, PSH-ACK, ACK, FIN-ACK, FIN-ACK, ACK.
# 2. -c 8 -w FILE: the saved file is readable by tcpdump -r and holds 8 packets.
# 3. no -c, stopped with SIGINT (JSON) and with SIGTERM (text): exit status 0, and the
#    summary is printed.
# Exit 77 (skipped) when not root or when nc (openbsd), tcpdump or python3 is missing.
# Traffic: 127.0.0.1 only, a few packets per run; every process started here is ended.
set -uo pipefail

BIN=${1:-}
skip() { echo "SKIP: $*"; exit 77; }
[[ -n "$BIN" ]] || { echo "usage: $0 path/to/tcpflow-explain" >&2; exit 2; }
[[ $EUID -eq 0 ]] || skip "live capture on lo needs root"
for tool in nc tcpdump python3 timeout; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (scripts/bootstrap.sh --test)"
done
nc -h 2>&1 | grep -q -- '-N' || skip "nc is not netcat-openbsd (needs -N)"
[[ -x "$BIN" ]] || { echo "FAIL: $BIN is not an executable" >&2; exit 1; }

WORK=$(mktemp -d /tmp/tfx-live.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0
FAILED=0
pass() { echo "ok - $*"; PASSED=$((PASSED + 1)); }
fail() { echo "not ok - $*"; FAILED=$((FAILED + 1)); }
show() {  # label file: the file's last lines, indented, for a failure's context
  [[ -s "$2" ]] || return 0
  echo "  --- $1:"
  tail -n 15 "$2" | sed 's/^/  | /'
}

free_port() {
  python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# start_tool NAME ARGS...: runs the tool in the background (stdout NAME.out, stderr NAME.err),
# returns once it prints "capturing on" (10 s at most); sets TOOL_PID
start_tool() {
  local name=$1 i; shift
  ( exec timeout -s KILL 30 "$BIN" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null ) &
  TOOL_PID=$!
  PIDS+=("$TOOL_PID")
  for ((i = 0; i < 200; i++)); do
    grep -q "capturing on" "$WORK/$name.err" 2>/dev/null && return 0
    kill -0 "$TOOL_PID" 2>/dev/null || break
    sleep 0.05
  done
  return 1
}

# wait_exit PID SECONDS: the exit status, or 124 after killing it when still running
wait_exit() {
  local pid=$1 i
  for ((i = 0; i < $2 * 20; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"
      return $?
    fi
    sleep 0.05
  done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 124
}

# pouet PORT: the classic exchange, `echo pouet | nc 127.0.0.1 PORT` against `nc -l`
pouet() {
  local port=$1 srv i
  ( exec timeout 10 nc -l 127.0.0.1 "$port" </dev/null >"$WORK/server.out" 2>&1 ) &
  srv=$!
  PIDS+=("$srv")
  for ((i = 0; i < 100; i++)); do listening "$port" && break; sleep 0.05; done
  command -v ss >/dev/null 2>&1 || sleep 0.5
  # the sleep keeps the client's data and its FIN apart, as in the classic 8 packets
  { printf 'pouet\n'; sleep 0.2; } | timeout 10 nc -N 127.0.0.1 "$port" >/dev/null 2>&1
  wait_exit "$srv" 5 >/dev/null
}

# check_json FILE EXPECT_SEGMENTS: the checks on the JSON document
check_json() {
  python3 - "$1" "$2" <<'PY'
import json, sys
path, expect_segments = sys.argv[1], sys.argv[2] == "yes"
with open(path) as f:
    doc = json.load(f)
want = ["SYN", "SYN-ACK", "ACK", "PSH-ACK", "ACK", "FIN-ACK", "FIN-ACK", "ACK"]
convs = doc.get("conversations")
problems = []
if not isinstance(convs, list) or len(convs) != 1:
    problems.append("expected 1 conversation, got %r" % (len(convs) if isinstance(convs, list) else convs))
else:
    segs = convs[0].get("segments", [])
    flags = [s.get("flags") for s in segs]
    if len(segs) != 8:
        problems.append("expected 8 segments, got %d: %s" % (len(segs), flags))
    elif flags != want:
        problems.append("flags %s, expected %s" % (flags, want))
    payload = [s.get("len") for s in segs]
    if len(segs) == 8 and payload[3] != 6:
        problems.append("the PSH-ACK carries %r bytes, expected 6" % payload[3])
if "summary" not in doc:
    problems.append("no summary in the document")
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
PY
}

count_packets() { tcpdump -nr "$1" 2>/dev/null | wc -l; }

# --- 1: -c 8 --format json ------------------------------------------------------------
port=$(free_port)
if start_tool count8 -i lo -c 8 --format json "tcp port $port"; then
  pouet "$port"
  wait_exit "$TOOL_PID" 10; rc=$?
  if [[ $rc -eq 0 ]]; then pass "-c 8 exits by itself with status 0"
  else fail "-c 8: exit status $rc (124: still running after 10 s)"; show stderr "$WORK/count8.err"; fi
  if check_json "$WORK/count8.out" yes; then pass "-c 8 JSON: 1 conversation, the 8 classic segments"
  else fail "-c 8 JSON content"; show stdout "$WORK/count8.out"; fi
else
  fail "-c 8: no 'capturing on' on stderr within 10 s"; show stderr "$WORK/count8.err"
fi

# --- 2: -w FILE -----------------------------------------------------------------------
port=$(free_port)
if start_tool write -i lo -c 8 -w "$WORK/saved.pcap" --format json "tcp port $port"; then
  pouet "$port"
  wait_exit "$TOOL_PID" 10; rc=$?
  [[ $rc -eq 0 ]] && pass "-w: exit status 0" || { fail "-w: exit status $rc"; show stderr "$WORK/write.err"; }
  if [[ -s "$WORK/saved.pcap" ]] && tcpdump -nr "$WORK/saved.pcap" >/dev/null 2>&1; then
    n=$(count_packets "$WORK/saved.pcap")
    if [[ $n -eq 8 ]]; then pass "-w: saved file readable by tcpdump -r, 8 packets"
    else fail "-w: saved file has $n packets, expected 8"; fi
  else
    fail "-w: saved file missing or not readable by tcpdump -r"
  fi
else
  fail "-w: no 'capturing on' on stderr within 10 s"; show stderr "$WORK/write.err"
fi

# --- 3: stopped by a signal -----------------------------------------------------------
port=$(free_port)
if start_tool sigint -i lo --format json "tcp port $port"; then
  pouet "$port"
  sleep 1  # let the 8 packets reach the tool
  kill -INT "$TOOL_PID"
  wait_exit "$TOOL_PID" 10; rc=$?
  [[ $rc -eq 0 ]] && pass "SIGINT: exit status 0" || { fail "SIGINT: exit status $rc"; show stderr "$WORK/sigint.err"; }
  if check_json "$WORK/sigint.out" yes; then pass "SIGINT: complete JSON with the conversation and its summary"
  else fail "SIGINT: JSON output"; show stdout "$WORK/sigint.out"; fi
else
  fail "SIGINT: no 'capturing on' on stderr within 10 s"; show stderr "$WORK/sigint.err"
fi

port=$(free_port)
if start_tool sigterm -i lo --format text "tcp port $port"; then
  pouet "$port"
  sleep 1
  kill -TERM "$TOOL_PID"
  wait_exit "$TOOL_PID" 10; rc=$?
  [[ $rc -eq 0 ]] && pass "SIGTERM: exit status 0" || { fail "SIGTERM: exit status $rc"; show stderr "$WORK/sigterm.err"; }
  if [[ -s "$WORK/sigterm.out" ]] && grep -q "$port" "$WORK/sigterm.out"; then
    pass "SIGTERM: text walkthrough and summary printed"
  else
    fail "SIGTERM: no text output naming port $port"; show stdout "$WORK/sigterm.out"
  fi
else
  fail "SIGTERM: no 'capturing on' on stderr within 10 s"; show stderr "$WORK/sigterm.err"
fi

echo "live: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
