/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The five iptables tables and their built-in chains, with the hooks,
 * priorities and chain types iptables-nft 1.8.9 gives them.
 */
#ifndef IPB_IPTABLES_BPF_TABLES_H
#define IPB_IPTABLES_BPF_TABLES_H

#include <stdint.h>

#define IPB_MAX_BUILTIN_CHAINS 5

/**
 * struct ipb_builtin_chain - one built-in chain
 * @name: "INPUT"
 * @type: the nf_tables chain type: "filter", "nat" or "route"
 * @hook: NF_INET_*
 * @prio: the base chain priority
 */
struct ipb_builtin_chain {
	const char *name;
	const char *type;
	uint32_t hook;
	int32_t prio;
};

/**
 * struct ipb_builtin_table - one table
 * @name: "filter"
 * @chains: its built-in chains, in listing order
 * @nchains: how many
 */
struct ipb_builtin_table {
	const char *name;
	struct ipb_builtin_chain chains[IPB_MAX_BUILTIN_CHAINS];
	unsigned int nchains;
};

/* The table called @name, or NULL. */
const struct ipb_builtin_table *ipb_builtin_table_find(const char *name);
/* The built-in chain @name of @t, or NULL. */
const struct ipb_builtin_chain *
ipb_builtin_chain_find(const struct ipb_builtin_table *t, const char *name);
/* The tables in save order (iptables-save lists them in this order). */
const struct ipb_builtin_table *ipb_builtin_table_at(unsigned int i);

#endif
