# SPDX-License-Identifier: GPL-2.0-or-later
#
# Counters while BPF runs the table: the programs count, nf_tables (dormant)
# does not, and every way of reading or setting counters (-L -v -x, -Z,
# save -c, restore --counters) must agree with the datagrams sent.  UDP
# datagrams from bpfgen-tool are 60 bytes at the IPv4 layer.

load ../lib/netns
load ../lib/traffic

setup() {
	traffic_setup peer && topo_pair
}

teardown() {
	traffic_teardown
}

@test "-L -v -x, save -c and -Z agree with the traffic sent" {
	run on host "$IPTABLES" -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" -eq 0 ]
	run on host "$IPTABLES" -A INPUT -p udp --dport 7777 -j ACCEPT
	[ "$status" -eq 0 ]
	is_dormant ip filter

	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 7777 3)" = 3 ]
	[ "$(udp_count peer host 10.99.0.1 7778 2)" = 2 ]

	[ "$(rule_counter INPUT 1)" = "5 300" ]
	[ "$(rule_counter INPUT 2)" = "3 180" ]
	[ "$(policy_counter INPUT)" = "2 120" ]

	run on host "$IPTABLES_SAVE" -c -t filter
	[ "$status" -eq 0 ]
	echo "$output"
	[[ "$output" == *":INPUT ACCEPT [2:120]"* ]]
	[[ "$output" == *"[5:300] -A INPUT -p udp -m udp --dport 9999 -j DROP"* ]]
	[[ "$output" == *"[3:180] -A INPUT -p udp -m udp --dport 7777 -j ACCEPT"* ]]

	# -Z one rule, then all
	run on host "$IPTABLES" -Z INPUT 2
	[ "$status" -eq 0 ]
	[ "$(rule_counter INPUT 1)" = "5 300" ]
	[ "$(rule_counter INPUT 2)" = "0 0" ]
	run on host "$IPTABLES" -Z
	[ "$status" -eq 0 ]
	[ "$(rule_counter INPUT 1)" = "0 0" ]
	[ "$(policy_counter INPUT)" = "0 0" ]
	is_dormant ip filter

	# and they count on from zero
	[ "$(udp_count peer host 10.99.0.1 9999 4)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 7778 1)" = 1 ]
	[ "$(rule_counter INPUT 1)" = "4 240" ]
	[ "$(rule_counter INPUT 2)" = "0 0" ]
	[ "$(policy_counter INPUT)" = "1 60" ]
}

@test "restore --counters sets the programs' counters, and they count on" {
	on host "$IPTABLES_RESTORE" --counters <<-'EOF'
	*filter
	:INPUT ACCEPT [100:5000]
	:FORWARD ACCEPT [0:0]
	:OUTPUT ACCEPT [0:0]
	[10:1000] -A INPUT -p udp -m udp --dport 9999 -j DROP
	[20:2000] -A INPUT -p udp -m udp --dport 7777 -j ACCEPT
	COMMIT
	EOF
	is_dormant ip filter
	[ "$(status_col filter input MODE)" = bpf ]
	[ "$(rule_counter INPUT 1)" = "10 1000" ]
	[ "$(rule_counter INPUT 2)" = "20 2000" ]
	[ "$(policy_counter INPUT)" = "100 5000" ]

	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 7777 2)" = 2 ]
	[ "$(udp_count peer host 10.99.0.1 7778 3)" = 3 ]
	[ "$(rule_counter INPUT 1)" = "15 1300" ]
	[ "$(rule_counter INPUT 2)" = "22 2120" ]
	[ "$(policy_counter INPUT)" = "103 5180" ]

	# save -c | restore --counters keeps them
	on host "$IPTABLES_SAVE" -c >"$IPB_TMP/saved"
	on host "$IPTABLES_RESTORE" --counters <"$IPB_TMP/saved"
	[ "$(rule_counter INPUT 1)" = "15 1300" ]
	[ "$(policy_counter INPUT)" = "103 5180" ]
	# without --counters, restore starts from zero
	on host "$IPTABLES_RESTORE" <"$IPB_TMP/saved"
	[ "$(rule_counter INPUT 1)" = "0 0" ]
	[ "$(policy_counter INPUT)" = "0 0" ]
	[ "$(udp_count peer host 10.99.0.1 9999 1)" = 0 ]
	[ "$(rule_counter INPUT 1)" = "1 60" ]
}

@test "a user chain reached from two hooks counts each packet once, across swaps" {
	on host "$IPTABLES_RESTORE" <<-'EOF'
	*filter
	:INPUT ACCEPT [0:0]
	:FORWARD ACCEPT [0:0]
	:OUTPUT ACCEPT [0:0]
	:udp_in - [0:0]
	-A INPUT -j udp_in
	-A OUTPUT -j udp_in
	-A udp_in -p udp --dport 7777 -j DROP
	COMMIT
	EOF
	is_dormant ip filter
	[ "$(udp_count peer host 10.99.0.1 7777 3)" = 0 ]
	[ "$(udp_count host peer 10.99.0.2 7777 2)" = 0 ]
	[ "$(rule_counter udp_in 1)" = "5 300" ]
	# two swaps of both programs: nothing doubles, nothing is lost
	run on host "$IPTABLES" -A INPUT -p udp --dport 1 -j DROP
	[ "$status" -eq 0 ]
	[ "$(rule_counter udp_in 1)" = "5 300" ]
	run on host "$IPTABLES" -A OUTPUT -p udp --dport 1 -j DROP
	[ "$status" -eq 0 ]
	[ "$(rule_counter udp_in 1)" = "5 300" ]
	[ "$(udp_count peer host 10.99.0.1 7777 1)" = 0 ]
	[ "$(rule_counter udp_in 1)" = "6 360" ]
	# restore --counters gives the count to one hook only
	on host "$IPTABLES_SAVE" -c >"$IPB_TMP/saved"
	on host "$IPTABLES_RESTORE" -c <"$IPB_TMP/saved"
	[ "$(rule_counter udp_in 1)" = "6 360" ]
}

@test "rules a change adds count as theirs: handles learnt from the commit" {
	# new rules in three chains, interleaved, one inserted before another
	run on host env IPB_TIMING=1 "$IPTABLES_RESTORE" <<-'EOF'
	*filter
	:INPUT ACCEPT [0:0]
	:FORWARD ACCEPT [0:0]
	:OUTPUT ACCEPT [0:0]
	:ports - [0:0]
	-A INPUT -p udp --dport 7001 -j DROP
	-A OUTPUT -p udp --dport 7101 -j DROP
	-A ports -p udp --dport 7003 -j DROP
	-A INPUT -j ports
	-I INPUT 1 -p udp --dport 7002 -j DROP
	-A FORWARD -p udp --dport 7201 -j DROP
	-A ports -p udp --dport 7004 -j DROP
	COMMIT
	EOF
	[ "$status" -eq 0 ]
	# compiled as the commit left it, not read back
	[[ "$output" == *"sync: table from the commit"* ]]
	is_dormant ip filter
	[ "$(udp_count peer host 10.99.0.1 7001 1)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 7002 2)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 7003 3)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 7004 4)" = 0 ]
	[ "$(rule_counter INPUT 1)" = "2 120" ]
	[ "$(rule_counter INPUT 2)" = "1 60" ]
	[ "$(rule_counter INPUT 3)" = "7 420" ]
	[ "$(rule_counter ports 1)" = "3 180" ]
	[ "$(rule_counter ports 2)" = "4 240" ]

	# an insert and an append later: the old counts carry over exactly
	run on host env IPB_TIMING=1 "$IPTABLES" -I INPUT 2 -p udp --dport 7005 -j DROP
	[ "$status" -eq 0 ]
	[[ "$output" == *"sync: table from the commit"* ]]
	run on host "$IPTABLES" -A ports -p udp --dport 7006 -j DROP
	[ "$status" -eq 0 ]
	[ "$(udp_count peer host 10.99.0.1 7005 1)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 7006 2)" = 0 ]
	[ "$(rule_counter INPUT 1)" = "2 120" ]
	[ "$(rule_counter INPUT 2)" = "1 60" ]
	[ "$(rule_counter INPUT 3)" = "1 60" ]
	[ "$(rule_counter INPUT 4)" = "9 540" ]
	[ "$(rule_counter ports 2)" = "4 240" ]
	[ "$(rule_counter ports 3)" = "2 120" ]
}
