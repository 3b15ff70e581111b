/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Diagnostics.  The level is the number of -v flags: 0 prints warnings
 * only, 1 info, 2 and more debug.  iptables-nft stays silent on success, and
 * so do we unless asked: scripts compare our output with theirs.
 */
#ifndef IPB_IPTABLES_BPF_LOG_H
#define IPB_IPTABLES_BPF_LOG_H

enum ipb_log_level {
	IPB_LOG_WARN,
	IPB_LOG_INFO,
	IPB_LOG_DEBUG,
	__IPB_LOG_MAX
};

void ipb_log_set_level(int level);
int ipb_log_get_level(void);
void ipb_log(enum ipb_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* $IPB_TIMING set: the time since the previous call, as stage @what. */
void ipb_log_stage(const char *what);
/* Route libbpf's messages into ours, one level lower. */
void ipb_log_hook_libbpf(void);

#define pr_warn(...) ipb_log(IPB_LOG_WARN, __VA_ARGS__)
#define pr_info(...) ipb_log(IPB_LOG_INFO, __VA_ARGS__)
#define pr_debug(...) ipb_log(IPB_LOG_DEBUG, __VA_ARGS__)

#endif
