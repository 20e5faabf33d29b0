#!/usr/bin/env bash
# --write-streams and --follow end to end: the bytes each side sent, rebuilt into files, checked against
# what is known of the captures (samples/README.md, tests/data/lab/README.md) and against
# tshark's Follow TCP Stream when tshark is installed; streams.json checked against the files;
# the directory and its files safe against links, existing files and FIFOs.
#
# usage: write_streams.sh TCPFLOW_EXPLAIN SOURCE_DIR
set -u

BIN=${1:?usage: write_streams.sh BINARY SOURCE_DIR}
SRC=${2:?usage: write_streams.sh BINARY SOURCE_DIR}
S=$SRC/samples
LAB=$SRC/tests/data/lab
# shellcheck source-path=SCRIPTDIR source=../support/testlib.sh
. "$SRC/tests/support/testlib.sh"

# rows DIR: checks streams.json against the files (size, SHA-256, the missing ranges adding
# up) and prints one line per row: "connection direction bytes missing_bytes file".
rows() {
    python3 - "$1" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
rows = json.load(open(os.path.join(d, "streams.json")))
bad = 0
for r in rows:
    path = os.path.join(d, r["file"])
    data = open(path, "rb").read()
    problems = []
    if len(data) != r["bytes"]:
        problems.append(f"size {len(data)} != bytes {r['bytes']}")
    if hashlib.sha256(data).hexdigest() != r["sha256"]:
        problems.append("sha256 differs from the file's")
    if len(r["missing"]) == r["missing_ranges"] and sum(g["length"] for g in r["missing"]) != r["missing_bytes"]:
        problems.append("missing ranges do not add up to missing_bytes")
    if r["direction"] not in ("client", "server"):
        problems.append("direction " + r["direction"])
    for p in problems:
        print(f"BAD {r['file']}: {p}", file=sys.stderr)
    bad += len(problems)
    print(r["connection"], r["direction"], r["bytes"], r["missing_bytes"], r["file"])
listed = sorted(os.listdir(d))
named = sorted([r["file"] for r in rows] + ["streams.json"])
if listed != named:
    print(f"BAD files in the directory {listed} != rows {named}", file=sys.stderr)
    bad += 1
sys.exit(1 if bad else 0)
PY
}

# row_field DIR CONNECTION DIRECTION FIELD: one field of one row.
row_field() {
    python3 -c '
import json, sys
for r in json.load(open(sys.argv[1] + "/streams.json")):
    if r["connection"] == int(sys.argv[2]) and r["direction"] == sys.argv[3]:
        print(r[sys.argv[4]])
' "$@"
}

# tshark_follow CAPTURE STREAM NODE OUT: the bytes tshark's Follow TCP Stream shows for node
# 0 (the first endpoint) or 1 of tcp.stream STREAM, concatenated.
tshark_follow() {
    tshark -r "$1" -q -z "follow,tcp,raw,$2" 2>/dev/null | python3 -c '
import sys
node = int(sys.argv[1])
out = bytearray()
for line in sys.stdin:
    line = line.rstrip("\n")
    if not line or line.startswith(("=", "Follow:", "Filter:", "Node ")):
        continue
    if line.startswith("\t") == (node == 1):
        out += bytes.fromhex(line.strip())
sys.stdout.buffer.write(out)
' "$3" >"$4"
}

# ---- the classic capture: the client sent "pouet\n", the server nothing
CURRENT=seed_pouet_client_file_is_pouet
timeout 60 "$BIN" "$S/seed-pouet.pcap" --write-streams "$TMP/pouet" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
rows "$TMP/pouet" >"$TMP/rows" || fail "streams.json disagrees with the files"
[ "$(wc -l <"$TMP/rows")" -eq 1 ] || fail "expected one row (the server sent nothing): $(cat "$TMP/rows")"
client=$(row_field "$TMP/pouet" 1 client file)
printf 'pouet\n' >"$TMP/expected"
cmp -s "$TMP/expected" "$TMP/pouet/$client" || fail "the client's file is not 'pouet\\n'"
want=$(sha256sum "$TMP/expected" | cut -d' ' -f1)
[ "$(row_field "$TMP/pouet" 1 client sha256)" = "$want" ] || fail "sha256 is not that of 'pouet\\n'"
[ "$(row_field "$TMP/pouet" 1 client bytes)" = 6 ] || fail "bytes is not 6"
[ "$(row_field "$TMP/pouet" 1 client missing_bytes)" = 0 ] || fail "missing_bytes is not 0"
# tcpflow's name: addresses zero-padded to 3 digits, ports to 5, client to server (port 1025).
case $client in 127.000.000.001.[0-9][0-9][0-9][0-9][0-9]-127.000.000.001.01025) ;;
    *) fail "file name $client is not tcpflow's" ;;
esac

CURRENT=the_walkthrough_output_is_unchanged
timeout 60 "$BIN" "$S/seed-pouet.pcap" >"$TMP/plain" 2>&1
cmp -s "$TMP/plain" "$TMP/out" || fail "stdout differs with --write-streams"

# ---- SYN-less start: 3 rounds of 32 bytes each way, the capture started after the handshake
CURRENT=midstream_streams_start_at_the_first_byte_seen
timeout 60 "$BIN" --summary "$S/midstream.pcap" --write-streams "$TMP/mid" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
rows "$TMP/mid" >"$TMP/rows" || fail "streams.json disagrees with the files"
for side in client server; do
    [ "$(row_field "$TMP/mid" 1 $side bytes)" = 96 ] || fail "$side: $(row_field "$TMP/mid" 1 $side bytes) bytes, 96 sent"
    [ "$(row_field "$TMP/mid" 1 $side missing_bytes)" = 0 ] || fail "$side: bytes missing"
done

# ---- headers-only captures (-s 128): every byte sent is either in the file or missing
CURRENT=snaplen_cut_bytes_are_counted_missing
for pair in loss-retrans:40000 reorder:30000; do
    name=${pair%%:*} sent=${pair#*:}
    timeout 60 "$BIN" --summary "$S/$name.pcap" --write-streams "$TMP/$name" >"$TMP/out" 2>"$TMP/err"
    expect_rc 0 $?
    rows "$TMP/$name" >"$TMP/rows" || fail "$name: streams.json disagrees with the files"
    b=$(row_field "$TMP/$name" 1 client bytes)
    m=$(row_field "$TMP/$name" 1 client missing_bytes)
    [ $((b + m)) -eq "$sent" ] || fail "$name: $b bytes + $m missing != $sent sent"
    [ "$m" -gt 0 ] || fail "$name: nothing missing in a headers-only capture"
    grep -q '"reason":"snaplen-cut"' "$TMP/$name/streams.json" || fail "$name: no snaplen-cut range"
    # Every segment was captured (at the sender before the loss, at the receiver after the
    # reordering): nothing is missing for another reason than the snaplen.
    grep -q '"reason":"never-captured"' "$TMP/$name/streams.json" && fail "$name: a gap never captured"
done

# reorder.pcap: the bridge held 2 data segments (the 6th and 16th) while 3 later ones passed.
# With room for 1 out-of-order byte, each of those 2 holes is given up when the next segment
# arrives; by default both fill.
CURRENT=stream_buffer_bound_gives_up_the_held_gaps
for option in --stream-buffer --stream-memory; do
    rm -rf "$TMP/bound"
    timeout 60 "$BIN" --summary "$S/reorder.pcap" --write-streams "$TMP/bound" $option 1 >"$TMP/out" 2>"$TMP/err"
    expect_rc 0 $?
    rows "$TMP/bound" >"$TMP/rows" || fail "$option: streams.json disagrees with the files"
    n=$(grep -o '"reason":"buffer-limit"' "$TMP/bound/streams.json" | wc -l)
    [ "$n" -eq 2 ] || fail "$option 1: $n buffer-limit gaps, 2 segments were held"
    b=$(row_field "$TMP/bound" 1 client bytes)
    m=$(row_field "$TMP/bound" 1 client missing_bytes)
    [ $((b + m)) -eq 30000 ] || fail "$option 1: $b + $m != 30000"
done
grep -q '"reason":"buffer-limit"' "$TMP/reorder/streams.json" && fail "buffer-limit gaps with the default bound"

# ---- full captures with loss, retransmission, reordering and zero windows: whole streams
CURRENT=full_captures_rebuild_every_byte_sent
timeout 60 "$BIN" --summary "$S/zero-window.pcap" --write-streams "$TMP/zw" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
rows "$TMP/zw" >"$TMP/rows" || fail "zero-window: streams.json disagrees with the files"
[ "$(row_field "$TMP/zw" 1 client bytes)" = 12000 ] || fail "zero-window: the sender pushed 12000 bytes"
[ "$(row_field "$TMP/zw" 1 client missing_bytes)" = 0 ] || fail "zero-window: bytes missing"
timeout 60 "$BIN" --summary "$S/keepalive.pcap" --write-streams "$TMP/ka" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
rows "$TMP/ka" >"$TMP/rows" || fail "keepalive: streams.json disagrees with the files"
[ "$(row_field "$TMP/ka" 1 client bytes)" = 6 ] || fail "keepalive: a 6-byte ping (keep-alive probes add none)"
[ "$(row_field "$TMP/ka" 1 server bytes)" = 12 ] || fail "keepalive: a 12-byte reply"

# The lab capture: 1:551 from the client (a hole filled by a fast retransmission, a spurious
# retransmission, a zero-window probe byte sent again), 1:21 from the server sent three times.
CURRENT=lab_capture_streams
for threads in 1 auto; do
    timeout 60 "$BIN" --summary --threads $threads "$LAB/lab.pcap" --write-streams "$TMP/lab-$threads" \
        >"$TMP/out" 2>"$TMP/err"
    expect_rc 0 $?
done
rows "$TMP/lab-1" >"$TMP/rows" || fail "lab: streams.json disagrees with the files"
[ "$(row_field "$TMP/lab-1" 1 client bytes)" = 550 ] || fail "lab: the client sent 1:551, 550 bytes"
[ "$(row_field "$TMP/lab-1" 1 server bytes)" = 20 ] || fail "lab: the server sent 1:21, 20 bytes"
[ "$(row_field "$TMP/lab-1" 1 client missing_bytes)" = 0 ] || fail "lab: the hole was filled"
diff -r "$TMP/lab-1" "$TMP/lab-auto" >/dev/null || fail "lab: --threads 1 and auto wrote different streams"

CURRENT=streams_agree_with_tshark_follow
if command -v tshark >/dev/null 2>&1; then
    # CAPTURE:connection (tshark's tcp.stream is the connection number less 1)
    for pair in "$LAB/lab.pcap:1" "$S/zero-window.pcap:1" "$S/keepalive.pcap:1" "$S/seed-pouet.pcap:1"; do
        cap=${pair%:*} conn=${pair##*:}
        out=$TMP/cmp-$(basename "$cap" .pcap)
        timeout 60 "$BIN" --summary "$cap" --write-streams "$out" >"$TMP/out" 2>"$TMP/err"
        expect_rc 0 $?
        for node in 0 1; do
            tshark_follow "$cap" $((conn - 1)) $node "$TMP/tshark.$node"
            side=$([ $node = 0 ] && echo client || echo server)
            file=$(row_field "$out" "$conn" "$side" file)
            if [ -z "$file" ]; then
                [ -s "$TMP/tshark.$node" ] && fail "$(basename "$cap"): tshark shows $side bytes, we wrote none"
            elif ! cmp -s "$TMP/tshark.$node" "$out/$file"; then
                fail "$(basename "$cap"): the $side stream differs from tshark's Follow TCP Stream"
            fi
        done
    done
else
    echo "write_streams: $CURRENT skipped: tshark is not installed (the byte counts above still hold)"
fi

# ---- a crafted capture: handshake, 10 bytes with control characters, then the same sequence
# number again with other bytes (an injection): the first copy is kept and the other reported
PYTHONPATH="$SRC/tests/support" python3 - "$TMP/crafted.pcap" <<'PY'
import sys
from crafted_pcap import CraftedPcap
with CraftedPcap(sys.argv[1]) as pcap:
    c, s = [10, 0, 0, 1], [10, 0, 0, 2]
    pcap.seg(1, c, s, 40000, 80, 1000, 0, 0x02)
    pcap.seg(2, s, c, 80, 40000, 5000, 1001, 0x12)
    pcap.seg(3, c, s, 40000, 80, 1001, 5001, 0x10)
    pcap.seg(4, c, s, 40000, 80, 1001, 5001, 0x18, b"a\x1b[31mb\\c\n")
    pcap.seg(5, c, s, 40000, 80, 1001, 5001, 0x18, b"a\x1b[31mX\\c\n")
PY
printf 'a\033[31mb\\c\n' >"$TMP/crafted.expected"
CURRENT=inconsistent_retransmission_keeps_the_first_copy
timeout 30 "$BIN" --summary "$TMP/crafted.pcap" --write-streams "$TMP/crafted" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
rows "$TMP/crafted" >"$TMP/rows" || fail "streams.json disagrees with the files"
cmp -s "$TMP/crafted.expected" "$TMP/crafted/$(row_field "$TMP/crafted" 1 client file)" ||
    fail "the file is not the first copy"
[ "$(row_field "$TMP/crafted" 1 client inconsistent_retransmissions)" = 1 ] || fail "not reported inconsistent"
[ "$(row_field "$TMP/crafted" 1 client inconsistent_bytes)" = 1 ] || fail "one byte (b/X) differs"

# ---- a reused 4-tuple: the second connection's files get the connection number
CURRENT=port_reuse_names_the_second_connection
timeout 60 "$BIN" --summary "$S/port-reuse.pcap" --write-streams "$TMP/reuse" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
rows "$TMP/reuse" >"$TMP/rows" || fail "streams.json disagrees with the files"
first=$(row_field "$TMP/reuse" 1 client file)
second=$(row_field "$TMP/reuse" 2 client file)
if [ -z "$first" ] || [ "$second" != "${first}c2" ]; then fail "names: '$first' then '$second'"; fi

# ---- path safety
CURRENT=directory_symlink_is_refused
mkdir "$TMP/real"
ln -s "$TMP/real" "$TMP/link"
timeout 30 "$BIN" --summary "$S/seed-pouet.pcap" --write-streams "$TMP/link" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
has "$TMP/err" "symbolic link"
[ -z "$(ls -A "$TMP/real")" ] || fail "something was written through the link"

CURRENT=existing_file_is_kept_without_force
mkdir "$TMP/keep"
echo keep >"$TMP/keep/$client"
timeout 30 "$BIN" --summary "$S/seed-pouet.pcap" --write-streams "$TMP/keep" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
has "$TMP/err" "exists already"
[ "$(cat "$TMP/keep/$client")" = keep ] || fail "the existing file was changed"
timeout 30 "$BIN" --summary "$S/seed-pouet.pcap" --write-streams "$TMP/pouet" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
has "$TMP/err" "streams.json"

CURRENT=force_overwrites
timeout 30 "$BIN" --summary "$S/seed-pouet.pcap" --write-streams "$TMP/keep" --force >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $?
cmp -s "$TMP/expected" "$TMP/keep/$client" || fail "--force did not rewrite the file"
timeout 30 "$BIN" --summary "$S/seed-pouet.pcap" --force >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?

CURRENT=fifo_under_a_file_name_is_refused_without_hanging
for force in "" --force; do
    rm -rf "$TMP/fifo"
    mkdir "$TMP/fifo"
    mkfifo "$TMP/fifo/$client"
    timeout 30 "$BIN" --summary "$S/seed-pouet.pcap" --write-streams "$TMP/fifo" $force >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ $rc -eq 124 ] && fail "hung on the FIFO ($force)"
    [ $rc -eq 2 ] || [ $rc -eq 8 ] || fail "exit $rc on a FIFO ($force)"
    [ -p "$TMP/fifo/$client" ] || fail "the FIFO was replaced ($force)"
done

CURRENT=streams_json_symlink_is_not_followed
mkdir "$TMP/planted"
echo target >"$TMP/target"
ln -s "$TMP/target" "$TMP/planted/streams.json"
timeout 30 "$BIN" --summary "$S/seed-pouet.pcap" --write-streams "$TMP/planted" --force >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
[ "$(cat "$TMP/target")" = target ] || fail "written through the link"

CURRENT=the_input_is_never_overwritten
mkdir "$TMP/self"
cp "$S/seed-pouet.pcap" "$TMP/self/$client"
timeout 30 "$BIN" --summary "$TMP/self/$client" --write-streams "$TMP/self" --force >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
has "$TMP/err" "it is the capture being read"
cmp -s "$S/seed-pouet.pcap" "$TMP/self/$client" || fail "the input was changed"

# ---- --follow: one connection's conversation, in the order it happened
CURRENT=follow_text_shows_each_direction_in_order
timeout 30 "$BIN" "$S/keepalive.pcap" --follow 1 >"$TMP/follow" 2>"$TMP/err"
expect_rc 0 $?
# The client's 6-byte ping came before the server's 12-byte reply.
grep -n '^--- ' "$TMP/follow" | head -2 | cut -d' ' -f2 | tr '\n' ' ' | grep -qx 'client server ' ||
    fail "the client's run does not come first: $(grep '^--- ' "$TMP/follow")"
has "$TMP/follow" "--- client: 6 bytes, 0 missing in 0 ranges"
has "$TMP/follow" "--- server: 12 bytes, 0 missing in 0 ranges"

CURRENT=follow_text_of_pouet
timeout 30 "$BIN" "$S/seed-pouet.pcap" --follow 1 >"$TMP/follow" 2>"$TMP/err"
expect_rc 0 $?
has "$TMP/follow" "-> 127.0.0.1:1025, offset 0"
has "$TMP/follow" "pouet"
hasnt "$TMP/follow" "--- server"

CURRENT=follow_hex_of_pouet
timeout 30 "$BIN" "$S/seed-pouet.pcap" --follow 1 --follow-format hex >"$TMP/follow" 2>"$TMP/err"
expect_rc 0 $?
has "$TMP/follow" "00000000  70 6f 75 65 74 0a"

CURRENT=follow_raw_writes_one_direction_exactly
timeout 30 "$BIN" "$S/seed-pouet.pcap" --follow 1 --follow-format raw --follow-direction client \
    >"$TMP/follow" 2>"$TMP/err"
expect_rc 0 $?
cmp -s "$TMP/expected" "$TMP/follow" || fail "raw client bytes are not 'pouet\\n'"
timeout 30 "$BIN" "$S/seed-pouet.pcap" --follow 1 --follow-format raw >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?
has "$TMP/err" "--follow-direction"

CURRENT=follow_text_escapes_control_bytes
timeout 30 "$BIN" "$TMP/crafted.pcap" --follow 1 >"$TMP/follow" 2>"$TMP/err"
expect_rc 0 $?
has "$TMP/follow" 'a\x1b[31mb\\c'
if LC_ALL=C grep -qP '\x1b' "$TMP/follow"; then fail "an ESC byte reached the output"; fi

CURRENT=follow_and_write_streams_are_not_used_together
timeout 30 "$BIN" "$S/seed-pouet.pcap" --follow 1 --write-streams "$TMP/both" >"$TMP/out" 2>"$TMP/err"
expect_rc 2 $?

# ---- --follow and streams.json in French: headings, gaps, notes and totals in the run's language
NNBSP=$'\xe2\x80\xaf'
CURRENT=follow_speaks_french
timeout 30 "$BIN" --lang fr "$S/capture-drop.pcap" --follow 1 >"$TMP/follow" 2>"$TMP/err"
expect_rc 0 $?
has "$TMP/follow" "--- client 127.0.0.1:43914 -> 127.0.0.1:42017, à partir de l'octet 0 du flux"
has "$TMP/follow" "--- client${NNBSP}: 970 octets manquent à partir de l'octet 30 du flux (coupés par le snaplen)"
hasnt "$TMP/follow" "missing"
timeout 30 "$BIN" --lang fr "$S/keepalive.pcap" --follow 1 >"$TMP/follow" 2>"$TMP/err"
has "$TMP/follow" "--- serveur${NNBSP}: 12 octets livrés, 0 manquant en 0 plage"
timeout 30 "$BIN" --lang fr "$S/midstream.pcap" --follow 1 >"$TMP/follow" 2>"$TMP/err"
has "$TMP/follow" "--- client${NNBSP}: [la capture commence en cours de connexion${NNBSP}: l'octet 0 est le premier vu]"
timeout 30 "$BIN" "$S/midstream.pcap" --follow 1 >"$TMP/follow" 2>"$TMP/err"
has "$TMP/follow" "--- client: [the capture starts mid-stream: offset 0 is the first byte seen]"

CURRENT=streams_json_notes_speak_the_runs_language
timeout 30 "$BIN" --lang fr "$S/midstream.pcap" --write-streams "$TMP/fr-streams" >/dev/null 2>"$TMP/err"
expect_rc 0 $?
python3 - "$TMP/fr-streams/streams.json" <<'PY' || fail "streams.json's note text is not French"
import json, sys
notes = [n for row in json.load(open(sys.argv[1])) for n in row["notes"]]
assert notes, "no note"
for n in notes:
    assert n["kind"] == "mid_stream", n
    assert n["text"] == "[la capture commence en cours de connexion\u202f: l'octet 0 est le premier vu]", n
PY

finish write_streams
