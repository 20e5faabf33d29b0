#!/usr/bin/env python3
"""Tiny TCP client/server pairs that act out the sample scenarios of make-samples.sh.

  tcpapp.py server SCENARIO HOST PORT [--ready FILE] [options]
  tcpapp.py client SCENARIO HOST PORT [options]

Every run is bounded: sockets time out and the whole process is killed by SIGALRM.
Payloads are fixed byte patterns so captures are deterministic in size. Stdlib only.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import struct
import sys
import time

SCENARIOS = ("rst-abort", "midstream", "bulk", "zero-window", "keepalive", "port-reuse",
             "simultaneous-close", "half-close", "paced", "simultaneous-open")


def pattern(n: int) -> bytes:
    """n bytes of printable, position-dependent text (easy to eyeball in a hex dump)."""
    line = b"tcpflow-explain sample payload 0123456789abcdefghijklmnopqrstuvwxyz\n"
    return (line * (n // len(line) + 1))[:n]


def recv_all(conn: socket.socket, limit: int | None = None) -> int:
    """Reads until EOF (or until `limit` bytes); returns the byte count."""
    got = 0
    while limit is None or got < limit:
        chunk = conn.recv(65536 if limit is None else min(65536, limit - got))
        if not chunk:
            break
        got += len(chunk)
    return got


def recv_exact(conn: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("peer closed after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return buf


def family_of(host: str) -> int:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def wait_for_file(path: str, limit: float) -> None:
    end = time.monotonic() + limit
    while not os.path.exists(path):
        if time.monotonic() > end:
            raise TimeoutError("no %s after %.0fs" % (path, limit))
        time.sleep(0.02)


def touch(path: str | None) -> None:
    if path:
        with open(path, "w") as f:
            f.write("%d\n" % os.getpid())


def sleep_until(wall: float) -> None:
    delay = wall - time.time()
    if delay > 0:
        time.sleep(delay)


# --------------------------------------------------------------------------- server
def server(a) -> int:
    ls = socket.socket(family_of(a.host), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.scenario == "zero-window":
        # Set on the listener so the accepted socket inherits it before the handshake:
        # the advertised window is then small from the SYN-ACK on.
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    ls.bind((a.host, a.port))
    ls.listen(4)
    ls.settimeout(a.timeout)
    touch(a.ready)
    if a.scenario == "paced":
        # Serve every connection at once: the client interleaves its sends across them.
        import threading
        workers = []
        for _ in range(a.connections):
            conn, _ = ls.accept()
            conn.settimeout(a.timeout)
            t = threading.Thread(target=serve_one, args=(a, conn))
            t.start()
            workers.append(t)
        for t in workers:
            t.join()
        ls.close()
        return 0
    rounds = 2 if a.scenario == "port-reuse" else 1
    for _ in range(rounds):
        conn, _ = ls.accept()
        conn.settimeout(a.timeout)
        serve_one(a, conn)
    ls.close()
    return 0


def serve_one(a, conn: socket.socket) -> None:
    s = a.scenario
    if s == "rst-abort":
        req = recv_exact(conn, 16)
        conn.sendall(b"REPLY:" + req[:10])
        # the client aborts with RST; reading now returns ECONNRESET or EOF
        try:
            conn.recv(100)
        except ConnectionResetError:
            pass
        conn.close()
    elif s == "midstream":
        for _ in range(a.rounds):
            msg = recv_exact(conn, 32)
            conn.sendall(b"ack:" + msg[:28])
        recv_all(conn)
        conn.close()
    elif s in ("bulk", "paced"):
        got = recv_all(conn)
        conn.sendall(b"received %d bytes\n" % got)
        conn.close()
    elif s == "zero-window":
        time.sleep(a.stall)  # let the sender fill our tiny window: zero window + probes
        total = 0
        while True:
            chunk = conn.recv(a.read_size)
            if not chunk:
                break
            total += len(chunk)
            time.sleep(a.read_pause)
        conn.sendall(b"received %d bytes\n" % total)
        conn.close()
    elif s == "keepalive":
        conn.sendall(b"hello " + recv_exact(conn, 6))
        recv_all(conn)  # the client stays idle, then closes
        conn.close()
    elif s == "port-reuse":
        req = recv_exact(conn, 8)
        conn.sendall(b"bye " + req)
        conn.close()  # server closes first: its side holds TIME-WAIT, the client's is free
    elif s == "simultaneous-close":
        recv_exact(conn, 8)
        conn.sendall(b"go      ")
        sleep_until(a.close_at)
        conn.shutdown(socket.SHUT_WR)
        recv_all(conn)
        conn.close()
    elif s == "half-close":
        req = recv_all(conn)  # until the client's FIN
        time.sleep(0.05)
        conn.sendall(b"after your FIN, here is the reply to %d bytes\n" % req)
        time.sleep(0.05)
        conn.sendall(b"and a second segment, then my FIN\n")
        conn.close()


# --------------------------------------------------------------------------- client
def connect(a, bind_port: int = 0) -> socket.socket:
    c = socket.socket(family_of(a.host), socket.SOCK_STREAM)
    c.settimeout(a.timeout)
    if bind_port:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((a.bind_host or "", bind_port))
    c.connect((a.host, a.port))
    return c


def client(a) -> int:
    s = a.scenario
    if s == "rst-abort":
        c = connect(a)
        c.sendall(b"GET /something\r\n")
        recv_exact(c, 16)
        time.sleep(0.05)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()  # linger {1, 0}: abortive close, RST instead of FIN
    elif s == "midstream":
        c = connect(a)
        touch(a.ready)  # tells the script the handshake is done: start the capture now
        wait_for_file(a.go, a.timeout)
        time.sleep(0.1)
        for i in range(a.rounds):
            c.sendall(b"message %02d " % i + pattern(21))
            recv_exact(c, 32)
            time.sleep(0.05)
        c.close()
        time.sleep(0.1)
    elif s == "bulk":
        c = connect(a)
        c.sendall(pattern(a.size))
        c.shutdown(socket.SHUT_WR)
        recv_all(c)
        c.close()
    elif s == "paced":
        # --connections at once, each sent --size bytes in --chunk-byte writes, one round of
        # writes every --pause seconds: a steady, bounded packet rate.
        conns = [connect(a) for _ in range(a.connections)]
        touch(a.ready)
        sent = 0
        while sent < a.size:
            n = min(a.chunk, a.size - sent)
            for c in conns:
                c.sendall(pattern(n))
            sent += n
            time.sleep(a.pause)
        for c in conns:
            c.shutdown(socket.SHUT_WR)
        for c in conns:
            recv_all(c)
            c.close()
    elif s == "zero-window":
        c = connect(a)
        c.sendall(pattern(a.size))
        c.shutdown(socket.SHUT_WR)
        recv_all(c)
        c.close()
    elif s == "keepalive":
        c = connect(a)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 5)
        c.sendall(b"ping!\n")
        recv_exact(c, 12)
        time.sleep(a.idle)  # idle: the kernel sends keep-alive probes every second
        c.close()
    elif s == "port-reuse":
        for i in range(2):
            c = connect(a, bind_port=a.bind_port)
            c.sendall(b"conn #%d\n" % (i + 1))
            recv_all(c)
            c.close()
            time.sleep(a.gap)
    elif s == "simultaneous-close":
        c = connect(a)
        c.sendall(b"ready   ")
        recv_exact(c, 8)
        sleep_until(a.close_at)
        c.shutdown(socket.SHUT_WR)
        recv_all(c)
        c.close()
    elif s == "simultaneous-open":
        # Both peers run this (no listener anywhere): each binds its own port and connect()s
        # to the other's at the same wall-clock time, so the SYNs cross on the delayed path
        # and each side goes SYN-SENT -> SYN-RECEIVED -> ESTABLISHED (RFC 9293 Figure 8).
        c = socket.socket(family_of(a.host), socket.SOCK_STREAM)
        c.settimeout(a.timeout)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((a.bind_host or "", a.bind_port))
        sleep_until(a.open_at)
        c.connect((a.host, a.port))
        c.sendall(b"hello %5d\n" % a.bind_port)
        recv_exact(c, 12)
        c.shutdown(socket.SHUT_WR)
        recv_all(c)
        c.close()
    elif s == "half-close":
        c = connect(a)
        c.sendall(b"REQUEST: please answer after my FIN\n")
        c.shutdown(socket.SHUT_WR)
        recv_all(c)
        c.close()
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    p.add_argument("role", choices=("server", "client"))
    p.add_argument("scenario", choices=SCENARIOS)
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("--ready", help="file to create when listening (server) or connected")
    p.add_argument("--go", help="midstream client: wait for this file before talking")
    p.add_argument("--timeout", type=float, default=15.0)
    p.add_argument("--limit", type=float, default=40.0, help="hard limit for the process")
    p.add_argument("--size", type=int, default=40000, help="bulk/zero-window bytes to send")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--rcvbuf", type=int, default=2048)
    p.add_argument("--stall", type=float, default=1.2)
    p.add_argument("--read-size", type=int, default=2048)
    p.add_argument("--read-pause", type=float, default=0.05)
    p.add_argument("--idle", type=float, default=3.5)
    p.add_argument("--bind-host", default="")
    p.add_argument("--bind-port", type=int, default=0)
    p.add_argument("--gap", type=float, default=0.3)
    p.add_argument("--connections", type=int, default=3, help="paced: connections at once")
    p.add_argument("--chunk", type=int, default=1000, help="paced: bytes per write")
    p.add_argument("--pause", type=float, default=0.01, help="paced: seconds between rounds")
    p.add_argument("--close-at", type=float, default=0.0, help="wall-clock time to shutdown()")
    p.add_argument("--open-at", type=float, default=0.0, help="simultaneous-open: wall-clock time to connect()")
    a = p.parse_args(argv)
    signal.alarm(max(1, int(a.limit)))
    return server(a) if a.role == "server" else client(a)


if __name__ == "__main__":
    sys.exit(main())
