// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m tcp (and -p tcp's implicit match).  iptables-nft 1.8.9 writes ports
 * and --tcp-flags natively and keeps --tcp-option, inverted options and
 * a bare "-m tcp" as the compat match (with its hotdrop of truncated
 * headers), which runs in BPF with xt_tcp's semantics.
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

/* port_match() of xt_tcpudp.c: (lo <= port <= hi) ^ invert. */
static void xt_port_to_bpf(struct bpfgen_prog *p, int off,
			   const uint16_t pts[2], bool invert)
{
	if (pts[0] == 0 && pts[1] == 0xffff && !invert)
		return;
	bpfgen_load_l4(p, BPF_REG_1, off, 2, bpfgen_hotdrop_label(p));
	bpfgen_ntoh(p, BPF_REG_1, 2);
	bpfgen_cmp_range(p, BPF_REG_1, pts[0], pts[1], invert);
}

/* --tcp-option: tcp_find_option() after the doff check of tcp_mt(). */
static int xt_option_to_bpf(struct bpfgen_prog *p, uint8_t kind, bool invert)
{
	int found = bpfgen_label_new(p), end = bpfgen_label_new(p);
	int advance, err;

	ipb_xt_tcp_opts_begin(p, end);
	err = ipb_xt_tcp_opt_walk(p, kind, found, end, &advance);
	if (err)
		return err;
	bpfgen_label_place(p, end);
	ipb_xt_hit_end(p, found, invert);
	return 0;
}

/*
 * The compat match: the kernel's tcp_mt() (xt_tcpudp.c).  A non-first
 * fragment never matches, and one at offset 1 (8 bytes) is dropped;
 * fewer than 20 bytes of header, or options cut short, drop the packet.
 */
static int tcp_xt_to_bpf(struct bpfgen_prog *p, const struct xt_tcp *t)
{
	int fail = bpfgen_rule_fail_label(p);

	bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_FRAGOFF);
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, 1, bpfgen_hotdrop_label(p));
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, 0, fail);
	ipb_xt_need_l4(p, 20);
	xt_port_to_bpf(p, 0, t->spts, t->invflags & XT_TCP_INV_SRCPT);
	xt_port_to_bpf(p, 2, t->dpts, t->invflags & XT_TCP_INV_DSTPT);
	if (t->flg_mask || t->flg_cmp || t->invflags & XT_TCP_INV_FLAGS) {
		bpfgen_load_l4(p, BPF_REG_1, TCP_FLAGS_OFFSET, 1, fail);
		bpfgen_cmp_mask(p, BPF_REG_1, t->flg_mask, t->flg_cmp,
				t->invflags & XT_TCP_INV_FLAGS);
	}
	if (t->option)
		return xt_option_to_bpf(p, t->option,
					t->invflags & XT_TCP_INV_OPTION);
	return 0;
}

static int tcp_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **why)
{
	const struct xt_tcp *t = (const void *)m->data;
	int fail = bpfgen_rule_fail_label(p);

	if (t->invflags & ~XT_TCP_INV_MASK) {
		*why = "tcp match with unknown inversion flags";
		return -EOPNOTSUPP;
	}
	if (!tcp_nft_is_native(rule, m)) {
		if (tcp_xt_to_bpf(p, t)) {
			*why = IPB_XT_WALKS_WHY;
			return -EOPNOTSUPP;
		}
		return 0;
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
