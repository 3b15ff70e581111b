# SPDX-License-Identifier: GPL-2.0-or-later
#
# Concurrent writers, as tools driving iptables in parallel do: each waits
# for the lock (-w), and every append lands once in nf_tables and in the
# BPF program.  make check runs 8 writers by 25 appends; `make check-load`
# runs the full 8 by 500 (IPB_WRITER_RULES=500, a few minutes).

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
		on host "$IPTABLES" -w -A INPUT \
			-s "10.$1.$((i / 250)).$((i % 250 + 1))" -j DROP \
			>>"$IPB_TMP/out_$1" 2>&1 || echo "$i" >>"$IPB_TMP/failed_$1"
	done
}

@test "8 concurrent writers with -w: no append lost, no error, all in the program" {
	local w pids= n=${IPB_WRITER_RULES:-25} start=$SECONDS
	for w in $(seq 8); do
		writer "$w" "$n" &
		pids="$pids $!"
	done
	wait $pids
	echo "# 8 writers x $n appends: $((SECONDS - start)) s" >&3
	cat "$IPB_TMP"/out_* 2>/dev/null
	! ls "$IPB_TMP"/failed_* 2>/dev/null || return 1
	[ -z "$(cat "$IPB_TMP"/out_*)" ]

	[ "$(on host iptables-nft -S INPUT | grep -c -- '-j DROP')" = $((8 * n)) ]
	[ "$(on host iptables-nft -S INPUT | grep -- '-j DROP' | sort -u | wc -l)" = $((8 * n)) ]
	for w in $(seq 8); do
		[ "$(on host iptables-nft -S INPUT | grep -cF -- "-s 10.$w.")" = "$n" ]
	done
	[ "$(status_col filter input MODE)" = bpf ]
	[ "$(status_col filter input RULES)" = $((8 * n)) ]
	is_dormant ip filter
}
