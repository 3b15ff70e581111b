# SPDX-License-Identifier: GPL-2.0-or-later
#
# Real traffic for the bats system tests (tests/cli/bpf-*.bats), on top of
# netns.bash: veth topologies between namespaces of the test's own, and
# senders/receivers that print numbers, so that tests assert on counts.
#	load ../lib/netns
#	load ../lib/traffic
#	setup() { traffic_setup peer && topo_pair; }
#	teardown() { traffic_teardown; }
# Namespaces are named by role: "host" is the test's namespace (IPB_NS,
# where the firewall under test runs), others are ipb_setup's extras.
#
# Senders and receivers: tests/bpf/bpfgen-tool (UDP, ICMP echo over
# IPv4), tests/lib/tcp.py (TCP), iputils ping (ICMPv6).

TOOL=${IPTABLES_BPF_BUILDDIR}/tests/bpf/bpfgen-tool
TCP_PY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tcp.py
: "${IPTABLES_STATUS:=$(dirname "$IPTABLES")/iptables-bpf-status}"
export IPTABLES_STATUS

traffic_setup() {
	ipb_setup "$@" || return 1
	[ -x "$TOOL" ] || skip "build tests/bpf/bpfgen-tool first"
	[ -x /usr/bin/python3 ] || skip "needs python3"
	[ -x "$IPTABLES_STATUS" ] || skip "needs iptables-bpf-status"
	IPB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ipb-traffic.XXXXXX")
	IPB_PIDS=
}

traffic_teardown() {
	local pid
	for pid in ${IPB_PIDS:-}; do
		# `on NAME cmd &` forks a subshell that runs cmd as its child:
		# killing the subshell alone left cmd running (for ever, for a
		# sender whose stop file went with $IPB_TMP)
		kill $(ps -o pid= --ppid "$pid") 2>/dev/null
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	ipb_teardown
	[ -n "${IPB_TMP:-}" ] && rm -rf "$IPB_TMP"
	return 0
}

ns_of() {
	if [ "$1" = host ]; then
		echo "$IPB_NS"
	else
		echo "$IPB_NS-$1"
	fi
}

# on NAME cmd...: run in the namespace of role NAME.
on() {
	local ns
	ns=$(ns_of "$1")
	shift
	ip netns exec "$ns" "$@"
}

# link NAME1 IF1 V4ADDR1 V6ADDR1 NAME2 IF2 V4ADDR2 V6ADDR2 (with prefix
# lengths): a veth pair, addresses without DAD, and permanent neighbour
# entries both ways, so that no test depends on ARP or neighbour
# discovery getting through a firewall that drops ICMP.
link() {
	local n1 n2 mac1 mac2
	n1=$(ns_of "$1") n2=$(ns_of "$5")
	ip link add "$2" netns "$n1" type veth peer name "$6" netns "$n2" ||
		return 1
	ip -n "$n1" addr add "$3" dev "$2"
	ip -n "$n1" addr add "$4" dev "$2" nodad
	ip -n "$n2" addr add "$7" dev "$6"
	ip -n "$n2" addr add "$8" dev "$6" nodad
	ip -n "$n1" link set "$2" up
	ip -n "$n2" link set "$6" up
	mac1=$(ip -n "$n1" -br link show "$2" | awk '{print $3}')
	mac2=$(ip -n "$n2" -br link show "$6" | awk '{print $3}')
	ip -n "$n1" neigh replace "${7%/*}" lladdr "$mac2" dev "$2" nud permanent
	ip -n "$n1" neigh replace "${8%/*}" lladdr "$mac2" dev "$2" nud permanent
	ip -n "$n2" neigh replace "${3%/*}" lladdr "$mac1" dev "$6" nud permanent
	ip -n "$n2" neigh replace "${4%/*}" lladdr "$mac1" dev "$6" nud permanent
}

# host (10.99.0.1, fd99::1) <-> peer (10.99.0.2, fd99::2)
topo_pair() {
	link host a0 10.99.0.1/24 fd99::1/64 peer b0 10.99.0.2/24 fd99::2/64
}

# client (10.1.0.2, fd01::2) <-> host, the router (10.1.0.1, fd01::1 |
# 10.2.0.1, fd02::1) <-> server (10.2.0.2, fd02::2)
topo_router() {
	link client c0 10.1.0.2/24 fd01::2/64 host r0 10.1.0.1/24 fd01::1/64 &&
	link host r1 10.2.0.1/24 fd02::1/64 server s0 10.2.0.2/24 fd02::2/64 ||
		return 1
	on client ip route add default via 10.1.0.1
	on client ip -6 route add default via fd01::1
	on server ip route add default via 10.2.0.1
	on server ip -6 route add default via fd02::1
	on host sysctl -qw net.ipv4.ip_forward=1
	on host sysctl -qw net.ipv6.conf.all.forwarding=1
}

# wait_file FILE: up to 2 s
wait_file() {
	local i
	for i in $(seq 200); do
		[ -e "$1" ] && return 0
		sleep 0.01
	done
	return 1
}

# tcp_serve NAME PORT...: a TCP server in NAME's namespace until teardown
tcp_serve() {
	local ns=$1 ready
	shift
	ready=$IPB_TMP/tcp-$ns-$1.ready
	rm -f "$ready"
	# not through on(): $! must be the server, not a shell whose kill
	# would leave it running in the deleted namespace
	ip netns exec "$(ns_of "$ns")" /usr/bin/python3 "$TCP_PY" serve "$@" \
		--ready "$ready" >/dev/null 2>&1 3>&- &
	IPB_PIDS="$IPB_PIDS $!"
	wait_file "$ready"
}

# tcp_try NAME HOST PORT [TIMEOUT]: ok, timeout or refused
tcp_try() {
	on "$1" /usr/bin/python3 "$TCP_PY" connect "$2" "$3" \
		--timeout "${4:-1}"
}

# udp_recv_start NAME PORT TAG: count UDP datagrams to PORT in NAME's
# namespace until IDLE ms (default 1000) pass without one; the count
# lands in $IPB_TMP/TAG.
udp_recv_start() {
	local ready=$IPB_TMP/$3.ready
	rm -f "$ready"
	on "$1" "$TOOL" udp-recv --port "$2" --idle-ms "${IDLE:-1000}" \
		--ready "$ready" >"$IPB_TMP/$3" 3>&- &
	IPB_PIDS="$IPB_PIDS $!"
	wait_file "$ready"
}

# udp_count FROM TO DST PORT COUNT: datagrams TO received of COUNT that
# FROM sent (32 bytes of payload each: 60-byte IPv4, 80-byte IPv6
# packets).
udp_count() {
	local tag=udp-$RANDOM pid
	IDLE=${IDLE:-400} udp_recv_start "$2" "$4" "$tag" || return 1
	pid=${IPB_PIDS##* }
	on "$1" "$TOOL" udp-send --dst "$3" --port "$4" --count "$5" \
		>/dev/null || return 1
	wait "$pid"
	cat "$IPB_TMP/$tag"
}

# ping_count FROM DST COUNT: echo replies received
ping_count() {
	local out
	out=$(on "$1" ping -n -q -c "$3" -i 0.05 -W 0.4 "$2" 2>/dev/null)
	echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

# status_col TABLE HOOK COLUMN [FAMILY]: one cell of iptables-bpf-status
# (COLUMN as in its header: MODE, LINK, PROG, NAME, INSNS, JITED, RULES)
status_col() {
	on host "$IPTABLES_STATUS" | awk -v t="$1" -v h="$2" -v c="$3" \
		-v f="${4:-ip}" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == f && $2 == t && $3 == h { print $col[c]; exit }'
}

# table_line FAMILY TABLE: the status view's line about the table
table_line() {
	on host "$IPTABLES_STATUS" | grep "^$1 $2: "
}

is_dormant() {
	on host nft list table "$1" "$2" | grep -q "flags dormant"
}

# pins: the hook directories under the pin root (any namespace)
pins() {
	find "$IPTABLES_BPF_PIN_ROOT" -mindepth 4 -maxdepth 4 -type d |
		sed "s|$IPTABLES_BPF_PIN_ROOT/netns-[0-9]*/||" | sort
}

# rule_counter CHAIN N [TABLE] [CMD]: "pkts bytes" of rule N from -L -v -x
rule_counter() {
	on host "${4:-$IPTABLES}" -t "${3:-filter}" -L "$1" -v -x -n |
		awk -v n="$2" 'NR == n + 2 { print $1, $2 }'
}

# policy_counter CHAIN [TABLE] [CMD]: "pkts bytes" of the policy
policy_counter() {
	on host "${3:-$IPTABLES}" -t "${2:-filter}" -L "$1" -v -x -n |
		sed -n '1s/.*policy [A-Z]* \([0-9]*\) packets, \([0-9]*\) bytes.*/\1 \2/p'
}
