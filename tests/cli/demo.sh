#!/usr/bin/env bash
# `tcpflow-explain demo NAME`, as root (exits 77, skipped, otherwise, or when lo cannot be
# captured): each demo's walkthrough shows what its exchange must show by TCP's rules (RFC 9293
# states, the bytes the demo sends, Zeek's conn_state), not bytes copied from a run;
# -w keeps a capture the main command reads; the temporary capture is removed; the demo leaves
# no socket behind; every run ends within its timeout.
#
# usage: demo.sh TCPFLOW_EXPLAIN SOURCE_DIR
set -u

BIN=${1:?usage: demo.sh BINARY SOURCE_DIR}
SRC=${2:?usage: demo.sh BINARY SOURCE_DIR}

# shellcheck source-path=SCRIPTDIR source=../support/testlib.sh
. "$SRC/tests/support/testlib.sh"
skip() {
    echo "demo: $*: skipped"
    exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root (a live capture on lo, a private network namespace)"
for tool in python3 timeout ss; do command -v "$tool" >/dev/null || skip "$tool missing"; done

# The demos' temporary captures go here, so the test sees whether they are removed.
mkdir "$TMP/tmp"
export TMPDIR=$TMP/tmp

# Runs `tcpflow-explain demo ARGS...` into $TMP/out and $TMP/err, within 20 s; its status.
demo() {
    timeout 20 "$BIN" demo "$@" >"$TMP/out" 2>"$TMP/err"
}

# Checks the JSON walkthrough in $TMP/out with the Python statements on stdin (read through
# descriptor 3: the program itself comes on Python's standard input), which see
# `c`, the one conversation, `flags` (each segment's flags), `states` (each endpoint's chain of
# states) and `fail(message)`.
check_json() {
    python3 - "$TMP/out" "$1" 3<&0 <<'EOF' || fail "JSON checks failed"
import json, sys
doc = json.load(open(sys.argv[1]))
name = sys.argv[2]
problems = []
def fail(message):
    problems.append(message)
convs = doc["conversations"]
if len(convs) != 1:
    print(f"{name}: {len(convs)} conversations, expected 1", file=sys.stderr)
    sys.exit(1)
c = convs[0]
flags = [s["flags"] for s in c["segments"]]
states = {"client": [], "server": []}
for s in c["segments"]:
    for change in s["state_changes"]:
        states[change["endpoint"]].append(change["to"])
exec(open(3).read())
for p in problems:
    print(f"{name}: {p}", file=sys.stderr)
if problems:
    print(f"{name}: flags {flags}; states {states}", file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
}

elapsed_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# ---- can this machine capture on lo at all?
demo refused --host-loopback -F json
rc=$?
if [ $rc -eq 7 ] || [ $rc -eq 3 ] && grep -q "cannot capture on 'lo'" "$TMP/err"; then
    skip "cannot capture on lo here ($(head -1 "$TMP/err"))"
fi

# ---- --list and usage errors
CURRENT=list_names_every_demo
demo --list
expect_rc 0 $?
for name in handshake refused half-close rst-abort simultaneous-close; do has "$TMP/out" "$name "; done

CURRENT=unknown_demo_is_a_usage_error_with_the_list
demo pouet
expect_rc 2 $?
has "$TMP/err" "no demo named 'pouet'"
has "$TMP/err" "half-close"

CURRENT=i_and_Z_are_refused
demo handshake -i eth0
expect_rc 2 $?
has "$TMP/err" "tcpflow-explain: error: demo captures on its own loopback: no -i"
has "$TMP/err" "Run 'tcpflow-explain demo --help' for the options."
demo handshake -Z nobody
expect_rc 2 $?

# ---- the demo's own sentences in French (the walkthrough's are tested with the main command)
CURRENT=list_and_usage_errors_in_french
TFX_LANG=fr demo --list
expect_rc 0 $?
has "$TMP/out" "handshake           echo pouet | nc"$'\xe2\x80\xaf'": poignée de main en trois temps, 6 octets de données"
has "$TMP/out" "refused             un SYN vers un port où personne n'écoute"
demo pouet --lang fr
expect_rc 2 $?
has "$TMP/err" "tcpflow-explain"$'\xe2\x80\xaf'": erreur"$'\xe2\x80\xaf'": aucune démo ne s'appelle 'pouet'"
has "$TMP/err" "Les démos"$'\xe2\x80\xaf'":"
has "$TMP/err" "rst-abort           une ligne renvoyée en écho"
demo handshake -i eth0 --lang fr
expect_rc 2 $?
has "$TMP/err" "la démo capture sur sa propre interface de bouclage"$'\xe2\x80\xaf'": pas de -i"
has "$TMP/err" "Lancez «"$'\xe2\x80\xaf'"tcpflow-explain demo --help"$'\xe2\x80\xaf'"» pour la liste des options."
# --lang may come before the demo's name, as before --help and --list.
demo --lang fr --help
expect_rc 0 $?
has "$TMP/out" "utilisation"$'\xe2\x80\xaf'": tcpflow-explain demo NOM [--host-loopback] [-w FICHIER]"
demo --lang=fr --list
expect_rc 0 $?
has "$TMP/out" "refused             un SYN vers un port où personne n'écoute"

# ---- handshake: `echo pouet | nc`, RFC 9293 section 3.5's three-way handshake and close
CURRENT=handshake_json
start=$(date +%s%N)
demo handshake -F json -X
expect_rc 0 $?
[ "$(elapsed_since "$start")" -lt 10000 ] || fail "took $(elapsed_since "$start") ms"
check_json handshake <<'EOF'
# Linux on lo: the data is pushed before shutdown(), so the FIN rides alone; the server's FIN
# carries the ACK of the client's. 8 segments, as samples/seed-pouet.pcap (nc) has.
want = ["SYN", "SYN-ACK", "ACK", "PSH-ACK", "ACK", "FIN-ACK", "FIN-ACK", "ACK"]
if flags != want: fail(f"flags {flags}, expected {want}")
data = [s for s in c["segments"] if s["len"] > 0]
if [(s["sender"], s.get("payload_hex")) for s in data] != [("client", "pouet\n".encode().hex())]:
    fail("the only payload is not the client's 'pouet\\n'")
if c["client_to_server"]["unique_bytes"] != 6 or c["server_to_client"]["unique_bytes"] != 0:
    fail("bytes each way are not 6 and 0")
if c["client_to_server"]["final_state"] != "TIME-WAIT": fail("the client does not end in TIME-WAIT")
if c["server_to_client"]["final_state"] != "CLOSED": fail("the server does not end CLOSED")
if states["client"] != ["SYN-SENT", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT"]:
    fail("client states")
if states["server"] != ["SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT", "LAST-ACK", "CLOSED"]:
    fail("server states")
if c["conn_state"] != "SF": fail(f"conn_state {c['conn_state']}")
if c["close"] != "graceful" or c["closed_by"] != "client": fail("not closed gracefully by the client")
if c["client"].split(":")[0] != "127.0.0.1" or c["server"].split(":")[0] != "127.0.0.1": fail("not on 127.0.0.1")
EOF
hasnt "$TMP/err" "error"

CURRENT=handshake_text
demo handshake --color never
expect_rc 0 $?
grep -Eq "^tcpflow-explain: demo handshake on 127\.0\.0\.1 port [0-9]+, captured on (the lo of a private network namespace|the host's lo)$" "$TMP/err" ||
    fail "no line saying where the demo was captured: $(cat "$TMP/err")"
has "$TMP/out" "The client sends 6 bytes of data"
has "$TMP/out" "final states: client TIME-WAIT, server CLOSED; Zeek conn_state SF"
has "$TMP/out" "Capture: 8 frames, 8 TCP segments in 1 connection"
hasnt "$TMP/out" $'\e['
[ -z "$(ls -A "$TMP/tmp")" ] || fail "the temporary capture was left: $(ls -A "$TMP/tmp")"

CURRENT=handshake_text_in_french
demo --lang fr handshake --color never
expect_rc 0 $?
grep -Eq "^tcpflow-explain"$'\xe2\x80\xaf'": démo handshake sur 127\.0\.0\.1 port [0-9]+, capturée sur le lo (d'un espace de noms réseau privé|de la machine)$" "$TMP/err" ||
    fail "no French line saying where the demo was captured: $(cat "$TMP/err")"
has "$TMP/out" "Le client envoie 6 octets de données"

# ---- refused: RFC 9293 section 3.10.7.1, a SYN to a CLOSED port is answered by RST-ACK
CURRENT=refused
demo refused -F json
expect_rc 0 $?
check_json refused <<'EOF'
if flags != ["SYN", "RST-ACK"]: fail(f"flags {flags}")
if c["conn_state"] != "REJ": fail(f"conn_state {c['conn_state']}")
if c["segments"][1]["meaning"] != "refused": fail("the RST-ACK is not read as a refusal")
EOF
demo refused --color never
expect_rc 0 $?
has "$TMP/out" "refused"

# ---- half-close: the server sends after the client's FIN, from CLOSE-WAIT
CURRENT=half_close
demo half-close -F json -X
expect_rc 0 $?
check_json half-close <<'EOF'
segs = c["segments"]
fin = next((i for i, s in enumerate(segs) if s["sender"] == "client" and "FIN" in s["flags"]), None)
if fin is None: fail("no FIN from the client")
else:
    after = [s for s in segs[fin + 1:] if s["sender"] == "server" and s["len"] > 0]
    answer = b"answer, sent after your FIN\n".hex()
    if [s.get("payload_hex") for s in after] != [answer]: fail("the server's answer is not after the client's FIN")
if not c["data_after_close"]: fail("data_after_close is false")
if states["server"][:4] != ["SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT", "LAST-ACK"]: fail("server states")
if c["conn_state"] != "SF": fail(f"conn_state {c['conn_state']}")
EOF

# ---- rst-abort: SO_LINGER {on, 0} then close(): a RST from the client, never a FIN
CURRENT=rst_abort
demo rst-abort -F json
expect_rc 0 $?
check_json rst-abort <<'EOF'
rsts = [s for s in c["segments"] if "RST" in s["flags"]]
if [s["sender"] for s in rsts] != ["client"]: fail("not one RST, from the client")
if any("FIN" in f for f in flags): fail("a FIN was sent")
if c["client_to_server"]["unique_bytes"] != 6 or c["server_to_client"]["unique_bytes"] != 6:
    fail("the echoed line is not 6 bytes each way")
if states["server"][-1:] != ["CLOSED"]: fail("the RST does not close the server")
EOF

# ---- simultaneous-close: RFC 9293 Figure 13, both FIN-WAIT-1 -> CLOSING -> TIME-WAIT
CURRENT=simultaneous_close
demo simultaneous-close -F json
rc=$?
if [ $rc -eq 3 ]; then
    has "$TMP/err" "samples/simultaneous-close.pcap"
    echo "demo: simultaneous-close cannot run here: $(head -1 "$TMP/err")"
else
    expect_rc 0 $rc
    check_json simultaneous-close <<'EOF'
for side in ("client", "server"):
    if states[side][-3:] != ["FIN-WAIT-1", "CLOSING", "TIME-WAIT"]: fail(f"{side} states {states[side]}")
if c["close"] != "simultaneous": fail(f"close {c['close']}")
if any(k in c["findings"] for k in ("retransmission", "duplicate_ack")): fail(f"findings {c['findings']}")
EOF
fi

# ---- -w FILE keeps the capture, and the main command reads it
CURRENT=w_keeps_a_capture_the_main_command_reads
demo handshake --summary -w "$TMP/kept.pcap"
expect_rc 0 $?
timeout 20 "$BIN" "$TMP/kept.pcap" -F json >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
check_json kept <<'EOF'
if len(flags) != 8 or flags[3] != "PSH-ACK" or c["conn_state"] != "SF": fail(f"flags {flags}")
EOF
[ -z "$(ls -A "$TMP/tmp")" ] || fail "a temporary file was left: $(ls -A "$TMP/tmp")"

# ---- no socket left behind: in its own namespace nothing of the demo shows on the host; on
# the host's lo (--host-loopback) only the client's TIME-WAIT (the kernel's, for 60 s) remains.
# Sockets are matched on the demo's two ports, so other tests' traffic on the host's lo (which
# may use either port on its own) is not taken for the demo's.
demo_ports() {
    python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))["conversations"][0]
print(c["client"].rsplit(":", 1)[1], c["server"].rsplit(":", 1)[1])' "$TMP/out"
}
demo_sockets() {  # CLIENT_PORT SERVER_PORT
    ss -tanH "( sport = :$1 and dport = :$2 ) or ( sport = :$2 and dport = :$1 ) or ( sport = :$2 and dport = :0 )"
}
CURRENT=private_namespace_leaves_nothing_on_the_host
demo handshake -F json
expect_rc 0 $?
if grep -q "private network namespace" "$TMP/err"; then
    read -r cport sport < <(demo_ports)
    left=$(demo_sockets "$cport" "$sport")
    [ -z "$left" ] || fail "the demo's sockets on the host (ports $cport, $sport): $left"
fi
CURRENT=host_loopback_leaves_only_time_wait
demo handshake --host-loopback -F json
expect_rc 0 $?
has "$TMP/err" "the host's lo"
read -r cport sport < <(demo_ports)
left=$(demo_sockets "$cport" "$sport" | grep -v '^TIME-WAIT')
[ -z "$left" ] || fail "sockets other than TIME-WAIT (ports $cport, $sport): $left"
check_json host-loopback <<'EOF'
if len(flags) != 8: fail(f"flags {flags}: other traffic on the host's lo got in")
EOF

finish demo
