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
#include <unistd.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <bpf/bpf.h>
#include <libnftnl/table.h>

#include "bpfgen/bpfgen.h"
#include "iptables-bpf/bpf_sync.h"
#include "iptables-bpf/cache.h"
#include "iptables-bpf/compile.h"
#include "iptables-bpf/log.h"
#include "iptables-bpf/nl.h"
#include "iptables-bpf/rule.h"
#include "iptables-bpf/tables.h"
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
	return fd;
}

static void hook_spec(struct bpfgen_hook_spec *spec, const struct ipb_table *t,
		      const struct ipb_builtin_chain *bc)
{
	memset(spec, 0, sizeof(*spec));
	spec->family = t->family;
	spec->table = t->def->name;
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
	/* nf_tables sees reassembled packets only where conntrack (and its
	 * defragmentation) runs; the BPF programs ask for the same */
	spec->defrag = false;
}

bool ipb_bpf_table_active(const struct ipb_table *t)
{
	return t->in_kernel && (t->flags & NFT_TABLE_F_DORMANT);
}

/* ---- counters ------------------------------------------------------- */

static struct ipb_rule *rule_by_handle(const struct ipb_table *t, uint64_t h,
				       const struct ipb_chain **chain)
{
	const struct ipb_chain *c;
	struct ipb_rule *r;

	for (c = t->chains; c; c = c->next)
		for (r = c->rules; r; r = r->next)
			if (r->handle == h) {
				*chain = c;
				return r;
			}
	return NULL;
}

/* What the programs counted, by rule handle. */
struct tally {
	struct tally_entry {
		uint64_t handle, pkts, bytes;
	} *e;
	size_t n, cap;
};

static int tally_add(struct tally *t, uint64_t handle, uint64_t pkts,
		     uint64_t bytes)
{
	size_t i;

	/* a user chain reached from several hooks counts in each */
	for (i = 0; i < t->n; i++)
		if (t->e[i].handle == handle) {
			t->e[i].pkts += pkts;
			t->e[i].bytes += bytes;
			return 0;
		}
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

/* One hook's slots into @tally, its policy into @base. */
static int read_hook(struct tally *tally, struct ipb_chain *base,
		     const struct bpfgen_hook_spec *spec)
{
	int slots_fd = -1, ctr_fd = -1, err;
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info), i, nslots;

	err = bpfgen_hook_slots_open(spec, &slots_fd);
	if (!err)
		err = bpfgen_hook_counters_open(spec, &ctr_fd);
	if (!err && bpf_obj_get_info_by_fd(slots_fd, &info, &len))
		err = -errno;
	nslots = err ? 0 : info.max_entries;
	for (i = 0; !err && i < nslots; i++) {
		uint64_t handle, pkts, bytes;

		if (bpf_map_lookup_elem(slots_fd, &i, &handle)) {
			err = -errno;
			break;
		}
		err = bpfgen_counters_read(ctr_fd, i, &pkts, &bytes);
		if (err)
			break;
		if (handle == IPB_SLOT_POLICY) {
			base->counters.pcnt = pkts;
			base->counters.bcnt = bytes;
		} else {
			err = tally_add(tally, handle, pkts, bytes);
		}
	}
	if (slots_fd >= 0)
		close(slots_fd);
	if (ctr_fd >= 0)
		close(ctr_fd);
	return err;
}

int ipb_bpf_counters_overlay(struct ipb_table *t)
{
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
	for (c = t->chains; !err && c; c = c->next)
		for (r = c->rules; r; r = r->next)
			for (i = 0; i < tally.n; i++)
				if (tally.e[i].handle == r->handle) {
					r->counters.pcnt = tally.e[i].pkts;
					r->counters.bcnt = tally.e[i].bytes;
					break;
				}
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

static int slots_map(const struct ipb_compiled *cp, int *out)
{
	uint32_t i;
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ipb_slots", sizeof(uint32_t),
			    sizeof(uint64_t), cp->nslots, NULL);
	if (fd < 0)
		return -errno;
	for (i = 0; i < cp->nslots; i++)
		if (bpf_map_update_elem(fd, &i, &cp->slots[i], BPF_ANY)) {
			int err = -errno;

			close(fd);
			return err;
		}
	*out = fd;
	return 0;
}

/* Starting values: what the rule (or policy) counts now. */
/* What a sync carries over, and what it must not. */
struct sync_ctx {
	uint32_t zero_policy;
	const uint64_t *reset;
	size_t nreset;
	unsigned int table_idx;
};

static bool is_reset(const struct sync_ctx *sc, uint64_t handle)
{
	uint64_t key = (uint64_t)sc->table_idx << 56 | handle;
	size_t i;

	for (i = 0; i < sc->nreset; i++)
		if (sc->reset[i] == key)
			return true;
	return false;
}

static int fill_counters(const struct ipb_table *t,
			 const struct ipb_chain *base,
			 const struct ipb_compiled *cp, int ctr_fd,
			 const struct sync_ctx *sc, unsigned int base_idx)
{
	const struct ipb_chain *c;
	const struct ipb_rule *r;
	uint32_t i;
	int err;

	for (i = 0; i < cp->nslots; i++) {
		uint64_t pkts = 0, bytes = 0;

		if (cp->slots[i] == IPB_SLOT_POLICY) {
			/* set by this change (-Z, --counters): nf_tables'
			 * value; else what the old program counted */
			const struct xt_counters *ctr =
				sc->zero_policy & (1U << base_idx) ?
					&base->nft_counters :
					&base->counters;

			pkts = ctr->pcnt;
			bytes = ctr->bcnt;
		} else {
			r = rule_by_handle(t, cp->slots[i], &c);
			if (r) {
				const struct xt_counters *ctr =
					is_reset(sc, r->handle) ?
						&r->nft_counters :
						&r->counters;

				pkts = ctr->pcnt;
				bytes = ctr->bcnt;
			}
		}
		if (!pkts && !bytes)
			continue;
		err = bpfgen_counters_write(ctr_fd, i, pkts, bytes);
		if (err)
			return err;
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

static int install_chain(const struct ipb_table *t, const struct ipb_chain *base,
			 const struct sync_ctx *sc, unsigned int base_idx,
			 struct ipb_why *why)
{
	struct bpfgen_hook_spec spec;
	struct ipb_compiled cp;
	int prog_fd = -1, slots_fd = -1, ctr_fd, err;
	char name[32], log[4096] = "";

	err = ipb_compile_chain(t, base, &cp, why);
	if (err)
		return err;
	if (getenv("IPB_DUMP_INSNS"))
		bpfgen_prog_dump(cp.prog, stderr);
	prog_name(name, sizeof(name), t, base);
	err = bpfgen_prog_load(cp.prog, name, &prog_fd, log, sizeof(log));
	if (err) {
		snprintf(why->chain, sizeof(why->chain), "%s", base->name);
		why->rulenum = 0;
		snprintf(why->reason, sizeof(why->reason),
			 "the verifier refused the program: %s", strerror(-err));
		pr_info("prog '%s': verifier log BEGIN\n%s\nverifier log END\n",
			name, log);
		goto out;
	}
	ctr_fd = bpfgen_prog_counters_fd(cp.prog);
	err = fill_counters(t, base, &cp, ctr_fd, sc, base_idx);
	if (!err)
		err = slots_map(&cp, &slots_fd);
	hook_spec(&spec, t, base->builtin);
	if (!err)
		err = bpfgen_hook_install(&spec, prog_fd, ctr_fd);
	if (!err)
		err = bpfgen_hook_slots_pin(&spec, slots_fd);
	if (err) {
		snprintf(why->chain, sizeof(why->chain), "%s", base->name);
		why->rulenum = 0;
		snprintf(why->reason, sizeof(why->reason),
			 "attaching the program failed: %s", strerror(-err));
	}
out:
	if (prog_fd >= 0)
		close(prog_fd);
	if (slots_fd >= 0)
		close(slots_fd);
	ipb_compiled_release(&cp);
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

/* nf_tables takes over: active first, then detach. */
static int fall_back(struct ipb_nl *nl, const struct ipb_table *t)
{
	int err = 0;

	if (t->in_kernel && (t->flags & NFT_TABLE_F_DORMANT))
		err = set_dormant(nl, t, false);
	if (!err)
		remove_hooks(t, false);
	return err;
}

/* Nothing to run: no rule, no user chain, every policy ACCEPT. */
static bool table_is_default(const struct ipb_table *t)
{
	const struct ipb_chain *c;

	for (c = t->chains; c; c = c->next)
		if (c->rules || (!c->builtin && c->in_kernel) ||
		    c->policy != NF_ACCEPT)
			return false;
	return true;
}

static int into_bpf(struct ipb_nl *nl, struct ipb_table *t,
		    const struct sync_ctx *sc, struct ipb_why *why)
{
	const struct ipb_chain *c;
	unsigned int i = 0;
	int err;

	/* install_chain() compiles each chain, and stops at the first that
	 * cannot run in BPF before anything is attached for it */
	err = table_refused(t, why);
	if (err)
		return err;
	for (c = t->chains; c; c = c->next, i++) {
		if (!c->builtin || !c->in_kernel)
			continue;
		err = install_chain(t, c, sc, i, why);
		if (err)
			return err;
	}
	remove_hooks(t, true);
	if (!(t->flags & NFT_TABLE_F_DORMANT))
		err = set_dormant(nl, t, true);
	return err;
}

int ipb_bpf_sync(struct ipb_nl *nl, uint8_t family,
		 const struct ipb_builtin_table *def, enum ipb_bpf_mode mode,
		 uint32_t zero_policy, const uint64_t *reset, size_t nreset,
		 struct ipb_why *why)
{
	struct sync_ctx sc = { .zero_policy = zero_policy, .reset = reset,
			       .nreset = nreset };
	struct ipb_table *t = NULL;
	int err;

	while (ipb_builtin_table_at(sc.table_idx) != def)
		sc.table_idx++;

	/* the read carries the old programs' counters over (cache.c) */
	err = ipb_table_fetch(&t, nl, family, def);
	if (err)
		return err;

	if (mode == IPB_BPF_OFF || !t->in_kernel || table_is_default(t)) {
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
	ipb_table_free(t);
	return err;
}
