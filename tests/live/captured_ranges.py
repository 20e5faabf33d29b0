#!/usr/bin/env python3
"""What a capture holds of each direction's byte stream, worked out independently of
tcpflow-explain: an oracle for the missing-byte counts of a snaplen-cut capture.

  captured_ranges.py CAPTURE.pcap

Reads a classic pcap of Ethernet frames holding one IPv4 TCP connection that starts with a
SYN and ends with a FIN each way. For each direction: `end` (the stream length, from the
FIN's sequence number relative to the SYN's), `captured` (how many stream offsets some frame
holds captured bytes for: the union of the captured prefixes of every segment), `missing`
(end - captured) and `late`: captured bytes that first appear in a frame after an earlier
frame's range already reached past them (a resend or a reordered segment). A reassembler that
goes on past a cut tail, instead of waiting for a copy that may never come, may count up to
`late` bytes more as missing. Prints one JSON object keyed "client" and "server".
Stdlib only; exits 2 on a capture it does not understand.
"""

from __future__ import annotations

import json
import struct
import sys


def frames(path: str):
    with open(path, "rb") as f:
        header = f.read(24)
        magic = struct.unpack("<I", header[:4])[0]
        if magic == 0xA1B2C3D4:
            endian = "<"
        elif magic == 0xD4C3B2A1:
            endian = ">"
        else:
            sys.exit("captured_ranges: not a classic microsecond pcap")
        if struct.unpack(endian + "I", header[20:24])[0] != 1:
            sys.exit("captured_ranges: not Ethernet")
        while True:
            record = f.read(16)
            if len(record) < 16:
                return
            _, _, caplen, _ = struct.unpack(endian + "IIII", record)
            yield f.read(caplen)


def segments(path: str):
    """(src_port, flags, seq, wire_payload, captured_payload) of each IPv4 TCP frame."""
    for data in frames(path):
        if len(data) < 14 or data[12:14] != b"\x08\x00":
            continue
        ip = data[14:]
        if len(ip) < 20 or ip[9] != 6:
            continue
        ihl = (ip[0] & 0x0F) * 4
        total = struct.unpack(">H", ip[2:4])[0]
        tcp = ip[ihl:]
        if len(tcp) < 20:
            continue
        src, _, seq = struct.unpack(">HHI", tcp[:8])
        doff = (tcp[12] >> 4) * 4
        flags = tcp[13]
        wire_payload = total - ihl - doff
        captured = max(0, min(wire_payload, len(tcp) - doff))
        yield src, flags, seq, wire_payload, captured


def union_length(intervals: list[tuple[int, int]]) -> int:
    covered, reach = 0, 0
    for start, end in sorted(intervals):
        start = max(start, reach)
        if end > start:
            covered += end - start
            reach = end
    return covered


def subtract(interval: tuple[int, int], covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of `interval` outside every interval of `covered`."""
    parts = [interval]
    for cs, ce in covered:
        parts = [p for s, e in parts for p in ((s, min(e, cs)), (max(s, ce), e)) if p[1] > p[0]]
    return parts


def main() -> int:
    syn, fin = 0x02, 0x01
    isn: dict[int, int] = {}
    client_port = None
    pieces: dict[int, list[tuple[int, int]]] = {}
    end: dict[int, int] = {}
    reach: dict[int, int] = {}
    late: dict[int, int] = {}
    for src, flags, seq, wire, captured in segments(sys.argv[1]):
        if flags & syn:
            isn[src] = seq
            if not flags & 0x10:
                client_port = src
            continue
        if src not in isn:
            sys.exit("captured_ranges: a segment before its direction's SYN")
        offset = (seq - isn[src] - 1) % (1 << 32)
        if captured:
            fresh = subtract((offset, offset + captured), pieces.get(src, []))
            late[src] = late.get(src, 0) + sum(min(e, reach.get(src, 0)) - s for s, e in fresh if s < reach.get(src, 0))
            pieces.setdefault(src, []).append((offset, offset + captured))
        reach[src] = max(reach.get(src, 0), offset + wire)
        if flags & fin:
            end[src] = offset + wire
    if client_port is None or len(end) != 2:
        sys.exit("captured_ranges: expected one connection with a SYN and a FIN each way")
    out = {}
    for port in end:
        clipped = [(s, min(e, end[port])) for s, e in pieces.get(port, [])]
        captured = union_length(clipped)
        out["client" if port == client_port else "server"] = {
            "end": end[port], "captured": captured, "missing": end[port] - captured, "late": late.get(port, 0)}
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
