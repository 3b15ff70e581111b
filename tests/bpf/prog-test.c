// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bpfgen program API itself: sticky errors, labels and far jumps,
 * the limits on user chains, counters, the emitted code of a match, and
 * a measurement of a typical ruleset.  Programs run with
 * BPF_PROG_TEST_RUN; nothing is attached.
 */
#include <errno.h>
#include <netinet/in.h>
#include <unistd.h>

#include <linux/netfilter.h>

#include <bpf/bpf.h>

#include "bpfgen/bpfgen.h"
#include "tests/lib/bpfrun.h"
#include "tests/lib/ipb_test.h"
#include "tests/lib/pkt.h"

IPB_TEST_STATE_DEFINE;

static const struct bpfgen_verdict V_DROP = { BPFGEN_VERDICT_DROP, 0 };
static const struct bpfgen_verdict V_CONT = { BPFGEN_VERDICT_CONTINUE, 0 };

static void pkt_tcp4(struct pkt *pk)
{
	pkt_begin(pk, NFPROTO_IPV4, NF_INET_LOCAL_IN);
	pkt_ip4(pk, IPPROTO_TCP, "10.0.0.1", "10.0.0.2");
	pkt_tcp(pk, 1000, 22);
	pkt_end(pk);
}

static void pkt_udp4(struct pkt *pk)
{
	pkt_begin(pk, NFPROTO_IPV4, NF_INET_LOCAL_IN);
	pkt_ip4(pk, IPPROTO_UDP, "10.0.0.1", "10.0.0.2");
	pkt_udp(pk, 1000, 53);
	pkt_end(pk);
}

/* Load @p and run it once on @pk; the verdict, or -errno. */
static int load_run(struct bpfgen_prog *p, const struct pkt *pk)
{
	uint32_t retval = ~0U;
	int fd = -1, err;

	err = bpfrun_load(p, "ipb_test", &fd);
	if (err)
		return err;
	err = bpfrun(fd, pk, 1, &retval, NULL);
	close(fd);
	return err ? err : (int)retval;
}

static void test_sticky_error(void)
{
	struct bpfgen_prog *p = NULL;
	size_t cnt;
	int fd = -1;

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	ASSERT_EQ(bpfgen_prog_new(&p, 99, NF_INET_LOCAL_IN), -EAFNOSUPPORT,
		  "bad family");
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	/* R9 is the packet info pointer: not for match code. */
	bpfgen_load_l3(p, BPF_REG_9, 12, 4);
	ASSERT_EQ(bpfgen_prog_err(p), -EINVAL, "reserved register refused");
	cnt = bpfgen_prog_insn_cnt(p);
	bpfgen_match_l4proto(p, IPPROTO_TCP, false);
	ASSERT_EQ(bpfgen_prog_insn_cnt(p), cnt, "nothing emitted after error");
	bpfgen_rule_end(p, &V_DROP);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
	ASSERT_EQ(bpfgen_prog_load(p, "x", &fd, NULL, 0), -EINVAL,
		  "load reports the first error");
	bpfgen_prog_free(p);

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_iface(p, false, "sixteen-chars-xx", false);
	ASSERT_EQ(bpfgen_prog_err(p), -EINVAL, "interface name too long");
	bpfgen_prog_free(p);

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV6, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_frag(p, false);
	ASSERT_EQ(bpfgen_prog_err(p), -EINVAL, "-f is IPv4 only");
	bpfgen_prog_free(p);

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	ASSERT_EQ(bpfgen_prog_finish(p), -EINVAL, "unfinished chain");
	bpfgen_prog_free(p);
}

/* A program the verifier refuses: the log comes back, the error too. */
static void test_verifier_log(void)
{
	struct bpfgen_prog *p = NULL;
	static char log[1 << 16];
	int fd = -1, err;

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	/* R3 was clobbered by the prologue's helper calls */
	bpfgen_emit(p, BPFGEN_MOV64_REG(BPF_REG_1, BPF_REG_3));
	bpfgen_rule_end(p, &V_DROP);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
	err = bpfgen_prog_load(p, "ipb_bad", &fd, log, sizeof(log));
	ASSERT_EQ(err, -EACCES, "refused");
	ASSERT_TRUE(strstr(log, "R3 !read_ok"), "log names the cause");
	if (fd >= 0 && !err)
		close(fd);
	bpfgen_prog_free(p);
}

/*
 * A rule whose body is 40000 instructions: its fail jump cannot use a
 * 16-bit offset.  Unconditional, it becomes gotol; conditional to the
 * fail label, it becomes a short jump over a gotol; conditional to
 * another label, finish refuses with -E2BIG.
 */
static int far_rule(struct bpfgen_prog *p, int how)
{
	int fail, near, far, i;

	bpfgen_chain_begin(p, 0);
	fail = bpfgen_rule_begin(p, -1);
	near = bpfgen_label_new(p);
	far = bpfgen_label_new(p);
	bpfgen_load_meta(p, BPF_REG_1, BPFGEN_META_L4PROTO);
	if (how == 0) {
		bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, IPPROTO_TCP, near);
		bpfgen_emit_ja(p, fail);
	} else {
		bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, IPPROTO_TCP,
				    how == 1 ? fail : far);
	}
	bpfgen_label_place(p, near);
	for (i = 0; i < 40000; i++)
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_1, 0));
	bpfgen_label_place(p, far);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
}

static void test_far_jumps(void)
{
	struct bpfgen_prog *p = NULL;
	const struct bpf_insn *insns;
	bool gotol = false;
	struct pkt tcp, udp;
	size_t i;
	int how;

	pkt_tcp4(&tcp);
	pkt_udp4(&udp);
	for (how = 0; how < 2; how++) {
		if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4,
					       NF_INET_LOCAL_IN), "prog_new"))
			return;
		ASSERT_OK(far_rule(p, how), "emit");
		ASSERT_OK(bpfgen_prog_finish(p), "finish");
		insns = bpfgen_prog_insns(p);
		gotol = false;
		for (i = 0; i < bpfgen_prog_insn_cnt(p); i++)
			if (insns[i].code == (BPF_JMP32 | BPF_JA) &&
			    insns[i].imm > 32767)
				gotol = true;
		ASSERT_TRUE(gotol, "far goto became gotol");
		ASSERT_EQ(load_run(p, &tcp), NF_DROP, "tcp runs the long rule");
		ASSERT_EQ(load_run(p, &udp), NF_ACCEPT, "udp takes the gotol");
		bpfgen_prog_free(p);
	}

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	far_rule(p, 2);
	ASSERT_EQ(bpfgen_prog_finish(p), -E2BIG, "far conditional jump");
	bpfgen_prog_free(p);
}

/*
 * Base chain jumps to chain 1, 1 to 2, ... down to @depth; the last
 * drops TCP.  Optionally the last jumps back to 1 (a loop).
 */
static int nested(struct bpfgen_prog *p, int depth, bool loop, bool counted)
{
	struct bpfgen_verdict v = { BPFGEN_VERDICT_JUMP, 1 };
	int i;

	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_rule_end(p, &v);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
	for (i = 1; i <= depth; i++) {
		bpfgen_user_chain_begin(p, i);
		bpfgen_rule_begin(p, counted ? i : -1);
		if (i < depth) {
			v.chain_id = i + 1;
			bpfgen_rule_end(p, &v);
		} else if (loop) {
			v.chain_id = 1;
			bpfgen_rule_end(p, &v);
		} else {
			bpfgen_match_l4proto(p, IPPROTO_TCP, false);
			bpfgen_rule_end(p, &V_DROP);
		}
		bpfgen_user_chain_end(p);
	}
	return bpfgen_prog_err(p);
}

static void test_chain_limits(void)
{
	struct bpfgen_verdict v = { BPFGEN_VERDICT_GOTO, 42 };
	struct bpfgen_prog *p = NULL;
	struct pkt tcp, udp;

	pkt_tcp4(&tcp);
	pkt_udp4(&udp);
	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	ASSERT_OK(nested(p, BPFGEN_MAX_CHAIN_DEPTH, false, false),
		  "emit depth 7");
	ASSERT_EQ(load_run(p, &tcp), NF_DROP, "verdict from 7 levels down");
	ASSERT_EQ(load_run(p, &udp), NF_ACCEPT, "returns through 7 levels");
	bpfgen_prog_free(p);

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	nested(p, BPFGEN_MAX_CHAIN_DEPTH + 1, false, false);
	ASSERT_EQ(bpfgen_prog_finish(p), -E2BIG, "depth 8 refused");
	bpfgen_prog_free(p);

	/* The counter subprogram is one more frame below a counted rule. */
	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	nested(p, BPFGEN_MAX_CHAIN_DEPTH - 1, false, true);
	ASSERT_EQ(load_run(p, &tcp), NF_DROP, "depth 6 counted");
	bpfgen_prog_free(p);
	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	nested(p, BPFGEN_MAX_CHAIN_DEPTH, false, true);
	ASSERT_EQ(bpfgen_prog_finish(p), -E2BIG, "depth 7 counted refused");
	bpfgen_prog_free(p);

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	nested(p, 3, true, false);
	ASSERT_EQ(bpfgen_prog_finish(p), -ELOOP, "loop refused");
	bpfgen_prog_free(p);

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_rule_end(p, &v);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
	ASSERT_EQ(bpfgen_prog_finish(p), -ENOENT, "undefined chain");
	bpfgen_prog_free(p);

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
	bpfgen_user_chain_begin(p, 5);
	bpfgen_user_chain_end(p);
	ASSERT_EQ(bpfgen_user_chain_begin(p, 5), -EEXIST, "duplicate chain");
	bpfgen_prog_free(p);
}

/*
 * -A INPUT -p tcp            (counter 0, no target)
 * -A INPUT -p udp -j DROP    (counter 1)
 * -P INPUT ACCEPT            (counter 2)
 */
static int counted(struct bpfgen_prog *p)
{
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, 0);
	bpfgen_match_l4proto(p, IPPROTO_TCP, false);
	bpfgen_rule_end(p, &V_CONT);
	bpfgen_rule_begin(p, 1);
	bpfgen_match_l4proto(p, IPPROTO_UDP, false);
	bpfgen_rule_end(p, &V_DROP);
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, 2);
}

static void expect_counter(int map_fd, uint32_t idx, uint64_t pkts,
			   uint64_t bytes)
{
	uint64_t p = ~0ULL, b = ~0ULL;

	if (!ASSERT_OK(bpfgen_counters_read(map_fd, idx, &p, &b), "read"))
		return;
	ASSERT_EQ(p, pkts, "packets");
	ASSERT_EQ(b, bytes, "bytes");
}

static void test_counters(void)
{
	struct bpfgen_prog *p = NULL, *p2 = NULL;
	int fd = -1, fd2 = -1, fd3 = -1, small_fd = -1, map_fd;
	struct pkt tcp, udp;
	uint32_t ret;

	pkt_tcp4(&tcp);
	pkt_udp4(&udp);
	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	ASSERT_OK(counted(p), "emit");
	ASSERT_EQ(bpfgen_prog_counter_slots(p), 3, "slots");
	if (!ASSERT_OK(bpfrun_load(p, "ipb_counted", &fd), "load"))
		goto out;
	map_fd = bpfgen_prog_counters_fd(p);
	ASSERT_GE(map_fd, 0, "counters map made at load");
	ASSERT_OK(bpfrun(fd, &tcp, 3, &ret, NULL), "run tcp x3");
	ASSERT_EQ(ret, NF_ACCEPT, "tcp passes");
	ASSERT_OK(bpfrun(fd, &udp, 1, &ret, NULL), "run udp");
	ASSERT_EQ(ret, NF_DROP, "udp dropped");
	expect_counter(map_fd, 0, 3, 3 * 40);
	expect_counter(map_fd, 1, 1, 28);
	expect_counter(map_fd, 2, 3, 3 * 40);

	/* -Z / restore --counters */
	ASSERT_OK(bpfgen_counters_write(map_fd, 0, 100, 1000), "write");
	expect_counter(map_fd, 0, 100, 1000);
	ASSERT_OK(bpfrun(fd, &tcp, 1, &ret, NULL), "run tcp");
	expect_counter(map_fd, 0, 101, 1040);
	/* 3 slots take an element of 4 (counters.c) */
	ASSERT_OK(bpfgen_counters_write(map_fd, 3, 1, 1), "the 4th slot");
	expect_counter(map_fd, 3, 1, 1);
	expect_counter(map_fd, 2, 4, 4 * 40);
	ASSERT_EQ(bpfgen_counters_write(map_fd, 4, 1, 1), -E2BIG,
		  "slot out of range");

	/* A new program carrying the counters on. */
	if (!ASSERT_OK(bpfgen_prog_new(&p2, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		goto out;
	counted(p2);
	ASSERT_OK(bpfgen_prog_set_counters(p2, map_fd), "set_counters");
	if (!ASSERT_OK(bpfrun_load(p2, "ipb_counted2", &fd2), "load 2"))
		goto out;
	ASSERT_OK(bpfrun(fd2, &udp, 1, &ret, NULL), "run udp on new");
	expect_counter(map_fd, 1, 2, 56);
	bpfgen_prog_free(p2);
	p2 = NULL;

	/* A map with too few slots is refused. */
	if (!ASSERT_OK(bpfgen_prog_new(&p2, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		goto out;
	counted(p2);
	if (ASSERT_OK(bpfgen_counters_new(2, &small_fd), "small map")) {
		ASSERT_OK(bpfgen_prog_set_counters(p2, small_fd), "set");
		ASSERT_EQ(bpfgen_prog_load(p2, "x", &fd3, NULL, 0), -EINVAL,
			  "too few slots");
		close(small_fd);
	}
out:
	if (fd >= 0)
		close(fd);
	if (fd2 >= 0)
		close(fd2);
	if (fd3 >= 0)
		close(fd3);
	bpfgen_prog_free(p);
	bpfgen_prog_free(p2);
}

/* The exact code of "-s 10.0.0.0/8": load, mask, compare. */
static void test_golden_ip4(void)
{
	struct bpfgen_prog *p = NULL;
	const struct bpf_insn *in;
	size_t start, fail_at;
	uint32_t a, m;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	inet_pton(AF_INET, "10.0.0.0", &a);
	inet_pton(AF_INET, "255.0.0.0", &m);
	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	start = bpfgen_prog_insn_cnt(p);
	bpfgen_match_ip4(p, false, a, m, false);
	bpfgen_rule_end(p, &V_DROP);
	fail_at = bpfgen_prog_insn_cnt(p);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
	if (!ASSERT_OK(bpfgen_prog_finish(p), "finish"))
		goto out;
	in = bpfgen_prog_insns(p) + start;
	ASSERT_EQ(in[0].code, BPF_LDX | BPF_W | BPF_MEM, "load");
	ASSERT_EQ(in[0].dst_reg, BPF_REG_1, "into r1");
	ASSERT_EQ(in[0].src_reg, BPF_REG_9, "from packet info");
	ASSERT_EQ(in[0].off, BPFGEN_PI_L3_V4 + 12, "saddr");
	ASSERT_EQ(in[1].code, BPF_ALU | BPF_AND | BPF_K, "mask");
	ASSERT_EQ((uint32_t)in[1].imm, m, "mask value");
	/* "if equal skip; goto next rule", see emit_fail_jmp() */
	ASSERT_EQ(in[2].code, BPF_JMP32 | BPF_JEQ | BPF_K, "compare");
	ASSERT_EQ((uint32_t)in[2].imm, a, "address");
	ASSERT_EQ(in[2].off, 1, "over the goto");
	ASSERT_EQ(in[3].code, BPF_JMP | BPF_JA, "goto");
	ASSERT_EQ(start + 4 + in[3].off, fail_at, "jumps to the next rule");
	ASSERT_EQ(in[4].code, BPF_ALU64 | BPF_MOV | BPF_K, "r0 = NF_DROP");
	ASSERT_EQ(in[5].code, BPF_JMP | BPF_EXIT, "exit");

	f = open_memstream(&buf, &len);
	if (ASSERT_TRUE(f, "memstream")) {
		ASSERT_OK(bpfgen_prog_dump(p, f), "dump");
		fclose(f);
		ASSERT_TRUE(strstr(buf, "call kfunc#"), "dump names kfunc");
		ASSERT_TRUE(strstr(buf, "w1 &= 255"), "dump shows the mask");
		free(buf);
	}
out:
	bpfgen_prog_free(p);
}

/*
 * How big and how fast: the ssh rule behind 100 rules that do not match
 * (-s 172.16.N.0/24 -p udp --dport N -j DROP), IPv4 and IPv6 prologues.
 */
static void measure(int pf, const char *what)
{
	struct bpfgen_prog *p = NULL;
	struct bpf_prog_info info;
	uint32_t len = sizeof(info), ret = 0, dur = 0;
	struct pkt pk;
	int fd = -1, i, fail;

	if (!ASSERT_OK(bpfgen_prog_new(&p, pf, NF_INET_LOCAL_IN), "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	for (i = 0; i < 100; i++) {
		fail = bpfgen_rule_begin(p, i);
		if (pf == NFPROTO_IPV4)
			bpfgen_match_ip4(p, false, htonl(0xac100000 | i << 8),
					 htonl(0xffffff00), false);
		bpfgen_match_l4proto(p, IPPROTO_UDP, false);
		bpfgen_load_l4(p, BPF_REG_1, 2, 2, fail);
		bpfgen_ntoh(p, BPF_REG_1, 2);
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, 1000 + i, 2, false);
		bpfgen_rule_end(p, &V_DROP);
	}
	fail = bpfgen_rule_begin(p, 100);
	bpfgen_match_l4proto(p, IPPROTO_TCP, false);
	bpfgen_load_l4(p, BPF_REG_1, 2, 2, fail);
	bpfgen_ntoh(p, BPF_REG_1, 2);
	bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, 22, 2, false);
	bpfgen_rule_end(p, &V_DROP);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, 101);
	if (!ASSERT_OK(bpfrun_load(p, "ipb_measure", &fd), "load"))
		goto out;
	pkt_begin(&pk, pf, NF_INET_LOCAL_IN);
	if (pf == NFPROTO_IPV4)
		pkt_ip4(&pk, IPPROTO_TCP, "10.0.0.1", "10.0.0.2");
	else
		pkt_ip6(&pk, IPPROTO_TCP, "2001:db8::1", "2001:db8::2");
	pkt_tcp(&pk, 1000, 22);
	pkt_end(&pk);
	ASSERT_OK(bpfrun(fd, &pk, 100000, &ret, &dur), "run");
	ASSERT_EQ(ret, NF_DROP, "last rule matches");
	memset(&info, 0, sizeof(info));
	if (ASSERT_OK(bpf_obj_get_info_by_fd(fd, &info, &len), "info"))
		printf("# %s: %zu insns emitted, %u xlated, %u bytes JIT, "
		       "%u verified insns, %u ns/packet\n", what,
		       bpfgen_prog_insn_cnt(p),
		       info.xlated_prog_len / 8, info.jited_prog_len,
		       info.verified_insns, dur);
out:
	if (fd >= 0)
		close(fd);
	bpfgen_prog_free(p);
}

/* The prologue alone: one rule-less chain with an ACCEPT policy. */
static void measure_empty(int pf, const char *what)
{
	struct bpfgen_prog *p = NULL;
	uint32_t ret = 0, dur = 0;
	struct pkt pk;
	int fd = -1;

	if (!ASSERT_OK(bpfgen_prog_new(&p, pf, NF_INET_LOCAL_IN), "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
	if (!ASSERT_OK(bpfrun_load(p, "ipb-empty/x", &fd), "load, name fixed"))
		goto out;
	pkt_begin(&pk, pf, NF_INET_LOCAL_IN);
	if (pf == NFPROTO_IPV4)
		pkt_ip4(&pk, IPPROTO_TCP, "10.0.0.1", "10.0.0.2");
	else
		pkt_ip6(&pk, IPPROTO_TCP, "2001:db8::1", "2001:db8::2");
	pkt_tcp(&pk, 1000, 22);
	pkt_end(&pk);
	ASSERT_OK(bpfrun(fd, &pk, 100000, &ret, &dur), "run");
	ASSERT_EQ(ret, NF_ACCEPT, "policy");
	printf("# %s: %zu insns emitted, %u ns/packet\n", what,
	       bpfgen_prog_insn_cnt(p), dur);
out:
	if (fd >= 0)
		close(fd);
	bpfgen_prog_free(p);
}

static void test_measure(void)
{
	measure_empty(NFPROTO_IPV4, "ipv4 prologue only");
	measure_empty(NFPROTO_IPV6, "ipv6 prologue only");
	measure(NFPROTO_IPV4, "ipv4 101 rules");
	measure(NFPROTO_IPV6, "ipv6 101 rules");
}

int main(void)
{
	if (geteuid() != 0) {
		printf("1..0 # skip needs root (CAP_BPF)\n");
		return IPB_TEST_SKIP;
	}
	if (bpfgen_probe_netfilter() != 1) {
		printf("1..0 # skip no BPF_PROG_TYPE_NETFILTER\n");
		return IPB_TEST_SKIP;
	}
	RUN_TEST(test_sticky_error);
	RUN_TEST(test_verifier_log);
	RUN_TEST(test_far_jumps);
	RUN_TEST(test_chain_limits);
	RUN_TEST(test_counters);
	RUN_TEST(test_golden_ip4);
	RUN_TEST(test_measure);
	return ipb_test_done();
}
