#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make bench: the same rulesets through iptables-legacy, iptables-nft,
# native nft (linear rules, and a set) and iptables-bpf, side by side.
# Writes a markdown table to stdout and to $1 (bench-results.md).
# BENCHMARKS.md explains the method and the columns.
#
# Topology, one copy per backend so that repetitions interleave:
#
#	snd 10.201.1.1 --veth-- 10.201.1.2 rtr 10.201.2.1 --veth-- 10.201.2.2 dst
#
# rtr holds the ruleset in INPUT (traffic to 10.201.1.2) and in FORWARD
# (traffic to 10.201.2.2); a packet meets one of the two.  The ruleset of
# size N is N-1 non-matching "-s 198.18.x.y -j DROP" rules (a blocklist)
# and one rule that matches the measured flow and accepts it, last
# (worst case) or first (best case); policy ACCEPT.
#
# Everything (namespaces, the bpffs, its pins, temporary files) is made
# here and removed on exit, Ctrl-C included.  Nothing touches the host's
# firewall.  It reports; it asserts nothing.
set -u

out=${1:-bench-results.md}
builddir=${IPTABLES_BPF_BUILDDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
bin=$builddir/iptables-bpf
udpgen=$builddir/tests/bench/udpgen
benchprog=$builddir/tests/bench/bench-prog
hostfw=$srcdir/tests/bench/hostfw.rules

if [ "$(id -u)" != 0 ]; then
	echo "bench: run as root (it makes network namespaces)" >&2
	exit 1
fi
for t in ip nft iptables-legacy-restore iptables-nft-restore \
	 iptables-restore-translate "$udpgen" "$benchprog" \
	 "$bin/iptables-bpf-restore"; do
	command -v "$t" >/dev/null ||
		{ echo "bench: $t is missing (./setup.sh installs it)" >&2; exit 1; }
done

if [ -n "${QUICK:-}" ]; then
	SIZES=${SIZES:-"0 1 1000 10000"}
	POSITIONS="last"
	HOOKS="input"
	REPS=3
	MS=150
else
	SIZES=${SIZES:-"0 1 100 1000 10000 50000"}
	POSITIONS="last first"
	HOOKS="input forward"
	REPS=5
	MS=300
fi
BACKENDS="legacy nft nftnat nftset bpf"
# "ref" has no table at all; measured between the others, it shows how
# the machine's speed drifts during the run, and ×N=0 divides it out
MEASURED="ref $BACKENDS"
declare -A NAME=([ref]="no firewall" [legacy]="iptables-legacy" [nft]="iptables-nft"
		 [nftnat]="nft (linear)" [nftset]="nft (set)"
		 [bpf]="iptables-bpf")
PORT=9999
# Sender, sink and the test-run timing run SCHED_FIFO (bounded: MS ms at a time, and the
# kernel's RT throttling leaves others 5% of each second): on a busy
# machine the figures then measure the hooks, not the share of the CPU
# that other processes left.  BENCH_RT=0 turns it off.
RT=
[ "${BENCH_RT:-1}" != 0 ] && command -v chrt >/dev/null && RT="chrt -f 50"
SRC=10.201.1.1
declare -A DST=([input]=10.201.1.2 [forward]=10.201.2.2)
declare -A CHAIN=([input]=INPUT [forward]=FORWARD)

tag=ipbb$$
work=$(mktemp -d "${TMPDIR:-/tmp}/ipb-bench.XXXXXX") || exit 1
bpffs=$work/bpffs
mkdir "$bpffs"
mounted=
export IPTABLES_BPF_PIN_ROOT=$bpffs
export IPTABLES_BPF_CONF=/dev/null

# The measuring runs in a child process group (run_all below); this
# shell only waits for it.  On Ctrl-C or TERM it kills that group (the
# sender, the sink, a restore half-way) and then removes what the run
# made.  The shell that measures must not take the signal itself: bash
# 5.2 can run a trap in the middle of parsing a $(...), fail to parse
# the trap and go on with the loop.
child=
cleanup() {
	local ns
	trap - EXIT INT TERM
	if [ -n "$child" ]; then
		kill -TERM -- "-$child" 2>/dev/null
		wait "$child" 2>/dev/null
	fi
	for ns in $(ip netns list | awk -v t="$tag-" 'index($1, t) == 1 { print $1 }'); do
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$mounted" ] && umount "$bpffs" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT TERM

mount -t bpf bpf "$bpffs" || { echo "bench: cannot mount a bpffs" >&2; exit 1; }
mounted=1

now_ns() { date +%s%N; }
log() { printf '%s\n' "$*" >&2; }

# ---- rulesets -----------------------------------------------------------

# gen_ipt CHAIN N POS: iptables-restore input.
gen_ipt() {
	awk -v c="$1" -v n="$2" -v pos="$3" -v src=$SRC -v port=$PORT 'BEGIN {
		m = "-A " c " -s " src "/32 -p udp -m udp --dport " port " -j ACCEPT"
		print "*filter"; print ":" c " ACCEPT [0:0]"
		if (n > 0 && pos == "first") print m
		for (i = 0; i < n - 1; i++)
			printf "-A %s -s 198.%d.%d.%d/32 -j DROP\n", c,
				18 + int(i / 65536), int(i / 256) % 256, i % 256
		if (n > 0 && pos == "last") print m
		print "COMMIT" }'
}

# gen_nft CHAIN N POS set|linear: nft -f input.
gen_nft() {
	awk -v c="$1" -v n="$2" -v pos="$3" -v kind="$4" -v src=$SRC \
	    -v port=$PORT 'BEGIN {
		hook = c == "INPUT" ? "input" : "forward"
		m = "\t\tip saddr " src " udp dport " port " accept"
		set = "bl_" hook
		print "table ip filter {"
		if (kind == "set" && n > 1) {
			print "\tset " set " {\n\t\ttype ipv4_addr\n\t\telements = {"
			for (i = 0; i < n - 1; i++)
				printf "\t\t\t198.%d.%d.%d%s\n", 18 + int(i / 65536),
					int(i / 256) % 256, i % 256, i < n - 2 ? "," : ""
			print "\t\t}\n\t}"
		}
		print "\tchain " c " {"
		print "\t\ttype filter hook " hook " priority 0; policy accept;"
		if (n > 0 && pos == "first") print m
		if (kind == "set" && n > 1)
			print "\t\tip saddr @" set " drop"
		else
			for (i = 0; i < n - 1; i++)
				printf "\t\tip saddr 198.%d.%d.%d drop\n",
					18 + int(i / 65536), int(i / 256) % 256, i % 256
		if (n > 0 && pos == "last") print m
		print "\t}\n}" }'
}

# ruleset_file BACKEND HOOK N POS -> path of the file to load
ruleset_file() {
	local b=$1 h=$2 n=$3 pos=$4 f
	case $b in
	legacy | nft | bpf) f=$work/ipt-$h-$n-$pos ;;
	*) f=$work/$b-$h-$n-$pos ;;
	esac
	if [ ! -f "$f" ]; then
		case $b in
		legacy | nft | bpf) gen_ipt "${CHAIN[$h]}" "$n" "$pos" ;;
		nftnat) gen_nft "${CHAIN[$h]}" "$n" "$pos" linear ;;
		nftset) gen_nft "${CHAIN[$h]}" "$n" "$pos" set ;;
		esac >"$f"
	fi
	echo "$f"
}

# The host firewall: iptables-restore input as it is; for native nft,
# iptables' own translation without the counters iptables adds.
hostfw_file() {
	case $1 in
	legacy | nft | bpf) echo "$hostfw" ;;
	*)
		[ -f "$work/hostfw.nft" ] ||
			iptables-restore-translate -f "$hostfw" |
			sed 's/ counter / /' >"$work/hostfw.nft"
		echo "$work/hostfw.nft"
		;;
	esac
}

# ---- namespaces ---------------------------------------------------------

ns() { echo "$tag-$1-$2"; }

topo_up() {
	local b=$1 s r d
	s=$(ns "$b" snd) r=$(ns "$b" rtr) d=$(ns "$b" dst)
	ip netns add "$s" && ip netns add "$r" && ip netns add "$d" || return 1
	ip link add v0 netns "$s" address 02:00:00:00:01:01 type veth \
		peer name v1 netns "$r" address 02:00:00:00:01:02 || return 1
	ip link add v2 netns "$r" address 02:00:00:00:02:01 type veth \
		peer name v3 netns "$d" address 02:00:00:00:02:02 || return 1
	ip -n "$s" addr add 10.201.1.1/24 dev v0
	ip -n "$r" addr add 10.201.1.2/24 dev v1
	ip -n "$r" addr add 10.201.2.1/24 dev v2
	ip -n "$d" addr add 10.201.2.2/24 dev v3
	for x in "$s lo v0" "$r lo v1 v2" "$d lo v3"; do
		set -- $x
		local n=$1
		shift
		for l in "$@"; do ip -n "$n" link set "$l" up; done
	done
	ip -n "$s" route add default via 10.201.1.2
	ip -n "$d" route add default via 10.201.2.1
	# no ARP during a measurement
	ip -n "$s" neigh replace 10.201.1.2 lladdr 02:00:00:00:01:02 dev v0 nud permanent
	ip -n "$r" neigh replace 10.201.1.1 lladdr 02:00:00:00:01:01 dev v1 nud permanent
	ip -n "$r" neigh replace 10.201.2.2 lladdr 02:00:00:00:02:02 dev v2 nud permanent
	ip -n "$d" neigh replace 10.201.2.1 lladdr 02:00:00:00:02:01 dev v3 nud permanent
	ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1
}

topo_down() {
	local b=$1 x
	for x in snd rtr dst; do ip netns del "$(ns "$b" $x)" 2>/dev/null; done
	# pins of namespaces that are gone keep their programs alive
	[ "$b" = bpf ] && rm -rf "$bpffs"/netns-*
	return 0
}

# ---- loading ------------------------------------------------------------

# in_rtr_timed BACKEND FILE restore|restore-noflush|append: runs the
# backend's command in rtr; prints the time in ns; stderr to $work/err.
in_rtr_timed() {
	local b=$1 f=$2 what=$3 cmd
	case $b:$what in
	legacy:append) cmd="iptables-legacy -A INPUT -s 203.0.113.7/32 -j DROP" ;;
	nft:append) cmd="iptables-nft -A INPUT -s 203.0.113.7/32 -j DROP" ;;
	bpf:append) cmd="'$bin/iptables-bpf' -v -A INPUT -s 203.0.113.7/32 -j DROP" ;;
	nftnat:append) cmd="nft add rule ip filter INPUT ip saddr 203.0.113.7 drop" ;;
	nftset:append) cmd="nft add element ip filter bl_input '{ 203.0.113.7 }'" ;;
	legacy:restore) cmd="iptables-legacy-restore < '$f'" ;;
	legacy:restore-noflush) cmd="iptables-legacy-restore --noflush < '$f'" ;;
	nft:restore) cmd="iptables-nft-restore < '$f'" ;;
	nft:restore-noflush) cmd="iptables-nft-restore --noflush < '$f'" ;;
	bpf:restore) cmd="'$bin/iptables-bpf-restore' -v < '$f'" ;;
	bpf:restore-noflush) cmd="'$bin/iptables-bpf-restore' -v --noflush < '$f'" ;;
	nftnat:restore* | nftset:restore*) cmd="nft -f '$f'" ;;
	esac
	# the clock runs inside the namespace: ip netns exec is not timed
	ip netns exec "$(ns "$b" rtr)" sh -c \
		"s=\$(date +%s%N); $cmd >/dev/null || echo FAILED >&2; e=\$(date +%s%N); echo \$((e - s))" \
		2>>"$work/err-$b"
}

# What runs the bpf backend's table: "BPF" or "nf_tables: why".
bpf_mode() {
	local why
	if ip netns exec "$(ns bpf rtr)" nft list table ip filter 2>/dev/null |
		grep -q 'flags dormant'; then
		echo BPF
		return
	fi
	why=$(grep -o "runs in nf_tables: .*" "$work/err-bpf" | tail -n 1)
	why=${why#runs in nf_tables: }
	echo "nf_tables: ${why:-no rule to run}"
}

# ---- measuring ----------------------------------------------------------

declare -A R	# results: R[cfg|backend|metric]

# pps BACKEND HOOK -> packets/s received through the hook
pps() {
	local b=$1 h=$2 rns rpid got ns sent
	rns=$(ns "$b" rtr)
	[ "$h" = forward ] && rns=$(ns "$b" dst)
	rm -f "$work/ready"
	ip netns exec "$rns" $RT "$udpgen" recv --port $PORT --cpu 1 \
		--ms $((MS + 2000)) --ready "$work/ready" >"$work/recv" &
	rpid=$!
	for _ in $(seq 200); do
		[ -e "$work/ready" ] && break
		sleep 0.01
	done
	ip netns exec "$(ns "$b" snd)" $RT "$udpgen" send --dst "${DST[$h]}" \
		--port $PORT --ms $MS --cpu 0 >"$work/send"
	wait "$rpid"
	read -r _ got _ ns <"$work/recv"
	read -r _ sent _ _ <"$work/send"
	awk -v g="${got:-0}" -v n="${ns:-0}" \
		'BEGIN { printf "%.0f\n", ((g > 1 && n > 0) ? (g - 1) * 1e9 / n : 0) }'
}

# pps_file CFG HOOK: one line per measurement, "rep backend pps"
pps_file() { echo "$work/pps-${1//|/_}-$2"; }

# rep_ratio FILE A B: the median over repetitions of A's pps / B's pps,
# each pair measured seconds apart; "-" if there is none
rep_ratio() {
	[ -f "$1" ] || { echo -; return; }
	awk -v a="$2" -v b="$3" '$2 == a { x[$1] = $3 } $2 == b { y[$1] = $3 }
		END { for (r in x) if (y[r] > 0) print x[r] / y[r] }' "$1" |
		stats | cut -d' ' -f1
}

# rep_cost FILE B: what the hook costs B per packet, in ns: the median
# over repetitions of 1/pps(B) - 1/pps(reference).  On veth the whole
# path runs on the sender's CPU, so the difference of the times per
# packet is the time spent in the hook.
rep_cost() {
	awk -v b="$2" '$2 == b { x[$1] = $3 } $2 == "ref" { y[$1] = $3 }
		END { for (r in x) if (x[r] > 0 && y[r] > 0)
			print 1e9 / x[r] - 1e9 / y[r] }' "$1" |
		stats | awk '{ if ($1 == "-") print "-"; else printf "%.0f\n", $1 }'
}

# stats: numbers on stdin -> "median min max"
stats() {
	sort -g | awk '{ v[NR] = $1 }
		END { if (!NR) { print "- - -"; exit }
		      m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      print m, v[1], v[NR] }'
}

# run_config CFG KIND N POS: KIND is "size" (N rules) or "hostfw".
run_config() {
	local cfg=$1 kind=$2 n=$3 pos=$4 b h f rep t hooks=$HOOKS line
	[ "$kind" = hostfw ] && hooks=input
	log "bench: $cfg"
	for b in $BACKENDS; do
		: >"$work/err-$b"
		topo_up "$b" || { log "bench: namespaces failed"; exit 1; }
		if [ "$kind" = hostfw ]; then
			f=$(hostfw_file $b)
			R[$cfg|$b|restore]=$(in_rtr_timed $b "$f" restore)
		else
			f=$(ruleset_file $b input "$n" "$pos")
			R[$cfg|$b|restore]=$(in_rtr_timed $b "$f" restore)
			if [[ $hooks == *forward* ]]; then
				f=$(ruleset_file $b forward "$n" "$pos")
				in_rtr_timed $b "$f" restore-noflush >/dev/null
			fi
		fi
		grep -q FAILED "$work/err-$b" && R[$cfg|$b|failed]=1
		[ $b = bpf ] && R[$cfg|$b|mode]=$(bpf_mode)
	done
	topo_up ref || { log "bench: namespaces failed"; exit 1; }
	for h in $hooks; do
		: >"$(pps_file "$cfg" $h)"
	done
	for rep in $(seq $REPS); do
		for b in $MEASURED; do
			for h in $hooks; do
				echo "$rep $b $(pps $b $h)" >>"$(pps_file "$cfg" $h)"
			done
		done
	done
	for h in $hooks; do
		for b in $MEASURED; do
			R[$cfg|$b|pps-$h]=$(awk -v b=$b '$2 == b { print $3 }' \
				"$(pps_file "$cfg" $h)" | stats)
		done
	done
	topo_down ref
	for h in $hooks; do
		line=$(ip netns exec "$(ns bpf rtr)" $RT "$benchprog" --hook $h \
			--src $SRC --dst "${DST[$h]}" --dport $PORT \
			--ms $((MS / 2)) 2>/dev/null) && R[$cfg|bpf|prog-$h]=$line
	done
	# the append does not depend on where the matching rule is: once
	for b in $BACKENDS; do
		if [ "$pos" = "${POSITIONS%% *}" ] || [ "$kind" = hostfw ]; then
			R[$cfg|$b|append]=$(in_rtr_timed $b - append)
			[ $b = bpf ] && R[$cfg|$b|mode-after-append]=$(bpf_mode)
		fi
		topo_down $b
	done
}

# ---- report -------------------------------------------------------------

fmt_pps() {
	awk -v v="$1" 'BEGIN {
		if (v == "-" || v == "") { print "-"; exit }
		if (v >= 1e6) printf "%.2fM", v / 1e6
		else if (v >= 1e3) printf "%.0fk", v / 1e3
		else printf "%.0f", v }'
}

# ratio A B -> "1.23x" or "-"
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0) {
			print "-"; exit }
		r = a / b
		if (r >= 10) printf "%.0fx", r
		else if (r >= 0.1) printf "%.2fx", r
		else printf "%.3fx", r }'
}

ms() {
	awk -v v="$1" 'BEGIN {
		if (v == "") { print "-"; exit }
		if (v >= 1e8) printf "%.0f", v / 1e6
		else printf "%.1f", v / 1e6 }'
}

# cell for pps: "median ±spread% (xnft, xN0)"
#
# ×nft: the median over repetitions of pps / iptables-nft's pps.
# ×N=0: this backend against itself with no rules, each first divided by
# the reference of its own repetition: (b/ref at N) / (b/ref at N=0).
# For the reference itself, its plain median against its own at N=0:
# how much faster or slower the machine was at the time.
pps_cell() {
	local cfg=$1 b=$2 h=$3 base0=$4 med lo hi zmed spread f0 f xnft xz
	read -r med lo hi <<<"${R[$cfg|$b|pps-$h]:-- - -}"
	[ "$med" = - ] && { echo "- | - | - | - |"; return; }
	f=$(pps_file "$cfg" $h) f0=$(pps_file "$base0" $h)
	spread=$(awk -v m="$med" -v l="$lo" -v h="$hi" \
		'BEGIN { printf "%.0f", (m > 0 ? (h - l) / 2 / m * 100 : 0) }')
	xnft=$(ratio "$(rep_ratio "$f" $b nft)" 1)
	if [ $b = ref ]; then
		read -r zmed _ _ <<<"${R[$base0|$b|pps-$h]:-- - -}"
		xz=$(ratio "$med" "$zmed")
	else
		xz=$(ratio "$(rep_ratio "$f" $b ref)" "$(rep_ratio "$f0" $b ref)")
	fi
	echo "$(fmt_pps "$med") ±$spread% | $xnft | $xz | $([ $b = ref ] && echo - || rep_cost "$f" $b) |"
}

report_row() {
	local cfg=$1 label=$2 match=$3 b=$4 base0=$5 h cells="" mode prog
	local ns xl jit maps nft_r nft_a fwd
	for h in input forward; do
		if [[ $HOOKS == *$h* ]]; then
			cells+=" $(pps_cell "$cfg" $b $h "$base0")"
		fi
	done
	prog=${R[$cfg|$b|prog-input]:-}
	if [ -n "$prog" ]; then
		read -r _ ns _ xl _ jit _ maps _ <<<"$prog"
		prog="$ns | $xl / $jit | $maps"
	else
		prog="- | - | -"
	fi
	case $b in
	bpf)
		mode=${R[$cfg|$b|mode]:-?}
		[ -n "${R[$cfg|$b|mode-after-append]:-}" ] &&
			[ "${R[$cfg|$b|mode-after-append]}" != "$mode" ] &&
			mode="$mode; after the append: ${R[$cfg|$b|mode-after-append]:-?}"
		;;
	legacy) mode="x_tables" ;;
	ref) mode="no table" ;;
	nftset) mode="nf_tables"
		[ "$label" = "${label#[0-9]}" ] && mode="nf_tables (the linear ruleset: nothing to put in a set)" ;;
	*) mode="nf_tables" ;;
	esac
	[ -n "${R[$cfg|$b|failed]:-}" ] && mode="$mode (load FAILED)"
	nft_r=${R[$cfg|nft|restore]:-}
	nft_a=${R[$cfg|nft|append]:-}
	echo "| $label | $match | ${NAME[$b]} | $mode |$cells $prog | $(ms "${R[$cfg|$b|restore]:-}") | $(ratio "${R[$cfg|$b|restore]:-}" "$nft_r") | $(ms "${R[$cfg|$b|append]:-}") | $(ratio "${R[$cfg|$b|append]:-}" "$nft_a") |"
}

report() {
	local n pos cfg hdr="" sep="" h
	for h in $HOOKS; do
		hdr+=" ${CHAIN[$h]} pps ±spread | ×nft | ×N=0 | hook ns/pkt |"
		sep+=" ---: | ---: | ---: | ---: |"
	done
	echo "| rules | match | backend | runs in |$hdr BPF ns/pkt | xlated / JIT B | map B | restore ms | ×nft | append ms | ×nft |"
	echo "| ---: | --- | --- | --- |$sep ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for n in $SIZES; do
		for pos in $POSITIONS; do
			[ "$n" = 0 ] && [ "$pos" != "${POSITIONS%% *}" ] && continue
			cfg="$n|$pos"
			for b in $MEASURED; do
				report_row "$cfg" "$n" "$([ "$n" = 0 ] && echo - || echo $pos)" \
					$b "0|${POSITIONS%% *}"
			done
		done
	done
	for b in $MEASURED; do
		report_row "hostfw|-" "host firewall (36)" "rule 34" $b "0|${POSITIONS%% *}"
	done
}

# ---- main ---------------------------------------------------------------

run_all() {
	local start load_before elapsed n pos

	trap - EXIT INT TERM
	start=$(now_ns)
	load_before=$(cut -d' ' -f1-3 /proc/loadavg)
	for n in $SIZES; do
		for pos in $POSITIONS; do
			[ "$n" = 0 ] && [ "$pos" != "${POSITIONS%% *}" ] && continue
			run_config "$n|$pos" size "$n" "$pos"
		done
	done
	run_config "hostfw|-" hostfw - -
	elapsed=$((($(now_ns) - start) / 1000000000))
	write_report "$load_before" "$elapsed" >"$out.tmp" && mv "$out.tmp" "$out"
}

write_report() {
	local load_before=$1 elapsed=$2

	echo "## iptables-bpf benchmark$([ -n "${QUICK:-}" ] && echo " (QUICK)")"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); Linux $(uname -r); $($bin/iptables-bpf --version 2>/dev/null | head -n 1); $(nft --version)."
	echo "Sender and sink ran ${RT:-without real-time priority}$([ -n "$RT" ] && echo " (SCHED_FIFO)")."
	echo "Load average before the run $load_before, after it $(cut -d' ' -f1-3 /proc/loadavg)."
	echo "$REPS interleaved repetitions of ${MS} ms per figure; pps is the median, ±spread half the min-max range; ×nft is the median of the ratios to iptables-nft's pps of the same repetition; ×N=0 compares with the same backend without rules, both divided by the no-firewall reference of their repetition (for the reference itself: against its own N=0 figure, i.e. the machine's drift); hook ns/pkt is the median of 1/pps minus the reference's 1/pps of the same repetition; BPF ns/pkt is the INPUT program alone under BPF_PROG_TEST_RUN; restore and append times are single runs, ×nft against iptables-nft's in the same namespace set-up.  Run took ${elapsed} s."
	echo
	report
}

set -m			# run_all gets a process group of its own
run_all &
child=$!
set +m
wait "$child"
rc=$?
child=
[ $rc = 0 ] && cat "$out"
exit $rc
