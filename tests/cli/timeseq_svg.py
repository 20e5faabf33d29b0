#!/usr/bin/env python3
"""-F svg --graph timeseq against facts of the JSON output of the same capture:
  * every sample's document parses as XML, one <svg> root, one graph per connection;
  * retransmission marks of a direction = its segments the JSON marks retransmission,
    fast_retransmission or spurious_retransmission;
  * the highest sequence number plotted = the direction's unique bytes + 1 for the SYN + 1 for
    a FIN (RFC 9293 §3.4: each takes one sequence number; data starts after the SYN's);
  * zero-window marks = the peer's segments the JSON marks zero_window (samples/zero-window.pcap
    has at least one)."""

import glob
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

EXE, SOURCE = sys.argv[1], sys.argv[2]
SVG = "{http://www.w3.org/2000/svg}"
RETRANSMISSIONS = {"retransmission", "fast_retransmission", "spurious_retransmission"}


def run(*args):
    return subprocess.run([EXE, *args, "--color", "never"], check=True, capture_output=True).stdout.decode()


def marks(graph, cls):
    return [e for e in graph.iter() if e.get("class") == cls]


def check(capture, failures):
    name = os.path.basename(capture)
    root = ET.fromstring(run(capture, "--format", "svg", "--graph", "timeseq"))
    if root.tag != SVG + "svg":
        failures.append(f"{name}: root is {root.tag}")
    graphs = {int(g.get("data-connection")): g for g in root.iter(SVG + "svg") if g.get("class") == "timeseq"}
    doc = json.loads(run(capture, "--format", "json"))
    if len(graphs) != len(doc["conversations"]):
        failures.append(f"{name}: {len(graphs)} graphs for {len(doc['conversations'])} connections")
    totals = {"retrans": 0, "zero-window": 0}
    for conv in doc["conversations"]:
        graph = graphs.get(conv["id"])
        if graph is None:
            continue
        sender = graph.get("data-direction")
        stats = conv["client_to_server" if sender == "client" else "server_to_client"]
        segs = conv["segments"]
        want_retrans = sum(1 for s in segs if s["sender"] == sender and RETRANSMISSIONS & {a["code"] for a in s["annotations"]})
        want_zero = sum(1 for s in segs if s["sender"] != sender and "zero_window" in {a["code"] for a in s["annotations"]})
        got_retrans, got_zero = len(marks(graph, "retrans")), len(marks(graph, "zero-window"))
        if got_retrans != want_retrans:
            failures.append(f"{name} #{conv['id']}: {got_retrans} retransmission marks, JSON has {want_retrans}")
        if got_zero != want_zero:
            failures.append(f"{name} #{conv['id']}: {got_zero} zero-window marks, JSON has {want_zero}")
        ends = [int(e.get("data-end")) for e in marks(graph, "seg") + marks(graph, "retrans")]
        saw_syn = any(s["sender"] == sender and "SYN" in s["flags"] for s in segs)
        if ends and saw_syn:
            want_top = stats["unique_bytes"] + 1 + (1 if stats["fins"] else 0)
            if max(ends) != want_top:
                failures.append(f"{name} #{conv['id']}: highest seq plotted {max(ends)}, want {want_top} "
                                f"({stats['unique_bytes']} bytes, SYN{' and FIN' if stats['fins'] else ''})")
        totals["retrans"] += got_retrans
        totals["zero-window"] += got_zero
    return totals


def main():
    failures = []
    captures = sorted(glob.glob(os.path.join(SOURCE, "samples", "*.pcap")))
    captures += [os.path.join(SOURCE, "tests", "data", "lab", n) for n in ("simul.pcap", "lab.pcap")]
    for capture in captures:
        totals = check(capture, failures)
        base = os.path.basename(capture)
        if base == "loss-retrans.pcap" and totals["retrans"] == 0:
            failures.append("loss-retrans.pcap: no retransmission mark")
        if base == "zero-window.pcap" and totals["zero-window"] == 0:
            failures.append("zero-window.pcap: no zero-window mark")
    for f in failures:
        print("FAIL", f)
    print(f"{len(captures)} captures checked")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
