# SPDX-License-Identifier: GPL-2.0-or-later
#
# Two hosts for traffic tests: the test's namespace and "peer" (see
# netns.bash), joined by a veth pair: a0 10.99.0.1 / fd99::1 here, b0
# 10.99.0.2 / fd99::2 in the peer.  IPB_TMP is a scratch directory; the
# PIDs a test leaves in IPB_PIDS (background receivers) are killed at
# teardown.
#	load ../lib/netns
#	load ../lib/veth
#	setup() { veth_setup NAME; }
#	teardown() { veth_teardown; }

veth_setup() {
	ipb_setup peer || return 1
	ip link add a0 netns "$IPB_NS" type veth peer name b0 \
		netns "$IPB_NS_peer" || return 1
	ip -n "$IPB_NS" addr add 10.99.0.1/24 dev a0
	ip -n "$IPB_NS_peer" addr add 10.99.0.2/24 dev b0
	ip -n "$IPB_NS" addr add fd99::1/64 dev a0 nodad
	ip -n "$IPB_NS_peer" addr add fd99::2/64 dev b0 nodad
	ip -n "$IPB_NS" link set a0 up
	ip -n "$IPB_NS_peer" link set b0 up
	IPB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ipb-$1.XXXXXX")
}

veth_teardown() {
	local pid
	for pid in ${IPB_PIDS:-}; do
		kill "$pid" 2>/dev/null
	done
	ipb_teardown
	[ -n "${IPB_TMP:-}" ] && rm -rf "$IPB_TMP"
	return 0
}
