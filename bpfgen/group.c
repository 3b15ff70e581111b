// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A run of rules that differ only in one address, as blocklists are
 * written ("-s 192.0.2.7 -j DROP" ten thousand times), in one hash
 * lookup instead of one compare per rule.  The map's value is the
 * counter slot of the rule whose address it is; the first rule of the
 * run with an address keeps it, as iptables' first match would.
 *
 * The key is read straight from the packet info block's copy of the
 * network header (no copy needed): the lookup reads the address bytes in
 * network order, as the rules' compares would.  The map is the
 * program's: the program holds a reference to it, so it needs no pin.
 */
#include "config.h"

#include <errno.h>

#include "bpfgen/internal.h"

int bpfgen_rule_group_lookup(struct bpfgen_prog *p, bool dst, int map_fd,
			     uint32_t max_slot, const struct bpfgen_verdict *v)
{
	int addr_off, fail;

	if (p->err)
		return p->err;
	if (p->family == NFPROTO_IPV6)
		addr_off = BPFGEN_PI_L3_V6 + (dst ? 24 : 8);
	else
		addr_off = BPFGEN_PI_L3_V4 + (dst ? 16 : 12);

	/* a rule of its own for bpfgen: the counter is counted below */
	fail = bpfgen_rule_begin(p, -1);
	if (fail < 0)
		return fail;
	if ((int)max_slot > p->max_counter)
		p->max_counter = max_slot;

	bpfgen_emit_ld_imm64(p, BPF_REG_1, (uint32_t)map_fd);
	/* LD_IMM64 of a map fd: the pseudo source register marks it */
	if (!p->err)
		p->insns[p->cnt - 2].src_reg = BPF_PSEUDO_MAP_FD;
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_9));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_2, addr_off));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_map_lookup_elem));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_0, 0, fail);
	/* counters[*slot] += 1 packet, skb->len bytes */
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_1, BPF_REG_0, 0));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_7,
				      p->k->skb_len));
	if (!bpfgen_add_fixup(p, FIXUP_CALL, BPFGEN_COUNTER_CHAIN))
		bpfgen_emit(p, BPFGEN_INSN(BPF_JMP | BPF_CALL, 0,
					   BPF_PSEUDO_CALL, 0, 0));
	return bpfgen_rule_end(p, v);
}
