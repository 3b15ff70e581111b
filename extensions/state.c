// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m state as the kernel's own "state" match (revision 0, struct
 * xt_state_info).  iptables-nft 1.8.9 writes -m state as conntrack
 * revision 3 (extensions/conntrack.c); this one is for rules another
 * tool wrote with the state match itself.  state_mt()
 * (net/netfilter/xt_state.c): ctinfo's bit, INVALID without an entry,
 * UNTRACKED for the untracked ctinfo; matches if any is in statemask.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/xt_state.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

static int state_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			const struct xt_entry_match *m, const char **why)
{
	const struct xt_state_info *info = (const void *)m->data;
	int plain = bpfgen_label_new(p);

	if (m->u.user.revision != 0) {
		*why = "state match revision other than 0";
		return -EOPNOTSUPP;
	}
	bpfgen_load_ct(p, BPF_REG_1, BPFGEN_CT_STATE, -1);
	/* bpfgen says 16 for untracked; xt_state's bit is 64 */
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, 16, plain);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_1, XT_STATE_UNTRACKED));
	bpfgen_label_place(p, plain);
	bpfgen_cmp_mask(p, BPF_REG_1, info->statemask, 0, true);
	return 0;
}

const struct ipb_ext ipb_ext_state = {
	.name = "state",
	.to_bpf = state_to_bpf,
};
