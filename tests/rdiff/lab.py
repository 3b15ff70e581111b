# SPDX-License-Identifier: GPL-2.0-or-later
"""Three network namespaces for one differential run of a case.

	snd  --veth-->  ref --veth--> snd   iptables-nft: nf_tables runs it
	     --veth-->  bpf --veth--> snd   iptables-bpf: BPF runs it
(each target delivers to itself (INPUT) or forwards out of its second
interface (FORWARD); what comes back to snd is dropped there).

Both targets are set up alike (same interface name, MAC, group,
addresses, routes, sysctls).  An observer table in each,
	inet ipbobs: prerouting at -500 adds the source MAC to @arrived,
	             input and forward at 500 add it to @passed,
tells which packets the ruleset let through: the source MAC is the
packet's number.  It also gives packets (and connections) marks.  Every namespace and the private bpffs are made here
and removed by close().
"""
import json
import os
import subprocess
import tempfile

from addrs import (FAR_GROUP, FAR_IF, TARGET_GROUP, TARGET_IF, TARGET_MAC,
                   V4_FAR_GW, V4_FAR_LINK, V4_FAR_NET, V4_GATEWAY, V4_LOCAL,
                   V4_REMOTE, V6_REMOTE,
                   V6_FAR_GW, V6_FAR_LINK, V6_FAR_NET, V6_GATEWAY, V6_LOCAL)

HERE = os.path.dirname(os.path.abspath(__file__))
SENTINEL_MAC = "02:01:00:00:00:00"
SND_MAC = "02:00:00:00:00:fe"

# Packets arrive with marks 0-3 (a hash of the packet number), so the
# mark matches see more than 0; where the ruleset loads conntrack anyway
# (a conntrack, state or connmark match), connections get marks too.
MARKS = """
table inet ipbobs {
	chain marks {
		type filter hook prerouting priority -450;
		meta mark set jhash ether saddr mod 4 seed 0x1234
	}
}
"""
CTMARKS = """
table inet ipbobs {
	chain ctmarks {
		type filter hook prerouting priority -100;
		ct mark set meta mark xor 0x1
	}
}
"""
CT_MATCHES = ("-m conntrack", "-m state", "-m connmark")

OBSERVER = """
table inet ipbobs {
	set passed { type ether_addr; flags dynamic; size 65536; }
	set arrived { type ether_addr; flags dynamic; size 65536; }
	chain pre {
		type filter hook prerouting priority -500;
		add @arrived { ether saddr }
	}
	chain in {
		type filter hook input priority 500;
		add @passed { ether saddr }
	}
	chain forward {
		type filter hook forward priority 500;
		add @passed { ether saddr }
	}
}
"""

SYSCTLS = [
    "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
    "net.ipv4.icmp_ratelimit=0", "net.ipv4.icmp_msgs_per_sec=100000",
    "net.ipv4.icmp_msgs_burst=100000", "net.ipv6.icmp.ratelimit=0",
    "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
    "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1",
]


def sh(args, inp=None, check=True, env=None):
    p = subprocess.run(args, input=inp, capture_output=True, text=True,
                       env=env)
    if check and p.returncode:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(args), p.returncode,
                                                p.stderr.strip()))
    return p


class Result:
    """What one target did with a case."""

    def __init__(self):
        self.load = None      # (exit code, stderr) of the restore
        self.passed = set()   # packet numbers through INPUT
        self.arrived = set()  # packet numbers at PREROUTING
        self.save = {}        # family -> save -c text
        self.status = ""      # iptables-bpf-status (bpf target)


class Lab:
    def __init__(self, tools):
        """@tools: dict of the commands (see rdiff.py)."""
        self.tools = tools
        tag = "ipb-rd-%d" % os.getpid()
        self.ns = {k: "%s-%s" % (tag, k) for k in ("snd", "ref", "bpf")}
        self.bpffs = tempfile.mkdtemp(prefix="ipb-rdiff-bpffs.")
        sh(["mount", "-t", "bpf", "bpf", self.bpffs])
        self.sender = None

    # --- namespaces ------------------------------------------------------
    def up(self):
        ns = self.ns
        for n in ns.values():
            sh(["ip", "netns", "add", n])
        snd = ["ip", "netns", "exec", ns["snd"], "sysctl", "-qw"]
        sh(snd + ["net.ipv6.conf.all.disable_ipv6=1"])
        sh(snd + ["net.ipv6.conf.default.disable_ipv6=1"])
        for t in ("ref", "bpf"):
            self.target_up(t)
        self.sender = subprocess.Popen(
            ["ip", "netns", "exec", ns["snd"], "python3",
             os.path.join(HERE, "sender.py")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def target_up(self, t):
        n, snd = self.ns[t], self.ns["snd"]
        mac = ":".join("%02x" % b for b in TARGET_MAC)
        cmds = [
            "link add v%s netns %s type veth peer name %s netns %s" %
            (t, snd, TARGET_IF, n),
            "link add w%s netns %s type veth peer name %s netns %s" %
            (t, snd, FAR_IF, n),
        ]
        sh(["ip", "-batch", "-"], "\n".join(cmds) + "\n")
        sh(["ip", "netns", "exec", n, "sysctl", "-qw"] + SYSCTLS)
        tcmds = ["link set lo up",
                 "link set %s address %s group %d up" % (TARGET_IF, mac,
                                                        TARGET_GROUP)]
        tcmds += ["link set %s group %d up" % (FAR_IF, FAR_GROUP),
                  "addr add %s dev %s" % (V4_FAR_LINK, FAR_IF),
                  "addr add %s dev %s nodad" % (V6_FAR_LINK, FAR_IF),
                  "route add %s via %s dev %s" % (V4_FAR_NET, V4_FAR_GW,
                                                  FAR_IF),
                  "route add %s via %s dev %s" % (V6_FAR_NET, V6_FAR_GW,
                                                  FAR_IF),
                  "neigh add %s lladdr %s dev %s nud permanent" %
                  (V4_FAR_GW, SND_MAC, FAR_IF),
                  "neigh add %s lladdr %s dev %s nud permanent" %
                  (V6_FAR_GW, SND_MAC, FAR_IF)]
        tcmds += ["addr add %s/24 dev %s" % (a, TARGET_IF) for a in V4_LOCAL]
        tcmds += ["addr add %s/64 dev %s nodad" % (a, TARGET_IF)
                  for a in V6_LOCAL]
        # Every peer's address resolves at once: a reply waiting for an
        # ARP or ND answer that never comes stays charged to the kernel's
        # ICMP socket, which is per CPU and shared by all namespaces; once
        # its send buffer is full, one target's echo reply fails (ENOBUFS)
        # where the other's went out, and conntrack differs after that.
        tcmds += ["neigh add %s lladdr %s dev %s nud permanent" %
                  (a, SND_MAC, TARGET_IF) for a in V4_REMOTE + V6_REMOTE]
        tcmds += ["route add default via %s dev %s" % (V4_GATEWAY, TARGET_IF),
                  "route add default via %s dev %s" % (V6_GATEWAY,
                                                          TARGET_IF),
                  "neigh add %s lladdr %s dev %s nud permanent" %
                  (V4_GATEWAY, SND_MAC, TARGET_IF),
                  "neigh add %s lladdr %s dev %s nud permanent" %
                  (V6_GATEWAY, SND_MAC, TARGET_IF)]
        sh(["ip", "-n", n, "-batch", "-"], "\n".join(tcmds) + "\n")
        for end in ("v", "w"):
            sh(["ip", "-n", snd, "link", "set", end + t, "address", SND_MAC,
                "up"])
        sh(["ip", "netns", "exec", n, "nft", "-f", "-"], self.observer)

    def down(self):
        if self.sender:
            self.sender.stdin.close()
            self.sender.wait()
            self.sender = None
        # Unpin first: a pinned link keeps its namespace alive.
        for d in os.listdir(self.bpffs):
            sh(["rm", "-rf", os.path.join(self.bpffs, d)], check=False)
        for n in self.ns.values():
            sh(["ip", "netns", "del", n], check=False)

    def close(self):
        self.down()
        sh(["umount", self.bpffs], check=False)
        os.rmdir(self.bpffs)
        for ext in (".lock", ".kinfo"):
            try:
                os.unlink(self.bpffs + ext)
            except FileNotFoundError:
                pass

    # --- one case ------------------------------------------------------
    def env(self, t):
        e = dict(os.environ)
        if t == "bpf":
            e["IPTABLES_BPF_PIN_ROOT"] = self.bpffs
            e["IPTABLES_BPF_MODE"] = "require"
        return e

    def restore(self, t, fam, text):
        cmd = self.tools["%s-restore%s" % (t, "6" if fam == "ip6" else "")]
        p = sh(["ip", "netns", "exec", self.ns[t], cmd], text, check=False,
               env=self.env(t))
        return p.returncode, p.stderr

    def send(self, frames):
        w = self.sender.stdin
        for f in frames:
            h = f.hex()
            w.write("vref %s\nvbpf %s\n" % (h, h))
        sentinel = sentinel_frame()
        w.write("vref %s\nvbpf %s\nsync\n" % (sentinel, sentinel))
        w.flush()
        if self.sender.stdout.readline().strip() != "ok":
            raise RuntimeError("sender died")

    def set_macs(self, t, name):
        p = sh(["ip", "netns", "exec", self.ns[t], "nft", "-j", "list", "set",
                "inet", "ipbobs", name])
        out = set()
        for obj in json.loads(p.stdout)["nftables"]:
            for e in obj.get("set", {}).get("elem", []):
                out.add(e if isinstance(e, str) else e["elem"]["val"])
        return out

    def collect(self, t, res):
        for _ in range(50):  # the sentinel closes the run
            arrived = self.set_macs(t, "arrived")
            if SENTINEL_MAC in arrived:
                break
        else:
            raise RuntimeError("%s: the sentinel never arrived" % t)
        res.arrived = {mac_id(m) for m in arrived if m != SENTINEL_MAC}
        res.passed = {mac_id(m) for m in self.set_macs(t, "passed")
                      if m != SENTINEL_MAC}
        for fam in ("ip", "ip6"):
            cmd = self.tools["%s-save%s" % (t, "6" if fam == "ip6" else "")]
            p = sh(["ip", "netns", "exec", self.ns[t], cmd, "-c", "-t",
                    "filter"], env=self.env(t))
            res.save[fam] = "\n".join(l for l in p.stdout.splitlines()
                                      if not l.startswith("#"))
        if t == "bpf":
            p = sh(["ip", "netns", "exec", self.ns[t], self.tools["status"]],
                   env=self.env(t), check=False)
            res.status = p.stdout

    def run(self, case):
        """Runs @case (rdcase.Case) in fresh namespaces: {t: Result}."""
        rules = case.v4.render() + case.v6.render()
        self.observer = OBSERVER + MARKS
        if any(m in rules for m in CT_MATCHES):
            self.observer += CTMARKS
        self.up()
        try:
            out = {}
            for t in ("ref", "bpf"):
                res = out[t] = Result()
                res.load = []
                for fam, rs in (("ip", case.v4), ("ip6", case.v6)):
                    res.load.append(self.restore(t, fam, rs.render()))
            if any(rc for rc, _ in out["ref"].load + out["bpf"].load):
                return out
            self.send(case.frames)
            for t in ("ref", "bpf"):
                self.collect(t, out[t])
            return out
        finally:
            self.down()


def mac_id(mac):
    b = bytes.fromhex(mac.replace(":", ""))
    return int.from_bytes(b[2:], "big")


def sentinel_frame():
    """An IPv4 UDP packet to an address the target does not have and
    does not forward: routing drops it after PREROUTING, so it marks the
    end of the run without reaching the ruleset in INPUT (its source MAC
    is no packet number)."""
    import struct
    from packets import csum
    from addrs import aton4, V4_REMOTE
    eth = TARGET_MAC + bytes.fromhex(SENTINEL_MAC.replace(":", "")) + \
        b"\x08\x00"
    udp = struct.pack("!HHHH", 9, 9, 8, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 0, 0, 64, 17, 0,
                     aton4(V4_REMOTE[0]), aton4("203.0.113.250"))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return (eth + ip + udp).hex()
