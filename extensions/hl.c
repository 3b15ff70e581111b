// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m hl (IPv6), a compat match in iptables-nft 1.8.9: hl_mt6() of
 * xt_hl.c compares the hop limit for equal, not equal, less or greater;
 * any other mode never matches.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/netfilter_ipv6/ip6t_hl.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

#define IP6_HOPLIMIT 7

static int hl_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		     const struct xt_entry_match *m, const char **why)
{
	const struct ip6t_hl_info *info = (const void *)m->data;

	bpfgen_load_l3(p, BPF_REG_1, IP6_HOPLIMIT, 1);
	return ipb_xt_hl_cmp(p, BPF_REG_1, info->mode, info->hop_limit);
}

const struct ipb_ext ipb_ext_hl = {
	.name = "hl",
	.to_bpf = hl_to_bpf,
};
