// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rulesets built through the bpfgen API, run on packets with
 * BPF_PROG_TEST_RUN: each case asserts the verdict.  The rules are
 * written the way the front end will drive bpfgen for what iptables-nft
 * 1.8.9 puts into nf_tables, with the iptables rule in the comment.
 */
#include <errno.h>
#include <netinet/in.h>
#include <unistd.h>

#include <linux/netfilter.h>

#include "bpfgen/bpfgen.h"
#include "tests/lib/bpfrun.h"
#include "tests/lib/ipb_test.h"
#include "tests/lib/pkt.h"

IPB_TEST_STATE_DEFINE;

static const struct bpfgen_verdict V_ACCEPT = { BPFGEN_VERDICT_ACCEPT, 0 };
static const struct bpfgen_verdict V_DROP = { BPFGEN_VERDICT_DROP, 0 };
static const struct bpfgen_verdict V_RETURN = { BPFGEN_VERDICT_RETURN, 0 };

/* --dport/--sport as a native nft payload compare: short = no match. */
static void port(struct bpfgen_prog *p, bool dst, uint16_t v, bool invert,
		 bool hotdrop)
{
	int fail = bpfgen_rule_fail_label(p);

	bpfgen_load_l4(p, BPF_REG_1, dst ? 2 : 0, 2,
		       hotdrop ? bpfgen_hotdrop_label(p) : fail);
	bpfgen_ntoh(p, BPF_REG_1, 2);
	bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, v, 2, invert);
}

static uint32_t ip4(const char *s)
{
	uint32_t a;

	inet_pton(AF_INET, s, &a);
	return a;
}

/* -A INPUT [!] -s 10.0.0.0/8 -p tcp [!] --dport 22 -j DROP; policy ACCEPT */
static int ssh_rule(struct bpfgen_prog *p, bool inv_src, bool inv_port)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, 0);
	bpfgen_match_ip4(p, false, ip4("10.0.0.0"), ip4("255.0.0.0"), inv_src);
	bpfgen_match_l4proto(p, IPPROTO_TCP, false);
	port(p, true, 22, inv_port, false);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, 1);
}

static int r_ssh(struct bpfgen_prog *p) { return ssh_rule(p, false, false); }
static int r_ssh_not_src(struct bpfgen_prog *p) { return ssh_rule(p, true, false); }
static int r_ssh_not_port(struct bpfgen_prog *p) { return ssh_rule(p, false, true); }

/* -p udp --dport 53 -j DROP, native (no match) or xt compat (hotdrop) */
static int udp_rule(struct bpfgen_prog *p, bool hotdrop, bool invert)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_UDP, false);
	port(p, true, 53, invert, hotdrop);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

static int r_udp53(struct bpfgen_prog *p) { return udp_rule(p, false, false); }
static int r_udp53_inv(struct bpfgen_prog *p) { return udp_rule(p, false, true); }
static int r_udp53_xt(struct bpfgen_prog *p) { return udp_rule(p, true, false); }

/* [!] -p tcp -j DROP */
static int r_tcp(struct bpfgen_prog *p)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_TCP, false);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

static int r_not_tcp(struct bpfgen_prog *p)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_TCP, true);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

/*
 * A transport compare alone (as an extension may emit): th dport == 0.
 * Without a transport protocol the copy is all zero, so only the
 * length check keeps this from matching.
 */
static int r_dport0(struct bpfgen_prog *p)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	port(p, true, 0, false, false);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

/* -p ah -j DROP */
static int r_ah(struct bpfgen_prog *p)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_AH, false);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

/* ip6tables -p icmpv6 -j DROP */
static int r_icmp6(struct bpfgen_prog *p)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_ICMPV6, false);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

/* [!] -f -j DROP */
static int frag_rule(struct bpfgen_prog *p, bool invert)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_frag(p, invert);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

static int r_frag(struct bpfgen_prog *p) { return frag_rule(p, false); }
static int r_not_frag(struct bpfgen_prog *p) { return frag_rule(p, true); }

/* -A INPUT [!] -i/-o NAME -j DROP */
static int iface_rule(struct bpfgen_prog *p, bool out, const char *name,
		      bool invert)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_iface(p, out, name, invert);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

/*
 * Test-run gives every hook state->out = the loopback device and no
 * state->in (measured on Linux 6.18), so "-o" sees "lo" and "-i" sees
 * no device, which nft's meta iifname reads as "".
 */
static int r_out_lo(struct bpfgen_prog *p) { return iface_rule(p, true, "lo", false); }
static int r_out_lplus(struct bpfgen_prog *p) { return iface_rule(p, true, "l+", false); }
static int r_out_lo0(struct bpfgen_prog *p) { return iface_rule(p, true, "lo0", false); }
static int r_out_l(struct bpfgen_prog *p) { return iface_rule(p, true, "l", false); }
static int r_out_ethplus(struct bpfgen_prog *p) { return iface_rule(p, true, "eth+", false); }
static int r_not_out_ethplus(struct bpfgen_prog *p) { return iface_rule(p, true, "eth+", true); }
static int r_not_out_lo(struct bpfgen_prog *p) { return iface_rule(p, true, "lo", true); }
static int r_out_plus(struct bpfgen_prog *p) { return iface_rule(p, true, "+", false); }
static int r_in_lo(struct bpfgen_prog *p) { return iface_rule(p, false, "lo", false); }
static int r_not_in_lo(struct bpfgen_prog *p) { return iface_rule(p, false, "lo", true); }
static int r_not_in_plus(struct bpfgen_prog *p) { return iface_rule(p, false, "+", true); }

/*
 * -P INPUT ACCEPT
 * -A INPUT -p tcp -j A
 * -A INPUT -p tcp --dport 23 -j DROP
 * -A INPUT -p udp -g B
 * -A INPUT -p udp -j DROP
 * -A A -p tcp --dport 22 -j ACCEPT
 * -A A -p tcp --dport 23 -j RETURN
 * -A A -p tcp --dport 24 -j DROP
 * -A B -p udp --dport 53 -j ACCEPT
 */
static int r_chains(struct bpfgen_prog *p)
{
	struct bpfgen_verdict jump_a = { BPFGEN_VERDICT_JUMP, 1 };
	struct bpfgen_verdict goto_b = { BPFGEN_VERDICT_GOTO, 2 };
	static const int a_ports[] = { 22, 23, 24 };
	const struct bpfgen_verdict *a_verdicts[] = {
		&V_ACCEPT, &V_RETURN, &V_DROP,
	};
	int i;

	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_TCP, false);
	bpfgen_rule_end(p, &jump_a);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_TCP, false);
	port(p, true, 23, false, false);
	bpfgen_rule_end(p, &V_DROP);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_UDP, false);
	bpfgen_rule_end(p, &goto_b);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_UDP, false);
	bpfgen_rule_end(p, &V_DROP);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);

	bpfgen_user_chain_begin(p, 1);
	for (i = 0; i < 3; i++) {
		bpfgen_rule_begin(p, -1);
		bpfgen_match_l4proto(p, IPPROTO_TCP, false);
		port(p, true, a_ports[i], false, false);
		bpfgen_rule_end(p, a_verdicts[i]);
	}
	bpfgen_user_chain_end(p);

	bpfgen_user_chain_begin(p, 2);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_UDP, false);
	port(p, true, 53, false, false);
	bpfgen_rule_end(p, &V_ACCEPT);
	bpfgen_user_chain_end(p);

	/* Never jumped to: dropped at finish, or the verifier would balk. */
	bpfgen_user_chain_begin(p, 3);
	bpfgen_rule_begin(p, -1);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_user_chain_end(p);
}

/* -P INPUT DROP; -A INPUT -j RETURN: RETURN in a base chain = policy. */
static int r_base_return(struct bpfgen_prog *p)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_rule_end(p, &V_RETURN);
	bpfgen_rule_begin(p, -1);
	bpfgen_rule_end(p, &V_ACCEPT);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_DROP, -1);
}

/* -A INPUT -s 2001:db8::/32 -p tcp --dport 22 -j DROP */
static int r_ssh6(struct bpfgen_prog *p)
{
	uint8_t a[16], m[16] = { 0xff, 0xff, 0xff, 0xff };

	inet_pton(AF_INET6, "2001:db8::", a);
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, 0);
	bpfgen_match_ip6(p, false, a, m, false);
	bpfgen_match_l4proto(p, IPPROTO_TCP, false);
	port(p, true, 22, false, false);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

/* -A INPUT ! -d 2001:db8::1/128 -j DROP */
static int r_not_dst6(struct bpfgen_prog *p)
{
	uint8_t a[16], m[16];

	inet_pton(AF_INET6, "2001:db8::1", a);
	memset(m, 0xff, sizeof(m));
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_ip6(p, true, a, m, true);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

/* -m state --state INVALID -j DROP; -m state --state ESTABLISHED -j ACCEPT */
static int ct_state_rule(struct bpfgen_prog *p, uint32_t bits)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_load_ct(p, BPF_REG_1, BPFGEN_CT_STATE, -1);
	bpfgen_cmp_mask(p, BPF_REG_1, bits, 0, true);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

static int r_ct_invalid(struct bpfgen_prog *p) { return ct_state_rule(p, 1); }
static int r_ct_untracked(struct bpfgen_prog *p) { return ct_state_rule(p, 16); }
static int r_ct_est(struct bpfgen_prog *p) { return ct_state_rule(p, 2); }

/* ct mark 0 -> DROP: no entry, so the ct expression breaks: no match. */
static int r_ct_mark(struct bpfgen_prog *p)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_load_ct(p, BPF_REG_1, BPFGEN_CT_MARK, -1);
	bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, 0, 4, false);
	bpfgen_rule_end(p, &V_DROP);
	bpfgen_rule_begin(p, -1);
	bpfgen_load_ct(p, BPF_REG_2, BPFGEN_CT_STATUS, -1);
	bpfgen_rule_end(p, &V_DROP);
	bpfgen_rule_begin(p, -1);
	bpfgen_load_ct(p, BPF_REG_3, BPFGEN_CT_DIRECTION, -1);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

/*
 * Meta keys, each a rule that ACCEPTs when wrong (so a wrong load shows
 * as ACCEPT) and a last rule that DROPs: mark 0, len 48, nfproto,
 * pkttype PACKET_HOST (0), no iif, oif 1 (lo), l4proto tcp, cpu < 4096.
 */
static int r_meta(struct bpfgen_prog *p)
{
	static const struct {
		enum bpfgen_meta key;
		uint64_t v;
		enum bpfgen_cmp op;
	} checks[] = {
		{ BPFGEN_META_MARK, 0, BPFGEN_CMP_EQ },
		{ BPFGEN_META_LEN, 40, BPFGEN_CMP_EQ },
		{ BPFGEN_META_NFPROTO, NFPROTO_IPV4, BPFGEN_CMP_EQ },
		{ BPFGEN_META_PKTTYPE, 0, BPFGEN_CMP_EQ },
		{ BPFGEN_META_IIF, 0, BPFGEN_CMP_EQ },
		{ BPFGEN_META_OIF, 1, BPFGEN_CMP_EQ },
		{ BPFGEN_META_L4PROTO, IPPROTO_TCP, BPFGEN_CMP_EQ },
		{ BPFGEN_META_CPU, 4096, BPFGEN_CMP_LT },
	};
	size_t i;

	bpfgen_chain_begin(p, 0);
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		bpfgen_rule_begin(p, -1);
		bpfgen_load_meta(p, BPF_REG_1, checks[i].key);
		bpfgen_cmp_imm(p, BPF_REG_1, checks[i].op, checks[i].v, 8,
			       true);
		bpfgen_rule_end(p, &V_ACCEPT);
	}
	bpfgen_rule_begin(p, -1);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

/* -m multiport-like ranges: --dport 1000:2000 and ! --sport 0:1023 */
static int r_range(struct bpfgen_prog *p)
{
	int fail;

	bpfgen_chain_begin(p, 0);
	fail = bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_UDP, false);
	bpfgen_load_l4(p, BPF_REG_1, 2, 2, fail);
	bpfgen_ntoh(p, BPF_REG_1, 2);
	bpfgen_cmp_range(p, BPF_REG_1, 1000, 2000, false);
	bpfgen_load_l4(p, BPF_REG_1, 0, 2, fail);
	bpfgen_ntoh(p, BPF_REG_1, 2);
	bpfgen_cmp_range(p, BPF_REG_1, 0, 1023, true);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

/* ---- packets -------------------------------------------------------- */

static void tcp4(struct pkt *pk, int hook, const char *src, uint16_t dport)
{
	pkt_begin(pk, NFPROTO_IPV4, hook);
	pkt_ip4(pk, IPPROTO_TCP, src, "192.168.0.1");
	pkt_tcp(pk, 40000, dport);
	pkt_end(pk);
}

static void p_tcp22_in(struct pkt *pk) { tcp4(pk, NF_INET_LOCAL_IN, "10.1.2.3", 22); }
static void p_tcp22_pre(struct pkt *pk) { tcp4(pk, NF_INET_PRE_ROUTING, "10.1.2.3", 22); }
static void p_tcp22_fwd(struct pkt *pk) { tcp4(pk, NF_INET_FORWARD, "10.1.2.3", 22); }
static void p_tcp22_post(struct pkt *pk) { tcp4(pk, NF_INET_POST_ROUTING, "10.1.2.3", 22); }
static void p_tcp22_out(struct pkt *pk) { tcp4(pk, NF_INET_LOCAL_OUT, "10.1.2.3", 22); }
static void p_tcp23_in(struct pkt *pk) { tcp4(pk, NF_INET_LOCAL_IN, "10.1.2.3", 23); }
static void p_tcp24_in(struct pkt *pk) { tcp4(pk, NF_INET_LOCAL_IN, "10.1.2.3", 24); }
static void p_tcp25_in(struct pkt *pk) { tcp4(pk, NF_INET_LOCAL_IN, "10.1.2.3", 25); }
static void p_tcp22_other_src(struct pkt *pk) { tcp4(pk, NF_INET_LOCAL_IN, "11.1.2.3", 22); }

static void p_tcp22_opts(struct pkt *pk)
{
	pkt_begin(pk, NFPROTO_IPV4, NF_INET_LOCAL_IN);
	pkt_ip4_opt(pk, IPPROTO_TCP, "10.1.2.3", "192.168.0.1", 8);
	pkt_tcp(pk, 40000, 22);
	pkt_end(pk);
}

/*
 * tot_len claims more than the packet holds.  The stack drops such a
 * packet before PRE_ROUTING; nft's ip family would still take l4proto
 * and the transport offset from the header, and so do we.
 */
static void p_tcp22_lying_len(struct pkt *pk)
{
	uint16_t v = htons(200);

	tcp4(pk, NF_INET_LOCAL_IN, "10.1.2.3", 22);
	memcpy(pk->buf + pk->l3 + 2, &v, 2);
}

static void udp4(struct pkt *pk, uint16_t sport, uint16_t dport, size_t cut)
{
	pkt_begin(pk, NFPROTO_IPV4, NF_INET_LOCAL_IN);
	pkt_ip4(pk, IPPROTO_UDP, "10.0.0.1", "10.0.0.2");
	pkt_udp(pk, sport, dport);
	pkt_cut(pk, cut);
	pkt_end(pk);
}

static void p_udp53(struct pkt *pk) { udp4(pk, 1234, 53, 0); }
static void p_udp54(struct pkt *pk) { udp4(pk, 1234, 54, 0); }
static void p_udp53_short(struct pkt *pk) { udp4(pk, 1234, 53, 5); }
static void p_udp_1500_from_80(struct pkt *pk) { udp4(pk, 80, 1500, 0); }
static void p_udp_1500_from_5000(struct pkt *pk) { udp4(pk, 5000, 1500, 0); }
static void p_udp_2500_from_5000(struct pkt *pk) { udp4(pk, 5000, 2500, 0); }

static void p_icmp4(struct pkt *pk)
{
	pkt_begin(pk, NFPROTO_IPV4, NF_INET_LOCAL_IN);
	pkt_ip4(pk, IPPROTO_ICMP, "10.0.0.1", "10.0.0.2");
	pkt_icmp(pk, 8, 0);
	pkt_end(pk);
}

static void frag4(struct pkt *pk, int off, bool more)
{
	pkt_begin(pk, NFPROTO_IPV4, NF_INET_LOCAL_IN);
	pkt_ip4(pk, IPPROTO_UDP, "10.0.0.1", "10.0.0.2");
	pkt_ip4_frag(pk, off, more);
	pkt_payload(pk, 16);
	pkt_end(pk);
}

static void p_frag_first(struct pkt *pk) { frag4(pk, 0, true); }
static void p_frag_1(struct pkt *pk) { frag4(pk, 1, false); }

/* A non-first fragment whose payload has 53 where a dport would be. */
static void p_frag_udp53(struct pkt *pk)
{
	pkt_begin(pk, NFPROTO_IPV4, NF_INET_LOCAL_IN);
	pkt_ip4(pk, IPPROTO_UDP, "10.0.0.1", "10.0.0.2");
	pkt_ip4_frag(pk, 100, false);
	pkt_udp(pk, 7, 53);
	pkt_end(pk);
}

static void tcp6(struct pkt *pk, const char *src, uint16_t dport)
{
	pkt_begin(pk, NFPROTO_IPV6, NF_INET_LOCAL_IN);
	pkt_ip6(pk, IPPROTO_TCP, src, "2001:db8::1");
	pkt_tcp(pk, 40000, dport);
	pkt_end(pk);
}

static void p6_tcp22(struct pkt *pk) { tcp6(pk, "2001:db8::2", 22); }
static void p6_tcp22_other(struct pkt *pk) { tcp6(pk, "2001:db9::2", 22); }
static void p6_tcp80(struct pkt *pk) { tcp6(pk, "2001:db8::2", 80); }

static void p6_tcp22_out(struct pkt *pk)
{
	pkt_begin(pk, NFPROTO_IPV6, NF_INET_LOCAL_OUT);
	pkt_ip6(pk, IPPROTO_TCP, "2001:db8::2", "2001:db8::1");
	pkt_tcp(pk, 40000, 22);
	pkt_end(pk);
}

static void p6_to_other(struct pkt *pk)
{
	pkt_begin(pk, NFPROTO_IPV6, NF_INET_LOCAL_IN);
	pkt_ip6(pk, IPPROTO_TCP, "2001:db8::2", "2001:db8::99");
	pkt_tcp(pk, 40000, 22);
	pkt_end(pk);
}

/* hop-by-hop, routing, destination options, first fragment, TCP */
static void p6_exthdrs(struct pkt *pk)
{
	pkt_begin(pk, NFPROTO_IPV6, NF_INET_LOCAL_IN);
	pkt_ip6(pk, IPPROTO_HOPOPTS, "2001:db8::2", "2001:db8::1");
	pkt_ext6(pk, IPPROTO_ROUTING, 8);
	pkt_ext6(pk, IPPROTO_DSTOPTS, 24);
	pkt_ext6(pk, IPPROTO_FRAGMENT, 16);
	pkt_frag6(pk, IPPROTO_TCP, 0, true);
	pkt_tcp(pk, 40000, 22);
	pkt_end(pk);
}

/* nine extension headers: more than the unrolled walk takes */
static void p6_too_many(struct pkt *pk)
{
	int i;

	pkt_begin(pk, NFPROTO_IPV6, NF_INET_LOCAL_IN);
	pkt_ip6(pk, IPPROTO_DSTOPTS, "2001:db8::2", "2001:db8::1");
	for (i = 0; i < 8; i++)
		pkt_ext6(pk, IPPROTO_DSTOPTS, 8);
	pkt_ext6(pk, IPPROTO_TCP, 8);
	pkt_tcp(pk, 40000, 22);
	pkt_end(pk);
}

/* An echo request behind a hop-by-hop header (as MLD sends them). */
static void p6_icmp6(struct pkt *pk)
{
	pkt_begin(pk, NFPROTO_IPV6, NF_INET_PRE_ROUTING);
	pkt_ip6(pk, IPPROTO_HOPOPTS, "2001:db8::2", "2001:db8::1");
	pkt_ext6(pk, IPPROTO_ICMPV6, 8);
	pkt_icmp(pk, 128, 0);
	pkt_end(pk);
}

/* TCP behind AH: nf_tables stops at AH, l4proto is 51. */
static void p6_ah_tcp(struct pkt *pk)
{
	pkt_begin(pk, NFPROTO_IPV6, NF_INET_LOCAL_IN);
	pkt_ip6(pk, IPPROTO_AH, "2001:db8::2", "2001:db8::1");
	pkt_ah6(pk, IPPROTO_TCP, 16);
	pkt_tcp(pk, 40000, 22);
	pkt_end(pk);
}

/*
 * Non-first fragment: l4proto TCP, transport offset 0, so "dport" reads
 * IPv6 header bytes 2-3 (flow label) as nf_tables does.
 */
static void frag6(struct pkt *pk, uint16_t flow16)
{
	pkt_begin(pk, NFPROTO_IPV6, NF_INET_LOCAL_IN);
	pkt_ip6(pk, IPPROTO_FRAGMENT, "2001:db8::2", "2001:db8::1");
	pkt_ip6_flow16(pk, flow16);
	pkt_frag6(pk, IPPROTO_TCP, 64, false);
	pkt_payload(pk, 24);
	pkt_end(pk);
}

static void p6_frag_flow22(struct pkt *pk) { frag6(pk, 22); }
static void p6_frag_flow80(struct pkt *pk) { frag6(pk, 80); }

/*
 * A hop-by-hop header claiming 64 bytes in a packet with 10 left, then
 * @next.  With TCP next, ipv6_find_hdr() stops without reading past the
 * end: l4proto TCP at an offset beyond the packet.  With an extension
 * header next, reading it fails: no l4proto.
 */
static void trunc_ext6(struct pkt *pk, int next)
{
	pkt_begin(pk, NFPROTO_IPV6, NF_INET_LOCAL_IN);
	pkt_ip6(pk, IPPROTO_HOPOPTS, "2001:db8::2", "2001:db8::1");
	pkt_ext6(pk, next, 8);
	pk->buf[pk->len - 7] = 7;	/* hdrlen 7: 64 bytes */
	pkt_payload(pk, 2);
	pkt_end(pk);
}

static void p6_trunc_ext(struct pkt *pk) { trunc_ext6(pk, IPPROTO_DSTOPTS); }
static void p6_ext_past_end(struct pkt *pk) { trunc_ext6(pk, IPPROTO_TCP); }

/* ---- cases ------------------------------------------------------------ */

struct tcase {
	const char *name;
	int pf, hook;
	int (*rules)(struct bpfgen_prog *p);
	void (*pkt)(struct pkt *pk);
	uint32_t retval;
};

#define V4 NFPROTO_IPV4
#define V6 NFPROTO_IPV6
#define IN NF_INET_LOCAL_IN

static const struct tcase cases[] = {
	{ "ssh/match", V4, IN, r_ssh, p_tcp22_in, NF_DROP },
	{ "ssh/prerouting", V4, NF_INET_PRE_ROUTING, r_ssh, p_tcp22_pre, NF_DROP },
	{ "ssh/forward", V4, NF_INET_FORWARD, r_ssh, p_tcp22_fwd, NF_DROP },
	{ "ssh/postrouting", V4, NF_INET_POST_ROUTING, r_ssh, p_tcp22_post, NF_DROP },
	{ "ssh/output-bare-ip", V4, NF_INET_LOCAL_OUT, r_ssh, p_tcp22_out, NF_DROP },
	{ "ssh/other-port", V4, IN, r_ssh, p_tcp23_in, NF_ACCEPT },
	{ "ssh/other-src", V4, IN, r_ssh, p_tcp22_other_src, NF_ACCEPT },
	{ "ssh/udp", V4, IN, r_ssh, p_udp53, NF_ACCEPT },
	{ "ssh/ip-options", V4, IN, r_ssh, p_tcp22_opts, NF_DROP },
	{ "ssh/tot_len-not-checked", V4, IN, r_ssh, p_tcp22_lying_len, NF_DROP },
	{ "not-src/match", V4, IN, r_ssh_not_src, p_tcp22_other_src, NF_DROP },
	{ "not-src/no-match", V4, IN, r_ssh_not_src, p_tcp22_in, NF_ACCEPT },
	{ "not-port/match", V4, IN, r_ssh_not_port, p_tcp23_in, NF_DROP },
	{ "not-port/no-match", V4, IN, r_ssh_not_port, p_tcp22_in, NF_ACCEPT },
	{ "udp53/match", V4, IN, r_udp53, p_udp53, NF_DROP },
	{ "udp53/other", V4, IN, r_udp53, p_udp54, NF_ACCEPT },
	{ "udp53/short-no-match", V4, IN, r_udp53, p_udp53_short, NF_ACCEPT },
	{ "udp53/short-inverted-no-match", V4, IN, r_udp53_inv, p_udp53_short, NF_ACCEPT },
	{ "udp53/short-xt-hotdrop", V4, IN, r_udp53_xt, p_udp53_short, NF_DROP },
	{ "udp53/xt-full-no-match", V4, IN, r_udp53_xt, p_udp54, NF_ACCEPT },
	{ "udp53/nonfirst-frag-payload", V4, IN, r_udp53, p_frag_udp53, NF_DROP },
	{ "tcp/icmp", V4, IN, r_tcp, p_icmp4, NF_ACCEPT },
	{ "not-tcp/icmp", V4, IN, r_not_tcp, p_icmp4, NF_DROP },
	{ "not-tcp/tcp", V4, IN, r_not_tcp, p_tcp22_in, NF_ACCEPT },
	{ "frag/first", V4, IN, r_frag, p_frag_first, NF_ACCEPT },
	{ "frag/offset-1", V4, IN, r_frag, p_frag_1, NF_DROP },
	{ "not-frag/first", V4, IN, r_not_frag, p_frag_first, NF_DROP },
	{ "not-frag/offset-1", V4, IN, r_not_frag, p_frag_1, NF_ACCEPT },
	{ "iface/out-lo", V4, IN, r_out_lo, p_tcp22_in, NF_DROP },
	{ "iface/out-l+", V4, IN, r_out_lplus, p_tcp22_in, NF_DROP },
	{ "iface/out-lo0", V4, IN, r_out_lo0, p_tcp22_in, NF_ACCEPT },
	{ "iface/out-l", V4, IN, r_out_l, p_tcp22_in, NF_ACCEPT },
	{ "iface/out-eth+", V4, IN, r_out_ethplus, p_tcp22_in, NF_ACCEPT },
	{ "iface/not-out-eth+", V4, IN, r_not_out_ethplus, p_tcp22_in, NF_DROP },
	{ "iface/not-out-lo", V4, IN, r_not_out_lo, p_tcp22_in, NF_ACCEPT },
	{ "iface/out-+", V4, IN, r_out_plus, p_tcp22_in, NF_DROP },
	{ "iface/not-in-+", V4, IN, r_not_in_plus, p_tcp22_in, NF_ACCEPT },
	{ "iface/in-lo-no-device", V4, IN, r_in_lo, p_tcp22_in, NF_ACCEPT },
	{ "iface/not-in-lo-no-device", V4, IN, r_not_in_lo, p_tcp22_in, NF_DROP },
	{ "iface/not-in-lo-ip6", V6, IN, r_not_in_lo, p6_tcp22, NF_DROP },
	{ "iface/out-lo-prerouting", V4, NF_INET_PRE_ROUTING, r_out_lo, p_tcp22_pre, NF_DROP },
	{ "chains/jump-accept", V4, IN, r_chains, p_tcp22_in, NF_ACCEPT },
	{ "chains/jump-return-next-rule", V4, IN, r_chains, p_tcp23_in, NF_DROP },
	{ "chains/jump-drop", V4, IN, r_chains, p_tcp24_in, NF_DROP },
	{ "chains/jump-fall-off", V4, IN, r_chains, p_tcp25_in, NF_ACCEPT },
	{ "chains/goto-accept", V4, IN, r_chains, p_udp53, NF_ACCEPT },
	{ "chains/goto-return-skips-rest", V4, IN, r_chains, p_udp54, NF_ACCEPT },
	{ "chains/base-return-is-policy", V4, IN, r_base_return, p_tcp22_in, NF_DROP },
	{ "range/match", V4, IN, r_range, p_udp_1500_from_5000, NF_DROP },
	{ "range/inverted-sport", V4, IN, r_range, p_udp_1500_from_80, NF_ACCEPT },
	{ "range/outside", V4, IN, r_range, p_udp_2500_from_5000, NF_ACCEPT },
	{ "ct/untracked-packet-is-invalid", V4, IN, r_ct_invalid, p_tcp22_in, NF_DROP },
	{ "ct/not-untracked", V4, IN, r_ct_untracked, p_tcp22_in, NF_ACCEPT },
	{ "ct/not-established", V4, IN, r_ct_est, p_tcp22_in, NF_ACCEPT },
	{ "ct/no-entry-no-match", V4, IN, r_ct_mark, p_tcp22_in, NF_ACCEPT },
	{ "meta/all-keys", V4, IN, r_meta, p_tcp22_in, NF_DROP },
	{ "ip6/match", V6, IN, r_ssh6, p6_tcp22, NF_DROP },
	{ "ip6/output-bare-ip", V6, NF_INET_LOCAL_OUT, r_ssh6, p6_tcp22_out, NF_DROP },
	{ "ip6/other-src", V6, IN, r_ssh6, p6_tcp22_other, NF_ACCEPT },
	{ "ip6/other-port", V6, IN, r_ssh6, p6_tcp80, NF_ACCEPT },
	{ "ip6/ext-headers-walked", V6, IN, r_ssh6, p6_exthdrs, NF_DROP },
	{ "ip6/too-many-ext-headers", V6, IN, r_ssh6, p6_too_many, NF_ACCEPT },
	{ "ip6/tcp-behind-ah-not-tcp", V6, IN, r_ssh6, p6_ah_tcp, NF_ACCEPT },
	{ "ip6/icmpv6-behind-hop-by-hop", V6, NF_INET_PRE_ROUTING, r_icmp6, p6_icmp6, NF_DROP },
	{ "ip6/icmpv6-rule-tcp-packet", V6, IN, r_icmp6, p6_tcp22, NF_ACCEPT },
	{ "ip6/ah-is-l4proto", V6, IN, r_ah, p6_ah_tcp, NF_DROP },
	{ "ip6/nonfirst-frag-reads-offset-0", V6, IN, r_ssh6, p6_frag_flow22, NF_DROP },
	{ "ip6/nonfirst-frag-other", V6, IN, r_ssh6, p6_frag_flow80, NF_ACCEPT },
	{ "ip6/truncated-ext-no-l4proto", V6, IN, r_tcp, p6_trunc_ext, NF_ACCEPT },
	{ "ip6/no-l4proto-no-transport-bytes", V6, IN, r_dport0, p6_trunc_ext, NF_ACCEPT },
	{ "ip6/ext-past-end-still-tcp", V6, IN, r_tcp, p6_ext_past_end, NF_DROP },
	{ "ip6/ext-past-end-no-port", V6, IN, r_ssh6, p6_ext_past_end, NF_ACCEPT },
	{ "ip6/truncated-ext-not-tcp", V6, IN, r_not_tcp, p6_trunc_ext, NF_ACCEPT },
	{ "ip6/not-dst-match", V6, IN, r_not_dst6, p6_to_other, NF_DROP },
	{ "ip6/not-dst-no-match", V6, IN, r_not_dst6, p6_tcp22, NF_ACCEPT },
};

static void run_case(const struct tcase *c)
{
	struct bpfgen_prog *p = NULL;
	uint32_t retval = ~0U;
	struct pkt pk;
	int fd = -1, err;

	err = bpfgen_prog_new(&p, c->pf, c->hook);
	if (!ASSERT_OK(err, "prog_new"))
		return;
	err = c->rules(p);
	if (!ASSERT_OK(err, "rules"))
		goto out;
	err = bpfrun_load(p, "ipb_test", &fd);
	if (!ASSERT_OK(err, "load"))
		goto out;
	c->pkt(&pk);
	ASSERT_EQ(pk.hook, c->hook, "packet built for the case's hook");
	err = bpfrun(fd, &pk, 1, &retval, NULL);
	if (!ASSERT_OK(err, "test_run"))
		goto out;
	ASSERT_EQ(retval, c->retval, "verdict");
out:
	if (fd >= 0)
		close(fd);
	bpfgen_prog_free(p);
}

int main(void)
{
	char label[128];
	size_t i;

	if (geteuid() != 0) {
		printf("1..0 # skip needs root (CAP_BPF)\n");
		return IPB_TEST_SKIP;
	}
	if (bpfgen_probe_netfilter() != 1) {
		printf("1..0 # skip no BPF_PROG_TYPE_NETFILTER\n");
		return IPB_TEST_SKIP;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(label, sizeof(label), "rules/%s", cases[i].name);
		RUN_SUBTEST(label, run_case(&cases[i]));
	}
	return ipb_test_done();
}
