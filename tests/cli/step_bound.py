#!/usr/bin/env python3
"""--step holds at most 100 000 segments in memory (kMaxStops in src/step/recorder.hpp).

Two captures are generated here, each one TCP connection of exactly N segments (the
three-way handshake, then 1-byte data segments from the client, each acknowledging the
server's SYN): N = 100 000 pages (the first screen says "segment 1 of 100000"), N = 100 001
is refused before any screen (exit 2, the bound named on standard error, the terminal
attributes untouched). The segment count is the number of records this script writes.
    step_bound.py TOOL WORK_DIR"""
import os
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
import fcntl
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from crafted_pcap import ACK, CLIENT, PSH, SERVER, SYN, CraftedPcap  # noqa: E402

tool = sys.argv[1]
work = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.gettempdir())
BOUND = 100_000
failures = 0


def check(condition, what, shown=""):
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}\n--- shown ---\n{shown}\n-------------")


def write_capture(path, segments):
    """One connection of exactly `segments` TCP segments: the handshake, then 1-byte data
    segments from the client."""
    with CraftedPcap(path) as pcap:
        pcap.seg(0, CLIENT, SERVER, 40000, 80, 1000, 0, SYN)
        pcap.seg(1, SERVER, CLIENT, 80, 40000, 5000, 1001, SYN | ACK)
        pcap.seg(2, CLIENT, SERVER, 40000, 80, 1001, 5001, ACK)
        for i in range(3, segments):
            pcap.seg(i, CLIENT, SERVER, 40000, 80, 1001 + i - 3, 5001, PSH | ACK, b"x")


def records_in(path):
    """The records of a classic pcap file, counted from its headers."""
    data = path.read_bytes()
    offset, count = 24, 0
    while offset + 16 <= len(data):
        offset += 16 + struct.unpack_from("<I", data, offset + 8)[0]
        count += 1
    return count


def run_on_terminal(args, wait_for_screen):
    """The tool on a pseudo-terminal: (exit status, what it drew, stderr, attributes kept)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    before = termios.tcgetattr(slave)
    proc = subprocess.Popen([tool] + args, stdin=slave, stdout=slave, stderr=subprocess.PIPE,
                            env=dict(os.environ, TERM="xterm", NO_COLOR="1"), start_new_session=True)
    shown = ""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            shown += os.read(master, 65536).decode("utf-8", "replace")
        if wait_for_screen and "segment 1 of" in shown and "\x1b[" in shown.rsplit("segment 1 of", 1)[1]:
            os.write(master, b"q")
            break
    try:
        status = proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        status = None
    after = termios.tcgetattr(slave)
    stderr = proc.stderr.read().decode()
    os.close(master)
    os.close(slave)
    return status, shown, stderr, after == before


work.mkdir(parents=True, exist_ok=True)
at_bound = work / "step-bound-100000.pcap"
past_bound = work / "step-bound-100001.pcap"
write_capture(at_bound, BOUND)
write_capture(past_bound, BOUND + 1)
written = records_in(at_bound), records_in(past_bound)
check(written == (BOUND, BOUND + 1), f"the captures hold 100000 and 100001 segments, not {written}")

status, shown, stderr, kept = run_on_terminal([str(at_bound), "--step"], wait_for_screen=True)
check(f"segment 1 of {BOUND}, frame 1" in shown, "100000 segments: paged, segment 1 of 100000", shown[-2000:])
check(status == 0, f"100000 segments: q exits 0, got {status}", stderr)

status, shown, stderr, kept = run_on_terminal([str(past_bound), "--step"], wait_for_screen=False)
check(status == 2, f"100001 segments: exit 2, got {status}", stderr)
check(f"at most {BOUND} segments" in stderr, "100001 segments: the bound said on stderr", stderr)
check("segment 1 of" not in shown, "100001 segments: no screen drawn", shown[-2000:])
check(kept, "100001 segments: the terminal attributes untouched")

for path in (at_bound, past_bound):
    path.unlink()
print(f"{failures} failure(s)")
sys.exit(1 if failures else 0)
