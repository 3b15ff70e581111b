# SPDX-License-Identifier: GPL-2.0-or-later
#
# The real command ($IPTABLES) against real traffic: rules in INPUT,
# OUTPUT and FORWARD are enforced by the BPF programs while nf_tables
# holds the table dormant, after the command has exited.  Every test has
# namespaces of its own (tests/lib/traffic.bash).

load ../lib/netns
load ../lib/traffic

teardown() {
	traffic_teardown
}

# nf_tables' own counter of the first rule matching PATTERN in TABLE
nft_rule_pkts() {
	on host nft list table ip "$1" |
		sed -n "/$2/s/.*counter packets \([0-9]*\) .*/\1/p" | head -n1
}

@test "INPUT: TCP, UDP and ICMP rules run in BPF while the table is dormant" {
	traffic_setup peer && topo_pair || return 1
	tcp_serve host 8080 8081
	# before: everything passes
	[ "$(tcp_try peer 10.99.0.1 8081)" = ok ]
	[ "$(on peer "$TOOL" ping --dst 10.99.0.1 --count 2 --idle-ms 1000)" = 2 ]

	run on host "$IPTABLES" -A INPUT -p tcp --dport 8081 -j DROP
	[ "$status" -eq 0 ]
	run on host "$IPTABLES" -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" -eq 0 ]
	run on host "$IPTABLES" -A INPUT -p icmp -j DROP
	[ "$status" -eq 0 ]

	# every command has exited: the pins alone hold the programs
	is_dormant ip filter
	[ "$(status_col filter input MODE)" = bpf ]
	[ "$(status_col filter input RULES)" = 3 ]
	[[ "$(table_line ip filter)" == *"bpf (the nf_tables table is dormant)"* ]]
	link=$(status_col filter input LINK)
	run bpftool link show id "$link"
	[ "$status" -eq 0 ]
	[[ "$output" == *"type 10"* || "$output" == *netfilter* ]]

	[ "$(tcp_try peer 10.99.0.1 8080)" = ok ]
	[ "$(tcp_try peer 10.99.0.1 8081 0.5)" = timeout ]
	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 9998 5)" = 5 ]
	[ "$(on peer "$TOOL" ping --dst 10.99.0.1 --count 3 --idle-ms 300)" = 0 ]

	# BPF counted the drops; nf_tables, dormant, saw nothing
	[ "$(rule_counter INPUT 2)" = "5 300" ]
	[ "$(rule_counter INPUT 3 | cut -d' ' -f1)" = 3 ]
	[ "$(nft_rule_pkts filter 'udp dport 9999')" = 0 ]
}

@test "OUTPUT: what the namespace sends is filtered" {
	traffic_setup peer && topo_pair || return 1
	tcp_serve peer 8082 8083

	run on host "$IPTABLES" -A OUTPUT -p udp --dport 7000 -j DROP
	[ "$status" -eq 0 ]
	run on host "$IPTABLES" -A OUTPUT -d 10.99.0.2 -p tcp --dport 8082 -j DROP
	[ "$status" -eq 0 ]
	is_dormant ip filter
	[ "$(status_col filter output MODE)" = bpf ]

	[ "$(udp_count host peer 10.99.0.2 7000 5)" = 0 ]
	[ "$(udp_count host peer 10.99.0.2 7001 5)" = 5 ]
	[ "$(tcp_try host 10.99.0.2 8083)" = ok ]
	run tcp_try host 10.99.0.2 8082 0.5
	[ "$output" != ok ]
	# the answers to what the peer sends still leave
	[ "$(on peer "$TOOL" ping --dst 10.99.0.1 --count 2 --idle-ms 1000)" = 2 ]
	[ "$(rule_counter OUTPUT 1 | cut -d' ' -f1)" = 5 ]
}

@test "FORWARD: a router namespace between two hosts" {
	traffic_setup client server && topo_router || return 1
	tcp_serve server 8080 8081
	[ "$(tcp_try client 10.2.0.2 8081)" = ok ]

	on host "$IPTABLES-restore" <<-'EOF'
	*filter
	:INPUT ACCEPT [0:0]
	:FORWARD DROP [0:0]
	:OUTPUT ACCEPT [0:0]
	:fwd_tcp - [0:0]
	-A FORWARD -p tcp -j fwd_tcp
	-A FORWARD -p icmp -j ACCEPT
	-A FORWARD -p udp -d 10.2.0.2 --dport 5000 -j ACCEPT
	-A FORWARD -p udp -s 10.2.0.2 -j ACCEPT
	-A fwd_tcp -p tcp --dport 8080 -j ACCEPT
	-A fwd_tcp -p tcp --sport 8080 -j ACCEPT
	COMMIT
	EOF
	is_dormant ip filter
	[ "$(status_col filter forward MODE)" = bpf ]
	[ "$(status_col filter forward RULES)" = 6 ]

	[ "$(tcp_try client 10.2.0.2 8080)" = ok ]
	[ "$(tcp_try client 10.2.0.2 8081 0.5)" = timeout ]
	[ "$(on client "$TOOL" ping --dst 10.2.0.2 --count 2 --idle-ms 1000)" = 2 ]
	[ "$(udp_count client server 10.2.0.2 5000 5)" = 5 ]
	[ "$(udp_count client server 10.2.0.2 5001 5)" = 0 ]
	[ "$(udp_count server client 10.1.0.2 5001 5)" = 5 ]
	# the router's own INPUT is not FORWARD
	[ "$(udp_count client host 10.1.0.1 5001 5)" = 5 ]
	# the five UDP datagrams to 5001 and the SYNs to 8081 met the policy
	[ "$(policy_counter FORWARD | cut -d' ' -f1)" -ge 6 ]
}

@test "filtering survives the command's exit; the next command swaps the program" {
	traffic_setup peer && topo_pair || return 1
	run on host "$IPTABLES" -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" -eq 0 ]
	link=$(status_col filter input LINK)
	prog=$(status_col filter input PROG)
	[ -n "$link" ] && [ "$link" != - ]
	# nothing of the command runs any more, and filtering goes on
	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 9998 5)" = 5 ]

	run on host "$IPTABLES" -I INPUT -p udp --dport 9998 -j DROP
	[ "$status" -eq 0 ]
	# the same link; a new program behind it
	[ "$(status_col filter input LINK)" = "$link" ]
	[ "$(status_col filter input PROG)" != "$prog" ]
	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 9998 5)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 9997 5)" = 5 ]
	# the first rule's counter came along: 5 before, 5 after
	[ "$(rule_counter INPUT 2)" = "10 600" ]
}
