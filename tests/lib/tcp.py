#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""TCP for the system tests (tests/lib/traffic.bash).

    tcp.py serve PORT... --ready FILE
        listen on every address (IPv4 and IPv6) at each PORT, answer
        each connection with "hi" and close it; touch FILE once listening
    tcp.py connect HOST PORT [--timeout S]
        print "ok" (connected and read "hi"), "timeout" (no answer, e.g.
        a SYN dropped), "refused" (a RST or an ICMP unreachable, e.g.
        REJECT) or "error <what>"
"""
import argparse
import errno
import selectors
import socket
import sys


def serve(ports, ready):
    sel = selectors.DefaultSelector()
    for port in ports:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", port))
        s.listen(64)
        sel.register(s, selectors.EVENT_READ)
    if ready:
        open(ready, "w").close()
    while True:
        for key, _ in sel.select():
            conn, _ = key.fileobj.accept()
            try:
                conn.sendall(b"hi")
            finally:
                conn.close()


def connect(host, port, timeout):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect((host, port))
        data = s.recv(2)
        return "ok" if data == b"hi" else "error short answer"
    except socket.timeout:
        return "timeout"
    except ConnectionRefusedError:
        return "refused"
    except OSError as e:
        if e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
            return "refused"
        return "error " + (e.strerror or str(e))
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sv = sub.add_parser("serve")
    sv.add_argument("ports", type=int, nargs="+")
    sv.add_argument("--ready")
    cn = sub.add_parser("connect")
    cn.add_argument("host")
    cn.add_argument("port", type=int)
    cn.add_argument("--timeout", type=float, default=1.0)
    a = ap.parse_args()
    if a.cmd == "serve":
        serve(a.ports, a.ready)
    else:
        print(connect(a.host, a.port, a.timeout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
