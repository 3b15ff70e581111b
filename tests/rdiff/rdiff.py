#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Differential tester: random rulesets and random packets, once run by
nf_tables (iptables-nft) and once by BPF (iptables-bpf), compared packet
by packet and counter by counter (tests/rdiff/README.md).

	rdiff.py --seed S --cases N [--packets P]    generated cases
	rdiff.py --replay FILE...                    case files ("-": stdin)

Prints TAP.  A mismatch is shrunk and printed as a ready-to-run bats
case, and its case file is written to --found (default tests/logs/).
Exits 1 on a mismatch, 77 without root or iptables-nft.
"""
import argparse
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lab import Lab  # noqa: E402
from rdcase import Case, compare, invalid, kinds  # noqa: E402
from shrink import shrink  # noqa: E402


def tools(builddir):
    bin_ = os.path.join(builddir, "iptables-bpf")
    return {
        "ref-restore": "iptables-nft-restore",
        "ref-restore6": "ip6tables-nft-restore",
        "ref-save": "iptables-nft-save",
        "ref-save6": "ip6tables-nft-save",
        "bpf-restore": os.path.join(bin_, "iptables-bpf-restore"),
        "bpf-restore6": os.path.join(bin_, "ip6tables-bpf-restore"),
        "bpf-save": os.path.join(bin_, "iptables-bpf-save"),
        "bpf-save6": os.path.join(bin_, "ip6tables-bpf-save"),
        "status": os.path.join(bin_, "iptables-bpf-status"),
    }


def rules_hit(res):
    """Rules whose packet counter nf_tables moved: how much of the
    ruleset the packets reached."""
    return sum(1 for fam in res.save.values() for l in fam.splitlines()
               if l.startswith("[") and not l.startswith("[0:"))


def bats_case(case, diffs):
    title = "rdiff %s: %s" % (case.origin, diffs[0].splitlines()[0])
    title = title.replace('"', "'")[:120]
    return ('@test "%s" {\n\trdiff_replay <<\'CASE\'\n%sCASE\n}\n' %
            (title, case.dump()))


def report(n, case, diffs, lab, found, do_shrink):
    print("not ok %d - %s" % (n, case.origin))
    for d in diffs[:20]:
        print("# " + d.replace("\n", "\n# "))
    if do_shrink:
        want = kinds(diffs)

        def fails(c):
            return bool(kinds(compare(lab.run(c))) & want)
        case = shrink(case, fails)
        case.origin += " (shrunk)"
        diffs = compare(lab.run(case)) or diffs
        for d in diffs[:20]:
            print("# shrunk: " + d.replace("\n", "\n# "))
    os.makedirs(found, exist_ok=True)
    path = os.path.join(found, "rdiff-%s.case" %
                        case.origin.split("(")[0].strip().replace(" ", "-"))
    with open(path, "w") as f:
        f.write(case.dump())
    print("# case file: %s; as a bats case for tests/cli/rdiff.bats:" % path)
    for line in bats_case(case, diffs).splitlines():
        print("# | " + line)


def cases_of(args):
    if args.replay:
        for path in args.replay:
            text = sys.stdin.read() if path == "-" else open(path).read()
            c = Case.load(text)
            c.origin = c.origin or path
            yield c
        return
    for i in range(args.cases):
        yield Case.generate(args.seed + i, args.packets)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=10)
    ap.add_argument("--packets", type=int, default=200)
    ap.add_argument("--replay", nargs="*")
    ap.add_argument("--no-shrink", action="store_true")
    ap.add_argument("--builddir", default=os.environ.get(
        "IPTABLES_BPF_BUILDDIR", os.path.join(here, "..", "..")))
    ap.add_argument("--found", default=None)
    args = ap.parse_args()
    found = args.found or os.path.join(args.builddir, "tests", "logs")

    if os.geteuid() != 0 or not shutil.which("iptables-nft-restore"):
        print("1..0 # SKIP needs root and iptables-nft")
        return 77
    lab = Lab(tools(args.builddir))
    n = bad = skipped = 0
    rules = frames = hit = 0
    start = time.time()
    try:
        total = len(args.replay) if args.replay else args.cases
        print("1..%d" % total, flush=True)
        for case in cases_of(args):
            n += 1
            out = lab.run(case)
            diffs = compare(out)
            if not diffs and invalid(out):
                skipped += 1
                err = " ".join(e.strip() for _, e in out["ref"].load)
                print("ok %d - %s # SKIP iptables-nft refused it: %s" %
                      (n, case.origin, err[:200]), flush=True)
                continue
            rules += case.v4.rule_count() + case.v6.rule_count()
            hit += rules_hit(out["ref"])
            frames += len(case.frames)
            if diffs:
                bad += 1
                report(n, case, diffs, lab, found, not args.no_shrink)
            else:
                print("ok %d - %s: %d rules, %d packets, %d accepted" % (
                    n, case.origin, case.v4.rule_count() +
                    case.v6.rule_count(), len(case.frames),
                    len(out["ref"].passed)), flush=True)
    finally:
        lab.close()
    print("# rdiff: %d cases (%d skipped), %d rules (%d matched a packet), "
          "%d packets, %d mismatching cases, %.0f s" % (
              n, skipped, rules, hit, frames, bad, time.time() - start))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
