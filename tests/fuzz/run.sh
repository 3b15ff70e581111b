#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make fuzz-run: each fuzz target in turn (never two at once), for
# SECONDS seconds each:
#	run.sh SECONDS [TARGET...]
# Seeds are made afresh from the test corpora (seeds.py), the corpus each
# run grows is kept in tests/fuzz/corpus/TARGET/, findings (crash-*,
# leak-*, timeout-*, oom-*) land in tests/fuzz/artifacts/TARGET/, and
# each run's log in tests/fuzz/logs/TARGET.log.  Prints libFuzzer's
# closing statistics per target; exits 1 if any target found something.
# Extra libFuzzer flags may come in $FUZZ_FLAGS.
set -u

secs=${1:?usage: run.sh SECONDS [TARGET...]}
shift
targets=("${@:-restore cmdline compile}")
build=${IPTABLES_BPF_BUILDDIR:-$(pwd)}
src=${IPTABLES_BPF_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
fz=$build/tests/fuzz

python3 "$src/tests/fuzz/seeds.py" "$src" "$fz/seeds" || exit 1
found=0
for t in ${targets[*]}; do
	mkdir -p "$fz/corpus/$t" "$fz/artifacts/$t" "$fz/logs"
	log=$fz/logs/$t.log
	echo "fuzz: $t for ${secs}s (log: $log)"
	# -close_fd_mask=3: the targets print what the tools print
	# (listings, help, errors); sanitizer reports still get through
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:fast_unwind_on_malloc=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$src/tests/fuzz/lsan.supp:print_suppressions=0} \
	"$fz/fuzz-$t" -max_total_time="$secs" -timeout=20 -max_len=4096 \
		-rss_limit_mb=4096 -close_fd_mask=3 -print_final_stats=1 \
		-dict="$src/tests/fuzz/fuzz.dict" \
		-artifact_prefix="$fz/artifacts/$t/" ${FUZZ_FLAGS:-} \
		"$fz/corpus/$t" "$fz/seeds/$t" "$src/tests/fuzz/regress/$t" \
		>"$log" 2>&1
	rc=$?
	grep -E '^(stat::|Done|#[0-9]+.*DONE)' "$log" | sed "s/^/  $t: /"
	grep -E 'cov: [0-9]+' "$log" | tail -n 1 | sed "s/^/  $t: /"
	if [ "$rc" != 0 ]; then
		echo "  $t: FINDING (exit $rc): see $log and $fz/artifacts/$t/"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz:)' "$log" | head -n 5 |
			sed "s/^/  $t: /"
		found=1
	fi
done
exit $found
