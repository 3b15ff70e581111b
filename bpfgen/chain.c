// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Chains and rules.  The base chain is the program's entry; each user
 * chain is a BPF subprogram (bpf-to-bpf call) so that a chain jumped to
 * from many rules exists once.  A rule is a run of matches that jump to
 * its fail label, then the counter update and the verdict.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "bpfgen/internal.h"

static int chain_add(struct bpfgen_prog *p, uint32_t id, bool base)
{
	struct chain *n;
	size_t cap;

	if (p->err)
		return p->err;
	if (p->cur_chain >= 0 || p->finished) {
		bpfgen_set_err(p, -EINVAL);
		return -EINVAL;
	}
	if (p->nchains == p->capchains) {
		cap = p->capchains ? p->capchains * 2 : 8;
		n = realloc(p->chains, cap * sizeof(*n));
		if (!n) {
			bpfgen_set_err(p, -ENOMEM);
			return -ENOMEM;
		}
		p->chains = n;
		p->capchains = cap;
	}
	p->chains[p->nchains] = (struct chain){
		.id = id, .start = p->cnt, .base = base, .hotdrop = -1,
		.ret_label = -1,
	};
	p->cur_chain = p->nchains++;
	p->dead = false;
	return 0;
}

int bpfgen_chain_begin(struct bpfgen_prog *p, uint32_t chain_id)
{
	int err;

	if (p->nchains) {
		bpfgen_set_err(p, -EINVAL);
		return -EINVAL;
	}
	err = chain_add(p, chain_id, true);
	if (err)
		return err;
	bpfgen_emit_prologue(p);
	return p->err;
}

int bpfgen_user_chain_begin(struct bpfgen_prog *p, uint32_t chain_id)
{
	size_t i;
	int err;

	/* The base chain comes first: it is the entry point. */
	if (!p->nchains || chain_id == BPFGEN_COUNTER_CHAIN) {
		bpfgen_set_err(p, -EINVAL);
		return -EINVAL;
	}
	for (i = 1; i < p->nchains; i++) {
		if (p->chains[i].id == chain_id) {
			bpfgen_set_err(p, -EEXIST);
			return -EEXIST;
		}
	}
	err = chain_add(p, chain_id, false);
	if (err)
		return err;
	/* R1 = ctx, R2 = the caller's packet info block. */
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_6, BPF_REG_1));
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_9, BPF_REG_2));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_7, BPF_REG_6,
				      IPB_NF_CTX_SKB_OFF));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_8, BPF_REG_6,
				      IPB_NF_CTX_STATE_OFF));
	return p->err;
}

/* A label in the current chain that behaves as the chain's end. */
int bpfgen_chain_return_label(struct bpfgen_prog *p)
{
	struct chain *c;

	if (p->cur_chain < 0) {
		bpfgen_set_err(p, -EINVAL);
		return -EINVAL;
	}
	c = &p->chains[p->cur_chain];
	if (c->ret_label < 0)
		c->ret_label = bpfgen_label_new(p);
	return c->ret_label;
}

int bpfgen_hotdrop_label(struct bpfgen_prog *p)
{
	struct chain *c;

	if (p->cur_chain < 0) {
		bpfgen_set_err(p, -EINVAL);
		return -EINVAL;
	}
	c = &p->chains[p->cur_chain];
	if (c->hotdrop < 0)
		c->hotdrop = bpfgen_label_new(p);
	return c->hotdrop;
}

/* Close the current chain: its return path, then its hotdrop path. */
static int chain_close(struct bpfgen_prog *p, bool base, int policy,
		       int counter_idx)
{
	struct chain *c;

	if (p->err)
		return p->err;
	if (p->cur_chain < 0 || p->rule_fail >= 0 ||
	    p->chains[p->cur_chain].base != base) {
		bpfgen_set_err(p, -EINVAL);
		return -EINVAL;
	}
	c = &p->chains[p->cur_chain];
	if (c->ret_label >= 0)
		bpfgen_label_place(p, c->ret_label);
	if (counter_idx >= 0)
		bpfgen_emit_counter_inc(p, counter_idx);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, policy));
	bpfgen_emit(p, BPFGEN_EXIT());
	if (c->hotdrop >= 0) {
		bpfgen_label_place(p, c->hotdrop);
		bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, BPFGEN_CODE_DROP));
		bpfgen_emit(p, BPFGEN_EXIT());
	}
	p->cur_chain = -1;
	return p->err;
}

int bpfgen_chain_end(struct bpfgen_prog *p, enum bpfgen_verdict_kind policy,
		     int policy_counter_idx)
{
	int code;

	if (policy == BPFGEN_VERDICT_ACCEPT)
		code = BPFGEN_CODE_ACCEPT;
	else if (policy == BPFGEN_VERDICT_DROP)
		code = BPFGEN_CODE_DROP;
	else {
		bpfgen_set_err(p, -EINVAL);
		return -EINVAL;
	}
	if (policy_counter_idx > p->max_counter)
		p->max_counter = policy_counter_idx;
	return chain_close(p, true, code, policy_counter_idx);
}

int bpfgen_user_chain_end(struct bpfgen_prog *p)
{
	return chain_close(p, false, BPFGEN_CODE_RETURN, -1);
}

/* Append the counter subprogram if some rule or policy calls it. */
int bpfgen_chain_add_counter_sub(struct bpfgen_prog *p)
{
	size_t i;
	int err;

	for (i = 0; i < p->nfixups; i++)
		if (p->fixups[i].kind == FIXUP_CALL &&
		    p->fixups[i].target == BPFGEN_COUNTER_CHAIN)
			break;
	if (i == p->nfixups)
		return 0;
	for (i = 1; i < p->nchains; i++)
		if (p->chains[i].id == BPFGEN_COUNTER_CHAIN)
			return 0;
	err = chain_add(p, BPFGEN_COUNTER_CHAIN, false);
	if (err)
		return err;
	bpfgen_emit_counter_sub(p);
	p->cur_chain = -1;
	return p->err;
}

int bpfgen_rule_begin(struct bpfgen_prog *p, int counter_idx)
{
	if (p->err)
		return p->err;
	if (p->cur_chain < 0 || p->rule_fail >= 0) {
		bpfgen_set_err(p, -EINVAL);
		return -EINVAL;
	}
	p->rule_fail = bpfgen_label_new(p);
	if (p->rule_fail < 0)
		return p->rule_fail;
	p->rule_counter = counter_idx;
	if (counter_idx > p->max_counter)
		p->max_counter = counter_idx;
	return p->rule_fail;
}

int bpfgen_rule_fail_label(struct bpfgen_prog *p)
{
	if (!bpfgen_in_rule(p))
		return -EINVAL;
	return p->rule_fail;
}

int bpfgen_rule_end(struct bpfgen_prog *p, const struct bpfgen_verdict *v)
{
	if (p->err)
		return p->err;
	if (!bpfgen_in_rule(p))
		return -EINVAL;
	if (v->kind < 0 || v->kind >= __BPFGEN_VERDICT_MAX) {
		bpfgen_set_err(p, -EINVAL);
		return -EINVAL;
	}
	if (p->rule_counter >= 0)
		bpfgen_emit_counter_inc(p, p->rule_counter);
	bpfgen_emit_verdict(p, v, p->rule_fail);
	bpfgen_label_place(p, p->rule_fail);
	p->rule_fail = -1;
	return p->err;
}
