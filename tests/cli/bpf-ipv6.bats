# SPDX-License-Identifier: GPL-2.0-or-later
#
# ip6tables-bpf the same way: IPv6 TCP, UDP and ICMPv6 over veth (nodad
# addresses, permanent neighbour entries, so that dropping ICMPv6 does
# not starve neighbour discovery), INPUT and FORWARD in BPF, fallback
# and back.  UDP datagrams from bpfgen-tool are 80 bytes at the IPv6
# layer.

load ../lib/netns
load ../lib/traffic

teardown() {
	traffic_teardown
}

@test "ip6tables: TCP, UDP and ICMPv6 rules run in BPF; IPv4 is untouched" {
	traffic_setup peer && topo_pair || return 1
	tcp_serve host 8080 8081
	[ "$(ping_count peer fd99::1 2)" = 2 ]

	run on host "$IP6TABLES" -A INPUT -p tcp --dport 8081 -j DROP
	[ "$status" -eq 0 ]
	run on host "$IP6TABLES" -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" -eq 0 ]
	run on host "$IP6TABLES" -A INPUT -p ipv6-icmp -j DROP
	[ "$status" -eq 0 ]

	is_dormant ip6 filter
	! on host nft list table ip filter >/dev/null 2>&1 || return 1
	[ "$(status_col filter input MODE ip6)" = bpf ]
	[ "$(status_col filter input NAME ip6)" = ipb6_filter_in ]
	[ "$(status_col filter input RULES ip6)" = 3 ]
	[[ "$(on host "$IPTABLES_STATUS" -6)" != *"ip "* ]]
	[ "$(pins)" = "ip6/filter/input" ]

	[ "$(tcp_try peer fd99::1 8080)" = ok ]
	[ "$(tcp_try peer fd99::1 8081 0.5)" = timeout ]
	[ "$(udp_count peer host fd99::1 9999 5)" = 0 ]
	[ "$(udp_count peer host fd99::1 9998 5)" = 5 ]
	[ "$(ping_count peer fd99::1 3)" = 0 ]
	[ "$(rule_counter INPUT 2 filter "$IP6TABLES")" = "5 400" ]
	[ "$(rule_counter INPUT 3 filter "$IP6TABLES" | cut -d' ' -f1)" = 3 ]

	# the same ports over IPv4 pass: another family, another table
	[ "$(tcp_try peer 10.99.0.1 8081)" = ok ]
	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 5 ]
	[ "$(ping_count peer 10.99.0.1 2)" = 2 ]

	run on host "$IP6TABLES_SAVE" -c
	[[ "$output" == *"[5:400] -A INPUT -p udp -m udp --dport 9999 -j DROP"* ]]
}

@test "ip6tables: FORWARD through a router in BPF, REJECT falls back and comes back" {
	traffic_setup client server && topo_router || return 1
	tcp_serve server 8080 8081 8082
	tcp_serve host 8090

	on host "$IP6TABLES_RESTORE" <<-'EOF'
	*filter
	:INPUT ACCEPT [0:0]
	:FORWARD DROP [0:0]
	:OUTPUT ACCEPT [0:0]
	-A FORWARD -p tcp --dport 8080 -j ACCEPT
	-A FORWARD -p tcp --sport 8080 -j ACCEPT
	-A FORWARD -p ipv6-icmp -j ACCEPT
	COMMIT
	EOF
	is_dormant ip6 filter
	[ "$(status_col filter forward MODE ip6)" = bpf ]
	[ "$(tcp_try client fd02::2 8080)" = ok ]
	[ "$(tcp_try client fd02::2 8081 0.5)" = timeout ]
	[ "$(ping_count client fd02::2 2)" = 2 ]
	[ "$(udp_count client server fd02::2 5000 3)" = 0 ]
	# IPv4 forwarding is another table's business
	[ "$(tcp_try client 10.2.0.2 8081)" = ok ]

	run on host "$IP6TABLES" -v -A INPUT -p tcp --dport 8090 -j REJECT
	[ "$status" -eq 0 ]
	[[ "$output" == *"table \`filter' runs in nf_tables: rule 1 of chain INPUT: target REJECT"* ]]
	! is_dormant ip6 filter || return 1
	[[ "$(table_line ip6 filter)" == "ip6 filter: nf_tables: rule 1 of chain INPUT cannot run in BPF: target REJECT" ]]
	[ -z "$(pins)" ]
	[ "$(tcp_try client fd01::1 8090 2)" = refused ]
	# nf_tables enforces the FORWARD rules now
	[ "$(tcp_try client fd02::2 8080)" = ok ]
	[ "$(tcp_try client fd02::2 8081 0.5)" = timeout ]

	run on host "$IP6TABLES" -D INPUT 1
	[ "$status" -eq 0 ]
	is_dormant ip6 filter
	[ "$(status_col filter forward MODE ip6)" = bpf ]
	[ "$(tcp_try client fd01::1 8090)" = ok ]
	[ "$(tcp_try client fd02::2 8081 0.5)" = timeout ]
	[ "$(tcp_try client fd02::2 8080)" = ok ]
}
