// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <netinet/in.h>
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_packet.h>
#include <linux/netfilter.h>

#include "tests/lib/koracle.h"
#include "tests/lib/pkt.h"

#define KORACLE_MAC "02:00:00:00:00:aa"

struct koracle {
	char ns_a[64], ns_b[64];
	uint8_t mac_b[6];
	int sock;
	int ifindex;
};

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return rc == 0 ? 0 : -EIO;
}

/* A packet socket on "va" inside namespace A. */
static int open_sock(struct koracle *k)
{
	char path[128];
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), ns, err = 0;

	snprintf(path, sizeof(path), "/run/netns/%s", k->ns_a);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || ns < 0 || setns(ns, CLONE_NEWNET)) {
		err = -errno;
		goto out;
	}
	k->sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (k->sock < 0)
		err = -errno;
	k->ifindex = if_nametoindex("va");
	if (!k->ifindex)
		err = -ENODEV;
	if (setns(self, CLONE_NEWNET))
		abort();	/* cannot go on in the wrong namespace */
out:
	if (self >= 0)
		close(self);
	if (ns >= 0)
		close(ns);
	return err;
}

static int read_mac(struct koracle *k)
{
	char cmd[256], buf[64];
	unsigned int m[6];
	FILE *f;
	int i, n;

	snprintf(cmd, sizeof(cmd),
		 "ip netns exec %s cat /sys/class/net/vb/address", k->ns_b);
	f = popen(cmd, "r");
	if (!f)
		return -errno;
	n = fgets(buf, sizeof(buf), f) ? sscanf(buf, "%x:%x:%x:%x:%x:%x",
						 &m[0], &m[1], &m[2], &m[3],
						 &m[4], &m[5]) : 0;
	pclose(f);
	if (n != 6)
		return -EIO;
	for (i = 0; i < 6; i++)
		k->mac_b[i] = m[i];
	return 0;
}

int koracle_new(struct koracle **out)
{
	struct koracle *k = calloc(1, sizeof(*k));
	int err;

	if (!k)
		return -ENOMEM;
	k->sock = -1;
	snprintf(k->ns_a, sizeof(k->ns_a), "ipb-kor-a-%d", getpid());
	snprintf(k->ns_b, sizeof(k->ns_b), "ipb-kor-b-%d", getpid());
	if (system("command -v iptables-nft-restore >/dev/null") ||
	    system("command -v ip >/dev/null")) {
		free(k);
		return -ENOENT;
	}
	err = sh("ip netns add %s && ip netns add %s", k->ns_a, k->ns_b);
	if (!err)
		err = sh("ip link add va netns %s type veth peer name vb "
			 "netns %s && ip -n %s link set va up && "
			 "ip -n %s link set vb up",
			 k->ns_a, k->ns_b, k->ns_a, k->ns_b);
	if (!err)
		err = read_mac(k);
	if (!err)
		err = open_sock(k);
	if (err) {
		koracle_free(k);
		return err;
	}
	*out = k;
	return 0;
}

void koracle_free(struct koracle *k)
{
	if (!k)
		return;
	if (k->sock >= 0)
		close(k->sock);
	sh("ip netns del %s 2>/dev/null; ip netns del %s 2>/dev/null",
	   k->ns_a, k->ns_b);
	free(k);
}

static int load_rules(struct koracle *k, int pf, const char *match)
{
	char path[] = "/tmp/ipb-koracle-XXXXXX";
	int fd = mkstemp(path), err;
	FILE *f;

	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -errno;
	}
	fprintf(f, "*mangle\n:PREROUTING ACCEPT [0:0]\n"
		   "-A PREROUTING -m mac --mac-source %s\n"
		   "-A PREROUTING -m mac --mac-source %s %s\n"
		   "-A PREROUTING -m mac --mac-source %s\nCOMMIT\n",
		KORACLE_MAC, KORACLE_MAC, match, KORACLE_MAC);
	fclose(f);
	err = sh("ip netns exec %s %s < %s", k->ns_b,
		 pf == NFPROTO_IPV6 ? "ip6tables-nft-restore" :
				      "iptables-nft-restore",
		 path);
	unlink(path);
	return err;
}

/* The packet counters of the three rules. */
static int read_counters(struct koracle *k, int pf, unsigned long c[3])
{
	char cmd[256], line[512];
	FILE *f;
	int n = 0;

	snprintf(cmd, sizeof(cmd),
		 "ip netns exec %s %s -t mangle -L PREROUTING -v -x -n",
		 k->ns_b,
		 pf == NFPROTO_IPV6 ? "ip6tables-nft" : "iptables-nft");
	f = popen(cmd, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (n < 3 && sscanf(line, " %lu", &c[n]) == 1)
			n++;
	pclose(f);
	return n == 3 ? 0 : -EIO;
}

static void fix_ip4_csum(uint8_t *ip)
{
	uint32_t sum = 0;
	int i, len = (ip[0] & 0xf) * 4;

	ip[10] = ip[11] = 0;
	for (i = 0; i < len; i += 2)
		sum += ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	ip[10] = sum >> 8;
	ip[11] = sum;
}

int koracle_run(struct koracle *k, const char *match, struct pkt *pk,
		enum koracle_outcome *outcome)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0xaa };
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = k->ifindex,
		.sll_halen = 6,
	};
	unsigned long c[3] = { 0 };
	int err, tries;

	err = load_rules(k, pk->pf, match);
	if (err)
		return err;
	memcpy(pk->buf, k->mac_b, 6);
	memcpy(pk->buf + 6, src, 6);
	if (pk->pf == NFPROTO_IPV4)
		fix_ip4_csum(pk->buf + pk->l3);
	memcpy(sll.sll_addr, k->mac_b, 6);
	if (sendto(k->sock, pk->buf, pk->len, 0, (void *)&sll,
		   sizeof(sll)) < 0)
		return -errno;
	/* veth hands the frame to the backlog; wait for the counters */
	for (tries = 0; tries < 50; tries++) {
		err = read_counters(k, pk->pf, c);
		if (err || c[0])
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	}
	if (err)
		return err;
	if (!c[0])
		*outcome = KORACLE_LOST;
	else if (c[1])
		*outcome = KORACLE_MATCH;
	else if (c[2])
		*outcome = KORACLE_NOMATCH;
	else
		*outcome = KORACLE_HOTDROP;
	return 0;
}
