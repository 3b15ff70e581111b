// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>

#include <xtables.h>

#include "iptables-bpf/log.h"
#include "iptables-bpf/nl.h"
#include "iptables-bpf/parse.h"
#include "tests/fuzz/fuzz.h"

jmp_buf fuzz_jmp;

static struct ipb_nl *nl;

static void fuzz_exit(int status)
{
	longjmp(fuzz_jmp, 1);
}

void fuzz_arm(void)
{
	ipb_parse_set_exit_hook(fuzz_exit);
}

void fuzz_disarm(void)
{
	ipb_parse_set_exit_hook(NULL);
	/* -M points libxtables at a string of this input, freed next */
	xtables_modprobe_program = NULL;
}

int fuzz_env_init(void)
{
	int err;

	if (nl)
		return 0;
	if (unshare(CLONE_NEWNET)) {
		err = -errno;
		fprintf(stderr, "fuzz: no network namespace of our own: %s\n",
			strerror(-err));
		return err;
	}
	/* nothing to read or write there: no pins, no counters */
	setenv("IPTABLES_BPF_PIN_ROOT", "/nonexistent/ipb-fuzz", 1);
	setenv("IPTABLES_BPF_MODE", "auto", 1);
	ipb_log_hook_libbpf();
	err = ipb_nl_open(&nl);
	if (err)
		fprintf(stderr, "fuzz: netlink: %s\n", strerror(-err));
	return err;
}

struct ipb_nl *fuzz_nl(void)
{
	return nl;
}

void fuzz_family(uint8_t family, const char *prog)
{
	static const char *cur_prog;
	static int cur = -1;

	if (cur == family && cur_prog == prog)
		return;
	ipb_parse_init(family, prog);
	cur = family;
	cur_prog = prog;
}

char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int fuzz_split(char *line, const char *argv0, char **argv)
{
	int argc = 1;
	char *p = line;

	argv[0] = (char *)argv0;
	while (*p && argc < FUZZ_MAX_ARGS - 1) {
		bool quoted = false;
		char *out;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		argv[argc++] = out = p;
		while (*p && (quoted || (*p != ' ' && *p != '\t'))) {
			if (*p == '"')
				quoted = !quoted;
			else
				*out++ = *p;
			p++;
		}
		if (*p)
			p++;
		*out = '\0';
	}
	argv[argc] = NULL;
	return argc;
}
