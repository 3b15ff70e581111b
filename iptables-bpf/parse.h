/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Command-line parsing with libxtables.  The only file allowed to call
 * xtables_error() and exit(): libxtables' extension parsers report errors
 * that way, so all of parsing lives here and ends the process on bad input
 * with iptables-nft's message and exit code, before anything is changed.
 */
#ifndef IPB_IPTABLES_BPF_PARSE_H
#define IPB_IPTABLES_BPF_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include <xtables.h>

struct ipb_cmd;

/*
 * Initialise libxtables for @family; @name prefixes messages ("iptables",
 * "iptables-bpf-restore").  Exits on failure.
 */
void ipb_parse_init(uint8_t family, const char *name);
/* Restore: the input line number messages name, -1 for none. */
void ipb_parse_set_line(int line);
/*
 * Parses one command.  @argv is modified (as getopt does).  In @restore
 * mode -t, -w, -W are refused and -4/-6 lines for the other family set
 * cmd->other_family.  Exits on any error.
 */
void ipb_parse_command(struct ipb_cmd *cmd, int argc, char **argv,
		       bool restore);
/*
 * Instead of exit(): @hook gets the exit status once the command's
 * parsing state is freed, and must not return (it longjmp()s).  For the
 * fuzz targets and their replay driver; NULL restores exit().
 */
void ipb_parse_set_exit_hook(void (*hook)(int status));
/* A new chain's name, checked as iptables-nft checks -N's and a restore
 * file's chain lines; exits on a bad one. */
void ipb_parse_chain_name(const char *name);
/* Reports an error the way xtables_error() does and exits. */
void ipb_parse_fail(enum xtables_exittype status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

#endif
