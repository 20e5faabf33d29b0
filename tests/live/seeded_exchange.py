#!/usr/bin/env python3
"""Both ends of one TCP connection that send each other seeded pseudo-random bytes at once,
and log the SHA-256 of what each sent and received: the facts a rebuilt stream is held to.

  seeded_exchange.py server HOST PORT --seed S --send N --log FILE [--ready FILE]
  seeded_exchange.py client HOST PORT --seed S --send N --log FILE

Each side writes its N bytes in chunks of seeded sizes while it reads the peer's until EOF,
then shuts down its sending half. The log is one JSON object: sent_bytes, sent_sha256,
received_bytes, received_sha256. Bounded: sockets time out, SIGALRM ends the process.
Stdlib only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import signal
import socket
import sys
import threading


def seeded_bytes(seed: int, n: int) -> bytes:
    return random.Random(seed).randbytes(n)


def exchange(conn: socket.socket, payload: bytes, seed: int) -> dict:
    received = hashlib.sha256()
    count = [0]

    def read() -> None:
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                return
            received.update(chunk)
            count[0] += len(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    sizes = random.Random(seed + 1)
    offset = 0
    while offset < len(payload):
        step = sizes.randint(1, 20000)
        conn.sendall(payload[offset:offset + step])
        offset += step
    conn.shutdown(socket.SHUT_WR)
    reader.join()
    return {
        "sent_bytes": len(payload),
        "sent_sha256": hashlib.sha256(payload).hexdigest(),
        "received_bytes": count[0],
        "received_sha256": received.hexdigest(),
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    p.add_argument("role", choices=("server", "client"))
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--send", type=int, required=True, help="bytes to send")
    p.add_argument("--log", required=True)
    p.add_argument("--ready", help="server: file created once listening")
    p.add_argument("--limit", type=int, default=40, help="hard limit for the process, seconds")
    a = p.parse_args(argv)
    signal.alarm(a.limit)
    payload = seeded_bytes(a.seed, a.send)
    if a.role == "server":
        with socket.create_server((a.host, a.port)) as listener:
            listener.settimeout(20)
            if a.ready:
                open(a.ready, "w").close()
            conn, _ = listener.accept()
    else:
        conn = socket.create_connection((a.host, a.port), timeout=20)
    with conn:
        conn.settimeout(20)
        facts = exchange(conn, payload, a.seed)
    with open(a.log, "w") as f:
        json.dump(facts, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
