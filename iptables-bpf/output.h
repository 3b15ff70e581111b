/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The three ways iptables prints rules, character for character as
 * iptables-nft 1.8.9 prints them: -L (list.c), -S and iptables-save
 * (save.c), and the one-line echo of -v on rule commands.
 */
#ifndef IPB_IPTABLES_BPF_OUTPUT_H
#define IPB_IPTABLES_BPF_OUTPUT_H

#include <stdbool.h>

struct ipb_table;
struct ipb_chain;
struct ipb_rule;

/* -L [chain [rulenum]] with IPB_OPT_* @options. */
int ipb_list_table(const struct ipb_table *t, const struct ipb_chain *only,
		   unsigned int rulenum, unsigned int options);
/* -S [chain [rulenum]]; -v adds counters. */
int ipb_list_rules(const struct ipb_table *t, const struct ipb_chain *only,
		   unsigned int rulenum, unsigned int options);
/*
 * One table of iptables-save, @counters with -c.  Like the listings,
 * stops with -EPROTO at a rule iptables did not write (rule.h foreign).
 */
int ipb_save_table(const struct ipb_table *t, bool counters);
/* The rule as -v on -A, -I, -D, -C, -R echoes it. */
void ipb_print_rule_verbose(const struct ipb_rule *r, unsigned int options);
/* " -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j ACCEPT\n": a rule's
 * arguments as -S and save print them, with " -c P B" if @counters. */
void ipb_save_rule_args(const struct ipb_rule *r, bool counters);

#endif
