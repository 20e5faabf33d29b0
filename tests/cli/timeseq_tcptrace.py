#!/usr/bin/env python3
"""The time-sequence graph (-F svg --graph timeseq) against tcptrace's on the same captures.

tcptrace -S writes its time-sequence graph of each direction as an xplot file (a2b_tsg.xpl:
the first host seen, the client here, to the other). On the client's data of
samples/loss-retrans.pcap and samples/reorder.pcap, ours must show what tcptrace shows:
  - as many retransmissions (our red I-beams, class "retrans") as tcptrace's "R" labels;
  - as many SACK blocks of the receiver (class "sack") as tcptrace's purple SACK lines;
  - one I-beam per data segment tcptrace counts ("actual data pkts", retransmissions
    included), plus one for the SYN (the client's FIN rides on its last data segment in both).
Exit 77 (skipped) when tcptrace is not installed.

    timeseq_tcptrace.py TOOL SOURCE_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

CAPTURES = ("loss-retrans", "reorder")


def ours(tool, capture):
    svg = subprocess.run([tool, "-F", "svg", "--graph", "timeseq", capture], check=True,
                         capture_output=True, text=True).stdout
    count = lambda cls: len(re.findall(r'class="%s[ "]' % cls, svg))
    return {"retrans": count("retrans"), "sack": count("sack"), "ibeams": count("seg") + count("retrans")}


def theirs(capture, work):
    subprocess.run(["tcptrace", "-S", "-zxy", "-n", capture], check=True, cwd=work, capture_output=True)
    with open(os.path.join(work, "a2b_tsg.xpl")) as f:
        lines = [line.strip() for line in f]
    report = subprocess.run(["tcptrace", "-l", "-n", capture], check=True, capture_output=True, text=True).stdout
    data = re.search(r"actual data pkts:\s+(\d+)", report)
    return {"retrans": lines.count("R"), "sack": lines.count("purple"), "ibeams": int(data.group(1)) + 1}


def main():
    tool, source = sys.argv[1], os.path.abspath(sys.argv[2])
    if shutil.which("tcptrace") is None:
        print("SKIPPED: tcptrace is not installed (scripts/bootstrap.sh --test installs it)")
        return 77
    failures = 0
    for name in CAPTURES:
        capture = os.path.join(source, "samples", name + ".pcap")
        with tempfile.TemporaryDirectory() as work:
            want = theirs(capture, work)
        got = ours(tool, capture)
        for key in ("retrans", "sack", "ibeams"):
            status = "ok" if got[key] == want[key] else "FAIL"
            failures += status == "FAIL"
            print(f"{status} {name}: {key} ours {got[key]}, tcptrace {want[key]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
