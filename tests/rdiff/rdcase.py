# SPDX-License-Identifier: GPL-2.0-or-later
"""A case: an IPv4 and an IPv6 ruleset and the frames sent through them;
its comparison; and its file form, which a regression test replays:

	# rdiff case: <where it came from>
	*filter            the IPv4 ruleset, as restore input
	...
	COMMIT
	%ip6
	*filter            the IPv6 ruleset
	...
	COMMIT
	%frames
	<hex frame>        one a line, in the order sent
"""
import packets
import rules


class Text:
    """A ruleset read back from a case file: only its restore text."""

    def __init__(self, text):
        self.text = text

    def render(self):
        return self.text

    def copy(self):
        return self

    def rule_count(self):
        return sum(1 for l in self.text.splitlines() if l.startswith("-A"))


class Case:
    def __init__(self, v4, v6, frames, origin=""):
        self.v4, self.v6, self.frames, self.origin = v4, v6, frames, origin

    @staticmethod
    def generate(seed, npackets):
        frames = packets.packets(seed, npackets)
        v4, v6 = rules.rulesets(seed, list(range(1, npackets + 1)))
        return Case(v4, v6, frames, "seed %d" % seed)

    def dump(self):
        return "# rdiff case: %s\n%s%%ip6\n%s%%frames\n%s\n" % (
            self.origin, self.v4.render(), self.v6.render(),
            "\n".join(f.hex() for f in self.frames))

    @staticmethod
    def load(text):
        part, parts = "ip", {"ip": [], "ip6": [], "frames": []}
        origin = ""
        for line in text.splitlines():
            if line.startswith("# rdiff case:"):
                origin = line.split(":", 1)[1].strip()
            elif line.startswith("%"):
                part = line[1:].strip()
            elif line.strip() and (part != "frames" or
                                   not line.startswith("#")):
                parts[part].append(line)
        return Case(Text("\n".join(parts["ip"]) + "\n"),
                    Text("\n".join(parts["ip6"]) + "\n"),
                    [bytes.fromhex(l) for l in parts["frames"]], origin)


def compare(out):
    """The differences between the ref and bpf results, as text lines;
    none when BPF decided exactly what nf_tables did."""
    ref, bpf = out["ref"], out["bpf"]
    diffs = []
    for (rc1, err1), (rc2, err2), fam in zip(ref.load, bpf.load,
                                             ("ip", "ip6")):
        if (rc1 == 0) != (rc2 == 0):
            diffs.append("%s restore: iptables-nft exit %d, iptables-bpf "
                         "exit %d: %s" % (fam, rc1, rc2,
                                          (err1 + err2).strip()))
    if diffs or any(rc for rc, _ in ref.load):
        return diffs
    for fam in ("ip", "ip6"):
        if "%s filter: bpf" % fam not in bpf.status and \
                "%s filter: nf_tables: nothing to run" % fam not in bpf.status:
            diffs.append("%s filter does not run in BPF:\n%s" %
                         (fam, bpf.status))
    if ref.arrived != bpf.arrived:
        diffs.append("arrived differ: only ref %s, only bpf %s" % (
            sorted(ref.arrived - bpf.arrived),
            sorted(bpf.arrived - ref.arrived)))
    for pid in sorted(ref.passed ^ bpf.passed):
        diffs.append("packet %d: nf_tables %s, BPF %s" % (
            pid, verdict(pid, ref), verdict(pid, bpf)))
    for fam in ("ip", "ip6"):
        a, b = (counted(ref.save[fam]), counted(bpf.save[fam]))
        if a != b:
            for la, lb in zip(a + [""] * len(b), b + [""] * len(a)):
                if la != lb:
                    diffs.append("%s save -c: nf_tables '%s', BPF '%s'" %
                                 (fam, la, lb))
    return diffs


def kinds(diffs):
    """What sort of differences these are ("packet N", "ip save -c", ...):
    shrinking keeps a case that shows one of the same sort."""
    import re
    return {re.sub(r"\d+", "N", d.split(":")[0]) for d in diffs}


def counted(save):
    """The lines of a save whose counters the packets sent decide: not
    those of OUTPUT and FORWARD, which count what the target itself
    sends (neighbour discovery, MLD, replies), at moments of its own."""
    return [l.rsplit(" ", 1)[0] if l.startswith((":OUTPUT", ":FORWARD"))
            else l for l in save.splitlines()]


def verdict(pid, res):
    return "accepted" if pid in res.passed else "dropped"


def invalid(out):
    """iptables-nft refused a ruleset (and iptables-bpf too, or compare()
    says otherwise): a slip of the generator, not a finding."""
    return any(rc for rc, _ in out["ref"].load)
