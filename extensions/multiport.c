// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m multiport, revision 1 (what iptables-nft 1.8.9 writes, as the
 * compat match): multiport_mt() and ports_match_v1() of xt_multiport.c.
 * A non-first fragment never matches; fewer than 4 bytes of transport
 * header drop the packet; a port, or a range where pflags[i] is set
 * (ports[i]..ports[i + 1]), is compared with the source port, the
 * destination port or either; ! inverts the whole list.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/netfilter/xt_multiport.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

/* if (@lo <= R@reg <= @hi) goto @hit */
static void port_in(struct bpfgen_prog *p, int reg, uint16_t lo, uint16_t hi,
		    int hit)
{
	int next;

	if (lo == hi) {
		bpfgen_emit_jmp_imm(p, BPF_JEQ, reg, lo, hit);
		return;
	}
	next = bpfgen_label_new(p);
	bpfgen_emit_jmp_imm(p, BPF_JLT, reg, lo, next);
	bpfgen_emit_jmp_imm(p, BPF_JLE, reg, hi, hit);
	bpfgen_label_place(p, next);
}

static int multiport_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			    const struct xt_entry_match *m, const char **why)
{
	const struct xt_multiport_v1 *info = (const void *)m->data;
	int hit = bpfgen_label_new(p), fail = bpfgen_rule_fail_label(p);
	unsigned int i;

	if (m->u.user.revision != 1 || info->count > XT_MULTI_PORTS ||
	    info->flags > XT_MULTIPORT_EITHER) {
		*why = "multiport match other than revision 1";
		return -EOPNOTSUPP;
	}
	ipb_xt_l4_begin(p, 4);
	/* R2 = source port, R3 = destination port */
	bpfgen_load_l4(p, BPF_REG_2, 0, 2, fail);
	bpfgen_ntoh(p, BPF_REG_2, 2);
	bpfgen_load_l4(p, BPF_REG_3, 2, 2, fail);
	bpfgen_ntoh(p, BPF_REG_3, 2);
	for (i = 0; i < info->count; i++) {
		uint16_t lo = info->ports[i], hi = lo;

		if (info->pflags[i]) {
			/* the kernel reads ports[count] for a bad last flag */
			if (++i >= XT_MULTI_PORTS) {
				*why = "multiport range past the port list";
				return -EOPNOTSUPP;
			}
			hi = info->ports[i];
		}
		if (info->flags != XT_MULTIPORT_DESTINATION)
			port_in(p, BPF_REG_2, lo, hi, hit);
		if (info->flags != XT_MULTIPORT_SOURCE)
			port_in(p, BPF_REG_3, lo, hi, hit);
	}
	ipb_xt_hit_end(p, hit, info->invert);
	return 0;
}

const struct ipb_ext ipb_ext_multiport = {
	.name = "multiport",
	.to_bpf = multiport_to_bpf,
};
