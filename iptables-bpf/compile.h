/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A table's base chain → one BPF program (bpfgen), with the user chains
 * it reaches as subprograms.
 */
#ifndef IPB_IPTABLES_BPF_COMPILE_H
#define IPB_IPTABLES_BPF_COMPILE_H

#include <stdint.h>

struct bpfgen_prog;
struct ipb_table;
struct ipb_chain;

/*
 * Rules one program may hold.  The verifier walks at most 1M instructions
 * and keeps 8192 pending branches: about 6000 rules of five matches load
 * (bpfgen.h, measured on Linux 6.18); larger chains stay on nf_tables
 * without spending seconds in the verifier first.
 */
#define IPB_MAX_RULES_PER_PROG 5000

/* The policy counter's slot holds this in place of a rule handle. */
#define IPB_SLOT_POLICY UINT64_MAX

/**
 * struct ipb_why - why a table cannot run in BPF
 * @chain: the chain of the first such rule
 * @rulenum: its number in the chain (1-based), 0 if not about a rule
 * @reason: what in it
 */
struct ipb_why {
	char chain[256];
	unsigned int rulenum;
	char reason[160];
};

/**
 * struct ipb_compiled - one base chain's program
 * @prog: the program, not loaded yet (owned)
 * @slots: the rule handle each counter slot counts, the policy's last
 *	(IPB_SLOT_POLICY) (owned)
 * @nslots: how many
 * @nrules: how many rules the program holds (user chains' included)
 */
struct ipb_compiled {
	struct bpfgen_prog *prog;
	uint64_t *slots;
	uint32_t nslots;
	uint32_t nrules;
};

/*
 * Compiles @base of @t.  -EOPNOTSUPP with @why filled if some rule
 * cannot run in BPF; other -errno if bpfgen failed (also in @why).
 */
int ipb_compile_chain(const struct ipb_table *t, const struct ipb_chain *base,
		      struct ipb_compiled *out, struct ipb_why *why);
void ipb_compiled_release(struct ipb_compiled *c);

#endif
