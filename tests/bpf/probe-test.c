// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel under test loads BPF_PROG_TYPE_NETFILTER programs and runs
 * them with BPF_PROG_TEST_RUN: everything else in tests/bpf builds on it.
 */
#include <errno.h>
#include <unistd.h>

#include <linux/netfilter.h>

#include "bpfgen/bpfgen.h"
#include "tests/lib/ipb_test.h"

IPB_TEST_STATE_DEFINE;

static void test_probe_netfilter(void)
{
	int ret = bpfgen_probe_netfilter();

	ASSERT_EQ(ret, 1, "kernel loads BPF_PROG_TYPE_NETFILTER");
}

int main(void)
{
	if (geteuid() != 0) {
		printf("1..0 # skip needs root (CAP_BPF)\n");
		return IPB_TEST_SKIP;
	}
	RUN_TEST(test_probe_netfilter);
	return ipb_test_done();
}
