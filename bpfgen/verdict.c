// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rule verdicts and counters.  NF_DROP/NF_ACCEPT double as the user
 * chain codes BPFGEN_CODE_DROP/ACCEPT, so ACCEPT and DROP are the same
 * two instructions in every chain, and a caller passes them up as is.
 */
#include "config.h"

#include <errno.h>

#include "bpfgen/internal.h"

/*
 * counters[idx].packets += 1, .bytes += skb->len, through a call to the
 * counter subprogram that bpfgen_prog_finish() appends.  One call site
 * of bpf_map_lookup_elem() per program instead of one per rule: the
 * verifier inlines each PERCPU_ARRAY lookup by patching the program,
 * and every patch copies the whole instruction array, which made a
 * 2000-rule chain take seconds to load.
 */
void bpfgen_emit_counter_inc(struct bpfgen_prog *p, int idx)
{
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_1, idx));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_7,
				      p->k->skb_len));
	if (bpfgen_add_fixup(p, FIXUP_CALL, BPFGEN_COUNTER_CHAIN))
		return;
	bpfgen_emit(p, BPFGEN_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0,
				   0));
}

/*
 * The counter subprogram: R1 = slot, R2 = bytes.  The value is per CPU
 * and a netfilter hook runs with migration disabled, so plain adds do.
 * A map element holds 2^counter_shift slots (counters.c): the key is
 * slot >> shift, the slot's 16 bytes at (slot & mask) * 16 in it; the
 * mask keeps the offset inside the value for the verifier.
 */
void bpfgen_emit_counter_sub(struct bpfgen_prog *p)
{
	int skip = bpfgen_label_new(p);
	unsigned int shift;

	shift = bpfgen_counter_shift(p->max_counter + 1);
	p->counter_shift = shift;
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_7, BPF_REG_1));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_7, (1U << shift) - 1));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_7, 4));
	if (shift)
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_RSH, BPF_REG_1, shift));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_1,
				      -BPFGEN_FRAME_KEY));
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_6, BPF_REG_2));
	if (bpfgen_add_fixup(p, FIXUP_COUNTERS, 0))
		return;
	bpfgen_emit(p, BPFGEN_LD_IMM64_LO(BPF_REG_1, BPF_PSEUDO_MAP_FD, 0));
	bpfgen_emit(p, BPFGEN_LD_IMM64_HI(0));
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_10));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_2, -BPFGEN_FRAME_KEY));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_map_lookup_elem));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_0, 0, skip);
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_7));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_0, 0));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_1, 1));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 0));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_0, 8));
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_6));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 8));
	bpfgen_label_place(p, skip);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, 0));
	bpfgen_emit(p, BPFGEN_EXIT());
}

/* Call user chain @id with R1 = ctx, R2 = packet info. */
static void emit_call(struct bpfgen_prog *p, uint32_t id)
{
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_1, BPF_REG_6));
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_9));
	if (bpfgen_add_fixup(p, FIXUP_CALL, id))
		return;
	bpfgen_emit(p, BPFGEN_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0,
				   0));
}

/*
 * Pass a callee's ACCEPT/DROP up.  In the base chain the value becomes
 * the program's return value, which the verifier wants provably 0 or 1:
 * the AND keeps that obvious without changing 0 or 1.
 */
static void emit_pass_up(struct bpfgen_prog *p, bool base)
{
	if (base)
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_0, 1));
	bpfgen_emit(p, BPFGEN_EXIT());
}

void bpfgen_emit_verdict(struct bpfgen_prog *p, const struct bpfgen_verdict *v,
			 int next_label)
{
	bool base = p->chains[p->cur_chain].base;

	switch (v->kind) {
	case BPFGEN_VERDICT_CONTINUE:
		break;
	case BPFGEN_VERDICT_ACCEPT:
		bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, BPFGEN_CODE_ACCEPT));
		bpfgen_emit(p, BPFGEN_EXIT());
		break;
	case BPFGEN_VERDICT_DROP:
		bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, BPFGEN_CODE_DROP));
		bpfgen_emit(p, BPFGEN_EXIT());
		break;
	case BPFGEN_VERDICT_RETURN:
		if (base) {
			/* RETURN from a base chain applies its policy. */
			bpfgen_emit_ja(p, bpfgen_chain_return_label(p));
			break;
		}
		bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, BPFGEN_CODE_RETURN));
		bpfgen_emit(p, BPFGEN_EXIT());
		break;
	case BPFGEN_VERDICT_JUMP:
		emit_call(p, v->chain_id);
		bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_0, BPFGEN_CODE_RETURN,
				    next_label);
		emit_pass_up(p, base);
		break;
	case BPFGEN_VERDICT_GOTO:
		/* When the target returns, this chain returns. */
		emit_call(p, v->chain_id);
		if (base)
			bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_0,
					    BPFGEN_CODE_RETURN,
					    bpfgen_chain_return_label(p));
		emit_pass_up(p, base);
		break;
	default:
		bpfgen_set_err(p, -EINVAL);
	}
}
