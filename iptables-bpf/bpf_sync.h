/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Keeping the BPF side in step with nf_tables: after each change, a
 * table's base chains run as BPF programs and the table is dormant, or
 * the table runs in nf_tables (fallback) and no program is attached.
 */
#ifndef IPB_IPTABLES_BPF_BPF_SYNC_H
#define IPB_IPTABLES_BPF_BPF_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpfgen_hook_spec;
struct ipb_nl;
struct ipb_table;
struct ipb_why;
struct ipb_builtin_table;
struct ipb_builtin_chain;

enum ipb_bpf_mode {
	IPB_BPF_AUTO,	 /* BPF where possible, nf_tables otherwise */
	IPB_BPF_REQUIRE, /* refuse a change that cannot run in BPF */
	IPB_BPF_OFF,	 /* plain iptables-nft: nf_tables runs everything */
	__IPB_BPF_MODE_MAX
};

/*
 * The mode: --bpf-mode= on the command line (taken out of argv here, so
 * iptables' own parser never sees it), else $IPTABLES_BPF_MODE, else
 * "mode = ..." in /etc/iptables-bpf.conf ($IPTABLES_BPF_CONF), else auto.
 * Returns the mode or -EINVAL (with the bad word in *@bad).
 */
int ipb_bpf_mode_from(int *argc, char **argv, const char **bad);
const char *ipb_bpf_mode_name(enum ipb_bpf_mode mode);

/*
 * Serialises iptables-bpf instances of one network namespace (a lock on
 * the pin root).  Returns a descriptor to close, or -errno.
 */
int ipb_bpf_lock(void);

/*
 * Does @t run in BPF now (dormant, with its programs attached)?
 */
bool ipb_bpf_table_active(const struct ipb_table *t);

/*
 * Overlays the counters the attached programs keep onto @t's rules and
 * policies (nf_tables' own stay still while the table is dormant).
 */
int ipb_bpf_counters_overlay(struct ipb_table *t);

/*
 * Can @t run in BPF?  0, or -EOPNOTSUPP with the first reason in @why.
 * Compiles without loading.
 */
int ipb_bpf_check(const struct ipb_table *t, struct ipb_why *why);

/*
 * Like ipb_bpf_check(), and also loads each program (without attaching
 * it): -errno with @why when the verifier refuses one.
 */
int ipb_bpf_check_load(const struct ipb_table *t, struct ipb_why *why);

/*
 * Nothing to run: no rule, no user chain, every policy ACCEPT.  Such a
 * table stays in nf_tables (empty chains cost nothing) and has no
 * program.
 */
bool ipb_bpf_table_is_default(const struct ipb_table *t);

/* Where built-in chain @bc of table @def, @family, is attached. */
void ipb_bpf_hook_spec(struct bpfgen_hook_spec *spec, uint8_t family,
		       const struct ipb_builtin_table *def,
		       const struct ipb_builtin_chain *bc);

/*
 * The rule handles the program at @spec counts, in slot order (the
 * policy's is IPB_SLOT_POLICY), into *@out (the caller frees it) and
 * their number into *@n.  -ENOENT if nothing is installed.
 */
int ipb_bpf_hook_slots(const struct bpfgen_hook_spec *spec, uint64_t **out,
		       uint32_t *n);

/*
 * After a commit: bring table @def of @family in line with @mode.
 * @zero_policy: built-in chain names whose policy counters the commit
 * set (-Z, restore --counters), whose BPF counters start from nf_tables'
 * values rather than carry over; @reset (txn.h) the same for rules.
 * @snap: the table as the commit left it (ownership taken), or NULL to
 * read it back.
 * Returns 0 when the table runs as it
 * should (in BPF, or in nf_tables for auto's fallback); -errno with @why
 * when BPF could not take over (the table then runs in nf_tables).
 */
int ipb_bpf_sync(struct ipb_nl *nl, uint8_t family,
		 const struct ipb_builtin_table *def, enum ipb_bpf_mode mode,
		 uint32_t zero_policy, const uint64_t *reset, size_t nreset,
		 struct ipb_table *snap, struct ipb_why *why);

#endif
