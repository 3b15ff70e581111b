# SPDX-License-Identifier: GPL-2.0-or-later
#
# The differential runner (diff/run-diff.sh) is sound: with iptables-nft
# as the subject every case matches, and a subject that differs in only
# one thing (stdout, stderr, exit code, the state left behind) fails.
# PENDING skips what it lists, fails what it lists but matches, and fails
# on ids naming no case.

RUN_DIFF=$BATS_TEST_DIRNAME/diff/run-diff.sh
FIXTURE=$BATS_TEST_DIRNAME/fixtures/diff

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	command -v iptables-nft >/dev/null || skip "needs iptables-nft"
	bin=$BATS_TEST_TMPDIR/bin
	mkdir -p "$bin"
}

# oracle_as_subject: the subject's six names all point at iptables-nft.
oracle_as_subject() {
	export IPTABLES=$(command -v iptables-nft)
	export IP6TABLES=$(command -v ip6tables-nft)
	export IPTABLES_SAVE=$(command -v iptables-nft-save)
	export IPTABLES_RESTORE=$(command -v iptables-nft-restore)
	export IP6TABLES_SAVE=$(command -v ip6tables-nft-save)
	export IP6TABLES_RESTORE=$(command -v ip6tables-nft-restore)
}

# wrap BODY: make $IPTABLES a script running BODY, where "$@" are the
# arguments; the other names stay iptables-nft's.
wrap() {
	oracle_as_subject
	printf '#!/bin/bash\n%s\n' "$1" >"$bin/iptables"
	chmod +x "$bin/iptables"
	export IPTABLES=$bin/iptables
}

@test "iptables-nft as the subject matches itself on a slice of the corpus" {
	oracle_as_subject
	# one or two cases per topic, with listings, errors and restore input
	local slice=(commands:list commands:insert commands:delete-by-number
		commands:zero-with-list addresses:list-cross-product
		restore:counters restore:error-late-line save:one-table
		ipv6:nat6 targets-nat:dnat match-misc:bpf-bytecode
		errors:missing-chains)
	local IFS='|'
	run bash "$RUN_DIFF" --no-pending --filter "^(${slice[*]})\$"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^ok ' <<<"$output")" -eq 12 ]
	! grep -q '^not ok\|# skip' <<<"$output" || return 1
}

@test "the fixture corpus matches with iptables-nft as the subject" {
	oracle_as_subject
	run bash "$RUN_DIFF" --dir "$FIXTURE" --no-pending
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^ok ' <<<"$output")" -eq 3 ]
}

@test "one more line on stdout fails the case, with a diff" {
	wrap 'iptables-nft "$@"; rc=$?; [ "$1" = -S ] && echo extra; exit $rc'
	run bash "$RUN_DIFF" --dir "$FIXTURE" --no-pending
	echo "$output"
	[ "$status" -ne 0 ]
	grep -q '^not ok 1 - selfcheck:append-and-list$' <<<"$output"
	grep -q '^# +extra$' <<<"$output"
	grep -q '^ok 2 - selfcheck:error$' <<<"$output"
}

@test "a different exit code alone fails the case" {
	wrap 'iptables-nft "$@"; [ "$1" = -D ] && exit 4; exit 0'
	run bash "$RUN_DIFF" --dir "$FIXTURE" --no-pending
	echo "$output"
	[ "$status" -ne 0 ]
	grep -q '^not ok 2 - selfcheck:error$' <<<"$output"
	grep -q '^# +\[exit 4\]$' <<<"$output"
}

@test "a different stderr alone fails the case" {
	wrap 'iptables-nft "$@"; rc=$?; echo "iptables: warning" >&2; exit $rc'
	run bash "$RUN_DIFF" --dir "$FIXTURE" --no-pending --filter error
	echo "$output"
	[ "$status" -ne 0 ]
	grep -q '^# +stderr: iptables: warning$' <<<"$output"
}

@test "a different state alone fails the case" {
	# same stdout, stderr and exit codes, but one rule more in the kernel
	wrap 'iptables-nft "$@"; rc=$?; [ "$1" = -A ] && iptables-nft -A OUTPUT -j ACCEPT; exit $rc'
	run bash "$RUN_DIFF" --dir "$FIXTURE" --no-pending --filter append
	echo "$output"
	[ "$status" -ne 0 ]
	grep -q '^# +-A OUTPUT -j ACCEPT$' <<<"$output"
	grep -q '^# +.*counter packets 0 bytes 0 accept$' <<<"$output"
}

@test "only the iptables-bpf version suffix and a dormant table are normalised" {
	wrap '[ "$1" = -V ] && { echo "iptables v1.8.9 (nf_tables) iptables-bpf 0.1.0"; exit 0; }
iptables-nft "$@"; rc=$?
[ "$1" = -A ] && nft add table ip filter "{ flags dormant; }"
exit $rc'
	run bash "$RUN_DIFF" --dir "$FIXTURE" --no-pending
	echo "$output"
	[ "$status" -eq 0 ]

	wrap '[ "$1" = -V ] && { echo "iptables v1.8.8 (nf_tables)"; exit 0; }
exec iptables-nft "$@"'
	run bash "$RUN_DIFF" --dir "$FIXTURE" --no-pending --filter version
	echo "$output"
	[ "$status" -ne 0 ]
	grep -q '^# +iptables v1.8.8 (nf_tables)$' <<<"$output"
}

@test "rule handles are not compared, the expressions are" {
	# a chain made and removed first shifts every later handle
	wrap '[ "$1" = -A ] && { iptables-nft -N tmp; iptables-nft -X tmp; }
exec iptables-nft "$@"'
	run bash "$RUN_DIFF" --dir "$FIXTURE" --no-pending --filter append
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q '^ok 1 - selfcheck:append-and-list$' <<<"$output"
}

@test "PENDING: listed and differing skips, listed and matching fails, unknown id fails" {
	wrap 'iptables-nft "$@"; [ "$1" = -D ] && exit 4; exit 0'
	run bash "$RUN_DIFF" --dir "$FIXTURE"
	echo "$output"
	[ "$status" -ne 0 ]
	grep -q '^ok 1 - selfcheck:append-and-list$' <<<"$output"
	grep -q '^ok 2 - selfcheck:error # skip pending: the wrapper under test breaks it$' <<<"$output"
	grep -q '^not ok 3 - selfcheck:version # matches now: remove it from PENDING$' <<<"$output"
	grep -q '^not ok 4 - PENDING names no case: selfcheck:gone$' <<<"$output"
	grep -q '^1\.\.4$' <<<"$output"
}

@test "--update-pending lists exactly the differing cases, keeping known reasons" {
	cp "$FIXTURE"/* "$BATS_TEST_TMPDIR/"
	wrap 'iptables-nft "$@"; rc=$?; [ "$1" = -S ] && echo extra; [ "$1" = -D ] && exit 4; exit $rc'
	run bash "$RUN_DIFF" --dir "$BATS_TEST_TMPDIR" --update-pending
	echo "$output"
	run grep -v '^#' "$BATS_TEST_TMPDIR/PENDING"
	echo "$output"
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == "selfcheck:append-and-list not implemented yet: listing (iptables -S)" ]]
	[ "${lines[1]}" = "selfcheck:error the wrapper under test breaks it" ]
}

@test "a broken corpus bails out instead of running" {
	printf 'case a\niptables -A INPUT -s $(echo 1.2.3.4)\n' >"$BATS_TEST_TMPDIR/bad.cases"
	oracle_as_subject
	run bash "$RUN_DIFF" --no-pending "$BATS_TEST_TMPDIR/bad.cases"
	echo "$output"
	[ "$status" -ne 0 ]
	grep -q '^Bail out! .*bad.cases:2: no expansions' <<<"$output"

	# a line that is not shell words (a redirection) fails the case even
	# when PENDING lists it
	printf 'case b\niptables -S >/tmp/x\n' >"$BATS_TEST_TMPDIR/bad.cases"
	printf 'bad:b listed\n' >"$BATS_TEST_TMPDIR/PENDING"
	run bash "$RUN_DIFF" --pending "$BATS_TEST_TMPDIR/PENDING" "$BATS_TEST_TMPDIR/bad.cases"
	echo "$output"
	[ "$status" -ne 0 ]
	grep -q '^not ok 1 - bad:b # the runner failed$' <<<"$output"
}

@test "every case file is in diff_cases, so that make dist ships it" {
	local f
	for f in "$BATS_TEST_DIRNAME"/diff/*.cases; do
		grep -q "tests/cli/diff/${f##*/} " "$BATS_TEST_DIRNAME/../Makemodule.am"
	done
}
