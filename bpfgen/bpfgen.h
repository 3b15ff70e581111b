/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bpfgen: the BPF side of iptables-bpf.  The only bpfgen header included
 * from outside bpfgen/.
 *
 * All functions return 0 (or a count) on success and -errno on failure;
 * none prints to stderr or exits.
 */
#ifndef IPB_BPFGEN_BPFGEN_H
#define IPB_BPFGEN_BPFGEN_H

#include <stdbool.h>

#include "bpfgen/uapi_compat.h"

/*
 * Does this kernel load BPF_PROG_TYPE_NETFILTER programs?  Returns 1 if
 * yes, 0 if the kernel refuses the type, -errno if the probe could not
 * run (no CAP_BPF).  libbpf 1.1's libbpf_probe_bpf_prog_type() does not
 * know the type, hence our own.
 */
int bpfgen_probe_netfilter(void);

#endif
