// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: rules → BPF, loaded into the kernel (never attached).
 *
 * The input is restore-shaped text: an optional first line "-6" picks
 * IPv6; "*table" opens a table (filter, mangle, raw, security; filter by
 * default), ":CHAIN POLICY" sets a policy or makes a user chain, other
 * lines are iptables commands (-N, -A, -I, -P; others are ignored),
 * "COMMIT" and '#' lines are skipped.  Each rule goes the way the real
 * one does: libxtables parses it, encode.c writes its nf_tables
 * expressions, they pass through a netlink message, decode.c reads them
 * back (what iptables-bpf later fetches from the kernel), and the table
 * is compiled (compile.c, bpfgen) one base chain at a time.
 *
 * Each base chain must either be refused with a reason (it falls back to
 * nf_tables) or compile into a program the verifier accepts.  A program
 * the verifier refuses, or a refusal without a reason, aborts: that is a
 * finding.
 */
#include <stdio.h>
#include <netinet/in.h>
#include <net/if.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <libmnl/libmnl.h>
#include <libnftnl/rule.h>

#include "bpfgen/bpfgen.h"
#include "iptables-bpf/cache.h"
#include "iptables-bpf/cmd.h"
#include "iptables-bpf/compile.h"
#include "iptables-bpf/decode.h"
#include "iptables-bpf/encode.h"
#include "iptables-bpf/parse.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/tables.h"
#include "tests/fuzz/fuzz.h"

static uint64_t next_handle = 1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (fuzz_env_init())
		exit(77);
	if (bpfgen_probe_netfilter() != 1) {
		fprintf(stderr, "fuzz: no BPF_PROG_TYPE_NETFILTER here\n");
		exit(77);
	}
	return 0;
}

/* @r as nf_tables would hand it back; NULL if iptables would refuse it. */
static struct ipb_rule *round_trip(const struct ipb_table *t,
				   const struct ipb_chain *c,
				   const struct ipb_rule *r)
{
	static char buf[1 << 16];
	struct nftnl_rule *nr = nftnl_rule_alloc();
	struct nftnl_rule *back = nftnl_rule_alloc();
	struct ipb_rule *out = NULL;
	struct nlmsghdr *nlh;
	const char *msg = NULL;

	if (!nr || !back)
		abort();
	nftnl_rule_set_u32(nr, NFTNL_RULE_FAMILY, t->family);
	nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, t->def->name);
	nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, c->name);
	if (ipb_rule_encode(nr, r, &msg))
		goto out;
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, t->family,
				    NLM_F_CREATE, 1);
	nftnl_rule_nlmsg_build_payload(nlh, nr);
	if (nlh->nlmsg_len > sizeof(buf))
		abort();
	if (nftnl_rule_nlmsg_parse(nlh, back) < 0)
		abort();	/* our own message */
	if (ipb_rule_decode(&out, back, t->family))
		out = NULL;	/* the caller counts it as refused */
	else
		out->handle = next_handle++;
out:
	nftnl_rule_free(nr);
	nftnl_rule_free(back);
	return out;
}

static void add_rules(struct ipb_table *t, struct ipb_chain *c,
		      struct ipb_cmd *cmd)
{
	struct ipb_rule **tail = &c->rules, *r, *back;
	unsigned int pos = cmd->command == IPB_CMD_INSERT ? cmd->rulenum : 0;

	/* -I n: before rule n; past the end, as the kernel, refused */
	if (pos) {
		for (; *tail && pos > 1; pos--)
			tail = &(*tail)->next;
		if (pos > 1)
			return;
	} else {
		while (*tail)
			tail = &(*tail)->next;
	}
	for (r = cmd->rules; r; r = r->next) {
		back = round_trip(t, c, r);
		if (!back)
			continue;
		back->next = *tail;
		*tail = back;
		tail = &back->next;
		c->nrules++;
		c->last = NULL;
	}
}

static void apply(struct ipb_table *t, struct ipb_cmd *cmd)
{
	struct ipb_chain *c = cmd->chain ?
		ipb_table_find_chain(t, cmd->chain) : NULL;

	switch (cmd->command) {
	case IPB_CMD_NEW_CHAIN:
		if (!c && !ipb_table_add_user_chain(t, cmd->chain, &c))
			c->in_kernel = true;
		break;
	case IPB_CMD_SET_POLICY:
		if (c && c->builtin)
			c->policy = strcmp(cmd->policy, "DROP") ? NF_ACCEPT :
								  NF_DROP;
		break;
	case IPB_CMD_APPEND:
	case IPB_CMD_INSERT:
		if (c)
			add_rules(t, c, cmd);
		break;
	default:
		break;
	}
}

/* One command line into @t; parse errors are ignored lines. */
static void command(struct ipb_table *t, char *line)
{
	static struct ipb_cmd cmd;
	static char *argv[FUZZ_MAX_ARGS];
	int argc;

	argc = fuzz_split(line, t->family == NFPROTO_IPV6 ? "ip6tables" :
							    "iptables",
			  argv);
	memset(&cmd, 0, sizeof(cmd));
	cmd.table = t->def->name;
	if (!setjmp(fuzz_jmp)) {
		fuzz_arm();
		ipb_parse_command(&cmd, argc, argv, false);
		fuzz_disarm();
		apply(t, &cmd);
	}
	fuzz_disarm();
	ipb_cmd_release(&cmd);
}

static void declare(struct ipb_table *t, char *line)
{
	char *name = strtok(line + 1, " \t"), *policy = strtok(NULL, " \t");
	struct ipb_chain *c;

	if (!name || !policy)
		return;
	c = ipb_table_find_chain(t, name);
	if (c && c->builtin)
		c->policy = strcmp(policy, "DROP") ? NF_ACCEPT : NF_DROP;
	else if (!c && !ipb_table_add_user_chain(t, name, &c))
		c->in_kernel = true;
}

static void check_chain(const struct ipb_table *t,
			const struct ipb_chain *base)
{
	static char log[1 << 22];
	struct ipb_compiled cp;
	struct ipb_why why = { 0 };
	int err, fd = -1;

	err = ipb_compile_chain(t, base, &cp, &why);
	if (err) {
		if (!why.reason[0]) {
			fprintf(stderr, "fuzz: chain %s refused without a reason: %s\n",
				base->name, strerror(-err));
			abort();
		}
		return;
	}
	log[0] = '\0';
	err = bpfgen_prog_load(cp.prog, "ipb_fuzz", &fd, log, sizeof(log));
	if (err) {
		size_t len = strlen(log);

		fprintf(stderr, "fuzz: the verifier refused chain %s (%s): %s\n",
			base->name, t->def->name, strerror(-err));
		bpfgen_prog_dump(cp.prog, stderr);
		fprintf(stderr, "verifier log (tail):\n%s\n",
			len > 8192 ? log + len - 8192 : log);
		abort();
	}
	close(fd);
	ipb_compiled_release(&cp);
}

static void compile_table(struct ipb_table *t)
{
	const struct ipb_chain *c;

	ipb_table_count_refs(t);
	for (c = t->chains; c; c = c->next)
		if (c->builtin)
			check_chain(t, c);
}

static int new_table(struct ipb_table **t, uint8_t family, const char *name)
{
	const struct ipb_builtin_table *def = ipb_builtin_table_find(name);
	struct ipb_chain *c;

	/* nat never runs in BPF (bpf_sync.c) */
	if (!def || !strcmp(name, "nat"))
		return -EINVAL;
	if (ipb_table_new(t, family, def))
		abort();
	(*t)->in_kernel = true;
	for (c = (*t)->chains; c; c = c->next)
		c->in_kernel = true;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *line, *next;
	uint8_t family = NFPROTO_IPV4;
	struct ipb_table *t = NULL;

	line = text;
	if (!strncmp(line, "-6", 2) && (line[2] == '\n' || !line[2])) {
		family = NFPROTO_IPV6;
		line += line[2] ? 3 : 2;
	}
	fuzz_family(family, family == NFPROTO_IPV6 ? "ip6tables" :
						     "iptables");
	for (; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (line[0] == '*') {
			if (t)
				compile_table(t);
			ipb_table_free(t);
			t = NULL;
			if (new_table(&t, family, line + 1))
				break;
			continue;
		}
		if (!t && new_table(&t, family, "filter"))
			break;
		if (line[0] == '#' || line[0] == '\0' || !strcmp(line, "COMMIT"))
			continue;
		if (line[0] == ':')
			declare(t, line);
		else
			command(t, line);
	}
	if (t)
		compile_table(t);
	ipb_table_free(t);
	free(text);
	return 0;
}
