/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scope-based cleanup (systemd, bpfilter style).  Initialise every local
 * that uses these to NULL or -1; hand a value out of the scope with
 * TAKE_PTR() / TAKE_FD().
 */
#ifndef IPB_IPTABLES_BPF_UTIL_H
#define IPB_IPTABLES_BPF_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

/* DEFINE_FREEP(x) gives x_freep() for _cleanup_(x_freep), from x_free(). */
#define DEFINE_FREEP(x)                                                      \
	static inline void x##_freep(struct x **p)                           \
	{                                                                    \
		x##_free(*p);                                                \
	}

#define TAKE_PTR(p)                                                          \
	({                                                                   \
		__typeof__(p) _tmp = (p);                                    \
		(p) = NULL;                                                  \
		_tmp;                                                        \
	})

#define TAKE_FD(fd)                                                          \
	({                                                                   \
		int _tmp = (fd);                                             \
		(fd) = -1;                                                   \
		_tmp;                                                        \
	})

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* An unreachable state: abort with the place, never fall through. */
#define BUG(msg)                                                             \
	do {                                                                 \
		fprintf(stderr, "BUG: %s at %s:%d\n", (msg), __FILE__,       \
			__LINE__);                                           \
		abort();                                                     \
	} while (0)

#endif
