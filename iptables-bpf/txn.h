/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A transaction: the tables it read, the batch it builds, and what it
 * changed.  Commands check against the tables as read, add messages to
 * the batch and update the tables to what the batch will make of them,
 * so that later commands of the same restore see their effect.  Commit
 * sends everything as one nf_tables transaction; if the ruleset changed
 * meanwhile (ERESTART), the caller starts again from a fresh read.
 */
#ifndef IPB_IPTABLES_BPF_TXN_H
#define IPB_IPTABLES_BPF_TXN_H

#include <stdbool.h>
#include <stdint.h>

struct ipb_nl;
struct ipb_table;
struct ipb_chain;
struct ipb_rule;
struct ipb_error;
struct ipb_builtin_table;

#define IPB_NTABLES 5

/**
 * struct ipb_txn - one transaction
 * @nl: the netlink conversation (borrowed)
 * @family: NFPROTO_IPV4 or NFPROTO_IPV6
 * @tables: the tables read so far, by ipb_builtin_table_at() index
 * @touched: which tables the batch changes
 * @batch: the batch being built, NULL until the first change
 * @genid: the generation every table was read at
 * @rule_id: the last NFTA_RULE_ID given out
 * @ops: what each batch message does, for error messages (tag = index)
 * @nops: how many
 * @restore_line: the restore input line being applied, for ops (-1: none)
 * @zero_policy: per table, the chains (bit = index in the table's chain
 *	list) whose policy counters the batch sets
 * @reset: rule handles whose counters the batch sets (a replaced rule
 *	keeps its handle), as table index << 56 | handle; @nreset of them
 * @keep_dormant: per table, a table deleted by the batch was dormant (run
 *	by BPF): the batch makes it anew dormant, so the old programs go on
 *	until new ones replace them
 * @recreated: per table, the batch deletes the table and makes it anew:
 *	nf_tables gives out the same rule handles again, so no counter
 *	kept by handle may carry over
 * @for_bpf: BPF will run the changed tables (mode auto or require): a
 *	table the batch makes is made dormant (nf_tables' counters then
 *	stand still until the programs take over), and the handles of
 *	added rules are learnt (@handles, handles.c), so that the tables
 *	as the batch leaves them can be compiled without reading them
 *	back (ipb_txn_take_table()); @handles_failed: that went wrong
 */
struct ipb_txn {
	struct ipb_nl *nl;
	uint8_t family;
	struct ipb_table *tables[IPB_NTABLES];
	bool touched[IPB_NTABLES];
	struct ipb_batch *batch;
	uint32_t genid;
	bool have_genid;
	uint32_t rule_id;
	struct ipb_txn_op *ops;
	unsigned int nops, cap;
	int restore_line;
	uint32_t zero_policy[IPB_NTABLES];
	uint64_t *reset;
	size_t nreset;
	bool keep_dormant[IPB_NTABLES];
	bool recreated[IPB_NTABLES];
	bool for_bpf;
	struct ipb_handles *handles;
	bool handles_failed;
};

/**
 * struct ipb_txn_op - one batch message, as error messages name it
 * @name: iptables-nft's name for the operation ("RULE_APPEND")
 * @what: the object ("rule in chain INPUT")
 * @line: the restore line that made it, or -1
 */
struct ipb_txn_op {
	const char *name;
	char what[96];
	int line;
};

int ipb_txn_new(struct ipb_txn **out, struct ipb_nl *nl, uint8_t family);
void ipb_txn_free(struct ipb_txn *t);
/* The table called @name, read on first use.  -EINVAL: no such table;
 * -ERESTART: the ruleset changed since an earlier table was read. */
int ipb_txn_table(struct ipb_txn *t, const char *name,
		  struct ipb_table **out);
/* Sends the batch.  On a kernel refusal fills @err as iptables-nft words
 * it; returns -ERESTART if the caller must start again. */
int ipb_txn_commit(struct ipb_txn *t, struct ipb_error *err);
/*
 * After the commit: table @idx (ipb_builtin_table_at()) as the batch
 * left it, with the handles the kernel gave the added rules, taken out
 * of @t (the caller frees it); NULL when the batch's effect is not known
 * exactly (no echo of every added rule, the table runs in nf_tables, it
 * holds rules iptables did not write), and the table must be read back.
 * Valid while the ruleset generation is the one after the commit.
 */
struct ipb_table *ipb_txn_take_table(struct ipb_txn *t, unsigned int idx);

/* Batch building; each keeps the cached table in step. */
int ipb_txn_ensure_table(struct ipb_txn *t, struct ipb_table *tbl);
int ipb_txn_ensure_chain(struct ipb_txn *t, struct ipb_table *tbl,
			 struct ipb_chain *c);
int ipb_txn_add_rule(struct ipb_txn *t, struct ipb_table *tbl,
		     struct ipb_chain *c, struct ipb_rule *r,
		     struct ipb_rule *before, bool append,
		     struct ipb_error *err);
int ipb_txn_replace_rule(struct ipb_txn *t, struct ipb_table *tbl,
			 struct ipb_chain *c, struct ipb_rule *old,
			 struct ipb_rule *r, struct ipb_error *err);
int ipb_txn_delete_rule(struct ipb_txn *t, struct ipb_table *tbl,
			struct ipb_chain *c, struct ipb_rule *r);
int ipb_txn_flush_chain(struct ipb_txn *t, struct ipb_table *tbl,
			struct ipb_chain *c);
int ipb_txn_new_user_chain(struct ipb_txn *t, struct ipb_table *tbl,
			   const char *name);
int ipb_txn_delete_chain(struct ipb_txn *t, struct ipb_table *tbl,
			 struct ipb_chain *c);
int ipb_txn_rename_chain(struct ipb_txn *t, struct ipb_table *tbl,
			 struct ipb_chain *c, const char *newname);
/* Policy and/or counters of a built-in chain (creating it if needed). */
int ipb_txn_set_policy(struct ipb_txn *t, struct ipb_table *tbl,
		       struct ipb_chain *c, uint32_t policy,
		       const uint64_t *counters);
/*
 * The table's flags (NFT_TABLE_F_DORMANT).  The kernel refuses a flags
 * change after a chain update in one batch (EINVAL,
 * nft_table_pending_update()): add it first.
 */
int ipb_txn_set_table_flags(struct ipb_txn *t, struct ipb_table *tbl,
			    uint32_t flags);
/* Deletes the whole table (restore's flush), forgetting its contents. */
int ipb_txn_delete_table(struct ipb_txn *t, struct ipb_table *tbl);

#endif
