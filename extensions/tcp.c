// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m tcp (and -p tcp's implicit match).  iptables-nft 1.8.9 writes ports
 * and --tcp-flags natively and keeps --tcp-option, inverted options and
 * a bare "-m tcp" as the compat match (with its hotdrop of truncated
 * headers).
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include <netinet/in.h>

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/xt_tcpudp.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/tcpudp.h"

#define TCP_NATIVE_INV (XT_TCP_INV_SRCPT | XT_TCP_INV_DSTPT | XT_TCP_INV_FLAGS)
#define TCP_FLAGS_OFFSET 13

static bool tcp_is_default(const struct xt_tcp *t)
{
	const struct xt_tcp def = { .spts = { 0, 0xffff },
				    .dpts = { 0, 0xffff } };

	return !memcmp(t, &def, sizeof(def));
}

static bool tcp_nft_is_native(const struct ipb_rule *rule,
			      const struct xt_entry_match *m)
{
	const struct xt_tcp *t = (const void *)m->data;

	return !(t->invflags & ~TCP_NATIVE_INV) && !t->option &&
	       !tcp_is_default(t);
}

static int tcp_to_nft(struct nftnl_rule *r, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **errmsg)
{
	const struct xt_tcp *t = (const void *)m->data;
	uint8_t zero = 0;
	int err;

	if (rule->proto != IPPROTO_TCP) {
		*errmsg = "TCP match requires '-p tcp'";
		return -EINVAL;
	}
	if (t->flg_mask) {
		err = ipb_nft_add_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER,
					  TCP_FLAGS_OFFSET, 1);
		if (!err)
			err = ipb_nft_add_bitwise(r, &t->flg_mask, &zero, 1);
		if (!err)
			err = ipb_nft_add_cmp(r,
					      t->invflags & XT_TCP_INV_FLAGS ?
						      NFT_CMP_NEQ :
						      NFT_CMP_EQ,
					      &t->flg_cmp, 1);
		if (err)
			return err;
	}
	return ipb_tcpudp_ports_to_nft(r, t->spts, t->invflags & XT_TCP_INV_SRCPT,
				       t->dpts, t->invflags & XT_TCP_INV_DSTPT);
}

static int tcp_flags_from_nft(struct xt_tcp *t, const struct ipb_nft_cmp *c)
{
	const struct ipb_nft_load *l = c->load;

	if (c->is_range || l->len != 1 || !l->has_bitwise ||
	    (c->op != NFT_CMP_EQ && c->op != NFT_CMP_NEQ))
		return -ENOENT;
	t->flg_mask = l->mask[0];
	t->flg_cmp = c->data[0];
	if (c->op == NFT_CMP_NEQ)
		t->invflags |= XT_TCP_INV_FLAGS;
	return 0;
}

static int tcp_from_nft_cmp(struct ipb_rule *rule, const struct ipb_nft_cmp *c)
{
	const struct ipb_nft_load *l = c->load;
	struct xt_tcp *t;
	void *data;
	int err;

	if (rule->proto != IPPROTO_TCP || l->kind != IPB_LOAD_PAYLOAD ||
	    l->base != NFT_PAYLOAD_TRANSPORT_HEADER)
		return -ENOENT;
	err = ipb_ext_match_get(rule, "tcp", &data);
	if (err)
		return err;
	t = data;
	if (l->offset == TCP_FLAGS_OFFSET)
		return tcp_flags_from_nft(t, c);
	return ipb_tcpudp_ports_from_nft(c, t->spts, t->dpts, &t->invflags,
					 XT_TCP_INV_SRCPT, XT_TCP_INV_DSTPT);
}

static int tcp_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **why)
{
	const struct xt_tcp *t = (const void *)m->data;
	int fail = bpfgen_rule_fail_label(p);

	/* the compat match (xt_tcp) drops short headers and skips
	 * fragments: not written here yet */
	if (!tcp_nft_is_native(rule, m)) {
		*why = "tcp match kept as xt compat (options or bare -m tcp)";
		return -EOPNOTSUPP;
	}
	if (t->flg_mask) {
		bpfgen_load_l4(p, BPF_REG_1, TCP_FLAGS_OFFSET, 1, fail);
		bpfgen_cmp_mask(p, BPF_REG_1, t->flg_mask, t->flg_cmp,
				t->invflags & XT_TCP_INV_FLAGS);
	}
	ipb_tcpudp_ports_to_bpf(p, t->spts, t->invflags & XT_TCP_INV_SRCPT,
				t->dpts, t->invflags & XT_TCP_INV_DSTPT);
	return 0;
}

const struct ipb_ext ipb_ext_tcp = {
	.name = "tcp",
	.nft_is_native = tcp_nft_is_native,
	.to_nft = tcp_to_nft,
	.from_nft_cmp = tcp_from_nft_cmp,
	.to_bpf = tcp_to_bpf,
};
