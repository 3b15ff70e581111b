// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m iprange, revision 1, a compat match in iptables-nft 1.8.9:
 * iprange_mt4() and iprange_mt6() of xt_iprange.c.  Each side given
 * fails unless (min <= addr <= max) != inverted; IPv6 addresses compare
 * as 128-bit big-endian numbers (iprange_ipv6_lt()).
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>

#include <linux/netfilter.h>
#include <linux/netfilter/xt_iprange.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

#define IP4_SADDR 12
#define IP6_SADDR 8

static void range4(struct bpfgen_prog *p, bool dst,
		   const union nf_inet_addr *lo,
		   const union nf_inet_addr *hi, bool invert)
{
	bpfgen_load_l3(p, BPF_REG_1, IP4_SADDR + (dst ? 4 : 0), 4);
	bpfgen_ntoh(p, BPF_REG_1, 4);
	bpfgen_cmp_range(p, BPF_REG_1, ntohl(lo->ip), ntohl(hi->ip), invert);
}

/*
 * Compare the address at @off with @c word by word, most significant
 * first: to @lt if smaller, @gt if greater, fall through if equal.
 */
static void cmp128(struct bpfgen_prog *p, int off, const union nf_inet_addr *c,
		   int lt, int gt)
{
	int i;

	for (i = 0; i < 4; i++) {
		bpfgen_load_l3(p, BPF_REG_1, off + 4 * i, 4);
		bpfgen_ntoh(p, BPF_REG_1, 4);
		bpfgen_emit_ld_imm64(p, BPF_REG_2, ntohl(c->ip6[i]));
		bpfgen_emit_jmp_reg(p, BPF_JLT, BPF_REG_1, BPF_REG_2, lt);
		bpfgen_emit_jmp_reg(p, BPF_JGT, BPF_REG_1, BPF_REG_2, gt);
	}
}

static void range6(struct bpfgen_prog *p, bool dst,
		   const union nf_inet_addr *lo,
		   const union nf_inet_addr *hi, bool invert)
{
	int off = IP6_SADDR + (dst ? 16 : 0);
	int out = bpfgen_label_new(p), above_lo = bpfgen_label_new(p);
	int in = bpfgen_label_new(p);

	cmp128(p, off, lo, out, above_lo);
	bpfgen_label_place(p, above_lo);
	cmp128(p, off, hi, in, out);
	bpfgen_label_place(p, in);
	/* falls into "in" when equal to hi; @out jumps past */
	ipb_xt_hit_end(p, out, !invert);
}

static int iprange_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			  const struct xt_entry_match *m, const char **why)
{
	const struct xt_iprange_mtinfo *info = (const void *)m->data;
	bool v6 = rule->family == NFPROTO_IPV6;
	void (*range)(struct bpfgen_prog *, bool, const union nf_inet_addr *,
		      const union nf_inet_addr *, bool) = v6 ? range6 : range4;

	if (m->u.user.revision != 1) {
		*why = "iprange match other than revision 1";
		return -EOPNOTSUPP;
	}
	if (info->flags & IPRANGE_SRC)
		range(p, false, &info->src_min, &info->src_max,
		      info->flags & IPRANGE_SRC_INV);
	if (info->flags & IPRANGE_DST)
		range(p, true, &info->dst_min, &info->dst_max,
		      info->flags & IPRANGE_DST_INV);
	return 0;
}

const struct ipb_ext ipb_ext_iprange = {
	.name = "iprange",
	.to_bpf = iprange_to_bpf,
};
