// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nf_tables gives each new chain and rule of a table the next value of
 * the table's handle counter, in batch order (nf_tables_alloc_handle()
 * at NEWCHAIN and NEWRULE; a replaced rule keeps its handle).  Asking
 * the kernel to echo every added rule costs it a rule dump each (about
 * 30 ms for 10,000 rules, BENCHMARKS.md); so only the first and the last
 * rule each table gets echo, and the rules between take the values in
 * between.  That is exact when the two handles are as far apart as the
 * chains and rules the batch made between them: the counter only goes
 * up, each of those took a value, so none took two and nothing else
 * took one.  Otherwise (or without both echoes) the table is read back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <endian.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "iptables-bpf/cache.h"
#include "iptables-bpf/handles.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/txn.h"

/*
 * One table's new objects in batch order (a rule id, or 0 for a chain),
 * and the first and last rule among them: item index, batch message
 * position, chain name hash, the handle echoed.
 */
struct table_seq {
	uint32_t *items;
	unsigned int n, cap;
	int first, last;
	unsigned int first_pos, last_pos;
	uint32_t first_hash, last_hash;
	struct nlmsghdr *last_hdr;
	uint64_t hfirst, hlast;
	bool got_first, got_last, bad;
};

/* An echo we wait for, in batch order. */
struct expect {
	unsigned int pos, tbl;
	bool last;
	uint32_t hash;
};

struct ipb_handles {
	struct table_seq t[IPB_NTABLES];
	struct expect e[2 * IPB_NTABLES];
	unsigned int ne, got;
	bool bad;
};

int ipb_handles_new(struct ipb_handles **out)
{
	struct ipb_handles *h = calloc(1, sizeof(*h));
	unsigned int i;

	if (!h)
		return -ENOMEM;
	for (i = 0; i < IPB_NTABLES; i++)
		h->t[i].first = h->t[i].last = -1;
	*out = h;
	return 0;
}

void ipb_handles_free(struct ipb_handles *h)
{
	unsigned int i;

	if (!h)
		return;
	for (i = 0; i < IPB_NTABLES; i++)
		free(h->t[i].items);
	free(h);
}

/* FNV-1a: an echo must name the chain we added the rule to. */
static uint32_t name_hash(const char *s)
{
	uint32_t x = 2166136261u;

	while (*s)
		x = (x ^ (uint8_t)*s++) * 16777619u;
	return x;
}

static int item_add(struct table_seq *s, uint32_t id)
{
	if (s->n == s->cap) {
		unsigned int cap = s->cap ? s->cap * 2 : 64;
		uint32_t *it = realloc(s->items, cap * sizeof(*it));

		if (!it)
			return -ENOMEM;
		s->items = it;
		s->cap = cap;
	}
	s->items[s->n++] = id;
	return 0;
}

int ipb_handles_chain(struct ipb_handles *h, unsigned int tbl)
{
	return tbl < IPB_NTABLES ? item_add(&h->t[tbl], 0) : -EINVAL;
}

int ipb_handles_rule(struct ipb_handles *h, unsigned int tbl, uint32_t id,
		     const char *chain, unsigned int pos)
{
	struct table_seq *s;
	int err;

	if (tbl >= IPB_NTABLES || !id)
		return -EINVAL;
	s = &h->t[tbl];
	err = item_add(s, id);
	if (err)
		return err;
	s->last = s->n - 1;
	s->last_pos = pos;
	s->last_hash = name_hash(chain);
	s->last_hdr = NULL;
	if (s->first >= 0)
		return 0;
	s->first = s->last;
	s->first_pos = pos;
	s->first_hash = s->last_hash;
	return 1;
}

void ipb_handles_rule_msg(struct ipb_handles *h, unsigned int tbl,
			  struct nlmsghdr *nlh)
{
	if (tbl < IPB_NTABLES)
		h->t[tbl].last_hdr = nlh;
}

void ipb_handles_table_deleted(struct ipb_handles *h, unsigned int tbl)
{
	struct table_seq *s;

	if (tbl >= IPB_NTABLES)
		return;
	s = &h->t[tbl];
	/* a first rule already asked for its echo: the count would not
	 * match; a table deleted before its rules (restore) is fine */
	if (s->first >= 0)
		s->bad = true;
	s->n = 0;
}

static int expect_cmp(const void *a, const void *b)
{
	const struct expect *x = a, *y = b;

	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void ipb_handles_before_commit(struct ipb_handles *h)
{
	unsigned int i;

	h->ne = h->got = 0;
	for (i = 0; i < IPB_NTABLES; i++) {
		struct table_seq *s = &h->t[i];

		if (s->first < 0)
			continue;
		h->e[h->ne++] = (struct expect){ s->first_pos, i, false,
						 s->first_hash };
		if (s->last == s->first)
			continue;
		if (!s->last_hdr) {
			s->bad = true;
			continue;
		}
		s->last_hdr->nlmsg_flags |= NLM_F_ECHO;
		h->e[h->ne++] = (struct expect){ s->last_pos, i, true,
						 s->last_hash };
	}
	qsort(h->e, h->ne, sizeof(*h->e), expect_cmp);
}

struct echo_attrs {
	uint64_t handle;
	const char *chain;
};

static int echo_attr_cb(const struct nlattr *a, void *data)
{
	struct echo_attrs *ea = data;

	switch (mnl_attr_get_type(a)) {
	case NFTA_RULE_HANDLE:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			ea->handle = be64toh(mnl_attr_get_u64(a));
		break;
	case NFTA_RULE_CHAIN:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			ea->chain = mnl_attr_get_str(a);
		break;
	}
	return MNL_CB_OK;
}

int ipb_handles_echo_cb(const struct nlmsghdr *nlh, void *data)
{
	struct echo_attrs ea = { 0 };
	struct ipb_handles *h = data;
	const struct expect *e;
	struct table_seq *s;

	if (NFNL_MSG_TYPE(nlh->nlmsg_type) != NFT_MSG_NEWRULE)
		return MNL_CB_OK;
	if (h->got >= h->ne ||
	    mnl_attr_parse(nlh, sizeof(struct nfgenmsg), echo_attr_cb,
			   &ea) < 0 ||
	    !ea.handle || !ea.chain) {
		h->bad = true;
		return MNL_CB_OK;
	}
	e = &h->e[h->got++];
	s = &h->t[e->tbl];
	if (name_hash(ea.chain) != e->hash)
		s->bad = true;
	if (e->last) {
		s->hlast = ea.handle;
		s->got_last = true;
	} else {
		s->hfirst = ea.handle;
		s->got_first = true;
	}
	return MNL_CB_OK;
}

bool ipb_handles_apply(struct ipb_handles *h, unsigned int tbl,
		       struct ipb_table *t, uint32_t max_id)
{
	struct table_seq *s = tbl < IPB_NTABLES ? &h->t[tbl] : NULL;
	struct ipb_rule **by_id;
	struct ipb_chain *c;
	struct ipb_rule *r;
	bool ok = true;
	int j;

	if (!s || h->bad || s->bad || h->got != h->ne)
		return false;
	if (s->first >= 0) {
		if (!s->got_first)
			return false;
		if (s->last == s->first)
			s->hlast = s->hfirst;
		else if (!s->got_last)
			return false;
		if (s->hlast < s->hfirst ||
		    s->hlast - s->hfirst != (uint64_t)(s->last - s->first))
			return false;
	}
	by_id = calloc(max_id + 1, sizeof(*by_id));
	if (!by_id)
		return false;
	for (c = t->chains; c; c = c->next)
		for (r = c->rules; r; r = r->next)
			if (!r->handle && r->id && r->id <= max_id)
				by_id[r->id] = r;
	for (j = s->first; j >= 0 && j <= s->last; j++) {
		uint32_t id = s->items[j];

		if (!id || id > max_id || !by_id[id])
			continue;
		r = by_id[id];
		r->handle = s->hfirst + (j - s->first);
		/* nf_tables holds what the rule was written with */
		r->nft_counters = r->counters;
	}
	free(by_id);
	for (c = t->chains; ok && c; c = c->next)
		for (r = c->rules; ok && r; r = r->next)
			ok = r->handle != 0;
	return ok;
}
