#!/usr/bin/env python3
# The command of `check -i lo ... -- python3 inherited_fds.py`: prints who it runs as and
# every descriptor above 2 it inherited. One that is an AF_PACKET socket is the capture's:
# through it the command could inject frames or, its filter detached, read the interface.
import os
import socket
import sys

status = {}
for line in open("/proc/self/status"):
    key, _, value = line.partition(":")
    status[key] = value.strip()
print("uid", os.getuid(), "euid", os.geteuid(), "gid", os.getgid(), file=sys.stderr)
print("CapEff", status.get("CapEff"), "Groups", status.get("Groups", ""), file=sys.stderr)
for fd in range(3, 1024):
    try:
        os.fstat(fd)
    except OSError:
        continue
    kind = os.readlink(f"/proc/self/fd/{fd}")
    try:
        s = socket.socket(fileno=fd)
        if s.family == socket.AF_PACKET:
            kind += " AF_PACKET"
        s.detach()
    except OSError:
        pass
    print("inherited fd", fd, kind, file=sys.stderr)
