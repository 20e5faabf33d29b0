#!/usr/bin/env python3
"""tfx-impair: a small, deterministic user-space impairment bridge.

Forwards Ethernet frames between two interfaces (typically the two veth ends that
live in a middle network namespace) with AF_PACKET raw sockets, and can drop,
duplicate, reorder, delay and rate-limit them. It replaces netem on kernels that do
not have sch_netem. Impairments that pick "the Nth data segment" count TCP segments
that carry payload, per direction, in the order they reach the bridge, starting at 1
(retransmissions are counted too: they are data segments on the wire).

Stdlib only. Exits by itself after --time-limit seconds, or on SIGINT/SIGTERM.
See README.md beside this file.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_CSUMNOTREADY = 8
# struct tpacket_auxdata: u32 status, len, snaplen; u16 mac, net, vlan_tci, vlan_tpid
AUXDATA = struct.Struct("=IIIHHHH")


def parse_list(text: str) -> set[int]:
    """'5,17,20-22' -> {5, 17, 20, 21, 22}"""
    out: set[int] = set()
    if not text:
        return out
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            lo, hi = part.split("-", 1)
            out.update(range(int(lo), int(hi) + 1))
        else:
            out.add(int(part))
    if any(n < 1 for n in out):
        raise argparse.ArgumentTypeError("ordinals start at 1")
    return out


class TcpInfo:
    __slots__ = ("l3_off", "l4_off", "payload", "flags", "v6", "seq", "sport", "dport")

    def __init__(self, l3_off, l4_off, payload, flags, v6, seq, sport, dport):
        self.l3_off, self.l4_off, self.payload, self.flags = l3_off, l4_off, payload, flags
        self.v6, self.seq, self.sport, self.dport = v6, seq, sport, dport


def parse_tcp(frame: bytes) -> TcpInfo | None:
    """Returns TCP facts of an Ethernet frame carrying IPv4/IPv6 + TCP, else None."""
    if len(frame) < 14:
        return None
    ethertype = struct.unpack_from("!H", frame, 12)[0]
    off = 14
    if ethertype == 0x0800:
        if len(frame) < off + 20:
            return None
        ihl = (frame[off] & 0x0F) * 4
        total = struct.unpack_from("!H", frame, off + 2)[0]
        frag = struct.unpack_from("!H", frame, off + 6)[0]
        if frame[off + 9] != 6 or (frag & 0x1FFF) != 0:
            return None
        l4 = off + ihl
        l4_len = total - ihl
        v6 = False
    elif ethertype == 0x86DD:
        if len(frame) < off + 40:
            return None
        if frame[off + 6] != 6:  # no extension headers expected in the lab
            return None
        l4 = off + 40
        l4_len = struct.unpack_from("!H", frame, off + 4)[0]
        v6 = True
    else:
        return None
    if len(frame) < l4 + 20:
        return None
    sport, dport, seq = struct.unpack_from("!HHI", frame, l4)
    doff = (frame[l4 + 12] >> 4) * 4
    flags = frame[l4 + 13]
    return TcpInfo(off, l4, max(0, l4_len - doff), flags, v6, seq, sport, dport)


def csum16(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def fix_tcp_checksum(frame: bytearray, info: TcpInfo) -> None:
    """Recomputes the TCP checksum (for frames whose checksum was left to offload)."""
    l3, l4 = info.l3_off, info.l4_off
    if info.v6:
        l4_len = struct.unpack_from("!H", frame, l3 + 4)[0]
        pseudo = bytes(frame[l3 + 8:l3 + 40]) + struct.pack("!IxxxB", l4_len, 6)
    else:
        ihl = (frame[l3] & 0x0F) * 4
        l4_len = struct.unpack_from("!H", frame, l3 + 2)[0] - ihl
        pseudo = bytes(frame[l3 + 12:l3 + 20]) + struct.pack("!xBH", 6, l4_len)
    struct.pack_into("!H", frame, l4 + 16, 0)
    c = csum16(pseudo + bytes(frame[l4:l4 + l4_len]))
    struct.pack_into("!H", frame, l4 + 16, (~c) & 0xFFFF or 0xFFFF)


def flag_words(flags: int) -> str:
    names = [(0x02, "S"), (0x10, "."), (0x08, "P"), (0x01, "F"), (0x04, "R")]
    return "".join(n for bit, n in names if flags & bit) or "-"


class Direction:
    def __init__(self, name, drop, dup, reorder, delay_s, rate_bps):
        self.name = name
        self.drop, self.dup, self.reorder = drop, dup, reorder
        self.delay_s = delay_s
        self.rate_bps = rate_bps
        self.busy_until = 0.0
        self.data_ordinal = 0
        self.frames_in = 0
        self.held: list | None = None  # [frame, remaining_frames, release_deadline, label]
        self.pending = 0
        self.stats = {"frames_in": 0, "frames_out": 0, "data_segments": 0, "dropped": 0,
                      "duplicated": 0, "reordered": 0, "queue_drops": 0, "send_errors": 0,
                      "checksums_fixed": 0}


class Bridge:
    def __init__(self, args):
        self.args = args
        self.log_file = open(args.log, "a", buffering=1) if args.log else None
        self.start = time.monotonic()
        self.deadline = self.start + args.time_limit
        self.socks = {}
        for side, ifname in (("a", args.if_a), ("b", args.if_b)):
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            s.bind((ifname, 0))
            s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
            s.setblocking(False)
            self.socks[side] = s
        d_a2b = args.delay_a2b_ms if args.delay_a2b_ms is not None else args.delay_ms
        d_b2a = args.delay_b2a_ms if args.delay_b2a_ms is not None else args.delay_ms
        self.dirs = {
            "a": Direction("a2b", args.drop_a2b, args.dup_a2b, args.reorder_a2b, d_a2b / 1000.0,
                           args.rate_kbit * 1000.0),
            "b": Direction("b2a", args.drop_b2a, args.dup_b2a, args.reorder_b2a, d_b2a / 1000.0,
                           args.rate_kbit * 1000.0),
        }
        self.queue: list = []  # heap of (send_at, seqno, out_side, frame, dirkey)
        self.seqno = 0
        self.stopping = False

    def log(self, msg: str) -> None:
        if self.log_file:
            self.log_file.write("%9.4f %s\n" % (time.monotonic() - self.start, msg))

    def schedule(self, d: Direction, in_side: str, frame: bytes, now: float, label: str) -> None:
        if self.args.queue_limit and d.pending >= self.args.queue_limit:
            d.stats["queue_drops"] += 1
            self.log("%s qdrop %s" % (d.name, label))
            return
        at = now + d.delay_s
        if d.rate_bps > 0:
            at = max(at, d.busy_until)
            d.busy_until = at + (len(frame) + 24) * 8 / d.rate_bps  # + preamble/IFG/FCS
        out_side = "b" if in_side == "a" else "a"
        self.seqno += 1
        d.pending += 1
        heapq.heappush(self.queue, (at, self.seqno, out_side, frame, in_side))

    def release_held(self, d: Direction, in_side: str, now: float, why: str) -> None:
        frame, _, _, label = d.held
        d.held = None
        d.stats["reordered"] += 1
        self.log("%s release %s (%s)" % (d.name, label, why))
        self.schedule(d, in_side, frame, now, label)

    def handle(self, in_side: str, frame: bytes, aux_status: int, now: float) -> None:
        d = self.dirs[in_side]
        d.stats["frames_in"] += 1
        info = parse_tcp(frame)
        label = "non-tcp len=%d" % len(frame)
        ordinal = 0
        if info is not None:
            if aux_status & TP_STATUS_CSUMNOTREADY and not self.args.no_fix_checksum:
                frame = bytearray(frame)
                fix_tcp_checksum(frame, info)
                frame = bytes(frame)
                d.stats["checksums_fixed"] += 1
            label = "%d>%d [%s] seq=%d len=%d" % (info.sport, info.dport, flag_words(info.flags),
                                                  info.seq, info.payload)
            if info.payload > 0:
                d.data_ordinal += 1
                d.stats["data_segments"] += 1
                ordinal = d.data_ordinal
                label = "#%d %s" % (ordinal, label)
        if ordinal and ordinal in d.drop:
            d.stats["dropped"] += 1
            self.log("%s drop %s" % (d.name, label))
            return
        if ordinal and ordinal in d.reorder and d.held is None:
            d.held = [frame, self.args.reorder_after, now + self.args.reorder_timeout_ms / 1000.0,
                      label]
            self.log("%s hold %s (until %d later frames)" % (d.name, label,
                                                            self.args.reorder_after))
            return
        self.log("%s pass %s" % (d.name, label))
        self.schedule(d, in_side, frame, now, label)
        if ordinal and ordinal in d.dup:
            d.stats["duplicated"] += 1
            self.log("%s dup %s" % (d.name, label))
            self.schedule(d, in_side, frame, now, label + " (dup)")
        if d.held is not None:
            d.held[1] -= 1
            if d.held[1] <= 0:
                self.release_held(d, in_side, now, "after later frames")

    def flush_due(self, now: float) -> None:
        while self.queue and self.queue[0][0] <= now:
            _, _, out_side, frame, in_side = heapq.heappop(self.queue)
            d = self.dirs[in_side]
            d.pending -= 1
            try:
                self.socks[out_side].send(frame)
                d.stats["frames_out"] += 1
            except OSError as e:
                d.stats["send_errors"] += 1
                self.log("%s send error %s (len=%d)" % (d.name, e, len(frame)))

    def run(self) -> None:
        poller = select.poll()
        fd_side = {}
        for side, s in self.socks.items():
            poller.register(s.fileno(), select.POLLIN)
            fd_side[s.fileno()] = side
        if self.args.ready_file:
            with open(self.args.ready_file, "w") as f:
                f.write("%d\n" % os.getpid())
        self.log("ready: %s <-> %s, limit %.1fs" % (self.args.if_a, self.args.if_b,
                                                     self.args.time_limit))
        bufsize = 65535 + 64
        ancsize = socket.CMSG_SPACE(AUXDATA.size)
        while not self.stopping:
            now = time.monotonic()
            if now >= self.deadline:
                self.log("time limit reached")
                break
            wake = self.deadline
            if self.queue:
                wake = min(wake, self.queue[0][0])
            for d in self.dirs.values():
                if d.held is not None:
                    wake = min(wake, d.held[2])
            timeout_ms = min(200, max(0, int((wake - now) * 1000 + 0.999)))  # 200: notice signals
            try:
                events = poller.poll(timeout_ms)
            except InterruptedError:
                continue
            now = time.monotonic()
            for fd, _ in events:
                side = fd_side[fd]
                sock = self.socks[side]
                for _ in range(64):  # drain, bounded
                    try:
                        data, anc, _, addr = sock.recvmsg(bufsize, ancsize)
                    except (BlockingIOError, InterruptedError):
                        break
                    if addr[2] == PACKET_OUTGOING:
                        continue  # our own transmissions
                    status = 0
                    for lvl, typ, cdata in anc:
                        if lvl == SOL_PACKET and typ == PACKET_AUXDATA and len(cdata) >= 4:
                            status = struct.unpack_from("=I", cdata)[0]
                    self.handle(side, data, status, now)
            for side, d in self.dirs.items():
                if d.held is not None and now >= d.held[2]:
                    self.release_held(d, side, now, "timeout")
            self.flush_due(time.monotonic())
        # Deliver what is already due or held so the scenario can finish if still running.
        self.flush_due(time.monotonic())

    def summary(self) -> dict:
        return {d.name: d.stats for d in self.dirs.values()}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        prog="tfx-impair",
        description="Deterministic user-space impairment bridge (AF_PACKET), a netem stand-in.")
    p.add_argument("--if-a", required=True, help="interface facing side A")
    p.add_argument("--if-b", required=True, help="interface facing side B")
    for d in ("a2b", "b2a"):
        p.add_argument("--drop-" + d, type=parse_list, default=set(), metavar="LIST",
                       help="drop these data segments (1-based, e.g. 5,17 or 3-4)")
        p.add_argument("--dup-" + d, type=parse_list, default=set(), metavar="LIST",
                       help="send these data segments twice")
        p.add_argument("--reorder-" + d, type=parse_list, default=set(), metavar="LIST",
                       help="hold these data segments until --reorder-after later frames passed")
        p.add_argument("--delay-%s-ms" % d, type=float, default=None, metavar="MS",
                       help="one-way delay for this direction (overrides --delay-ms)")
    p.add_argument("--reorder-after", type=int, default=2, metavar="K",
                   help="a held segment is released after K later frames (default 2)")
    p.add_argument("--reorder-timeout-ms", type=float, default=200.0, metavar="MS",
                   help="release a held segment after this long anyway (default 200)")
    p.add_argument("--delay-ms", type=float, default=0.0, metavar="MS",
                   help="one-way delay added to every frame, both directions")
    p.add_argument("--rate-kbit", type=float, default=0.0, metavar="KBIT",
                   help="rate limit per direction in kbit/s (0 = unlimited)")
    p.add_argument("--queue-limit", type=int, default=1000, metavar="N",
                   help="frames queued per direction before tail drop (0 = unlimited)")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="SEC",
                   help="exit after this many seconds (default 60, max 3600)")
    p.add_argument("--no-fix-checksum", action="store_true",
                   help="do not complete TCP checksums left to offload")
    p.add_argument("--log", metavar="FILE", help="append one line per frame decision")
    p.add_argument("--ready-file", metavar="FILE", help="write our pid here once listening")
    p.add_argument("--stats-file", metavar="FILE", help="write a JSON summary here on exit")
    args = p.parse_args(argv)
    if not 0 < args.time_limit <= 3600:
        p.error("--time-limit must be in (0, 3600]")
    if args.reorder_after < 1:
        p.error("--reorder-after must be >= 1")

    bridge = Bridge(args)

    def stop(signum, _frame):
        bridge.stopping = True
        bridge.log("signal %d" % signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        bridge.run()
    finally:
        summary = bridge.summary()
        bridge.log("summary " + json.dumps(summary, sort_keys=True))
        if args.stats_file:
            with open(args.stats_file, "w") as f:
                json.dump(summary, f, indent=1, sort_keys=True)
                f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
