// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -L: the table view, and the one-line echo of -v on rule commands.
 * Column widths, padding and the K/M/G counters are iptables-nft 1.8.9's.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter.h>

#include <xtables.h>

#include "iptables-bpf/cache.h"
#include "iptables-bpf/cmd.h"
#include "iptables-bpf/output.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/tables.h"

/* libxtables' format bits (xtables_print_num() reads them) */
#define FMT_NUMERIC 0x0001
#define FMT_NOCOUNTS 0x0002
#define FMT_KILOMEGAGIGA 0x0004
#define FMT_OPTIONS 0x0008
#define FMT_NOTABLE 0x0010
#define FMT_NOTARGET 0x0020
#define FMT_VIA 0x0040
#define FMT_NONEWLINE 0x0080
#define FMT_LINENUMBERS 0x0100

#define FMT(tab, notab) ((format) & FMT_NOTABLE ? (notab) : (tab))

static unsigned int list_format(unsigned int options)
{
	unsigned int format = FMT_OPTIONS;

	if (!(options & IPB_OPT_VERBOSE))
		format |= FMT_NOCOUNTS;
	else
		format |= FMT_VIA;
	if (options & IPB_OPT_NUMERIC)
		format |= FMT_NUMERIC;
	if (!(options & IPB_OPT_EXPANDED))
		format |= FMT_KILOMEGAGIGA;
	if (options & IPB_OPT_LINENUMBERS)
		format |= FMT_LINENUMBERS;
	return format;
}

/* The target column: the verdict, chain or extension name. */
static const char *target_name(const struct ipb_rule *r)
{
	switch (r->target.kind) {
	case IPB_TARGET_ACCEPT:
		return "ACCEPT";
	case IPB_TARGET_DROP:
		return "DROP";
	case IPB_TARGET_RETURN:
		return "RETURN";
	case IPB_TARGET_QUEUE:
		return "QUEUE";
	case IPB_TARGET_JUMP:
	case IPB_TARGET_GOTO:
		return r->target.chain;
	case IPB_TARGET_EXT:
		return r->target.t->u.user.name;
	default:
		return "";
	}
}

static void print_details(const struct ipb_rule *r, unsigned int num,
			  unsigned int format, bool proto_by_name)
{
	const char *pname = NULL;

	if (format & FMT_LINENUMBERS)
		printf(FMT("%-4u ", "%u "), num);
	if (!(format & FMT_NOCOUNTS)) {
		xtables_print_num(r->counters.pcnt, format);
		xtables_print_num(r->counters.bcnt, format);
	}
	if (!(format & FMT_NOTARGET))
		printf(FMT("%-9s ", "%s "), target_name(r));
	fputc(r->invflags & IPB_INV_PROTO ? '!' : ' ', stdout);
	/* with -n, iptables-nft 1.8.9 lists protocols by number */
	if (proto_by_name || !(format & FMT_NUMERIC))
		pname = ipb_proto_name(r->proto, false);
	if (pname)
		printf(FMT("%-5s", "%s "), pname);
	else
		printf(FMT("%-5hu", "%hu "), r->proto);

	if (format & FMT_NOTABLE)
		fputs("opt ", stdout);
	fputc(r->invflags & IPB_INV_FRAG ? '!' : '-', stdout);
	fputc(r->frag ? 'f' : '-', stdout);
	fputc(' ', stdout);
}

static void print_ifaces(const struct ipb_rule *r, unsigned int format)
{
	char iface[IFNAMSIZ + 2];
	const char *none = format & FMT_NUMERIC ? "*" : "any";

	if (!(format & FMT_VIA))
		return;
	snprintf(iface, sizeof(iface), "%s%s",
		 r->invflags & IPB_INV_IN ? "!" : "",
		 r->iniface[0] ? r->iniface : none);
	printf(FMT(" %-6s ", "in %s "), iface);
	snprintf(iface, sizeof(iface), "%s%s",
		 r->invflags & IPB_INV_OUT ? "!" : "",
		 r->outiface[0] ? r->outiface : none);
	printf(FMT("%-6s ", "out %s "), iface);
}

static bool mask_is_zero(const struct ipb_rule *r, const union nf_inet_addr *m)
{
	static const union nf_inet_addr zero;

	return !memcmp(m, &zero, ipb_addr_len(r->family));
}

static void format_addr(const struct ipb_rule *r, const union nf_inet_addr *a,
			const union nf_inet_addr *m, unsigned int format,
			char *buf, size_t len)
{
	if (r->family == NFPROTO_IPV6) {
		snprintf(buf, len, "%s",
			 format & FMT_NUMERIC ?
				 xtables_ip6addr_to_numeric(&a->in6) :
				 xtables_ip6addr_to_anyname(&a->in6));
		strncat(buf, xtables_ip6mask_to_numeric(&m->in6),
			len - strlen(buf) - 1);
	} else {
		snprintf(buf, len, "%s",
			 format & FMT_NUMERIC ?
				 xtables_ipaddr_to_numeric(&a->in) :
				 xtables_ipaddr_to_anyname(&a->in));
		strncat(buf, xtables_ipmask_to_numeric(&m->in),
			len - strlen(buf) - 1);
	}
}

static void print_addresses(const struct ipb_rule *r, unsigned int format)
{
	char buf[BUFSIZ];

	fputc(r->invflags & IPB_INV_SRC ? '!' : ' ', stdout);
	if (mask_is_zero(r, &r->smsk) && !(format & FMT_NUMERIC)) {
		printf(FMT("%-19s ", "%s "), "anywhere");
	} else {
		format_addr(r, &r->src, &r->smsk, format, buf, sizeof(buf));
		printf(FMT("%-19s ", "%s "), buf);
	}
	fputc(r->invflags & IPB_INV_DST ? '!' : ' ', stdout);
	if (mask_is_zero(r, &r->dmsk) && !(format & FMT_NUMERIC)) {
		printf(FMT("%-19s ", "-> %s"), "anywhere");
	} else {
		format_addr(r, &r->dst, &r->dmsk, format, buf, sizeof(buf));
		printf(FMT("%-19s ", "-> %s"), buf);
	}
}

static void print_matches_and_target(const struct ipb_rule *r,
				     unsigned int format)
{
	union ipb_xt_entry e;
	const struct ipb_match *m;

	ipb_rule_to_xt_entry(r, &e);
	for (m = r->matches; m; m = m->next) {
		if (m->xt && m->xt->print)
			m->xt->print(&e, m->m, format & FMT_NUMERIC);
		else if (!m->xt)
			printf("%s ", m->m->u.user.name);
	}
	if (r->target.kind == IPB_TARGET_EXT && r->target.xt &&
	    r->target.xt->print)
		r->target.xt->print(&e, r->target.t, format & FMT_NUMERIC);
}

static void print_rule(const struct ipb_rule *r, unsigned int num,
		       unsigned int format, bool proto_by_name)
{
	print_details(r, num, format, proto_by_name);
	print_ifaces(r, format);
	print_addresses(r, format);
	if (format & FMT_NOTABLE)
		fputs("  ", stdout);
	if (r->target.kind == IPB_TARGET_GOTO)
		printf("[goto] ");
	print_matches_and_target(r, format);
	if (!(format & FMT_NONEWLINE))
		fputc('\n', stdout);
}

void ipb_print_rule_verbose(const struct ipb_rule *r, unsigned int options)
{
	unsigned int format = FMT_NOCOUNTS | FMT_OPTIONS | FMT_VIA |
			      FMT_NUMERIC | FMT_NOTABLE;

	print_rule(r, 0, format, true);
}

static void print_header(const struct ipb_chain *c, unsigned int format)
{
	printf("Chain %s", c->name);
	if (c->builtin) {
		printf(" (policy %s", c->policy == NF_DROP ? "DROP" : "ACCEPT");
		if (!(format & FMT_NOCOUNTS)) {
			fputc(' ', stdout);
			xtables_print_num(c->counters.pcnt,
					  format | FMT_NOTABLE);
			fputs("packets, ", stdout);
			xtables_print_num(c->counters.bcnt,
					  format | FMT_NOTABLE);
			fputs("bytes", stdout);
		}
		printf(")\n");
	} else {
		printf(" (%u references)\n", c->refs);
	}

	if (format & FMT_LINENUMBERS)
		printf(FMT("%-4s ", "%s "), "num");
	if (!(format & FMT_NOCOUNTS)) {
		if (format & FMT_KILOMEGAGIGA) {
			printf(FMT("%5s ", "%s "), "pkts");
			printf(FMT("%5s ", "%s "), "bytes");
		} else {
			printf(FMT("%8s ", "%s "), "pkts");
			printf(FMT("%10s ", "%s "), "bytes");
		}
	}
	if (!(format & FMT_NOTARGET))
		printf(FMT("%-9s ", "%s "), "target");
	fputs(" prot ", stdout);
	if (format & FMT_OPTIONS)
		fputs("opt", stdout);
	if (format & FMT_VIA) {
		printf(FMT(" %-6s ", "%s "), "in");
		printf(FMT("%-6s ", "%s "), "out");
	}
	printf(FMT(" %-19s ", "%s "), "source");
	printf(FMT(" %-19s ", " %s "), "destination");
	printf("\n");
}

int ipb_list_table(const struct ipb_table *t, const struct ipb_chain *only,
		   unsigned int rulenum, unsigned int options)
{
	unsigned int format = list_format(options);
	const struct ipb_chain *c;
	const struct ipb_rule *r;
	bool first = true;
	unsigned int n;

	for (c = t->chains; c; c = c->next) {
		if (only && c != only)
			continue;
		/* a single rule prints without its chain's header */
		if (!rulenum) {
			if (!first)
				printf("\n");
			print_header(c, format);
		}
		first = false;
		for (r = c->rules, n = 1; r; r = r->next, n++) {
			/* iptables-nft stops where it cannot parse */
			if (r->foreign)
				return -EPROTO;
			if (!rulenum || n == rulenum)
				print_rule(r, n, format, false);
		}
	}
	return 0;
}
