#!/usr/bin/env bash
# sv-tfo-syn-data-port-reuse-rawip.pcap of the corpus: two SYN-ACKs with different ISNs answer
# one SYN, the client acknowledges the second (frame 18), then a copy of the first arrives
# (frame 22). The server's stream must start at that acknowledged ISN: 6068 bytes from offset 0,
# nothing missing, the same bytes as tshark's Follow TCP Stream once its marker
# "[1180489186 bytes missing in capture file]" (tshark re-bases on the late SYN-ACK) is removed.
# Skipped (77) when the corpus is absent.
# Usage: stale_syn_ack_stream.sh BIN CORPUS_DIR
BIN=$1
CAPTURE=$2/pcaps/sv-tfo-syn-data-port-reuse-rawip.pcap
[ -f "$CAPTURE" ] || {
    echo "SKIP: $CAPTURE absent"
    exit 77
}
# shellcheck source=../support/testlib.sh
source "$(dirname "$0")/../support/testlib.sh"

CURRENT=server-stream
timeout 60 "$BIN" --summary "$CAPTURE" --write-streams "$TMP/s" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
SERVER=$TMP/s/017.253.144.010.00443-192.168.000.045.51615
[ "$(stat -c %s "$SERVER")" = 6068 ] || fail "server file is $(stat -c %s "$SERVER") bytes, not 6068"
# tshark 4.0.17's server bytes without its gap marker.
[ "$(sha256sum <"$SERVER" | cut -d' ' -f1)" = f5a5dddd419df87938ace328d3e73abd853e68ec07031b0c4177383a10a58c81 ] ||
    fail "server bytes differ from tshark's"
has "$TMP/s/streams.json" '"direction":"server","bytes":6068,"sha256":"f5a5dddd419df87938ace328d3e73abd853e68ec07031b0c4177383a10a58c81","missing_bytes":0'

CURRENT=follow-offset
timeout 60 "$BIN" "$CAPTURE" --follow 1 --follow-direction server >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
has "$TMP/out" '--- server 17.253.144.10:443 -> 192.168.0.45:51615, offset 0'
has "$TMP/out" '--- server: 6068 bytes, 0 missing in 0 ranges'

finish stale_syn_ack_stream
