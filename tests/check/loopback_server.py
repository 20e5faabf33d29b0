#!/usr/bin/env python3
"""Tiny loopback TCP server for the live `check` tests.

usage: loopback_server.py MODE PORTFILE
  MODE graceful: read the request, answer "HTTP/1.0 200 OK", close normally (FIN).
  MODE reset:    read the request, then close with SO_LINGER {1, 0}: the kernel sends RST.
Binds 127.0.0.1 on a free port, writes the port to PORTFILE once listening, serves until
killed. No third-party modules.
"""
import os
import socket
import struct
import sys


def main() -> int:
    mode, portfile = sys.argv[1], sys.argv[2]
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.getsockname()[1]))
    os.rename(tmp, portfile)
    while True:
        conn, _ = srv.accept()
        conn.settimeout(5)
        data = b""
        try:
            while b"\r\n\r\n" not in data and b"\n\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        if mode == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
            continue
        body = b"hello from the graceful server\n"
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        try:
            conn.shutdown(socket.SHUT_WR)
            while conn.recv(4096):
                pass
        except OSError:
            pass
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
