// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -S and iptables-save: rules as the command-line arguments that make
 * them, in iptables-nft 1.8.9's order and spelling.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/netfilter.h>

#include <xtables.h>

#include "iptables-bpf/cache.h"
#include "iptables-bpf/cmd.h"
#include "iptables-bpf/output.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/tables.h"

static bool addr_is_any(const struct ipb_rule *r, const union nf_inet_addr *a,
			const union nf_inet_addr *m)
{
	static const union nf_inet_addr zero;
	size_t len = ipb_addr_len(r->family);

	return !memcmp(a, &zero, len) && !memcmp(m, &zero, len);
}

static void save_addr(const struct ipb_rule *r, char letter,
		      const union nf_inet_addr *a,
		      const union nf_inet_addr *m, bool invert)
{
	char buf[INET6_ADDRSTRLEN + 48];
	int cidr;

	if (!invert && addr_is_any(r, a, m))
		return;
	if (r->family == NFPROTO_IPV6) {
		inet_ntop(AF_INET6, &a->in6, buf, sizeof(buf));
		cidr = xtables_ip6mask_to_cidr(&m->in6);
		if (cidr == -1)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "/%s", xtables_ip6addr_to_numeric(&m->in6));
		else
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "/%d", cidr);
	} else {
		inet_ntop(AF_INET, &a->in, buf, sizeof(buf));
		cidr = xtables_ipmask_to_cidr(&m->in);
		if (cidr == -1)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "/%s", xtables_ipaddr_to_numeric(&m->in));
		else
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "/%d", cidr);
	}
	printf("%s -%c %s", invert ? " !" : "", letter, buf);
}

static void save_iface(char letter, const char *name, bool invert)
{
	if (!name[0])
		return;
	printf("%s -%c %s", invert ? " !" : "", letter, name);
}

static void save_core(const struct ipb_rule *r)
{
	save_addr(r, 's', &r->src, &r->smsk, r->invflags & IPB_INV_SRC);
	save_addr(r, 'd', &r->dst, &r->dmsk, r->invflags & IPB_INV_DST);
	save_iface('i', r->iniface, r->invflags & IPB_INV_IN);
	save_iface('o', r->outiface, r->invflags & IPB_INV_OUT);
	if (r->proto) {
		const char *pname = ipb_proto_name(r->proto, false);

		if (r->invflags & IPB_INV_PROTO)
			printf(" !");
		if (pname)
			printf(" -p %s", pname);
		else
			printf(" -p %u", r->proto);
	}
	if (r->frag) {
		if (r->invflags & IPB_INV_FRAG)
			printf(" !");
		printf(" -f");
	}
}

static void save_target(const struct ipb_rule *r, const union ipb_xt_entry *e)
{
	const struct ipb_target *t = &r->target;

	switch (t->kind) {
	case IPB_TARGET_NONE:
		return;
	case IPB_TARGET_ACCEPT:
		printf(" -j ACCEPT");
		return;
	case IPB_TARGET_DROP:
		printf(" -j DROP");
		return;
	case IPB_TARGET_RETURN:
		printf(" -j RETURN");
		return;
	case IPB_TARGET_QUEUE:
		printf(" -j QUEUE");
		return;
	case IPB_TARGET_JUMP:
		printf(" -j %s", t->chain);
		return;
	case IPB_TARGET_GOTO:
		printf(" -g %s", t->chain);
		return;
	case IPB_TARGET_EXT:
		if (t->xt && t->xt->alias)
			printf(" -j %s", t->xt->alias(t->t));
		else
			printf(" -j %s", t->t->u.user.name);
		if (t->xt && t->xt->save)
			t->xt->save(e, t->t);
		return;
	default:
		return;
	}
}

void ipb_save_rule_args(const struct ipb_rule *r, bool counters)
{
	const struct ipb_match *m;
	union ipb_xt_entry e;

	ipb_rule_to_xt_entry(r, &e);
	save_core(r);
	for (m = r->matches; m; m = m->next) {
		if (m->xt && m->xt->alias)
			printf(" -m %s", m->xt->alias(m->m));
		else
			printf(" -m %s", m->xt ? m->xt->name :
						 m->m->u.user.name);
		if (m->xt && m->xt->save)
			m->xt->save(&e, m->m);
	}
	if (counters)
		printf(" -c %llu %llu", (unsigned long long)r->counters.pcnt,
		       (unsigned long long)r->counters.bcnt);
	save_target(r, &e);
	printf("\n");
}

static const char *policy_name(const struct ipb_chain *c)
{
	return c->policy == NF_DROP ? "DROP" : "ACCEPT";
}

static void list_chain_decl(const struct ipb_chain *c, bool counters)
{
	if (c->builtin) {
		printf("-P %s %s", c->name, policy_name(c));
		if (counters)
			printf(" -c %llu %llu",
			       (unsigned long long)c->counters.pcnt,
			       (unsigned long long)c->counters.bcnt);
		printf("\n");
	} else {
		printf("-N %s\n", c->name);
	}
}

static int list_chain_rules(const struct ipb_chain *c, unsigned int rulenum,
			    bool counters)
{
	const struct ipb_rule *r;
	unsigned int n;

	for (r = c->rules, n = 1; r; r = r->next, n++) {
		/* iptables-nft stops where it cannot parse */
		if (r->foreign)
			return -EPROTO;
		if (rulenum && n != rulenum)
			continue;
		printf("-A %s", c->name);
		ipb_save_rule_args(r, counters);
	}
	return 0;
}

int ipb_list_rules(const struct ipb_table *t, const struct ipb_chain *only,
		   unsigned int rulenum, unsigned int options)
{
	bool counters = options & IPB_OPT_VERBOSE;
	const struct ipb_chain *c;

	if (only) {
		if (!rulenum)
			list_chain_decl(only, counters);
		return list_chain_rules(only, rulenum, counters);
	}
	for (c = t->chains; c; c = c->next)
		if (c->builtin)
			list_chain_decl(c, counters);
	for (c = t->chains; c; c = c->next)
		if (!c->builtin)
			list_chain_decl(c, counters);
	for (c = t->chains; c; c = c->next)
		if (list_chain_rules(c, 0, counters))
			return -EPROTO;
	return 0;
}

int ipb_save_table(const struct ipb_table *t, bool counters)
{
	const struct ipb_chain *c;
	const struct ipb_rule *r;

	printf("*%s\n", t->def->name);
	for (c = t->chains; c; c = c->next)
		printf(":%s %s [%llu:%llu]\n", c->name,
		       c->builtin ? policy_name(c) : "-",
		       (unsigned long long)c->counters.pcnt,
		       (unsigned long long)c->counters.bcnt);
	for (c = t->chains; c; c = c->next)
		for (r = c->rules; r; r = r->next) {
			if (r->foreign)
				return -EPROTO;
			if (counters)
				printf("[%llu:%llu] ",
				       (unsigned long long)r->counters.pcnt,
				       (unsigned long long)r->counters.bcnt);
			printf("-A %s", c->name);
			ipb_save_rule_args(r, false);
		}
	printf("COMMIT\n");
	return 0;
}
