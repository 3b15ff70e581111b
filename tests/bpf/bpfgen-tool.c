// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A small driver of the bpfgen hook API for tests/cli/bpfgen-attach.bats.
 * Not a front end: it builds one fixed kind of ruleset,
 *	[-p udp --dport P -j DROP]... [-p icmp -j DROP]
 *	[-m state --state S -j DROP] [-m connmark --mark M -j DROP]
 *	-P <policy>
 * each rule counted in slot 0, 1, ... and the policy in the last slot,
 * and installs it at a hook of the current network namespace.  With
 * --user-chain the rules sit in a user chain that the base chain jumps
 * to (a BPF subprogram behind the dispatcher's tail call).
 *
 *	bpfgen-tool install --family 4|6 --hook input [--table filter]
 *		[--priority N] [--drop-udp-port P]... [--drop-icmp]
 *		[--drop-ctstate XT_STATE_BITS] [--drop-ctmark M]
 *		[--policy accept|drop] [--name NAME] [--user-chain]
 *	bpfgen-tool remove  --family 4|6 --hook input [--table filter]
 *	bpfgen-tool status  --family 4|6 --hook input [--table filter]
 *	bpfgen-tool counter --family 4|6 --hook input --slot N
 *	bpfgen-tool udp-send --dst ADDR --port P --count N [--gap-us U]
 *		[--sport S]
 *		[--started FILE] [--until FILE]  (touch FILE after 100
 *		datagrams; stop once FILE exists instead of after N)
 *	bpfgen-tool udp-recv --port P --idle-ms M [--ready FILE]
 *		[--until FILE]  (count until FILE exists and 100 ms pass
 *		without a datagram, instead of until M ms pass without one)
 *	bpfgen-tool ping --dst IPV4 --count N [--idle-ms M]
 *	bpfgen-tool raw-send --hex IP_PACKET_IN_HEX (crafted packets: the
 *		destination is taken from the header)
 *	bpfgen-tool udp-probe --dst ADDR --port P [--idle-ms M]: one
 *		datagram to a port nobody listens on; prints "refused" if
 *		the ICMP port unreachable came back (the datagram got
 *		through), "timeout" if nothing came within M ms, "dropped"
 *		if the send failed with EPERM (dropped at OUTPUT)
 *	bpfgen-tool swap-loop --port P --interval-us I --seconds S
 *		--ready F --started F --swapped F --drained F [--hook ...]:
 *		two programs, X (UDP to P: drop, to P+1: accept) and Y (the
 *		reverse), each counting both rules in counters of its own;
 *		installs X, touches --ready, waits for --started, swaps Y,
 *		X, Y, ... every I us for S s, touches --swapped, waits for
 *		--drained, then prints "swaps=N late=L max_us=M" and the
 *		counts "x0 x1 y0 y1" of the four rules
 *	bpfgen-tool kill-after US CMD [ARGS...]: run CMD, SIGKILL it after
 *		US microseconds (-1: never); prints "killed" or "exited N",
 *		then the microseconds it ran; a CMD that stops itself
 *		(IPTABLES_BPF_FAULT_STOP) is killed there: "killed-at-stop"
 * udp-send, udp-recv and ping print how many datagrams/replies went
 * through, so the tests assert on numbers.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/netfilter.h>

#include "bpfgen/bpfgen.h"

#define MAX_PORTS 16

struct opts {
	struct bpfgen_hook_spec spec;
	int ports[MAX_PORTS];
	int nports;
	bool drop_icmp;
	bool user_chain;
	long ctstate, ctmark;
	bool policy_drop;
	const char *name;
	const char *dst;
	const char *ready;
	const char *hex;
	const char *started, *until, *swapped, *drained;
	int port, sport, count, gap_us, idle_ms, slot, interval_us, seconds;
};

static int hook_by_name(const char *s)
{
	static const char *const names[] = {
		"prerouting", "input", "forward", "output", "postrouting",
	};
	int i;

	for (i = 0; i < 5; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "family", 1, NULL, 'f' }, { "hook", 1, NULL, 'k' },
		{ "table", 1, NULL, 't' }, { "priority", 1, NULL, 'P' },
		{ "drop-udp-port", 1, NULL, 'u' }, { "drop-icmp", 0, NULL, 'i' },
		{ "policy", 1, NULL, 'p' }, { "name", 1, NULL, 'n' },
		{ "dst", 1, NULL, 'd' }, { "port", 1, NULL, 'o' },
		{ "count", 1, NULL, 'c' }, { "gap-us", 1, NULL, 'g' },
		{ "idle-ms", 1, NULL, 'I' }, { "ready", 1, NULL, 'r' },
		{ "slot", 1, NULL, 's' }, { "defrag", 0, NULL, 'D' },
		{ "user-chain", 0, NULL, 'U' }, { "hex", 1, NULL, 'H' },
		{ "sport", 1, NULL, 'R' },
		{ "started", 1, NULL, 'T' }, { "until", 1, NULL, 'X' },
		{ "interval-us", 1, NULL, 'w' }, { "seconds", 1, NULL, 'e' },
		{ "swapped", 1, NULL, 'y' }, { "drained", 1, NULL, 'z' }, { "drop-ctstate", 1, NULL, 'S' }, { "drop-ctmark", 1, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->spec = (struct bpfgen_hook_spec){
		.family = NFPROTO_IPV4, .table = "filter",
		.hook = NF_INET_LOCAL_IN,
	};
	o->name = "ipb_tool";
	o->ctstate = o->ctmark = -1;
	o->idle_ms = 1000;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->spec.family = atoi(optarg) == 6 ? NFPROTO_IPV6 :
							     NFPROTO_IPV4;
			break;
		case 'k':
			o->spec.hook = hook_by_name(optarg);
			if (o->spec.hook < 0)
				return -EINVAL;
			break;
		case 't': o->spec.table = optarg; break;
		case 'P': o->spec.priority = atoi(optarg); break;
		case 'D': o->spec.defrag = true; break;
		case 'u':
			if (o->nports == MAX_PORTS)
				return -E2BIG;
			o->ports[o->nports++] = atoi(optarg);
			break;
		case 'i': o->drop_icmp = true; break;
		case 'U': o->user_chain = true; break;
		case 'H': o->hex = optarg; break;
		case 'R': o->sport = atoi(optarg); break;
		case 'T': o->started = optarg; break;
		case 'X': o->until = optarg; break;
		case 'w': o->interval_us = atoi(optarg); break;
		case 'e': o->seconds = atoi(optarg); break;
		case 'y': o->swapped = optarg; break;
		case 'z': o->drained = optarg; break;
		case 'S': o->ctstate = strtol(optarg, NULL, 0); break;
		case 'M': o->ctmark = strtol(optarg, NULL, 0); break;
		case 'p': o->policy_drop = !strcmp(optarg, "drop"); break;
		case 'n': o->name = optarg; break;
		case 'd': o->dst = optarg; break;
		case 'o': o->port = atoi(optarg); break;
		case 'c': o->count = atoi(optarg); break;
		case 'g': o->gap_us = atoi(optarg); break;
		case 'I': o->idle_ms = atoi(optarg); break;
		case 'r': o->ready = optarg; break;
		case 's': o->slot = atoi(optarg); break;
		default: return -EINVAL;
		}
	}
	return 0;
}

static int build_rules(struct bpfgen_prog *p, const struct opts *o,
		       int slot)
{
	struct bpfgen_verdict drop = { BPFGEN_VERDICT_DROP, 0 };
	int i, fail;

	for (i = 0; i < o->nports; i++) {
		fail = bpfgen_rule_begin(p, slot++);
		bpfgen_match_l4proto(p, IPPROTO_UDP, false);
		bpfgen_load_l4(p, BPF_REG_1, 2, 2, fail);
		bpfgen_ntoh(p, BPF_REG_1, 2);
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, o->ports[i], 2,
			       false);
		bpfgen_rule_end(p, &drop);
	}
	if (o->drop_icmp) {
		bpfgen_rule_begin(p, slot++);
		bpfgen_match_l4proto(p, o->spec.family == NFPROTO_IPV4 ?
				     IPPROTO_ICMP : IPPROTO_ICMPV6, false);
		bpfgen_rule_end(p, &drop);
	}
	if (o->ctstate >= 0) {
		bpfgen_rule_begin(p, slot++);
		bpfgen_load_ct(p, BPF_REG_1, BPFGEN_CT_STATE, -1);
		bpfgen_cmp_mask(p, BPF_REG_1, o->ctstate, 0, true);
		bpfgen_rule_end(p, &drop);
	}
	if (o->ctmark >= 0) {
		bpfgen_rule_begin(p, slot++);
		bpfgen_load_ct(p, BPF_REG_1, BPFGEN_CT_MARK, -1);
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, o->ctmark, 4, false);
		bpfgen_rule_end(p, &drop);
	}
	return slot;
}

static int build(struct bpfgen_prog *p, const struct opts *o)
{
	struct bpfgen_verdict jump = { BPFGEN_VERDICT_JUMP, 1 };
	enum bpfgen_verdict_kind policy = o->policy_drop ?
		BPFGEN_VERDICT_DROP : BPFGEN_VERDICT_ACCEPT;
	int slot;

	bpfgen_chain_begin(p, 0);
	if (!o->user_chain) {
		slot = build_rules(p, o, 0);
		return bpfgen_chain_end(p, policy, slot);
	}
	/* slot 0 counts the jump, the user chain's rules follow */
	slot = 1 + o->nports + o->drop_icmp + (o->ctstate >= 0) +
	       (o->ctmark >= 0);
	bpfgen_rule_begin(p, 0);
	bpfgen_rule_end(p, &jump);
	bpfgen_chain_end(p, policy, slot);
	bpfgen_user_chain_begin(p, 1);
	build_rules(p, o, 1);
	return bpfgen_user_chain_end(p);
}

static int cmd_install(const struct opts *o)
{
	static char log[1 << 16];
	struct bpfgen_prog *p = NULL;
	int fd = -1, err;

	err = bpfgen_prog_new(&p, o->spec.family, o->spec.hook);
	if (err)
		return err;
	err = build(p, o);
	if (!err)
		err = bpfgen_prog_load(p, o->name, &fd, log, sizeof(log));
	if (getenv("IPB_DUMP_INSNS") && !strcmp(getenv("IPB_DUMP_INSNS"), "1"))
		bpfgen_prog_dump(p, stderr);
	if (err && log[0])
		fprintf(stderr, "verifier log:\n%s\n", log);
	if (!err)
		err = bpfgen_hook_install(&o->spec, fd,
					  bpfgen_prog_counters_fd(p));
	if (fd >= 0)
		close(fd);
	bpfgen_prog_free(p);
	return err;
}

static int cmd_status(const struct opts *o)
{
	struct bpfgen_hook_status st;
	int err = bpfgen_hook_query(&o->spec, &st);

	if (err)
		return err;
	printf("link_id=%u dispatcher_id=%u prog_id=%u name=%s insns=%u "
	       "xlated=%u jited=%u dir=%s\n", st.link_id, st.dispatcher_id,
	       st.prog_id, st.prog_name, st.insn_cnt, st.xlated_len,
	       st.jited_len, st.pin_dir);
	return 0;
}

static int cmd_counter(const struct opts *o)
{
	uint64_t pkts, bytes;
	int fd = -1, err;

	err = bpfgen_hook_counters_open(&o->spec, &fd);
	if (err)
		return err;
	err = bpfgen_counters_read(fd, o->slot, &pkts, &bytes);
	close(fd);
	if (!err)
		printf("%llu %llu\n", (unsigned long long)pkts,
		       (unsigned long long)bytes);
	return err;
}

/* Fill @ss from @addr (v4 or v6) and @port. */
static int sockaddr_of(const char *addr, int port,
		       struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
		return 0;
	}
	return -EINVAL;
}

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f)
		fclose(f);
}

static int cmd_udp_send(const struct opts *o)
{
	struct timespec gap = { 0, (long)o->gap_us * 1000 };
	struct sockaddr_storage ss;
	char payload[32] = "ipb";
	socklen_t len;
	int fd, i, sent = 0, err;

	if (!o->dst)
		return -EINVAL;
	err = sockaddr_of(o->dst, o->port, &ss, &len);
	if (err)
		return err;
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (o->sport) {
		struct sockaddr_storage src;
		socklen_t slen;

		sockaddr_of(ss.ss_family == AF_INET ? "0.0.0.0" : "::",
			    o->sport, &src, &slen);
		if (bind(fd, (struct sockaddr *)&src, slen)) {
			err = -errno;
			close(fd);
			return err;
		}
	}
	for (i = 0; o->until || i < o->count; i++) {
		if (sendto(fd, payload, sizeof(payload), 0,
			   (struct sockaddr *)&ss, len) == sizeof(payload))
			sent++;
		if (o->gap_us)
			nanosleep(&gap, NULL);
		if (i % 100 != 99)
			continue;
		if (i == 99 && o->started)
			touch(o->started);
		if (o->until && !access(o->until, F_OK))
			break;
	}
	close(fd);
	printf("%d\n", sent);
	return 0;
}

/* Count datagrams until none came for --idle-ms (after the first). */
static int cmd_udp_recv(const struct opts *o)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	int fd, n = 0, rcvbuf = 4 << 20, off = 0;
	struct pollfd pfd;
	char buf[64];

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	sa.sin6_port = htons(o->port);
	sa.sin6_addr = in6addr_any;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -errno;
	}
	if (o->ready)
		touch(o->ready);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	for (;;) {
		if (poll(&pfd, 1, o->until ? 100 : o->idle_ms) > 0) {
			if (recv(fd, buf, sizeof(buf), 0) > 0)
				n++;
		} else if (!o->until || !access(o->until, F_OK)) {
			break;
		}
	}
	close(fd);
	printf("%d\n", n);
	return 0;
}

/*
 * Send one IP packet as given (IPPROTO_RAW: the header is ours; the
 * kernel fills in an IPv4 total length and checksum).
 */
static int cmd_raw_send(const struct opts *o)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	uint8_t pkt[512];
	size_t len = 0, n;
	socklen_t slen;
	int fd, err = 0;
	unsigned int b;

	if (!o->hex)
		return -EINVAL;
	n = strlen(o->hex);
	for (len = 0; 2 * len + 1 < n && len < sizeof(pkt); len++) {
		if (sscanf(o->hex + 2 * len, "%2x", &b) != 1)
			return -EINVAL;
		pkt[len] = b;
	}
	if (len >= 40 && pkt[0] >> 4 == 6) {
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, pkt + 24, 16);
		slen = sizeof(*s6);
	} else if (len >= 20 && pkt[0] >> 4 == 4) {
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, pkt + 16, 4);
		slen = sizeof(*s4);
	} else {
		return -EINVAL;
	}
	fd = socket(ss.ss_family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return -errno;
	if (sendto(fd, pkt, len, 0, (struct sockaddr *)&ss, slen) < 0)
		err = -errno;
	close(fd);
	return err;
}

static uint32_t csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t k;

	for (k = 0; k + 1 < len; k += 2)
		sum += p[k] << 8 | p[k + 1];
	sum = (sum & 0xffff) + (sum >> 16);
	return ~(sum + (sum >> 16)) & 0xffff;
}

/* ICMP echo over a raw socket (iputils is not always installed). */
static int cmd_ping(const struct opts *o)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	uint8_t req[16] = { 8, 0 }, buf[128];
	int fd, i, replies = 0;
	struct pollfd pfd;
	uint32_t sum;

	if (!o->dst || inet_pton(AF_INET, o->dst, &sa.sin_addr) != 1)
		return -EINVAL;
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0)
		return -errno;
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	for (i = 0; i < o->count; i++) {
		req[4] = 0x1b;	/* id */
		req[7] = i;	/* sequence */
		req[2] = req[3] = 0;
		sum = csum(req, sizeof(req));
		req[2] = sum >> 8;
		req[3] = sum & 0xff;
		if (sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&sa,
			   sizeof(sa)) < 0)
			continue;
		while (poll(&pfd, 1, o->idle_ms) > 0) {
			ssize_t n = recv(fd, buf, sizeof(buf), 0);
			size_t ihl = n > 0 ? (buf[0] & 0xf) * 4 : 0;

			/* an echo reply (type 0) to this request */
			if (n >= (ssize_t)(ihl + 8) && buf[ihl] == 0 &&
			    buf[ihl + 4] == 0x1b && buf[ihl + 7] == (uint8_t)i) {
				replies++;
				break;
			}
		}
	}
	close(fd);
	printf("%d\n", replies);
	return 0;
}

static int cmd_udp_probe(const struct opts *o)
{
	struct sockaddr_storage ss;
	struct pollfd pfd;
	char payload[8] = "probe";
	socklen_t len;
	int fd, err, n;

	if (!o->dst)
		return -EINVAL;
	err = sockaddr_of(o->dst, o->port, &ss, &len);
	if (err)
		return err;
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, len)) {
		err = -errno;
		close(fd);
		return err;
	}
	/* dropped on the way out (OUTPUT): the send says so */
	if (send(fd, payload, sizeof(payload), 0) < 0) {
		err = errno == EPERM ? 0 : -errno;
		if (!err)
			printf("dropped\n");
		close(fd);
		return err;
	}
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	n = poll(&pfd, 1, o->idle_ms);
	if (n > 0 && recv(fd, payload, sizeof(payload), 0) < 0 &&
	    errno == ECONNREFUSED)
		printf("refused\n");
	else if (n > 0)
		printf("reply\n");
	else
		printf("timeout\n");
	close(fd);
	return 0;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* X (@first): UDP to @port dropped, to @port + 1 accepted; Y the reverse */
static int build_swap(struct bpfgen_prog *p, int port, bool first)
{
	struct bpfgen_verdict drop = { BPFGEN_VERDICT_DROP, 0 };
	struct bpfgen_verdict accept = { BPFGEN_VERDICT_ACCEPT, 0 };
	int i, fail;

	bpfgen_chain_begin(p, 0);
	for (i = 0; i < 2; i++) {
		fail = bpfgen_rule_begin(p, i);
		bpfgen_match_l4proto(p, IPPROTO_UDP, false);
		bpfgen_load_l4(p, BPF_REG_1, 2, 2, fail);
		bpfgen_ntoh(p, BPF_REG_1, 2);
		bpfgen_cmp_imm(p, BPF_REG_1, BPFGEN_CMP_EQ, port + i, 2, false);
		bpfgen_rule_end(p, (i == 0) == first ? &drop : &accept);
	}
	return bpfgen_chain_end(p, BPFGEN_VERDICT_ACCEPT, 2);
}

static void wait_for(const char *path)
{
	struct timespec ms = { 0, 1000000 };

	while (path && access(path, F_OK))
		nanosleep(&ms, NULL);
}

static int cmd_swap_loop(const struct opts *o)
{
	struct bpfgen_prog *p[2] = { NULL, NULL };
	long long end, t0, dt, max_us = 0;
	int fd[2] = { -1, -1 }, i, err = 0, late = 0, swaps = 0;
	uint64_t pkts[4], bytes;
	struct timespec next;

	if (!o->port || o->interval_us <= 0)
		return -EINVAL;
	for (i = 0; !err && i < 2; i++) {
		err = bpfgen_prog_new(&p[i], o->spec.family, o->spec.hook);
		if (!err)
			err = build_swap(p[i], o->port, i == 0);
		if (!err)
			err = bpfgen_prog_load(p[i], i ? "ipb_swap_y" : "ipb_swap_x",
					       &fd[i], NULL, 0);
	}
	if (!err)
		err = bpfgen_hook_install(&o->spec, fd[0],
					  bpfgen_prog_counters_fd(p[0]));
	if (err)
		goto out;
	if (o->ready)
		touch(o->ready);
	wait_for(o->started);
	clock_gettime(CLOCK_MONOTONIC, &next);
	end = now_us() + o->seconds * 1000000LL;
	while (!err && now_us() < end) {
		next.tv_nsec += o->interval_us * 1000L;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		i = ++swaps % 2;
		t0 = now_us();
		err = bpfgen_hook_install(&o->spec, fd[i],
					  bpfgen_prog_counters_fd(p[i]));
		dt = now_us() - t0;
		max_us = dt > max_us ? dt : max_us;
		/* finished past the next tick: that swap will run late */
		if (t0 + dt > next.tv_sec * 1000000LL + next.tv_nsec / 1000)
			late++;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	if (err)
		goto out;
	if (o->swapped)
		touch(o->swapped);
	wait_for(o->drained);
	for (i = 0; !err && i < 4; i++)
		err = bpfgen_counters_read(bpfgen_prog_counters_fd(p[i / 2]),
					   i % 2, &pkts[i], &bytes);
	if (!err)
		printf("swaps=%d late=%d max_us=%lld\n%llu %llu %llu %llu\n",
		       swaps, late, max_us, (unsigned long long)pkts[0],
		       (unsigned long long)pkts[1], (unsigned long long)pkts[2],
		       (unsigned long long)pkts[3]);
out:
	for (i = 0; i < 2; i++) {
		if (fd[i] >= 0)
			close(fd[i]);
		bpfgen_prog_free(p[i]);
	}
	return err;
}

/* kill -9 at a chosen moment, from outside and without a debugger */
static int cmd_kill_after(int argc, char **argv)
{
	long long t0, us;
	struct timespec ts;
	int status;
	pid_t pid;

	if (argc < 2)
		return -EINVAL;
	us = atoll(argv[0]);
	t0 = now_us();
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (us >= 0) {
		ts.tv_sec = us / 1000000;
		ts.tv_nsec = us % 1000000 * 1000;
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
	}
	/* a command that stopped itself at a fault point dies there */
	while (waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		us = -2;
	}
	if (us == -2 && WIFSIGNALED(status))
		printf("killed-at-stop %lld\n", now_us() - t0);
	else if (WIFSIGNALED(status))
		printf("killed %lld\n", now_us() - t0);
	else
		printf("exited %d %lld\n", WEXITSTATUS(status), now_us() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	const char *cmd;
	int err;

	if (argc < 2) {
		fprintf(stderr, "usage: see the head of bpfgen-tool.c\n");
		return 2;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "kill-after")) {
		err = cmd_kill_after(argc - 2, argv + 2);
		if (err)
			fprintf(stderr, "bpfgen-tool kill-after: %s\n",
				strerror(-err));
		return err ? 1 : 0;
	}
	err = parse(argc - 1, argv + 1, &o);
	if (err) {
		fprintf(stderr, "bpfgen-tool: bad arguments\n");
		return 2;
	}
	if (!strcmp(cmd, "install"))
		err = cmd_install(&o);
	else if (!strcmp(cmd, "remove"))
		err = bpfgen_hook_remove(&o.spec);
	else if (!strcmp(cmd, "status"))
		err = cmd_status(&o);
	else if (!strcmp(cmd, "counter"))
		err = cmd_counter(&o);
	else if (!strcmp(cmd, "udp-send"))
		err = cmd_udp_send(&o);
	else if (!strcmp(cmd, "raw-send"))
		err = cmd_raw_send(&o);
	else if (!strcmp(cmd, "ping"))
		err = cmd_ping(&o);
	else if (!strcmp(cmd, "udp-recv"))
		err = cmd_udp_recv(&o);
	else if (!strcmp(cmd, "udp-probe"))
		err = cmd_udp_probe(&o);
	else if (!strcmp(cmd, "swap-loop"))
		err = cmd_swap_loop(&o);
	else
		err = -EINVAL;
	if (err) {
		fprintf(stderr, "bpfgen-tool %s: %s\n", cmd, strerror(-err));
		return 1;
	}
	return 0;
}
