/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for tests/bpf: load a bpfgen program and run it on a packet
 * with BPF_PROG_TEST_RUN, as a netfilter hook would (ctx_in is the head
 * of struct nf_hook_state: hook and pf, nothing else).
 */
#ifndef IPB_TESTS_LIB_BPFRUN_H
#define IPB_TESTS_LIB_BPFRUN_H

#include <errno.h>
#include <stdlib.h>

#include <bpf/bpf.h>

#include "bpfgen/bpfgen.h"
#include "tests/lib/pkt.h"

/* Run @prog_fd on @pk @repeat times; *@retval is the verdict. */
static inline int bpfrun(int prog_fd, const struct pkt *pk, int repeat,
			 uint32_t *retval, uint32_t *duration)
{
	struct ipb_nf_hook_state_head ctx = {
		.hook = pk->hook,
		.pf = pk->pf,
	};
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		    .data_in = pk->buf,
		    .data_size_in = pk->len,
		    .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx),
		    .repeat = repeat);

	if (bpf_prog_test_run_opts(prog_fd, &opts))
		return -errno;
	*retval = opts.retval;
	if (duration)
		*duration = opts.duration;
	return 0;
}

/*
 * Load @p; on failure print the verifier log as TAP comments, and with
 * IPB_DUMP_INSNS=1 the instructions too.
 */
static inline int bpfrun_load(struct bpfgen_prog *p, const char *name,
			      int *fd)
{
	static char log[1 << 20];
	const char *dump = getenv("IPB_DUMP_INSNS");
	int err;

	err = bpfgen_prog_load(p, name, fd, log, sizeof(log));
	if (dump && !strcmp(dump, "1"))
		bpfgen_prog_dump(p, stdout);
	if (err) {
		char *line = log, *nl;

		printf("# load: %s\n", strerror(-err));
		for (; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (!nl)
				break;
			*nl = '\0';
			printf("#   %s\n", line);
		}
	}
	return err;
}

#endif
