// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dispatcher and the BPF_NETFILTER link.
 *
 * A netfilter link cannot change its program (no BPF_LINK_UPDATE,
 * net/netfilter/nf_bpf_link.c has no update_prog), and detaching then
 * attaching again leaves a window with no filter.  So each hook gets a
 * fixed dispatcher that tail-calls slot 0 of a one-slot PROG_ARRAY;
 * replacing the ruleset is one bpf_map_update_elem() on that slot, an
 * xchg() in the kernel: every packet runs either the old or the new
 * program, never neither.
 *
 * When the slot is empty the tail call falls through, and the
 * dispatcher drops: fail-closed.  bpfgen_hook_install() fills the slot
 * before it creates the link, so the empty case is never seen by
 * traffic in normal operation; should it happen anyway (someone deleted
 * the slot), the hook drops rather than lets everything through.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/netfilter.h>

#include <bpf/bpf.h>

#include "bpfgen/internal.h"

int bpfgen_dispatcher_load(int prog_array_fd, int *prog_fd)
{
	const struct bpf_insn insns[] = {
		/* r1 = ctx, as received */
		BPFGEN_LD_IMM64_LO(BPF_REG_2, BPF_PSEUDO_MAP_FD, prog_array_fd),
		BPFGEN_LD_IMM64_HI(0),
		BPFGEN_MOV64_IMM(BPF_REG_3, 0),
		BPFGEN_CALL_HELPER(BPF_FUNC_tail_call),
		BPFGEN_MOV64_IMM(BPF_REG_0, NF_DROP),
		BPFGEN_EXIT(),
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = BPF_NETFILTER);
	int fd;

	fd = bpf_prog_load(BPF_PROG_TYPE_NETFILTER, "ipb_dispatch", "GPL",
			   insns, ARRAY_SIZE(insns), &opts);
	if (fd < 0)
		return -errno;
	*prog_fd = fd;
	return 0;
}

/*
 * Raw BPF_LINK_CREATE: libbpf 1.1's bpf_link_create() has no netfilter
 * fields.
 */
int bpfgen_link_create(const struct bpfgen_hook_spec *spec, int prog_fd,
		       int *link_fd)
{
	struct ipb_link_create_nf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_fd = prog_fd;
	attr.attach_type = BPF_NETFILTER;
	attr.pf = spec->family;
	attr.hooknum = spec->hook;
	attr.priority = spec->priority;
	attr.nf_flags = spec->defrag ? BPF_F_NETFILTER_IP_DEFRAG : 0;
	fd = syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	*link_fd = fd;
	return 0;
}
