// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Carrying out one parsed command inside a transaction: the checks
 * iptables-nft makes against the ruleset, then the batch messages.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter.h>

#include <libnftnl/rule.h>

#include "iptables-bpf/cache.h"
#include "iptables-bpf/cmd.h"
#include "iptables-bpf/command.h"
#include "iptables-bpf/decode.h"
#include "iptables-bpf/encode.h"
#include "iptables-bpf/errmsg.h"
#include "iptables-bpf/output.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/tables.h"
#include "iptables-bpf/txn.h"

static int op_error(struct ipb_error *e, int op, int err)
{
	ipb_error_set(e, IPB_ERR_OP, "%s", ipb_op_strerror(op, err));
	return -err;
}

/*
 * The chain a command works on.  Adding rules makes a built-in chain that
 * is not in the kernel yet (@builtin_ok); for every other command such a
 * chain does not exist, as for iptables-nft.
 */
static int find_chain(const struct ipb_table *tbl, const char *name,
		      bool builtin_ok, struct ipb_chain **out,
		      struct ipb_error *e, int op)
{
	struct ipb_chain *c = ipb_table_find_chain(tbl, name);

	if (!c || !(c->in_kernel || (builtin_ok && c->builtin)))
		return op_error(e, op, ENOENT);
	*out = c;
	return 0;
}

/* -j CHAIN / -g CHAIN must name a chain of the table. */
static int check_jump(const struct ipb_table *tbl, const struct ipb_rule *r,
		      struct ipb_error *e)
{
	if (r->target.kind != IPB_TARGET_JUMP &&
	    r->target.kind != IPB_TARGET_GOTO)
		return 0;
	if (ipb_table_find_chain(tbl, r->target.chain))
		return 0;
	ipb_error_set(e, IPB_ERR_PARAM, "Chain '%s' does not exist",
		      r->target.chain);
	return -ENOENT;
}

/*
 * @r as it reads back from nf_tables, or NULL: some options are written
 * in a form that lists otherwise ("! --sport 0:22" is "gt 22", read as
 * "--sport 23:65535"), and iptables-nft finds the rule by either.
 */
static struct ipb_rule *read_back(const struct ipb_rule *r)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();
	struct ipb_rule *back = NULL;
	const char *msg = NULL;

	if (nr && !ipb_rule_encode(nr, r, &msg) &&
	    ipb_rule_decode(&back, nr, r->family))
		back = NULL;
	if (nr)
		nftnl_rule_free(nr);
	return back;
}

/* Rules of this transaction are as given, those from the kernel as read. */
static struct ipb_rule *find_rule(const struct ipb_chain *c,
				  const struct ipb_rule *r)
{
	struct ipb_rule *k, *back = read_back(r);

	for (k = c->rules; k; k = k->next)
		if (ipb_rule_equal(k, r) || (back && ipb_rule_equal(k, back)))
			break;
	ipb_rule_free(back);
	return k;
}

/* Takes the command's rules out of it, one by one. */
static struct ipb_rule *next_rule(struct ipb_cmd *cmd)
{
	struct ipb_rule *r = cmd->rules;

	if (r) {
		cmd->rules = r->next;
		r->next = NULL;
	}
	return r;
}

static int do_append_insert(struct ipb_txn *t, struct ipb_table *tbl,
			    struct ipb_cmd *cmd, struct ipb_error *e)
{
	bool append = cmd->command == IPB_CMD_APPEND;
	int op = append ? IPB_OP_OTHER : IPB_OP_RULE_INSERT;
	struct ipb_rule *r, *before = NULL;
	struct ipb_chain *c;
	int err;

	if (cmd->rules && (err = check_jump(tbl, cmd->rules, e)))
		return err;
	err = find_chain(tbl, cmd->chain, true, &c, e, op);
	if (err)
		return err;
	if (!append && cmd->rulenum > 1) {
		before = ipb_chain_rule_at(c, cmd->rulenum);
		/* iptables inserts at count + 1 by appending */
		if (!before && cmd->rulenum == c->nrules + 1)
			append = true;
		else if (!before)
			return op_error(e, op, E2BIG);
	}
	while ((r = next_rule(cmd))) {
		if (cmd->verbose)
			ipb_print_rule_verbose(r, cmd->options);
		err = ipb_txn_add_rule(t, tbl, c, r, before, append, e);
		if (err) {
			ipb_rule_free(r);
			return err;
		}
	}
	return 0;
}

static int do_delete_check(struct ipb_txn *t, struct ipb_table *tbl,
			   struct ipb_cmd *cmd, struct ipb_error *e)
{
	bool check = cmd->command == IPB_CMD_CHECK;
	int op = check ? IPB_OP_RULE_CHECK : IPB_OP_RULE_DELETE;
	struct ipb_rule *r, *found;
	struct ipb_chain *c;
	int err = 0;

	/* the jump target first, as for -A and -R (iptables-nft 1.8.9) */
	if (cmd->rules && (err = check_jump(tbl, cmd->rules, e)))
		return err;
	err = find_chain(tbl, cmd->chain, false, &c, e, op);
	if (err)
		return err;
	while (!err && (r = next_rule(cmd))) {
		if (cmd->verbose)
			ipb_print_rule_verbose(r, cmd->options);
		found = find_rule(c, r);
		if (!found)
			err = op_error(e, op, ENOENT);
		else if (!check)
			err = ipb_txn_delete_rule(t, tbl, c, found);
		ipb_rule_free(r);
	}
	return err;
}

static int do_by_number(struct ipb_txn *t, struct ipb_table *tbl,
			struct ipb_cmd *cmd, struct ipb_error *e)
{
	bool replace = cmd->command == IPB_CMD_REPLACE;
	int op = replace ? IPB_OP_RULE_REPLACE : IPB_OP_RULE_DELETE_NUM;
	struct ipb_rule *old, *r;
	struct ipb_chain *c;
	int err;

	if (replace && cmd->rules && (err = check_jump(tbl, cmd->rules, e)))
		return err;
	err = find_chain(tbl, cmd->chain, false, &c, e, IPB_OP_OTHER);
	if (err)
		return err;
	old = ipb_chain_rule_at(c, cmd->rulenum);
	if (!old)
		return op_error(e, op, E2BIG);
	if (!replace)
		return ipb_txn_delete_rule(t, tbl, c, old);
	r = next_rule(cmd);
	if (cmd->verbose)
		ipb_print_rule_verbose(r, cmd->options);
	err = ipb_txn_replace_rule(t, tbl, c, old, r, e);
	if (err)
		ipb_rule_free(r);
	return err;
}

enum chain_scope {
	SCOPE_IN_KERNEL,	/* only chains the kernel has */
	SCOPE_USER,		/* only user chains */
};

/*
 * -F, -Z, -X: the named chain, or every chain of @scope, -v naming each.
 * A named built-in chain not in the kernel is made for -F (@make_named),
 * and does not exist for -Z and -X, as with iptables-nft.
 */
static int each_chain(struct ipb_txn *t, struct ipb_table *tbl,
		      struct ipb_cmd *cmd, struct ipb_error *e,
		      int (*fn)(struct ipb_txn *, struct ipb_table *,
				struct ipb_chain *, struct ipb_cmd *,
				struct ipb_error *),
		      const char *verb, enum chain_scope scope,
		      bool make_named)
{
	int op = scope == SCOPE_USER ? IPB_OP_CHAIN_USER_DEL : IPB_OP_OTHER;
	struct ipb_chain *c, *next;
	int err;

	if (cmd->chain) {
		err = find_chain(tbl, cmd->chain, make_named, &c, e, op);
		if (err)
			return err;
		if (make_named && (err = ipb_txn_ensure_chain(t, tbl, c)))
			return err;
		if (cmd->verbose)
			printf("%s chain `%s'\n", verb, c->name);
		return fn(t, tbl, c, cmd, e);
	}
	if (!tbl->in_kernel) {
		/* iptables-nft names the built-in chains it would flush */
		for (c = tbl->chains; make_named && cmd->verbose && c;
		     c = c->next)
			if (c->builtin)
				printf("%s chain `%s'\n", verb, c->name);
		return 0;
	}
	for (c = tbl->chains; c; c = next) {
		next = c->next;
		if (scope == SCOPE_USER && c->builtin && c->rules)
			continue;
		if (!c->in_kernel)
			continue;
		if (cmd->verbose && !(scope == SCOPE_USER && c->builtin))
			printf("%s chain `%s'\n", verb, c->name);
		err = fn(t, tbl, c, cmd, e);
		if (err)
			return err;
	}
	return 0;
}

/* Make the table's missing built-in chains. */
static int make_builtins(struct ipb_txn *t, struct ipb_table *tbl)
{
	struct ipb_chain *c;
	int err;

	for (c = tbl->chains; c; c = c->next) {
		if (!c->builtin)
			continue;
		err = ipb_txn_ensure_chain(t, tbl, c);
		if (err)
			return err;
	}
	return 0;
}

static int flush_one(struct ipb_txn *t, struct ipb_table *tbl,
		     struct ipb_chain *c, struct ipb_cmd *cmd,
		     struct ipb_error *e)
{
	return ipb_txn_flush_chain(t, tbl, c);
}

static int delete_one(struct ipb_txn *t, struct ipb_table *tbl,
		      struct ipb_chain *c, struct ipb_cmd *cmd,
		      struct ipb_error *e)
{
	/*
	 * Built-in chains, as iptables-nft 1.8.9 treats them (observed):
	 * "-X INPUT" finds an empty INPUT not to exist and sends a non-empty
	 * one to the kernel, which refuses it (EBUSY); plain "-X" deletes
	 * the empty ones and leaves the others.
	 */
	if (c->builtin && !cmd->chain && c->rules)
		return 0;
	/*
	 * A built-in chain whose policy is not ACCEPT stays (iptables-nft's
	 * nft_may_delete_chain()): plain "-X" leaves it, "-X FORWARD" says
	 * EBUSY.  Deleting it would drop the policy with it.
	 */
	if (c->builtin && c->in_kernel && c->policy != NF_ACCEPT)
		return cmd->chain ?
			       op_error(e, IPB_OP_CHAIN_USER_DEL, EBUSY) :
			       0;
	if (c->builtin && cmd->chain && !c->rules)
		return op_error(e, IPB_OP_CHAIN_USER_DEL, ENOENT);
	/* iptables-nft-restore finds that one busy itself */
	if (c->builtin && t->restore_line >= 0)
		return op_error(e, IPB_OP_CHAIN_USER_DEL, EBUSY);
	return ipb_txn_delete_chain(t, tbl, c);
}

/* Zeroing rewrites the rule with zero counters, as iptables-nft does. */
static int zero_rule(struct ipb_txn *t, struct ipb_table *tbl,
		     struct ipb_chain *c, struct ipb_rule *old,
		     struct ipb_error *e)
{
	struct ipb_rule *r;
	int err;

	if (!old->counters.pcnt && !old->counters.bcnt)
		return 0;
	err = ipb_rule_clone(&r, old);
	if (err)
		return err;
	r->counters.pcnt = r->counters.bcnt = 0;
	err = ipb_txn_replace_rule(t, tbl, c, old, r, e);
	if (err)
		ipb_rule_free(r);
	return err;
}

static int zero_one(struct ipb_txn *t, struct ipb_table *tbl,
		    struct ipb_chain *c, struct ipb_cmd *cmd,
		    struct ipb_error *e)
{
	static const uint64_t zero[2];
	struct ipb_rule *r, *next;
	int err;

	if (c->builtin) {
		err = ipb_txn_set_policy(t, tbl, c, c->policy, zero);
		if (err)
			return err;
	}
	for (r = c->rules; r; r = next) {
		next = r->next;
		err = zero_rule(t, tbl, c, r, e);
		if (err)
			return err;
	}
	return 0;
}

/*
 * -L or -S with -Z: iptables-nft's listing puts the missing built-in
 * chains it shows into its cache, and zeroing then sends each of them to
 * the kernel, which makes them in an existing table and refuses them
 * without one: "CHAIN_ZERO failed (No such file or directory)", exit 4
 * (observed, 1.8.9; plain -Z sends nothing for them).
 */
static int zero_listed_builtins(struct ipb_txn *t, struct ipb_table *tbl,
				struct ipb_cmd *cmd, struct ipb_error *e)
{
	const struct ipb_chain *first = NULL;
	struct ipb_chain *c;
	int err;

	for (c = tbl->chains; c; c = c->next) {
		if (!c->builtin || c->in_kernel ||
		    (cmd->chain && strcmp(cmd->chain, c->name)))
			continue;
		if (tbl->in_kernel) {
			err = ipb_txn_ensure_chain(t, tbl, c);
			if (err)
				return err;
			continue;
		}
		if (cmd->verbose)
			printf("Zeroing chain `%s'\n", c->name);
		if (!first)
			first = c;
	}
	if (!first)
		return 0;
	ipb_error_set(e, IPB_ERR_KERNEL,
		      " CHAIN_ZERO failed (%s): chain %s", strerror(ENOENT),
		      first->name);
	return -ENOENT;
}

static int do_zero_num(struct ipb_txn *t, struct ipb_table *tbl,
		       struct ipb_cmd *cmd, struct ipb_error *e)
{
	struct ipb_chain *c;
	struct ipb_rule *r;
	int err;

	/* a missing chain is a missing rule to iptables-nft: "Bad rule" */
	err = find_chain(tbl, cmd->chain, false, &c, e, IPB_OP_RULE_DELETE);
	if (err)
		return err;
	r = ipb_chain_rule_at(c, cmd->rulenum);
	/* iptables-nft zeroes no rule, quietly, past the chain's end */
	return r ? zero_rule(t, tbl, c, r, e) : 0;
}

static int do_new_chain(struct ipb_txn *t, struct ipb_table *tbl,
			struct ipb_cmd *cmd, struct ipb_error *e)
{
	struct ipb_chain *c = ipb_table_find_chain(tbl, cmd->chain);

	if (c)
		return op_error(e, IPB_OP_CHAIN_USER_ADD, EEXIST);
	return ipb_txn_new_user_chain(t, tbl, cmd->chain);
}

static int do_rename(struct ipb_txn *t, struct ipb_table *tbl,
		     struct ipb_cmd *cmd, struct ipb_error *e)
{
	struct ipb_chain *c = ipb_table_find_chain(tbl, cmd->chain);

	/* the new name first: a built-in one exists even when the kernel
	 * has no such chain yet (iptables-nft 1.8.9) */
	if (ipb_table_find_chain(tbl, cmd->newname))
		return op_error(e, IPB_OP_CHAIN_RENAME, EEXIST);
	if (!c || c->builtin || !c->in_kernel)
		return op_error(e, IPB_OP_CHAIN_RENAME, ENOENT);
	return ipb_txn_rename_chain(t, tbl, c, cmd->newname);
}

static int do_policy(struct ipb_txn *t, struct ipb_table *tbl,
		     struct ipb_cmd *cmd, struct ipb_error *e)
{
	struct ipb_chain *c = ipb_table_find_chain(tbl, cmd->chain);
	uint32_t policy;

	/* the policy first, then the chain (iptables-nft 1.8.9) */
	if (!strcmp(cmd->policy, "ACCEPT")) {
		policy = NF_ACCEPT;
	} else if (!strcmp(cmd->policy, "DROP")) {
		policy = NF_DROP;
	} else {
		ipb_error_set(e, IPB_ERR_OP, "%s. Run `dmesg' for more information",
			      ipb_op_strerror(IPB_OP_CHAIN_SET, EINVAL));
		return -EINVAL;
	}
	if (!c || !c->builtin)
		return op_error(e, IPB_OP_CHAIN_SET, ENXIO);
	/* iptables-nft 1.8.9 takes -c with -P and ignores it */
	return ipb_txn_set_policy(t, tbl, c, policy, NULL);
}

static int do_list(struct ipb_table *tbl, struct ipb_cmd *cmd,
		   struct ipb_error *e)
{
	struct ipb_chain *c = NULL;
	int err;

	if (cmd->chain) {
		c = ipb_table_find_chain(tbl, cmd->chain);
		if (!c) {
			ipb_error_set(e, IPB_ERR_RAW,
				      "chain `%s' in table `%s' is incompatible, use 'nft' tool.",
				      cmd->chain, tbl->def->name);
			return -ENOENT;
		}
	}
	if (cmd->command & IPB_CMD_LIST)
		err = ipb_list_table(tbl, c, cmd->rulenum, cmd->options);
	else
		err = ipb_list_rules(tbl, c, cmd->rulenum, cmd->options);
	if (err == -EPROTO) {
		ipb_error_set(e, IPB_ERR_RAW, "Parsing nftables rule failed");
		e->status = 3;
	}
	return err;
}

int ipb_command_apply(struct ipb_txn *t, struct ipb_cmd *cmd,
		      struct ipb_error *e)
{
	struct ipb_table *tbl;
	int err;

	err = ipb_txn_table(t, cmd->table, &tbl);
	if (err == -EINVAL) {
		ipb_error_set(e, IPB_ERR_RAW, "table '%s' does not exist",
			      cmd->table);
		e->status = 3;
		return err;
	}
	if (err)
		return err;
	/* only listing and zeroing look at counters */
	if (cmd->command & (IPB_CMD_LIST | IPB_CMD_LIST_RULES | IPB_CMD_ZERO |
			    IPB_CMD_ZERO_NUM)) {
		err = ipb_table_counters(tbl);
		if (err)
			return err;
	}

	if (cmd->command & (IPB_CMD_LIST | IPB_CMD_LIST_RULES)) {
		err = do_list(tbl, cmd, e);
		if (err || !(cmd->command & (IPB_CMD_ZERO | IPB_CMD_ZERO_NUM)))
			return err;
		if (cmd->command & IPB_CMD_ZERO) {
			err = zero_listed_builtins(t, tbl, cmd, e);
			if (err)
				return err;
		}
	}
	switch (cmd->command & ~(IPB_CMD_LIST | IPB_CMD_LIST_RULES)) {
	case 0:
		return 0;
	case IPB_CMD_APPEND:
	case IPB_CMD_INSERT:
		return do_append_insert(t, tbl, cmd, e);
	case IPB_CMD_DELETE:
	case IPB_CMD_CHECK:
		return do_delete_check(t, tbl, cmd, e);
	case IPB_CMD_DELETE_NUM:
	case IPB_CMD_REPLACE:
		return do_by_number(t, tbl, cmd, e);
	case IPB_CMD_FLUSH:
		/* iptables-nft makes a table's missing built-in chains when
		 * flushing all of it verbosely (observed) */
		if (!cmd->chain && cmd->verbose && tbl->in_kernel &&
		    (err = make_builtins(t, tbl)))
			return err;
		return each_chain(t, tbl, cmd, e, flush_one, "Flushing",
				  SCOPE_IN_KERNEL, true);
	case IPB_CMD_ZERO:
		return each_chain(t, tbl, cmd, e, zero_one, "Zeroing",
				  SCOPE_IN_KERNEL, false);
	case IPB_CMD_ZERO_NUM:
		return do_zero_num(t, tbl, cmd, e);
	case IPB_CMD_NEW_CHAIN:
		return do_new_chain(t, tbl, cmd, e);
	case IPB_CMD_DELETE_CHAIN:
		return each_chain(t, tbl, cmd, e, delete_one, "Deleting",
				  SCOPE_USER, false);
	case IPB_CMD_RENAME_CHAIN:
		return do_rename(t, tbl, cmd, e);
	case IPB_CMD_SET_POLICY:
		return do_policy(t, tbl, cmd, e);
	default:
		ipb_error_set(e, IPB_ERR_PARAM, "no command specified");
		return -EINVAL;
	}
}

int ipb_cmd_copy(struct ipb_cmd *dst, const struct ipb_cmd *src)
{
	const struct ipb_rule *r;
	struct ipb_rule **tail;
	int err;

	*dst = *src;
	dst->rules = NULL;
	tail = &dst->rules;
	for (r = src->rules; r; r = r->next) {
		err = ipb_rule_clone(tail, r);
		if (err) {
			ipb_rule_list_free(dst->rules);
			dst->rules = NULL;
			return err;
		}
		tail = &(*tail)->next;
	}
	return 0;
}

void ipb_cmd_release(struct ipb_cmd *cmd)
{
	ipb_rule_list_free(cmd->rules);
	cmd->rules = NULL;
}
