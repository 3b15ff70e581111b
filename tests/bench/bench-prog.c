// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the benchmark reads of an installed iptables-bpf program, run in
 * the program's network namespace (pins are keyed by it, bpfgen/pin.c):
 *
 *	bench-prog --hook input|forward --src A --dst B --dport P
 *		[--ms M]
 *
 * prints one line
 *	ns N xlated X jited J maps M verdict V
 * N: nanoseconds per packet of the ruleset program alone, from
 * BPF_PROG_TEST_RUN with repeat on a UDP A -> B:P frame, the median of
 * five runs of about M/5 ms each; X, J: its size after the verifier and
 * its JIT image, in bytes; M: the memory the kernel charges for its
 * maps (counters, slots, the dispatcher's prog array), from fdinfo's
 * memlock; V: the verdict (1 accept, 0 drop).  Exits 3 if no program
 * is installed at that hook (the table runs in nf_tables).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/pkt.h"

#include <bpf/bpf.h>

#include "bpfgen/bpfgen.h"
#include "tests/lib/bpfrun.h"

#define RUNS 5

static long long fd_memlock(int fd)
{
	char path[64], line[256];
	long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static long long pinned_memlock(const char *dir, const char *name)
{
	char path[512];
	long long v;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	v = fd_memlock(fd);
	close(fd);
	return v;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Median ns per packet over RUNS runs of about @ms_per_run each. */
static int time_prog(int fd, const struct pkt *pk, int ms_per_run,
		     uint32_t *ns, uint32_t *verdict)
{
	uint32_t d[RUNS], dur = 0;
	int repeat = 100, i, err;

	err = bpfrun(fd, pk, repeat, verdict, &dur);
	if (err)
		return err;
	if (dur)
		repeat = (int)((uint64_t)ms_per_run * 1000000 / dur);
	if (repeat < 10)
		repeat = 10;
	if (repeat > 10000000)
		repeat = 10000000;
	for (i = 0; i < RUNS; i++) {
		err = bpfrun(fd, pk, repeat, verdict, &d[i]);
		if (err)
			return err;
	}
	qsort(d, RUNS, sizeof(d[0]), cmp_u32);
	*ns = d[RUNS / 2];
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "hook", required_argument, NULL, 'h' },
		{ "src", required_argument, NULL, 's' },
		{ "dst", required_argument, NULL, 'd' },
		{ "dport", required_argument, NULL, 'p' },
		{ "ms", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct bpfgen_hook_spec spec = { .family = NFPROTO_IPV4,
					 .table = "filter",
					 .hook = NF_INET_LOCAL_IN };
	const char *src = "10.201.1.1", *dst = "10.201.1.2";
	struct bpfgen_hook_status st;
	uint32_t ns = 0, verdict = 0;
	int dport = 9999, ms = 250, fd = -1, c, err;
	long long maps;
	struct pkt pk;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			spec.hook = strcmp(optarg, "forward") ?
					    NF_INET_LOCAL_IN :
					    NF_INET_FORWARD;
			break;
		case 's':
			src = optarg;
			break;
		case 'd':
			dst = optarg;
			break;
		case 'p':
			dport = atoi(optarg);
			break;
		case 'm':
			ms = atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	err = bpfgen_hook_query(&spec, &st);
	if (err) {
		fprintf(stderr, "bench-prog: no program: %s\n", strerror(-err));
		return 3;
	}
	fd = bpf_prog_get_fd_by_id(st.prog_id);
	if (fd < 0) {
		fprintf(stderr, "bench-prog: prog %u: %s\n", st.prog_id,
			strerror(errno));
		return 1;
	}
	pkt_begin(&pk, NFPROTO_IPV4, spec.hook);
	pkt_ip4(&pk, IPPROTO_UDP, src, dst);
	pkt_udp(&pk, 40000, dport);
	pkt_payload(&pk, 18);
	pkt_end(&pk);
	err = time_prog(fd, &pk, ms / RUNS > 0 ? ms / RUNS : 1, &ns,
			&verdict);
	close(fd);
	if (err) {
		fprintf(stderr, "bench-prog: test run: %s\n", strerror(-err));
		return 1;
	}
	maps = pinned_memlock(st.pin_dir, "counters") +
	       pinned_memlock(st.pin_dir, "slots") +
	       pinned_memlock(st.pin_dir, "progs");
	printf("ns %u xlated %u jited %u maps %lld verdict %u\n", ns,
	       st.xlated_len, st.jited_len, maps, verdict);
	return 0;
}
