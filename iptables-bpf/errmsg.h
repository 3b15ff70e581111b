/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Errors found after parsing, carried back to main.c, which prints them in
 * iptables-nft's words and exits with its codes.
 */
#ifndef IPB_IPTABLES_BPF_ERRMSG_H
#define IPB_IPTABLES_BPF_ERRMSG_H

#include <stdbool.h>

enum ipb_err_kind {
	IPB_ERR_NONE,
	/* a parameter problem: "<prog> v1.8.9 (nf_tables): <msg>" + try-help,
	 * exit 2 */
	IPB_ERR_PARAM,
	/* an operation refused by our checks: "iptables: <msg>.", exit 1 */
	IPB_ERR_OP,
	/* the kernel refused a batch message:
	 * "<prog> v1.8.9 (nf_tables):  <OP> failed (<strerror>): <what>",
	 * exit 4 */
	IPB_ERR_KERNEL,
	/* a plain message, printed as is, with its own status */
	IPB_ERR_RAW,
};

/**
 * struct ipb_error - what went wrong
 * @kind: how to print it
 * @status: the exit code
 * @msg: the message (without prefix)
 * @line: the restore input line it concerns, -1 if none
 */
struct ipb_error {
	enum ipb_err_kind kind;
	int status;
	char msg[512];
	int line;
};

void ipb_error_set(struct ipb_error *e, enum ipb_err_kind kind,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* iptables-nft's text for a failed operation's errno (nft_strerror). */
const char *ipb_op_strerror(int op, int err);

/* Operations, for ipb_op_strerror() (iptables-nft keys its table on them). */
enum ipb_op {
	IPB_OP_OTHER,
	IPB_OP_CHAIN_USER_DEL,
	IPB_OP_CHAIN_USER_ADD,
	IPB_OP_CHAIN_RENAME,
	IPB_OP_RULE_INSERT,
	IPB_OP_RULE_CHECK,
	IPB_OP_RULE_REPLACE,
	IPB_OP_RULE_DELETE_NUM,
	IPB_OP_RULE_DELETE,
	IPB_OP_CHAIN_SET,
};

#endif
