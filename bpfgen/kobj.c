// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reads of kernel objects hanging off the skb for the xt matches that
 * look at them: conntrack tuples, the socket's owner, the MAC header,
 * device groups.  Pointers loaded from BTF objects are untrusted, so
 * their loads are probe reads that cannot fault (a NULL one reads 0);
 * objects of another type than the field's (a request_sock behind
 * skb->sk, the MAC header behind skb->head) are reached with
 * bpf_rdonly_cast().
 */
#include "config.h"

#include <errno.h>

#include "bpfgen/internal.h"

/* include/net/tcp_states.h */
#define IPB_TCP_TIME_WAIT 6
#define IPB_TCP_NEW_SYN_RECV 12
#define IPB_ARPHRD_ETHER 1
#define IPB_ETH_HLEN 14
#define IPB_ETH_SOURCE 6

/* r0 = bpf_rdonly_cast(r1, @btf_id); clobbers R1-R5. */
static void emit_cast(struct bpfgen_prog *p, int btf_id)
{
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_2, btf_id));
	bpfgen_emit(p, BPFGEN_INSN(BPF_JMP | BPF_CALL, 0,
				   BPF_PSEUDO_KFUNC_CALL, 0,
				   p->k->kf_rdonly_cast));
}

static bool have(struct bpfgen_prog *p, int v)
{
	if (v >= 0)
		return true;
	bpfgen_set_err(p, -EOPNOTSUPP);
	return false;
}

void bpfgen_load_ct_tuple(struct bpfgen_prog *p, int reg, int dir,
			  enum bpfgen_ct_tuple field, int word, int noct_label)
{
	const struct bpfgen_kinfo *k = p->k;
	int off, sz;

	if (!bpfgen_check_scratch(p, reg))
		return;
	if (noct_label < 0 && bpfgen_in_rule(p))
		noct_label = p->rule_fail;
	if (!have(p, k->nf_conn_id) || !have(p, k->ct_tuplehash) ||
	    !have(p, k->ct_tuplehash_size))
		return;
	switch (field) {
	case BPFGEN_CT_TUPLE_SRC_ADDR:
	case BPFGEN_CT_TUPLE_DST_ADDR:
		off = field == BPFGEN_CT_TUPLE_SRC_ADDR ? k->tuple_src_u3 :
							  k->tuple_dst_u3;
		if (word < 0 || word > 3 || !have(p, off)) {
			bpfgen_set_err(p, off < 0 ? -EOPNOTSUPP : -EINVAL);
			return;
		}
		off += 4 * word;
		sz = BPF_W;
		break;
	case BPFGEN_CT_TUPLE_SRC_PORT:
	case BPFGEN_CT_TUPLE_DST_PORT:
		off = field == BPFGEN_CT_TUPLE_SRC_PORT ? k->tuple_src_port :
							  k->tuple_dst_port;
		sz = BPF_H;
		break;
	case BPFGEN_CT_TUPLE_PROTO:
		off = k->tuple_protonum;
		sz = BPF_B;
		break;
	default:
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	if (!have(p, off) || dir < 0 || dir > 1) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7,
				      k->skb_nfct));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_1, -8));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, 0, noct_label);
	emit_cast(p, k->nf_conn_id);
	off += k->ct_tuplehash + dir * k->ct_tuplehash_size;
	bpfgen_emit(p, BPFGEN_LDX_MEM(sz, BPF_REG_0, BPF_REG_0, off));
	if (sz == BPF_H)
		bpfgen_ntoh(p, BPF_REG_0, 2);
	if (reg != BPF_REG_0)
		bpfgen_emit(p, BPFGEN_MOV64_REG(reg, BPF_REG_0));
}

/*
 * xt_owner's socket: skb_to_full_sk(skb) (a request socket stands for
 * its listener, a time-wait socket for none), in this hook's netns,
 * with a struct socket.  Leaves the socket's file in r1.
 */
static void emit_owner_sock(struct bpfgen_prog *p, int nosock, int nofile)
{
	const struct bpfgen_kinfo *k = p->k;
	int full = bpfgen_label_new(p);

	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7, k->skb_sk));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, 0, nosock);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_1,
				      k->sk_state));
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_2, IPB_TCP_NEW_SYN_RECV, full);
	emit_cast(p, k->request_sock_id);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_0,
				      k->reqsk_listener));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, 0, nosock);
	/* a union member: the verifier gives a scalar, cast it back */
	emit_cast(p, k->sock_id);
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_1, BPF_REG_0));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_1,
				      k->sk_state));
	bpfgen_label_place(p, full);
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_2, IPB_TCP_TIME_WAIT, nosock);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_1, k->sk_net));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_8,
				      k->state_net));
	bpfgen_emit_jmp_reg(p, BPF_JNE, BPF_REG_2, BPF_REG_3, nosock);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_1,
				      k->sk_socket));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, 0, nosock);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_1,
				      k->socket_file));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, 0, nofile);
}

void bpfgen_load_owner(struct bpfgen_prog *p, int reg, enum bpfgen_owner key,
		       int nosock_label, int nofile_label)
{
	const struct bpfgen_kinfo *k = p->k;
	int off = key == BPFGEN_OWNER_FSUID ? k->cred_fsuid : k->cred_fsgid;

	if (!bpfgen_check_scratch(p, reg) || !bpfgen_in_rule(p))
		return;
	if (key < 0 || key >= __BPFGEN_OWNER_MAX) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	if (!have(p, k->skb_sk) || !have(p, k->sk_state) ||
	    !have(p, k->request_sock_id) || !have(p, k->reqsk_listener) ||
	    !have(p, k->sock_id) ||
	    !have(p, k->sk_net) || !have(p, k->state_net) ||
	    !have(p, k->sk_socket) || !have(p, k->socket_file) ||
	    !have(p, k->file_cred) || !have(p, off))
		return;
	emit_owner_sock(p, nosock_label, nofile_label);
	if (key == BPFGEN_OWNER_FILE)
		return;
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_1,
				      k->file_cred));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, reg, BPF_REG_1, off));
}

void bpfgen_load_mac_src(struct bpfgen_prog *p, int reg, int nomac_label)
{
	const struct bpfgen_kinfo *k = p->k;
	int i;

	if (!bpfgen_check_scratch(p, reg) || !bpfgen_in_rule(p))
		return;
	if (!have(p, k->skb_dev) || !have(p, k->dev_type) ||
	    !have(p, k->skb_head) || !have(p, k->skb_data) ||
	    !have(p, k->skb_mac_header) || !have(p, k->ethhdr_id))
		return;
	/* mac_mt(): an Ethernet device and a whole header before data */
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7,
				      k->skb_dev));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, 0, nomac_label);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_H, BPF_REG_1, BPF_REG_1,
				      k->dev_type));
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, IPB_ARPHRD_ETHER,
			    nomac_label);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7,
				      k->skb_head));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_7,
				      k->skb_data));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_H, BPF_REG_3, BPF_REG_7,
				      k->skb_mac_header));
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_SUB, BPF_REG_2, BPF_REG_1));
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_4, BPF_REG_3));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_4, IPB_ETH_HLEN));
	bpfgen_emit_jmp_reg(p, BPF_JGT, BPF_REG_4, BPF_REG_2, nomac_label);
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_3));
	emit_cast(p, k->ethhdr_id);
	/* six byte loads: h_source is a u8 array to the verifier */
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_1, 0));
	for (i = 5; i >= 0; i--) {
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_1, 8));
		bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_0,
					      IPB_ETH_SOURCE + i));
		bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_OR, BPF_REG_1, BPF_REG_2));
	}
	bpfgen_emit(p, BPFGEN_MOV64_REG(reg, BPF_REG_1));
}

void bpfgen_load_dev_group(struct bpfgen_prog *p, int reg, bool out)
{
	const struct bpfgen_kinfo *k = p->k;
	int dev = bpfgen_label_new(p), done = bpfgen_label_new(p);

	if (!bpfgen_check_scratch(p, reg) || !have(p, k->dev_group))
		return;
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, reg, BPF_REG_8,
				      out ? k->state_out : k->state_in));
	bpfgen_emit_jmp_imm(p, BPF_JNE, reg, 0, dev);
	/* a scalar 0, not the NULL pointer: the caller does arithmetic */
	bpfgen_emit(p, BPFGEN_MOV64_IMM(reg, 0));
	bpfgen_emit_ja(p, done);
	bpfgen_label_place(p, dev);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, reg, reg, k->dev_group));
	bpfgen_label_place(p, done);
}
