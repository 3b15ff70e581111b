// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/*
 * $IPB_TIMING: how long each stage of a change took, on stderr, for
 * profiling (BENCHMARKS.md); the clock starts at the first call.
 * IPB_TIMING=cpu counts CPU time instead of wall time.
 */
void ipb_log_stage(const char *what)
{
	static int enabled = -1;
	static clockid_t clock = CLOCK_MONOTONIC;
	static struct timespec last;
	struct timespec now;

	if (enabled < 0) {
		const char *v = getenv("IPB_TIMING");

		enabled = v != NULL;
		/* "cpu": this process's CPU time, user and system, which
		 * other load on the machine moves less than wall time */
		if (v && !strcmp(v, "cpu"))
			clock = CLOCK_PROCESS_CPUTIME_ID;
	}
	if (!enabled)
		return;
	clock_gettime(clock, &now);
	if (last.tv_sec || last.tv_nsec)
		fprintf(stderr, "ipb timing: %-28s %8.2f ms\n", what,
			(now.tv_sec - last.tv_sec) * 1e3 +
				(now.tv_nsec - last.tv_nsec) / 1e6);
	last = now;
}
