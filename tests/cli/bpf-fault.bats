# SPDX-License-Identifier: GPL-2.0-or-later
#
# kill -9 of iptables-bpf-restore at any moment (issue #5).  The filter
# table goes round three rulesets, A -> B -> C -> A ..., each restore
# killed at a random moment (or at a named step, IPTABLES_BPF_FAULT_STOP,
# iptables-bpf/fault.h):
#	A, B: BPF (dormant table), C: nf_tables (a REJECT rule falls back);
#	all three drop UDP to 9999 and accept UDP to 7777.
# Two streams run through every trial: one to 9999, of which not one
# datagram may arrive, and one to 7777, of which every one must.
# After each kill the table must be one of the two rulesets, whole (the
# nf_tables listing, what is enforced, the dormant flag and the status
# view agree), or the status view must say that a change was
# interrupted; then any command (here iptables-bpf -S) must leave it
# whole.  What is enforced is probed with packets: UDP to ports nobody
# listens on, where an ICMP port unreachable coming back means the
# datagram got through:
#	INPUT 5001, INPUT 5002, OUTPUT 6001, OUTPUT 6002
#	A:  drop     pass       drop        pass
#	B:  pass     drop       pass        drop
#	C:  drop     drop       pass        pass
# make check runs IPB_FAULT_TRIALS=20 random trials, make check-fault
# 200.  Random moments are spread over 0 to 1.15 times the measured run
# time of an unkilled restore.

load ../lib/netns
load ../lib/traffic

setup() {
	traffic_setup peer && topo_pair || return 1
	# the probes rely on every port unreachable coming back
	on host sysctl -qw net.ipv4.icmp_ratemask=0 || return 1
	on peer sysctl -qw net.ipv4.icmp_ratemask=0 || return 1
	ruleset A "-A INPUT -p udp --dport 5001 -j DROP
-A OUTPUT -p udp --dport 6001 -j DROP"
	ruleset B "-A INPUT -p udp --dport 5002 -j DROP
-A INPUT -p tcp --dport 1 -j ACCEPT
-A OUTPUT -p udp --dport 6002 -j DROP"
	ruleset C "-A INPUT -p udp --dport 5001 -j DROP
-A INPUT -p udp --dport 5002 -j DROP
-A INPUT -p udp --dport 5555 -j REJECT"
	SIG_A="drop pass drop pass"
	SIG_B="pass drop pass drop"
	SIG_C="drop drop pass pass"
}

teardown() {
	traffic_teardown
}

# ruleset NAME RULES: the restore file $IPB_TMP/NAME
ruleset() {
	printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p udp --dport 9999 -j DROP\n%s\nCOMMIT\n' \
		"$2" >"$IPB_TMP/$1"
}

# listing: the filter table's rules as nf_tables holds them
listing() {
	on host iptables-nft -t filter -S | grep '^-A' | tr '\n' ';'
}

# probe FROM DST PORT: drop or pass
probe() {
	case "$(on "$1" "$TOOL" udp-probe --dst "$2" --port "$3" \
		--idle-ms 400)" in
	refused) echo pass ;;
	timeout|dropped) echo drop ;;
	*) echo "?" ;;
	esac
}

# enforced: what the four probes met, as SIG_*
enforced() {
	local f=$IPB_TMP/probe
	probe peer 10.99.0.1 5001 >"$f.1" &
	probe peer 10.99.0.1 5002 >"$f.2" &
	probe host 10.99.0.2 6001 >"$f.3" &
	probe host 10.99.0.2 6002 >"$f.4" &
	wait
	echo "$(cat "$f.1") $(cat "$f.2") $(cat "$f.3") $(cat "$f.4")"
}

# which NAME SIG: the ruleset whose probe signature SIG is, or "mixed"
which_sig() {
	case "$1" in
	"$SIG_A") echo A ;;
	"$SIG_B") echo B ;;
	"$SIG_C") echo C ;;
	*) echo mixed ;;
	esac
}

# whole NAME: the table is ruleset NAME through and through, or fails
# saying what disagrees
whole() {
	local name=$1 sig line dormant=no mode_in mode_out st
	[ "$(listing)" = "$(cat "$IPB_TMP/listing_$name")" ] ||
		{ echo "listing is not $name: $(listing)"; return 1; }
	sig=$(enforced)
	# a second look before failing: an ICMP reply late on a busy
	# machine reads as a drop, while a state left by a kill stays
	[ "$(which_sig "$sig")" = "$name" ] || sig=$(enforced)
	[ "$(which_sig "$sig")" = "$name" ] ||
		{ echo "listing $name, enforced: $sig"; return 1; }
	on host nft list table ip filter 2>/dev/null | grep -q "flags dormant" &&
		dormant=yes
	st=$(on host "$IPTABLES_STATUS" -4 -t filter)
	line=$(echo "$st" | grep '^ip filter: ')
	mode_in=$(echo "$st" | awk '$1 == "ip" && $3 == "input" { print $5 }')
	mode_out=$(echo "$st" | awk '$1 == "ip" && $3 == "output" { print $5 }')
	if [ "$name" = C ]; then
		[ "$dormant" = no ] && [ "$mode_in" = nf_tables ] &&
			[ "$mode_out" = nf_tables ] &&
			[ "$line" = "ip filter: nf_tables: rule 4 of chain INPUT cannot run in BPF: target REJECT" ] ||
			{ echo "C, but dormant=$dormant: $st"; return 1; }
	else
		[ "$dormant" = yes ] && [ "$mode_in" = bpf ] &&
			[ "$mode_out" = bpf ] &&
			[ "$line" = "ip filter: bpf (the nf_tables table is dormant)" ] ||
			{ echo "$name, but dormant=$dormant: $st"; return 1; }
	fi
}

# pending: the status view says a change was interrupted
pending() {
	on host "$IPTABLES_STATUS" -4 -t filter |
		grep -q '; a change was interrupted before its BPF side was done (command killed?): the next iptables-bpf command finishes it$'
}

# streams_start / streams_check: 9999 (all drop) and 7777 (all accept)
streams_start() {
	local p
	for p in 9999 7777; do
		rm -f "$IPB_TMP/ready_$p"
		on host "$TOOL" udp-recv --port "$p" --until "$IPB_TMP/stop_recv" \
			--ready "$IPB_TMP/ready_$p" >"$IPB_TMP/recv_$p" 3>&- &
		RECV_PIDS="${RECV_PIDS:-} $!"
		IPB_PIDS="$IPB_PIDS $!"
		wait_file "$IPB_TMP/ready_$p" || return 1
		on peer "$TOOL" udp-send --dst 10.99.0.1 --port "$p" \
			--gap-us 100 --started "$IPB_TMP/started_$p" \
			--until "$IPB_TMP/stop" >"$IPB_TMP/sent_$p" 3>&- &
		SEND_PIDS="${SEND_PIDS:-} $!"
		IPB_PIDS="$IPB_PIDS $!"
		wait_file "$IPB_TMP/started_$p" || return 1
	done
}

streams_check() {
	touch "$IPB_TMP/stop"
	wait $SEND_PIDS
	touch "$IPB_TMP/stop_recv"
	wait $RECV_PIDS
	echo "9999: sent $(cat "$IPB_TMP/sent_9999"), received $(cat "$IPB_TMP/recv_9999")"
	echo "7777: sent $(cat "$IPB_TMP/sent_7777"), received $(cat "$IPB_TMP/recv_7777")"
}

streams_check_counts() {
	echo "9999: sent $(cat "$IPB_TMP/sent_9999"), received $(cat "$IPB_TMP/recv_9999")"
	echo "7777: sent $(cat "$IPB_TMP/sent_7777"), received $(cat "$IPB_TMP/recv_7777")"
	[ "$(cat "$IPB_TMP/sent_9999")" -gt 1000 ]
	[ "$(cat "$IPB_TMP/recv_9999")" = 0 ]
	[ "$(cat "$IPB_TMP/recv_7777")" = "$(cat "$IPB_TMP/sent_7777")" ]
}

# Apply A, B and C unkilled, keeping their listings; ends on A.  Prints
# the median run time of an unkilled restore in $IPB_TMP/runtime_us.
prepare() {
	local name i out times=
	for i in 1 2 3; do
		for name in A B C; do
			out=$(on host "$TOOL" kill-after -1 "$IPTABLES_RESTORE" \
				"$IPB_TMP/$name")
			[ "${out% *}" = "exited 0" ] || { echo "$out"; return 1; }
			times="$times ${out##* }"
			listing >"$IPB_TMP/listing_$name"
		done
	done
	on host "$IPTABLES_RESTORE" "$IPB_TMP/A" || return 1
	whole B 2>/dev/null && return 1
	whole A || return 1
	echo $times | tr ' ' '\n' | sort -n | sed -n 5p >"$IPB_TMP/runtime_us"
}

next_of() {
	case "$1" in A) echo B ;; B) echo C ;; C) echo A ;; esac
}

# trial FROM TO DELAY_US [STOP_POINT]: restore TO over FROM, killed
# after DELAY_US or at STOP_POINT; then the checks.  Prints the class
# of the state the kill left: "<listing>/<enforced>/<pending?>".
trial() {
	local from=$1 to=$2 out sig now cls pend=no
	if [ -n "${4:-}" ]; then
		out=$(IPTABLES_BPF_FAULT_STOP=$4 on host "$TOOL" kill-after -1 \
			"$IPTABLES_RESTORE" "$IPB_TMP/$to")
		[ "${out% *}" = killed-at-stop ] ||
			{ echo "$4: not reached: $out"; return 1; }
	else
		out=$(on host "$TOOL" kill-after "$3" "$IPTABLES_RESTORE" \
			"$IPB_TMP/$to")
		case "$out" in
		killed*|"exited 0 "*) ;;
		*) echo "restore: $out"; return 1 ;;
		esac
	fi
	pending && pend=yes
	now=$(listing)
	if [ "$now" = "$(cat "$IPB_TMP/listing_$from")" ]; then
		cls=$from
	elif [ "$now" = "$(cat "$IPB_TMP/listing_$to")" ]; then
		cls=$to
	else
		echo "listing neither $from nor $to: $now"
		return 1
	fi
	sig=$(enforced)
	cls="$cls/$(which_sig "$sig")/$pend"
	# not whole: the status view must say so
	if [ "$pend" = no ]; then
		whole "${cls%%/*}" || { echo "after ${out%% *}: $cls"; return 1; }
	fi
	# any command finishes it
	on host "$IPTABLES" -S >/dev/null || return 1
	! pending || { echo "still pending after a command"; return 1; }
	whole "${cls%%/*}" || { echo "after recovery from $cls"; return 1; }
	echo "$cls ${out%% *}"
}

# Each step on each way it is passed: a swap (A <-> B), into BPF from
# nf_tables (C -> A, B: the first install; a swap alone passes
# before-carry: a first install replaces no program), back to
# nf_tables (-> C).
@test "kill -9 at each named step of a restore: the next command makes the table whole" {
	local from=A to point step cls
	prepare || return 1
	streams_start || return 1
	for step in before-commit:B after-commit:A after-swap:B \
		before-dormant:A before-carry:B before-clear:A \
		before-handover:C after-swap:A before-handover:C \
		before-dormant:B before-handover:C before-dormant:A \
		after-commit:C before-clear:B; do
		point=${step%:*} to=${step#*:}
		if [ "$from" = "$to" ]; then
			from=$(next_of "$to")
			on host "$IPTABLES_RESTORE" "$IPB_TMP/$from" || return 1
		fi
		cls=$(trial "$from" "$to" 0 "$point") ||
			{ echo "$point $from->$to: $cls"; return 1; }
		echo "# $point $from->$to: $cls" >&3
		[[ $cls == */*/yes* ]] ||
			{ echo "$point: no pending mark"; return 1; }
		from=${cls%%/*}
	done
	streams_check >"$IPB_TMP/streams"
	sed 's/^/# /' "$IPB_TMP/streams" >&3
	streams_check_counts
}

@test "kill -9 of iptables-bpf-restore at random moments: never a probe through, always whole after" {
	local n=${IPB_FAULT_TRIALS:-20} i from=A to T delay cls
	local start=$SECONDS
	prepare || return 1
	streams_start || return 1
	T=$(cat "$IPB_TMP/runtime_us")
	echo "unkilled restore: $T us (median of 9)"
	: >"$IPB_TMP/classes"
	for i in $(seq "$n"); do
		to=$(next_of "$from")
		delay=$(((RANDOM * 32768 + RANDOM) % (T * 115 / 100)))
		cls=$(trial "$from" "$to" "$delay") ||
			{ echo "trial $i $from->$to at $delay us: $cls"; return 1; }
		echo "$from->$to ${cls% *} ${cls##* }" >>"$IPB_TMP/classes"
		from=${cls%%/*}
	done
	{
		echo "$n trials in $((SECONDS - start)) s (unkilled restore: $T us); what the kill left (from->to listing/enforced/pending outcome):"
		sort "$IPB_TMP/classes" | uniq -c
	} | sed 's/^/# /' >&3
	streams_check >"$IPB_TMP/streams"
	sed 's/^/# /' "$IPB_TMP/streams" >&3
	streams_check_counts
}
