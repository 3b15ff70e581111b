/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bpfgen: the BPF side of iptables-bpf.  The only bpfgen header included
 * from outside bpfgen/.
 *
 * All functions return 0 (or a count) on success and -errno on failure;
 * none prints to stderr or exits.  Emitters return void and record the
 * first failure in the program (sticky error): check bpfgen_prog_err()
 * once per rule and again before loading.
 *
 * One program per (family, table, hook), type BPF_PROG_TYPE_NETFILTER.
 *
 * Context.  R1 on entry is struct bpf_nf_ctx { state, skb }: two trusted
 * BTF pointers read with 8-byte loads (IPB_NF_CTX_*_OFF).  Fields of
 * struct sk_buff, nf_hook_state, net_device and nf_conn (and, for the
 * helper match, nf_ct_ext, nf_conn_help and nf_conntrack_helper) are
 * read at offsets taken from /sys/kernel/btf/vmlinux at run time
 * (btf.c, cthelper.c), never from constants.  Packet bytes are read with the helper
 * bpf_dynptr_read() from a dynptr made by the kfunc
 * bpf_dynptr_from_skb(); at every hook the skb's data, hence dynptr
 * offset 0, is the network header (the stack pulled the MAC header at
 * PRE_ROUTING/LOCAL_IN/FORWARD, and BPF_PROG_TEST_RUN does the same
 * after eth_type_trans(); checked by tests/bpf/rules-test at every hook
 * and by tests/cli/bpfgen-attach.bats on real traffic at four).  Under
 * BPF_PROG_TEST_RUN, state->in is NULL and state->out the loopback
 * device, whatever the hook (measured on 6.18).
 *
 * Registers, in the base chain and in every user chain alike:
 *	R6  ctx (struct bpf_nf_ctx *)
 *	R7  ctx->skb (struct sk_buff *, trusted)
 *	R8  ctx->state (struct nf_hook_state *, trusted)
 *	R9  the packet info block (BPFGEN_PI_*) in the base chain's frame;
 *	    user chains get it as their second argument, so they read the
 *	    packet the prologue parsed once
 *	R0-R5 scratch for match code.  Calls (helpers, kfuncs, user chains,
 *	the counter subprogram) clobber R0-R5; bpfgen_load_ct() and
 *	bpfgen_load_meta(CPU) make one.
 *
 * Stack.  The base chain's frame holds the packet info block at
 * R10-BPFGEN_FRAME_MAIN (BPFGEN_PI_SIZE bytes, R9 points at it; R10-8 is
 * free); user chains use no stack; the counter subprogram keeps its map
 * key at R10-8.  The block:
 *	+0   BPFGEN_PI_L3_V6    IPv6 header copy (40 bytes)
 *	+20  BPFGEN_PI_L3_V4    IPv4 header copy (20 bytes, no options);
 *	                        either ends where BPFGEN_PI_L4 begins, so
 *	                        that one read fills both when the transport
 *	                        header follows the fixed header; zero where
 *	                        the packet is shorter
 *	+40  BPFGEN_PI_L4       first BPFGEN_L4_MAX bytes at the L4 offset,
 *	                        zero beyond what the packet holds
 *	+104 BPFGEN_PI_L4PROTO  u32 transport protocol as nf_tables computes
 *	                        it for ip/ip6 tables (hdr.c), or
 *	                        BPFGEN_L4PROTO_NONE if it has none
 *	+108 BPFGEN_PI_L4OFF    u32 transport offset from the network header
 *	+112 BPFGEN_PI_L4AVAIL  u32 valid bytes in BPFGEN_PI_L4
 *	+116 BPFGEN_PI_FRAGOFF  u32 fragment offset as nf_tables keeps it:
 *	                        IPv4 in 8-byte units, IPv6 in bytes
 *	+120 BPFGEN_PI_SKBLEN   u32 skb->len
 *	+124 scratch (the IPv6 walk's next header), +128 the skb dynptr
 *	(16 bytes), +144 scratch (the extension header being skipped)
 * The kernel allows 512 bytes for all frames of a call chain, each frame
 * rounded up to 32 bytes, and 8 frames: the base chain's 160 bytes plus
 * 32 per user chain leaves room for the 7 nested user chains that the
 * frame limit allows (BPFGEN_MAX_CHAIN_DEPTH).  Counting a rule calls a
 * small counter subprogram (one map lookup site per program, see
 * verdict.c), which is one more frame: a counted rule may sit at most 6
 * chains deep.  Deeper nesting or a loop of jumps makes
 * bpfgen_prog_finish() fail with -E2BIG or -ELOOP, so the caller keeps
 * that ruleset on nf_tables.
 *
 * Verdicts.  The program returns NF_DROP (0) or NF_ACCEPT (1), nothing
 * else (the verifier enforces it).  A user chain (a BPF subprogram,
 * called with R1 = ctx, R2 = packet info) returns BPFGEN_CODE_DROP (0),
 * BPFGEN_CODE_ACCEPT (1) or BPFGEN_CODE_RETURN (2); a caller passes 0 and
 * 1 straight up and goes on with its next rule on 2, so ACCEPT/DROP cost
 * one compare per level.
 *
 * Verifier constraints that shape the code: jumps stay inside their
 * subprogram (labels are per chain); no unreachable instruction
 * (bpfgen_emit() drops dead code); the size given to bpf_dynptr_read()
 * must be bounded, hence the fixed L3/L4 copies; loads from kernel
 * structs must lie inside one BTF member; the IPv6 extension header
 * walk is unrolled (BPFGEN_IPV6_MAX_EXTHDRS headers).  The verifier
 * keeps at most 8192 pending branches and walks at most 1M
 * instructions: mismatch jumps to a rule's fail label are emitted as
 * "skip over a goto" (prog.c) so that a chain costs one pending branch
 * per rule; about 6000 rules of five matches fit in one program
 * (measured, Linux 6.18).  Larger rulesets fail to load, with -E2BIG
 * (instruction budget) or -EFAULT (pending branches, the kernel's
 * choice of errno), and stay on nf_tables.
 */
#ifndef IPB_BPFGEN_BPFGEN_H
#define IPB_BPFGEN_BPFGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bpfgen/uapi_compat.h"

/*
 * Does this kernel load BPF_PROG_TYPE_NETFILTER programs?  Returns 1 if
 * yes, 0 if the kernel refuses the type, -errno if the probe could not
 * run (no CAP_BPF).  libbpf 1.1's libbpf_probe_bpf_prog_type() does not
 * know the type, hence our own.
 */
int bpfgen_probe_netfilter(void);

/* Stack layout; see the block comment above. */
#define BPFGEN_PI_L3_V6 0
#define BPFGEN_PI_L3_V4 20
#define BPFGEN_PI_L4 40
#define BPFGEN_PI_L4PROTO 104
#define BPFGEN_PI_L4OFF 108
#define BPFGEN_PI_L4AVAIL 112
#define BPFGEN_PI_FRAGOFF 116
#define BPFGEN_PI_SKBLEN 120
#define BPFGEN_PI_SCRATCH 124
#define BPFGEN_PI_DYNPTR 128
#define BPFGEN_PI_TMP 144
#define BPFGEN_PI_SIZE 152
#define BPFGEN_FRAME_KEY 8
#define BPFGEN_FRAME_MAIN (BPFGEN_FRAME_KEY + BPFGEN_PI_SIZE)
#define BPFGEN_L3_MAX 40
#define BPFGEN_L4_MAX 64
#define BPFGEN_L4PROTO_NONE 256
#define BPFGEN_IPV6_MAX_EXTHDRS 8
#define BPFGEN_MAX_CHAIN_DEPTH 7

/* What a user chain returns. */
enum bpfgen_code {
	BPFGEN_CODE_DROP = 0,
	BPFGEN_CODE_ACCEPT = 1,
	BPFGEN_CODE_RETURN = 2,
};

/*
 * Instruction builders: plain expressions, no hidden control flow.
 * BPFGEN_LD_IMM64 is two instructions: emit both halves.
 */
#define BPFGEN_INSN(c, d, s, o, i)                                           \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s),     \
			    .off = (o), .imm = (i) })
#define BPFGEN_ALU64_IMM(op, d, i)                                           \
	BPFGEN_INSN(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define BPFGEN_ALU64_REG(op, d, s)                                           \
	BPFGEN_INSN(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define BPFGEN_ALU32_IMM(op, d, i)                                           \
	BPFGEN_INSN(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define BPFGEN_MOV64_IMM(d, i) BPFGEN_ALU64_IMM(BPF_MOV, d, i)
#define BPFGEN_MOV64_REG(d, s) BPFGEN_ALU64_REG(BPF_MOV, d, s)
#define BPFGEN_LDX_MEM(sz, d, s, o)                                          \
	BPFGEN_INSN(BPF_LDX | (sz) | BPF_MEM, d, s, o, 0)
#define BPFGEN_STX_MEM(sz, d, s, o)                                          \
	BPFGEN_INSN(BPF_STX | (sz) | BPF_MEM, d, s, o, 0)
#define BPFGEN_ST_MEM(sz, d, o, i)                                           \
	BPFGEN_INSN(BPF_ST | (sz) | BPF_MEM, d, 0, o, i)
#define BPFGEN_BSWAP_BE(d, bits)                                             \
	BPFGEN_INSN(BPF_ALU | BPF_END | BPF_TO_BE, d, 0, 0, bits)
#define BPFGEN_CALL_HELPER(id) BPFGEN_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define BPFGEN_EXIT() BPFGEN_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define BPFGEN_LD_IMM64_LO(d, s, v)                                          \
	BPFGEN_INSN(BPF_LD | BPF_DW | BPF_IMM, d, s, 0, (int32_t)(uint32_t)(v))
#define BPFGEN_LD_IMM64_HI(v)                                                \
	BPFGEN_INSN(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(v) >> 32))

/* ---- prog.c: instruction buffer, labels, fixups ---------------------- */

struct bpfgen_prog;

/*
 * New empty program for @family (NFPROTO_IPV4 or NFPROTO_IPV6) at @hook
 * (NF_INET_*).  Resolves the kernel offsets it needs from vmlinux BTF.
 * The caller owns *@out (bpfgen_prog_free()).
 */
int bpfgen_prog_new(struct bpfgen_prog **out, int family, int hook);
/* NULL-safe.  Closes the counters map fd the program holds. */
void bpfgen_prog_free(struct bpfgen_prog *p);
/* The first error any emitter met, or 0. */
int bpfgen_prog_err(const struct bpfgen_prog *p);
int bpfgen_prog_family(const struct bpfgen_prog *p);
int bpfgen_prog_hook(const struct bpfgen_prog *p);
/*
 * Append one instruction.  After an exit or an unconditional goto,
 * instructions are dropped until a label that some jump targets is
 * placed: the verifier refuses unreachable code, and a rule "-j DROP"
 * without matches makes the rest of its chain unreachable.  A jump
 * backwards to a label placed in such dropped code is an error.
 */
void bpfgen_emit(struct bpfgen_prog *p, struct bpf_insn insn);
/* Append a 64-bit immediate load (two instructions). */
void bpfgen_emit_ld_imm64(struct bpfgen_prog *p, int reg, uint64_t v);
/* A new label in the current chain; its id (>= 0) or -errno. */
int bpfgen_label_new(struct bpfgen_prog *p);
/* The label points at the next instruction emitted. */
void bpfgen_label_place(struct bpfgen_prog *p, int label);
/* goto @label */
void bpfgen_emit_ja(struct bpfgen_prog *p, int label);
/* if (@reg @op @imm) goto @label; @op is BPF_JEQ..BPF_JSLE (64-bit). */
void bpfgen_emit_jmp_imm(struct bpfgen_prog *p, int op, int reg, int32_t imm,
			 int label);
/* The same on the low 32 bits of @reg (BPF_JMP32). */
void bpfgen_emit_jmp32_imm(struct bpfgen_prog *p, int op, int reg, int32_t imm,
			   int label);
/* if (@dst @op @src) goto @label */
void bpfgen_emit_jmp_reg(struct bpfgen_prog *p, int op, int dst, int src,
			 int label);
/*
 * Resolve labels and calls.  Jumps farther than a 16-bit offset become
 * BPF_JMP32|BPF_JA (32-bit offset, Linux 6.4) when unconditional and
 * fail with -E2BIG otherwise.  Calls to undefined chains: -ENOENT; chain
 * loops: -ELOOP; nesting deeper than BPFGEN_MAX_CHAIN_DEPTH: -E2BIG.
 * Idempotent; bpfgen_prog_load() calls it.
 */
int bpfgen_prog_finish(struct bpfgen_prog *p);
/* After finish: the instructions (owned by @p) and their number. */
const struct bpf_insn *bpfgen_prog_insns(const struct bpfgen_prog *p);
size_t bpfgen_prog_insn_cnt(const struct bpfgen_prog *p);
/* Write a listing of the instructions to @f (for IPB_DUMP_INSNS=1). */
int bpfgen_prog_dump(const struct bpfgen_prog *p, FILE *f);

/* ---- chain.c, verdict.c: chains, rules, verdicts --------------------- */

enum bpfgen_verdict_kind {
	BPFGEN_VERDICT_CONTINUE,	/* no target: count, go on */
	BPFGEN_VERDICT_ACCEPT,
	BPFGEN_VERDICT_DROP,
	BPFGEN_VERDICT_RETURN,
	BPFGEN_VERDICT_JUMP,
	BPFGEN_VERDICT_GOTO,
	__BPFGEN_VERDICT_MAX,
};

/*
 * struct bpfgen_verdict - what a rule does when it matches
 * @kind: the verdict
 * @chain_id: target user chain for JUMP and GOTO
 */
struct bpfgen_verdict {
	enum bpfgen_verdict_kind kind;
	uint32_t chain_id;
};

/*
 * The base chain: emits the prologue (packet parsing) first.  Exactly
 * one per program, before any user chain.  @chain_id names it for
 * diagnostics only.
 */
int bpfgen_chain_begin(struct bpfgen_prog *p, uint32_t chain_id);
/*
 * End of the base chain: count @policy_counter_idx (-1: none) and apply
 * @policy (BPFGEN_VERDICT_ACCEPT or _DROP).
 */
int bpfgen_chain_end(struct bpfgen_prog *p, enum bpfgen_verdict_kind policy,
		     int policy_counter_idx);
/*
 * A user chain @chain_id (any value but UINT32_MAX, which bpfgen keeps
 * for its counter subprogram): a subprogram; falling off its end
 * returns.
 */
int bpfgen_user_chain_begin(struct bpfgen_prog *p, uint32_t chain_id);
int bpfgen_user_chain_end(struct bpfgen_prog *p);
/*
 * Start a rule whose match increments counter slot @counter_idx (-1: not
 * counted).  Returns the rule's fail label: matches jump there when the
 * packet does not match.
 */
int bpfgen_rule_begin(struct bpfgen_prog *p, int counter_idx);
/* The current rule's fail label. */
int bpfgen_rule_fail_label(struct bpfgen_prog *p);
/*
 * A label in the current chain that drops the packet at once: the xt
 * "hotdrop" outcome, e.g. as the short label of bpfgen_load_l4().
 */
int bpfgen_hotdrop_label(struct bpfgen_prog *p);
/* All matches passed: count, then apply @v. */
int bpfgen_rule_end(struct bpfgen_prog *p, const struct bpfgen_verdict *v);

/*
 * group.c: a run of rules that each compare only the source (or, @dst,
 * destination) address with one full address, share the verdict @v and
 * are counted in their own slots: one lookup in @map_fd, a
 * BPF_MAP_TYPE_HASH from the address (4 or 16 bytes, network order) to
 * the u32 counter slot of the first rule with that address.  @max_slot is
 * the highest slot the map holds.  Emitted as one rule; the program keeps
 * a reference to the map.
 */
int bpfgen_rule_group_lookup(struct bpfgen_prog *p, bool dst, int map_fd,
			     uint32_t max_slot, const struct bpfgen_verdict *v);

/* ---- match_*.c: generic matches; each jumps to the fail label -------- */

/* -s/-d for IPv4: (addr & @mask) == @addr; both in network byte order. */
void bpfgen_match_ip4(struct bpfgen_prog *p, bool dst, uint32_t addr_be,
		      uint32_t mask_be, bool invert);
/* -s/-d for IPv6, 16-byte address and mask in network byte order. */
void bpfgen_match_ip6(struct bpfgen_prog *p, bool dst, const uint8_t *addr,
		      const uint8_t *mask, bool invert);
/*
 * -i/-o as nft's meta iifname/oifname: compares the device name with
 * @name including its NUL, or only the part before a trailing '+'
 * ("+" alone matches everything).  No device compares as "".
 */
void bpfgen_match_iface(struct bpfgen_prog *p, bool out, const char *name,
			bool invert);
/*
 * -p: the transport protocol (nft meta l4proto).  @proto 0 matches any
 * packet; a packet with no transport protocol (an IPv6 extension
 * header chain cut short) matches neither -p X nor ! -p X, as in nft.
 */
void bpfgen_match_l4proto(struct bpfgen_prog *p, uint8_t proto, bool invert);
/* -f: IPv4 non-first fragment (ip frag-off & 0x1fff != 0). */
void bpfgen_match_frag(struct bpfgen_prog *p, bool invert);

/* ---- access.c, cmp.c: loads and compares for extensions -------------- */

enum bpfgen_meta {
	BPFGEN_META_MARK,
	BPFGEN_META_LEN,
	BPFGEN_META_L4PROTO,
	BPFGEN_META_NFPROTO,
	BPFGEN_META_IIF,	/* ifindex, 0 without a device */
	BPFGEN_META_OIF,
	BPFGEN_META_PKTTYPE,	/* skb->pkt_type as is */
	BPFGEN_META_CPU,
	__BPFGEN_META_MAX,
};

enum bpfgen_ct {
	/*
	 * xt_state bits: INVALID 1 (no entry), ESTABLISHED 2, RELATED 4,
	 * NEW 8, UNTRACKED 16.  Never jumps to the no-ct label.
	 */
	BPFGEN_CT_STATE,
	BPFGEN_CT_STATUS,
	BPFGEN_CT_MARK,
	BPFGEN_CT_DIRECTION,	/* 0 original, 1 reply */
	__BPFGEN_CT_MAX,
};

enum bpfgen_cmp {
	BPFGEN_CMP_EQ,
	BPFGEN_CMP_NE,
	BPFGEN_CMP_LT,
	BPFGEN_CMP_LE,
	BPFGEN_CMP_GT,
	BPFGEN_CMP_GE,
	__BPFGEN_CMP_MAX,
};

/*
 * Load @size (1, 2, 4) bytes at @off of the L3 header into @reg (R0-R5),
 * in network byte order as loaded.  @off + @size <= 20 (IPv4) or 40.
 */
void bpfgen_load_l3(struct bpfgen_prog *p, int reg, int off, int size);
/*
 * Load @size bytes at @off of the transport header; jump to @short_label
 * when the packet has no transport protocol or fewer bytes there (the
 * rule's fail label gives nft's "no match", bpfgen_hotdrop_label() xt's
 * hotdrop).  @off + @size <= BPFGEN_L4_MAX.
 */
void bpfgen_load_l4(struct bpfgen_prog *p, int reg, int off, int size,
		    int short_label);
/* Host-order value of @key into @reg (R0-R5). */
void bpfgen_load_meta(struct bpfgen_prog *p, int reg, enum bpfgen_meta key);
/*
 * Conntrack value of @key into @reg; clobbers R0-R5.  Keys other than
 * STATE jump to @noct_label (-1: the rule's fail label) when the packet
 * has no conntrack entry, as nft's ct expression breaks.
 */
void bpfgen_load_ct(struct bpfgen_prog *p, int reg, enum bpfgen_ct key,
		    int noct_label);
/* Network to host byte order of the low @size (2, 4, 8) bytes of @reg. */
void bpfgen_ntoh(struct bpfgen_prog *p, int reg, int size);
/*
 * The rule goes on iff (@reg @op @imm) != @invert; unsigned, @reg's low
 * @size bytes (1, 2, 4, 8) in host order.
 */
void bpfgen_cmp_imm(struct bpfgen_prog *p, int reg, enum bpfgen_cmp op,
		    uint64_t imm, int size, bool invert);
/* Goes on iff (@lo <= @reg <= @hi) != @invert (unsigned 64-bit). */
void bpfgen_cmp_range(struct bpfgen_prog *p, int reg, uint64_t lo,
		      uint64_t hi, bool invert);
/* Goes on iff ((@reg & @mask) == @val) != @invert. */
void bpfgen_cmp_mask(struct bpfgen_prog *p, int reg, uint64_t mask,
		     uint64_t val, bool invert);

/*
 * Keep the kernel offsets read from vmlinux BTF in file @path (NULL: no
 * file, the default), for later processes of the same boot: parsing
 * BTF costs 10-20 ms per process.  The caller serialises writers.
 */
void bpfgen_kinfo_cache_file(const char *path);

/* ---- mapio.c: whole maps in one bpf() call ---------------------------- */

/*
 * Elements 0..@n-1 of array @map_fd into @values, @elem_size bytes each
 * (for a per-CPU array: the value rounded up to 8 bytes, times the
 * possible CPUs).
 */
int bpfgen_array_read(int map_fd, uint32_t n, void *values, size_t elem_size);
/* Elements 0..@n-1 of array @map_fd from @values. */
int bpfgen_array_write(int map_fd, uint32_t n, const void *values,
		       size_t elem_size);
/*
 * Adds @n keys with their values to hash @map_fd; a key already there
 * keeps its value (the first of equal keys wins).
 */
int bpfgen_map_add_new(int map_fd, const void *keys, size_t key_size,
		       const void *values, size_t value_size, uint32_t n);

/* ---- counters.c: one per-CPU array per program ----------------------- */

/* New counters map of @nslots slots { u64 packets, bytes; } per CPU,
 * several slots per element (counters.c). */
int bpfgen_counters_new(uint32_t nslots, int *map_fd);
/* Sum of slot @idx over all CPUs. */
int bpfgen_counters_read(int map_fd, uint32_t idx, uint64_t *pkts,
			 uint64_t *bytes);
/*
 * Sums of slots 0..@n-1 over all CPUs into @pkts and @bytes (@n entries
 * each), in one call.
 */
int bpfgen_counters_read_all(int map_fd, uint32_t n, uint64_t *pkts,
			     uint64_t *bytes);
/*
 * Set slot @idx to @pkts/@bytes (on one CPU, zero on the others).  It
 * rewrites the slot's map element: not while a loaded program counts in
 * the element's other slots.
 */
int bpfgen_counters_write(int map_fd, uint32_t idx, uint64_t pkts,
			  uint64_t bytes);
/*
 * Use @map_fd (borrowed; @p keeps a dup) as the program's counters map,
 * e.g. to carry counters over to a new program (bpfgen_prog_load()
 * refuses it with -EINVAL if it has fewer slots than the program uses).
 * Otherwise bpfgen_prog_load() makes one sized to the highest slot used.
 */
int bpfgen_prog_set_counters(struct bpfgen_prog *p, int map_fd);
/* The counters map fd (owned by @p, -1 before load or without counters). */
int bpfgen_prog_counters_fd(const struct bpfgen_prog *p);
/* Number of counter slots the program uses (highest index + 1). */
uint32_t bpfgen_prog_counter_slots(const struct bpfgen_prog *p);

/* ---- load.c ------------------------------------------------------------ */

/*
 * Finish and load @p as BPF_PROG_TYPE_NETFILTER named @name (15 chars
 * kept, characters the kernel refuses in names become '_').  On success the caller owns *@prog_fd.  If the kernel refuses
 * it, the load is retried once with log_level 1 and the verifier log is
 * written into @log (@log_sz bytes, may be 0).
 */
int bpfgen_prog_load(struct bpfgen_prog *p, const char *name, int *prog_fd,
		     char *log, size_t log_sz);

/* ---- link.c, pin.c, hook.c: dispatcher, link, pins --------------------- */

/*
 * struct bpfgen_hook_spec - one attachment point
 * @family: NFPROTO_IPV4 or NFPROTO_IPV6
 * @table: table name ("filter"), used in the pin path
 * @hook: NF_INET_*
 * @priority: netfilter priority (NF_IP_PRI_FILTER is 0)
 * @defrag: ask the kernel to defragment first (BPF_F_NETFILTER_IP_DEFRAG)
 */
struct bpfgen_hook_spec {
	int family;
	const char *table;
	int hook;
	int priority;
	bool defrag;
};

/*
 * Make @prog_fd the program at @spec's hook: the first time, create the
 * dispatcher, its prog array (slot 0 = @prog_fd) and the link, in that
 * order, then pin them; afterwards swap slot 0, atomically per packet.
 * @counters_fd (-1: none) is pinned beside it.  Both fds stay the
 * caller's.  The pins keep everything alive after the process exits.
 * -EEXIST if the hook is installed with another priority or defrag flag
 * (a link cannot move: remove first); -EXDEV if the pin root is no
 * bpffs and this process is not in the initial mount namespace (see
 * pin.c).  Callers serialise installs at one hook (the front end's
 * lock).
 */
int bpfgen_hook_install(const struct bpfgen_hook_spec *spec, int prog_fd,
			int counters_fd);
/* Detach @spec's link and remove its pins; -ENOENT if none. */
int bpfgen_hook_remove(const struct bpfgen_hook_spec *spec);

/*
 * struct bpfgen_hook_status - what is installed at a hook
 * @link_id: the BPF link's id
 * @dispatcher_id: the dispatcher program's id
 * @prog_id: the ruleset program's id; 0 if the slot is empty (the
 *	dispatcher drops every packet)
 * @prog_name: its name
 * @xlated_len: its size in bytes after the verifier
 * @jited_len: its JIT image size in bytes
 * @insn_cnt: xlated_len in instructions
 * @pin_dir: the hook's pin directory
 * @missing: the pins beside the link that are gone ("progs,counters";
 *	empty: none); the hook still filters, the next install pins the
 *	dispatcher and its prog array again from the link
 */
struct bpfgen_hook_status {
	uint32_t link_id;
	uint32_t dispatcher_id;
	uint32_t prog_id;
	char prog_name[16];
	uint32_t xlated_len;
	uint32_t jited_len;
	uint32_t insn_cnt;
	char pin_dir[256];
	char missing[64];
};

/* Fill @st for @spec's hook; -ENOENT if nothing is installed. */
int bpfgen_hook_query(const struct bpfgen_hook_spec *spec,
		      struct bpfgen_hook_status *st);
/* Open the installed program's counters map; the caller owns *@map_fd. */
int bpfgen_hook_counters_open(const struct bpfgen_hook_spec *spec,
			      int *map_fd);
/*
 * The caller's map describing the installed program (iptables-bpf keeps
 * the rule handle of each counter slot there), pinned as "slots" beside
 * it, replacing the one before, and removed with the hook.  The caller
 * pins it after bpfgen_hook_install(); readers serialise with installs
 * (the front end's lock).  @map_fd stays the caller's.
 */
int bpfgen_hook_slots_pin(const struct bpfgen_hook_spec *spec, int map_fd);
/* Open the "slots" map; the caller owns *@map_fd. */
int bpfgen_hook_slots_open(const struct bpfgen_hook_spec *spec, int *map_fd);
/* The hook's pin directory into @buf; -ENAMETOOLONG if it does not fit. */
int bpfgen_hook_pin_dir(const struct bpfgen_hook_spec *spec, char *buf,
			size_t sz);

/*
 * The "pending" mark of a table in this network namespace (pin.c): set
 * before a change is committed, cleared once the table's BPF side is
 * done; a command killed in between leaves it for the next one.
 * @create_root false: only where the pin root exists already.
 */
int bpfgen_pin_pending_set(int family, const char *table, bool create_root);
bool bpfgen_pin_pending_is_set(int family, const char *table);
void bpfgen_pin_pending_clear(int family, const char *table);

/*
 * pin_gc.c: pins of network namespaces that are gone (nothing but the
 * pinned links holds them).  @cookies (the caller frees it) gets their
 * cookies; -EPERM outside the initial PID namespace, -EAGAIN if the
 * walk could not tell (a namespace's last way in went meanwhile).
 */
int bpfgen_pin_stale_netns(uint64_t **cookies, size_t *n);
/* Remove namespace @cookie's pin directory: its links detach. */
int bpfgen_pin_netns_remove(uint64_t cookie);

/* ---- access.c: what xt matches get from nf_tables' packet info -------- */

/*
 * @reg = the u32 packet info field at @field: BPFGEN_PI_L4PROTO,
 * BPFGEN_PI_L4OFF (nf_tables' thoff, which nft_compat passes to xt
 * matches as par->thoff), BPFGEN_PI_L4AVAIL, BPFGEN_PI_FRAGOFF
 * (par->fragoff: IPv4 in 8-byte units, IPv6 in bytes),
 * BPFGEN_PI_SKBLEN or BPFGEN_PI_SCRATCH (where bpfgen_ipv6_find_hdr()
 * leaves its result).  Any other offset sets -EINVAL.
 */
void bpfgen_load_pkt_info(struct bpfgen_prog *p, int reg, int field);
/*
 * @reg = the byte at transport offset @off + @idx_reg, @idx_reg read as
 * unsigned 64-bit (R0-R5; @reg may be @idx_reg).  Jumps to @out_label
 * when that lies at or beyond BPFGEN_L4_MAX; bytes past L4AVAIL read as
 * zero, so callers check L4AVAIL first where the length matters.  For
 * option walks (TCP options fit: the header is at most 60 bytes).
 */
void bpfgen_load_l4_idx(struct bpfgen_prog *p, int reg, int idx_reg,
			int off, int out_label);

/* ---- exthdr.c: packet reads at run-time offsets, the IPv6 header walk -- */

/*
 * @reg = @size (1, 2, 4) packet bytes at offset R@off_reg + @off from the
 * network header (@off_reg -1: at @off), in network byte order as
 * loaded, read with bpf_dynptr_read() into BPFGEN_PI_TMP; jumps to
 * @short_label when the packet ends before them.  Clobbers R0-R5 (the
 * helper call) but for @reg.  BPFGEN_PI_TMP + 4 to + 7 are left alone:
 * match code may keep state there across reads.
 */
void bpfgen_load_pkt(struct bpfgen_prog *p, int reg, int off_reg, int off,
		     int size, int short_label);
/*
 * The kernel's ipv6_find_hdr(skb, &ptr, @target, NULL, NULL) for an
 * extension header @target (0, 43, 44, 51, 60), as the ip6t_* matches
 * call it: on success R0 = the header's offset from the network header,
 * also kept in BPFGEN_PI_SCRATCH; -ENOENT goes to @enoent_label, a
 * header cut short (-EBADMSG) to @bad_label.  Unrolled over
 * BPFGEN_IPV6_MAX_EXTHDRS headers; a longer chain goes to
 * @enoent_label (the kernel walks on).  Clobbers R0-R5 and
 * BPFGEN_PI_TMP + 4.
 */
void bpfgen_ipv6_find_hdr(struct bpfgen_prog *p, int target, int enoent_label,
			  int bad_label);
/* ---- state.c, kobj.c: stateful matches and kernel objects ------------ */

/*
 * Stateful matches.  Each takes a slot of rule state identified by @key
 * (bpfgen_state_key(); 0 for a rule without a handle: a key of its
 * own).  The state lives in a hash map that the caller can hand from
 * the program being replaced to its successor, so that a rule keeps its
 * state across changes to other rules as in nf_tables (state.c).  They
 * use R0-R5, R10-BPFGEN_FRAME_KEY and R9+BPFGEN_PI_TMP (BPFGEN_PI_TMP is
 * scratch once the prologue has run), and jump to the rule's fail label
 * when the match is false.
 *
 * nft_limit_eval(): a global token bucket in nanoseconds, full at
 * first use, @cost per packet, at most @tokens_max; matches when it
 * holds @cost (!= @invert).  Lock-protected as the kernel's; the clock
 * is read just before the lock is taken (no helper call may run under
 * it).
 */
void bpfgen_match_limit(struct bpfgen_prog *p, uint64_t key, uint64_t cost,
			uint64_t tokens_max, bool invert);
/*
 * xt_statistic nth: a global packet counter starting at @count, reset
 * after @every; matches on reset (!= @invert).  Needs @count <= @every.
 */
void bpfgen_match_nth(struct bpfgen_prog *p, uint64_t key, uint32_t every,
		      uint32_t count, bool invert);
/*
 * xt_statistic random: matches when (bpf_get_prandom_u32() & 0x7fffffff)
 * < @probability (!= @invert).
 */
void bpfgen_match_random(struct bpfgen_prog *p, uint32_t probability,
			 bool invert);

enum bpfgen_ct_tuple {
	BPFGEN_CT_TUPLE_SRC_ADDR,	/* 4 bytes as in memory (network order) */
	BPFGEN_CT_TUPLE_DST_ADDR,
	BPFGEN_CT_TUPLE_SRC_PORT,	/* u.all, host order */
	BPFGEN_CT_TUPLE_DST_PORT,
	BPFGEN_CT_TUPLE_PROTO,		/* dst.protonum */
	__BPFGEN_CT_TUPLE_MAX,
};

/*
 * ct->tuplehash[@dir].tuple's @field (IP_CT_DIR_ORIGINAL 0, REPLY 1)
 * into @reg; @word picks the 4-byte word of an address (0 for IPv4).
 * Jumps to @noct_label (-1: the rule's fail label) without a conntrack
 * entry.  Clobbers R0-R5.
 */
void bpfgen_load_ct_tuple(struct bpfgen_prog *p, int reg, int dir,
			  enum bpfgen_ct_tuple field, int word, int noct_label);

enum bpfgen_owner {
	BPFGEN_OWNER_FILE,	/* only the checks, nothing loaded */
	BPFGEN_OWNER_FSUID,	/* file->f_cred->fsuid, as a kernel uid */
	BPFGEN_OWNER_FSGID,
	__BPFGEN_OWNER_MAX,
};

/*
 * xt_owner's view of the packet's socket: skb_to_full_sk(skb) in the
 * hook's netns with a struct socket, else goto @nosock_label; a socket
 * without a file goes to @nofile_label; then @key into @reg.  Clobbers
 * R0-R5.  Labels must be in the current chain.
 */
void bpfgen_load_owner(struct bpfgen_prog *p, int reg, enum bpfgen_owner key,
		       int nosock_label, int nofile_label);
/*
 * xt_mac: the Ethernet source address as a u64 (byte i of the address
 * in bits 8*i..8*i+7), or goto @nomac_label when skb->dev is not
 * Ethernet or the MAC header is not wholly before the network header.
 * Clobbers R0-R5.
 */
void bpfgen_load_mac_src(struct bpfgen_prog *p, int reg, int nomac_label);
/* net_device->group of state->in (or ->out), 0 without a device. */
void bpfgen_load_dev_group(struct bpfgen_prog *p, int reg, bool out);

/*
 * xt_helper (cthelper.c): the rule goes on iff (the helper of the
 * packet's conntrack master has a name that @name begins with, or
 * @name is "", and there are an entry, a master and a helper) !=
 * @invert; helper_mt()'s strncmp(helper->name, name,
 * strlen(helper->name)).  Clobbers R0-R5.  Sets -EOPNOTSUPP where
 * bpfgen_ct_helper_unsupported() gives a reason.
 */
void bpfgen_match_ct_helper(struct bpfgen_prog *p, const char *name,
			    bool invert);
/*
 * Why the running kernel's conntrack helper cannot be read exactly
 * (e.g. its extension lookup checks a generation against a kernel
 * global), as "helper match (...)"; NULL if it can.
 */
const char *bpfgen_ct_helper_unsupported(const struct bpfgen_prog *p);
/* The same question asked of the kernel that @btf describes. */
struct btf;
const char *bpfgen_ct_helper_btf_why(const struct btf *btf);

/* The state key of the match at position @pos (0-255) of rule @handle;
 * 0 for a rule without a handle. */
uint64_t bpfgen_state_key(uint64_t handle, unsigned int pos);
/*
 * Use @map_fd (borrowed; @p keeps a dup), the state map of the program
 * @p replaces, e.g. from bpfgen_hook_state_open().  bpfgen_prog_load()
 * makes a new one if it is not a state map; without it, too.
 */
int bpfgen_prog_set_state(struct bpfgen_prog *p, int map_fd);
/* The state map fd (owned by @p), -1 if the program has no state. */
int bpfgen_prog_state_fd(const struct bpfgen_prog *p);
/* Delete from @map_fd the state of every key that none of the @n
 * programs @progs (e.g. all the hooks of a table) uses: rules gone. */
int bpfgen_state_prune(int map_fd, const struct bpfgen_prog *const *progs,
		       size_t n);
/* Pin @map_fd (borrowed) as @spec's "state", replacing the one before. */
int bpfgen_hook_state_pin(const struct bpfgen_hook_spec *spec, int map_fd);
/* Open @spec's "state" map; the caller owns *@map_fd. -ENOENT: none. */
int bpfgen_hook_state_open(const struct bpfgen_hook_spec *spec, int *map_fd);

/*
 * The verifier follows a bounded loop through every iteration, for each
 * path that reaches it: about 50 TCP option walks fit in one program
 * (1M instructions processed on Linux 6.18; 100 fail after 12 s).  Code
 * about to emit a loop takes one from the program's budget first;
 * -E2BIG once BPFGEN_MAX_LOOPS are taken, so the caller refuses at once
 * instead of spending seconds in the verifier.
 */
#define BPFGEN_MAX_LOOPS 40
int bpfgen_loop_take(struct bpfgen_prog *p);

#endif
