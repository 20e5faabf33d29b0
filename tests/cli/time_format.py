#!/usr/bin/env python3
"""--time-format against tcpdump on every sample: the time column of each segment line equals
tcpdump's for the same frame (-tt: epoch, -tttt with TZ=UTC: wall, -ttttt: since the first
frame, which is the capture-relative time when the capture's first frame is TCP, as in every
sample). delta is checked from the epoch times: each segment's time minus the previous one of
its connection. Skipped (77) without tcpdump.
    time_format.py TOOL SOURCE_DIR"""
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

tool, source = sys.argv[1], Path(sys.argv[2])
if shutil.which("tcpdump") is None:
    print("tcpdump not installed: skipped")
    sys.exit(77)

LINE = re.compile(r"^#(\d+)\s+(\S+)\s+c(\d+)\s")
failures = 0


def ours(capture, fmt):
    out = subprocess.run([tool, str(capture), "--color", "never", "--time-format", fmt], check=True,
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


def check(capture, fmt, expected):
    global failures
    got = ours(capture, fmt)
    if not got:
        failures += 1
        print(f"FAIL {capture.name} {fmt}: no segment line")
    for frame, (time, _) in got.items():
        if time != expected[frame]:
            failures += 1
            print(f"FAIL {capture.name} --time-format {fmt} frame {frame}: {time}, tcpdump says {expected[frame]}")


def relative(t):  # tcpdump -ttttt: "00:00:00.030805"
    h, m, s = t.split(":")
    return f"+{Decimal(int(h) * 3600 + int(m) * 60) + Decimal(s):.6f}"


samples = sorted((source / "samples").glob("*.pcap"))
for capture in samples:
    epoch = tcpdump(capture, "-tt")
    check(capture, "epoch", epoch)
    check(capture, "wall", tcpdump(capture, "-tttt"))
    check(capture, "relative", {k: relative(v) for k, v in tcpdump(capture, "-ttttt").items()})
    last = {}
    delta = {}
    for frame, (_, conn) in sorted(ours(capture, "delta").items()):
        now = Decimal(epoch[frame])
        delta[frame] = f"+{now - last.get(conn, now):.6f}"
        last[conn] = now
    check(capture, "delta", delta)

print(f"{len(samples)} captures, {failures} failures")
sys.exit(1 if failures else 0)
