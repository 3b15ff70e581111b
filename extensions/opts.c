// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m hbh and -m dst (IPv6), compat matches in iptables-nft 1.8.9:
 * hbh_mt6() of ip6t_hbh.c.  The header comes from ipv6_find_hdr(): none
 * fails the rule, a chain cut short or fewer than 2 bytes of it drop
 * the packet, and so does a header longer than the rest of the packet
 * (Linux 6.18; older sources return false there; the kernel test in
 * tests/bpf/ruleset-l4-test checks it).  Then --hbh-len/--dst-len
 * compare the length in bytes, (hdrlen + 1) * 8, ^ invert, and the
 * option list (--hbh-opts/--dst-opts) is compared strictly, option by
 * option from the header's third byte: each type must be the listed
 * one, and its length byte the listed length unless that is 0xff
 * ("any"); Pad1 (type 0) has no length byte.  Running out of header
 * bytes, or an option that would end past the header or the packet
 * before the list does, fails the rule (no hotdrop on 6.18).
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/netfilter_ipv6/ip6t_opts.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/opts.h"
#include "extensions/xtmatch.h"

/* Walk state: the option's offset in BPFGEN_PI_SCRATCH, this: */
#define OPTS_LEFT (BPFGEN_PI_TMP + 4)	/* u32 header bytes left */

/* R@reg = header bytes left; jump to @fail when fewer than @n. */
static void need_left(struct bpfgen_prog *p, int reg, int n, int fail)
{
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, reg, BPF_REG_9, OPTS_LEFT));
	bpfgen_emit_jmp_imm(p, BPF_JLT, reg, n, fail);
}

/*
 * One listed option @opt (type << 8 | length); @last: the list's end,
 * where the kernel does not check the option's extent.  R3 = its length.
 */
static void emit_opt(struct bpfgen_prog *p, uint16_t opt, bool last, int fail)
{
	uint8_t type = opt >> 8, len = opt & 0xff;

	need_left(p, BPF_REG_1, 1, fail);
	bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_SCRATCH);
	bpfgen_load_pkt(p, BPF_REG_2, BPF_REG_1, 0, 1, fail);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_2, type, fail);
	if (type) {
		need_left(p, BPF_REG_1, 2, fail);
		bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_SCRATCH);
		bpfgen_load_pkt(p, BPF_REG_3, BPF_REG_1, 1, 1, fail);
		if (len != 0xff)
			bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_3, len, fail);
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, 2));
	} else {
		bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_3, 1));
	}
	if (last)
		return;
	/*
	 * ptr > skb->len - optlen || left < optlen: the option overruns
	 * (unsigned int arithmetic, hence the 32-bit subtraction)
	 */
	bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_SKBLEN);
	bpfgen_emit(p, BPFGEN_INSN(BPF_ALU | BPF_SUB | BPF_X, BPF_REG_1,
				   BPF_REG_3, 0, 0));
	bpfgen_load_pkt_info(p, BPF_REG_2, BPFGEN_PI_SCRATCH);
	bpfgen_emit_jmp_reg(p, BPF_JGT, BPF_REG_2, BPF_REG_1, fail);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_W, BPF_REG_1, BPF_REG_9, OPTS_LEFT));
	bpfgen_emit_jmp_reg(p, BPF_JLT, BPF_REG_1, BPF_REG_3, fail);
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_SUB, BPF_REG_1, BPF_REG_3));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_1, OPTS_LEFT));
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_3));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_2,
				      BPFGEN_PI_SCRATCH));
}

/* R3 = the header's length; the list starts 2 bytes in. */
static void emit_opts(struct bpfgen_prog *p, const struct ip6t_opts *info)
{
	int fail = bpfgen_rule_fail_label(p);
	unsigned int i;

	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_SUB, BPF_REG_3, 2));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_3, OPTS_LEFT));
	bpfgen_load_pkt_info(p, BPF_REG_1, BPFGEN_PI_SCRATCH);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_1, 2));
	bpfgen_emit(p, BPFGEN_STX_MEM(BPF_W, BPF_REG_9, BPF_REG_1,
				      BPFGEN_PI_SCRATCH));
	for (i = 0; i < info->optsnr; i++)
		emit_opt(p, info->opts[i], i + 1 == info->optsnr, fail);
}

int ipb_opts_to_bpf(struct bpfgen_prog *p, int target,
		    const struct xt_entry_match *m, const char **why)
{
	const struct ip6t_opts *info = (const void *)m->data;

	if (info->flags & IP6T_OPTS_NSTRICT ||
	    info->invflags & ~IP6T_OPTS_INV_MASK ||
	    info->optsnr > IP6T_OPTS_OPTSNR) {
		*why = "ipv6 options header match the kernel refuses";
		return -EOPNOTSUPP;
	}
	ipb_xt_ipv6_hdr(p, target, 2);
	ipb_xt_ipv6_hdr_load(p, BPF_REG_3, 1, 1);
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_3, 1));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_3, 3));
	ipb_xt_ipv6_hdr_fits(p, BPF_REG_3);
	if (info->flags & IP6T_OPTS_LEN) {
		bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_1, BPF_REG_3));
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, info->hdrlen, 4,
			       info->invflags & IP6T_OPTS_INV_LEN);
	}
	if (info->flags & IP6T_OPTS_OPTS)
		emit_opts(p, info);
	return 0;
}
