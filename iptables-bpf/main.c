// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Multi-call entry point: argv[0] picks iptables, ip6tables, their -save or
 * -restore (names.c), then the tool's own main runs.
 */
#include <stdio.h>
#include <string.h>

#include "iptables-bpf/help.h"
#include "iptables-bpf/log.h"
#include "iptables-bpf/names.h"

int main(int argc, char *argv[])
{
	struct ipb_invocation inv;
	int i;

	if (ipb_invocation_from_argv0(&inv, argv[0]) < 0) {
		fprintf(stderr, "iptables-bpf: cannot tell the tool from argv[0]\n");
		return 1;
	}
	ipb_log_hook_libbpf();

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			ipb_print_version(&inv);
			return 0;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			ipb_print_help(&inv);
			return 0;
		}
	}
	fprintf(stderr, "%s: no command given yet: only -V and -h work\n",
		inv.progname);
	return 2;
}
