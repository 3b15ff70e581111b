// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rule state: what limit and statistic keep between packets, global
 * (not per CPU) as nf_tables keeps it: one bucket per limit expression
 * (nft_limit_init()), one counter per statistic match
 * (statistic_mt_check()).
 *
 * nf_tables keeps a rule's state as long as the rule, across changes to
 * other rules; a table change here loads a new program.  So the state
 * lives in a BPF_MAP_TYPE_HASH keyed by rule: key = handle << 8 |
 * position of the match in the rule (bpfgen_state_key()), value
 * { struct bpf_spin_lock lock; u32 pad; u64 a, b; } with BTF (the
 * verifier finds a spin lock only through the map's value type).  The
 * caller hands the map of the program it replaces to the new one
 * (bpfgen_prog_set_state(), bpfgen_hook_state_pin()): both programs use
 * the same entries, under the same locks, even while the swap is under
 * way.  All the hooks of a table share one map (each hook pins it): a
 * rule of a user chain that two base chains reach has one bucket, as its
 * one nf_tables expression has.  A rule replaced or re-added has a new
 * handle, hence fresh state, as a new nf_tables expression has.
 *
 * A program creates its entries itself on first use, from a per-program
 * BPF_MAP_TYPE_ARRAY of initial values (plain, no lock), inserting with
 * BPF_NOEXIST so that a CPU losing the race uses the winner's entry.
 * bpfgen_state_prune() deletes the entries of rules gone.
 *
 * Stack: the key goes at R10-BPFGEN_FRAME_KEY (free in the base chain; a
 * user chain's frame is 32 bytes anyway), the spilled value pointer at
 * the same place afterwards, the array key and the clock at
 * R9+BPFGEN_PI_TMP, which only the prologue uses.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "bpfgen/internal.h"

#define VAL_A 8
#define VAL_B 16
#define VAL_SIZE 24
/* Rules that live long; memory is taken per entry (no prealloc). */
#define STATE_MAX_ENTRIES 65536

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
	*key_id = u64_id;
	*val_id = id;
out:
	btf__free(btf);
	return err;
}

/* The keyed state map, shared by the programs of one table. */
static int state_map_new(int *map_fd)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);
	uint32_t key_id = 0, val_id = 0;
	int btf_fd = -1, fd, err;

	err = state_btf(&btf_fd, &key_id, &val_id);
	if (err)
		return err;
	opts.btf_fd = btf_fd;
	opts.btf_key_type_id = key_id;
	opts.btf_value_type_id = val_id;
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "ipb_state", 8, VAL_SIZE,
			    STATE_MAX_ENTRIES, &opts);
	err = fd < 0 ? -errno : 0;
	close(btf_fd);
	if (!err)
		*map_fd = fd;
	return err;
}

/* Is @fd a state map (from an earlier program)? */
static bool state_map_ok(int fd)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return !bpf_obj_get_info_by_fd(fd, &info, &len) &&
	       info.type == BPF_MAP_TYPE_HASH && info.key_size == 8 &&
	       info.value_size == VAL_SIZE && info.btf_value_type_id;
}

/* The initial values, slot by slot, for the program to copy. */
static int init_map_new(const struct bpfgen_prog *p, int *map_fd)
{
	uint32_t i;
	int fd, err = 0;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ipb_state_init", 4, VAL_SIZE,
			    p->nstate, NULL);
	if (fd < 0)
		return -errno;
	for (i = 0; !err && i < p->nstate; i++) {
		uint64_t v[3] = { 0, p->state[i].a, p->state[i].b };

		if (bpf_map_update_elem(fd, &i, v, BPF_ANY))
			err = -errno;
	}
	if (err) {
		close(fd);
		return err;
	}
	*map_fd = fd;
	return 0;
}

int bpfgen_state_patch(struct bpfgen_prog *p)
{
	size_t i;
	int err;

	if (!p->nstate)
		return 0;
	if (p->state_fd >= 0 && !state_map_ok(p->state_fd)) {
		close(p->state_fd);
		p->state_fd = -1;
	}
	if (p->state_fd < 0) {
		err = state_map_new(&p->state_fd);
		if (err)
			return err;
	}
	if (p->state_init_fd < 0) {
		err = init_map_new(p, &p->state_init_fd);
		if (err)
			return err;
	}
	for (i = 0; i < p->nfixups; i++) {
		const struct fixup *f = &p->fixups[i];

		if (p->chains[f->chain].visiting != 2)
			continue;
		if (f->kind == FIXUP_STATE)
			p->insns[f->insn].imm = p->state_fd;
		else if (f->kind == FIXUP_STATE_INIT)
			p->insns[f->insn].imm = p->state_init_fd;
	}
	return 0;
}

int bpfgen_prog_set_state(struct bpfgen_prog *p, int map_fd)
{
	int fd = fcntl(map_fd, F_DUPFD_CLOEXEC, 3);

	if (fd < 0)
		return -errno;
	if (p->state_fd >= 0)
		close(p->state_fd);
	p->state_fd = fd;
	return 0;
}

int bpfgen_prog_state_fd(const struct bpfgen_prog *p)
{
	return p->state_fd;
}

static bool key_used(const struct bpfgen_prog *const *progs, size_t n,
		     uint64_t key)
{
	size_t k;
	uint32_t i;

	for (k = 0; k < n; k++)
		for (i = 0; i < progs[k]->nstate; i++)
			if (progs[k]->state[i].key == key)
				return true;
	return false;
}

int bpfgen_state_prune(int map_fd, const struct bpfgen_prog *const *progs,
		       size_t n)
{
	uint64_t key = 0, *gone = NULL, *more;
	size_t ngone = 0, i;
	bool first = true;
	int err = 0;

	if (map_fd < 0)
		return 0;
	/* collect first: deleting during the walk restarts it */
	while (!bpf_map_get_next_key(map_fd, first ? NULL : &key, &key)) {
		first = false;
		if (key_used(progs, n, key))
			continue;
		more = realloc(gone, (ngone + 1) * sizeof(*more));
		if (!more) {
			free(gone);
			return -ENOMEM;
		}
		gone = more;
		gone[ngone++] = key;
	}
	if (errno != ENOENT)
		err = -errno;
	for (i = 0; !err && i < ngone; i++)
		if (bpf_map_delete_elem(map_fd, &gone[i]) && errno != ENOENT)
			err = -errno;
	free(gone);
	return err;
}

uint64_t bpfgen_state_key(uint64_t handle, unsigned int pos)
{
	/* no handle yet (a require-mode check before the commit): 0, so
	 * that every such match gets a slot of its own (slot_new()) */
	if (!handle)
		return 0;
	return handle << 8 | (pos & 0xff);
}

/*
 * A new slot of key @key starting as { @a, @b }; its index or -1 (error
 * set).  Key 0 (a rule without a handle) becomes a key of its own.
 */
static int slot_new(struct bpfgen_prog *p, uint64_t key, uint64_t a,
		    uint64_t b)
{
	struct bpfgen_state *n;

	if (!bpfgen_in_rule(p))
		return -1;
	if (!key)
		key = 1ULL << 63 | p->nstate;
	if (key_used((const struct bpfgen_prog *const *)&p, 1, key)) {
		bpfgen_set_err(p, -EEXIST);
		return -1;
	}
	n = realloc(p->state, (p->nstate + 1) * sizeof(*n));
	if (!n) {
		bpfgen_set_err(p, -ENOMEM);
		return -1;
	}
	p->state = n;
	n[p->nstate].key = key;
	n[p->nstate].a = a;
	n[p->nstate].b = b;
	return p->nstate++;
}

/* r1 = the map of @kind (patched at load) */
static void emit_map(struct bpfgen_prog *p, enum fixup_kind kind)
{
	if (bpfgen_add_fixup(p, kind, 0))
		return;
	bpfgen_emit(p, BPFGEN_LD_IMM64_LO(BPF_REG_1, BPF_PSEUDO_MAP_FD, 0));
	bpfgen_emit(p, BPFGEN_LD_IMM64_HI(0));
}

/* r0 = lookup(state, key at R10-8) */
static void emit_state_lookup(struct bpfgen_prog *p)
{
	emit_map(p, FIXUP_STATE);
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_10));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_2, -BPFGEN_FRAME_KEY));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_map_lookup_elem));
}

/*
 * r0 = the state of slot @slot, made from its initial value on first
 * use.  Only a full map leaves none: the rule does not match then.
 */
static void emit_lookup(struct bpfgen_prog *p, int slot)
{
	int found = bpfgen_label_new(p);

	bpfgen_emit_ld_imm64(p, BPF_REG_1, p->state[slot].key);
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1,
				      -BPFGEN_FRAME_KEY));
	emit_state_lookup(p);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_0, 0, found);
	bpfgen_emit(p, BPFGEN_ST_MEM(BPF_W, BPF_REG_9, BPFGEN_PI_TMP, slot));
	emit_map(p, FIXUP_STATE_INIT);
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_9));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_2, BPFGEN_PI_TMP));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_map_lookup_elem));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_0, 0, p->rule_fail);
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_3, BPF_REG_0));
	emit_map(p, FIXUP_STATE);
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_10));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_2, -BPFGEN_FRAME_KEY));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_4, BPF_NOEXIST));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_map_update_elem));
	emit_state_lookup(p);
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_0, 0, p->rule_fail);
	bpfgen_label_place(p, found);
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
void bpfgen_match_limit(struct bpfgen_prog *p, uint64_t key, uint64_t cost,
			uint64_t tokens_max, bool invert)
{
	int slot = slot_new(p, key, tokens_max, 0);
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
void bpfgen_match_nth(struct bpfgen_prog *p, uint64_t key, uint32_t every,
		      uint32_t count, bool invert)
{
	int slot = slot_new(p, key, 0, 0);

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
