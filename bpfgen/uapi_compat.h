/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What Debian 12's linux-libc-dev (6.1) and libbpf 1.1 lack for
 * BPF_PROG_TYPE_NETFILTER (merged in Linux 6.4, commit fd9c663b9ad6
 * "bpf: minimal support for programs hooked into netfilter framework").
 * Values are the kernel's uapi ABI; they never change.  Included through
 * bpfgen/bpfgen.h only.
 */
#ifndef IPB_BPFGEN_UAPI_COMPAT_H
#define IPB_BPFGEN_UAPI_COMPAT_H

#include <stdint.h>

#include <linux/bpf.h>

#if !HAVE_DECL_BPF_PROG_TYPE_NETFILTER
#define BPF_PROG_TYPE_NETFILTER ((enum bpf_prog_type)32)
#endif
#if !HAVE_DECL_BPF_NETFILTER
#define BPF_NETFILTER ((enum bpf_attach_type)45)
#endif
#define IPB_BPF_LINK_TYPE_NETFILTER 10

/* Ask the kernel to defragment IPv4/IPv6 before the program (Linux 6.6,
 * commit 91721c2d02d3), as nf_tables sees whole packets. */
#ifndef BPF_F_NETFILTER_IP_DEFRAG
#define BPF_F_NETFILTER_IP_DEFRAG (1U << 0)
#endif

/*
 * The leading part of union bpf_attr for BPF_LINK_CREATE with a netfilter
 * target.  The kernel takes a shorter attr as long as what it does not get
 * would be zero (bpf_check_uarg_tail_zero()).
 */
struct ipb_link_create_nf_attr {
	uint32_t prog_fd;
	uint32_t target_fd;
	uint32_t attach_type;
	uint32_t flags;
	uint32_t pf;
	uint32_t hooknum;
	int32_t priority;
	uint32_t nf_flags;
};

/* struct bpf_link_info for a netfilter link, as BPF_OBJ_GET_INFO_BY_FD
 * fills it. */
struct ipb_link_info_nf {
	uint32_t type;
	uint32_t id;
	uint32_t prog_id;
	uint32_t pad;
	uint32_t pf;
	uint32_t hooknum;
	int32_t priority;
	uint32_t flags;
};

/*
 * The program's context.  BPF reads @state and @skb as 8-byte loads at
 * these offsets; both are trusted BTF pointers.
 */
struct ipb_bpf_nf_ctx {
	uint64_t state;
	uint64_t skb;
};
#define IPB_NF_CTX_STATE_OFF 0
#define IPB_NF_CTX_SKB_OFF 8

/*
 * ctx_in for BPF_PROG_TEST_RUN: the first two bytes of struct
 * nf_hook_state.  The kernel copies what we give and wants the rest
 * (in, out, sk, net, okfn) zero, so we give it nothing more.
 */
struct ipb_nf_hook_state_head {
	uint8_t hook;
	uint8_t pf;
};
_Static_assert(sizeof(struct ipb_nf_hook_state_head) == 2,
	       "test-run ctx must be hook and pf only");

#endif
