#!/usr/bin/env python3
"""Which file each frame came from (the segments' "file" in JSON and JSONL), and files of
different link types and formats read as one capture, against facts built here.
    frame_files.py TOOL SOURCE_DIR
- a sample split at a known frame, and split odd/even (the files interleave in time): every
  segment's "file" is the index, in capture.files, of the file its frame was written to;
  with the files given in the other order, the indexes follow capture.files;
- one file read alone: no segment has "file";
- one connection written here, its first frames in an Ethernet pcap and the rest in a Linux
  cooked (SLL) pcapng or a raw IP (LINKTYPE_RAW) pcap: one connection, with every frame and
  the payload bytes written, each segment's "file" the file its frame is in."""
import json
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

from capture_files import check, finish, pcapng, records, split_sample

tool, source = sys.argv[1], Path(sys.argv[2])


def run(*args):
    done = subprocess.run([tool, "--color", "never", *args], capture_output=True, text=True)
    check(done.returncode == 0, f"{args}: exit {done.returncode}: {done.stderr}")
    return done.stdout


def segments_of_document(text):
    doc = json.loads(text)
    segments = [s for c in doc["conversations"] for s in c["segments"]] + doc["malformed_frames"]
    return doc, segments


def segments_of_lines(text):
    return [r for r in map(json.loads, text.splitlines()) if r.get("type") == "segment"]


def file_of_each_frame(segments):
    return {s["frame"]: s.get("file") for s in segments}


def check_files(args, expected, what):
    """`expected`: frame number -> file index, for every frame of the capture."""
    for threads in ("1", "auto"):
        doc, segments = segments_of_document(run("--threads", threads, "-F", "json", *args))
        check(file_of_each_frame(segments) == expected, f"{what}, json, --threads {threads}: segment files")
        lines = segments_of_lines(run("--threads", threads, "-F", "jsonl", *args))
        check(file_of_each_frame(lines) == expected, f"{what}, jsonl, --threads {threads}: segment files")
    return doc


def pcap(link_type, recs):
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, link_type) + b"".join(recs)


def pcap_record(t_us, frame):
    return struct.pack("<IIII", t_us // 1_000_000, t_us % 1_000_000, len(frame), len(frame)) + frame


CLIENT, SERVER = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
CPORT, SPORT = 40000, 8080


def ip_packet(from_client, seq, ack, flags, payload=b""):
    src, dst, sport, dport = (CLIENT, SERVER, CPORT, SPORT) if from_client else (SERVER, CLIENT, SPORT, CPORT)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, src, dst) + tcp


def ethernet(packet):
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + packet


def linux_sll(packet):
    # packet type 0 (to us), ARPHRD_ETHER, 6-byte address padded to 8, protocol IPv4.
    return struct.pack("!HHH8sH", 0, 1, 6, b"\x02\0\0\0\0\x01\0\0", 0x0800) + packet


# One connection: handshake, 100 bytes from the client, 300 from the server, FINs both ways.
C_ISN, S_ISN = 1000, 5000
CONNECTION = [
    (True, C_ISN, 0, 0x02, b""),
    (False, S_ISN, C_ISN + 1, 0x12, b""),
    (True, C_ISN + 1, S_ISN + 1, 0x10, b""),
    (True, C_ISN + 1, S_ISN + 1, 0x18, b"c" * 100),
    (False, S_ISN + 1, C_ISN + 101, 0x10, b""),
    (False, S_ISN + 1, C_ISN + 101, 0x18, b"s" * 300),
    (True, C_ISN + 101, S_ISN + 301, 0x10, b""),
    (True, C_ISN + 101, S_ISN + 301, 0x11, b""),
    (False, S_ISN + 301, C_ISN + 102, 0x11, b""),
    (True, C_ISN + 102, S_ISN + 302, 0x10, b""),
]
SPLIT = 4  # frames 1-4 in the Ethernet file, 5-10 in the other
T0 = 1_700_000_000_000_000


def check_mixed(tmp, second_name, second_bytes, link_name):
    packets = [ip_packet(*p) for p in CONNECTION]
    first = tmp / "ether.pcap"
    first.write_bytes(pcap(1, [pcap_record(T0 + i * 1000, ethernet(p)) for i, p in enumerate(packets[:SPLIT])]))
    second = tmp / second_name
    second.write_bytes(second_bytes([(T0 + i * 1000, p) for i, p in enumerate(packets) if i >= SPLIT]))
    for files, index_of_first in [([first, second], 0), ([second, first], 1)]:
        args = [x for f in files for x in ("-r", str(f))]
        expected = {n: index_of_first if n <= SPLIT else 1 - index_of_first for n in range(1, len(packets) + 1)}
        what = f"Ethernet pcap and {link_name} {second_name}, {[f.name for f in files]}"
        doc = check_files(args, expected, what)
        check(len(doc["conversations"]) == 1, f"{what}: one connection, {len(doc['conversations'])} found")
        if not doc["conversations"]:
            continue
        c = doc["conversations"][0]
        check(c["client_to_server"]["packets"] == 6 and c["server_to_client"]["packets"] == 4,
              f"{what}: 6 client and 4 server frames")
        check(c["client_to_server"]["payload_bytes"] == 100 and c["server_to_client"]["payload_bytes"] == 300,
              f"{what}: 100 and 300 payload bytes")
        check(c["close"] == "graceful" and c["handshake"] == "complete", f"{what}: complete and graceful")
        check(doc["summary"]["frames"] == 10 and doc["malformed_frames"] == [], f"{what}: 10 frames, none malformed")
        check(sorted(doc["capture"]["link_types"]) == sorted(["EN10MB (Ethernet)", link_name]),
              f"{what}: link types {doc['capture']['link_types']}")


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    for sample in ["loss-retrans.pcap", "reorder.pcap"]:
        whole = source / "samples" / sample
        recs, half = split_sample(whole, tmp)
        frames = range(1, len(recs) + 1)
        # The merge gives the parts' frames the whole file's numbers (capture_set_and_shards.py).
        check_files(["-r", str(tmp / "a.pcap"), "-r", str(tmp / "b.pcap")],
                    {n: 0 if n <= half else 1 for n in frames}, f"{sample} split at frame {half}")
        check_files(["-r", str(tmp / "b.pcap"), "-r", str(tmp / "a.pcap")],
                    {n: 1 if n <= half else 0 for n in frames}, f"{sample} split, parts given in reverse")
        check_files(["-r", str(tmp / "odd.pcap"), "-r", str(tmp / "even.pcap")],
                    {n: (n - 1) % 2 for n in frames}, f"{sample} split odd/even")
        alone = run("-F", "jsonl", str(whole)) + run("-F", "json", str(whole))
        check('"file"' not in alone, f"{sample} read alone: no segment says its file")

    check_mixed(tmp, "sll.pcapng", lambda frames: pcapng(113, [(t, linux_sll(p)) for t, p in frames]),
                "LINUX_SLL (Linux cooked v1)")
    check_mixed(tmp, "raw.pcap", lambda frames: pcap(101, [pcap_record(t, p) for t, p in frames]),
                "RAW (raw IP)")

finish()
