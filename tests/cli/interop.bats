# SPDX-License-Identifier: GPL-2.0-or-later
#
# iptables-nft and iptables-bpf share one table: each lists, checks,
# deletes and saves what the other wrote, in both directions.

load ../lib/netns

setup() {
	ipb_setup
	command -v iptables-nft >/dev/null || skip "needs iptables-nft"
}
teardown() { ipb_teardown; }

NFT_RULES=(
	"-A INPUT -s 10.0.0.0/8 -i eth+ -p tcp -m tcp --dport 22 -m comment --comment ssh -j ACCEPT"
	"-A INPUT -p udp -m udp ! --dport 53 -m mark --mark 0x10/0xff -j DROP"
	"-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"
	"-A INPUT -p tcp -m multiport --dports 80,443 -j REJECT --reject-with tcp-reset"
)

@test "iptables-bpf lists, checks, deletes and saves iptables-nft's rules" {
	local r
	in_ns iptables-nft -N from-nft
	for r in "${NFT_RULES[@]}"; do
		in_ns iptables-nft $r
	done
	in_ns iptables-nft -A from-nft -j RETURN

	# the same listing, byte for byte
	diff <(in_ns iptables-nft -S) <(in_ns "$IPTABLES" -S)
	diff <(in_ns iptables-nft -L -n -v -x --line-numbers) \
	     <(in_ns "$IPTABLES" -L -n -v -x --line-numbers)
	diff <(in_ns iptables-nft-save | grep -v '^#') \
	     <(in_ns "$IPTABLES_SAVE" | grep -v '^#')

	# -C finds each rule iptables-nft wrote
	for r in "${NFT_RULES[@]}"; do
		in_ns "$IPTABLES" -C ${r/-A/}
	done
	run in_ns "$IPTABLES" -C INPUT -p tcp --dport 23 -j ACCEPT
	[ "$status" -eq 1 ]

	# -D by rule and by number
	in_ns "$IPTABLES" -D ${NFT_RULES[1]/-A/}
	in_ns "$IPTABLES" -D INPUT 1
	run in_ns iptables-nft -S INPUT
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "${NFT_RULES[2]}" ]
	[ "${lines[2]}" = "${NFT_RULES[3]}" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "iptables-nft lists, checks, deletes and saves iptables-bpf's rules" {
	local r
	in_ns "$IPTABLES" -N from-bpf
	in_ns "$IPTABLES" -A INPUT -s 192.0.2.0/24 -p udp --dport 53 -j ACCEPT
	in_ns "$IPTABLES" -A INPUT -p tcp ! --syn -m conntrack --ctstate NEW -j DROP
	in_ns "$IPTABLES" -A INPUT -j from-bpf
	in_ns "$IPTABLES" -A from-bpf -m limit --limit 3/s -j RETURN

	diff <(in_ns iptables-nft -S) <(in_ns "$IPTABLES" -S)
	diff <(in_ns iptables-nft -L -n -v -x) <(in_ns "$IPTABLES" -L -n -v -x)
	in_ns iptables-nft -C INPUT -s 192.0.2.0/24 -p udp --dport 53 -j ACCEPT
	in_ns iptables-nft -C from-bpf -m limit --limit 3/s -j RETURN
	in_ns iptables-nft -D INPUT -p tcp ! --syn -m conntrack --ctstate NEW -j DROP
	run in_ns "$IPTABLES" -S INPUT
	[ "${lines[1]}" = "-A INPUT -s 192.0.2.0/24 -p udp -m udp --dport 53 -j ACCEPT" ]
	[ "${lines[2]}" = "-A INPUT -j from-bpf" ]
	[ "${#lines[@]}" -eq 3 ]

	# a saved table restores through the other tool unchanged
	in_ns "$IPTABLES_SAVE" >"$BATS_TEST_TMPDIR/saved"
	in_ns iptables-nft-restore <"$BATS_TEST_TMPDIR/saved"
	diff <(grep -v '^#' "$BATS_TEST_TMPDIR/saved") \
	     <(in_ns iptables-nft-save | grep -v '^#')
}

@test "one table, rules from both tools, in order" {
	in_ns iptables-nft -A INPUT -p icmp -j ACCEPT
	in_ns "$IPTABLES" -A INPUT -p tcp --dport 80 -j ACCEPT
	in_ns iptables-nft -I INPUT 2 -p udp --dport 123 -j ACCEPT
	in_ns "$IPTABLES" -R INPUT 1 -p icmp --icmp-type echo-request -j ACCEPT
	run in_ns iptables-nft -S INPUT
	[ "${lines[1]}" = "-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT" ]
	[ "${lines[2]}" = "-A INPUT -p udp -m udp --dport 123 -j ACCEPT" ]
	[ "${lines[3]}" = "-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT" ]
	diff <(in_ns iptables-nft -S) <(in_ns "$IPTABLES" -S)
}
