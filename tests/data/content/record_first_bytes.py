#!/usr/bin/env python3
"""Relays one TCP connection on loopback and keeps the first bytes of each direction.

    record_first_bytes.py LISTEN_PORT UPSTREAM_PORT OUT_PREFIX [MAX_BYTES] [SECONDS]

Accepts one connection on 127.0.0.1:LISTEN_PORT, connects to 127.0.0.1:UPSTREAM_PORT,
forwards both ways for SECONDS (default 3) and writes OUT_PREFIX.client.bin and
OUT_PREFIX.server.bin: the first MAX_BYTES (default 4096) bytes each side sent, exactly as
the peer's socket delivered them (what a stream reassembler rebuilds from a capture).
With UPSTREAM_PORT 0 nothing is relayed: only the client's first bytes are kept.
"""
import select
import socket
import sys
import time


def main() -> None:
    listen_port, upstream_port, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    max_bytes = int(sys.argv[4]) if len(sys.argv) > 4 else 4096
    seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 3.0
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen_port))
    server.listen(1)
    server.settimeout(seconds * 3)
    client, _ = server.accept()
    upstream = socket.create_connection(("127.0.0.1", upstream_port)) if upstream_port else None
    kept = {client: bytearray(), upstream: bytearray()}
    peer = {client: upstream, upstream: client}
    deadline = time.monotonic() + seconds
    open_socks = [s for s in (client, upstream) if s is not None]
    while open_socks and time.monotonic() < deadline:
        ready, _, _ = select.select(open_socks, [], [], 0.1)
        for s in ready:
            data = s.recv(65536)
            if not data:
                open_socks.remove(s)
                continue
            kept[s] += data[: max(0, max_bytes - len(kept[s]))]
            if peer[s] is not None:
                peer[s].sendall(data)
    with open(prefix + ".client.bin", "wb") as f:
        f.write(bytes(kept[client]))
    if upstream is not None:
        with open(prefix + ".server.bin", "wb") as f:
            f.write(bytes(kept[upstream]))


if __name__ == "__main__":
    main()
