// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the pins live.
 *
 * A BPF link lives as long as an fd or a pin holds it; the command exits
 * right after installing, so everything that must keep filtering is
 * pinned in a bpffs:
 *
 *   <root>/                          IPTABLES_BPF_PIN_ROOT, default
 *   |                                /run/iptables-bpf (bpffs)
 *   `-- netns-<cookie>/              network namespace, by SO_NETNS_COOKIE
 *       `-- <ip|ip6>/                family
 *           `-- <table>/             "filter", ...
 *               |-- pending/         (empty directory) a change of the
 *               |                    table has begun and its BPF side
 *               |                    is not done yet
 *               `-- <hook>/          prerouting, input, forward, output,
 *                   |                postrouting
 *                   |-- link         BPF_NETFILTER link of the dispatcher
 *                   |-- dispatcher   the dispatcher program
 *                   |-- progs        PROG_ARRAY, slot 0 = ruleset program
 *                   |-- prog         the ruleset program in slot 0
 *                   `-- counters     its PERCPU_ARRAY of rule counters
 *
 * Only "link" keeps the hook attached; "progs" keeps the ruleset
 * reachable from the dispatcher; "prog" and "counters" are there for
 * listing and for reading counters.
 *
 * Why the netns cookie: pins are per host (the bpffs is in the host's
 * mount namespace, so `ip netns exec` sees it), hooks are per network
 * namespace, and a namespace has no name of its own (ip netns names are
 * only bind mounts).  The cookie (getsockopt(SO_NETNS_COOKIE), Linux
 * 5.14) is unique per namespace for the whole boot and never reused, so
 * a new namespace never inherits a dead one's pins.  The inode number of
 * /proc/self/ns/net can be reused.  Pins of a namespace that is gone
 * stay until removed (its hooks went with it).
 *
 * "pending": a change is an nf_tables commit, then one program swap per
 * hook, then the dormant flag; a command killed half-way leaves the
 * listing, the programs and the flag disagreeing.  The command makes
 * the mark before its commit and removes it when the table's BPF side
 * is done, all under its lock; the next command that takes the lock
 * and finds the mark syncs the table again, whatever it changes itself.
 *
 * Why not /sys/fs/bpf: it is not mounted on these machines, and
 * `ip netns exec` remounts /sys privately, so a pin made there would
 * die with the command.  A bpffs under /run mounted in the host's mount
 * namespace is visible from `ip netns exec` and outlives the command.
 * If the root is not a bpffs we mount one, but only in the initial
 * mount namespace: a mount made inside `ip netns exec` would vanish
 * with the command and take the firewall with it, so there we refuse
 * with -EXDEV.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/magic.h>
#include <linux/netfilter.h>

#include "bpfgen/internal.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

#define DEFAULT_PIN_ROOT "/run/iptables-bpf"

static const char *const hook_names[] = {
	[NF_INET_PRE_ROUTING] = "prerouting",
	[NF_INET_LOCAL_IN] = "input",
	[NF_INET_FORWARD] = "forward",
	[NF_INET_LOCAL_OUT] = "output",
	[NF_INET_POST_ROUTING] = "postrouting",
};

const char *bpfgen_pin_root(void)
{
	const char *root = getenv("IPTABLES_BPF_PIN_ROOT");

	return root && *root ? root : DEFAULT_PIN_ROOT;
}

int bpfgen_netns_cookie(uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);
	int fd, err = 0;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len))
		err = -errno;
	close(fd);
	return err;
}

static bool is_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == BPF_FS_MAGIC;
}

/* Are we in the mount namespace of PID 1? */
static bool in_init_mntns(void)
{
	struct stat self, init;

	if (stat("/proc/self/ns/mnt", &self) || stat("/proc/1/ns/mnt", &init))
		return false;
	return self.st_ino == init.st_ino && self.st_dev == init.st_dev;
}

static int mkdir_one(const char *path)
{
	if (mkdir(path, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

static int ensure_root(const char *root, bool create)
{
	int err;

	if (is_bpffs(root))
		return 0;
	if (!create)
		return -ENOENT;
	if (!in_init_mntns())
		return -EXDEV;
	err = mkdir_one(root);
	if (err)
		return err;
	if (mount("bpf", root, "bpf", 0, "mode=0700"))
		return -errno;
	return 0;
}

/*
 * The directory of @spec's hook (@depth 4), table (3), family (2) or
 * namespace (1).  @create makes the missing ones, and the root: with
 * @create_root false, a missing root is -ENOENT.
 */
static int pin_dir(const struct bpfgen_hook_spec *spec, int depth, char *buf,
		   size_t sz, bool create, bool create_root)
{
	const char *root = getenv("IPTABLES_BPF_PIN_ROOT");
	const char *fam, *parts[4];
	uint64_t cookie;
	size_t len = 0;
	char ns[32];
	int err, i, n;

	if (!root || !*root)
		root = DEFAULT_PIN_ROOT;
	if (spec->family != NFPROTO_IPV4 && spec->family != NFPROTO_IPV6)
		return -EAFNOSUPPORT;
	if (spec->hook < 0 || spec->hook >= (int)ARRAY_SIZE(hook_names) ||
	    !spec->table || !*spec->table || strchr(spec->table, '/') ||
	    spec->table[0] == '.')
		return -EINVAL;
	err = ensure_root(root, create_root);
	if (err)
		return err;
	err = bpfgen_netns_cookie(&cookie);
	if (err)
		return err;
	snprintf(ns, sizeof(ns), "netns-%llu", (unsigned long long)cookie);
	fam = spec->family == NFPROTO_IPV4 ? "ip" : "ip6";
	parts[0] = ns;
	parts[1] = fam;
	parts[2] = spec->table;
	parts[3] = hook_names[spec->hook];
	n = snprintf(buf, sz, "%s", root);
	for (i = 0; i < depth && n >= 0 && (size_t)n < sz; i++) {
		len = n;
		if (create && i) {
			err = mkdir_one(buf);
			if (err)
				return err;
		}
		n = snprintf(buf + len, sz - len, "/%s", parts[i]);
		n = n < 0 ? n : n + (int)len;
	}
	if (n < 0 || (size_t)n >= sz)
		return -ENAMETOOLONG;
	if (create)
		return mkdir_one(buf);
	return access(buf, F_OK) ? -errno : 0;
}

int bpfgen_pin_hook_dir(const struct bpfgen_hook_spec *spec, char *buf,
			size_t sz, bool create)
{
	return pin_dir(spec, 4, buf, sz, create, create);
}

static int pending_path(int family, const char *table, char *buf, size_t sz,
			bool create, bool create_root)
{
	struct bpfgen_hook_spec spec = { .family = family, .table = table };
	size_t len;
	int err;

	err = pin_dir(&spec, 3, buf, sz, create, create_root);
	if (err)
		return err;
	len = strlen(buf);
	if (len + sizeof("/pending") > sz)
		return -ENAMETOOLONG;
	strcpy(buf + len, "/pending");
	return 0;
}

int bpfgen_pin_pending_set(int family, const char *table, bool create_root)
{
	char path[PATH_MAX];
	int err;

	err = pending_path(family, table, path, sizeof(path), true,
			   create_root);
	return err ? err : mkdir_one(path);
}

bool bpfgen_pin_pending_is_set(int family, const char *table)
{
	char path[PATH_MAX];

	return !pending_path(family, table, path, sizeof(path), false,
			     false) &&
	       !access(path, F_OK);
}

void bpfgen_pin_pending_clear(int family, const char *table)
{
	char path[PATH_MAX];
	char *slash;
	int i;

	if (pending_path(family, table, path, sizeof(path), false, false))
		return;
	/* the mark, then the table, family and namespace if now empty */
	for (i = 0; i < 4; i++) {
		if (rmdir(path))
			return;
		slash = strrchr(path, '/');
		if (!slash)
			return;
		*slash = '\0';
	}
}

int bpfgen_hook_pin_dir(const struct bpfgen_hook_spec *spec, char *buf,
			size_t sz)
{
	return bpfgen_pin_hook_dir(spec, buf, sz, false);
}
