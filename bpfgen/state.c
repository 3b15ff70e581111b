// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rule state: what limit and statistic keep between packets.  One
 * BPF_MAP_TYPE_ARRAY per program, one slot per stateful match, each
 * slot { struct bpf_spin_lock lock; u32 pad; u64 a, b; }.  The map has
 * BTF because the verifier finds a spin lock only through the map's
 * value type.
 *
 * The state is global (not per CPU), as nf_tables keeps it: one bucket
 * per limit expression (nft_limit_init()), one counter per statistic
 * match (statistic_mt_check()).  It lives as long as the program: a
 * table change compiles a new program with fresh state, where
 * nf_tables keeps the state of rules it does not replace.
 *
 * Stack: the map key goes at R10-BPFGEN_FRAME_KEY (free in the base
 * chain; a user chain's frame is 32 bytes anyway), the spilled value
 * pointer at the same place, and the clock at R9+BPFGEN_PI_TMP, which
 * only the prologue uses.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "bpfgen/internal.h"

#define VAL_A 8
#define VAL_B 16
#define VAL_SIZE 24

/* The slot's value type, in BTF, for the spin lock. */
static int state_btf(int *btf_fd, uint32_t *key_id, uint32_t *val_id)
{
	struct btf *btf = btf__new_empty();
	int u32_id, u64_id, lock_id, id, err = -ENOMEM;

	if (!btf)
		return -errno;
	u32_id = btf__add_int(btf, "unsigned int", 4, 0);
	u64_id = btf__add_int(btf, "unsigned long long", 8, 0);
	lock_id = btf__add_struct(btf, "bpf_spin_lock", 4);
	if (u32_id < 0 || u64_id < 0 || lock_id < 0 ||
	    btf__add_field(btf, "val", u32_id, 0, 0))
		goto out;
	id = btf__add_struct(btf, "ipb_state", VAL_SIZE);
	if (id < 0 || btf__add_field(btf, "lock", lock_id, 0, 0) ||
	    btf__add_field(btf, "pad", u32_id, 32, 0) ||
	    btf__add_field(btf, "a", u64_id, VAL_A * 8, 0) ||
	    btf__add_field(btf, "b", u64_id, VAL_B * 8, 0))
		goto out;
	if (btf__load_into_kernel(btf)) {
		err = -errno;
		goto out;
	}
	*btf_fd = dup(btf__fd(btf));
	err = *btf_fd < 0 ? -errno : 0;
	*key_id = u32_id;
	*val_id = id;
out:
	btf__free(btf);
	return err;
}

static int state_map_new(struct bpfgen_prog *p)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	uint32_t key_id = 0, val_id = 0, i;
	int btf_fd = -1, fd, err;

	err = state_btf(&btf_fd, &key_id, &val_id);
	if (err)
		return err;
	opts.btf_fd = btf_fd;
	opts.btf_key_type_id = key_id;
	opts.btf_value_type_id = val_id;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ipb_state", 4, VAL_SIZE,
			    p->nstate, &opts);
	err = fd < 0 ? -errno : 0;
	close(btf_fd);
	for (i = 0; !err && i < p->nstate; i++) {
		uint64_t v[3] = { 0, p->state_init[i][0], p->state_init[i][1] };

		if (bpf_map_update_elem(fd, &i, v, BPF_ANY))
			err = -errno;
	}
	if (err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	p->state_fd = fd;
	return 0;
}

int bpfgen_state_patch(struct bpfgen_prog *p)
{
	size_t i;
	int err;

	if (!p->nstate)
		return 0;
	if (p->state_fd < 0) {
		err = state_map_new(p);
		if (err)
			return err;
	}
	for (i = 0; i < p->nfixups; i++) {
		const struct fixup *f = &p->fixups[i];

		if (f->kind != FIXUP_STATE || p->chains[f->chain].visiting != 2)
			continue;
		p->insns[f->insn].imm = p->state_fd;
	}
	return 0;
}

/* A new slot starting as { @a, @b }; its index or -1 (error set). */
static int slot_new(struct bpfgen_prog *p, uint64_t a, uint64_t b)
{
	uint64_t (*n)[2];

	if (!bpfgen_in_rule(p))
		return -1;
	n = realloc(p->state_init, (p->nstate + 1) * sizeof(*n));
	if (!n) {
		bpfgen_set_err(p, -ENOMEM);
		return -1;
	}
	p->state_init = n;
	n[p->nstate][0] = a;
	n[p->nstate][1] = b;
	return p->nstate++;
}

/* r0 = &state[@slot]; no such slot (cannot happen) fails the rule. */
static void emit_lookup(struct bpfgen_prog *p, int slot)
{
	bpfgen_emit(p, BPFGEN_ST_MEM(BPF_W, BPF_REG_10, -BPFGEN_FRAME_KEY,
				     slot));
	if (bpfgen_add_fixup(p, FIXUP_STATE, 0))
		return;
	bpfgen_emit(p, BPFGEN_LD_IMM64_LO(BPF_REG_1, BPF_PSEUDO_MAP_FD, 0));
	bpfgen_emit(p, BPFGEN_LD_IMM64_HI(0));
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_10));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_2, -BPFGEN_FRAME_KEY));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_map_lookup_elem));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_0, 0, p->rule_fail);
}

/*
 * nft_limit_eval() under the bucket's lock: tokens += now - last,
 * capped at @tokens_max; last = now; take @cost if there are that many.
 * The verifier allows no helper call while a lock is held, so the clock
 * is read just before taking it; a clock older than the bucket's last
 * update (another CPU got the lock first) counts as that same instant,
 * which keeps last monotonic as the kernel's reading under the lock
 * does.  The difference is the lock's wait, nanoseconds of tokens.
 */
void bpfgen_match_limit(struct bpfgen_prog *p, uint64_t cost,
			uint64_t tokens_max, bool invert)
{
	int slot = slot_new(p, tokens_max, 0);
	int later = bpfgen_label_new(p), full = bpfgen_label_new(p);
	int store = bpfgen_label_new(p);

	if (slot < 0)
		return;
	emit_lookup(p, slot);
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0,
				      -BPFGEN_FRAME_KEY));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_ktime_get_ns));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_DW, BPF_REG_9, BPF_REG_0,
				      BPFGEN_PI_TMP));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10,
				      -BPFGEN_FRAME_KEY));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_spin_lock));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10,
				      -BPFGEN_FRAME_KEY));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_9,
				      BPFGEN_PI_TMP));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_1, VAL_B));
	bpfgen_emit_jmp_reg(p, BPF_JGE, BPF_REG_2, BPF_REG_3, later);
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_3));
	bpfgen_label_place(p, later);
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_2, VAL_B));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_4, BPF_REG_1, VAL_A));
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_ADD, BPF_REG_4, BPF_REG_2));
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_SUB, BPF_REG_4, BPF_REG_3));
	bpfgen_emit_ld_imm64(p, BPF_REG_5, tokens_max);
	bpfgen_emit_jmp_reg(p, BPF_JLE, BPF_REG_4, BPF_REG_5, full);
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_4, BPF_REG_5));
	bpfgen_label_place(p, full);
	/* r0: did the bucket hold @cost (nft_limit_eval() false)? */
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, 0));
	bpfgen_emit_ld_imm64(p, BPF_REG_5, cost);
	bpfgen_emit_jmp_reg(p, BPF_JLT, BPF_REG_4, BPF_REG_5, store);
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_SUB, BPF_REG_4, BPF_REG_5));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, 1));
	bpfgen_label_place(p, store);
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_4, VAL_A));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0,
				      -BPFGEN_FRAME_KEY));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_spin_unlock));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10,
				      -BPFGEN_FRAME_KEY));
	bpfgen_emit_jmp_imm(p, invert ? BPF_JNE : BPF_JEQ, BPF_REG_0, 0,
			    p->rule_fail);
}

/*
 * statistic_mt() nth mode: the kernel's counter steps count, count + 1,
 * ..., every, 0, ... by cmpxchg and matches on 0.  With a fetch-add
 * counter n (0 for the first packet), the value packet n+1 leaves is
 * (count + n + 1) % (every + 1) as long as count <= every (the caller
 * checks); every packet gets its own n, as every cmpxchg winner gets
 * its own value.
 */
void bpfgen_match_nth(struct bpfgen_prog *p, uint32_t every, uint32_t count,
		      bool invert)
{
	int slot = slot_new(p, 0, 0);

	if (slot < 0)
		return;
	if (count > every) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	emit_lookup(p, slot);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_1, 1));
	bpfgen_emit(p, BPFGEN_INSN(BPF_STX | BPF_DW | BPF_ATOMIC, BPF_REG_0,
				   BPF_REG_1, VAL_A, BPF_ADD | BPF_FETCH));
	bpfgen_emit_ld_imm64(p, BPF_REG_2, (uint64_t)count + 1);
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_2));
	bpfgen_emit_ld_imm64(p, BPF_REG_2, (uint64_t)every + 1);
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_MOD, BPF_REG_1, BPF_REG_2));
	bpfgen_emit_jmp_imm(p, invert ? BPF_JEQ : BPF_JNE, BPF_REG_1, 0,
			    p->rule_fail);
}

/*
 * statistic_mt() random mode: (get_random_u32() & 0x7fffffff) <
 * probability.  BPF has bpf_get_prandom_u32() (prandom, per CPU), not
 * get_random_u32(): the same distribution, not the same draws.
 */
void bpfgen_match_random(struct bpfgen_prog *p, uint32_t probability,
			 bool invert)
{
	if (!bpfgen_in_rule(p))
		return;
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_get_prandom_u32));
	bpfgen_emit(p, BPFGEN_ALU32_IMM(BPF_AND, BPF_REG_0, 0x7fffffff));
	bpfgen_emit_ld_imm64(p, BPF_REG_1, probability);
	bpfgen_emit_jmp_reg(p, invert ? BPF_JLT : BPF_JGE, BPF_REG_0,
			    BPF_REG_1, p->rule_fail);
}
