# SPDX-License-Identifier: GPL-2.0-or-later
#
# The state and metadata matches on real traffic, loaded by the real
# command: the table goes dormant (it runs in BPF) and every assertion
# is on packets that got through, or on rule counters.  A veth pair joins
# the test's namespace (10.99.0.1, fd99::1, where the rules are) and a
# peer (10.99.0.2, fd99::2).  tests/bpf/bpfgen-tool sends, receives and
# counts UDP datagrams and ICMP echo replies; python3 does TCP.

load ../lib/netns
load ../lib/veth

TOOL=${IPTABLES_BPF_BUILDDIR}/tests/bpf/bpfgen-tool
PY=/usr/bin/python3

setup() {
	veth_setup state || return 1
	[ -x "$TOOL" ] || skip "build tests/bpf/bpfgen-tool first"
}

teardown() {
	veth_teardown
}

ipt() {
	in_ns "$IPTABLES" "$@"
}

# in_bpf [ip|ip6 [TABLE]]: the table runs in BPF, not in nf_tables
in_bpf() {
	in_ns nft list table "${1:-ip}" "${2:-filter}" |
		grep -q 'flags dormant'
}

# pkts "CHAIN [-t TABLE]" N [iptables]: packet counter of rule N
pkts() {
	# shellcheck disable=SC2086
	in_ns "${3:-$IPTABLES}" -L $1 -v -x -n |
		awk -v n="$2" 'NR == n + 2 { print $1 }'
}

# recv_on WHERE PORT NAME: count UDP datagrams to PORT in namespace WHERE
# (me or peer) until 1.5 s pass without one, into $IPB_TMP/NAME.
recv_on() {
	local ready=$IPB_TMP/$3.ready i run=in_ns
	[ "$1" = peer ] && run="in_ns_named peer"
	# a ready file left by an earlier receiver of the same name would
	# let the sender start before this one listens
	rm -f "$ready"
	$run "$TOOL" udp-recv --port "$2" --idle-ms 1500 --ready "$ready" \
		>"$IPB_TMP/$3" 3>&- &
	IPB_PIDS="${IPB_PIDS:-} $!"
	for i in $(seq 100); do
		[ -e "$ready" ] && return 0
		sleep 0.02
	done
	return 1
}

# udp DST PORT COUNT: datagrams the test's namespace got of COUNT sent
# by the peer.
udp() {
	recv_on me "$2" once || return 1
	in_ns_named peer "$TOOL" udp-send --dst "$1" --port "$2" \
		--count "$3" >/dev/null
	wait
	cat "$IPB_TMP/once"
	rm -f "$IPB_TMP/once" "$IPB_TMP/once.ready"
}

# tcp_serve WHERE PORT: a TCP server answering "hi" on PORT.
tcp_serve() {
	local ready=$IPB_TMP/tcp$2.ready i ns=$IPB_NS
	[ "$1" = peer ] && ns=$IPB_NS_peer
	# not through a shell function: $! must be python itself, or the
	# teardown's kill leaves it running
	ip netns exec "$ns" "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", int(sys.argv[1])))
s.listen(16)
open(sys.argv[2], "w").close()
while True:
	c, _ = s.accept()
	c.sendall(b"hi\n")
	c.close()
' "$2" "$ready" 3>&- &
	IPB_PIDS="${IPB_PIDS:-} $!"
	for i in $(seq 200); do
		[ -e "$ready" ] && return 0
		sleep 0.02
	done
	return 1
}

# tcp WHERE DST PORT: "hi" if a connection from WHERE got the greeting,
# "fail" if not within a second.
tcp() {
	local run=in_ns
	[ "$1" = peer ] && run="in_ns_named peer"
	$run "$PY" -c '
import socket, sys
try:
	c = socket.create_connection((sys.argv[1], int(sys.argv[2])), 1)
	print(c.recv(8).decode().strip() or "empty")
except OSError:
	print("fail")
' "$2" "$3"
}

@test "conntrack: ESTABLISHED,RELATED accepted, NEW dropped on a port" {
	ipt -P INPUT DROP
	ipt -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
	ipt -A INPUT -p tcp --dport 8081 -m conntrack --ctstate NEW -j ACCEPT
	ipt -A INPUT -p tcp --dport 8080 -m conntrack --ctstate NEW -j DROP
	in_bpf

	tcp_serve me 8080
	tcp_serve me 8081
	tcp_serve peer 9090
	[ "$(tcp peer 10.99.0.1 8081)" = hi ]
	[ "$(tcp peer 10.99.0.1 8080)" = fail ]
	# the answers to our own connection are ESTABLISHED
	[ "$(tcp me 10.99.0.2 9090)" = hi ]
	[ "$(in_ns "$TOOL" ping --dst 10.99.0.2 --count 3 --idle-ms 1000)" = 3 ]
	# the peer's echo requests are NEW: the policy drops them
	[ "$(in_ns_named peer "$TOOL" ping --dst 10.99.0.1 --count 2 \
		--idle-ms 300)" = 0 ]

	[ "$(pkts INPUT 2)" = 1 ]
	[ "$(pkts INPUT 3)" -ge 1 ]
	[ "$(pkts INPUT 1)" -ge 8 ]
	in_bpf
}

@test "state: NEW dropped, answers to our own datagrams pass, both families" {
	ipt -A INPUT -p udp --dport 5555 -m state --state NEW -j DROP
	in_ns "$IP6TABLES" -A INPUT -p udp --dport 5555 -m state --state NEW \
		-j DROP
	in_bpf ip
	in_bpf ip6

	[ "$(udp 10.99.0.1 5555 5)" = 0 ]
	[ "$(udp fd99::1 5555 5)" = 0 ]
	[ "$(udp 10.99.0.1 5556 5)" = 5 ]
	[ "$(pkts INPUT 1)" = 5 ]
	[ "$(pkts INPUT 1 "$IP6TABLES")" = 5 ]

	# our datagram from port 5555 makes the entry: the peer's answers
	# to it are ESTABLISHED, not NEW
	in_ns "$TOOL" udp-send --dst 10.99.0.2 --port 6000 --sport 5555 \
		--count 1 >/dev/null
	recv_on me 5555 reply
	in_ns_named peer "$TOOL" udp-send --dst 10.99.0.1 --port 5555 \
		--sport 6000 --count 5 >/dev/null
	wait
	[ "$(cat "$IPB_TMP/reply")" = 5 ]
	[ "$(pkts INPUT 1)" = 5 ]
}

@test "connmark: the mark another table sets on the connection" {
	in_ns nft -f - <<-'NFT'
	table ip marker {
		chain pre {
			type filter hook prerouting priority -150;
			udp dport 5557 ct mark set 42
		}
	}
	NFT
	ipt -A INPUT -p udp -m connmark --mark 42 -j DROP
	ipt -A INPUT -p udp --dport 5558 -m connmark ! --mark 42 -j DROP
	in_bpf

	[ "$(udp 10.99.0.1 5557 5)" = 0 ]
	[ "$(udp 10.99.0.1 5556 5)" = 5 ]
	[ "$(udp 10.99.0.1 5558 5)" = 0 ]
	[ "$(pkts INPUT 1)" = 5 ]
	[ "$(pkts INPUT 2)" = 5 ]
}

@test "limit: the burst passes, then the rest is dropped" {
	ipt -A INPUT -p udp --dport 5560 -m limit --limit 1/hour \
		--limit-burst 3 -j ACCEPT
	ipt -A INPUT -p udp --dport 5560 -j DROP
	in_bpf

	[ "$(udp 10.99.0.1 5560 10)" = 3 ]
	[ "$(pkts INPUT 1)" = 3 ]
	[ "$(pkts INPUT 2)" = 7 ]
	# the bucket stays empty for the hour
	[ "$(udp 10.99.0.1 5560 2)" = 0 ]
	[ "$(pkts INPUT 2)" = 9 ]

	# a change to another rule loads a new program: as in nf_tables,
	# the limit rule keeps its (empty) bucket
	ipt -I INPUT -p tcp --dport 1 -j DROP
	in_bpf
	[ "$(udp 10.99.0.1 5560 2)" = 0 ]
	[ "$(pkts INPUT 2)" = 3 ]

	# a rule added anew is a new bucket
	ipt -D INPUT 2
	ipt -I INPUT 2 -p udp --dport 5560 -m limit --limit 1/hour \
		--limit-burst 2 -j ACCEPT
	[ "$(udp 10.99.0.1 5560 5)" = 2 ]
}

@test "statistic nth: every third datagram is dropped" {
	ipt -A INPUT -p udp --dport 5561 -m statistic --mode nth --every 3 \
		--packet 0 -j DROP
	in_bpf

	[ "$(udp 10.99.0.1 5561 9)" = 6 ]
	[ "$(pkts INPUT 1)" = 3 ]
	[ "$(udp 10.99.0.1 5561 4)" = 2 ]
	[ "$(pkts INPUT 1)" = 5 ]

	# 13 seen: a change elsewhere keeps the count (a fresh one would
	# drop the next): the 14th and 15th pass, the 16th is dropped
	ipt -A INPUT -p tcp --dport 1 -j DROP
	in_bpf
	[ "$(udp 10.99.0.1 5561 2)" = 2 ]
	[ "$(pkts INPUT 1)" = 5 ]
	[ "$(udp 10.99.0.1 5561 1)" = 0 ]
	[ "$(pkts INPUT 1)" = 6 ]
}

@test "owner: the sending socket's uid decides, at OUTPUT" {
	command -v setpriv >/dev/null || skip "needs setpriv"
	# a copy of the tool that uid 1234 may run
	chmod 755 "$IPB_TMP"
	install -m 755 "$TOOL" "$IPB_TMP/tool"
	ipt -A OUTPUT -p udp --dport 5562 -m owner --uid-owner 1234 -j DROP
	ipt -A OUTPUT -p udp --dport 5563 -m owner ! --uid-owner 0 -j DROP
	in_bpf

	local as_user="setpriv --reuid 1234 --regid 1234 --clear-groups"
	for port in 5562 5563; do
		recv_on peer $port root
		in_ns "$IPB_TMP/tool" udp-send --dst 10.99.0.2 --port $port \
			--count 4 >/dev/null
		wait
		[ "$(cat "$IPB_TMP/root")" = 4 ]
		recv_on peer $port user
		in_ns $as_user "$IPB_TMP/tool" udp-send --dst 10.99.0.2 \
			--port $port --count 4 >/dev/null
		wait
		[ "$(cat "$IPB_TMP/user")" = 0 ]
	done
	[ "$(pkts OUTPUT 1)" = 4 ]
	[ "$(pkts OUTPUT 2)" = 4 ]
}

@test "mac: the peer's Ethernet source address" {
	local mac
	mac=$(ip -n "$IPB_NS_peer" -br link show b0 | awk '{ print $3 }')
	[ -n "$mac" ]
	ipt -A INPUT -p udp --dport 5564 -m mac --mac-source "$mac" -j DROP
	ipt -A INPUT -p udp --dport 5565 -m mac ! --mac-source "$mac" -j DROP
	ipt -A INPUT -p udp --dport 5566 -m mac --mac-source 02:00:00:00:00:01 \
		-j DROP
	in_bpf

	[ "$(udp 10.99.0.1 5564 3)" = 0 ]
	[ "$(udp 10.99.0.1 5565 3)" = 3 ]
	[ "$(udp 10.99.0.1 5566 3)" = 3 ]
	[ "$(pkts INPUT 1)" = 3 ]
}

# bigping: echo replies to 2 requests of 3000 bytes (fragments on veth)
bigping() {
	in_ns_named peer ping -c 2 -i 0.2 -W 1 -q -s 3000 10.99.0.1 |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

# frag_case MODE CT: with IPTABLES_BPF_MODE=MODE (off: nf_tables runs the
# table, the oracle; auto: BPF), -f DROP at mangle PREROUTING, after a
# conntrack rule if CT is "ct"; prints "replies dropped-by-the-f-rule".
# (At INPUT every packet is whole: ip_local_deliver() reassembles before
# the hook, conntrack or not.)
frag_case() {
	local n=1
	IPTABLES_BPF_MODE=$1 ipt -t mangle -F PREROUTING
	if [ "$2" = ct ]; then
		IPTABLES_BPF_MODE=$1 ipt -t mangle -A PREROUTING \
			-m conntrack --ctstate INVALID -j DROP
		n=2
	fi
	IPTABLES_BPF_MODE=$1 ipt -t mangle -A PREROUTING -f -j DROP
	if [ "$1" = off ]; then
		! in_bpf ip mangle || return 1
	else
		in_bpf ip mangle || return 1
	fi
	echo "$(bigping) $(pkts "PREROUTING -t mangle" $n)"
}

@test "defrag: BPF sees fragments exactly where nf_tables does" {
	local want
	# no conntrack in the namespace: fragments reach the hook and the
	# later ones are dropped
	want=$(frag_case off noct)
	[ "${want% *}" = 0 ]
	[ "${want#* }" -ge 2 ]
	[ "$(frag_case auto noct)" = "$want" ]

	# a conntrack match (in a dormant table too) turns on conntrack
	# and with it defragmentation: -f never matches
	want=$(frag_case off ct)
	[ "$want" = "2 0" ]
	[ "$(frag_case auto ct)" = "$want" ]
}

@test "refused: --ctexpire keeps the table on nf_tables, helper does not" {
	run in_ns "$IPTABLES" -v -A INPUT -p udp --dport 5570 \
		-m conntrack --ctexpire 0:1000 -j DROP
	[ "$status" -eq 0 ]
	[[ "$output" == *"runs in nf_tables"*"conntrack --ctexpire"* ]]
	! in_bpf || return 1
	# nf_tables runs it: a new entry expires within 1000 s
	[ "$(udp 10.99.0.1 5570 3)" = 0 ]
	[ "$(udp 10.99.0.1 5571 3)" = 3 ]

	ipt -F INPUT
	ipt -A INPUT -p udp --dport 5571 -j DROP
	in_bpf
	# this kernel's conntrack extension lookup has no generation check
	# (tests/cli/bpf-helper.bats has the helper on FTP traffic)
	run in_ns "$IPTABLES" -v -A INPUT -m helper --helper ftp -j DROP
	[ "$status" -eq 0 ]
	[[ "$output" != *"runs in nf_tables"* ]]
	in_bpf
	# no master: the helper rule does not match, "!" does
	[ "$(udp 10.99.0.1 5571 3)" = 0 ]
	[ "$(udp 10.99.0.1 5572 3)" = 3 ]
	ipt -A INPUT -p udp --dport 5572 -m helper ! --helper ftp -j DROP
	in_bpf
	[ "$(udp 10.99.0.1 5572 3)" = 0 ]
	[ "$(udp 10.99.0.1 5573 3)" = 3 ]
}

# nat_case MODE BASE: conntrack tuples, status and the DNAT state bit on
# real entries, with IPTABLES_BPF_MODE=MODE; ports from BASE on; an nft
# rule redirects BASE to BASE+1.  Prints what got through and counters.
nat_case() {
	local b=$2 r
	in_ns nft add rule ip nat pre udp dport "$b" redirect to :"$((b + 1))"
	IPTABLES_BPF_MODE=$1 ipt -F INPUT
	IPTABLES_BPF_MODE=$1 ipt -A INPUT -p udp -m conntrack --ctstate DNAT \
		--ctorigdstport "$b" --ctreplsrcport "$((b + 1))" -j DROP
	IPTABLES_BPF_MODE=$1 ipt -A INPUT -p udp --dport "$((b + 2))" \
		-m conntrack --ctorigsrc 10.99.0.2 --ctdir ORIGINAL \
		--ctproto udp --ctrepldst 10.99.0.2/32 -j DROP
	IPTABLES_BPF_MODE=$1 ipt -A INPUT -p udp --dport "$((b + 3))" \
		-m conntrack ! --ctorigsrc 10.99.0.2 -j DROP
	# the first datagram's entry is not confirmed yet at INPUT
	IPTABLES_BPF_MODE=$1 ipt -A INPUT -p udp --dport "$((b + 4))" \
		-m conntrack --ctstatus CONFIRMED -j DROP
	if [ "$1" = off ]; then
		! in_bpf || return 1
	else
		in_bpf || return 1
	fi
	r="$(udp 10.99.0.1 "$b" 3) $(udp 10.99.0.1 "$((b + 1))" 3)"
	r="$r $(udp 10.99.0.1 "$((b + 2))" 3) $(udp 10.99.0.1 "$((b + 3))" 3)"
	r="$r $(udp 10.99.0.1 "$((b + 4))" 4)"
	echo "$r / $(pkts INPUT 1) $(pkts INPUT 2) $(pkts INPUT 4)"
}

@test "conntrack: tuples, status and DNAT on real entries, as nf_tables" {
	in_ns nft add table ip nat
	in_ns nft add chain ip nat pre \
		'{ type nat hook prerouting priority -100; }'
	local want got
	want=$(nat_case off 5600)
	[ "$want" = "0 3 0 3 1 / 3 3 3" ]
	got=$(nat_case auto 5610)
	[ "$got" = "$want" ]
}
