// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IR → nf_tables expressions, in iptables-nft 1.8.9's exact shapes: the
 * listing tools (nft, iptables-nft) must see what iptables-nft would have
 * written, byte for byte.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <netinet/ip.h>
#include <netinet/ip6.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <xtables.h>

#include "extensions/ext.h"
#include "iptables-bpf/encode.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/util.h"

static uint32_t cmp_op(const struct ipb_rule *rule, uint8_t inv)
{
	return rule->invflags & inv ? NFT_CMP_NEQ : NFT_CMP_EQ;
}

/*
 * The name with its NUL, or without the trailing '+' for a wildcard; a
 * bare "+" loads the name and compares nothing.  "! -i +" can never
 * match: iptables turns it into the impossible name "INVAL/D", compared
 * for equality.
 */
static int encode_iface(struct nftnl_rule *r, uint32_t key, const char *name,
			bool invert)
{
	static const char impossible[] = "INVAL/D";
	size_t len = strlen(name);
	int err;

	err = ipb_nft_add_meta(r, key);
	if (err)
		return err;
	if (name[len - 1] != '+')
		return ipb_nft_add_cmp(r, invert ? NFT_CMP_NEQ : NFT_CMP_EQ,
				       name, len + 1);
	if (len > 1)
		return ipb_nft_add_cmp(r, invert ? NFT_CMP_NEQ : NFT_CMP_EQ,
				       name, len - 1);
	if (invert)
		return ipb_nft_add_cmp(r, NFT_CMP_EQ, impossible,
				       sizeof(impossible));
	return 0;
}

/*
 * A byte-aligned prefix mask loads only the prefix bytes; any other mask
 * loads the whole address and masks it.  (A /0 with '!' loads 0 bytes,
 * which the kernel refuses, as it refuses iptables-nft's.)
 */
static int encode_addr(struct nftnl_rule *r, uint32_t offset,
		       const void *addr, const void *mask, size_t len,
		       uint32_t op)
{
	static const uint8_t zero[16];
	const uint8_t *m = mask;
	bool bitwise = false;
	size_t i, j;
	int err;

	for (i = 0; i < len; i++) {
		if (m[i] != 0xff) {
			bitwise = m[i] != 0;
			break;
		}
	}
	for (j = i + 1; !bitwise && j < len; j++)
		bitwise = m[j] != 0;
	if (!bitwise)
		len = i;

	err = ipb_nft_add_payload(r, NFT_PAYLOAD_NETWORK_HEADER, offset, len);
	if (!err && bitwise)
		err = ipb_nft_add_bitwise(r, mask, zero, len);
	if (!err)
		err = ipb_nft_add_cmp(r, op, addr, len);
	return err;
}

static bool addr_is_set(const struct ipb_rule *rule,
			const union nf_inet_addr *a,
			const union nf_inet_addr *m, uint8_t inv)
{
	static const union nf_inet_addr zero;
	size_t len = ipb_addr_len(rule->family);

	return memcmp(a, &zero, len) || memcmp(m, &zero, len) ||
	       rule->invflags & inv;
}

/* -f: the 13 fragment offset bits are non-zero. */
static int encode_frag(struct nftnl_rule *r, bool invert)
{
	uint16_t mask = htons(0x1fff), zero = 0;
	int err;

	err = ipb_nft_add_payload(r, NFT_PAYLOAD_NETWORK_HEADER,
				  offsetof(struct iphdr, frag_off), 2);
	if (!err)
		err = ipb_nft_add_bitwise(r, &mask, &zero, 2);
	if (!err)
		err = ipb_nft_add_cmp(r, invert ? NFT_CMP_EQ : NFT_CMP_NEQ,
				      &zero, 2);
	return err;
}

static int encode_core(struct nftnl_rule *r, const struct ipb_rule *rule)
{
	bool v6 = rule->family == NFPROTO_IPV6;
	size_t alen = ipb_addr_len(rule->family);
	uint32_t soff = v6 ? offsetof(struct ip6_hdr, ip6_src) :
			     offsetof(struct iphdr, saddr);
	uint32_t doff = v6 ? offsetof(struct ip6_hdr, ip6_dst) :
			     offsetof(struct iphdr, daddr);
	int err = 0;

	if (rule->iniface[0])
		err = encode_iface(r, NFT_META_IIFNAME, rule->iniface,
				   rule->invflags & IPB_INV_IN);
	if (!err && rule->outiface[0])
		err = encode_iface(r, NFT_META_OIFNAME, rule->outiface,
				   rule->invflags & IPB_INV_OUT);
	if (!err && rule->proto) {
		uint8_t proto = rule->proto;

		err = ipb_nft_add_meta(r, NFT_META_L4PROTO);
		if (!err)
			err = ipb_nft_add_cmp(r, cmp_op(rule, IPB_INV_PROTO),
					      &proto, 1);
	}
	if (!err && addr_is_set(rule, &rule->src, &rule->smsk, IPB_INV_SRC))
		err = encode_addr(r, soff, &rule->src, &rule->smsk, alen,
				  cmp_op(rule, IPB_INV_SRC));
	if (!err && addr_is_set(rule, &rule->dst, &rule->dmsk, IPB_INV_DST))
		err = encode_addr(r, doff, &rule->dst, &rule->dmsk, alen,
				  cmp_op(rule, IPB_INV_DST));
	if (!err && rule->frag)
		err = encode_frag(r, rule->invflags & IPB_INV_FRAG);
	return err;
}

static int encode_match(struct nftnl_rule *r, const struct ipb_rule *rule,
			const struct ipb_match *m, const char **errmsg)
{
	const struct ipb_ext *ext = ipb_ext_find(m->m->u.user.name, false);

	if (ext && ext->nft_is_native && ext->nft_is_native(rule, m->m))
		return ext->to_nft(r, rule, m->m, errmsg);
	return ipb_nft_add_compat_match(r, m->m);
}

static int encode_counter(struct nftnl_rule *r, const struct ipb_rule *rule)
{
	struct nftnl_expr *e = nftnl_expr_alloc("counter");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS, rule->counters.pcnt);
	nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES, rule->counters.bcnt);
	nftnl_rule_add_expr(r, e);
	return 0;
}

static int encode_verdict(struct nftnl_rule *r, int verdict,
			  const char *chain)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, verdict);
	if (chain)
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
	nftnl_rule_add_expr(r, e);
	return 0;
}

static int encode_target(struct nftnl_rule *r, const struct ipb_rule *rule)
{
	const struct ipb_target *t = &rule->target;
	const struct ipb_ext *ext;

	switch (t->kind) {
	case IPB_TARGET_NONE:
		return 0;
	case IPB_TARGET_ACCEPT:
		return encode_verdict(r, NF_ACCEPT, NULL);
	case IPB_TARGET_DROP:
		return encode_verdict(r, NF_DROP, NULL);
	case IPB_TARGET_RETURN:
		return encode_verdict(r, NFT_RETURN, NULL);
	case IPB_TARGET_JUMP:
		return encode_verdict(r, NFT_JUMP, t->chain);
	case IPB_TARGET_GOTO:
		return encode_verdict(r, NFT_GOTO, t->chain);
	case IPB_TARGET_EXT:
		ext = ipb_ext_find(t->t->u.user.name, true);
		if (ext && ext->tg_to_nft)
			return ext->tg_to_nft(r, rule, t->t);
		return ipb_nft_add_compat_target(r, t->t);
	case IPB_TARGET_QUEUE:
		/* QUEUE is written, as iptables-nft writes it, as a compat
		 * target named "QUEUE", which the kernel does not know. */
		return ipb_nft_add_compat_target(r, t->t);
	default:
		BUG("unknown target kind");
	}
}

int ipb_rule_encode(struct nftnl_rule *r, const struct ipb_rule *rule,
		    const char **errmsg)
{
	const struct ipb_match *m;
	int err;

	err = encode_core(r, rule);
	if (err)
		return err;
	/* The kernel's xt compat layer checks a match's protocol needs
	 * (tcp wants -p tcp) against these. */
	nftnl_rule_set_u32(r, NFTNL_RULE_COMPAT_PROTO, rule->proto);
	nftnl_rule_set_u32(r, NFTNL_RULE_COMPAT_FLAGS,
			   rule->invflags & IPB_INV_PROTO ?
				   NFT_RULE_COMPAT_F_INV : 0);
	for (m = rule->matches; m; m = m->next) {
		err = encode_match(r, rule, m, errmsg);
		if (err)
			return err;
	}
	/* The counter goes before the verdict: after it, it would not
	 * count packets the verdict ends. */
	err = encode_counter(r, rule);
	if (err)
		return err;
	return encode_target(r, rule);
}
