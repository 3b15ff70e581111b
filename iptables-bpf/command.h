/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPB_IPTABLES_BPF_COMMAND_H
#define IPB_IPTABLES_BPF_COMMAND_H

struct ipb_txn;
struct ipb_cmd;
struct ipb_error;

/*
 * Checks @cmd against the transaction's view of the ruleset and adds what
 * it changes to the batch; list commands print.  Takes the rules out of
 * @cmd.  Returns 0, or -errno with @err filled in iptables-nft's words;
 * -ERESTART means the ruleset changed under us: start again.
 */
int ipb_command_apply(struct ipb_txn *t, struct ipb_cmd *cmd,
		      struct ipb_error *err);
/* A copy of @src whose rules the copy owns, for a retried transaction. */
int ipb_cmd_copy(struct ipb_cmd *dst, const struct ipb_cmd *src);

#endif
