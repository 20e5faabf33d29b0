#!/usr/bin/env python3
"""-F dot on every sample: graphviz accepts it, one digraph per output, and every frame number
on a state-diagram edge is a segment whose JSON output (same capture) shows that very state
change of that endpoint. Exit 77 (skipped) when graphviz's `dot` is missing."""

import glob
import json
import os
import re
import shutil
import subprocess
import sys

EXE, SOURCE = sys.argv[1], sys.argv[2]

NODE = re.compile(r'^\s*(c(\d+)_s\d+) \[label="([^"]*)"', re.M)
EDGE = re.compile(r'^\s*(c(\d+)_s\d+) -> (c\d+_s\d+) \[label="((?:[^"\\]|\\.)*)"', re.M)
FRAMES = re.compile(r'^(client|server) (.*)$')


def run(*args):
    return subprocess.run([EXE, *args, "--color", "never"], check=True, capture_output=True).stdout.decode()


def check_graphviz(name, text, failures):
    if text.count("digraph") != 1:
        failures.append(f"{name}: {text.count('digraph')} digraphs, want 1")
    r = subprocess.run(["dot", "-Tsvg", "-o", os.devnull], input=text.encode(), capture_output=True)
    if r.returncode != 0:
        failures.append(f"{name}: dot -Tsvg failed: {r.stderr.decode()[:300]}")


def state_changes(capture):
    """(conversation, frame) -> set of (endpoint, from, to) from the JSON output."""
    doc = json.loads(run(capture, "--format", "json"))
    changes = {}
    for conv in doc["conversations"]:
        for seg in conv.get("segments", []):
            for c in seg.get("state_changes", []):
                changes.setdefault((conv["id"], seg["frame"]), set()).add((c["endpoint"], c["from"], c["to"]))
    return changes


def check_edge_frames(name, text, changes, failures):
    labels = {node: label for node, _, label in NODE.findall(text)}
    checked = 0
    for src, conv, dst, label in EDGE.findall(text):
        for line in label.split("\\n")[1:]:
            m = FRAMES.match(line)
            if not m:
                failures.append(f"{name}: edge {src}->{dst} line {line!r} names no endpoint")
                continue
            who, frames = m.groups()
            shown = [int(f) for f in re.findall(r"#(\d+)", frames.split("\u2026")[0])]
            more = re.search(r"\(\+(\d+)\)", frames)
            if not shown and not more:
                failures.append(f"{name}: edge {src}->{dst} for the {who} without a frame")
            for f in shown:
                want = (who, labels[src], labels[dst])
                if want not in changes.get((int(conv), f), set()):
                    failures.append(f"{name}: frame {f} on {want} but the JSON of that frame says "
                                    f"{sorted(changes.get((int(conv), f), set()))}")
                checked += 1
    return checked


def main():
    if shutil.which("dot") is None:
        print("graphviz's dot is not installed: skipped")
        return 77
    captures = sorted(glob.glob(os.path.join(SOURCE, "samples", "*.pcap")))
    captures += [os.path.join(SOURCE, "tests", "data", "lab", n) for n in ("simul.pcap", "lab.pcap")]
    failures = []
    frames_checked = 0
    for capture in captures:
        base = os.path.basename(capture)
        changes = state_changes(capture)
        for graph in ("states", "full"):
            name = f"{base} --graph {graph}"
            text = run(capture, "--format", "dot", "--graph", graph)
            check_graphviz(name, text, failures)
            frames_checked += check_edge_frames(name, text, changes, failures)
        check_graphviz(f"{base} --graph talkers", run(capture, "--format", "dot", "--graph", "talkers"), failures)
    if frames_checked == 0:
        failures.append("no frame number found on any edge")
    for f in failures:
        print("FAIL", f)
    print(f"{len(captures)} captures, {frames_checked} edge frames checked against the JSON")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
