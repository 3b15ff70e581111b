// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compares that end a match: the rule goes on when the condition holds
 * (xor invert) and jumps to its fail label otherwise.  Immediates that
 * do not fit a sign-extended 32-bit field go through a temporary: R0, or
 * R1 when the value is in R0.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>

#include "bpfgen/internal.h"

static const int jmp_of[__BPFGEN_CMP_MAX] = {
	[BPFGEN_CMP_EQ] = BPF_JEQ, [BPFGEN_CMP_NE] = BPF_JNE,
	[BPFGEN_CMP_LT] = BPF_JLT, [BPFGEN_CMP_LE] = BPF_JLE,
	[BPFGEN_CMP_GT] = BPF_JGT, [BPFGEN_CMP_GE] = BPF_JGE,
};

static const enum bpfgen_cmp negate[__BPFGEN_CMP_MAX] = {
	[BPFGEN_CMP_EQ] = BPFGEN_CMP_NE, [BPFGEN_CMP_NE] = BPFGEN_CMP_EQ,
	[BPFGEN_CMP_LT] = BPFGEN_CMP_GE, [BPFGEN_CMP_LE] = BPFGEN_CMP_GT,
	[BPFGEN_CMP_GT] = BPFGEN_CMP_LE, [BPFGEN_CMP_GE] = BPFGEN_CMP_LT,
};

void bpfgen_ntoh(struct bpfgen_prog *p, int reg, int size)
{
	if (!bpfgen_check_scratch(p, reg))
		return;
	if (size != 2 && size != 4 && size != 8) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	bpfgen_emit(p, BPFGEN_BSWAP_BE(reg, size * 8));
}

/* if (@reg @op @imm) goto @label, with 64-bit unsigned @imm. */
static void jmp64(struct bpfgen_prog *p, enum bpfgen_cmp op, int reg,
		  uint64_t imm, int label)
{
	int tmp = reg == BPF_REG_0 ? BPF_REG_1 : BPF_REG_0;

	if (imm <= INT32_MAX) {
		bpfgen_emit_jmp_imm(p, jmp_of[op], reg, (int32_t)imm, label);
		return;
	}
	bpfgen_emit_ld_imm64(p, tmp, imm);
	bpfgen_emit_jmp_reg(p, jmp_of[op], reg, tmp, label);
}

static bool check(struct bpfgen_prog *p, int reg)
{
	return bpfgen_check_scratch(p, reg) && bpfgen_in_rule(p);
}

void bpfgen_cmp_imm(struct bpfgen_prog *p, int reg, enum bpfgen_cmp op,
		    uint64_t imm, int size, bool invert)
{
	enum bpfgen_cmp fail_op;

	if (!check(p, reg))
		return;
	if (op < 0 || op >= __BPFGEN_CMP_MAX ||
	    (size != 1 && size != 2 && size != 4 && size != 8)) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	fail_op = invert ? op : negate[op];
	if (size < 8) {
		uint64_t max = (1ULL << (size * 8)) - 1;

		bpfgen_emit(p, size == 4 ?
			BPFGEN_INSN(BPF_ALU | BPF_MOV | BPF_X, reg, reg, 0, 0) :
			BPFGEN_ALU64_IMM(BPF_AND, reg, (int32_t)max));
		if (imm > max) {
			bpfgen_set_err(p, -ERANGE);
			return;
		}
	}
	jmp64(p, fail_op, reg, imm, p->rule_fail);
}

void bpfgen_cmp_range(struct bpfgen_prog *p, int reg, uint64_t lo,
		      uint64_t hi, bool invert)
{
	int ok;

	if (!check(p, reg))
		return;
	if (!invert) {
		jmp64(p, BPFGEN_CMP_LT, reg, lo, p->rule_fail);
		jmp64(p, BPFGEN_CMP_GT, reg, hi, p->rule_fail);
		return;
	}
	ok = bpfgen_label_new(p);
	jmp64(p, BPFGEN_CMP_LT, reg, lo, ok);
	jmp64(p, BPFGEN_CMP_GT, reg, hi, ok);
	bpfgen_emit_ja(p, p->rule_fail);
	bpfgen_label_place(p, ok);
}

void bpfgen_cmp_mask(struct bpfgen_prog *p, int reg, uint64_t mask,
		     uint64_t val, bool invert)
{
	int tmp = reg == BPF_REG_0 ? BPF_REG_1 : BPF_REG_0;

	if (!check(p, reg))
		return;
	if (mask <= INT32_MAX) {
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, reg, (int32_t)mask));
	} else {
		bpfgen_emit_ld_imm64(p, tmp, mask);
		bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_AND, reg, tmp));
	}
	jmp64(p, invert ? BPFGEN_CMP_EQ : BPFGEN_CMP_NE, reg, val & mask,
	      p->rule_fail);
}
