// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xtables.h>

#include "extensions/ext.h"

int ipb_ext_match_get(struct ipb_rule *rule, const char *name, void **data)
{
	struct ipb_match *found = ipb_rule_find_match(rule, name);

	if (found) {
		*data = found->m->data;
		return 0;
	}
	return ipb_ext_match_add(rule, name, data);
}

int ipb_ext_match_add(struct ipb_rule *rule, const char *name, void **data)
{
	struct xtables_match *xt;
	struct xt_entry_match *m;
	size_t size;
	int err;

	xt = xtables_find_match(name, XTF_TRY_LOAD, NULL);
	if (!xt)
		return -ENOENT;
	size = XT_ALIGN(sizeof(*m)) + XT_ALIGN(xt->size);
	m = calloc(1, size);
	if (!m)
		return -ENOMEM;
	m->u.match_size = size;
	snprintf(m->u.user.name, sizeof(m->u.user.name), "%s", xt->name);
	m->u.user.revision = xt->revision;
	if (xt->init)
		xt->init(m);
	err = ipb_rule_add_match(rule, xt, m);
	if (err) {
		free(m);
		return err;
	}
	*data = m->data;
	return 0;
}

int ipb_ext_target_set(struct ipb_rule *rule, const char *name, void **data)
{
	struct xtables_target *xt;
	struct xt_entry_target *t;
	size_t size;

	xt = xtables_find_target(name, XTF_TRY_LOAD);
	if (!xt)
		return -ENOENT;
	size = XT_ALIGN(sizeof(*t)) + XT_ALIGN(xt->size);
	t = calloc(1, size);
	if (!t)
		return -ENOMEM;
	t->u.target_size = size;
	snprintf(t->u.user.name, sizeof(t->u.user.name), "%s", xt->name);
	t->u.user.revision = xt->revision;
	if (xt->init)
		xt->init(t);
	ipb_rule_set_target_ext(rule, xt, t);
	*data = t->data;
	return 0;
}
