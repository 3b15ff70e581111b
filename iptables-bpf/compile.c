// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rules → bpfgen calls.  Matches are emitted in the order encode.c writes
 * their nf_tables expressions, since the order decides what a short or
 * odd packet meets first; each extension's to_bpf keeps its encoding's
 * semantics (ext.h).
 */
#include <stdio.h>
#include <netinet/in.h>
#include <net/if.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/netfilter.h>

#include <bpf/bpf.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "iptables-bpf/cache.h"
#include "iptables-bpf/compile.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/tables.h"
#include "iptables-bpf/util.h"

struct compiler {
	const struct ipb_table *t;
	struct ipb_compiled *out;
	struct ipb_why *why;
	uint32_t cap;
	/* which user chains are reached, by index in the table's list */
	bool *reached;
	unsigned int nchains;
};

static int refuse(struct compiler *c, const struct ipb_chain *chain,
		  unsigned int rulenum, const char *what, const char *arg)
{
	snprintf(c->why->chain, sizeof(c->why->chain), "%s", chain->name);
	c->why->rulenum = rulenum;
	snprintf(c->why->reason, sizeof(c->why->reason), "%s%s", what,
		 arg ? arg : "");
	return -EOPNOTSUPP;
}

static int chain_index(const struct compiler *c, const char *name)
{
	const struct ipb_chain *ch;
	int i = 0;

	for (ch = c->t->chains; ch; ch = ch->next, i++)
		if (!strcmp(ch->name, name))
			return i;
	return -1;
}

static const struct ipb_chain *chain_at(const struct compiler *c, int i)
{
	const struct ipb_chain *ch = c->t->chains;

	while (ch && i--)
		ch = ch->next;
	return ch;
}

static int add_slot(struct compiler *c, uint64_t handle)
{
	struct ipb_compiled *o = c->out;

	if (o->nslots == c->cap) {
		uint32_t cap = c->cap ? c->cap * 2 : 64;
		uint64_t *s = realloc(o->slots, cap * sizeof(*s));

		if (!s)
			return -ENOMEM;
		o->slots = s;
		c->cap = cap;
	}
	o->slots[o->nslots] = handle;
	return o->nslots++;
}

static void emit_iface(struct bpfgen_prog *p, bool out, const char *name,
		       bool invert)
{
	if (!name[0])
		return;
	/* "! -i +" is iptables-nft's compare with the name "INVAL/D" */
	if (!strcmp(name, "+") && invert)
		bpfgen_match_iface(p, out, "INVAL/D", false);
	else
		bpfgen_match_iface(p, out, name, invert);
}

static bool addr_set(const struct ipb_rule *r, const union nf_inet_addr *a,
		     const union nf_inet_addr *m, uint8_t inv)
{
	static const union nf_inet_addr zero;
	size_t len = ipb_addr_len(r->family);

	return memcmp(a, &zero, len) || memcmp(m, &zero, len) ||
	       r->invflags & inv;
}

static void emit_addr(struct bpfgen_prog *p, const struct ipb_rule *r,
		      bool dst)
{
	const union nf_inet_addr *a = dst ? &r->dst : &r->src;
	const union nf_inet_addr *m = dst ? &r->dmsk : &r->smsk;
	bool inv = r->invflags & (dst ? IPB_INV_DST : IPB_INV_SRC);

	if (!addr_set(r, a, m, dst ? IPB_INV_DST : IPB_INV_SRC))
		return;
	if (r->family == NFPROTO_IPV6)
		bpfgen_match_ip6(p, dst, a->in6.s6_addr, m->in6.s6_addr, inv);
	else
		bpfgen_match_ip4(p, dst, a->in.s_addr, m->in.s_addr, inv);
}

static void emit_core(struct bpfgen_prog *p, const struct ipb_rule *r)
{
	emit_iface(p, false, r->iniface, r->invflags & IPB_INV_IN);
	emit_iface(p, true, r->outiface, r->invflags & IPB_INV_OUT);
	if (r->proto)
		bpfgen_match_l4proto(p, r->proto, r->invflags & IPB_INV_PROTO);
	emit_addr(p, r, false);
	emit_addr(p, r, true);
	if (r->frag)
		bpfgen_match_frag(p, r->invflags & IPB_INV_FRAG);
}

static int verdict_of(struct compiler *c, const struct ipb_chain *chain,
		      unsigned int n, const struct ipb_rule *r,
		      struct bpfgen_verdict *v)
{
	int idx;

	memset(v, 0, sizeof(*v));
	switch (r->target.kind) {
	case IPB_TARGET_NONE:
		v->kind = BPFGEN_VERDICT_CONTINUE;
		return 0;
	case IPB_TARGET_ACCEPT:
		v->kind = BPFGEN_VERDICT_ACCEPT;
		return 0;
	case IPB_TARGET_DROP:
		v->kind = BPFGEN_VERDICT_DROP;
		return 0;
	case IPB_TARGET_RETURN:
		v->kind = BPFGEN_VERDICT_RETURN;
		return 0;
	case IPB_TARGET_JUMP:
	case IPB_TARGET_GOTO:
		idx = chain_index(c, r->target.chain);
		if (idx < 0 || chain_at(c, idx)->builtin)
			return refuse(c, chain, n, "jump to a missing or built-in chain ",
				      r->target.chain);
		c->reached[idx] = true;
		v->kind = r->target.kind == IPB_TARGET_JUMP ?
				  BPFGEN_VERDICT_JUMP :
				  BPFGEN_VERDICT_GOTO;
		v->chain_id = idx;
		return 0;
	case IPB_TARGET_QUEUE:
		return refuse(c, chain, n, "target ", "QUEUE");
	case IPB_TARGET_EXT:
		return refuse(c, chain, n, "target ",
			      r->target.t->u.user.name);
	default:
		BUG("unknown target kind");
	}
}

static int emit_rule(struct compiler *c, struct bpfgen_prog *p,
		     const struct ipb_chain *chain, unsigned int n,
		     const struct ipb_rule *r)
{
	const struct ipb_match *m;
	struct bpfgen_verdict v;
	int slot, err;

	if (r->foreign)
		return refuse(c, chain, n, "a rule iptables did not write (nft)",
			      NULL);
	err = verdict_of(c, chain, n, r, &v);
	if (err)
		return err;
	slot = add_slot(c, r->handle);
	if (slot < 0)
		return slot;
	bpfgen_rule_begin(p, slot);
	emit_core(p, r);
	for (m = r->matches; m; m = m->next) {
		const struct ipb_ext *ext = ipb_ext_find(m->m->u.user.name,
							 false);
		const char *why = NULL;

		if (!ext || !ext->to_bpf)
			return refuse(c, chain, n, "match ",
				      m->m->u.user.name);
		err = ext->to_bpf(p, r, m->m, &why);
		if (err)
			return why ? refuse(c, chain, n, why, NULL) :
				     refuse(c, chain, n, "match ",
					    m->m->u.user.name);
	}
	c->out->nrules++;
	c->out->ncode++;
	err = bpfgen_rule_end(p, &v);
	return err ? err : bpfgen_prog_err(p);
}

/*
 * Grouping: a rule that compares only one full address, the other side
 * being any, with ACCEPT or DROP, is a candidate; returns 0 (src), 1
 * (dst) or -1.
 */
static int group_side(const struct ipb_rule *r)
{
	static const union nf_inet_addr zero;
	size_t len = ipb_addr_len(r->family);
	union nf_inet_addr full;
	bool s, d;

	if (r->iniface[0] || r->outiface[0] || r->proto || r->frag ||
	    r->invflags || r->matches ||
	    (r->target.kind != IPB_TARGET_ACCEPT &&
	     r->target.kind != IPB_TARGET_DROP))
		return -1;
	memset(&full, 0xff, sizeof(full));
	s = memcmp(&r->smsk, &zero, len) != 0;
	d = memcmp(&r->dmsk, &zero, len) != 0;
	if (s == d)
		return -1;
	/* a full-length mask, and not the all-zero address (what a header
	 * too short to hold one reads as) */
	if (memcmp(s ? &r->smsk : &r->dmsk, &full, len) ||
	    !memcmp(s ? &r->src : &r->dst, &zero, len))
		return -1;
	return s ? 0 : 1;
}

static bool same_group(const struct ipb_rule *a, const struct ipb_rule *b)
{
	return group_side(a) >= 0 && group_side(a) == group_side(b) &&
	       a->target.kind == b->target.kind;
}

static unsigned int group_len(const struct ipb_rule *r)
{
	const struct ipb_rule *k;
	unsigned int n = 1;

	if (group_side(r) < 0)
		return 0;
	for (k = r->next; k && same_group(r, k); k = k->next)
		n++;
	return n;
}

static int keep_map(struct compiler *c, int fd)
{
	struct ipb_compiled *o = c->out;
	int *fds = realloc(o->map_fds, (o->nmaps + 1) * sizeof(*fds));

	if (!fds) {
		close(fd);
		return -ENOMEM;
	}
	o->map_fds = fds;
	o->map_fds[o->nmaps++] = fd;
	return 0;
}

/* @n rules from @r, one hash lookup; rule numbers from @num. */
static int emit_group(struct compiler *c, struct bpfgen_prog *p,
		      const struct ipb_rule *r, unsigned int n)
{
	bool dst = group_side(r) == 1;
	size_t len = ipb_addr_len(r->family);
	struct bpfgen_verdict v = {
		.kind = r->target.kind == IPB_TARGET_ACCEPT ?
				BPFGEN_VERDICT_ACCEPT : BPFGEN_VERDICT_DROP,
	};
	uint32_t slot = 0, *slots;
	unsigned int i;
	uint8_t *keys;
	int fd, err;

	keys = malloc(n * len);
	slots = malloc(n * sizeof(*slots));
	if (!keys || !slots) {
		free(keys);
		free(slots);
		return -ENOMEM;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "ipb_group", len,
			    sizeof(uint32_t), n, NULL);
	err = fd < 0 ? -errno : keep_map(c, fd);
	for (i = 0; !err && i < n; i++, r = r->next) {
		int s = add_slot(c, r->handle);

		if (s < 0) {
			err = s;
			break;
		}
		slot = slots[i] = s;
		memcpy(keys + i * len, dst ? (void *)&r->dst : (void *)&r->src,
		       len);
		c->out->nrules++;
	}
	/* the first rule with an address wins, as the first match would:
	 * later ones keep their (zero) counters */
	if (!err)
		err = bpfgen_map_add_new(fd, keys, len, slots, sizeof(*slots),
					 n);
	free(keys);
	free(slots);
	if (err)
		return err;
	c->out->ncode++;
	err = bpfgen_rule_group_lookup(p, dst, fd, slot, &v);
	return err ? err : bpfgen_prog_err(p);
}

static int emit_rules(struct compiler *c, struct bpfgen_prog *p,
		      const struct ipb_chain *chain)
{
	const struct ipb_rule *r;
	unsigned int n = 1, i, run;
	int err;

	for (r = chain->rules; r; r = r->next, n++) {
		run = group_len(r);
		if (run >= IPB_MIN_GROUP) {
			err = emit_group(c, p, r, run);
			if (err)
				return err;
			for (i = 1; i < run; i++, n++)
				r = r->next;
			continue;
		}
		err = emit_rule(c, p, chain, n, r);
		if (err)
			return err;
	}
	return 0;
}

/* User chains, each once, as long as new ones are reached. */
static int emit_user_chains(struct compiler *c, struct bpfgen_prog *p)
{
	bool *done = calloc(c->nchains, sizeof(*done));
	bool progress = true;
	unsigned int i;
	int err = 0;

	if (!done)
		return -ENOMEM;
	while (!err && progress) {
		progress = false;
		for (i = 0; !err && i < c->nchains; i++) {
			if (!c->reached[i] || done[i])
				continue;
			done[i] = progress = true;
			err = bpfgen_user_chain_begin(p, i);
			if (!err)
				err = emit_rules(c, p, chain_at(c, i));
			if (!err)
				err = bpfgen_user_chain_end(p);
		}
	}
	free(done);
	return err;
}

static int bpfgen_failed(struct compiler *c, const struct ipb_chain *base,
			 int err)
{
	snprintf(c->why->chain, sizeof(c->why->chain), "%s", base->name);
	c->why->rulenum = 0;
	snprintf(c->why->reason, sizeof(c->why->reason),
		 "BPF code generation failed: %s", strerror(-err));
	return err;
}

int ipb_compile_chain(const struct ipb_table *t, const struct ipb_chain *base,
		      struct ipb_compiled *out, struct ipb_why *why)
{
	struct compiler c = { .t = t, .out = out, .why = why };
	const struct ipb_chain *ch;
	int err, policy_slot;

	memset(out, 0, sizeof(*out));
	for (ch = t->chains; ch; ch = ch->next)
		c.nchains++;
	c.reached = calloc(c.nchains, sizeof(*c.reached));
	if (!c.reached)
		return -ENOMEM;
	err = bpfgen_prog_new(&out->prog, t->family, base->builtin->hook);
	if (err) {
		free(c.reached);
		return bpfgen_failed(&c, base, err);
	}
	err = bpfgen_chain_begin(out->prog, chain_index(&c, base->name));
	if (!err)
		err = emit_rules(&c, out->prog, base);
	policy_slot = err ? -1 : add_slot(&c, IPB_SLOT_POLICY);
	if (!err && policy_slot < 0)
		err = policy_slot;
	if (!err)
		err = bpfgen_chain_end(out->prog,
				       base->policy == NF_DROP ?
					       BPFGEN_VERDICT_DROP :
					       BPFGEN_VERDICT_ACCEPT,
				       policy_slot);
	if (!err)
		err = emit_user_chains(&c, out->prog);
	if (!err && out->ncode > IPB_MAX_RULES_PER_PROG) {
		snprintf(why->chain, sizeof(why->chain), "%s", base->name);
		why->rulenum = 0;
		snprintf(why->reason, sizeof(why->reason),
			 "%u rules reach this hook, more than one BPF program holds (%u)",
			 out->ncode, IPB_MAX_RULES_PER_PROG);
		err = -EOPNOTSUPP;
	}
	if (!err)
		err = bpfgen_prog_finish(out->prog);
	free(c.reached);
	if (err) {
		if (err != -EOPNOTSUPP)
			bpfgen_failed(&c, base, err);
		ipb_compiled_release(out);
	}
	return err;
}

void ipb_compiled_release(struct ipb_compiled *c)
{
	unsigned int i;

	for (i = 0; i < c->nmaps; i++)
		close(c->map_fds[i]);
	free(c->map_fds);
	bpfgen_prog_free(c->prog);
	free(c->slots);
	memset(c, 0, sizeof(*c));
}
