#!/usr/bin/env bash
# --reassemble end to end, and check's stream fields: the stream facts of crafted segments
# (byte counts chosen here), the missing bytes of a snaplen-cut capture against an independent
# reading of the pcap, and nothing added without the option.
#
# usage: reassemble.sh TCPFLOW_EXPLAIN SOURCE_DIR
set -u

BIN=${1:?usage: reassemble.sh BINARY SOURCE_DIR}
SRC=${2:?usage: reassemble.sh BINARY SOURCE_DIR}
LAB=$SRC/tests/data/lab
# shellcheck source-path=SCRIPTDIR source=../support/testlib.sh
. "$SRC/tests/support/testlib.sh"

# A handshake, then the client's 10 bytes "0123456789" sent twice with 3 bytes changed the
# second time, then 20 bytes at offset 5 (5 overlapping, 15 new), then a 4-byte hole and 6
# bytes after it, then its FIN.
PYTHONPATH="$SRC/tests/support" python3 - "$TMP/crafted.pcap" <<'PY'
import sys
from crafted_pcap import ACK, CLIENT as c, FIN, PSH, SERVER as s, SYN, CraftedPcap
with CraftedPcap(sys.argv[1]) as pcap:
    pcap.seg(1, c, s, 40000, 80, 1000, 0, SYN)
    pcap.seg(2, s, c, 80, 40000, 5000, 1001, SYN | ACK)
    pcap.seg(3, c, s, 40000, 80, 1001, 5001, ACK)
    pcap.seg(4, c, s, 40000, 80, 1001, 5001, PSH | ACK, b"0123456789")
    pcap.seg(5, c, s, 40000, 80, 1001, 5001, PSH | ACK, b"01XYZ56789")
    pcap.seg(6, c, s, 40000, 80, 1006, 5001, PSH | ACK, b"56789abcdefghijklmno")
    pcap.seg(7, c, s, 40000, 80, 1030, 5001, PSH | ACK | FIN, b"uvwxyz")
PY

CURRENT=segment_facts_in_jsonl
timeout 30 "$BIN" "$TMP/crafted.pcap" --reassemble --format jsonl >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
python3 - "$TMP/out" >"$TMP/facts" 2>&1 <<'PY' || fail "$(cat "$TMP/facts")"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
facts = {e["frame"]: e.get("stream") for e in events if e["type"] == "segment"}
want = {
    1: None, 2: None, 3: None,
    4: {"offset": 0, "end": 10, "new": 10},
    5: {"offset": 0, "end": 10, "new": 0, "duplicate": 10, "inconsistent": 3},
    6: {"offset": 5, "end": 25, "new": 15, "overlapping": 5},
    7: {"offset": 29, "end": 35, "new": 6},
}
bad = [f"frame {f}: {facts.get(f)} != {w}" for f, w in want.items() if facts.get(f) != w]
closed = [e for e in events if e["type"] == "conversation"]
client = closed[0]["stream"]["client"] if closed else None
want_client = {"delivered_bytes": 31, "missing_bytes": 4, "missing_ranges": 1, "duplicate_bytes": 10,
               "overlapping_bytes": 5, "inconsistent_retransmissions": 1, "inconsistent_bytes": 3,
               "beyond_fin_bytes": 0, "before_start_bytes": 0}
if client != want_client:
    bad.append(f"client totals {client} != {want_client}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

CURRENT=text_says_what_is_notable
timeout 30 "$BIN" "$TMP/crafted.pcap" --reassemble >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
has "$TMP/out" "stream 0:10: these 10 bytes were already seen (duplicate). 3 of them differ from the first copy"
has "$TMP/out" "stream 5:25: 5 bytes were already seen (overlapping), 15 new."
has "$TMP/out" "  client stream: 31 bytes delivered, 4 missing (1 range), 10 duplicate, 5 overlapping, 1 inconsistent"
has "$TMP/out" "  server stream: 0 bytes delivered, 0 missing"
[ "$(grep -c '^       stream ' "$TMP/out")" = 2 ] || fail "a stream line under a segment that brought only new bytes"

CURRENT=nothing_without_the_option
timeout 30 "$BIN" "$TMP/crafted.pcap" --format jsonl >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
hasnt "$TMP/out" '"stream"'
timeout 30 "$BIN" "$TMP/crafted.pcap" >"$TMP/out" 2>"$TMP/err"
hasnt "$TMP/out" "stream"

# The check fields. lab.pcap holds every byte its connections sent; lab_trunc.pcap is the same
# with a snaplen of 60, so the stream misses what no frame holds, counted here from the pcap.
CURRENT=check_missing_bytes_passes_on_a_full_capture
timeout 60 "$BIN" check "$LAB/lab.pcap" --expect "missing_bytes == 0" --expect "inconsistent_retransmissions == 0" \
    >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?

# The first connection: the client sent 1:551, the server 1:21 (tests/data/lab/README.md).
CURRENT=check_stream_bytes_of_the_lab_connection
timeout 60 "$BIN" check "$LAB/lab.pcap" --any --expect "client_stream_bytes == 550 and server_stream_bytes == 20" \
    >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?

CURRENT=check_missing_bytes_fails_on_a_cut_capture_with_the_count
missing=$(python3 - "$LAB/lab_trunc.pcap" <<'PY'
# Per direction of the first connection: the relative offsets some frame captured, against the
# stream's length (the client sent 1:551, the server 1:21; tests/data/lab/README.md). The file
# is pcapng (Ethernet): each Enhanced Packet Block holds one frame.
import struct, sys
data = open(sys.argv[1], "rb").read()
frames, pos = [], 0
while pos + 12 <= len(data):
    kind, length = struct.unpack("<II", data[pos:pos + 8])
    if kind == 6:
        captured_len = struct.unpack("<I", data[pos + 20:pos + 24])[0]
        frames.append(data[pos + 28:pos + 28 + captured_len])
    pos += length
held, base = {}, {}
for frame in frames:
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    tcp = ip[ihl:]
    sport, dport, seq = struct.unpack("!HHI", tcp[:8])
    flags = tcp[13]
    key = (ip[12:16], sport, ip[16:20], dport)
    if flags & 0x02:
        if key in base:
            break  # the 4-tuple reused: the first connection is over
        base[key] = seq
        held[key] = set()
        continue
    if key not in base or flags & 0x04:
        continue
    doff = (tcp[12] >> 4) * 4
    captured = max(0, min(len(tcp), total - ihl) - doff)
    rel = (seq - base[key] - 1) % 2**32
    held[key].update(range(rel, rel + captured))
print(550 + 20 - sum(len(h) for h in held.values()))
PY
)
timeout 60 "$BIN" check "$LAB/lab_trunc.pcap" --expect "missing_bytes == 0" --format json >"$TMP/out" 2>"$TMP/err"
expect_rc 1 $?
has "$TMP/out" "\"observed\": \"${missing}B\""

finish reassemble
