// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Expression builders shared by the core encoder and the extensions.  The
 * shapes are iptables-nft 1.8.9's: every load goes to register 1, compat
 * expressions carry the x_tables data as they are.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/x_tables.h>

#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "extensions/ext.h"

static struct nftnl_expr *expr_new(struct nftnl_rule *r, const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (e)
		nftnl_rule_add_expr(r, e);
	return e;
}

int ipb_nft_add_meta(struct nftnl_rule *r, uint32_t key)
{
	struct nftnl_expr *e = expr_new(r, "meta");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	return 0;
}

int ipb_nft_add_payload(struct nftnl_rule *r, uint32_t base, uint32_t offset,
			uint32_t len)
{
	struct nftnl_expr *e = expr_new(r, "payload");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	return 0;
}

int ipb_nft_add_bitwise(struct nftnl_rule *r, const void *mask,
			const void *xor, uint32_t len)
{
	struct nftnl_expr *e = expr_new(r, "bitwise");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, xor, len);
	return 0;
}

int ipb_nft_add_cmp(struct nftnl_rule *r, uint32_t op, const void *data,
		    uint32_t len)
{
	struct nftnl_expr *e = expr_new(r, "cmp");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	return 0;
}

int ipb_nft_add_range(struct nftnl_rule *r, uint32_t op, const void *from,
		      const void *to, uint32_t len)
{
	struct nftnl_expr *e = expr_new(r, "range");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_FROM_DATA, from, len);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_TO_DATA, to, len);
	return 0;
}

/* A zero-length info still needs a pointer libnftnl can free. */
static void *info_copy(const void *data, size_t len)
{
	void *p = calloc(1, len ? len : 1);

	if (p && len)
		memcpy(p, data, len);
	return p;
}

int ipb_nft_add_compat_match(struct nftnl_rule *r,
			     const struct xt_entry_match *m)
{
	size_t len = m->u.match_size - sizeof(*m);
	struct nftnl_expr *e;
	void *info;

	/* libnftnl keeps (and later frees) the info pointer it is given
	 * rather than copying it: hand it a copy of its own. */
	info = info_copy(m->data, len);
	if (!info)
		return -ENOMEM;
	e = expr_new(r, "match");
	if (!e) {
		free(info);
		return -ENOMEM;
	}
	nftnl_expr_set_str(e, NFTNL_EXPR_MT_NAME, m->u.user.name);
	nftnl_expr_set_u32(e, NFTNL_EXPR_MT_REV, m->u.user.revision);
	nftnl_expr_set(e, NFTNL_EXPR_MT_INFO, info, len);
	return 0;
}

int ipb_nft_add_compat_target(struct nftnl_rule *r,
			      const struct xt_entry_target *t)
{
	size_t len = t->u.target_size - sizeof(*t);
	struct nftnl_expr *e;
	void *info;

	info = info_copy(t->data, len);
	if (!info)
		return -ENOMEM;
	e = expr_new(r, "target");
	if (!e) {
		free(info);
		return -ENOMEM;
	}
	nftnl_expr_set_str(e, NFTNL_EXPR_TG_NAME, t->u.user.name);
	nftnl_expr_set_u32(e, NFTNL_EXPR_TG_REV, t->u.user.revision);
	nftnl_expr_set(e, NFTNL_EXPR_TG_INFO, info, len);
	return 0;
}
