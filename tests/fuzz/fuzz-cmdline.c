// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the iptables command line.  The input holds one argument
 * per line, the first being the program name ("iptables" or "ip6tables",
 * which picks the family).  The command is parsed (libxtables parses the
 * extensions' options), then applied to a transaction against the
 * (empty) tables of a private network namespace, never committed.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>

#include "iptables-bpf/bpf_sync.h"
#include "iptables-bpf/cmd.h"
#include "iptables-bpf/command.h"
#include "iptables-bpf/errmsg.h"
#include "iptables-bpf/parse.h"
#include "iptables-bpf/run.h"
#include "iptables-bpf/txn.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (fuzz_env_init())
		exit(77);
	return 0;
}

/* One argument per line; returns argc. */
static int split_lines(char *text, char **argv)
{
	int argc = 0;
	char *p = text, *nl;

	while (argc < FUZZ_MAX_ARGS - 1 && (argc == 0 || *p)) {
		argv[argc++] = p;
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	argv[argc] = NULL;
	return argc;
}

static void apply(uint8_t family, struct ipb_cmd *cmd)
{
	struct ipb_error e = { 0 };
	struct ipb_txn *t = NULL;

	if (ipb_txn_new(&t, fuzz_nl(), family))
		return;
	ipb_command_apply(t, cmd, &e);
	ipb_txn_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* static: kept across the longjmp() of a parse error */
	static struct ipb_cmd cmd;
	static char *argv[FUZZ_MAX_ARGS];
	static char *text;
	enum ipb_bpf_mode mode;
	uint8_t family;
	int argc;

	text = fuzz_text(data, size);
	argc = split_lines(text, argv);
	family = !strncmp(argv[0], "ip6", 3) ? NFPROTO_IPV6 : NFPROTO_IPV4;
	/* the first line only picks the program */
	argv[0] = family == NFPROTO_IPV6 ? "ip6tables" : "iptables";
	memset(&cmd, 0, sizeof(cmd));
	if (ipb_bpf_mode_arg(&argc, argv, argv[0], &mode))
		goto out;
	fuzz_family(family, argv[0]);
	if (!setjmp(fuzz_jmp)) {
		fuzz_arm();
		ipb_parse_command(&cmd, argc, argv, false);
		fuzz_disarm();
		apply(family, &cmd);
	}
	fuzz_disarm();
out:
	ipb_cmd_release(&cmd);
	free(text);
	return 0;
}
