// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The packet-header matches (extensions/<xtname>.c) on crafted packets
 * through BPF_PROG_TEST_RUN, compiled from iptables command lines by the
 * front end's compiler.  Each case names a rule's matches, a packet and
 * the outcome nf_tables gives for the rule iptables-nft 1.8.9 writes:
 * MATCH, NOMATCH or HOTDROP (the xt match set par->hotdrop and
 * nft_compat dropped the packet).  Two programs tell the three apart:
 *	A: "-A INPUT <matches> -j ACCEPT", "-A INPUT -j DROP"
 *	B: "-A INPUT <matches> -j DROP" under policy ACCEPT
 * MATCH gives (ACCEPT, DROP), NOMATCH (DROP, ACCEPT), HOTDROP (DROP,
 * DROP).  The kernel code each case follows is named in the extension.
 *
 * Then the same cases run through the kernel itself (tests/lib/koracle.h:
 * iptables-nft's rule in a namespace, the packet sent over a veth), so
 * that each expectation is nf_tables' own and not only our reading of
 * it.  Cases the kernel cannot take that way (a frame for another MAC,
 * a hop-by-hop header ipv6_rcv() rejects) are skipped there.
 * IPB_L4_KERNEL=0 leaves the kernel runs out.
 */
#include <stdio.h>
#include <netinet/in.h>
#include <net/if.h>
#include <errno.h>
#include <unistd.h>

#include <linux/netfilter.h>

#include "bpfgen/bpfgen.h"
#include "tests/lib/bpfrun.h"
#include "tests/lib/ipb_test.h"
#include "tests/lib/koracle.h"
#include "tests/lib/pkt.h"
#include "tests/lib/ruleset.h"

IPB_TEST_STATE_DEFINE;

#define V4 NFPROTO_IPV4
#define V6 NFPROTO_IPV6

enum outcome { NOMATCH, MATCH, HOTDROP };

enum mac { MAC_HOST, MAC_BCAST, MAC_MCAST, MAC_OTHER };

/*
 * A packet at INPUT.  Zero fields take defaults: TTL 64, 8 bytes of
 * payload, a 20-byte TCP header with SYN.
 */
struct spec {
	int proto;
	const char *src, *dst;
	uint16_t sport, dport;
	uint8_t tcp_flags;	/* ORed into SYN's place when set */
	const char *tcpopt;	/* option bytes, padded to 4 with zeros */
	uint8_t optlen;
	int doff;		/* override the data offset (words) */
	uint8_t type, code;	/* ICMP/ICMPv6 */
	uint32_t spi;		/* AH/ESP */
	uint8_t ttl;		/* TTL / hop limit, 0 = 64 */
	uint8_t tos;		/* TOS / traffic class */
	int frag;		/* v4: offset in 8-byte units; v6: bytes */
	bool frag6;		/* v6: add a fragment header */
	bool more;		/* more fragments */
	int exts[4];		/* v6: extension headers, in order (HBH
				 * for hop-by-hop, whose number is 0) */
	uint8_t extlen[4];	/* their lengths; 0: 8 (AH 16) */
	uint8_t rt_type, rt_segs;	/* routing header fields */
	uint32_t frag_id;	/* v6 fragment header identification */
	const char *opt6;	/* bytes 2.. of the first hop-by-hop or */
	uint8_t opt6len;	/* destination options header */
	enum mac mac;
	int ip4opt;		/* v4: bytes of NOP options */
	int payload;		/* 0 = 8 bytes, -1 = none */
	size_t cut;		/* bytes cut off the end */
};

static void build_l4(struct pkt *pk, const struct spec *s)
{
	uint8_t *h;

	switch (s->proto) {
	case IPPROTO_TCP: {
		int optpad = (s->optlen + 3) & ~3;

		pkt_tcp(pk, s->sport, s->dport);
		h = pk->buf + pk->len - 20;
		if (s->tcp_flags)
			h[13] = s->tcp_flags;
		h[12] = (s->doff ? s->doff : 5 + optpad / 4) << 4;
		memcpy(pkt_put(pk, optpad), s->tcpopt, s->optlen);
		break;
	}
	case IPPROTO_UDP:
		pkt_udp(pk, s->sport, s->dport);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		pkt_icmp(pk, s->type, s->code);
		break;
	case IPPROTO_AH:
		h = pkt_put(pk, 12);
		h[0] = IPPROTO_TCP;
		h[1] = 1;
		h[4] = s->spi >> 24, h[5] = s->spi >> 16;
		h[6] = s->spi >> 8, h[7] = s->spi;
		break;
	case IPPROTO_ESP:
		h = pkt_put(pk, 8);
		h[0] = s->spi >> 24, h[1] = s->spi >> 16;
		h[2] = s->spi >> 8, h[3] = s->spi;
		break;
	}
}

#define HBH 256
#define EXT(x) ((x) & 0xff)

/* The v6 extension headers of @s, the last one followed by @proto. */
static void build_exts(struct pkt *pk, const struct spec *s)
{
	int i, n;

	for (n = 0; n < 4 && s->exts[n]; n++)
		;
	for (i = 0; i < n; i++) {
		int next = i + 1 < n ? EXT(s->exts[i + 1]) : s->proto;
		int len = s->extlen[i];
		uint8_t *h;

		switch (EXT(s->exts[i])) {
		case IPPROTO_FRAGMENT:
			pkt_frag6(pk, next, s->frag, s->more);
			h = pk->buf + pk->len - 8;
			h[4] = s->frag_id >> 24, h[5] = s->frag_id >> 16;
			h[6] = s->frag_id >> 8, h[7] = s->frag_id;
			break;
		case IPPROTO_AH:
			pkt_ah6(pk, next, len ? len : 16);
			h = pk->buf + pk->len - (len ? len : 16);
			h[4] = s->spi >> 24, h[5] = s->spi >> 16;
			h[6] = s->spi >> 8, h[7] = s->spi;
			break;
		default:
			pkt_ext6(pk, next, len ? len : 8);
			h = pk->buf + pk->len - (len ? len : 8);
			if (s->exts[i] == IPPROTO_ROUTING) {
				h[2] = s->rt_type, h[3] = s->rt_segs;
			} else if (s->opt6) {
				memcpy(h + 2, s->opt6, s->opt6len);
			} else if (len > 8) {
				/*
				 * ipv6_rcv() rejects more than 7 bytes of
				 * padding: an unknown option to skip
				 */
				h[2] = 0x1e;
				h[3] = len - 4;
			}
			break;
		}
	}
}

static void build(struct pkt *pk, int pf, const struct spec *s)
{
	static const uint8_t macs[][6] = {
		[MAC_BCAST] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		[MAC_MCAST] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 },
		[MAC_OTHER] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x09 },
	};
	uint8_t *l3;

	pkt_begin(pk, pf, NF_INET_LOCAL_IN);
	memcpy(pk->buf, macs[s->mac], 6);
	if (pf == V6) {
		pkt_ip6(pk, s->exts[0] ? EXT(s->exts[0]) :
			s->frag6 ? IPPROTO_FRAGMENT : s->proto,
			s->src ? s->src : "2001:db8::1",
			s->dst ? s->dst : "2001:db8::2");
		l3 = pk->buf + pk->l3;
		l3[0] = 0x60 | s->tos >> 4;
		l3[1] = (s->tos & 0xf) << 4;
		l3[7] = s->ttl ? s->ttl : 64;
		if (s->frag6)
			pkt_frag6(pk, s->proto, s->frag, s->more);
		build_exts(pk, s);
	} else {
		pkt_ip4_opt(pk, s->proto, s->src ? s->src : "10.0.0.1",
			    s->dst ? s->dst : "10.0.0.2", s->ip4opt);
		l3 = pk->buf + pk->l3;
		l3[1] = s->tos;
		l3[8] = s->ttl ? s->ttl : 64;
		if (s->frag || s->more)
			pkt_ip4_frag(pk, s->frag, s->more);
	}
	if (!s->frag && s->proto != IPPROTO_NONE &&
	    !(pf == V6 && s->proto == IPPROTO_AH && s->exts[0]))
		build_l4(pk, s);
	if (s->payload >= 0)
		pkt_payload(pk, s->payload ? s->payload : 8);
	pkt_cut(pk, s->cut);
	pkt_end(pk);
}

#define TCP IPPROTO_TCP
#define UDP IPPROTO_UDP

/* TCP options: MSS 1460, then NOP NOP and SACK-permitted, then EOL. */
#define OPT_MSS1460 "\x02\x04\x05\xb4"
#define OPT_SACKP "\x01\x01\x04\x02"

static const struct tcase {
	const char *name;
	int pf;
	const char *match;
	struct spec pkt;
	enum outcome want;
} cases[] = {
	/* tcp, compat (xt_tcpudp.c tcp_mt()) */
	{ "tcp bare -m tcp matches", V4, "-p tcp -m tcp",
	  { TCP, .dport = 80 }, MATCH },
	{ "tcp bare -m tcp: short header hotdrops", V4, "-p tcp -m tcp",
	  { TCP, .payload = -1, .cut = 4 }, HOTDROP },
	{ "tcp bare -m tcp: fragment offset 1 hotdrops", V4, "-p tcp -m tcp",
	  { TCP, .frag = 1 }, HOTDROP },
	{ "tcp bare -m tcp: later fragment no match", V4, "-p tcp -m tcp",
	  { TCP, .frag = 2 }, NOMATCH },
	{ "tcp --tcp-option found", V4, "-p tcp --tcp-option 4",
	  { TCP, .tcpopt = OPT_SACKP, .optlen = 4 }, MATCH },
	{ "tcp --tcp-option after mss", V4, "-p tcp --tcp-option 4",
	  { TCP, .tcpopt = OPT_MSS1460 OPT_SACKP, .optlen = 8 }, MATCH },
	{ "tcp --tcp-option absent", V4, "-p tcp --tcp-option 8",
	  { TCP, .tcpopt = OPT_MSS1460 OPT_SACKP, .optlen = 8 }, NOMATCH },
	{ "tcp ! --tcp-option absent", V4, "-p tcp ! --tcp-option 8",
	  { TCP, .tcpopt = OPT_MSS1460, .optlen = 4 }, MATCH },
	{ "tcp ! --tcp-option present", V4, "-p tcp ! --tcp-option 2",
	  { TCP, .tcpopt = OPT_MSS1460, .optlen = 4 }, NOMATCH },
	{ "tcp --tcp-option no options", V4, "-p tcp --tcp-option 2",
	  { TCP }, NOMATCH },
	{ "tcp ! --tcp-option no options", V4, "-p tcp ! --tcp-option 2",
	  { TCP }, MATCH },
	{ "tcp --tcp-option skips by length", V4, "-p tcp --tcp-option 5",
	  { TCP, .tcpopt = "\x08\x05\x05\x05\x05\x01\x01\x01", .optlen = 8 },
	  NOMATCH },
	{ "tcp --tcp-option zero length steps 1", V4, "-p tcp --tcp-option 5",
	  { TCP, .tcpopt = "\x08\x00\x05\x00", .optlen = 4 }, MATCH },
	{ "tcp --tcp-option: options cut short hotdrop", V4,
	  "-p tcp --tcp-option 2",
	  { TCP, .tcpopt = OPT_MSS1460 OPT_SACKP, .optlen = 8, .payload = -1,
	    .cut = 2 }, HOTDROP },
	{ "tcp --tcp-option: doff below 5 hotdrops", V4,
	  "-p tcp --tcp-option 2", { TCP, .doff = 4 }, HOTDROP },
	{ "tcp --tcp-option with port, port differs", V4,
	  "-p tcp --dport 22 --tcp-option 2",
	  { TCP, .dport = 23, .tcpopt = OPT_MSS1460, .optlen = 4 }, NOMATCH },
	{ "tcp --tcp-option 40 bytes of NOPs then 2", V4,
	  "-p tcp --tcp-option 2",
	  { TCP, .tcpopt = "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
			   "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
			   "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
			   "\x02\x04\x05\xb4", .optlen = 40 }, MATCH },
	{ "tcp --tcp-option ipv6", V6, "-p tcp --tcp-option 2",
	  { TCP, .tcpopt = OPT_MSS1460, .optlen = 4 }, MATCH },
	{ "tcp --tcp-option ipv6 later fragment", V6, "-p tcp --tcp-option 2",
	  { TCP, .frag6 = true, .frag = 64 }, NOMATCH },
	{ "tcp ipv6 fragment at 8 bytes: fragoff is in bytes, no hotdrop",
	  V6, "-p tcp -m tcp", { TCP, .frag6 = true, .frag = 8 }, NOMATCH },
	{ "tcp --tcp-option ipv6 first fragment", V6, "-p tcp --tcp-option 2",
	  { TCP, .frag6 = true, .more = true, .tcpopt = OPT_MSS1460,
	    .optlen = 4 }, MATCH },
	{ "tcp ! --sport with option: xt semantics", V4,
	  "-p tcp ! --sport 1000 --tcp-option 2",
	  { TCP, .sport = 1000, .tcpopt = OPT_MSS1460, .optlen = 4 }, NOMATCH },
	{ "tcp ! --dport 0:65535 with option never matches", V4,
	  "-p tcp ! --dport 0:65535 --tcp-option 2",
	  { TCP, .tcpopt = OPT_MSS1460, .optlen = 4 }, NOMATCH },
	{ "tcp ! --tcp-flags with option", V4,
	  "-p tcp ! --tcp-flags SYN,ACK SYN --tcp-option 2",
	  { TCP, .tcpopt = OPT_MSS1460, .optlen = 4 }, NOMATCH },
	{ "tcp native: truncated does not match", V4, "-p tcp --dport 0",
	  { TCP, .payload = -1, .cut = 18 }, NOMATCH },

	{ "tcp --tcp-option behind ip options", V4, "-p tcp --tcp-option 2",
	  { TCP, .ip4opt = 8, .tcpopt = OPT_MSS1460, .optlen = 4 }, MATCH },
	{ "tcpmss behind ip options", V4, "-p tcp -m tcpmss --mss 1460",
	  { TCP, .ip4opt = 4, .tcpopt = OPT_SACKP OPT_MSS1460, .optlen = 8 },
	  MATCH },
	{ "icmp behind ip options", V4, "-p icmp --icmp-type 3/1",
	  { IPPROTO_ICMP, .ip4opt = 12, .type = 3, .code = 1 }, MATCH },
	{ "tcp short behind ip options hotdrops", V4, "-p tcp -m tcp",
	  { TCP, .ip4opt = 8, .payload = -1, .cut = 1 }, HOTDROP },

	/* udp, compat (udp_mt()) */
	{ "udp bare -m udp matches", V4, "-p udp -m udp", { UDP }, MATCH },
	{ "udp bare -m udp: short header hotdrops", V4, "-p udp -m udp",
	  { UDP, .payload = -1, .cut = 2 }, HOTDROP },
	{ "udp bare -m udp: later fragment", V4, "-p udp -m udp",
	  { UDP, .frag = 1 }, NOMATCH },
	{ "udp bare -m udp ipv6", V6, "-p udp -m udp", { UDP }, MATCH },
	{ "udp bare -m udp ipv6 short", V6, "-p udp -m udp",
	  { UDP, .payload = -1, .cut = 1 }, HOTDROP },
	{ "udp native: later fragment's data matches", V4,
	  "-p udp --sport 43947", { UDP, .frag = 1 }, MATCH },
	{ "udp ports compat-inverted", V4, "-p udp -m udp ! --sport 5:10",
	  { UDP, .sport = 7 }, NOMATCH },

	/* icmp (icmp_match() of ip_tables.c) */
	{ "icmp type", V4, "-p icmp --icmp-type 8", { IPPROTO_ICMP, .type = 8 },
	  MATCH },
	{ "icmp other type", V4, "-p icmp --icmp-type 8",
	  { IPPROTO_ICMP, .type = 0 }, NOMATCH },
	{ "icmp type/code", V4, "-p icmp --icmp-type 3/4",
	  { IPPROTO_ICMP, .type = 3, .code = 4 }, MATCH },
	{ "icmp type, other code", V4, "-p icmp --icmp-type 3/4",
	  { IPPROTO_ICMP, .type = 3, .code = 3 }, NOMATCH },
	{ "icmp type without code: any code", V4, "-p icmp --icmp-type 3",
	  { IPPROTO_ICMP, .type = 3, .code = 13 }, MATCH },
	{ "icmp any", V4, "-p icmp --icmp-type any",
	  { IPPROTO_ICMP, .type = 42, .code = 7 }, MATCH },
	{ "icmp ! any never matches", V4, "-p icmp ! --icmp-type any",
	  { IPPROTO_ICMP, .type = 42 }, NOMATCH },
	{ "icmp inverted", V4, "-p icmp ! --icmp-type echo-request",
	  { IPPROTO_ICMP, .type = 0 }, MATCH },
	{ "icmp short hotdrops", V4, "-p icmp --icmp-type 8",
	  { IPPROTO_ICMP, .type = 8, .payload = -1, .cut = 1 }, HOTDROP },
	{ "icmp ! short hotdrops too", V4, "-p icmp ! --icmp-type 8",
	  { IPPROTO_ICMP, .payload = -1, .cut = 4 }, HOTDROP },
	{ "icmp later fragment", V4, "-p icmp ! --icmp-type 8",
	  { IPPROTO_ICMP, .frag = 3 }, NOMATCH },

	/* icmp6 (icmp6_match() of ip6_tables.c) */
	{ "icmp6 type", V6, "-p icmpv6 --icmpv6-type echo-request",
	  { IPPROTO_ICMPV6, .type = 128 }, MATCH },
	{ "icmp6 other", V6, "-p icmpv6 --icmpv6-type echo-request",
	  { IPPROTO_ICMPV6, .type = 129 }, NOMATCH },
	{ "icmp6 code range", V6, "-p icmpv6 --icmpv6-type 1/3",
	  { IPPROTO_ICMPV6, .type = 1, .code = 3 }, MATCH },
	{ "icmp6 inverted", V6, "-p icmpv6 ! --icmpv6-type 1/3",
	  { IPPROTO_ICMPV6, .type = 1, .code = 2 }, MATCH },
	{ "icmp6 type 255 is no wildcard", V6, "-p icmpv6 --icmpv6-type 255",
	  { IPPROTO_ICMPV6, .type = 1 }, NOMATCH },
	{ "icmp6 short hotdrops", V6, "-p icmpv6 --icmpv6-type 128",
	  { IPPROTO_ICMPV6, .type = 128, .payload = -1, .cut = 2 }, HOTDROP },
	{ "icmp6 later fragment", V6, "-p icmpv6 ! --icmpv6-type 128",
	  { IPPROTO_ICMPV6, .frag6 = true, .frag = 8 }, NOMATCH },
	{ "icmp6 first fragment", V6, "-p icmpv6 --icmpv6-type 128",
	  { IPPROTO_ICMPV6, .type = 128, .frag6 = true, .more = true },
	  MATCH },

	/* multiport (multiport_mt(), ports_match_v1()) */
	{ "multiport dports", V4, "-p tcp -m multiport --dports 22,80,443",
	  { TCP, .dport = 80 }, MATCH },
	{ "multiport dports miss", V4, "-p tcp -m multiport --dports 22,80",
	  { TCP, .sport = 80, .dport = 81 }, NOMATCH },
	{ "multiport range", V4, "-p udp -m multiport --dports 1000:2000,5",
	  { UDP, .dport = 1500 }, MATCH },
	{ "multiport range edge", V4, "-p udp -m multiport --dports 1000:2000",
	  { UDP, .dport = 2001 }, NOMATCH },
	{ "multiport sports", V4, "-p tcp -m multiport --sports 7,9",
	  { TCP, .sport = 9, .dport = 7 }, MATCH },
	{ "multiport sports is not dports", V4, "-p tcp -m multiport --sports 7",
	  { TCP, .sport = 9, .dport = 7 }, NOMATCH },
	{ "multiport ports either", V4, "-p tcp -m multiport --ports 7,30:40",
	  { TCP, .sport = 35, .dport = 1 }, MATCH },
	{ "multiport inverted", V4, "-p tcp -m multiport ! --dports 22,80",
	  { TCP, .dport = 81 }, MATCH },
	{ "multiport inverted hit", V4, "-p tcp -m multiport ! --dports 22,80",
	  { TCP, .dport = 22 }, NOMATCH },
	{ "multiport short hotdrops", V4, "-p udp -m multiport --dports 1",
	  { UDP, .payload = -1, .cut = 5 }, HOTDROP },
	{ "multiport later fragment", V4, "-p udp -m multiport ! --dports 1",
	  { UDP, .frag = 9 }, NOMATCH },
	{ "multiport ipv6", V6, "-p tcp -m multiport --dports 1,2,3",
	  { TCP, .dport = 3 }, MATCH },

	/* iprange (iprange_mt4/6()) */
	{ "iprange src", V4, "-m iprange --src-range 10.0.0.1-10.0.0.9",
	  { UDP, .src = "10.0.0.9" }, MATCH },
	{ "iprange src above", V4, "-m iprange --src-range 10.0.0.1-10.0.0.9",
	  { UDP, .src = "10.0.0.10" }, NOMATCH },
	{ "iprange src below", V4, "-m iprange --src-range 10.0.0.1-10.0.0.9",
	  { UDP, .src = "9.255.255.255" }, NOMATCH },
	{ "iprange ! dst", V4, "-m iprange ! --dst-range 10.0.0.1-10.0.0.9",
	  { UDP, .dst = "192.0.2.1" }, MATCH },
	{ "iprange both", V4,
	  "-m iprange --src-range 1.0.0.0-1.255.255.255 --dst-range 200.0.0.0-255.255.255.255",
	  { UDP, .src = "1.2.3.4", .dst = "250.0.0.1" }, MATCH },
	{ "iprange ipv6 inside", V6,
	  "-m iprange --src-range 2001:db8::1-2001:db8::1:0",
	  { UDP, .src = "2001:db8::ffff" }, MATCH },
	{ "iprange ipv6 above", V6,
	  "-m iprange --src-range 2001:db8::1-2001:db8::1:0",
	  { UDP, .src = "2001:db8::1:1" }, NOMATCH },
	{ "iprange ipv6 below", V6,
	  "-m iprange --src-range 2001:db8::1-2001:db8::1:0",
	  { UDP, .src = "2001:db8::" }, NOMATCH },
	{ "iprange ipv6 ! dst, high words", V6,
	  "-m iprange ! --dst-range 2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
	  { UDP, .dst = "2001:db9::" }, MATCH },
	{ "iprange ipv6 upper bound equal", V6,
	  "-m iprange --dst-range ::-2001:db8::2", { UDP }, MATCH },

	/* ttl, hl (xt_hl.c) */
	{ "ttl eq", V4, "-m ttl --ttl-eq 64", { UDP }, MATCH },
	{ "ttl ! eq", V4, "-m ttl ! --ttl-eq 64", { UDP }, NOMATCH },
	{ "ttl lt", V4, "-m ttl --ttl-lt 2", { UDP, .ttl = 1 }, MATCH },
	{ "ttl lt edge", V4, "-m ttl --ttl-lt 2", { UDP, .ttl = 2 }, NOMATCH },
	{ "ttl gt", V4, "-m ttl --ttl-gt 200", { UDP, .ttl = 255 }, MATCH },
	{ "hl eq", V6, "-m hl --hl-eq 5", { UDP, .ttl = 5 }, MATCH },
	{ "hl ! eq", V6, "-m hl ! --hl-eq 5", { UDP, .ttl = 5 }, NOMATCH },
	{ "hl gt", V6, "-m hl --hl-gt 5", { UDP, .ttl = 5 }, NOMATCH },
	{ "hl lt", V6, "-m hl --hl-lt 6", { UDP, .ttl = 5 }, MATCH },

	/* tos, dscp, ecn (xt_dscp.c, xt_ecn.c) */
	{ "tos", V4, "-m tos --tos 0x10", { UDP, .tos = 0x10 }, MATCH },
	{ "tos numeric: mask 0xff", V4, "-m tos --tos 0x10",
	  { UDP, .tos = 0x11 }, NOMATCH },
	{ "tos symbolic: mask 0x3f", V4, "-m tos --tos Minimize-Delay",
	  { UDP, .tos = 0xd0 }, MATCH },
	{ "tos other", V4, "-m tos --tos 0x10", { UDP, .tos = 0x08 }, NOMATCH },
	{ "tos masked", V4, "-m tos --tos 0x04/0x0f", { UDP, .tos = 0xf4 },
	  MATCH },
	{ "tos ! ", V4, "-m tos ! --tos 0x04/0x0f", { UDP, .tos = 0xf4 },
	  NOMATCH },
	{ "tos ipv6 traffic class", V6, "-m tos --tos 0xb8/0xfc",
	  { UDP, .tos = 0xb9 }, MATCH },
	{ "dscp", V4, "-m dscp --dscp 0x2e", { UDP, .tos = 0xb8 }, MATCH },
	{ "dscp ecn bits ignored", V4, "-m dscp --dscp 0x2e",
	  { UDP, .tos = 0xbb }, MATCH },
	{ "dscp other", V4, "-m dscp --dscp-class AF41", { UDP, .tos = 0xb8 },
	  NOMATCH },
	{ "dscp !", V4, "-m dscp ! --dscp 10", { UDP, .tos = 0xb8 }, MATCH },
	{ "dscp ipv6", V6, "-m dscp --dscp-class EF", { UDP, .tos = 0xb8 },
	  MATCH },
	{ "dscp ipv6 other", V6, "-m dscp --dscp-class EF",
	  { UDP, .tos = 0x28 }, NOMATCH },
	{ "ecn ip-ect", V4, "-m ecn --ecn-ip-ect 3", { UDP, .tos = 0xb3 },
	  MATCH },
	{ "ecn ip-ect other", V4, "-m ecn --ecn-ip-ect 1", { UDP, .tos = 2 },
	  NOMATCH },
	{ "ecn ! ip-ect", V4, "-m ecn ! --ecn-ip-ect 1", { UDP, .tos = 2 },
	  MATCH },
	{ "ecn ip-ect ipv6", V6, "-m ecn --ecn-ip-ect 2", { UDP, .tos = 0x02 },
	  MATCH },
	{ "ecn tcp cwr", V4, "-p tcp -m ecn --ecn-tcp-cwr",
	  { TCP, .tcp_flags = 0x82 }, MATCH },
	{ "ecn tcp cwr unset", V4, "-p tcp -m ecn --ecn-tcp-cwr",
	  { TCP, .tcp_flags = 0x42 }, NOMATCH },
	{ "ecn tcp ! ece", V4, "-p tcp -m ecn ! --ecn-tcp-ece",
	  { TCP, .tcp_flags = 0x82 }, MATCH },
	{ "ecn tcp ! ece set", V6, "-p tcp -m ecn ! --ecn-tcp-ece",
	  { TCP, .tcp_flags = 0x42 }, NOMATCH },
	{ "ecn tcp short: no match, no hotdrop", V4,
	  "-p tcp -m ecn ! --ecn-tcp-ece", { TCP, .payload = -1, .cut = 1 },
	  NOMATCH },
	{ "ecn tcp reads a later fragment's data", V4,
	  "-p tcp -m ecn --ecn-tcp-cwr", { TCP, .frag = 5, .payload = 24 },
	  MATCH },

	/* length (xt_length.c): header lengths */
	{ "length v4", V4, "-m length --length 36", { UDP }, MATCH },
	{ "length v4 range", V4, "-m length --length 30:40", { UDP }, MATCH },
	{ "length v4 !", V4, "-m length ! --length :35", { UDP }, MATCH },
	{ "length v4 miss", V4, "-m length --length 37:", { UDP }, NOMATCH },
	{ "length v6 counts the fixed header", V6, "-m length --length 56",
	  { UDP }, MATCH },
	{ "length v6 miss", V6, "-m length --length 16", { UDP }, NOMATCH },

	/*
	 * pkttype (pkttype_mt()); test-run runs eth_type_trans() on the
	 * loopback device, whose broadcast address is 00:00:00:00:00:00
	 */
	{ "pkttype host", V4, "-m pkttype --pkt-type unicast", { UDP }, MATCH },
	{ "pkttype: lo has no broadcast address, ff:.. is multicast", V4,
	  "-m pkttype --pkt-type multicast", { UDP, .mac = MAC_BCAST }, MATCH },
	{ "pkttype broadcast", V4, "-m pkttype --pkt-type broadcast",
	  { UDP, .mac = MAC_BCAST }, NOMATCH },
	{ "pkttype multicast", V6, "-m pkttype --pkt-type multicast",
	  { UDP, .mac = MAC_MCAST }, MATCH },
	{ "pkttype ! unicast", V4, "-m pkttype ! --pkt-type unicast",
	  { UDP, .mac = MAC_MCAST }, MATCH },
	{ "pkttype unicast is not otherhost", V4,
	  "-m pkttype --pkt-type unicast", { UDP, .mac = MAC_OTHER }, NOMATCH },

	/* tcpmss (tcpmss_mt()) */
	{ "tcpmss", V4, "-p tcp -m tcpmss --mss 1400:1500",
	  { TCP, .tcpopt = OPT_MSS1460, .optlen = 4 }, MATCH },
	{ "tcpmss outside", V4, "-p tcp -m tcpmss --mss 1400:1459",
	  { TCP, .tcpopt = OPT_MSS1460, .optlen = 4 }, NOMATCH },
	{ "tcpmss ! outside", V4, "-p tcp -m tcpmss ! --mss 1400:1459",
	  { TCP, .tcpopt = OPT_MSS1460, .optlen = 4 }, MATCH },
	{ "tcpmss after other options", V6, "-p tcp -m tcpmss --mss 1460",
	  { TCP, .tcpopt = OPT_SACKP OPT_MSS1460, .optlen = 8 }, MATCH },
	{ "tcpmss none", V4, "-p tcp -m tcpmss --mss 1460", { TCP }, NOMATCH },
	{ "tcpmss ! none", V4, "-p tcp -m tcpmss ! --mss 1460", { TCP }, MATCH },
	{ "tcpmss wrong option length skipped", V4,
	  "-p tcp -m tcpmss --mss 1460",
	  { TCP, .tcpopt = "´", .optlen = 4 }, NOMATCH },
	{ "tcpmss option cut by option space", V4,
	  "-p tcp -m tcpmss --mss 1460",
	  { TCP, .tcpopt = "´", .optlen = 6, .doff = 6 },
	  NOMATCH },
	{ "tcpmss short header hotdrops", V4, "-p tcp -m tcpmss --mss 1460",
	  { TCP, .payload = -1, .cut = 1 }, HOTDROP },
	{ "tcpmss options cut short hotdrop", V4,
	  "-p tcp -m tcpmss ! --mss 1460",
	  { TCP, .tcpopt = OPT_MSS1460, .optlen = 4, .payload = -1,
	    .cut = 1 }, HOTDROP },
	{ "tcpmss bad doff hotdrops", V4, "-p tcp -m tcpmss --mss 1460",
	  { TCP, .doff = 2 }, HOTDROP },
	{ "tcpmss reads a later fragment's data", V4,
	  "-p tcp -m tcpmss ! --mss 1460", { TCP, .frag = 5, .payload = 24 },
	  HOTDROP },

	/* ah (ipt_ah.c), esp (xt_esp.c) */
	{ "ah spi", V4, "-p ah -m ah --ahspi 5", { IPPROTO_AH, .spi = 5 },
	  MATCH },
	{ "ah spi range", V4, "-p ah -m ah --ahspi 4:0x80000000",
	  { IPPROTO_AH, .spi = 0x80000000 }, MATCH },
	{ "ah ! spi", V4, "-p ah -m ah ! --ahspi 5", { IPPROTO_AH, .spi = 5 },
	  NOMATCH },
	{ "ah short hotdrops", V4, "-p ah -m ah --ahspi 5",
	  { IPPROTO_AH, .spi = 5, .payload = -1, .cut = 1 }, HOTDROP },
	{ "ah later fragment", V4, "-p ah -m ah ! --ahspi 5",
	  { IPPROTO_AH, .frag = 2 }, NOMATCH },
	{ "esp spi", V4, "-p esp -m esp --espspi 0xffffffff",
	  { IPPROTO_ESP, .spi = 0xffffffff }, MATCH },
	{ "esp spi miss", V4, "-p esp -m esp --espspi 1:7",
	  { IPPROTO_ESP, .spi = 8 }, NOMATCH },
	{ "esp ! spi ipv6", V6, "-p esp -m esp ! --espspi 1:7",
	  { IPPROTO_ESP, .spi = 8 }, MATCH },
	{ "esp short hotdrops", V6, "-p esp -m esp --espspi 1",
	  { IPPROTO_ESP, .payload = -1, .cut = 1 }, HOTDROP },
	{ "esp later fragment", V6, "-p esp -m esp ! --espspi 1",
	  { IPPROTO_ESP, .frag6 = true, .frag = 16 }, NOMATCH },

	/* ipv6 extension headers: ipv6_find_hdr() users */
#define RTH IPPROTO_ROUTING
#define FRH IPPROTO_FRAGMENT
#define DSTH IPPROTO_DSTOPTS
	{ "frag: any fragment header", V6, "-m frag", { UDP, .exts = { FRH } },
	  MATCH },
	{ "frag: none", V6, "-m frag", { UDP }, NOMATCH },
	{ "frag: id", V6, "-m frag --fragid 42",
	  { UDP, .exts = { FRH }, .frag_id = 42 }, MATCH },
	{ "frag: ! id", V6, "-m frag ! --fragid 40:50",
	  { UDP, .exts = { FRH }, .frag_id = 42 }, NOMATCH },
	{ "frag: first", V6, "-m frag --fragfirst",
	  { UDP, .exts = { FRH }, .more = true }, MATCH },
	{ "frag: first, later fragment", V6, "-m frag --fragfirst",
	  { UDP, .exts = { FRH }, .frag = 8 }, NOMATCH },
	{ "frag: more", V6, "-m frag --fragmore",
	  { UDP, .exts = { FRH }, .frag = 8, .more = true }, MATCH },
	{ "frag: last", V6, "-m frag --fraglast",
	  { UDP, .exts = { FRH }, .frag = 8, .more = true }, NOMATCH },
	{ "frag: after hop-by-hop and routing", V6, "-m frag --fraglast",
	  { UDP, .exts = { HBH, RTH, FRH }, .frag = 8 }, MATCH },
	{ "frag: header cut short hotdrops", V6, "-m frag",
	  { UDP, .exts = { HBH, FRH }, .payload = -1, .cut = 8 + 4 },
	  HOTDROP },
	{ "frag: routing header cut short hotdrops", V6, "-m frag",
	  { UDP, .exts = { RTH }, .payload = -1, .cut = 8 + 5 }, HOTDROP },
	{ "frag: protocol first, no header", V6, "-m frag",
	  { UDP, .exts = { DSTH } }, NOMATCH },
	{ "hbh: present", V6, "-m hbh", { UDP, .exts = { HBH } }, MATCH },
	{ "hbh: absent", V6, "-m hbh", { UDP, .exts = { DSTH } }, NOMATCH },
	{ "hbh: length", V6, "-m hbh --hbh-len 16",
	  { UDP, .exts = { HBH }, .extlen = { 16 } }, MATCH },
	{ "hbh: ! length", V6, "-m hbh ! --hbh-len 16",
	  { UDP, .exts = { HBH }, .extlen = { 16 } }, NOMATCH },
	{ "hbh: longer than the packet hotdrops", V6, "-m hbh",
	  { UDP, .exts = { HBH }, .extlen = { 16 }, .payload = -1,
	    .cut = 8 + 4 }, HOTDROP },
	{ "hbh: 1 byte of it hotdrops", V6, "-m hbh",
	  { UDP, .exts = { HBH }, .payload = -1, .cut = 8 + 7 }, HOTDROP },
	{ "hbh: behind a later fragment: enoent", V6, "-m hbh",
	  { IPPROTO_NONE, .exts = { FRH, HBH }, .frag = 8, .payload = -1 },
	  NOMATCH },
	{ "dst: longer than the packet hotdrops", V6, "-m dst",
	  { IPPROTO_NONE, .exts = { DSTH }, .extlen = { 16 }, .payload = -1,
	    .cut = 4 }, HOTDROP },
	{ "dst: 1 byte of it hotdrops", V6, "-m dst",
	  { IPPROTO_NONE, .exts = { DSTH }, .payload = -1, .cut = 7 },
	  HOTDROP },
	{ "rt: longer than the packet hotdrops", V6, "-m rt",
	  { IPPROTO_NONE, .exts = { RTH }, .extlen = { 24 }, .payload = -1,
	    .cut = 4 }, HOTDROP },
	{ "rt: 3 bytes of it hotdrop", V6, "-m rt",
	  { IPPROTO_NONE, .exts = { RTH }, .payload = -1, .cut = 5 },
	  HOTDROP },
	{ "dst: options, last one's length", V6, "-m dst --dst-opts 1:4",
	  { UDP, .exts = { DSTH }, .opt6 = "\x01\x04", .opt6len = 2 }, MATCH },
	{ "dst: options, other length", V6, "-m dst --dst-opts 1:3",
	  { UDP, .exts = { DSTH }, .opt6 = "\x01\x04", .opt6len = 2 },
	  NOMATCH },
	{ "dst: options, any length", V6, "-m dst --dst-opts 1",
	  { UDP, .exts = { DSTH }, .opt6 = "\x01\x04", .opt6len = 2 }, MATCH },
	{ "dst: options, Pad1 all the way", V6,
	  "-m dst --dst-opts 0,0,0,0,0,0", { UDP, .exts = { DSTH } }, MATCH },
	{ "dst: options, one more than fits", V6,
	  "-m dst --dst-opts 0,0,0,0,0,0,0", { UDP, .exts = { DSTH } },
	  NOMATCH },
	{ "dst: options, overrun before the list ends", V6,
	  "-m dst --dst-opts 1:10,0",
	  { UDP, .exts = { DSTH }, .opt6 = "\x01\x0a", .opt6len = 2 },
	  NOMATCH },
	{ "dst: options, overrun at the list's end", V6,
	  "-m dst --dst-opts 0,1:10",
	  { UDP, .exts = { DSTH }, .opt6 = "\x00\x01\x0a", .opt6len = 3 },
	  MATCH },
	{ "dst: options, other type", V6, "-m dst --dst-opts 5",
	  { UDP, .exts = { DSTH }, .opt6 = "\x01\x04", .opt6len = 2 },
	  NOMATCH },
	{ "dst: options and length", V6, "-m dst --dst-len 8 --dst-opts 1:4",
	  { UDP, .exts = { DSTH }, .opt6 = "\x01\x04", .opt6len = 2 }, MATCH },
	{ "dst: options and ! length", V6,
	  "-m dst ! --dst-len 8 --dst-opts 1:4",
	  { UDP, .exts = { DSTH }, .opt6 = "\x01\x04", .opt6len = 2 },
	  NOMATCH },
	{ "hbh: options", V6, "-m hbh --hbh-opts 1:4",
	  { UDP, .exts = { HBH }, .opt6 = "\x01\x04", .opt6len = 2 }, MATCH },
	{ "hbh: options, second one", V6, "-m hbh --hbh-opts 0,1:3",
	  { UDP, .exts = { HBH }, .opt6 = "\x00\x01\x03", .opt6len = 3 },
	  MATCH },
	{ "dst: after routing", V6, "-m dst --dst-len 8",
	  { UDP, .exts = { HBH, RTH, DSTH } }, MATCH },
	{ "dst: behind ah", V6, "-m dst",
	  { UDP, .exts = { IPPROTO_AH, DSTH } }, MATCH },
	{ "dst: behind no-next-header", V6, "-m dst",
	  { IPPROTO_NONE, .exts = { HBH }, .payload = -1 }, NOMATCH },
	{ "rt: type and segments", V6, "-m rt --rt-type 2 --rt-segsleft 1",
	  { UDP, .exts = { RTH }, .extlen = { 24 }, .rt_type = 2,
	    .rt_segs = 1 }, MATCH },
	{ "rt: other type", V6, "-m rt --rt-type 0",
	  { UDP, .exts = { RTH }, .rt_type = 2 }, NOMATCH },
	{ "rt: ! segments", V6, "-m rt ! --rt-segsleft 1:3",
	  { UDP, .exts = { RTH }, .rt_segs = 4 }, MATCH },
	{ "rt: length", V6, "-m rt --rt-len 24",
	  { UDP, .exts = { RTH }, .extlen = { 24 } }, MATCH },
	{ "rt: type 0 reserved", V6, "-m rt --rt-type 0 --rt-0-res",
	  { UDP, .exts = { RTH } }, MATCH },
	{ "rt: absent", V6, "-m rt", { UDP, .exts = { HBH } }, NOMATCH },
	{ "ah ipv6: spi", V6, "-m ah --ahspi 7",
	  { UDP, .exts = { IPPROTO_AH }, .spi = 7 }, MATCH },
	{ "ah ipv6: behind hop-by-hop", V6, "-m ah ! --ahspi 7",
	  { UDP, .exts = { HBH, IPPROTO_AH }, .spi = 8 }, MATCH },
	{ "ah ipv6: length", V6, "-m ah --ahlen 16",
	  { UDP, .exts = { IPPROTO_AH }, .extlen = { 16 } }, MATCH },
	{ "ah ipv6: ! length", V6, "-m ah ! --ahlen 16",
	  { UDP, .exts = { IPPROTO_AH }, .extlen = { 24 } }, MATCH },
	{ "ah ipv6: absent", V6, "-m ah", { UDP }, NOMATCH },
	{ "ah ipv6: short hotdrops", V6, "-m ah",
	  { UDP, .exts = { IPPROTO_AH }, .payload = -1, .cut = 8 + 5 },
	  HOTDROP },
	{ "ipv6header: hop,dst soft", V6, "-m ipv6header --header hop --soft",
	  { UDP, .exts = { HBH, DSTH } }, MATCH },
	{ "ipv6header: hop,dst exact", V6,
	  "-m ipv6header --header hop-by-hop,dst,prot",
	  { UDP, .exts = { HBH, DSTH } }, MATCH },
	{ "ipv6header: exact misses proto", V6,
	  "-m ipv6header --header hop-by-hop,dst",
	  { UDP, .exts = { HBH, DSTH } }, NOMATCH },
	{ "ipv6header: ! exact", V6, "-m ipv6header ! --header hop-by-hop",
	  { UDP, .exts = { HBH } }, MATCH },
	{ "ipv6header: none", V6, "-m ipv6header --header none",
	  { IPPROTO_NONE, .payload = -1 }, MATCH },
	{ "ipv6header: frag walks on in later fragments", V6,
	  "-m ipv6header --header frag,ipv6-route --soft",
	  { IPPROTO_ROUTING, .exts = { FRH }, .frag = 8, .payload = 8 },
	  MATCH },
	{ "ipv6header: esp ends", V6, "-m ipv6header --header hop,esp",
	  { IPPROTO_ESP, .exts = { HBH } }, MATCH },
	{ "ipv6header: ! soft", V6, "-m ipv6header ! --header ah --soft",
	  { UDP, .exts = { IPPROTO_AH } }, NOMATCH },
	{ "ipv6header: past the end stops", V6,
	  "-m ipv6header --header hop,prot",
	  { UDP, .exts = { HBH }, .extlen = { 16 }, .payload = -1,
	    .cut = 8 + 4 }, MATCH },
	{ "ipv6header: past the end stops, no hotdrop", V6,
	  "-m ipv6header --header dst,prot",
	  { UDP, .exts = { DSTH }, .extlen = { 16 }, .payload = -1,
	    .cut = 12 }, MATCH },
	{ "ipv6header: 1 byte left fails", V6, "-m ipv6header --header hop --soft",
	  { IPPROTO_NONE, .exts = { HBH, DSTH }, .payload = -1, .cut = 7 },
	  NOMATCH },
};

static int build_prog(int pf, bool accept_first, const char *match,
		      struct bpfgen_prog **p, char *why, size_t whysz)
{
	char rule[256];
	const char *a[] = { rule, "-A INPUT -j DROP", NULL };
	const char *b[] = { rule, NULL };

	snprintf(rule, sizeof(rule), "-A INPUT %s -j %s", match,
		 accept_first ? "ACCEPT" : "DROP");
	return ruleset_build(pf, "filter", "INPUT", accept_first ? a : b, p,
			     why, whysz);
}

static int run_one(const struct tcase *c, bool accept_first, uint32_t *v)
{
	struct bpfgen_prog *p = NULL;
	char why[256] = "";
	struct pkt pk;
	int fd = -1, err;

	err = build_prog(c->pf, accept_first, c->match, &p, why, sizeof(why));
	if (!ASSERT_OK(err, why))
		goto out;
	err = bpfrun_load(p, "l4_test", &fd);
	if (!ASSERT_OK(err, "load"))
		goto out;
	build(&pk, c->pf, &c->pkt);
	err = bpfrun(fd, &pk, 1, v, NULL);
	ASSERT_OK(err, "test run");
out:
	if (fd >= 0)
		close(fd);
	bpfgen_prog_free(p);
	return err;
}

static void run_case(const struct tcase *c)
{
	static const char *const names[] = { "no match", "match", "hotdrop" };
	uint32_t a = ~0U, b = ~0U;
	enum outcome got;

	if (run_one(c, true, &a) || run_one(c, false, &b))
		return;
	if (a == NF_ACCEPT && b == NF_DROP)
		got = MATCH;
	else if (a == NF_DROP && b == NF_ACCEPT)
		got = NOMATCH;
	else if (a == NF_DROP && b == NF_DROP)
		got = HOTDROP;
	else
		got = -1;
	if (got != c->want)
		printf("# got %s, want %s\n",
		       got < 0 ? "(accept, accept)" : names[got],
		       names[c->want]);
	ASSERT_EQ(got, c->want, "outcome");
}

/*
 * The same match code in user chains (BPF subprograms that reach the
 * packet info block through R9 in the caller's frame) and behind each
 * other in one rule.
 */
static const struct {
	const char *name;
	int pf;
	const char *rules[6];
	struct spec pkt;
	uint32_t verdict;
} chain_cases[] = {
	{ "user chain: tcp option walk", V4,
	  { "-N sub", "-A sub -p tcp -m tcpmss --mss 1460 -j DROP",
	    "-A INPUT -p tcp -j sub" },
	  { TCP, .tcpopt = OPT_SACKP OPT_MSS1460, .optlen = 8 }, NF_DROP },
	{ "user chain: hotdrop", V4,
	  { "-N sub", "-A sub -p udp -m multiport --dports 1 -j ACCEPT",
	    "-P INPUT ACCEPT", "-A INPUT -j sub" },
	  { UDP, .payload = -1, .cut = 5 }, NF_DROP },
	{ "user chain: ipv6 header walks", V6,
	  { "-N sub", "-N sub2", "-A sub2 -m frag --fraglast -j DROP",
	    "-A sub -m ipv6header --header hop,frag,prot --soft -j sub2",
	    "-A INPUT -j sub" },
	  { UDP, .exts = { HBH, FRH }, .more = false }, NF_DROP },
	{ "one rule, many matches", V6,
	  { "-A INPUT -p tcp -m hl --hl-eq 64 -m tcpmss --mss 1460 "
	    "-m tcp --tcp-option 4 -m dst -m length --length 84 -j DROP" },
	  { TCP, .exts = { DSTH }, .tcpopt = OPT_SACKP OPT_MSS1460,
	    .optlen = 8 }, NF_DROP },
};

static void run_chain_case(size_t i)
{
	struct bpfgen_prog *p = NULL;
	char why[256] = "";
	uint32_t verdict = ~0U;
	struct pkt pk;
	int fd = -1;

	if (!ASSERT_OK(ruleset_build(chain_cases[i].pf, "filter", "INPUT",
				     chain_cases[i].rules, &p, why,
				     sizeof(why)), why))
		goto out;
	if (!ASSERT_OK(bpfrun_load(p, "l4_chain_test", &fd), "load"))
		goto out;
	build(&pk, chain_cases[i].pf, &chain_cases[i].pkt);
	if (ASSERT_OK(bpfrun(fd, &pk, 1, &verdict, NULL), "test run"))
		ASSERT_EQ(verdict, chain_cases[i].verdict, "verdict");
out:
	if (fd >= 0)
		close(fd);
	bpfgen_prog_free(p);
}

/* What stays on nf_tables says why. */
static void test_refused(void)
{
	static const struct {
		int pf;
		const char *rule;
		const char *why;
	} refused[] = {
		{ V6, "-A INPUT -m rt --rt-type 0 --rt-0-addrs ::1 -j DROP",
		  "chain INPUT rule 1: rt match with an address list" },
	};
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		const char *rules[] = { refused[i].rule, NULL };
		struct bpfgen_prog *p = NULL;
		char why[256] = "";

		ASSERT_EQ(ruleset_build(refused[i].pf, "filter", "INPUT", rules,
					&p, why, sizeof(why)),
			  -EOPNOTSUPP, refused[i].rule);
		ASSERT_STREQ(why, refused[i].why, "reason");
		bpfgen_prog_free(p);
	}
}

static void run_kernel_case(struct koracle *k, const struct tcase *c)
{
	static const char *const names[] = { "no match", "match", "hotdrop" };
	enum koracle_outcome got;
	struct pkt pk;

	if (c->pkt.mac != MAC_HOST) {
		ipb_test_state.skip_reason = "test-run's packet type";
		return;
	}
	build(&pk, c->pf, &c->pkt);
	if (!ASSERT_OK(koracle_run(k, c->match, &pk, &got), "kernel run"))
		return;
	if (got == KORACLE_LOST) {
		ipb_test_state.skip_reason = "dropped before PREROUTING";
		return;
	}
	if (got != (enum koracle_outcome)c->want)
		printf("# kernel: %s, want %s\n", names[got], names[c->want]);
	ASSERT_EQ(got, c->want, "kernel outcome");
}

static void run_kernel_cases(void)
{
	const char *env = getenv("IPB_L4_KERNEL");
	struct koracle *k = NULL;
	char label[160];
	size_t i;
	int err;

	if (env && !strcmp(env, "0"))
		return;
	err = koracle_new(&k);
	if (err) {
		printf("# kernel oracle unavailable: %s\n", strerror(-err));
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(label, sizeof(label), "kernel: %s", cases[i].name);
		RUN_SUBTEST(label, run_kernel_case(k, &cases[i]));
	}
	koracle_free(k);
}

int main(void)
{
	size_t i;

	if (geteuid() != 0) {
		printf("1..0 # skip needs root (CAP_BPF)\n");
		return IPB_TEST_SKIP;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		RUN_SUBTEST(cases[i].name, run_case(&cases[i]));
	for (i = 0; i < sizeof(chain_cases) / sizeof(chain_cases[0]); i++)
		RUN_SUBTEST(chain_cases[i].name, run_chain_case(i));
	RUN_TEST(test_refused);
	run_kernel_cases();
	return ipb_test_done();
}
