#!/usr/bin/env python3
"""--step driven through a pseudo-terminal on samples/seed-pouet.pcap (echo pouet | nc on
loopback: a three-way handshake, 6 bytes, a close started by the client).

The expected states come from RFC 9293, not from the tool: section 3.5, figure 6 (the basic
three-way handshake): after the client's SYN the client is SYN-SENT and the server LISTEN;
the server answers with SYN,ACK from SYN-RECEIVED; after the third segment both are
ESTABLISHED. Section 3.6, figure 12 (normal close): the side that receives the first FIN
answers with its own FIN from CLOSE-WAIT and waits in LAST-ACK. The number of segments is
read from the pcap file itself (its record headers).

Checked: the first screen, Enter and space forward, b back, a frame number then Enter, a
frame past the end, a resize (the screen drawn again to fit), q (exit 0), SIGTERM (exit 143), the terminal attributes (termios) raw
while stepping and restored after, and the refusal (exit 2, a message on stderr) when
standard input or standard output is not a terminal. The ladder view and `demo handshake
--step` (as root, when a capture on lo is allowed) get a first screen checked too.
    step.py TOOL SOURCE_DIR"""
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

tool, source = sys.argv[1], Path(sys.argv[2])
capture = source / "samples" / "seed-pouet.pcap"
failures = 0
CLEAR = "\x1b[H\x1b[2J"
ROWS, COLUMNS = 40, 200


def check(condition, what, shown=""):
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}\n--- screen ---\n{shown}\n--------------")


def pcap_records(path):
    """Records in a classic pcap file, counted from its headers."""
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    offset, count = 24, 0
    while offset + 16 <= len(data):
        incl_len = struct.unpack(order + "I", data[offset + 8:offset + 12])[0]
        offset += 16 + incl_len
        count += 1
    return count


class Stepper:
    """The tool on a fresh pseudo-terminal: keys in, screens out."""

    def __init__(self, args, stdin_tty=True, stdout_tty=True):
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.before = termios.tcgetattr(self.slave)
        stdin = self.slave if stdin_tty else subprocess.DEVNULL
        stdout = self.slave if stdout_tty else subprocess.PIPE
        env = dict(os.environ, TERM="xterm", NO_COLOR="1")
        self.proc = subprocess.Popen([tool] + args, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env,
                                     start_new_session=True)
        self.output = ""

    def read_screen(self, timeout=10):
        """The last screen drawn, once the output has been quiet for a moment."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:
                    break
                continue
            if CLEAR in self.output and re.search(r"\x1b\[\d+;1H.", self.output.rsplit(CLEAR, 1)[1]):
                break
            if self.proc.poll() is not None:
                break
        return self.output.rsplit(CLEAR, 1)[-1]

    def key(self, keys):
        self.output = ""
        os.write(self.master, keys.encode())
        return self.read_screen()

    def attributes(self):
        return termios.tcgetattr(self.slave)

    def finish(self, timeout=10):
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = None
        self.read_screen(0.3)
        after = termios.tcgetattr(self.slave)
        stderr = self.proc.stderr.read().decode()
        os.close(self.master)
        os.close(self.slave)
        return status, after, stderr


def status_line(screen):
    return screen.lstrip("\n").splitlines()[0] if screen.strip() else ""


segments = pcap_records(capture)
check(segments == 8, f"seed-pouet.pcap holds 8 records, read {segments}")

# The walkthrough view.
s = Stepper([str(capture), "--step"])
screen = s.read_screen()
top = status_line(screen)
check(f"segment 1 of {segments}, frame 1" in top, "first screen: segment 1, frame 1", screen)
check("client SYN-SENT" in top and "server LISTEN" in top, "first screen: client SYN-SENT, server LISTEN", screen)
check(re.search(r"^#1 .* SYN ", screen, re.M) is not None, "first screen: the SYN's line", screen)
check("#2 " not in screen, "first screen: one segment only", screen)
raw = s.attributes()
check(not raw[3] & termios.ECHO and not raw[3] & termios.ICANON, "stepping: no echo, keys one at a time")

screen = s.key("\r")
top = status_line(screen)
check("segment 2 of" in top and "frame 2" in top, "Enter: the second segment", screen)
check("client SYN-SENT" in top and "server SYN-RECEIVED" in top, "after SYN,ACK: SYN-SENT, SYN-RECEIVED", screen)
check(re.search(r"^#2 .* SYN-ACK ", screen, re.M) is not None, "second screen: the SYN-ACK's line", screen)

screen = s.key(" ")
top = status_line(screen)
check("frame 3" in top and "client ESTABLISHED" in top and "server ESTABLISHED" in top,
      "space: the third segment, both ESTABLISHED", screen)

screen = s.key("b")
check("segment 2 of" in status_line(screen) and "frame 2" in status_line(screen), "b: back to frame 2", screen)

screen = s.key("7\r")
top = status_line(screen)
check("segment 7 of" in top and "frame 7" in top, "7 Enter: frame 7", screen)
check("server LAST-ACK" in top, "frame 7, the server's FIN: server LAST-ACK", screen)

screen = s.key("99\r")
check(f"segment {segments} of {segments}" in status_line(screen), "99 Enter: the last segment", screen)
check("Capture: " in screen, "last screen: the capture summary", screen)

# A smaller terminal: the screen is drawn again and fits it, its status line still on top.
rows, columns = 9, 60
fcntl.ioctl(s.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
s.output = ""
os.kill(s.proc.pid, signal.SIGWINCH)
screen = s.read_screen()
body, _, prompt = screen.partition("\x1b[")
prompt_row = int(re.match(r"(\d+);1H", prompt)[1]) if re.match(r"(\d+);1H", prompt) else 0
drawn_rows = sum(max(1, -(-len(line) // columns)) for line in body.rstrip("\n").split("\n"))
check("client TIME-WAIT, server CLOSED" in screen and "more lines" in screen, "resized: redrawn, cut", screen)
check(0 < prompt_row <= rows and drawn_rows < prompt_row, f"resized: {drawn_rows} rows above the prompt's row "
      f"{prompt_row}, within {rows}", screen)

s.key("q")
status, after, stderr = s.finish()
check(status == 0, f"q: exit 0, got {status}", stderr)
check(after == s.before, "q: the terminal attributes restored")
check(s.output.endswith("\x1b[?1049l") or "\x1b[?1049l" in s.output, "q: back to the main screen", s.output)

# SIGTERM while stepping: exit 143 (128 + 15), the terminal restored.
s = Stepper([str(capture), "--step"])
s.read_screen()
os.kill(s.proc.pid, signal.SIGTERM)
status, after, stderr = s.finish()
check(status == 143, f"SIGTERM: exit 143, got {status}", stderr)
check(after == s.before, "SIGTERM: the terminal attributes restored")

# The ladder view: the rows up to the current segment.
s = Stepper([str(capture), "--step", "--format", "ladder", "--ascii"])
screen = s.read_screen()
check("client SYN-SENT" in status_line(screen), "ladder: first screen's states", screen)
check(re.search(r"^#1 .*SYN seq 0", screen, re.M) is not None and "#2 " not in screen, "ladder: the SYN's row only",
      screen)
screen = s.key("\r")
check(re.search(r"^#2 .*SYN-ACK", screen, re.M) is not None and "#1 " in screen, "ladder: rows 1 and 2", screen)
s.key("q")
status, after, _ = s.finish()
check(status == 0 and after == s.before, "ladder: q exits 0 and restores the terminal")

# --lang fr: the status and help lines in French (docs/glossaire.md), the states keeping their
# RFC 9293 names; b on the first segment answers in French too.
s = Stepper([str(capture), "--step", "--lang", "fr"])
screen = s.read_screen()
top = status_line(screen)
check(f"segment 1 sur {segments}, trame 1" in top and "client SYN-SENT, serveur LISTEN" in top,
      "French: the status line", screen)
check("Entrée/espace\u202f: suivant" in screen, "French: the help line", screen)
screen = s.key("b")
check("c'est le premier segment\u202f:" in screen, "French: b on the first segment", screen)
s.key("q")
status, after, _ = s.finish()
check(status == 0 and after == s.before, "French: q exits 0 and restores the terminal")

# Not a terminal: refused before anything is read.
for stdin_tty, stdout_tty, which in ((False, True, "standard input is not a terminal"),
                                     (True, False, "standard output is not a terminal")):
    s = Stepper([str(capture), "--step"], stdin_tty=stdin_tty, stdout_tty=stdout_tty)
    status, after, stderr = s.finish()
    check(status == 2, f"{which}: exit 2, got {status}", stderr)
    check(which in stderr and "--step" in stderr, f"{which}: said on stderr", stderr)
    check(after == s.before, f"{which}: terminal attributes untouched")

# Outputs --step does not page: usage errors, the terminal untouched.
for args, said in ((["-F", "json"], "--format text"), (["--summary"], "--summary")):
    s = Stepper([str(capture), "--step"] + args)
    status, after, stderr = s.finish()
    check(status == 2 and said in stderr and after == s.before, f"--step {' '.join(args)}: exit 2", stderr)

# demo handshake --step, where a capture on lo is allowed (as root; exit 7 otherwise).
s = Stepper(["demo", "handshake", "--step"])
screen = s.read_screen(20)
if s.proc.poll() is None:
    check("client SYN-SENT" in status_line(screen) and "frame 1" in status_line(screen), "demo: first screen",
          screen)
    s.key("q")
    status, after, stderr = s.finish()
    check(status == 0 and after == s.before, "demo: q exits 0 and restores the terminal", stderr)
else:
    status, _, stderr = s.finish()
    print(f"demo handshake --step not run here (exit {status}): {stderr.strip()}")

print(f"{failures} failure(s)")
sys.exit(1 if failures else 0)
