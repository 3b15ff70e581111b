// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rule counters: a BPF_MAP_TYPE_PERCPU_ARRAY of { u64 packets, bytes; }
 * per program, one slot per rule and per policy.  Per-CPU so that the
 * packet path needs no atomics; user space sums the CPUs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpfgen/internal.h"

struct counter {
	uint64_t pkts;
	uint64_t bytes;
};

int bpfgen_counters_new(uint32_t nslots, int *map_fd)
{
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "ipb_counters",
			    sizeof(uint32_t), sizeof(struct counter),
			    nslots ? nslots : 1, NULL);
	if (fd < 0)
		return -errno;
	*map_fd = fd;
	return 0;
}

/* A zeroed buffer for one slot's values on every possible CPU. */
static int alloc_values(struct counter **out, int *ncpu)
{
	int n = libbpf_num_possible_cpus();

	if (n <= 0)
		return n ? n : -EINVAL;
	*out = calloc(n, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	*ncpu = n;
	return 0;
}

int bpfgen_counters_read(int map_fd, uint32_t idx, uint64_t *pkts,
			 uint64_t *bytes)
{
	struct counter *v = NULL;
	int ncpu, err, i;

	err = alloc_values(&v, &ncpu);
	if (err)
		return err;
	if (bpf_map_lookup_elem(map_fd, &idx, v)) {
		err = -errno;
		free(v);
		return err;
	}
	*pkts = *bytes = 0;
	for (i = 0; i < ncpu; i++) {
		*pkts += v[i].pkts;
		*bytes += v[i].bytes;
	}
	free(v);
	return 0;
}

int bpfgen_counters_read_all(int map_fd, uint32_t n, uint64_t *pkts,
			     uint64_t *bytes)
{
	int ncpu = libbpf_num_possible_cpus(), err;
	struct counter *v;
	uint32_t i;
	int c;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	v = calloc((size_t)(n ? n : 1) * ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	err = bpfgen_array_read(map_fd, n, v, ncpu * sizeof(*v));
	for (i = 0; !err && i < n; i++) {
		pkts[i] = bytes[i] = 0;
		for (c = 0; c < ncpu; c++) {
			pkts[i] += v[(size_t)i * ncpu + c].pkts;
			bytes[i] += v[(size_t)i * ncpu + c].bytes;
		}
	}
	free(v);
	return err;
}

int bpfgen_counters_write(int map_fd, uint32_t idx, uint64_t pkts,
			  uint64_t bytes)
{
	struct counter *v = NULL;
	int ncpu, err;

	err = alloc_values(&v, &ncpu);
	if (err)
		return err;
	v[0].pkts = pkts;
	v[0].bytes = bytes;
	if (bpf_map_update_elem(map_fd, &idx, v, BPF_EXIST))
		err = -errno;
	free(v);
	return err;
}

int bpfgen_prog_set_counters(struct bpfgen_prog *p, int map_fd)
{
	int fd = fcntl(map_fd, F_DUPFD_CLOEXEC, 3);

	if (fd < 0)
		return -errno;
	if (p->counters_fd >= 0)
		close(p->counters_fd);
	p->counters_fd = fd;
	return 0;
}

int bpfgen_prog_counters_fd(const struct bpfgen_prog *p)
{
	return p->counters_fd;
}

uint32_t bpfgen_prog_counter_slots(const struct bpfgen_prog *p)
{
	return p->max_counter + 1;
}
