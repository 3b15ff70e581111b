/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPB_IPTABLES_BPF_RUN_H
#define IPB_IPTABLES_BPF_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "iptables-bpf/bpf_sync.h"
#include "iptables-bpf/txn.h"

struct ipb_nl;
struct ipb_error;
struct ipb_table;

/**
 * struct ipb_changed - what committed transactions changed
 * @tables: which tables (ipb_builtin_table_at() index)
 * @zero_policy: per table, chains whose policy counters were set
 * @reset: rules whose counters were set (txn.h), @nreset of them
 * @snap: per table, the table as the commit left it (owned), if known
 *	(ipb_txn_take_table()); valid at ruleset generation @snap_genid
 */
struct ipb_changed {
	bool tables[IPB_NTABLES];
	uint32_t zero_policy[IPB_NTABLES];
	uint64_t *reset;
	size_t nreset;
	struct ipb_table *snap[IPB_NTABLES];
	uint32_t snap_genid;
};

/* --bpf-mode=, $IPTABLES_BPF_MODE, the configuration file; exit code. */
int ipb_bpf_mode_arg(int *argc, char **argv, const char *prog,
		     enum ipb_bpf_mode *mode);
/* Require mode, before the commit: every changed table must run in BPF. */
int ipb_check_required(const struct ipb_txn *t, struct ipb_error *e);
/* Frees what @ch holds. */
void ipb_changed_release(struct ipb_changed *ch);
/* Remember what @t changed, once it committed; takes @t's tables. */
void ipb_note_changes(struct ipb_txn *t, struct ipb_changed *ch);
/* After the commit: the changed tables into BPF (or nf_tables).  Returns
 * the exit code: 1 when require mode could not be honoured. */
int ipb_bpf_after_commit(struct ipb_nl *nl, uint8_t family,
			 struct ipb_changed *ch, enum ipb_bpf_mode mode,
			 int verbose, const char *prog);

/*
 * Interrupted changes (bpfgen/pin.c "pending"), under the lock:
 * ipb_bpf_mark_pending() before the commit marks the tables @t changes;
 * ipb_bpf_after_commit() clears each table's mark when its BPF side is
 * done; ipb_bpf_unmark() clears them all when nothing was committed;
 * ipb_bpf_recover(), right after taking the lock, syncs again the
 * tables a killed command left marked.
 */
void ipb_bpf_mark_pending(const struct ipb_txn *t, enum ipb_bpf_mode mode);
void ipb_bpf_unmark(uint8_t family);
void ipb_bpf_recover(struct ipb_nl *nl, uint8_t family, enum ipb_bpf_mode mode,
		     int verbose, const char *prog);

#endif
