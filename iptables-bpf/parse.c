// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * argv → struct ipb_cmd, with libxtables doing every extension's options.
 *
 * The order of checks and the messages are iptables-nft 1.8.9's (its
 * xshared.c do_parse()), because scripts and tools compare them; the
 * structure is ours: one function per kind of option, state in one struct.
 */
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netdb.h>
#include <netinet/in.h>

#include <linux/netfilter.h>

#include <xtables.h>

#include "iptables-bpf/cmd.h"
#include "iptables-bpf/compat_rev.h"
#include "iptables-bpf/help.h"
#include "iptables-bpf/names.h"
#include "iptables-bpf/parse.h"
#include "iptables-bpf/rule.h"

/* libxtables spaces extension option codes this far apart */
#ifndef XT_OPTION_OFFSET_SCALE
#define XT_OPTION_OFFSET_SCALE 256
#endif

static const char cmdflags[] = "IDDRALFZNXPESZC";
static const char optflags[] = "nsdpjvxio0cf";

/* Which options each command allows: 'x' never. */
static const char commands_v_options[IPB_CMD_COUNT][IPB_OPT_COUNT] = {
	/*     -n  -s  -d  -p  -j  -v  -x  -i  -o --line -c -f */
	/*INSERT*/ { 'x', ' ', ' ', ' ', ' ', ' ', 'x', ' ', ' ', 'x', ' ', ' ' },
	/*DELETE*/ { 'x', ' ', ' ', ' ', ' ', ' ', 'x', ' ', ' ', 'x', 'x', ' ' },
	/*DELETE_NUM*/ { 'x', 'x', 'x', 'x', 'x', ' ', 'x', 'x', 'x', 'x', 'x', 'x' },
	/*REPLACE*/ { 'x', ' ', ' ', ' ', ' ', ' ', 'x', ' ', ' ', 'x', ' ', ' ' },
	/*APPEND*/ { 'x', ' ', ' ', ' ', ' ', ' ', 'x', ' ', ' ', 'x', ' ', ' ' },
	/*LIST*/ { ' ', 'x', 'x', 'x', 'x', ' ', ' ', 'x', 'x', ' ', 'x', 'x' },
	/*FLUSH*/ { 'x', 'x', 'x', 'x', 'x', ' ', 'x', 'x', 'x', 'x', 'x', 'x' },
	/*ZERO*/ { 'x', 'x', 'x', 'x', 'x', ' ', 'x', 'x', 'x', 'x', 'x', 'x' },
	/*NEW_CHAIN*/ { 'x', 'x', 'x', 'x', 'x', ' ', 'x', 'x', 'x', 'x', 'x', 'x' },
	/*DEL_CHAIN*/ { 'x', 'x', 'x', 'x', 'x', ' ', 'x', 'x', 'x', 'x', 'x', 'x' },
	/*SET_POLICY*/ { 'x', 'x', 'x', 'x', 'x', ' ', 'x', 'x', 'x', 'x', ' ', 'x' },
	/*RENAME*/ { 'x', 'x', 'x', 'x', 'x', ' ', 'x', 'x', 'x', 'x', 'x', 'x' },
	/*LIST_RULES*/ { 'x', 'x', 'x', 'x', 'x', ' ', 'x', 'x', 'x', 'x', 'x', 'x' },
	/*ZERO_NUM*/ { 'x', 'x', 'x', 'x', 'x', ' ', 'x', 'x', 'x', 'x', 'x', 'x' },
	/*CHECK*/ { 'x', ' ', ' ', ' ', ' ', ' ', 'x', ' ', ' ', 'x', 'x', ' ' },
};

/* The inversion bit each option sets after '!', 0 if it takes none. */
static const uint8_t inverse_for_options[IPB_OPT_COUNT] = {
	0, IPB_INV_SRC, IPB_INV_DST, IPB_INV_PROTO, 0, 0, 0,
	IPB_INV_IN, IPB_INV_OUT, 0, 0, IPB_INV_FRAG,
};

static struct option original_opts[] = {
	{ .name = "append", .has_arg = 1, .val = 'A' },
	{ .name = "delete", .has_arg = 1, .val = 'D' },
	{ .name = "check", .has_arg = 1, .val = 'C' },
	{ .name = "insert", .has_arg = 1, .val = 'I' },
	{ .name = "replace", .has_arg = 1, .val = 'R' },
	{ .name = "list", .has_arg = 2, .val = 'L' },
	{ .name = "list-rules", .has_arg = 2, .val = 'S' },
	{ .name = "flush", .has_arg = 2, .val = 'F' },
	{ .name = "zero", .has_arg = 2, .val = 'Z' },
	{ .name = "new-chain", .has_arg = 1, .val = 'N' },
	{ .name = "delete-chain", .has_arg = 2, .val = 'X' },
	{ .name = "rename-chain", .has_arg = 1, .val = 'E' },
	{ .name = "policy", .has_arg = 1, .val = 'P' },
	{ .name = "source", .has_arg = 1, .val = 's' },
	{ .name = "destination", .has_arg = 1, .val = 'd' },
	{ .name = "src", .has_arg = 1, .val = 's' },
	{ .name = "dst", .has_arg = 1, .val = 'd' },
	{ .name = "protocol", .has_arg = 1, .val = 'p' },
	{ .name = "in-interface", .has_arg = 1, .val = 'i' },
	{ .name = "jump", .has_arg = 1, .val = 'j' },
	{ .name = "table", .has_arg = 1, .val = 't' },
	{ .name = "match", .has_arg = 1, .val = 'm' },
	{ .name = "numeric", .has_arg = 0, .val = 'n' },
	{ .name = "out-interface", .has_arg = 1, .val = 'o' },
	{ .name = "verbose", .has_arg = 0, .val = 'v' },
	{ .name = "wait", .has_arg = 2, .val = 'w' },
	{ .name = "wait-interval", .has_arg = 2, .val = 'W' },
	{ .name = "exact", .has_arg = 0, .val = 'x' },
	{ .name = "fragments", .has_arg = 0, .val = 'f' },
	{ .name = "version", .has_arg = 0, .val = 'V' },
	{ .name = "help", .has_arg = 2, .val = 'h' },
	{ .name = "line-numbers", .has_arg = 0, .val = '0' },
	{ .name = "modprobe", .has_arg = 1, .val = 'M' },
	{ .name = "set-counters", .has_arg = 1, .val = 'c' },
	{ .name = "goto", .has_arg = 1, .val = 'g' },
	{ .name = "ipv4", .has_arg = 0, .val = '4' },
	{ .name = "ipv6", .has_arg = 0, .val = '6' },
	{ NULL },
};

static const char optstring[] =
	"-:A:C:D:R:I:L::S::M:F::Z::N:X::E:P:Vh::o:p:s:d:j:i:fbvw::W::nt:m:xc:g:46";

static int parse_line = -1;
static uint8_t parse_family;
static void (*exit_hook)(int status);
/* The command being parsed, for the exit hook to free what it holds. */
static struct parse_state *parsing;

static void discard_parse_state(struct parse_state *s);

/*
 * Every way parsing ends the process.  With an exit hook set (the fuzz
 * targets and their replay driver), the command's state is freed first
 * and the hook leaves by longjmp() instead: the process lives on for the
 * next input, and LeakSanitizer sees only real leaks.
 */
static void parse_exit(int status) __attribute__((noreturn));

/*
 * The option table merged with the extensions' options for one command.
 * Not through xtables_free_opts(): libxtables 1.8.11's frees orig_opts
 * too, a static array here.
 */
static void release_opts(void)
{
	if (xt_params->opts != xt_params->orig_opts)
		free(xt_params->opts);
	xt_params->opts = xt_params->orig_opts;
}

static void parse_exit(int status)
{
	release_opts();
	if (exit_hook) {
		if (parsing)
			discard_parse_state(parsing);
		parsing = NULL;
		exit_hook(status);
	}
	exit(status);
}

void ipb_parse_set_exit_hook(void (*hook)(int status))
{
	exit_hook = hook;
}

static void exit_tryhelp(int status) __attribute__((noreturn));

static void exit_tryhelp(int status)
{
	if (parse_line != -1)
		fprintf(stderr, "Error occurred at line: %d\n", parse_line);
	fprintf(stderr, "Try `%s -h' or '%s --help' for more information.\n",
		xt_params->program_name, xt_params->program_name);
	parse_exit(status);
}

static void vfail(enum xtables_exittype status, const char *fmt, va_list ap)
	__attribute__((noreturn, format(printf, 2, 0)));

static void vfail(enum xtables_exittype status, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s v%s (nf_tables): ", xt_params->program_name,
		xt_params->program_version);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	if (status == PARAMETER_PROBLEM)
		exit_tryhelp(status);
	if (status == VERSION_PROBLEM)
		fprintf(stderr,
			"Perhaps iptables or your kernel needs to be upgraded.\n");
	parse_exit(status);
}

void ipb_parse_fail(enum xtables_exittype status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(status, fmt, ap);
}

static void xt_exit_error(enum xtables_exittype status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

static void xt_exit_error(enum xtables_exittype status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(status, fmt, ap);
}

static struct xtables_globals globals = {
	.option_offset = 0,
	.program_version = IPTABLES_COMPAT_VERSION,
	.orig_opts = original_opts,
	.exit_err = xt_exit_error,
	.compat_rev = ipb_compat_revision,
};

void ipb_parse_init(uint8_t family, const char *name)
{
	globals.program_name = name;
	parse_family = family;
	if (xtables_init_all(&globals, family) < 0) {
		fprintf(stderr, "%s/%s Failed to initialize xtables\n", name,
			IPTABLES_COMPAT_VERSION);
		exit(1);
	}
}

void ipb_parse_set_line(int line)
{
	parse_line = line;
}

/* Everything one command line carries while it is being parsed. */
struct parse_state {
	struct ipb_cmd *cmd;
	bool restore;
	bool invert;
	bool wait_set, wait_interval_set;
	int c;
	char **argv;
	union ipb_xt_entry fw;
	struct xtables_rule_match *matches;
	struct xtables_target *target;
	const char *jumpto;
	char *protocol;
	bool proto_used;
	bool goto_set;
	uint8_t invflags;
	const char *shost, *dhost;
	char iniface[IFNAMSIZ], outiface[IFNAMSIZ];
	unsigned char iniface_mask[IFNAMSIZ], outiface_mask[IFNAMSIZ];
	bool frag;
	unsigned long long pcnt, bcnt;
	struct ipb_rule *tmpl;
	union nf_inet_addr *addrs[4];
};

static void free_addrs(struct parse_state *s)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		free(s->addrs[i]);
		s->addrs[i] = NULL;
	}
}

static void discard_parse_state(struct parse_state *s)
{
	free_addrs(s);
	release_opts();
	xtables_rule_matches_free(&s->matches);
	if (s->target) {
		free(s->target->t);
		s->target->t = NULL;
	}
	ipb_rule_free(s->tmpl);
	s->tmpl = NULL;
}

static char cmd2char(unsigned int option)
{
	unsigned int i;

	for (i = 0; i < IPB_CMD_COUNT; i++)
		if (option & (1U << i))
			return cmdflags[i];
	return '?';
}

static char opt2char(unsigned int option)
{
	unsigned int i;

	for (i = 0; i < IPB_OPT_COUNT; i++)
		if (option & (1U << i))
			return optflags[i];
	return '?';
}

static void add_command(struct parse_state *s, unsigned int newcmd,
			unsigned int othercmds)
{
	unsigned int *cmd = &s->cmd->command;

	if (s->invert)
		xtables_error(PARAMETER_PROBLEM, "unexpected '!' flag");
	if (*cmd & ~othercmds)
		xtables_error(PARAMETER_PROBLEM, "Cannot use -%c with -%c",
			      cmd2char(newcmd), cmd2char(*cmd & ~othercmds));
	*cmd |= newcmd;
}

static void set_option(struct parse_state *s, unsigned int option)
{
	unsigned int i;

	if (s->cmd->options & option)
		xtables_error(PARAMETER_PROBLEM,
			      "multiple -%c flags not allowed",
			      opt2char(option));
	s->cmd->options |= option;
	if (!s->invert)
		return;
	for (i = 0; 1U << i != option; i++)
		;
	if (!inverse_for_options[i])
		xtables_error(PARAMETER_PROBLEM, "cannot have ! before -%c",
			      opt2char(option));
	s->invflags |= inverse_for_options[i];
}

/* Is the next argument a value for the current option (not an option)? */
static bool has_arg(int argc, char **argv)
{
	return optind < argc && argv[optind][0] != '-' &&
	       argv[optind][0] != '!';
}

static unsigned int parse_rulenumber(const char *rule)
{
	unsigned int n;

	if (!xtables_strtoui(rule, NULL, &n, 1, INT_MAX))
		xtables_error(PARAMETER_PROBLEM, "Invalid rule number `%s'",
			      rule);
	return n;
}

static void parse_chain(const char *chainname)
{
	const char *ptr;

	if (strlen(chainname) >= XT_EXTENSION_MAXNAMELEN)
		xtables_error(PARAMETER_PROBLEM,
			      "chain name `%s' too long (must be under %u chars)",
			      chainname, XT_EXTENSION_MAXNAMELEN);
	if (*chainname == '-' || *chainname == '!')
		xtables_error(PARAMETER_PROBLEM, "chain name not allowed to start with `%c'",
			      *chainname);
	if (xtables_find_target(chainname, XTF_TRY_LOAD))
		xtables_error(PARAMETER_PROBLEM,
			      "chain name may not clash with target name");
	for (ptr = chainname; *ptr; ptr++)
		if (isspace((unsigned char)*ptr))
			xtables_error(PARAMETER_PROBLEM,
				      "Invalid chain name `%s'", chainname);
}

void ipb_parse_chain_name(const char *name)
{
	parse_chain(name);
}

static const char *parse_target_name(const char *name)
{
	const char *p;

	if (strlen(name) < 1)
		xtables_error(PARAMETER_PROBLEM,
			      "Invalid target name (too short)");
	if (strlen(name) >= XT_EXTENSION_MAXNAMELEN)
		xtables_error(PARAMETER_PROBLEM,
			      "Invalid target name `%s' (%u chars max)", name,
			      XT_EXTENSION_MAXNAMELEN - 1);
	for (p = name; *p; p++)
		if (isspace((unsigned char)*p))
			xtables_error(PARAMETER_PROBLEM,
				      "Invalid target name `%s'", name);
	return name;
}

static void merge_opts(const struct xt_option_entry *x6,
		       const struct option *extra, unsigned int *offset)
{
	struct option *opts;

	if (x6)
		opts = xtables_options_xfrm(xt_params->orig_opts,
					    xt_params->opts, x6, offset);
	else if (extra)
		opts = xtables_merge_options(xt_params->orig_opts,
					     xt_params->opts, extra, offset);
	else
		return;
	if (!opts)
		xtables_error(OTHER_PROBLEM, "can't alloc memory!");
	xt_params->opts = opts;
}

static void init_match(struct xtables_match *m, const char *name)
{
	size_t size = XT_ALIGN(sizeof(struct xt_entry_match)) + m->size;

	m->m = xtables_calloc(1, size);
	m->m->u.match_size = size;
	strcpy(m->m->u.user.name, name);
	m->m->u.user.revision = m->revision;
	if (m->udata_size) {
		free(m->udata);
		m->udata = xtables_calloc(1, m->udata_size);
	}
	if (m->init)
		m->init(m->m);
}

static void command_match(struct parse_state *s)
{
	struct xtables_match *m;

	if (s->invert)
		xtables_error(PARAMETER_PROBLEM,
			      "unexpected ! flag before --match");
	m = xtables_find_match(optarg, XTF_LOAD_MUST_SUCCEED, &s->matches);
	if (m->real_name == NULL) {
		init_match(m, m->name);
	} else {
		init_match(m, m->real_name);
		if (!(m->ext_flags & XTABLES_EXT_ALIAS))
			fprintf(stderr,
				"Notice: the %s match is converted into %s match in rule listing and saving.\n",
				m->name, m->real_name);
	}
	if (m == m->next)
		return;
	merge_opts(m->x6_options, m->extra_opts, &m->option_offset);
}

static void command_jump(struct parse_state *s, const char *name)
{
	struct xtables_target *t;
	size_t size;

	s->jumpto = parse_target_name(name);
	/* a chain name is no target: TRY_LOAD */
	t = xtables_find_target(s->jumpto, XTF_TRY_LOAD);
	s->target = t;
	if (!t)
		return;
	size = XT_ALIGN(sizeof(struct xt_entry_target)) + t->size;
	t->t = xtables_calloc(1, size);
	t->t->u.target_size = size;
	if (!t->real_name) {
		snprintf(t->t->u.user.name, sizeof(t->t->u.user.name), "%s",
			 s->jumpto);
	} else {
		/* an alias (NOTRACK is CT): the kernel gets the real one */
		snprintf(t->t->u.user.name, sizeof(t->t->u.user.name), "%s",
			 t->real_name);
		if (!(t->ext_flags & XTABLES_EXT_ALIAS))
			fprintf(stderr,
				"Notice: The %s target is converted into %s target in rule listing and saving.\n",
				s->jumpto, t->real_name);
	}
	t->t->u.user.revision = t->revision;
	if (t->udata_size) {
		free(t->udata);
		t->udata = xtables_calloc(1, t->udata_size);
	}
	if (t->init)
		t->init(t->t);
	merge_opts(t->x6_options, t->extra_opts, &t->option_offset);
}

static struct xtables_match *find_proto(const char *pname,
					enum xtables_tryload tryload,
					bool nolookup,
					struct xtables_rule_match **matches)
{
	unsigned int proto;

	if (xtables_strtoui(pname, NULL, &proto, 0, UINT8_MAX)) {
		const char *name = ipb_proto_name(proto, nolookup);

		return name ? xtables_find_match(name, tryload, matches) : NULL;
	}
	return xtables_find_match(pname, tryload, matches);
}

/* "-p tcp --dport 22": an unknown option loads the protocol's match. */
static struct xtables_match *load_proto(struct parse_state *s)
{
	bool numeric = s->cmd->options & IPB_OPT_NUMERIC;

	struct xtables_match *found;
	bool loaded;

	if (!s->protocol)
		return NULL;
	found = find_proto(s->protocol, XTF_DONT_LOAD, numeric, NULL);
	loaded = found != NULL;
	/* the lookup clones a descriptor in use (->m set), for us to free
	 * (a clone is its own ->next, as xtables_rule_matches_free() knows) */
	if (found && found->next == found)
		free(found);
	if (loaded && s->proto_used)
		return NULL;
	return find_proto(s->protocol, XTF_TRY_LOAD, numeric, &s->matches);
}

/* An option no core case took: an extension's, or an error.  Returns
 * true if getopt must run again at once (a protocol match was loaded). */
static bool command_default(struct parse_state *s)
{
	struct xtables_rule_match *mp;
	struct xtables_target *t = s->target;
	struct xtables_match *m;

	if (t && (t->parse || t->x6_parse) && s->c >= (int)t->option_offset &&
	    s->c < (int)(t->option_offset + XT_OPTION_OFFSET_SCALE)) {
		xtables_option_tpcall(s->c, s->argv, s->invert, t, &s->fw);
		return false;
	}
	for (mp = s->matches; mp; mp = mp->next) {
		m = mp->match;
		if (mp->completed || (!m->x6_parse && !m->parse))
			continue;
		if (s->c < (int)m->option_offset ||
		    s->c >= (int)(m->option_offset + XT_OPTION_OFFSET_SCALE))
			continue;
		xtables_option_mpcall(s->c, s->argv, s->invert, m, &s->fw);
		return false;
	}
	m = load_proto(s);
	if (m) {
		s->proto_used = true;
		init_match(m, m->name);
		merge_opts(m->x6_options, m->extra_opts, &m->option_offset);
		optind--;
		return true;
	}
	if (s->c == ':')
		xtables_error(PARAMETER_PROBLEM,
			      "option \"%s\" requires an argument",
			      s->argv[optind - 1]);
	/* the argument getopt() last stepped past, as iptables-nft 1.8.9
	 * names it: "-vT" whole, and for "-Tv" the one before */
	if (s->c == '?')
		xtables_error(PARAMETER_PROBLEM, "unknown option \"%s\"",
			      s->argv[optind - 1]);
	xtables_error(PARAMETER_PROBLEM, "Unknown arg \"%s\"", optarg);
}

/* Keeps the working entry's protocol fields current: extensions read
 * them while parsing (multiport checks -p). */
static void sync_entry_proto(struct parse_state *s, uint16_t proto)
{
	if (parse_family == NFPROTO_IPV6) {
		s->fw.v6.ipv6.proto = proto;
		s->fw.v6.ipv6.invflags = s->invflags;
		s->fw.v6.ipv6.flags |= IP6T_F_PROTO;
	} else {
		s->fw.v4.ip.proto = proto;
		s->fw.v4.ip.invflags = s->invflags;
	}
}

static bool is_ipv6_exthdr(uint16_t proto)
{
	return proto == IPPROTO_ROUTING || proto == IPPROTO_FRAGMENT ||
	       proto == IPPROTO_AH || proto == IPPROTO_DSTOPTS;
}

static void option_protocol(struct parse_state *s)
{
	uint16_t proto;
	char *p;

	set_option(s, IPB_OPT_PROTOCOL);
	for (p = optarg; *p; p++)
		*p = tolower((unsigned char)*p);
	s->protocol = optarg;
	proto = xtables_parse_protocol(s->protocol);
	if (proto == 0 && (s->invflags & IPB_INV_PROTO))
		xtables_error(PARAMETER_PROBLEM,
			      "rule would never match protocol");
	sync_entry_proto(s, proto);
	if (parse_family == NFPROTO_IPV6 && is_ipv6_exthdr(proto) &&
	    !(s->invflags & IPB_INV_PROTO))
		fprintf(stderr,
			"Warning: never matched protocol: %s. use extension match instead.\n",
			s->protocol);
}

static void option_interface(struct parse_state *s, bool in)
{
	if (*optarg == '\0')
		xtables_error(PARAMETER_PROBLEM,
			      "Empty interface is likely to be undesired");
	set_option(s, in ? IPB_OPT_VIANAMEIN : IPB_OPT_VIANAMEOUT);
	if (in)
		xtables_parse_interface(optarg, s->iniface, s->iniface_mask);
	else
		xtables_parse_interface(optarg, s->outiface, s->outiface_mask);
}

static void option_counters(struct parse_state *s, int argc, char **argv)
{
	const char *pcnt, *bcnt;

	set_option(s, IPB_OPT_COUNTERS);
	pcnt = optarg;
	bcnt = strchr(pcnt + 1, ',');
	if (bcnt)
		bcnt++;
	if (!bcnt && has_arg(argc, argv))
		bcnt = argv[optind++];
	if (!bcnt)
		xtables_error(PARAMETER_PROBLEM,
			      "-%c requires packet and byte counter",
			      opt2char(IPB_OPT_COUNTERS));
	if (sscanf(pcnt, "%llu", &s->pcnt) != 1)
		xtables_error(PARAMETER_PROBLEM,
			      "-%c packet counter not numeric",
			      opt2char(IPB_OPT_COUNTERS));
	if (sscanf(bcnt, "%llu", &s->bcnt) != 1)
		xtables_error(PARAMETER_PROBLEM,
			      "-%c byte counter not numeric",
			      opt2char(IPB_OPT_COUNTERS));
}

/* -w [seconds] and -W [usecs]: accepted and checked, as iptables-nft
 * does; nf_tables transactions need no lock to wait for. */
static void option_wait(struct parse_state *s, int argc, char **argv,
			bool interval)
{
	const char *arg = optarg;
	unsigned int v;

	if (s->restore)
		xtables_error(PARAMETER_PROBLEM,
			      "You cannot use `-%c' from iptables-restore",
			      interval ? 'W' : 'w');
	if (!arg && has_arg(argc, argv))
		arg = argv[optind++];
	/* -W's value is optional to getopt, not to iptables-nft 1.8.9 */
	if (interval && !arg)
		xtables_error(PARAMETER_PROBLEM, "wait interval value required");
	if (arg && !xtables_strtoui(arg, NULL, &v, 0, UINT_MAX))
		xtables_error(PARAMETER_PROBLEM, interval ?
			      "wait interval not numeric" :
			      "wait seconds not numeric");
	if (interval) {
		fprintf(stderr, "Ignoring deprecated --wait-interval option.\n");
		s->wait_interval_set = true;
	} else {
		s->wait_set = true;
	}
}

static void command_list_like(struct parse_state *s, unsigned int bit,
			      unsigned int others, int argc, char **argv,
			      bool takes_num)
{
	add_command(s, bit, others);
	if (optarg)
		s->cmd->chain = optarg;
	else if (has_arg(argc, argv))
		s->cmd->chain = argv[optind++];
	if (takes_num && has_arg(argc, argv))
		s->cmd->rulenum = parse_rulenumber(argv[optind++]);
}

/* The command options (-A ... -P).  Returns false for any other. */
static bool parse_command_option(struct parse_state *s, int argc, char **argv)
{
	struct ipb_cmd *cmd = s->cmd;

	switch (s->c) {
	case 'A':
		add_command(s, IPB_CMD_APPEND, 0);
		cmd->chain = optarg;
		return true;
	case 'C':
		add_command(s, IPB_CMD_CHECK, 0);
		cmd->chain = optarg;
		return true;
	case 'D':
		add_command(s, IPB_CMD_DELETE, 0);
		cmd->chain = optarg;
		if (has_arg(argc, argv)) {
			cmd->rulenum = parse_rulenumber(argv[optind++]);
			cmd->command = IPB_CMD_DELETE_NUM;
		}
		return true;
	case 'R':
		add_command(s, IPB_CMD_REPLACE, 0);
		cmd->chain = optarg;
		if (!has_arg(argc, argv))
			xtables_error(PARAMETER_PROBLEM,
				      "-%c requires a rule number",
				      cmd2char(IPB_CMD_REPLACE));
		cmd->rulenum = parse_rulenumber(argv[optind++]);
		return true;
	case 'I':
		add_command(s, IPB_CMD_INSERT, 0);
		cmd->chain = optarg;
		cmd->rulenum = has_arg(argc, argv) ?
				       parse_rulenumber(argv[optind++]) : 1;
		return true;
	case 'L':
		command_list_like(s, IPB_CMD_LIST,
				  IPB_CMD_ZERO | IPB_CMD_ZERO_NUM, argc, argv,
				  true);
		return true;
	case 'S':
		command_list_like(s, IPB_CMD_LIST_RULES,
				  IPB_CMD_ZERO | IPB_CMD_ZERO_NUM, argc, argv,
				  true);
		return true;
	case 'F':
		command_list_like(s, IPB_CMD_FLUSH, 0, argc, argv, false);
		return true;
	case 'Z':
		command_list_like(s, IPB_CMD_ZERO,
				  IPB_CMD_LIST | IPB_CMD_LIST_RULES, argc, argv,
				  false);
		if (has_arg(argc, argv)) {
			cmd->rulenum = parse_rulenumber(argv[optind++]);
			cmd->command = (cmd->command & ~IPB_CMD_ZERO) |
				       IPB_CMD_ZERO_NUM;
		}
		return true;
	case 'N':
		parse_chain(optarg);
		add_command(s, IPB_CMD_NEW_CHAIN, 0);
		cmd->chain = optarg;
		return true;
	case 'X':
		command_list_like(s, IPB_CMD_DELETE_CHAIN, 0, argc, argv,
				  false);
		return true;
	case 'E':
		add_command(s, IPB_CMD_RENAME_CHAIN, 0);
		cmd->chain = optarg;
		if (!has_arg(argc, argv))
			xtables_error(PARAMETER_PROBLEM,
				      "-%c requires old-chain-name and new-chain-name",
				      cmd2char(IPB_CMD_RENAME_CHAIN));
		cmd->newname = argv[optind++];
		return true;
	case 'P':
		add_command(s, IPB_CMD_SET_POLICY, 0);
		cmd->chain = optarg;
		if (!has_arg(argc, argv))
			xtables_error(PARAMETER_PROBLEM,
				      "-%c requires a chain and a policy",
				      cmd2char(IPB_CMD_SET_POLICY));
		cmd->policy = argv[optind++];
		return true;
	default:
		return false;
	}
}

static void print_help_and_exit(struct parse_state *s)
	__attribute__((noreturn));

static void print_help_and_exit(struct parse_state *s)
{
	struct xtables_rule_match *mp;
	struct ipb_invocation inv = {
		.tool = IPB_TOOL_IPTABLES,
		.family = parse_family,
		.progname = xt_params->program_name,
		.basename = parse_family == NFPROTO_IPV6 ? "ip6tables" :
							   "iptables",
	};

	/* -h on a restore line: the command help, under the restore
	 * tool's name (iptables-nft-restore 1.8.9) */
	if (s->restore)
		inv.basename = xt_params->program_name;

	/* iptables -p icmp -h */
	if (!s->matches && s->protocol)
		xtables_find_match(s->protocol, XTF_TRY_LOAD, &s->matches);
	ipb_print_help(&inv);
	if (s->target && s->target->help) {
		printf("\n");
		s->target->help();
	}
	for (mp = s->matches; mp; mp = mp->next)
		if (mp->match->help) {
			printf("\n");
			mp->match->help();
		}
	parse_exit(0);
}

/* The rule options; returns false for an option no case here takes. */
static bool parse_rule_option(struct parse_state *s, int argc, char **argv)
{
	switch (s->c) {
	case 'p':
		option_protocol(s);
		return true;
	case 's':
		set_option(s, IPB_OPT_SOURCE);
		s->shost = optarg;
		return true;
	case 'd':
		set_option(s, IPB_OPT_DESTINATION);
		s->dhost = optarg;
		return true;
	case 'g':
		set_option(s, IPB_OPT_JUMP);
		s->goto_set = true;
		s->jumpto = parse_target_name(optarg);
		return true;
	case 'j':
		set_option(s, IPB_OPT_JUMP);
		command_jump(s, optarg);
		return true;
	case 'i':
	case 'o':
		option_interface(s, s->c == 'i');
		return true;
	case 'f':
		if (parse_family == NFPROTO_IPV6)
			xtables_error(PARAMETER_PROBLEM,
				      "`-f' is not supported in IPv6, use -m frag instead");
		set_option(s, IPB_OPT_FRAGMENT);
		s->frag = true;
		return true;
	case 'm':
		command_match(s);
		return true;
	case 'c':
		option_counters(s, argc, argv);
		return true;
	default:
		return false;
	}
}

/* Returns 1 to go on, 0 to stop the loop (other family in restore), -1
 * to rerun getopt at once. */
static int parse_one(struct parse_state *s, int argc, char **argv)
{
	if (parse_command_option(s, argc, argv) ||
	    parse_rule_option(s, argc, argv))
		return 1;

	switch (s->c) {
	case 'h':
		print_help_and_exit(s);
	case 'v':
		if (!s->cmd->verbose)
			set_option(s, IPB_OPT_VERBOSE);
		s->cmd->verbose++;
		return 1;
	case 'n':
		set_option(s, IPB_OPT_NUMERIC);
		return 1;
	case 'x':
		set_option(s, IPB_OPT_EXPANDED);
		return 1;
	case '0':
		set_option(s, IPB_OPT_LINENUMBERS);
		return 1;
	case 't':
		if (s->invert)
			xtables_error(PARAMETER_PROBLEM,
				      "unexpected ! flag before --table");
		/* a restore file names tables with "*table" lines */
		if (s->restore)
			xtables_error(PARAMETER_PROBLEM,
				      "The -t option cannot be used in %s.\n",
				      xt_params->program_name);
		s->cmd->table = optarg;
		return 1;
	case 'V':
		if (s->invert)
			printf("Not %s (nf_tables) ;-)\n",
			       xt_params->program_version);
		else
			printf("%s v%s (nf_tables)\n", xt_params->program_name,
			       xt_params->program_version);
		parse_exit(0);
	case 'w':
	case 'W':
		option_wait(s, argc, argv, s->c == 'W');
		return 1;
	case 'M':
		xtables_modprobe_program = optarg;
		return 1;
	case '4':
	case '6':
		if ((s->c == '4') == (parse_family == NFPROTO_IPV4))
			return 1;
		if (s->restore) {
			s->cmd->other_family = true;
			return 0;
		}
		exit_tryhelp(2);
	case 1:
		if (optarg[0] == '!' && optarg[1] == '\0') {
			if (s->invert)
				xtables_error(PARAMETER_PROBLEM,
					      "multiple consecutive ! not allowed");
			s->invert = true;
			optarg[0] = '\0';
			return -1;
		}
		fprintf(stderr, "Bad argument `%s'\n", optarg);
		exit_tryhelp(2);
	default:
		return command_default(s) ? -1 : 1;
	}
}

static void generic_opt_check(unsigned int command, unsigned int options)
{
	int i, j, legal;

	/* An option legal with any of the commands given is legal. */
	for (i = 0; i < IPB_OPT_COUNT; i++) {
		legal = 0;
		for (j = 0; j < IPB_CMD_COUNT; j++) {
			if (!(command & (1U << j)) || !(options & (1U << i)))
				continue;
			if (commands_v_options[j][i] != 'x')
				legal = 1;
			else if (legal == 0)
				legal = -1;
		}
		if (legal == -1)
			xtables_error(PARAMETER_PROBLEM,
				      "Illegal option `-%c' with this command",
				      optflags[i]);
	}
}

static void check_interfaces_for_chain(struct parse_state *s)
{
	const struct ipb_cmd *cmd = s->cmd;
	const char *chain = cmd->chain;

	if (!(cmd->command & (IPB_CMD_APPEND | IPB_CMD_DELETE |
			      IPB_CMD_DELETE_NUM | IPB_CMD_CHECK |
			      IPB_CMD_INSERT | IPB_CMD_REPLACE)))
		return;
	if ((!strcmp(chain, "PREROUTING") || !strcmp(chain, "INPUT")) &&
	    (cmd->options & IPB_OPT_VIANAMEOUT))
		xtables_error(PARAMETER_PROBLEM, "Can't use -%c with %s\n",
			      opt2char(IPB_OPT_VIANAMEOUT), chain);
	if ((!strcmp(chain, "POSTROUTING") || !strcmp(chain, "OUTPUT")) &&
	    (cmd->options & IPB_OPT_VIANAMEIN))
		xtables_error(PARAMETER_PROBLEM, "Can't use -%c with %s\n",
			      opt2char(IPB_OPT_VIANAMEIN), chain);
}

static void parse_addresses(const char *spec, union nf_inet_addr **addrs,
			    union nf_inet_addr **masks, unsigned int *n)
{
	if (parse_family == NFPROTO_IPV6) {
		struct in6_addr *a = NULL, *m = NULL;
		unsigned int i;

		xtables_ip6parse_multiple(spec, &a, &m, n);
		*addrs = xtables_calloc(*n, sizeof(**addrs));
		*masks = xtables_calloc(*n, sizeof(**masks));
		for (i = 0; i < *n; i++) {
			(*addrs)[i].in6 = a[i];
			(*masks)[i].in6 = m[i];
		}
		free(a);
		free(m);
	} else {
		struct in_addr *a = NULL, *m = NULL;
		unsigned int i;

		xtables_ipparse_multiple(spec, &a, &m, n);
		*addrs = xtables_calloc(*n, sizeof(**addrs));
		*masks = xtables_calloc(*n, sizeof(**masks));
		for (i = 0; i < *n; i++) {
			(*addrs)[i].in = a[i];
			(*masks)[i].in = m[i];
		}
		free(a);
		free(m);
	}
}

/* The rule every address pair shares: core fields, matches, target. */
static struct ipb_rule *build_template(struct parse_state *s)
{
	struct xtables_rule_match *mp;
	struct ipb_rule *r;

	if (ipb_rule_new(&r, parse_family) < 0)
		xtables_error(OTHER_PROBLEM, "can't alloc memory!");
	memcpy(r->iniface, s->iniface, IFNAMSIZ);
	memcpy(r->outiface, s->outiface, IFNAMSIZ);
	r->proto = parse_family == NFPROTO_IPV6 ? s->fw.v6.ipv6.proto :
						  s->fw.v4.ip.proto;
	r->frag = s->frag;
	r->invflags = s->invflags;
	/* ip6tables-nft 1.8.9 parses -c and drops it */
	if (parse_family == NFPROTO_IPV4) {
		r->counters.pcnt = s->pcnt;
		r->counters.bcnt = s->bcnt;
	}
	s->cmd->counters[0] = s->pcnt;
	s->cmd->counters[1] = s->bcnt;
	for (mp = s->matches; mp; mp = mp->next) {
		struct xt_entry_match *m = mp->match->m;
		struct xtables_match *base;

		/* keep libxtables' shared descriptor, not the per-command
		 * clone it frees with the match list.  Take the data out
		 * first: the lookup clones a descriptor whose ->m is set,
		 * and that clone would leak. */
		mp->match->m = NULL;
		base = xtables_find_match_revision(mp->match->name,
						   XTF_DONT_LOAD, NULL,
						   mp->match->revision);
		if (ipb_rule_add_match(r, base ? base : mp->match, m) < 0) {
			free(m);
			xtables_error(OTHER_PROBLEM, "can't alloc memory!");
		}
	}
	return r;
}

static void set_template_target(struct parse_state *s, struct ipb_rule *r)
{
	struct ipb_target *t = &r->target;
	const char *j = s->jumpto;

	if (!j) {
		t->kind = IPB_TARGET_NONE;
	} else if (s->target && !strcmp(s->target->name, "standard")) {
		if (!strcmp(j, "ACCEPT"))
			t->kind = IPB_TARGET_ACCEPT;
		else if (!strcmp(j, "DROP"))
			t->kind = IPB_TARGET_DROP;
		else if (!strcmp(j, "RETURN"))
			t->kind = IPB_TARGET_RETURN;
		else
			t->kind = IPB_TARGET_QUEUE;
		if (t->kind == IPB_TARGET_QUEUE) {
			t->xt = s->target;
			t->t = s->target->t;
			s->target->t = NULL;
		}
	} else if (s->target) {
		ipb_rule_set_target_ext(r, s->target, s->target->t);
		s->target->t = NULL;
	} else {
		t->kind = s->goto_set ? IPB_TARGET_GOTO : IPB_TARGET_JUMP;
		snprintf(t->chain, sizeof(t->chain), "%s", j);
	}
}

/* One rule per source × destination address, as iptables expands. */
static void expand_rules(struct parse_state *s, struct ipb_rule *tmpl)
{
	/* in the state, which a parse error frees (parse_exit()) */
	union nf_inet_addr **saddrs = &s->addrs[0], **smasks = &s->addrs[1];
	union nf_inet_addr **daddrs = &s->addrs[2], **dmasks = &s->addrs[3];
	unsigned int ns = 0, nd = 0, i, j;
	struct ipb_rule **tail = &s->cmd->rules;
	unsigned int command = s->cmd->command;

	if (command & (IPB_CMD_REPLACE | IPB_CMD_INSERT | IPB_CMD_DELETE |
		       IPB_CMD_APPEND | IPB_CMD_CHECK)) {
		if (!s->dhost)
			s->dhost = parse_family == NFPROTO_IPV6 ? "::/0" :
								  "0.0.0.0/0";
		if (!s->shost)
			s->shost = parse_family == NFPROTO_IPV6 ? "::/0" :
								  "0.0.0.0/0";
	}
	if (s->shost)
		parse_addresses(s->shost, saddrs, smasks, &ns);
	if (s->dhost)
		parse_addresses(s->dhost, daddrs, dmasks, &nd);
	if ((ns > 1 || nd > 1) &&
	    (s->invflags & (IPB_INV_SRC | IPB_INV_DST)))
		xtables_error(PARAMETER_PROBLEM,
			      "! not allowed with multiple source or destination IP addresses");
	if (command == IPB_CMD_REPLACE && (ns != 1 || nd != 1))
		xtables_error(PARAMETER_PROBLEM,
			      "Replacement rule does not specify a unique address");

	for (i = 0; i < ns; i++)
		for (j = 0; j < nd; j++) {
			struct ipb_rule *r;
			size_t k, alen = ipb_addr_len(parse_family);

			if (ipb_rule_clone(&r, tmpl) < 0)
				xtables_error(OTHER_PROBLEM,
					      "can't alloc memory!");
			r->src = (*saddrs)[i];
			r->smsk = (*smasks)[i];
			r->dst = (*daddrs)[j];
			r->dmsk = (*dmasks)[j];
			/* iptables stores the address masked */
			for (k = 0; k < alen; k++) {
				((uint8_t *)&r->src)[k] &=
					((uint8_t *)&r->smsk)[k];
				((uint8_t *)&r->dst)[k] &=
					((uint8_t *)&r->dmsk)[k];
			}
			*tail = r;
			tail = &r->next;
		}
	free_addrs(s);
}

static void reset_extension_state(void)
{
	struct xtables_match *m;
	struct xtables_target *t;

	for (m = xtables_matches; m; m = m->next)
		m->mflags = 0;
	for (t = xtables_targets; t; t = t->next) {
		t->tflags = 0;
		t->used = 0;
	}
}

static void final_checks(struct parse_state *s)
{
	struct xtables_rule_match *mp;
	struct ipb_cmd *cmd = s->cmd;

	if (!strcmp(cmd->table, "nat") &&
	    ((cmd->policy && !strcmp(cmd->policy, "DROP")) ||
	     (s->jumpto && !strcmp(s->jumpto, "DROP"))))
		xtables_error(PARAMETER_PROBLEM,
			      "\nThe \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n");
	for (mp = s->matches; mp; mp = mp->next)
		xtables_option_mfcall(mp->match);
	if (s->target)
		xtables_option_tfcall(s->target);
}

void ipb_parse_command(struct ipb_cmd *cmd, int argc, char **argv,
		       bool restore)
{
	struct parse_state s = { .cmd = cmd, .restore = restore,
				 .argv = argv };
	int ret;

	if (!cmd->table)
		cmd->table = "filter";
	optind = 0;
	opterr = 0;
	reset_extension_state();
	release_opts();
	parsing = &s;

	while ((s.c = getopt_long(argc, argv, optstring, xt_params->opts,
				  NULL)) != -1) {
		ret = parse_one(&s, argc, argv);
		if (ret == 0) {
			discard_parse_state(&s);
			parsing = NULL;
			return;
		}
		if (ret < 0)
			continue;
		s.invert = false;
	}

	if (s.wait_interval_set && !s.wait_set)
		xtables_error(PARAMETER_PROBLEM,
			      "--wait-interval only makes sense with --wait\n");
	final_checks(&s);
	if (optind < argc)
		xtables_error(PARAMETER_PROBLEM,
			      "unknown arguments found on commandline");
	if (!cmd->command)
		xtables_error(PARAMETER_PROBLEM, "no command specified");
	if (s.invert)
		xtables_error(PARAMETER_PROBLEM,
			      "nothing appropriate following !");

	s.tmpl = build_template(&s);
	set_template_target(&s, s.tmpl);
	expand_rules(&s, s.tmpl);
	ipb_rule_free(s.tmpl);
	s.tmpl = NULL;

	generic_opt_check(cmd->command, cmd->options);
	if (cmd->chain && strlen(cmd->chain) >= XT_EXTENSION_MAXNAMELEN)
		xtables_error(PARAMETER_PROBLEM,
			      "chain name `%s' too long (must be under %u chars)",
			      cmd->chain, XT_EXTENSION_MAXNAMELEN);
	check_interfaces_for_chain(&s);

	discard_parse_state(&s);
	parsing = NULL;
}
