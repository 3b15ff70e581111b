# SPDX-License-Identifier: GPL-2.0-or-later
#
# Pins that go away under a running firewall (issue #5): a pin removed
# by hand from the bpffs, and the pins of a network namespace that was
# deleted.  (The link pin itself is tests/cli/bpf-status.bats' "BPF
# state lost".)

load ../lib/netns
load ../lib/traffic

setup() {
	traffic_setup peer gone && topo_pair || return 1
	link host a1 10.98.0.1/24 fd98::1/64 gone b1 10.98.0.2/24 fd98::2/64
}

teardown() {
	traffic_teardown
}

@test "a pin removed beside a live link: still filtering, reported, pinned again by the next change" {
	local pin dir link
	for pin in dispatcher progs prog counters slots; do
		on host "$IPTABLES" -F INPUT
		on host "$IPTABLES" -A INPUT -p udp --dport 9999 -j DROP ||
			return 1
		link=$(status_col filter input LINK)
		dir=$(echo "$IPTABLES_BPF_PIN_ROOT"/netns-*/ip/filter/input)
		[ -e "$dir/$pin" ]
		rm "$dir/$pin"

		# the hook still filters, and says what is missing
		[ "$(udp_count peer host 10.99.0.1 9999 3)" = 0 ]
		[ "$(status_col filter input MODE)" = bpf ]
		[ "$(status_col filter input LINK)" = "$link" ]
		echo "$pin: $(table_line ip filter)"
		if [ "$pin" = progs ]; then
			# the kernel empties a prog array with no user left:
			# the dispatcher drops everything (fail-closed)
			[ "$(udp_count peer host 10.99.0.1 7777 3)" = 0 ]
			[ "$(status_col filter input PROG)" = - ]
			[ "$(table_line ip filter)" = "ip filter: bpf (the nf_tables table is dormant); no program behind the dispatcher at input (the kernel empties a prog array whose pin is removed): every packet there is dropped until the next change; pins removed at input (progs): the next change pins them again (counts kept there may be lost)" ]
		else
			[ "$(udp_count peer host 10.99.0.1 7777 3)" = 3 ]
			[ "$(table_line ip filter)" = "ip filter: bpf (the nf_tables table is dormant); pins removed at input ($pin): the next change pins them again (counts kept there may be lost)" ]
		fi

		# the next change swaps behind the same link and pins it again
		run on host "$IPTABLES" -A INPUT -p udp --dport 9998 -j DROP
		[ "$status" = 0 ]
		[ -e "$dir/$pin" ]
		[ "$(status_col filter input LINK)" = "$link" ]
		[ "$(table_line ip filter)" = "ip filter: bpf (the nf_tables table is dormant)" ]
		[ "$(udp_count peer host 10.99.0.1 9998 3)" = 0 ]
		[ "$(udp_count peer host 10.99.0.1 7777 3)" = 3 ]
	done
}

@test "a deleted namespace: its pins keep it alive, any namespace's status reports them, --clean removes them" {
	local gone_ns gone_dir before
	run on host "$IPTABLES" -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" = 0 ]
	before=$(ls "$IPTABLES_BPF_PIN_ROOT" | grep '^netns-')
	run on gone "$IPTABLES" -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" = 0 ]
	gone_dir=$(ls "$IPTABLES_BPF_PIN_ROOT" | grep '^netns-' | grep -vx "$before")
	[ -n "$gone_dir" ]
	[ "$(udp_count host gone 10.98.0.2 9999 3)" = 0 ]

	# nothing is gone yet: nothing reported
	run on host "$IPTABLES_STATUS" -4
	[[ "$output" != *"gone"* ]]

	gone_ns=$(ns_of gone)
	ip netns del "$gone_ns"
	# the pinned link holds the namespace: its end of the veth stays
	ip -n "$IPB_NS" link show a1 >/dev/null

	run on host "$IPTABLES_STATUS" -4
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"$IPTABLES_BPF_PIN_ROOT/$gone_dir: pins of a network namespace that is gone; they keep it, its devices and hooks alive (--clean removes them)"* ]]
	# ours is not reported, and an ordinary command removes nothing
	[[ "$output" != *"$before"* ]]
	on host "$IPTABLES" -A INPUT -p udp --dport 9998 -j DROP
	[ -d "$IPTABLES_BPF_PIN_ROOT/$gone_dir" ]

	run on host "$IPTABLES_STATUS" -4 --clean
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"$IPTABLES_BPF_PIN_ROOT/$gone_dir: removed the pins of a network namespace that is gone"* ]]
	[ ! -e "$IPTABLES_BPF_PIN_ROOT/$gone_dir" ]
	# the namespace is freed now, and its devices with it
	local i
	for i in $(seq 50); do
		ip -n "$IPB_NS" link show a1 >/dev/null 2>&1 || break
		sleep 0.1
	done
	! ip -n "$IPB_NS" link show a1 >/dev/null 2>&1 || return 1

	# ours is untouched and still filters
	[ -d "$IPTABLES_BPF_PIN_ROOT/$before" ]
	[ "$(table_line ip filter)" = "ip filter: bpf (the nf_tables table is dormant)" ]
	[ "$(udp_count peer host 10.99.0.1 9999 3)" = 0 ]
	run on host "$IPTABLES_STATUS" -4 --clean
	[[ "$output" != *"removed"* ]]
}
