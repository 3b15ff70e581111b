// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The benchmark's packet generator and sink: UDP over a connected socket
 * with sendmmsg()/recvmmsg(), for a bounded time, each pinned to a CPU.
 *
 *	udpgen send --dst ADDR --port P --ms D [--size S] [--cpu C]
 *		sends S-byte datagrams (default 18: 60-byte frames) for D
 *		milliseconds; prints "sent N ns T"
 *	udpgen recv --port P --ms D [--ready FILE] [--cpu C]
 *		counts datagrams until 50 ms pass without one after the
 *		first, or D ms in all; touches FILE once the socket is
 *		bound; prints "recv N ns T", T the time from the first
 *		datagram to the last
 *
 * On veth the receiving stack (routing, netfilter hooks, socket
 * enqueue) runs in the sender's softirq on the sender's CPU, so the
 * sender's rate is what the hooks allow; the sink runs on the other CPU
 * with a large buffer so that it is not the bottleneck.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_SIZE 1472
#define IDLE_MS 50

struct opts {
	const char *dst;
	const char *ready;
	int port;
	int ms;
	int size;
	int cpu;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void pin_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* best effort: an unpinned run still measures, only noisier */
	sched_setaffinity(0, sizeof(set), &set);
}

static int do_send(const struct opts *o)
{
	static char payload[MAX_SIZE];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct mmsghdr msgs[BATCH];
	struct iovec iov = { payload, o->size };
	uint64_t sent = 0, start, end, t;
	int fd, i, n;

	if (inet_pton(AF_INET, o->dst, &sin.sin_addr) != 1) {
		fprintf(stderr, "udpgen: bad address %s\n", o->dst);
		return 1;
	}
	sin.sin_port = htons(o->port);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("udpgen: socket");
		return 1;
	}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	start = now_ns();
	end = start + (uint64_t)o->ms * 1000000ULL;
	do {
		n = sendmmsg(fd, msgs, BATCH, 0);
		/* a refused or full queue is the network's answer, not ours */
		if (n > 0)
			sent += n;
		t = now_ns();
	} while (t < end);
	close(fd);
	printf("sent %llu ns %llu\n", (unsigned long long)sent,
	       (unsigned long long)(t - start));
	return 0;
}

static int do_recv(const struct opts *o)
{
	static char bufs[BATCH][MAX_SIZE];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	uint64_t got = 0, first = 0, last = 0, deadline;
	int fd, i, n, big = 64 << 20;

	sin.sin_port = htons(o->port);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("udpgen: socket");
		return 1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = MAX_SIZE;
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	if (o->ready) {
		int rfd = open(o->ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

		if (rfd >= 0)
			close(rfd);
	}
	deadline = now_ns() + (uint64_t)o->ms * 1000000ULL;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t t = now_ns();
		int wait_ms;

		if (t >= deadline)
			break;
		wait_ms = (deadline - t) / 1000000 + 1;
		if (got && wait_ms > IDLE_MS)
			wait_ms = IDLE_MS;
		if (poll(&pfd, 1, wait_ms) <= 0) {
			if (got)
				break;
			continue;
		}
		n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			continue;
		last = now_ns();
		if (!got)
			first = last;
		got += n;
	}
	close(fd);
	printf("recv %llu ns %llu\n", (unsigned long long)got,
	       (unsigned long long)(last - first));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dst", required_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'p' },
		{ "ms", required_argument, NULL, 'm' },
		{ "size", required_argument, NULL, 's' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "ready", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .port = 9999, .ms = 500, .size = 18, .cpu = -1 };
	const char *cmd;
	int c;

	if (argc < 2) {
		fprintf(stderr, "usage: udpgen send|recv [options]\n");
		return 2;
	}
	cmd = argv[1];
	argv++;
	argc--;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o.dst = optarg; break;
		case 'p': o.port = atoi(optarg); break;
		case 'm': o.ms = atoi(optarg); break;
		case 's': o.size = atoi(optarg); break;
		case 'c': o.cpu = atoi(optarg); break;
		case 'r': o.ready = optarg; break;
		default: return 2;
		}
	}
	if (o.size < 0 || o.size > MAX_SIZE || o.ms <= 0) {
		fprintf(stderr, "udpgen: bad --size or --ms\n");
		return 2;
	}
	pin_cpu(o.cpu);
	if (!strcmp(cmd, "send") && o.dst)
		return do_send(&o);
	if (!strcmp(cmd, "recv"))
		return do_recv(&o);
	fprintf(stderr, "usage: udpgen send|recv [options]\n");
	return 2;
}
