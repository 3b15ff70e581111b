# SPDX-License-Identifier: GPL-2.0-or-later
#
# bpfgen's hook API against real traffic: a veth pair between the test's
# namespace (10.99.0.1, fd99::1, where the program is attached) and a
# peer namespace (10.99.0.2, fd99::2).  tests/bpf/bpfgen-tool builds a
# tiny ruleset (-p udp --dport P -j DROP, -p icmp -j DROP) through the
# bpfgen API and installs it; it also sends and counts packets, so every
# assertion is on numbers.

load ../lib/netns
load ../lib/veth

TOOL=${IPTABLES_BPF_BUILDDIR}/tests/bpf/bpfgen-tool

setup() {
	veth_setup attach || return 1
	[ -x "$TOOL" ] || skip "build tests/bpf/bpfgen-tool first"
}

teardown() {
	veth_teardown
}

tool() {
	in_ns "$TOOL" "$@"
}

peer() {
	in_ns_named peer "$TOOL" "$@"
}

# recv_start PORT NAME: count UDP datagrams to PORT in the test's
# namespace until 1.5 s pass without one; the count lands in $IPB_TMP/NAME.
recv_start() {
	local ready=$IPB_TMP/$2.ready i
	rm -f "$ready"
	in_ns "$TOOL" udp-recv --port "$1" --idle-ms 1500 --ready "$ready" \
		>"$IPB_TMP/$2" 3>&- &
	IPB_PIDS="${IPB_PIDS:-} $!"
	for i in $(seq 100); do
		[ -e "$ready" ] && return 0
		sleep 0.02
	done
	return 1
}

# udp DST PORT COUNT: datagrams received of COUNT sent from the peer.
udp() {
	local got
	recv_start "$2" once || return 1
	peer udp-send --dst "$1" --port "$2" --count "$3" >/dev/null
	wait
	got=$(cat "$IPB_TMP/once")
	rm -f "$IPB_TMP/once" "$IPB_TMP/once.ready"
	echo "$got"
}

@test "UDP and ICMP are dropped while attached and pass after removal" {
	[ "$(peer ping --dst 10.99.0.1 --count 3 --idle-ms 1000)" = 3 ]
	[ "$(udp 10.99.0.1 9999 5)" = 5 ]

	run tool install --family 4 --hook input --drop-udp-port 9999 \
		--drop-icmp
	[ "$status" -eq 0 ]

	[ "$(peer ping --dst 10.99.0.1 --count 3 --idle-ms 300)" = 0 ]
	[ "$(udp 10.99.0.1 9999 5)" = 0 ]
	# other ports still pass: the policy is ACCEPT
	[ "$(udp 10.99.0.1 9998 5)" = 5 ]
	# the rule counters saw exactly what was dropped (28-byte UDP
	# header + IP, 32-byte payload)
	[ "$(tool counter --family 4 --hook input --slot 0)" = "5 300" ]
	[ "$(tool counter --family 4 --hook input --slot 1 | cut -d' ' -f1)" = 3 ]

	run tool remove --family 4 --hook input
	[ "$status" -eq 0 ]
	[ "$(peer ping --dst 10.99.0.1 --count 3 --idle-ms 1000)" = 3 ]
	[ "$(udp 10.99.0.1 9999 5)" = 5 ]
	# nothing left pinned for the namespace
	[ -z "$(ls "$IPTABLES_BPF_PIN_ROOT" | grep netns-)" ]
}

@test "IPv6: UDP dropped at input while attached" {
	[ "$(udp fd99::1 9999 5)" = 5 ]
	run tool install --family 6 --hook input --drop-udp-port 9999
	[ "$status" -eq 0 ]
	[ "$(udp fd99::1 9999 5)" = 0 ]
	[ "$(udp fd99::1 9998 5)" = 5 ]
	run tool remove --family 6 --hook input
	[ "$status" -eq 0 ]
	[ "$(udp fd99::1 9999 5)" = 5 ]
}

@test "pins and filtering outlive the installing command" {
	local dir link disp
	run tool install --family 4 --hook input --drop-udp-port 9999 \
		--name ipb_survive
	[ "$status" -eq 0 ]
	# the command has exited: only the pins hold the link
	run tool status --family 4 --hook input
	[ "$status" -eq 0 ]
	echo "$output"
	[[ "$output" == *"name=ipb_survive"* ]]
	dir=${output##*dir=}
	[[ "$dir" == "$IPTABLES_BPF_PIN_ROOT"/netns-*/ip/filter/input ]]
	for f in link dispatcher progs prog counters; do
		[ -e "$dir/$f" ]
	done
	[ "$(udp 10.99.0.1 9999 5)" = 0 ]
	# and the kernel still has the link, on the dispatcher (bpftool
	# 7.1 prints netfilter links as "type 10")
	if command -v bpftool >/dev/null; then
		run tool status --family 4 --hook input
		link=${output#link_id=}
		link=${link%% *}
		disp=${output#*dispatcher_id=}
		disp=${disp%% *}
		bpftool link show id "$link" | grep -q "prog $disp"
	fi
}

@test "pins are per network namespace" {
	run tool install --family 4 --hook input --drop-udp-port 9999
	[ "$status" -eq 0 ]
	run peer install --family 4 --hook input --drop-udp-port 9999
	[ "$status" -eq 0 ]
	[ "$(ls "$IPTABLES_BPF_PIN_ROOT" | grep -c netns-)" = 2 ]
	run peer remove --family 4 --hook input
	[ "$status" -eq 0 ]
	# the test namespace keeps filtering
	[ "$(udp 10.99.0.1 9999 5)" = 0 ]
	[ "$(ls "$IPTABLES_BPF_PIN_ROOT" | grep -c netns-)" = 1 ]
}

@test "remove without an install fails with ENOENT" {
	run tool remove --family 4 --hook forward
	[ "$status" -eq 1 ]
	[[ "$output" == *"No such file"* ]]
}

@test "swapping under a continuous stream loses no packet to a third verdict" {
	local i before after link1 link2 sent_ok sent_blocked
	run tool install --family 4 --hook input --drop-udp-port 9999 \
		--drop-udp-port 9001 --name ipb_a
	[ "$status" -eq 0 ]
	link1=$(tool status --family 4 --hook input | sed 's/ .*//')

	# Both rulesets accept 7777 and drop 9999.  A packet to 7777 that
	# is lost was dropped by neither (an empty slot, a failed swap); a
	# packet to 9999 that arrives met no program (a gap).  The streams
	# start before the first swap and stop after the last.
	recv_start 7777 ok
	recv_start 9999 blocked
	peer udp-send --dst 10.99.0.1 --port 7777 --gap-us 50 \
		--started "$IPB_TMP/started_ok" --until "$IPB_TMP/stop" \
		>"$IPB_TMP/sent_ok" 3>&- &
	IPB_PIDS="$IPB_PIDS $!"
	peer udp-send --dst 10.99.0.1 --port 9999 --gap-us 50 \
		--started "$IPB_TMP/started_blocked" --until "$IPB_TMP/stop" \
		>"$IPB_TMP/sent_blocked" 3>&- &
	IPB_PIDS="$IPB_PIDS $!"
	for i in $(seq 500); do
		[ -e "$IPB_TMP/started_ok" ] && [ -e "$IPB_TMP/started_blocked" ] &&
			break
		sleep 0.01
	done
	[ -e "$IPB_TMP/started_ok" ] && [ -e "$IPB_TMP/started_blocked" ]

	before=$(tool status --family 4 --hook input)
	for i in $(seq 20); do
		tool install --family 4 --hook input --drop-udp-port 9999 \
			--drop-udp-port 9002 --name ipb_b
		tool install --family 4 --hook input --drop-udp-port 9999 \
			--drop-udp-port 9001 --name ipb_a
	done
	after=$(tool status --family 4 --hook input)
	touch "$IPB_TMP/stop"
	wait

	sent_ok=$(cat "$IPB_TMP/sent_ok")
	sent_blocked=$(cat "$IPB_TMP/sent_blocked")
	echo "sent $sent_ok/$sent_blocked, received $(cat "$IPB_TMP/ok")/$(cat "$IPB_TMP/blocked")"
	[ "$sent_ok" -gt 1000 ]
	[ "$sent_blocked" -gt 1000 ]
	[ "$(cat "$IPB_TMP/ok")" = "$sent_ok" ]
	[ "$(cat "$IPB_TMP/blocked")" = 0 ]
	# 40 swaps: the program changed, the link did not
	link2=$(echo "$after" | sed 's/ .*//')
	[ "$link1" = "$link2" ]
	[ "$(echo "$before" | grep -o 'prog_id=[0-9]*')" != \
	  "$(echo "$after" | grep -o 'prog_id=[0-9]*')" ]
}

@test "every hook sees the packet from its network header" {
	local hook
	# The peer's echo request crosses prerouting and input in the test
	# namespace, the echo reply output and postrouting.
	for hook in prerouting input output postrouting; do
		run tool install --family 4 --hook "$hook" --drop-icmp
		[ "$status" -eq 0 ]
		[ "$(peer ping --dst 10.99.0.1 --count 2 --idle-ms 300)" = 0 ]
		[ "$(tool counter --family 4 --hook "$hook" --slot 0 | cut -d' ' -f1)" = 2 ]
		run tool remove --family 4 --hook "$hook"
		[ "$status" -eq 0 ]
		[ "$(peer ping --dst 10.99.0.1 --count 2 --idle-ms 1000)" = 2 ]
	done
}

@test "an installed hook cannot move to another priority by a swap" {
	run tool install --family 4 --hook input --drop-udp-port 9999
	[ "$status" -eq 0 ]
	run tool install --family 4 --hook input --drop-udp-port 9999 \
		--priority 10
	[ "$status" -eq 1 ]
	[[ "$output" == *"File exists"* ]]
	# the first program still filters
	[ "$(udp 10.99.0.1 9999 5)" = 0 ]
}

@test "a pin root that is no bpffs is refused inside ip netns exec" {
	mkdir "$IPB_TMP/plain"
	IPTABLES_BPF_PIN_ROOT=$IPB_TMP/plain run tool install --family 4 \
		--hook input --drop-udp-port 9999
	[ "$status" -eq 1 ]
	[[ "$output" == *"Invalid cross-device link"* ]]
	# nothing was attached
	[ "$(udp 10.99.0.1 9999 5)" = 5 ]
}

@test "conntrack: untracked, new, established and ct mark from real entries" {
	command -v nft >/dev/null || skip "needs nft"
	# notrack before conntrack (-200), a ct mark after it; the table also
	# makes the namespace track connections.
	in_ns nft -f - <<-'NFT'
	table ip ipbct {
		chain raw {
			type filter hook prerouting priority -300;
			udp dport 5555 notrack
		}
		chain setmark {
			type filter hook prerouting priority -150;
			udp dport 5557 ct mark set 42
		}
	}
	NFT

	run tool install --family 4 --hook input --drop-ctstate 16
	[ "$status" -eq 0 ]
	[ "$(udp 10.99.0.1 5555 5)" = 0 ]
	[ "$(udp 10.99.0.1 5556 5)" = 5 ]

	# an unanswered UDP flow stays NEW
	run tool install --family 4 --hook input --drop-ctstate 8
	[ "$status" -eq 0 ]
	[ "$(udp 10.99.0.1 5556 5)" = 0 ]
	[ "$(udp 10.99.0.1 5555 5)" = 5 ]

	# INVALID (no entry) is not UNTRACKED
	run tool install --family 4 --hook input --drop-ctstate 1
	[ "$status" -eq 0 ]
	[ "$(udp 10.99.0.1 5555 5)" = 5 ]

	# A's packet to the peer makes the entry; the peer's answer from
	# the port it was sent to is ESTABLISHED (in the reply direction)
	run tool install --family 4 --hook input --drop-ctstate 2
	[ "$status" -eq 0 ]
	tool udp-send --dst 10.99.0.2 --port 6000 --sport 6001 --count 1 \
		>/dev/null
	recv_start 6001 reply
	peer udp-send --dst 10.99.0.1 --port 6001 --sport 6000 --count 5
	wait
	[ "$(cat "$IPB_TMP/reply")" = 0 ]
	[ "$(tool counter --family 4 --hook input --slot 0 | cut -d' ' -f1)" = 5 ]
	# a new flow is not ESTABLISHED
	[ "$(udp 10.99.0.1 5556 5)" = 5 ]

	run tool install --family 4 --hook input --drop-ctmark 42
	[ "$status" -eq 0 ]
	[ "$(udp 10.99.0.1 5557 5)" = 0 ]
	[ "$(udp 10.99.0.1 5556 5)" = 5 ]
	# an untracked packet has no entry, so no mark: no match
	[ "$(udp 10.99.0.1 5555 5)" = 5 ]
}

@test "a ruleset with a user chain runs behind the dispatcher" {
	run tool install --family 4 --hook input --drop-udp-port 9999 \
		--user-chain
	[ "$status" -eq 0 ]
	[ "$(udp 10.99.0.1 9999 5)" = 0 ]
	[ "$(udp 10.99.0.1 9998 5)" = 5 ]
	# slot 0: the jump, every packet; slot 1: the drop in the chain;
	# slot 2: the policy, what came back
	[ "$(tool counter --family 4 --hook input --slot 0 | cut -d' ' -f1)" = 10 ]
	[ "$(tool counter --family 4 --hook input --slot 1 | cut -d' ' -f1)" = 5 ]
	[ "$(tool counter --family 4 --hook input --slot 2 | cut -d' ' -f1)" = 5 ]
}

# rule_count FAMILY PORT: packets counted by the nft rule "udp dport PORT"
rule_count() {
	in_ns nft list chain "$1" ipbdiff pre |
		sed -n "s/.*udp dport $2 counter packets \([0-9]*\).*/\1/p"
}

# sent FAMILY HEX: send the packet, then a sentinel to port 9 behind it
# on the same veth, and wait until nft has counted the sentinel.
sent() {
	local fam=$1 dst=10.99.0.1 before i
	[ "$fam" = ip6 ] && dst=fd99::1
	before=$(rule_count "$fam" 9)
	peer raw-send --hex "$2" || return 1
	peer udp-send --dst "$dst" --port 9 --count 1 >/dev/null
	for i in $(seq 200); do
		[ "$(rule_count "$fam" 9)" != "$before" ] && return 0
		sleep 0.01
	done
	return 1
}

# agree FAMILY HEX EXPECTED: nft's "udp dport 1234" and the BPF program's
# "-p udp --dport 1234" both count the packet EXPECTED (0 or 1) times.
agree() {
	local fam=4 n0 b0 n1 b1
	[ "$1" = ip6 ] && fam=6
	n0=$(rule_count "$1" 1234)
	b0=$(tool counter --family $fam --hook prerouting --slot 0 | cut -d' ' -f1)
	sent "$1" "$2"
	n1=$(rule_count "$1" 1234)
	b1=$(tool counter --family $fam --hook prerouting --slot 0 | cut -d' ' -f1)
	echo "$1 $2: nft $((n1 - n0)), bpf $((b1 - b0)), expected $3"
	[ $((n1 - n0)) = "$3" ] && [ $((b1 - b0)) = "$3" ]
}

@test "differential: nft and bpfgen read the same transport bytes" {
	local fam udp1234 udp80 x16 v4 v4a v4addr v6src v6dst
	command -v nft >/dev/null || skip "needs nft"
	# nft counts first (priority -10), the BPF program (priority 0)
	# counts in slot 0 and drops.
	for fam in ip ip6; do
		in_ns nft -f - <<-NFT
		table $fam ipbdiff {
			chain pre {
				type filter hook prerouting priority -10;
				udp dport 1234 counter
				udp dport 9 counter
			}
		}
		NFT
	done
	run tool install --family 4 --hook prerouting --drop-udp-port 1234
	[ "$status" -eq 0 ]
	run tool install --family 6 --hook prerouting --drop-udp-port 1234
	[ "$status" -eq 0 ]

	x16=78787878787878787878787878787878
	udp1234=000704d200080000$x16
	udp80=0007005000080000$x16
	v4=00001234	# tot_len (kernel fills it), id
	v4a=40110000	# ttl, udp, checksum (kernel fills it)
	v4addr=0a6300020a630001
	# IPv4 non-first fragment whose data has 1234 at offset 2: matches
	agree ip 4500${v4}0064${v4a}${v4addr}${udp1234} 1
	# IPv4 first fragment: matches
	agree ip 4500${v4}2000${v4a}${v4addr}${udp1234} 1
	# IPv4 UDP header cut to 2 bytes: no match (no hotdrop either)
	agree ip 4500${v4}0000${v4a}${v4addr}0007 0
	agree ip 4500${v4}0000${v4a}${v4addr}${udp80} 0

	v6src=fd990000000000000000000000000002
	v6dst=fd990000000000000000000000000001
	# non-first fragment, flow label 1234, UDP to 80 inside: transport
	# offset 0, so "dport" is the flow label: matches
	agree ip6 600004d200202c40${v6src}${v6dst}110000400000002a${udp80} 1
	# non-first fragment, flow label 0, UDP to 1234 inside: no match
	agree ip6 6000000000202c40${v6src}${v6dst}110000400000002a${udp1234} 0
	# UDP to 1234 behind AH: l4proto is AH: no match
	agree ip6 6000000000283340${v6src}${v6dst}110200000000000100000001${x16:0:8}${udp1234} 0
	# plain UDP to 1234: matches
	agree ip6 6000000000181140${v6src}${v6dst}${udp1234} 1
}

@test "the defrag flag reaches the link and pins its place" {
	run tool install --family 4 --hook prerouting --drop-udp-port 9999 \
		--defrag
	[ "$status" -eq 0 ]
	[ "$(udp 10.99.0.1 9999 5)" = 0 ]
	# a swap must keep the flag; without it the place differs
	run tool install --family 4 --hook prerouting --drop-udp-port 9999
	[ "$status" -eq 1 ]
	[[ "$output" == *"File exists"* ]]
	run tool install --family 4 --hook prerouting --drop-udp-port 9998 \
		--defrag
	[ "$status" -eq 0 ]
	[ "$(udp 10.99.0.1 9999 5)" = 5 ]
	[ "$(udp 10.99.0.1 9998 5)" = 0 ]
}
