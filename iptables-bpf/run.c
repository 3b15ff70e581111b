// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every changing tool (iptables, iptables-restore) does around its
 * transaction: require-mode checks before the commit, and the BPF side
 * of the changed tables after it.
 */
#include <stdio.h>
#include <netinet/in.h>
#include <net/if.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpfgen/bpfgen.h"
#include "iptables-bpf/bpf_sync.h"
#include "iptables-bpf/cache.h"
#include "iptables-bpf/compile.h"
#include "iptables-bpf/nl.h"
#include "iptables-bpf/errmsg.h"
#include "iptables-bpf/fault.h"
#include "iptables-bpf/log.h"
#include "iptables-bpf/run.h"
#include "iptables-bpf/tables.h"
#include "iptables-bpf/txn.h"

/*
 * Require mode: refuse, before anything is committed, a change that
 * leaves a table which cannot run in BPF, the verifier's verdict
 * included: each program is loaded once here and again after the
 * commit, the price of refusing with nothing changed.
 */
int ipb_check_required(const struct ipb_txn *t, struct ipb_error *e)
{
	struct ipb_why why = { 0 };
	unsigned int i;
	int err;

	for (i = 0; i < IPB_NTABLES; i++) {
		if (!t->touched[i] || !t->tables[i])
			continue;
		err = ipb_bpf_check(t->tables[i], &why);
		/* and the verifier: after the commit it would be too late */
		if (!err)
			err = ipb_bpf_check_load(t->tables[i], &why);
		if (err && why.reason[0]) {
			if (why.rulenum)
				ipb_error_set(e, IPB_ERR_RAW,
					      "table `%s': rule %u of chain `%s' cannot run in BPF (%s), and --bpf-mode=require",
					      t->tables[i]->def->name, why.rulenum,
					      why.chain, why.reason);
			else if (strcmp(why.chain, "-"))
				ipb_error_set(e, IPB_ERR_RAW,
					      "table `%s': chain `%s' cannot run in BPF (%s), and --bpf-mode=require",
					      t->tables[i]->def->name, why.chain,
					      why.reason);
			else
				ipb_error_set(e, IPB_ERR_RAW,
					      "table `%s' cannot run in BPF (%s), and --bpf-mode=require",
					      t->tables[i]->def->name, why.reason);
			return -EOPNOTSUPP;
		}
		if (err)
			return err;
	}
	return 0;
}

void ipb_changed_release(struct ipb_changed *ch)
{
	unsigned int i;

	for (i = 0; i < IPB_NTABLES; i++)
		ipb_table_free(ch->snap[i]);
	free(ch->reset);
	memset(ch, 0, sizeof(*ch));
}

void ipb_note_changes(struct ipb_txn *t, struct ipb_changed *ch)
{
	unsigned int i;
	uint64_t *r;

	size_t n = t->nreset;

	/* an earlier commit's tables hold only if this one read its result */
	if (ch->snap_genid && ch->snap_genid != t->genid)
		for (i = 0; i < IPB_NTABLES; i++) {
			ipb_table_free(ch->snap[i]);
			ch->snap[i] = NULL;
		}
	for (i = 0; i < IPB_NTABLES; i++) {
		if (t->touched[i]) {
			ipb_table_free(ch->snap[i]);
			ch->snap[i] = ipb_txn_take_table(t, i);
		}
		ch->tables[i] |= t->touched[i];
		ch->zero_policy[i] |= t->zero_policy[i];
		if (t->recreated[i]) {
			ch->zero_policy[i] = ~0U;
			n++;
		}
	}
	/* a committed batch moves the generation on by one */
	ch->snap_genid = t->genid + (t->batch && ipb_batch_count(t->batch));
	if (!n)
		return;
	r = realloc(ch->reset, (ch->nreset + n) * sizeof(*r));
	if (!r)
		return;	/* counters may then carry over: never a wrong verdict */
	memcpy(r + ch->nreset, t->reset, t->nreset * sizeof(*r));
	ch->nreset += t->nreset;
	/* handle 0, never a rule's: every rule of a table made anew */
	for (i = 0; i < IPB_NTABLES; i++)
		if (t->recreated[i])
			r[ch->nreset++] = (uint64_t)i << 56;
	ch->reset = r;
}

/*
 * After the commit: the changed tables' BPF programs.  In auto mode a
 * table that cannot run in BPF runs in nf_tables, quietly unless -v;
 * in require mode that is an error.
 */
int ipb_bpf_after_commit(struct ipb_nl *nl, uint8_t family,
			 struct ipb_changed *ch, enum ipb_bpf_mode mode,
			 int verbose, const char *prog)
{
	struct ipb_table *snap[IPB_NTABLES];
	struct ipb_why why;
	unsigned int i;
	uint32_t genid;
	int err, ret = 0;

	ipb_fault_point("after-commit");
	/*
	 * The tables as the commit left them stand for what the kernel
	 * holds while nothing else changed it since (the lock keeps
	 * iptables-bpf out, not nft or iptables-nft): else read them back.
	 */
	memcpy(snap, ch->snap, sizeof(snap));
	memset(ch->snap, 0, sizeof(ch->snap));
	if (ipb_nl_genid(nl, &genid) || genid != ch->snap_genid)
		for (i = 0; i < IPB_NTABLES; i++) {
			ipb_table_free(snap[i]);
			snap[i] = NULL;
		}
	for (i = 0; i < IPB_NTABLES; i++) {
		if (!ch->tables[i]) {
			ipb_table_free(snap[i]);
			continue;
		}
		memset(&why, 0, sizeof(why));
		err = ipb_bpf_sync(nl, family, ipb_builtin_table_at(i), mode,
				   ch->zero_policy[i], ch->reset, ch->nreset,
				   snap[i], &why);
		/* whatever came of it is whole: the status view tells */
		ipb_fault_point("before-clear");
		bpfgen_pin_pending_clear(family, ipb_builtin_table_at(i)->name);
		if (!err)
			continue;
		if (verbose || mode == IPB_BPF_REQUIRE || err != -EOPNOTSUPP)
			fprintf(stderr,
				"%s: table `%s' runs in nf_tables: %s%.0u%s%s%s: %s\n",
				prog, ipb_builtin_table_at(i)->name,
				why.rulenum ? "rule " : "", why.rulenum,
				why.rulenum ? " of " : "",
				why.chain[0] ? "chain " : "", why.chain,
				why.reason[0] ? why.reason : strerror(-err));
		if (mode == IPB_BPF_REQUIRE)
			ret = 1;
	}
	return ret;
}

/*
 * A change is a commit, then the BPF side of each changed table; a
 * command killed in between would leave the listing, the programs and
 * the dormant flag disagreeing.  So the changed tables are marked
 * pending before the commit (bpfgen/pin.c), the mark goes once the
 * table's BPF side is done, and the next command to take the lock
 * finishes what a killed one left.  All under the lock.
 */
void ipb_bpf_mark_pending(const struct ipb_txn *t, enum ipb_bpf_mode mode)
{
	unsigned int i;
	int err;

	for (i = 0; i < IPB_NTABLES; i++) {
		if (!t->touched[i])
			continue;
		/* off mode makes no pin root of its own */
		err = bpfgen_pin_pending_set(t->family,
					     ipb_builtin_table_at(i)->name,
					     mode != IPB_BPF_OFF);
		if (err && err != -ENOENT)
			pr_info("table `%s': cannot mark the change pending: %s\n",
				ipb_builtin_table_at(i)->name, strerror(-err));
	}
	ipb_fault_point("before-commit");
}

void ipb_bpf_unmark(uint8_t family)
{
	unsigned int i;

	for (i = 0; i < IPB_NTABLES; i++)
		bpfgen_pin_pending_clear(family, ipb_builtin_table_at(i)->name);
}

void ipb_bpf_recover(struct ipb_nl *nl, uint8_t family, enum ipb_bpf_mode mode,
		     int verbose, const char *prog)
{
	struct ipb_changed ch = { 0 };
	bool any = false;
	unsigned int i;

	for (i = 0; i < IPB_NTABLES; i++) {
		if (!bpfgen_pin_pending_is_set(family,
					       ipb_builtin_table_at(i)->name))
			continue;
		ch.tables[i] = any = true;
		pr_info("table `%s': finishing a change an earlier command left half-done\n",
			ipb_builtin_table_at(i)->name);
	}
	if (any)
		ipb_bpf_after_commit(nl, family, &ch, mode, verbose, prog);
}

int ipb_bpf_mode_arg(int *argc, char **argv, const char *prog,
		    enum ipb_bpf_mode *mode)
{
	const char *bad = NULL;
	int m = ipb_bpf_mode_from(argc, argv, &bad);

	if (m < 0) {
		fprintf(stderr, "%s: unknown BPF mode `%s' (auto, require or off)\n",
			prog, bad ? bad : "");
		return 2;
	}
	*mode = m;
	return 0;
}

