/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPB_IPTABLES_BPF_ENCODE_H
#define IPB_IPTABLES_BPF_ENCODE_H

struct nftnl_rule;
struct ipb_rule;

/*
 * Appends @rule's expressions to @r exactly as iptables-nft 1.8.9 writes
 * them: interfaces, protocol, addresses, fragment, matches (native or
 * compat), counter, verdict or target.  Also sets the rule's compat
 * protocol attributes.  Table, chain and family are the caller's.
 * On -EINVAL, *@errmsg may hold iptables-nft's message for the user.
 */
int ipb_rule_encode(struct nftnl_rule *r, const struct ipb_rule *rule,
		    const char **errmsg);

#endif
