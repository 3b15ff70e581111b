#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Feeds fuzz inputs to iptables-nft (the oracle) and to iptables-bpf and
# prints those on which they differ in stdout, stderr or exit code:
#	oracle.sh restore|cmdline FILE-OR-DIR...
# restore inputs run as `iptables-restore --test` (plus the header's -c,
# -n, -T; ip6tables-restore for -6), which changes nothing; cmdline
# inputs run as one iptables command, each side in a fresh network
# namespace made and removed here.  Inputs naming -M/--modprobe (a
# program to run) are skipped.  Root only.  For triage: a difference is
# a case for tests/cli/diff/ once understood.
set -u
set -f

kind=${1:?usage: oracle.sh restore|cmdline FILE-OR-DIR...}
shift
build=${IPTABLES_BPF_BUILDDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bpf=$build/iptables-bpf/iptables-bpf
nft=$(command -v xtables-nft-multi) || { echo "no xtables-nft-multi" >&2; exit 77; }
ns=ipb-oracle-$$
tmp=$(mktemp -d)
# pins go to a bpffs of our own, never the host's /run/iptables-bpf
mkdir "$tmp/bpffs" && mount -t bpf bpf "$tmp/bpffs" || exit 1
export IPTABLES_BPF_PIN_ROOT=$tmp/bpffs
trap 'ip netns del $ns 2>/dev/null; umount "$tmp/bpffs"; rm -rf "$tmp"' EXIT
ndiff=0 nrun=0

# run BIN NAME INPUT ARGS...: stdout, stderr, exit code into $tmp/out.
run() {
	local bin=$1 name=$2 input=$3
	shift 3
	ip netns add $ns || exit 1
	ip netns exec $ns timeout -k 5 20 bash -c 'exec -a "$0" "$@"' \
		"$name" "$bin" "$@" <"$input" >"$tmp/stdout" 2>"$tmp/stderr"
	echo "[exit $?]" >"$tmp/rc"
	ip netns del $ns
	# iptables-bpf appends its own version to -V
	sed -E 's/ iptables-bpf [0-9.]+$//' "$tmp/stdout" |
		cat - "$tmp/stderr" "$tmp/rc" >"$tmp/out"
}

one() {
	local f=$1 name args=() input=/dev/null
	case $kind in
	restore)
		local head
		head=$(head -n 1 "$f")
		name=iptables-restore
		args=(--test)
		for w in $head; do
			case $w in
			-6) name=ip6tables-restore ;;
			-c|-n) args+=("$w") ;;
			esac
		done
		tail -n +2 "$f" >"$tmp/input"
		input=$tmp/input
		;;
	cmdline)
		grep -qE '^(-M|--modprobe)' "$f" && return 0
		mapfile -t args <"$f"
		name=iptables
		[[ ${args[0]:-} == ip6* ]] && name=ip6tables
		args=("${args[@]:1}")
		;;
	esac
	nrun=$((nrun + 1))
	run "$nft" "$name" "$input" "${args[@]}"
	mv "$tmp/out" "$tmp/oracle"
	run "$bpf" "$name" "$input" "${args[@]}"
	if ! cmp -s "$tmp/oracle" "$tmp/out"; then
		ndiff=$((ndiff + 1))
		echo "=== $f"
		diff -u --label iptables-nft --label iptables-bpf \
			"$tmp/oracle" "$tmp/out" | head -n 20
	fi
}

for p in "$@"; do
	if [ -d "$p" ]; then
		while read -r f; do
			one "$f"
		done < <(find "$p" -maxdepth 1 -type f | sort)
	else
		one "$p"
	fi
done
echo "oracle: $nrun inputs, $ndiff differ"
