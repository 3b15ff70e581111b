// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>

#include "iptables-bpf/cache.h"
#include "iptables-bpf/encode.h"
#include "iptables-bpf/errmsg.h"
#include "iptables-bpf/handles.h"
#include "iptables-bpf/nl.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/tables.h"
#include "iptables-bpf/txn.h"
#include "iptables-bpf/util.h"

int ipb_txn_new(struct ipb_txn **out, struct ipb_nl *nl, uint8_t family)
{
	struct ipb_txn *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->nl = nl;
	t->family = family;
	t->restore_line = -1;
	*out = t;
	return 0;
}

void ipb_txn_free(struct ipb_txn *t)
{
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < IPB_NTABLES; i++)
		ipb_table_free(t->tables[i]);
	ipb_batch_free(t->batch);
	free(t->ops);
	free(t->reset);
	ipb_handles_free(t->handles);
	free(t);
}

static int table_index(const struct ipb_builtin_table *def)
{
	unsigned int i;

	for (i = 0; i < IPB_NTABLES; i++)
		if (ipb_builtin_table_at(i) == def)
			return i;
	BUG("table not in the built-in list");
}

int ipb_txn_table(struct ipb_txn *t, const char *name,
		  struct ipb_table **out)
{
	const struct ipb_builtin_table *def = ipb_builtin_table_find(name);
	struct ipb_table *tbl;
	int i, err;

	if (!def)
		return -EINVAL;
	i = table_index(def);
	if (!t->tables[i]) {
		/* the counters when a command needs them (command.c) */
		err = ipb_table_fetch_rules(&tbl, t->nl, t->family, def);
		if (err)
			return err;
		if (t->have_genid && tbl->genid != t->genid) {
			ipb_table_free(tbl);
			return -ERESTART;
		}
		t->genid = tbl->genid;
		t->have_genid = true;
		t->tables[i] = tbl;
	}
	*out = t->tables[i];
	return 0;
}

/* Records what the next batch message does; returns its tag. */
static long op_tag(struct ipb_txn *t, const char *name, const char *kind,
		   const char *arg)
{
	struct ipb_txn_op *op;

	if (t->nops == t->cap) {
		unsigned int cap = t->cap ? t->cap * 2 : 32;
		struct ipb_txn_op *ops = realloc(t->ops, cap * sizeof(*ops));

		if (!ops)
			return -1;
		t->ops = ops;
		t->cap = cap;
	}
	op = &t->ops[t->nops];
	op->name = name;
	op->line = t->restore_line;
	snprintf(op->what, sizeof(op->what), "%s %s", kind, arg);
	return t->nops++;
}

static int batch(struct ipb_txn *t, struct ipb_table *tbl)
{
	t->touched[table_index(tbl->def)] = true;
	if (t->batch)
		return 0;
	if (!t->have_genid) {
		int err = ipb_nl_genid(t->nl, &t->genid);

		if (err)
			return err;
		t->have_genid = true;
	}
	return ipb_batch_new(&t->batch, t->nl, t->genid);
}

/* The handle bookkeeping, once BPF will run the tables; NULL if not. */
static struct ipb_handles *handles_of(struct ipb_txn *t)
{
	if (t->for_bpf && !t->handles && !t->handles_failed &&
	    ipb_handles_new(&t->handles))
		t->handles_failed = true;
	return t->handles;
}

static void handles_chain(struct ipb_txn *t, const struct ipb_table *tbl)
{
	struct ipb_handles *h = handles_of(t);

	if (h && ipb_handles_chain(h, table_index(tbl->def)))
		t->handles_failed = true;
}

int ipb_txn_ensure_table(struct ipb_txn *t, struct ipb_table *tbl)
{
	struct nftnl_table *nt;
	int err;

	if (tbl->in_kernel)
		return 0;
	err = batch(t, tbl);
	if (err)
		return err;
	nt = nftnl_table_alloc();
	if (!nt)
		return -ENOMEM;
	nftnl_table_set_u32(nt, NFTNL_TABLE_FAMILY, t->family);
	nftnl_table_set_str(nt, NFTNL_TABLE_NAME, tbl->def->name);
	/*
	 * Dormant from the start where the batch deletes a dormant table
	 * (its BPF programs go on filtering until new ones replace them)
	 * and where no table was (nothing filtered before: until BPF runs
	 * it, packets meet the old verdict).  A table made anew over an
	 * active one starts active: dormant, the moment between this
	 * commit and the attach (or a kill in it) would filter nothing
	 * where the old rules did.  bpf_sync.c makes it dormant once BPF
	 * runs it, or active if BPF cannot.  nat never runs in BPF.
	 */
	if (t->keep_dormant[table_index(tbl->def)] ||
	    (t->for_bpf && !t->recreated[table_index(tbl->def)] &&
	     strcmp(tbl->def->name, "nat"))) {
		nftnl_table_set_u32(nt, NFTNL_TABLE_FLAGS, NFT_TABLE_F_DORMANT);
		tbl->flags |= NFT_TABLE_F_DORMANT;
	}
	err = ipb_batch_add_table(t->batch, NFT_MSG_NEWTABLE, NLM_F_CREATE, nt,
				  op_tag(t, "TABLE_ADD", "table",
					 tbl->def->name));
	nftnl_table_free(nt);
	if (!err)
		tbl->in_kernel = true;
	return err;
}

static struct nftnl_chain *chain_obj(struct ipb_txn *t, struct ipb_table *tbl,
				     const char *name)
{
	struct nftnl_chain *nc = nftnl_chain_alloc();

	if (!nc)
		return NULL;
	nftnl_chain_set_u32(nc, NFTNL_CHAIN_FAMILY, t->family);
	nftnl_chain_set_str(nc, NFTNL_CHAIN_TABLE, tbl->def->name);
	nftnl_chain_set_str(nc, NFTNL_CHAIN_NAME, name);
	return nc;
}

/* A built-in chain as iptables-nft makes it: hook, priority, type. */
static void chain_set_hook(struct nftnl_chain *nc, const struct ipb_chain *c)
{
	nftnl_chain_set_u32(nc, NFTNL_CHAIN_HOOKNUM, c->builtin->hook);
	nftnl_chain_set_s32(nc, NFTNL_CHAIN_PRIO, c->builtin->prio);
	nftnl_chain_set_str(nc, NFTNL_CHAIN_TYPE, c->builtin->type);
}

static int chain_msg(struct ipb_txn *t, struct ipb_table *tbl,
		     struct nftnl_chain *nc, uint16_t type, uint16_t flags,
		     const char *opname, const char *name)
{
	int err = ipb_batch_add_chain(t->batch, type, flags, nc,
				      op_tag(t, opname, "chain", name));

	nftnl_chain_free(nc);
	return err;
}

int ipb_txn_ensure_chain(struct ipb_txn *t, struct ipb_table *tbl,
			 struct ipb_chain *c)
{
	struct nftnl_chain *nc;
	int err;

	if (c->in_kernel)
		return 0;
	err = batch(t, tbl);
	if (!err)
		err = ipb_txn_ensure_table(t, tbl);
	if (err)
		return err;
	nc = chain_obj(t, tbl, c->name);
	if (!nc)
		return -ENOMEM;
	if (c->builtin) {
		chain_set_hook(nc, c);
		nftnl_chain_set_u32(nc, NFTNL_CHAIN_POLICY, c->policy);
	}
	err = chain_msg(t, tbl, nc, NFT_MSG_NEWCHAIN, NLM_F_CREATE,
			c->builtin ? "CHAIN_ADD" : "CHAIN_USER_ADD", c->name);
	if (!err) {
		c->in_kernel = true;
		handles_chain(t, tbl);
	}
	return err;
}

static struct nftnl_rule *rule_obj(struct ipb_txn *t, struct ipb_table *tbl,
				   const struct ipb_chain *c)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();

	if (!nr)
		return NULL;
	nftnl_rule_set_u32(nr, NFTNL_RULE_FAMILY, t->family);
	nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, tbl->def->name);
	nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, c->name);
	return nr;
}

/* Refers to @r by handle, or by its transaction id if it is new. */
static void rule_ref(struct nftnl_rule *nr, const struct ipb_rule *r,
		     bool as_position)
{
	if (r->handle)
		nftnl_rule_set_u64(nr, as_position ? NFTNL_RULE_POSITION :
						     NFTNL_RULE_HANDLE,
				   r->handle);
	else
		nftnl_rule_set_u32(nr, as_position ? NFTNL_RULE_POSITION_ID :
						     NFTNL_RULE_ID,
				   r->id);
}

static void chain_link_rule(struct ipb_chain *c, struct ipb_rule *r,
			    struct ipb_rule *before)
{
	struct ipb_rule **p = &c->rules;

	/* appending after a known last rule: no walk */
	if (!before && c->last && !c->last->next)
		p = &c->last->next;
	while (*p && *p != before)
		p = &(*p)->next;
	r->next = *p;
	*p = r;
	c->nrules++;
	if (!r->next)
		c->last = r;
}

static void chain_unlink_rule(struct ipb_chain *c, struct ipb_rule *r)
{
	struct ipb_rule **p = &c->rules;

	while (*p && *p != r)
		p = &(*p)->next;
	if (*p) {
		*p = r->next;
		c->nrules--;
	}
	if (c->last == r)
		c->last = NULL;
}

static int encode_new_rule(struct ipb_txn *t, struct ipb_table *tbl,
			   const struct ipb_chain *c, struct ipb_rule *r,
			   struct nftnl_rule **out, struct ipb_error *err)
{
	const char *msg = NULL;
	struct nftnl_rule *nr;
	int ret;

	nr = rule_obj(t, tbl, c);
	if (!nr)
		return -ENOMEM;
	ret = ipb_rule_encode(nr, r, &msg);
	if (ret) {
		nftnl_rule_free(nr);
		if (msg)
			ipb_error_set(err, IPB_ERR_PARAM, "%s", msg);
		return ret;
	}
	r->handle = 0;
	r->id = ++t->rule_id;
	nftnl_rule_set_u32(nr, NFTNL_RULE_ID, r->id);
	*out = nr;
	return 0;
}

int ipb_txn_add_rule(struct ipb_txn *t, struct ipb_table *tbl,
		     struct ipb_chain *c, struct ipb_rule *r,
		     struct ipb_rule *before, bool append,
		     struct ipb_error *err)
{
	struct nftnl_rule *nr;
	uint16_t flags = NLM_F_CREATE;
	struct ipb_handles *h;
	int ret;

	ret = batch(t, tbl);
	if (!ret)
		ret = ipb_txn_ensure_chain(t, tbl, c);
	if (!ret)
		ret = encode_new_rule(t, tbl, c, r, &nr, err);
	if (ret)
		return ret;
	if (append)
		flags |= NLM_F_APPEND;
	else if (before)
		rule_ref(nr, before, true);
	h = handles_of(t);
	if (h) {
		ret = ipb_handles_rule(h, table_index(tbl->def), r->id,
				       c->name, ipb_batch_count(t->batch));
		if (ret < 0)
			t->handles_failed = true;
		else if (ret)
			flags |= NLM_F_ECHO;
	}
	ret = ipb_batch_add_rule(t->batch, NFT_MSG_NEWRULE, flags, nr,
				 op_tag(t, append ? "RULE_APPEND" :
						    "RULE_INSERT",
					"rule in chain", c->name));
	nftnl_rule_free(nr);
	if (h && !ret)
		ipb_handles_rule_msg(h, table_index(tbl->def),
				     ipb_batch_last_msg(t->batch));
	if (!ret)
		chain_link_rule(c, r, append ? NULL : before ? before :
							      c->rules);
	return ret;
}

int ipb_txn_delete_rule(struct ipb_txn *t, struct ipb_table *tbl,
			struct ipb_chain *c, struct ipb_rule *r)
{
	struct nftnl_rule *nr;
	int err;

	err = batch(t, tbl);
	if (err)
		return err;
	nr = rule_obj(t, tbl, c);
	if (!nr)
		return -ENOMEM;
	rule_ref(nr, r, false);
	err = ipb_batch_add_rule(t->batch, NFT_MSG_DELRULE, 0, nr,
				 op_tag(t, "RULE_DELETE", "rule in chain",
					c->name));
	nftnl_rule_free(nr);
	if (!err) {
		chain_unlink_rule(c, r);
		ipb_rule_free(r);
	}
	return err;
}

/* The replaced rule keeps its handle: its BPF counters must not carry
 * over to it. */
static int note_reset(struct ipb_txn *t, const struct ipb_table *tbl,
		      uint64_t handle)
{
	uint64_t *r = realloc(t->reset, (t->nreset + 1) * sizeof(*r));

	if (!r)
		return -ENOMEM;
	t->reset = r;
	t->reset[t->nreset++] = (uint64_t)table_index(tbl->def) << 56 | handle;
	return 0;
}

int ipb_txn_replace_rule(struct ipb_txn *t, struct ipb_table *tbl,
			 struct ipb_chain *c, struct ipb_rule *old,
			 struct ipb_rule *r, struct ipb_error *err)
{
	struct ipb_rule *next = old->next;
	struct nftnl_rule *nr;
	int ret;

	/* a rule of this same transaction has no handle to replace */
	if (!old->handle) {
		ret = ipb_txn_delete_rule(t, tbl, c, old);
		return ret ? ret :
			     ipb_txn_add_rule(t, tbl, c, r, next, !next, err);
	}
	ret = batch(t, tbl);
	if (!ret)
		ret = encode_new_rule(t, tbl, c, r, &nr, err);
	if (ret)
		return ret;
	nftnl_rule_set_u64(nr, NFTNL_RULE_HANDLE, old->handle);
	ret = note_reset(t, tbl, old->handle);
	if (ret) {
		nftnl_rule_free(nr);
		return ret;
	}
	ret = ipb_batch_add_rule(t->batch, NFT_MSG_NEWRULE, NLM_F_REPLACE, nr,
				 op_tag(t, "RULE_REPLACE", "rule in chain",
					c->name));
	nftnl_rule_free(nr);
	if (ret)
		return ret;
	r->id = 0;
	r->handle = old->handle;
	chain_link_rule(c, r, old);
	chain_unlink_rule(c, old);
	ipb_rule_free(old);
	return 0;
}

int ipb_txn_flush_chain(struct ipb_txn *t, struct ipb_table *tbl,
			struct ipb_chain *c)
{
	struct nftnl_rule *nr;
	int err;

	if (!c->in_kernel)
		return 0;
	err = batch(t, tbl);
	if (err)
		return err;
	nr = rule_obj(t, tbl, c);
	if (!nr)
		return -ENOMEM;
	err = ipb_batch_add_rule(t->batch, NFT_MSG_DELRULE, 0, nr,
				 op_tag(t, "RULE_FLUSH", "chain", c->name));
	nftnl_rule_free(nr);
	if (!err) {
		ipb_rule_list_free(c->rules);
		c->rules = NULL;
		c->nrules = 0;
		c->last = NULL;
	}
	return err;
}

int ipb_txn_new_user_chain(struct ipb_txn *t, struct ipb_table *tbl,
			   const char *name)
{
	struct ipb_chain *c;
	int err;

	err = batch(t, tbl);
	if (!err)
		err = ipb_table_add_user_chain(tbl, name, &c);
	if (!err)
		err = ipb_txn_ensure_chain(t, tbl, c);
	return err;
}

static void table_forget_chain(struct ipb_table *tbl, struct ipb_chain *c)
{
	struct ipb_chain **p = &tbl->chains;

	while (*p && *p != c)
		p = &(*p)->next;
	if (*p)
		*p = c->next;
	ipb_rule_list_free(c->rules);
	free(c);
}

int ipb_txn_delete_chain(struct ipb_txn *t, struct ipb_table *tbl,
			 struct ipb_chain *c)
{
	struct nftnl_chain *nc;
	int err;

	err = batch(t, tbl);
	if (err)
		return err;
	nc = chain_obj(t, tbl, c->name);
	if (!nc)
		return -ENOMEM;
	/* NONREC: the kernel refuses (EBUSY) to delete a chain that still
	 * holds rules or is jumped to, as iptables-nft asks it to */
	err = chain_msg(t, tbl, nc, NFT_MSG_DELCHAIN, NLM_F_NONREC,
			"CHAIN_DEL", c->name);
	if (err)
		return err;
	if (c->builtin) {
		/* a built-in chain is listed with defaults once gone */
		ipb_rule_list_free(c->rules);
		c->rules = NULL;
		c->nrules = 0;
		c->last = NULL;
		c->in_kernel = false;
		c->policy = NF_ACCEPT;
		memset(&c->counters, 0, sizeof(c->counters));
	} else {
		table_forget_chain(tbl, c);
	}
	return 0;
}

int ipb_txn_rename_chain(struct ipb_txn *t, struct ipb_table *tbl,
			 struct ipb_chain *c, const char *newname)
{
	struct ipb_chain *moved;
	struct nftnl_chain *nc;
	struct ipb_rule *r;
	struct ipb_chain *o;
	int err;

	err = batch(t, tbl);
	if (err)
		return err;
	nc = chain_obj(t, tbl, newname);
	if (!nc)
		return -ENOMEM;
	nftnl_chain_set_u64(nc, NFTNL_CHAIN_HANDLE, c->handle);
	err = chain_msg(t, tbl, nc, NFT_MSG_NEWCHAIN, 0, "CHAIN_RENAME",
			newname);
	if (err)
		return err;
	/* jumps follow the chain: the kernel renames their target too */
	for (o = tbl->chains; o; o = o->next)
		for (r = o->rules; r; r = r->next)
			if ((r->target.kind == IPB_TARGET_JUMP ||
			     r->target.kind == IPB_TARGET_GOTO) &&
			    !strcmp(r->target.chain, c->name))
				snprintf(r->target.chain,
					 sizeof(r->target.chain), "%s",
					 newname);
	err = ipb_table_add_user_chain(tbl, newname, &moved);
	if (err)
		return err;
	moved->handle = c->handle;
	moved->in_kernel = true;
	moved->rules = c->rules;
	moved->nrules = c->nrules;
	moved->last = c->last;
	c->rules = NULL;
	table_forget_chain(tbl, c);
	ipb_table_count_refs(tbl);
	return 0;
}

int ipb_txn_set_policy(struct ipb_txn *t, struct ipb_table *tbl,
		       struct ipb_chain *c, uint32_t policy,
		       const uint64_t *counters)
{
	struct nftnl_chain *nc;
	bool create = !c->in_kernel;
	int err;

	err = batch(t, tbl);
	if (!err)
		err = ipb_txn_ensure_table(t, tbl);
	if (err)
		return err;
	nc = chain_obj(t, tbl, c->name);
	if (!nc)
		return -ENOMEM;
	if (create)
		chain_set_hook(nc, c);
	nftnl_chain_set_u32(nc, NFTNL_CHAIN_POLICY, policy);
	if (counters) {
		nftnl_chain_set_u64(nc, NFTNL_CHAIN_PACKETS, counters[0]);
		nftnl_chain_set_u64(nc, NFTNL_CHAIN_BYTES, counters[1]);
	}
	err = chain_msg(t, tbl, nc, NFT_MSG_NEWCHAIN,
			create ? NLM_F_CREATE : 0,
			create ? "CHAIN_ADD" : "CHAIN_UPDATE", c->name);
	if (err)
		return err;
	if (create)
		handles_chain(t, tbl);
	c->in_kernel = true;
	c->policy = policy;
	if (counters) {
		struct ipb_chain *o;
		unsigned int i = 0;

		c->counters.pcnt = counters[0];
		c->counters.bcnt = counters[1];
		for (o = tbl->chains; o && o != c; o = o->next)
			i++;
		t->zero_policy[table_index(tbl->def)] |= 1U << i;
	}
	return 0;
}

int ipb_txn_set_table_flags(struct ipb_txn *t, struct ipb_table *tbl,
			    uint32_t flags)
{
	struct nftnl_table *nt;
	int err;

	err = batch(t, tbl);
	if (err || !tbl->in_kernel)
		return err ? err : -ENOENT;
	nt = nftnl_table_alloc();
	if (!nt)
		return -ENOMEM;
	nftnl_table_set_u32(nt, NFTNL_TABLE_FAMILY, t->family);
	nftnl_table_set_str(nt, NFTNL_TABLE_NAME, tbl->def->name);
	nftnl_table_set_u32(nt, NFTNL_TABLE_FLAGS, flags);
	err = ipb_batch_add_table(t->batch, NFT_MSG_NEWTABLE, 0, nt,
				  op_tag(t, "TABLE_UPDATE", "table",
					 tbl->def->name));
	nftnl_table_free(nt);
	if (!err)
		tbl->flags = flags;
	return err;
}

int ipb_txn_delete_table(struct ipb_txn *t, struct ipb_table *tbl)
{
	struct nftnl_table *nt;
	struct ipb_chain *c, *next, **tail;
	int err;

	err = batch(t, tbl);
	if (err || !tbl->in_kernel)
		return err;
	nt = nftnl_table_alloc();
	if (!nt)
		return -ENOMEM;
	nftnl_table_set_u32(nt, NFTNL_TABLE_FAMILY, t->family);
	nftnl_table_set_str(nt, NFTNL_TABLE_NAME, tbl->def->name);
	err = ipb_batch_add_table(t->batch, NFT_MSG_DELTABLE, 0, nt,
				  op_tag(t, "TABLE_FLUSH", "table",
					 tbl->def->name));
	nftnl_table_free(nt);
	if (err)
		return err;
	if (tbl->flags & NFT_TABLE_F_DORMANT)
		t->keep_dormant[table_index(tbl->def)] = true;
	if (t->handles)
		ipb_handles_table_deleted(t->handles, table_index(tbl->def));
	t->recreated[table_index(tbl->def)] = true;
	tbl->flags = 0;
	/* what is left: the built-in chains, not in the kernel */
	tbl->in_kernel = false;
	tbl->incompatible = false;
	tail = &tbl->chains;
	for (c = tbl->chains; c; c = next) {
		next = c->next;
		if (!c->builtin) {
			ipb_rule_list_free(c->rules);
			free(c);
			continue;
		}
		ipb_rule_list_free(c->rules);
		c->rules = NULL;
		c->nrules = 0;
		c->last = NULL;
		c->in_kernel = false;
		c->policy = NF_ACCEPT;
		memset(&c->counters, 0, sizeof(c->counters));
		*tail = c;
		tail = &c->next;
	}
	*tail = NULL;
	return 0;
}

/*
 * The kernel's refusals in iptables-nft's words: one " OP failed (why):
 * what" for a command; for a restore, a line per refusal, "line N: OP
 * failed (why): what", after a line break.
 */
static void describe_errors(const struct ipb_txn *t, struct ipb_error *err,
			    const struct ipb_batch_error *errs, unsigned int n)
{
	size_t len = 0;
	unsigned int i;

	ipb_error_set(err, IPB_ERR_KERNEL, "%s", "");
	for (i = 0; i < n && len < sizeof(err->msg); i++) {
		const struct ipb_txn_op *op;
		const char *name = "commit", *what = "";
		int line = -1;

		if (errs[i].tag >= 0 && errs[i].tag < (long)t->nops) {
			op = &t->ops[errs[i].tag];
			name = op->name;
			what = op->what;
			line = op->line;
		}
		if (line >= 0)
			len += snprintf(err->msg + len, sizeof(err->msg) - len,
					"\nline %d: %s failed (%s): %s", line,
					name, strerror(-errs[i].err), what);
		else if (!i)
			len += snprintf(err->msg + len, sizeof(err->msg) - len,
					" %s failed (%s): %s", name,
					strerror(-errs[i].err), what);
	}
	err->line = -1;
}

int ipb_txn_commit(struct ipb_txn *t, struct ipb_error *err)
{
	struct ipb_batch_error errs[IPB_BATCH_MAX_ERRORS];
	unsigned int n = 0;
	int ret;

	if (!t->batch || !ipb_batch_count(t->batch))
		return 0;
	if (t->handles) {
		ipb_handles_before_commit(t->handles);
		ipb_batch_set_echo(t->batch, ipb_handles_echo_cb, t->handles);
	}
	ret = ipb_batch_commit(t->batch, errs, &n);
	if (ret == -ERESTART || !ret)
		return ret;
	if (n)
		describe_errors(t, err, errs, n);
	else
		ipb_error_set(err, IPB_ERR_KERNEL, " commit failed (%s)",
			      strerror(-ret));
	return ret;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every rule has its handle (nothing added, or ipb_handles_apply()). */
static bool handles_known(struct ipb_txn *t, unsigned int idx,
			  struct ipb_table *tbl)
{
	const struct ipb_chain *c;
	const struct ipb_rule *r;

	if (t->handles)
		return ipb_handles_apply(t->handles, idx, tbl, t->rule_id);
	for (c = tbl->chains; c; c = c->next)
		for (r = c->rules; r; r = r->next)
			if (!r->handle)
				return false;
	return true;
}

struct ipb_table *ipb_txn_take_table(struct ipb_txn *t, unsigned int idx)
{
	struct ipb_table *tbl = idx < IPB_NTABLES ? t->tables[idx] : NULL;
	struct ipb_chain *c;
	struct ipb_rule *r;
	unsigned int i = 0;
	uint64_t key;

	if (!tbl || !t->for_bpf || t->handles_failed || !tbl->in_kernel ||
	    tbl->incompatible || !(tbl->flags & NFT_TABLE_F_DORMANT) ||
	    !handles_known(t, idx, tbl))
		return NULL;
	/* replaced rules keep their handle and hold what they were
	 * written with (note_reset()) */
	qsort(t->reset, t->nreset, sizeof(*t->reset), u64_cmp);
	for (c = tbl->chains; c; c = c->next, i++) {
		/* policy counters the batch set: nf_tables holds them */
		if (t->zero_policy[idx] & (1U << i))
			c->nft_counters = c->counters;
		for (r = c->rules; t->nreset && r; r = r->next) {
			key = (uint64_t)idx << 56 | r->handle;
			if (bsearch(&key, t->reset, t->nreset,
				    sizeof(*t->reset), u64_cmp))
				r->nft_counters = r->counters;
		}
	}
	ipb_table_count_refs(tbl);
	t->tables[idx] = NULL;
	return tbl;
}
