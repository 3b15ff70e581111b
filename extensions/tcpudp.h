/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What tcp.c and udp.c share: their port compares are the same. */
#ifndef IPB_EXTENSIONS_TCPUDP_H
#define IPB_EXTENSIONS_TCPUDP_H

#include <stdbool.h>
#include <stdint.h>

struct nftnl_rule;
struct ipb_nft_cmp;
struct bpfgen_prog;

int ipb_tcpudp_ports_to_nft(struct nftnl_rule *r, const uint16_t src[2],
			    bool inv_src, const uint16_t dst[2], bool inv_dst);
/*
 * A transport-header port compare read back into @spts/@dpts, setting
 * @inv_src/@inv_dst bits in @invflags.  -ENOENT if @c is not one.
 */
int ipb_tcpudp_ports_from_nft(const struct ipb_nft_cmp *c, uint16_t spts[2],
			      uint16_t dpts[2], uint8_t *invflags,
			      uint8_t inv_src, uint8_t inv_dst);

/*
 * BPF for the native port compares above: the same folding, the same
 * "nothing for a full range"; a short transport header does not match.
 */
void ipb_tcpudp_ports_to_bpf(struct bpfgen_prog *p, const uint16_t src[2],
			     bool inv_src, const uint16_t dst[2], bool inv_dst);

#endif
