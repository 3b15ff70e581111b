// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>

#include <bpf/libbpf.h>

#include "iptables-bpf/log.h"

static int log_level = IPB_LOG_WARN;

void ipb_log_set_level(int level)
{
	log_level = level;
}

int ipb_log_get_level(void)
{
	return log_level;
}

static void vlog(enum ipb_log_level level, const char *fmt, va_list ap)
{
	if (level > log_level)
		return;
	vfprintf(stderr, fmt, ap);
}

void ipb_log(enum ipb_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	enum ipb_log_level ours;

	switch (level) {
	case LIBBPF_WARN:
		ours = IPB_LOG_INFO;
		break;
	case LIBBPF_INFO:
	case LIBBPF_DEBUG:
	default:
		ours = IPB_LOG_DEBUG;
		break;
	}
	vlog(ours, fmt, ap);
	return 0;
}

void ipb_log_hook_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}
