#!/usr/bin/env python3
"""`check` over several files read as one capture (-r repeated, --file-list, --keep-going).
    check_file_set.py TOOL SOURCE_DIR
A sample of one connection split at its middle frame: the handshake is in the first file and
the FINs in the second, so `handshake == complete` and `close == graceful` hold only when both
are read as one connection, and `packets == N` (N the records written here) only when no frame
is lost or counted twice. The report, its source aside, is the whole file's; a failing
expectation fails the same way; a missing file stops the check (exit 2, named) unless
--keep-going, which names it in a warning; -i with -r is a usage error."""
import json
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

from capture_files import check, finish, split_sample

tool, source = sys.argv[1], Path(sys.argv[2])


def run_check(*args, expect):
    done = subprocess.run([tool, "check", *args], capture_output=True, text=True)
    check(done.returncode == expect, f"check {args}: exit {done.returncode}, expected {expect}: {done.stderr}")
    return done


def without_source(report_text):
    report = json.loads(report_text)
    report["capture"].pop("source", None)
    return report


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    whole = source / "samples" / "loss-retrans.pcap"
    recs, half = split_sample(whole, tmp)
    a, b = tmp / "a.pcap", tmp / "b.pcap"
    expectations = ["--count", "1", "--expect", "handshake == complete", "--expect", "close == graceful", "--expect",
                    f"packets == {len(recs)}"]

    # Each half alone fails: the check needs both files to pass.
    run_check(*expectations, str(a), expect=1)
    run_check(*expectations, str(b), expect=1)

    expected = without_source(run_check("--format", "json", *expectations, str(whole), expect=0).stdout)
    listed = tmp / "list.txt"
    listed.write_text(f"{a}\n{b}\n")
    for files in (["-r", str(a), "-r", str(b)], ["-r", str(b), "-r", str(a)], ["--file-list", str(listed)],
                  ["-r", str(a), "--file-list", str(tmp / "rest.txt")]):
        (tmp / "rest.txt").write_text(f"{b}\n")
        got = run_check("--format", "json", *expectations, *files, expect=0)
        check(without_source(got.stdout) == expected, f"{files}: the report differs from the whole file's")
        check(str(a) in json.loads(got.stdout)["capture"]["source"], f"{files}: the source names the files")

    # A failing expectation fails the same way.
    failing = ["--expect", f"packets == {len(recs) + 1}"]
    expected_fail = without_source(run_check("--format", "json", *failing, str(whole), expect=1).stdout)
    got_fail = without_source(run_check("--format", "json", *failing, "-r", str(a), "-r", str(b), expect=1).stdout)
    check(got_fail == expected_fail, "a failing expectation: the report differs from the whole file's")

    # The words after the files are the filter: a port no frame has selects no connection.
    run_check("--count", "0", "--expect", "packets == 0", "-r", str(a), "-r", str(b), "tcp", "port", "9", expect=0)

    missing = tmp / "nothere.pcap"
    gone = run_check(*expectations, "-r", str(a), "-r", str(missing), "-r", str(b), expect=2)
    check("nothere.pcap" in gone.stderr, "a missing file is named")
    kept = run_check(*expectations, "--keep-going", "-r", str(a), "-r", str(missing), "-r", str(b), expect=0)
    check("nothere.pcap" in kept.stdout, "--keep-going: the report's warning names the skipped file")
    check("nothere.pcap" not in kept.stdout.splitlines()[0], "--keep-going: the source names only the files read")
    run_check(*expectations, "-i", "lo", "-r", str(a), expect=2)

finish()
