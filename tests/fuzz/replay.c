// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runs a fuzz target's regression inputs without libFuzzer: every file
 * of the directories (or files) given goes through the target's
 * LLVMFuzzerTestOneInput(), as libFuzzer would.  With no argument, the
 * target's own directory under tests/fuzz/regress/ ($IPTABLES_BPF_SRCDIR,
 * else the current directory).  Prints TAP, one point per input: an
 * input passes by coming back (a crash or abort ends the run, which
 * tests/run.sh counts as a failure).  Exits 77 when not root.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET names the target (restore, cmdline, compile)"
#endif

static unsigned int tested;
static FILE *tap;

static int run_file(const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(tap, "not ok %u - %s: %s\n", ++tested, path,
			strerror(errno));
		return -1;
	}
	do {
		uint8_t *b;

		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			b = realloc(buf, cap);
			if (!b)
				abort();
			buf = b;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	fprintf(stderr, "# %s\n", path);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	fflush(stdout);
	fprintf(tap, "ok %u - %s\n", ++tested, path);
	fflush(tap);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_path(const char *path)
{
	struct dirent **ents;
	struct stat st;
	int n, i, err = 0;

	if (stat(path, &st) || !S_ISDIR(st.st_mode))
		return run_file(path);
	n = scandir(path, &ents, NULL, by_name);
	if (n < 0) {
		fprintf(tap, "not ok %u - %s: %s\n", ++tested, path,
			strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char sub[4096];

		if (ents[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path,
				 ents[i]->d_name);
			if (run_file(sub))
				err = -1;
		}
		free(ents[i]);
	}
	free(ents);
	return err;
}

int main(int argc, char **argv)
{
	const char *src = getenv("IPTABLES_BPF_SRCDIR");
	char def[4096];
	int i, err = 0;

	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 77;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	/* the targets print what the tools would (listings, help): that
	 * goes to stderr, TAP alone to stdout */
	tap = fdopen(dup(STDOUT_FILENO), "w");
	if (!tap || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		return 1;
	if (argc < 2) {
		snprintf(def, sizeof(def), "%s/tests/fuzz/regress/%s",
			 src ? src : ".", FUZZ_TARGET);
		err = run_path(def);
	}
	for (i = 1; i < argc; i++)
		if (run_path(argv[i]))
			err = -1;
	fprintf(tap, "1..%u\n", tested);
	fclose(tap);
	return err ? 1 : 0;
}
