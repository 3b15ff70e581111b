/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to bpfgen/: the program object and the kernel facts read from
 * vmlinux BTF.
 */
#ifndef IPB_BPFGEN_INTERNAL_H
#define IPB_BPFGEN_INTERNAL_H

#include <stdint.h>
#include <stdlib.h>

#include <linux/netfilter.h>

#include "bpfgen/bpfgen.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * struct bpfgen_ct_helper_info - the path from a conntrack entry to its
 * master's helper name (cthelper.c)
 * @ok: all found, and the extension lookup is a plain offset lookup
 * @nf_conn_id, @nf_conn_help_id: BTF ids for bpf_rdonly_cast()
 * @ct_master, @ct_ext: offsets in struct nf_conn
 * @ext_helper_off: offset of offset[NF_CT_EXT_HELPER] in struct nf_ct_ext
 * @help_helper: offset of helper in struct nf_conn_help
 * @helper_name, @helper_name_len: nf_conntrack_helper's name array
 */
struct bpfgen_ct_helper_info {
	bool ok;
	int nf_conn_id;
	int nf_conn_help_id;
	int ct_master;
	int ct_ext;
	int ext_helper_off;
	int help_helper;
	int helper_name;
	int helper_name_len;
};

/*
 * struct bpfgen_kinfo - kernel facts from vmlinux BTF (btf.c)
 * @skb_len, @skb_mark, @skb_nfct: byte offsets in struct sk_buff
 * @skb_pkt_type_byte, @skb_pkt_type_shift: where the pkt_type bit-field is
 * @state_in, @state_out: offsets of the devices in struct nf_hook_state
 * @dev_name, @dev_ifindex: offsets in struct net_device
 * @ct_status, @ct_mark: offsets in struct nf_conn
 * @nf_conn_id: BTF id of struct nf_conn, for bpf_rdonly_cast()
 * @kf_dynptr_from_skb, @kf_rdonly_cast: kfunc BTF ids
 * @ct_tuplehash, @ct_tuplehash_size: nf_conn's tuplehash[] and its stride
 * @tuple_src_u3 ... @tuple_protonum: fields of one tuplehash[] entry
 * @skb_sk, @skb_dev, @skb_head, @skb_data, @skb_mac_header: sk_buff
 * @sk_state, @sk_net, @sk_socket: struct sock; @socket_file: socket;
 * @file_cred: file; @cred_fsuid, @cred_fsgid: cred;
 * @reqsk_listener: request_sock; @request_sock_id, @ethhdr_id, @sock_id:
 * BTF ids
 * @state_net: nf_hook_state; @dev_group, @dev_type: net_device
 * (each -1 when the kernel has no such member: see btf.c)
 * @ct_helper: what the helper match reads (cthelper.c), valid if its
 *	@ok; @ct_helper_why: why not, NULL when it is
 */
struct bpfgen_kinfo {
	int skb_len;
	int skb_mark;
	int skb_nfct;
	int skb_pkt_type_byte;
	int skb_pkt_type_shift;
	int state_in;
	int state_out;
	int dev_name;
	int dev_ifindex;
	int ct_status;
	int ct_mark;
	int nf_conn_id;
	int kf_dynptr_from_skb;
	int kf_rdonly_cast;
	int ct_tuplehash;
	int ct_tuplehash_size;
	int tuple_src_u3;
	int tuple_src_port;
	int tuple_dst_u3;
	int tuple_dst_port;
	int tuple_protonum;
	int skb_sk;
	int skb_dev;
	int skb_head;
	int skb_data;
	int skb_mac_header;
	int sk_state;
	int sk_net;
	int sk_socket;
	int socket_file;
	int file_cred;
	int cred_fsuid;
	int cred_fsgid;
	int reqsk_listener;
	int request_sock_id;
	int ethhdr_id;
	int sock_id;
	int state_net;
	int dev_group;
	int dev_type;
	struct bpfgen_ct_helper_info ct_helper;
	const char *ct_helper_why;
};

/* Log2 of the counter slots per counters map element for @nslots. */
unsigned int bpfgen_counter_shift(uint32_t nslots);

/* Resolve once per process (or per boot, bpfgen_kinfo_cache_file());
 * the result is read-only afterwards. */
int bpfgen_kinfo_get(const struct bpfgen_kinfo **out);
/* cthelper.c: fill @h from @btf; NULL, or why the match cannot run. */
const char *bpfgen_ct_helper_resolve(const struct btf *btf,
				     struct bpfgen_ct_helper_info *h);

/* One stateful match's slot (state.c). */
struct bpfgen_state {
	uint64_t key;
	uint64_t a, b;
};

enum fixup_kind {
	FIXUP_LABEL,	/* jump to a label */
	FIXUP_CALL,	/* BPF_PSEUDO_CALL to a user chain */
	FIXUP_COUNTERS,	/* ld_imm64 of the counters map fd */
	FIXUP_STATE,	/* ld_imm64 of the rule state map fd (state.c) */
	FIXUP_STATE_INIT, /* ld_imm64 of the initial state map fd */
};

struct fixup {
	enum fixup_kind kind;
	uint32_t insn;
	uint32_t target;	/* label id or chain id */
	int chain;		/* index of the chain holding the insn */
};

struct label {
	int64_t pos;		/* insn index, -1 until placed */
	int chain;
	uint32_t refs;		/* jumps to it emitted so far */
	bool dead;		/* placed in dead code with no jump to it */
};

/*
 * struct chain - one emitted chain (subprogram)
 * @id: the caller's chain id
 * @start: its first instruction
 * @base: the base chain (program entry)
 * @hotdrop: its hotdrop label, -1 until asked for
 * @ret_label: where RETURN and a returning GOTO go in the base chain
 *	(the policy), -1 until needed
 * @depth: longest call path below it, computed in finish
 * @visiting: reachability and cycle detection in finish
 */
struct chain {
	uint32_t id;
	uint32_t start;
	bool base;
	int hotdrop;
	int ret_label;
	int depth;
	int visiting;	/* 0 new, 1 on the walk's path, 2 done */
};

/*
 * struct bpfgen_prog - a program being emitted
 * @insns, @cnt, @cap: the instruction buffer
 * @err: first error (sticky)
 * @finished: labels and calls resolved
 * @dead: the last instruction was an exit or a goto and no label with a
 *	jump to it has been placed since: what follows is unreachable and
 *	is not emitted (the verifier rejects unreachable instructions)
 * @cur_chain: index in @chains of the chain being emitted, -1 outside
 * @rule_fail: fail label of the open rule, -1 outside a rule
 * @rule_counter: counter slot of the open rule
 * @max_counter: highest counter slot used, -1 if none
 * @counter_shift: log2 of the counter slots per counters map element,
 *	set with the counter subprogram (counters.c)
 * @counters_fd: counters map (owned), -1 before load
 * @state: key and initial { a, b } of each rule state slot (state.c)
 * @nstate: slots used; @state_fd: the keyed state map (owned), -1 until
 *	given or loaded; @state_init_fd: the initial values (owned)
 * @loops: bounded loops emitted so far (bpfgen_loop_take())
 */
struct bpfgen_prog {
	int family;
	int hook;
	const struct bpfgen_kinfo *k;
	struct bpf_insn *insns;
	size_t cnt, cap;
	int err;
	bool finished;
	bool dead;
	struct label *labels;
	size_t nlabels, caplabels;
	struct fixup *fixups;
	size_t nfixups, capfixups;
	struct chain *chains;
	size_t nchains, capchains;
	int cur_chain;
	int rule_fail;
	int rule_counter;
	int max_counter;
	unsigned int counter_shift;
	int counters_fd;
	struct bpfgen_state *state;
	uint32_t nstate;
	int state_fd;
	int state_init_fd;
	unsigned int loops;
};

void bpfgen_set_err(struct bpfgen_prog *p, int err);
int bpfgen_add_fixup(struct bpfgen_prog *p, enum fixup_kind kind,
		     uint32_t target);
/* Is @reg usable by match code (R0-R5)? Sets the error if not. */
bool bpfgen_check_scratch(struct bpfgen_prog *p, int reg);
/* Inside a rule? Sets the error if not. */
bool bpfgen_in_rule(struct bpfgen_prog *p);

/* Where the L3 header copy starts in the packet info block, its size. */
static inline int bpfgen_l3_off(const struct bpfgen_prog *p)
{
	return p->family == NFPROTO_IPV4 ? BPFGEN_PI_L3_V4 : BPFGEN_PI_L3_V6;
}

static inline int bpfgen_l3_len(const struct bpfgen_prog *p)
{
	return p->family == NFPROTO_IPV4 ? 20 : 40;
}

/* hdr.c: the packet parsing prologue of the base chain. */
void bpfgen_emit_prologue(struct bpfgen_prog *p);
/* verdict.c; the counter subprogram is a chain with a reserved id. */
#define BPFGEN_COUNTER_CHAIN UINT32_MAX
void bpfgen_emit_counter_inc(struct bpfgen_prog *p, int idx);
void bpfgen_emit_counter_sub(struct bpfgen_prog *p);
void bpfgen_emit_verdict(struct bpfgen_prog *p, const struct bpfgen_verdict *v,
			 int next_label);
/* chain.c */
int bpfgen_chain_return_label(struct bpfgen_prog *p);
int bpfgen_chain_add_counter_sub(struct bpfgen_prog *p);
/* state.c: create the state map and point the FIXUP_STATE loads at it */
int bpfgen_state_patch(struct bpfgen_prog *p);
/* link.c */
int bpfgen_dispatcher_load(int prog_array_fd, int *prog_fd);
int bpfgen_link_create(const struct bpfgen_hook_spec *spec, int prog_fd,
		       int *link_fd);
/* pin.c */
int bpfgen_pin_hook_dir(const struct bpfgen_hook_spec *spec, char *buf,
			size_t sz, bool create);
const char *bpfgen_pin_root(void);
/* SO_NETNS_COOKIE of this process's network namespace */
int bpfgen_netns_cookie(uint64_t *cookie);

#endif
