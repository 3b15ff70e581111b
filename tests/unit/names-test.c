// SPDX-License-Identifier: GPL-2.0-or-later
/* argv[0] → tool and family. */
#include <net/if.h> /* before linux/: see rule.h */
#include <errno.h>

#include <linux/netfilter.h>

#include "iptables-bpf/names.h"
#include "tests/lib/ipb_test.h"

IPB_TEST_STATE_DEFINE;

static const struct {
	const char *argv0;
	enum ipb_tool tool;
	int family;
	const char *basename;
} cases[] = {
	{ "iptables-bpf", IPB_TOOL_IPTABLES, NFPROTO_IPV4, "iptables" },
	{ "/usr/sbin/ip6tables-bpf", IPB_TOOL_IPTABLES, NFPROTO_IPV6, "ip6tables" },
	{ "iptables-bpf-save", IPB_TOOL_SAVE, NFPROTO_IPV4, "iptables" },
	{ "./ip6tables-bpf-save", IPB_TOOL_SAVE, NFPROTO_IPV6, "ip6tables" },
	{ "iptables-bpf-restore", IPB_TOOL_RESTORE, NFPROTO_IPV4, "iptables" },
	{ "ip6tables-bpf-restore", IPB_TOOL_RESTORE, NFPROTO_IPV6, "ip6tables" },
	{ "/sbin/iptables", IPB_TOOL_IPTABLES, NFPROTO_IPV4, "iptables" },
	{ "ip6tables-restore", IPB_TOOL_RESTORE, NFPROTO_IPV6, "ip6tables" },
	{ "iptables-bpf-status", IPB_TOOL_STATUS, NFPROTO_IPV4, "iptables" },
	{ "/usr/sbin/ip6tables-bpf-status", IPB_TOOL_STATUS, NFPROTO_IPV6,
	  "ip6tables" },
};

static void test_names(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ipb_invocation inv;

		if (!ASSERT_OK(ipb_invocation_from_argv0(&inv, cases[i].argv0),
			       cases[i].argv0))
			continue;
		ASSERT_EQ(inv.tool, cases[i].tool, cases[i].argv0);
		ASSERT_EQ(inv.family, cases[i].family, cases[i].argv0);
		ASSERT_STREQ(inv.basename, cases[i].basename, cases[i].argv0);
	}
}

static void test_empty_name_refused(void)
{
	struct ipb_invocation inv;

	ASSERT_EQ(ipb_invocation_from_argv0(&inv, "/usr/sbin/"), -EINVAL,
		  "trailing slash");
}

int main(void)
{
	RUN_TEST(test_names);
	RUN_TEST(test_empty_name_refused);
	return ipb_test_done();
}
