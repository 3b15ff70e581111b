/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPB_IPTABLES_BPF_RESTORE_H
#define IPB_IPTABLES_BPF_RESTORE_H

#include <stdbool.h>

struct ipb_invocation;
struct ipb_nl;

/* iptables-restore's options a dry run takes (-c, -n, -t, -T). */
struct ipb_restore_flags {
	bool counters;
	bool noflush;
	bool test;
	const char *table;
};

/* iptables-restore / ip6tables-restore; returns the exit code. */
int ipb_restore_main(const struct ipb_invocation *inv, int argc, char **argv);

/*
 * Parses @text and builds its batch without committing (the fuzz
 * targets); parse errors return instead of exiting.  Returns the exit
 * code ipb_restore_main() would, printing the same messages.
 */
int ipb_restore_dry_run(const struct ipb_invocation *inv, struct ipb_nl *nl,
			const char *text, const struct ipb_restore_flags *f);

#endif
