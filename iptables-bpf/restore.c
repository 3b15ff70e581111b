// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iptables-restore: the whole input becomes one nf_tables transaction, so
 * an error anywhere leaves the kernel exactly as it was.
 *
 * Input: "*table" opens a table (deleted and made anew unless --noflush),
 * ":CHAIN POLICY [pkts:bytes]" declares a chain, command lines follow,
 * "COMMIT" closes the table.  '#' starts a comment line.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>

#include "iptables-bpf/cache.h"
#include "iptables-bpf/cmd.h"
#include "iptables-bpf/command.h"
#include "iptables-bpf/log.h"
#include "iptables-bpf/errmsg.h"
#include "iptables-bpf/help.h"
#include "iptables-bpf/names.h"
#include "iptables-bpf/nl.h"
#include "iptables-bpf/parse.h"
#include "iptables-bpf/restore.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/run.h"
#include "iptables-bpf/tables.h"
#include "iptables-bpf/txn.h"
#include "iptables-bpf/util.h"

#define IPB_RESTORE_MAX_ARGS 255
#define IPB_MAX_RESTARTS 64

struct restore_opts {
	bool counters;
	bool noflush;
	bool test;
	bool verbose;
	const char *table;	/* -T: only this table */
	const char *file;
};

/*
 * A table's lines wait for its COMMIT, as in iptables-nft-restore: only
 * then are they checked against the ruleset and batched, so that a
 * check failing there names the COMMIT line.
 */
struct pending {
	int line;
	char *decl;		/* a ":CHAIN POLICY [c]" line, or NULL */
	struct ipb_cmd cmd;	/* else the parsed command */
	char *text;		/* the argument strings' storage */
	bool have_counters;	/* "[pkts:bytes]" to set (see strip_counters) */
	unsigned long long pkts, bytes;
	struct pending *next;
};

struct restore_state {
	const struct ipb_invocation *inv;
	const struct restore_opts *opts;
	struct ipb_txn *txn;
	struct ipb_table *table;	/* the open table, NULL outside */
	const char *table_name;		/* its name (also in --test) */
	bool skip_table;		/* -T names another table */
	bool table_open;		/* between "*table" and COMMIT */
	struct pending *queue, **tail;	/* the open table's lines */
	int line;
	struct ipb_error err;
	int err_line;
	char *input;		/* restore_input()'s copy, for a dry run */
	char *scratch;		/* check_declaration()'s, the same */
};

static const struct option restore_long_opts[] = {
	{ .name = "counters", .has_arg = 0, .val = 'c' },
	{ .name = "verbose", .has_arg = 0, .val = 'v' },
	{ .name = "version", .has_arg = 0, .val = 'V' },
	{ .name = "test", .has_arg = 0, .val = 't' },
	{ .name = "help", .has_arg = 0, .val = 'h' },
	{ .name = "noflush", .has_arg = 0, .val = 'n' },
	{ .name = "modprobe", .has_arg = 1, .val = 'M' },
	{ .name = "table", .has_arg = 1, .val = 'T' },
	{ .name = "ipv4", .has_arg = 0, .val = '4' },
	{ .name = "ipv6", .has_arg = 0, .val = '6' },
	{ .name = "wait", .has_arg = 2, .val = 'w' },
	{ .name = "wait-interval", .has_arg = 2, .val = 'W' },
	{ NULL },
};

/* Reports @msg for the current line and stops the restore. */
static int fail_line(struct restore_state *s, const char *msg)
{
	ipb_error_set(&s->err, IPB_ERR_RAW, "%s", msg);
	s->err_line = s->line;
	return -EINVAL;
}

/* iptables-nft-restore's longest argument, plus one */
#define IPB_RESTORE_MAX_ARG 1024

/*
 * Splits a line into arguments as iptables-nft-restore 1.8.9 does: blanks,
 * tabs and newlines separate (other white space, \r included, is text); a
 * double quote opens a quoted part, inside which a backslash escapes the
 * next character and the closing quote ends the argument whatever follows
 * ('"a"b' is two arguments, '""' an empty one).  -E2BIG: too many
 * arguments, -ENAMETOOLONG: one too long.
 */
static int split_args(char *line, char **argv, int max)
{
	char *p, *out = NULL;
	bool quoted = false;
	int argc = 1;

	for (p = line; *p; p++) {
		if (!quoted && (*p == ' ' || *p == '\t' || *p == '\n')) {
			if (out)
				*out = '\0';
			out = NULL;
			continue;
		}
		if (!out) {
			if (argc >= max)
				return -E2BIG;
			argv[argc++] = out = p;
		}
		if (*p == '"') {
			quoted = !quoted;
			if (quoted)
				continue;
			*out = '\0';	/* out <= p: the quote is dropped */
			out = NULL;
			continue;
		}
		if (quoted && *p == '\\') {
			if (!p[1])
				break;
			p++;
		}
		*out++ = *p;
		if (out - argv[argc - 1] >= IPB_RESTORE_MAX_ARG)
			return -ENAMETOOLONG;
	}
	if (out)
		*out = '\0';
	argv[argc] = NULL;
	return argc;
}

static int open_table(struct restore_state *s, char *line)
{
	/* the first word names it, the rest is ignored (iptables-nft) */
	const char *name = strtok(line, " \t\n");
	const struct ipb_builtin_table *def;
	const struct ipb_chain *c;
	char msg[128];
	int err;

	if (!name) {
		snprintf(msg, sizeof(msg), "%s: line %d table name invalid",
			 s->inv->progname, s->line);
		ipb_parse_set_line(s->line);
		ipb_parse_fail(PARAMETER_PROBLEM, "%s", msg);
	}
	def = ipb_builtin_table_find(name);
	if (!def) {
		snprintf(msg, sizeof(msg), "%s: line %d table name '%s' invalid",
			 s->inv->progname, s->line, name);
		ipb_parse_set_line(s->line);
		ipb_parse_fail(PARAMETER_PROBLEM, "%s", msg);
	}
	s->skip_table = s->opts->table && strcmp(s->opts->table, name);
	s->table_name = def->name;
	s->table_open = true;
	/* --test only parses: no table is read, nothing checked against it */
	if (s->skip_table || s->opts->test)
		return 0;
	err = ipb_txn_table(s->txn, name, &s->table);
	if (err || s->opts->noflush)
		return err;
	if (s->opts->verbose)
		for (c = s->table->chains; c; c = c->next)
			if (c->builtin || c->in_kernel)
				printf("Flushing chain `%s'\n", c->name);
	return ipb_txn_delete_table(s->txn, s->table);
}

static int parse_counters(const char *text, uint64_t *pkts, uint64_t *bytes)
{
	return sscanf(text, "[%" SCNu64 ":%" SCNu64 "]", pkts, bytes) == 2 ? 0 :
									     -EINVAL;
}

/*
 * A chain line, checked when it is read (also with --test), in
 * iptables-nft-restore 1.8.9's order: a name, a valid one (as -N's), a
 * policy, and with --counters a built-in chain's "[pkts:bytes]".  Words
 * are separated by blanks, tabs and newlines only, as its strtok() does.
 */
static int check_declaration(struct restore_state *s, const char *line)
{
	char *copy = strdup(line + 1);
	char *name, *policy, *ctrs, *save = NULL, msg[160];
	const struct ipb_builtin_table *def;
	uint64_t pkts, bytes;

	if (!copy)
		return -ENOMEM;
	/* a dry run's parse error leaves by longjmp(): it frees this */
	s->scratch = copy;
	ipb_parse_set_line(s->line);
	name = strtok_r(copy, " \t\n", &save);
	if (!name) {
		snprintf(msg, sizeof(msg), "%s: line %d chain name invalid",
			 s->inv->progname, s->line);
		ipb_parse_fail(PARAMETER_PROBLEM, "%s", msg);
	}
	ipb_parse_chain_name(name);
	policy = strtok_r(NULL, " \t\n", &save);
	if (!policy) {
		snprintf(msg, sizeof(msg), "%s: line %d policy invalid",
			 s->inv->progname, s->line);
		ipb_parse_fail(PARAMETER_PROBLEM, "%s", msg);
	}
	def = ipb_builtin_table_find(s->table_name);
	if (s->opts->counters && def && ipb_builtin_chain_find(def, name)) {
		ctrs = strtok_r(NULL, " \t\n", &save);
		if (!ctrs || parse_counters(ctrs, &pkts, &bytes))
			ipb_parse_fail(PARAMETER_PROBLEM,
				       "invalid policy counters for chain '%s'",
				       name);
	}
	free(copy);
	s->scratch = NULL;
	return 0;
}

static int declare_chain(struct restore_state *s, char *line)
{
	char *name = strtok(line + 1, " \t\n");
	char *policy = strtok(NULL, " \t\n");
	char *ctrs = strtok(NULL, " \t\n");
	uint64_t counters[2] = { 0, 0 };
	struct ipb_chain *c;
	char msg[160];

	if (s->skip_table)
		return 0;
	if (!name)
		return fail_line(s, "");
	if (!policy) {
		snprintf(msg, sizeof(msg), "%s: line %d policy invalid",
			 s->inv->progname, s->line);
		ipb_parse_set_line(s->line);
		ipb_parse_fail(PARAMETER_PROBLEM, "%s", msg);
	}
	c = ipb_table_find_chain(s->table, name);
	/* a chain that is not built in is a user chain, whatever policy
	 * the line names (iptables-nft-restore 1.8.9) */
	if (!strcmp(policy, "-") || !c || !c->builtin) {
		if (!c)
			return ipb_txn_new_user_chain(s->txn, s->table, name);
		/* --noflush: a declared user chain starts empty */
		return c->builtin ? 0 :
				    ipb_txn_flush_chain(s->txn, s->table, c);
	}
	if (!c || !c->builtin) {
		ipb_error_set(&s->err, IPB_ERR_OP, "%s",
			      ipb_op_strerror(IPB_OP_CHAIN_SET, ENXIO));
		s->err_line = s->line;
		return -ENXIO;
	}
	if (strcmp(policy, "ACCEPT") && strcmp(policy, "DROP")) {
		ipb_error_set(&s->err, IPB_ERR_OP, "%s",
			      ipb_op_strerror(IPB_OP_CHAIN_SET, EINVAL));
		s->err_line = s->line;
		return -EINVAL;
	}
	if (s->opts->counters && ctrs)
		parse_counters(ctrs, &counters[0], &counters[1]);
	return ipb_txn_set_policy(s->txn, s->table, c,
				  strcmp(policy, "DROP") ? NF_ACCEPT : NF_DROP,
				  counters);
}

static int queue(struct restore_state *s, struct pending **out)
{
	struct pending *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->line = s->line;
	*s->tail = p;
	s->tail = &p->next;
	*out = p;
	return 0;
}

static void queue_free(struct restore_state *s)
{
	struct pending *p, *next;

	for (p = s->queue; p; p = next) {
		next = p->next;
		ipb_cmd_release(&p->cmd);
		free(p->text);
		free(p);
	}
	s->queue = NULL;
	s->tail = &s->queue;
}

/*
 * "[pkts:bytes] -A ...": with -c, iptables-nft-restore 1.8.9 takes the
 * counters as -c arguments (checked the same way); ip6tables-nft-restore
 * then drops them, as ip6tables-nft drops -c (see parse.c).
 */
static char *strip_counters(struct restore_state *s, struct pending *p,
			    char *line)
{
	char *end = strchr(line, ']'), *pcnt, *bcnt, *save = NULL;
	unsigned long long v;

	ipb_parse_set_line(s->line);
	if (!end)
		ipb_parse_fail(PARAMETER_PROBLEM, "Bad line %d: need ]",
			       s->line);
	/* iptables-nft-restore's strtok()s, odd inputs included: the
	 * counters are the text up to a ':', then up to a ']'; the command
	 * starts after the first ']' (where a NUL may now be) */
	pcnt = strtok_r(line + 1, ":", &save);
	if (!pcnt)
		ipb_parse_fail(PARAMETER_PROBLEM, "Bad line %d: need :",
			       s->line);
	bcnt = strtok_r(NULL, "]", &save);
	if (!bcnt)
		ipb_parse_fail(PARAMETER_PROBLEM, "Bad line %d: need ]",
			       s->line);
	if (s->opts->counters) {
		if (sscanf(pcnt, "%llu", &v) != 1)
			ipb_parse_fail(PARAMETER_PROBLEM,
				       "-c packet counter not numeric");
		p->pkts = v;
		if (sscanf(bcnt, "%llu", &v) != 1)
			ipb_parse_fail(PARAMETER_PROBLEM,
				       "-c byte counter not numeric");
		p->bytes = v;
		p->have_counters = s->inv->family == NFPROTO_IPV4;
	}
	return end + 1;
}

static int command_line(struct restore_state *s, const char *line)
{
	char *argv[IPB_RESTORE_MAX_ARGS + 1], *text;
	struct pending *p;
	int argc, err;

	if (s->skip_table)
		return 0;
	err = queue(s, &p);
	if (err)
		return err;
	/* with its newline, which an unterminated quote takes in, as
	 * iptables-restore's fgets() buffer has it */
	if (asprintf(&p->text, "%s\n", line) < 0) {
		p->text = NULL;
		return -ENOMEM;
	}
	text = p->text;
	if (text[0] == '[')
		text = strip_counters(s, p, text);
	argv[0] = (char *)s->inv->progname;
	argc = split_args(text, argv, IPB_RESTORE_MAX_ARGS);
	if (argc == -ENAMETOOLONG) {
		ipb_parse_set_line(s->line);
		ipb_parse_fail(PARAMETER_PROBLEM, "Parameter too long!");
	}
	if (argc < 0)
		return fail_line(s, "too many arguments");
	p->cmd.table = s->table_name;
	ipb_parse_set_line(s->line);
	ipb_parse_command(&p->cmd, argc, argv, true);
	if (s->opts->verbose)
		p->cmd.verbose = 1;
	return 0;
}

static int apply_command(struct restore_state *s, struct pending *p)
{
	int err;

	if (p->cmd.other_family)
		return 0;
	if (p->have_counters) {
		struct ipb_rule *r;

		for (r = p->cmd.rules; r; r = r->next) {
			r->counters.pcnt = p->pkts;
			r->counters.bcnt = p->bytes;
		}
	}
	s->txn->restore_line = p->line;
	err = ipb_command_apply(s->txn, &p->cmd, &s->err);
	/* a parameter problem found now is the COMMIT line's */
	if (err)
		s->err_line = s->err.kind == IPB_ERR_PARAM ? s->line : p->line;
	return err;
}

/* COMMIT: the table's queued lines, in order (--test: none). */
static int apply_queue(struct restore_state *s)
{
	struct pending *p;
	int err = 0;

	if (s->opts->test || s->skip_table) {
		queue_free(s);
		return 0;
	}

	for (p = s->queue; !err && p; p = p->next) {
		if (p->decl) {
			int line = s->line;

			s->line = p->line;
			err = declare_chain(s, p->decl);
			s->line = line;
		} else {
			err = apply_command(s, p);
		}
	}
	queue_free(s);
	return err;
}

static int restore_line(struct restore_state *s, char *line)
{
	size_t len = strlen(line);

	/* a \r stays: iptables-nft-restore reads it as text */
	while (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if (!strcmp(line, "COMMIT")) {
		int err;

		if (!s->table_open)
			return fail_line(s, "");
		err = apply_queue(s);
		s->table = NULL;
		s->table_open = false;
		s->skip_table = false;
		return err;
	}
	/* inside a table, "*nat" is a command line (a bad argument) */
	if (line[0] == '*' && !s->table_open)
		return open_table(s, line + 1);
	if (!s->table_open) {
		ipb_error_set(&s->err, IPB_ERR_RAW, "%s", "");
		s->err_line = s->line;
		return -EINVAL;
	}
	if (line[0] == ':') {
		struct pending *p;
		int err;

		if (s->skip_table)
			return 0;
		err = check_declaration(s, line);
		if (!err)
			err = queue(s, &p);
		if (!err)
			p->decl = line;
		return err;
	}
	return command_line(s, line);
}

/* Applies the whole input, held in @text; 0, or -errno with s->err. */
static int restore_input(struct restore_state *s, const char *text)
{
	_cleanup_free_ char *copy = strdup(text);
	char *line, *next;
	int err;

	if (!copy)
		return -ENOMEM;
	s->input = copy;
	s->line = 0;
	for (line = copy; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		s->line++;
		err = restore_line(s, line);
		if (err)
			return err;
	}
	if (s->table_open) {
		ipb_error_set(&s->err, IPB_ERR_RAW, "COMMIT expected at line %d",
			      s->line + 1);
		s->err_line = -2;
		return -EINVAL;
	}
	return 0;
}

size_t ipb_restore_text_clean(char *buf, size_t len)
{
	size_t in, out = 0;
	bool skip = false;

	for (in = 0; in < len; in++) {
		if (buf[in] == '\n')
			skip = false;
		else if (!buf[in])
			skip = true;
		if (!skip)
			buf[out++] = buf[in];
	}
	buf[out] = '\0';
	return out;
}

/* The whole input, read before anything is applied: a transaction that
 * must start again (ERESTART) reads it again from memory. */
static char *read_all(FILE *in)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap), *p;
	size_t n;

	if (!buf)
		return NULL;
	while ((n = fread(buf + len, 1, cap - len - 1, in)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
	}
	ipb_restore_text_clean(buf, len);
	return buf;
}

static int report(const struct restore_state *s)
{
	const struct ipb_error *e = &s->err;
	const char *prog = s->inv->progname;

	switch (e->kind) {
	case IPB_ERR_PARAM:
		fprintf(stderr, "%s v%s (nf_tables): %s\n", prog,
			IPTABLES_COMPAT_VERSION, e->msg);
		if (s->err_line > 0)
			fprintf(stderr, "Error occurred at line: %d\n",
				s->err_line);
		fprintf(stderr,
			"Try `%s -h' or '%s --help' for more information.\n",
			prog, prog);
		return 2;
	case IPB_ERR_KERNEL:
		fprintf(stderr, "%s v%s (nf_tables): %s\n", prog,
			IPTABLES_COMPAT_VERSION, e->msg);
		return 4;
	default:
		break;
	}
	if (s->err_line == -2) {
		fprintf(stderr, "%s: %s\n", prog, e->msg);
		return 1;
	}
	fprintf(stderr, "%s: line %d failed", prog, s->err_line);
	if (e->msg[0])
		fprintf(stderr, ": %s%s", e->msg,
			e->kind == IPB_ERR_OP ? "." : "");
	fprintf(stderr, "\n");
	return 1;
}

static void parse_restore_opts(const struct ipb_invocation *inv, int argc,
			       char **argv, struct restore_opts *o)
{
	int c;

	while ((c = getopt_long(argc, argv, "bcvVthnw::W::M:T:46",
				restore_long_opts, NULL)) != -1) {
		switch (c) {
		case 'w':
		case 'W':
			/* accepted, as iptables-nft-restore does; a value may
			 * follow as the next argument */
			if (!optarg && optind < argc &&
			    isdigit((unsigned char)argv[optind][0]))
				optind++;
			break;
		case 'b':
		case 'M':
			break;
		case 'c':
			o->counters = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'V':
			ipb_print_version(inv);
			exit(0);
		case 't':
			o->test = true;
			break;
		case 'h':
			ipb_print_help(inv);
			exit(0);
		case 'n':
			o->noflush = true;
			break;
		case 'T':
			o->table = optarg;
			break;
		case '4':
		case '6':
			break;
		default:
			fprintf(stderr,
				"Try `%s -h' for more information.\n",
				inv->progname);
			exit(1);
		}
	}
	if (optind == argc - 1)
		o->file = argv[optind];
	else if (optind < argc) {
		fprintf(stderr, "Unknown arguments found on commandline\n");
		exit(1);
	}
}

int ipb_restore_main(const struct ipb_invocation *inv, int argc, char **argv)
{
	struct restore_opts opts = { 0 };
	struct restore_state s = { .inv = inv, .opts = &opts };
	struct ipb_changed changed = { 0 };
	struct ipb_nl *nl = NULL;
	_cleanup_free_ char *text = NULL;
	enum ipb_bpf_mode mode;
	FILE *in = stdin;
	int err = -ERESTART, tries, lock, ret;

	ret = ipb_bpf_mode_arg(&argc, argv, inv->progname, &mode);
	if (ret)
		return ret;
	ipb_parse_init(inv->family, inv->progname);
	parse_restore_opts(inv, argc, argv, &opts);
	if (opts.file) {
		in = fopen(opts.file, "re");
		if (!in) {
			fprintf(stderr, "Can't open %s: %s\n", opts.file,
				strerror(errno));
			return 1;
		}
	}
	text = read_all(in);
	if (in != stdin)
		fclose(in);
	if (!text) {
		fprintf(stderr, "%s: %s\n", inv->progname, strerror(ENOMEM));
		return 1;
	}
	if (ipb_nl_open(&nl)) {
		fprintf(stderr, "%s/%s Failed to initialize nft: %s\n",
			inv->progname, IPTABLES_COMPAT_VERSION,
			strerror(errno));
		return 1;
	}
	lock = ipb_bpf_lock();
	ipb_log_stage("read input, netlink, lock");
	ipb_bpf_recover(nl, inv->family, mode, opts.verbose, inv->progname);
	for (tries = 0; err == -ERESTART && tries < IPB_MAX_RESTARTS;
	     tries++) {
		memset(&s.err, 0, sizeof(s.err));
		s.table = NULL;
		s.table_open = false;
		s.skip_table = false;
		s.queue = NULL;
		s.tail = &s.queue;
		err = ipb_txn_new(&s.txn, nl, inv->family);
		if (!err) {
			s.txn->for_bpf = mode != IPB_BPF_OFF;
			err = restore_input(&s, text);
		}
		ipb_log_stage("restore input (parse, encode)");
		if (!err && mode == IPB_BPF_REQUIRE) {
			err = ipb_check_required(s.txn, &s.err);
			s.err_line = -2;
		}
		if (!err && !opts.test) {
			ipb_bpf_mark_pending(s.txn, mode);
			err = ipb_txn_commit(s.txn, &s.err);
			ipb_log_stage("commit");
			if (err)
				s.err_line = s.err.line;
		}
		if (!err && !opts.test)
			ipb_note_changes(s.txn, &changed);
		queue_free(&s);
		ipb_txn_free(s.txn);
		s.txn = NULL;
		ipb_log_stage("free");
	}
	if (err)
		ipb_bpf_unmark(inv->family);
	ret = err ? report(&s) :
		    ipb_bpf_after_commit(nl, inv->family, &changed, mode,
					 opts.verbose, inv->progname);
	if (lock >= 0)
		close(lock);
	ipb_changed_release(&changed);
	ipb_nl_close(nl);
	return ret;
}

/*
 * A dry run for the fuzz targets: parse and batch @text as
 * ipb_restore_main() would, reading tables through @nl, but never commit.
 * A parse error that would end the process comes back here by longjmp()
 * instead, and everything the run holds is freed.
 */
static jmp_buf *dry_run_jmp;

static void dry_run_exit(int status)
{
	/* status 0 (help) must not look like setjmp()'s first return */
	longjmp(*dry_run_jmp, status + 1);
}

int ipb_restore_dry_run(const struct ipb_invocation *inv, struct ipb_nl *nl,
			const char *text, const struct ipb_restore_flags *f)
{
	struct restore_opts opts = {
		.counters = f->counters, .noflush = f->noflush,
		.test = f->test, .table = f->table,
	};
	struct restore_state *s = calloc(1, sizeof(*s));
	jmp_buf env;
	int ret;

	if (!s)
		return 1;
	s->inv = inv;
	s->opts = &opts;
	s->tail = &s->queue;
	dry_run_jmp = &env;
	ipb_parse_set_exit_hook(dry_run_exit);
	ret = setjmp(env);
	if (ret) {
		ret--;
		free(s->input);
		free(s->scratch);
	} else {
		ret = ipb_txn_new(&s->txn, nl, inv->family);
		if (!ret)
			ret = restore_input(s, text);
		ret = ret ? report(s) : 0;
	}
	ipb_parse_set_exit_hook(NULL);
	queue_free(s);
	ipb_txn_free(s->txn);
	free(s);
	return ret;
}
