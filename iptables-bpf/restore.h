/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPB_IPTABLES_BPF_RESTORE_H
#define IPB_IPTABLES_BPF_RESTORE_H

#include <stdbool.h>
#include <stddef.h>

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
 * Makes @len bytes of input (@buf holds one more) what iptables-restore's
 * fgets() loop sees: a NUL byte ends its line there, the rest of the line
 * up to the newline is dropped, later lines count (a NUL must not end the
 * whole input, which would then apply only what came before it).  Returns
 * the new length; @buf is NUL-terminated.
 */
size_t ipb_restore_text_clean(char *buf, size_t len);
/*
 * Parses @text and builds its batch without committing (the fuzz
 * targets); parse errors return instead of exiting.  Returns the exit
 * code ipb_restore_main() would, printing the same messages.
 */
int ipb_restore_dry_run(const struct ipb_invocation *inv, struct ipb_nl *nl,
			const char *text, const struct ipb_restore_flags *f);

#endif
