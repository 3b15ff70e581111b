# SPDX-License-Identifier: GPL-2.0-or-later
"""Makes a failing case small: fewer frames, then fewer rules, matches
and chains, keeping every step that still fails.  @fails(case) runs a
case and tells whether it still shows a difference.
"""
from rdcase import Case, Text
from rules import BASES, Ruleset


def ddmin(items, fails_with):
    """Zeller's delta debugging: a small sublist of @items (order kept)
    for which fails_with(sublist) holds."""
    n = 2
    while len(items) >= 2:
        chunk = max(1, len(items) // n)
        subsets = [items[i:i + chunk] for i in range(0, len(items), chunk)]
        reduced = False
        for i in range(len(subsets)):
            rest = [x for j, s in enumerate(subsets) if j != i for x in s]
            if fails_with(rest):
                items, n, reduced = rest, max(n - 1, 2), True
                break
        if not reduced:
            if n >= len(items):
                break
            n = min(len(items), n * 2)
    return items


def endpoints(frame):
    """The IP source and destination of a frame (its connection's
    endpoints, whichever way it goes)."""
    if frame[12:14] == b"\x86\xdd":
        a, b = frame[22:38], frame[38:54]
    else:
        a, b = frame[26:30], frame[30:34]
    return frozenset((a, b))


def shrink_frames(case, fails):
    """The shortest failing prefix (binary search), then the frames
    between the same two hosts as its last one (conntrack needs the
    connection's earlier packets), then delta debugging."""
    def with_frames(frames):
        return Case(case.v4, case.v6, frames, case.origin)

    frames = case.frames
    lo, hi = 0, len(frames)  # frames[:hi] fails
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fails(with_frames(frames[:mid])):
            hi = mid
        else:
            lo = mid
    frames = frames[:hi]
    if frames:
        last = frames[-1]
        for subset in ([last], [f for f in frames
                                if endpoints(f) == endpoints(last)]):
            if len(subset) < len(frames) and fails(with_frames(subset)):
                frames = subset
                break
    frames = ddmin(frames, lambda f: fails(with_frames(f)))
    return with_frames(frames)


def rule_edits(rs):
    """Smaller variants of a structured ruleset, most reducing first."""
    if rs.rule_count():
        yield Ruleset(rs.v6, {}, {b: [] for b in BASES})
    for name in [n for n in rs.chains if n not in BASES]:
        if not any(r.target.endswith(" " + name)
                   for rules in rs.chains.values() for r in rules):
            c = rs.copy()
            del c.chains[name]
            yield c
    for name, rules in rs.chains.items():
        for i in range(len(rules)):
            c = rs.copy()
            del c.chains[name][i]
            yield c
    for name, rules in rs.chains.items():
        for i, r in enumerate(rules):
            for attr in ("matches", "deps"):
                for j in range(len(getattr(r, attr))):
                    c = rs.copy()
                    del getattr(c.chains[name][i], attr)[j]
                    yield c
            if r.proto and not r.deps:
                c = rs.copy()
                c.chains[name][i].proto = ""
                yield c
            if r.target and " U" not in r.target:
                c = rs.copy()
                c.chains[name][i].target = ""
                yield c
    for b, policy in rs.policy.items():
        if policy != "ACCEPT":
            c = rs.copy()
            c.policy[b] = "ACCEPT"
            yield c


def shrink_rules(case, fails):
    for fam in ("v4", "v6"):
        progress = True
        while progress and not isinstance(getattr(case, fam), Text):
            progress = False
            for smaller in rule_edits(getattr(case, fam)):
                c = Case(case.v4, case.v6, case.frames, case.origin)
                setattr(c, fam, smaller)
                if fails(c):
                    case, progress = c, True
                    break
    return case


def shrink(case, fails):
    case = shrink_frames(case, fails)
    case = shrink_rules(case, fails)
    return shrink_frames(case, fails)
