// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m ecn, a compat match in iptables-nft 1.8.9: ecn_mt4()/ecn_mt6() of
 * xt_ecn.c.  The IP part compares the two ECN bits of the DS field; the
 * TCP part tests ECE and CWR, each inverted on its own.  The TCP part
 * checks no fragment offset and does not drop a short header: it just
 * does not match (match_tcp()).
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/netfilter/xt_ecn.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

#define TCP_FLAGS 13
#define TCP_ECE 0x40
#define TCP_CWR 0x80

/* One TCP flag: set unless inverted.  R1 holds byte 13. */
static void tcp_bit(struct bpfgen_prog *p, const struct xt_ecn_info *info,
		    uint8_t op, uint8_t bit)
{
	if (!(info->operation & op))
		return;
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_1));
	bpfgen_cmp_mask(p, BPF_REG_2, bit, bit, info->invert & op);
}

static int ecn_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **why)
{
	const struct xt_ecn_info *info = (const void *)m->data;
	int fail = bpfgen_rule_fail_label(p);

	if (info->operation & XT_ECN_OP_MATCH_IP) {
		ipb_xt_load_dsfield(p, BPF_REG_1);
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_1, 3));
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, info->ip_ect, 1,
			       info->invert & XT_ECN_OP_MATCH_IP);
	}
	if (!(info->operation & (XT_ECN_OP_MATCH_ECE | XT_ECN_OP_MATCH_CWR)))
		return 0;
	bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_L4AVAIL);
	bpfgen_emit_jmp_imm(p, BPF_JLT, BPF_REG_1, 20, fail);
	bpfgen_load_l4(p, BPF_REG_1, TCP_FLAGS, 1, fail);
	tcp_bit(p, info, XT_ECN_OP_MATCH_ECE, TCP_ECE);
	tcp_bit(p, info, XT_ECN_OP_MATCH_CWR, TCP_CWR);
	return 0;
}

const struct ipb_ext ipb_ext_ecn = {
	.name = "ecn",
	.to_bpf = ecn_to_bpf,
};
