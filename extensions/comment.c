// SPDX-License-Identifier: GPL-2.0-or-later
/* -m comment: comment_mt() (net/netfilter/xt_comment.c) is always true. */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

static int comment_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			  const struct xt_entry_match *m, const char **why)
{
	return 0;
}

const struct ipb_ext ipb_ext_comment = {
	.name = "comment",
	.to_bpf = comment_to_bpf,
};
