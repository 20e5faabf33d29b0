"""What the scale tests share: reading a pcap's records, writing pcapng, counting failures."""
import struct
import sys
from pathlib import Path

failures = 0


def check(ok, what):
    global failures
    if not ok:
        failures += 1
        print("FAIL:", what)


def finish():
    print("failures:", failures)
    sys.exit(1 if failures else 0)


def records(path):
    """A pcap file's header (24 bytes) and its records, each with its 16-byte record header."""
    d = Path(path).read_bytes()
    out, o = [], 24
    while o < len(d):
        caplen = struct.unpack("<I", d[o + 8:o + 12])[0]
        out.append(d[o:o + 16 + caplen])
        o += 16 + caplen
    return d[:24], out


def pcapng(link_type, frames):
    """One interface of `link_type`, microsecond timestamps (if_tsresol absent); `frames`:
    (microseconds since 1970, bytes captured[, length on the wire]), the length on the wire by
    default that of the bytes."""
    shb_body = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
    blocks = [struct.pack("<II", 0x0A0D0D0A, 12 + len(shb_body)) + shb_body + struct.pack("<I", 12 + len(shb_body))]
    idb_body = struct.pack("<HHI", link_type, 0, 262144)
    blocks.append(struct.pack("<II", 1, 12 + len(idb_body)) + idb_body + struct.pack("<I", 12 + len(idb_body)))
    for t_us, frame, *wire in frames:
        wire_len = wire[0] if wire else len(frame)
        data = frame + b"\0" * ((4 - len(frame) % 4) % 4)
        body = struct.pack("<IIIII", 0, t_us >> 32, t_us & 0xFFFFFFFF, len(frame), wire_len) + data
        blocks.append(struct.pack("<II", 6, 12 + len(body)) + body + struct.pack("<I", 12 + len(body)))
    return b"".join(blocks)


def split_sample(whole, directory):
    """Writes `whole` (a pcap) split at its middle record into a.pcap and b.pcap, and its odd and
    even records into odd.pcap and even.pcap (files that interleave in time), in `directory`.
    Returns its records and the number of records in a.pcap."""
    header, recs = records(whole)
    half = len(recs) // 2
    directory = Path(directory)
    (directory / "a.pcap").write_bytes(header + b"".join(recs[:half]))
    (directory / "b.pcap").write_bytes(header + b"".join(recs[half:]))
    (directory / "odd.pcap").write_bytes(header + b"".join(recs[0::2]))
    (directory / "even.pcap").write_bytes(header + b"".join(recs[1::2]))
    return recs, half
