# SPDX-License-Identifier: GPL-2.0-or-later
#
# Program swaps under continuous traffic: every command recompiles the
# table and swaps the program behind the same link.  Two UDP streams run
# through 50 swaps, one to a port both the old and the new rulesets
# accept, one to a port both drop: a lost datagram of the first or a
# delivered one of the second met neither verdict (a gap, an empty slot,
# nf_tables and BPF both or neither).  The counters must count every
# packet exactly once across the swaps.

load ../lib/netns
load ../lib/traffic

teardown() {
	traffic_teardown
}

# stream NAME PORT: UDP from the peer to PORT every 50 us until
# $IPB_TMP/stop exists; the number sent lands in $IPB_TMP/sent_NAME
stream() {
	on peer "$TOOL" udp-send --dst 10.99.0.1 --port "$2" --gap-us 50 \
		--started "$IPB_TMP/started_$1" --until "$IPB_TMP/stop" \
		>"$IPB_TMP/sent_$1" 3>&- &
	SENDERS="${SENDERS:-} $!"
	IPB_PIDS="$IPB_PIDS $!"
}

@test "50 appends under continuous UDP: no packet outside the old or new verdict, counted exactly" {
	local i link prog recv_pids sent_ok sent_drop
	traffic_setup peer && topo_pair || return 1
	run on host "$IPTABLES" -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" -eq 0 ]
	link=$(status_col filter input LINK)
	prog=$(status_col filter input PROG)

	IDLE=1500 udp_recv_start host 7777 ok || return 1
	recv_pids=${IPB_PIDS##* }
	IDLE=1500 udp_recv_start host 9999 drop || return 1
	recv_pids="$recv_pids ${IPB_PIDS##* }"
	stream ok 7777
	stream drop 9999
	wait_file "$IPB_TMP/started_ok" && wait_file "$IPB_TMP/started_drop"

	for i in $(seq 50); do
		on host "$IPTABLES" -A INPUT -p udp --dport $((20000 + i)) \
			-j DROP || return 1
	done
	touch "$IPB_TMP/stop"
	wait $SENDERS
	wait $recv_pids

	sent_ok=$(cat "$IPB_TMP/sent_ok")
	sent_drop=$(cat "$IPB_TMP/sent_drop")
	echo "sent $sent_ok/$sent_drop received $(cat "$IPB_TMP/ok")/$(cat "$IPB_TMP/drop")"
	[ "$sent_ok" -gt 1000 ]
	[ "$sent_drop" -gt 1000 ]
	[ "$(cat "$IPB_TMP/ok")" = "$sent_ok" ]
	[ "$(cat "$IPB_TMP/drop")" = 0 ]

	# one link all along, 51 rules in the last program
	is_dormant ip filter
	[ "$(status_col filter input LINK)" = "$link" ]
	[ "$(status_col filter input PROG)" != "$prog" ]
	[ "$(status_col filter input RULES)" = 51 ]

	# every datagram counted once: by the rule or by the policy
	echo "rule 1: $(rule_counter INPUT 1), policy: $(policy_counter INPUT)"
	[ "$(rule_counter INPUT 1)" = "$sent_drop $((sent_drop * 60))" ]
	[ "$(policy_counter INPUT)" = "$sent_ok $((sent_ok * 60))" ]
}
