// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m rt (IPv6), a compat match in iptables-nft 1.8.9: rt_mt6() of
 * ip6t_rt.c.  The routing header comes from ipv6_find_hdr(): none fails
 * the rule, a chain cut short or fewer than 4 bytes of it drop the
 * packet, and so does a header longer than the rest of the packet (as
 * Linux 6.18 does; checked against the kernel in ruleset-l4-test).
 * Then segments left in range (^ invert), --rt-len (bytes, ^ invert),
 * --rt-type (^ invert) and --rt-0-res (the type 0 reserved word is 0).
 * Address lists (--rt-0-addrs) are not written in BPF: such rules stay
 * on nf_tables.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>

#include <linux/netfilter_ipv6/ip6t_rt.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

#define RT_HDR_LEN 4
#define RT_TYPE 2
#define RT_SEGS_LEFT 3
#define RT0_RESERVED 4

static int rt_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		     const struct xt_entry_match *m, const char **why)
{
	const struct ip6t_rt *info = (const void *)m->data;

	if (info->flags & IP6T_RT_FST_MASK ||
	    info->invflags & ~IP6T_RT_INV_MASK) {
		*why = "rt match with an address list";
		return -EOPNOTSUPP;
	}
	ipb_xt_ipv6_hdr(p, IPPROTO_ROUTING, RT_HDR_LEN);
	ipb_xt_ipv6_hdr_load(p, BPF_REG_3, 1, 1);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, 1));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_3, 3));
	ipb_xt_ipv6_hdr_fits(p, BPF_REG_3);
	if (info->flags & IP6T_RT_LEN)
		bpfgen_cmp_imm(p, BPF_REG_3, BPFGEN_CMP_EQ, info->hdrlen, 4,
			       info->invflags & IP6T_RT_INV_LEN);
	ipb_xt_ipv6_hdr_load(p, BPF_REG_1, RT_SEGS_LEFT, 1);
	bpfgen_cmp_range(p, BPF_REG_1, info->segsleft[0], info->segsleft[1],
			 info->invflags & IP6T_RT_INV_SGS);
	if (info->flags & IP6T_RT_TYP) {
		ipb_xt_ipv6_hdr_load(p, BPF_REG_1, RT_TYPE, 1);
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, info->rt_type, 4,
			       info->invflags & IP6T_RT_INV_TYP);
	}
	if (info->flags & IP6T_RT_RES) {
		/* within the header: hdrlen >= 8 and it fits */
		ipb_xt_ipv6_hdr_load(p, BPF_REG_1, RT0_RESERVED, 4);
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, 0, 4, false);
	}
	return 0;
}

const struct ipb_ext ipb_ext_rt = {
	.name = "rt",
	.to_bpf = rt_to_bpf,
};
