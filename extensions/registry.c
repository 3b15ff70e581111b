// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The extensions that have translations of their own.  Every other
 * installed extension still works: the core writes it as a compat
 * expression and libxtables parses and prints it.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "extensions/ext.h"

extern const struct ipb_ext ipb_ext_NFLOG;
extern const struct ipb_ext ipb_ext_TRACE;
extern const struct ipb_ext ipb_ext_limit;
extern const struct ipb_ext ipb_ext_mark;
extern const struct ipb_ext ipb_ext_tcp;
extern const struct ipb_ext ipb_ext_udp;

static const struct ipb_ext *const registry[] = {
	&ipb_ext_NFLOG,
	&ipb_ext_TRACE,
	&ipb_ext_limit,
	&ipb_ext_mark,
	&ipb_ext_tcp,
	&ipb_ext_udp,
};

#define NEXT (sizeof(registry) / sizeof(registry[0]))

const struct ipb_ext *ipb_ext_find(const char *name, bool is_target)
{
	size_t i;

	for (i = 0; i < NEXT; i++)
		if (registry[i]->is_target == is_target &&
		    !strcmp(registry[i]->name, name))
			return registry[i];
	return NULL;
}

int ipb_ext_from_nft_cmp(struct ipb_rule *rule, const struct ipb_nft_cmp *cmp)
{
	size_t i;
	int err;

	for (i = 0; i < NEXT; i++) {
		if (!registry[i]->from_nft_cmp)
			continue;
		err = registry[i]->from_nft_cmp(rule, cmp);
		if (err != -ENOENT)
			return err;
	}
	return -ENOENT;
}

const struct ipb_ext *ipb_ext_find_by_expr(const char *name)
{
	size_t i;

	for (i = 0; i < NEXT; i++)
		if (registry[i]->nft_expr_name &&
		    !strcmp(registry[i]->nft_expr_name, name))
			return registry[i];
	return NULL;
}
