/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPB_IPTABLES_BPF_COMPAT_REV_H
#define IPB_IPTABLES_BPF_COMPAT_REV_H

#include <stdint.h>

/*
 * libxtables' compat_rev callback: does the kernel's nft_compat know
 * revision @rev of match or target @name?  @opt is the x_tables sockopt
 * libxtables names the question by (IPT_SO_GET_REVISION_MATCH, ...).
 * Returns 1 if yes, 0 if not, as libxtables expects.
 */
int ipb_compat_revision(const char *name, uint8_t rev, int opt);

#endif
