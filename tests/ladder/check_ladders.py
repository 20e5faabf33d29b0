#!/usr/bin/env python3
"""Checks the ladder diagrams of every capture in the repository (samples/, tests/data/lab/):

* terminal ladder (Unicode, ASCII, and coloured, in English and in French): no line wider than
  80 display columns once the colour escapes are stripped; the ASCII form, in French too (its
  accents and narrow no-break spaces transliterated), holds bytes below 0x80 only;
* SVG (even, linear and log time): well-formed XML, one `<g id="conn-N">` per connection and
  one arrow with `data-frame="N"` per TCP segment, the frames being exactly those the JSON
  output lists; every text is drawn from the characters our labels use;
* Mermaid: starts with `sequenceDiagram`, every other line is one of the statements the
  renderer writes, every text free of the characters Mermaid's grammar reads (`#` outside an
  entity code, `;`, `%`, `<`, `>`, `&`, `"`), one message per TCP segment.

  check_ladders.py TCPFLOW_EXPLAIN SOURCE_DIR
"""
import glob
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

exe, root = sys.argv[1], sys.argv[2]
captures = sorted(glob.glob(os.path.join(root, "samples", "*.pcap")) +
                  glob.glob(os.path.join(root, "tests", "data", "lab", "*.pcap*")))
failures = []
WIDTH = 80
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Mermaid text: anything but the characters its grammar or HTML reads, or an entity code.
TEXT = r'(?:[^#;%<>&"\x00-\x1f]|#(?:[0-9]+|[a-z]+);)*'
MERMAID_LINES = [
    re.compile(r"^    participant c\d+[cs] as " + TEXT + r"$"),
    re.compile(r"^    Note over c(\d+)c,c\1s: " + TEXT + r"$"),
    re.compile(r"^    Note left of c\d+c: " + TEXT + r"$"),
    re.compile(r"^    Note right of c\d+s: " + TEXT + r"$"),
    re.compile(r"^    (c\d+)[cs](?:->>|-->>|-x)\1[cs]: " + TEXT + r"$"),
    re.compile(r"^    %% no TCP connection in this capture$"),
]
MESSAGE = re.compile(r"^    c\d+[cs](->>|-->>|-x)c\d+[cs]: ")
# Characters of the SVG texts: printable ASCII and the marks of retransmission, probe, keep-alive.
SVG_TEXT = re.compile("^[\x20-\x7e\u21bb\u25c7\u2661]*$")


def run(capture, *args, env=None):
    r = subprocess.run([exe, capture, *args], capture_output=True, env=env)
    if r.returncode != 0:
        failures.append(f"{capture} {' '.join(args)}: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
        return ""
    return r.stdout.decode("utf-8")


def fail(capture, what):
    failures.append(f"{os.path.relpath(capture, root)}: {what}")


utf8 = dict(os.environ, LC_ALL="C.UTF-8")
for cap in captures:
    doc = json.loads(run(cap, "--format", "json") or "{}")
    frames = sorted(s["frame"] for c in doc.get("conversations", []) for s in c.get("segments", []))
    connections = len(doc.get("conversations", []))

    for args in (["--format", "ladder"], ["--format", "ladder", "--ascii"],
                 ["--format", "ladder", "--color", "always"], ["--format", "ladder", "--lang", "fr"],
                 ["--format", "ladder", "--ascii", "--lang", "fr"]):
        out = run(cap, *args, env=utf8)
        for n, line in enumerate(out.split("\n"), 1):
            shown = ANSI.sub("", line)
            if len(shown) > WIDTH:
                fail(cap, f"{' '.join(args)}: line {n} is {len(shown)} columns wide: {shown!r}")
            if "\t" in shown or "\x1b" in shown:
                fail(cap, f"{' '.join(args)}: line {n} holds a tab or a stray escape")
        if "--ascii" in args:
            high = [b for b in out.encode("utf-8") if b >= 0x80]
            if high:
                fail(cap, f"{' '.join(args)}: {len(high)} bytes >= 0x80 (the first 0x{high[0]:02x})")

    for scale in ("even", "linear", "log"):
        out = run(cap, "--format", "svg", "--time-scale", scale)
        try:
            svg = ET.fromstring(out.encode("utf-8"))
        except ET.ParseError as e:
            fail(cap, f"svg {scale}: not well-formed: {e}")
            continue
        ns = "{http://www.w3.org/2000/svg}"
        drawn = sorted(int(e.get("data-frame")) for e in svg.iter() if e.get("data-frame") is not None)
        if drawn != frames:
            fail(cap, f"svg {scale}: arrows for frames {drawn[:10]}..., the JSON lists {frames[:10]}...")
        for e in svg.iter(ns + "line"):
            if e.get("data-frame") is not None and "seg" not in e.get("class", "").split():
                fail(cap, f"svg {scale}: arrow of frame {e.get('data-frame')} lacks class seg")
        groups = [e.get("id") for e in svg.iter(ns + "g") if (e.get("id") or "").startswith("conn-")]
        if len(groups) != connections or len(set(groups)) != len(groups):
            fail(cap, f"svg {scale}: groups {groups}, {connections} connections")
        for e in svg.iter(ns + "text"):
            if not SVG_TEXT.match("".join(e.itertext())):
                fail(cap, f"svg {scale}: unexpected text {''.join(e.itertext())!r}")

    out = run(cap, "--format", "mermaid")
    lines = out.rstrip("\n").split("\n")
    if lines[0] != "sequenceDiagram":
        fail(cap, f"mermaid: first line {lines[0]!r}")
    declared = set()
    messages = 0
    for n, line in enumerate(lines[1:], 2):
        if not any(p.match(line) for p in MERMAID_LINES):
            fail(cap, f"mermaid: line {n} is no statement we write: {line!r}")
        m = re.match(r"^    participant (c\d+[cs]) ", line)
        if m:
            declared.add(m.group(1))
        for who in re.findall(r"\b(c\d+[cs])\b", line.split(":")[0]):
            if who not in declared:
                fail(cap, f"mermaid: line {n} uses {who} before declaring it")
        m = MESSAGE.match(line)
        if m and m.group(1) != "-x":
            messages += 1
    if messages != len(frames):
        fail(cap, f"mermaid: {messages} messages, {len(frames)} segments")

for f in failures:
    print(f, file=sys.stderr)
print(f"{len(captures)} captures checked, {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
