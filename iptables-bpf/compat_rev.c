// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which revision of an extension to use is the kernel's to say: ask
 * nft_compat (NFNL_MSG_COMPAT_GET), which loads the xt module if needed,
 * as iptables-nft does, so that we pick the same revisions it picks.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <arpa/inet.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

#include <libmnl/libmnl.h>

#include "iptables-bpf/compat_rev.h"
#include "iptables-bpf/nl.h"

int ipb_compat_revision(const char *name, uint8_t rev, int opt)
{
	char buf[IPB_NL_BUFSZ];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	uint32_t type = 0, pf = AF_INET, seq, portid;
	int ret;

	switch (opt) {
	case IPT_SO_GET_REVISION_MATCH:
		break;
	case IP6T_SO_GET_REVISION_MATCH:
		pf = AF_INET6;
		break;
	case IPT_SO_GET_REVISION_TARGET:
		type = 1;
		break;
	case IP6T_SO_GET_REVISION_TARGET:
		type = 1;
		pf = AF_INET6;
		break;
	default:
		return 1;
	}

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFT_COMPAT << 8) | NFNL_MSG_COMPAT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq = time(NULL);
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = pf;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	mnl_attr_put_strz(nlh, NFTA_COMPAT_NAME, name);
	mnl_attr_put_u32(nlh, NFTA_COMPAT_REV, htonl(rev));
	mnl_attr_put_u32(nlh, NFTA_COMPAT_TYPE, htonl(type));

	nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!nl)
		return 0;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		return 0;
	}
	portid = mnl_socket_get_portid(nl);
	ret = mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
	if (ret >= 0)
		ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (ret >= 0)
		ret = mnl_cb_run(buf, ret, seq, portid, NULL, NULL);
	mnl_socket_close(nl);
	return ret == -1 ? 0 : 1;
}
