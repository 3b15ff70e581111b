// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m owner: owner_mt() (net/netfilter/xt_owner.c) on the socket of
 * locally generated packets (OUTPUT, POSTROUTING).  Without a full
 * socket of this netns with a struct socket the match is
 * (match ^ invert) == 0; "! --socket-exists" with one is false; a
 * socket without a file matches unless --uid-owner/--gid-owner is
 * asked for without "!"; then the file's fsuid and fsgid are compared
 * with the ranges.  --suppl-groups walks the cred's group list, which
 * BPF cannot do within the verifier's bounds: refused.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/netfilter.h>
#include <linux/netfilter/xt_owner.h>
#include <linux/nsfs.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"

/*
 * owner_mt() maps the rule's ids into the netns's user namespace
 * (make_kuid(net->user_ns, ...)); BPF reads kernel ids.  They are the
 * same when the netns belongs to the initial user namespace, which is
 * ours when our uid_map is the identity of all ids.
 */
static bool ids_are_kernel_ids(void)
{
	struct stat ours, owner;
	unsigned long a, b, n;
	int fd, ufd, ok;
	FILE *f;

	f = fopen("/proc/self/uid_map", "re");
	if (!f)
		return false;
	ok = fscanf(f, "%lu %lu %lu", &a, &b, &n) == 3 && !a && !b &&
	     n == 4294967295UL && fscanf(f, "%lu", &a) != 1;
	fclose(f);
	if (!ok)
		return false;
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ufd = ioctl(fd, NS_GET_USERNS);
	close(fd);
	if (ufd < 0)
		return false;
	ok = !fstat(ufd, &owner) && !stat("/proc/self/ns/user", &ours) &&
	     owner.st_ino == ours.st_ino && owner.st_dev == ours.st_dev;
	close(ufd);
	return ok;
}

/* Jump to the rule's fail label or fall through, as @ok says. */
static void place_outcome(struct bpfgen_prog *p, int label, bool ok, int pass)
{
	bpfgen_label_place(p, label);
	bpfgen_emit_ja(p, ok ? pass : bpfgen_rule_fail_label(p));
}

static int owner_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
			const struct xt_entry_match *m, const char **why)
{
	const struct xt_owner_match_info *info = (const void *)m->data;
	uint8_t want = info->match, inv = info->invert;
	int nosock = bpfgen_label_new(p), nofile = bpfgen_label_new(p);
	int pass = bpfgen_label_new(p), go = bpfgen_label_new(p);

	if (bpfgen_prog_hook(p) != NF_INET_LOCAL_OUT &&
	    bpfgen_prog_hook(p) != NF_INET_POST_ROUTING) {
		*why = "owner match outside OUTPUT and POSTROUTING";
		return -EOPNOTSUPP;
	}
	if (want & XT_OWNER_SUPPL_GROUPS) {
		*why = "owner --suppl-groups";
		return -EOPNOTSUPP;
	}
	if ((want & (XT_OWNER_UID | XT_OWNER_GID)) && !ids_are_kernel_ids()) {
		*why = "owner match in a user namespace";
		return -EOPNOTSUPP;
	}
	if (want & inv & XT_OWNER_SOCKET) {
		/* "! --socket-exists": false with a socket, file or not */
		bpfgen_load_owner(p, BPF_REG_1, BPFGEN_OWNER_FILE, nosock,
				  bpfgen_rule_fail_label(p));
		bpfgen_emit_ja(p, bpfgen_rule_fail_label(p));
		place_outcome(p, nosock, (want ^ inv) == 0, pass);
		bpfgen_label_place(p, pass);
		return 0;
	}
	bpfgen_load_owner(p, BPF_REG_1, BPFGEN_OWNER_FILE, nosock, nofile);
	bpfgen_emit_ja(p, go);
	place_outcome(p, nosock, (want ^ inv) == 0, pass);
	place_outcome(p, nofile,
		      ((want ^ inv) & (XT_OWNER_UID | XT_OWNER_GID)) == 0,
		      pass);
	bpfgen_label_place(p, go);
	if (want & XT_OWNER_UID) {
		bpfgen_load_owner(p, BPF_REG_1, BPFGEN_OWNER_FSUID, pass,
				  pass);
		bpfgen_cmp_range(p, BPF_REG_1, info->uid_min, info->uid_max,
				 inv & XT_OWNER_UID);
	}
	if (want & XT_OWNER_GID) {
		bpfgen_load_owner(p, BPF_REG_1, BPFGEN_OWNER_FSGID, pass,
				  pass);
		bpfgen_cmp_range(p, BPF_REG_1, info->gid_min, info->gid_max,
				 inv & XT_OWNER_GID);
	}
	bpfgen_label_place(p, pass);
	return 0;
}

const struct ipb_ext ipb_ext_owner = {
	.name = "owner",
	.to_bpf = owner_to_bpf,
};
