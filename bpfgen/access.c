// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loads for per-extension code: packet bytes from the copies the
 * prologue made, skb and device fields, conntrack.  Conntrack kfuncs
 * are not allowed for BPF_PROG_TYPE_NETFILTER, so the entry is read
 * from skb->_nfct (ct pointer | ctinfo in the low 3 bits) through
 * bpf_rdonly_cast(), whose loads cannot fault.
 */
#include "config.h"

#include <errno.h>

#include <linux/netfilter.h>

#include "bpfgen/internal.h"

#define IPB_IP_CT_IS_REPLY 3
#define IPB_IP_CT_UNTRACKED 7

static int size_bits(int size)
{
	switch (size) {
	case 1: return BPF_B;
	case 2: return BPF_H;
	case 4: return BPF_W;
	case 8: return BPF_DW;
	default: return -1;
	}
}

void bpfgen_load_l3(struct bpfgen_prog *p, int reg, int off, int size)
{
	int max = bpfgen_l3_len(p), sz = size_bits(size);

	if (!bpfgen_check_scratch(p, reg))
		return;
	if (sz < 0 || off < 0 || off + size > max) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	bpfgen_emit(p, BPFGEN_LDX_MEM(sz, reg, BPF_REG_9,
				      bpfgen_l3_off(p) + off));
}

void bpfgen_load_l4(struct bpfgen_prog *p, int reg, int off, int size,
		    int short_label)
{
	int sz = size_bits(size);

	if (!bpfgen_check_scratch(p, reg))
		return;
	if (sz < 0 || off < 0 || off + size > BPFGEN_L4_MAX) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	/* Without a transport protocol, the prologue left L4AVAIL at 0. */
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, reg, BPF_REG_9,
				      BPFGEN_PI_L4AVAIL));
	bpfgen_emit_jmp_imm(p, BPF_JLT, reg, off + size, short_label);
	bpfgen_emit(p, BPFGEN_LDX_MEM(sz, reg, BPF_REG_9, BPFGEN_PI_L4 + off));
}

/* reg = dev ? dev->ifindex : 0, dev being state->in or state->out. */
static void load_ifindex(struct bpfgen_prog *p, int reg, int dev_off)
{
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, reg, BPF_REG_8, dev_off));
	bpfgen_emit(p, BPFGEN_INSN(BPF_JMP | BPF_JEQ | BPF_K, reg, 0, 1, 0));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, reg, reg, p->k->dev_ifindex));
}

void bpfgen_load_meta(struct bpfgen_prog *p, int reg, enum bpfgen_meta key)
{
	const struct bpfgen_kinfo *k = p->k;

	if (!bpfgen_check_scratch(p, reg))
		return;
	switch (key) {
	case BPFGEN_META_MARK:
		bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, reg, BPF_REG_7,
					      k->skb_mark));
		break;
	case BPFGEN_META_LEN:
		bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, reg, BPF_REG_7,
					      k->skb_len));
		break;
	case BPFGEN_META_L4PROTO:
		bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, reg, BPF_REG_9,
					      BPFGEN_PI_L4PROTO));
		break;
	case BPFGEN_META_NFPROTO:
		bpfgen_emit(p, BPFGEN_MOV64_IMM(reg, p->family));
		break;
	case BPFGEN_META_IIF:
		load_ifindex(p, reg, k->state_in);
		break;
	case BPFGEN_META_OIF:
		load_ifindex(p, reg, k->state_out);
		break;
	case BPFGEN_META_PKTTYPE:
		/* A 3-bit field: the verifier lets us read its byte. */
		bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, reg, BPF_REG_7,
					      k->skb_pkt_type_byte));
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_RSH, reg,
						k->skb_pkt_type_shift));
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, reg, 7));
		break;
	case BPFGEN_META_CPU:
		bpfgen_emit(p, BPFGEN_CALL_HELPER(
				       BPF_FUNC_get_smp_processor_id));
		bpfgen_emit(p, BPFGEN_MOV64_REG(reg, BPF_REG_0));
		break;
	default:
		bpfgen_set_err(p, -EINVAL);
	}
}

/*
 * r0 = xt_state bits: no entry is INVALID unless ctinfo says
 * IP_CT_UNTRACKED (the kernel stores a NULL ct with that ctinfo);
 * otherwise 1 << (ctinfo % IP_CT_IS_REPLY + 1).  Expects r1 = _nfct.
 */
static void emit_ct_state(struct bpfgen_prog *p)
{
	int have = bpfgen_label_new(p), out = bpfgen_label_new(p);
	int orig = bpfgen_label_new(p);

	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_1));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_2, 7));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_1, -8));
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, 0, have);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, 1));
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_2, IPB_IP_CT_UNTRACKED, out);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, 16));
	bpfgen_emit_ja(p, out);
	bpfgen_label_place(p, have);
	bpfgen_emit_jmp_imm(p, BPF_JLT, BPF_REG_2, IPB_IP_CT_IS_REPLY, orig);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_SUB, BPF_REG_2,
					IPB_IP_CT_IS_REPLY));
	bpfgen_label_place(p, orig);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_2, 1));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, 1));
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_LSH, BPF_REG_0, BPF_REG_2));
	bpfgen_label_place(p, out);
}

/* r0 = field at @off of the nf_conn at r2 (r2 != 0), 4 bytes. */
static void emit_ct_field(struct bpfgen_prog *p, int off)
{
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_1, BPF_REG_2));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_2, p->k->nf_conn_id));
	bpfgen_emit(p, BPFGEN_INSN(BPF_JMP | BPF_CALL, 0,
				   BPF_PSEUDO_KFUNC_CALL, 0,
				   p->k->kf_rdonly_cast));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, off));
}

void bpfgen_load_ct(struct bpfgen_prog *p, int reg, enum bpfgen_ct key,
		    int noct_label)
{
	const struct bpfgen_kinfo *k = p->k;
	int off = -1;

	if (!bpfgen_check_scratch(p, reg))
		return;
	if (key < 0 || key >= __BPFGEN_CT_MAX) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	if (noct_label < 0 && bpfgen_in_rule(p))
		noct_label = p->rule_fail;
	if (key == BPFGEN_CT_STATUS)
		off = k->ct_status;
	else if (key == BPFGEN_CT_MARK)
		off = k->ct_mark;
	if (k->nf_conn_id < 0 ||
	    ((key == BPFGEN_CT_STATUS || key == BPFGEN_CT_MARK) && off < 0)) {
		bpfgen_set_err(p, -EOPNOTSUPP);
		return;
	}
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7,
				      k->skb_nfct));
	if (key == BPFGEN_CT_STATE) {
		emit_ct_state(p);
	} else {
		bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_1));
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_2, -8));
		bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_2, 0, noct_label);
		if (key == BPFGEN_CT_DIRECTION) {
			bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_1, 7));
			bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, 0));
			bpfgen_emit(p, BPFGEN_INSN(BPF_JMP | BPF_JLT | BPF_K,
						   BPF_REG_1, 0, 1,
						   IPB_IP_CT_IS_REPLY));
			bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_0, 1));
		} else {
			emit_ct_field(p, off);
		}
	}
	if (reg != BPF_REG_0)
		bpfgen_emit(p, BPFGEN_MOV64_REG(reg, BPF_REG_0));
}

void bpfgen_load_pkt_info(struct bpfgen_prog *p, int reg, int field)
{
	if (!bpfgen_check_scratch(p, reg))
		return;
	switch (field) {
	case BPFGEN_PI_L4PROTO:
	case BPFGEN_PI_L4OFF:
	case BPFGEN_PI_L4AVAIL:
	case BPFGEN_PI_FRAGOFF:
	case BPFGEN_PI_SKBLEN:
	case BPFGEN_PI_SCRATCH:
		bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, reg, BPF_REG_9, field));
		return;
	default:
		bpfgen_set_err(p, -EINVAL);
	}
}

/*
 * The verifier allows a variable offset into the packet info block once
 * the index is bounded: the compare gives it the range, and the whole
 * block was written by the prologue, so every byte read is initialised.
 */
void bpfgen_load_l4_idx(struct bpfgen_prog *p, int reg, int idx_reg,
			int off, int out_label)
{
	if (!bpfgen_check_scratch(p, reg) || !bpfgen_check_scratch(p, idx_reg))
		return;
	if (off < 0 || off >= BPFGEN_L4_MAX) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	bpfgen_emit_jmp_imm(p, BPF_JGE, idx_reg, BPFGEN_L4_MAX - off,
			    out_label);
	if (reg != idx_reg)
		bpfgen_emit(p, BPFGEN_MOV64_REG(reg, idx_reg));
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_ADD, reg, BPF_REG_9));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, reg, reg, BPFGEN_PI_L4 + off));
}
