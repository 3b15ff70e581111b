// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which kernels the helper match runs on, decided from their BTF
 * (bpfgen_ct_helper_btf_why()).  Each case builds the few structs the
 * match reads, shaped as some kernel has them: Linux 6.0 to the 2026
 * revert keep a gen_id in nf_ct_ext, whose lookup then also reads the
 * global nf_conntrack_ext_genid (refused); before 6.0 and after the
 * revert the lookup is a plain offset (runs).  Unprivileged.
 */
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "bpfgen/bpfgen.h"
#include "tests/lib/ipb_test.h"

IPB_TEST_STATE_DEFINE;

/*
 * struct shape - how the kernel under test lays the structs out
 * @gen_id: nf_ct_ext has "unsigned int gen_id" (6.0 until the revert)
 * @rcu_head: nf_ct_ext begins with a 16-byte rcu head (before 5.x)
 * @no_enum: no enum nf_ct_ext_id
 * @offset_elems: elements of nf_ct_ext.offset[]
 * @wide_offsets: offset[] of u16, not u8
 * @name_ptr: nf_conntrack_helper.name is a const char * (before 3.x)
 * @no_master: nf_conn lacks master
 */
struct shape {
	bool gen_id, rcu_head, no_enum, wide_offsets, name_ptr, no_master;
	int offset_elems;
};

/*
 * btf__add_field() adds to the struct added last: every other type comes
 * first, pointers to structs go through forward declarations.
 */
static struct btf *build(const struct shape *s)
{
	struct btf *btf = btf__new_empty();
	int u8, u16, u32, chr, idx, offs, name, conn_p, ext_p, hlp_p, base;

	if (!btf)
		return NULL;
	u8 = btf__add_int(btf, "unsigned char", 1, 0);
	u16 = btf__add_int(btf, "short unsigned int", 2, 0);
	u32 = btf__add_int(btf, "unsigned int", 4, 0);
	chr = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
	idx = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	offs = btf__add_array(btf, idx, s->wide_offsets ? u16 : u8,
			      s->offset_elems);
	name = s->name_ptr ? btf__add_ptr(btf, chr) :
			     btf__add_array(btf, idx, chr, 16);
	conn_p = btf__add_ptr(btf, btf__add_fwd(btf, "nf_conn",
						 BTF_FWD_STRUCT));
	ext_p = btf__add_ptr(btf, btf__add_fwd(btf, "nf_ct_ext",
						BTF_FWD_STRUCT));
	hlp_p = btf__add_ptr(btf, btf__add_fwd(btf, "nf_conntrack_helper",
						BTF_FWD_STRUCT));
	if (!s->no_enum) {
		btf__add_enum(btf, "nf_ct_ext_id", 4);
		btf__add_enum_value(btf, "NF_CT_EXT_HELPER", 0);
		btf__add_enum_value(btf, "NF_CT_EXT_NAT", 1);
		btf__add_enum_value(btf, "NF_CT_EXT_NUM", 2);
	}

	btf__add_struct(btf, "nf_ct_ext", 32);
	base = s->rcu_head ? 16 * 8 : 0;
	if (s->rcu_head)
		btf__add_field(btf, "rcu", u32, 0, 0);
	btf__add_field(btf, "offset", offs, base, 0);
	btf__add_field(btf, "len", u8, base + 9 * 8, 0);
	if (s->gen_id)
		btf__add_field(btf, "gen_id", u32, base + 12 * 8, 0);

	btf__add_struct(btf, "nf_conntrack_helper", 48);
	btf__add_field(btf, "hnode", u32, 0, 0);
	btf__add_field(btf, "name", name, 16 * 8, 0);

	btf__add_struct(btf, "nf_conn", 64);
	if (!s->no_master)
		btf__add_field(btf, "master", conn_p, 32 * 8, 0);
	btf__add_field(btf, "mark", u32, 40 * 8, 0);
	btf__add_field(btf, "ext", ext_p, 48 * 8, 0);

	btf__add_struct(btf, "nf_conn_help", 16);
	btf__add_field(btf, "helper", hlp_p, 0, 0);
	return btf;
}

static const char *why_of(const struct shape *s)
{
	static char buf[256];
	struct btf *btf = build(s);
	const char *why;

	if (!btf)
		return "(no btf)";
	why = bpfgen_ct_helper_btf_why(btf);
	snprintf(buf, sizeof(buf), "%s", why ? why : "");
	btf__free(btf);
	return buf;
}

static void test_shapes(void)
{
	struct shape s;

	/* this machine's 6.18: u8 offset[9], no gen_id */
	s = (struct shape){ .offset_elems = 9 };
	ASSERT_STREQ(why_of(&s), "", "after the genid revert: runs");
	s = (struct shape){ .offset_elems = 9, .rcu_head = true };
	ASSERT_STREQ(why_of(&s), "", "before 6.0 (rcu head first): runs");
	s = (struct shape){ .offset_elems = 9, .gen_id = true };
	ASSERT_TRUE(strstr(why_of(&s), "nf_conntrack_ext_genid"),
		    "6.0 until the revert: refused for gen_id");
	s = (struct shape){ .offset_elems = 9, .no_enum = true };
	ASSERT_STREQ(why_of(&s),
		     "helper match (no NF_CT_EXT_HELPER in the kernel's BTF)",
		     "no enum: refused");
	s = (struct shape){ .offset_elems = 9, .wide_offsets = true };
	ASSERT_TRUE(strstr(why_of(&s), "not a byte array"),
		    "u16 offsets: refused");
	s = (struct shape){ .offset_elems = 0 };
	ASSERT_TRUE(strstr(why_of(&s), "not a byte array"),
		    "no room for NF_CT_EXT_HELPER: refused");
	s = (struct shape){ .offset_elems = 9, .name_ptr = true };
	ASSERT_TRUE(strstr(why_of(&s), "not a char array"),
		    "a name pointer: refused");
	s = (struct shape){ .offset_elems = 9, .no_master = true };
	ASSERT_TRUE(strstr(why_of(&s), "master"), "no master: refused");
}

/* The running kernel: whatever it is, a reason or none, never a crash. */
static void test_running_kernel(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	const char *why;
	int ext, i, n;
	bool gen_id = false;

	if (!btf) {
		ipb_test_state.skip_reason = "no vmlinux BTF";
		return;
	}
	ext = btf__find_by_name_kind(btf, "nf_ct_ext", BTF_KIND_STRUCT);
	if (ext > 0) {
		const struct btf_type *t = btf__type_by_id(btf, ext);
		const struct btf_member *m = btf_members(t);

		n = btf_vlen(t);
		for (i = 0; i < n; i++, m++)
			if (!strcmp(btf__name_by_offset(btf, m->name_off),
				    "gen_id"))
				gen_id = true;
	}
	why = bpfgen_ct_helper_btf_why(btf);
	if (ext > 0 && gen_id)
		ASSERT_TRUE(why && strstr(why, "gen_id"), "gen_id: refused");
	else if (ext > 0)
		ASSERT_TRUE(why == NULL, "no gen_id: runs");
	btf__free(btf);
}

int main(void)
{
	RUN_TEST(test_shapes);
	RUN_TEST(test_running_kernel);
	return ipb_test_done();
}
