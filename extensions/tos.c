// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m tos, revision 1, a compat match in iptables-nft 1.8.9: tos_mt() of
 * xt_dscp.c, ((DS field & mask) == value) ^ invert, with the IPv4 TOS
 * byte or the IPv6 traffic class.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/netfilter/xt_dscp.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

static int tos_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **why)
{
	const struct xt_tos_match_info *info = (const void *)m->data;

	if (m->u.user.revision != 1) {
		*why = "tos match other than revision 1";
		return -EOPNOTSUPP;
	}
	ipb_xt_load_dsfield(p, BPF_REG_1);
	bpfgen_cmp_mask(p, BPF_REG_1, info->tos_mask, info->tos_value,
			info->invert);
	return 0;
}

const struct ipb_ext ipb_ext_tos = {
	.name = "tos",
	.to_bpf = tos_to_bpf,
};
