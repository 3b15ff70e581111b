// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m ah, a compat match in iptables-nft 1.8.9.  IPv4: ah_mt() of
 * ipt_ah.c: a non-first fragment never matches, fewer than 12 bytes of
 * AH header drop the packet, then (min <= SPI <= max) ^ invert.
 * IPv6: ah_mt6() of ip6t_ah.c looks for the header with
 * ipv6_find_hdr(): none fails the rule, a chain cut short, fewer than
 * 12 bytes of AH or an AH longer than the rest of the packet drop the
 * packet; then the SPI range (^ invert), the
 * length (hdrlen + 2) * 4 when --ahlen is given (^ invert), and a zero
 * reserved field with --ahres.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4/ipt_ah.h>
#include <linux/netfilter_ipv6/ip6t_ah.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

#define AH_HDR_LEN 12
#define AH_SPI 4

#define AH_RESERVED 2

static int ah6_to_bpf(struct bpfgen_prog *p, const struct ip6t_ah *info)
{
	ipb_xt_ipv6_hdr(p, IPPROTO_AH, AH_HDR_LEN);
	/* an AH longer than the rest of the packet drops it (found by
	 * tests/rdiff: Linux 6.18 drops there, whatever the options) */
	ipb_xt_ipv6_hdr_load(p, BPF_REG_3, 1, 1);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, 2));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_3, 2));
	ipb_xt_ipv6_hdr_fits(p, BPF_REG_3);
	ipb_xt_ipv6_hdr_load(p, BPF_REG_1, AH_SPI, 4);
	bpfgen_cmp_range(p, BPF_REG_1, info->spis[0], info->spis[1],
			 info->invflags & IP6T_AH_INV_SPI);
	if (info->hdrlen) {
		ipb_xt_ipv6_hdr_load(p, BPF_REG_1, 1, 1);
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_1, 2));
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_1, 2));
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, info->hdrlen, 4,
			       info->invflags & IP6T_AH_INV_LEN);
	}
	if (info->hdrres) {
		ipb_xt_ipv6_hdr_load(p, BPF_REG_1, AH_RESERVED, 2);
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, 0, 2, false);
	}
	return 0;
}

static int ah_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		     const struct xt_entry_match *m, const char **why)
{
	const struct ipt_ah *info = (const void *)m->data;

	if (rule->family == NFPROTO_IPV6)
		return ah6_to_bpf(p, (const void *)m->data);
	ipb_xt_l4_begin(p, AH_HDR_LEN);
	bpfgen_load_l4(p, BPF_REG_1, AH_SPI, 4, bpfgen_rule_fail_label(p));
	bpfgen_ntoh(p, BPF_REG_1, 4);
	bpfgen_cmp_range(p, BPF_REG_1, info->spis[0], info->spis[1],
			 info->invflags & IPT_AH_INV_SPI);
	return 0;
}

const struct ipb_ext ipb_ext_ah = {
	.name = "ah",
	.to_bpf = ah_to_bpf,
};
