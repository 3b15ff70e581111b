# SPDX-License-Identifier: GPL-2.0-or-later
#
# What BPF cannot run goes back to nf_tables, and the modes: auto falls
# back (and returns to BPF when it can), require refuses and changes
# nothing, off leaves everything to nf_tables.  A table back at its
# defaults has no program, link or pin.  Real traffic shows who enforces
# what.

load ../lib/netns
load ../lib/traffic

setup() {
	traffic_setup peer && topo_pair && tcp_serve host 8080 8081
}

teardown() {
	traffic_teardown
}

@test "REJECT sends the table to nf_tables, really rejects, and removing it brings BPF back" {
	run on host "$IPTABLES" -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" -eq 0 ]
	is_dormant ip filter
	[ "$(pins)" = "ip/filter/input" ]
	[ "$(udp_count peer host 10.99.0.1 9999 2)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 9998 1)" = 1 ]

	# -v names the rule that cannot run in BPF
	run on host "$IPTABLES" -v -A INPUT -p tcp --dport 8081 -j REJECT
	[ "$status" -eq 0 ]
	echo "$output"
	[[ "$output" == *"table \`filter' runs in nf_tables: rule 2 of chain INPUT: target REJECT"* ]]
	! is_dormant ip filter || return 1
	[ "$(status_col filter input MODE)" = nf_tables ]
	[[ "$(table_line ip filter)" == "ip filter: nf_tables: rule 2 of chain INPUT cannot run in BPF: target REJECT" ]]
	[ -z "$(pins)" ]

	# nf_tables enforces everything now: REJECT answers at once
	[ "$(tcp_try peer 10.99.0.1 8081 2)" = refused ]
	[ "$(tcp_try peer 10.99.0.1 8080)" = ok ]
	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 0 ]
	[ "$(udp_count peer host 10.99.0.1 9998 5)" = 5 ]
	# and counts, carrying on from what BPF counted
	[ "$(rule_counter INPUT 1)" = "7 420" ]
	[ "$(policy_counter INPUT | cut -d' ' -f1)" -ge 6 ]

	run on host "$IPTABLES" -D INPUT 2
	[ "$status" -eq 0 ]
	is_dormant ip filter
	[ "$(status_col filter input MODE)" = bpf ]
	[ "$(pins)" = "ip/filter/input" ]
	[ "$(tcp_try peer 10.99.0.1 8081)" = ok ]
	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 0 ]
	[ "$(rule_counter INPUT 1)" = "12 720" ]
}

# refused WHAT cmd...: the command fails, says why, changes nothing
refused() {
	local before after
	before=$(on host nft list ruleset)
	run "$@"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot run in BPF"* ]]
	[[ "$output" == *"REJECT"* ]]
	after=$(on host nft list ruleset)
	[ "$before" = "$after" ]
}

@test "require mode refuses a rule BPF cannot run and changes nothing" {
	run on host "$IPTABLES" -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" -eq 0 ]

	refused on host "$IPTABLES" --bpf-mode=require -A INPUT -j REJECT
	[[ "$output" == *"rule 2 of chain \`INPUT' cannot run in BPF (target REJECT), and --bpf-mode=require"* ]]
	IPTABLES_BPF_MODE=require refused on host "$IPTABLES" -I INPUT -j REJECT
	echo "mode = require" >"$IPB_TMP/conf"
	IPTABLES_BPF_CONF=$IPB_TMP/conf refused on host "$IPTABLES" -A INPUT \
		-p tcp -j REJECT
	refused on host "$IPTABLES_RESTORE" --bpf-mode=require <<-'EOF'
	*filter
	:INPUT ACCEPT [0:0]
	-A INPUT -p tcp --dport 8081 -j REJECT
	COMMIT
	EOF

	# still BPF, still filtering, still one rule
	is_dormant ip filter
	[ "$(status_col filter input RULES)" = 1 ]
	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 0 ]
	[ "$(tcp_try peer 10.99.0.1 8081)" = ok ]

	# what BPF can run, require mode takes
	run on host "$IPTABLES" --bpf-mode=require -A INPUT -p tcp --dport 8081 -j DROP
	[ "$status" -eq 0 ]
	[ "$(tcp_try peer 10.99.0.1 8081 0.5)" = timeout ]
}

@test "off mode leaves the table in nf_tables with no program; auto takes it back" {
	run on host "$IPTABLES" --bpf-mode=off -A INPUT -p udp --dport 9999 -j DROP
	[ "$status" -eq 0 ]
	! is_dormant ip filter || return 1
	[ -z "$(pins)" ]
	[ "$(status_col filter input MODE)" = nf_tables ]
	[[ "$(IPTABLES_BPF_MODE=off table_line ip filter)" == "ip filter: nf_tables: the BPF mode is off" ]]
	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 0 ]
	# nf_tables' own counter counted
	[[ "$(on host nft list chain ip filter INPUT)" == *"counter packets 5 bytes 300 drop"* ]]

	run on host "$IPTABLES" -A INPUT -p udp --dport 9998 -j DROP
	[ "$status" -eq 0 ]
	is_dormant ip filter
	[ "$(status_col filter input MODE)" = bpf ]
	[ "$(udp_count peer host 10.99.0.1 9998 5)" = 0 ]
	[ "$(rule_counter INPUT 1)" = "5 300" ]
	[ "$(rule_counter INPUT 2)" = "5 300" ]

	# and off again detaches it: nf_tables first, then the programs go
	IPTABLES_BPF_MODE=off run on host "$IPTABLES" -Z
	[ "$status" -eq 0 ]
	! is_dormant ip filter || return 1
	[ -z "$(pins)" ]
	[ "$(udp_count peer host 10.99.0.1 9998 5)" = 0 ]
}

@test "rules deleted back to the defaults: no program, no link, no pin" {
	on host "$IPTABLES-restore" <<-'EOF'
	*filter
	:INPUT ACCEPT [0:0]
	:FORWARD DROP [0:0]
	:OUTPUT ACCEPT [0:0]
	:sub - [0:0]
	-A INPUT -j sub
	-A sub -p udp --dport 9999 -j DROP
	-A OUTPUT -p udp --dport 7000 -j DROP
	COMMIT
	EOF
	is_dormant ip filter
	[ "$(pins | tr '\n' ' ')" = "ip/filter/forward ip/filter/input ip/filter/output " ]
	links="$(status_col filter input LINK) $(status_col filter forward LINK) $(status_col filter output LINK)"
	progs="$(status_col filter input PROG) $(status_col filter output PROG)"
	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 0 ]

	run on host "$IPTABLES" -F
	[ "$status" -eq 0 ]
	run on host "$IPTABLES" -X
	[ "$status" -eq 0 ]
	# -X took the empty ACCEPT chains, as iptables-nft does; the DROP
	# policy stays, and is still something to run
	is_dormant ip filter
	[ "$(pins)" = ip/filter/forward ]
	[ "$(status_col filter forward MODE)" = bpf ]
	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 5 ]
	run on host "$IPTABLES" -P FORWARD ACCEPT
	[ "$status" -eq 0 ]

	! is_dormant ip filter || return 1
	[ -z "$(pins)" ]
	[ -z "$(ls "$IPTABLES_BPF_PIN_ROOT" | grep netns-)" ]
	for id in $links; do
		! bpftool link show id "$id" >/dev/null 2>&1 || return 1
	done
	for id in $progs; do
		! bpftool prog show id "$id" >/dev/null 2>&1 || return 1
	done
	[ "$(status_col filter forward MODE)" = nf_tables ]
	[[ "$(table_line ip filter)" == *"nothing to run in BPF"* ]]
	[ "$(udp_count peer host 10.99.0.1 9999 5)" = 5 ]
}

@test "more TCP option walks than one program verifies in time fall back; one fewer runs in BPF" {
	local i
	{
		echo "*filter"
		for i in $(seq 41); do
			echo "-A INPUT -p tcp --dport 9$i --tcp-option 99 -j DROP"
		done
		echo "COMMIT"
	} | on host "$IPTABLES_RESTORE"
	[[ "$(table_line ip filter)" == "ip filter: nf_tables: rule 41 of chain INPUT cannot run in BPF: more TCP option walks than one BPF program verifies in time" ]]
	! is_dormant ip filter || return 1
	[ "$(tcp_try peer 10.99.0.1 8080)" = ok ]

	# one walk fewer runs in BPF
	run on host "$IPTABLES" -D INPUT 41
	[ "$status" -eq 0 ]
	is_dormant ip filter
	[ "$(status_col filter input MODE)" = bpf ]
	[ "$(tcp_try peer 10.99.0.1 8080)" = ok ]
}
