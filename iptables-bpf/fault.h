/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault injection for the tests (tests/cli/bpf-fault.bats), nothing else:
 * with IPTABLES_BPF_FAULT_STOP=<point> in the environment the command
 * stops itself (SIGSTOP) when it reaches the named point, so that a test
 * can kill -9 it exactly there.  Without the variable a point does
 * nothing.  The points, in the order a change passes them:
 *	before-commit	the tables are marked pending, nothing committed
 *	after-commit	nf_tables holds the new rules, no program changed
 *	after-swap	one hook runs its new program, the others not yet
 *	before-dormant	every hook runs its new program, the table is active
 *	before-carry	dormant, the counters not carried over yet
 *	before-clear	the BPF side is done, the pending mark still set
 *	before-handover	falling back: the table is still dormant
 */
#ifndef IPB_IPTABLES_BPF_FAULT_H
#define IPB_IPTABLES_BPF_FAULT_H

void ipb_fault_point(const char *name);

#endif
