// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A listing of the emitted instructions, in the kernel verifier's
 * notation, for IPB_DUMP_INSNS=1 and golden tests.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>

#include "bpfgen/internal.h"

static const char *const alu_op[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
	"neg", "%=", "^=", "=", "s>>=", "end", "?", "?",
};

static const char *const jmp_op[16] = {
	"ja", "==", ">", ">=", "&", "!=", "s>", "s>=",
	"call", "exit", "<", "<=", "s<", "s<=", "?", "?",
};

static const char *size_name(int code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return "u8";
	case BPF_H: return "u16";
	case BPF_W: return "u32";
	default: return "u64";
	}
}

static void dump_alu(FILE *f, const struct bpf_insn *i)
{
	const char *r = BPF_CLASS(i->code) == BPF_ALU64 ? "r" : "w";
	int op = BPF_OP(i->code) >> 4;

	if (BPF_OP(i->code) == BPF_END) {
		fprintf(f, "r%d = be%d r%d", i->dst_reg, i->imm, i->dst_reg);
		return;
	}
	if (BPF_OP(i->code) == BPF_NEG) {
		fprintf(f, "%s%d = -%s%d", r, i->dst_reg, r, i->dst_reg);
		return;
	}
	if (BPF_SRC(i->code) == BPF_X)
		fprintf(f, "%s%d %s %s%d", r, i->dst_reg, alu_op[op], r,
			i->src_reg);
	else
		fprintf(f, "%s%d %s %d", r, i->dst_reg, alu_op[op], i->imm);
}

static void dump_jmp(FILE *f, const struct bpf_insn *i)
{
	const char *r = BPF_CLASS(i->code) == BPF_JMP32 ? "w" : "r";
	int op = BPF_OP(i->code) >> 4;

	switch (BPF_OP(i->code)) {
	case BPF_JA:
		if (BPF_CLASS(i->code) == BPF_JMP32)
			fprintf(f, "gotol pc%+d", i->imm);
		else
			fprintf(f, "goto pc%+d", i->off);
		return;
	case BPF_EXIT:
		fprintf(f, "exit");
		return;
	case BPF_CALL:
		if (i->src_reg == BPF_PSEUDO_CALL)
			fprintf(f, "call pc%+d", i->imm);
		else if (i->src_reg == BPF_PSEUDO_KFUNC_CALL)
			fprintf(f, "call kfunc#%d", i->imm);
		else
			fprintf(f, "call helper#%d", i->imm);
		return;
	}
	if (BPF_SRC(i->code) == BPF_X)
		fprintf(f, "if %s%d %s %s%d goto pc%+d", r, i->dst_reg,
			jmp_op[op], r, i->src_reg, i->off);
	else
		fprintf(f, "if %s%d %s %d goto pc%+d", r, i->dst_reg,
			jmp_op[op], i->imm, i->off);
}

static void dump_ld_imm64(FILE *f, const struct bpfgen_prog *p, size_t pc)
{
	const struct bpf_insn *i = &p->insns[pc];
	uint64_t v = (uint32_t)i->imm;

	if (pc + 1 < p->cnt)
		v |= (uint64_t)(uint32_t)p->insns[pc + 1].imm << 32;
	fprintf(f, "r%d = 0x%" PRIx64 "%s", i->dst_reg, v,
		i->src_reg == BPF_PSEUDO_MAP_FD ? " map_fd" : "");
}

int bpfgen_prog_dump(const struct bpfgen_prog *p, FILE *f)
{
	size_t pc;

	for (pc = 0; pc < p->cnt; pc++) {
		const struct bpf_insn *i = &p->insns[pc];

		fprintf(f, "%4zu: ", pc);
		switch (BPF_CLASS(i->code)) {
		case BPF_ALU:
		case BPF_ALU64:
			dump_alu(f, i);
			break;
		case BPF_JMP:
		case BPF_JMP32:
			dump_jmp(f, i);
			break;
		case BPF_LDX:
			fprintf(f, "r%d = *(%s *)(r%d %+d)", i->dst_reg,
				size_name(i->code), i->src_reg, i->off);
			break;
		case BPF_STX:
			fprintf(f, "*(%s *)(r%d %+d) = r%d",
				size_name(i->code), i->dst_reg, i->off,
				i->src_reg);
			break;
		case BPF_ST:
			fprintf(f, "*(%s *)(r%d %+d) = %d",
				size_name(i->code), i->dst_reg, i->off, i->imm);
			break;
		case BPF_LD:
			dump_ld_imm64(f, p, pc);
			pc++;
			break;
		default:
			fprintf(f, "code 0x%02x", i->code);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}
