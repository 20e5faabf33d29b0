"""Small IPv4/TCP captures written frame by frame, for the shell tests' crafted cases.

    with CraftedPcap(path) as pcap:
        pcap.seg(1, CLIENT, SERVER, 40000, 80, 1000, 0, SYN)

Frame i is stamped at i milliseconds after 1970-01-01T00:00:01Z; every segment has a 20-byte TCP header and window 65535.
"""
import struct

CLIENT, SERVER = [10, 0, 0, 1], [10, 0, 0, 2]
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


class CraftedPcap:
    def __init__(self, path):
        self.out = open(path, "wb")
        self.out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

    def seg(self, i, src, dst, sport, dport, seq, ack, flags, payload=b""):
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), i & 0xFFFF, 0, 64, 6, 0, bytes(src), bytes(dst))
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 65535, 0, 0)
        frame = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + tcp + payload
        self.out.write(struct.pack("<IIII", 1 + i // 1000, i % 1000 * 1000, len(frame), len(frame)) + frame)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.out.close()
