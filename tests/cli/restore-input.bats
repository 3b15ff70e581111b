# SPDX-License-Identifier: GPL-2.0-or-later
#
# Restore input that is not plain text, found by fuzzing (tests/fuzz/):
# iptables-restore reads it line by line with fgets(), so a NUL byte ends
# its line, never the whole input.  The same suite runs against
# iptables-nft-restore as the oracle ($IPTABLES_RESTORE).

load ../lib/netns

setup() { ipb_setup; }
teardown() { ipb_teardown; }

@test "restore: a NUL byte does not hide the lines after it" {
	printf '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n\0*filter\n-A INPUT -s 10.0.0.1 -j DROP\nCOMMIT\n' \
		>"$BATS_TEST_TMPDIR/in"
	run in_ns "$IPTABLES_RESTORE" <"$BATS_TEST_TMPDIR/in"
	[ "$status" -eq 1 ]
	[[ "$output" == *": line "*" failed" ]]
	# the table after the NUL is refused, not skipped (what comes
	# before it: iptables-bpf-restore applies nothing of a failed input,
	# iptables-nft-restore commits each table at its COMMIT)
	run in_ns "$IPTABLES" -S INPUT
	[ "$status" -eq 0 ]
	[[ "$output" != *"10.0.0.1"* ]]
}

@test "restore: a NUL byte inside a line ends only that line" {
	printf '*filter\n-A INPUT -s 10.0.0.1 -j DROP\0 trailing garbage\nCOMMIT\n' \
		>"$BATS_TEST_TMPDIR/in"
	run in_ns "$IPTABLES_RESTORE" <"$BATS_TEST_TMPDIR/in"
	[ "$status" -eq 0 ]
	run in_ns "$IPTABLES" -S INPUT
	[ "${lines[1]}" = "-A INPUT -s 10.0.0.1/32 -j DROP" ]
}

@test "restore: carriage returns and form feeds are text, not white space" {
	printf '*filter\n-A INPUT -j ACCEPT\r\nCOMMIT\n' >"$BATS_TEST_TMPDIR/in"
	run in_ns "$IPTABLES_RESTORE" --test <"$BATS_TEST_TMPDIR/in"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == *"Invalid target name \`ACCEPT"* ]]
	printf '*filter\n-A INPUT\f-j ACCEPT\nCOMMIT\n' >"$BATS_TEST_TMPDIR/in"
	run in_ns "$IPTABLES_RESTORE" --test <"$BATS_TEST_TMPDIR/in"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "Bad argument \`ACCEPT'" ]
}

@test "restore: an argument of 1024 characters is too long" {
	printf '*filter\n-A INPUT -m comment --comment %s -j ACCEPT\nCOMMIT\n' \
		"$(printf 'x%.0s' {1..1024})" >"$BATS_TEST_TMPDIR/in"
	run in_ns "$IPTABLES_RESTORE" --test <"$BATS_TEST_TMPDIR/in"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == *": Parameter too long!" ]]
}
