// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -j NFLOG: iptables-nft 1.8.9 writes the nf_tables "log" expression with
 * a group (what makes it nflog, not syslog), the prefix if any, the
 * snaplen only with --nflog-size (XT_NFLOG_F_COPY_LEN; the old
 * --nflog-range never reached the kernel) and a non-zero threshold.
 * It cannot run in BPF: a table holding it runs in nf_tables.
 */
#include <errno.h>
#include <stdio.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter/xt_NFLOG.h>

#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "extensions/ext.h"

static int nflog_to_nft(struct nftnl_rule *r, const struct ipb_rule *rule,
			const struct xt_entry_target *t)
{
	const struct xt_nflog_info *info = (const void *)t->data;
	struct nftnl_expr *e = nftnl_expr_alloc("log");

	if (!e)
		return -ENOMEM;
	if (info->prefix[0])
		nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, info->prefix);
	nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, info->group);
	if (info->flags & XT_NFLOG_F_COPY_LEN)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_SNAPLEN, info->len);
	if (info->threshold)
		nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_QTHRESHOLD,
				   info->threshold);
	nftnl_rule_add_expr(r, e);
	return 0;
}

static int nflog_from_nft_expr(struct ipb_rule *rule,
			       const struct nftnl_expr *e)
{
	struct xt_nflog_info *info;
	void *data;
	int err;

	/* a log without a group is nft's syslog logging: not iptables' */
	if (!nftnl_expr_is_set(e, NFTNL_EXPR_LOG_GROUP) ||
	    nftnl_expr_is_set(e, NFTNL_EXPR_LOG_LEVEL) ||
	    nftnl_expr_is_set(e, NFTNL_EXPR_LOG_FLAGS))
		return -EOPNOTSUPP;
	err = ipb_ext_target_set(rule, "NFLOG", &data);
	if (err)
		return err;
	info = data;
	info->group = nftnl_expr_get_u16(e, NFTNL_EXPR_LOG_GROUP);
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_PREFIX))
		snprintf(info->prefix, sizeof(info->prefix), "%s",
			 nftnl_expr_get_str(e, NFTNL_EXPR_LOG_PREFIX));
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_SNAPLEN)) {
		info->len = nftnl_expr_get_u32(e, NFTNL_EXPR_LOG_SNAPLEN);
		info->flags |= XT_NFLOG_F_COPY_LEN;
	}
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_QTHRESHOLD))
		info->threshold = nftnl_expr_get_u16(e,
						     NFTNL_EXPR_LOG_QTHRESHOLD);
	return 0;
}

const struct ipb_ext ipb_ext_NFLOG = {
	.name = "NFLOG",
	.is_target = true,
	.tg_to_nft = nflog_to_nft,
	.nft_expr_name = "log",
	.from_nft_expr = nflog_from_nft_expr,
};
