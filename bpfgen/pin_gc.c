// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pins of network namespaces that are gone.
 *
 * A netfilter link holds a reference on its network namespace
 * (net/netfilter/nf_bpf_link.c takes one at attach), and the pins hold
 * the links: `ip netns del` of a namespace whose hooks are pinned does
 * not free it.  The namespace lives on, unreachable, with its devices
 * (the host end of a veth pair stays up) and its hooks, until its pin
 * directory goes.  So "gone" here means: no thread is in it, no open
 * file and no nsfs mount (ip netns names are bind mounts) refers to
 * it, in any mount namespace.  Those are the ways in; a namespace held
 * only by a socket that a process took into another namespace is not
 * seen, and would be taken for gone.
 *
 * The walk reads /proc, so it can see every thread only from the
 * initial PID namespace; elsewhere it refuses (-EPERM) rather than
 * take live namespaces for gone.  Each namespace found is entered
 * (setns(), in a child process) to read its cookie, the key of its pin
 * directory (pin.c).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpfgen/internal.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

/* include/linux/proc_ns.h: the initial namespaces' fixed inodes */
#define PROC_PID_INIT_INO 0xEFFFFFFCU

/* Distinct namespaces found so far: inode, and an fd to enter it by. */
struct ns_found {
	struct ns_one {
		unsigned long ino;
		int fd;
	} *e;
	size_t n, cap;
};

static bool found_has(const struct ns_found *f, unsigned long ino)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->e[i].ino == ino)
			return true;
	return false;
}

/* @path names namespace @ino ("net:[ino]"); keep an fd to it. */
static void found_add(struct ns_found *f, unsigned long ino, const char *path)
{
	size_t i;
	int fd;

	for (i = 0; i < f->n; i++) {
		if (f->e[i].ino != ino)
			continue;
		/* one that could not be opened: another way in may do */
		if (f->e[i].fd < 0)
			f->e[i].fd = open(path, O_RDONLY | O_CLOEXEC);
		return;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 32;
		struct ns_one *e = realloc(f->e, cap * sizeof(*e));

		if (!e)
			return;
		f->e = e;
		f->cap = cap;
	}
	/* kept even if it cannot be opened (-1): see read_cookies() */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	f->e[f->n++] = (struct ns_one){ ino, fd };
}

static void found_free(struct ns_found *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->e[i].fd >= 0)
			close(f->e[i].fd);
	free(f->e);
}

/* "net:[4026531840]" -> 4026531840 */
static bool net_ino(const char *link, unsigned long *ino)
{
	return sscanf(link, "net:[%lu]", ino) == 1;
}

static void scan_link(struct ns_found *f, const char *path)
{
	char target[64];
	unsigned long ino;
	ssize_t len;

	len = readlink(path, target, sizeof(target) - 1);
	if (len <= 0)
		return;
	target[len] = '\0';
	if (net_ino(target, &ino))
		found_add(f, ino, path);
}

/* Every entry of /proc/<pid>/<sub>/, one readlink each. */
static void scan_dir_links(struct ns_found *f, const char *pid,
			   const char *sub, const char *leaf)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%s/%s", pid, sub);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/%s/%s%s", pid, sub,
			 d->d_name, leaf);
		scan_link(f, path);
	}
	closedir(dir);
}

/*
 * nsfs mounts of network namespaces in the mount namespace of @pid
 * (mountinfo: "id parent maj:min root mountpoint ... - fstype ...").
 */
static void scan_mounts(struct ns_found *f, const char *pid)
{
	char path[PATH_MAX], root[64], mnt[PATH_MAX / 2], *line = NULL;
	unsigned long ino;
	size_t cap = 0;
	FILE *in;

	snprintf(path, sizeof(path), "/proc/%s/mountinfo", pid);
	in = fopen(path, "re");
	if (!in)
		return;
	while (getline(&line, &cap, in) > 0) {
		if (!strstr(line, " - nsfs ") ||
		    sscanf(line, "%*s %*s %*s %63s %2047s", root, mnt) != 2 ||
		    !net_ino(root, &ino) || found_has(f, ino))
			continue;
		/* mountinfo escapes blanks as \040: such a name is missed */
		snprintf(path, sizeof(path), "/proc/%s/root%s", pid, mnt);
		found_add(f, ino, path);
	}
	free(line);
	fclose(in);
}

/* Mount namespaces already read, by inode. */
static bool mntns_seen(unsigned long **seen, size_t *n, const char *pid)
{
	char path[PATH_MAX];
	struct stat st;
	unsigned long *s;
	size_t i;

	snprintf(path, sizeof(path), "/proc/%s/ns/mnt", pid);
	if (stat(path, &st))
		return true;
	for (i = 0; i < *n; i++)
		if ((*seen)[i] == st.st_ino)
			return true;
	s = realloc(*seen, (*n + 1) * sizeof(*s));
	if (!s)
		return true;
	s[(*n)++] = st.st_ino;
	*seen = s;
	return false;
}

static int scan_proc(struct ns_found *f)
{
	unsigned long *mnt_seen = NULL;
	size_t nmnt = 0;
	struct dirent *d;
	DIR *proc;

	proc = opendir("/proc");
	if (!proc)
		return -errno;
	while ((d = readdir(proc))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		scan_dir_links(f, d->d_name, "task", "/ns/net");
		scan_dir_links(f, d->d_name, "fd", "");
		if (!mntns_seen(&mnt_seen, &nmnt, d->d_name))
			scan_mounts(f, d->d_name);
	}
	closedir(proc);
	free(mnt_seen);
	return 0;
}

/*
 * The cookie of each namespace in @f, into @cookies (@f->n of them).
 * setns() changes the caller's namespace: a child does it and writes
 * the cookies into a pipe.  A live namespace whose cookie stays unknown
 * (its last way in went while we looked) could be any pinned one:
 * -EAGAIN then, rather than a guess.
 */
static int read_cookies(const struct ns_found *f, uint64_t *cookies)
{
	int fds[2], status, err = 0;
	size_t i, got = 0;
	pid_t pid;

	if (pipe(fds))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (!pid) {
		close(fds[0]);
		for (i = 0; i < f->n; i++) {
			uint64_t c = 0;
			socklen_t len = sizeof(c);
			int s = -1;

			if (f->e[i].fd >= 0 &&
			    !setns(f->e[i].fd, CLONE_NEWNET))
				s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC,
					   0);
			if (s >= 0 && getsockopt(s, SOL_SOCKET,
						 SO_NETNS_COOKIE, &c, &len))
				c = 0;
			if (s >= 0)
				close(s);
			if (write(fds[1], &c, sizeof(c)) != sizeof(c))
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	while (got < f->n * sizeof(*cookies)) {
		ssize_t r = read(fds[0], (char *)cookies + got,
				 f->n * sizeof(*cookies) - got);

		if (r <= 0)
			break;
		got += r;
	}
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) || got != f->n * sizeof(*cookies))
		return -ECHILD;
	for (i = 0; i < f->n; i++)
		if (!cookies[i])
			return -EAGAIN;
	return 0;
}

/* The cookies of the namespace directories under the root. */
static int pinned_cookies(uint64_t **out, size_t *n)
{
	unsigned long long c;
	uint64_t *v = NULL, *nv;
	struct dirent *d;
	DIR *dir;

	*n = 0;
	dir = opendir(bpfgen_pin_root());
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((d = readdir(dir))) {
		if (sscanf(d->d_name, "netns-%llu", &c) != 1)
			continue;
		nv = realloc(v, (*n + 1) * sizeof(*v));
		if (!nv) {
			free(v);
			closedir(dir);
			return -ENOMEM;
		}
		v = nv;
		v[(*n)++] = c;
	}
	closedir(dir);
	*out = v;
	return 0;
}

static bool in_init_pidns(void)
{
	struct stat st;

	return !stat("/proc/self/ns/pid", &st) &&
	       st.st_ino == PROC_PID_INIT_INO;
}

int bpfgen_pin_stale_netns(uint64_t **cookies, size_t *n)
{
	struct ns_found f = { 0 };
	uint64_t *pinned = NULL, *live = NULL, self = 0;
	size_t npinned = 0, i, j, nstale = 0;
	bool others = false;
	int err;

	*cookies = NULL;
	*n = 0;
	err = bpfgen_netns_cookie(&self);
	if (!err)
		err = pinned_cookies(&pinned, &npinned);
	if (err)
		return err;
	/* ours is alive: most calls end here */
	for (i = 0; i < npinned; i++)
		others |= pinned[i] != self;
	if (!others) {
		free(pinned);
		return 0;
	}
	if (!in_init_pidns()) {
		free(pinned);
		return -EPERM;
	}
	err = scan_proc(&f);
	if (!err) {
		live = calloc(f.n ? f.n : 1, sizeof(*live));
		err = live ? read_cookies(&f, live) : -ENOMEM;
	}
	for (i = 0; !err && i < npinned; i++) {
		bool alive = pinned[i] == self;

		for (j = 0; !alive && j < f.n; j++)
			alive = live[j] == pinned[i];
		if (!alive)
			pinned[nstale++] = pinned[i];
	}
	found_free(&f);
	free(live);
	if (err) {
		free(pinned);
		return err;
	}
	*cookies = pinned;
	*n = nstale;
	return 0;
}

/* rm -r, for a pin directory (pins and directories only). */
static int remove_tree(const char *path)
{
	char sub[PATH_MAX];
	struct dirent *d;
	int err = 0;
	DIR *dir;

	dir = opendir(path);
	if (!dir)
		return unlink(path) ? -errno : 0;
	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, d->d_name) >=
		    (int)sizeof(sub)) {
			err = -ENAMETOOLONG;
			continue;
		}
		if (d->d_type == DT_DIR) {
			int e = remove_tree(sub);

			err = err ? err : e;
		} else if (unlink(sub) && !err) {
			err = -errno;
		}
	}
	closedir(dir);
	if (rmdir(path) && !err)
		err = -errno;
	return err;
}

int bpfgen_pin_netns_remove(uint64_t cookie)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/netns-%llu", bpfgen_pin_root(),
		 (unsigned long long)cookie);
	return remove_tree(path);
}
