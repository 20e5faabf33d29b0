#!/usr/bin/env bash
# End-to-end tests of `tcpflow-explain check` on the committed samples: passing and failing
# expectations, every quantifier, units, the reports (text, JSON, JUnit) and the exit codes
# 0 (all hold), 1 (one failed), 2 (usage, bad expectation, unreadable input).
#
# usage: check_e2e.sh TCPFLOW_EXPLAIN SOURCE_DIR
# Only facts that do not change when samples are regenerated are asserted (handshake, close
# kind, who reset, payload sizes of the fixed exchanges).
set -u

BIN=${1:?usage: check_e2e.sh BINARY SOURCE_DIR}
SRC=${2:?usage: check_e2e.sh BINARY SOURCE_DIR}
S=$SRC/samples
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

failures=0
n=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# run NAME EXPECTED_STATUS ARGS...: runs `check ARGS`, stdout to $TMP/out, stderr to $TMP/err.
run() {
    local name=$1 want=$2
    shift 2
    n=$((n + 1))
    timeout 60 "$BIN" check "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ "$got" -ne "$want" ]; then
        fail "$name: exit $got, expected $want"
        sed 's/^/    out: /' "$TMP/out" >&2
        sed 's/^/    err: /' "$TMP/err" >&2
        return 1
    fi
    return 0
}
# has FILE TEXT: FILE contains TEXT (fixed string).
has() {
    grep -qF -- "$2" "$1" || { fail "$CURRENT: '$2' not in $(basename "$1")"; sed 's/^/    /' "$1" >&2; }
}
hasnt() {
    if grep -qF -- "$2" "$1"; then fail "$CURRENT: '$2' unexpectedly in $(basename "$1")"; fi
}

# ---- passing expectations, one per predicate kind
CURRENT=pass-kinds
run $CURRENT 0 "$S/seed-pouet.pcap" \
    --expect 'handshake == complete' \
    --expect 'close == graceful|simultaneous' \
    --expect 'closed_by == client' \
    --expect 'retransmissions == 0' \
    --expect 'rst_count == 0 and rst_by == none' \
    --expect 'zero_window == 0 and duplicate_ack < 3' \
    --expect 'client_bytes == 6B and server_bytes == 0' \
    --expect 'packets == 8' \
    --expect 'handshake_rtt < 5ms and handshake_rtt > 0ns' \
    --expect 'duration < 10s' \
    --expect 'mss_client == 65495 and wscale_server != none' \
    --expect 'sack == true and timestamps == true' \
    --expect 'conn_state == SF' \
    --expect 'history ~ "^ShAD"' \
    --expect 'handshake ~ "SYN SYN-ACK ACK"' \
    --expect 'teardown ~ "FIN-ACK * ACK"' \
    --expect 'teardown !~ "* RST *"'
has "$TMP/out" "17 checks: 17 passed, 0 failed"
hasnt "$TMP/out" "FAIL"

# ---- the rules files in samples/
CURRENT=rules-web; run $CURRENT 0 "$S/seed-pouet.pcap" --rules "$S/expect-web-service.json"
has "$TMP/out" "PASS  closes gracefully, client first"
has "$TMP/out" "'tcp port 1025'"   # the file's BPF filter was used
CURRENT=rules-refused; run $CURRENT 0 "$S/refused.pcap" --rules "$S/expect-refused.json"
CURRENT=rules-reset; run $CURRENT 0 "$S/rst-abort.pcap" --rules "$S/expect-reset.json"
# The contract of a graceful service fails on the reset capture, with the RST shown.
CURRENT=rules-web-on-reset
run $CURRENT 1 "$S/rst-abort.pcap" --rules "$S/expect-web-service.json" 'tcp'
has "$TMP/out" "no connection selected"    # its selector (server port 1025) matches nothing

# ---- failing expectations show the connection and the segments that break them
CURRENT=fail-close
run $CURRENT 1 "$S/rst-abort.pcap" --expect 'close == graceful' --expect 'handshake == complete'
has "$TMP/out" "FAIL  close == graceful"
has "$TMP/out" "close is reset (expected close == graceful)"
has "$TMP/out" "C>S [R.]"
has "$TMP/out" "PASS  handshake == complete"
has "$TMP/out" "2 checks: 1 passed, 1 failed"

CURRENT=fail-teardown-sequence
run $CURRENT 1 "$S/seed-pouet.pcap" --expect 'teardown ~ "FIN-ACK ACK FIN-ACK ACK"'
has "$TMP/out" 'teardown is "FIN-ACK FIN-ACK ACK"'
has "$TMP/out" "[F.]"

CURRENT=fail-refused
run $CURRENT 1 "$S/refused.pcap" --expect 'handshake == complete' --expect 'handshake_rtt < 5ms'
has "$TMP/out" "handshake is refused"
has "$TMP/out" "handshake_rtt is none"
has "$TMP/out" "S>C [R.]"

CURRENT=fail-units
run $CURRENT 1 "$S/seed-pouet.pcap" --expect 'handshake_rtt < 1ns' --expect 'client_bytes > 1KB'
has "$TMP/out" "client_bytes is 6B (expected client_bytes > 1KB)"

# ---- quantifiers (port-reuse.pcap: two connections, same ports, both graceful)
CURRENT=q-all; run $CURRENT 0 "$S/port-reuse.pcap" --all --expect 'close == graceful'
has "$TMP/out" "all: 2 of 2 selected connections"
CURRENT=q-any; run $CURRENT 0 "$S/port-reuse.pcap" --any --expect 'handshake == complete'
CURRENT=q-any-fails; run $CURRENT 1 "$S/port-reuse.pcap" --any --expect 'close == reset'
CURRENT=q-count; run $CURRENT 0 "$S/port-reuse.pcap" --count 2 --expect 'handshake == complete'
CURRENT=q-count-0; run $CURRENT 0 "$S/port-reuse.pcap" --count 0 --expect 'close == reset'
CURRENT=q-count-fails; run $CURRENT 1 "$S/port-reuse.pcap" --count 1 --expect 'handshake == complete'
has "$TMP/out" "exactly 1: 2 of 2 selected connections"
CURRENT=q-select-id; run $CURRENT 0 "$S/port-reuse.pcap" --select 'id 2' --count 1 --expect 'close == graceful'
CURRENT=q-select-none; run $CURRENT 1 "$S/seed-pouet.pcap" --select 'server port 80' --expect 'close == graceful'
has "$TMP/out" "no connection selected"
CURRENT=q-bpf; run $CURRENT 1 "$S/seed-pouet.pcap" 'tcp port 9' --expect 'handshake == complete'

# ---- stdin
CURRENT=stdin
n=$((n + 1))
if ! timeout 60 "$BIN" check - --expect 'close == graceful' <"$S/seed-pouet.pcap" >"$TMP/out" 2>&1; then
    fail "$CURRENT: reading stdin"
fi

# ---- JUnit and JSON reports
CURRENT=junit
run $CURRENT 1 "$S/rst-abort.pcap" --expect 'close == graceful' --expect 'handshake == complete' \
    --expect 'retransmissions < 1' --junit "$TMP/report.xml"
python3 - "$TMP/report.xml" <<'EOF' || fail "junit: bad XML"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
cases = root.findall("./testsuite/testcase")
assert len(cases) == 3, len(cases)
fails = root.findall("./testsuite/testcase/failure")
assert len(fails) == 1, len(fails)
f = fails[0]
# frame 8 of rst-abort.pcap (tshark) is the client's RST-ACK, the first FIN or RST
assert f.get("message") == "close is reset (expected close == graceful): decided by frame 8: RST-ACK from the client", f.get("message")
assert "C>S [R.]" in f.text, f.text
assert root.get("failures") == "1" and root.get("tests") == "3", root.attrib
EOF

# ---- JUnit testcase names do not depend on the client's ephemeral port: the same exchange
# with every client port moved by 1000 (TCP checksums recomputed) gives the same names.
CURRENT=junit-stable-names
python3 - "$S/seed-pouet.pcap" "$TMP/moved-ports.pcap" <<'EOF' || fail "$CURRENT: cannot rewrite ports"
import struct, sys
data = open(sys.argv[1], "rb").read()
assert struct.unpack("<IHHiIII", data[:24])[6] == 1, "Ethernet captures only"
out, off, server = bytearray(data[:24]), 24, None
while off < len(data):
    _, _, incl, _ = struct.unpack("<IIII", data[off:off + 16])
    frame = bytearray(data[off + 16:off + 16 + incl])
    ip = 14
    assert frame[12:14] == b"\x08\x00" and frame[ip + 9] == 6, "IPv4 TCP only"
    tcp = ip + (frame[ip] & 0x0F) * 4
    sport, dport = struct.unpack(">HH", frame[tcp:tcp + 4])
    if server is None:
        server = dport  # the first frame is the client's SYN
    moved = lambda p: p if p == server else p + 1000
    struct.pack_into(">HH", frame, tcp, moved(sport), moved(dport))
    tcp_len = struct.unpack(">H", frame[ip + 2:ip + 4])[0] - (tcp - ip)
    struct.pack_into(">H", frame, tcp + 16, 0)
    seg = bytes(frame[ip + 12:ip + 20]) + struct.pack(">BBH", 0, 6, tcp_len) + bytes(frame[tcp:tcp + tcp_len])
    seg += b"\0" * (len(seg) % 2)
    total = sum(struct.unpack(">%dH" % (len(seg) // 2), seg))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    struct.pack_into(">H", frame, tcp + 16, ~total & 0xFFFF)
    out += data[off:off + 16] + frame
    off += 16 + incl
open(sys.argv[2], "wb").write(out)
EOF
run $CURRENT 0 "$S/seed-pouet.pcap" --expect 'close == graceful' --junit "$TMP/original.xml"
run $CURRENT 0 "$TMP/moved-ports.pcap" --expect 'close == graceful' --junit "$TMP/moved.xml"
run $CURRENT 0 "$TMP/moved-ports.pcap" --expect 'close == graceful' --format json
has "$TMP/out" '"client": "127.0.0.1:53200"'
python3 - "$TMP/original.xml" "$TMP/moved.xml" <<'EOF' || fail "$CURRENT: names differ"
import sys, xml.etree.ElementTree as ET
names = [[c.get("name") for c in ET.parse(f).getroot().iter("testcase")] for f in sys.argv[1:]]
assert names[0] == ["conn to 127.0.0.1:1025 #1"], names[0]
assert names[0] == names[1], names
EOF

CURRENT=json
run $CURRENT 1 "$S/rst-abort.pcap" --format json --expect 'close == graceful' --expect 'rst_by == client'
python3 - "$TMP/out" <<'EOF' || fail "json: bad report"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "tcpflow-explain/1" and d["type"] == "check"
assert d["passed"] is False and d["summary"] == {"checks": 2, "passed": 1, "failed": 1}, d["summary"]
c = d["checks"][0]
assert c["passed"] is False and c["quantifier"] == "all"
conn = c["connections"][0]
assert conn["breaks"] and conn["terms"][0]["observed"] == "reset"
assert any(s["flags"] == "RST-ACK" for s in conn["segments"]), conn["segments"]
assert d["checks"][1]["passed"] is True
EOF

# ---- evidence that points at the field. Facts of samples/loss-retrans.pcap read with tshark:
# the client (port 51654) sent payload in 31 segments, frames 4 to 53 (tcp.len > 0); the
# server's only payload is frame 62; tcp.analysis.ack_rtt gives frame 2 (the SYN-ACK)
# acknowledging frame 1 after 19.224 ms and frame 65 acknowledging frame 64 after 3 us, the
# smallest. The two larger ones tshark lists (frames 60 and 61) acknowledge ranges holding
# retransmitted bytes, which Karn's rule leaves out of the RTT statistics. The first FIN is
# frame 45, from the client; frame 2 completes no handshake, frame 3 does (its ACK).
CURRENT=evidence-frames
run $CURRENT 1 "$S/loss-retrans.pcap" --expect 'rtt_max < 1us' --expect 'rtt_min > 1s' \
    --expect 'client_bytes < 1B' --expect 'server_bytes > 1GB' --expect 'close == reset' \
    --expect 'handshake == refused'
has "$TMP/out" "(expected rtt_max < 1us): worst sample frame 1 acknowledged by frame 2 (19.22ms)"
has "$TMP/out" "(expected rtt_min > 1s): best sample frame 64 acknowledged by frame 65 (3us)"
has "$TMP/out" "(expected client_bytes < 1B): the client's data in 31 segments, frames 4 to 53"
has "$TMP/out" "(expected server_bytes > 1GB): the server's data in frame 62"
has "$TMP/out" "(expected close == reset): decided by frame 45: FIN-PSH-ACK from the client"
has "$TMP/out" "(expected handshake == refused): decided by frame 3: ACK from the client"
# A finding is never a bare code: the refusal's RST carries isn_inferred, with its sentence.
CURRENT=evidence-no-bare-code
run $CURRENT 1 "$S/refused.pcap" --expect 'handshake == complete'
has "$TMP/out" "! isn_inferred (no SYN of this side was captured"
run $CURRENT 1 "$S/loss-retrans.pcap" --expect 'retransmissions == 0' --expect 'duplicate_ack == 0'
if grep -E '! [a-z_]+( !|$)' "$TMP/out"; then fail "$CURRENT: a finding without its sentence"; fi

# ---- one root cause reported once: samples/refused.pcap is a SYN (frame 1) answered by a
# RST-ACK from the server's port 42001 (frame 2, as tshark numbers them). Four expectations it
# breaks name the cause; mss_client (the client's SYN: 65495) is a failure of its own.
CURRENT=cause-refused
REFUSED=(--expect 'handshake == complete' --expect 'close == graceful' --expect 'server_bytes > 0'
         --expect 'rst_count == 0' --expect 'mss_client == 1460')
run $CURRENT 1 "$S/refused.pcap" "${REFUSED[@]}" --junit "$TMP/refused.xml"
[ "$(grep -c '^CAUSE ' "$TMP/out")" = 1 ] || fail "$CURRENT: not one CAUSE"
has "$TMP/out" "CAUSE conn 1 was refused (frame 2: RST-ACK from the server)"
has "$TMP/out" "it breaks 4 checks:"
[ "$(grep -c 'refused, see CAUSE above' "$TMP/out")" = 4 ] || fail "$CURRENT: not 4 references to the cause"
has "$TMP/out" "mss_client is 65495 (expected mss_client == 1460)"
python3 - "$TMP/refused.xml" <<'EOF' || fail "$CURRENT: JUnit messages"
import sys, xml.etree.ElementTree as ET
msgs = {s.get("name"): s.find("testcase/failure").get("message") for s in ET.parse(sys.argv[1]).getroot()}
cause = "conn 1 was refused (frame 2: RST-ACK from the server): "
for name in ("handshake == complete", "close == graceful", "server_bytes > 0", "rst_count == 0"):
    assert msgs[name].startswith(cause), msgs[name]
assert msgs["mss_client == 1460"] == "mss_client is 65495 (expected mss_client == 1460)", msgs
EOF
run $CURRENT 1 "$S/refused.pcap" "${REFUSED[@]}" --format json
python3 - "$TMP/out" <<'EOF' || fail "$CURRENT: JSON causes"
import json, sys
d = json.load(open(sys.argv[1]))
(c,) = d["causes"]
assert (c["id"], c["kind"], c["frame"]) == (1, "refused", 2), c
assert c["breaks"] == ["handshake == complete", "close == graceful", "server_bytes > 0", "rst_count == 0"], c
assert [s["frame"] for s in c["segments"]] == [1, 2], c["segments"]
causes = [k["connections"][0]["cause"] for k in d["checks"]]
assert causes[:4] == [c["text"]] * 4 and causes[4] is None, causes
EOF

# ---- -w keeps the packets the check ran on, even when it fails; never over the input
CURRENT=write-failing
run $CURRENT 1 "$S/loss-retrans.pcap" --expect 'retransmissions == 0' -w "$TMP/kept.pcap"
python3 - "$S/loss-retrans.pcap" "$TMP/kept.pcap" <<'EOF' || fail "$CURRENT: -w did not keep every frame"
import struct, sys
def frames(path):
    data = open(path, "rb").read()
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    out, off = [], 24
    while off < len(data):
        incl = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        out.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return out
original, kept = frames(sys.argv[1]), frames(sys.argv[2])
assert len(original) > 0 and kept == original, (len(original), len(kept))
EOF
CURRENT=write-over-input
cp "$S/refused.pcap" "$TMP/in.pcap"
run $CURRENT 2 "$TMP/in.pcap" --expect 'handshake == complete' -w "$TMP/in.pcap"
has "$TMP/err" "it is the capture being read"
cmp -s "$S/refused.pcap" "$TMP/in.pcap" || fail "$CURRENT: the input was changed"

# ---- output paths are opened before the capture is read: exit 2, no report, a clear reason
CURRENT=junit-no-such-directory
run $CURRENT 2 "$S/refused.pcap" --expect 'handshake == complete' --junit "$TMP/nowhere/r.xml"
has "$TMP/err" "(--junit): No such file or directory (the directory '$TMP/nowhere' does not exist)"
[ -s "$TMP/out" ] && fail "$CURRENT: a report was printed"
CURRENT=write-to-a-directory
run $CURRENT 2 "$S/refused.pcap" --expect 'handshake == complete' -w "$TMP"
has "$TMP/err" "cannot write '$TMP' (-w): Is a directory (name a file, not a directory)"
[ -s "$TMP/out" ] && fail "$CURRENT: a report was printed"

# ---- exit 2: usage errors and bad expectations, before any capture is read
CURRENT=bad-field
run $CURRENT 2 "$TMP/does-not-exist.pcap" --expect 'handshak == complete'
has "$TMP/err" "unknown field 'handshak' (did you mean 'handshake'?)"
has "$TMP/err" "  ^~~~~~~~"
hasnt "$TMP/err" "cannot open"
CURRENT=bad-type; run $CURRENT 2 "$S/seed-pouet.pcap" --expect 'close < graceful'
has "$TMP/err" "operator '<' does not apply"
CURRENT=bad-unit; run $CURRENT 2 "$S/seed-pouet.pcap" --expect 'handshake_rtt < 5sec'
has "$TMP/err" "unknown duration unit 'sec'"
CURRENT=missing-unit; run $CURRENT 2 "$S/seed-pouet.pcap" --expect 'duration < 5'
has "$TMP/err" "give a unit"
CURRENT=bad-enum; run $CURRENT 2 "$S/seed-pouet.pcap" --expect 'close == clean'
has "$TMP/err" "unknown close value 'clean'"
CURRENT=bad-syntax; run $CURRENT 2 "$S/seed-pouet.pcap" --expect 'close = graceful'
has "$TMP/err" "use \`==\` to compare"
CURRENT=bad-flags; run $CURRENT 2 "$S/seed-pouet.pcap" --expect 'handshake ~ "SYN SYNACK ACK"'
has "$TMP/err" "did you mean 'SYN-ACK'"
CURRENT=bad-select; run $CURRENT 2 "$S/seed-pouet.pcap" --select 'prot 80' --expect 'close == graceful'
has "$TMP/err" "unknown selector 'prot'"
printf '{"checks": [{"name": "x", "expect": "retransmisions == 0"}]}' >"$TMP/bad.json"
CURRENT=bad-rules; run $CURRENT 2 "$S/seed-pouet.pcap" --rules "$TMP/bad.json"
has "$TMP/err" "checks[0] \"x\".expect: unknown field 'retransmisions'"
printf '{"checks": [\n  {"expect": "close == graceful",}\n]}' >"$TMP/broken.json"
CURRENT=broken-rules; run $CURRENT 2 "$S/seed-pouet.pcap" --rules "$TMP/broken.json"
has "$TMP/err" "broken.json:2:"
CURRENT=missing-rules; run $CURRENT 2 "$S/seed-pouet.pcap" --rules "$TMP/nope.json"
# ---- content fields, on the loopback captures of tests/data/content (make-captures.sh):
# a 48-byte "GET /index.html HTTP/1.1" answered by "HTTP/1.1 200 OK"; a TLS 1.3 handshake
# whose ClientHello names example.test.
C=$SRC/tests/data/content
CURRENT=content-http-pass; run $CURRENT 0 "$C/http-get.pcap" --rules "$C/expect-http.json"
CURRENT=content-http-fail; run $CURRENT 1 "$C/http-get.pcap" --rules "$C/expect-http-not-found.json"
has "$TMP/out" "http_status == 404"
has "$TMP/out" "200"
CURRENT=content-tls; run $CURRENT 0 "$C/tls-hello.pcap" \
    --expect 'content_client == tls_client_hello and tls_sni == example.test' \
    --expect 'tls_version == "TLS 1.3" and tls_sni ~ "\.test$" and http_status == none'
CURRENT=content-tls-wrong-name; run $CURRENT 1 "$C/tls-hello.pcap" --expect 'tls_sni == example.com'
has "$TMP/out" "example.test"
CURRENT=content-bad-kind; run $CURRENT 2 "$C/tls-hello.pcap" --expect 'content_server == tls_hello'

CURRENT=no-expect; run $CURRENT 2 "$S/seed-pouet.pcap"
CURRENT=no-capture; run $CURRENT 2 --expect 'close == graceful'
CURRENT=missing-file; run $CURRENT 2 "$TMP/does-not-exist.pcap" --expect 'close == graceful'
has "$TMP/err" "cannot open"
CURRENT=not-a-capture; run $CURRENT 2 "$S/README.md" --expect 'close == graceful'
CURRENT=bad-bpf; run $CURRENT 2 "$S/seed-pouet.pcap" 'tcp prt 80' --expect 'close == graceful'
CURRENT=conflicting-quantifiers; run $CURRENT 2 "$S/seed-pouet.pcap" --any --count 1 --expect 'close == graceful'
CURRENT=command-without-live; run $CURRENT 2 "$S/seed-pouet.pcap" --expect 'close == graceful' -- true
CURRENT=unknown-option; run $CURRENT 2 "$S/seed-pouet.pcap" --expect 'close == graceful' --frobnicate
# --list-fields lists exactly the fields the manual documents: the names after each .TP of
# its "Fields" section, and the finding codes listed under ".I finding code".
CURRENT=list-fields; run $CURRENT 0 --list-fields
awk '
    /^\.SS Fields/ { in_fields = 1; next }
    /^\.S[HS]/ { in_fields = 0 }
    !in_fields { next }
    /^\.TP/ { heading = 1; codes = 0; next }
    heading && /^\.I finding code/ { heading = 0; codes = 1; next }
    heading { heading = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[a-z_]+$/) print $i; next }
    codes && /^\.BR [a-z_]+ [,.]$/ { print $2 }
' "$SRC/docs/man/tcpflow-explain-check.1" | sort -u >"$TMP/documented"
awk '/^  [a-z_]+ / { print $1 }' "$TMP/out" | sort -u >"$TMP/listed"
[ "$(wc -l <"$TMP/documented")" -gt 100 ] || fail "$CURRENT: too few fields read from the manual"
comm -23 "$TMP/documented" "$TMP/listed" | sed 's/^/not listed: /' >"$TMP/missing"
comm -13 "$TMP/documented" "$TMP/listed" | sed 's/^/not in the manual: /' >>"$TMP/missing"
[ -s "$TMP/missing" ] && fail "$CURRENT: $(tr '\n' ';' <"$TMP/missing")"

echo "check_e2e: $n runs, $failures failure(s)"
[ "$failures" -eq 0 ]
