#!/usr/bin/env python3
"""--time-format against tcpdump on every sample: the time column of each segment line equals
tcpdump's for the same frame (-tt: epoch, -tttt with TZ=UTC: wall, -ttttt: since the capture's
first frame, whatever it is). relative is also checked with --conn N for each connection: a
connection shown alone keeps the capture's times, as a colleague sees them without the option.
delta is checked from the epoch times: each segment's time minus the previous one of its
connection. Skipped (77) without tcpdump.
    time_format.py TOOL SOURCE_DIR"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

tool, source = sys.argv[1], Path(sys.argv[2])
if shutil.which("tcpdump") is None:
    print("tcpdump not installed: skipped")
    sys.exit(77)

LINE = re.compile(r"^#(\d+)\s+(\S+)\s+c(\d+)\s")
failures = 0


def ours(capture, fmt, *extra):
    out = subprocess.run([tool, str(capture), "--color", "never", "--time-format", fmt, *extra], check=True,
                         capture_output=True, text=True).stdout
    return {int(m[1]): (m[2], int(m[3])) for m in map(LINE.match, out.splitlines()) if m}


def tcpdump(capture, flag):
    env = dict(os.environ, TZ="UTC")
    out = subprocess.run(["tcpdump", "-#", "-nn", flag, "-r", str(capture)], check=True, capture_output=True,
                         text=True, env=env).stdout
    times = {}
    for line in out.splitlines():
        number, rest = line.split(None, 1)
        if flag == "-tttt":  # "2026-11-26 05:31:37.783897 IP ..."
            date, clock = rest.split()[:2]
            times[int(number)] = f"{date}T{clock}Z"
        else:
            times[int(number)] = rest.split()[0]
    return times


def check(capture, fmt, expected, *extra):
    global failures
    got = ours(capture, fmt, *extra)
    if not got:
        failures += 1
        print(f"FAIL {capture.name} {fmt} {' '.join(extra)}: no segment line")
    for frame, (time, _) in got.items():
        if time != expected[frame]:
            failures += 1
            print(f"FAIL {capture.name} --time-format {fmt} {' '.join(extra)} frame {frame}: {time}, "
                  f"tcpdump says {expected[frame]}")
    return got


def relative(t):  # tcpdump -ttttt: "00:00:00.030805"
    h, m, s = t.split(":")
    return f"+{Decimal(int(h) * 3600 + int(m) * 60) + Decimal(s):.6f}"


def udp_first(capture, into):
    """`capture` with a UDP datagram 0.25 s before its first frame: the first frame of the
    capture is then no TCP segment. The datagram is the first frame's copy with IP protocol 17."""
    data = capture.read_bytes()
    magic, linktype = struct.unpack_from("<I", data)[0], struct.unpack_from("<I", data, 20)[0]
    assert magic == 0xA1B2C3D4 and linktype == 1, "little-endian microsecond pcap, Ethernet"
    sec, usec, incl, orig = struct.unpack_from("<IIII", data, 24)
    first = bytearray(data[24 + 16:24 + 16 + incl])
    first[14 + 9] = 17
    usec -= 250_000
    if usec < 0:
        sec, usec = sec - 1, usec + 1_000_000
    into.write_bytes(data[:24] + struct.pack("<IIII", sec, usec, incl, orig) + first + data[24:])
    return into


scratch = Path(tempfile.mkdtemp())
# The samples, a capture of several connections, and one whose first frame is UDP.
samples = sorted((source / "samples").glob("*.pcap")) + [
    source / "tests/data/lab/lab.pcap", udp_first(source / "samples/seed-pouet.pcap", scratch / "udp-first.pcap")]
for capture in samples:
    epoch = tcpdump(capture, "-tt")
    check(capture, "epoch", epoch)
    check(capture, "wall", tcpdump(capture, "-tttt"))
    since_first = {k: relative(v) for k, v in tcpdump(capture, "-ttttt").items()}
    for conn in sorted({c for _, c in check(capture, "relative", since_first).values()}):
        check(capture, "relative", since_first, "--conn", str(conn))
    last = {}
    delta = {}
    for frame, (_, conn) in sorted(ours(capture, "delta").items()):
        now = Decimal(epoch[frame])
        delta[frame] = f"+{now - last.get(conn, now):.6f}"
        last[conn] = now
    check(capture, "delta", delta)

shutil.rmtree(scratch)
print(f"{len(samples)} captures, {failures} failures")
sys.exit(1 if failures else 0)
