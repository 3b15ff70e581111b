// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iptables-bpf-status: what runs where in this network namespace.  For
 * each family, table and hook: BPF (the program, its size, how many
 * rules it holds), nf_tables, or nothing; for each table one line that
 * says why, recomputed from the ruleset as it is now:
 *
 *	FAMILY  TABLE   HOOK     CHAIN    MODE  LINK  PROG  NAME ...
 *	ip      filter  input    INPUT    bpf   12    57    ipb4_filter_in
 *	...
 *	ip filter: bpf (the nf_tables table is dormant)
 *	ip nat: nf_tables: rule 1 of chain PREROUTING cannot run in BPF: ...
 *
 * It also finds the states nobody should be in: a dormant table with no
 * program at one of its hooks (nothing filters there: "BPF state lost",
 * e.g. after the pin root was unmounted), a program whose rules are not
 * the table's any more (nf_tables changed behind iptables-bpf's back),
 * pins of a table or chain that no longer exists (the program may
 * still filter), and a change a killed command left half-done.  Reads only; takes the lock so that it never sees a
 * half-made switch.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "bpfgen/bpfgen.h"
#include "iptables-bpf/bpf_sync.h"
#include "iptables-bpf/cache.h"
#include "iptables-bpf/compile.h"
#include "iptables-bpf/help.h"
#include "iptables-bpf/log.h"
#include "iptables-bpf/names.h"
#include "iptables-bpf/nl.h"
#include "iptables-bpf/parse.h"
#include "iptables-bpf/status.h"
#include "iptables-bpf/tables.h"
#include "iptables-bpf/util.h"

enum col {
	COL_FAMILY,
	COL_TABLE,
	COL_HOOK,
	COL_CHAIN,
	COL_MODE,
	COL_LINK,
	COL_PROG,
	COL_NAME,
	COL_INSNS,
	COL_JITED,
	COL_RULES,
	COL_PINS,	/* with -v */
	__COL_MAX
};

static const char *const col_head[] = {
	"FAMILY", "TABLE", "HOOK", "CHAIN", "MODE", "LINK", "PROG", "NAME",
	"INSNS", "JITED", "RULES", "PINS",
};

/* Numbers are right-aligned. */
static const bool col_right[__COL_MAX] = {
	[COL_LINK] = true, [COL_PROG] = true, [COL_INSNS] = true,
	[COL_JITED] = true, [COL_RULES] = true,
};

#define CELL_MAX 256

struct row {
	char cell[__COL_MAX][CELL_MAX];
};

/* What is printed: the grid, then one line per table. */
struct report {
	struct row *rows;
	size_t nrows, caprows;
	char **notes;
	size_t nnotes, capnotes;
	bool verbose;
	enum ipb_bpf_mode mode;
};

static const char *const hook_names[] = {
	[NF_INET_PRE_ROUTING] = "prerouting",
	[NF_INET_LOCAL_IN] = "input",
	[NF_INET_FORWARD] = "forward",
	[NF_INET_LOCAL_OUT] = "output",
	[NF_INET_POST_ROUTING] = "postrouting",
};

static void report_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	free(r->rows);
}

static struct row *row_add(struct report *r)
{
	struct row *row;
	int i;

	if (r->nrows == r->caprows) {
		size_t cap = r->caprows ? r->caprows * 2 : 16;
		struct row *n = realloc(r->rows, cap * sizeof(*n));

		if (!n)
			return NULL;
		r->rows = n;
		r->caprows = cap;
	}
	row = &r->rows[r->nrows++];
	for (i = 0; i < __COL_MAX; i++)
		snprintf(row->cell[i], CELL_MAX, "-");
	return row;
}

static void cell_set(struct row *row, enum col c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cell_set(struct row *row, enum col c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(row->cell[c], CELL_MAX, fmt, ap);
	va_end(ap);
}

static int note_add(struct report *r, char *note)
{
	if (!note)
		return -ENOMEM;
	if (r->nnotes == r->capnotes) {
		size_t cap = r->capnotes ? r->capnotes * 2 : 8;
		char **n = realloc(r->notes, cap * sizeof(*n));

		if (!n) {
			free(note);
			return -ENOMEM;
		}
		r->notes = n;
		r->capnotes = cap;
	}
	r->notes[r->nnotes++] = note;
	return 0;
}

static const char *family_name(uint8_t family)
{
	return family == NFPROTO_IPV6 ? "ip6" : "ip";
}

/* What one hook of one table looks like. */
struct hook_state {
	const struct ipb_builtin_chain *bc;
	bool chain;		/* the table has this base chain */
	bool attached;		/* a link is pinned and alive */
	bool pins;		/* the hook's pin directory exists */
	bool outdated;		/* the program counts other rules */
	struct bpfgen_hook_status st;
	uint32_t nslots;
};

/*
 * Does the program at @hs count the rules that @c reaches now?  The
 * slots map holds the rule handles in program order; a change made
 * without iptables-bpf (iptables-nft, nft) leaves it behind.
 */
static bool hook_outdated(const struct ipb_table *t, const struct ipb_chain *c,
			  const struct bpfgen_hook_spec *spec, uint32_t *nslots)
{
	_cleanup_free_ uint64_t *slots = NULL;
	struct ipb_compiled cp;
	struct ipb_why why;
	bool outdated;
	uint32_t n = 0;

	if (ipb_bpf_hook_slots(spec, &slots, &n))
		return true;
	*nslots = n;
	if (ipb_compile_chain(t, c, &cp, &why))
		return true;
	outdated = cp.nslots != n ||
		   memcmp(cp.slots, slots, n * sizeof(*slots));
	ipb_compiled_release(&cp);
	return outdated;
}

static void slots_count(const struct bpfgen_hook_spec *spec, uint32_t *n)
{
	uint64_t *slots = NULL;

	if (!ipb_bpf_hook_slots(spec, &slots, n))
		free(slots);
}

static bool slots_gone(const struct bpfgen_hook_spec *spec)
{
	int fd = -1, err = bpfgen_hook_slots_open(spec, &fd);

	if (fd >= 0)
		close(fd);
	return err == -ENOENT;
}

static void hook_probe(const struct ipb_table *t, struct hook_state *hs)
{
	const struct ipb_chain *c = ipb_table_find_chain(t, hs->bc->name);
	struct bpfgen_hook_spec spec;
	char dir[256];

	hs->chain = t->in_kernel && c && c->in_kernel;
	ipb_bpf_hook_spec(&spec, t->family, t->def, hs->bc);
	hs->pins = !bpfgen_hook_pin_dir(&spec, dir, sizeof(dir));
	hs->attached = !bpfgen_hook_query(&spec, &hs->st);
	if (hs->attached && slots_gone(&spec)) {
		size_t len = strlen(hs->st.missing);

		snprintf(hs->st.missing + len, sizeof(hs->st.missing) - len,
			 "%sslots", len ? "," : "");
	} else if (hs->attached && hs->chain) {
		hs->outdated = hook_outdated(t, c, &spec, &hs->nslots);
	}
	else if (hs->attached)
		slots_count(&spec, &hs->nslots);
	if (hs->pins && !hs->st.pin_dir[0])
		snprintf(hs->st.pin_dir, sizeof(hs->st.pin_dir), "%s", dir);
}

static const char *hook_mode(const struct ipb_table *t,
			     const struct hook_state *hs)
{
	bool dormant = t->flags & NFT_TABLE_F_DORMANT;

	if (!hs->chain)
		return hs->attached ? "bpf" : "none";
	if (dormant)
		return hs->attached ? "bpf" : "none";
	return hs->attached ? "nf_tables+bpf" : "nf_tables";
}

static int add_row(struct report *r, const struct ipb_table *t,
		   const struct hook_state *hs)
{
	struct row *row = row_add(r);

	if (!row)
		return -ENOMEM;
	cell_set(row, COL_FAMILY, "%s", family_name(t->family));
	cell_set(row, COL_TABLE, "%s", t->def->name);
	cell_set(row, COL_HOOK, "%s", hook_names[hs->bc->hook]);
	cell_set(row, COL_CHAIN, "%s", hs->bc->name);
	cell_set(row, COL_MODE, "%s", hook_mode(t, hs));
	if (hs->attached && !hs->st.prog_id) {
		cell_set(row, COL_LINK, "%" PRIu32, hs->st.link_id);
	} else if (hs->attached) {
		cell_set(row, COL_LINK, "%" PRIu32, hs->st.link_id);
		cell_set(row, COL_PROG, "%" PRIu32, hs->st.prog_id);
		cell_set(row, COL_NAME, "%s", hs->st.prog_name);
		cell_set(row, COL_INSNS, "%" PRIu32, hs->st.insn_cnt);
		cell_set(row, COL_JITED, "%" PRIu32, hs->st.jited_len);
		/* every rule has a slot; the policy has the last one */
		if (hs->nslots)
			cell_set(row, COL_RULES, "%" PRIu32, hs->nslots - 1);
	}
	if (hs->pins)
		cell_set(row, COL_PINS, "%s", hs->st.pin_dir);
	return 0;
}

/* ", input, output" of the hooks @pick selects, without the ", ". */
static void list_hooks(FILE *f, const struct hook_state *hs, unsigned int n,
		       bool (*pick)(const struct hook_state *))
{
	const char *sep = "";
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pick(&hs[i])) {
			fprintf(f, "%s%s", sep, hook_names[hs[i].bc->hook]);
			sep = ", ";
		}
}

static bool is_lost(const struct hook_state *hs)
{
	return hs->chain && !hs->attached;
}

static bool is_outdated(const struct hook_state *hs)
{
	return hs->chain && hs->attached && hs->outdated;
}

static bool is_stray(const struct hook_state *hs)
{
	return !hs->chain && (hs->attached || hs->pins);
}

static bool is_missing(const struct hook_state *hs)
{
	return hs->attached && hs->st.missing[0];
}

static bool is_attached(const struct hook_state *hs)
{
	return hs->attached;
}

static bool any(const struct hook_state *hs, unsigned int n,
		bool (*pick)(const struct hook_state *))
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pick(&hs[i]))
			return true;
	return false;
}

static void print_why(FILE *f, const struct ipb_why *why)
{
	if (why->rulenum)
		fprintf(f, "rule %u of chain %s cannot run in BPF: %s",
			why->rulenum, why->chain, why->reason);
	else if (why->chain[0] && strcmp(why->chain, "-"))
		fprintf(f, "chain %s: %s", why->chain, why->reason);
	else
		fprintf(f, "%s", why->reason);
}

/*
 * Why an active table runs in nf_tables, in the order the reasons
 * weigh: what the ruleset holds first, then the mode, then the kernel.
 */
static void active_reason(FILE *f, const struct ipb_table *t,
			  enum ipb_bpf_mode mode)
{
	struct ipb_why why = { 0 };
	int err;

	if (ipb_bpf_table_is_default(t)) {
		fprintf(f, "nothing to run in BPF (no rules, no user chains, policies ACCEPT)");
		return;
	}
	if (t->incompatible) {
		fprintf(f, "the table holds rules iptables did not write");
		return;
	}
	err = ipb_bpf_check(t, &why);
	if (err == -EOPNOTSUPP || (err && why.reason[0])) {
		print_why(f, &why);
		return;
	}
	if (err) {
		fprintf(f, "cannot tell: %s", strerror(-err));
		return;
	}
	if (mode == IPB_BPF_OFF) {
		fprintf(f, "the BPF mode is off");
		return;
	}
	memset(&why, 0, sizeof(why));
	err = ipb_bpf_check_load(t, &why);
	if (err) {
		print_why(f, &why);
		return;
	}
	fprintf(f, "the rules could run in BPF now; the last change was made with the BPF mode off, by another tool, or attaching failed (run the change with -v)");
}

static void pending_note(FILE *f, const struct ipb_table *t)
{
	if (bpfgen_pin_pending_is_set(t->family, t->def->name))
		fprintf(f, "; a change was interrupted before its BPF side was done (command killed?): the next %s command finishes it",
			t->family == NFPROTO_IPV6 ? "ip6tables-bpf" :
						    "iptables-bpf");
}

static void table_line(FILE *f, const struct ipb_table *t,
		       const struct hook_state *hs, unsigned int n,
		       enum ipb_bpf_mode mode)
{
	bool dormant = t->flags & NFT_TABLE_F_DORMANT;
	unsigned int i;

	fprintf(f, "%s %s: ", family_name(t->family), t->def->name);
	if (!t->in_kernel && !any(hs, n, is_stray)) {
		fprintf(f, "no such table");
		pending_note(f, t);
		return;
	}
	if (!t->in_kernel) {
		fprintf(f, "no such table, but BPF pins are left at ");
		list_hooks(f, hs, n, is_stray);
		if (any(hs, n, is_attached)) {
			fprintf(f, "; attached, so a program still filters at ");
			list_hooks(f, hs, n, is_attached);
		}
		pending_note(f, t);
		return;
	}
	if (dormant && any(hs, n, is_lost)) {
		fprintf(f, "BPF state lost at ");
		list_hooks(f, hs, n, is_lost);
		fprintf(f, ": the nf_tables table is dormant and no program is attached, so nothing of this table filters there; apply the ruleset again (iptables-bpf-save | iptables-bpf-restore)");
	} else if (dormant) {
		fprintf(f, "bpf (the nf_tables table is dormant)");
	} else {
		fprintf(f, "nf_tables: ");
		active_reason(f, t, mode);
	}
	if (dormant && any(hs, n, is_outdated)) {
		fprintf(f, "; the program at ");
		list_hooks(f, hs, n, is_outdated);
		fprintf(f, " does not hold the table's rules (changed without iptables-bpf?)");
	}
	if (!dormant && any(hs, n, is_attached)) {
		fprintf(f, "; a BPF program is attached too at ");
		list_hooks(f, hs, n, is_attached);
	}
	if (any(hs, n, is_stray)) {
		fprintf(f, "; BPF pins without a base chain at ");
		list_hooks(f, hs, n, is_stray);
	}
	for (i = 0; i < n; i++)
		if (hs[i].attached && !hs[i].st.prog_id)
			fprintf(f, "; no program behind the dispatcher at %s (the kernel empties a prog array whose pin is removed): every packet there is dropped until the next change",
				hook_names[hs[i].bc->hook]);
	for (i = 0; i < n; i++)
		if (is_missing(&hs[i]))
			fprintf(f, "; pins removed at %s (%s): the next change pins them again (counts kept there may be lost)",
				hook_names[hs[i].bc->hook], hs[i].st.missing);
	pending_note(f, t);
}

static int status_table(struct report *r, struct ipb_nl *nl, uint8_t family,
			const struct ipb_builtin_table *def)
{
	struct hook_state hs[IPB_MAX_BUILTIN_CHAINS];
	struct ipb_table *t = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	unsigned int i;
	int err;

	err = ipb_table_fetch(&t, nl, family, def);
	if (err)
		return err;
	memset(hs, 0, sizeof(hs));
	for (i = 0; i < def->nchains; i++) {
		hs[i].bc = &def->chains[i];
		hook_probe(t, &hs[i]);
	}
	if (!t->in_kernel && !any(hs, def->nchains, is_stray) &&
	    !bpfgen_pin_pending_is_set(family, def->name))
		goto out;
	for (i = 0; !err && i < def->nchains; i++)
		err = add_row(r, t, &hs[i]);
	if (!err)
		f = open_memstream(&buf, &len);
	if (!err && !f)
		err = -ENOMEM;
	if (!err) {
		table_line(f, t, hs, def->nchains, r->mode);
		fclose(f);
		err = note_add(r, buf);
	}
out:
	ipb_table_free(t);
	return err;
}

static void print_report(const struct report *r)
{
	size_t w[__COL_MAX], i;
	int c, ncols = r->verbose ? __COL_MAX : COL_PINS;

	for (c = 0; c < ncols; c++) {
		w[c] = strlen(col_head[c]);
		for (i = 0; i < r->nrows; i++)
			if (strlen(r->rows[i].cell[c]) > w[c])
				w[c] = strlen(r->rows[i].cell[c]);
	}
	for (i = 0; i <= r->nrows; i++) {
		for (c = 0; c < ncols; c++) {
			const char *s = i ? r->rows[i - 1].cell[c] :
					    col_head[c];
			bool last = c == ncols - 1;

			if (col_right[c])
				printf("%*s", (int)w[c], s);
			else if (last)
				printf("%s", s);
			else
				printf("%-*s", (int)w[c], s);
			printf(last ? "\n" : "  ");
		}
	}
	if (r->nnotes)
		printf("\n");
	for (i = 0; i < r->nnotes; i++)
		printf("%s\n", r->notes[i]);
}

/*
 * One family's rows and lines, made in a child process.  Reading rules
 * back needs libxtables initialised for the family (ipb_parse_init()),
 * and libxtables keeps one family per process: an extension library
 * loaded for IPv4 would not register its IPv6 parts.  The child writes
 * "R\tcell\t...\n" and "N\tline\n" records into a pipe.
 */
static void report_write(FILE *f, const struct report *r)
{
	size_t i;
	int c;

	for (i = 0; i < r->nrows; i++) {
		fputc('R', f);
		for (c = 0; c < __COL_MAX; c++)
			fprintf(f, "\t%s", r->rows[i].cell[c]);
		fputc('\n', f);
	}
	for (i = 0; i < r->nnotes; i++)
		fprintf(f, "N\t%s\n", r->notes[i]);
}

static int report_read_line(struct report *r, char *line)
{
	struct row *row;
	char *save = NULL, *tok;
	int c;

	line[strcspn(line, "\n")] = '\0';
	if (!strncmp(line, "N\t", 2))
		return note_add(r, strdup(line + 2));
	if (strncmp(line, "R\t", 2))
		return -EPROTO;
	row = row_add(r);
	if (!row)
		return -ENOMEM;
	tok = strtok_r(line + 2, "\t", &save);
	for (c = 0; tok && c < __COL_MAX; c++) {
		snprintf(row->cell[c], CELL_MAX, "%s", tok);
		tok = strtok_r(NULL, "\t", &save);
	}
	return c == __COL_MAX ? 0 : -EPROTO;
}

static int family_child(const struct ipb_invocation *inv, uint8_t family,
			const struct ipb_builtin_table *only,
			enum ipb_bpf_mode mode, bool verbose, FILE *out)
{
	struct report r = { .mode = mode, .verbose = verbose };
	struct ipb_nl *nl = NULL;
	unsigned int i;
	int err;

	ipb_parse_init(family, inv->progname);
	err = ipb_nl_open(&nl);
	if (err) {
		fprintf(stderr, "%s: cannot talk to nf_tables: %s\n",
			inv->progname, strerror(-err));
		return 1;
	}
	for (i = 0; !err && ipb_builtin_table_at(i); i++)
		if (!only || only == ipb_builtin_table_at(i))
			err = status_table(&r, nl, family,
					   ipb_builtin_table_at(i));
	ipb_nl_close(nl);
	if (err)
		fprintf(stderr, "%s: %s\n", inv->progname, strerror(-err));
	else
		report_write(out, &r);
	report_free(&r);
	return err ? 1 : 0;
}

static int family_report(struct report *r, const struct ipb_invocation *inv,
			 uint8_t family, const struct ipb_builtin_table *only)
{
	_cleanup_fclose_ FILE *in = NULL;
	_cleanup_free_ char *line = NULL;
	int fds[2], status, err = 0;
	size_t cap = 0;
	pid_t pid;

	/* no pipe2() without _GNU_SOURCE; nothing here runs exec() anyway */
	if (pipe(fds))
		return -errno;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (!pid) {
		FILE *out = fdopen(fds[1], "w");

		close(fds[0]);
		if (!out)
			_exit(1);
		status = family_child(inv, family, only, r->mode, r->verbose,
				      out);
		_exit(fclose(out) ? 1 : status);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	if (!in) {
		err = -errno;
		close(fds[0]);
	}
	while (in && getline(&line, &cap, in) > 0)
		if (!err)
			err = report_read_line(r, line);
	if (waitpid(pid, &status, 0) < 0 && !err)
		err = -errno;
	else if (!err && (!WIFEXITED(status) || WEXITSTATUS(status)))
		err = -ECHILD;
	return err;
}

static const struct option status_opts[] = {
	{ .name = "table", .has_arg = 1, .val = 't' },
	{ .name = "ipv4", .has_arg = 0, .val = '4' },
	{ .name = "ipv6", .has_arg = 0, .val = '6' },
	{ .name = "verbose", .has_arg = 0, .val = 'v' },
	{ .name = "clean", .has_arg = 0, .val = 'C' },
	{ .name = "version", .has_arg = 0, .val = 'V' },
	{ .name = "help", .has_arg = 0, .val = 'h' },
	{ NULL },
};

static void status_usage(const struct ipb_invocation *inv)
{
	printf("Usage: %s [-4|-6] [-t table] [-v] [--clean] [--bpf-mode=MODE]\n\n"
	       "Shows, for each family, table and hook of this network namespace,\n"
	       "whether BPF or nf_tables runs the rules, and why.\n\n"
	       "  -4, --ipv4         IPv4 only\n"
	       "  -6, --ipv6         IPv6 only (the default of ip6tables-bpf-status)\n"
	       "  -t, --table TABLE  this table only\n"
	       "  -v, --verbose      also the pin directory of each hook\n"
	       "      --clean        remove the pins of network namespaces that are gone\n"
	       "  -V, --version      print the version\n"
	       "  -h, --help         print this help\n",
	       inv->progname);
}

/*
 * Pins of network namespaces that are gone (bpfgen/pin_gc.c): they keep
 * each such namespace, its devices and hooks alive.  Listed from any
 * namespace (the pin root is the host's); removed with --clean.
 */
static int stale_netns(const struct ipb_invocation *inv, bool clean)
{
	const char *root = getenv("IPTABLES_BPF_PIN_ROOT");
	uint64_t *cookies = NULL;
	size_t n = 0, i;
	int err, ret = 0;

	if (!root || !*root)
		root = "/run/iptables-bpf";
	err = bpfgen_pin_stale_netns(&cookies, &n);
	if (err) {
		/* a view that cannot tell says nothing, unless asked to act */
		if (clean)
			fprintf(stderr, "%s: cannot tell which network namespaces are gone: %s\n",
				inv->progname,
				err == -EPERM ? "not in the initial PID namespace" :
						strerror(-err));
		return clean ? 1 : 0;
	}
	for (i = 0; i < n; i++) {
		if (!clean) {
			printf("%s/netns-%" PRIu64 ": pins of a network namespace that is gone; they keep it, its devices and hooks alive (--clean removes them)\n",
			       root, cookies[i]);
			continue;
		}
		err = bpfgen_pin_netns_remove(cookies[i]);
		if (err) {
			fprintf(stderr, "%s: %s/netns-%" PRIu64 ": %s\n",
				inv->progname, root, cookies[i],
				strerror(-err));
			ret = 1;
		} else {
			printf("%s/netns-%" PRIu64 ": removed the pins of a network namespace that is gone\n",
			       root, cookies[i]);
		}
	}
	free(cookies);
	return ret;
}

int ipb_status_main(const struct ipb_invocation *inv, int argc, char **argv)
{
	const struct ipb_builtin_table *only = NULL;
	struct report r = { 0 };
	bool v4 = inv->family == NFPROTO_IPV4, v6 = true;
	const char *bad = NULL;
	int c, mode, lock, err = 0, ret;
	bool clean = false;

	mode = ipb_bpf_mode_from(&argc, argv, &bad);
	if (mode < 0) {
		fprintf(stderr, "%s: unknown BPF mode `%s' (auto, require or off)\n",
			inv->progname, bad ? bad : "");
		return 2;
	}
	r.mode = mode;
	while ((c = getopt_long(argc, argv, "t:46vVh", status_opts, NULL)) !=
	       -1) {
		switch (c) {
		case 't':
			only = ipb_builtin_table_find(optarg);
			if (!only) {
				fprintf(stderr, "%s: Table `%s' does not exist\n",
					inv->progname, optarg);
				return 1;
			}
			break;
		case '4':
			v4 = true;
			v6 = false;
			break;
		case '6':
			v4 = false;
			v6 = true;
			break;
		case 'v':
			r.verbose = true;
			break;
		case 'C':
			clean = true;
			break;
		case 'V':
			ipb_print_version(inv);
			return 0;
		case 'h':
			status_usage(inv);
			return 0;
		default:
			fprintf(stderr, "Try `%s -h' for more information.\n",
				inv->progname);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unknown argument `%s'\n", inv->progname,
			argv[optind]);
		return 2;
	}
	lock = ipb_bpf_lock();
	if (v4)
		err = family_report(&r, inv, NFPROTO_IPV4, only);
	if (!err && v6)
		err = family_report(&r, inv, NFPROTO_IPV6, only);
	if (!err && r.nrows)
		print_report(&r);
	else if (!err)
		printf("no iptables tables and no BPF programs in this network namespace\n");
	fflush(stdout);
	ret = err ? 1 : 0;
	if (!err && stale_netns(inv, clean))
		ret = 1;
	if (lock >= 0)
		close(lock);
	report_free(&r);
	return ret;
}
