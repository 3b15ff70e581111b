/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPB_IPTABLES_BPF_RESTORE_H
#define IPB_IPTABLES_BPF_RESTORE_H

struct ipb_invocation;

/* iptables-restore / ip6tables-restore; returns the exit code. */
int ipb_restore_main(const struct ipb_invocation *inv, int argc, char **argv);

#endif
