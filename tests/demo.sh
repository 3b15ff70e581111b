#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The README's demo (make demo): in a throwaway pair of network
# namespaces joined by a veth pair, load a small ruleset with
# iptables-bpf-restore, show that nf_tables holds it dormant while BPF
# programs run it, send traffic through it, read the counters, and show
# a fallback to nf_tables.  The pin root is a private bpffs this script
# mounts; everything it makes goes away on exit, whatever happens.
set -eu
builddir=${IPTABLES_BPF_BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd)}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
bin=$builddir/iptables-bpf
tcp_py=$srcdir/tests/lib/tcp.py

[ "$(id -u)" = 0 ] || { echo "demo: run as root (it makes network namespaces)"; exit 1; }
for c in ip nft ping python3; do
	command -v "$c" >/dev/null ||
		{ echo "demo: needs $c (./setup.sh installs it)"; exit 1; }
done
if ! "$builddir/tests/bpf/probe-test" >/dev/null 2>&1; then
	echo "demo: this kernel does not load BPF_PROG_TYPE_NETFILTER programs (Linux 6.4 or later needed)"
	exit 1
fi

ns=ipb-demo-$$
peer=ipb-demo-peer-$$
pins=
server=

cleanup() {
	set +e
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	ip netns del "$peer" 2>/dev/null
	if [ -n "$pins" ]; then
		umount "$pins" 2>/dev/null
		rmdir "$pins" 2>/dev/null
		rm -f "$pins.lock" "$pins.kinfo"
	fi
	return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
# on NS CMD...: show and run a command in namespace NS ($ns: "firewall")
on() {
	local where=$1
	shift
	printf '\033[1m[%s]$ %s\033[0m\n' \
		"$([ "$where" = "$ns" ] && echo firewall || echo peer)" \
		"$(echo "$*" | sed "s|$bin/||g; s|python3 $tcp_py|tcp.py|")"
	ip netns exec "$where" "$@"
}

# The pins must outlive each command: a bpffs of our own, in the host's
# mount namespace (ip netns exec remounts /sys, so not under /sys).
pins=$(mktemp -d "${TMPDIR:-/tmp}/ipb-demo-bpffs.XXXXXX")
mount -t bpf bpf "$pins"
export IPTABLES_BPF_PIN_ROOT=$pins

ip netns add "$ns"
ip netns add "$peer"
ip link add fw0 netns "$ns" type veth peer name p0 netns "$peer"
ip -n "$ns" addr add 10.77.0.1/24 dev fw0
ip -n "$peer" addr add 10.77.0.2/24 dev p0
for n in "$ns" "$peer"; do
	ip -n "$n" link set lo up
done
ip -n "$ns" link set fw0 up
ip -n "$peer" link set p0 up
ip netns exec "$ns" python3 "$tcp_py" serve 22 8080 8081 \
	--ready "$pins.ready" >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do
	[ -e "$pins.ready" ] && break
	sleep 0.02
done
rm -f "$pins.ready"

echo "iptables-bpf demo: a firewall namespace (10.77.0.1) and a peer (10.77.0.2)"
echo "joined by a veth pair; TCP servers listen on 22, 8080 and 8081."
on "$ns" "$bin/iptables-bpf" --version

bold "1. Load a ruleset, as with iptables-nft-restore:"
read -r -d '' rules <<'RULES' || true
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:services - [0:0]
-A INPUT -p tcp --dport 8081 -j DROP
-A INPUT -p tcp -j services
-A services -s 10.77.0.0/24 -p tcp --dport 22 -j ACCEPT
-A services -p tcp --dport 8080 -j ACCEPT
COMMIT
RULES
echo "$rules"
on "$ns" "$bin/iptables-bpf-restore" <<<"$rules"
echo "$rules"
on "$ns" "$bin/iptables-bpf-restore" <<<"$rules"

bold "2. nf_tables holds the rules, dormant (nft and iptables-nft list them):"
on "$ns" nft list ruleset 2>/dev/null

bold "3. BPF programs run them, one per hook:"
on "$ns" "$bin/iptables-bpf-status"

bold "4. Traffic from the peer:"
on "$peer" python3 "$tcp_py" connect 10.77.0.1 8080
on "$peer" python3 "$tcp_py" connect 10.77.0.1 22
echo "(8081 is dropped: the connection attempt times out)"
on "$peer" python3 "$tcp_py" connect 10.77.0.1 8081 --timeout 1
on "$peer" ping -n -q -c 3 -i 0.2 10.77.0.1

bold "5. The programs count, as iptables-nft would:"
on "$ns" "$bin/iptables-bpf" -L -v -n

bold "6. A rule BPF cannot run (REJECT) sends the table back to nf_tables:"
on "$ns" "$bin/iptables-bpf" -v -A INPUT -p tcp --dport 8082 -j REJECT
on "$ns" "$bin/iptables-bpf-status" -4
on "$peer" python3 "$tcp_py" connect 10.77.0.1 8082
echo "(REJECT answered at once; nf_tables runs the whole table now)"

bold "7. Deleting it brings BPF back:"
on "$ns" "$bin/iptables-bpf" -D INPUT -p tcp --dport 8082 -j REJECT
on "$ns" "$bin/iptables-bpf-status" -4
on "$peer" python3 "$tcp_py" connect 10.77.0.1 8081 --timeout 1

bold "Done; the namespaces, the programs and the bpffs go away now."
