# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs inside the sender namespace: reads lines "<ifname> <hex frame>"
from stdin and writes each frame to that interface through a packet
socket; a line "sync" is answered with "ok" once every frame before it
went out.

The process stays on CPU 0: veth hands a frame to the backlog of the
sending CPU, so the frames are processed in the order sent, and the cpu
match sees the same CPU in both targets.
"""
import os
import socket
import sys


def main():
    os.sched_setaffinity(0, {0})
    socks = {}
    for line in sys.stdin:
        line = line.split()
        if not line:
            continue
        if line[0] == "sync":
            print("ok", flush=True)
            continue
        ifname, frame = line[0], bytes.fromhex(line[1])
        s = socks.get(ifname)
        if s is None:
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind((ifname, 0))
            socks[ifname] = s
        s.send(frame)


if __name__ == "__main__":
    main()
