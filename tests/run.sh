#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Runs test files (C test programs or .sh scripts printing TAP, or .bats
# files), keeps each
# one's output in tests/logs/, prints one line per file, then
#	tests: N passed, M failed[, K skipped]
# and exits 1 if anything failed.  A C program exiting 77 is skipped as a
# whole; one that exits non-zero without reporting a failed test point
# counts as one failure (a crash must never pass).
set -u

builddir=${IPTABLES_BPF_BUILDDIR:-$(pwd)}
logdir=$builddir/tests/logs
mkdir -p "$logdir"

passed=0 failed=0 skipped=0
failed_files=()

count_tap() {
	# prints "pass fail skip" for a TAP log
	awk '
		/^ok / { if ($0 ~ /# (skip|SKIP)/) s++; else p++; next }
		/^not ok / { if ($0 ~ /# (TODO|todo)/) p++; else f++; next }
		END { printf "%d %d %d\n", p, f, s }' "$1"
}

run_one() {
	local file=$1 name log rc
	name=${file#"$builddir"/}
	name=${name#"${IPTABLES_BPF_SRCDIR:-}"/}
	log=$logdir/$(echo "$name" | tr / _).log
	case "$file" in
	*.bats)
		bats --tap "$file" >"$log" 2>&1
		rc=$?
		;;
	*.sh)
		# a script printing TAP itself (tests/cli/diff/run-diff.sh)
		bash "$file" >"$log" 2>&1
		rc=$?
		;;
	*)
		"$file" >"$log" 2>&1
		rc=$?
		;;
	esac

	local p f s
	read -r p f s < <(count_tap "$log")
	if [ "$rc" = 77 ]; then
		s=$((s + 1))
	elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		echo "# $name exited $rc without a failed test point" >>"$log"
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	if [ "$f" != 0 ]; then
		failed_files+=("$log")
		printf 'FAIL %-40s %d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s"
	else
		printf 'ok   %-40s %d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s"
	fi
}

for t in "$@"; do
	run_one "$t"
done

for log in "${failed_files[@]}"; do
	echo "==== $log"
	grep -v '^ok ' "$log" | tail -n 60
done

line="tests: $passed passed, $failed failed"
[ "$skipped" != 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" = 0 ] && [ $((passed + failed)) -gt 0 ]
