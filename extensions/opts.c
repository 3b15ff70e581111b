// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m hbh and -m dst (IPv6), compat matches in iptables-nft 1.8.9:
 * hbh_mt6() of ip6t_hbh.c.  The header comes from ipv6_find_hdr(): none
 * fails the rule, a chain cut short or fewer than 2 bytes of it drop
 * the packet, and so does a header longer than the rest of the packet
 * (the Linux 6.18 module; older ones and the iptables 1.8.9 man page
 * differ, the kernel test in tests/bpf/ruleset-l4-test checks it); then --hbh-len/--dst-len compare the length in bytes,
 * (hdrlen + 1) * 8, ^ invert.  The option list (--hbh-opts/--dst-opts)
 * is not written in BPF: such rules stay on nf_tables.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>

#include <linux/netfilter_ipv6/ip6t_opts.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/opts.h"
#include "extensions/xtmatch.h"

int ipb_opts_to_bpf(struct bpfgen_prog *p, int target,
		    const struct xt_entry_match *m, const char **why)
{
	const struct ip6t_opts *info = (const void *)m->data;

	if (info->flags & IP6T_OPTS_OPTS) {
		*why = "ipv6 options header match with an option list";
		return -EOPNOTSUPP;
	}
	ipb_xt_ipv6_hdr(p, target, 2);
	ipb_xt_ipv6_hdr_load(p, BPF_REG_3, 1, 1);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, 1));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_3, 3));
	ipb_xt_ipv6_hdr_fits(p, BPF_REG_3);
	if (info->flags & IP6T_OPTS_LEN)
		bpfgen_cmp_imm(p, BPF_REG_3, BPFGEN_CMP_EQ, info->hdrlen, 4,
			       info->invflags & IP6T_OPTS_INV_LEN);
	return 0;
}
