// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel struct offsets and kfunc ids, read from the running kernel's
 * BTF.  Structs change between kernel builds (sk_buff moves fields in
 * nearly every release), so nothing here is a constant.  Members may sit
 * in anonymous unions and structs (sk_buff's mark, pkt_type), so the
 * search descends into them, adding their offsets.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <bpf/btf.h>

#include "bpfgen/internal.h"

/*
 * Bit offset of member @name of struct @type_id (modifiers and typedefs
 * skipped), searching anonymous members too; -ENOENT if absent.  *@bits
 * gets the bit-field size (0 for a plain member), *@mtype its type.
 */
static long member_bit_off(const struct btf *btf, uint32_t type_id,
			   const char *name, uint32_t *bits, uint32_t *mtype)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	const struct btf_member *m;
	int i, n;

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		type_id = t->type;
		t = btf__type_by_id(btf, type_id);
	}
	if (!t || !btf_is_composite(t))
		return -ENOENT;
	m = btf_members(t);
	n = btf_vlen(t);
	for (i = 0; i < n; i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);
		long off;

		if (mname && *mname) {
			if (strcmp(mname, name))
				continue;
			*bits = btf_member_bitfield_size(t, i);
			*mtype = m->type;
			return btf_member_bit_offset(t, i);
		}
		off = member_bit_off(btf, m->type, name, bits, mtype);
		if (off >= 0)
			return btf_member_bit_offset(t, i) + off;
	}
	return -ENOENT;
}

/* Like member_bit_off(), for a member that is not a bit-field. */
static long member_find(const struct btf *btf, uint32_t type_id,
			const char *name, uint32_t *mtype)
{
	uint32_t bits;
	long off = member_bit_off(btf, type_id, name, &bits, mtype);

	return off >= 0 && bits ? -ENOENT : off;
}

/*
 * Byte offset of the member at dotted @path ("__sk_common.skc_state") in
 * struct @sname; -1 in *@out if the kernel has no such member.
 */
static void path_off(const struct btf *btf, const char *sname,
		     const char *path, int *out)
{
	char buf[128], *tok, *save = NULL;
	uint32_t type;
	long off, total = 0;
	int id;

	*out = -1;
	id = btf__find_by_name_kind(btf, sname, BTF_KIND_STRUCT);
	if (id < 0 || strlen(path) >= sizeof(buf))
		return;
	type = id;
	strcpy(buf, path);
	for (tok = strtok_r(buf, ".", &save); tok;
	     tok = strtok_r(NULL, ".", &save)) {
		off = member_find(btf, type, tok, &type);
		if (off < 0 || off % 8)
			return;
		total += off / 8;
	}
	*out = total;
}

/* Byte offset of a plain (non bit-field) member. */
static int member_off(const struct btf *btf, const char *sname,
		      const char *mname, int *out)
{
	uint32_t bits = 0, mtype;
	long off;
	int id;

	id = btf__find_by_name_kind(btf, sname, BTF_KIND_STRUCT);
	if (id < 0)
		return -ENOENT;
	off = member_bit_off(btf, id, mname, &bits, &mtype);
	if (off < 0 || bits || off % 8)
		return -ENOENT;
	*out = off / 8;
	return 0;
}

static int resolve_pkt_type(const struct btf *btf, struct bpfgen_kinfo *k)
{
	uint32_t bits = 0, mtype;
	long off;
	int id;

	id = btf__find_by_name_kind(btf, "sk_buff", BTF_KIND_STRUCT);
	if (id < 0)
		return -ENOENT;
	off = member_bit_off(btf, id, "pkt_type", &bits, &mtype);
	/* The verifier lets us read the byte holding it, not more. */
	if (off < 0 || bits != 3 || off % 8 + bits > 8)
		return -ENOENT;
	k->skb_pkt_type_byte = off / 8;
	k->skb_pkt_type_shift = off % 8;
	return 0;
}

/*
 * What the state, owner, mac and devgroup matches read.  Each is -1 when
 * the kernel lacks it; the emitter needing it then fails with
 * -EOPNOTSUPP and the table stays on nf_tables.
 */
static void resolve_ext(const struct btf *btf, struct bpfgen_kinfo *k)
{
	int id;

	path_off(btf, "nf_conn", "tuplehash", &k->ct_tuplehash);
	id = btf__find_by_name_kind(btf, "nf_conntrack_tuple_hash",
				    BTF_KIND_STRUCT);
	k->ct_tuplehash_size = id > 0 ? btf__resolve_size(btf, id) : -1;
	path_off(btf, "nf_conntrack_tuple_hash", "tuple.src.u3",
		 &k->tuple_src_u3);
	path_off(btf, "nf_conntrack_tuple_hash", "tuple.src.u.all",
		 &k->tuple_src_port);
	path_off(btf, "nf_conntrack_tuple_hash", "tuple.dst.u3",
		 &k->tuple_dst_u3);
	path_off(btf, "nf_conntrack_tuple_hash", "tuple.dst.u.all",
		 &k->tuple_dst_port);
	path_off(btf, "nf_conntrack_tuple_hash", "tuple.dst.protonum",
		 &k->tuple_protonum);
	path_off(btf, "sk_buff", "sk", &k->skb_sk);
	path_off(btf, "sk_buff", "dev", &k->skb_dev);
	path_off(btf, "sk_buff", "head", &k->skb_head);
	path_off(btf, "sk_buff", "data", &k->skb_data);
	path_off(btf, "sk_buff", "mac_header", &k->skb_mac_header);
	path_off(btf, "sock", "__sk_common.skc_state", &k->sk_state);
	path_off(btf, "sock", "__sk_common.skc_net.net", &k->sk_net);
	path_off(btf, "sock", "sk_socket", &k->sk_socket);
	path_off(btf, "socket", "file", &k->socket_file);
	path_off(btf, "file", "f_cred", &k->file_cred);
	path_off(btf, "cred", "fsuid.val", &k->cred_fsuid);
	path_off(btf, "cred", "fsgid.val", &k->cred_fsgid);
	/* rsk_listener is a macro for this member */
	path_off(btf, "request_sock", "__req_common.skc_listener",
		 &k->reqsk_listener);
	id = btf__find_by_name_kind(btf, "request_sock", BTF_KIND_STRUCT);
	k->request_sock_id = id > 0 ? id : -1;
	id = btf__find_by_name_kind(btf, "sock", BTF_KIND_STRUCT);
	k->sock_id = id > 0 ? id : -1;
	id = btf__find_by_name_kind(btf, "ethhdr", BTF_KIND_STRUCT);
	k->ethhdr_id = id > 0 ? id : -1;
	path_off(btf, "nf_hook_state", "net", &k->state_net);
	path_off(btf, "net_device", "group", &k->dev_group);
	path_off(btf, "net_device", "type", &k->dev_type);
}

static int resolve(const struct btf *btf, struct bpfgen_kinfo *k)
{
#define K(f) offsetof(struct bpfgen_kinfo, f)
	static const struct {
		const char *s, *m;
		size_t field;
	} plain[] = {
		{ "sk_buff", "len", K(skb_len) },
		{ "sk_buff", "mark", K(skb_mark) },
		{ "sk_buff", "_nfct", K(skb_nfct) },
		{ "nf_hook_state", "in", K(state_in) },
		{ "nf_hook_state", "out", K(state_out) },
		{ "net_device", "name", K(dev_name) },
		{ "net_device", "ifindex", K(dev_ifindex) },
	};
#undef K
	size_t i;
	int err, id;

	for (i = 0; i < ARRAY_SIZE(plain); i++) {
		err = member_off(btf, plain[i].s, plain[i].m,
				 (int *)((char *)k + plain[i].field));
		if (err)
			return err;
	}
	err = resolve_pkt_type(btf, k);
	if (err)
		return err;
	/*
	 * Conntrack may be built out (or nf_conn's mark with it): then only
	 * the ct loads fail, with -EOPNOTSUPP.
	 */
	id = btf__find_by_name_kind(btf, "nf_conn", BTF_KIND_STRUCT);
	k->nf_conn_id = id > 0 ? id : -1;
	if (member_off(btf, "nf_conn", "status", &k->ct_status))
		k->ct_status = -1;
	if (member_off(btf, "nf_conn", "mark", &k->ct_mark))
		k->ct_mark = -1;
	resolve_ext(btf, k);
	k->ct_helper_why = bpfgen_ct_helper_resolve(btf, &k->ct_helper);
	id = btf__find_by_name_kind(btf, "bpf_dynptr_from_skb", BTF_KIND_FUNC);
	if (id < 0)
		return -ENOENT;
	k->kf_dynptr_from_skb = id;
	id = btf__find_by_name_kind(btf, "bpf_rdonly_cast", BTF_KIND_FUNC);
	if (id < 0)
		return -ENOENT;
	k->kf_rdonly_cast = id;
	return 0;
}

/*
 * Parsing vmlinux BTF takes 10-20 ms, a tenth of a change to a large
 * table (BENCHMARKS.md), and gives the same offsets until the next boot:
 * the front end keeps them in a file it names (beside its lock, see
 * bpfgen_kinfo_cache_file()), keyed by the boot id and the kernel's uname.
 * The file must be ours, a regular file, writable by no one else: what
 * it says goes into the programs.
 */
struct kinfo_file {
	char magic[8];
	uint32_t size;
	char boot_id[40];
	char release[65];
	char version[65];
	struct bpfgen_kinfo kinfo;
};

#define KINFO_MAGIC "ipbkinf1"

static char kinfo_file_path[4096];

void bpfgen_kinfo_cache_file(const char *path)
{
	snprintf(kinfo_file_path, sizeof(kinfo_file_path), "%s",
		 path ? path : "");
}

static int kinfo_path(char *buf, size_t sz)
{
	if (!kinfo_file_path[0])
		return -ENOENT;
	return snprintf(buf, sz, "%s", kinfo_file_path) >= (int)sz ?
		       -ENAMETOOLONG : 0;
}

static int kinfo_key(struct kinfo_file *f)
{
	struct utsname u;
	FILE *b;

	memset(f, 0, sizeof(*f));
	memcpy(f->magic, KINFO_MAGIC, sizeof(f->magic));
	f->size = sizeof(*f);
	if (uname(&u))
		return -errno;
	snprintf(f->release, sizeof(f->release), "%s", u.release);
	snprintf(f->version, sizeof(f->version), "%s", u.version);
	b = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (!b)
		return -errno;
	if (!fgets(f->boot_id, sizeof(f->boot_id), b)) {
		fclose(b);
		return -EIO;
	}
	fclose(b);
	return 0;
}

static bool kinfo_cached(struct bpfgen_kinfo *k)
{
	struct kinfo_file want, have;
	char path[4096];
	struct stat st;
	bool ok;
	int fd;

	if (kinfo_key(&want) || kinfo_path(path, sizeof(path)))
		return false;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	ok = !fstat(fd, &st) && S_ISREG(st.st_mode) &&
	     st.st_uid == geteuid() && !(st.st_mode & 022) &&
	     st.st_size == sizeof(have) &&
	     read(fd, &have, sizeof(have)) == sizeof(have) &&
	     !memcmp(&have, &want, offsetof(struct kinfo_file, kinfo));
	close(fd);
	if (ok)
		*k = have.kinfo;
	return ok;
}

/* Best effort: without the file, the next process parses BTF again. */
static void kinfo_store(const struct bpfgen_kinfo *k)
{
	struct kinfo_file f;
	char path[4096], tmp[4200];
	int fd;

	if (kinfo_key(&f) || kinfo_path(path, sizeof(path)))
		return;
	f.kinfo = *k;
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return;
	if (write(fd, &f, sizeof(f)) != sizeof(f) || close(fd) ||
	    rename(tmp, path))
		unlink(tmp);
}

/*
 * Resolved once per process (and per boot, kinfo_cached()); not
 * thread-safe on the first call, the front end is single-threaded.
 */
int bpfgen_kinfo_get(const struct bpfgen_kinfo **out)
{
	static struct bpfgen_kinfo kinfo;
	static int state;	/* 0 not tried, 1 ok, < 0 error */
	struct btf *btf;

	if (state == 0 && kinfo_cached(&kinfo))
		state = 1;
	if (state == 0) {
		btf = btf__load_vmlinux_btf();
		if (!btf) {
			state = errno ? -errno : -ENOENT;
		} else {
			state = resolve(btf, &kinfo);
			if (state == 0) {
				state = 1;
				kinfo_store(&kinfo);
			}
			btf__free(btf);
		}
	}
	if (state < 0)
		return state;
	*out = &kinfo;
	return 0;
}
