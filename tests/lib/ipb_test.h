/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimal TAP harness for C tests, modelled on the kernel's test_progs.h:
 * ASSERT_* return bool so a test reads
 *	if (!ASSERT_OK(err, "parse")) goto out;
 * Each test function is one TAP test point; a failing assertion prints a
 * diagnostic and marks the current test failed.  Exit 77 skips the file.
 */
#ifndef IPB_TESTS_LIB_IPB_TEST_H
#define IPB_TESTS_LIB_IPB_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IPB_TEST_SKIP 77

struct ipb_test_state {
	int number;
	int failed_tests;
	bool current_failed;
	const char *skip_reason;
};

extern struct ipb_test_state ipb_test_state;

#define IPB_TEST_STATE_DEFINE struct ipb_test_state ipb_test_state

static inline bool ipb_test_check(bool ok, const char *file, int line,
				  const char *name, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#include <stdarg.h>
static inline bool ipb_test_check(bool ok, const char *file, int line,
				  const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return true;
	ipb_test_state.current_failed = true;
	printf("# %s:%d: %s: ", file, line, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return false;
}

#define ASSERT_TRUE(cond, name)                                              \
	ipb_test_check(!!(cond), __FILE__, __LINE__, (name),                  \
		       "expected true: %s", #cond)
#define ASSERT_FALSE(cond, name)                                             \
	ipb_test_check(!(cond), __FILE__, __LINE__, (name),                   \
		       "expected false: %s", #cond)
#define ASSERT_OK(err, name)                                                 \
	({                                                                   \
		long long _e = (err);                                        \
		ipb_test_check(_e == 0, __FILE__, __LINE__, (name),          \
			       "unexpected error %lld (%s)", _e,             \
			       _e < 0 ? strerror((int)-_e) : "positive");    \
	})
#define ASSERT_EQ(a, b, name)                                                \
	({                                                                   \
		long long _a = (long long)(a), _b = (long long)(b);          \
		ipb_test_check(_a == _b, __FILE__, __LINE__, (name),         \
			       "%s == %lld, expected %lld", #a, _a, _b);     \
	})
#define ASSERT_NEQ(a, b, name)                                               \
	({                                                                   \
		long long _a = (long long)(a), _b = (long long)(b);          \
		ipb_test_check(_a != _b, __FILE__, __LINE__, (name),         \
			       "%s == %lld, expected otherwise", #a, _a);    \
	})
#define ASSERT_GE(a, b, name)                                                \
	({                                                                   \
		long long _a = (long long)(a), _b = (long long)(b);          \
		ipb_test_check(_a >= _b, __FILE__, __LINE__, (name),         \
			       "%s == %lld, expected >= %lld", #a, _a, _b);  \
	})
#define ASSERT_STREQ(a, b, name)                                             \
	({                                                                   \
		const char *_a = (a), *_b = (b);                             \
		ipb_test_check(_a && _b && !strcmp(_a, _b), __FILE__,        \
			       __LINE__, (name), "\"%s\", expected \"%s\"",  \
			       _a ? _a : "(null)", _b ? _b : "(null)");      \
	})
#define ASSERT_MEMEQ(a, b, len, name)                                        \
	ipb_test_check(!memcmp((a), (b), (len)), __FILE__, __LINE__, (name), \
		       "%zu bytes differ", (size_t)(len))

/* Run one test function as one TAP test point. */
#define RUN_TEST(fn)                                                         \
	do {                                                                 \
		ipb_test_state.current_failed = false;                       \
		ipb_test_state.skip_reason = NULL;                           \
		fn();                                                        \
		ipb_test_state.number++;                                     \
		if (ipb_test_state.skip_reason)                              \
			printf("ok %d - %s # skip %s\n",                     \
			       ipb_test_state.number, #fn,                   \
			       ipb_test_state.skip_reason);                  \
		else if (ipb_test_state.current_failed) {                    \
			ipb_test_state.failed_tests++;                       \
			printf("not ok %d - %s\n", ipb_test_state.number,    \
			       #fn);                                         \
		} else                                                       \
			printf("ok %d - %s\n", ipb_test_state.number, #fn);  \
		fflush(stdout);                                              \
	} while (0)

/* Subtests of table-driven tests report as "<fn>/<name>". */
#define RUN_SUBTEST(label, body)                                             \
	do {                                                                 \
		ipb_test_state.current_failed = false;                       \
		ipb_test_state.skip_reason = NULL;                           \
		body;                                                        \
		ipb_test_state.number++;                                     \
		if (ipb_test_state.skip_reason)                              \
			printf("ok %d - %s # skip %s\n",                     \
			       ipb_test_state.number, (label),               \
			       ipb_test_state.skip_reason);                  \
		else if (ipb_test_state.current_failed) {                    \
			ipb_test_state.failed_tests++;                       \
			printf("not ok %d - %s\n", ipb_test_state.number,    \
			       (label));                                     \
		} else                                                       \
			printf("ok %d - %s\n", ipb_test_state.number,        \
			       (label));                                     \
		fflush(stdout);                                              \
	} while (0)

#define TEST_SKIP(reason) (ipb_test_state.skip_reason = (reason))

/* Closing plan line; the exit code says whether anything failed. */
static inline int ipb_test_done(void)
{
	printf("1..%d\n", ipb_test_state.number);
	return ipb_test_state.failed_tests ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
