#!/usr/bin/env python3
"""-v against tshark on every sample: the detail line under each segment gives the IP TTL (IPv6
hop limit) and identification, the frame's length on the wire and as captured, and the window
field before and after scaling, and each equals tshark's field for the same frame (ip.ttl,
ipv6.hlim, ip.id, frame.len, frame.cap_len, tcp.window_size_value, tcp.window_size). tshark
leaves the window unscaled where the SYNs were not seen, as our "scale unknown" and "not
scaled" do. Skipped (77) without tshark.
    verbose_tshark.py TOOL SOURCE_DIR"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

tool, source = sys.argv[1], Path(sys.argv[2])
if shutil.which("tshark") is None:
    print("tshark not installed: skipped")
    sys.exit(77)

SEGMENT = re.compile(r"^#(\d+)\s")
DETAIL = re.compile(r"^\s+IPv(4) ttl (\d+), id (\d+)|^\s+IPv(6) hop limit (\d+)")
LENGTHS = re.compile(r"; (\d+) bytes? on the wire, (\d+) captured; window field (\d+), "
                     r"(?:scaled to (\d+)|not scaled|scale unknown)")
FIELDS = ["frame.number", "ip.ttl", "ip.id", "ipv6.hlim", "frame.len", "frame.cap_len", "tcp.window_size_value",
          "tcp.window_size"]
failures = 0
checked = 0


def ours(capture):
    out = subprocess.run([tool, str(capture), "--color", "never", "-v"], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    details = {}
    for i, line in enumerate(out):
        m = SEGMENT.match(line)
        if not m:
            continue
        d, n = DETAIL.match(out[i + 1]), LENGTHS.search(out[i + 1])
        if not d or not n:
            raise SystemExit(f"{capture.name} #{m[1]}: no detail line under the segment: {out[i + 1]!r}")
        version = d[1] or d[4]
        ttl = int(d[2] or d[5])
        ip_id = int(d[3]) if version == "4" else None
        window = int(n[4]) if n[4] else int(n[3])
        details[int(m[1])] = (ttl, ip_id, int(n[1]), int(n[2]), int(n[3]), window)
    return details


def theirs(capture):
    out = subprocess.run(["tshark", "-r", str(capture), "-Y", "tcp", "-T", "fields", "-E", "separator=\t"] +
                         sum((["-e", f] for f in FIELDS), []), check=True, capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines():
        number, ttl, ip_id, hlim, wire, captured, raw, window = (line.split("\t") + [""] * 8)[:8]
        # Tunnelled or ICMP-quoted packets have several IP layers: the outer one is the first.
        first = lambda v: v.split(",")[0]
        rows[int(number)] = (int(first(ttl) or first(hlim)), int(first(ip_id), 0) if ip_id else None, int(wire),
                             int(captured), int(first(raw)), int(first(window)))
    return rows


for capture in sorted((source / "samples").glob("*.pcap")):
    mine, expected = ours(capture), theirs(capture)
    for frame, got in mine.items():
        checked += 1
        if expected.get(frame) != got:
            failures += 1
            print(f"{capture.name} #{frame}: ours {got}, tshark {expected.get(frame)}")

print(f"{checked} segments compared, {failures} differences")
if checked < 100:
    print("too few segments compared")
    sys.exit(1)
sys.exit(1 if failures else 0)
