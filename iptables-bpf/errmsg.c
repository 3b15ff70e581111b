// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iptables-nft's messages for failed operations, keyed by operation and
 * errno as its nft_strerror() keys them, so that scripts matching on them
 * keep working.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "iptables-bpf/errmsg.h"

void ipb_error_set(struct ipb_error *e, enum ipb_err_kind kind,
		   const char *fmt, ...)
{
	va_list ap;

	e->kind = kind;
	switch (kind) {
	case IPB_ERR_PARAM:
		e->status = 2;
		break;
	case IPB_ERR_KERNEL:
		e->status = 4;
		break;
	default:
		e->status = 1;
		break;
	}
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

static const struct {
	enum ipb_op op;	/* IPB_OP_OTHER: any operation */
	int err;
	const char *msg;
} table[] = {
	{ IPB_OP_CHAIN_USER_DEL, ENOTEMPTY, "Chain is not empty" },
	{ IPB_OP_CHAIN_USER_DEL, EINVAL, "Can't delete built-in chain" },
	{ IPB_OP_CHAIN_USER_DEL, EBUSY, "Directory not empty" },
	{ IPB_OP_CHAIN_USER_DEL, EMLINK,
	  "Can't delete chain with references left" },
	{ IPB_OP_CHAIN_USER_ADD, EEXIST, "Chain already exists" },
	{ IPB_OP_CHAIN_RENAME, EEXIST, "File exists" },
	{ IPB_OP_RULE_INSERT, E2BIG, "Index of insertion too big" },
	{ IPB_OP_RULE_CHECK, ENOENT,
	  "Bad rule (does a matching rule exist in that chain?)" },
	{ IPB_OP_RULE_REPLACE, E2BIG, "Index of replacement too big" },
	{ IPB_OP_RULE_DELETE_NUM, E2BIG, "Index of deletion too big" },
	{ IPB_OP_RULE_DELETE, ENOENT,
	  "Bad rule (does a matching rule exist in that chain?)" },
	{ IPB_OP_CHAIN_SET, ENOMEM, "Bad built-in chain name" },
	{ IPB_OP_CHAIN_SET, EINVAL, "Bad policy name" },
	{ IPB_OP_CHAIN_SET, ENXIO, "Bad built-in chain name" },
	{ IPB_OP_OTHER, ELOOP, "Loop found in table" },
	{ IPB_OP_OTHER, EPERM, "Permission denied (you must be root)" },
	{ IPB_OP_OTHER, ENOMEM, "Memory allocation problem" },
	{ IPB_OP_OTHER, ENOENT, "No chain/target/match by that name" },
	{ IPB_OP_OTHER, EEXIST, "File exists" },
};

const char *ipb_op_strerror(int op, int err)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if ((table[i].op == IPB_OP_OTHER || table[i].op == op) &&
		    table[i].err == err)
			return table[i].msg;
	return strerror(err);
}
