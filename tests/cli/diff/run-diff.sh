#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Differential test: runs every case of tests/cli/diff/*.cases against
# iptables-nft (the oracle) and against the binaries under test ($IPTABLES
# and friends, as in tests/lib/netns.bash), each side in a fresh network
# namespace of its own, and prints TAP: one test point per case.  A case
# passes when both sides' transcripts (see side.sh) are identical.
#
#	run-diff.sh [options] [FILE.cases...]
#	  --dir DIR          the corpus: DIR/*.cases and DIR/PENDING (default:
#	                     this script's directory)
#	  --filter ERE       only cases whose id matches ERE
#	  --pending FILE     the list of known differences (default: DIR/PENDING)
#	  --no-pending       ignore the list: every case must match
#	  --update-pending   rewrite the list from this run (review it!)
#	  --jobs N           cases run at once (default 2; each runs 2 sides)
#	  --keep DIR         keep each case's transcripts in DIR/ID.{oracle,subject}
#
# PENDING holds "ID REASON..." lines: cases known to differ because a
# feature is not implemented yet.  They are reported as skips; one that
# matches now FAILS, telling to remove it, so the list only shrinks.
set -u

here=$(cd "$(dirname "$0")" && pwd)
corpus=$here
pending_file=
filter=
use_pending=1
update=
jobs=2
keep=
files=()
while [ $# -gt 0 ]; do
	case $1 in
	--dir) corpus=$2; shift ;;
	--filter) filter=$2; shift ;;
	--pending) pending_file=$2; shift ;;
	--no-pending) use_pending= ;;
	--update-pending) update=1 ;;
	--jobs) jobs=$2; shift ;;
	--keep) keep=$2; shift ;;
	-*) echo "run-diff.sh: unknown option $1" >&2; exit 2 ;;
	*) files+=("$1") ;;
	esac
	shift
done
if [ -n "$update" ] && { [ ${#files[@]} != 0 ] || [ -n "$filter" ]; }; then
	echo "run-diff.sh: --update-pending needs the whole corpus" >&2
	exit 2
fi
: "${pending_file:=$corpus/PENDING}"
full_corpus=
if [ ${#files[@]} = 0 ]; then
	files=("$corpus"/*.cases)
	[ -z "$filter" ] && full_corpus=1
fi

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null ||
   ! command -v iptables-nft >/dev/null || ! command -v nft >/dev/null; then
	echo "1..0 # SKIP needs root, iproute2, iptables-nft and nft"
	exit 77
fi

# The subject: the same defaults as tests/lib/netns.bash.
: "${IPTABLES_BPF_BUILDDIR:=$(cd "$here/../../.." && pwd)}"
: "${IPTABLES:=$IPTABLES_BPF_BUILDDIR/iptables-bpf/iptables-bpf}"
: "${IP6TABLES:=$(dirname "$IPTABLES")/ip6tables-bpf}"
: "${IPTABLES_SAVE:=$(dirname "$IPTABLES")/iptables-bpf-save}"
: "${IPTABLES_RESTORE:=$(dirname "$IPTABLES")/iptables-bpf-restore}"
: "${IP6TABLES_SAVE:=$(dirname "$IPTABLES")/ip6tables-bpf-save}"
: "${IP6TABLES_RESTORE:=$(dirname "$IPTABLES")/ip6tables-bpf-restore}"
subject_env=(IPTABLES="$IPTABLES" IP6TABLES="$IP6TABLES"
	IPTABLES_SAVE="$IPTABLES_SAVE" IPTABLES_RESTORE="$IPTABLES_RESTORE"
	IP6TABLES_SAVE="$IP6TABLES_SAVE" IP6TABLES_RESTORE="$IP6TABLES_RESTORE")
oracle_env=(IPTABLES="$(command -v iptables-nft)"
	IP6TABLES="$(command -v ip6tables-nft)"
	IPTABLES_SAVE="$(command -v iptables-nft-save)"
	IPTABLES_RESTORE="$(command -v iptables-nft-restore)"
	IP6TABLES_SAVE="$(command -v ip6tables-nft-save)"
	IP6TABLES_RESTORE="$(command -v ip6tables-nft-restore)")

work=$(mktemp -d "${TMPDIR:-/tmp}/ipb-diff.XXXXXX") || exit 1
nsprefix=ipbd-$$
cleanup() {
	local ns
	for ns in $(ip netns list | awk -v p="$nsprefix-" \
			'index($1, p) == 1 { print $1 }'); do
		ip netns del "$ns"
	done
	grep -o " $work/[^ ]*bpffs " /proc/self/mounts | while read -r m; do
		umount "$m"
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Split the case files into $work/NNNN/case (the command lines, with their
# inline stdin blocks) and $work/index ("NNNN ID" lines).  A bad file is a
# bail-out, not a failed case: the corpus itself is broken.
awk -v work="$work" '
	function bail(msg) {
		printf "Bail out! %s:%d: %s\n", FILENAME, FNR, msg
		bad = 1; exit 1
	}
	FNR == 1 {
		stem = FILENAME
		sub(/.*\//, "", stem)
		sub(/\.cases$/, "", stem)
	}
	heredoc != "" {
		print > body
		if ($0 == heredoc) heredoc = ""
		next
	}
	/^[[:space:]]*(#|$)/ { next }
	$1 == "case" {
		if (NF != 2) bail("want: case NAME")
		id = stem ":" $2
		if (id in seen) bail("duplicate case " id)
		seen[id] = 1
		if (body != "") close(body)
		dir = sprintf("%s/%04d", work, ++n)
		system("mkdir -p " dir)
		body = dir "/case"
		printf "%04d %s\n", n, id > (work "/index")
		next
	}
	{
		if (body == "") bail("command before the first case line")
		if ($1 !~ /^(ip6?tables(-save|-restore)?|nft)$/)
			bail("unknown tool " $1)
		if ($0 ~ /[$`]/)
			bail("no expansions (\"$\" or \"`\") in a case line")
		sub(/^[[:space:]]+/, "")
		print > body
		if (match($0, /<<[[:space:]]*[A-Za-z_]+$/)) {
			heredoc = substr($0, RSTART + 2)
			sub(/^[[:space:]]+/, "", heredoc)
		}
	}
	END {
		if (bad) exit 1
		if (heredoc != "") { FNR = "end"; bail("unterminated <<" heredoc) }
	}' "${files[@]}" || exit 1

# Keep the cases the filter selects.
: >"$work/selected"
while read -r idx id; do
	if [ -z "$filter" ] || [[ $id =~ $filter ]]; then
		echo "$idx $id" >>"$work/selected"
	fi
done <"$work/index"

# run_case IDX: both sides of one case, concurrently, each in a namespace
# made for it and removed right after.  The subject also gets a bpffs of
# its own, so that no pin outlives the case.
run_case() {
	local idx=$1 dir=$work/$1 ns=$nsprefix-$1
	# A set-up or a side that fails (a broken case line, a missing tool)
	# is recorded in "error": the case fails whatever PENDING says.
	mkdir -p "$dir/oracle" "$dir/subject" "$dir/bpffs"
	{
		mount -t bpf bpf "$dir/bpffs" &&
		ip netns add "$ns-oracle" && ip -n "$ns-oracle" link set lo up &&
		ip netns add "$ns-subject" && ip -n "$ns-subject" link set lo up
	} 2>>"$dir/error" || { echo "set-up failed" >>"$dir/error"; return 1; }
	{ env "${oracle_env[@]}" ip netns exec "$ns-oracle" \
		bash "$here/side.sh" "$dir/case" "$dir/oracle" 2>>"$dir/error" ||
		echo "oracle side failed: $?" >>"$dir/error"; } &
	env "${subject_env[@]}" IPTABLES_BPF_PIN_ROOT="$dir/bpffs" \
		ip netns exec "$ns-subject" \
		bash "$here/side.sh" "$dir/case" "$dir/subject" 2>>"$dir/error" ||
		echo "subject side failed: $?" >>"$dir/error"
	wait
	ip netns del "$ns-oracle"
	ip netns del "$ns-subject"
	umount "$dir/bpffs" && rmdir "$dir/bpffs"
	cat "$dir"/oracle/* >"$dir/oracle.txt"
	cat "$dir"/subject/* >"$dir/subject.txt"
}

running=0
while read -r idx id; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	run_case "$idx" &
	running=$((running + 1))
done <"$work/selected"
wait

# The pending list: "ID REASON...", comments and blank lines ignored.
# An entry must say why, and a case id may appear once.
declare -A pending=()
if [ -n "$use_pending" ] && [ -f "$pending_file" ]; then
	while read -r id reason; do
		[[ -z $id || $id == \#* ]] && continue
		if [ -z "$reason" ] || [ -n "${pending[$id]+x}" ]; then
			echo "Bail out! $pending_file: $id: no reason, or twice"
			exit 1
		fi
		pending[$id]=$reason
	done <"$pending_file"
fi

# guess_reason IDX: a first draft of a PENDING reason for --update-pending,
# from the first step whose transcripts differ: the feature that command
# exercises.  A case whose commands all match but whose final state
# differs is a bug, not a missing feature: it is marked REVIEW.
guess_reason() {
	local f
	for f in "$work/$1"/oracle/* "$work/$1"/subject/*; do
		f=${f##*/}
		cmp -s "$work/$1/oracle/$f" "$work/$1/subject/$f" && continue
		if [[ $f == d* ]]; then
			printf 'REVIEW: commands match but the state differs (%s)\n' \
				"$(head -n1 "$work/$1/oracle/$f" | cut -c3-)"
			return
		fi
		head -n1 "$work/$1/oracle/$f" | awk '{
			what = ""; opt = $3
			if ($2 ~ /-save$/) what = "save"
			else if ($2 ~ /-restore$/) what = "restore"
			for (i = 3; i <= NF && what == ""; i++) {
				opt = $i
				if ($i ~ /^-([ACDIR]|-(append|check|delete|insert|replace))$/)
					what = "rule commands"
				else if ($i ~ /^-([LS]|-list|-list-rules|[nvx]+L)$/)
					what = "listing"
				else if ($i ~ /^-([FZNXPE]|-(flush|zero|policy))$/ ||
					 $i ~ /^--(new|delete|rename)-chain$/)
					what = "chain commands"
				else if ($i == "-h")
					what = "extension help"
			}
			if (what == "") { what = "option parsing"; opt = $3 }
			printf "not implemented yet: %s (%s%s)\n", what, $2,
				opt == "" ? "" : " " opt
		}'
		return
	done
}

# Entries naming no case would hide nothing but rot: only checked when the
# whole corpus runs, since a filter leaves most ids out.
stale=()
if [ -n "$full_corpus" ] && [ -z "$update" ]; then
	for id in "${!pending[@]}"; do
		cut -d' ' -f2- "$work/index" | grep -qxF -- "$id" ||
			stale+=("$id")
	done
fi

echo "1..$(($(wc -l <"$work/selected") + ${#stale[@]}))"
n=0 failed=0 new_pending=()
while read -r idx id; do
	n=$((n + 1))
	dir=$work/$idx
	if [ -s "$dir/error" ]; then
		echo "not ok $n - $id # the runner failed"
		sed 's/^/# /' "$dir/error"
		failed=$((failed + 1))
		continue
	fi
	if cmp -s "$dir/oracle.txt" "$dir/subject.txt" &&
	   [ -s "$dir/oracle.txt" ]; then
		if [ -n "${pending[$id]+x}" ]; then
			printf 'not ok %d - %s # matches now: remove it from %s\n' \
				"$n" "$id" "$(basename "$pending_file")"
			failed=$((failed + 1))
		else
			echo "ok $n - $id"
		fi
		continue
	fi
	if [ -n "$update" ]; then
		reason=${pending[$id]:-$(guess_reason "$idx")}
		new_pending+=("$id $reason")
	fi
	if [ -n "${pending[$id]+x}" ]; then
		echo "ok $n - $id # skip pending: ${pending[$id]}"
		continue
	fi
	echo "not ok $n - $id"
	diff -a -u --label "oracle (iptables-nft)" \
		--label "subject ($IPTABLES)" \
		"$dir/oracle.txt" "$dir/subject.txt" | sed 's/^/# /'
	failed=$((failed + 1))
done <"$work/selected"
for id in "${stale[@]}"; do
	echo "not ok $((++n)) - $(basename "$pending_file") names no case: $id"
	failed=$((failed + 1))
done

# Corpus size, as the oracle saw it: command lines and how many failed.
cat "$work"/[0-9]*/oracle/c* 2>/dev/null |
	awk '/^\[exit / { n++; if ($2 != "0]") e++ }
	     END { printf "# %d command lines, %d of them fail in the oracle\n",
			n, e }'
if [ -n "$keep" ]; then
	mkdir -p "$keep"
	while read -r idx id; do
		cp "$work/$idx/oracle.txt" "$keep/$id.oracle"
		cp "$work/$idx/subject.txt" "$keep/$id.subject"
	done <"$work/selected"
fi

if [ -n "$update" ]; then
	{
		sed -n '/^#/p' "$pending_file" 2>/dev/null
		printf '%s\n' "${new_pending[@]}"
	} >"$work/PENDING.new"
	mv "$work/PENDING.new" "$pending_file"
	echo "# wrote ${#new_pending[@]} entries to $pending_file"
fi
[ "$failed" = 0 ]
