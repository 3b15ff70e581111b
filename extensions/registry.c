// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The extensions that have translations of their own.  Every other
 * installed extension still works: the core writes it as a compat
 * expression and libxtables parses and prints it.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "extensions/ext.h"

extern const struct ipb_ext ipb_ext_NFLOG;
extern const struct ipb_ext ipb_ext_TRACE;
extern const struct ipb_ext ipb_ext_ah;
extern const struct ipb_ext ipb_ext_dscp;
extern const struct ipb_ext ipb_ext_dst;
extern const struct ipb_ext ipb_ext_ecn;
extern const struct ipb_ext ipb_ext_esp;
extern const struct ipb_ext ipb_ext_frag;
extern const struct ipb_ext ipb_ext_hbh;
extern const struct ipb_ext ipb_ext_hl;
extern const struct ipb_ext ipb_ext_icmp;
extern const struct ipb_ext ipb_ext_icmp6;
extern const struct ipb_ext ipb_ext_iprange;
extern const struct ipb_ext ipb_ext_ipv6header;
extern const struct ipb_ext ipb_ext_length;
extern const struct ipb_ext ipb_ext_comment;
extern const struct ipb_ext ipb_ext_conntrack;
extern const struct ipb_ext ipb_ext_connmark;
extern const struct ipb_ext ipb_ext_cpu;
extern const struct ipb_ext ipb_ext_devgroup;
extern const struct ipb_ext ipb_ext_helper;
extern const struct ipb_ext ipb_ext_limit;
extern const struct ipb_ext ipb_ext_mac;
extern const struct ipb_ext ipb_ext_mark;
extern const struct ipb_ext ipb_ext_multiport;
extern const struct ipb_ext ipb_ext_pkttype;
extern const struct ipb_ext ipb_ext_rt;
extern const struct ipb_ext ipb_ext_owner;
extern const struct ipb_ext ipb_ext_state;
extern const struct ipb_ext ipb_ext_statistic;
extern const struct ipb_ext ipb_ext_tcp;
extern const struct ipb_ext ipb_ext_tcpmss;
extern const struct ipb_ext ipb_ext_tos;
extern const struct ipb_ext ipb_ext_ttl;
extern const struct ipb_ext ipb_ext_udp;

static const struct ipb_ext *const registry[] = {
	&ipb_ext_NFLOG,
	&ipb_ext_TRACE,
	&ipb_ext_ah,
	&ipb_ext_dscp,
	&ipb_ext_dst,
	&ipb_ext_ecn,
	&ipb_ext_esp,
	&ipb_ext_frag,
	&ipb_ext_hbh,
	&ipb_ext_hl,
	&ipb_ext_icmp,
	&ipb_ext_icmp6,
	&ipb_ext_iprange,
	&ipb_ext_ipv6header,
	&ipb_ext_length,
	&ipb_ext_comment,
	&ipb_ext_conntrack,
	&ipb_ext_connmark,
	&ipb_ext_cpu,
	&ipb_ext_devgroup,
	&ipb_ext_helper,
	&ipb_ext_limit,
	&ipb_ext_mac,
	&ipb_ext_mark,
	&ipb_ext_multiport,
	&ipb_ext_pkttype,
	&ipb_ext_rt,
	&ipb_ext_owner,
	&ipb_ext_state,
	&ipb_ext_statistic,
	&ipb_ext_tcp,
	&ipb_ext_tcpmss,
	&ipb_ext_tos,
	&ipb_ext_ttl,
	&ipb_ext_udp,
};

#define NEXT (sizeof(registry) / sizeof(registry[0]))

const struct ipb_ext *ipb_ext_find(const char *name, bool is_target)
{
	size_t i;

	for (i = 0; i < NEXT; i++)
		if (registry[i]->is_target == is_target &&
		    !strcmp(registry[i]->name, name))
			return registry[i];
	return NULL;
}

int ipb_ext_from_nft_cmp(struct ipb_rule *rule, const struct ipb_nft_cmp *cmp)
{
	size_t i;
	int err;

	for (i = 0; i < NEXT; i++) {
		if (!registry[i]->from_nft_cmp)
			continue;
		err = registry[i]->from_nft_cmp(rule, cmp);
		if (err != -ENOENT)
			return err;
	}
	return -ENOENT;
}

const struct ipb_ext *ipb_ext_find_by_expr(const char *name)
{
	size_t i;

	for (i = 0; i < NEXT; i++)
		if (registry[i]->nft_expr_name &&
		    !strcmp(registry[i]->nft_expr_name, name))
			return registry[i];
	return NULL;
}
