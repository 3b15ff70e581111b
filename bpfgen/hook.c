// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Install, swap, remove and describe the program at one hook, through
 * the pins described in pin.c and the dispatcher of link.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "bpfgen/internal.h"

static const char *const pin_names[] = {
	"link", "dispatcher", "progs", "prog", "counters",
	"prog_new", "counters_new", "slots", "slots_new", "state",
	"state_new",
};

static int pin_path(char *buf, size_t sz, const char *dir, const char *name)
{
	int n = snprintf(buf, sz, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= sz ? -ENAMETOOLONG : 0;
}

static int obj_get(const char *dir, const char *name, int *fd)
{
	char path[PATH_MAX];
	int err = pin_path(path, sizeof(path), dir, name);

	if (err)
		return err;
	*fd = bpf_obj_get(path);
	return *fd < 0 ? -errno : 0;
}

static int obj_pin(int fd, const char *dir, const char *name)
{
	char path[PATH_MAX];
	int err = pin_path(path, sizeof(path), dir, name);

	if (err)
		return err;
	return bpf_obj_pin(fd, path) ? -errno : 0;
}

static void obj_unpin(const char *dir, const char *name)
{
	char path[PATH_MAX];

	if (!pin_path(path, sizeof(path), dir, name))
		unlink(path);
}

/*
 * Pin @fd as @name, replacing what was there.  Pinned under a temporary
 * name and renamed, so a reader never finds the name missing.  -1
 * removes the pin.  (bpffs refuses names with a '.': hence "_new".)
 */
static int obj_repin(int fd, const char *dir, const char *name,
		     const char *tmp)
{
	char from[PATH_MAX], to[PATH_MAX];
	int err;

	if (fd < 0) {
		obj_unpin(dir, name);
		return 0;
	}
	err = pin_path(from, sizeof(from), dir, tmp);
	if (!err)
		err = pin_path(to, sizeof(to), dir, name);
	if (err)
		return err;
	unlink(from);
	if (bpf_obj_pin(fd, from))
		return -errno;
	if (rename(from, to)) {
		err = -errno;
		unlink(from);
		return err;
	}
	return 0;
}

static void unpin_all(const char *dir)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pin_names); i++)
		obj_unpin(dir, pin_names[i]);
}

/*
 * The dispatcher's prog array and the dispatcher itself through the
 * link, for when their pins were removed by hand: the link holds the
 * dispatcher, the dispatcher holds the array (its only map).
 */
static int dispatcher_from_link(const char *dir, int *prog_fd)
{
	struct bpf_link_info info;
	uint32_t len = sizeof(info);
	int link_fd = -1, err;

	err = obj_get(dir, "link", &link_fd);
	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info_by_fd(link_fd, &info, &len) ? -errno : 0;
	close(link_fd);
	if (err)
		return err;
	*prog_fd = bpf_prog_get_fd_by_id(info.prog_id);
	return *prog_fd < 0 ? -errno : 0;
}

static int progs_from_link(const char *dir, int *array_fd)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info), map_id = 0;
	int disp_fd = -1, err;

	err = dispatcher_from_link(dir, &disp_fd);
	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = 1;
	info.map_ids = (uint64_t)(unsigned long)&map_id;
	err = bpf_obj_get_info_by_fd(disp_fd, &info, &len) ? -errno : 0;
	close(disp_fd);
	if (err)
		return err;
	if (!map_id)
		return -ENOENT;
	*array_fd = bpf_map_get_fd_by_id(map_id);
	return *array_fd < 0 ? -errno : 0;
}

/* The "progs" pin, or the array behind the link if the pin is gone. */
static int progs_open(const char *dir, int *array_fd)
{
	int err = obj_get(dir, "progs", array_fd);

	return err == -ENOENT ? progs_from_link(dir, array_fd) : err;
}

/*
 * The hook's prog array; if its pin was removed by hand, the one behind
 * the link, pinned again, and the dispatcher's pin with it.
 */
static int progs_get_repaired(const char *dir, int *array_fd)
{
	char path[PATH_MAX];
	int fd = -1, err;

	err = obj_get(dir, "progs", array_fd);
	if (err == -ENOENT) {
		err = progs_from_link(dir, array_fd);
		if (!err)
			err = obj_pin(*array_fd, dir, "progs");
	}
	if (!err && !pin_path(path, sizeof(path), dir, "dispatcher") &&
	    access(path, F_OK)) {
		err = dispatcher_from_link(dir, &fd);
		if (!err) {
			err = obj_pin(fd, dir, "dispatcher");
			close(fd);
		}
	}
	if (err && *array_fd >= 0) {
		close(*array_fd);
		*array_fd = -1;
	}
	return err;
}

/*
 * Swap the program in an installed hook's slot: one xchg() in the
 * kernel, so each packet runs the old or the new program.  The pins
 * follow; a reader that opens "prog" or "counters" in between gets the
 * old ones, which hurts nobody.
 */
static int hook_swap(const char *dir, int prog_fd, int counters_fd)
{
	uint32_t key = 0;
	int array_fd = -1, err;

	err = progs_get_repaired(dir, &array_fd);
	if (err)
		return err;
	if (bpf_map_update_elem(array_fd, &key, &prog_fd, BPF_ANY)) {
		err = -errno;
		goto out;
	}
	err = obj_repin(prog_fd, dir, "prog", "prog_new");
	if (!err)
		err = obj_repin(counters_fd, dir, "counters", "counters_new");
out:
	close(array_fd);
	return err;
}

/*
 * First install: fill the slot, load the dispatcher, pin, then attach
 * and pin the link last, so a failure leaves nothing attached.
 */
static int hook_create(const struct bpfgen_hook_spec *spec, const char *dir,
		       int prog_fd, int counters_fd)
{
	int array_fd = -1, disp_fd = -1, link_fd = -1, err;
	uint32_t key = 0;

	unpin_all(dir);
	array_fd = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "ipb_progs",
				  sizeof(uint32_t), sizeof(uint32_t), 1, NULL);
	if (array_fd < 0)
		return -errno;
	if (bpf_map_update_elem(array_fd, &key, &prog_fd, BPF_ANY)) {
		err = -errno;
		goto out;
	}
	err = bpfgen_dispatcher_load(array_fd, &disp_fd);
	if (err)
		goto out;
	err = obj_pin(array_fd, dir, "progs");
	if (!err)
		err = obj_pin(disp_fd, dir, "dispatcher");
	if (!err)
		err = obj_pin(prog_fd, dir, "prog");
	if (!err && counters_fd >= 0)
		err = obj_pin(counters_fd, dir, "counters");
	if (err)
		goto out;
	err = bpfgen_link_create(spec, disp_fd, &link_fd);
	if (err)
		goto out;
	err = obj_pin(link_fd, dir, "link");
out:
	if (err)
		unpin_all(dir);
	if (link_fd >= 0)
		close(link_fd);
	if (disp_fd >= 0)
		close(disp_fd);
	close(array_fd);
	return err;
}

/*
 * Does the installed link sit where @spec says?  A swap cannot move it:
 * a different priority or defrag flag needs remove, then install.
 */
static int link_matches(int link_fd, const struct bpfgen_hook_spec *spec)
{
	struct ipb_link_info_nf info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(link_fd, &info, &len))
		return -errno;
	if (info.type != IPB_BPF_LINK_TYPE_NETFILTER ||
	    info.pf != (uint32_t)spec->family ||
	    info.hooknum != (uint32_t)spec->hook ||
	    info.priority != spec->priority ||
	    !!(info.flags & BPF_F_NETFILTER_IP_DEFRAG) != spec->defrag)
		return -EEXIST;
	return 0;
}

int bpfgen_hook_install(const struct bpfgen_hook_spec *spec, int prog_fd,
			int counters_fd)
{
	char dir[PATH_MAX];
	int link_fd = -1, err;

	err = bpfgen_pin_hook_dir(spec, dir, sizeof(dir), true);
	if (err)
		return err;
	if (!obj_get(dir, "link", &link_fd)) {
		err = link_matches(link_fd, spec);
		close(link_fd);
		return err ? err : hook_swap(dir, prog_fd, counters_fd);
	}
	return hook_create(spec, dir, prog_fd, counters_fd);
}

/* Remove @dir and its parents up to the root while they are empty. */
static void prune_dirs(char *dir)
{
	int i;

	for (i = 0; i < 4; i++) {
		char *slash;

		if (rmdir(dir))
			return;
		slash = strrchr(dir, '/');
		if (!slash)
			return;
		*slash = '\0';
	}
}

int bpfgen_hook_remove(const struct bpfgen_hook_spec *spec)
{
	char dir[PATH_MAX];
	int link_fd = -1, err;

	err = bpfgen_pin_hook_dir(spec, dir, sizeof(dir), false);
	if (err)
		return err;
	err = obj_get(dir, "link", &link_fd);
	if (!err) {
		/* Detach now, even if someone else holds the link open. */
		if (bpf_link_detach(link_fd))
			err = -errno;
		close(link_fd);
	}
	unpin_all(dir);
	prune_dirs(dir);
	return err;
}

static int prog_info(int fd, struct bpfgen_hook_status *st)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	st->prog_id = info.id;
	memcpy(st->prog_name, info.name, sizeof(st->prog_name));
	st->prog_name[sizeof(st->prog_name) - 1] = '\0';
	st->xlated_len = info.xlated_prog_len;
	st->jited_len = info.jited_prog_len;
	st->insn_cnt = info.xlated_prog_len / sizeof(struct bpf_insn);
	return 0;
}

/* The program really in slot 0: user space reads a PROG_ARRAY as ids. */
static int slot_prog_info(const char *dir, struct bpfgen_hook_status *st)
{
	int array_fd = -1, fd, err;
	uint32_t key = 0, id;

	err = progs_open(dir, &array_fd);
	if (err)
		return err;
	err = bpf_map_lookup_elem(array_fd, &key, &id) ? -errno : 0;
	close(array_fd);
	if (err)
		return err;
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return -errno;
	err = prog_info(fd, st);
	close(fd);
	return err;
}

/* Which of the pins beside a live link are gone, "progs,counters". */
static void missing_pins(const char *dir, struct bpfgen_hook_status *st)
{
	static const char *const want[] = {
		"dispatcher", "progs", "prog", "counters",
	};
	char path[PATH_MAX];
	size_t i, len = 0;

	st->missing[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		if (pin_path(path, sizeof(path), dir, want[i]) ||
		    !access(path, F_OK))
			continue;
		len += snprintf(st->missing + len, sizeof(st->missing) - len,
				"%s%s", len ? "," : "", want[i]);
		if (len >= sizeof(st->missing))
			break;
	}
}

int bpfgen_hook_query(const struct bpfgen_hook_spec *spec,
		      struct bpfgen_hook_status *st)
{
	struct bpf_link_info info;
	uint32_t len = sizeof(info);
	char dir[PATH_MAX];
	int link_fd = -1, err;

	memset(st, 0, sizeof(*st));
	err = bpfgen_pin_hook_dir(spec, dir, sizeof(dir), false);
	if (err)
		return err;
	err = obj_get(dir, "link", &link_fd);
	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info_by_fd(link_fd, &info, &len) ? -errno : 0;
	close(link_fd);
	if (err)
		return err;
	st->link_id = info.id;
	st->dispatcher_id = info.prog_id;
	if (strlen(dir) >= sizeof(st->pin_dir))
		return -ENAMETOOLONG;
	strcpy(st->pin_dir, dir);
	missing_pins(dir, st);
	err = slot_prog_info(dir, st);
	/*
	 * An empty slot: the kernel empties a prog array when its last
	 * user reference goes (prog_array_map_clear()), so removing the
	 * "progs" pin did it.  The dispatcher then drops every packet;
	 * prog_id 0 says so.
	 */
	return err == -ENOENT ? 0 : err;
}

int bpfgen_hook_counters_open(const struct bpfgen_hook_spec *spec,
			      int *map_fd)
{
	char dir[PATH_MAX];
	int err;

	err = bpfgen_pin_hook_dir(spec, dir, sizeof(dir), false);
	if (err)
		return err;
	return obj_get(dir, "counters", map_fd);
}

int bpfgen_hook_slots_pin(const struct bpfgen_hook_spec *spec, int map_fd)
{
	char dir[PATH_MAX];
	int err = bpfgen_pin_hook_dir(spec, dir, sizeof(dir), false);

	return err ? err : obj_repin(map_fd, dir, "slots", "slots_new");
}

int bpfgen_hook_slots_open(const struct bpfgen_hook_spec *spec, int *map_fd)
{
	char dir[PATH_MAX];
	int err = bpfgen_pin_hook_dir(spec, dir, sizeof(dir), false);

	return err ? err : obj_get(dir, "slots", map_fd);
}

int bpfgen_hook_state_pin(const struct bpfgen_hook_spec *spec, int map_fd)
{
	char dir[PATH_MAX];
	int err = bpfgen_pin_hook_dir(spec, dir, sizeof(dir), false);

	return err ? err : obj_repin(map_fd, dir, "state", "state_new");
}

int bpfgen_hook_state_open(const struct bpfgen_hook_spec *spec, int *map_fd)
{
	char dir[PATH_MAX];
	int err = bpfgen_pin_hook_dir(spec, dir, sizeof(dir), false);

	return err ? err : obj_get(dir, "state", map_fd);
}
