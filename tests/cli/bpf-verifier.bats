# SPDX-License-Identifier: GPL-2.0-or-later
#
# A program the kernel's verifier refuses (issue #5).  The rules
# iptables-bpf compiles stay within the verifier's limits by design
# (chains of more than 5,000 rules and nesting deeper than the call
# stack fall back before any load), so the refusal is injected:
# IPTABLES_BPF_FAULT_REJECT=<program name> (bpfgen/load.c) makes that
# program read a register nothing wrote, and the real verifier refuses
# it ("R9 !read_ok").  Require mode must refuse the change with a clear
# error and leave the kernel exactly as it was: the nf_tables ruleset,
# the programs, links and pins, the dormant flag.  Auto mode must fall
# back cleanly: the new rules run in nf_tables, no program is left.

load ../lib/netns
load ../lib/traffic

setup() {
	traffic_setup peer && topo_pair || return 1
	on host sysctl -qw net.ipv4.icmp_ratemask=0 || return 1
}

teardown() {
	traffic_teardown
}

# probe PORT: pass or drop, for UDP from the peer to PORT (nobody
# listens); a drop is looked at twice (a late ICMP reply on a busy
# machine reads as one)
probe() {
	local i out
	for i in 1 2; do
		out=$(on peer "$TOOL" udp-probe --dst 10.99.0.1 --port "$1" \
			--idle-ms 300)
		[ "$out" = timeout ] || break
	done
	case "$out" in
	refused) echo pass ;;
	timeout) echo drop ;;
	*) echo "?" ;;
	esac
}

# kernel_state: everything a refused change must leave as it was
kernel_state() {
	on host nft list ruleset 2>/dev/null
	on host "$IPTABLES_STATUS" -4
	find "$IPTABLES_BPF_PIN_ROOT" | sort
	bpftool link show 2>/dev/null | grep -c "netfilter" || true
}

two_chains() {
	on host "$IPTABLES" -A INPUT -p udp --dport 5001 -j DROP &&
		on host "$IPTABLES" -A OUTPUT -p udp --dport 6001 -j DROP
}

@test "require mode: the verifier refuses a program: error, nothing changed" {
	local before after
	two_chains || return 1
	[ "$(status_col filter output MODE)" = bpf ]
	before=$(kernel_state)

	# the second program of the table (OUTPUT) is refused, after INPUT
	# loaded: nothing may have been swapped either
	IPTABLES_BPF_FAULT_REJECT=ipb4_filter_out run on host "$IPTABLES" \
		--bpf-mode=require -A INPUT -p udp --dport 5002 -j DROP
	echo "$output"
	[ "$status" = 1 ]
	[ "$output" = "iptables v1.8.9 (nf_tables): table \`filter': chain \`OUTPUT' cannot run in BPF (the verifier refused the program: Permission denied), and --bpf-mode=require" ]
	after=$(kernel_state)
	[ "$before" = "$after" ]

	# the same through restore, and for the first program of the table
	IPTABLES_BPF_FAULT_REJECT=ipb4_filter_in run on host \
		"$IPTABLES_RESTORE" --bpf-mode=require <<-'EOF'
	*filter
	:INPUT ACCEPT [0:0]
	-A INPUT -p udp --dport 5003 -j DROP
	COMMIT
	EOF
	echo "$output"
	[ "$status" = 1 ]
	[[ "$output" == *"chain \`INPUT' cannot run in BPF (the verifier refused the program: Permission denied), and --bpf-mode=require"* ]]
	after=$(kernel_state)
	[ "$before" = "$after" ]
	[ "$(probe 5001)" = drop ]
	[ "$(probe 5002)" = pass ]
}

@test "require mode: a table not in BPF yet stays as it was when the verifier refuses" {
	local before after
	before=$(kernel_state)
	IPTABLES_BPF_FAULT_REJECT=ipb4_filter_in run on host "$IPTABLES" \
		--bpf-mode=require -A INPUT -p udp --dport 5001 -j DROP
	[ "$status" = 1 ]
	[[ "$output" == *"chain \`INPUT' cannot run in BPF (the verifier refused the program: Permission denied)"* ]]
	after=$(kernel_state)
	[ "$before" = "$after" ]
	[ "$(probe 5001)" = pass ]
}

@test "auto mode: the verifier refuses a program: the table falls back to nf_tables whole" {
	two_chains || return 1
	IPTABLES_BPF_FAULT_REJECT=ipb4_filter_out run on host "$IPTABLES" \
		-v -A INPUT -p udp --dport 5002 -j DROP
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"table \`filter' runs in nf_tables: chain OUTPUT: the verifier refused the program: Permission denied"* ]]

	# nf_tables runs the new ruleset, no program or pin is left
	! is_dormant ip filter || return 1
	[ -z "$(pins)" ]
	[ "$(status_col filter input MODE)" = nf_tables ]
	[ "$(status_col filter output MODE)" = nf_tables ]
	[ "$(IPTABLES_BPF_FAULT_REJECT=ipb4_filter_out table_line ip filter)" = "ip filter: nf_tables: chain OUTPUT: the verifier refused the program: Permission denied" ]
	[ "$(probe 5001)" = drop ]
	[ "$(probe 5002)" = drop ]
	[ "$(probe 5003)" = pass ]

	# without the refusal the next change takes the table back
	run on host "$IPTABLES" -A INPUT -p udp --dport 5003 -j DROP
	[ "$status" = 0 ]
	is_dormant ip filter
	[ "$(status_col filter output MODE)" = bpf ]
	[ "$(table_line ip filter)" = "ip filter: bpf (the nf_tables table is dormant)" ]
	[ "$(probe 5003)" = drop ]
	[ "$(probe 5004)" = pass ]
}
