// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The instruction buffer: append with a sticky error, labels and calls
 * resolved in bpfgen_prog_finish().
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/netfilter.h>

#include "bpfgen/internal.h"

/* Grow *@arr to hold @need elements of @esz bytes. */
static int grow(void **arr, size_t *cap, size_t need, size_t esz)
{
	size_t ncap = *cap ? *cap : 64;
	void *n;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	n = realloc(*arr, ncap * esz);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}

void bpfgen_set_err(struct bpfgen_prog *p, int err)
{
	if (!p->err)
		p->err = err;
}

int bpfgen_prog_new(struct bpfgen_prog **out, int family, int hook)
{
	const struct bpfgen_kinfo *k;
	struct bpfgen_prog *p;
	int err;

	if (family != NFPROTO_IPV4 && family != NFPROTO_IPV6)
		return -EAFNOSUPPORT;
	if (hook < NF_INET_PRE_ROUTING || hook > NF_INET_POST_ROUTING)
		return -EINVAL;
	err = bpfgen_kinfo_get(&k);
	if (err)
		return err;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->family = family;
	p->hook = hook;
	p->k = k;
	p->cur_chain = -1;
	p->rule_fail = -1;
	p->max_counter = -1;
	p->counters_fd = -1;
	p->state_fd = -1;
	p->state_init_fd = -1;
	*out = p;
	return 0;
}

void bpfgen_prog_free(struct bpfgen_prog *p)
{
	if (!p)
		return;
	if (p->counters_fd >= 0)
		close(p->counters_fd);
	if (p->state_fd >= 0)
		close(p->state_fd);
	if (p->state_init_fd >= 0)
		close(p->state_init_fd);
	free(p->state);
	free(p->insns);
	free(p->labels);
	free(p->fixups);
	free(p->chains);
	free(p);
}

int bpfgen_prog_err(const struct bpfgen_prog *p)
{
	return p->err;
}

int bpfgen_prog_family(const struct bpfgen_prog *p)
{
	return p->family;
}

int bpfgen_prog_hook(const struct bpfgen_prog *p)
{
	return p->hook;
}

/*
 * Code after an exit or a goto is dropped until a label some jump
 * targets is placed: a rule "-j DROP" without matches makes the rest of
 * its chain unreachable, and the verifier refuses unreachable code.
 */
static bool ends_flow(struct bpf_insn insn)
{
	return insn.code == (BPF_JMP | BPF_EXIT) ||
	       insn.code == (BPF_JMP | BPF_JA) ||
	       insn.code == (BPF_JMP32 | BPF_JA);
}

void bpfgen_emit(struct bpfgen_prog *p, struct bpf_insn insn)
{
	if (p->err || p->dead)
		return;
	if (p->finished) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	if (grow((void **)&p->insns, &p->cap, p->cnt + 1, sizeof(insn))) {
		bpfgen_set_err(p, -ENOMEM);
		return;
	}
	p->insns[p->cnt++] = insn;
	if (ends_flow(insn))
		p->dead = true;
}

void bpfgen_emit_ld_imm64(struct bpfgen_prog *p, int reg, uint64_t v)
{
	bpfgen_emit(p, BPFGEN_LD_IMM64_LO(reg, 0, v));
	bpfgen_emit(p, BPFGEN_LD_IMM64_HI(v));
}

int bpfgen_label_new(struct bpfgen_prog *p)
{
	if (p->err)
		return p->err;
	if (p->cur_chain < 0) {
		bpfgen_set_err(p, -EINVAL);
		return -EINVAL;
	}
	if (grow((void **)&p->labels, &p->caplabels, p->nlabels + 1,
		 sizeof(*p->labels))) {
		bpfgen_set_err(p, -ENOMEM);
		return -ENOMEM;
	}
	p->labels[p->nlabels] = (struct label){
		.pos = -1, .chain = p->cur_chain,
	};
	return p->nlabels++;
}

void bpfgen_label_place(struct bpfgen_prog *p, int label)
{
	if (p->err)
		return;
	if (label < 0 || (size_t)label >= p->nlabels ||
	    p->labels[label].pos >= 0 ||
	    p->labels[label].chain != p->cur_chain) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	p->labels[label].pos = p->cnt;
	if (p->labels[label].refs)
		p->dead = false;
	else if (p->dead)
		p->labels[label].dead = true;
}

/* Record that the next instruction emitted needs fixing up. */
int bpfgen_add_fixup(struct bpfgen_prog *p, enum fixup_kind kind,
		     uint32_t target)
{
	if (p->err)
		return p->err;
	/* The instruction will be dropped: nothing to fix. */
	if (p->dead)
		return 0;
	if (kind == FIXUP_LABEL) {
		/* A jump back into dropped code cannot be honoured. */
		if (p->labels[target].dead) {
			bpfgen_set_err(p, -EINVAL);
			return -EINVAL;
		}
		p->labels[target].refs++;
	}
	if (grow((void **)&p->fixups, &p->capfixups, p->nfixups + 1,
		 sizeof(*p->fixups))) {
		bpfgen_set_err(p, -ENOMEM);
		return -ENOMEM;
	}
	p->fixups[p->nfixups++] = (struct fixup){
		.kind = kind, .insn = p->cnt, .target = target,
		.chain = p->cur_chain,
	};
	return 0;
}

/* The condition that holds when @op does not, or 0 if there is none. */
static int negate_op(int op)
{
	switch (op) {
	case BPF_JEQ: return BPF_JNE;
	case BPF_JNE: return BPF_JEQ;
	case BPF_JGT: return BPF_JLE;
	case BPF_JLE: return BPF_JGT;
	case BPF_JGE: return BPF_JLT;
	case BPF_JLT: return BPF_JGE;
	case BPF_JSGT: return BPF_JSLE;
	case BPF_JSLE: return BPF_JSGT;
	case BPF_JSGE: return BPF_JSLT;
	case BPF_JSLT: return BPF_JSGE;
	default: return 0;
	}
}

/*
 * "if (cond) goto fail" as "if (!cond) goto +1; goto fail".
 *
 * The verifier walks the fall-through of a conditional jump first and
 * keeps the taken side on a stack of pending states, which may hold
 * 8192 ("The sequence of 8192 jumps is too complex").  With mismatches
 * as taken jumps, a chain keeps every check of every rule pending while
 * the verifier walks the matching path: about 2000 rules of five checks
 * each were the limit.  Inverted, the verifier first walks mismatch
 * after mismatch to the end of the chain with one pending state per
 * rule, and needs fewer instructions in all.  The price at run time is
 * one more jump on a mismatch.
 *
 * Jumps to the chain's hotdrop label go the same way: it sits at the end
 * of the chain, farther than a conditional jump's 16-bit offset reaches
 * in a large chain, while the goto can take a 32-bit one (finish.c).
 */
static bool is_far_label(const struct bpfgen_prog *p, int label)
{
	return label == p->rule_fail ||
	       (p->cur_chain >= 0 && label == p->chains[p->cur_chain].hotdrop);
}

static bool emit_fail_jmp(struct bpfgen_prog *p, struct bpf_insn insn,
			  int label)
{
	int neg = negate_op(BPF_OP(insn.code));
	struct bpf_insn ja = BPFGEN_INSN(BPF_JMP | BPF_JA, 0, 0, 0, 0);

	if (!is_far_label(p, label) || BPF_OP(insn.code) == BPF_JA || !neg)
		return false;
	insn.code = BPF_CLASS(insn.code) | neg | BPF_SRC(insn.code);
	insn.off = 1;
	bpfgen_emit(p, insn);
	if (p->err || p->dead || bpfgen_add_fixup(p, FIXUP_LABEL, label))
		return true;
	/* Not the end of the flow: the jump above lands after it. */
	bpfgen_emit(p, ja);
	p->dead = false;
	return true;
}

static void emit_jmp(struct bpfgen_prog *p, struct bpf_insn insn, int label)
{
	if (label < 0 || (size_t)label >= p->nlabels) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	if (emit_fail_jmp(p, insn, label))
		return;
	if (bpfgen_add_fixup(p, FIXUP_LABEL, label))
		return;
	bpfgen_emit(p, insn);
}

void bpfgen_emit_ja(struct bpfgen_prog *p, int label)
{
	emit_jmp(p, BPFGEN_INSN(BPF_JMP | BPF_JA, 0, 0, 0, 0), label);
}

void bpfgen_emit_jmp_imm(struct bpfgen_prog *p, int op, int reg, int32_t imm,
			 int label)
{
	emit_jmp(p, BPFGEN_INSN(BPF_JMP | op | BPF_K, reg, 0, 0, imm), label);
}

void bpfgen_emit_jmp32_imm(struct bpfgen_prog *p, int op, int reg, int32_t imm,
			   int label)
{
	emit_jmp(p, BPFGEN_INSN(BPF_JMP32 | op | BPF_K, reg, 0, 0, imm), label);
}

void bpfgen_emit_jmp_reg(struct bpfgen_prog *p, int op, int dst, int src,
			 int label)
{
	emit_jmp(p, BPFGEN_INSN(BPF_JMP | op | BPF_X, dst, src, 0, 0), label);
}

bool bpfgen_check_scratch(struct bpfgen_prog *p, int reg)
{
	if (reg >= BPF_REG_0 && reg <= BPF_REG_5)
		return true;
	bpfgen_set_err(p, -EINVAL);
	return false;
}

bool bpfgen_in_rule(struct bpfgen_prog *p)
{
	if (p->rule_fail >= 0)
		return true;
	bpfgen_set_err(p, -EINVAL);
	return false;
}

const struct bpf_insn *bpfgen_prog_insns(const struct bpfgen_prog *p)
{
	return p->insns;
}

size_t bpfgen_prog_insn_cnt(const struct bpfgen_prog *p)
{
	return p->cnt;
}

int bpfgen_loop_take(struct bpfgen_prog *p)
{
	if (p->loops >= BPFGEN_MAX_LOOPS)
		return -E2BIG;
	p->loops++;
	return 0;
}
