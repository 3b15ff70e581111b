// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which tool argv[0] names.  The binary is installed as iptables-bpf,
 * ip6tables-bpf, their -save/-restore variants and the -status view;
 * administrators may also link it as plain "iptables"
 * (update-alternatives), so any name that
 * contains "ip6tables" selects IPv6 and a "-save"/"-restore"/"-status"
 * suffix selects that tool, whatever else the name holds.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter.h>

#include "iptables-bpf/names.h"

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int ipb_invocation_from_argv0(struct ipb_invocation *inv, const char *argv0)
{
	const char *name = strrchr(argv0, '/');

	name = name ? name + 1 : argv0;
	if (!*name)
		return -EINVAL;

	inv->progname = name;
	inv->family = strstr(name, "ip6tables") ? NFPROTO_IPV6 : NFPROTO_IPV4;
	inv->basename = inv->family == NFPROTO_IPV6 ? "ip6tables" : "iptables";
	if (has_suffix(name, "-save"))
		inv->tool = IPB_TOOL_SAVE;
	else if (has_suffix(name, "-restore"))
		inv->tool = IPB_TOOL_RESTORE;
	else if (has_suffix(name, "-status"))
		inv->tool = IPB_TOOL_STATUS;
	else
		inv->tool = IPB_TOOL_IPTABLES;
	return 0;
}
