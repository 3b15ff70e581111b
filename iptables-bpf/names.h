/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPB_IPTABLES_BPF_NAMES_H
#define IPB_IPTABLES_BPF_NAMES_H

/**
 * enum ipb_tool - what the multi-call binary was asked to be
 */
enum ipb_tool {
	IPB_TOOL_IPTABLES,
	IPB_TOOL_SAVE,
	IPB_TOOL_RESTORE,
	IPB_TOOL_STATUS,	/* iptables-bpf-status: what runs where */
	__IPB_TOOL_MAX
};

/**
 * struct ipb_invocation - the tool and family chosen by argv[0]
 * @tool: command, save, restore or status
 * @family: NFPROTO_IPV4 or NFPROTO_IPV6
 * @progname: the basename of argv[0], for messages ("iptables-bpf-save")
 * @basename: the iptables name the messages use ("iptables", "ip6tables")
 */
struct ipb_invocation {
	enum ipb_tool tool;
	int family;
	const char *progname;
	const char *basename;
};

int ipb_invocation_from_argv0(struct ipb_invocation *inv, const char *argv0);

#endif
