// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The state and metadata matches (conntrack, state, connmark, limit,
 * statistic, owner, mac, cpu, devgroup, comment, helper), compiled from
 * iptables command lines by the front end's compiler and run with
 * BPF_PROG_TEST_RUN.  Test-run packets have no conntrack entry, no
 * socket and no input device (skb->dev is loopback): each case asserts
 * what the kernel's match function decides for such a packet.  Stateful
 * matches get a sequence of packets through one loaded program.
 */
#include <stdio.h>
#include <netinet/in.h>
#include <net/if.h>
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include <linux/netfilter.h>

#include <bpf/bpf.h>

#include "bpfgen/bpfgen.h"
#include "tests/lib/bpfrun.h"
#include "tests/lib/ipb_test.h"
#include "tests/lib/pkt.h"
#include "tests/lib/ruleset.h"

IPB_TEST_STATE_DEFINE;

#define V4 NFPROTO_IPV4
#define V6 NFPROTO_IPV6
#define IN NF_INET_LOCAL_IN
#define OUT NF_INET_LOCAL_OUT
#define D NF_DROP
#define A NF_ACCEPT
#define MAXSEQ 8

static const struct {
	const char *name;
	int pf, hook;
	const char *rules[4];
	uint32_t v[MAXSEQ];	/* verdicts of consecutive packets */
	int n;			/* packets sent, 0: one */
} cases[] = {
	/* no entry: INVALID, the only state bit set */
	{ "state INVALID", V4, IN, { "-A INPUT -m state --state INVALID -j DROP" }, { D } },
	{ "state NEW", V4, IN, { "-A INPUT -m state --state NEW -j DROP" }, { A } },
	{ "state ! INVALID", V4, IN, { "-A INPUT -m state ! --state INVALID -j DROP" }, { A } },
	{ "state ! NEW,ESTABLISHED", V4, IN,
	  { "-A INPUT -m state ! --state NEW,ESTABLISHED -j DROP" }, { D } },
	{ "state ESTABLISHED,RELATED v6", V6, IN,
	  { "-A INPUT -m state --state ESTABLISHED,RELATED -j DROP" }, { A } },
	{ "state INVALID v6", V6, IN, { "-A INPUT -m state --state INVALID -j DROP" }, { D } },
	{ "ctstate INVALID", V4, IN, { "-A INPUT -m conntrack --ctstate INVALID -j DROP" }, { D } },
	{ "ctstate UNTRACKED", V4, IN, { "-A INPUT -m conntrack --ctstate UNTRACKED -j DROP" }, { A } },
	{ "ctstate SNAT,DNAT", V4, IN, { "-A INPUT -m conntrack --ctstate SNAT,DNAT -j DROP" }, { A } },
	{ "ctstate ! SNAT", V4, IN, { "-A INPUT -m conntrack ! --ctstate SNAT -j DROP" }, { D } },
	{ "ctstate ! INVALID v6", V6, IN,
	  { "-A INPUT -m conntrack ! --ctstate INVALID -j DROP" }, { A } },
	/* conntrack_mt(): without an entry, true iff a state test passed */
	{ "ctstate INVALID + ctproto: true without entry", V4, IN,
	  { "-A INPUT -m conntrack --ctstate INVALID --ctproto tcp -j DROP" }, { D } },
	{ "ctstate NEW + ctproto", V4, IN,
	  { "-A INPUT -m conntrack --ctstate NEW --ctproto tcp -j DROP" }, { A } },
	{ "ctproto alone: no entry, false", V4, IN,
	  { "-A INPUT -m conntrack --ctproto udp -j DROP" }, { A } },
	{ "! ctproto: no entry, false", V4, IN,
	  { "-A INPUT -m conntrack ! --ctproto udp -j DROP" }, { A } },
	{ "ctstatus", V4, IN, { "-A INPUT -m conntrack --ctstatus ASSURED -j DROP" }, { A } },
	{ "! ctstatus", V4, IN, { "-A INPUT -m conntrack ! --ctstatus ASSURED -j DROP" }, { A } },
	{ "ctorigsrc", V4, IN, { "-A INPUT -m conntrack --ctorigsrc 10.0.0.0/8 -j DROP" }, { A } },
	{ "! ctorigdst", V4, IN, { "-A INPUT -m conntrack ! --ctorigdst 10.0.0.1 -j DROP" }, { A } },
	{ "ctreplsrc v6", V6, IN, { "-A INPUT -m conntrack --ctreplsrc 2001:db8::/32 -j DROP" }, { A } },
	{ "! ctrepldst v6", V6, IN,
	  { "-A INPUT -m conntrack ! --ctrepldst 2001:db8::1 -j DROP" }, { A } },
	{ "ctorigsrcport", V4, IN,
	  { "-A INPUT -m conntrack --ctproto tcp --ctorigsrcport 1000:2000 -j DROP" }, { A } },
	{ "! ctorigdstport ctreplsrcport ctrepldstport", V4, IN,
	  { "-A INPUT -m conntrack --ctproto udp ! --ctorigdstport 53 --ctreplsrcport 53 --ctrepldstport 1:2 -j DROP" },
	  { A } },
	{ "ctdir", V4, IN, { "-A INPUT -m conntrack --ctdir ORIGINAL -j DROP" }, { A } },
	{ "ctdir REPLY v6", V6, IN, { "-A INPUT -m conntrack --ctdir REPLY -j DROP" }, { A } },
	{ "INVALID or any entry: accept rest", V4, IN,
	  { "-P INPUT DROP", "-A INPUT -m conntrack --ctstate INVALID --ctdir REPLY -j ACCEPT" },
	  { A } },
	/* connmark_mt(): false without an entry, "!" or not */
	{ "connmark", V4, IN, { "-A INPUT -m connmark --mark 0 -j DROP" }, { A } },
	{ "! connmark", V4, IN, { "-A INPUT -m connmark ! --mark 1 -j DROP" }, { A } },
	{ "connmark masked v6", V6, IN, { "-A INPUT -m connmark --mark 0/0xff -j DROP" }, { A } },
	/* nft limit: a full bucket of --limit-burst packets, then none */
	{ "limit burst 3", V4, IN,
	  { "-A INPUT -m limit --limit 1/hour --limit-burst 3 -j DROP" },
	  { D, D, D, A, A }, 5 },
	{ "limit burst 1 v6", V6, IN,
	  { "-A INPUT -m limit --limit 1/minute --limit-burst 1 -j DROP" },
	  { D, A, A }, 3 },
	{ "limit default burst 5", V4, IN,
	  { "-A INPUT -m limit --limit 2/day -j DROP" },
	  { D, D, D, D, D, A, A }, 7 },
	{ "two limits keep their own buckets", V4, IN,
	  { "-A INPUT -m limit --limit 1/hour --limit-burst 1 -j ACCEPT",
	    "-A INPUT -m limit --limit 1/hour --limit-burst 2 -j DROP" },
	  { A, D, D, A, A }, 5 },
	{ "limit fast rate refills", V4, IN,
	  { "-P INPUT DROP", "-A INPUT -m limit --limit 10000/second --limit-burst 1000 -j ACCEPT" },
	  { A, A, A, A, A, A, A, A }, 8 },
	/* statistic nth: one counter, the match at --packet of --every */
	{ "nth every 3", V4, IN,
	  { "-A INPUT -m statistic --mode nth --every 3 --packet 0 -j DROP" },
	  { D, A, A, D, A, A, D }, 7 },
	{ "nth every 3 packet 2", V4, IN,
	  { "-A INPUT -m statistic --mode nth --every 3 --packet 2 -j DROP" },
	  { A, A, D, A, A, D }, 6 },
	{ "! nth every 2 v6", V6, IN,
	  { "-A INPUT -m statistic --mode nth ! --every 2 --packet 0 -j DROP" },
	  { A, D, A, D }, 4 },
	{ "nth every 1", V4, IN,
	  { "-A INPUT -m statistic --mode nth --every 1 --packet 0 -j DROP" }, { D, D, D }, 3 },
	{ "random 1", V4, IN,
	  { "-A INPUT -m statistic --mode random --probability 1 -j DROP" },
	  { D, D, D, D }, 4 },
	{ "random 0", V4, IN,
	  { "-A INPUT -m statistic --mode random --probability 0 -j DROP" },
	  { A, A, A, A }, 4 },
	{ "! random 0 v6", V6, IN,
	  { "-A INPUT -m statistic --mode random ! --probability 0 -j DROP" },
	  { D, D }, 2 },
	/* owner_mt() without a socket: (match ^ invert) == 0 */
	{ "owner uid, no socket", V4, OUT, { "-A OUTPUT -m owner --uid-owner 0 -j DROP" }, { A } },
	{ "! owner uid, no socket", V4, OUT,
	  { "-A OUTPUT -m owner ! --uid-owner 0 -j DROP" }, { D } },
	{ "owner gid range v6", V6, OUT,
	  { "-A OUTPUT -m owner --gid-owner 0-100 -j DROP" }, { A } },
	{ "socket-exists", V4, OUT, { "-A OUTPUT -m owner --socket-exists -j DROP" }, { A } },
	{ "! socket-exists v6", V6, OUT,
	  { "-A OUTPUT -m owner ! --socket-exists -j DROP" }, { D } },
	{ "! uid ! gid", V4, OUT,
	  { "-A OUTPUT -m owner ! --uid-owner 1 ! --gid-owner 1 -j DROP" }, { D } },
	{ "! uid, gid", V4, OUT,
	  { "-A OUTPUT -m owner ! --uid-owner 1 --gid-owner 1 -j DROP" }, { A } },
	/* mac_mt(): loopback is no Ethernet device: false, "!" or not */
	{ "mac", V4, IN, { "-A INPUT -m mac --mac-source 00:11:22:33:44:55 -j DROP" }, { A } },
	{ "! mac v6", V6, IN,
	  { "-A INPUT -m mac ! --mac-source 00:11:22:33:44:55 -j DROP" }, { A } },
	/* the test pins itself to CPU 0 */
	{ "cpu 0", V4, IN, { "-A INPUT -m cpu --cpu 0 -j DROP" }, { D } },
	{ "! cpu 0", V4, IN, { "-A INPUT -m cpu ! --cpu 0 -j DROP" }, { A } },
	{ "cpu 1 v6", V6, IN, { "-A INPUT -m cpu --cpu 1 -j DROP" }, { A } },
	/* no input device reads as group 0; output is loopback, group 0 */
	{ "devgroup src 0", V4, IN, { "-A INPUT -m devgroup --src-group 0 -j DROP" }, { D } },
	{ "devgroup src 1", V4, IN, { "-A INPUT -m devgroup --src-group 1 -j DROP" }, { A } },
	{ "! devgroup src 1", V4, IN, { "-A INPUT -m devgroup ! --src-group 1 -j DROP" }, { D } },
	{ "devgroup src 0x10/0x10", V6, IN,
	  { "-A INPUT -m devgroup --src-group 0x10/0x10 -j DROP" }, { A } },
	{ "devgroup dst 0 v6", V6, OUT, { "-A OUTPUT -m devgroup --dst-group 0 -j DROP" }, { D } },
	{ "! devgroup dst 0", V4, OUT, { "-A OUTPUT -m devgroup ! --dst-group 0 -j DROP" }, { A } },
	{ "comment", V4, IN, { "-A INPUT -m comment --comment hi -j DROP" }, { D } },
	{ "comment v6", V6, IN, { "-A INPUT -p udp -m comment --comment x -j DROP" }, { D } },
	/* helper_mt(): no entry returns info->invert */
	{ "helper ftp: no entry, false", V4, IN,
	  { "-A INPUT -m helper --helper ftp -j DROP" }, { A } },
	{ "! helper ftp: no entry, true", V4, IN,
	  { "-A INPUT -m helper ! --helper ftp -j DROP" }, { D } },
	{ "helper sip v6: no entry, false", V6, IN,
	  { "-A INPUT -m helper --helper sip -j DROP" }, { A } },
	{ "! helper sip v6: no entry, true", V6, OUT,
	  { "-A OUTPUT -m helper ! --helper sip -j DROP" }, { D } },
	{ "helper with a 29-byte name: no entry, false", V4, OUT,
	  { "-A OUTPUT -m helper --helper abcdefghijklmnopqrstuvwxyz012 -j DROP" }, { A } },
	{ "helper, two rules, second drops", V4, IN,
	  { "-A INPUT -m helper --helper ftp -j ACCEPT",
	    "-A INPUT -m helper ! --helper ftp -j DROP" }, { D } },
};

static void build(struct pkt *pk, int pf, int hook)
{
	pkt_begin(pk, pf, hook);
	if (pf == V6)
		pkt_ip6(pk, IPPROTO_UDP, "2001:db8::1", "2001:db8::2");
	else
		pkt_ip4(pk, IPPROTO_UDP, "10.0.0.1", "10.0.0.2");
	pkt_udp(pk, 1000, 53);
	pkt_payload(pk, 8);
	pkt_end(pk);
}

static void run_case(size_t i)
{
	const char *chain = cases[i].hook == OUT ? "OUTPUT" : "INPUT";
	int n = cases[i].n ? cases[i].n : 1, k, fd = -1;
	struct bpfgen_prog *p = NULL;
	char why[256] = "", what[32];
	uint32_t verdict;
	struct pkt pk;

	if (!ASSERT_OK(ruleset_build(cases[i].pf, "filter", chain,
				     cases[i].rules, &p, why, sizeof(why)),
		       why))
		goto out;
	if (!ASSERT_OK(bpfrun_load(p, "state_test", &fd), "load"))
		goto out;
	build(&pk, cases[i].pf, cases[i].hook);
	for (k = 0; k < n; k++) {
		verdict = ~0U;
		snprintf(what, sizeof(what), "packet %d verdict", k + 1);
		if (!ASSERT_OK(bpfrun(fd, &pk, 1, &verdict, NULL), "test run") ||
		    !ASSERT_EQ(verdict, cases[i].v[k], what))
			break;
	}
out:
	if (fd >= 0)
		close(fd);
	bpfgen_prog_free(p);
}

/* What cannot run in BPF exactly stays on nf_tables, with a reason. */
static const struct {
	int pf, hook;
	const char *rule, *why;
} refused[] = {
	{ V4, IN, "-A INPUT -m conntrack --ctexpire 10:20 -j DROP",
	  "chain INPUT rule 1: conntrack --ctexpire" },
	{ V4, OUT, "-A OUTPUT -m owner --gid-owner 5 --suppl-groups -j DROP",
	  "chain OUTPUT rule 1: owner --suppl-groups" },
};

static void run_refused(size_t i)
{
	const char *chain = refused[i].hook == OUT ? "OUTPUT" : "INPUT";
	const char *rules[] = { refused[i].rule, NULL };
	struct bpfgen_prog *p = NULL;
	char why[256] = "";

	ASSERT_EQ(ruleset_build(refused[i].pf, "filter", chain, rules, &p,
				why, sizeof(why)),
		  -EOPNOTSUPP, "refused");
	ASSERT_STREQ(why, refused[i].why, "reason");
	bpfgen_prog_free(p);
}

/*
 * A program with limit rules of state keys @keys (burst 2, one an
 * hour), each dropping what it matches, using @state_fd (-1: none) as
 * its state map.
 */
static int limit_prog(struct bpfgen_prog **out, const uint64_t *keys, int n,
		      int state_fd)
{
	static const struct bpfgen_verdict drop = { BPFGEN_VERDICT_DROP, 0 };
	const uint64_t cost = 3600ULL * 1000000000ULL;
	struct bpfgen_prog *p = NULL;
	int i, err;

	err = bpfgen_prog_new(&p, V4, IN);
	if (err)
		return err;
	bpfgen_chain_begin(p, 0);
	for (i = 0; i < n; i++) {
		bpfgen_rule_begin(p, i);
		bpfgen_match_limit(p, keys[i], cost, 2 * cost, false);
		bpfgen_rule_end(p, &drop);
	}
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
	if (state_fd >= 0)
		err = bpfgen_prog_set_state(p, state_fd);
	*out = p;
	return err ? err : bpfgen_prog_err(p);
}

static int map_entries(int fd)
{
	uint64_t key, next;
	int n = 0;

	while (!bpf_map_get_next_key(fd, n ? &key : NULL, &next)) {
		key = next;
		n++;
	}
	return n;
}

/*
 * The state a program hands to its successor: a key it shares keeps its
 * bucket, a new key starts full, a key no longer used is pruned.
 */
static void test_state_carry(void)
{
	static const uint64_t k1[] = { 0x4200 }, k2[] = { 0x4200, 0x4300 };
	static const uint64_t k3[] = { 0x4300 };
	static const uint32_t v1[] = { D, D, A }, v2[] = { D, D, A };
	struct bpfgen_prog *p1 = NULL, *p2 = NULL, *p3 = NULL;
	int fd1 = -1, fd2 = -1, fd3 = -1, i;
	uint32_t verdict;
	struct pkt pk;

	build(&pk, V4, IN);
	if (!ASSERT_OK(limit_prog(&p1, k1, 1, -1), "prog 1") ||
	    !ASSERT_OK(bpfrun_load(p1, "carry1", &fd1), "load 1"))
		goto out;
	for (i = 0; i < 3; i++)
		if (!ASSERT_OK(bpfrun(fd1, &pk, 1, &verdict, NULL), "run 1") ||
		    !ASSERT_EQ(verdict, v1[i], "prog 1 verdict"))
			goto out;
	/* key 0x4200 is empty; 0x4300 drops twice; then nothing does */
	if (!ASSERT_OK(limit_prog(&p2, k2, 2, bpfgen_prog_state_fd(p1)),
		       "prog 2") ||
	    !ASSERT_OK(bpfrun_load(p2, "carry2", &fd2), "load 2"))
		goto out;
	for (i = 0; i < 3; i++)
		if (!ASSERT_OK(bpfrun(fd2, &pk, 1, &verdict, NULL), "run 2") ||
		    !ASSERT_EQ(verdict, v2[i], "prog 2 verdict"))
			goto out;
	ASSERT_EQ(bpfgen_prog_state_fd(p2) >= 0, true, "state map");
	ASSERT_EQ(map_entries(bpfgen_prog_state_fd(p2)), 2, "two entries");
	/* the first program's map went on: the same map */
	if (!ASSERT_OK(limit_prog(&p3, k3, 1, bpfgen_prog_state_fd(p2)),
		       "prog 3") ||
	    !ASSERT_OK(bpfrun_load(p3, "carry3", &fd3), "load 3"))
		goto out;
	ASSERT_OK(bpfrun(fd3, &pk, 1, &verdict, NULL), "run 3");
	ASSERT_EQ(verdict, A, "prog 3: 0x4300 stays empty");
	/* p2 as another hook of the table: its keys stay too */
	{
		const struct bpfgen_prog *both[] = { p3, p2 };

		ASSERT_OK(bpfgen_state_prune(bpfgen_prog_state_fd(p3), both,
					     2), "prune by both");
		ASSERT_EQ(map_entries(bpfgen_prog_state_fd(p3)), 2,
			  "the other hook's key stays");
	}
	ASSERT_OK(bpfgen_state_prune(bpfgen_prog_state_fd(p3),
				     (const struct bpfgen_prog *const *)&p3, 1),
		  "prune");
	ASSERT_EQ(map_entries(bpfgen_prog_state_fd(p3)), 1, "pruned to one");
out:
	if (fd1 >= 0)
		close(fd1);
	if (fd2 >= 0)
		close(fd2);
	if (fd3 >= 0)
		close(fd3);
	bpfgen_prog_free(p1);
	bpfgen_prog_free(p2);
	bpfgen_prog_free(p3);
}

int main(void)
{
	cpu_set_t set;
	size_t i;
	int pf;

	if (geteuid() != 0) {
		printf("1..0 # skip needs root (CAP_BPF)\n");
		return IPB_TEST_SKIP;
	}
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		printf("1..0 # skip cannot run on CPU 0\n");
		return IPB_TEST_SKIP;
	}
	/* libxtables keeps one family at a time: IPv4, then IPv6 */
	for (pf = V4; pf <= V6; pf += V6 - V4) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			if (cases[i].pf == pf)
				RUN_SUBTEST(cases[i].name, run_case(i));
		for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
			if (refused[i].pf == pf)
				RUN_SUBTEST(refused[i].rule, run_refused(i));
	}
	RUN_TEST(test_state_carry);
	return ipb_test_done();
}
