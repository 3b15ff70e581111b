// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bpfgen_prog_finish(): drop user chains nothing calls (the verifier
 * rejects unreachable instructions, while iptables happily keeps unused
 * chains), check the call graph against the kernel's limits, then patch
 * jump offsets and call targets.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bpfgen/internal.h"

static int chain_by_id(const struct bpfgen_prog *p, uint32_t id)
{
	size_t i;

	for (i = 1; i < p->nchains; i++)
		if (p->chains[i].id == id)
			return i;
	return -1;
}

static size_t chain_end(const struct bpfgen_prog *p, size_t c)
{
	return c + 1 < p->nchains ? p->chains[c + 1].start : p->cnt;
}

/*
 * Depth-first walk of the calls out of chain @c.  Sets ->depth to the
 * number of user chain frames below and including @c (0 for the base
 * chain's own frame).
 */
static int walk(struct bpfgen_prog *p, int c, const int *callee)
{
	struct chain *ch = &p->chains[c];
	int max = 0, d, err;
	size_t i;

	if (ch->visiting == 1)
		return -ELOOP;
	if (ch->visiting == 2)
		return 0;
	ch->visiting = 1;
	for (i = 0; i < p->nfixups; i++) {
		if (p->fixups[i].kind != FIXUP_CALL || p->fixups[i].chain != c)
			continue;
		err = walk(p, callee[i], callee);
		if (err)
			return err;
		d = p->chains[callee[i]].depth;
		if (d > max)
			max = d;
	}
	ch->depth = max + (ch->base ? 0 : 1);
	ch->visiting = 2;
	return 0;
}

/* Move the reachable chains together; @shift[c] is how far c moved. */
static void compact(struct bpfgen_prog *p, size_t *shift)
{
	size_t c, out = 0, start, len;

	for (c = 0; c < p->nchains; c++) {
		start = p->chains[c].start;
		len = chain_end(p, c) - start;
		shift[c] = start - out;
		if (p->chains[c].visiting != 2)
			continue;
		memmove(&p->insns[out], &p->insns[start],
			len * sizeof(*p->insns));
		out += len;
	}
	for (c = 0; c < p->nchains; c++)
		p->chains[c].start -= shift[c];
	p->cnt = out;
}

/*
 * @at is where the jump sits after compact(); the label's position and
 * f->insn are still those from before it.  A jump and its label lie in
 * one chain, which moves as a whole, so the offset is the difference of
 * the two old positions.  Mixing @at with the old label position was
 * wrong by the length of every dropped chain in front (a user chain
 * whose only call sat in dead code), e.g. for the counter subprogram's
 * jump: "jump out of range".
 */
static int patch_label(struct bpfgen_prog *p, const struct fixup *f,
		       size_t at)
{
	const struct label *l = &p->labels[f->target];
	struct bpf_insn *insn = &p->insns[at];
	long off;

	if (l->pos < 0 || l->chain != f->chain)
		return -EINVAL;
	off = (long)l->pos - (long)f->insn - 1;
	if (off >= SHRT_MIN && off <= SHRT_MAX) {
		insn->off = off;
		return 0;
	}
	/* gotol: unconditional jumps with a 32-bit offset, Linux 6.4. */
	if (insn->code == (BPF_JMP | BPF_JA)) {
		insn->code = BPF_JMP32 | BPF_JA;
		insn->imm = off;
		return 0;
	}
	return -E2BIG;
}

static int patch(struct bpfgen_prog *p, const size_t *shift,
		 const int *callee)
{
	size_t i, at;
	int err;

	for (i = 0; i < p->nfixups; i++) {
		const struct fixup *f = &p->fixups[i];

		if (p->chains[f->chain].visiting != 2)
			continue;
		at = f->insn - shift[f->chain];
		switch (f->kind) {
		case FIXUP_LABEL:
			err = patch_label(p, f, at);
			if (err)
				return err;
			break;
		case FIXUP_CALL:
			p->insns[at].imm = (long)p->chains[callee[i]].start -
					   (long)at - 1;
			break;
		case FIXUP_COUNTERS:
		case FIXUP_STATE:
		case FIXUP_STATE_INIT:
			break;
		}
	}
	for (i = 0; i < p->nfixups; i++)
		p->fixups[i].insn -= shift[p->fixups[i].chain];
	for (i = 0; i < p->nlabels; i++)
		if (p->labels[i].pos >= 0)
			p->labels[i].pos -= shift[p->labels[i].chain];
	return 0;
}

int bpfgen_prog_finish(struct bpfgen_prog *p)
{
	size_t *shift = NULL;
	int *callee = NULL;
	size_t i;
	int err;

	if (p->err)
		return p->err;
	if (p->finished)
		return 0;
	if (!p->nchains || !p->chains[0].base || p->cur_chain >= 0)
		return -EINVAL;
	err = bpfgen_chain_add_counter_sub(p);
	if (err)
		return err;
	callee = calloc(p->nfixups + 1, sizeof(*callee));
	shift = calloc(p->nchains, sizeof(*shift));
	err = -ENOMEM;
	if (!callee || !shift)
		goto out;
	err = -ENOENT;
	for (i = 0; i < p->nfixups; i++) {
		if (p->fixups[i].kind != FIXUP_CALL)
			continue;
		callee[i] = chain_by_id(p, p->fixups[i].target);
		if (callee[i] < 0)
			goto out;
	}
	for (i = 0; i < p->nchains; i++)
		p->chains[i].visiting = 0;
	err = walk(p, 0, callee);
	if (err)
		goto out;
	err = -E2BIG;
	if (p->chains[0].depth > BPFGEN_MAX_CHAIN_DEPTH)
		goto out;
	compact(p, shift);
	err = patch(p, shift, callee);
	if (err)
		goto out;
	p->finished = true;
out:
	free(callee);
	free(shift);
	if (err)
		bpfgen_set_err(p, err);
	return err;
}
