# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared set-up for bats tests that touch the kernel.  Each test gets a
# network namespace and a bpffs of its own; nothing is done in the host's
# namespace.  Use:
#	load ../lib/netns
#	setup() { ipb_setup; }
#	teardown() { ipb_teardown; }
#	in_ns $IPTABLES -A INPUT -j DROP
#
# The bpffs is mounted in the host's mount namespace, outside /sys, so that
# `ip netns exec` (which remounts /sys privately) still sees it and pins
# made there outlive the command, as they would under /run in production.
# IPTABLES_BPF_PIN_ROOT points the command at it.

: "${IPTABLES_BPF_BUILDDIR:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${IPTABLES:=$IPTABLES_BPF_BUILDDIR/iptables-bpf/iptables-bpf}"
: "${IP6TABLES:=$(dirname "$IPTABLES")/ip6tables-bpf}"
: "${IPTABLES_SAVE:=$(dirname "$IPTABLES")/iptables-bpf-save}"
: "${IPTABLES_RESTORE:=$(dirname "$IPTABLES")/iptables-bpf-restore}"
: "${IP6TABLES_SAVE:=$(dirname "$IPTABLES")/ip6tables-bpf-save}"
: "${IP6TABLES_RESTORE:=$(dirname "$IPTABLES")/ip6tables-bpf-restore}"
export IPTABLES IP6TABLES IPTABLES_SAVE IPTABLES_RESTORE IP6TABLES_SAVE \
	IP6TABLES_RESTORE

ipb_require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	command -v ip >/dev/null || skip "needs iproute2"
}

# ipb_setup [extra namespace names...]: IPB_NS is the test's namespace;
# more names make more namespaces, IPB_NS_<name>, for multi-host tests.
ipb_setup() {
	local n
	ipb_require_root
	IPB_NS=ipb-${BATS_SUITE_TEST_NUMBER:-0}-$$
	ip netns add "$IPB_NS" || return 1
	ip -n "$IPB_NS" link set lo up
	IPB_NAMESPACES=("$IPB_NS")
	for n in "$@"; do
		ip netns add "$IPB_NS-$n" || return 1
		ip -n "$IPB_NS-$n" link set lo up
		IPB_NAMESPACES+=("$IPB_NS-$n")
		printf -v "IPB_NS_$n" '%s' "$IPB_NS-$n"
	done

	IPB_BPFFS=$(mktemp -d "${TMPDIR:-/tmp}/ipb-bpffs.XXXXXX") || return 1
	mount -t bpf bpf "$IPB_BPFFS" || return 1
	export IPTABLES_BPF_PIN_ROOT=$IPB_BPFFS
}

ipb_teardown() {
	local ns
	for ns in "${IPB_NAMESPACES[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "${IPB_BPFFS:-}" ]; then
		umount "$IPB_BPFFS" 2>/dev/null
		rmdir "$IPB_BPFFS" 2>/dev/null
		# the command's lock file beside the pin root
		rm -f "$IPB_BPFFS.lock" "$IPB_BPFFS.kinfo"
	fi
	return 0
}

# Run a command inside the test's namespace.
in_ns() {
	ip netns exec "$IPB_NS" "$@"
}

# in_ns_named NAME cmd...: run inside the extra namespace NAME.
in_ns_named() {
	local ns=$1
	shift
	ip netns exec "$IPB_NS-$ns" "$@"
}
