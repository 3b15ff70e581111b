// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m dscp, a compat match in iptables-nft 1.8.9: dscp_mt() and
 * dscp_mt6() of xt_dscp.c, (DS field >> 2 == dscp) ^ invert.
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

static int dscp_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		       const struct xt_entry_match *m, const char **why)
{
	const struct xt_dscp_info *info = (const void *)m->data;

	ipb_xt_load_dsfield(p, BPF_REG_1);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_RSH, BPF_REG_1, XT_DSCP_SHIFT));
	bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, info->dscp, 1,
		       info->invert);
	return 0;
}

const struct ipb_ext ipb_ext_dscp = {
	.name = "dscp",
	.to_bpf = dscp_to_bpf,
};
