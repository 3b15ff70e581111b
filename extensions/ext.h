/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The extension interface: what one xtables match or target knows about
 * its own encodings.  Each extensions/<name>.c defines one
 * `const struct ipb_ext ipb_ext_<name>` listed in registry.c; the core
 * never switches on an extension's name.
 *
 * An extension that iptables-nft 1.8.9 writes as native nf_tables
 * expressions implements nft_is_native/to_nft and the from_nft_* reverse;
 * any other is written as the compat `match`/`target` expression by the
 * core.  to_bpf (bpfgen) is the same extension's BPF translation.
 */
#ifndef IPB_EXTENSIONS_EXT_H
#define IPB_EXTENSIONS_EXT_H

#include <stdbool.h>
#include <stdint.h>

/* Extensions work on the command's rule IR. */
#include "iptables-bpf/rule.h"

struct nftnl_rule;
struct nftnl_expr;
struct bpfgen_prog;

/**
 * struct ipb_nft_load - what the register holds when a cmp or range reads
 * it, as the reverse parser tracked it
 * @kind: IPB_LOAD_META or IPB_LOAD_PAYLOAD (IPB_LOAD_NONE: nothing known)
 * @key: the meta key (NFT_META_*)
 * @base: the payload base (NFT_PAYLOAD_*_HEADER)
 * @offset: the payload offset, @len its length in bytes
 * @has_bitwise: a bitwise (mask, xor) was applied after the load
 * @mask: the bitwise mask, @xor its xor
 */
struct ipb_nft_load {
	enum { IPB_LOAD_NONE, IPB_LOAD_META, IPB_LOAD_PAYLOAD } kind;
	uint32_t key;
	uint32_t base, offset, len;
	bool has_bitwise;
	uint8_t mask[16], xor[16];
};

/**
 * struct ipb_nft_cmp - one cmp or range on a loaded register
 * @load: what was loaded
 * @is_range: a range expression (from @data to @data_to), else a cmp
 * @op: NFT_CMP_* for a cmp, NFT_RANGE_* for a range
 * @data: the value compared with (network order as in the expression)
 * @data_to: the range's upper end
 * @len: length of @data in bytes
 */
struct ipb_nft_cmp {
	const struct ipb_nft_load *load;
	bool is_range;
	uint32_t op;
	uint8_t data[16], data_to[16];
	uint32_t len;
};

/**
 * struct ipb_ext - one match or target extension
 * @name: the xtables name ("tcp", "REJECT")
 * @is_target: a target, not a match
 * @nft_is_native: does iptables-nft 1.8.9 write this instance natively?
 *	NULL means never (compat expression)
 * @to_nft: append the native expressions for @m to @r; 0 or -errno,
 *	with a message for the user in *@errmsg where iptables-nft has one
 *	(-EINVAL, "TCP match requires '-p tcp'")
 * @from_nft_cmp: take a cmp/range the core did not claim: 0 if this
 *	extension consumed it (adding or updating its match in @rule),
 *	-ENOENT if not its own, other -errno on error
 * @nft_expr_name: the name of a non-cmp expression this extension reads
 *	back (e.g. "limit"), or NULL
 * @from_nft_expr: read back such an expression into @rule
 * @tg_to_nft: (targets) append the native expressions for @t; NULL: the
 *	compat target expression
 * @to_bpf: emit BPF that goes to the rule's fail label whenever nf_tables
 *	would find @m not matching, for this rule as iptables-nft encodes it
 *	(native expressions or the compat match, with their different
 *	handling of short and fragmented packets).  -EOPNOTSUPP if this
 *	instance cannot run in BPF: *@why says why, and the table stays on
 *	nf_tables.  NULL: never runs in BPF.
 */
struct ipb_ext {
	const char *name;
	bool is_target;
	bool (*nft_is_native)(const struct ipb_rule *rule,
			      const struct xt_entry_match *m);
	int (*to_nft)(struct nftnl_rule *r, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **errmsg);
	int (*from_nft_cmp)(struct ipb_rule *rule,
			    const struct ipb_nft_cmp *cmp);
	const char *nft_expr_name;
	int (*from_nft_expr)(struct ipb_rule *rule,
			     const struct nftnl_expr *e);
	int (*tg_to_nft)(struct nftnl_rule *r, const struct ipb_rule *rule,
			 const struct xt_entry_target *t);
	int (*to_bpf)(struct bpfgen_prog *p, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **why);
};

/* registry.c */
const struct ipb_ext *ipb_ext_find(const char *name, bool is_target);
/* Calls each extension's from_nft_cmp until one takes @cmp. */
int ipb_ext_from_nft_cmp(struct ipb_rule *rule, const struct ipb_nft_cmp *cmp);
/* The extension reading back expressions named @name, or NULL. */
const struct ipb_ext *ipb_ext_find_by_expr(const char *name);

/*
 * nft_expr.c: expression builders.  iptables-nft 1.8.9 uses register 1
 * (NFT_REG_1) for every load and compare; so do we, for byte-identical
 * rules.  Each returns 0 or -ENOMEM; the expression belongs to @r.
 */
int ipb_nft_add_meta(struct nftnl_rule *r, uint32_t key);
int ipb_nft_add_payload(struct nftnl_rule *r, uint32_t base, uint32_t offset,
			uint32_t len);
int ipb_nft_add_bitwise(struct nftnl_rule *r, const void *mask,
			const void *xor, uint32_t len);
int ipb_nft_add_cmp(struct nftnl_rule *r, uint32_t op, const void *data,
		    uint32_t len);
int ipb_nft_add_range(struct nftnl_rule *r, uint32_t op, const void *from,
		      const void *to, uint32_t len);
/* The compat expressions carrying x_tables data unchanged. */
int ipb_nft_add_compat_match(struct nftnl_rule *r,
			     const struct xt_entry_match *m);
int ipb_nft_add_compat_target(struct nftnl_rule *r,
			      const struct xt_entry_target *t);

/*
 * common.c: the match of name @name in @rule, added (initialised as
 * libxtables' init() does) if the rule has none yet.  Returns its data.
 */
int ipb_ext_match_get(struct ipb_rule *rule, const char *name, void **data);
/* A new match of name @name appended to @rule, always (one per
 * expression, as iptables-nft reads -m mark twice as two matches). */
int ipb_ext_match_add(struct ipb_rule *rule, const char *name, void **data);
/* Makes target @name (initialised as libxtables' init() does) the rule's
 * target; returns its data. */
int ipb_ext_target_set(struct ipb_rule *rule, const char *name, void **data);

#endif
