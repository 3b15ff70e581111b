// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m mac: mac_mt() (net/netfilter/xt_mac.c) is false unless skb->dev is
 * an Ethernet device and the whole MAC header lies before the network
 * header, whatever "!"; then ether_addr_equal(h_source, srcaddr) ^
 * invert.  Its checkentry allows PREROUTING, INPUT and FORWARD.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/xt_mac.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

static int mac_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **why)
{
	const struct xt_mac_info *info = (const void *)m->data;
	uint64_t want = 0;
	int i;

	switch (bpfgen_prog_hook(p)) {
	case NF_INET_PRE_ROUTING:
	case NF_INET_LOCAL_IN:
	case NF_INET_FORWARD:
		break;
	default:
		*why = "mac match outside PREROUTING, INPUT, FORWARD";
		return -EOPNOTSUPP;
	}
	for (i = 5; i >= 0; i--)
		want = want << 8 | info->srcaddr[i];
	bpfgen_load_mac_src(p, BPF_REG_1, bpfgen_rule_fail_label(p));
	bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, want, 8, info->invert);
	return 0;
}

const struct ipb_ext ipb_ext_mac = {
	.name = "mac",
	.to_bpf = mac_to_bpf,
};
