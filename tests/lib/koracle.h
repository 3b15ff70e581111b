/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel as the oracle for match semantics: a crafted frame is sent
 * over a veth pair into a namespace where iptables-nft holds
 *	-A PREROUTING -m mac --mac-source KORACLE_MAC		(arrived)
 *	-A PREROUTING -m mac --mac-source KORACLE_MAC <match>	(matched)
 *	-A PREROUTING -m mac --mac-source KORACLE_MAC		(survived)
 * in the mangle table, and the rule counters tell whether nf_tables
 * found the match true, false, or dropped the packet (xt hotdrop).
 * PREROUTING sees fragments as sent: no conntrack, so no defrag.  The
 * frame passes ip_rcv()/ipv6_rcv() first, so it must be a valid
 * IP packet addressed to the peer's MAC (koracle_send() fixes the MACs
 * and the IPv4 header checksum).  Everything runs in namespaces this
 * creates and removes.
 */
#ifndef IPB_TESTS_LIB_KORACLE_H
#define IPB_TESTS_LIB_KORACLE_H

struct pkt;
struct koracle;

enum koracle_outcome {
	KORACLE_NOMATCH,
	KORACLE_MATCH,
	KORACLE_HOTDROP,
	KORACLE_LOST,	/* never reached PREROUTING */
};

/* 0, or -errno (the caller skips: no iproute2, no iptables-nft). */
int koracle_new(struct koracle **out);
void koracle_free(struct koracle *k);
/* @pk: as pkt_begin(@pk, pf, NF_INET_LOCAL_IN) builds it. */
int koracle_run(struct koracle *k, const char *match, struct pkt *pk,
		enum koracle_outcome *outcome);

#endif
