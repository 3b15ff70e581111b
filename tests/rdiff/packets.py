# SPDX-License-Identifier: GPL-2.0-or-later
"""Random Ethernet frames for the differential tester.

Every frame is a valid IPv4 or IPv6 packet as far as ip_rcv() and
ipv6_rcv() check (so it reaches the netfilter hooks), addressed to the
target namespace, with anything behind the IP header chosen at random:
TCP, UDP, ICMP, ICMPv6, AH, ESP, GRE, SCTP, IPv4 options, IPv6
extension headers, fragments, truncated and malformed transport headers,
bad checksums.  Packets reuse each other's 5-tuples (flows), so conntrack
sees NEW, ESTABLISHED (echo replies the target sends), RELATED (ICMP
errors about the target's own replies) and INVALID packets.

The source MAC carries the packet's number (02:00:nn:nn:nn:nn): the
observer tables identify packets by it, and the mac match is generated
from the same numbers.
"""
import random
import struct

from addrs import (TARGET_MAC, V4_FAR, V4_LOCAL, V4_REMOTE, V6_FAR,
                   V6_LOCAL, V6_REMOTE, PORTS, aton4, aton6)

BCAST = bytes.fromhex("ffffffffffff")
MCAST4 = bytes.fromhex("01005e000001")
MCAST6 = bytes.fromhex("333300000001")


def mac_of(pid):
    return bytes([2, 0]) + struct.pack("!I", pid)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Flow:
    """A 5-tuple seen before, so later packets belong to its connection."""

    def __init__(self, v6, proto, src, dst, sport, dport):
        self.v6, self.proto = v6, proto
        self.src, self.dst = src, dst
        self.sport, self.dport = sport, dport


class Gen:
    def __init__(self, rnd):
        self.r = rnd
        self.flows = []

    # --- transport headers -------------------------------------------
    def ports(self, flow):
        if flow:
            return flow.sport, flow.dport
        return self.r.choice(PORTS), self.r.choice(PORTS)

    def tcp_options(self):
        r = self.r
        opts = b""
        for _ in range(r.randrange(4)):
            kind = r.choice([1, 2, 3, 4, 8, 30, 254, 0])
            if kind in (0, 1):
                opts += bytes([kind])
            elif kind == 2:
                opts += bytes([2, 4]) + struct.pack("!H",
                                                    r.choice([536, 1460, 9000, 1]))
            elif kind == 3:
                opts += bytes([3, 3, r.randrange(15)])
            elif kind == 4:
                opts += bytes([4, 2])
            else:
                n = r.choice([2, 4, 10, 1, 0])  # 0 and 1: malformed lengths
                opts += bytes([kind, n]) + bytes(max(0, n - 2))
        if r.random() < 0.1:
            opts = opts[:-1]  # cut inside an option
        while len(opts) % 4:
            opts += b"\0"
        return opts[:40]

    def tcp(self, flow, pseudo):
        r = self.r
        sport, dport = self.ports(flow)
        flags = r.choice([0x02, 0x02, 0x10, 0x18, 0x11, 0x04, 0x12, 0x29,
                          0x3F, 0x00, 0xC2, r.randrange(256)])
        opts = self.tcp_options() if r.random() < 0.4 else b""
        doff = (20 + len(opts)) // 4
        if r.random() < 0.05:
            doff = r.choice([0, 4, 15])  # a lying data offset
        hdr = struct.pack("!HHIIBBHHH", sport, dport, r.getrandbits(32),
                          r.getrandbits(32) if flags & 0x10 else 0,
                          doff << 4, flags, 65535, 0, 0) + opts
        seg = hdr + self.payload()
        return self.l4_csum(seg, 16, pseudo)

    def udp(self, flow, pseudo):
        sport, dport = self.ports(flow)
        data = self.payload()
        seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
        return self.l4_csum(seg, 6, pseudo)

    def icmp(self, v6, pseudo):
        r = self.r
        if v6:
            t, c = r.choice([(128, 0), (129, 0), (1, 4), (1, 0), (2, 0),
                             (3, 0), (4, 1), (135, 0), (136, 0), (137, 0),
                             (r.randrange(256), r.randrange(4))])
        else:
            t, c = r.choice([(8, 0), (0, 0), (3, 3), (3, 1), (3, 4), (11, 0),
                             (5, 1), (13, 0), (r.randrange(256),
                                               r.randrange(16))])
        body = struct.pack("!HH", r.choice([1, 2, 7]), r.randrange(4))
        seg = struct.pack("!BBH", t, c, 0) + body + self.payload()
        return self.l4_csum(seg, 2, pseudo if v6 else None)

    def echo(self, flow):
        """Another echo request of @flow (identifier in flow.sport)."""
        t = 128 if flow.v6 else 8
        seg = struct.pack("!BBHHH", t, 0, 0, flow.sport,
                          self.r.randrange(4)) + self.payload()
        return self.l4_csum(seg, 2, self.pseudo6(flow.src, flow.dst, 58)
                            if flow.v6 else None)

    def l4_csum(self, seg, off, pseudo):
        """Fill in the checksum (over @pseudo + segment when given);
        one packet in twenty gets a wrong one."""
        if pseudo is not None:
            c = csum(pseudo(len(seg)) + seg)
        else:
            c = csum(seg)
        if self.r.random() < 0.05:
            c ^= 0x5A5A
        if len(seg) >= off + 2:
            seg = seg[:off] + struct.pack("!H", c) + seg[off + 2:]
        return seg

    def payload(self):
        n = self.r.choice([0, 0, 1, 4, 16, 64, 200, 600])
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def other(self, proto):
        r = self.r
        if proto == 50:  # ESP: spi, seq
            return struct.pack("!II", r.choice([1, 256, 0x1000, 0xffffffff]),
                               1) + self.payload()
        if proto == 51:  # AH: next, len, res, spi, seq
            return struct.pack("!BBHII", 59, 4, 0,
                               r.choice([1, 256, 0x1000, 0xffffffff]), 1) + \
                bytes(12)
        return self.payload()

    # --- the related ICMP error --------------------------------------
    def icmp_error(self, flow):
        """An ICMP error from the sender about a packet the target sent
        on @flow (its reply direction): RELATED for conntrack."""
        v6 = flow.v6
        inner_src, inner_dst = flow.dst, flow.src
        if flow.proto in (6, 17):
            l4 = struct.pack("!HH", flow.dport, flow.sport) + bytes(4)
        else:
            l4 = struct.pack("!BBHHH", 0 if not v6 else 129, 0, 0, 1, 0)
        if v6:
            inner = self.ip6_header(flow.proto, inner_src, inner_dst,
                                    len(l4), 64) + l4
            t, c = (1, 4)
        else:
            inner = self.ip4_header(flow.proto, inner_src, inner_dst,
                                    len(l4), 64, 0, 0, b"") + l4
            t, c = (3, 3)
        seg = struct.pack("!BBHI", t, c, 0, 0) + inner
        return seg

    # --- IP headers ----------------------------------------------------
    def ip4_header(self, proto, src, dst, l4len, ttl, tos, frag, opts):
        ihl = 5 + len(opts) // 4
        h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, ihl * 4 + l4len,
                        self.r.getrandbits(16), frag, ttl, proto, 0,
                        aton4(src), aton4(dst)) + opts
        return h[:10] + struct.pack("!H", csum(h)) + h[12:]

    def ip6_header(self, nexthdr, src, dst, plen, hl, tc=0):
        return struct.pack("!IHBB16s16s", 0x60000000 | (tc << 20), plen,
                           nexthdr, hl, aton6(src), aton6(dst))

    def ip4_options(self):
        r = self.r
        o = r.choice([b"\x01\x01\x01\x00",  # NOPs, EOL
                      b"\x94\x04\x00\x00",  # router alert
                      b"\x07\x07\x04" + bytes(4) + b"\x00",  # record route
                      bytes(r.getrandbits(8) for _ in range(4 * r.randrange(1, 4)))])
        return o

    def ext_headers(self, first):
        """IPv6 extension headers in front of protocol @first; returns
        (first next-header value, bytes)."""
        r = self.r
        chain = []
        for _ in range(r.choice([0, 1, 1, 2, 3])):
            chain.append(r.choice([0, 60, 43, 44, 51]))
        if 0 in chain:  # hop-by-hop must come first
            chain.remove(0)
            chain.insert(0, 0)
        out = b""
        nxt = first
        for h in reversed(chain):
            if h == 44:
                off = r.choice([0, 0, 1, 100])
                more = r.choice([0, 1])
                body = struct.pack("!BBHI", nxt, r.choice([0, 0, 3]),
                                   (off << 3) | (r.choice([0, 0, 6]) << 1) |
                                   more, r.choice([1, 7, 0x10000]))
            elif h == 43:
                rtype = r.choice([0, 2, 3, 4])
                segs = r.choice([0, 1, 2])
                body = struct.pack("!BBBB", nxt, 2, rtype, segs) + bytes(4) + \
                    bytes(16)
            elif h == 51:
                body = struct.pack("!BBHII", nxt, 4, 0, 256, 1) + bytes(12)
            else:  # hbh or dst: options, padded to 8
                opts = r.choice([b"\x01\x04\x00\x00\x00\x00",
                                 b"\x05\x02\x00\x00\x01\x00",
                                 b"\xc2\x04\x00\x01\x00\x00",
                                 b"\x00\x00\x00\x00\x00\x00",
                                 b"\x01\x0c" + bytes(12)])
                body = bytes([nxt, (len(opts) + 2) // 8 - 1]) + opts
                while len(body) % 8:
                    body += b"\0"
                body = bytes([nxt, len(body) // 8 - 1]) + body[2:]
            if r.random() < 0.03:
                body = body[:3]  # truncated header
            out = body + out
            nxt = h
        return nxt, out

    # --- frames ----------------------------------------------------------
    def frame(self, pid):
        r = self.r
        dst_mac = r.choices([TARGET_MAC, BCAST, None], [90, 4, 6])[0]
        v6 = r.random() < 0.4
        if dst_mac is None:
            dst_mac = MCAST6 if v6 else MCAST4
        eth = dst_mac + mac_of(pid) + struct.pack("!H", 0x86DD if v6 else 0x0800)
        flow = r.choice(self.flows) if self.flows and r.random() < 0.4 else None
        if flow and flow.v6 != v6:
            flow = None
        if flow:
            proto, src, dst = flow.proto, flow.src, flow.dst
        else:
            proto = r.choices([6, 17, 58 if v6 else 1, 50, 51, 47, 132, 0],
                              [30, 25, 20, 4, 4, 3, 3, 1])[0]
            if proto == 0 and not v6:
                proto = r.randrange(256)
            src = r.choice(V6_REMOTE if v6 else V4_REMOTE)
            # to the target (INPUT) or through it (FORWARD)
            dst = r.choice((V6_LOCAL if v6 else V4_LOCAL) if r.random() < 0.7
                           else (V6_FAR if v6 else V4_FAR))
        if flow and flow.proto in (1, 58):
            seg = self.echo(flow)
        elif flow and flow.proto in (6, 17) and r.random() < 0.15:
            seg, proto = self.icmp_error(flow), 58 if v6 else 1
            if v6:
                seg = self.l4_csum(seg, 2, self.pseudo6(src, dst, 58))
            else:
                seg = self.l4_csum(seg, 2, None)
        else:
            seg = self.l4(proto, v6, flow, src, dst)
        if proto in (6, 17) and not flow and r.random() < 0.5:
            sport, dport = struct.unpack("!HH", seg[:4])
            self.flows.append(Flow(v6, proto, src, dst, sport, dport))
        elif proto in (1, 58) and not flow and seg[:2] in (b"\x08\x00",
                                                         b"\x80\x00"):
            # an echo request: the target's reply makes the next one
            # with the same identifier ESTABLISHED
            ident, = struct.unpack("!H", seg[4:6])
            self.flows.append(Flow(v6, proto, src, dst, ident, 0))
        if r.random() < 0.08:
            seg = seg[:r.randrange(len(seg) + 1)]  # truncated transport
        if v6:
            nxt, ext = (self.ext_headers(proto) if r.random() < 0.25
                        else (proto, b""))
            pkt = self.ip6_header(nxt, src, dst, len(ext) + len(seg),
                                  r.choice([1, 64, 255, 0, 128]),
                                  r.randrange(256)) + ext + seg
        else:
            frag = 0
            if r.random() < 0.08:
                frag = r.choice([0x2000, 0x0001, 0x2001, 0x0003, 0x4000])
            elif r.random() < 0.3:
                frag = 0x4000  # DF
            opts = self.ip4_options() if r.random() < 0.08 else b""
            pkt = self.ip4_header(proto, src, dst, len(seg),
                                  r.choice([1, 64, 255, 2, 128]),
                                  r.choice([0, 0, 0x10, 0x04, 0x2e << 2,
                                            0x03, 0x01, 0xb8, r.randrange(256)]),
                                  frag, opts) + seg
        return eth + pkt

    def pseudo6(self, src, dst, proto):
        def p(n):
            return aton6(src) + aton6(dst) + struct.pack("!IxxxB", n, proto)
        return p

    def l4(self, proto, v6, flow, src, dst):
        if v6:
            pseudo = self.pseudo6(src, dst, proto)
        else:
            def pseudo(n):
                return aton4(src) + aton4(dst) + struct.pack("!xBH", proto, n)
        if proto == 6:
            return self.tcp(flow, pseudo)
        if proto == 17:
            return self.udp(flow, pseudo)
        if proto in (1, 58):
            return self.icmp(v6, pseudo)
        return self.other(proto)


def packets(seed, count, first_id=1):
    """@count frames from @seed, numbered from @first_id."""
    g = Gen(random.Random(seed))
    return [g.frame(first_id + i) for i in range(count)]
