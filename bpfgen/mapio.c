// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Whole-map reads and writes in one system call each (BPF_MAP_*_BATCH,
 * Linux 5.6) instead of one per element: a blocklist of 10,000 rules has
 * 10,000 counter slots and group keys, and each change read and wrote
 * them several times over (about 130,000 bpf() calls for one append,
 * BENCHMARKS.md).  Each falls back to one call per element where the
 * kernel has no batch operation for the map (EINVAL, ENOTSUPP).  An
 * array made with BPF_F_MMAPABLE is read and written through a mapping
 * instead, without a system call per element or a copy in the kernel.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "bpfgen/internal.h"

/* The kernel's answer for a map type without batch operations. */
static bool no_batch(int err)
{
	return err == -EINVAL || err == -ENOTSUP || err == -EOPNOTSUPP;
}

static uint32_t *index_keys(uint32_t n)
{
	uint32_t *k = malloc((n ? n : 1) * sizeof(*k));
	uint32_t i;

	for (i = 0; k && i < n; i++)
		k[i] = i;
	return k;
}

/* A mapping of an mmapable array's @n elements of @elem_size, or NULL. */
static void *array_mmap(int map_fd, uint32_t n, size_t elem_size, int prot,
			size_t *len)
{
	struct bpf_map_info info = { 0 };
	uint32_t ilen = sizeof(info);
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	if (bpf_obj_get_info_by_fd(map_fd, &info, &ilen) ||
	    info.type != BPF_MAP_TYPE_ARRAY ||
	    !(info.map_flags & BPF_F_MMAPABLE) || n > info.max_entries ||
	    elem_size != ((info.value_size + 7) & ~7U) || page <= 0)
		return NULL;
	*len = ((size_t)info.max_entries * elem_size + page - 1) &
	       ~((size_t)page - 1);
	p = mmap(NULL, *len, prot, MAP_SHARED, map_fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

int bpfgen_array_read(int map_fd, uint32_t n, void *values, size_t elem_size)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t *keys, count = n, out = 0, i;
	int err = 0;

	size_t len;
	void *m;

	if (!n)
		return 0;
	m = array_mmap(map_fd, n, elem_size, PROT_READ, &len);
	if (m) {
		memcpy(values, m, (size_t)n * elem_size);
		munmap(m, len);
		return 0;
	}
	keys = index_keys(n);
	if (!keys)
		return -ENOMEM;
	/* one call reads everything; the end of the array answers ENOENT */
	if (bpf_map_lookup_batch(map_fd, NULL, &out, keys, values, &count,
				 &opts) < 0)
		err = -errno;
	if (err == -ENOENT || (!err && count == n))
		err = count == n ? 0 : -EIO;
	else if (!err)
		err = -EIO;
	if (no_batch(err) || err == -EIO)
		for (err = 0, i = 0; !err && i < n; i++)
			if (bpf_map_lookup_elem(map_fd, &i,
						(char *)values + i * elem_size))
				err = -errno;
	free(keys);
	return err;
}

int bpfgen_array_write(int map_fd, uint32_t n, const void *values,
		       size_t elem_size)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);
	uint32_t *keys, count = n, i;
	int err = 0;
	size_t len;
	void *m;

	if (!n)
		return 0;
	m = array_mmap(map_fd, n, elem_size, PROT_READ | PROT_WRITE, &len);
	if (m) {
		memcpy(m, values, (size_t)n * elem_size);
		munmap(m, len);
		return 0;
	}
	keys = index_keys(n);
	if (!keys)
		return -ENOMEM;
	if (bpf_map_update_batch(map_fd, keys, values, &count, &opts) < 0)
		err = -errno;
	if (no_batch(err))
		for (err = 0, i = 0; !err && i < n; i++)
			if (bpf_map_update_elem(map_fd, &i,
						(const char *)values +
							i * elem_size,
						BPF_ANY))
				err = -errno;
	free(keys);
	return err;
}

/* Sorting keys of one size for bpfgen_map_add_new(): by key, then by
 * position, so that the first of equal keys comes first. */
struct key_ref {
	const uint8_t *key;
	uint32_t idx;
};

static size_t sort_key_size;

static int key_ref_cmp(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int c = memcmp(x->key, y->key, sort_key_size);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * The batch update takes no BPF_NOEXIST (elem_flags allow BPF_F_LOCK
 * only): equal keys are weeded out here, the first one kept.
 */
int bpfgen_map_add_new(int map_fd, const void *keys, size_t key_size,
		       const void *values, size_t value_size, uint32_t n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);
	uint8_t *k = NULL, *v = NULL;
	struct key_ref *ref;
	uint32_t i, m = 0, count;
	int err = 0;

	if (!n)
		return 0;
	ref = malloc(n * sizeof(*ref));
	k = malloc((size_t)n * key_size);
	v = malloc((size_t)n * value_size);
	if (!ref || !k || !v) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		ref[i] = (struct key_ref){ (const uint8_t *)keys + i * key_size,
					   i };
	sort_key_size = key_size;
	qsort(ref, n, sizeof(*ref), key_ref_cmp);
	for (i = 0; i < n; i++) {
		if (m && !memcmp(ref[i].key, k + (m - 1) * key_size, key_size))
			continue;
		memcpy(k + m * key_size, ref[i].key, key_size);
		memcpy(v + m * value_size,
		       (const uint8_t *)values + ref[i].idx * value_size,
		       value_size);
		m++;
	}
	count = m;
	if (bpf_map_update_batch(map_fd, k, v, &count, &opts) < 0)
		err = -errno;
	if (no_batch(err))
		for (err = 0, i = 0; !err && i < m; i++)
			if (bpf_map_update_elem(map_fd, k + i * key_size,
						v + i * value_size, BPF_ANY))
				err = -errno;
out:
	free(ref);
	free(k);
	free(v);
	return err;
}
