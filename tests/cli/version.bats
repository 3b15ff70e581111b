# SPDX-License-Identifier: GPL-2.0-or-later
#
# --version and -h under every name of the multi-call binary.

load ../lib/netns

bin() { echo "$(dirname "$IPTABLES")/$1"; }

@test "--version names the iptables release, nf_tables and iptables-bpf" {
	run "$(bin iptables-bpf)" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^iptables\ v1\.8\.9\ \(nf_tables\)\ iptables-bpf\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	run "$(bin ip6tables-bpf)" -V
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^ip6tables\ v1\.8\.9\ \(nf_tables\)\ iptables-bpf\  ]]
}

@test "save and restore name themselves in --version" {
	local n
	for n in iptables-bpf-save ip6tables-bpf-save iptables-bpf-restore ip6tables-bpf-restore; do
		run "$(bin $n)" --version
		[ "$status" -eq 0 ]
		[[ "$output" == "$n v1.8.9 (nf_tables) iptables-bpf "* ]]
	done
}

@test "the version parses as Docker and kube-proxy parse it" {
	run "$(bin iptables-bpf)" --version
	# first vX.Y.Z is the iptables release, and the backend is nf_tables
	[ "$(grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' <<<"$output" | head -n1)" = v1.8.9 ]
	[[ "$output" == *"(nf_tables)"* ]]
}

@test "-h prints iptables-nft's help under each command name" {
	run "$(bin iptables-bpf)" -h
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "iptables v1.8.9 (nf_tables)" ]
	[ "${lines[1]}" = "Usage: iptables -[ACD] chain rule-specification [options]" ]
	run "$(bin ip6tables-bpf)" --help
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "Usage: ip6tables -[ACD] chain rule-specification [options]" ]
}

@test "-h matches iptables-nft -h byte for byte" {
	command -v iptables-nft >/dev/null || skip "needs iptables-nft"
	diff <("$(bin iptables-bpf)" -h) <(iptables-nft -h)
	diff <("$(bin ip6tables-bpf)" -h) <(ip6tables-nft -h)
}

@test "restore -h prints its usage, save -h its options" {
	run "$(bin iptables-bpf-restore)" -h
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Usage: iptables-bpf-restore [-c] [-v] [-V] [-t] [-h] [-n] [-T table] [-M command] [-4] [-6] [file]" ]
	run "$(bin ip6tables-bpf-save)" -h
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Usage: ip6tables-bpf-save [-c] [-t table] [-M command] [-V] [-h]" ]
}
