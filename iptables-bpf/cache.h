/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One table as the kernel holds it: its chains (built-in ones always,
 * present in the kernel or not) and their rules read back into the IR.
 */
#ifndef IPB_IPTABLES_BPF_CACHE_H
#define IPB_IPTABLES_BPF_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/x_tables.h>

struct ipb_nl;
struct ipb_rule;
struct ipb_builtin_table;
struct ipb_builtin_chain;

/**
 * struct ipb_chain - one chain of a table
 * @name: the chain's name
 * @handle: its nf_tables handle (0 while not in the kernel)
 * @in_kernel: the kernel has it (built-in chains are made on first use)
 * @builtin: the built-in chain definition, NULL for a user chain
 * @policy: NF_ACCEPT or NF_DROP (built-in chains)
 * @counters: the policy counters (built-in chains): BPF's while BPF runs
 *	the table, else nf_tables'
 * @nft_counters: nf_tables' own policy counters
 * @rules: its rules in order (owned), @nrules how many
 * @last: the last rule if known, else NULL (appends in O(1): a restore
 *	appends thousands)
 * @refs: how many rules of the table jump or go to it
 * @next: the next chain: built-ins in table order, then user chains by
 *	name, as iptables lists them
 */
struct ipb_chain {
	char name[NFT_CHAIN_MAXNAMELEN];
	uint64_t handle;
	bool in_kernel;
	const struct ipb_builtin_chain *builtin;
	uint32_t policy;
	struct xt_counters counters;
	struct xt_counters nft_counters;
	struct ipb_rule *rules;
	unsigned int nrules;
	struct ipb_rule *last;
	unsigned int refs;
	struct ipb_chain *next;
};

/**
 * struct ipb_table - a table and everything in it
 * @family: NFPROTO_IPV4 or NFPROTO_IPV6
 * @def: the iptables table it is
 * @in_kernel: the kernel has the table
 * @flags: the nf_tables table flags (NFT_TABLE_F_DORMANT)
 * @chains: its chains (owned)
 * @incompatible: it holds something iptables cannot show (nft-made)
 * @genid: the ruleset generation this was read at
 * @counters_pending: read without the BPF programs' counters
 *	(ipb_table_fetch_rules()); ipb_table_counters() adds them
 */
struct ipb_table {
	uint8_t family;
	const struct ipb_builtin_table *def;
	bool in_kernel;
	uint32_t flags;
	struct ipb_chain *chains;
	bool incompatible;
	uint32_t genid;
	bool counters_pending;
};

/* An empty table @def: its built-in chains, nothing in the kernel. */
int ipb_table_new(struct ipb_table **out, uint8_t family,
		  const struct ipb_builtin_table *def);
/* Reads table @def of @family from the kernel. */
int ipb_table_fetch(struct ipb_table **out, struct ipb_nl *nl, uint8_t family,
		    const struct ipb_builtin_table *def);
/*
 * Like ipb_table_fetch(), without reading the programs' counters: rules
 * and policies hold nf_tables' until ipb_table_counters().  Reading the
 * counters of 10,000 rules costs more than appending one.
 */
int ipb_table_fetch_rules(struct ipb_table **out, struct ipb_nl *nl,
			  uint8_t family, const struct ipb_builtin_table *def);
/* The programs' counters onto a table read by ipb_table_fetch_rules(). */
int ipb_table_counters(struct ipb_table *t);
void ipb_table_free(struct ipb_table *t);

struct ipb_chain *ipb_table_find_chain(const struct ipb_table *t,
				       const char *name);
/* Adds a user chain in name order (for -N before commit). */
int ipb_table_add_user_chain(struct ipb_table *t, const char *name,
			     struct ipb_chain **out);
/* Rule @n (1-based) of @c, or NULL. */
struct ipb_rule *ipb_chain_rule_at(const struct ipb_chain *c, unsigned int n);
/* Recounts every chain's references. */
void ipb_table_count_refs(struct ipb_table *t);

#endif
