// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/netfilter.h>

#include <bpf/bpf.h>

#include "bpfgen/bpfgen.h"

int bpfgen_probe_netfilter(void)
{
	/* r0 = NF_ACCEPT; exit */
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
		  .imm = NF_ACCEPT },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = BPF_NETFILTER);
	int fd, err;

	fd = bpf_prog_load(BPF_PROG_TYPE_NETFILTER, "ipb_probe", "GPL", insns,
			   sizeof(insns) / sizeof(insns[0]), &opts);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	err = -errno;
	if (err == -EINVAL || err == -EOPNOTSUPP)
		return 0;
	return err;
}
