/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Building blocks for matches iptables-nft 1.8.9 writes as the xt compat
 * expression: nft_compat runs the kernel's xt match function with
 * par->thoff and par->fragoff from nf_tables' packet info, and turns
 * par->hotdrop into NF_DROP (nft_compat.c, __nft_match_eval()).
 */
#ifndef IPB_EXTENSIONS_XTMATCH_H
#define IPB_EXTENSIONS_XTMATCH_H

#include <stdbool.h>
#include <stdint.h>

struct bpfgen_prog;

/* The rule fails on a non-first fragment (par->fragoff != 0). */
void ipb_xt_fail_if_fragment(struct bpfgen_prog *p);
/*
 * Hotdrop unless @len bytes follow the transport offset: a failed
 * skb_header_pointer(skb, par->thoff, @len, ...) in the module.
 * @len <= BPFGEN_L4_MAX.
 */
void ipb_xt_need_l4(struct bpfgen_prog *p, int len);
/*
 * The usual start of an xt transport match (xt_udp, xt_esp, ipt_ah,
 * icmp_match(), xt_multiport): no match on a non-first fragment, then
 * hotdrop on a header shorter than @len.
 */
void ipb_xt_l4_begin(struct bpfgen_prog *p, int len);
/*
 * End of a match that jumped to @hit where the module's test is true:
 * the rule goes on iff that happened != @invert.  Falling into this
 * means the test was false.
 */
void ipb_xt_hit_end(struct bpfgen_prog *p, int hit, bool invert);
/*
 * @reg = the doff * 4 of the TCP header in L4 (the caller checked 20
 * bytes are there).
 */
void ipb_xt_tcp_doff(struct bpfgen_prog *p, int reg);
/*
 * Before an option walk: hotdrop if the data offset is below 5 words
 * or the options are cut short (as tcp_mt() and tcpmss_mt() do); jump
 * to @none when there are no options; else R2 = option length.  The
 * caller checked the 20-byte header is there.
 */
void ipb_xt_tcp_opts_begin(struct bpfgen_prog *p, int none);
/*
 * The xt TCP option walk (tcp_find_option() in xt_tcpudp.c, the loop of
 * xt_tcpmss.c) over the R2 option bytes after the fixed header, with R1
 * the index from byte 20.  On a kind byte equal to @kind it jumps to
 * @found with R1 at it; from there, jumping to *@advance goes on with
 * the next option.  Past the end it jumps to @end.  Clobbers R3.
 *
 * The verifier follows each walk through its iterations: about 50 rules
 * with a walk fit into one program (1M instructions processed, measured
 * on 6.18: 50 tcpmss rules load in 2 s, 100 fail with -E2BIG after 12 s
 * and the table stays on nf_tables).  Unrolling by position instead
 * verified worse.  Hence the budget (bpfgen_loop_take()): -E2BIG past
 * it, and the rule stays on nf_tables at once.
 */
int ipb_xt_tcp_opt_walk(struct bpfgen_prog *p, uint8_t kind, int found,
			int end, int *advance);
/* Why ipb_xt_tcp_opt_walk() refused (-E2BIG): the program's loop budget. */
#define IPB_XT_WALKS_WHY "more TCP option walks than one BPF program verifies in time"
/*
 * xt_hl.c's ttl_mt()/hl_mt6(): the rule goes on iff R@reg (the TTL or
 * hop limit) compares to @value by @mode (IPT_TTL_EQ/NE/LT/GT, the same
 * values as IP6T_HL_*); another mode never matches.  Returns 0.
 */
int ipb_xt_hl_cmp(struct bpfgen_prog *p, int reg, uint8_t mode,
		  uint8_t value);
/*
 * R@reg = the DS field: ipv4_get_dsfield() (the TOS byte) or
 * ipv6_get_dsfield() (the traffic class), by the program's family.
 */
void ipb_xt_load_dsfield(struct bpfgen_prog *p, int reg);
/*
 * The start of ip6t_frag/hbh/rt/ah's match functions:
 * ipv6_find_hdr(skb, &ptr, @target, NULL, NULL); -ENOENT fails the
 * rule, another error drops the packet; then the header's first @len
 * bytes must be there (skb_header_pointer() of its struct), or the
 * packet is dropped.  The header's offset stays in BPFGEN_PI_SCRATCH.
 */
void ipb_xt_ipv6_hdr(struct bpfgen_prog *p, int target, int len);
/*
 * R@reg = @size bytes at @off in the header ipb_xt_ipv6_hdr() found, in
 * host order (1, 2 or 4 bytes; clobbers R0-R5 but @reg).
 */
void ipb_xt_ipv6_hdr_load(struct bpfgen_prog *p, int reg, int off, int size);
/*
 * Hotdrop when the header found is longer than what follows it in the
 * packet (skb->len - ptr < hdrlen in ip6t_hbh.c and ip6t_rt.c, and for
 * AH: the Linux 6.18 modules drop there, as the kernel tests in
 * tests/bpf/ruleset-l4-test and tests/rdiff show); R@reg holds hdrlen.  Clobbers two of
 * R1-R4 other than @reg.
 */
void ipb_xt_ipv6_hdr_fits(struct bpfgen_prog *p, int reg);

#endif
