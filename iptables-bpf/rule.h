/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The family-neutral rule: what one iptables rule says, whether it came
 * from the command line, a restore file or the kernel.  Everything else
 * (nf_tables encoding, listing, BPF) works from this, for both families.
 */
#ifndef IPB_IPTABLES_BPF_RULE_H
#define IPB_IPTABLES_BPF_RULE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * glibc's <netinet/in.h> and <net/if.h> define what <linux/in.h> and
 * <linux/if.h> define; the kernel headers step aside only if glibc's came
 * first (linux/libc-compat.h), so every .c file includes those two before
 * any linux/ header.
 */
#include <netinet/in.h>
#include <net/if.h>

#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

struct xtables_match;
struct xtables_target;

/* Inversion bits: the same values as IPT_INV_* and IP6T_INV_*. */
enum ipb_inv {
	IPB_INV_IN = 0x01,
	IPB_INV_OUT = 0x02,
	IPB_INV_SRC = 0x08,
	IPB_INV_DST = 0x10,
	IPB_INV_FRAG = 0x20,
	IPB_INV_PROTO = 0x40,
};

/**
 * struct ipb_match - one -m instance of a rule
 * @xt: libxtables' descriptor of the match at this revision (shared,
 *	never freed by us)
 * @m: the match data as the kernel's x_tables takes it (owned)
 * @next: the next match, in command-line order
 */
struct ipb_match {
	struct xtables_match *xt;
	struct xt_entry_match *m;
	struct ipb_match *next;
};

enum ipb_verdict_kind {
	IPB_TARGET_NONE,	/* no -j: count only */
	IPB_TARGET_ACCEPT,
	IPB_TARGET_DROP,
	IPB_TARGET_RETURN,
	IPB_TARGET_QUEUE,	/* the standard target's NF_QUEUE */
	IPB_TARGET_JUMP,	/* -j <chain> */
	IPB_TARGET_GOTO,	/* -g <chain> */
	IPB_TARGET_EXT,		/* a target extension: REJECT, LOG, ... */
	__IPB_TARGET_MAX
};

/**
 * struct ipb_target - what a matching rule does
 * @kind: verdict, jump, goto or extension
 * @chain: the chain for JUMP and GOTO
 * @xt: libxtables' descriptor for EXT (shared), else NULL
 * @t: the target data for EXT (owned), else NULL
 */
struct ipb_target {
	enum ipb_verdict_kind kind;
	char chain[XT_EXTENSION_MAXNAMELEN + 2];
	struct xtables_target *xt;
	struct xt_entry_target *t;
};

/**
 * struct ipb_rule - one rule
 * @family: NFPROTO_IPV4 or NFPROTO_IPV6
 * @src: source address (network order), @smsk its mask
 * @dst: destination address, @dmsk its mask
 * @iniface: -i name, "" for any; a trailing '+' is iptables' wildcard
 * @outiface: -o name
 * @proto: -p protocol number, 0 for any
 * @frag: -f (IPv4 only): second and further fragments
 * @invflags: IPB_INV_* for the fields above
 * @matches: the -m matches in order (owned)
 * @target: the target
 * @counters: packets and bytes (-c on input; when read back, the BPF
 *	program's while BPF runs the table, else nf_tables')
 * @nft_counters: when read back, nf_tables' own counters
 * @handle: the nf_tables rule handle, 0 for a rule not in the kernel
 * @foreign: read back from the kernel but not a rule iptables writes (nft
 *	made it): it is listed as iptables-nft lists what it cannot parse,
 *	and keeps its table on nf_tables
 * @id: for a rule added by the transaction being built, its NFTA_RULE_ID
 *	(later messages of the batch refer to it by that), else 0
 * @next: the next rule of a list (a chain, or the rules one command made)
 */
struct ipb_rule {
	uint8_t family;
	union nf_inet_addr src, smsk, dst, dmsk;
	char iniface[IFNAMSIZ], outiface[IFNAMSIZ];
	uint16_t proto;
	bool frag;
	uint8_t invflags;
	struct ipb_match *matches;
	struct ipb_target target;
	struct xt_counters counters;
	struct xt_counters nft_counters;
	uint64_t handle;
	bool foreign;
	uint32_t id;
	struct ipb_rule *next;
};

/**
 * union ipb_xt_ip - the rule's core fields in the shape libxtables'
 * extension callbacks expect (struct ipt_ip or struct ip6t_ip6, picked by
 * family) as their "ip" or "entry" argument.
 */
union ipb_xt_entry {
	struct ipt_entry v4;
	struct ip6t_entry v6;
};

int ipb_rule_new(struct ipb_rule **out, uint8_t family);
/* Frees the rule and its matches and target data; not ->next. */
void ipb_rule_free(struct ipb_rule *r);
/* Frees a list linked by ->next. */
void ipb_rule_list_free(struct ipb_rule *r);
/* A deep copy: matches and target data duplicated; ->next is NULL. */
int ipb_rule_clone(struct ipb_rule **out, const struct ipb_rule *r);

/* Appends a match; takes ownership of @m on success. */
int ipb_rule_add_match(struct ipb_rule *r, struct xtables_match *xt,
		       struct xt_entry_match *m);
/* The last match of that name, or NULL. */
struct ipb_match *ipb_rule_find_match(const struct ipb_rule *r,
				      const char *name);
/* Sets an extension target; takes ownership of @t. */
void ipb_rule_set_target_ext(struct ipb_rule *r, struct xtables_target *xt,
			     struct xt_entry_target *t);

/* Fills @e for libxtables callbacks (print, save, parse). */
void ipb_rule_to_xt_entry(const struct ipb_rule *r, union ipb_xt_entry *e);
/* Takes the core fields from @e (parse.c's working copy). */
void ipb_rule_from_xt_entry(struct ipb_rule *r, const union ipb_xt_entry *e);

/* Same rule, as iptables compares for -C and -D (handles and counters
 * aside)?  Matches and targets compare over their userspacesize. */
bool ipb_rule_equal(const struct ipb_rule *a, const struct ipb_rule *b);

/*
 * A protocol's name as iptables prints it: /etc/protocols' (unless
 * @nolookup), else libxtables' short list ("all" for 0); NULL if none.
 */
const char *ipb_proto_name(uint16_t proto, bool nolookup);

static inline size_t ipb_addr_len(uint8_t family)
{
	return family == NFPROTO_IPV6 ? 16 : 4;
}

#endif
