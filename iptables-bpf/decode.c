// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nf_tables expressions → IR: the reverse of encode.c.  A small machine
 * tracks what the (only) register holds; each cmp or range on it is taken
 * by the core fields (interfaces, protocol, addresses, fragment) or
 * offered to the extensions (ext.h from_nft_cmp).
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/ip.h>
#include <netinet/ip6.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <xtables.h>

#include "extensions/ext.h"
#include "iptables-bpf/decode.h"
#include "iptables-bpf/rule.h"

struct decoder {
	struct ipb_rule *rule;
	struct ipb_nft_load load;
	bool has_verdict;
	bool imm_one;
};

/*
 * The name a compare is for; true for "! -i +", which iptables writes
 * as equality with the impossible name "INVAL/D" (encode.c) and reads
 * back as the inverted wildcard.
 */
static bool iface_from_cmp(char *name, const struct ipb_nft_cmp *c)
{
	static const char impossible[] = "INVAL/D";
	size_t len = c->len < IFNAMSIZ ? c->len : IFNAMSIZ - 1;

	memset(name, 0, IFNAMSIZ);
	if (c->op == NFT_CMP_EQ && c->len == sizeof(impossible) &&
	    !memcmp(c->data, impossible, sizeof(impossible))) {
		name[0] = '+';
		return true;
	}
	memcpy(name, c->data, len);
	/* written without its NUL: a '+' wildcard */
	if (len && c->data[len - 1] != '\0' && len < IFNAMSIZ - 1)
		name[len] = '+';
	return false;
}

static void mask_from_load(union nf_inet_addr *mask,
			   const struct ipb_nft_load *l, size_t alen)
{
	memset(mask, 0, sizeof(*mask));
	if (l->has_bitwise)
		memcpy(mask, l->mask, alen);
	else
		memset(mask, 0xff, l->len < alen ? l->len : alen);
}

static int core_network_cmp(struct decoder *d, const struct ipb_nft_cmp *c)
{
	struct ipb_rule *r = d->rule;
	bool v6 = r->family == NFPROTO_IPV6;
	size_t alen = ipb_addr_len(r->family);
	uint32_t soff = v6 ? offsetof(struct ip6_hdr, ip6_src) :
			     offsetof(struct iphdr, saddr);
	uint32_t doff = v6 ? offsetof(struct ip6_hdr, ip6_dst) :
			     offsetof(struct iphdr, daddr);
	bool neq = c->op == NFT_CMP_NEQ;

	if (c->is_range || (c->op != NFT_CMP_EQ && !neq) || c->len > alen)
		return -ENOENT;
	if (c->load->offset == soff) {
		memset(&r->src, 0, sizeof(r->src));
		memcpy(&r->src, c->data, c->len);
		mask_from_load(&r->smsk, c->load, alen);
		if (neq)
			r->invflags |= IPB_INV_SRC;
		return 0;
	}
	if (c->load->offset == doff) {
		memset(&r->dst, 0, sizeof(r->dst));
		memcpy(&r->dst, c->data, c->len);
		mask_from_load(&r->dmsk, c->load, alen);
		if (neq)
			r->invflags |= IPB_INV_DST;
		return 0;
	}
	if (!v6 && c->load->offset == offsetof(struct iphdr, frag_off) &&
	    c->load->len == 2 && c->load->has_bitwise) {
		r->frag = true;
		if (c->op == NFT_CMP_EQ)
			r->invflags |= IPB_INV_FRAG;
		return 0;
	}
	return -ENOENT;
}

static int core_meta_cmp(struct decoder *d, const struct ipb_nft_cmp *c)
{
	struct ipb_rule *r = d->rule;
	bool neq = c->op == NFT_CMP_NEQ;

	if (c->is_range || (c->op != NFT_CMP_EQ && !neq) ||
	    c->load->has_bitwise)
		return -ENOENT;
	switch (c->load->key) {
	case NFT_META_IIFNAME:
		if (iface_from_cmp(r->iniface, c) || neq)
			r->invflags |= IPB_INV_IN;
		return 0;
	case NFT_META_OIFNAME:
		if (iface_from_cmp(r->outiface, c) || neq)
			r->invflags |= IPB_INV_OUT;
		return 0;
	case NFT_META_L4PROTO:
		if (c->len != 1)
			return -ENOENT;
		r->proto = c->data[0];
		if (neq)
			r->invflags |= IPB_INV_PROTO;
		return 0;
	default:
		return -ENOENT;
	}
}

static int take_cmp(struct decoder *d, const struct ipb_nft_cmp *c)
{
	int err = -ENOENT;

	if (c->load->kind == IPB_LOAD_META)
		err = core_meta_cmp(d, c);
	else if (c->load->kind == IPB_LOAD_PAYLOAD &&
		 c->load->base == NFT_PAYLOAD_NETWORK_HEADER)
		err = core_network_cmp(d, c);
	else if (c->load->kind == IPB_LOAD_NONE)
		return -EOPNOTSUPP;
	if (err == -ENOENT)
		err = ipb_ext_from_nft_cmp(d->rule, c);
	return err == -ENOENT ? -EOPNOTSUPP : err;
}

static void copy_data(uint8_t *dst, const struct nftnl_expr *e, uint16_t attr,
		      uint32_t *len)
{
	const void *p = nftnl_expr_get(e, attr, len);

	if (*len > 16)
		*len = 16;
	memset(dst, 0, 16);
	if (p)
		memcpy(dst, p, *len);
}

static int decode_cmp(struct decoder *d, const struct nftnl_expr *e)
{
	struct ipb_nft_cmp c = { .load = &d->load };

	c.op = nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP);
	copy_data(c.data, e, NFTNL_EXPR_CMP_DATA, &c.len);
	return take_cmp(d, &c);
}

static int decode_range(struct decoder *d, const struct nftnl_expr *e)
{
	struct ipb_nft_cmp c = { .load = &d->load, .is_range = true };
	uint32_t len_to;

	c.op = nftnl_expr_get_u32(e, NFTNL_EXPR_RANGE_OP);
	copy_data(c.data, e, NFTNL_EXPR_RANGE_FROM_DATA, &c.len);
	copy_data(c.data_to, e, NFTNL_EXPR_RANGE_TO_DATA, &len_to);
	return take_cmp(d, &c);
}

static int decode_bitwise(struct decoder *d, const struct nftnl_expr *e)
{
	uint32_t len;

	if (d->load.kind == IPB_LOAD_NONE)
		return -EOPNOTSUPP;
	d->load.has_bitwise = true;
	copy_data(d->load.mask, e, NFTNL_EXPR_BITWISE_MASK, &len);
	copy_data(d->load.xor, e, NFTNL_EXPR_BITWISE_XOR, &len);
	return 0;
}

static int decode_meta_set(struct decoder *d, const struct nftnl_expr *e)
{
	const struct ipb_ext *ext = ipb_ext_find_by_expr("meta");
	int err;

	if (!ext || !d->imm_one)
		return -EOPNOTSUPP;
	err = ext->from_nft_expr(d->rule, e);
	if (!err)
		d->has_verdict = true;
	return err;
}

/* An immediate into a data register: TRACE's 1, used by a meta set. */
static int decode_immediate_data(struct decoder *d, const struct nftnl_expr *e)
{
	uint32_t len;
	const uint8_t *v = nftnl_expr_get(e, NFTNL_EXPR_IMM_DATA, &len);

	d->imm_one = v && len >= 1 && v[0] == 1;
	memset(&d->load, 0, sizeof(d->load));
	return 0;
}

static int decode_verdict(struct decoder *d, const struct nftnl_expr *e)
{
	struct ipb_target *t = &d->rule->target;
	int verdict = nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT);
	const char *chain;

	if (nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_DREG) != NFT_REG_VERDICT)
		return decode_immediate_data(d, e);
	switch (verdict) {
	case NF_ACCEPT:
		t->kind = IPB_TARGET_ACCEPT;
		break;
	case NF_DROP:
		t->kind = IPB_TARGET_DROP;
		break;
	case NFT_RETURN:
		t->kind = IPB_TARGET_RETURN;
		break;
	case NFT_JUMP:
	case NFT_GOTO:
		t->kind = verdict == NFT_JUMP ? IPB_TARGET_JUMP :
						IPB_TARGET_GOTO;
		chain = nftnl_expr_get_str(e, NFTNL_EXPR_IMM_CHAIN);
		if (!chain || strlen(chain) >= sizeof(t->chain))
			return -EOPNOTSUPP;
		strcpy(t->chain, chain);
		break;
	default:
		return -EOPNOTSUPP;
	}
	d->has_verdict = true;
	return 0;
}

static int decode_compat_match(struct decoder *d, const struct nftnl_expr *e)
{
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_MT_NAME);
	uint32_t rev = nftnl_expr_get_u32(e, NFTNL_EXPR_MT_REV), len;
	const void *info = nftnl_expr_get(e, NFTNL_EXPR_MT_INFO, &len);
	struct xtables_match *xt;
	struct xt_entry_match *m;
	int err;

	xt = xtables_find_match_revision(name, XTF_TRY_LOAD, NULL, rev);
	m = calloc(1, XT_ALIGN(sizeof(*m)) + len);
	if (!m)
		return -ENOMEM;
	m->u.match_size = XT_ALIGN(sizeof(*m)) + len;
	snprintf(m->u.user.name, sizeof(m->u.user.name), "%s", name);
	m->u.user.revision = rev;
	if (info)
		memcpy(m->data, info, len);
	err = ipb_rule_add_match(d->rule, xt, m);
	if (err)
		free(m);
	return err;
}

static int decode_compat_target(struct decoder *d, const struct nftnl_expr *e)
{
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_TG_NAME);
	uint32_t rev = nftnl_expr_get_u32(e, NFTNL_EXPR_TG_REV), len;
	const void *info = nftnl_expr_get(e, NFTNL_EXPR_TG_INFO, &len);
	struct xtables_target *xt;
	struct xt_entry_target *t;

	xt = xtables_find_target_revision(name, XTF_TRY_LOAD, NULL, rev);
	t = calloc(1, XT_ALIGN(sizeof(*t)) + len);
	if (!t)
		return -ENOMEM;
	t->u.target_size = XT_ALIGN(sizeof(*t)) + len;
	snprintf(t->u.user.name, sizeof(t->u.user.name), "%s", name);
	t->u.user.revision = rev;
	if (info)
		memcpy(t->data, info, len);
	ipb_rule_set_target_ext(d->rule, xt, t);
	d->has_verdict = true;
	return 0;
}

static int decode_expr(struct decoder *d, const struct nftnl_expr *e)
{
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	const struct ipb_ext *ext;
	int err;

	/* nothing may follow the verdict in an iptables rule */
	if (d->has_verdict)
		return -EOPNOTSUPP;
	if (!strcmp(name, "meta")) {
		/* "meta set": only TRACE's nftrace, of the immediate 1 */
		if (nftnl_expr_is_set(e, NFTNL_EXPR_META_SREG))
			return decode_meta_set(d, e);
		memset(&d->load, 0, sizeof(d->load));
		d->load.kind = IPB_LOAD_META;
		d->load.key = nftnl_expr_get_u32(e, NFTNL_EXPR_META_KEY);
		return 0;
	}
	if (!strcmp(name, "payload")) {
		memset(&d->load, 0, sizeof(d->load));
		d->load.kind = IPB_LOAD_PAYLOAD;
		d->load.base = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_BASE);
		d->load.offset =
			nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET);
		d->load.len = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_LEN);
		return 0;
	}
	if (!strcmp(name, "bitwise"))
		return decode_bitwise(d, e);
	if (!strcmp(name, "cmp"))
		return decode_cmp(d, e);
	if (!strcmp(name, "range"))
		return decode_range(d, e);
	if (!strcmp(name, "counter")) {
		d->rule->counters.pcnt =
			nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
		d->rule->counters.bcnt =
			nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES);
		d->rule->nft_counters = d->rule->counters;
		return 0;
	}
	if (!strcmp(name, "immediate"))
		return decode_verdict(d, e);
	if (!strcmp(name, "match"))
		return decode_compat_match(d, e);
	if (!strcmp(name, "target"))
		return decode_compat_target(d, e);
	ext = ipb_ext_find_by_expr(name);
	if (!ext)
		return -EOPNOTSUPP;
	err = ext->from_nft_expr(d->rule, e);
	if (!err && ext->is_target)
		d->has_verdict = true;
	return err;
}

int ipb_rule_decode(struct ipb_rule **out, const struct nftnl_rule *r,
		    uint8_t family)
{
	struct decoder d = { 0 };
	struct nftnl_expr_iter *it;
	struct nftnl_expr *e;
	int err;

	err = ipb_rule_new(&d.rule, family);
	if (err)
		return err;
	d.rule->handle = nftnl_rule_get_u64(r, NFTNL_RULE_HANDLE);
	it = nftnl_expr_iter_create(r);
	if (!it) {
		ipb_rule_free(d.rule);
		return -ENOMEM;
	}
	while ((e = nftnl_expr_iter_next(it))) {
		err = decode_expr(&d, e);
		if (err)
			break;
	}
	nftnl_expr_iter_destroy(it);
	if (err) {
		ipb_rule_free(d.rule);
		return err;
	}
	*out = d.rule;
	return 0;
}
