#!/usr/bin/env python3
"""Several files read as one capture, and --shard, against facts built here.
    capture_set_and_shards.py TOOL SOURCE_DIR
- a sample split at its middle (connections cross the boundary), the parts given in reverse
  order, and split odd/even (the files overlap in time): the text and --summary outputs equal
  the whole file's, frame numbers included (they are positions in the merged sequence);
- the second part written as pcapng: the same;
- a missing file: exit 3, the message names it; --keep-going with a damaged file: the rest is
  analysed, a warning and the JSON capture object name the skipped file;
- --shard I/3 on a capture of 300 generated connections: each shard's rows are exactly the
  connections the FNV-1a 64 recipe of docs/scale.md puts there, and the shards' rows together
  are the unsharded run's, none twice."""
import csv
import json
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

from capture_files import check, finish, pcapng, records, split_sample

tool, source = sys.argv[1], Path(sys.argv[2])


def run(*args, expect=0):
    done = subprocess.run([tool, "--color", "never", *args], capture_output=True, text=True)
    check(done.returncode == expect, f"{args}: exit {done.returncode}, expected {expect}: {done.stderr}")
    return done


def write_pcapng(path, recs):
    """The pcap records `recs` in a pcapng file, Ethernet."""
    frames = []
    for r in recs:
        sec, usec, _, wire = struct.unpack("<IIII", r[:16])
        frames.append((sec * 1_000_000 + usec, r[16:], wire))
    Path(path).write_bytes(pcapng(1, frames))


def fnv_shard(a_ip, a_port, b_ip, b_port, n):
    lo, hi = sorted([(a_ip, a_port), (b_ip, b_port)])
    h = 0xCBF29CE484222325
    for byte in lo[0] + lo[1].to_bytes(2, "big") + hi[0] + hi[1].to_bytes(2, "big"):
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h % n + 1


def tcp_frame(src, dst, sport, dport, seq, ack, flags):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, src, dst)
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + tcp


def many_connections(path, count):
    """`count` connections (handshake, FIN both ways), interleaved two at a time."""
    recs, t = [], 1_700_000_000_000_000
    conns = []
    for i in range(count):
        c = bytes([10, 1, i // 250, i % 250 + 1])
        s = bytes([10, 2, (i * 7) // 250 % 250, (i * 7) % 250 + 1])
        conns.append((c, s, 20000 + i, 80 + i % 3))
    for c, s, cp, sp in conns:
        for src, dst, a, b, seq, ack, fl in [(c, s, cp, sp, 100, 0, 0x02), (s, c, sp, cp, 500, 101, 0x12),
                                             (c, s, cp, sp, 101, 501, 0x10), (c, s, cp, sp, 101, 501, 0x11),
                                             (s, c, sp, cp, 501, 102, 0x11), (c, s, cp, sp, 102, 502, 0x10)]:
            t += 1000
            frame = tcp_frame(src, dst, a, b, seq, ack, fl)
            recs.append(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(frame), len(frame)) + frame)
    header = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1)
    Path(path).write_bytes(header + b"".join(recs))
    return conns


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    for sample in ["port-reuse.pcap", "loss-retrans.pcap", "reorder.pcap"]:
        whole = source / "samples" / sample
        recs, half = split_sample(whole, tmp)
        write_pcapng(tmp / "b.pcapng", recs[half:])
        for mode in [[], ["--summary"]]:
            expected = run(*mode, str(whole)).stdout
            for files, threads in [(["b.pcap", "a.pcap"], "1"), (["odd.pcap", "even.pcap"], "auto"),
                                   (["a.pcap", "b.pcapng"], "1")]:
                args = [x for f in files for x in ("-r", str(tmp / f))]
                got = run(*mode, "--threads", threads, *args).stdout
                check(got == expected, f"{sample} {mode} from {files}: differs from the whole file")
        listed = tmp / "list.txt"
        listed.write_text(f"{tmp / 'odd.pcap'}\n\n{tmp / 'even.pcap'}\n")
        check(run("--summary", "--file-list", str(listed)).stdout == run("--summary", str(whole)).stdout,
              f"{sample}: --file-list differs")

    frames_read = len(records(tmp / "a.pcap")[1]) + len(records(tmp / "b.pcap")[1])
    missing = run("-r", str(tmp / "a.pcap"), "-r", str(tmp / "nothere.pcap"), expect=3)
    check("nothere.pcap" in missing.stderr, "a missing file is named")
    (tmp / "damaged.pcap").write_bytes(b"\x13\x37" * 40)
    damaged = run("-r", str(tmp / "a.pcap"), "-r", str(tmp / "damaged.pcap"), expect=4)
    check("damaged.pcap" in damaged.stderr, "a damaged file is named")
    kept = run("--keep-going", "-F", "json", "-r", str(tmp / "a.pcap"), "-r", str(tmp / "damaged.pcap"), "-r",
               str(tmp / "b.pcap"))
    doc = json.loads(kept.stdout)
    check(doc["capture"].get("files") == [str(tmp / "a.pcap"), str(tmp / "b.pcap")], "the files read are listed")
    check([s["path"] for s in doc["capture"].get("skipped_files", [])] == [str(tmp / "damaged.pcap")],
          "the skipped file is listed")
    check("damaged.pcap" in kept.stderr, "a warning names the skipped file")
    check(doc["summary"]["frames"] == frames_read, "every frame of the other files is read")

    conns = many_connections(tmp / "many.pcap", 300)
    whole = run("--summary", "-F", "csv", str(tmp / "many.pcap")).stdout.splitlines()
    check(len(whole) == 301, f"300 connections expected, {len(whole) - 1} rows")
    union = []
    for i in (1, 2, 3):
        rows = run("--summary", "-F", "csv", "--shard", f"{i}/3", str(tmp / "many.pcap")).stdout.splitlines()[1:]
        got = sorted(r.split(",", 1)[1] for r in rows)
        union += got
        expected_ports = sorted(cp for c, s, cp, sp in conns if fnv_shard(c, cp, s, sp, 3) == i)
        got_ports = sorted(int(r["client_port"]) for r in csv.DictReader([whole[0]] + rows))
        check(got_ports == expected_ports, f"shard {i}/3 holds the connections the recipe puts there")
    check(sorted(union) == sorted(r.split(",", 1)[1] for r in whole[1:]), "the shards' rows are the whole run's")
    run("--shard", "4/3", str(tmp / "many.pcap"), expect=2)
    run("--shard", "0/3", str(tmp / "many.pcap"), expect=2)

finish()
