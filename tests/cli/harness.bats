# SPDX-License-Identifier: GPL-2.0-or-later
#
# The shared helper cleans up: after a test ends, its namespaces, its bpffs
# mount and its pins are gone.

load ../lib/netns

@test "a test's namespaces, bpffs and pins are gone after it ends" {
	ipb_require_root
	command -v bpftool >/dev/null || skip "needs bpftool"
	local state
	state=$(mktemp)
	IPB_STATE_FILE=$state run bats --tap "$BATS_TEST_DIRNAME/fixtures/leave-state.bats"
	echo "$output"
	[ "$status" -eq 0 ]
	mapfile -t left <"$state"
	rm -f "$state"
	[ "${#left[@]}" -eq 3 ]

	# namespaces
	! ip netns list | grep -qw -- "${left[0]}" || return 1
	! ip netns list | grep -qw -- "${left[1]}" || return 1
	# bpffs: unmounted and its directory removed
	! grep -q " ${left[2]} " /proc/self/mounts || return 1
	[ ! -e "${left[2]}" ]
	# and the pinned map went with the mount: no map of that name remains
	! bpftool map show | grep -q ipb_leftover || return 1
}

@test "a namespace made by the helper really isolates: no host link in it" {
	ipb_require_root
	ipb_setup
	run in_ns ip -o link show
	ipb_teardown
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *" lo: "* ]]
}
