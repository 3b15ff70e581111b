/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packet builders for BPF_PROG_TEST_RUN.  A packet is built front to
 * back:
 *	struct pkt pk;
 *	pkt_begin(&pk, NFPROTO_IPV4, NF_INET_LOCAL_IN);
 *	pkt_ip4(&pk, IPPROTO_TCP, "10.1.2.3", "192.168.0.1");
 *	pkt_tcp(&pk, 1234, 22);
 *	pkt_end(&pk);
 * pkt_begin() puts an Ethernet header in front for every hook but
 * LOCAL_OUT, as the kernel's test-run wants.  pkt_end() fills in the IP
 * length fields from what was appended; pkt_cut() before it truncates,
 * and setting the fields by hand after it makes them lie.
 *
 * Include it (or <netinet/in.h>) before any <linux/...> header: glibc's
 * and the kernel's in.h only coexist in that order.
 */
#ifndef IPB_TESTS_LIB_PKT_H
#define IPB_TESTS_LIB_PKT_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <linux/if_ether.h>
#include <linux/netfilter.h>

#define PKT_MAX 512

struct pkt {
	uint8_t buf[PKT_MAX];
	size_t len;
	size_t l3;	/* offset of the IP header */
	int pf;
	int hook;
};

static inline uint8_t *pkt_put(struct pkt *pk, size_t n)
{
	uint8_t *p = pk->buf + pk->len;

	if (pk->len + n > PKT_MAX)
		n = 0;
	memset(p, 0, n);
	pk->len += n;
	return p;
}

static inline void pkt_begin(struct pkt *pk, int pf, int hook)
{
	memset(pk, 0, sizeof(*pk));
	pk->pf = pf;
	pk->hook = hook;
	if (hook != NF_INET_LOCAL_OUT) {
		uint8_t *eth = pkt_put(pk, ETH_HLEN);
		uint16_t proto = htons(pf == NFPROTO_IPV4 ? ETH_P_IP :
							    ETH_P_IPV6);

		eth[6] = 0x02;	/* a locally administered source */
		memcpy(eth + 12, &proto, 2);
	}
	pk->l3 = pk->len;
}

/* IPv4 header with @optlen bytes of NOP options (a multiple of 4). */
static inline void pkt_ip4_opt(struct pkt *pk, int proto, const char *src,
			       const char *dst, int optlen)
{
	uint8_t *ip = pkt_put(pk, 20 + optlen);

	ip[0] = 0x40 | ((20 + optlen) / 4);
	ip[8] = 64;
	ip[9] = proto;
	inet_pton(AF_INET, src, ip + 12);
	inet_pton(AF_INET, dst, ip + 16);
	memset(ip + 20, 1, optlen);
}

static inline void pkt_ip4(struct pkt *pk, int proto, const char *src,
			   const char *dst)
{
	pkt_ip4_opt(pk, proto, src, dst, 0);
}

/* Fragment fields of the IPv4 header: offset in 8-byte units, MF. */
static inline void pkt_ip4_frag(struct pkt *pk, int offset8, bool more)
{
	uint16_t v = htons((offset8 & 0x1fff) | (more ? 0x2000 : 0));

	memcpy(pk->buf + pk->l3 + 6, &v, 2);
}

static inline void pkt_ip6(struct pkt *pk, int nexthdr, const char *src,
			   const char *dst)
{
	uint8_t *ip = pkt_put(pk, 40);

	ip[0] = 0x60;
	ip[6] = nexthdr;
	ip[7] = 64;
	inet_pton(AF_INET6, src, ip + 8);
	inet_pton(AF_INET6, dst, ip + 24);
}

/* The low 16 bits of the IPv6 flow label (header bytes 2-3). */
static inline void pkt_ip6_flow16(struct pkt *pk, uint16_t v)
{
	v = htons(v);
	memcpy(pk->buf + pk->l3 + 2, &v, 2);
}

/* Hop-by-hop (0), routing (43) or destination options (60), @len bytes. */
static inline void pkt_ext6(struct pkt *pk, int nexthdr, int len)
{
	uint8_t *h = pkt_put(pk, len);

	h[0] = nexthdr;
	h[1] = len / 8 - 1;
}

static inline void pkt_frag6(struct pkt *pk, int nexthdr, int offset_bytes,
			     bool more)
{
	uint8_t *h = pkt_put(pk, 8);
	uint16_t v = htons((offset_bytes & 0xfff8) | (more ? 1 : 0));

	h[0] = nexthdr;
	memcpy(h + 2, &v, 2);
	h[7] = 0x2a;	/* identification */
}

/* Authentication header of @len bytes (a multiple of 4, >= 12). */
static inline void pkt_ah6(struct pkt *pk, int nexthdr, int len)
{
	uint8_t *h = pkt_put(pk, len);

	h[0] = nexthdr;
	h[1] = len / 4 - 2;
}

static inline void pkt_tcp(struct pkt *pk, uint16_t sport, uint16_t dport)
{
	uint8_t *t = pkt_put(pk, 20);

	sport = htons(sport);
	dport = htons(dport);
	memcpy(t, &sport, 2);
	memcpy(t + 2, &dport, 2);
	t[12] = 5 << 4;
	t[13] = 0x02;	/* SYN */
}

static inline void pkt_udp(struct pkt *pk, uint16_t sport, uint16_t dport)
{
	uint8_t *u = pkt_put(pk, 8);

	sport = htons(sport);
	dport = htons(dport);
	memcpy(u, &sport, 2);
	memcpy(u + 2, &dport, 2);
}

/* ICMP or ICMPv6 (same layout for type and code). */
static inline void pkt_icmp(struct pkt *pk, int type, int code)
{
	uint8_t *i = pkt_put(pk, 8);

	i[0] = type;
	i[1] = code;
}

static inline void pkt_payload(struct pkt *pk, size_t n)
{
	memset(pkt_put(pk, n), 0xab, n);
}

/* Drop the last @n bytes (before pkt_end()). */
static inline void pkt_cut(struct pkt *pk, size_t n)
{
	pk->len = n < pk->len ? pk->len - n : 0;
}

static inline void pkt_end(struct pkt *pk)
{
	uint16_t v;

	if (pk->pf == NFPROTO_IPV4) {
		v = htons(pk->len - pk->l3);
		memcpy(pk->buf + pk->l3 + 2, &v, 2);
	} else {
		v = htons(pk->len - pk->l3 - 40);
		memcpy(pk->buf + pk->l3 + 4, &v, 2);
	}
}

#endif
