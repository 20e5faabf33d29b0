#!/usr/bin/env python3
"""Compare the streams tcpflow-explain rebuilds (--write-streams) with tshark's Follow TCP
Stream (`-z follow,tcp,raw,N`), byte for byte, on every connection of a set of captures.

For each capture: runs `tcpflow-explain --write-streams DIR --format jsonl FILE` (the JSONL
conversations give each connection's client and server), and tshark once with one
`-z follow,tcp,raw,N` per TCP stream (up to --max-streams). tshark's stream N is matched to
our connections with the same two endpoints whose first frame lies within the stream's
frames (tshark keeps a retried SYN and the connection after it as one stream where we may see
two: their bytes are then joined in order). Each direction is then one of:
  same       the bytes are identical (or both sides have none)
  differs    the lengths or the bytes differ: printed with both lengths, the first offset
             that differs, our missing and inconsistent byte counts for that direction, and
             the missing bytes tshark's gap markers announced
tshark writes "[N bytes missing in capture file]" and a NUL into its output where it saw a
gap; those markers are removed before comparing (we leave gaps out of the bytes too and list
them in streams.json).
  unmatched  a connection one side has and the other does not
Prints a line per difference and a total (bytes in agreement over bytes compared).

Usage:
  scripts/compare-follow.py [--tool BIN] [--corpus DIR] [--max-streams N] [CAPTURE ...]
Without captures, every pcap of <corpus>/pcaps (default ../shared/corpus beside the clone)
except the malformed-* ones. Exit status: 0 compared (differences are reported, not
failures), 2 usage or tool error, 77 nothing to compare (no corpus, or no tshark).
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def endpoint(text: str) -> tuple[str, int]:
    host, port = text.rsplit(":", 1)
    return host.strip("[]"), int(port)


# tshark's Follow TCP Stream writes this text (NUL-terminated) into the bytes where it saw a
# gap; it is not data the peer sent.
GAP_MARKER = re.compile(rb"\[(\d+) bytes missing in capture file\]\x00")


def without_gap_markers(data: bytes) -> tuple[bytes, int]:
    """tshark's bytes without its gap markers, and the missing bytes they announced."""
    announced = sum(int(m.group(1)) for m in GAP_MARKER.finditer(data))
    return GAP_MARKER.sub(b"", data), announced


def tshark_streams(capture: str, max_streams: int) -> list[dict]:
    """tshark's follow output per stream: {'index', 'nodes': [ep0, ep1], 'data': [b0, b1]}
    (gap markers removed) and 'announced': the missing bytes its markers gave per node."""
    listed = subprocess.run(["tshark", "-r", capture, "-T", "fields", "-e", "frame.number", "-e", "tcp.stream"],
                            capture_output=True, text=True, check=False).stdout.split("\n")
    frames: dict[int, list[int]] = {}
    for line in listed:
        fields = line.split("\t")
        if len(fields) == 2 and fields[0].isdigit() and fields[1].isdigit():
            frames.setdefault(int(fields[1]), []).append(int(fields[0]))
    indexes = sorted(frames)[:max_streams]
    if not indexes:
        return []
    args = ["tshark", "-r", capture, "-q"]
    for i in indexes:
        args += ["-z", f"follow,tcp,raw,{i}"]
    out = subprocess.run(args, capture_output=True, text=True, check=False).stdout
    streams, current = [], None
    for line in out.split("\n"):
        if line.startswith("Filter: tcp.stream eq "):
            index = int(line.split()[-1])
            current = {"index": index, "nodes": [None, None], "data": [bytearray(), bytearray()],
                       "frames": (min(frames[index]), max(frames[index]))}
            streams.append(current)
        elif current is None or line.startswith("=") or line.startswith("Follow:"):
            continue
        elif line.startswith("Node 0: ") or line.startswith("Node 1: "):
            # "Node 0: :0": tshark saw no payload in the stream (a malformed frame's stream,
            # which we keep out of the analysis): nothing to compare.
            if line[8:].strip() != ":0":
                current["nodes"][int(line[5])] = endpoint(line[8:])
        elif line.strip():
            node = 1 if line.startswith("\t") else 0
            try:
                current["data"][node] += bytes.fromhex(line.strip())
            except ValueError:
                pass
    for stream in streams:
        cleaned = [without_gap_markers(bytes(d)) for d in stream["data"]]
        stream["data"] = [c[0] for c in cleaned]
        stream["announced"] = [c[1] for c in cleaned]
    return streams


def our_streams(tool: str, capture: str, work: str) -> list[dict]:
    """Our connections in order: {'client', 'server', 'data': {'client': b, 'server': b}, 'rows'}."""
    out_dir = os.path.join(work, "streams")
    run = subprocess.run([tool, "--write-streams", out_dir, "--format", "jsonl", capture],
                         capture_output=True, text=True, check=False)
    conversations = {}
    for line in run.stdout.split("\n"):
        if line.startswith("{"):
            o = json.loads(line)
            if o.get("type") == "conversation":
                conversations[o["id"]] = o
    table_path = os.path.join(out_dir, "streams.json")
    table = json.load(open(table_path)) if os.path.exists(table_path) else []
    rows = table["streams"] if isinstance(table, dict) else table
    result = []
    for cid in sorted(conversations):
        c = conversations[cid]
        entry = {"id": cid, "client": endpoint(c["client"]), "server": endpoint(c["server"]),
                 "first_frame": c["first_frame"],
                 "data": {"client": b"", "server": b""}, "rows": {}}
        for row in rows:
            if row["connection"] == cid:
                entry["rows"][row["direction"]] = row
                entry["data"][row["direction"]] = open(os.path.join(out_dir, row["file"]), "rb").read()
        result.append(entry)
    shutil.rmtree(out_dir, ignore_errors=True)
    return result


def first_difference(a: bytes, b: bytes) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def compare(tool: str, capture: str, max_streams: int, totals: collections.Counter) -> None:
    name = os.path.basename(capture)
    with tempfile.TemporaryDirectory() as work:
        ours = our_streams(tool, capture, work)
    theirs = tshark_streams(capture, max_streams)
    by_pair = collections.defaultdict(list)
    for c in ours:
        by_pair[frozenset((c["client"], c["server"]))].append(c)
    for s in theirs:
        if None in s["nodes"]:
            continue
        first, last = s["frames"]
        matched = [c for c in by_pair.get(frozenset(s["nodes"]), []) if first <= c["first_frame"] <= last]
        if not matched:
            totals["unmatched"] += 1
            print(f"{name} tcp.stream {s['index']}: no connection of ours between {s['nodes'][0]} and {s['nodes'][1]}")
            continue
        c = matched[-1]
        for node in (0, 1):
            # Node 0 is the sender of the stream's first frame; its bytes, over our connections.
            mine = b"".join(m["data"]["client" if s["nodes"][node] == m["client"] else "server"] for m in matched)
            direction = "client" if s["nodes"][node] == c["client"] else "server"
            other = bytes(s["data"][node])
            totals["directions"] += 1
            totals["bytes_compared"] += max(len(mine), len(other))
            if mine == other:
                totals["same"] += 1
                totals["bytes_same"] += len(mine)
                continue
            totals["differs"] += 1
            at = first_difference(mine, other)
            totals["bytes_same"] += at
            row = c["rows"].get(direction, {})
            ids = "+".join(str(m["id"]) for m in matched)
            print(f"{name} tcp.stream {s['index']} = connection {ids} {direction}: ours {len(mine)} bytes, "
                  f"tshark {len(other)}, first difference at {at}; we report missing {row.get('missing_bytes', 0)}, "
                  f"inconsistent {row.get('inconsistent_bytes', 0)}; tshark marks missing {s['announced'][node]}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    p.add_argument("--tool", default=os.path.join(ROOT, "build/ci/src/tcpflow-explain"))
    p.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    p.add_argument("--max-streams", type=int, default=200)
    p.add_argument("captures", nargs="*")
    a = p.parse_args()
    if not shutil.which("tshark"):
        print("compare-follow: tshark not installed: nothing to compare")
        return 77
    if not os.access(a.tool, os.X_OK):
        print(f"compare-follow: {a.tool} is not an executable", file=sys.stderr)
        return 2
    captures = a.captures or sorted(c for c in glob.glob(os.path.join(a.corpus, "pcaps", "*"))
                                    if not os.path.basename(c).startswith("malformed-"))
    if not captures:
        print(f"compare-follow: no captures (corpus {a.corpus} absent)")
        return 77
    totals = collections.Counter()
    for capture in captures:
        compare(a.tool, capture, a.max_streams, totals)
    compared = totals["bytes_compared"]
    share = 100.0 * totals["bytes_same"] / compared if compared else 100.0
    print(f"compare-follow: {len(captures)} captures, {totals['directions']} directions: {totals['same']} the same, "
          f"{totals['differs']} differ, {totals['unmatched']} tshark streams unmatched; "
          f"bytes in agreement {totals['bytes_same']} of {compared} ({share:.3f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
