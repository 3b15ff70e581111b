// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The base chain's prologue: set up R6-R9, copy the L3 header and the
 * first BPFGEN_L4_MAX bytes of the transport header into the packet info
 * block, and compute l4proto, the transport offset and the fragment
 * offset exactly as nf_tables does for the chains iptables-nft makes,
 * which live in tables of family ip and ip6: nft_do_chain_ipv4/ipv6()
 * call nft_set_pktinfo_ipv4/ipv6() (include/net/netfilter/
 * nf_tables_ipv{4,6}.h), the variants without the validation the inet
 * family does, because ip_rcv_core()/ip6_rcv_core() checked the header
 * before PRE_ROUTING and the stack built it at LOCAL_OUT:
 *
 * IPv4: l4proto = protocol, transport offset = ihl * 4, fragoff =
 * frag_off & IP_OFFSET.  No check of version or lengths.
 *
 * IPv6: ipv6_find_hdr() with target -1 and IP6_FH_F_AUTH: extension
 * headers 0, 43, 44, 60 are skipped, AH (51) ends the walk with l4proto
 * 51 at the AH's offset, 59 or any other value is the protocol.  A
 * non-first fragment ends it with the fragment header's next header as
 * l4proto and, since ipv6_find_hdr() returns there without storing the
 * offset, transport offset 0: nf_tables' transport payload loads then
 * read the IPv6 header, and so do ours.  A non-first fragment followed
 * by an extension header, a header cut short, or an offset above 65535
 * gives no transport protocol.  Walks longer than
 * BPFGEN_IPV6_MAX_EXTHDRS headers give none either (the kernel walks on;
 * we must unroll).
 *
 * A packet shorter than the fixed L3 header (impossible at a real hook)
 * gets no transport protocol and a zeroed L3 copy.
 */
#include "config.h"

#include <linux/in.h>
#include <linux/netfilter.h>

#include "bpfgen/internal.h"

/* r0 = bpf_dynptr_read(r9 + @dst, @len, r9 + DYNPTR, <r4 as set>, 0) */
static void emit_read(struct bpfgen_prog *p, int dst, int len)
{
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_1, BPF_REG_9));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_1, dst));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_2, len));
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_3, BPF_REG_9));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, BPFGEN_PI_DYNPTR));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_5, 0));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_dynptr_read));
}

static void emit_setup(struct bpfgen_prog *p)
{
	const struct bpfgen_kinfo *k = p->k;
	int off;

	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_6, BPF_REG_1));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_7, BPF_REG_6,
				      IPB_NF_CTX_SKB_OFF));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_8, BPF_REG_6,
				      IPB_NF_CTX_STATE_OFF));
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_9, BPF_REG_10));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_9,
					-BPFGEN_FRAME_MAIN));
	/* Zero everything but the dynptr, which the kfunc initialises. */
	for (off = 0; off < BPFGEN_PI_SIZE; off += 8) {
		if (off >= BPFGEN_PI_DYNPTR && off < BPFGEN_PI_DYNPTR + 16)
			continue;
		bpfgen_emit(p, BPFGEN_ST_MEM(BPF_DW, BPF_REG_9, off, 0));
	}
	bpfgen_emit(p, BPFGEN_ST_MEM(BPF_W, BPF_REG_9, BPFGEN_PI_L4PROTO,
				     BPFGEN_L4PROTO_NONE));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_1, BPF_REG_7, k->skb_len));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_1,
				      BPFGEN_PI_SKBLEN));
	/*
	 * bpf_dynptr_from_skb(skb, 0, &dynptr) fails only for non-zero
	 * flags; the verifier accepts ctx->skb for the netfilter type.
	 */
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_1, BPF_REG_7));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_2, 0));
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_3, BPF_REG_9));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, BPFGEN_PI_DYNPTR));
	bpfgen_emit(p, BPFGEN_INSN(BPF_JMP | BPF_CALL, 0,
				   BPF_PSEUDO_KFUNC_CALL, 0,
				   k->kf_dynptr_from_skb));
}

/*
 * One read for the common case: the L3 header and what follows it, up
 * to BPFGEN_L4_MAX bytes, land in the block so that the transport bytes
 * are already in BPFGEN_PI_L4 when there are no IPv4 options or IPv6
 * extension headers.  Each helper call costs about as much as the rest
 * of the prologue (measured with test-run), hence one instead of two.
 */
static void emit_first_read(struct bpfgen_prog *p, int done)
{
	int l3len = bpfgen_l3_len(p), clamp = bpfgen_label_new(p);

	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_9,
				      BPFGEN_PI_SKBLEN));
	bpfgen_emit_jmp_imm(p, BPF_JSLE, BPF_REG_2, 0, done);
	bpfgen_emit_jmp_imm(p, BPF_JLE, BPF_REG_2, l3len + BPFGEN_L4_MAX,
			    clamp);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_2, l3len + BPFGEN_L4_MAX));
	bpfgen_label_place(p, clamp);
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_1, BPF_REG_9));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_1,
					BPFGEN_PI_L4 - l3len));
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_3, BPF_REG_9));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, BPFGEN_PI_DYNPTR));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_4, 0));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_5, 0));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_dynptr_read));
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_0, 0, done);
	/* Shorter than the fixed header: no transport protocol. */
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_1, BPF_REG_9,
				      BPFGEN_PI_SKBLEN));
	bpfgen_emit_jmp_imm(p, BPF_JLT, BPF_REG_1, l3len, done);
}

static void emit_ipv4(struct bpfgen_prog *p, int read_l4, int done)
{
	const int l3 = BPFGEN_PI_L3_V4;

	/* ip_hdrlen() */
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_9, l3));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_1, 0xf));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_1, 2));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_1,
				      BPFGEN_PI_L4OFF));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_H, BPF_REG_2, BPF_REG_9, l3 + 6));
	bpfgen_emit(p, BPFGEN_BSWAP_BE(BPF_REG_2, 16));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_2, 0x1fff));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_2,
				      BPFGEN_PI_FRAGOFF));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_9, l3 + 9));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_2,
				      BPFGEN_PI_L4PROTO));
	bpfgen_emit_ja(p, read_l4);
}

/* if (@reg is an extension header ipv6_find_hdr() walks) goto @label */
static void emit_if_exthdr(struct bpfgen_prog *p, int reg, int label)
{
	static const int ext[] = { IPPROTO_HOPOPTS, IPPROTO_ROUTING,
				   IPPROTO_FRAGMENT, IPPROTO_AH,
				   IPPROTO_DSTOPTS };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ext); i++)
		bpfgen_emit_jmp_imm(p, BPF_JEQ, reg, ext[i], label);
}

/* r4 = the walk's current offset, kept in the L4OFF slot. */
static void emit_load_start(struct bpfgen_prog *p)
{
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_4, BPF_REG_9,
				      BPFGEN_PI_L4OFF));
}

/* A non-first fragment: l4proto is its next header, offset 0. */
static void emit_ipv6_frag(struct bpfgen_prog *p, int read_l4, int done)
{
	int first = bpfgen_label_new(p);

	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_H, BPF_REG_2, BPF_REG_9,
				      BPFGEN_PI_TMP + 2));
	bpfgen_emit(p, BPFGEN_BSWAP_BE(BPF_REG_2, 16));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_2, 0xfff8));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_2, 0, first);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_9,
				      BPFGEN_PI_TMP));
	emit_if_exthdr(p, BPF_REG_1, done);
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_2,
				      BPFGEN_PI_FRAGOFF));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_1,
				      BPFGEN_PI_L4PROTO));
	bpfgen_emit(p, BPFGEN_ST_MEM(BPF_W, BPF_REG_9, BPFGEN_PI_L4OFF, 0));
	bpfgen_emit_ja(p, read_l4);
	bpfgen_label_place(p, first);
}

/* One step of the walk: skip the extension header at the offset. */
static void emit_ipv6_step(struct bpfgen_prog *p, int found, int read_l4,
			   int done)
{
	int opt = bpfgen_label_new(p), frag = bpfgen_label_new(p);
	int adv = bpfgen_label_new(p);

	emit_load_start(p);
	emit_read(p, BPFGEN_PI_TMP, 2);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_0, 0, done);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_1, BPF_REG_9,
				      BPFGEN_PI_SCRATCH));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, IPPROTO_AH, found);
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, IPPROTO_FRAGMENT, frag);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, IPPROTO_ROUTING, opt);
	/* ipv6_find_hdr() reads struct ipv6_rt_hdr: 4 bytes. */
	emit_load_start(p);
	emit_read(p, BPFGEN_PI_TMP, 4);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_0, 0, done);
	bpfgen_label_place(p, opt);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_9,
				      BPFGEN_PI_TMP + 1));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_2, 1));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_2, 3));
	bpfgen_emit_ja(p, adv);
	bpfgen_label_place(p, frag);
	emit_load_start(p);
	emit_read(p, BPFGEN_PI_TMP, 4);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_0, 0, done);
	emit_ipv6_frag(p, read_l4, done);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_2, 8));
	bpfgen_label_place(p, adv);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_9,
				      BPFGEN_PI_TMP));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_1,
				      BPFGEN_PI_SCRATCH));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_9,
				      BPFGEN_PI_L4OFF));
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_ADD, BPF_REG_3, BPF_REG_2));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_3,
				      BPFGEN_PI_L4OFF));
}

static void emit_ipv6(struct bpfgen_prog *p, int read_l4, int done)
{
	int found = bpfgen_label_new(p);
	int i;

	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_9,
				      BPFGEN_PI_L3_V6 + 6));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_1,
				      BPFGEN_PI_SCRATCH));
	bpfgen_emit(p, BPFGEN_ST_MEM(BPF_W, BPF_REG_9, BPFGEN_PI_L4OFF, 40));
	for (i = 0; i <= BPFGEN_IPV6_MAX_EXTHDRS; i++) {
		int ext = bpfgen_label_new(p);

		bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_1, BPF_REG_9,
					      BPFGEN_PI_SCRATCH));
		emit_if_exthdr(p, BPF_REG_1, ext);
		bpfgen_emit_ja(p, found);
		bpfgen_label_place(p, ext);
		if (i == BPFGEN_IPV6_MAX_EXTHDRS)
			bpfgen_emit_ja(p, done);
		else
			emit_ipv6_step(p, found, read_l4, done);
	}
	bpfgen_label_place(p, found);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_9,
				      BPFGEN_PI_L4OFF));
	bpfgen_emit_jmp_imm(p, BPF_JGT, BPF_REG_3, 0xffff, done);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_1, BPF_REG_9,
				      BPFGEN_PI_SCRATCH));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_1,
				      BPFGEN_PI_L4PROTO));
	bpfgen_emit_ja(p, read_l4);
}

/*
 * Copy min(skb->len - l4off, BPFGEN_L4_MAX) bytes at l4off, unless the
 * first read put them in place already (l4off right after the fixed
 * header).  The verifier wants the size bounded, hence the clamp.
 */
static void emit_read_l4(struct bpfgen_prog *p, int done)
{
	int clamp = bpfgen_label_new(p);

	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_9,
				      BPFGEN_PI_SKBLEN));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_4, BPF_REG_9,
				      BPFGEN_PI_L4OFF));
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_SUB, BPF_REG_2, BPF_REG_4));
	bpfgen_emit_jmp_imm(p, BPF_JSLE, BPF_REG_2, 0, done);
	bpfgen_emit_jmp_imm(p, BPF_JLE, BPF_REG_2, BPFGEN_L4_MAX, clamp);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_2, BPFGEN_L4_MAX));
	bpfgen_label_place(p, clamp);
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_2,
				      BPFGEN_PI_L4AVAIL));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_4, bpfgen_l3_len(p), done);
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_1, BPF_REG_9));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_1, BPFGEN_PI_L4));
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_3, BPF_REG_9));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, BPFGEN_PI_DYNPTR));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_5, 0));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_dynptr_read));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_0, 0, done);
	bpfgen_emit(p, BPFGEN_ST_MEM(BPF_W, BPF_REG_9, BPFGEN_PI_L4AVAIL, 0));
}

void bpfgen_emit_prologue(struct bpfgen_prog *p)
{
	int read_l4 = bpfgen_label_new(p), done = bpfgen_label_new(p);

	emit_setup(p);
	emit_first_read(p, done);
	if (p->family == NFPROTO_IPV4)
		emit_ipv4(p, read_l4, done);
	else
		emit_ipv6(p, read_l4, done);
	bpfgen_label_place(p, read_l4);
	emit_read_l4(p, done);
	bpfgen_label_place(p, done);
}
