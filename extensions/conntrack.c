// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m conntrack (revisions 1-3; iptables-nft 1.8.9 also writes -m state
 * as conntrack revision 3 through libxt_conntrack's alias).  Written as
 * the xt compat match, so nf_tables runs the kernel's conntrack_mt()
 * (net/netfilter/xt_conntrack.c); the BPF below follows it test by
 * test, in its order, reading the entry from skb->_nfct.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/xt_conntrack.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

/* What the revisions share, with ports as ranges in host order. */
struct ctinfo {
	const union nf_inet_addr *addr[4], *mask[4];
	uint16_t flags, inv;
	uint16_t state_mask, status_mask;
	uint16_t l4proto;
	uint16_t port_lo[4], port_hi[4];
};

/* mtinfo1 and 2 differ only in the width of the two masks */
static void from_v12(struct ctinfo *c, const struct xt_conntrack_mtinfo2 *i,
		     bool v1)
{
	const struct xt_conntrack_mtinfo1 *i1 = (const void *)i;
	const __be16 ports[4] = { i->origsrc_port, i->origdst_port,
				  i->replsrc_port, i->repldst_port };
	int k;

	for (k = 0; k < 4; k++)
		c->port_lo[k] = c->port_hi[k] = ntohs(ports[k]);
	c->state_mask = v1 ? i1->state_mask : i->state_mask;
	c->status_mask = v1 ? i1->status_mask : i->status_mask;
}

static int ctinfo_get(struct ctinfo *c, const struct xt_entry_match *m)
{
	/* mtinfo3 begins as mtinfo2 and 1 up to the masks */
	const struct xt_conntrack_mtinfo3 *i = (const void *)m->data;

	memset(c, 0, sizeof(*c));
	c->addr[0] = &i->origsrc_addr;
	c->mask[0] = &i->origsrc_mask;
	c->addr[1] = &i->origdst_addr;
	c->mask[1] = &i->origdst_mask;
	c->addr[2] = &i->replsrc_addr;
	c->mask[2] = &i->replsrc_mask;
	c->addr[3] = &i->repldst_addr;
	c->mask[3] = &i->repldst_mask;
	c->flags = i->match_flags;
	c->inv = i->invert_flags;
	c->l4proto = i->l4proto;
	switch (m->u.user.revision) {
	case 1:
	case 2:
		from_v12(c, (const void *)i, m->u.user.revision == 1);
		return 0;
	case 3:
		c->state_mask = i->state_mask;
		c->status_mask = i->status_mask;
		c->port_lo[0] = i->origsrc_port;
		c->port_hi[0] = i->origsrc_port_high;
		c->port_lo[1] = i->origdst_port;
		c->port_hi[1] = i->origdst_port_high;
		c->port_lo[2] = i->replsrc_port;
		c->port_hi[2] = i->replsrc_port_high;
		c->port_lo[3] = i->repldst_port;
		c->port_hi[3] = i->repldst_port_high;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * The statebit of conntrack_mt(): ctinfo's bit, INVALID without an
 * entry, UNTRACKED (bpfgen reports it as 16) for the untracked ctinfo,
 * plus SNAT/DNAT from the entry's status.  Left in r1.
 */
static void emit_statebit(struct bpfgen_prog *p, bool nat)
{
	int noct = bpfgen_label_new(p), plain = bpfgen_label_new(p);

	if (nat) {
		bpfgen_emit(p, BPFGEN_ST_MEM(BPF_DW, BPF_REG_9, BPFGEN_PI_TMP,
					     0));
		bpfgen_load_ct(p, BPF_REG_1, BPFGEN_CT_STATUS, noct);
		bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_2, BPF_REG_1));
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_RSH, BPF_REG_1,
						IPS_SRC_NAT_BIT));
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_1, 1));
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_1, 6));
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_RSH, BPF_REG_2,
						IPS_DST_NAT_BIT));
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_2, 1));
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_LSH, BPF_REG_2, 7));
		bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_OR, BPF_REG_1, BPF_REG_2));
		bpfgen_emit(p, BPFGEN_STX_MEM(BPF_DW, BPF_REG_9, BPF_REG_1,
					      BPFGEN_PI_TMP));
		bpfgen_label_place(p, noct);
	}
	bpfgen_load_ct(p, BPF_REG_1, BPFGEN_CT_STATE, -1);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, 16, plain);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_1,
					XT_CONNTRACK_STATE_UNTRACKED));
	bpfgen_label_place(p, plain);
	if (nat) {
		bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_9,
					      BPFGEN_PI_TMP));
		bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_OR, BPF_REG_1, BPF_REG_2));
	}
}

/* conntrack_addrcmp() on tuplehash[dir]'s src or dst, xor @inv. */
static void emit_addr(struct bpfgen_prog *p, int family, int dir, bool dst,
		      const union nf_inet_addr *a,
		      const union nf_inet_addr *m, bool inv)
{
	enum bpfgen_ct_tuple f = dst ? BPFGEN_CT_TUPLE_DST_ADDR :
				       BPFGEN_CT_TUPLE_SRC_ADDR;
	int fail = bpfgen_rule_fail_label(p);
	int differ = bpfgen_label_new(p), same = bpfgen_label_new(p);
	int w, words = family == NFPROTO_IPV6 ? 4 : 1;

	for (w = 0; w < words; w++) {
		uint32_t mw = m->all[w], aw = a->all[w] & mw;

		bpfgen_load_ct_tuple(p, BPF_REG_1, dir, f, w, -1);
		/* the words as the kernel reads them: host-order u32s */
		if (mw != 0xffffffff)
			bpfgen_emit(p, BPFGEN_ALU32_IMM(BPF_AND, BPF_REG_1,
							mw));
		bpfgen_emit_ld_imm64(p, BPF_REG_2, aw);
		bpfgen_emit_jmp_reg(p, BPF_JNE, BPF_REG_1, BPF_REG_2, differ);
	}
	bpfgen_emit_ja(p, inv ? fail : same);
	bpfgen_label_place(p, differ);
	if (!inv)
		bpfgen_emit_ja(p, fail);
	bpfgen_label_place(p, same);
}

static void emit_ports(struct bpfgen_prog *p, const struct ctinfo *c)
{
	static const struct {
		uint16_t flag;
		int dir;
		enum bpfgen_ct_tuple f;
	} port[4] = {
		{ XT_CONNTRACK_ORIGSRC_PORT, 0, BPFGEN_CT_TUPLE_SRC_PORT },
		{ XT_CONNTRACK_ORIGDST_PORT, 0, BPFGEN_CT_TUPLE_DST_PORT },
		{ XT_CONNTRACK_REPLSRC_PORT, 1, BPFGEN_CT_TUPLE_SRC_PORT },
		{ XT_CONNTRACK_REPLDST_PORT, 1, BPFGEN_CT_TUPLE_DST_PORT },
	};
	int k;

	/* ct_proto_port_check(_v3)(): nf_ct_protonum() is the original
	 * tuple's dst.protonum */
	if (c->flags & XT_CONNTRACK_PROTO) {
		bpfgen_load_ct_tuple(p, BPF_REG_1, 0, BPFGEN_CT_TUPLE_PROTO, 0,
				     -1);
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, c->l4proto, 2,
			       c->inv & XT_CONNTRACK_PROTO);
	}
	for (k = 0; k < 4; k++) {
		if (!(c->flags & port[k].flag))
			continue;
		bpfgen_load_ct_tuple(p, BPF_REG_1, port[k].dir, port[k].f, 0,
				     -1);
		bpfgen_cmp_range(p, BPF_REG_1, c->port_lo[k], c->port_hi[k],
				 c->inv & port[k].flag);
	}
}

#define KNOWN_FLAGS                                                          \
	(XT_CONNTRACK_STATE | XT_CONNTRACK_PROTO | XT_CONNTRACK_ORIGSRC |    \
	 XT_CONNTRACK_ORIGDST | XT_CONNTRACK_REPLSRC | XT_CONNTRACK_REPLDST | \
	 XT_CONNTRACK_STATUS | XT_CONNTRACK_ORIGSRC_PORT |                   \
	 XT_CONNTRACK_ORIGDST_PORT | XT_CONNTRACK_REPLSRC_PORT |             \
	 XT_CONNTRACK_REPLDST_PORT | XT_CONNTRACK_DIRECTION |                \
	 XT_CONNTRACK_STATE_ALIAS)

static int conntrack_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			    const struct xt_entry_match *m, const char **why)
{
	uint16_t nat = XT_CONNTRACK_STATE_SNAT | XT_CONNTRACK_STATE_DNAT;
	int fail = bpfgen_rule_fail_label(p), pass = bpfgen_label_new(p);
	int family = bpfgen_prog_family(p), k;
	struct ctinfo c;

	if (ctinfo_get(&c, m)) {
		*why = "conntrack match revision 0";
		return -EOPNOTSUPP;
	}
	if (c.flags & XT_CONNTRACK_EXPIRES) {
		/* nf_ct_expires() counts jiffies in HZ, which BTF
		 * does not tell */
		*why = "conntrack --ctexpire";
		return -EOPNOTSUPP;
	}
	if (c.flags & ~KNOWN_FLAGS) {
		*why = "conntrack match with unknown options";
		return -EOPNOTSUPP;
	}
	if (c.flags & XT_CONNTRACK_STATE) {
		emit_statebit(p, c.state_mask & nat);
		bpfgen_cmp_mask(p, BPF_REG_1, c.state_mask, 0,
				!(c.inv & XT_CONNTRACK_STATE));
	}
	if (!(c.flags & ~(XT_CONNTRACK_STATE | XT_CONNTRACK_STATE_ALIAS)) &&
	    (c.flags & XT_CONNTRACK_STATE))
		return 0;
	/* no entry: the match is its state test */
	bpfgen_load_ct(p, BPF_REG_1, BPFGEN_CT_DIRECTION,
		       c.flags & XT_CONNTRACK_STATE ? pass : fail);
	if (c.flags & XT_CONNTRACK_DIRECTION)
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, 0, 4,
			       c.inv & XT_CONNTRACK_DIRECTION);
	for (k = 0; k < 4; k++) {
		uint16_t flag = XT_CONNTRACK_ORIGSRC << k;

		if (c.flags & flag)
			emit_addr(p, family, k / 2, k % 2, c.addr[k],
				  c.mask[k], c.inv & flag);
	}
	emit_ports(p, &c);
	if (c.flags & XT_CONNTRACK_STATUS) {
		bpfgen_load_ct(p, BPF_REG_1, BPFGEN_CT_STATUS, -1);
		bpfgen_cmp_mask(p, BPF_REG_1, c.status_mask, 0,
				!(c.inv & XT_CONNTRACK_STATUS));
	}
	bpfgen_label_place(p, pass);
	return 0;
}

const struct ipb_ext ipb_ext_conntrack = {
	.name = "conntrack",
	.to_bpf = conntrack_to_bpf,
};
