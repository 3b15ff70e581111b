// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m connmark (revision 1), an xt compat match: connmark_mt()
 * (net/netfilter/xt_connmark.c) is false without a conntrack entry,
 * whatever --mark's "!", else ((ct->mark & mask) == mark) ^ invert.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter/xt_connmark.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

static int connmark_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			   const struct xt_entry_match *m, const char **why)
{
	const struct xt_connmark_mtinfo1 *info = (const void *)m->data;

	if (m->u.user.revision != 1) {
		*why = "connmark match revision 0";
		return -EOPNOTSUPP;
	}
	bpfgen_load_ct(p, BPF_REG_1, BPFGEN_CT_MARK, -1);
	bpfgen_cmp_mask(p, BPF_REG_1, info->mask, info->mark, info->invert);
	return 0;
}

const struct ipb_ext ipb_ext_connmark = {
	.name = "connmark",
	.to_bpf = connmark_to_bpf,
};
