// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m statistic, an xt compat match: statistic_mt()
 * (net/netfilter/xt_statistic.c).  Random mode draws with
 * bpf_get_prandom_u32() where the kernel uses get_random_u32(): the
 * same probability, other draws.  Nth mode keeps one counter per rule
 * for all CPUs, as the kernel's shared atomic does (bpfgen/state.c);
 * it restarts at --packet when the table is recompiled.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter/xt_statistic.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

static int statistic_to_bpf(struct bpfgen_prog *p,
			    const struct ipb_rule *rule,
			    const struct xt_entry_match *m, const char **why)
{
	const struct xt_statistic_info *info = (const void *)m->data;
	bool inv = info->flags & XT_STATISTIC_INVERT;

	switch (info->mode) {
	case XT_STATISTIC_MODE_RANDOM:
		bpfgen_match_random(p, info->u.random.probability, inv);
		return 0;
	case XT_STATISTIC_MODE_NTH:
		/* statistic_mt_check() starts the counter at .count */
		if (info->u.nth.count > info->u.nth.every) {
			*why = "statistic --packet beyond --every";
			return -EOPNOTSUPP;
		}
		bpfgen_match_nth(p, ipb_ext_state_key(rule, m),
				 info->u.nth.every, info->u.nth.count, inv);
		return 0;
	default:
		*why = "statistic match of unknown mode";
		return -EOPNOTSUPP;
	}
}

const struct ipb_ext ipb_ext_statistic = {
	.name = "statistic",
	.to_bpf = statistic_to_bpf,
};
