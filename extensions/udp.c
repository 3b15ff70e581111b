// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m udp (and -p udp's implicit match): ports natively, a bare "-m udp"
 * as the compat match, as iptables-nft 1.8.9 does; both run in BPF.
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
#include "extensions/xtmatch.h"

static bool udp_is_default(const struct xt_udp *u)
{
	const struct xt_udp def = { .spts = { 0, 0xffff },
				    .dpts = { 0, 0xffff } };

	return !memcmp(u, &def, sizeof(def));
}

static bool udp_nft_is_native(const struct ipb_rule *rule,
			      const struct xt_entry_match *m)
{
	const struct xt_udp *u = (const void *)m->data;

	return u->invflags <= XT_UDP_INV_MASK && !udp_is_default(u);
}

static int udp_to_nft(struct nftnl_rule *r, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **errmsg)
{
	const struct xt_udp *u = (const void *)m->data;

	if (rule->proto != IPPROTO_UDP) {
		*errmsg = "UDP match requires '-p udp'";
		return -EINVAL;
	}
	return ipb_tcpudp_ports_to_nft(r, u->spts, u->invflags & XT_UDP_INV_SRCPT,
				       u->dpts, u->invflags & XT_UDP_INV_DSTPT);
}

static int udp_from_nft_cmp(struct ipb_rule *rule, const struct ipb_nft_cmp *c)
{
	const struct ipb_nft_load *l = c->load;
	struct xt_udp *u;
	void *data;
	int err;

	if (rule->proto != IPPROTO_UDP || l->kind != IPB_LOAD_PAYLOAD ||
	    l->base != NFT_PAYLOAD_TRANSPORT_HEADER)
		return -ENOENT;
	err = ipb_ext_match_get(rule, "udp", &data);
	if (err)
		return err;
	u = data;
	return ipb_tcpudp_ports_from_nft(c, u->spts, u->dpts, &u->invflags,
					 XT_UDP_INV_SRCPT, XT_UDP_INV_DSTPT);
}

/*
 * The compat match: udp_mt() of xt_tcpudp.c.  No match on a non-first
 * fragment, hotdrop on fewer than 8 bytes, then both port ranges.
 */
static void udp_xt_to_bpf(struct bpfgen_prog *p, const struct xt_udp *u)
{
	static const int off[2] = { 0, 2 };
	const uint16_t *pts[2] = { u->spts, u->dpts };
	const uint8_t inv[2] = { XT_UDP_INV_SRCPT, XT_UDP_INV_DSTPT };
	int i;

	ipb_xt_l4_begin(p, 8);
	for (i = 0; i < 2; i++) {
		if (pts[i][0] == 0 && pts[i][1] == 0xffff &&
		    !(u->invflags & inv[i]))
			continue;
		bpfgen_load_l4(p, BPF_REG_1, off[i], 2,
			       bpfgen_hotdrop_label(p));
		bpfgen_ntoh(p, BPF_REG_1, 2);
		bpfgen_cmp_range(p, BPF_REG_1, pts[i][0], pts[i][1],
				 u->invflags & inv[i]);
	}
}

static int udp_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **why)
{
	const struct xt_udp *u = (const void *)m->data;

	if (u->invflags & ~XT_UDP_INV_MASK) {
		*why = "udp match with unknown inversion flags";
		return -EOPNOTSUPP;
	}
	if (!udp_nft_is_native(rule, m)) {
		udp_xt_to_bpf(p, u);
		return 0;
	}
	ipb_tcpudp_ports_to_bpf(p, u->spts, u->invflags & XT_UDP_INV_SRCPT,
				u->dpts, u->invflags & XT_UDP_INV_DSTPT);
	return 0;
}

const struct ipb_ext ipb_ext_udp = {
	.name = "udp",
	.nft_is_native = udp_nft_is_native,
	.to_nft = udp_to_nft,
	.from_nft_cmp = udp_from_nft_cmp,
	.to_bpf = udp_to_bpf,
};
