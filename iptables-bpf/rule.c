// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include <xtables.h>

#include "iptables-bpf/rule.h"

int ipb_rule_new(struct ipb_rule **out, uint8_t family)
{
	struct ipb_rule *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->family = family;
	*out = r;
	return 0;
}

void ipb_rule_free(struct ipb_rule *r)
{
	struct ipb_match *m, *next;

	if (!r)
		return;
	for (m = r->matches; m; m = next) {
		next = m->next;
		free(m->m);
		free(m);
	}
	free(r->target.t);
	free(r);
}

void ipb_rule_list_free(struct ipb_rule *r)
{
	struct ipb_rule *next;

	for (; r; r = next) {
		next = r->next;
		ipb_rule_free(r);
	}
}

static void *memdup(const void *p, size_t len)
{
	void *q = malloc(len);

	if (q)
		memcpy(q, p, len);
	return q;
}

int ipb_rule_clone(struct ipb_rule **out, const struct ipb_rule *r)
{
	const struct ipb_match *m;
	struct ipb_rule *c;
	int err;

	err = ipb_rule_new(&c, r->family);
	if (err)
		return err;
	*c = *r;
	c->matches = NULL;
	c->target.t = NULL;
	c->next = NULL;
	for (m = r->matches; m; m = m->next) {
		struct xt_entry_match *d = memdup(m->m, m->m->u.match_size);

		if (!d || ipb_rule_add_match(c, m->xt, d) < 0) {
			free(d);
			ipb_rule_free(c);
			return -ENOMEM;
		}
	}
	if (r->target.t) {
		c->target.t = memdup(r->target.t, r->target.t->u.target_size);
		if (!c->target.t) {
			ipb_rule_free(c);
			return -ENOMEM;
		}
	}
	*out = c;
	return 0;
}

int ipb_rule_add_match(struct ipb_rule *r, struct xtables_match *xt,
		       struct xt_entry_match *m)
{
	struct ipb_match *im = calloc(1, sizeof(*im)), **tail;

	if (!im)
		return -ENOMEM;
	im->xt = xt;
	im->m = m;
	for (tail = &r->matches; *tail; tail = &(*tail)->next)
		;
	*tail = im;
	return 0;
}

struct ipb_match *ipb_rule_find_match(const struct ipb_rule *r,
				      const char *name)
{
	struct ipb_match *m, *found = NULL;

	for (m = r->matches; m; m = m->next)
		if (!strcmp(m->m->u.user.name, name))
			found = m;
	return found;
}

void ipb_rule_set_target_ext(struct ipb_rule *r, struct xtables_target *xt,
			     struct xt_entry_target *t)
{
	free(r->target.t);
	r->target.kind = IPB_TARGET_EXT;
	r->target.xt = xt;
	r->target.t = t;
}

/* iptables' interface mask: 0xff over the name, and over its NUL unless
 * the name ends in the '+' wildcard. */
static void iface_mask(const char *name, unsigned char *mask)
{
	size_t len = strlen(name);

	memset(mask, 0, IFNAMSIZ);
	if (!len)
		return;
	if (name[len - 1] == '+')
		memset(mask, 0xff, len - 1);
	else
		memset(mask, 0xff, len + 1 > IFNAMSIZ ? IFNAMSIZ : len + 1);
}

void ipb_rule_to_xt_entry(const struct ipb_rule *r, union ipb_xt_entry *e)
{
	memset(e, 0, sizeof(*e));
	if (r->family == NFPROTO_IPV6) {
		struct ip6t_ip6 *ip = &e->v6.ipv6;

		ip->src = r->src.in6;
		ip->smsk = r->smsk.in6;
		ip->dst = r->dst.in6;
		ip->dmsk = r->dmsk.in6;
		memcpy(ip->iniface, r->iniface, IFNAMSIZ);
		memcpy(ip->outiface, r->outiface, IFNAMSIZ);
		iface_mask(r->iniface, ip->iniface_mask);
		iface_mask(r->outiface, ip->outiface_mask);
		ip->proto = r->proto;
		if (r->proto)
			ip->flags |= IP6T_F_PROTO;
		if (r->target.kind == IPB_TARGET_GOTO)
			ip->flags |= IP6T_F_GOTO;
		ip->invflags = r->invflags;
		e->v6.counters = r->counters;
	} else {
		struct ipt_ip *ip = &e->v4.ip;

		ip->src = r->src.in;
		ip->smsk = r->smsk.in;
		ip->dst = r->dst.in;
		ip->dmsk = r->dmsk.in;
		memcpy(ip->iniface, r->iniface, IFNAMSIZ);
		memcpy(ip->outiface, r->outiface, IFNAMSIZ);
		iface_mask(r->iniface, ip->iniface_mask);
		iface_mask(r->outiface, ip->outiface_mask);
		ip->proto = r->proto;
		if (r->frag)
			ip->flags |= IPT_F_FRAG;
		if (r->target.kind == IPB_TARGET_GOTO)
			ip->flags |= IPT_F_GOTO;
		ip->invflags = r->invflags;
		e->v4.counters = r->counters;
	}
}

void ipb_rule_from_xt_entry(struct ipb_rule *r, const union ipb_xt_entry *e)
{
	if (r->family == NFPROTO_IPV6) {
		const struct ip6t_ip6 *ip = &e->v6.ipv6;

		r->src.in6 = ip->src;
		r->smsk.in6 = ip->smsk;
		r->dst.in6 = ip->dst;
		r->dmsk.in6 = ip->dmsk;
		memcpy(r->iniface, ip->iniface, IFNAMSIZ);
		memcpy(r->outiface, ip->outiface, IFNAMSIZ);
		r->proto = ip->proto;
		r->invflags = ip->invflags;
		r->counters = e->v6.counters;
	} else {
		const struct ipt_ip *ip = &e->v4.ip;

		r->src.in = ip->src;
		r->smsk.in = ip->smsk;
		r->dst.in = ip->dst;
		r->dmsk.in = ip->dmsk;
		memcpy(r->iniface, ip->iniface, IFNAMSIZ);
		memcpy(r->outiface, ip->outiface, IFNAMSIZ);
		r->proto = ip->proto;
		r->frag = ip->flags & IPT_F_FRAG;
		r->invflags = ip->invflags;
		r->counters = e->v4.counters;
	}
}

static bool core_equal(const struct ipb_rule *a, const struct ipb_rule *b)
{
	size_t alen = ipb_addr_len(a->family);
	/* iptables-nft 1.8.9 compares IPv6 rules without their masks: -D
	 * and -C of "-s 2001:db8::/48" find a "-s 2001:db8::/32" rule */
	bool masks = a->family != NFPROTO_IPV6;

	return a->family == b->family &&
	       !memcmp(&a->src, &b->src, alen) &&
	       (!masks || !memcmp(&a->smsk, &b->smsk, alen)) &&
	       !memcmp(&a->dst, &b->dst, alen) &&
	       (!masks || !memcmp(&a->dmsk, &b->dmsk, alen)) &&
	       !strncmp(a->iniface, b->iniface, IFNAMSIZ) &&
	       !strncmp(a->outiface, b->outiface, IFNAMSIZ) &&
	       a->proto == b->proto && a->frag == b->frag &&
	       a->invflags == b->invflags;
}

static bool match_equal(const struct ipb_match *a, const struct ipb_match *b)
{
	size_t len = a->xt ? a->xt->userspacesize : 0;

	if (strcmp(a->m->u.user.name, b->m->u.user.name) ||
	    a->m->u.user.revision != b->m->u.user.revision ||
	    a->m->u.match_size != b->m->u.match_size)
		return false;
	if (!a->xt)
		len = a->m->u.match_size - sizeof(*a->m);
	return !memcmp(a->m->data, b->m->data, len);
}

static bool target_equal(const struct ipb_target *a,
			 const struct ipb_target *b)
{
	size_t len;

	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case IPB_TARGET_JUMP:
	case IPB_TARGET_GOTO:
		return !strcmp(a->chain, b->chain);
	case IPB_TARGET_EXT:
		if (strcmp(a->t->u.user.name, b->t->u.user.name) ||
		    a->t->u.user.revision != b->t->u.user.revision ||
		    a->t->u.target_size != b->t->u.target_size)
			return false;
		len = a->xt ? a->xt->userspacesize :
			      a->t->u.target_size - sizeof(*a->t);
		return !memcmp(a->t->data, b->t->data, len);
	default:
		return true;
	}
}

bool ipb_rule_equal(const struct ipb_rule *a, const struct ipb_rule *b)
{
	const struct ipb_match *ma, *mb;

	if (a->foreign || b->foreign)
		return false;
	if (!core_equal(a, b) || !target_equal(&a->target, &b->target))
		return false;
	for (ma = a->matches, mb = b->matches; ma && mb;
	     ma = ma->next, mb = mb->next)
		if (!match_equal(ma, mb))
			return false;
	return !ma && !mb;
}

const char *ipb_proto_name(uint16_t proto, bool nolookup)
{
	unsigned int i;

	if (proto && !nolookup) {
		struct protoent *pent = getprotobynumber(proto);

		if (pent)
			return pent->p_name;
	}
	for (i = 0; xtables_chain_protos[i].name; i++)
		if (xtables_chain_protos[i].num == proto)
			return xtables_chain_protos[i].name;
	return NULL;
}
