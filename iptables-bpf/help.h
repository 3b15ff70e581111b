/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPB_IPTABLES_BPF_HELP_H
#define IPB_IPTABLES_BPF_HELP_H

struct ipb_invocation;

/* "iptables v1.8.9 (nf_tables) iptables-bpf 0.1.0" and the like. */
void ipb_print_version(const struct ipb_invocation *inv);
void ipb_print_help(const struct ipb_invocation *inv);

#endif
