/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A ruleset written as iptables command lines, compiled the way
 * iptables-bpf compiles what it reads back from nf_tables, without the
 * kernel's nf_tables: for BPF_PROG_TEST_RUN tests of the compiler and of
 * each extension's to_bpf.
 *
 *	static const char *const rules[] = {
 *		"-N sub",
 *		"-A INPUT -p tcp --dport 22 -j sub",
 *		"-A sub -s 10.0.0.0/8 -j DROP",
 *		"-P INPUT ACCEPT",
 *		NULL,
 *	};
 *	err = ruleset_build(NFPROTO_IPV4, "filter", "INPUT", rules, &prog,
 *			    why, sizeof(why));
 *
 * Lines take iptables' syntax after the program name (-A, -I, -N, -P in
 * the table's own chains).  Parsing uses libxtables and exits on a bad
 * line, as iptables does.  Returns 0, -EOPNOTSUPP with the reason in
 * @why when the ruleset cannot run in BPF, or another -errno.  Load the
 * program before the next build: the hash maps of grouped rules stay
 * open until then.
 */
#ifndef IPB_TESTS_LIB_RULESET_H
#define IPB_TESTS_LIB_RULESET_H

#include <stddef.h>
#include <stdint.h>

struct bpfgen_prog;

int ruleset_build(uint8_t family, const char *table, const char *chain,
		  const char *const *lines, struct bpfgen_prog **out,
		  char *why, size_t whysz);

#endif
