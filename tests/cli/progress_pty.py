#!/usr/bin/env python3
"""The progress line: drawn on standard error when it is a terminal (a pseudo-terminal here)
and standard output is not, erased at the end; never in a pipe, on a terminal that also shows
the output, under CI, with --quiet, or for a live capture.

usage: progress_pty.py TOOL
"""
import os
import pty
import re
import struct
import subprocess
import sys
import tempfile

FRAMES = 6000
FRAME_BYTES = 14 + 20 + 20  # Ethernet, IPv4 and TCP headers, no payload
ERASE = "\r\x1b[K"
failures = []


def check(what, ok):
    if not ok:
        failures.append(what)


def syn_frame(port):
    """A SYN from 10.0.0.1:port to 10.0.0.2:80: every frame opens a connection."""
    eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 0, 0, 64, 6, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    tcp = struct.pack("!HHIIBBHHH", port, 80, 1000, 0, 5 << 4, 0x02, 64240, 0, 0)
    return eth + ip + tcp


def write_capture(path):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(FRAMES):
            frame = syn_frame(10000 + i)
            f.write(struct.pack("<IIII", 1700000000 + i // 1000, i % 1000 * 1000, len(frame), len(frame)))
            f.write(frame)


def run_on_pty(args, env, stdout_on_pty=False, stdin=subprocess.DEVNULL):
    """Runs with standard error on a pseudo-terminal; returns what the terminal received."""
    master, slave = pty.openpty()
    out = slave if stdout_on_pty else subprocess.DEVNULL
    proc = subprocess.Popen(args, stdin=stdin, stdout=out, stderr=slave, env=env)
    os.close(slave)
    received = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the last holder of the terminal's other end exited
            break
        if not chunk:
            break
        received += chunk
    os.close(master)
    proc.wait()
    check(f"{' '.join(args[1:])}: exit status {proc.returncode}", proc.returncode == 0)
    return received.decode(errors="replace")


def main():
    tool = sys.argv[1]
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["TERM"] = "xterm"
    with tempfile.TemporaryDirectory() as tmp:
        capture = os.path.join(tmp, "syns.pcap")
        write_capture(capture)
        size = os.path.getsize(capture)
        check("capture size", size == 24 + FRAMES * (16 + FRAME_BYTES))
        fast = ["--progress-interval-ms", "0", "-F", "csv"]

        for threads in ("auto", "1"):
            tty = run_on_pty([tool, "--threads", threads, *fast, capture], env)
            # The clock is read every 1024 frames: the first line counts 1024 packets, the
            # header and 1024 records read, 24 + 1024 * 70 = 71704 of 420024 bytes: 17 %.
            # The session may hold the newest frame back a step, so 1023 or 1024 connections.
            check(f"--threads {threads}: first line {tty[:120]!r}",
                  re.search(r"^\r\x1b\[K0\.1 of 0\.4 MB \(17%\), 1024 packets, 102[34] connections, ", tty))
            check(f"--threads {threads}: MB/s and time left", " MB/s, " in tty and " left" in tty)
            check(f"--threads {threads}: erased at the end, nothing after: {tty[-80:]!r}",
                  tty.endswith(ERASE) and tty.count(ERASE) >= 2)

        # Standard error in a pipe: nothing but the output's own messages (none here).
        piped = subprocess.run([tool, *fast, capture], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        check(f"stderr in a pipe: {piped.stderr[:80]!r}", piped.returncode == 0 and piped.stderr == b"")

        check("--quiet", run_on_pty([tool, "--quiet", *fast, capture], env) == "")
        check("CI set", run_on_pty([tool, *fast, capture], {**env, "CI": "true"}) == "")
        check("TERM=dumb", run_on_pty([tool, *fast, capture], {**env, "TERM": "dumb"}) == "")
        both = run_on_pty([tool, *fast, capture], env, stdout_on_pty=True)
        check("stdout on the terminal too", "MB/s" not in both and ERASE not in both)

        # Standard input has no size: packets and rate, no percentage, no time left.
        with open(capture, "rb") as f:
            stdin_tty = run_on_pty([tool, *fast, "-"], env, stdin=f)
        check(f"stdin: {stdin_tty[:120]!r}", re.search(r"^\r\x1b\[K0\.1 MB, 1024 packets, 102[34] connections, ", stdin_tty) and "%" not in stdin_tty
              and " left" not in stdin_tty and stdin_tty.endswith(ERASE))

    for f in failures:
        print(f"FAIL {f}")
    if failures:
        return 1
    print("the progress line shows on a terminal only, and is erased")
    return 0


if __name__ == "__main__":
    sys.exit(main())
