# SPDX-License-Identifier: GPL-2.0-or-later
"""Random filter-table rulesets over everything bpfgen runs natively.

A ruleset is kept as structure (chains of rules, a rule as its protocol
part, the matches that need it, the other matches and a target) so the
shrinker can take pieces away; render() writes it as restore input.
Only behaviour that is deterministic for a given packet sequence is
generated: limit with refills slower than a run, statistic random with
probability 0 or 1, cpu against the sender's pinned CPU.
"""
import random

from addrs import (FAR_GROUP, TARGET_GROUP, V4_FAR, V4_LOCAL, V4_REMOTE,
                   V6_FAR, V6_LOCAL, V6_REMOTE, PORTS)

# destinations: the target's own addresses and those it forwards to
V4_DST, V6_DST = V4_LOCAL + V4_FAR, V6_LOCAL + V6_FAR

CTSTATES = ["NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED",
            "SNAT", "DNAT"]
CTSTATUS = ["EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"]
BASES = ["INPUT", "FORWARD"]  # the hooks packets from the sender meet


class Rule:
    def __init__(self, proto="", deps=None, matches=None, target=""):
        self.proto = proto          # "-p tcp", "! -p udp" or ""
        self.deps = deps or []      # matches that need self.proto
        self.matches = matches or []
        self.target = target        # "-j X", "-g X" or ""

    def text(self):
        return " ".join(p for p in [self.proto] + self.deps + self.matches +
                        [self.target] if p)

    def copy(self):
        return Rule(self.proto, list(self.deps), list(self.matches),
                    self.target)


class Ruleset:
    """@chains: name -> list of Rule, the base chains first; @policy:
    base chain name -> its policy."""

    def __init__(self, v6, policy, chains):
        self.v6, self.policy, self.chains = v6, policy, chains

    def copy(self):
        return Ruleset(self.v6, dict(self.policy),
                       {n: [r.copy() for r in rs]
                        for n, rs in self.chains.items()})

    def render(self):
        out = ["*filter"]
        out += [":%s %s [0:0]" % (b, self.policy.get(b, "ACCEPT"))
                for b in BASES + ["OUTPUT"]]
        out += [":%s - [0:0]" % n for n in self.chains if n not in BASES]
        for n, rs in self.chains.items():
            out += ["-A %s %s" % (n, r.text()) for r in rs]
        out.append("COMMIT")
        return "\n".join(out) + "\n"

    def rule_count(self):
        return sum(len(rs) for rs in self.chains.values())


class Gen:
    def __init__(self, rnd, v6, packet_ids):
        self.r, self.v6, self.ids = rnd, v6, packet_ids

    def inv(self, p=0.3):
        return "! " if self.r.random() < p else ""

    def addr(self, pool_local):
        r = self.r
        pool = (V6_DST if pool_local else V6_REMOTE) if self.v6 else \
            (V4_DST if pool_local else V4_REMOTE)
        a = r.choice(pool)
        if self.v6:
            m = r.choice([128, 128, 64, 48, 32, 0, 127, 120])
        else:
            m = r.choice([32, 32, 24, 16, 8, 0, 31, 25])
        return a if m == (128 if self.v6 else 32) else "%s/%d" % (a, m)

    def port(self):
        return str(self.r.choice(PORTS))

    def portspec(self):
        r = self.r
        if r.random() < 0.3:
            a, b = sorted([r.choice(PORTS), r.choice(PORTS)])
            return r.choice(["%d:%d" % (a, b), ":%d" % b, "%d:" % a])
        return self.port()

    def mac(self):
        pid = self.r.choice(self.ids)
        return "02:00:%02x:%02x:%02x:%02x" % tuple(pid.to_bytes(4, "big"))

    # --- protocol parts: (proto, [deps]) ---------------------------------
    def tcp(self):
        r = self.r
        deps = []
        if r.random() < 0.5:
            deps.append("%s--sport %s" % (self.inv(), self.portspec()))
        if r.random() < 0.5:
            deps.append("%s--dport %s" % (self.inv(), self.portspec()))
        if r.random() < 0.3:
            flags = ["SYN", "ACK", "FIN", "RST", "URG", "PSH"]
            mask = r.sample(flags, r.randrange(1, 4))
            comp = [f for f in mask if r.random() < 0.5] or ["NONE"]
            deps.append("%s--tcp-flags %s %s" % (self.inv(), ",".join(mask),
                                                 ",".join(comp)))
        elif r.random() < 0.15:
            deps.append("%s--syn" % self.inv())
        if r.random() < 0.1:
            deps.append("%s--tcp-option %d" % (self.inv(),
                                               r.choice([2, 3, 4, 8, 30])))
        if r.random() < 0.1:
            a, b = sorted([r.choice([1, 536, 1460, 9000]),
                           r.choice([1, 536, 1460, 9000])])
            deps.append("-m tcpmss %s--mss %d:%d" % (self.inv(), a, b))
        if r.random() < 0.15:
            deps.append(self.multiport())
        if not self.v6 and r.random() < 0.1:
            deps.append("-m ecn %s--ecn-tcp-%s" % (self.inv(),
                                                   r.choice(["cwr", "ece"])))
        return deps

    def udp(self):
        deps = []
        if self.r.random() < 0.5:
            deps.append("%s--sport %s" % (self.inv(), self.portspec()))
        if self.r.random() < 0.6:
            deps.append("%s--dport %s" % (self.inv(), self.portspec()))
        if self.r.random() < 0.15:
            deps.append(self.multiport())
        return deps

    def multiport(self):
        r = self.r
        items = []
        for _ in range(r.randrange(1, 5)):
            a, b = sorted(r.sample(PORTS, 2))
            if r.random() < 0.3:  # a range needs two different ports
                items.append("%d:%d" % (a, b))
            else:
                items.append(self.port())
        opt = r.choice(["--dports", "--sports", "--ports"])
        return "-m multiport %s%s %s" % (self.inv(), opt, ",".join(items))

    def icmp(self):
        r = self.r
        if self.v6:
            t = r.choice(["echo-request", "echo-reply", "128/0", "1/4", "1",
                          "destination-unreachable", "neighbour-solicitation",
                          "2", "4/1", "135"])
            return ["%s--icmpv6-type %s" % (self.inv(), t)]
        t = r.choice(["echo-request", "echo-reply", "any", "8/0", "3/3", "3",
                      "port-unreachable", "time-exceeded", "5/1", "13"])
        return ["%s--icmp-type %s" % (self.inv(), t)] if r.random() < 0.8 \
            else []

    def spi(self):
        a, b = sorted([self.r.choice([1, 256, 0x1000, 0xffffffff, 7]),
                       self.r.choice([1, 256, 0x1000, 0xffffffff, 7])])
        return str(a) if self.r.random() < 0.5 else "%d:%d" % (a, b)

    def proto_part(self):
        r = self.r
        name = r.choices(["tcp", "udp", "icmp", "esp", "ah", "47", "132",
                          "all", None], [25, 20, 15, 3, 3, 2, 2, 2, 28])[0]
        if name is None:
            return "", []
        if name == "ah" and self.v6:
            name = "esp"  # ip6tables-nft cannot write "-p ah"
        if name == "icmp" and self.v6:
            name = r.choice(["icmpv6", "ipv6-icmp"])
        if r.random() < 0.15 and name not in ("all",):
            return "! -p %s" % name, []
        deps = []
        if name == "tcp":
            deps = self.tcp()
        elif name == "udp":
            deps = self.udp()
        elif name in ("icmp", "icmpv6", "ipv6-icmp"):
            deps = self.icmp()
        elif name == "esp" and r.random() < 0.7:
            deps = ["-m esp %s--espspi %s" % (self.inv(), self.spi())]
        elif name == "ah" and r.random() < 0.7 and not self.v6:
            deps = ["-m ah %s--ahspi %s" % (self.inv(), self.spi())]
        return "-p %s" % name, deps

    # --- matches without a protocol ------------------------------------
    def match(self, chain):
        r = self.r
        choices = [
            lambda: self.core_addr("-s", False),
            lambda: self.core_addr("-d", True),
            lambda: "%s-i %s" % (self.inv(), r.choice(
                ["eth0", "eth+", "e+", "lo", "eth1", "veth+", "+"])),
            lambda: "-m mark %s--mark %s" % (self.inv(), r.choice(
                ["0", "1", "0x0/0xff", "0x1/0x1", "0xffffffff", "0/0"])),
            lambda: "-m connmark %s--mark %s" % (self.inv(), r.choice(
                ["0", "1", "0x0/0xff", "0x2/0x2"])),
            self.conntrack,
            lambda: "-m state %s--state %s" % (self.inv(), ",".join(
                r.sample(CTSTATES[:5], r.randrange(1, 4)))),
            lambda: "-m comment --comment \"rdiff %d\"" % r.randrange(100),
            self.length,
            lambda: "-m pkttype %s--pkt-type %s" % (self.inv(), r.choice(
                ["unicast", "broadcast", "multicast"])),
            lambda: "-m limit --limit %s --limit-burst %d" % (r.choice(
                ["1/hour", "2/hour", "1/day", "1/minute"]), r.randrange(1, 6)),
            self.statistic,
            lambda: "-m mac %s--mac-source %s" % (self.inv(), self.mac()),
            lambda: "-m cpu %s--cpu %d" % (self.inv(), r.choice([0, 1])),
            lambda: "-m devgroup %s--src-group %s" % (self.inv(), r.choice(
                [str(TARGET_GROUP), "4", "0x4/0x4", "0/0xf0"])),
            self.iprange,
            lambda: "-m dscp %s--dscp %d" % (self.inv(), r.choice(
                [0, 4, 46, 1, 0x3f])),
            lambda: "-m tos %s--tos %s" % (self.inv(), r.choice(
                ["0x10", "0x04/0x3f", "0/0xff", "0xb8", "0x10/0x10"])),
            lambda: "-m ecn %s--ecn-ip-ect %d" % (self.inv(), r.randrange(4)),
        ]
        if self.v6:
            choices += [
                lambda: "-m hl --hl-%s %d" % (r.choice(["eq", "gt", "lt"]),
                                              r.choice([1, 64, 128, 255, 0])),
                self.ipv6header, self.frag, self.hbh_dst, self.rt,
                lambda: "-m ah %s--ahspi %s%s" % (self.inv(), self.spi(),
                                                  r.choice(["", " --ahlen 4",
                                                            " --ahres"])),
            ]
        else:
            choices += [
                lambda: "%s-f" % self.inv(),
                lambda: "-m ttl --ttl-%s %d" % (r.choice(["eq", "gt", "lt"]),
                                                r.choice([1, 64, 128, 255, 2])),
            ]
        if chain != "INPUT":  # user chains too: never true from INPUT
            choices.append(lambda: "%s-o %s" % (self.inv(), r.choice(
                ["eth0", "eth1", "eth+", "lo"])))
        if chain == "FORWARD":  # the kernel takes it only there
            choices.append(lambda: "-m devgroup %s--dst-group %s" % (
                self.inv(), r.choice([str(FAR_GROUP), "5", "0x7/0x3"])))
        return r.choice(choices)()

    def core_addr(self, opt, local):
        a = self.addr(local)
        # "! -s A/0" is refused by the kernel (a compare of no bytes)
        inv = self.inv() if not a.endswith("/0") else ""
        return "%s%s %s" % (inv, opt, a)

    def conntrack(self):
        r = self.r
        opts = []
        for _ in range(r.randrange(1, 3)):
            k = r.randrange(8)
            if k <= 2:
                opts.append("%s--ctstate %s" % (self.inv(), ",".join(
                    r.sample(CTSTATES, r.randrange(1, 4)))))
            elif k == 3:
                opts.append("%s--ctstatus %s" % (self.inv(), ",".join(
                    r.sample(CTSTATUS, r.randrange(1, 3)))))
            elif k == 4:
                opts.append("%s--ctproto %s" % (self.inv(), r.choice(
                    ["tcp", "udp", "6", "17", "1", "58", "icmp"])))
            elif k == 5:
                which = r.choice(["origsrc", "origdst", "replsrc", "repldst"])
                local = which in ("origdst", "replsrc")
                opts.append("%s--ct%s %s" % (self.inv(), which,
                                             self.addr(local)))
            elif k == 6:
                which = r.choice(["origsrcport", "origdstport",
                                  "replsrcport", "repldstport"])
                opts.append("%s--ct%s %s" % (self.inv(), which,
                                             self.portspec().strip(":") or
                                             "22"))
            else:
                opts.append("--ctdir %s" % r.choice(["ORIGINAL", "REPLY"]))
        seen = set()
        uniq = []
        for o in opts:  # each option once
            key = o.split("--")[1].split()[0]
            if key not in seen:
                seen.add(key)
                uniq.append(o)
        return "-m conntrack " + " ".join(uniq)

    def length(self):
        a, b = sorted([self.r.choice([0, 20, 40, 60, 84, 100, 300, 1500,
                                      65535]) for _ in range(2)])
        spec = str(a) if self.r.random() < 0.3 else "%d:%d" % (a, b)
        return "-m length %s--length %s" % (self.inv(), spec)

    def statistic(self):
        r = self.r
        if r.random() < 0.5:
            return "-m statistic --mode random %s--probability %s" % (
                self.inv(), r.choice(["0", "1", "0.0", "1.0"]))
        every = r.randrange(1, 6)
        return "-m statistic --mode nth %s--every %d --packet %d" % (
            self.inv(), every, r.randrange(every))

    def iprange(self):
        r = self.r
        local = r.random() < 0.5
        pool = (V6_DST if local else V6_REMOTE) if self.v6 else \
            (V4_DST if local else V4_REMOTE)
        a, b = r.choice(pool), r.choice(pool)
        key = self.addr_key
        a, b = sorted([a, b], key=key)
        opt = "--dst-range" if local else "--src-range"
        return "-m iprange %s%s %s-%s" % (self.inv(), opt, a, b)

    def addr_key(self, a):
        import socket
        return socket.inet_pton(socket.AF_INET6 if self.v6 else
                                socket.AF_INET, a)

    def ipv6header(self):
        r = self.r
        hdrs = r.sample(["hop", "dst", "route", "frag", "auth", "esp",
                         "none", "prot"], r.randrange(1, 4))
        soft = " --soft" if r.random() < 0.5 else ""
        return "-m ipv6header %s--header %s%s" % (self.inv(), ",".join(hdrs),
                                                  soft)

    def frag(self):
        r = self.r
        opts = []
        if r.random() < 0.5:
            opts.append("%s--fragid %s" % (self.inv(), r.choice(
                ["1", "7", "1:7", "0x10000", "0:0xffffffff"])))
        if r.random() < 0.3:
            opts.append("%s--fraglen %d" % (self.inv(), r.choice([0, 8])))
        if r.random() < 0.2:
            opts.append("--fragres")
        k = r.choice(["", "--fragfirst", "--fragmore", "--fraglast"])
        if k:
            opts.append(k)
        return "-m frag " + (" ".join(opts) or "--fragmore")

    def hbh_dst(self):
        r = self.r
        name = r.choice(["hbh", "dst"])
        opts = []
        if r.random() < 0.6:
            opts.append("%s--%s-len %d" % (self.inv(), name,
                                           r.choice([0, 1, 2])))
        if r.random() < 0.4:
            opts.append("--%s-opts %s" % (name, r.choice(
                ["1", "1:4", "5:2,1", "194:4", "0"])))
        return "-m %s %s" % (name, " ".join(opts)) if opts else "-m " + name

    def rt(self):
        r = self.r
        opts = []
        if r.random() < 0.6:
            opts.append("%s--rt-type %d" % (self.inv(), r.choice([0, 2, 3])))
        if r.random() < 0.5:
            opts.append("%s--rt-segsleft %s" % (self.inv(), r.choice(
                ["0", "1", "1:2", "2"])))
        if r.random() < 0.3:
            opts.append("%s--rt-len %d" % (self.inv(), r.choice([0, 2, 4])))
        return "-m rt " + " ".join(opts)

    # --- rules and chains ------------------------------------------------
    def rule(self, chain, later_chains):
        r = self.r
        proto, deps = self.proto_part()
        user = chain not in BASES
        matches, seen = [], {d.split()[1] for d in deps
                             if d.startswith("-m ")}
        for _ in range(r.choice([0, 1, 1, 2, 3])):
            m = self.match(chain)
            words = m.lstrip("! ").split()
            # each core option and each match module once a rule
            key = words[1] if words[0] == "-m" else words[0]
            if key not in seen:
                seen.add(key)
                matches.append(m)
        # mostly rules that let the packet go on, so later rules see it
        targets = [("-j ACCEPT", 2), ("-j DROP", 2), ("", 5)]
        if user:
            targets.append(("-j RETURN", 1))
        if later_chains:
            targets += [("-j %s" % r.choice(later_chains), 3),
                        ("-g %s" % r.choice(later_chains), 1)]
        target = r.choices([t for t, _ in targets],
                           [w for _, w in targets])[0]
        return Rule(proto, deps, matches, target)

    def ruleset(self):
        r = self.r
        users = ["U%d" % i for i in range(r.choice([0, 1, 2, 3, 4]))]
        chains = {}
        for name in BASES + users:
            # jumps only forward: no loops
            later = users[users.index(name) + 1:] if name in users else users
            n = {"INPUT": r.choice([1, 2, 4, 8, 12, 20]),
                 "FORWARD": r.choice([0, 1, 2, 4, 8])}.get(
                     name, r.choice([1, 2, 3, 6]))
            chains[name] = [self.rule(name, later) for _ in range(n)]
        policy = {b: r.choice(["ACCEPT", "DROP", "ACCEPT"]) for b in BASES}
        return Ruleset(self.v6, policy, chains)


def rulesets(seed, packet_ids):
    """The IPv4 and the IPv6 ruleset of one case."""
    r = random.Random(seed)
    return Gen(r, False, packet_ids).ruleset(), \
        Gen(r, True, packet_ids).ruleset()
