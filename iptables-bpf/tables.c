// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <stddef.h>
#include <string.h>

#include <linux/netfilter.h>

#include "iptables-bpf/tables.h"

/* Priorities: NF_IP_PRI_* from linux/netfilter_ipv4.h (the same values for
 * IPv6), as iptables-nft uses them. */
/* In iptables-nft-save's order. */
static const struct ipb_builtin_table tables[] = {
	{
		.name = "mangle",
		.chains = {
			{ "PREROUTING", "filter", NF_INET_PRE_ROUTING, -150 },
			{ "INPUT", "filter", NF_INET_LOCAL_IN, -150 },
			{ "FORWARD", "filter", NF_INET_FORWARD, -150 },
			{ "OUTPUT", "route", NF_INET_LOCAL_OUT, -150 },
			{ "POSTROUTING", "filter", NF_INET_POST_ROUTING, -150 },
		},
		.nchains = 5,
	},
	{
		.name = "security",
		.chains = {
			{ "INPUT", "filter", NF_INET_LOCAL_IN, 150 },
			{ "FORWARD", "filter", NF_INET_FORWARD, 150 },
			{ "OUTPUT", "filter", NF_INET_LOCAL_OUT, 150 },
		},
		.nchains = 3,
	},
	{
		.name = "raw",
		.chains = {
			{ "PREROUTING", "filter", NF_INET_PRE_ROUTING, -300 },
			{ "OUTPUT", "filter", NF_INET_LOCAL_OUT, -300 },
		},
		.nchains = 2,
	},
	{
		.name = "filter",
		.chains = {
			{ "INPUT", "filter", NF_INET_LOCAL_IN, 0 },
			{ "FORWARD", "filter", NF_INET_FORWARD, 0 },
			{ "OUTPUT", "filter", NF_INET_LOCAL_OUT, 0 },
		},
		.nchains = 3,
	},
	{
		.name = "nat",
		.chains = {
			{ "PREROUTING", "nat", NF_INET_PRE_ROUTING, -100 },
			{ "INPUT", "nat", NF_INET_LOCAL_IN, 100 },
			{ "OUTPUT", "nat", NF_INET_LOCAL_OUT, -100 },
			{ "POSTROUTING", "nat", NF_INET_POST_ROUTING, 100 },
		},
		.nchains = 4,
	},
};

const struct ipb_builtin_table *ipb_builtin_table_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (!strcmp(tables[i].name, name))
			return &tables[i];
	return NULL;
}

const struct ipb_builtin_chain *
ipb_builtin_chain_find(const struct ipb_builtin_table *t, const char *name)
{
	unsigned int i;

	for (i = 0; i < t->nchains; i++)
		if (!strcmp(t->chains[i].name, name))
			return &t->chains[i];
	return NULL;
}

const struct ipb_builtin_table *ipb_builtin_table_at(unsigned int i)
{
	return i < sizeof(tables) / sizeof(tables[0]) ? &tables[i] : NULL;
}
