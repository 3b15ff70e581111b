#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Seed corpora for the fuzz targets, from the differential suite's cases
# (tests/cli/diff/*.cases, tests/cli/fixtures/diff/*.cases) and the
# benchmark's host firewall (tests/bench/hostfw.rules):
#	seeds.py SRCDIR OUTDIR
# writes OUTDIR/restore/, OUTDIR/cmdline/ and OUTDIR/compile/, in the input
# formats fuzz-restore.c, fuzz-cmdline.c and fuzz-compile.c describe.
import glob
import hashlib
import os
import shlex
import sys

src, out = sys.argv[1], sys.argv[2]
seeds = {"restore": set(), "cmdline": set(), "compile": set()}

RESTORE_FLAGS = {"--noflush": "-n", "-n": "-n", "--counters": "-c",
                 "-c": "-c", "--test": "-t", "-t": "-t"}


def restore_header(words):
    head = ["-6"] if words[0].startswith("ip6") else []
    i = 1
    while i < len(words):
        w = words[i]
        if w in RESTORE_FLAGS:
            head.append(RESTORE_FLAGS[w])
        elif w == "-T" and i + 1 < len(words):
            head += ["-T", words[i + 1]]
            i += 1
        i += 1
    return " ".join(head)


def cases(path):
    """Yields (case name, [(command words, stdin text or None)])."""
    name, cmds = None, []
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("case "):
            if name:
                yield name, cmds
            name, cmds = line[5:].strip(), []
            continue
        if not line.strip() or line.startswith("#") or not name:
            continue
        stdin = None
        if "<<" in line:
            line, word = line.rsplit("<<", 1)
            body = []
            while i < len(lines) and lines[i] != word.strip():
                body.append(lines[i])
                i += 1
            i += 1
            stdin = "\n".join(body) + "\n"
        try:
            words = shlex.split(line)
        except ValueError:
            continue
        if words:
            cmds.append((words, stdin))
    if name:
        yield name, cmds


def restore_to_compile(text, v6):
    return ("-6\n" if v6 else "") + text


for path in sorted(glob.glob(os.path.join(src, "tests/cli/diff/*.cases")) +
                   glob.glob(os.path.join(src, "tests/cli/fixtures/diff/*.cases"))):
    for name, cmds in cases(path):
        rulesets = {}
        for words, stdin in cmds:
            prog = words[0]
            if prog.endswith("-restore") and stdin is not None:
                seeds["restore"].add(restore_header(words) + "\n" + stdin)
                seeds["compile"].add(restore_to_compile(
                    stdin, prog.startswith("ip6")))
                for line in stdin.split("\n"):
                    if not line.startswith("-"):
                        continue
                    try:
                        words = shlex.split(line)
                    except ValueError:
                        words = line.split()
                    seeds["cmdline"].add(
                        "\n".join([prog.replace("-restore", "")] + words))
            elif prog in ("iptables", "ip6tables"):
                seeds["cmdline"].add("\n".join(words))
                args = words[1:]
                table = "filter"
                if "-t" in args:
                    k = args.index("-t")
                    if k + 1 < len(args):
                        table = args[k + 1]
                    args = args[:k] + args[k + 2:]
                if args and args[0] in ("-A", "-I", "-N", "-P"):
                    key = (prog, table)
                    rulesets.setdefault(key, []).append(
                        " ".join(shlex.quote(a) if " " in a else a
                                 for a in args).replace("'", '"'))
        for (prog, table), lines in rulesets.items():
            seeds["compile"].add(("-6\n" if prog == "ip6tables" else "") +
                                 "*" + table + "\n" + "\n".join(lines) + "\n")

hostfw = open(os.path.join(src, "tests/bench/hostfw.rules")).read()
seeds["restore"].add("\n" + hostfw)
seeds["restore"].add("-t\n" + hostfw)
seeds["compile"].add(hostfw)

for target, items in seeds.items():
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    for s in items:
        data = s.encode()
        with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)
    print(f"seeds: {target}: {len(items)}")
