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

/*
 * A per-CPU array element per slot made the kernel do one per-CPU
 * allocation per rule at each program load (pcpu_alloc(): about 10 ms
 * for 10,000 slots, BENCHMARKS.md).  An element holds up to 2048 slots
 * instead (32 KiB, the largest per-CPU value the kernel takes); small
 * programs get an element just as large as they need.  Readers find
 * the layout in the map's value size: maps of one slot per element
 * (16 bytes, made before) read the same way.
 */
#define COUNTER_MAX_SHIFT 11

unsigned int bpfgen_counter_shift(uint32_t nslots)
{
	unsigned int shift = 0;

	while (shift < COUNTER_MAX_SHIFT && (1U << shift) < nslots)
		shift++;
	return shift;
}

int bpfgen_counters_new(uint32_t nslots, int *map_fd)
{
	unsigned int shift = bpfgen_counter_shift(nslots);
	uint32_t per = 1U << shift;
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "ipb_counters",
			    sizeof(uint32_t), per * sizeof(struct counter),
			    nslots ? (nslots + per - 1) / per : 1, NULL);
	if (fd < 0)
		return -errno;
	*map_fd = fd;
	return 0;
}

/*
 * A counters map's layout: slots per element, elements, and the
 * possible CPUs (a lookup gets one element per CPU).
 */
struct layout {
	uint32_t per, elems;
	int ncpu;
};

static int layout_of(int map_fd, struct layout *l)
{
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info);

	if (bpf_obj_get_info_by_fd(map_fd, &info, &len))
		return -errno;
	if (info.type != BPF_MAP_TYPE_PERCPU_ARRAY || info.key_size != 4 ||
	    !info.value_size || info.value_size % sizeof(struct counter))
		return -EINVAL;
	l->per = info.value_size / sizeof(struct counter);
	l->elems = info.max_entries;
	l->ncpu = libbpf_num_possible_cpus();
	return l->ncpu > 0 ? 0 : l->ncpu ? l->ncpu : -EINVAL;
}

/* One element's values on every CPU: ncpu runs of l->per counters. */
static struct counter *elem_alloc(const struct layout *l)
{
	return calloc((size_t)l->ncpu * l->per, sizeof(struct counter));
}

int bpfgen_counters_read(int map_fd, uint32_t idx, uint64_t *pkts,
			 uint64_t *bytes)
{
	struct counter *v;
	struct layout l;
	uint32_t key;
	int err, c;

	err = layout_of(map_fd, &l);
	if (err)
		return err;
	key = idx / l.per;
	if (key >= l.elems)
		return -E2BIG;
	v = elem_alloc(&l);
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(map_fd, &key, v)) {
		err = -errno;
		free(v);
		return err;
	}
	*pkts = *bytes = 0;
	for (c = 0; c < l.ncpu; c++) {
		*pkts += v[(size_t)c * l.per + idx % l.per].pkts;
		*bytes += v[(size_t)c * l.per + idx % l.per].bytes;
	}
	free(v);
	return 0;
}

int bpfgen_counters_read_all(int map_fd, uint32_t n, uint64_t *pkts,
			     uint64_t *bytes)
{
	struct counter *v;
	struct layout l;
	uint32_t i, nel;
	size_t esz;
	int err, c;

	err = layout_of(map_fd, &l);
	if (err)
		return err;
	nel = (n + l.per - 1) / l.per;
	if (nel > l.elems)
		return -E2BIG;
	esz = (size_t)l.ncpu * l.per;
	v = calloc(nel ? nel * esz : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	err = bpfgen_array_read(map_fd, nel, v, esz * sizeof(*v));
	for (i = 0; !err && i < n; i++) {
		const struct counter *e = v + (size_t)(i / l.per) * esz +
					  i % l.per;

		pkts[i] = bytes[i] = 0;
		for (c = 0; c < l.ncpu; c++) {
			pkts[i] += e[(size_t)c * l.per].pkts;
			bytes[i] += e[(size_t)c * l.per].bytes;
		}
	}
	free(v);
	return err;
}

int bpfgen_counters_write(int map_fd, uint32_t idx, uint64_t pkts,
			  uint64_t bytes)
{
	struct counter *v;
	struct layout l;
	uint32_t key;
	int err, c;

	err = layout_of(map_fd, &l);
	if (err)
		return err;
	key = idx / l.per;
	if (key >= l.elems)
		return -E2BIG;
	v = elem_alloc(&l);
	if (!v)
		return -ENOMEM;
	/* the element's other slots keep their values */
	if (bpf_map_lookup_elem(map_fd, &key, v)) {
		err = -errno;
		free(v);
		return err;
	}
	for (c = 0; c < l.ncpu; c++)
		v[(size_t)c * l.per + idx % l.per] = (struct counter){ 0 };
	v[idx % l.per].pkts = pkts;
	v[idx % l.per].bytes = bytes;
	if (bpf_map_update_elem(map_fd, &key, v, BPF_EXIST))
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
