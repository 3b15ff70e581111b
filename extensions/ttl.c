// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m ttl (IPv4), a compat match in iptables-nft 1.8.9: ttl_mt() of
 * xt_hl.c compares the header's TTL for equal, not equal, less or
 * greater; any other mode never matches.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/netfilter_ipv4/ipt_ttl.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

#define IP4_TTL 8

static int ttl_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **why)
{
	const struct ipt_ttl_info *info = (const void *)m->data;

	bpfgen_load_l3(p, BPF_REG_1, IP4_TTL, 1);
	return ipb_xt_hl_cmp(p, BPF_REG_1, info->mode, info->ttl);
}

const struct ipb_ext ipb_ext_ttl = {
	.name = "ttl",
	.to_bpf = ttl_to_bpf,
};
