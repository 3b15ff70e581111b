/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the fuzz targets share.  Each target defines LLVMFuzzerInitialize()
 * and LLVMFuzzerTestOneInput(); libFuzzer calls them in the clang build
 * (make fuzz), replay.c's main() in the gcc build that make check runs
 * over the regression inputs.
 *
 * The targets never change a firewall: fuzz_env_init() moves the process
 * into a network namespace of its own (empty, and gone with the process),
 * points the pin root at a directory that does not exist, and the targets
 * only parse, batch without committing, and load programs without
 * attaching them.
 */
#ifndef IPB_TESTS_FUZZ_FUZZ_H
#define IPB_TESTS_FUZZ_FUZZ_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

struct ipb_nl;

#define FUZZ_MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Once per process: private network namespace, pin root, netlink.
 * Returns -errno if the namespace cannot be had (not root). */
int fuzz_env_init(void);
/* The netlink socket of the private namespace. */
struct ipb_nl *fuzz_nl(void);
/* libxtables for @family, messages naming @prog (re-initialised when
 * either changes). */
void fuzz_family(uint8_t family, const char *prog);

/*
 * Parse errors longjmp() here instead of exiting: arm with
 *	if (!setjmp(fuzz_jmp)) { fuzz_arm(); ...parse...; }
 *	fuzz_disarm();
 * Locals changed between setjmp() and longjmp() must be static or
 * volatile.
 */
extern jmp_buf fuzz_jmp;
void fuzz_arm(void);
void fuzz_disarm(void);

/* @data as a NUL-terminated string (a NUL inside ends it); free() it. */
char *fuzz_text(const uint8_t *data, size_t size);
/*
 * Splits @line in place into words (blanks separate, double quotes group)
 * after @argv0; returns argc, at most FUZZ_MAX_ARGS - 1.
 */
int fuzz_split(char *line, const char *argv0, char **argv);

#endif
