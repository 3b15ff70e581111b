#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The README's demo: shows, in a throwaway network namespace, what
# iptables-bpf can do today.  Leaves nothing behind.
set -eu
builddir=${IPTABLES_BPF_BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=$builddir/iptables-bpf

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

[ "$(id -u)" = 0 ] || { echo "demo: run as root (it makes a network namespace)"; exit 1; }

ns=ipb-demo-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT

echo "iptables-bpf demo in namespace $ns"
step "$bin/iptables-bpf" --version
step "$bin/ip6tables-bpf-restore" --version
echo
if "$builddir/tests/bpf/probe-test" >/dev/null 2>&1; then
	echo "This kernel loads BPF_PROG_TYPE_NETFILTER programs."
else
	echo "This kernel does NOT load BPF_PROG_TYPE_NETFILTER programs."
fi
cat <<'TXT'

What works yet: the multi-call binary answers --version and -h under all
of its names.  Rule commands, nf_tables encoding and the BPF programs are
being built (see the open issues); this demo grows with them.
TXT
