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

tool = sys.argv[1]
work = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.gettempdir())
BOUND = 100_000
failures = 0


def check(condition, what, shown=""):
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}\n--- shown ---\n{shown}\n-------------")


def ip_checksum(header):
    total = sum(struct.unpack("!10H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF


CLIENT, SERVER = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
SYN, ACK, PSH = 0x02, 0x10, 0x08


def frame(src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", ip_checksum(ip)) + ip[12:]
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip + tcp


def record(index, data):
    return struct.pack("<IIII", 1_700_000_000, index, len(data), len(data)) + data


def data_record(index):
    """Segment `index` (from 3 on): the client's byte number index - 2."""
    return record(index, frame(CLIENT, SERVER, 40000, 80, 1001 + index - 3, 5001, PSH | ACK, b"x"))


def write_captures(at_path, past_path, segments):
    """At `at_path`, one connection of exactly `segments` TCP segments; at `past_path` the
    same and one more data segment. Returns the number of records of each."""
    opening = [frame(CLIENT, SERVER, 40000, 80, 1000, 0, SYN),
               frame(SERVER, CLIENT, 80, 40000, 5000, 1001, SYN | ACK),
               frame(CLIENT, SERVER, 40000, 80, 1001, 5001, ACK)]
    records = [record(i, f) for i, f in enumerate(opening)] + [data_record(i) for i in range(3, segments)]
    head = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    body = b"".join(records)
    at_path.write_bytes(head + body)
    past_path.write_bytes(head + body + data_record(segments))
    return len(records), len(records) + 1


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
written = write_captures(at_bound, past_bound, BOUND)
check(written == (BOUND, BOUND + 1), f"the captures hold 100000 and 100001 segments, wrote {written}")

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
