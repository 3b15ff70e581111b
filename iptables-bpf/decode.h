/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPB_IPTABLES_BPF_DECODE_H
#define IPB_IPTABLES_BPF_DECODE_H

#include <stdint.h>

struct nftnl_rule;
struct ipb_rule;

/*
 * Reads back a rule as iptables-nft 1.8.9 (or iptables-bpf) wrote it.
 * Returns -EOPNOTSUPP for a rule holding anything iptables does not write
 * (a rule made with nft): the caller reports the table as incompatible
 * instead of listing it wrongly.  Requires libxtables initialised for
 * @family (compat matches are looked up there).
 */
int ipb_rule_decode(struct ipb_rule **out, const struct nftnl_rule *r,
		    uint8_t family);

#endif
