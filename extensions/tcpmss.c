// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m tcpmss, a compat match in iptables-nft 1.8.9: tcpmss_mt() of
 * xt_tcpmss.c.  It reads the TCP header at the transport offset with no
 * look at the fragment offset; a header shorter than 20 bytes, a data
 * offset below 5 or options cut short drop the packet.  The first MSS
 * option (kind 2, length 4, whole) decides: (min <= mss <= max) ^
 * invert; without one the result is the inversion flag.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/netfilter/xt_tcpmss.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

#define TCPOPT_MSS 2
#define TCPOLEN_MSS 4
#define TCP_HDR_LEN 20

/* At an option of kind 2 (R1 its index, R2 the option length). */
static void mss_value(struct bpfgen_prog *p,
		      const struct xt_tcpmss_match_info *info, int advance,
		      int hit, int end)
{
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_3, BPF_REG_2));
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_SUB, BPF_REG_3, BPF_REG_1));
	bpfgen_emit_jmp_imm(p, BPF_JLT, BPF_REG_3, TCPOLEN_MSS, advance);
	bpfgen_load_l4_idx(p, BPF_REG_3, BPF_REG_1, TCP_HDR_LEN + 1, end);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_3, TCPOLEN_MSS, advance);
	bpfgen_load_l4_idx(p, BPF_REG_3, BPF_REG_1, TCP_HDR_LEN + 2, end);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_3, 8));
	bpfgen_load_l4_idx(p, BPF_REG_4, BPF_REG_1, TCP_HDR_LEN + 3, end);
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_OR, BPF_REG_3, BPF_REG_4));
	bpfgen_emit_jmp_imm(p, BPF_JLT, BPF_REG_3, info->mss_min, end);
	bpfgen_emit_jmp_imm(p, BPF_JLE, BPF_REG_3, info->mss_max, hit);
}

static int tcpmss_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			 const struct xt_entry_match *m, const char **why)
{
	const struct xt_tcpmss_match_info *info = (const void *)m->data;
	int found = bpfgen_label_new(p), end = bpfgen_label_new(p);
	int hit = bpfgen_label_new(p), advance;

	if (info->invert > 1) {
		*why = "tcpmss inversion flag other than 0 or 1";
		return -EOPNOTSUPP;
	}
	ipb_xt_need_l4(p, TCP_HDR_LEN);
	ipb_xt_tcp_opts_begin(p, end);
	if (ipb_xt_tcp_opt_walk(p, TCPOPT_MSS, found, end, &advance)) {
		*why = IPB_XT_WALKS_WHY;
		return -EOPNOTSUPP;
	}
	bpfgen_label_place(p, found);
	mss_value(p, info, advance, hit, end);
	bpfgen_label_place(p, end);
	ipb_xt_hit_end(p, hit, info->invert);
	return 0;
}

const struct ipb_ext ipb_ext_tcpmss = {
	.name = "tcpmss",
	.to_bpf = tcpmss_to_bpf,
};
