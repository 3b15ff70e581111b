// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m helper: helper_mt() (net/netfilter/xt_helper.c) reads the helper
 * of the entry's master through nfct_help(), i.e. the nf_ct_ext area,
 * whose lookup (__nf_ct_ext_find()) also compares the extension's
 * generation with the global nf_conntrack_ext_genid.  BPF cannot read
 * that global, so a stale extension area would be trusted where the
 * kernel ignores it: the match stays on nf_tables.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

static int helper_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			 const struct xt_entry_match *m, const char **why)
{
	*why = "helper match (conntrack extension area not readable exactly)";
	return -EOPNOTSUPP;
}

const struct ipb_ext ipb_ext_helper = {
	.name = "helper",
	.to_bpf = helper_to_bpf,
};
