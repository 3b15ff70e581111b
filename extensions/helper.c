// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m helper, an xt compat match: helper_mt() (net/netfilter/xt_helper.c)
 * returns info->invert without a conntrack entry, a master, the
 * master's helper extension or a helper; otherwise invert xor (name
 * empty, or strncmp(helper->name, name, strlen(helper->name)) == 0).
 * bpfgen_match_ct_helper() reads that path; on kernels whose extension
 * lookup also checks a generation against a kernel global
 * (nf_conntrack_ext_genid) it refuses with the reason, and the table
 * stays on nf_tables.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter/xt_helper.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

static int helper_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			 const struct xt_entry_match *m, const char **why)
{
	const struct xt_helper_info *info = (const void *)m->data;
	/* checkentry NUL-terminates the name at its last byte */
	char name[sizeof(info->name)];
	const char *reason = bpfgen_ct_helper_unsupported(p);

	if (reason) {
		*why = reason;
		return -EOPNOTSUPP;
	}
	memcpy(name, info->name, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	bpfgen_match_ct_helper(p, name, info->invert);
	return 0;
}

const struct ipb_ext ipb_ext_helper = {
	.name = "helper",
	.to_bpf = helper_to_bpf,
};
