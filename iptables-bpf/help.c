// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --version and --help texts.  The command's help is iptables-nft's, word
 * for word, so that anything reading it sees what it knows.  The version
 * line keeps "v<iptables release> (nf_tables)" first: Docker and kube-proxy
 * take the first "vX.Y.Z" of `iptables --version` as the iptables release
 * and look for "nf_tables" to pick their backend.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>

#include <linux/netfilter.h>

#include "iptables-bpf/help.h"
#include "iptables-bpf/names.h"
#include "iptables-bpf/util.h"

static const char *version_name(const struct ipb_invocation *inv)
{
	/* iptables-nft names the command "iptables", save and restore by
	 * their own argv[0]. */
	return inv->tool == IPB_TOOL_IPTABLES ? inv->basename : inv->progname;
}

void ipb_print_version(const struct ipb_invocation *inv)
{
	printf("%s v%s (nf_tables) %s %s\n", version_name(inv),
	       IPTABLES_COMPAT_VERSION, PACKAGE_NAME, PACKAGE_VERSION);
}

static void print_command_help(const char *name, bool ipv6)
{
	printf("%s v%s (nf_tables)\n\n", name, IPTABLES_COMPAT_VERSION);
	printf(
"Usage: %1$s -[ACD] chain rule-specification [options]\n"
"       %1$s -I chain [rulenum] rule-specification [options]\n"
"       %1$s -R chain rulenum rule-specification [options]\n"
"       %1$s -D chain rulenum [options]\n"
"       %1$s -[LS] [chain [rulenum]] [options]\n"
"       %1$s -[FZ] [chain] [options]\n"
"       %1$s -[NX] chain\n"
"       %1$s -E old-chain-name new-chain-name\n"
"       %1$s -P chain target [options]\n"
"       %1$s -h (print this help information)\n\n",
	       name);
	fputs(
"Commands:\n"
"Either long or short options are allowed.\n"
"  --append  -A chain\t\tAppend to chain\n"
"  --check   -C chain\t\tCheck for the existence of a rule\n"
"  --delete  -D chain\t\tDelete matching rule from chain\n"
"  --delete  -D chain rulenum\n"
"\t\t\t\tDelete rule rulenum (1 = first) from chain\n"
"  --insert  -I chain [rulenum]\n"
"\t\t\t\tInsert in chain as rulenum (default 1=first)\n"
"  --replace -R chain rulenum\n"
"\t\t\t\tReplace rule rulenum (1 = first) in chain\n"
"  --list    -L [chain [rulenum]]\n"
"\t\t\t\tList the rules in a chain or all chains\n"
"  --list-rules -S [chain [rulenum]]\n"
"\t\t\t\tPrint the rules in a chain or all chains\n"
"  --flush   -F [chain]\t\tDelete all rules in  chain or all chains\n"
"  --zero    -Z [chain [rulenum]]\n"
"\t\t\t\tZero counters in chain or all chains\n"
"  --new     -N chain\t\tCreate a new user-defined chain\n"
"  --delete-chain\n"
"            -X [chain]\t\tDelete a user-defined chain\n"
"  --policy  -P chain target\n"
"\t\t\t\tChange policy on chain to target\n"
"  --rename-chain\n"
"            -E old-chain new-chain\n"
"\t\t\t\tChange chain name, (moving any references)\n"
"\n"
"Options:\n",
	      stdout);
	printf("    --ipv4\t-4\t\t%s (line is ignored by ip6tables-restore)\n"
	       "    --ipv6\t-6\t\t%s (line is ignored by iptables-restore)\n",
	       ipv6 ? "Error" : "Nothing", ipv6 ? "Nothing" : "Error");
	fputs(
"[!] --protocol\t-p proto\tprotocol: by number or name, eg. `tcp'\n"
"[!] --source\t-s address[/mask][...]\n"
"\t\t\t\tsource specification\n"
"[!] --destination -d address[/mask][...]\n"
"\t\t\t\tdestination specification\n"
"[!] --in-interface -i input name[+]\n"
"\t\t\t\tnetwork interface name ([+] for wildcard)\n"
" --jump\t-j target\n"
"\t\t\t\ttarget for rule (may load target extension)\n"
"  --goto      -g chain\n"
"\t\t\t       jump to chain with no return\n"
"  --match\t-m match\n"
"\t\t\t\textended match (may load extension)\n"
"  --numeric\t-n\t\tnumeric output of addresses and ports\n"
"[!] --out-interface -o output name[+]\n"
"\t\t\t\tnetwork interface name ([+] for wildcard)\n"
"  --table\t-t table\ttable to manipulate (default: `filter')\n"
"  --verbose\t-v\t\tverbose mode\n"
"  --wait\t-w [seconds]\tmaximum wait to acquire xtables lock before give up\n"
"  --line-numbers\t\tprint line numbers when listing\n"
"  --exact\t-x\t\texpand numbers (display exact values)\n",
	      stdout);
	/* IPv6 has no -f: fragments are matched with -m frag. */
	if (!ipv6)
		fputs("[!] --fragment\t-f\t\tmatch second or further fragments only\n",
		      stdout);
	fputs(
"  --modprobe=<command>\t\ttry to insert modules using this command\n"
"  --set-counters -c PKTS BYTES\tset the counter during insert/append\n"
"[!] --version\t-V\t\tprint package version.\n",
	      stdout);
}

static void print_restore_help(const char *name)
{
	printf(
"Usage: %s [-c] [-v] [-V] [-t] [-h] [-n] [-T table] [-M command] [-4] [-6] [file]\n"
"\t   [ --counters ]\n"
"\t   [ --verbose ]\n"
"\t   [ --version]\n"
"\t   [ --test ]\n"
"\t   [ --help ]\n"
"\t   [ --noflush ]\n"
"\t   [ --table=<TABLE> ]\n"
"\t   [ --modprobe=<command> ]\n"
"\t   [ --ipv4 ]\n"
"\t   [ --ipv6 ]\n",
	       name);
}

/* iptables-nft-save has no help; the -h we answer lists its options. */
static void print_save_help(const char *name)
{
	printf(
"Usage: %s [-c] [-t table] [-M command] [-V] [-h]\n"
"\t   [ --counters ]\n"
"\t   [ --table=<TABLE> ]\n"
"\t   [ --modprobe=<command> ]\n"
"\t   [ --version ]\n"
"\t   [ --help ]\n",
	       name);
}

void ipb_print_help(const struct ipb_invocation *inv)
{
	switch (inv->tool) {
	case IPB_TOOL_IPTABLES:
		print_command_help(inv->basename,
				   inv->family == NFPROTO_IPV6);
		break;
	case IPB_TOOL_SAVE:
		print_save_help(inv->progname);
		break;
	case IPB_TOOL_RESTORE:
		print_restore_help(inv->progname);
		break;
	default:
		BUG("unknown tool");
	}
}
