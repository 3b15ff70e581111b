// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m icmp (IPv4), written by iptables-nft 1.8.9 as the compat match:
 * icmp_match() of ip_tables.c.  A non-first fragment never matches, a
 * header shorter than 8 bytes drops the packet, and type 0xff
 * ("--icmp-type any") matches every type and code.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/netfilter_ipv4/ip_tables.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

#define ICMP_HDR_LEN 8
#define ICMP_TYPE_ANY 0xff

static int icmp_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		       const struct xt_entry_match *m, const char **why)
{
	const struct ipt_icmp *info = (const void *)m->data;
	bool invert = info->invflags & IPT_ICMP_INV;
	int miss = bpfgen_label_new(p), hit = bpfgen_label_new(p);

	ipb_xt_l4_begin(p, ICMP_HDR_LEN);
	if (info->type == ICMP_TYPE_ANY) {
		bpfgen_emit_ja(p, hit);
	} else {
		bpfgen_load_l4(p, BPF_REG_1, 0, 1, miss);
		bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, info->type, miss);
		bpfgen_load_l4(p, BPF_REG_1, 1, 1, miss);
		bpfgen_emit_jmp_imm(p, BPF_JLT, BPF_REG_1, info->code[0], miss);
		bpfgen_emit_jmp_imm(p, BPF_JLE, BPF_REG_1, info->code[1], hit);
	}
	bpfgen_label_place(p, miss);
	ipb_xt_hit_end(p, hit, invert);
	return 0;
}

const struct ipb_ext ipb_ext_icmp = {
	.name = "icmp",
	.to_bpf = icmp_to_bpf,
};
