// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m devgroup: devgroup_mt() (net/netfilter/xt_devgroup.c) compares the
 * masked group of the input and output devices.  Its checkentry keeps
 * --src-group to hooks with an input device and --dst-group to hooks
 * with an output device; under BPF_PROG_TEST_RUN, where there is none,
 * the group reads as 0.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter/xt_devgroup.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

static int devgroup_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			   const struct xt_entry_match *m, const char **why)
{
	const struct xt_devgroup_info *info = (const void *)m->data;

	if (info->flags & XT_DEVGROUP_MATCH_SRC) {
		bpfgen_load_dev_group(p, BPF_REG_1, false);
		bpfgen_cmp_mask(p, BPF_REG_1, info->src_mask,
				info->src_group & info->src_mask,
				info->flags & XT_DEVGROUP_INVERT_SRC);
	}
	if (info->flags & XT_DEVGROUP_MATCH_DST) {
		bpfgen_load_dev_group(p, BPF_REG_1, true);
		bpfgen_cmp_mask(p, BPF_REG_1, info->dst_mask,
				info->dst_group & info->dst_mask,
				info->flags & XT_DEVGROUP_INVERT_DST);
	}
	return 0;
}

const struct ipb_ext ipb_ext_devgroup = {
	.name = "devgroup",
	.to_bpf = devgroup_to_bpf,
};
