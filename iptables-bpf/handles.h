/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The handles nf_tables gives the rules a batch adds, known without
 * reading the table back (bpf_sync.c compiles the table as the batch
 * left it).
 */
#ifndef IPB_IPTABLES_BPF_HANDLES_H
#define IPB_IPTABLES_BPF_HANDLES_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

struct ipb_handles;
struct ipb_table;

int ipb_handles_new(struct ipb_handles **out);
void ipb_handles_free(struct ipb_handles *h);
/* Table @tbl (ipb_builtin_table_at() index) gets a new chain. */
int ipb_handles_chain(struct ipb_handles *h, unsigned int tbl);
/*
 * Table @tbl gets rule @id (NFTA_RULE_ID) in chain @chain, as batch
 * message @pos.  Returns 1 if the message must carry NLM_F_ECHO, 0 if
 * not, or -errno.
 */
int ipb_handles_rule(struct ipb_handles *h, unsigned int tbl, uint32_t id,
		     const char *chain, unsigned int pos);
/* The message just added for that rule (the batch keeps it). */
void ipb_handles_rule_msg(struct ipb_handles *h, unsigned int tbl,
			  struct nlmsghdr *nlh);
/* The batch deletes table @tbl. */
void ipb_handles_table_deleted(struct ipb_handles *h, unsigned int tbl);
/* Before the batch is sent: the last rule of each table echoes too. */
void ipb_handles_before_commit(struct ipb_handles *h);
/* ipb_batch_set_echo() callback: @data is the struct ipb_handles. */
int ipb_handles_echo_cb(const struct nlmsghdr *nlh, void *data);
/*
 * After the commit: gives the rules of @t (table @tbl) that have no
 * handle the ones the kernel gave them.  @max_id is the largest rule id
 * of the batch.  False if that is not known exactly.
 */
bool ipb_handles_apply(struct ipb_handles *h, unsigned int tbl,
		       struct ipb_table *t, uint32_t max_id);

#endif
