// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rulesets written as iptables command lines, compiled by the front end's
 * compiler (iptables-bpf/compile.c and the extensions' to_bpf), run on
 * packets with BPF_PROG_TEST_RUN.  Each case asserts the verdict.
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
#include "tests/lib/pkt.h"
#include "tests/lib/ruleset.h"

IPB_TEST_STATE_DEFINE;

/* A packet: IPv4 or IPv6, TCP, UDP or ICMP, at INPUT. */
struct pkt_spec {
	int pf;
	int proto;
	const char *src, *dst;
	uint16_t sport, dport;
	uint8_t tcp_flags;
	int frag8;		/* IPv4 fragment offset (8-byte units) */
	size_t cut;		/* bytes to cut off the end */
};

static void build(struct pkt *pk, const struct pkt_spec *s)
{
	pkt_begin(pk, s->pf, NF_INET_LOCAL_IN);
	if (s->pf == NFPROTO_IPV6)
		pkt_ip6(pk, s->proto, s->src, s->dst);
	else
		pkt_ip4(pk, s->proto, s->src, s->dst);
	if (s->frag8)
		pkt_ip4_frag(pk, s->frag8, false);
	if (s->proto == IPPROTO_TCP) {
		pkt_tcp(pk, s->sport, s->dport);
		pk->buf[pk->len - 20 + 13] = s->tcp_flags;
	} else if (s->proto == IPPROTO_UDP) {
		pkt_udp(pk, s->sport, s->dport);
	} else if (s->proto == IPPROTO_ICMP) {
		pkt_icmp(pk, 8, 0);
	}
	pkt_payload(pk, 8);
	if (s->cut)
		pkt_cut(pk, s->cut);
	pkt_end(pk);
}

#define V4 NFPROTO_IPV4
#define V6 NFPROTO_IPV6
#define SYN 0x02
#define ACK 0x10

static const struct {
	const char *name;
	int pf;
	const char *rules[8];
	struct pkt_spec pkt;
	uint32_t verdict;
} cases[] = {
	{ "ssh dropped", V4, { "-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j DROP" },
	  { V4, IPPROTO_TCP, "10.1.2.3", "192.0.2.1", 1000, 22 }, NF_DROP },
	{ "ssh from elsewhere passes", V4,
	  { "-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j DROP" },
	  { V4, IPPROTO_TCP, "11.1.2.3", "192.0.2.1", 1000, 22 }, NF_ACCEPT },
	{ "inverted source", V4,
	  { "-A INPUT ! -s 10.0.0.0/8 -p tcp --dport 22 -j DROP" },
	  { V4, IPPROTO_TCP, "11.1.2.3", "192.0.2.1", 1000, 22 }, NF_DROP },
	{ "odd mask", V4, { "-A INPUT -d 192.0.0.2/255.0.255.255 -j DROP" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "192.9.0.2", 1, 2 }, NF_DROP },
	{ "policy drop", V4,
	  { "-P INPUT DROP", "-A INPUT -p udp --dport 53 -j ACCEPT" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1000, 54 }, NF_DROP },
	{ "udp port range", V4,
	  { "-P INPUT DROP", "-A INPUT -p udp --dport 50:60 -j ACCEPT" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1000, 54 }, NF_ACCEPT },
	{ "! --sport ! --dport folds: both equal", V4,
	  { "-A INPUT -p udp ! --sport 1 ! --dport 2 -j DROP" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 2 }, NF_ACCEPT },
	{ "! --sport ! --dport folds: one differs", V4,
	  { "-A INPUT -p udp ! --sport 1 ! --dport 2 -j DROP" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 3 }, NF_DROP },
	{ "! --dport 0:65535 matches all", V4,
	  { "-A INPUT -p tcp ! --dport 0:65535 -j DROP" },
	  { V4, IPPROTO_TCP, "1.1.1.1", "2.2.2.2", 1, 3 }, NF_DROP },
	{ "--syn", V4, { "-A INPUT -p tcp --syn -j DROP" },
	  { V4, IPPROTO_TCP, "1.1.1.1", "2.2.2.2", 1, 3, SYN }, NF_DROP },
	{ "--syn, not a SYN", V4, { "-A INPUT -p tcp --syn -j DROP" },
	  { V4, IPPROTO_TCP, "1.1.1.1", "2.2.2.2", 1, 3, SYN | ACK },
	  NF_ACCEPT },
	{ "truncated tcp: native port compare does not match", V4,
	  { "-A INPUT -p tcp --dport 22 -j DROP" },
	  { V4, IPPROTO_TCP, "1.1.1.1", "2.2.2.2", 1, 22, 0, 0, 8 + 18 },
	  NF_ACCEPT },
	{ "user chain: jump and drop", V4,
	  { "-N sub", "-A sub -p udp -j DROP", "-A sub -j RETURN",
	    "-A INPUT -s 1.0.0.0/8 -j sub" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 2 }, NF_DROP },
	{ "user chain: return goes on", V4,
	  { "-P INPUT DROP", "-N sub", "-A sub -p udp -j RETURN",
	    "-A sub -j DROP", "-A INPUT -j sub", "-A INPUT -j ACCEPT" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 2 }, NF_ACCEPT },
	{ "goto does not come back", V4,
	  { "-N sub", "-A sub -p tcp -j ACCEPT", "-A INPUT -g sub",
	    "-A INPUT -j DROP" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 2 }, NF_ACCEPT },
	/*
	 * The jump to sub sits behind an unconditional verdict: dead, so
	 * nothing calls sub and finish drops it, while the counter
	 * subprogram behind it moves down.  Its jumps kept their old
	 * offsets ("jump out of range from insn 83 to 99").
	 */
	{ "dead jump to a user chain", V4,
	  { "-A INPUT -j ACCEPT", "-A INPUT -j DROP", "-N sub",
	    "-A sub -j RETURN", "-A INPUT -j sub" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 2 }, NF_ACCEPT },
	{ "dead jump to a user chain, policy drop", V4,
	  { "-P INPUT DROP", "-A INPUT -p udp -j DROP", "-A INPUT -j ACCEPT",
	    "-N sub", "-A sub -p tcp -j DROP", "-A sub -j RETURN",
	    "-A INPUT -j sub" },
	  { V4, IPPROTO_TCP, "1.1.1.1", "2.2.2.2", 1, 2 }, NF_ACCEPT },
	{ "interface: no device at test-run", V4,
	  { "-A INPUT -i eth+ -j DROP" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 2 }, NF_ACCEPT },
	{ "mark: test-run packets carry none", V4,
	  { "-A INPUT -m mark --mark 0 -j DROP" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 2 }, NF_DROP },
	{ "-f: first fragment", V4, { "-A INPUT -f -j DROP" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 2 }, NF_ACCEPT },
	{ "-f: later fragment", V4, { "-A INPUT -f -j DROP" },
	  { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 2, 0, 5 }, NF_DROP },
	{ "ipv6 source prefix", V6,
	  { "-A INPUT -s 2001:db8::/32 -p tcp --dport 80 -j DROP" },
	  { V6, IPPROTO_TCP, "2001:db8::1", "2001:db8::2", 1, 80 }, NF_DROP },
	{ "ipv6 other source", V6,
	  { "-A INPUT -s 2001:db8::/32 -p tcp --dport 80 -j DROP" },
	  { V6, IPPROTO_TCP, "2001:db9::1", "2001:db8::2", 1, 80 },
	  NF_ACCEPT },
};

/* A blocklist of 40 addresses, one hash lookup: every address is found,
 * others pass, counters go to the right rule, a repeated address counts
 * in its first rule only. */
static void test_address_group(void)
{
	static char lines[48][64];
	const char *rules[48];
	struct bpfgen_prog *p = NULL;
	struct pkt_spec spec = { V4, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 2 };
	char why[256] = "", src[32];
	uint32_t verdict = ~0U;
	uint64_t pkts, bytes;
	struct pkt pk;
	int fd = -1, i, n = 0;

	for (i = 0; i < 40; i++) {
		snprintf(lines[n], sizeof(lines[n]),
			 "-A INPUT -s 198.51.100.%d -j DROP", i + 1);
		rules[n] = lines[n];
		n++;
	}
	/* a repeat of the 5th address: never counts */
	rules[n++] = "-A INPUT -s 198.51.100.5 -j DROP";
	rules[n] = NULL;
	if (!ASSERT_OK(ruleset_build(V4, "filter", "INPUT", rules, &p, why,
				     sizeof(why)), why))
		goto out;
	if (!ASSERT_OK(bpfrun_load(p, "group_test", &fd), "load"))
		goto out;
	for (i = 1; i <= 41; i++) {
		snprintf(src, sizeof(src), "198.51.100.%d", i);
		spec.src = src;
		build(&pk, &spec);
		if (!ASSERT_OK(bpfrun(fd, &pk, 1, &verdict, NULL), "run"))
			goto out;
		ASSERT_EQ(verdict, i <= 40 ? NF_DROP : NF_ACCEPT, src);
	}
	spec.src = "198.51.100.5";
	build(&pk, &spec);
	ASSERT_OK(bpfrun(fd, &pk, 1, &verdict, NULL), "run again");
	/* slot 4 (the 5th rule): two packets; slot 40 (the repeat): none */
	if (ASSERT_OK(bpfgen_counters_read(bpfgen_prog_counters_fd(p), 4,
					   &pkts, &bytes), "read 5th"))
		ASSERT_EQ(pkts, 2, "5th rule counts both packets");
	if (ASSERT_OK(bpfgen_counters_read(bpfgen_prog_counters_fd(p), 40,
					   &pkts, &bytes), "read repeat"))
		ASSERT_EQ(pkts, 0, "the repeated address counts nothing");
	/* and the program stayed small: one lookup, not 41 compares */
	ASSERT_TRUE(bpfgen_prog_insn_cnt(p) < 200, "one lookup");
out:
	if (fd >= 0)
		close(fd);
	bpfgen_prog_free(p);
}

static void run_case(size_t i)
{
	struct bpfgen_prog *p = NULL;
	char why[256] = "";
	uint32_t verdict = ~0U;
	struct pkt pk;
	int fd = -1, err;

	err = ruleset_build(cases[i].pf, "filter", "INPUT", cases[i].rules,
			    &p, why, sizeof(why));
	if (!ASSERT_OK(err, why))
		goto out;
	if (!ASSERT_OK(bpfrun_load(p, "ruleset_test", &fd), "load"))
		goto out;
	build(&pk, &cases[i].pkt);
	if (ASSERT_OK(bpfrun(fd, &pk, 1, &verdict, NULL), "test run"))
		ASSERT_EQ(verdict, cases[i].verdict, "verdict");
out:
	if (fd >= 0)
		close(fd);
	bpfgen_prog_free(p);
}

/* What cannot run in BPF is named, for the fallback message. */
static void test_fallback_reason(void)
{
	static const char *const rules[] = {
		"-A INPUT -p tcp --dport 22 -j ACCEPT",
		"-A INPUT -j REJECT",
		NULL,
	};
	struct bpfgen_prog *p = NULL;
	char why[256] = "";

	ASSERT_EQ(ruleset_build(V4, "filter", "INPUT", rules, &p, why,
				sizeof(why)),
		  -EOPNOTSUPP, "REJECT refused");
	ASSERT_STREQ(why, "chain INPUT rule 2: target REJECT", "reason");
	bpfgen_prog_free(p);
}

int main(void)
{
	size_t i;

	if (geteuid() != 0) {
		printf("1..0 # skip needs root (CAP_BPF)\n");
		return IPB_TEST_SKIP;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		RUN_SUBTEST(cases[i].name, run_case(i));
	RUN_TEST(test_fallback_reason);
	RUN_TEST(test_address_group);
	return ipb_test_done();
}
