// SPDX-License-Identifier: GPL-2.0-or-later
/* -m dst: the IPv6 destination options header, see opts.c (ip6t_hbh.c). */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/opts.h"

static int dst_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **why)
{
	return ipb_opts_to_bpf(p, IPPROTO_DSTOPTS, m, why);
}

const struct ipb_ext ipb_ext_dst = {
	.name = "dst",
	.to_bpf = dst_to_bpf,
};
