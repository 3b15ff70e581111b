// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCP and UDP port compares as iptables-nft 1.8.9 writes them:
 * - a single source and a single destination port, inverted alike, fold
 *   into one 4-byte compare "(sport . dport) ==/!= (A . B)": so
 *   "! --sport A ! --dport B" is true unless both are equal;
 * - else each side alone: one port is a cmp, "0:N" a cmp lte (gt when
 *   inverted), any other range a range expression;
 * - a full range 0:65535 writes nothing, even inverted: "! --dport
 *   0:65535" matches every packet.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include <arpa/inet.h>

#include <linux/netfilter/nf_tables.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/tcpudp.h"

static int port_range(struct nftnl_rule *r, uint16_t lo, uint16_t hi,
		      bool invert)
{
	uint16_t nlo = htons(lo), nhi = htons(hi);

	if (lo == hi)
		return ipb_nft_add_cmp(r, invert ? NFT_CMP_NEQ : NFT_CMP_EQ,
				       &nlo, 2);
	if (lo == 0 && hi < 0xffff)
		return ipb_nft_add_cmp(r, invert ? NFT_CMP_GT : NFT_CMP_LTE,
				       &nhi, 2);
	return ipb_nft_add_range(r, invert ? NFT_RANGE_NEQ : NFT_RANGE_EQ,
				 &nlo, &nhi, 2);
}

int ipb_tcpudp_ports_to_nft(struct nftnl_rule *r, const uint16_t src[2],
			    bool inv_src, const uint16_t dst[2], bool inv_dst)
{
	int err;

	if (src[0] && src[0] == src[1] && dst[0] && dst[0] == dst[1] &&
	    inv_src == inv_dst) {
		uint32_t both = htonl((uint32_t)src[0] << 16 | dst[0]);

		err = ipb_nft_add_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 4);
		if (!err)
			err = ipb_nft_add_cmp(r, inv_src ? NFT_CMP_NEQ :
							   NFT_CMP_EQ,
					      &both, 4);
		return err;
	}
	if (src[0] || src[1] < 0xffff) {
		err = ipb_nft_add_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2);
		if (!err)
			err = port_range(r, src[0], src[1], inv_src);
		if (err)
			return err;
	}
	if (dst[0] || dst[1] < 0xffff) {
		err = ipb_nft_add_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
		if (!err)
			err = port_range(r, dst[0], dst[1], inv_dst);
		if (err)
			return err;
	}
	return 0;
}

/* A compare of one 16-bit port into @pts, inverted into *@inv. */
static int one_side(const struct ipb_nft_cmp *c, uint16_t pts[2], bool *inv)
{
	uint16_t v, to;

	memcpy(&v, c->data, 2);
	memcpy(&to, c->data_to, 2);
	v = ntohs(v);
	to = ntohs(to);
	if (c->is_range) {
		pts[0] = v;
		pts[1] = to;
		*inv = c->op == NFT_RANGE_NEQ;
		return 0;
	}
	switch (c->op) {
	case NFT_CMP_EQ:
	case NFT_CMP_NEQ:
		pts[0] = pts[1] = v;
		*inv = c->op == NFT_CMP_NEQ;
		return 0;
	/*
	 * Open ranges read back as iptables-nft 1.8.9 reads them
	 * (port_match_single_to_range()): never inverted, so "! --sport
	 * 0:22", written "gt 22", lists as "--sport 23:65535".  Where its
	 * reading would show other ports than the compare takes (lt 0 or
	 * 1, gt 65535: only nft writes those) the rule is not shown.
	 */
	case NFT_CMP_LTE:
		pts[0] = 0;
		pts[1] = v;
		return 0;
	case NFT_CMP_LT:
		if (v <= 1)
			return -ENOENT;
		pts[0] = 0;
		pts[1] = v - 1;
		return 0;
	case NFT_CMP_GT:
		if (v == 0xffff)
			return -ENOENT;
		pts[0] = v + 1;
		pts[1] = 0xffff;
		return 0;
	case NFT_CMP_GTE:
		pts[0] = v;
		pts[1] = 0xffff;
		return 0;
	default:
		return -ENOENT;
	}
}

int ipb_tcpudp_ports_from_nft(const struct ipb_nft_cmp *c, uint16_t spts[2],
			      uint16_t dpts[2], uint8_t *invflags,
			      uint8_t inv_src, uint8_t inv_dst)
{
	const struct ipb_nft_load *l = c->load;
	bool inv = false;
	int err;

	if (l->kind != IPB_LOAD_PAYLOAD ||
	    l->base != NFT_PAYLOAD_TRANSPORT_HEADER || l->has_bitwise)
		return -ENOENT;
	if (l->offset == 0 && l->len == 4 && !c->is_range &&
	    (c->op == NFT_CMP_EQ || c->op == NFT_CMP_NEQ)) {
		uint32_t both;

		memcpy(&both, c->data, 4);
		both = ntohl(both);
		spts[0] = spts[1] = both >> 16;
		dpts[0] = dpts[1] = both & 0xffff;
		if (c->op == NFT_CMP_NEQ)
			*invflags |= inv_src | inv_dst;
		return 0;
	}
	if (l->len != 2 || (l->offset != 0 && l->offset != 2))
		return -ENOENT;
	err = one_side(c, l->offset == 0 ? spts : dpts, &inv);
	if (!err && inv)
		*invflags |= l->offset == 0 ? inv_src : inv_dst;
	return err;
}

/* One side: payload at @off compared as port_range() writes it. */
static void port_side_to_bpf(struct bpfgen_prog *p, int off, uint16_t lo,
			     uint16_t hi, bool invert)
{
	int fail = bpfgen_rule_fail_label(p);

	bpfgen_load_l4(p, BPF_REG_1, off, 2, fail);
	bpfgen_ntoh(p, BPF_REG_1, 2);
	if (lo == hi)
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, lo, 2, invert);
	else if (lo == 0 && hi < 0xffff)
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_LE, hi, 2, invert);
	else
		bpfgen_cmp_range(p, BPF_REG_1, lo, hi, invert);
}

void ipb_tcpudp_ports_to_bpf(struct bpfgen_prog *p, const uint16_t src[2],
			     bool inv_src, const uint16_t dst[2], bool inv_dst)
{
	if (src[0] && src[0] == src[1] && dst[0] && dst[0] == dst[1] &&
	    inv_src == inv_dst) {
		uint32_t both = (uint32_t)src[0] << 16 | dst[0];

		bpfgen_load_l4(p, BPF_REG_1, 0, 4, bpfgen_rule_fail_label(p));
		bpfgen_ntoh(p, BPF_REG_1, 4);
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, both, 4, inv_src);
		return;
	}
	if (src[0] || src[1] < 0xffff)
		port_side_to_bpf(p, 0, src[0], src[1], inv_src);
	if (dst[0] || dst[1] < 0xffff)
		port_side_to_bpf(p, 2, dst[0], dst[1], inv_dst);
}
