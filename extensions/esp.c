// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -m esp, a compat match in iptables-nft 1.8.9: esp_mt() of xt_esp.c,
 * for IPv4 and IPv6 alike.  A non-first fragment never matches, fewer
 * than 8 bytes of ESP header drop the packet, then (min <= SPI <= max)
 * ^ invert.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/netfilter/xt_esp.h>

#include "bpfgen/bpfgen.h"
#include "extensions/ext.h"
#include "extensions/xtmatch.h"

#define ESP_HDR_LEN 8

static int esp_to_bpf(struct bpfgen_prog *p, const struct ipb_rule *rule,
		      const struct xt_entry_match *m, const char **why)
{
	const struct xt_esp *info = (const void *)m->data;

	ipb_xt_l4_begin(p, ESP_HDR_LEN);
	bpfgen_load_l4(p, BPF_REG_1, 0, 4, bpfgen_rule_fail_label(p));
	bpfgen_ntoh(p, BPF_REG_1, 4);
	bpfgen_cmp_range(p, BPF_REG_1, info->spis[0], info->spis[1],
			 info->invflags & XT_ESP_INV_SPI);
	return 0;
}

const struct ipb_ext ipb_ext_esp = {
	.name = "esp",
	.to_bpf = esp_to_bpf,
};
