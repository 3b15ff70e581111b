// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: iptables-restore input.  The first line holds options, as
 * words: "-6" (ip6tables-restore), "-c"/"--counters", "-n"/"--noflush",
 * "-t"/"--test", "-T" TABLE; the rest is the restore file.  It is parsed
 * and batched against the (empty) tables of a private network namespace,
 * never committed (ipb_restore_dry_run()).
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>

#include "iptables-bpf/names.h"
#include "iptables-bpf/restore.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (fuzz_env_init())
		exit(77);
	return 0;
}

static void parse_header(char *line, struct ipb_restore_flags *f,
			 bool *v6)
{
	char *argv[FUZZ_MAX_ARGS];
	int argc = fuzz_split(line, "", argv), i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-6"))
			*v6 = true;
		else if (!strcmp(argv[i], "-c") ||
			 !strcmp(argv[i], "--counters"))
			f->counters = true;
		else if (!strcmp(argv[i], "-n") ||
			 !strcmp(argv[i], "--noflush"))
			f->noflush = true;
		else if (!strcmp(argv[i], "-t") || !strcmp(argv[i], "--test"))
			f->test = true;
		else if (!strcmp(argv[i], "-T") && i + 1 < argc)
			f->table = argv[++i];
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *body;
	struct ipb_restore_flags f = { 0 };
	struct ipb_invocation inv;
	bool v6 = false;

	/* what the tool reads from a file with NUL bytes in it */
	memcpy(text, data, size);
	ipb_restore_text_clean(text, size);
	body = strchr(text, '\n');
	if (body)
		*body++ = '\0';
	else
		body = text + strlen(text);
	parse_header(text, &f, &v6);
	ipb_invocation_from_argv0(&inv, v6 ? "ip6tables-restore" :
					     "iptables-restore");
	fuzz_family(inv.family, inv.progname);
	ipb_restore_dry_run(&inv, fuzz_nl(), body, &f);
	fuzz_disarm();
	free(text);
	return 0;
}
