// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m limit: the nf_tables limit expression.  iptables-nft 1.8.9 picks the
 * largest unit (day, hour, minute, second) that still gives an exact
 * whole rate, and reads back avg = XT_LIMIT_SCALE * unit / rate.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/xt_limit.h>

#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

/* nf_tables' default burst for a packet limit without one */
#define NFT_LIMIT_PKT_BURST_DEFAULT 5
#define NSEC_PER_SEC 1000000000ULL

static bool limit_nft_is_native(const struct ipb_rule *rule,
				const struct xt_entry_match *m)
{
	return true;
}

/* The rate and unit (seconds) iptables-nft writes for @info. */
static int limit_nft_rate(const struct xt_rateinfo *info, uint64_t *rate,
			  uint64_t *unit)
{
	static const uint32_t mult[] = {
		XT_LIMIT_SCALE * 24 * 60 * 60,
		XT_LIMIT_SCALE * 60 * 60,
		XT_LIMIT_SCALE * 60,
		XT_LIMIT_SCALE,
	};
	unsigned int i;

	if (!info->avg)
		return -EINVAL;
	for (i = 1; i < sizeof(mult) / sizeof(mult[0]); i++)
		if (info->avg > mult[i] ||
		    mult[i] / info->avg < mult[i] % info->avg)
			break;
	*rate = mult[i - 1] / info->avg;
	*unit = mult[i - 1] / XT_LIMIT_SCALE;
	return 0;
}

static int limit_to_nft(struct nftnl_rule *r, const struct ipb_rule *rule,
			const struct xt_entry_match *m, const char **errmsg)
{
	const struct xt_rateinfo *info = (const void *)m->data;
	uint64_t rate, unit;
	struct nftnl_expr *e;
	int err;

	err = limit_nft_rate(info, &rate, &unit);
	if (err)
		return err;
	e = nftnl_expr_alloc("limit");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS, 0);
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, rate);
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, unit);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, info->burst);
	nftnl_rule_add_expr(r, e);
	return 0;
}

static int limit_from_nft_expr(struct ipb_rule *rule,
			       const struct nftnl_expr *e)
{
	uint64_t rate = nftnl_expr_get_u64(e, NFTNL_EXPR_LIMIT_RATE);
	uint64_t unit = nftnl_expr_get_u64(e, NFTNL_EXPR_LIMIT_UNIT);
	struct xt_rateinfo *info;
	void *data;
	int err;

	if (nftnl_expr_get_u32(e, NFTNL_EXPR_LIMIT_TYPE) != NFT_LIMIT_PKTS ||
	    nftnl_expr_get_u32(e, NFTNL_EXPR_LIMIT_FLAGS) || !rate)
		return -EOPNOTSUPP;
	err = ipb_ext_match_add(rule, "limit", &data);
	if (err)
		return err;
	info = data;
	info->avg = XT_LIMIT_SCALE * unit / rate;
	info->burst = nftnl_expr_get_u32(e, NFTNL_EXPR_LIMIT_BURST);
	return 0;
}

/*
 * The nft limit expression as nft_limit_init() and
 * nft_limit_pkts_init() set it up from what limit_to_nft() writes:
 * nsecs = unit * NSEC_PER_SEC, cost = nsecs / rate per packet, a
 * bucket of cost * burst (burst 0 means 5), starting full; then
 * nft_limit_eval() per packet (bpfgen_match_limit()).  iptables-nft
 * writes no inversion flag.
 */
static int limit_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			const struct xt_entry_match *m, const char **why)
{
	const struct xt_rateinfo *info = (const void *)m->data;
	uint64_t rate, unit, nsecs, cost, burst = info->burst;

	if (limit_nft_rate(info, &rate, &unit) || !rate) {
		*why = "limit with a zero rate";
		return -EOPNOTSUPP;
	}
	nsecs = unit * NSEC_PER_SEC;
	if (!burst)
		burst = NFT_LIMIT_PKT_BURST_DEFAULT;
	cost = nsecs / rate;
	if (cost && burst > UINT64_MAX / cost) {
		*why = "limit bucket overflows";
		return -EOPNOTSUPP;
	}
	bpfgen_match_limit(p, ipb_ext_state_key(rule, m), cost, cost * burst,
			   false);
	return 0;
}

const struct ipb_ext ipb_ext_limit = {
	.name = "limit",
	.nft_is_native = limit_nft_is_native,
	.to_nft = limit_to_nft,
	.nft_expr_name = "limit",
	.from_nft_expr = limit_from_nft_expr,
	.to_bpf = limit_to_bpf,
};
