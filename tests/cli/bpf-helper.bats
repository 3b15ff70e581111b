# SPDX-License-Identifier: GPL-2.0-or-later
#
# -m helper in BPF on real FTP traffic.  The raw table (written by the
# system's iptables-nft) gives the control connections to port 21 the
# kernel's ftp helper; tests/lib/ftp.py's server answers PASV/EPSV, the
# helper reads that answer and expects the data connection, whose
# conntrack entry then has the control connection as its master, and
# the master's helper is "ftp".  Data ports are tests/lib/tcp.py
# servers (2121, 2122).  A connection to a data port without the FTP
# exchange has no master; the control connection has a helper but no
# master; the counters test also leaves connections to 2122 untracked,
# and has nftables expect a connection (a master without a helper).
#
# Counters: client - host - twin - server in a row; host forwards with
# iptables-bpf (the filter table runs in BPF), twin with iptables-nft.
# Every packet crosses both, so each rule's counters must be the same in
# both, exactly.  Verdicts: two separate client - router - server rows,
# one router with iptables-bpf, one with iptables-nft, the same DROP
# rules and the same sessions: the same outcomes and counters.

load ../lib/netns
load ../lib/traffic

FTP_PY=$(cd "$BATS_TEST_DIRNAME/../lib" && pwd)/ftp.py
: "${IPTABLES_NFT:=$(command -v iptables-nft)}"
: "${IP6TABLES_NFT:=$(command -v ip6tables-nft)}"

setup() {
	[ -n "$IPTABLES_NFT" ] || skip "needs iptables-nft"
	traffic_setup client twin server client2 router2 server2 || return 1
}

teardown() {
	traffic_teardown
}

# route NAME VIA4 VIA6: default routes of NAME's namespace
route() {
	on "$1" ip route add default via "$2" &&
	on "$1" ip -6 route add default via "$3"
}

forwarding() {
	on "$1" sysctl -qw net.ipv4.ip_forward=1 &&
	on "$1" sysctl -qw net.ipv6.conf.all.forwarding=1
}

# The row for the counters: client (10.1.0.2) - host - twin - server
# (10.3.0.2), IPv6 fd01::2 ... fd03::2.
topo_row() {
	link client c0 10.1.0.2/24 fd01::2/64 host r0 10.1.0.1/24 fd01::1/64 &&
	link host r1 10.2.0.1/24 fd02::1/64 twin t0 10.2.0.2/24 fd02::2/64 &&
	link twin t1 10.3.0.1/24 fd03::1/64 server s0 10.3.0.2/24 fd03::2/64 ||
		return 1
	route client 10.1.0.1 fd01::1 && route server 10.3.0.1 fd03::1 &&
	on host ip route add 10.3.0.0/24 via 10.2.0.2 &&
	on host ip -6 route add fd03::/64 via fd02::2 &&
	on twin ip route add 10.1.0.0/24 via 10.2.0.1 &&
	on twin ip -6 route add fd01::/64 via fd02::1 &&
	forwarding host && forwarding twin
}

# The second row for verdicts: client2 (10.5.0.2) - router2 - server2
# (10.6.0.2), the same shape as host's row cut to one router.
topo_row2() {
	link client2 c0 10.5.0.2/24 fd05::2/64 router2 r0 10.5.0.1/24 fd05::1/64 &&
	link router2 r1 10.6.0.1/24 fd06::1/64 server2 s0 10.6.0.2/24 fd06::2/64 ||
		return 1
	route client2 10.5.0.1 fd05::1 && route server2 10.6.0.1 fd06::1 &&
	forwarding router2
}

# give_ftp_helper NAME: control connections to port 21 get the ftp
# helper, in both families (raw table, iptables-nft).
give_ftp_helper() {
	on "$1" "$IPTABLES_NFT" -t raw -A PREROUTING -p tcp --dport 21 \
		-j CT --helper ftp &&
	on "$1" "$IP6TABLES_NFT" -t raw -A PREROUTING -p tcp --dport 21 \
		-j CT --helper ftp
}

# servers NAME: the FTP control server (21) and data ports 2121, 2122
servers() {
	local ready=$IPB_TMP/ftp-$1.ready
	tcp_serve "$1" 2121 2122 || return 1
	rm -f "$ready"
	# $! is the server itself (see tcp_serve)
	ip netns exec "$(ns_of "$1")" /usr/bin/python3 "$FTP_PY" serve 21 \
		--ready "$ready" >/dev/null 2>&1 3>&- &
	IPB_PIDS="$IPB_PIDS $!"
	wait_file "$ready"
}

# ftp_get NAME HOST DATAPORT [--epsv]: one FTP session from NAME
ftp_get() {
	on "$1" /usr/bin/python3 "$FTP_PY" get "$2" 21 "$3" --timeout 0.5 \
		${4:+"$4"}
}

# counters NAME CMD CHAIN: "pkts bytes" of every rule of CHAIN, one line
counters() {
	on "$1" "$2" -L "$3" -v -x -n | awk 'NR > 2 { printf "%s %s ", $1, $2 }'
}

# pkts NAME CMD CHAIN N: packets of rule N
pkts() {
	on "$1" "$2" -L "$3" -v -x -n | awk -v n="$4" 'NR == n + 2 { print $1 }'
}

# The counting rules (no verdict) of the row test.
count_rules() {
	local c=$1 ns=$2
	on "$ns" "$c" -A FORWARD -p tcp --dport 2121 &&
	on "$ns" "$c" -A FORWARD -p tcp --sport 2121 &&
	on "$ns" "$c" -A FORWARD -m helper --helper ftp &&
	on "$ns" "$c" -A FORWARD -m helper --helper sip &&
	on "$ns" "$c" -A FORWARD -m helper ! --helper ftp &&
	on "$ns" "$c" -A FORWARD -m helper ! --helper sip &&
	on "$ns" "$c" -A FORWARD -m helper --helper ftp-x &&
	on "$ns" "$c" -A FORWARD -m helper --helper ft &&
	on "$ns" "$c" -A FORWARD -m helper --helper "" &&
	on "$ns" "$c" -A FORWARD -m helper ! --helper "" &&
	on "$ns" "$c" -A FORWARD -p tcp -m helper --helper ftp --dport 2122 &&
	on "$ns" "$c" -A FORWARD -p tcp --dport 2122 -m conntrack \
		--ctstate UNTRACKED &&
	on "$ns" "$c" -A FORWARD -p tcp --dport 2122 -m helper ! --helper sip &&
	on "$ns" "$c" -A FORWARD -p tcp --dport 2123 -m conntrack \
		--ctstatus EXPECTED &&
	on "$ns" "$c" -A FORWARD -p tcp --dport 2123 -m helper --helper "" &&
	on "$ns" "$c" -A FORWARD -p tcp --dport 2123 -m helper ! --helper ""
}

# nft_expect NAME: a new connection to 2124 makes nftables expect one
# back to the client's 2123 (an nft "ct expectation" object): its master
# gets a helper extension whose helper stays NULL.
nft_expect() {
	on "$1" nft -f - <<-EOF
	table ip expect {
		ct expectation back {
			protocol tcp; dport 2123; timeout 1m; size 8; l3proto ip
		}
		chain pre {
			type filter hook prerouting priority -150;
			tcp dport 2124 ct state new ct expectation set "back"
		}
	}
	EOF
}

# notrack NAME: connections to 2122 get no conntrack entry (untracked)
notrack() {
	local c
	for c in "$IPTABLES_NFT" "$IP6TABLES_NFT"; do
		on "$1" "$c" -t raw -A PREROUTING -p tcp --dport 2122 \
			-j CT --notrack &&
		on "$1" "$c" -t raw -A PREROUTING -p tcp --sport 2122 \
			-j CT --notrack || return 1
	done
}

# check_counts NAME CMD: what the rules of count_rules must show
check_counts() {
	local ns=$1 c=$2 dport sport ftp total
	dport=$(pkts "$ns" "$c" FORWARD 1)
	sport=$(pkts "$ns" "$c" FORWARD 2)
	ftp=$(pkts "$ns" "$c" FORWARD 3)
	total=$(pkts "$ns" "$c" FORWARD 6)
	echo "$ns $c: 2121 $dport/$sport ftp $ftp total $total"
	# data connections are the only ones with a master: both ways
	[ "$dport" -gt 0 ] && [ "$sport" -gt 0 ] || return 1
	[ "$ftp" = $((dport + sport)) ] || return 1
	[ "$(pkts "$ns" "$c" FORWARD 4)" = 0 ] || return 1
	[ "$(pkts "$ns" "$c" FORWARD 5)" = $((total - ftp)) ] || return 1
	# strncmp(helper->name, name, strlen(helper->name)): a rule name
	# that begins with the helper's matches, a shorter one does not
	[ "$(pkts "$ns" "$c" FORWARD 7)" = "$ftp" ] || return 1
	[ "$(pkts "$ns" "$c" FORWARD 8)" = 0 ] || return 1
	# "" matches every helper, "! ''" whatever has none
	[ "$(pkts "$ns" "$c" FORWARD 9)" = "$ftp" ] || return 1
	[ "$(pkts "$ns" "$c" FORWARD 10)" = $((total - ftp)) ] || return 1
	# the connections to 2122 are untracked: no entry, so no master
	[ "$(pkts "$ns" "$c" FORWARD 11)" = 0 ] || return 1
	[ "$(pkts "$ns" "$c" FORWARD 12)" -gt 0 ] || return 1
	[ "$(pkts "$ns" "$c" FORWARD 13)" = "$(pkts "$ns" "$c" FORWARD 12)" ] ||
		return 1
	# nft's expectation: a master whose helper extension has no helper
	[ "$c" = "$IPTABLES" ] || [ "$c" = "$IPTABLES_NFT" ] || return 0
	[ "$(pkts "$ns" "$c" FORWARD 14)" -gt 0 ] || return 1
	[ "$(pkts "$ns" "$c" FORWARD 15)" = 0 ] || return 1
	[ "$(pkts "$ns" "$c" FORWARD 16)" = "$(pkts "$ns" "$c" FORWARD 14)" ] ||
		return 1
}

@test "helper: matches FTP data connections in BPF, counters equal iptables-nft's" {
	topo_row
	give_ftp_helper host
	give_ftp_helper twin
	notrack host
	notrack twin
	nft_expect host
	nft_expect twin
	count_rules "$IPTABLES" host
	count_rules "$IPTABLES_NFT" twin
	count_rules "$IP6TABLES" host
	count_rules "$IP6TABLES_NFT" twin
	[ "$(status_col filter forward MODE)" = bpf ]
	[ "$(status_col filter forward MODE ip6)" = bpf ]
	is_dormant ip filter
	is_dormant ip6 filter
	! is_dormant ip raw || return 1
	servers server

	[ "$(ftp_get client 10.3.0.2 2121)" = ok ]
	[ "$(tcp_try client 10.3.0.2 2122)" = ok ]
	[ "$(ftp_get client 10.3.0.2 2121)" = ok ]
	[ "$(ftp_get client fd03::2 2121 --epsv)" = ok ]
	[ "$(tcp_try client fd03::2 2122)" = ok ]
	tcp_serve server 2124
	tcp_serve client 2123
	[ "$(tcp_try client 10.3.0.2 2124)" = ok ]
	[ "$(tcp_try server 10.1.0.2 2123)" = ok ]

	check_counts host "$IPTABLES"
	check_counts twin "$IPTABLES_NFT"
	check_counts host "$IP6TABLES"
	check_counts twin "$IP6TABLES_NFT"
	[ "$(counters host "$IPTABLES" FORWARD)" = \
	  "$(counters twin "$IPTABLES_NFT" FORWARD)" ]
	[ "$(counters host "$IP6TABLES" FORWARD)" = \
	  "$(counters twin "$IP6TABLES_NFT" FORWARD)" ]
	# still in BPF: nothing fell back on the way
	[ "$(status_col filter forward MODE)" = bpf ]
}

# verdict_rules CMD NS: DROP rules keyed on the helper
verdict_rules() {
	on "$2" "$1" -A FORWARD -p tcp --dport 2121 -m helper --helper ftp \
		-j DROP &&
	on "$2" "$1" -A FORWARD -p tcp --dport 2122 -m helper ! --helper ftp \
		-j DROP &&
	on "$2" "$1" -A FORWARD -m helper --helper sip -j DROP
}

# sessions CLIENT SERVER_PREFIX: outcomes, one word each
sessions() {
	echo "$(ftp_get "$1" "${2}2" 2121)" \
	     "$(tcp_try "$1" "${2}2" 2121 0.5)" \
	     "$(ftp_get "$1" "${2}2" 2122)" \
	     "$(tcp_try "$1" "${2}2" 2122 0.5)"
}

@test "helper: DROP verdicts in BPF equal iptables-nft's" {
	topo_row
	topo_row2
	# host's row, cut short: host routes to twin, twin to server, and
	# twin runs no rules; router2 is the iptables-nft twin
	give_ftp_helper host
	give_ftp_helper router2
	verdict_rules "$IPTABLES" host
	verdict_rules "$IPTABLES_NFT" router2
	[ "$(status_col filter forward MODE)" = bpf ]
	servers server
	servers server2

	# the data connection to 2121 and the plain one to 2122 are dropped
	local want="timeout ok ok timeout"
	[ "$(sessions client2 10.6.0.)" = "$want" ]
	[ "$(sessions client 10.3.0.)" = "$want" ]
	# one SYN each (the clients give up before a retransmission)
	[ "$(counters host "$IPTABLES" FORWARD)" = \
	  "$(counters router2 "$IPTABLES_NFT" FORWARD)" ]
	[ "$(pkts host "$IPTABLES" FORWARD 1)" = 1 ]
	[ "$(pkts host "$IPTABLES" FORWARD 2)" = 1 ]
	[ "$(pkts host "$IPTABLES" FORWARD 3)" = 0 ]
}
