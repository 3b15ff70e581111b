// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m length, a compat match in iptables-nft 1.8.9: length_mt() and
 * length_mt6() of xt_length.c.  The length is the header's, not the
 * skb's: IPv4 tot_len, IPv6 payload_len + 40; (min <= len <= max) ^
 * invert.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/xt_length.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

#define IP4_TOT_LEN 2
#define IP6_PAYLOAD_LEN 4
#define IP6_HDR_LEN 40

static int length_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			 const struct xt_entry_match *m, const char **why)
{
	const struct xt_length_info *info = (const void *)m->data;
	bool v6 = rule->family == NFPROTO_IPV6;

	bpfgen_load_l3(p, BPF_REG_1, v6 ? IP6_PAYLOAD_LEN : IP4_TOT_LEN, 2);
	bpfgen_ntoh(p, BPF_REG_1, 2);
	if (v6)
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_1,
						IP6_HDR_LEN));
	bpfgen_cmp_range(p, BPF_REG_1, info->min, info->max, info->invert);
	return 0;
}

const struct ipb_ext ipb_ext_length = {
	.name = "length",
	.to_bpf = length_to_bpf,
};
