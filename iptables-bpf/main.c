// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Multi-call entry point: argv[0] picks iptables, ip6tables, their -save or
 * -restore (names.c), then that tool runs.  Errors come back here and are
 * printed in iptables-nft's words with its exit codes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iptables-bpf/cache.h"
#include "iptables-bpf/cmd.h"
#include "iptables-bpf/command.h"
#include "iptables-bpf/errmsg.h"
#include "iptables-bpf/help.h"
#include "iptables-bpf/log.h"
#include "iptables-bpf/names.h"
#include "iptables-bpf/nl.h"
#include "iptables-bpf/output.h"
#include "iptables-bpf/parse.h"
#include "iptables-bpf/restore.h"
#include "iptables-bpf/tables.h"
#include "iptables-bpf/txn.h"

/* Give up after this many rounds of "the ruleset changed under us". */
#define IPB_MAX_RESTARTS 64

static int print_error(const struct ipb_invocation *inv, const char *prog,
		       const struct ipb_error *e)
{
	switch (e->kind) {
	case IPB_ERR_PARAM:
		fprintf(stderr, "%s v%s (nf_tables): %s\n", prog,
			IPTABLES_COMPAT_VERSION, e->msg);
		fprintf(stderr,
			"Try `%s -h' or '%s --help' for more information.\n",
			prog, prog);
		break;
	case IPB_ERR_OP:
		fprintf(stderr, "%s: %s.\n", inv->basename, e->msg);
		break;
	case IPB_ERR_KERNEL:
	case IPB_ERR_RAW:
		fprintf(stderr, "%s v%s (nf_tables): %s\n", prog,
			IPTABLES_COMPAT_VERSION, e->msg);
		if (e->status == 3)
			fprintf(stderr,
				"Perhaps iptables or your kernel needs to be upgraded.\n");
		break;
	default:
		break;
	}
	return e->status;
}

static int open_netlink(const struct ipb_invocation *inv, const char *prog,
			struct ipb_nl **nl)
{
	int err = ipb_nl_open(nl);

	if (err) {
		fprintf(stderr, "%s/%s Failed to initialize nft: %s\n", prog,
			IPTABLES_COMPAT_VERSION, strerror(-err));
		return 1;
	}
	return 0;
}

/* One command, retried from a fresh read if the ruleset changed. */
static int run_command(struct ipb_nl *nl, const struct ipb_invocation *inv,
		       const struct ipb_cmd *cmd, struct ipb_error *e)
{
	int err = -ERESTART, tries;

	for (tries = 0; err == -ERESTART && tries < IPB_MAX_RESTARTS;
	     tries++) {
		struct ipb_txn *t = NULL;
		struct ipb_cmd work;

		err = ipb_cmd_copy(&work, cmd);
		if (!err)
			err = ipb_txn_new(&t, nl, inv->family);
		if (!err)
			err = ipb_command_apply(t, &work, e);
		if (!err)
			err = ipb_txn_commit(t, e);
		ipb_cmd_release(&work);
		ipb_txn_free(t);
	}
	if (err && e->kind == IPB_ERR_NONE)
		ipb_error_set(e, IPB_ERR_OP, "%s", strerror(-err));
	return err;
}

static int main_iptables(const struct ipb_invocation *inv, int argc,
			 char **argv)
{
	struct ipb_error e = { 0 };
	struct ipb_cmd cmd = { 0 };
	struct ipb_nl *nl = NULL;
	int err;

	ipb_parse_init(inv->family, inv->basename);
	ipb_parse_command(&cmd, argc, argv, false);
	ipb_log_set_level(cmd.verbose > 1 ? cmd.verbose - 1 : 0);
	if (open_netlink(inv, inv->basename, &nl))
		return 1;
	err = run_command(nl, inv, &cmd, &e);
	ipb_cmd_release(&cmd);
	ipb_nl_close(nl);
	fflush(stdout);
	return err ? print_error(inv, inv->basename, &e) : 0;
}

static void print_save_banner(const char *what, const char *prog)
{
	char buf[64];
	time_t now = time(NULL);

	strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", localtime(&now));
	printf("# %s by %s v%s (nf_tables) on %s\n", what, prog,
	       IPTABLES_COMPAT_VERSION, buf);
}

static const struct option save_opts[] = {
	{ .name = "counters", .has_arg = 0, .val = 'c' },
	{ .name = "version", .has_arg = 0, .val = 'V' },
	{ .name = "table", .has_arg = 1, .val = 't' },
	{ .name = "modprobe", .has_arg = 1, .val = 'M' },
	{ .name = "ipv4", .has_arg = 0, .val = '4' },
	{ .name = "ipv6", .has_arg = 0, .val = '6' },
	{ .name = "help", .has_arg = 0, .val = 'h' },
	{ NULL },
};

static int save_one(struct ipb_nl *nl, const struct ipb_invocation *inv,
		    const struct ipb_builtin_table *def, bool counters)
{
	struct ipb_table *t;
	int err;

	err = ipb_table_fetch(&t, nl, inv->family, def);
	if (err)
		return err;
	if (t->in_kernel) {
		print_save_banner("Generated", inv->progname);
		ipb_save_table(t, counters);
		print_save_banner("Completed", inv->progname);
	}
	ipb_table_free(t);
	return 0;
}

static int main_save(const struct ipb_invocation *inv, int argc, char **argv)
{
	const struct ipb_builtin_table *only = NULL;
	struct ipb_nl *nl = NULL;
	bool counters = false;
	unsigned int i;
	int c, err = 0;

	ipb_parse_init(inv->family, inv->progname);
	while ((c = getopt_long(argc, argv, "bcdt:M:f:V46h", save_opts,
				NULL)) != -1) {
		switch (c) {
		case 'c':
			counters = true;
			break;
		case 't':
			only = ipb_builtin_table_find(optarg);
			if (!only) {
				fprintf(stderr, "%s: Table `%s' does not exist\n",
					inv->progname, optarg);
				return 1;
			}
			break;
		case 'M':
		case 'b':
		case 'd':
		case '4':
		case '6':
			break;
		case 'V':
			ipb_print_version(inv);
			return 0;
		case 'h':
			ipb_print_help(inv);
			return 0;
		default:
			fprintf(stderr,
				"Look at manual page `%s.8' for more information.\n",
				inv->progname);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Unknown arguments found on commandline\n");
		return 1;
	}
	if (open_netlink(inv, inv->progname, &nl))
		return 1;
	for (i = 0; !err && ipb_builtin_table_at(i); i++)
		if (!only || only == ipb_builtin_table_at(i))
			err = save_one(nl, inv, ipb_builtin_table_at(i),
				       counters);
	ipb_nl_close(nl);
	if (err) {
		fprintf(stderr, "%s: %s\n", inv->progname, strerror(-err));
		return 1;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	struct ipb_invocation inv;

	if (ipb_invocation_from_argv0(&inv, argv[0]) < 0) {
		fprintf(stderr, "iptables-bpf: cannot tell the tool from argv[0]\n");
		return 1;
	}
	ipb_log_hook_libbpf();

	switch (inv.tool) {
	case IPB_TOOL_SAVE:
		return main_save(&inv, argc, argv);
	case IPB_TOOL_RESTORE:
		return ipb_restore_main(&inv, argc, argv);
	default:
		/* --version names iptables-bpf, not only iptables */
		if (argc == 2 && (!strcmp(argv[1], "-V") ||
				  !strcmp(argv[1], "--version"))) {
			ipb_print_version(&inv);
			return 0;
		}
		return main_iptables(&inv, argc, argv);
	}
}
