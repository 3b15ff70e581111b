// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m ah, a compat match in iptables-nft 1.8.9.  IPv4: ah_mt() of
 * ipt_ah.c: a non-first fragment never matches, fewer than 12 bytes of
 * AH header drop the packet, then (min <= SPI <= max) ^ invert.  IPv6
 * (ip6t_ah.c) looks for the header itself with ipv6_find_hdr() and
 * stays on nf_tables.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4/ipt_ah.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

#define AH_HDR_LEN 12
#define AH_SPI 4

static int ah_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		     const struct xt_entry_match *m, const char **why)
{
	const struct ipt_ah *info = (const void *)m->data;

	if (rule->family != NFPROTO_IPV4) {
		*why = "ah match for IPv6 (extension header walk)";
		return -EOPNOTSUPP;
	}
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
