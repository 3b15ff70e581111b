// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m frag (IPv6), a compat match in iptables-nft 1.8.9: frag_mt6() of
 * ip6t_frag.c.  The fragment header is looked for with ipv6_find_hdr():
 * none fails the rule, a header chain cut short drops the packet, and
 * so does a fragment header shorter than 8 bytes.  Then the id range
 * (^ invert), reserved bits (--fragres), offset 0 (--fragfirst), MF set
 * (--fragmore) or clear (--fraglast).  --fraglen is parsed by iptables
 * but the kernel never tests it.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>

#include <linux/netfilter_ipv6/ip6t_frag.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

#define FRAG_HDR_LEN 8
#define IP6_MF 1

/* R1 = frag_off in host order; the rule fails unless it passes @flags. */
static void frag_off_flags(struct bpfgen_prog *p, uint8_t flags)
{
	if (flags & IP6T_FRAG_FST) {
		bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_1));
		bpfgen_cmp_mask(p, BPF_REG_2, 0xfff8, 0, false);
	}
	if (flags & IP6T_FRAG_MF) {
		bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_1));
		bpfgen_cmp_mask(p, BPF_REG_2, IP6_MF, IP6_MF, false);
	}
	if (flags & IP6T_FRAG_NMF) {
		bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_1));
		bpfgen_cmp_mask(p, BPF_REG_2, IP6_MF, 0, false);
	}
}

static int frag_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		       const struct xt_entry_match *m, const char **why)
{
	const struct ip6t_frag *info = (const void *)m->data;
	bool inv_ids = info->invflags & IP6T_FRAG_INV_IDS;

	if (info->invflags & ~IP6T_FRAG_INV_MASK) {
		*why = "frag match with unknown inversion flags";
		return -EOPNOTSUPP;
	}
	ipb_xt_ipv6_hdr(p, IPPROTO_FRAGMENT, FRAG_HDR_LEN);
	if (info->ids[0] != 0 || info->ids[1] != UINT32_MAX || inv_ids) {
		ipb_xt_ipv6_hdr_load(p, BPF_REG_1, 4, 4);
		bpfgen_cmp_range(p, BPF_REG_1, info->ids[0], info->ids[1],
				 inv_ids);
	}
	if (info->flags & IP6T_FRAG_RES) {
		ipb_xt_ipv6_hdr_load(p, BPF_REG_1, 1, 1);
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, 0, 1, false);
	}
	if (!(info->flags & (IP6T_FRAG_RES | IP6T_FRAG_FST | IP6T_FRAG_MF |
			     IP6T_FRAG_NMF)))
		return 0;
	ipb_xt_ipv6_hdr_load(p, BPF_REG_1, 2, 2);
	if (info->flags & IP6T_FRAG_RES) {
		bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_1));
		bpfgen_cmp_mask(p, BPF_REG_2, 6, 0, false);
	}
	frag_off_flags(p, info->flags);
	return 0;
}

const struct ipb_ext ipb_ext_frag = {
	.name = "frag",
	.to_bpf = frag_to_bpf,
};
