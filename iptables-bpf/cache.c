// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>

#include "iptables-bpf/bpf_sync.h"
#include "iptables-bpf/cache.h"
#include "iptables-bpf/decode.h"
#include "iptables-bpf/log.h"
#include "iptables-bpf/nl.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/tables.h"


struct fetch {
	struct ipb_table *t;
	int err;
	/* the kernel dumps a chain's rules in order: append in O(1) */
	struct ipb_chain *last_chain;
	struct ipb_rule *last_rule;
};

static struct ipb_chain *chain_new(const char *name)
{
	struct ipb_chain *c = calloc(1, sizeof(*c));

	if (c) {
		snprintf(c->name, sizeof(c->name), "%s", name);
		c->policy = NF_ACCEPT;
	}
	return c;
}

static void chain_free(struct ipb_chain *c)
{
	ipb_rule_list_free(c->rules);
	free(c);
}

void ipb_table_free(struct ipb_table *t)
{
	struct ipb_chain *c, *next;

	if (!t)
		return;
	for (c = t->chains; c; c = next) {
		next = c->next;
		chain_free(c);
	}
	free(t);
}

struct ipb_chain *ipb_table_find_chain(const struct ipb_table *t,
				       const char *name)
{
	struct ipb_chain *c;

	for (c = t->chains; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* User chains follow the built-ins, sorted by strcmp() as iptables-nft
 * sorts them. */
static void insert_user_chain(struct ipb_table *t, struct ipb_chain *c)
{
	struct ipb_chain **p = &t->chains;

	while (*p && (*p)->builtin)
		p = &(*p)->next;
	while (*p && strcmp((*p)->name, c->name) < 0)
		p = &(*p)->next;
	c->next = *p;
	*p = c;
}

int ipb_table_add_user_chain(struct ipb_table *t, const char *name,
			     struct ipb_chain **out)
{
	struct ipb_chain *c = chain_new(name);

	if (!c)
		return -ENOMEM;
	insert_user_chain(t, c);
	if (out)
		*out = c;
	return 0;
}

struct ipb_rule *ipb_chain_rule_at(const struct ipb_chain *c, unsigned int n)
{
	struct ipb_rule *r;

	if (!n)
		return NULL;
	for (r = c->rules; r && --n; r = r->next)
		;
	return r;
}

void ipb_table_count_refs(struct ipb_table *t)
{
	struct ipb_chain *c, *target;
	struct ipb_rule *r;

	for (c = t->chains; c; c = c->next)
		c->refs = 0;
	for (c = t->chains; c; c = c->next)
		for (r = c->rules; r; r = r->next) {
			if (r->target.kind != IPB_TARGET_JUMP &&
			    r->target.kind != IPB_TARGET_GOTO)
				continue;
			target = ipb_table_find_chain(t, r->target.chain);
			if (target)
				target->refs++;
		}
}

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fetch *f = data;
	struct nftnl_table *nt = nftnl_table_alloc();

	if (!nt) {
		f->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	if (nftnl_table_nlmsg_parse(nlh, nt) == 0) {
		f->t->in_kernel = true;
		f->t->flags = nftnl_table_get_u32(nt, NFTNL_TABLE_FLAGS);
	}
	nftnl_table_free(nt);
	return MNL_CB_OK;
}

static void chain_from_kernel(struct fetch *f, const struct nftnl_chain *nc)
{
	const char *name = nftnl_chain_get_str(nc, NFTNL_CHAIN_NAME);
	struct ipb_chain *c = ipb_table_find_chain(f->t, name);
	bool base = nftnl_chain_is_set(nc, NFTNL_CHAIN_HOOKNUM);

	if (!c) {
		/* a base chain iptables did not make: nft's, not ours */
		if (base) {
			f->t->incompatible = true;
			return;
		}
		if (ipb_table_add_user_chain(f->t, name, &c) < 0) {
			f->err = -ENOMEM;
			return;
		}
	} else if (!c->builtin || !base) {
		f->t->incompatible = c->builtin != NULL;
		return;
	}
	c->in_kernel = true;
	c->handle = nftnl_chain_get_u64(nc, NFTNL_CHAIN_HANDLE);
	if (base) {
		c->policy = nftnl_chain_get_u32(nc, NFTNL_CHAIN_POLICY);
		c->counters.pcnt = nftnl_chain_get_u64(nc, NFTNL_CHAIN_PACKETS);
		c->counters.bcnt = nftnl_chain_get_u64(nc, NFTNL_CHAIN_BYTES);
		c->nft_counters = c->counters;
	}
}

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fetch *f = data;
	struct nftnl_chain *nc = nftnl_chain_alloc();

	if (!nc) {
		f->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	if (nftnl_chain_nlmsg_parse(nlh, nc) == 0 &&
	    !strcmp(nftnl_chain_get_str(nc, NFTNL_CHAIN_TABLE),
		    f->t->def->name))
		chain_from_kernel(f, nc);
	nftnl_chain_free(nc);
	return f->err ? MNL_CB_ERROR : MNL_CB_OK;
}

static void append_rule(struct ipb_chain *c, struct ipb_rule *r)
{
	struct ipb_rule **p = &c->rules;

	while (*p)
		p = &(*p)->next;
	*p = r;
	c->nrules++;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fetch *f = data;
	struct nftnl_rule *nr = nftnl_rule_alloc();
	struct ipb_chain *c;
	struct ipb_rule *r;
	int err;

	if (!nr) {
		f->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	if (nftnl_rule_nlmsg_parse(nlh, nr) < 0 ||
	    strcmp(nftnl_rule_get_str(nr, NFTNL_RULE_TABLE), f->t->def->name))
		goto out;
	c = ipb_table_find_chain(f->t,
				 nftnl_rule_get_str(nr, NFTNL_RULE_CHAIN));
	if (!c)
		goto out;
	err = ipb_rule_decode(&r, nr, f->t->family);
	if (err == -EOPNOTSUPP) {
		/* keep its place: listings stop there, as iptables-nft's do */
		f->t->incompatible = true;
		err = ipb_rule_new(&r, f->t->family);
		if (!err) {
			r->foreign = true;
			r->handle = nftnl_rule_get_u64(nr, NFTNL_RULE_HANDLE);
		}
	}
	if (err)
		f->err = err;
	else if (c == f->last_chain && f->last_rule) {
		f->last_rule->next = r;
		f->last_rule = r;
		c->nrules++;
		c->last = r;
	} else {
		append_rule(c, r);
		f->last_chain = c;
		f->last_rule = r;
		c->last = r;
	}
out:
	nftnl_rule_free(nr);
	return f->err ? MNL_CB_ERROR : MNL_CB_OK;
}

static int query_table(struct ipb_nl *nl, struct fetch *f)
{
	char buf[IPB_NL_BUFSZ];
	struct nftnl_table *nt = nftnl_table_alloc();
	struct nlmsghdr *nlh;
	int err;

	if (!nt)
		return -ENOMEM;
	nftnl_table_set_str(nt, NFTNL_TABLE_NAME, f->t->def->name);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE, f->t->family,
				    NLM_F_ACK, ipb_nl_seq(nl));
	nftnl_table_nlmsg_build_payload(nlh, nt);
	nftnl_table_free(nt);
	err = ipb_nl_query(nl, nlh, table_cb, f);
	return err == -ENOENT ? 0 : err;
}

/* Dumps chains (or rules, of @chain if not NULL) of the table only. */
static int dump_table_objects(struct ipb_nl *nl, struct fetch *f, int type,
			      const char *chain, mnl_cb_t cb)
{
	char buf[IPB_NL_BUFSZ];
	struct nlmsghdr *nlh;
	int err;

	nlh = nftnl_nlmsg_build_hdr(buf, type, f->t->family, NLM_F_DUMP,
				    ipb_nl_seq(nl));
	if (type == NFT_MSG_GETRULE) {
		struct nftnl_rule *nr = nftnl_rule_alloc();

		if (!nr)
			return -ENOMEM;
		nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, f->t->def->name);
		if (chain)
			nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, chain);
		nftnl_rule_nlmsg_build_payload(nlh, nr);
		nftnl_rule_free(nr);
	} else {
		struct nftnl_chain *nc = nftnl_chain_alloc();

		if (!nc)
			return -ENOMEM;
		nftnl_chain_set_str(nc, NFTNL_CHAIN_TABLE, f->t->def->name);
		nftnl_chain_nlmsg_build_payload(nlh, nc);
		nftnl_chain_free(nc);
	}
	err = ipb_nl_query(nl, nlh, cb, f);
	return f->err ? f->err : err;
}

/*
 * The rules, a chain at a time.  Each recvmsg() of a dump resumes by
 * walking the rules again from the first one the dump covers
 * (nf_tables_dump_rules()): dumping a table of two 10,000-rule chains
 * whole walks 20,000 rules 130 times over, chain by chain 10,000 rules
 * 65 times each.  A chain the kernel has and we do not know (nft's) is
 * in the table dump only: such a table is read whole.
 */
static int dump_rules(struct ipb_nl *nl, struct fetch *f)
{
	struct ipb_chain *c;
	int err = 0;

	if (f->t->incompatible)
		return dump_table_objects(nl, f, NFT_MSG_GETRULE, NULL,
					  rule_cb);
	for (c = f->t->chains; !err && c; c = c->next)
		if (c->in_kernel)
			err = dump_table_objects(nl, f, NFT_MSG_GETRULE,
						 c->name, rule_cb);
	return err;
}

int ipb_table_new(struct ipb_table **out, uint8_t family,
		  const struct ipb_builtin_table *def)
{
	struct ipb_table *t = calloc(1, sizeof(*t));
	struct ipb_chain **tail;
	unsigned int i;

	if (!t)
		return -ENOMEM;
	t->family = family;
	t->def = def;
	tail = &t->chains;
	for (i = 0; i < def->nchains; i++) {
		struct ipb_chain *c = chain_new(def->chains[i].name);

		if (!c) {
			ipb_table_free(t);
			return -ENOMEM;
		}
		c->builtin = &def->chains[i];
		*tail = c;
		tail = &c->next;
	}
	*out = t;
	return 0;
}

int ipb_table_counters(struct ipb_table *t)
{
	int err;

	if (!t->counters_pending)
		return 0;
	/* while BPF runs the table, its programs hold the counters */
	err = ipb_bpf_counters_overlay(t);
	ipb_log_stage("fetch: counter overlay");
	if (!err)
		t->counters_pending = false;
	return err;
}

int ipb_table_fetch(struct ipb_table **out, struct ipb_nl *nl, uint8_t family,
		    const struct ipb_builtin_table *def)
{
	struct ipb_table *t = NULL;
	int err;

	err = ipb_table_fetch_rules(&t, nl, family, def);
	if (!err)
		err = ipb_table_counters(t);
	if (err) {
		ipb_table_free(t);
		return err;
	}
	*out = t;
	return 0;
}

int ipb_table_fetch_rules(struct ipb_table **out, struct ipb_nl *nl,
			  uint8_t family, const struct ipb_builtin_table *def)
{
	struct fetch f = { 0 };
	int err;

	err = ipb_table_new(&f.t, family, def);
	if (err)
		return err;
	err = ipb_nl_genid(nl, &f.t->genid);
	if (!err)
		err = query_table(nl, &f);
	if (!err && f.t->in_kernel)
		err = dump_table_objects(nl, &f, NFT_MSG_GETCHAIN, NULL,
					 chain_cb);
	if (!err && f.t->in_kernel)
		err = dump_rules(nl, &f);
	ipb_log_stage("fetch: dump, decode");
	if (err) {
		ipb_table_free(f.t);
		return err;
	}
	ipb_table_count_refs(f.t);
	f.t->counters_pending = true;
	*out = f.t;
	return 0;
}

