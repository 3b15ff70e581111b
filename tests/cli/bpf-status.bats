# SPDX-License-Identifier: GPL-2.0-or-later
#
# iptables-bpf-status on the states that need attention: a dormant table
# whose program is gone (nothing filters: BPF state lost), a program that
# no longer holds the table's rules (changed behind iptables-bpf's back),
# pins of a table that no longer exists, and the filters.

load ../lib/netns
load ../lib/traffic

setup() {
	traffic_setup peer && topo_pair
}

teardown() {
	traffic_teardown
}

@test "status: the columns, -4/-6/-t filters and -v pin directories" {
	run on host "$IPTABLES" -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" -eq 0 ]
	run on host "$IP6TABLES" -t raw -A PREROUTING -p udp --dport 9999 -j DROP
	[ "$status" -eq 0 ]
	run on host "$IPTABLES_STATUS"
	[ "$status" -eq 0 ]
	echo "$output"
	[[ "${lines[0]}" == "FAMILY  TABLE"*"HOOK"*"CHAIN"*"MODE"*"LINK"*"PROG"*"NAME"*"INSNS"*"JITED"*"RULES" ]]
	[[ "$output" == *"ip filter: bpf (the nf_tables table is dormant)"* ]]
	[[ "$output" == *"ip6 raw: bpf (the nf_tables table is dormant)"* ]]
	[ "$(status_col raw prerouting NAME ip6)" = ipb6_raw_pre ]
	[ "$(status_col filter input INSNS)" -gt 50 ]
	[ "$(status_col filter input JITED)" -gt 100 ]

	run on host "$IPTABLES_STATUS" -4
	[[ "$output" != *"ip6 "* ]]
	run on host "$(dirname "$IPTABLES")/ip6tables-bpf-status"
	[[ "$output" != *"ip filter"* ]] && [[ "$output" == *"ip6 raw"* ]]
	run on host "$IPTABLES_STATUS" -t raw
	[[ "$output" != *"filter"* ]] && [[ "$output" == *"ip6 raw"* ]]
	run on host "$IPTABLES_STATUS" -v -4
	[[ "$output" == *"PINS"* ]]
	[[ "$output" == *"$IPTABLES_BPF_PIN_ROOT/netns-"*"/ip/filter/input"* ]]
	run on host "$IPTABLES_STATUS" -t nosuch
	[ "$status" -eq 1 ]
}

@test "status: BPF state lost when the link goes, and save | restore mends it" {
	run on host "$IPTABLES" -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" -eq 0 ]
	[ "$(udp_count peer host 10.99.0.1 9999 3)" = 0 ]
	# the link pin is all that holds the hook
	rm "$IPTABLES_BPF_PIN_ROOT"/netns-*/ip/filter/input/link
	[ "$(udp_count peer host 10.99.0.1 9999 3)" = 3 ]
	[ "$(status_col filter input MODE)" = none ]
	[[ "$(table_line ip filter)" == "ip filter: BPF state lost at input: "*"nothing of this table filters there"* ]]

	on host "$IPTABLES_SAVE" | on host "$IPTABLES_RESTORE"
	[ "$(status_col filter input MODE)" = bpf ]
	[ "$(udp_count peer host 10.99.0.1 9999 3)" = 0 ]
}

@test "status: a program behind the table's rules, and pins of a deleted table" {
	run on host "$IPTABLES" -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" -eq 0 ]
	# iptables-nft adds to the dormant table: nothing runs the new rule
	on host iptables-nft -A INPUT -p udp --dport 9998 -j DROP
	[ "$(udp_count peer host 10.99.0.1 9998 3)" = 3 ]
	[[ "$(table_line ip filter)" == *"the program at input does not hold the table's rules"* ]]
	# the next iptables-bpf change compiles it in
	run on host "$IPTABLES" -A INPUT -p udp --dport 1 -j DROP
	[ "$status" -eq 0 ]
	[[ "$(table_line ip filter)" == "ip filter: bpf (the nf_tables table is dormant)" ]]
	[ "$(udp_count peer host 10.99.0.1 9998 3)" = 0 ]

	on host nft delete table ip filter
	[[ "$(table_line ip filter)" == "ip filter: no such table, but BPF pins are left at input; attached, so a program still filters at input" ]]
	[ "$(status_col filter input MODE)" = bpf ]
	[ "$(udp_count peer host 10.99.0.1 9999 3)" = 0 ]
}
