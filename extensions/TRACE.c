// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -j TRACE: iptables-nft 1.8.9 writes "meta nftrace set 1" (an immediate
 * 1 into register 9, then meta set).  It cannot run in BPF.
 */
#include <errno.h>
#include <stdio.h>

#include <linux/netfilter/nf_tables.h>

#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "extensions/ext.h"

static int trace_to_nft(struct nftnl_rule *r, const struct ipb_rule *rule,
			const struct xt_entry_target *t)
{
	struct nftnl_expr *imm = nftnl_expr_alloc("immediate");
	struct nftnl_expr *meta = nftnl_expr_alloc("meta");

	if (!imm || !meta) {
		nftnl_expr_free(imm);
		nftnl_expr_free(meta);
		return -ENOMEM;
	}
	nftnl_expr_set_u32(imm, NFTNL_EXPR_IMM_DREG, NFT_REG32_01);
	nftnl_expr_set_u8(imm, NFTNL_EXPR_IMM_DATA, 1);
	nftnl_rule_add_expr(r, imm);
	nftnl_expr_set_u32(meta, NFTNL_EXPR_META_KEY, NFT_META_NFTRACE);
	nftnl_expr_set_u32(meta, NFTNL_EXPR_META_SREG, NFT_REG32_01);
	nftnl_rule_add_expr(r, meta);
	return 0;
}

/* The decoder hands us "meta set" expressions (ext.h); the immediate
 * before it is checked there. */
static int trace_from_nft_expr(struct ipb_rule *rule,
			       const struct nftnl_expr *e)
{
	void *data;

	if (!nftnl_expr_is_set(e, NFTNL_EXPR_META_SREG) ||
	    nftnl_expr_get_u32(e, NFTNL_EXPR_META_KEY) != NFT_META_NFTRACE)
		return -EOPNOTSUPP;
	return ipb_ext_target_set(rule, "TRACE", &data);
}

const struct ipb_ext ipb_ext_TRACE = {
	.name = "TRACE",
	.is_target = true,
	.tg_to_nft = trace_to_nft,
	.nft_expr_name = "meta",
	.from_nft_expr = trace_from_nft_expr,
};
