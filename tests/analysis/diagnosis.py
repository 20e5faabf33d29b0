#!/usr/bin/env python3
"""The per-connection diagnosis (docs/analysis.md "Diagnosis") on the samples, against facts
taken from the capture by tshark and from the senders' kernel counters (samples/*.nstat.txt):
zero-window spells and their duration from the frames' windows and times, loss recovery from
the retransmission counters and the frames' sequence numbers and ACKs, reordering from the
impairment that made reorder.pcap, capture drops from the bytes ACKed but never captured.
The text walkthrough's diagnosis line is the JSON sentence. Skipped (77) without tshark.
    diagnosis.py TOOL SOURCE_DIR"""
import json
import shutil
import subprocess
import sys
from pathlib import Path

tool, source = sys.argv[1], Path(sys.argv[2])
if shutil.which("tshark") is None:
    print("tshark not installed: skipped")
    sys.exit(77)
samples = source / "samples"
failures = 0


def check(what, got, expected):
    global failures
    if got != expected:
        failures += 1
        print(f"FAIL {what}: got {got!r}, expected {expected!r}")
    else:
        print(f"ok   {what}: {got!r}")


def ns(epoch):
    """tshark's frame.time_epoch ("1700000000.123456000") as integer nanoseconds."""
    whole, _, frac = epoch.partition(".")
    return int(whole) * 1_000_000_000 + int((frac + "000000000")[:9])


def frames(capture):
    fields = ["frame.time_epoch", "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.seq", "tcp.ack", "tcp.len",
              "tcp.window_size_value", "tcp.flags.syn", "tcp.flags.fin", "tcp.flags.reset", "tcp.flags.ack"]
    cmd = ["tshark", "-r", str(capture), "-o", "tcp.relative_sequence_numbers:TRUE", "-o", "tcp.analyze_sequence_numbers:TRUE", "-T", "fields"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        v = line.split("\t")
        flag = lambda s: s in ("1", "True")
        rows.append({"t": ns(v[0]), "stream": int(v[1]), "sport": int(v[2]), "dport": int(v[3]), "seq": int(v[4]),
                     "ack": int(v[5]), "len": int(v[6]), "win": int(v[7]), "syn": flag(v[8]), "fin": flag(v[9]),
                     "rst": flag(v[10]), "ackf": flag(v[11])})
    return rows


def nstat(capture, side):
    """The kernel counters of one lab namespace ("ns-a" client, "ns-b" server)."""
    counters, current = {}, None
    for line in (samples / (capture + ".nstat.txt")).read_text().splitlines():
        if line.startswith("["):
            current = line[1:].split()[0]
        elif current == side and line and not line.startswith("#"):
            name, value = line.split()[:2]
            counters[name] = int(value)
    return counters


def ours(capture):
    out = subprocess.run([tool, str(samples / capture), "-F", "json"], check=True, capture_output=True,
                         text=True).stdout
    conns = json.loads(out)["conversations"]
    text = subprocess.run([tool, str(samples / capture), "--color", "never"], check=True, capture_output=True,
                          text=True).stdout
    lines = [l for l in text.splitlines() if l.startswith("  diagnosis: ")]
    check(f"{capture}: one text diagnosis line per connection, the JSON sentence",
          lines, ["  diagnosis: " + c["diagnosis"]["text"] + "." for c in conns])
    return conns


def handshake_rtt(rows):
    """First SYN to the first ACK without SYN from the SYN's sender (docs/analysis.md)."""
    syn = next(r for r in rows if r["syn"] and not r["ackf"])
    ack = next(r for r in rows if r["sport"] == syn["sport"] and r["ackf"] and not r["syn"])
    return ack["t"] - syn["t"]


def exact(d):
    """A duration as the sentence prints it (docs/analysis.md "Diagnosis")."""
    seconds = abs(d) >= 1_000_000_000
    unit = 1_000_000_000 if seconds else 1_000_000
    digits = f"{abs(d) // unit}.{abs(d) % unit:0{9 if seconds else 6}d}".rstrip("0")
    whole, frac = digits.split(".")
    return f"{'-' if d < 0 else ''}{whole}.{frac.ljust(3, '0')} {'s' if seconds else 'ms'}"


# zero-window.pcap: the server (the receiver) closes its window; a spell lasts from its
# zero-window segment to its next segment with a non-zero window.
rows = frames(samples / "zero-window.pcap")
server_port = rows[0]["dport"]
spells, total, zero_segments, since = 0, 0, 0, None
for r in rows:
    if r["sport"] != server_port:
        continue
    plain = not (r["syn"] or r["fin"] or r["rst"])
    if r["win"] == 0 and plain:
        zero_segments += 1
        if since is None:
            since = r["t"]
    elif r["win"] != 0 and since is not None:
        spells += 1
        total += r["t"] - since
        since = None
(conn,) = ours("zero-window.pcap")
g = conn["diagnosis"]
check("zero-window: kinds", g["kind"][0], "receiver_limited")
check("zero-window: spells", g["zero_window"],
      [{"side": "server", "segments": zero_segments, "spells": spells, "time_ns": total}])
check("zero-window: the sender never retransmitted (nstat)", (g["recovery"], nstat("zero-window", "ns-a")["TcpRetransSegs"]),
      (None, 0))
check("zero-window: handshake RTT", (g["rtt_ns"], g["rtt_source"]), (handshake_rtt(rows), "handshake"))
check("zero-window: sentence", f"was not reading for {exact(total)} ({spells} spells)" in g["text"], True)

# loss-retrans.pcap: the client's retransmissions, by kind from its kernel's counters; a
# recovery from a retransmission to the server's ACK covering every byte resent since.
rows = frames(samples / "loss-retrans.pcap")
client_port = rows[0]["sport"]
counters = nstat("loss-retrans", "ns-a")
highest, recoveries, recovery_time, start, point = 0, 0, 0, None, 0
for r in rows:
    if r["sport"] == client_port and r["len"] > 0:
        end = r["seq"] + r["len"]
        if end <= highest:  # bytes sent before
            if start is None:
                start, point = r["t"], end
            point = max(point, end)
        highest = max(highest, end)
    elif r["sport"] != client_port and r["ackf"] and start is not None and r["ack"] >= point:
        recoveries += 1
        recovery_time += r["t"] - start
        start = None
(conn,) = ours("loss-retrans.pcap")
g = conn["diagnosis"]
check("loss-retrans: recovery", g["recovery"],
      {"segments": counters["TcpRetransSegs"], "fast": counters["TcpExtTCPFastRetrans"],
       "timeout": counters["TcpExtTCPTimeouts"], "spurious": 0, "recoveries": recoveries, "time_ns": recovery_time})
check("loss-retrans: loss recovery said", "loss_recovery" in g["kind"] and "no_problem_seen" not in g["kind"], True)
check("loss-retrans: handshake RTT", g["rtt_ns"], handshake_rtt(rows))

# reorder.pcap: made with two client segments held back (--reorder-a2b 6,16), none lost.
(conn,) = ours("reorder.pcap")
g = conn["diagnosis"]
check("reorder: reordered segments", g["reordered_segments"], 2)
check("reorder: no retransmission (nstat)", (g["recovery"], nstat("reorder", "ns-a")["TcpRetransSegs"]), (None, 0))
check("reorder: reordering said, not loss", ("reordering" in g["kind"], "loss_recovery" in g["kind"]), (True, False))

# capture-drop.pcap: the capture lost packets the receiver acknowledged: bytes ACKed above
# the highest byte captured, or in a hole of what was captured, per sending side.
rows = frames(samples / "capture-drop.pcap")
conns = ours("capture-drop.pcap")
by_stream = {}
for r in rows:
    by_stream.setdefault(r["stream"], []).append(r)
for conn, stream in zip(conns, sorted(by_stream)):
    rs = by_stream[stream]
    client = rs[0]["sport"]
    dropped = 0
    for sender in (client, rs[0]["dport"]):
        seen = set()
        for r in rs:
            if r["sport"] == sender and r["len"]:
                seen.update(range(r["seq"], r["seq"] + r["len"]))
        acked = max([r["ack"] for r in rs if r["sport"] != sender and r["ackf"] and not r["rst"]] + [1])
        fin = any(r["fin"] for r in rs if r["sport"] == sender)
        last = acked - (1 if fin and acked > 1 else 0)
        dropped += sum(1 for b in range(1, last) if b not in seen)
    g = conn["diagnosis"]
    check(f"capture-drop conn {conn['id']}: dropped bytes", (g["capture"] or {}).get("dropped_bytes", 0), dropped)
    check(f"capture-drop conn {conn['id']}: not called loss", g["recovery"], None)

# seed-pouet.pcap: six bytes sent and acknowledged, both sides close: nothing to explain.
rows = frames(samples / "seed-pouet.pcap")
(conn,) = ours("seed-pouet.pcap")
g = conn["diagnosis"]
check("seed-pouet: kinds", g["kind"], ["no_problem_seen"])
check("seed-pouet: sentence", g["text"], f"no problem seen; network RTT {exact(handshake_rtt(rows))} (handshake)")

sys.exit(1 if failures else 0)
