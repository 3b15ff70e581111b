// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>

#include <linux/netfilter.h>

#include "bpfgen/bpfgen.h"
#include "extensions/xtmatch.h"

#define TCP_HDR_LEN 20

void ipb_xt_fail_if_fragment(struct bpfgen_prog *p)
{
	bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_FRAGOFF);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, 0,
			    bpfgen_rule_fail_label(p));
}

void ipb_xt_need_l4(struct bpfgen_prog *p, int len)
{
	bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_L4AVAIL);
	bpfgen_emit_jmp_imm(p, BPF_JLT, BPF_REG_1, len,
			    bpfgen_hotdrop_label(p));
}

void ipb_xt_l4_begin(struct bpfgen_prog *p, int len)
{
	ipb_xt_fail_if_fragment(p);
	ipb_xt_need_l4(p, len);
}

void ipb_xt_hit_end(struct bpfgen_prog *p, int hit, bool invert)
{
	int fail = bpfgen_rule_fail_label(p), next;

	if (!invert) {
		bpfgen_emit_ja(p, fail);
		bpfgen_label_place(p, hit);
		return;
	}
	next = bpfgen_label_new(p);
	bpfgen_emit_ja(p, next);
	bpfgen_label_place(p, hit);
	bpfgen_emit_ja(p, fail);
	bpfgen_label_place(p, next);
}

void ipb_xt_tcp_doff(struct bpfgen_prog *p, int reg)
{
	bpfgen_load_l4(p, reg, 12, 1, bpfgen_hotdrop_label(p));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_RSH, reg, 4));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, reg, 2));
}

void ipb_xt_tcp_opts_begin(struct bpfgen_prog *p, int none)
{
	int hotdrop = bpfgen_hotdrop_label(p);

	ipb_xt_tcp_doff(p, BPF_REG_2);
	bpfgen_emit_jmp_imm(p, BPF_JLT, BPF_REG_2, TCP_HDR_LEN, hotdrop);
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_2, TCP_HDR_LEN, none);
	bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_L4AVAIL);
	bpfgen_emit_jmp_reg(p, BPF_JLT, BPF_REG_1, BPF_REG_2, hotdrop);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_SUB, BPF_REG_2, TCP_HDR_LEN));
}

/*
 * for (i = 0; i < optlen; ) {
 *	if (op[i] == kind) found;
 *	i += op[i] < 2 ? 1 : (op[i + 1] ?: 1);
 * }
 * As a loop with a backward jump: i only grows and the compare with the
 * option length (at most 40) bounds it for the verifier.  op[i + 1] may
 * lie past the options, as in the kernel; any value ends the walk then.
 */
int ipb_xt_tcp_opt_walk(struct bpfgen_prog *p, uint8_t kind, int found,
			int end, int *advance)
{
	int loop, skip, add, err;

	err = bpfgen_loop_take(p);
	if (err)
		return err;
	loop = bpfgen_label_new(p);
	skip = bpfgen_label_new(p);
	add = bpfgen_label_new(p);

	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_1, 0));
	bpfgen_label_place(p, loop);
	bpfgen_emit_jmp_reg(p, BPF_JGE, BPF_REG_1, BPF_REG_2, end);
	bpfgen_load_l4_idx(p, BPF_REG_3, BPF_REG_1, TCP_HDR_LEN, end);
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_3, kind, found);
	bpfgen_emit_jmp_imm(p, BPF_JGE, BPF_REG_3, 2, skip);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_1, 1));
	bpfgen_emit_ja(p, loop);
	bpfgen_label_place(p, skip);
	bpfgen_load_l4_idx(p, BPF_REG_3, BPF_REG_1, TCP_HDR_LEN + 1, end);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_3, 0, add);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_3, 1));
	bpfgen_label_place(p, add);
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_3));
	bpfgen_emit_ja(p, loop);
	*advance = skip;
	return 0;
}

int ipb_xt_hl_cmp(struct bpfgen_prog *p, int reg, uint8_t mode, uint8_t value)
{
	static const enum bpfgen_cmp op[] = {
		BPFGEN_CMP_EQ, BPFGEN_CMP_NE, BPFGEN_CMP_LT, BPFGEN_CMP_GT,
	};

	if (mode >= sizeof(op) / sizeof(op[0])) {
		bpfgen_emit_ja(p, bpfgen_rule_fail_label(p));
		return 0;
	}
	bpfgen_cmp_imm(p, reg, op[mode], value, 1, false);
	return 0;
}

void ipb_xt_load_dsfield(struct bpfgen_prog *p, int reg)
{
	if (bpfgen_prog_family(p) == NFPROTO_IPV4) {
		bpfgen_load_l3(p, reg, 1, 1);
		return;
	}
	bpfgen_load_l3(p, reg, 0, 2);
	bpfgen_ntoh(p, reg, 2);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_RSH, reg, 4));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, reg, 0xff));
}

void ipb_xt_ipv6_hdr(struct bpfgen_prog *p, int target, int len)
{
	int hotdrop = bpfgen_hotdrop_label(p);

	bpfgen_ipv6_find_hdr(p, target, bpfgen_rule_fail_label(p), hotdrop);
	bpfgen_load_pkt(p, BPF_REG_1, BPF_REG_0, len - 1, 1, hotdrop);
}

void ipb_xt_ipv6_hdr_load(struct bpfgen_prog *p, int reg, int off, int size)
{
	bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_SCRATCH);
	/* in the header, which ipb_xt_ipv6_hdr() checked is there */
	bpfgen_load_pkt(p, reg, BPF_REG_1, off, size,
			bpfgen_hotdrop_label(p));
	if (size > 1)
		bpfgen_ntoh(p, reg, size);
}

void ipb_xt_ipv6_hdr_fits(struct bpfgen_prog *p, int reg)
{
	int tmp = reg == BPF_REG_1 ? BPF_REG_2 : BPF_REG_1;
	int tmp2 = reg == BPF_REG_3 ? BPF_REG_4 : BPF_REG_3;

	bpfgen_load_pkt_info(p, tmp, BPFGEN_PI_SKBLEN);
	bpfgen_load_pkt_info(p, tmp2, BPFGEN_PI_SCRATCH);
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_SUB, tmp, tmp2));
	bpfgen_emit_jmp_reg(p, BPF_JLT, tmp, reg, bpfgen_hotdrop_label(p));
}
