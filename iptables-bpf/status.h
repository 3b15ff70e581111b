/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPB_IPTABLES_BPF_STATUS_H
#define IPB_IPTABLES_BPF_STATUS_H

struct ipb_invocation;

/* iptables-bpf-status: what runs in BPF, what in nf_tables, and why.
 * Returns the exit code. */
int ipb_status_main(const struct ipb_invocation *inv, int argc, char **argv);

#endif
