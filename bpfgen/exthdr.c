// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Packet reads at offsets known only at run time, and the IPv6
 * extension header walk the ip6t_* matches do for themselves with
 * ipv6_find_hdr() (net/ipv6/exthdrs_core.c), which differs from the
 * prologue's (hdr.c, target -1 with IP6_FH_F_AUTH):
 * - it stops at the header asked for, AH included, reading its first 2
 *   bytes (4 for a routing or fragment header) or failing with -EBADMSG;
 * - a protocol or "no next header" (59) before it gives -ENOENT;
 * - so does a non-first fragment's header, unless the fragment header
 *   is the one asked for;
 * - AH is skipped by its own length, (hdrlen + 2) * 4; the others by
 *   (hdrlen + 1) * 8, a fragment header by 8.
 */
#include "config.h"

#include <errno.h>

#include <linux/in.h>
#include <linux/netfilter.h>

#include "bpfgen/internal.h"

#define WALK_NEXTHDR (BPFGEN_PI_TMP + 4)

static int size_bits(int size)
{
	switch (size) {
	case 1: return BPF_B;
	case 2: return BPF_H;
	case 4: return BPF_W;
	default: return -1;
	}
}

void bpfgen_load_pkt(struct bpfgen_prog *p, int reg, int off_reg, int off,
		     int size, int short_label)
{
	int sz = size_bits(size);

	if (!bpfgen_check_scratch(p, reg) ||
	    (off_reg >= 0 && !bpfgen_check_scratch(p, off_reg)))
		return;
	if (sz < 0 || off < 0) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	if (off_reg >= 0) {
		bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_4, off_reg));
		if (off)
			bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_4,
							off));
	} else {
		bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_4, off));
	}
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_1, BPF_REG_9));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_1, BPFGEN_PI_TMP));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_2, size));
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_3, BPF_REG_9));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, BPFGEN_PI_DYNPTR));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_5, 0));
	bpfgen_emit(p, BPFGEN_CALL_HELPER(BPF_FUNC_dynptr_read));
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_0, 0, short_label);
	bpfgen_emit(p, BPFGEN_LDX_MEM(sz, reg, BPF_REG_9, BPFGEN_PI_TMP));
}

static bool is_exthdr(int nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING ||
	       nh == IPPROTO_FRAGMENT || nh == IPPROTO_AH ||
	       nh == IPPROTO_DSTOPTS;
}

/* r0 = the walk's offset */
static void load_start(struct bpfgen_prog *p)
{
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_9,
				      BPFGEN_PI_SCRATCH));
}

/*
 * At the target: the reads ipv6_find_hdr() still does there (a
 * non-first fragment header is the target's own and ends the walk as
 * well), then success.
 */
static void emit_found(struct bpfgen_prog *p, int target, int bad)
{
	load_start(p);
	bpfgen_load_pkt(p, BPF_REG_1, BPF_REG_0, 0,
			target == IPPROTO_ROUTING ||
				target == IPPROTO_FRAGMENT ? 4 : 2,
			bad);
	load_start(p);
}

/* @reg = (@reg + @add) << @shift */
static void hdrlen_of(struct bpfgen_prog *p, int reg, int add, int shift)
{
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, reg, add));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, reg, shift));
}

/*
 * r3 = the length of the header just read into BPFGEN_PI_TMP, whose
 * type r1 holds; a non-first fragment goes to @enoent.
 */
static void emit_hdrlen(struct bpfgen_prog *p, int enoent)
{
	int frag = bpfgen_label_new(p), ah = bpfgen_label_new(p);
	int done = bpfgen_label_new(p);

	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_3, BPF_REG_9,
				      BPFGEN_PI_TMP + 1));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, IPPROTO_FRAGMENT, frag);
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, IPPROTO_AH, ah);
	hdrlen_of(p, BPF_REG_3, 1, 3);
	bpfgen_emit_ja(p, done);
	bpfgen_label_place(p, ah);
	hdrlen_of(p, BPF_REG_3, 2, 2);
	bpfgen_emit_ja(p, done);
	bpfgen_label_place(p, frag);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_H, BPF_REG_4, BPF_REG_9,
				      BPFGEN_PI_TMP + 2));
	bpfgen_emit(p, BPFGEN_BSWAP_BE(BPF_REG_4, 16));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_4, 0xfff8));
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_4, 0, enoent);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_3, 8));
	bpfgen_label_place(p, done);
}

/* One header that is not the target: skip it, or -ENOENT. */
static void emit_step(struct bpfgen_prog *p, int enoent, int bad)
{
	static const int ext2[] = { IPPROTO_HOPOPTS, IPPROTO_AH,
				    IPPROTO_DSTOPTS };
	int two = bpfgen_label_new(p), four = bpfgen_label_new(p);
	int have = bpfgen_label_new(p);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ext2); i++)
		bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, ext2[i], two);
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, IPPROTO_ROUTING, four);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, IPPROTO_FRAGMENT, enoent);
	bpfgen_label_place(p, four);
	load_start(p);
	bpfgen_load_pkt(p, BPF_REG_2, BPF_REG_0, 0, 4, bad);
	bpfgen_emit_ja(p, have);
	bpfgen_label_place(p, two);
	load_start(p);
	bpfgen_load_pkt(p, BPF_REG_2, BPF_REG_0, 0, 2, bad);
	bpfgen_label_place(p, have);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_9,
				      WALK_NEXTHDR));
	emit_hdrlen(p, enoent);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_9,
				      BPFGEN_PI_TMP));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_B, BPF_REG_9, BPF_REG_2,
				      WALK_NEXTHDR));
	load_start(p);
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_3));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_0,
				      BPFGEN_PI_SCRATCH));
}

void bpfgen_ipv6_find_hdr(struct bpfgen_prog *p, int target, int enoent_label,
			  int bad_label)
{
	int found = bpfgen_label_new(p);
	int i;

	if (p->family != NFPROTO_IPV6 || !is_exthdr(target)) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_9,
				      BPFGEN_PI_L3_V6 + 6));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_B, BPF_REG_9, BPF_REG_1,
				      WALK_NEXTHDR));
	bpfgen_emit(p, BPFGEN_ST_MEM(BPF_W, BPF_REG_9, BPFGEN_PI_SCRATCH, 40));
	for (i = 0; i < BPFGEN_IPV6_MAX_EXTHDRS; i++) {
		bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_9,
					      WALK_NEXTHDR));
		bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, target, found);
		emit_step(p, enoent_label, bad_label);
	}
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_9,
				      WALK_NEXTHDR));
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, target, enoent_label);
	bpfgen_label_place(p, found);
	emit_found(p, target, bad_label);
}
