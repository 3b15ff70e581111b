// SPDX-License-Identifier: GPL-2.0-or-later
/* -m mark (revision 1): meta mark, masked, compared. */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/xt_mark.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

static bool mark_nft_is_native(const struct ipb_rule *rule,
			       const struct xt_entry_match *m)
{
	return m->u.user.revision == 1;
}

static int mark_to_nft(struct nftnl_rule *r, const struct ipb_rule *rule,
		       const struct xt_entry_match *m, const char **errmsg)
{
	const struct xt_mark_mtinfo1 *info = (const void *)m->data;
	uint32_t zero = 0;
	int err;

	err = ipb_nft_add_meta(r, NFT_META_MARK);
	if (!err && info->mask != 0xffffffff)
		err = ipb_nft_add_bitwise(r, &info->mask, &zero, 4);
	if (!err)
		err = ipb_nft_add_cmp(r, info->invert ? NFT_CMP_NEQ :
							NFT_CMP_EQ,
				      &info->mark, 4);
	return err;
}

static int mark_from_nft_cmp(struct ipb_rule *rule,
			     const struct ipb_nft_cmp *c)
{
	const struct ipb_nft_load *l = c->load;
	struct xt_mark_mtinfo1 *info;
	void *data;
	int err;

	if (l->kind != IPB_LOAD_META || l->key != NFT_META_MARK ||
	    c->is_range || c->len != 4 ||
	    (c->op != NFT_CMP_EQ && c->op != NFT_CMP_NEQ))
		return -ENOENT;
	err = ipb_ext_match_add(rule, "mark", &data);
	if (err)
		return err;
	info = data;
	memcpy(&info->mark, c->data, 4);
	if (l->has_bitwise)
		memcpy(&info->mask, l->mask, 4);
	else
		info->mask = 0xffffffff;
	info->invert = c->op == NFT_CMP_NEQ;
	return 0;
}

/* nft's meta mark, masked, compared: for revision 1, native or not, the
 * same test on skb->mark. */
static int mark_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		       const struct xt_entry_match *m, const char **why)
{
	const struct xt_mark_mtinfo1 *info = (const void *)m->data;

	if (m->u.user.revision != 1) {
		*why = "mark match revision 0";
		return -EOPNOTSUPP;
	}
	bpfgen_load_meta(p, BPF_REG_1, BPFGEN_META_MARK);
	bpfgen_cmp_mask(p, BPF_REG_1, info->mask, info->mark, info->invert);
	return 0;
}

const struct ipb_ext ipb_ext_mark = {
	.name = "mark",
	.nft_is_native = mark_nft_is_native,
	.to_nft = mark_to_nft,
	.from_nft_cmp = mark_from_nft_cmp,
	.to_bpf = mark_to_bpf,
};
