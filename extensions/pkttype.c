// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m pkttype, a compat match in iptables-nft 1.8.9: pkttype_mt() of
 * xt_pkttype.c.  skb->pkt_type as is, except PACKET_LOOPBACK (looped
 * back multicast), which counts as multicast for IPv6 and for an IPv4
 * multicast destination, and as broadcast for any other IPv4 packet.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/if_packet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/xt_pkttype.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

#define IP4_DADDR 16

static int pkttype_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			  const struct xt_entry_match *m, const char **why)
{
	const struct xt_pkttype_info *info = (const void *)m->data;
	int done = bpfgen_label_new(p);

	if (info->pkttype < 0 || info->pkttype > 0xff) {
		*why = "pkttype out of range";
		return -EOPNOTSUPP;
	}
	bpfgen_load_meta(p, BPF_REG_1, BPFGEN_META_PKTTYPE);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, PACKET_LOOPBACK, done);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_1, PACKET_MULTICAST));
	if (rule->family == NFPROTO_IPV4) {
		/* ipv4_is_multicast(): 224.0.0.0/4 */
		bpfgen_load_l3(p, BPF_REG_2, IP4_DADDR, 1);
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_2, 0xf0));
		bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_2, 0xe0, done);
		bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_1, PACKET_BROADCAST));
	}
	bpfgen_label_place(p, done);
	bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, info->pkttype, 1,
		       info->invert);
	return 0;
}

const struct ipb_ext ipb_ext_pkttype = {
	.name = "pkttype",
	.to_bpf = pkttype_to_bpf,
};
