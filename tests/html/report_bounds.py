#!/usr/bin/env python3
"""report_bounds.py: the HTML report's caps (src/render/report/html_report.hpp) on a capture built here.

    report_bounds.py TOOL WORK_DIR

The capture: connection 1 opens with a three-way handshake and the client then sends 600
one-byte segments (603 segments in all); 120 more connections send one SYN each. With at
most 100 connections and 500 segments per connection shown, the report must list frames
1-500 of connection 1 and the SYNs of connections 2-100 (frames 604-702), say that 103
segments of connection 1 and 21 connections were left out, and point at --count and a BPF
filter. Every tag must still close (check_html.py's parser).
"""
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_html import Checker  # noqa: E402

CLIENT, SERVER = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
SYN, ACK, PSH = 0x02, 0x10, 0x08


def frame(src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, src, dst) + tcp
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip


def capture():
    frames = [
        frame(CLIENT, SERVER, 40000, 80, 1000, 0, SYN),
        frame(SERVER, CLIENT, 80, 40000, 5000, 1001, SYN | ACK),
        frame(CLIENT, SERVER, 40000, 80, 1001, 5001, ACK),
    ]
    frames += [frame(CLIENT, SERVER, 40000, 80, 1001 + i, 5001, PSH | ACK, b"x") for i in range(600)]
    frames += [frame(CLIENT, SERVER, 41000 + i, 80, 7000, 0, SYN) for i in range(120)]
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for n, f in enumerate(frames):
        out += struct.pack("<IIII", 1_700_000_000, n * 1000, len(f), len(f)) + f
    return out


def main():
    tool, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    pcap = os.path.join(work, "bounds.pcap")
    with open(pcap, "wb") as f:
        f.write(capture())
    html = subprocess.run([tool, "-F", "html", pcap], check=True, capture_output=True).stdout.decode("utf-8")
    checker = Checker()
    checker.feed(html)
    checker.close()
    problems = list(checker.problems) + [f"<{t}> opened at {w} never closes" for t, w in checker.stack]
    want = [str(n) for n in range(1, 501)] + [str(n) for n in range(604, 703)]
    if checker.frames != want:
        problems.append(f"segment rows: {len(checker.frames)} rows from {checker.frames[:1]} to "
                        f"{checker.frames[-1:]}, expected frames 1-500 and 604-702")
    sections = html.count('<section class="connection"')
    if sections != 100:
        problems.append(f"{sections} connection sections, expected 100")
    for text in ("This connection has 103 more segments after these 500",
                 "This report shows the first 100 connections; 21 more were left out",
                 "--count N", "BPF filter"):
        if text not in html:
            problems.append(f"no note saying {text!r}")
    for p in problems:
        print(f"report_bounds: {p}", file=sys.stderr)
    if not problems:
        print("report_bounds: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
