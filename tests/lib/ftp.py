#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Just enough FTP for the kernel's ftp conntrack helper to expect a data
connection (tests/cli/bpf-helper.bats).  The helper only reads the
control stream: a line that begins right after a newline it has seen in
the same direction, "227 ... (h1,h2,h3,h4,p1,p2)" or "229 ... (|||p|)"
from the server, makes it expect a connection from the client to that
port.  Data ports are served by tcp.py (it answers "hi").

    ftp.py serve PORT --ready FILE
        control server: "220" greeting; to "PASV P" answers 227 with
        its own address and port P, to "EPSV P" 229 with port P, to
        "QUIT" 221, then closes
    ftp.py get HOST PORT DATAPORT [--epsv] [--timeout S]
        one session: greeting, PASV (EPSV) DATAPORT, then a connection
        to the port the answer names; prints "ok" (it answered "hi"),
        "timeout" or "refused" for the data connection, or
        "error <what>" if the control connection failed
"""
import argparse
import socket
import sys


def readline(f):
    line = f.readline()
    if not line:
        raise OSError("control connection closed")
    return line.decode().strip()


def session(conn):
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    f = conn.makefile("rb")
    # its own line and segment: the helper starts reading after its \n
    conn.sendall(b"220 ready\r\n")
    while True:
        words = readline(f).split()
        if not words or words[0] == "QUIT":
            conn.sendall(b"221 bye\r\n")
            return
        port = int(words[1])
        if words[0] == "PASV":
            addr = conn.getsockname()[0].replace("::ffff:", "")
            h = addr.replace(".", ",")
            msg = "227 Entering Passive Mode (%s,%d,%d)\r\n" % (
                h, port >> 8, port & 255)
        else:
            msg = "229 Entering Extended Passive Mode (|||%d|)\r\n" % port
        conn.sendall(msg.encode())


def serve(port, ready):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(16)
    open(ready, "w").close()
    while True:
        conn, _ = s.accept()
        try:
            session(conn)
        except OSError:
            pass
        finally:
            conn.close()


def data(host, port, timeout):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect((host, port))
        return "ok" if s.recv(2) == b"hi" else "error short answer"
    except socket.timeout:
        return "timeout"
    except ConnectionRefusedError:
        return "refused"
    finally:
        s.close()


def get(host, port, dport, epsv, timeout):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    c = socket.socket(family, socket.SOCK_STREAM)
    c.settimeout(2)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        c.connect((host, port))
        f = c.makefile("rb")
        if not readline(f).startswith("220"):
            return "error greeting"
        c.sendall(b"%s %d\r\n" % (b"EPSV" if epsv else b"PASV", dport))
        answer = readline(f)
        if not answer.startswith("229" if epsv else "227"):
            return "error answer " + answer
        res = data(host, dport, timeout)
        c.sendall(b"QUIT\r\n")
        readline(f)
        return res
    except OSError as e:
        return "error " + (e.strerror or str(e))
    finally:
        c.close()


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sv = sub.add_parser("serve")
    sv.add_argument("port", type=int)
    sv.add_argument("--ready", required=True)
    gt = sub.add_parser("get")
    gt.add_argument("host")
    gt.add_argument("port", type=int)
    gt.add_argument("dport", type=int)
    gt.add_argument("--epsv", action="store_true")
    gt.add_argument("--timeout", type=float, default=1.0)
    a = ap.parse_args()
    if a.cmd == "serve":
        serve(a.port, a.ready)
    else:
        print(get(a.host, a.port, a.dport, a.epsv, a.timeout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
