#!/usr/bin/env python3
"""Under a BPF filter, frame numbers are the file's own: tshark's frame.number.

usage: bpf_frame_numbers.py TOOL CORPUS_DIR   (exit 77 = skipped: no corpus or no tshark)

For each capture below, the set of frame numbers our JSON Lines output lists for the BPF filter
`tcp port 80` must equal the frame numbers `tshark -r F -Y tcp.port==80` prints: the filter
skips frames, and the frames it keeps are numbered as in the whole file. Each capture is read
by each of our reading paths that applies: by name (pcapng reader, or the classic pcap block
reader), and as standard input (libpcap reads it). The captures are chosen so that port 80
frames are a strict subset, not the first frames of the file, so a renumbering from 1 among the
kept frames cannot pass.
"""
import json
import os
import shutil
import subprocess
import sys

CAPTURES = [
    "pp-eth-mixed-66-streams.pcap",      # Ethernet, 4441 of 4631 frames on port 80
    "nd-ooo-retrans-zero-window.pcap",   # Ethernet, 19 of 303
    "nd-port-scan.pcap",                 # a scan: 4 of 30
    "pp-sll-long-stream.pcap",           # Linux cooked capture
    "pp-pcapng-multi-linktype.pcapng",   # pcapng, interfaces of several link types: 4 of 159
]
BPF = "tcp port 80"
DISPLAY = "tcp.port==80"


def ours(tool, path, stdin):
    cmd = [tool, "-" if stdin else path, BPF, "--format", "jsonl"]
    with open(path, "rb") as f:
        out = subprocess.run(cmd, stdin=f if stdin else subprocess.DEVNULL, capture_output=True, check=True).stdout
    frames = set()
    for line in out.decode().splitlines():
        event = json.loads(line)
        if event.get("type") == "segment":
            frames.add(event["frame"])
    return frames


def theirs(path):
    out = subprocess.run(["tshark", "-r", path, "-Y", DISPLAY, "-T", "fields", "-e", "frame.number"],
                         capture_output=True, check=True).stdout
    return {int(x) for x in out.decode().split()}


def main():
    tool, corpus = sys.argv[1], sys.argv[2]
    pcaps = os.path.join(corpus, "pcaps")
    if not os.path.isdir(pcaps):
        print(f"SKIP: no corpus at {corpus}")
        return 77
    if shutil.which("tshark") is None:
        print("SKIP: tshark is not installed")
        return 77
    failures = 0
    for name in CAPTURES:
        path = os.path.join(pcaps, name)
        if not os.path.exists(path):
            print(f"SKIP {name}: not in the corpus")
            continue
        want = theirs(path)
        if not want or want == set(range(1, len(want) + 1)):
            print(f"FAIL {name}: tshark's port 80 frames are not a strict subset that a renumbering would change")
            failures += 1
            continue
        paths = [False] if name.endswith(".pcapng") else [False, True]
        for stdin in paths:
            got = ours(tool, path, stdin)
            how = "stdin" if stdin else "file"
            if got != want:
                only_ours = sorted(got - want)[:10]
                only_theirs = sorted(want - got)[:10]
                print(f"FAIL {name} ({how}): {len(got)} frames vs tshark's {len(want)}; "
                      f"only ours {only_ours}, only tshark's {only_theirs}")
                failures += 1
            else:
                print(f"ok   {name} ({how}): {len(got)} frames, the first {sorted(got)[:3]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
