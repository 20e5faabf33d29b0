#!/usr/bin/env python3
"""Turn off checksum/segmentation offloads of an interface without the ethtool binary.

Usage: offload.py IFNAME [IFNAME...]     (run inside the interface's namespace)

Uses the legacy SIOCETHTOOL set commands (tx checksumming, scatter-gather, TSO, GSO,
GRO), then reads them back and prints one line per interface. Exit status 1 if a
feature could not be turned off. Stdlib only (fcntl + ctypes for the ifreq pointer).
"""

import ctypes
import fcntl
import socket
import struct
import sys

SIOCETHTOOL = 0x8946
# (name, get command, set command) from linux/ethtool.h
FEATURES = [
    ("tx-checksum", 0x16, 0x17),
    ("sg", 0x18, 0x19),
    ("tso", 0x1E, 0x1F),
    ("gso", 0x23, 0x24),
    ("gro", 0x2B, 0x2C),
]


def ethtool_value(sock, ifname: str, cmd: int, data: int = 0) -> int:
    buf = ctypes.create_string_buffer(struct.pack("II", cmd, data), 8)
    ifreq = struct.pack("16sP", ifname.encode()[:15], ctypes.addressof(buf))
    ifreq += b"\0" * (40 - len(ifreq))
    fcntl.ioctl(sock.fileno(), SIOCETHTOOL, ifreq)
    return struct.unpack("II", buf.raw)[1]


def main(argv) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    rc = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for ifname in argv:
            states = []
            for name, get_cmd, set_cmd in FEATURES:
                try:
                    ethtool_value(s, ifname, set_cmd, 0)
                except OSError:
                    pass  # read back below decides
                try:
                    on = ethtool_value(s, ifname, get_cmd)
                except OSError as e:
                    states.append("%s=?(%s)" % (name, e.strerror))
                    rc = 1
                    continue
                states.append("%s=%s" % (name, "on" if on else "off"))
                if on and name != "sg":
                    rc = 1
            print("%s: %s" % (ifname, " ".join(states)))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
