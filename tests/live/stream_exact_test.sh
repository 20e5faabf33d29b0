#!/usr/bin/env bash
# Rebuilt streams against the bytes the programs say they sent. Two network namespaces
# joined by the impairment bridge (scripts/netns-lab.sh) with loss, reordering, duplication
# and delay; each end sends the other seeded pseudo-random bytes at the same time and logs the
# SHA-256 of what it sent and received (seeded_exchange.py). tcpdump records the connection
# on B's side twice: at full snaplen and cut to 120 bytes a frame.
#   full capture: each direction's file has exactly the sender's bytes (size and SHA-256),
#                 nothing missing, and the bridge really dropped, held back and duplicated;
#   cut capture:  the missing bytes are at least what captured_ranges.py (an independent pcap
#                 reader) finds no frame holding, at most that plus the captured bytes that came
#                 late, and delivered + missing = the stream length.
# Needs root, ip netns, tcpdump and python3; exits 77 (skipped) without them. TFX_KEEP_WORK=1
# keeps the captures and logs.
#   stream_exact_test.sh TCPFLOW-EXPLAIN
set -uo pipefail
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
skip() { echo "SKIP: $*"; exit 77; }
[[ $EUID -eq 0 ]] || skip "needs root (network namespaces)"
for tool in ip tcpdump python3 timeout; do command -v "$tool" >/dev/null || skip "no $tool"; done
ip netns add tfxlab-probe-$$ 2>/dev/null || skip "network namespaces unavailable"
ip netns del tfxlab-probe-$$

WORK=$(mktemp -d)
source "$ROOT/scripts/netns-lab.sh"
LAB_QUIET=1
CAPS=()
cleanup() {
  local p
  for p in "${CAPS[@]}"; do kill -INT "$p" 2>/dev/null; done
  lab_down >/dev/null 2>&1
  if [[ -n "${TFX_KEEP_WORK:-}" ]]; then echo "work files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

CLIENT_BYTES=200000 SERVER_BYTES=350000 PORT=42100
lab_up --prefix "tfxlab-$$" --time-limit 45 -- --delay-ms 2 --drop-a2b 5,17,40 --drop-b2a 9,33 \
  --reorder-a2b 12,25 --reorder-after 3 --dup-b2a 20 || skip "the namespace lab did not come up here"

# capture NAME SNAPLEN: tcpdump on B's interface, back once it listens.
capture() {
  ip netns exec "$LAB_NS_B" timeout 40 tcpdump -i "$LAB_IF_B" --immediate-mode -U -s "$2" -n \
    -w "$WORK/$1.pcap" "tcp port $PORT" 2>"$WORK/$1.err" </dev/null &
  CAPS+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$WORK/$1.err" 2>/dev/null && return 0; sleep 0.05; done
  fail "tcpdump did not start: $(cat "$WORK/$1.err")"
}
capture full 0
capture cut 120

ip netns exec "$LAB_NS_B" python3 "$HERE/seeded_exchange.py" server "$LAB_IP_B" "$PORT" --seed 7 \
  --send "$SERVER_BYTES" --log "$WORK/server.json" --ready "$WORK/ready" &
SERVER=$!
for _ in $(seq 100); do [[ -e "$WORK/ready" ]] && break; sleep 0.05; done
timeout 40 ip netns exec "$LAB_NS_A" python3 "$HERE/seeded_exchange.py" client "$LAB_IP_B" "$PORT" --seed 11 \
  --send "$CLIENT_BYTES" --log "$WORK/client.json" || fail "the client failed"
wait "$SERVER" || fail "the server failed"
sleep 0.5  # the last ACKs reach the capture
for p in "${CAPS[@]}"; do kill -INT "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
CAPS=()
cp "$LAB_STATE/bridge.log" "$WORK/bridge.log" 2>/dev/null
lab_down >/dev/null 2>&1

"$BIN" --write-streams "$WORK/full" "$WORK/full.pcap" >/dev/null 2>"$WORK/full.tfx.err" ||
  fail "tcpflow-explain --write-streams (full): $(cat "$WORK/full.tfx.err")"
"$BIN" --write-streams "$WORK/cut" "$WORK/cut.pcap" >/dev/null 2>"$WORK/cut.tfx.err" ||
  fail "tcpflow-explain --write-streams (cut): $(cat "$WORK/cut.tfx.err")"
python3 "$HERE/captured_ranges.py" "$WORK/cut.pcap" >"$WORK/cut.oracle.json" || fail "captured_ranges.py"

python3 - "$WORK" "$CLIENT_BYTES" "$SERVER_BYTES" <<'EOF' || exit 1
import hashlib, json, os, sys
work, client_bytes, server_bytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sent = {"client": json.load(open(f"{work}/client.json")), "server": json.load(open(f"{work}/server.json"))}
size = {"client": client_bytes, "server": server_bytes}
peer = {"client": "server", "server": "client"}
problems = []

def check(cond, what):
    if not cond:
        problems.append(what)

# The programs agree with each other: what one sent, the other received.
for side in ("client", "server"):
    check(sent[side]["sent_bytes"] == size[side], f"{side} sent {sent[side]['sent_bytes']}")
    check(sent[side]["sent_sha256"] == sent[peer[side]]["received_sha256"], f"{side}'s bytes changed on the way")

# The impairments happened (else the test proves little).
log = open(f"{work}/bridge.log").read().split("\n")
for action, direction in (("drop", "a2b"), ("drop", "b2a"), ("hold", "a2b"), ("dup", "b2a")):
    check(any(f" {direction} {action} " in line for line in log), f"the bridge did no {action} {direction}")

def rows(name):
    table = json.load(open(f"{work}/{name}/streams.json"))
    return {r["direction"]: r for r in (table["streams"] if isinstance(table, dict) else table)}

full = rows("full")
check(sorted(full) == ["client", "server"], f"full capture: streams {sorted(full)}")
for side, row in full.items():
    data = open(os.path.join(work, "full", row["file"]), "rb").read()
    check(len(data) == size[side], f"full {side}: file holds {len(data)} bytes, {size[side]} sent")
    check(hashlib.sha256(data).hexdigest() == sent[side]["sent_sha256"], f"full {side}: bytes differ from those sent")
    check(row["sha256"] == sent[side]["sent_sha256"], f"full {side}: streams.json sha256 is not the sender's")
    check(row["bytes"] == size[side] and row["missing_bytes"] == 0,
          f"full {side}: bytes {row['bytes']} missing {row['missing_bytes']}")
    check(row["inconsistent_retransmissions"] == 0, f"full {side}: inconsistencies reported")

oracle = json.load(open(f"{work}/cut.oracle.json"))
cut = rows("cut")
for side, row in cut.items():
    want = oracle[side]
    check(want["end"] == size[side], f"cut {side}: the oracle's stream ends at {want['end']}")
    # Every byte no frame holds is missing; beyond those, only bytes whose first captured copy
    # came after the stream had moved past them (docs/streams.md: a cut tail is not waited for).
    check(want["missing"] <= row["missing_bytes"] <= want["missing"] + want["late"],
          f"cut {side}: missing {row['missing_bytes']}, the capture lacks {want['missing']} (+ {want['late']} late)")
    check(row["bytes"] + row["missing_bytes"] == size[side], f"cut {side}: delivered + missing != {size[side]}")

if problems:
    print("FAIL:\n  " + "\n  ".join(problems))
    sys.exit(1)
print(f"PASS: {client_bytes} + {server_bytes} bytes rebuilt exactly through loss, reordering and duplication; "
      f"cut capture missing client {cut['client']['missing_bytes']}, server {cut['server']['missing_bytes']} as the capture lacks")
EOF
