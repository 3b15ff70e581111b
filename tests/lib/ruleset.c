// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <netinet/in.h>
#include <net/if.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>

#include "bpfgen/bpfgen.h"
#include "iptables-bpf/cache.h"
#include "iptables-bpf/cmd.h"
#include "iptables-bpf/compile.h"
#include "iptables-bpf/parse.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/tables.h"
#include "tests/lib/ruleset.h"

#define MAX_ARGS 64

/* Whitespace-separated words, double quotes grouping. */
static int split(char *line, char **argv)
{
	int argc = 1;
	char *p = line;

	argv[0] = (char *)"iptables";
	while (*p && argc < MAX_ARGS - 1) {
		bool quoted = false;
		char *out;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		argv[argc++] = out = p;
		while (*p && (quoted || *p != ' ')) {
			if (*p == '"')
				quoted = !quoted;
			else
				*out++ = *p;
			p++;
		}
		if (*p)
			p++;
		*out = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

static uint64_t next_handle = 1;
static struct ipb_compiled kept;

static int apply(struct ipb_table *t, struct ipb_cmd *cmd)
{
	struct ipb_chain *c = ipb_table_find_chain(t, cmd->chain);
	struct ipb_rule **tail, *r;

	switch (cmd->command) {
	case IPB_CMD_NEW_CHAIN:
		if (ipb_table_add_user_chain(t, cmd->chain, &c))
			return -ENOMEM;
		c->in_kernel = true;
		return 0;
	case IPB_CMD_SET_POLICY:
		if (!c || !c->builtin)
			return -ENOENT;
		c->policy = strcmp(cmd->policy, "DROP") ? NF_ACCEPT : NF_DROP;
		return 0;
	case IPB_CMD_APPEND:
	case IPB_CMD_INSERT:
		if (!c)
			return -ENOENT;
		c->in_kernel = true;
		for (tail = &c->rules; cmd->command == IPB_CMD_APPEND && *tail;
		     tail = &(*tail)->next)
			;
		while ((r = cmd->rules)) {
			cmd->rules = r->next;
			r->handle = next_handle++;
			r->next = *tail;
			*tail = r;
			tail = &r->next;
			c->nrules++;
		}
		return 0;
	default:
		return -EINVAL;
	}
}

int ruleset_build(uint8_t family, const char *table, const char *chain,
		  const char *const *lines, struct bpfgen_prog **out,
		  char *why, size_t whysz)
{
	/*
	 * libxtables serves one family at a time (afinfo, the library
	 * prefix libipt_/libip6t_): switch when the family changes.
	 */
	static int cur_family = -1;
	const struct ipb_builtin_table *def = ipb_builtin_table_find(table);
	struct ipb_compiled cp;
	struct ipb_why w = { 0 };
	struct ipb_table *t = NULL;
	struct ipb_chain *base;
	int err;

	if (!def)
		return -EINVAL;
	if (cur_family != family) {
		ipb_parse_init(family, family == NFPROTO_IPV6 ? "ip6tables" :
								 "iptables");
		cur_family = family;
	}
	err = ipb_table_new(&t, family, def);
	if (err)
		return err;
	t->in_kernel = true;
	for (; *lines; lines++) {
		char *copy = strdup(*lines), *argv[MAX_ARGS];
		struct ipb_cmd cmd = { .table = table };
		int argc;

		if (!copy) {
			err = -ENOMEM;
			break;
		}
		argc = split(copy, argv);
		ipb_parse_command(&cmd, argc, argv, false);
		err = apply(t, &cmd);
		ipb_cmd_release(&cmd);
		free(copy);
		if (err)
			break;
	}
	base = err ? NULL : ipb_table_find_chain(t, chain);
	if (!err && (!base || !base->builtin))
		err = -ENOENT;
	if (!err) {
		base->in_kernel = true;
		ipb_table_count_refs(t);
		err = ipb_compile_chain(t, base, &cp, &w);
	}
	if (!err) {
		/* the grouped rules' maps must outlive the load: keep them
		 * until the next build (the loaded program holds its own) */
		ipb_compiled_release(&kept);
		*out = cp.prog;
		cp.prog = NULL;
		kept = cp;
	} else if (why) {
		snprintf(why, whysz, "chain %s rule %u: %s", w.chain,
			 w.rulenum, w.reason);
	}
	ipb_table_free(t);
	return err;
}
