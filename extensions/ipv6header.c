// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m ipv6header, a compat match in iptables-nft 1.8.9: ipv6header_mt6()
 * of ip6t_ipv6header.c, which walks the header chain itself, unlike
 * ipv6_find_hdr(): ESP (50) and "no next header" (59) end it as headers
 * of their own, a fragment header is skipped whatever its offset, and
 * the walk stops once past the end of the packet.  It collects one bit
 * per header type seen, plus "proto" when a protocol ends the chain;
 * fewer than 2 bytes left for an extension header fail the rule.  Soft
 * mode (--soft) wants each listed bit to be as given (^ its inversion);
 * otherwise the set must equal the list (or differ from it, inverted).
 * Chains of more than BPFGEN_IPV6_MAX_EXTHDRS + 1 extension headers do
 * not match (the kernel walks on; we unroll).
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>

#include <linux/netfilter_ipv6/ip6t_ipv6header.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

/* Walk state in the packet info block, kept across helper calls. */
#define NEXTHDR (BPFGEN_PI_TMP + 4)
#define SEEN (BPFGEN_PI_TMP + 5)
#define NEXT (BPFGEN_PI_TMP + 6)

static const struct {
	uint8_t nexthdr;
	uint8_t mask;
} ext[] = {
	{ IPPROTO_HOPOPTS, MASK_HOPOPTS },
	{ IPPROTO_ROUTING, MASK_ROUTING },
	{ IPPROTO_FRAGMENT, MASK_FRAGMENT },
	{ IPPROTO_AH, MASK_AH },
	{ IPPROTO_DSTOPTS, MASK_DSTOPTS },
};

/* SEEN |= @mask */
static void seen_or(struct bpfgen_prog *p, int mask)
{
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_9, SEEN));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_OR, BPF_REG_2, mask));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_B, BPF_REG_9, BPF_REG_2, SEEN));
}

/* R1 = the header type; set its bit, R3 = its length (R2 = hdrlen). */
static void emit_kind(struct bpfgen_prog *p)
{
	int done = bpfgen_label_new(p);
	size_t i;

	/* for the verifier: R1 is one of ext[] here */
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_3, 0));
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		int next = bpfgen_label_new(p);

		bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, ext[i].nexthdr,
				    next);
		bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_3, BPF_REG_2));
		if (ext[i].nexthdr == IPPROTO_FRAGMENT) {
			bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_3, 8));
		} else if (ext[i].nexthdr == IPPROTO_AH) {
			bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, 2));
			bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_3, 2));
		} else {
			bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, 1));
			bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_3, 3));
		}
		seen_or(p, ext[i].mask);
		bpfgen_emit_ja(p, done);
		bpfgen_label_place(p, next);
	}
	bpfgen_label_place(p, done);
}

/*
 * One header of the chain: @end when it is no extension header, NONE
 * or ESP; @fail when fewer than 2 bytes are left.
 */
static void emit_step(struct bpfgen_prog *p, int end, int fail)
{
	int is_ext = bpfgen_label_new(p), none = bpfgen_label_new(p);
	size_t i;

	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_9, NEXTHDR));
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, ext[i].nexthdr,
				    is_ext);
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, IPPROTO_NONE, none);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, IPPROTO_ESP, end);
	/* ESP: 2 bytes must be left, then it ends the walk */
	bpfgen_load_pkt_info(p, BPF_REG_2, BPFGEN_PI_SKBLEN);
	bpfgen_load_pkt_info(p, BPF_REG_3, BPFGEN_PI_SCRATCH);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, 2));
	bpfgen_emit_jmp_reg(p, BPF_JGT, BPF_REG_3, BPF_REG_2, fail);
	seen_or(p, MASK_ESP);
	bpfgen_emit_ja(p, end);
	bpfgen_label_place(p, none);
	seen_or(p, MASK_NONE);
	bpfgen_emit_ja(p, end);
	bpfgen_label_place(p, is_ext);
	/* a failed read of 2 bytes: fewer than 2 left */
	bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_SCRATCH);
	bpfgen_load_pkt(p, BPF_REG_2, BPF_REG_1, 0, 1, fail);
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_B, BPF_REG_9, BPF_REG_2, NEXT));
	bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_SCRATCH);
	bpfgen_load_pkt(p, BPF_REG_2, BPF_REG_1, 1, 1, fail);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_9, NEXTHDR));
	emit_kind(p);
	/* next header and offset; past the packet's end stops the walk */
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_9, NEXT));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_B, BPF_REG_9, BPF_REG_2, NEXTHDR));
	bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_SCRATCH);
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_3));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_1,
				      BPFGEN_PI_SCRATCH));
	bpfgen_load_pkt_info(p, BPF_REG_2, BPFGEN_PI_SKBLEN);
	bpfgen_emit_jmp_reg(p, BPF_JGT, BPF_REG_1, BPF_REG_2, end);
}

/* SEEN |= proto unless the chain ended with NONE or ESP; R1 = SEEN. */
static void emit_end(struct bpfgen_prog *p)
{
	int done = bpfgen_label_new(p);

	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_9, NEXTHDR));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, IPPROTO_NONE, done);
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, IPPROTO_ESP, done);
	seen_or(p, MASK_PROTO);
	bpfgen_label_place(p, done);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_9, SEEN));
}

static int ipv6header_to_bpf(struct bpfgen_prog *p,
			     const struct ipb_rule *rule,
			     const struct xt_entry_match *m, const char **why)
{
	const struct ip6t_ipv6header_info *info = (const void *)m->data;
	int fail = bpfgen_rule_fail_label(p), end = bpfgen_label_new(p);
	uint8_t mf = info->matchflags;
	int i;

	bpfgen_load_l3(p, BPF_REG_1, 6, 1);
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_B, BPF_REG_9, BPF_REG_1, NEXTHDR));
	bpfgen_emit(p, BPFGEN_ST_MEM(BPF_B, BPF_REG_9, SEEN, 0));
	bpfgen_emit(p, BPFGEN_ST_MEM(BPF_W, BPF_REG_9, BPFGEN_PI_SCRATCH, 40));
	for (i = 0; i < BPFGEN_IPV6_MAX_EXTHDRS; i++)
		emit_step(p, end, fail);
	/* still an extension header after the last step: give up */
	emit_step(p, end, fail);
	bpfgen_emit_ja(p, fail);
	bpfgen_label_place(p, end);
	emit_end(p);
	if (info->modeflag)
		bpfgen_cmp_mask(p, BPF_REG_1, mf, (mf ^ info->invflags) & mf,
				false);
	else
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, mf, 1,
			       info->invflags);
	return 0;
}

const struct ipb_ext ipb_ext_ipv6header = {
	.name = "ipv6header",
	.to_bpf = ipv6header_to_bpf,
};
