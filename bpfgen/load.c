// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * BPF_PROG_LOAD of a finished program.  The first try goes without a
 * verifier log (the log costs time on every load); only a refused
 * program is loaded again with log_level 1 for the caller to print
 * (libbpf's retry_load does the same).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "bpfgen/internal.h"

/* The kernel refuses a log buffer smaller than this. */
#define MIN_LOG_SIZE 128

/* Is the map the caller gave a counters map with enough slots? */
static int check_counters(const struct bpfgen_prog *p)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(p->counters_fd, &info, &len))
		return -errno;
	/* the slots per element the program's code assumes */
	if (info.type != BPF_MAP_TYPE_PERCPU_ARRAY || info.key_size != 4 ||
	    info.value_size != 16U << p->counter_shift ||
	    ((uint64_t)info.max_entries << p->counter_shift) <
		    (uint64_t)p->max_counter + 1)
		return -EINVAL;
	return 0;
}

/* Point the counters map loads at the map. */
static int patch_counters(struct bpfgen_prog *p)
{
	size_t i;
	int err;

	if (p->max_counter < 0)
		return 0;
	if (p->counters_fd < 0)
		err = bpfgen_counters_new(p->max_counter + 1, &p->counters_fd);
	else
		err = check_counters(p);
	if (err)
		return err;
	for (i = 0; i < p->nfixups; i++) {
		const struct fixup *f = &p->fixups[i];

		if (f->kind != FIXUP_COUNTERS ||
		    p->chains[f->chain].visiting != 2)
			continue;
		p->insns[f->insn].imm = p->counters_fd;
	}
	return 0;
}

/* The kernel takes [A-Za-z0-9_.] only (bpf_obj_name_cpy()). */
static void sanitize_name(char *out, const char *name, size_t sz)
{
	size_t i;

	for (i = 0; i + 1 < sz && name[i]; i++)
		out[i] = isalnum((unsigned char)name[i]) || name[i] == '.' ?
			 name[i] : '_';
	out[i] = '\0';
}

/*
 * Fault injection for the tests (tests/cli/bpf-verifier.bats), nothing
 * else: IPTABLES_BPF_FAULT_REJECT=<program name> makes the program of
 * that name start by reading a register nothing wrote, so that the
 * kernel's verifier refuses it ("R9 !read_ok"), as it would a program
 * too complex for it, through the same error path and log.  The
 * instructions are the caller's: the bad one goes into a copy.
 */
static struct bpf_insn *fault_reject(const struct bpfgen_prog *p,
				     const char *pname)
{
	const char *want = getenv("IPTABLES_BPF_FAULT_REJECT");
	struct bpf_insn *copy;

	if (!want || strcmp(want, pname) || !p->cnt)
		return NULL;
	copy = malloc(p->cnt * sizeof(*copy));
	if (!copy)
		return NULL;
	memcpy(copy, p->insns, p->cnt * sizeof(*copy));
	copy[0] = BPFGEN_MOV64_REG(BPF_REG_0, BPF_REG_9);
	return copy;
}

int bpfgen_prog_load(struct bpfgen_prog *p, const char *name, int *prog_fd,
		     char *log, size_t log_sz)
{
	struct bpf_insn *bad = NULL;
	const struct bpf_insn *insns;
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = BPF_NETFILTER);
	char pname[16] = "";
	int fd, err;

	if (log && log_sz)
		log[0] = '\0';
	err = bpfgen_prog_finish(p);
	if (err)
		return err;
	err = patch_counters(p);
	if (!err)
		err = bpfgen_state_patch(p);
	if (err)
		return err;
	if (name)
		sanitize_name(pname, name, sizeof(pname));
	bad = fault_reject(p, pname);
	insns = bad ? bad : p->insns;
	fd = bpf_prog_load(BPF_PROG_TYPE_NETFILTER, pname, "GPL", insns,
			   p->cnt, &opts);
	if (fd >= 0) {
		*prog_fd = fd;
		free(bad);
		return 0;
	}
	err = -errno;
	if (!log || log_sz < MIN_LOG_SIZE) {
		free(bad);
		return err;
	}
	opts.log_buf = log;
	opts.log_size = log_sz > UINT32_MAX >> 2 ? UINT32_MAX >> 2 : log_sz;
	opts.log_level = 1;
	fd = bpf_prog_load(BPF_PROG_TYPE_NETFILTER, pname, "GPL", insns,
			   p->cnt, &opts);
	free(bad);
	if (fd >= 0) {
		/* Passed with a log: a kernel hiccup; keep the program. */
		*prog_fd = fd;
		return 0;
	}
	return err;
}
