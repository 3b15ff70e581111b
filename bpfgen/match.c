// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The matches every iptables rule may carry: addresses, interfaces,
 * protocol, -f.  Each follows what iptables-nft 1.8.9 asks nf_tables to
 * do for it, not what the legacy ipt_do_table() does.  They clobber
 * R0-R5.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <linux/netfilter.h>

#include "bpfgen/internal.h"

/*
 * Test words loaded into R1 by @load[i] against (@val & @mask): the
 * rule goes on iff all are equal, xor @invert.  Words with a zero mask
 * are always equal and are skipped.
 */
struct word {
	struct bpf_insn load;
	uint64_t mask, val;
	bool wide;
};

static void match_words(struct bpfgen_prog *p, const struct word *w, int n,
			bool invert)
{
	int fail = p->rule_fail, ok = -1, miss, i;

	if (invert) {
		ok = bpfgen_label_new(p);
		miss = ok;
	} else {
		miss = fail;
	}
	for (i = 0; i < n; i++) {
		if (!w[i].mask)
			continue;
		bpfgen_emit(p, w[i].load);
		if (w[i].wide) {
			bpfgen_emit_ld_imm64(p, BPF_REG_2, w[i].mask);
			bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_AND, BPF_REG_1,
							BPF_REG_2));
			bpfgen_emit_ld_imm64(p, BPF_REG_2,
					     w[i].val & w[i].mask);
			bpfgen_emit_jmp_reg(p, BPF_JNE, BPF_REG_1, BPF_REG_2,
					    miss);
		} else {
			bpfgen_emit(p, BPFGEN_ALU32_IMM(BPF_AND, BPF_REG_1,
							(int32_t)w[i].mask));
			bpfgen_emit_jmp32_imm(p, BPF_JNE, BPF_REG_1,
					      (int32_t)(w[i].val & w[i].mask),
					      miss);
		}
	}
	if (invert) {
		bpfgen_emit_ja(p, fail);
		bpfgen_label_place(p, ok);
	}
}

void bpfgen_match_ip4(struct bpfgen_prog *p, bool dst, uint32_t addr_be,
		      uint32_t mask_be, bool invert)
{
	struct word w = {
		.load = BPFGEN_LDX_MEM(BPF_W, BPF_REG_1, BPF_REG_9,
				       BPFGEN_PI_L3_V4 + (dst ? 16 : 12)),
		.mask = mask_be, .val = addr_be,
	};

	if (!bpfgen_in_rule(p))
		return;
	if (p->family != NFPROTO_IPV4) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	/* A /0 without "!" matches everything; iptables-nft emits nothing. */
	if (!mask_be && !invert)
		return;
	if (!mask_be) {
		bpfgen_emit_ja(p, p->rule_fail);
		return;
	}
	match_words(p, &w, 1, invert);
}

void bpfgen_match_ip6(struct bpfgen_prog *p, bool dst, const uint8_t *addr,
		      const uint8_t *mask, bool invert)
{
	int base = BPFGEN_PI_L3_V6 + (dst ? 24 : 8), i;
	struct word w[2];

	if (!bpfgen_in_rule(p))
		return;
	if (p->family != NFPROTO_IPV6) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	for (i = 0; i < 2; i++) {
		w[i].load = BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_9,
					   base + 8 * i);
		memcpy(&w[i].mask, mask + 8 * i, 8);
		memcpy(&w[i].val, addr + 8 * i, 8);
		w[i].wide = true;
	}
	if (!w[0].mask && !w[1].mask) {
		if (invert)
			bpfgen_emit_ja(p, p->rule_fail);
		return;
	}
	match_words(p, w, 2, invert);
}

/*
 * nft meta iifname copies the name with strncpy() into a zeroed
 * register and iptables-nft compares strlen + 1 bytes (the NUL too), or
 * strlen bytes before a trailing '+'.  No device reads as "".
 */
void bpfgen_match_iface(struct bpfgen_prog *p, bool out, const char *name,
			bool invert)
{
	const struct bpfgen_kinfo *k = p->k;
	uint8_t pat[16] = { 0 }, mask[16] = { 0 };
	size_t len = strlen(name), n;
	int nodev, i;
	struct word w[2];

	if (!bpfgen_in_rule(p))
		return;
	n = len && name[len - 1] == '+' ? len - 1 : len + 1;
	if (n > sizeof(pat)) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	if (!n) {
		if (invert)
			bpfgen_emit_ja(p, p->rule_fail);
		return;
	}
	memcpy(pat, name, n < len ? n : len);
	memset(mask, 0xff, n);
	nodev = bpfgen_label_new(p);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_8,
				      out ? k->state_out : k->state_in));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_4, 0));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_5, 0));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_3, 0, nodev);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_4, BPF_REG_3,
				      k->dev_name));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_5, BPF_REG_3,
				      k->dev_name + 8));
	bpfgen_label_place(p, nodev);
	for (i = 0; i < 2; i++) {
		w[i].load = BPFGEN_MOV64_REG(BPF_REG_1, BPF_REG_4 + i);
		memcpy(&w[i].mask, mask + 8 * i, 8);
		memcpy(&w[i].val, pat + 8 * i, 8);
		w[i].wide = true;
	}
	match_words(p, w, 2, invert);
}

void bpfgen_match_l4proto(struct bpfgen_prog *p, uint8_t proto, bool invert)
{
	if (!bpfgen_in_rule(p))
		return;
	if (!proto) {
		if (invert)
			bpfgen_emit_ja(p, p->rule_fail);
		return;
	}
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_1, BPF_REG_9,
				      BPFGEN_PI_L4PROTO));
	/* nft's meta l4proto breaks, whatever the compare says. */
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, BPFGEN_L4PROTO_NONE,
			    p->rule_fail);
	bpfgen_emit_jmp_imm(p, invert ? BPF_JEQ : BPF_JNE, BPF_REG_1, proto,
			    p->rule_fail);
}

void bpfgen_match_frag(struct bpfgen_prog *p, bool invert)
{
	if (!bpfgen_in_rule(p))
		return;
	if (p->family != NFPROTO_IPV4) {
		bpfgen_set_err(p, -EINVAL);
		return;
	}
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_H, BPF_REG_1, BPF_REG_9,
				      BPFGEN_PI_L3_V4 + 6));
	bpfgen_emit(p, BPFGEN_BSWAP_BE(BPF_REG_1, 16));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_1, 0x1fff));
	bpfgen_emit_jmp_imm(p, invert ? BPF_JNE : BPF_JEQ, BPF_REG_1, 0,
			    p->rule_fail);
}
