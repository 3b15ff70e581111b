/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What hbh.c and dst.c share: ip6t_hbh.c serves both matches. */
#ifndef IPB_EXTENSIONS_OPTS_H
#define IPB_EXTENSIONS_OPTS_H

struct bpfgen_prog;
struct xt_entry_match;

/* hbh_mt6() for the header @target (0: hop-by-hop, 60: destination). */
int ipb_opts_to_bpf(struct bpfgen_prog *p, int target,
		    const struct xt_entry_match *m, const char **why);

#endif
