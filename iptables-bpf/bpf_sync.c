// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The BPF side of a table.  The order of every switch keeps the firewall
 * closed (shared/KERNEL-NOTES.md):
 * - into BPF: attach (or swap) the programs first, then make the table
 *   dormant; for a moment both run the same rules;
 * - back to nf_tables: make the table active first, then detach;
 * - a program swap is one slot update in the dispatcher's prog array,
 *   atomic per packet (bpfgen/hook.c).
 * If anything fails on the way into BPF, the table is made active and
 * the programs detached: nf_tables runs it, as iptables-nft would.
 */
#include <stdio.h>
#include <netinet/in.h>
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/membarrier.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <bpf/bpf.h>
#include <libnftnl/table.h>

#include "bpfgen/bpfgen.h"
#include "iptables-bpf/bpf_sync.h"
#include "iptables-bpf/cache.h"
#include "iptables-bpf/compile.h"
#include "iptables-bpf/errmsg.h"
#include "iptables-bpf/fault.h"
#include "iptables-bpf/log.h"
#include "iptables-bpf/nl.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/tables.h"
#include "iptables-bpf/txn.h"
#include "iptables-bpf/util.h"

#define DEFAULT_CONF "/etc/iptables-bpf.conf"
#define DEFAULT_PIN_ROOT "/run/iptables-bpf"

static const char *const mode_names[] = {
	[IPB_BPF_AUTO] = "auto",
	[IPB_BPF_REQUIRE] = "require",
	[IPB_BPF_OFF] = "off",
};

const char *ipb_bpf_mode_name(enum ipb_bpf_mode mode)
{
	return mode < __IPB_BPF_MODE_MAX ? mode_names[mode] : "?";
}

static int mode_parse(const char *s)
{
	int i;

	for (i = 0; i < __IPB_BPF_MODE_MAX; i++)
		if (!strcmp(s, mode_names[i]))
			return i;
	return -EINVAL;
}

/* "mode = require" in the configuration file; -ENOENT without one. */
static int mode_from_conf(const char **bad)
{
	const char *path = getenv("IPTABLES_BPF_CONF");
	_cleanup_fclose_ FILE *f = NULL;
	static char word[32];
	char line[256];

	f = fopen(path ? path : DEFAULT_CONF, "re");
	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " mode = %31s", word) == 1) {
			*bad = word;
			return mode_parse(word);
		}
	return -ENOENT;
}

int ipb_bpf_mode_from(int *argc, char **argv, const char **bad)
{
	const char *env = getenv("IPTABLES_BPF_MODE");
	const char *opt = NULL;
	int i, j, mode;

	for (i = j = 0; i < *argc; i++) {
		if (!strncmp(argv[i], "--bpf-mode=", 11))
			opt = argv[i] + 11;
		else
			argv[j++] = argv[i];
	}
	*argc = j;
	argv[j] = NULL;
	if (opt || env) {
		*bad = opt ? opt : env;
		return mode_parse(*bad);
	}
	mode = mode_from_conf(bad);
	return mode == -ENOENT ? IPB_BPF_AUTO : mode;
}

int ipb_bpf_lock(void)
{
	const char *root = getenv("IPTABLES_BPF_PIN_ROOT");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s.lock", root ? root : DEFAULT_PIN_ROOT);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	/* beside the lock, written under it */
	snprintf(path, sizeof(path), "%s.kinfo",
		 root ? root : DEFAULT_PIN_ROOT);
	bpfgen_kinfo_cache_file(path);
	return fd;
}

void ipb_bpf_hook_spec(struct bpfgen_hook_spec *spec, uint8_t family,
		       const struct ipb_builtin_table *def,
		       const struct ipb_builtin_chain *bc)
{
	memset(spec, 0, sizeof(*spec));
	spec->family = family;
	spec->table = def->name;
	spec->hook = bc->hook;
	/*
	 * The kernel refuses a BPF hook at a priority some hook already has
	 * (EBUSY, nf_hook_entries_grow()), the table's own base chain
	 * included, and the program must be attached before the table goes
	 * dormant.  One below the chain's priority runs it at the same place
	 * among the standard hooks (none sits at 0-1, -150-1, -300-1,
	 * 150-1).
	 */
	spec->priority = bc->prio - 1;
	/*
	 * No BPF_F_NETFILTER_IP_DEFRAG: nf_tables sees reassembled packets
	 * only where nf_defrag runs, which conntrack turns on for the
	 * namespace; a conntrack, state or connmark match does so from the
	 * dormant table too (nf_ct_netns_get() at rule init), and the
	 * defrag hooks (priority -400) run before every table's.  The
	 * flag would turn defrag on where nothing else did, and rules such
	 * as "-f" would stop matching (tests/cli/match-state.bats checks
	 * both cases against nf_tables).
	 */
	spec->defrag = false;
}

static void hook_spec(struct bpfgen_hook_spec *spec, const struct ipb_table *t,
		      const struct ipb_builtin_chain *bc)
{
	ipb_bpf_hook_spec(spec, t->family, t->def, bc);
}

/*
 * The "slots" map (pinned beside each program, written only by us under
 * the lock): per counter slot, the rule handle it counts (the policy's
 * is IPB_SLOT_POLICY) and the carry, what that rule had counted at this
 * hook before this program.  A rule's count at a hook is its carry plus
 * the program's per-CPU counter, which starts at zero: the kernel
 * increments the counters while user space cannot add to them without
 * racing it, so what older programs counted lives here instead.  Maps
 * pinned before the carry existed hold the handle alone.
 */
struct slot_val {
	uint64_t handle, pkts, bytes;
};

static int slots_read(int fd, struct slot_val **out, uint32_t *n)
{
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info), i;
	struct slot_val *v;
	int err;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.value_size != sizeof(*v) && info.value_size != 8)
		return -EPROTO;
	v = calloc(info.max_entries ? info.max_entries : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (info.value_size == sizeof(*v)) {
		err = bpfgen_array_read(fd, info.max_entries, v, sizeof(*v));
	} else {
		uint64_t *h = calloc(info.max_entries ? info.max_entries : 1,
				     sizeof(*h));

		err = h ? bpfgen_array_read(fd, info.max_entries, h,
					    sizeof(*h)) :
			  -ENOMEM;
		for (i = 0; !err && i < info.max_entries; i++)
			v[i].handle = h[i];
		free(h);
	}
	if (err) {
		free(v);
		return err;
	}
	*out = v;
	*n = info.max_entries;
	return 0;
}

int ipb_bpf_hook_slots(const struct bpfgen_hook_spec *spec, uint64_t **out,
		       uint32_t *n)
{
	_cleanup_close_ int fd = -1;
	struct slot_val *v = NULL;
	uint64_t *h;
	uint32_t i;
	int err;

	err = bpfgen_hook_slots_open(spec, &fd);
	if (!err)
		err = slots_read(fd, &v, n);
	if (err)
		return err;
	h = calloc(*n ? *n : 1, sizeof(*h));
	if (!h) {
		free(v);
		return -ENOMEM;
	}
	for (i = 0; i < *n; i++)
		h[i] = v[i].handle;
	free(v);
	*out = h;
	return 0;
}

bool ipb_bpf_table_active(const struct ipb_table *t)
{
	return t->in_kernel && (t->flags & NFT_TABLE_F_DORMANT);
}

/* ---- counters ------------------------------------------------------- */

/*
 * A table's rules sorted by handle: the counter bookkeeping looks rules
 * up by handle, and a blocklist has ten thousand of them.
 * @given: per rule, whether a hook has taken its count already (sync)
 */
struct rule_index {
	struct ipb_rule **r;
	bool *given;
	size_t n;
};

static int by_handle(const void *a, const void *b)
{
	uint64_t x = (*(struct ipb_rule *const *)a)->handle;
	uint64_t y = (*(struct ipb_rule *const *)b)->handle;

	return x < y ? -1 : x > y;
}

static int rule_index_build(struct rule_index *ix, const struct ipb_table *t)
{
	const struct ipb_chain *c;
	struct ipb_rule *r;
	size_t n = 0;

	for (c = t->chains; c; c = c->next)
		n += c->nrules;
	ix->r = calloc(n ? n : 1, sizeof(*ix->r));
	ix->given = calloc(n ? n : 1, sizeof(*ix->given));
	if (!ix->r || !ix->given) {
		free(ix->r);
		free(ix->given);
		return -ENOMEM;
	}
	ix->n = 0;
	for (c = t->chains; c; c = c->next)
		for (r = c->rules; r && ix->n < n; r = r->next)
			ix->r[ix->n++] = r;
	qsort(ix->r, ix->n, sizeof(*ix->r), by_handle);
	return 0;
}

static void rule_index_free(struct rule_index *ix)
{
	free(ix->r);
	free(ix->given);
	ix->r = NULL;
	ix->given = NULL;
	ix->n = 0;
}

/* The position of the rule with handle @h, or -1. */
static ssize_t rule_pos(const struct rule_index *ix, uint64_t h)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->r[mid]->handle == h)
			return mid;
		if (ix->r[mid]->handle < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* What the programs counted, by rule handle. */
struct tally {
	struct tally_entry {
		uint64_t handle, pkts, bytes;
	} *e;
	size_t n, cap;
};

/* Appends; tally_sort() sums the entries of one handle. */
static int tally_add(struct tally *t, uint64_t handle, uint64_t pkts,
		     uint64_t bytes)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct tally_entry *e = realloc(t->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		t->e = e;
		t->cap = cap;
	}
	t->e[t->n++] = (struct tally_entry){ handle, pkts, bytes };
	return 0;
}

static int tally_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct tally_entry *)a)->handle;
	uint64_t y = ((const struct tally_entry *)b)->handle;

	return x < y ? -1 : x > y;
}

/* Sorted by handle, one entry per handle: a user chain reached from
 * several hooks counts in each, and the counts add up. */
static void tally_sort(struct tally *t)
{
	size_t i, n = 0;

	qsort(t->e, t->n, sizeof(*t->e), tally_cmp);
	for (i = 0; i < t->n; i++) {
		if (n && t->e[n - 1].handle == t->e[i].handle) {
			t->e[n - 1].pkts += t->e[i].pkts;
			t->e[n - 1].bytes += t->e[i].bytes;
		} else {
			t->e[n++] = t->e[i];
		}
	}
	t->n = n;
}

/* On a sorted tally. */
static bool tally_has(const struct tally *t, uint64_t handle)
{
	struct tally_entry key = { .handle = handle };

	return bsearch(&key, t->e, t->n, sizeof(*t->e), tally_cmp) != NULL;
}

/* The sums over CPUs of counters 0..@n-1, in two arrays to free. */
static int counters_sum(int ctr_fd, uint32_t n, uint64_t **pkts,
			uint64_t **bytes)
{
	int err;

	*pkts = calloc(n ? n : 1, sizeof(**pkts));
	*bytes = calloc(n ? n : 1, sizeof(**bytes));
	if (!*pkts || !*bytes)
		err = -ENOMEM;
	else
		err = bpfgen_counters_read_all(ctr_fd, n, *pkts, *bytes);
	if (err) {
		free(*pkts);
		free(*bytes);
		*pkts = *bytes = NULL;
	}
	return err;
}

/* One hook's slots into @tally, its policy into @base. */
static int read_hook(struct tally *tally, struct ipb_chain *base,
		     const struct bpfgen_hook_spec *spec)
{
	int slots_fd = -1, ctr_fd = -1, err;
	uint64_t *ctr_pkts = NULL, *ctr_bytes = NULL;
	struct slot_val *v = NULL;
	uint32_t i, nslots = 0;

	err = bpfgen_hook_slots_open(spec, &slots_fd);
	if (!err)
		err = bpfgen_hook_counters_open(spec, &ctr_fd);
	if (!err)
		err = slots_read(slots_fd, &v, &nslots);
	if (!err)
		err = counters_sum(ctr_fd, nslots, &ctr_pkts, &ctr_bytes);
	for (i = 0; !err && i < nslots; i++) {
		uint64_t pkts = ctr_pkts[i] + v[i].pkts;
		uint64_t bytes = ctr_bytes[i] + v[i].bytes;

		if (v[i].handle == IPB_SLOT_POLICY) {
			base->counters.pcnt = pkts;
			base->counters.bcnt = bytes;
		} else {
			err = tally_add(tally, v[i].handle, pkts, bytes);
		}
	}
	free(ctr_pkts);
	free(ctr_bytes);
	free(v);
	if (slots_fd >= 0)
		close(slots_fd);
	if (ctr_fd >= 0)
		close(ctr_fd);
	return err;
}

int ipb_bpf_counters_overlay(struct ipb_table *t)
{
	struct rule_index ix = { 0 };
	struct tally tally = { 0 };
	struct bpfgen_hook_spec spec;
	struct ipb_chain *c;
	struct ipb_rule *r;
	size_t i;
	int err = 0;

	if (!ipb_bpf_table_active(t))
		return 0;
	for (c = t->chains; !err && c; c = c->next) {
		if (!c->builtin || !c->in_kernel)
			continue;
		hook_spec(&spec, t, c->builtin);
		err = read_hook(&tally, c, &spec);
		if (err == -ENOENT)
			err = 0;
	}
	/* a rule no program counts yet keeps what nf_tables holds */
	tally_sort(&tally);
	if (!err)
		err = rule_index_build(&ix, t);
	for (i = 0; !err && i < tally.n; i++) {
		ssize_t pos = rule_pos(&ix, tally.e[i].handle);

		if (pos < 0)
			continue;
		r = ix.r[pos];
		r->counters.pcnt = tally.e[i].pkts;
		r->counters.bcnt = tally.e[i].bytes;
	}
	rule_index_free(&ix);
	free(tally.e);
	return err;
}

/* ---- compile, load, install ----------------------------------------- */

/*
 * What keeps a whole table on nf_tables whatever its rules.  nat: its
 * chains see only the first packet of a connection (nf_nat calls them),
 * which a netfilter hook cannot reproduce.
 */
static int table_refused(const struct ipb_table *t, struct ipb_why *why)
{
	if (strcmp(t->def->name, "nat"))
		return 0;
	snprintf(why->chain, sizeof(why->chain), "-");
	why->rulenum = 0;
	snprintf(why->reason, sizeof(why->reason),
		 "the nat table runs in nf_tables: nf_nat shows its chains only a connection's first packet");
	return -EOPNOTSUPP;
}

int ipb_bpf_check(const struct ipb_table *t, struct ipb_why *why)
{
	const struct ipb_chain *c;
	struct ipb_compiled out;
	int err;

	err = table_refused(t, why);
	if (err)
		return err;
	for (c = t->chains; c; c = c->next) {
		if (!c->builtin || !c->in_kernel)
			continue;
		err = ipb_compile_chain(t, c, &out, why);
		if (err)
			return err;
		ipb_compiled_release(&out);
	}
	return 0;
}

static void prog_name(char *buf, size_t sz, const struct ipb_table *t,
		      const struct ipb_chain *base)
{
	static const char *const hook_abbrev[] = { "pre", "in", "fwd", "out",
						   "post" };

	/* "ipb4_filter_in": bpftool shows 15 characters */
	snprintf(buf, sz, "ipb%c_%s_%s", t->family == NFPROTO_IPV6 ? '6' : '4',
		 t->def->name, hook_abbrev[base->builtin->hook]);
}

int ipb_bpf_check_load(const struct ipb_table *t, struct ipb_why *why)
{
	const struct ipb_chain *c;
	struct ipb_compiled out;
	char log[4096] = "", name[32];
	int err, fd = -1;

	err = table_refused(t, why);
	if (err)
		return err;
	for (c = t->chains; c; c = c->next) {
		if (!c->builtin || !c->in_kernel)
			continue;
		err = ipb_compile_chain(t, c, &out, why);
		if (err)
			return err;
		prog_name(name, sizeof(name), t, c);
		err = bpfgen_prog_load(out.prog, name, &fd, log, sizeof(log));
		ipb_compiled_release(&out);
		if (err) {
			snprintf(why->chain, sizeof(why->chain), "%s", c->name);
			why->rulenum = 0;
			snprintf(why->reason, sizeof(why->reason),
				 "the verifier refused the program: %s",
				 strerror(-err));
			pr_info("chain '%s': verifier log BEGIN\n%s\nverifier log END\n",
				c->name, log);
			return err;
		}
		close(fd);
	}
	return 0;
}

/* What a sync carries over, and what it must not. */
struct sync_ctx {
	uint32_t zero_policy;
	const uint64_t *reset;
	size_t nreset;
	unsigned int table_idx;
	/* rule handles the table's programs counted before this sync */
	struct tally counted;
	/* the table's rule state map (-1: none yet), state_carry() */
	int state_fd;
	/* the table's rules by handle; @given: reset rules whose count one
	 * hook has taken already */
	struct rule_index ix;
};

static bool is_reset(const struct sync_ctx *sc, uint64_t handle)
{
	uint64_t key = (uint64_t)sc->table_idx << 56 | handle;
	size_t i;

	/* key with handle 0: the whole table was made anew (run.c) */
	for (i = 0; i < sc->nreset; i++)
		if (sc->reset[i] == key ||
		    sc->reset[i] == (uint64_t)sc->table_idx << 56)
			return true;
	return false;
}

/* Every rule handle the table's installed programs count, at any hook. */
static int collect_counted(const struct ipb_table *t, struct tally *out)
{
	const struct ipb_builtin_table *def = t->def;
	struct bpfgen_hook_spec spec;
	unsigned int i;
	uint64_t *h;
	uint32_t n, j;
	int err;

	for (i = 0; i < def->nchains; i++) {
		hook_spec(&spec, t, &def->chains[i]);
		if (ipb_bpf_hook_slots(&spec, &h, &n))
			continue;
		for (err = 0, j = 0; !err && j < n; j++)
			err = tally_add(out, h[j], 0, 0);
		free(h);
		if (err)
			return err;
	}
	tally_sort(out);
	return 0;
}

/*
 * struct carry - one hook's switch to a new program, for the counters
 * @old_slots, @old_ctr: the replaced program's maps (-1: none before)
 * @slots: the new program's slots map
 * @cp: the new program's slot layout
 * @base, @base_idx: its base chain, and the chain's index in the table
 */
struct carry {
	int old_slots, old_ctr, slots;
	struct ipb_compiled cp;
	const struct ipb_chain *base;
	unsigned int base_idx;
};

static void carry_release(struct carry *cy)
{
	if (cy->old_slots >= 0)
		close(cy->old_slots);
	if (cy->old_ctr >= 0)
		close(cy->old_ctr);
	if (cy->slots >= 0)
		close(cy->slots);
	ipb_compiled_release(&cy->cp);
	cy->old_slots = cy->old_ctr = cy->slots = -1;
}

/* The replaced program's slots, sorted by handle, with their index. */
struct old_slot {
	uint64_t handle;
	uint32_t idx;
};

static int old_slot_cmp(const void *a, const void *b)
{
	const struct old_slot *x = a, *y = b;

	if (x->handle != y->handle)
		return x->handle < y->handle ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static struct old_slot *old_slots_sorted(const struct slot_val *old,
					 uint32_t nold)
{
	struct old_slot *o = calloc(nold ? nold : 1, sizeof(*o));
	uint32_t i;

	if (!o)
		return NULL;
	for (i = 0; i < nold; i++)
		o[i] = (struct old_slot){ old[i].handle, i };
	qsort(o, nold, sizeof(*o), old_slot_cmp);
	return o;
}

/*
 * The replaced program as carry_values() reads it: its slots, sorted
 * by handle, and its counters' sums now.
 */
struct old_prog {
	struct slot_val *v;
	struct old_slot *sorted;
	uint64_t *pkts, *bytes;
	uint32_t n;
};

static void old_prog_free(struct old_prog *o)
{
	free(o->v);
	free(o->sorted);
	free(o->pkts);
	free(o->bytes);
}

static int old_prog_read(const struct carry *cy, struct old_prog *o)
{
	int err = 0;

	memset(o, 0, sizeof(*o));
	if (cy->old_slots >= 0) {
		err = slots_read(cy->old_slots, &o->v, &o->n);
		if (!err)
			err = counters_sum(cy->old_ctr, o->n, &o->pkts,
					   &o->bytes);
		if (err) {
			old_prog_free(o);
			return err;
		}
	}
	o->sorted = old_slots_sorted(o->v, o->n);
	if (!o->sorted) {
		old_prog_free(o);
		return -ENOMEM;
	}
	return 0;
}

/* The count of @handle in the replaced program: carry + counter now. */
static bool old_count(const struct old_prog *o, uint64_t handle,
		      uint64_t *pkts, uint64_t *bytes)
{
	const struct old_slot *sorted = o->sorted;
	uint32_t nold = o->n;
	size_t lo = 0, hi = nold;
	uint32_t i;

	/* the first slot of @handle (a handle has one slot per program) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sorted[mid].handle < handle)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= nold || sorted[lo].handle != handle)
		return false;
	i = sorted[lo].idx;
	*pkts = o->pkts[i] + o->v[i].pkts;
	*bytes = o->bytes[i] + o->v[i].bytes;
	return true;
}

/*
 * The carry of each new slot: what the replaced program counted for the
 * rule at this hook; nf_tables' counters for what this change set
 * (-Z, --counters, a replaced rule) and for what no program counted
 * (a table coming from nf_tables); zero for a rule that another hook's
 * program counts (a user chain newly reached from here).
 */
static int carry_values(const struct ipb_table *t, struct carry *cy,
			struct sync_ctx *sc, struct slot_val *out)
{
	const struct ipb_compiled *cp = &cy->cp;
	struct old_prog old;
	uint32_t i;
	int err;

	err = old_prog_read(cy, &old);
	if (err)
		return err;
	for (i = 0; i < cp->nslots; i++) {
		const struct xt_counters *ctr = NULL;
		uint64_t h = cp->slots[i];
		ssize_t pos;

		out[i] = (struct slot_val){ .handle = h };
		if (h == IPB_SLOT_POLICY) {
			if (sc->zero_policy & (1U << cy->base_idx))
				ctr = &cy->base->nft_counters;
			else if (!old_count(&old, h, &out[i].pkts,
					    &out[i].bytes))
				ctr = &cy->base->counters;
		} else if ((pos = rule_pos(&sc->ix, h)) < 0) {
			continue;
		} else if (is_reset(sc, h)) {
			/* a user chain in two hooks: the count goes to one */
			if (!sc->ix.given[pos]) {
				ctr = &sc->ix.r[pos]->nft_counters;
				sc->ix.given[pos] = true;
			}
		} else if (!old_count(&old, h, &out[i].pkts, &out[i].bytes) &&
			   !tally_has(&sc->counted, h)) {
			ctr = &sc->ix.r[pos]->counters;
		}
		if (ctr) {
			out[i].pkts = ctr->pcnt;
			out[i].bytes = ctr->bcnt;
		}
	}
	old_prog_free(&old);
	return 0;
}

static int slots_write(int fd, const struct slot_val *v, uint32_t n)
{
	return bpfgen_array_write(fd, n, v, sizeof(*v));
}

static int slots_map(struct carry *cy, const struct ipb_table *t,
		     struct sync_ctx *sc)
{
	LIBBPF_OPTS(bpf_map_create_opts, slots_opts,
		    .map_flags = BPF_F_MMAPABLE);
	struct slot_val *v;
	int fd, err;

	v = calloc(cy->cp.nslots ? cy->cp.nslots : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	err = carry_values(t, cy, sc, v);
	if (err) {
		free(v);
		return err;
	}
	/* mmapable: read and written without a call per slot (mapio.c) */
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ipb_slots", sizeof(uint32_t),
			    sizeof(*v), cy->cp.nslots, &slots_opts);
	if (fd < 0)
		err = -errno;
	else
		err = slots_write(fd, v, cy->cp.nslots);
	free(v);
	if (err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	cy->slots = fd;
	return 0;
}

/*
 * Wait until no packet runs a replaced program any more.  A netfilter
 * hook runs its BPF program inside an RCU read-side section (nf_hook()),
 * so after the prog array slot changed, one grace period does it:
 * membarrier(MEMBARRIER_CMD_GLOBAL) is synchronize_rcu() (kernel/sched/
 * membarrier.c).  It refuses nohz_full kernels; sleep there instead.
 */
static void quiesce(void)
{
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) < 0)
		usleep(50 * 1000);
}

/*
 * After the swap and quiesce(): the replaced program's counters are
 * final; carry them into the new program's slots (its own counters
 * started from zero, so nothing is counted twice or lost).
 */
static int carry_finish(const struct ipb_table *t, struct carry *cy,
			struct sync_ctx *sc)
{
	struct slot_val *v;
	int err;

	if (cy->old_slots < 0 || cy->slots < 0)
		return 0;
	v = calloc(cy->cp.nslots ? cy->cp.nslots : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	err = carry_values(t, cy, sc, v);
	if (!err)
		err = slots_write(cy->slots, v, cy->cp.nslots);
	free(v);
	return err;
}

/*
 * Rule state (limit, statistic) lives in a map keyed by rule handle
 * that each program hands to the next (bpfgen/state.c), so a rule keeps
 * its state across changes to other rules, as in nf_tables.  One map
 * serves all the hooks of the table: a user chain's limit reached from
 * INPUT and from FORWARD is one bucket, as in nf_tables.  @sc->state_fd
 * is that map: the one some hook of the table pins, else the first new
 * program's.
 */
static void state_carry(const struct ipb_table *t, struct sync_ctx *sc,
			struct bpfgen_prog *prog)
{
	struct bpfgen_hook_spec spec;
	unsigned int i;

	for (i = 0; sc->state_fd < 0 && i < t->def->nchains; i++) {
		hook_spec(&spec, t, &t->def->chains[i]);
		bpfgen_hook_state_open(&spec, &sc->state_fd);
	}
	if (sc->state_fd >= 0)
		bpfgen_prog_set_state(prog, sc->state_fd);
}

/* After the load: the map @prog made if the table had none. */
static int state_keep(const struct bpfgen_hook_spec *spec,
		      struct sync_ctx *sc, const struct bpfgen_prog *prog)
{
	int fd = bpfgen_prog_state_fd(prog);

	if (fd >= 0 && sc->state_fd < 0) {
		sc->state_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (sc->state_fd < 0)
			return -errno;
	}
	/* -1 drops a pin left from an earlier program with state */
	return bpfgen_hook_state_pin(spec, fd);
}

/* The state of rules that no program of the table uses goes. */
static int state_prune(const struct sync_ctx *sc, const struct carry *cy,
		       unsigned int n)
{
	const struct bpfgen_prog *progs[IPB_MAX_BUILTIN_CHAINS];
	unsigned int k;

	for (k = 0; k < n; k++)
		progs[k] = cy[k].cp.prog;
	return bpfgen_state_prune(sc->state_fd, progs, n);
}

/* Installs @cy's program, compiled by into_bpf(). */
static int install_chain(const struct ipb_table *t, struct carry *cy,
			 struct sync_ctx *sc, struct ipb_why *why)
{
	const struct ipb_chain *base = cy->base;
	struct bpfgen_hook_spec spec;
	int prog_fd = -1, err;
	char name[32], log[4096] = "";

	if (getenv("IPB_DUMP_INSNS"))
		bpfgen_prog_dump(cy->cp.prog, stderr);
	prog_name(name, sizeof(name), t, base);
	hook_spec(&spec, t, base->builtin);
	state_carry(t, sc, cy->cp.prog);
	err = bpfgen_prog_load(cy->cp.prog, name, &prog_fd, log, sizeof(log));
	ipb_log_stage("install: load");
	if (err) {
		snprintf(why->chain, sizeof(why->chain), "%s", base->name);
		why->rulenum = 0;
		snprintf(why->reason, sizeof(why->reason),
			 "the verifier refused the program: %s", strerror(-err));
		pr_info("prog '%s': verifier log BEGIN\n%s\nverifier log END\n",
			name, log);
		return err;
	}
	/* the program being replaced, if any, for its counters */
	if (bpfgen_hook_slots_open(&spec, &cy->old_slots) ||
	    bpfgen_hook_counters_open(&spec, &cy->old_ctr)) {
		if (cy->old_slots >= 0)
			close(cy->old_slots);
		cy->old_slots = -1;
	}
	err = slots_map(cy, t, sc);
	ipb_log_stage("install: slots, carry");
	if (!err)
		err = bpfgen_hook_install(&spec, prog_fd,
					  bpfgen_prog_counters_fd(cy->cp.prog));
	if (!err)
		err = bpfgen_hook_slots_pin(&spec, cy->slots);
	if (!err)
		err = state_keep(&spec, sc, cy->cp.prog);
	ipb_log_stage("install: swap, pins");
	if (err) {
		snprintf(why->chain, sizeof(why->chain), "%s", base->name);
		why->rulenum = 0;
		snprintf(why->reason, sizeof(why->reason),
			 "attaching the program failed: %s", strerror(-err));
	}
	close(prog_fd);
	return err;
}

static int set_dormant(struct ipb_nl *nl, const struct ipb_table *t,
		       bool dormant)
{
	struct ipb_batch *b = NULL;
	struct nftnl_table *nt;
	uint32_t genid;
	int err;

	err = ipb_nl_genid(nl, &genid);
	if (!err)
		err = ipb_batch_new(&b, nl, genid);
	if (err)
		return err;
	nt = nftnl_table_alloc();
	if (!nt) {
		ipb_batch_free(b);
		return -ENOMEM;
	}
	nftnl_table_set_u32(nt, NFTNL_TABLE_FAMILY, t->family);
	nftnl_table_set_str(nt, NFTNL_TABLE_NAME, t->def->name);
	nftnl_table_set_u32(nt, NFTNL_TABLE_FLAGS,
			    dormant ? NFT_TABLE_F_DORMANT : 0);
	err = ipb_batch_add_table(b, NFT_MSG_NEWTABLE, 0, nt, 0);
	nftnl_table_free(nt);
	if (!err)
		err = ipb_batch_commit(b, NULL, NULL);
	ipb_batch_free(b);
	return err;
}

/* Detaches every program of the table at hooks it has no base chain for
 * (@keep_base false: at every hook). */
static void remove_hooks(const struct ipb_table *t, bool keep_base)
{
	const struct ipb_builtin_table *def = t->def;
	struct bpfgen_hook_spec spec;
	unsigned int i;

	for (i = 0; i < def->nchains; i++) {
		const struct ipb_chain *c =
			ipb_table_find_chain(t, def->chains[i].name);

		if (keep_base && c && c->in_kernel)
			continue;
		hook_spec(&spec, t, &def->chains[i]);
		bpfgen_hook_remove(&spec);
	}
}

/* Rules and policies of @tbl (read with the programs' counters) take
 * those counters in nf_tables, in @tx's batch. */
static int counters_to_nft(struct ipb_txn *tx, struct ipb_table *tbl)
{
	struct ipb_error e = { 0 };
	struct ipb_rule *r, *next, *n;
	struct ipb_chain *c;
	int err = 0;

	for (c = tbl->chains; !err && c; c = c->next) {
		if (c->builtin && c->in_kernel &&
		    memcmp(&c->counters, &c->nft_counters,
			   sizeof(c->counters))) {
			uint64_t ctr[2] = { c->counters.pcnt,
					    c->counters.bcnt };

			err = ipb_txn_set_policy(tx, tbl, c, c->policy, ctr);
		}
		for (r = c->rules; !err && r; r = next) {
			next = r->next;
			if (!memcmp(&r->counters, &r->nft_counters,
				    sizeof(r->counters)))
				continue;
			err = ipb_rule_clone(&n, r);
			if (err)
				break;
			err = ipb_txn_replace_rule(tx, tbl, c, r, n, &e);
			if (err)
				ipb_rule_free(n);
		}
	}
	return err;
}

/*
 * BPF → nf_tables.  nf_tables' counters stood still while the table was
 * dormant: the batch that makes it active also hands it what the
 * programs counted, so that the counters go on as iptables-nft's would.
 * (What the programs count between the read and the commit is lost.)
 */
static int hand_over(struct ipb_nl *nl, const struct ipb_table *t)
{
	struct ipb_error e = { 0 };
	struct ipb_txn *tx = NULL;
	struct ipb_table *tbl = NULL;
	int err = -ERESTART, tries;

	for (tries = 0; err == -ERESTART && tries < 8; tries++) {
		ipb_txn_free(tx);
		tx = NULL;
		err = ipb_txn_new(&tx, nl, t->family);
		if (!err)
			err = ipb_txn_table(tx, t->def->name, &tbl);
		if (!err)
			err = ipb_table_counters(tbl);
		/* the kernel wants the flags before any chain update */
		if (!err)
			err = ipb_txn_set_table_flags(tx, tbl, 0);
		if (!err)
			err = counters_to_nft(tx, tbl);
		if (!err)
			err = ipb_txn_commit(tx, &e);
	}
	ipb_txn_free(tx);
	if (!err)
		return 0;
	/* the counters could not follow: the table must run all the same */
	pr_info("table `%s': counters not handed to nf_tables: %s\n",
		t->def->name, strerror(-err));
	return set_dormant(nl, t, false);
}

/* nf_tables takes over: active first, then detach. */
static int fall_back(struct ipb_nl *nl, const struct ipb_table *t)
{
	int err = 0;

	/* rules iptables did not write are never rewritten */
	ipb_fault_point("before-handover");
	if (t->in_kernel && (t->flags & NFT_TABLE_F_DORMANT))
		err = t->incompatible ? set_dormant(nl, t, false) :
					hand_over(nl, t);
	if (!err)
		remove_hooks(t, false);
	return err;
}

bool ipb_bpf_table_is_default(const struct ipb_table *t)
{
	const struct ipb_chain *c;

	for (c = t->chains; c; c = c->next)
		if (c->rules || (!c->builtin && c->in_kernel) ||
		    c->policy != NF_ACCEPT)
			return false;
	return true;
}

static int into_bpf(struct ipb_nl *nl, struct ipb_table *t,
		    struct sync_ctx *sc, struct ipb_why *why)
{
	struct carry cy[IPB_MAX_BUILTIN_CHAINS];
	const struct ipb_chain *c;
	unsigned int i = 0, n = 0, k;
	bool replaced = false;
	int err;

	/* every program compiles before any is installed: a rule BPF
	 * cannot run leaves the table whole on nf_tables */
	err = table_refused(t, why);
	for (c = t->chains; !err && c; c = c->next, i++) {
		if (!c->builtin || !c->in_kernel)
			continue;
		cy[n] = (struct carry){ .old_slots = -1, .old_ctr = -1,
					.slots = -1, .base = c, .base_idx = i };
		err = ipb_compile_chain(t, c, &cy[n++].cp, why);
	}
	ipb_log_stage("sync: compile");
	if (!err)
		err = collect_counted(t, &sc->counted);
	if (!err)
		err = rule_index_build(&sc->ix, t);
	ipb_log_stage("sync: collect, index");
	for (k = 0; !err && k < n; k++) {
		err = install_chain(t, &cy[k], sc, why);
		replaced |= cy[k].old_slots >= 0;
		ipb_fault_point("after-swap");
	}
	/* a lost prune keeps stale state, never changes a verdict */
	if (!err && state_prune(sc, cy, n))
		pr_warn("table `%s': state of deleted rules not freed\n",
			t->def->name);
	if (!err) {
		remove_hooks(t, true);
		ipb_fault_point("before-dormant");
		if (!(t->flags & NFT_TABLE_F_DORMANT))
			err = set_dormant(nl, t, true);
	}
	ipb_log_stage("sync: remove hooks, dormant");
	if (!err && replaced) {
		/*
		 * One grace period for all the table's swaps, then the
		 * replaced programs' final counts.  Without a replaced
		 * program there is nothing to wait for: the new programs
		 * count from their carry.
		 */
		quiesce();
		ipb_log_stage("sync: quiesce");
		ipb_fault_point("before-carry");
		/* the same hooks take the reset rules' counts again */
		memset(sc->ix.given, 0, sc->ix.n * sizeof(*sc->ix.given));
		for (k = 0; k < n; k++)
			/* a lost carry costs counts, never a verdict */
			if (carry_finish(t, &cy[k], sc))
				pr_warn("table `%s': counters of chain %s not carried over\n",
					t->def->name, cy[k].base->name);
	}
	ipb_log_stage("sync: carry finish");
	for (k = 0; k < n; k++)
		carry_release(&cy[k]);
	ipb_log_stage("sync: release");
	return err;
}

int ipb_bpf_sync(struct ipb_nl *nl, uint8_t family,
		 const struct ipb_builtin_table *def, enum ipb_bpf_mode mode,
		 uint32_t zero_policy, const uint64_t *reset, size_t nreset,
		 struct ipb_table *snap, struct ipb_why *why)
{
	struct sync_ctx sc = { .zero_policy = zero_policy, .reset = reset,
			       .nreset = nreset, .state_fd = -1 };
	struct ipb_table *t = NULL;
	int err;

	while (ipb_builtin_table_at(sc.table_idx) != def)
		sc.table_idx++;

	/* the read carries the old programs' counters over (cache.c) */
	err = snap ? 0 : ipb_table_fetch(&t, nl, family, def);
	if (snap)
		t = snap;
	ipb_log_stage(snap ? "sync: table from the commit" :
			     "sync: table read back");
	if (err)
		return err;

	if (mode == IPB_BPF_OFF || !t->in_kernel ||
	    ipb_bpf_table_is_default(t)) {
		err = fall_back(nl, t);
	} else if (t->incompatible) {
		snprintf(why->chain, sizeof(why->chain), "-");
		why->rulenum = 0;
		snprintf(why->reason, sizeof(why->reason),
			 "the table holds rules iptables did not write");
		err = fall_back(nl, t);
		err = err ? err : -EOPNOTSUPP;
	} else {
		err = into_bpf(nl, t, &sc, why);
		if (err) {
			int err2 = fall_back(nl, t);

			err = err2 ? err2 : err;
		}
	}
	free(sc.counted.e);
	if (sc.state_fd >= 0)
		close(sc.state_fd);
	rule_index_free(&sc.ix);
	ipb_table_free(t);
	return err;
}
