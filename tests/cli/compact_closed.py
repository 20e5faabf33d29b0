#!/usr/bin/env python3
"""--compact-closed changes memory, never output: every sample, and the captures of ../shared
(the tshark corpus and the hand-made lab captures) when present, give the same standard
output, standard error and exit status with and without it, in the walkthrough, JSONL, CSV,
--summary and the JSON document. A closed connection lingers 5 s by default; --closed-linger
60 keeps the closed ones of long captures lingering until the end as well, so that they are
read back from their compact form at the end of the capture rather than at their expiry.
    compact_closed.py TOOL SOURCE_DIR"""
import subprocess
import sys
from pathlib import Path

tool = sys.argv[1]
source = Path(sys.argv[2]).resolve()
shared = source.parent / "shared"

captures = sorted((source / "samples").glob("*.pcap"))
if (shared / "corpus" / "pcaps").is_dir():
    captures += sorted(p for p in (shared / "corpus" / "pcaps").iterdir() if p.suffix in (".pcap", ".pcapng", ".cap"))
    captures += sorted(p for p in (shared / "lab").iterdir() if p.suffix in (".pcap", ".pcapng"))
else:
    print(f"note: {shared} is absent (as in a user's clone): the samples only")

MODES = [[], ["-F", "jsonl"], ["-F", "csv"], ["--summary"], ["-F", "json"], ["--closed-linger", "60"]]


def run(args):
    p = subprocess.run([tool] + args, capture_output=True)
    return p.returncode, p.stdout, p.stderr


failures = 0
runs = 0
for capture in captures:
    # Every mode on the samples; the walkthrough and JSONL on the larger sets.
    modes = MODES if capture.parent.name == "samples" else [[], ["-F", "jsonl"]]
    for mode in modes:
        args = mode + ["--threads", "1", str(capture)]
        whole = run(args)
        compact = run(["--compact-closed"] + args)
        runs += 1
        if whole != compact:
            failures += 1
            what = ["exit status", "standard output", "standard error"][[a != b for a, b in zip(whole, compact)].index(True)]
            print(f"FAIL: {capture.name} {' '.join(mode)}: the {what} differs with --compact-closed")

print(f"{runs} comparisons, {failures} failure(s)")
sys.exit(1 if failures or runs == 0 else 0)
