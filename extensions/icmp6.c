// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m icmp6, written by iptables-nft 1.8.9 as the compat match:
 * icmp6_match() of ip6_tables.c.  A non-first fragment never matches, a
 * header shorter than 8 bytes drops the packet.  Unlike IPv4's
 * icmp_match(), type 255 is no wildcard: icmp6_type_code_match() has no
 * "any" case (libip6t_icmp6 has no "any" either).
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/netfilter_ipv6/ip6_tables.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

#define ICMP6_HDR_LEN 8

static int icmp6_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			const struct xt_entry_match *m, const char **why)
{
	const struct ip6t_icmp *info = (const void *)m->data;
	int miss = bpfgen_label_new(p), hit = bpfgen_label_new(p);

	ipb_xt_l4_begin(p, ICMP6_HDR_LEN);
	bpfgen_load_l4(p, BPF_REG_1, 0, 1, miss);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, info->type, miss);
	bpfgen_load_l4(p, BPF_REG_1, 1, 1, miss);
	bpfgen_emit_jmp_imm(p, BPF_JLT, BPF_REG_1, info->code[0], miss);
	bpfgen_emit_jmp_imm(p, BPF_JLE, BPF_REG_1, info->code[1], hit);
	bpfgen_label_place(p, miss);
	ipb_xt_hit_end(p, hit, info->invflags & IP6T_ICMP_INV);
	return 0;
}

const struct ipb_ext ipb_ext_icmp6 = {
	.name = "icmp6",
	.to_bpf = icmp6_to_bpf,
};
