/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One parsed iptables command, as parse.c makes it from a command line or
 * a restore line, and as command.c carries it out.
 */
#ifndef IPB_IPTABLES_BPF_CMD_H
#define IPB_IPTABLES_BPF_CMD_H

#include <stdbool.h>
#include <stdint.h>

struct ipb_rule;

/* Command bits, in iptables' order (its error messages name them by it). */
enum ipb_cmd_bits {
	IPB_CMD_INSERT = 1 << 0,
	IPB_CMD_DELETE = 1 << 1,
	IPB_CMD_DELETE_NUM = 1 << 2,
	IPB_CMD_REPLACE = 1 << 3,
	IPB_CMD_APPEND = 1 << 4,
	IPB_CMD_LIST = 1 << 5,
	IPB_CMD_FLUSH = 1 << 6,
	IPB_CMD_ZERO = 1 << 7,
	IPB_CMD_NEW_CHAIN = 1 << 8,
	IPB_CMD_DELETE_CHAIN = 1 << 9,
	IPB_CMD_SET_POLICY = 1 << 10,
	IPB_CMD_RENAME_CHAIN = 1 << 11,
	IPB_CMD_LIST_RULES = 1 << 12,
	IPB_CMD_ZERO_NUM = 1 << 13,
	IPB_CMD_CHECK = 1 << 14,
};
#define IPB_CMD_COUNT 15

/* Option bits, in iptables' order ("nsdpjvxio0cf"). */
enum ipb_opt_bits {
	IPB_OPT_NUMERIC = 1 << 0,
	IPB_OPT_SOURCE = 1 << 1,
	IPB_OPT_DESTINATION = 1 << 2,
	IPB_OPT_PROTOCOL = 1 << 3,
	IPB_OPT_JUMP = 1 << 4,
	IPB_OPT_VERBOSE = 1 << 5,
	IPB_OPT_EXPANDED = 1 << 6,
	IPB_OPT_VIANAMEIN = 1 << 7,
	IPB_OPT_VIANAMEOUT = 1 << 8,
	IPB_OPT_LINENUMBERS = 1 << 9,
	IPB_OPT_COUNTERS = 1 << 10,
	IPB_OPT_FRAGMENT = 1 << 11,
};
#define IPB_OPT_COUNT 12

/**
 * struct ipb_cmd - a parsed command
 * @command: IPB_CMD_* bits (-L may go with -Z)
 * @table: the table name (-t), "filter" by default
 * @chain: the chain the command names, or NULL
 * @newname: -E's new name
 * @policy: -P's policy
 * @rulenum: a rule number (1-based), 0 if none was given
 * @options: IPB_OPT_* bits
 * @verbose: how many -v
 * @rules: the rules the command carries: one per source and destination
 *	address pair, as iptables expands "-s a,b" (owned)
 * @counters: -c packets and bytes (for -P; rules carry their own)
 * @other_family: a restore line marked -4/-6 for the other family, to be
 *	skipped
 */
struct ipb_cmd {
	unsigned int command;
	const char *table;
	char *chain;
	char *newname;
	char *policy;
	unsigned int rulenum;
	unsigned int options;
	int verbose;
	struct ipb_rule *rules;
	uint64_t counters[2];
	bool other_family;
};

/* Frees the rules the command holds. */
void ipb_cmd_release(struct ipb_cmd *cmd);

#endif
