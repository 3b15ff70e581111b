// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <netinet/in.h> /* before linux/: see rule.h */
#include <net/if.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <arpa/inet.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/common.h>
#include <libnftnl/chain.h>
#include <libnftnl/gen.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>

#include "iptables-bpf/nl.h"

/* 1024 iovecs of this much make a 128 MiB batch (ipb_batch_new()) */
#define IPB_BATCH_PAGE_SIZE (128 * 1024)

struct ipb_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
};

/* The tag of one batch message, by its sequence number. */
struct batch_op {
	uint32_t seq;
	long tag;
};

struct ipb_batch {
	struct ipb_nl *nl;
	struct nftnl_batch *batch;
	struct batch_op *ops;
	unsigned int nops, cap;
	uint32_t begin_seq;
	mnl_cb_t echo_cb;
	void *echo_data;
	struct nlmsghdr *last;
};

/* Big enough for the acks of a large restore without losing any. */
#define IPB_NL_RCVBUF (16 * 1024 * 1024)
#define IPB_NL_TIMEOUT_MS 30000

int ipb_nl_open(struct ipb_nl **out)
{
	struct ipb_nl *nl = calloc(1, sizeof(*nl));
	int bufsz = IPB_NL_RCVBUF, err;

	if (!nl)
		return -ENOMEM;
	nl->sock = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!nl->sock) {
		err = -errno;
		free(nl);
		return err;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		mnl_socket_close(nl->sock);
		free(nl);
		return err;
	}
	/* best effort: RCVBUFFORCE needs CAP_NET_ADMIN, which we need anyway */
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUFFORCE,
		   &bufsz, sizeof(bufsz));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	*out = nl;
	return 0;
}

void ipb_nl_close(struct ipb_nl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl);
}

uint32_t ipb_nl_seq(struct ipb_nl *nl)
{
	return ++nl->seq;
}

int ipb_nl_query(struct ipb_nl *nl, const struct nlmsghdr *req, mnl_cb_t cb,
		 void *data)
{
	char buf[IPB_NL_BUFSZ];
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(buf, n, req->nlmsg_seq, nl->portid, cb, data);
		if (ret < 0)
			return -errno;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

static int genid_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nftnl_gen *gen = nftnl_gen_alloc();

	if (!gen)
		return MNL_CB_ERROR;
	if (nftnl_gen_nlmsg_parse(nlh, gen) == 0)
		*(uint32_t *)data = nftnl_gen_get_u32(gen, NFTNL_GEN_ID);
	nftnl_gen_free(gen);
	return MNL_CB_OK;
}

int ipb_nl_genid(struct ipb_nl *nl, uint32_t *genid)
{
	char buf[IPB_NL_BUFSZ];
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETGEN, NFPROTO_UNSPEC, NLM_F_ACK,
				    ipb_nl_seq(nl));
	return ipb_nl_query(nl, nlh, genid_cb, genid);
}

int ipb_batch_new(struct ipb_batch **out, struct ipb_nl *nl, uint32_t genid)
{
	struct ipb_batch *b = calloc(1, sizeof(*b));
	struct nlmsghdr *nlh;

	if (!b)
		return -ENOMEM;
	b->nl = nl;
	/*
	 * The batch goes out in one sendmsg() with one iovec per page, and
	 * the kernel refuses more than UIO_MAXIOV (1024) iovecs with
	 * EMSGSIZE: 8 KiB pages capped a restore near 20,000 rules.
	 * iptables-nft uses 32 system pages (BATCH_PAGE_SIZE in nft.c).
	 */
	b->batch = nftnl_batch_alloc(IPB_BATCH_PAGE_SIZE,
				     MNL_SOCKET_BUFFER_SIZE);
	if (!b->batch) {
		free(b);
		return -ENOMEM;
	}
	b->begin_seq = ipb_nl_seq(nl);
	nlh = nftnl_batch_begin(nftnl_batch_buffer(b->batch), b->begin_seq);
	/* Kernel refuses the batch (ERESTART) if the ruleset changed since
	 * we read generation @genid: our checks were made against it. */
	mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(genid));
	nftnl_batch_update(b->batch);
	*out = b;
	return 0;
}

void ipb_batch_free(struct ipb_batch *b)
{
	if (!b)
		return;
	nftnl_batch_free(b->batch);
	free(b->ops);
	free(b);
}

static struct nlmsghdr *batch_msg(struct ipb_batch *b, uint16_t type,
				  uint16_t family, uint16_t flags, long tag)
{
	uint32_t seq = ipb_nl_seq(b->nl);

	if (b->nops == b->cap) {
		unsigned int cap = b->cap ? b->cap * 2 : 64;
		struct batch_op *ops = realloc(b->ops, cap * sizeof(*ops));

		if (!ops)
			return NULL;
		b->ops = ops;
		b->cap = cap;
	}
	b->ops[b->nops].seq = seq;
	b->ops[b->nops].tag = tag;
	b->nops++;
	/* no ack but for the last message (ipb_batch_commit()) */
	b->last = nftnl_nlmsg_build_hdr(nftnl_batch_buffer(b->batch), type,
					family, flags, seq);
	return b->last;
}

int ipb_batch_add_table(struct ipb_batch *b, uint16_t type, uint16_t flags,
			const struct nftnl_table *t, long tag)
{
	struct nlmsghdr *nlh;

	nlh = batch_msg(b, type, nftnl_table_get_u32(t, NFTNL_TABLE_FAMILY),
			flags, tag);
	if (!nlh)
		return -ENOMEM;
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_batch_update(b->batch);
	return 0;
}

int ipb_batch_add_chain(struct ipb_batch *b, uint16_t type, uint16_t flags,
			const struct nftnl_chain *c, long tag)
{
	struct nlmsghdr *nlh;

	nlh = batch_msg(b, type, nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY),
			flags, tag);
	if (!nlh)
		return -ENOMEM;
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_batch_update(b->batch);
	return 0;
}

int ipb_batch_add_rule(struct ipb_batch *b, uint16_t type, uint16_t flags,
		       const struct nftnl_rule *r, long tag)
{
	struct nlmsghdr *nlh;

	nlh = batch_msg(b, type, nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY),
			flags, tag);
	if (!nlh)
		return -ENOMEM;
	nftnl_rule_nlmsg_build_payload(nlh, (struct nftnl_rule *)r);
	nftnl_batch_update(b->batch);
	return 0;
}

struct nlmsghdr *ipb_batch_last_msg(struct ipb_batch *b)
{
	return b->last;
}

void ipb_batch_set_echo(struct ipb_batch *b, mnl_cb_t cb, void *data)
{
	b->echo_cb = cb;
	b->echo_data = data;
}

unsigned int ipb_batch_count(const struct ipb_batch *b)
{
	return b->nops;
}

static long tag_of(const struct ipb_batch *b, uint32_t seq)
{
	unsigned int i;

	for (i = 0; i < b->nops; i++)
		if (b->ops[i].seq == seq)
			return b->ops[i].tag;
	return -1;
}

static int send_batch(struct ipb_batch *b)
{
	int fd = mnl_socket_get_fd(b->nl->sock);
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK };
	int iovlen = nftnl_batch_iovec_len(b->batch);
	struct iovec *iov = calloc(iovlen, sizeof(*iov));
	struct msghdr msg = {
		.msg_name = &snl,
		.msg_namelen = sizeof(snl),
		.msg_iov = iov,
		.msg_iovlen = iovlen,
	};
	size_t total = 0;
	int i, sndbuf, err = 0;

	if (!iov)
		return -ENOMEM;
	nftnl_batch_iovec(b->batch, iov, iovlen);
	for (i = 0; i < iovlen; i++)
		total += iov[i].iov_len;
	/* the kernel takes the whole batch as one message */
	sndbuf = total;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
	/*
	 * and queues every ack before we read the first: each costs its
	 * skb's truesize (about 768 bytes), so IPB_NL_RCVBUF overflows
	 * (ENOBUFS) past about 40,000 messages
	 */
	if (b->nops > IPB_NL_RCVBUF / 1024) {
		int rcvbuf = b->nops > INT_MAX / 1024 ? INT_MAX : b->nops * 1024;

		setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
			   sizeof(rcvbuf));
	}
	if (sendmsg(fd, &msg, 0) < 0)
		err = -errno;
	free(iov);
	return err;
}

int ipb_batch_commit(struct ipb_batch *b, struct ipb_batch_error *errors,
		     unsigned int *nerrors)
{
	char buf[IPB_NL_BUFSZ];
	struct pollfd pfd = { .fd = mnl_socket_get_fd(b->nl->sock),
			      .events = POLLIN };
	uint32_t last_seq = b->last->nlmsg_seq;
	bool done = false;
	int first_err = 0;
	int err;

	if (nerrors)
		*nerrors = 0;
	if (!b->nops)
		return 0;
	/*
	 * nfnetlink answers a refused message always and an accepted one
	 * only if it asks (NLM_F_ACK), all at the end of the batch, in
	 * order: the last message's ack closes the answers.  An ack per
	 * message cost a socket buffer and a recvmsg() each (10,000 for a
	 * restore of 10,000 rules).
	 */
	b->last->nlmsg_flags |= NLM_F_ACK;
	nftnl_batch_end(nftnl_batch_buffer(b->batch), ipb_nl_seq(b->nl));
	nftnl_batch_update(b->batch);
	err = send_batch(b);
	if (err)
		return err;

	while (!done) {
		const struct nlmsghdr *nlh = (const void *)buf;
		ssize_t got;
		int n;

		/* never hang on an answer the kernel will not send */
		if (poll(&pfd, 1, IPB_NL_TIMEOUT_MS) <= 0)
			return first_err ? first_err : -ETIMEDOUT;
		got = mnl_socket_recvfrom(b->nl->sock, buf, sizeof(buf));
		if (got < 0)
			return first_err ? first_err : -errno;
		n = got;
		for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type != NLMSG_ERROR) {
				/* NLM_F_ECHO: the committed objects, in
				 * batch order, before the acks */
				if (b->echo_cb &&
				    nlh->nlmsg_type != NLMSG_NOOP &&
				    nlh->nlmsg_type != NLMSG_DONE)
					b->echo_cb(nlh, b->echo_data);
				continue;
			}
			if (nlh->nlmsg_seq == last_seq)
				done = true;
			if (e->error && !first_err)
				first_err = e->error;
			if (e->error && errors && nerrors &&
			    *nerrors < IPB_BATCH_MAX_ERRORS) {
				errors[*nerrors].tag =
					tag_of(b, nlh->nlmsg_seq);
				errors[*nerrors].err = e->error;
				(*nerrors)++;
			}
			/* a batch-level error (e.g. ERESTART) answers the
			 * begin message, and nothing else follows */
			if (e->error && nlh->nlmsg_seq == b->begin_seq)
				return first_err;
		}
	}
	return first_err;
}
