// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The conntrack helper of a connection's master, as xt_helper's
 * helper_mt() (net/netfilter/xt_helper.c) reads it:
 *
 *	ct = nf_ct_get(skb)			skb->_nfct & ~7, NULL: none
 *	ct->master				NULL: none
 *	nfct_help(master)			nf_ct_ext_find(master, HELPER)
 *	help->helper				NULL: none
 *	helper->name				compared with the rule's name
 *
 * nf_ct_ext_find() is ext ? ext + ext->offset[NF_CT_EXT_HELPER] : NULL,
 * an offset of 0 meaning "no such extension" (the area begins with the
 * offsets, so no extension sits at 0).  Linux 6.0 added a generation
 * (commit c56716c69ce1, "netfilter: extensions: introduce extension
 * genid count"): while nf_ct_ext.gen_id is non-zero the lookup also
 * compares it with the global nf_conntrack_ext_genid, which BPF cannot
 * read, and trusts the area only when they agree.  Netfilter reverted
 * that in 2026 ("netfilter: conntrack: revert ct extension genid
 * infrastructure", helpers being refcounted from the datapath since);
 * kernels carrying the revert have no gen_id member.  So the match runs
 * in BPF only where vmlinux BTF shows an nf_ct_ext without gen_id;
 * elsewhere bpfgen_ct_helper_unsupported() gives the reason and the
 * table stays on nf_tables.
 *
 * Pointers loaded from the rdonly-cast entry are untrusted BTF pointers:
 * their loads are probe reads, and the helper area (ext plus a run-time
 * offset) is reached with another bpf_rdonly_cast(), as the verifier
 * refuses loads through a pointer with a variable offset.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <bpf/btf.h>

#include "bpfgen/internal.h"

/* xt_helper_info.name: checkentry forces its last byte to NUL */
#define IPB_XT_HELPER_NAME_MAX 29

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

/* The value of enumerator @name of enum @ename, or -ENOENT. */
static long enum_value(const struct btf *btf, const char *ename,
		       const char *name)
{
	const struct btf_type *t;
	const struct btf_enum *e;
	int id, i;

	id = btf__find_by_name_kind(btf, ename, BTF_KIND_ENUM);
	if (id < 0)
		return -ENOENT;
	t = btf__type_by_id(btf, id);
	e = btf_enum(t);
	for (i = 0; i < btf_vlen(t); i++, e++)
		if (!strcmp(btf__name_by_offset(btf, e->name_off), name))
			return e->val;
	return -ENOENT;
}

/*
 * Plain member @mname of struct @sname: byte offset into *@off and, if
 * @mtype, its type id; -ENOENT if the struct or member is absent or a
 * bit-field.  Only direct members: these structs keep theirs at the top.
 */
static int member(const struct btf *btf, const char *sname,
		  const char *mname, int *off, uint32_t *mtype)
{
	const struct btf_type *t;
	const struct btf_member *m;
	int id, i;

	id = btf__find_by_name_kind(btf, sname, BTF_KIND_STRUCT);
	if (id < 0)
		return -ENOENT;
	t = btf__type_by_id(btf, id);
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), mname))
			continue;
		if (btf_member_bitfield_size(t, i) ||
		    btf_member_bit_offset(t, i) % 8)
			return -ENOENT;
		*off = btf_member_bit_offset(t, i) / 8;
		if (mtype)
			*mtype = m->type;
		return 0;
	}
	return -ENOENT;
}

/* Number of 1-byte elements of array type @id, or -1 if not such. */
static long byte_array_len(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = skip_mods(btf, &id);
	const struct btf_array *a;

	if (!t || !btf_is_array(t))
		return -1;
	a = btf_array(t);
	if (btf__resolve_size(btf, a->type) != 1)
		return -1;
	return a->nelems;
}

static bool is_pointer(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = skip_mods(btf, &id);

	return t && btf_is_ptr(t);
}

const char *bpfgen_ct_helper_resolve(const struct btf *btf,
				     struct bpfgen_ct_helper_info *h)
{
	uint32_t mtype;
	long helper, n;
	int off, id;

	memset(h, 0, sizeof(*h));
	id = btf__find_by_name_kind(btf, "nf_conn", BTF_KIND_STRUCT);
	if (id < 0)
		return "helper match (no struct nf_conn in the kernel's BTF)";
	h->nf_conn_id = id;
	if (member(btf, "nf_conn", "master", &h->ct_master, &mtype) ||
	    !is_pointer(btf, mtype) ||
	    member(btf, "nf_conn", "ext", &h->ct_ext, &mtype) ||
	    !is_pointer(btf, mtype))
		return "helper match (no nf_conn master or ext in the kernel's BTF)";
	if (btf__find_by_name_kind(btf, "nf_ct_ext", BTF_KIND_STRUCT) < 0)
		return "helper match (no struct nf_ct_ext in the kernel's BTF)";
	if (!member(btf, "nf_ct_ext", "gen_id", &off, NULL))
		return "helper match (this kernel's conntrack extension lookup also checks nf_ct_ext.gen_id against nf_conntrack_ext_genid, which BPF cannot read)";
	helper = enum_value(btf, "nf_ct_ext_id", "NF_CT_EXT_HELPER");
	if (helper < 0)
		return "helper match (no NF_CT_EXT_HELPER in the kernel's BTF)";
	if (member(btf, "nf_ct_ext", "offset", &off, &mtype))
		return "helper match (no nf_ct_ext offset[] in the kernel's BTF)";
	n = byte_array_len(btf, mtype);
	if (n <= helper)
		return "helper match (nf_ct_ext offset[] is not a byte array holding NF_CT_EXT_HELPER)";
	h->ext_helper_off = off + helper;
	id = btf__find_by_name_kind(btf, "nf_conn_help", BTF_KIND_STRUCT);
	if (id < 0 ||
	    member(btf, "nf_conn_help", "helper", &h->help_helper, &mtype) ||
	    !is_pointer(btf, mtype))
		return "helper match (no nf_conn_help helper in the kernel's BTF)";
	h->nf_conn_help_id = id;
	if (member(btf, "nf_conntrack_helper", "name", &h->helper_name,
		   &mtype))
		return "helper match (no nf_conntrack_helper name in the kernel's BTF)";
	n = byte_array_len(btf, mtype);
	if (n < 1 || n > 255)
		return "helper match (nf_conntrack_helper name is not a char array)";
	h->helper_name_len = n;
	h->ok = true;
	return NULL;
}

const char *bpfgen_ct_helper_btf_why(const struct btf *btf)
{
	struct bpfgen_ct_helper_info h;

	return bpfgen_ct_helper_resolve(btf, &h);
}

const char *bpfgen_ct_helper_unsupported(const struct bpfgen_prog *p)
{
	return p->k->ct_helper_why;
}

/*
 * strncmp(helper->name, @name, strlen(helper->name)) == 0 with the
 * helper in r1: goes to @equal or @differ.  The compare covers the
 * helper's name up to its NUL: equal when the rule's name begins with
 * it ("ftp" matches a rule naming "ftp" or "ftpx", not "ft").  A
 * name filling the whole array without a NUL cannot come from the
 * kernel (helper names are copied in with a terminating NUL); it
 * counts as different.
 */
static void emit_name_cmp(struct bpfgen_prog *p, const char *name,
			  int equal, int differ)
{
	const struct bpfgen_ct_helper_info *h = &p->k->ct_helper;
	size_t n = strnlen(name, IPB_XT_HELPER_NAME_MAX);
	int i;

	for (i = 0; i < h->helper_name_len; i++) {
		bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_1,
					      h->helper_name + i));
		bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_2, 0, equal);
		if ((size_t)i == n)
			break;
		bpfgen_emit_jmp_imm(p, BPF_JNE, BPF_REG_2,
				    (unsigned char)name[i], differ);
	}
	bpfgen_emit_ja(p, differ);
}

void bpfgen_match_ct_helper(struct bpfgen_prog *p, const char *name,
			    bool invert)
{
	const struct bpfgen_kinfo *k = p->k;
	const struct bpfgen_ct_helper_info *h = &k->ct_helper;
	int found, none, pass;

	if (!bpfgen_in_rule(p))
		return;
	if (!h->ok) {
		bpfgen_set_err(p, -EOPNOTSUPP);
		return;
	}
	found = bpfgen_label_new(p);
	pass = bpfgen_label_new(p);
	/* helper_mt() returns info->invert wherever a link is missing */
	none = invert ? pass : p->rule_fail;

	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7,
				      k->skb_nfct));
	bpfgen_emit(p, BPFGEN_ALU64_IMM(BPF_AND, BPF_REG_1, -8));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, 0, none);
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_2, h->nf_conn_id));
	bpfgen_emit(p, BPFGEN_INSN(BPF_JMP | BPF_CALL, 0,
				   BPF_PSEUDO_KFUNC_CALL, 0,
				   k->kf_rdonly_cast));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_0,
				      h->ct_master));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, 0, none);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_1,
				      h->ct_ext));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, 0, none);
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_1,
				      h->ext_helper_off));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_2, 0, none);
	bpfgen_emit(p, BPFGEN_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_2));
	bpfgen_emit(p, BPFGEN_MOV64_IMM(BPF_REG_2, h->nf_conn_help_id));
	bpfgen_emit(p, BPFGEN_INSN(BPF_JMP | BPF_CALL, 0,
				   BPF_PSEUDO_KFUNC_CALL, 0,
				   k->kf_rdonly_cast));
	bpfgen_emit(p, BPFGEN_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_0,
				      h->help_helper));
	bpfgen_emit_jmp_imm(p, BPF_JEQ, BPF_REG_1, 0, none);
	/* an empty rule name matches any helper */
	if (name[0])
		emit_name_cmp(p, name, found, none);
	else
		bpfgen_emit_ja(p, found);
	bpfgen_label_place(p, found);
	if (invert)
		bpfgen_emit_ja(p, p->rule_fail);
	bpfgen_label_place(p, pass);
}
