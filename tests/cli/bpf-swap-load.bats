# SPDX-License-Identifier: GPL-2.0-or-later
#
# Program swaps as fast as the dispatcher allows (issue #5): one swap
# every 10 ms under two continuous UDP streams, through bpfgen's hook API
# directly (tests/bpf/bpfgen-tool swap-loop; a whole iptables-bpf command
# takes longer than 10 ms).  The two programs give opposite verdicts:
#	X: UDP to 5001 dropped, to 5002 accepted
#	Y: UDP to 5001 accepted, to 5002 dropped
# and each counts both rules in counters of its own.  Every datagram
# must have run exactly one of the two programs and met its verdict:
#	sent to 5001 = X's 5001 count + Y's 5001 count, received = Y's
#	sent to 5002 = X's 5002 count + Y's 5002 count, received = X's
# A datagram that met no program (an empty slot: the dispatcher drops),
# two programs, or one program's count with the other's verdict breaks
# an equality.  make check swaps for IPB_SWAP_SECONDS=2, make check-load
# for 10.

load ../lib/netns
load ../lib/traffic

setup() {
	traffic_setup peer && topo_pair
}

teardown() {
	traffic_teardown
}

@test "a program swap every 10 ms under two UDP streams: every datagram met X or Y, counted exactly" {
	local secs=${IPB_SWAP_SECONDS:-2} p loop_pid out counts
	local sent1 sent2 recv1 recv2 x1 x2 y1 y2 swaps
	for p in 5001 5002; do
		rm -f "$IPB_TMP/ready_$p"
		on host "$TOOL" udp-recv --port "$p" --until "$IPB_TMP/stop_recv" \
			--ready "$IPB_TMP/ready_$p" >"$IPB_TMP/recv_$p" 3>&- &
		IPB_PIDS="$IPB_PIDS $!"
		RECV="${RECV:-} $!"
		wait_file "$IPB_TMP/ready_$p" || return 1
	done
	on host "$TOOL" swap-loop --hook input --port 5001 --interval-us 10000 \
		--seconds "$secs" --ready "$IPB_TMP/installed" \
		--started "$IPB_TMP/started_5002" --swapped "$IPB_TMP/swapped" \
		--drained "$IPB_TMP/drained" >"$IPB_TMP/loop" 3>&- &
	loop_pid=$!
	IPB_PIDS="$IPB_PIDS $loop_pid"
	wait_file "$IPB_TMP/installed" || return 1
	for p in 5001 5002; do
		on peer "$TOOL" udp-send --dst 10.99.0.1 --port "$p" --gap-us 100 \
			--started "$IPB_TMP/started_$p" --until "$IPB_TMP/stop" \
			>"$IPB_TMP/sent_$p" 3>&- &
		IPB_PIDS="$IPB_PIDS $!"
		SEND="${SEND:-} $!"
	done
	# the swaps run meanwhile; then the streams stop and drain
	while [ ! -e "$IPB_TMP/swapped" ]; do
		kill -0 "$loop_pid" 2>/dev/null || break
		sleep 0.1
	done
	[ -e "$IPB_TMP/swapped" ] || { cat "$IPB_TMP/loop"; return 1; }
	touch "$IPB_TMP/stop"
	wait $SEND
	touch "$IPB_TMP/stop_recv"
	wait $RECV
	touch "$IPB_TMP/drained"
	wait "$loop_pid"

	out=$(cat "$IPB_TMP/loop")
	echo "$out" | sed 's/^/# /' >&3
	swaps=$(echo "$out" | sed -n 's/^swaps=\([0-9]*\) .*/\1/p')
	read -r x1 x2 y1 y2 < <(echo "$out" | sed -n 2p)
	sent1=$(cat "$IPB_TMP/sent_5001") sent2=$(cat "$IPB_TMP/sent_5002")
	recv1=$(cat "$IPB_TMP/recv_5001") recv2=$(cat "$IPB_TMP/recv_5002")
	{
		echo "$secs s: 5001: sent $sent1, received $recv1, X dropped $x1, Y accepted $y1"
		echo "$secs s: 5002: sent $sent2, received $recv2, X accepted $x2, Y dropped $y2"
	} | sed 's/^/# /' >&3

	# a swap every 10 ms, give or take a scheduler on a busy machine
	[ "$swaps" -ge $((secs * 100 * 9 / 10)) ]
	# both programs really ran, many times over
	[ "$x1" -gt 100 ] && [ "$y1" -gt 100 ]
	[ "$x2" -gt 100 ] && [ "$y2" -gt 100 ]
	# every datagram: exactly one program, and that program's verdict
	[ "$sent1" = $((x1 + y1)) ]
	[ "$recv1" = "$y1" ]
	[ "$sent2" = $((x2 + y2)) ]
	[ "$recv2" = "$x2" ]
}
