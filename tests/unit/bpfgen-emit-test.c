// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bpfgen emission without the kernel's help beyond reading vmlinux BTF
 * (world-readable): golden listings, label and call resolution, the
 * limits bpfgen_prog_finish() enforces, sticky errors, dropped dead
 * code.  Loading and running is tests/bpf's job.
 */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdlib.h>

#include <linux/netfilter.h>

#include "bpfgen/bpfgen.h"
#include "tests/lib/ipb_test.h"

IPB_TEST_STATE_DEFINE;

static const struct bpfgen_verdict V_ACCEPT = { BPFGEN_VERDICT_ACCEPT, 0 };
static const struct bpfgen_verdict V_DROP = { BPFGEN_VERDICT_DROP, 0 };
static const struct bpfgen_verdict V_RETURN = { BPFGEN_VERDICT_RETURN, 0 };

/* The listing of @p from instruction @from on, without the pc column. */
static char *listing(struct bpfgen_prog *p, size_t from)
{
	char *buf = NULL, *out, *line, *o;
	size_t len = 0, pc = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	bpfgen_prog_dump(p, f);
	fclose(f);
	out = calloc(1, len + 1);
	o = out;
	for (line = buf; out && line && *line; pc++) {
		char *colon = strchr(line, ':'), *nl = strchr(line, '\n');

		if (!colon || !nl)
			break;
		pc = strtoul(line, NULL, 10);
		if (pc >= from) {
			memcpy(o, colon + 2, nl - colon - 1);
			o += nl - colon - 1;
		}
		line = nl + 1;
	}
	free(buf);
	return out;
}

/*
 * -N CHAIN7
 * -A CHAIN7 -p tcp --dport 22 -j ACCEPT
 * -A CHAIN7 ! -s 10.0.0.0/8 -j RETURN
 */
static const char golden_user_chain[] =
	"r6 = r1\n"
	"r9 = r2\n"
	"r7 = *(u64 *)(r6 +8)\n"
	"r8 = *(u64 *)(r6 +0)\n"
	/* -p tcp: no l4proto, or another: next rule (pc+12) */
	"r1 = *(u32 *)(r9 +104)\n"
	"if r1 != 256 goto pc+1\n"
	"goto pc+12\n"
	"if r1 == 6 goto pc+1\n"
	"goto pc+10\n"
	/* --dport 22: transport header at least 4 bytes */
	"r1 = *(u32 *)(r9 +112)\n"
	"if r1 >= 4 goto pc+1\n"
	"goto pc+7\n"
	"r1 = *(u16 *)(r9 +42)\n"
	"r1 = be16 r1\n"
	"r1 &= 65535\n"
	"if r1 == 22 goto pc+1\n"
	"goto pc+2\n"
	/* -j ACCEPT */
	"r0 = 1\n"
	"exit\n"
	/* ! -s 10.0.0.0/8 -j RETURN */
	"r1 = *(u32 *)(r9 +32)\n"
	"w1 &= 255\n"
	"if w1 != 10 goto pc+1\n"
	"goto pc+2\n"
	"r0 = 2\n"
	"exit\n"
	/* end of chain: return */
	"r0 = 2\n"
	"exit\n";

static void test_golden_user_chain(void)
{
	struct bpfgen_verdict jump = { BPFGEN_VERDICT_JUMP, 7 };
	struct bpfgen_prog *p = NULL;
	uint32_t addr, mask;
	char *text = NULL;
	size_t start;
	int fail;

	inet_pton(AF_INET, "10.0.0.0", &addr);
	inet_pton(AF_INET, "255.0.0.0", &mask);
	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_rule_end(p, &jump);
	bpfgen_chain_end(p, BPFGEN_VERDICT_DROP, -1);
	start = bpfgen_prog_insn_cnt(p);
	bpfgen_user_chain_begin(p, 7);
	fail = bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_TCP, false);
	bpfgen_load_l4(p, BPF_REG_1, 2, 2, fail);
	bpfgen_ntoh(p, BPF_REG_1, 2);
	bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, 22, 2, false);
	bpfgen_rule_end(p, &V_ACCEPT);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_ip4(p, false, addr, mask, true);
	bpfgen_rule_end(p, &V_RETURN);
	bpfgen_user_chain_end(p);
	if (!ASSERT_OK(bpfgen_prog_finish(p), "finish"))
		goto out;
	/* the call in the base chain lands on the chain's first insn */
	text = listing(p, start - 7);
	ASSERT_TRUE(text && !strncmp(text, "call pc+6\n", 10), "call target");
	free(text);
	text = listing(p, start);
	if (ASSERT_TRUE(text, "listing"))
		ASSERT_STREQ(text, golden_user_chain, "golden listing");
out:
	free(text);
	bpfgen_prog_free(p);
}

/* A rule with no match and a final verdict ends its chain's code. */
static void test_dead_code_dropped(void)
{
	struct bpfgen_prog *p = NULL;
	size_t before;

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_rule_end(p, &V_DROP);
	before = bpfgen_prog_insn_cnt(p);
	bpfgen_rule_begin(p, -1);
	bpfgen_match_l4proto(p, IPPROTO_TCP, false);
	bpfgen_rule_end(p, &V_ACCEPT);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, 3);
	ASSERT_EQ(bpfgen_prog_insn_cnt(p), before, "nothing after -j DROP");
	ASSERT_OK(bpfgen_prog_finish(p), "finish");
	bpfgen_prog_free(p);
}

/*
 * Every jump of a finished program lands inside its own subprogram (the
 * verifier's "jump out of range"); subprograms start at call targets.
 */
static bool jumps_in_range(struct bpfgen_prog *p)
{
	const struct bpf_insn *in = bpfgen_prog_insns(p);
	size_t n = bpfgen_prog_insn_cnt(p), i;
	bool *start = calloc(n + 1, sizeof(*start));
	bool ok = start != NULL;

	for (i = 0; ok && i < n; i++)
		if (in[i].code == (BPF_JMP | BPF_CALL) &&
		    in[i].src_reg == BPF_PSEUDO_CALL) {
			long t = (long)i + in[i].imm + 1;

			ok = t > 0 && t < (long)n;
			if (ok)
				start[t] = true;
		}
	for (i = 0; ok && i < n; i++) {
		uint8_t cls = BPF_CLASS(in[i].code), op = BPF_OP(in[i].code);
		long t, lo, hi;

		if ((cls != BPF_JMP && cls != BPF_JMP32) || op == BPF_CALL ||
		    op == BPF_EXIT)
			continue;
		t = (long)i + 1 +
		    (cls == BPF_JMP32 && op == BPF_JA ? in[i].imm : in[i].off);
		for (lo = i; lo > 0 && !start[lo]; lo--)
			;
		for (hi = i + 1; hi < (long)n && !start[hi]; hi++)
			;
		if (t < lo || t >= hi) {
			printf("# insn %zu jumps to %ld outside [%ld, %ld)\n", i,
			       t, lo, hi);
			ok = false;
		}
	}
	free(start);
	return ok;
}

/*
 * A jump to a user chain behind a rule with no match and a final
 * verdict is dead: nothing calls the chain, finish drops it, and the
 * chains after it (the counter subprogram) move down.  Their jumps must
 * move with them.
 */
static void test_dropped_chain_moves_the_rest(void)
{
	struct bpfgen_verdict jump = { BPFGEN_VERDICT_JUMP, 5 };
	struct bpfgen_prog *p = NULL;
	size_t before;

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, 0);
	bpfgen_rule_end(p, &V_ACCEPT);
	bpfgen_rule_begin(p, 1);
	bpfgen_rule_end(p, &jump);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, 2);
	before = bpfgen_prog_insn_cnt(p);
	bpfgen_user_chain_begin(p, 5);
	bpfgen_rule_begin(p, 3);
	bpfgen_match_l4proto(p, IPPROTO_TCP, false);
	bpfgen_rule_end(p, &V_DROP);
	bpfgen_rule_begin(p, 4);
	bpfgen_rule_end(p, &V_RETURN);
	bpfgen_user_chain_end(p);
	if (!ASSERT_OK(bpfgen_prog_finish(p), "finish"))
		goto out;
	/* the base chain, then the counter subprogram (21 instructions,
	 * verdict.c): no chain 5 */
	ASSERT_EQ(bpfgen_prog_insn_cnt(p), before + 21, "chain 5 dropped");
	ASSERT_TRUE(jumps_in_range(p), "jumps stay in their chains");
out:
	bpfgen_prog_free(p);
}

static void test_finish_limits(void)
{
	struct bpfgen_verdict v = { BPFGEN_VERDICT_JUMP, 1 };
	struct bpfgen_prog *p = NULL;
	int i, far;

	/*
	 * A conditional jump over 40000 instructions.  (To the rule's fail
	 * label it would become a short jump over a gotol.)
	 */
	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	far = bpfgen_label_new(p);
	bpfgen_load_meta(p, BPF_REG_1, BPFGEN_META_L4PROTO);
	bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_1, IPPROTO_TCP, far);
	for (i = 0; i < 40000; i++)
		bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_ADD, BPF_REG_1, 0));
	bpfgen_label_place(p, far);
	bpfgen_rule_end(p, &V_DROP);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
	ASSERT_EQ(bpfgen_prog_finish(p), -E2BIG, "far conditional jump");
	ASSERT_EQ(bpfgen_prog_err(p), -E2BIG, "and the error sticks");
	bpfgen_prog_free(p);

	/* chain 1 jumps to 2, 2 to 1 */
	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_rule_end(p, &v);
	bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, -1);
	for (i = 1; i <= 2; i++) {
		bpfgen_user_chain_begin(p, i);
		v.chain_id = 3 - i;
		bpfgen_rule_begin(p, -1);
		bpfgen_rule_end(p, &v);
		bpfgen_user_chain_end(p);
	}
	ASSERT_EQ(bpfgen_prog_finish(p), -ELOOP, "loop");
	bpfgen_prog_free(p);
}

static void test_misuse(void)
{
	struct bpfgen_prog *p = NULL;
	int label;

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_match_l4proto(p, IPPROTO_TCP, false);
	ASSERT_EQ(bpfgen_prog_err(p), -EINVAL, "match outside a rule");
	bpfgen_prog_free(p);

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	label = bpfgen_label_new(p);
	bpfgen_label_place(p, label);
	bpfgen_label_place(p, label);
	ASSERT_EQ(bpfgen_prog_err(p), -EINVAL, "label placed twice");
	bpfgen_prog_free(p);

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_load_l4(p, BPF_REG_1, 62, 4, bpfgen_rule_fail_label(p));
	ASSERT_EQ(bpfgen_prog_err(p), -EINVAL, "load past the L4 copy");
	bpfgen_prog_free(p);

	if (!ASSERT_OK(bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN),
		       "prog_new"))
		return;
	bpfgen_chain_begin(p, 0);
	bpfgen_rule_begin(p, -1);
	bpfgen_load_meta(p, BPF_REG_1, BPFGEN_META_MARK);
	bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, 0x10000, 2, false);
	ASSERT_EQ(bpfgen_prog_err(p), -ERANGE, "immediate wider than size");
	bpfgen_prog_free(p);
}

int main(void)
{
	struct bpfgen_prog *p = NULL;

	if (bpfgen_prog_new(&p, NFPROTO_IPV4, NF_INET_LOCAL_IN)) {
		printf("1..0 # skip no readable vmlinux BTF\n");
		return IPB_TEST_SKIP;
	}
	bpfgen_prog_free(p);
	RUN_TEST(test_golden_user_chain);
	RUN_TEST(test_dead_code_dropped);
	RUN_TEST(test_dropped_chain_moves_the_rest);
	RUN_TEST(test_finish_limits);
	RUN_TEST(test_misuse);
	return ipb_test_done();
}
