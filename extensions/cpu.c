// SPDX-License-Identifier: GPL-2.0-or-later
/* -m cpu: cpu_mt() (net/netfilter/xt_cpu.c), smp_processor_id() == cpu. */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter/xt_cpu.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

static int cpu_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **why)
{
	const struct xt_cpu_info *info = (const void *)m->data;

	bpfgen_load_meta(p, BPF_REG_1, BPFGEN_META_CPU);
	bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, info->cpu, 4,
		       info->invert);
	return 0;
}

const struct ipb_ext ipb_ext_cpu = {
	.name = "cpu",
	.to_bpf = cpu_to_bpf,
};
