/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The netlink conversation with nf_tables: queries (dumps) and batches.
 * A batch is one transaction: the kernel applies all of it or none.
 */
#ifndef IPB_IPTABLES_BPF_NL_H
#define IPB_IPTABLES_BPF_NL_H

#include <stdint.h>

#include <libmnl/libmnl.h>

/* Receive buffer: a page of netlink messages is at most 8 KiB here, and
 * MNL_SOCKET_BUFFER_SIZE is not a constant. */
#define IPB_NL_BUFSZ 32768

struct ipb_nl;
struct ipb_batch;
struct nftnl_table;
struct nftnl_chain;
struct nftnl_rule;

int ipb_nl_open(struct ipb_nl **out);
void ipb_nl_close(struct ipb_nl *nl);
/* The next sequence number, for building a query. */
uint32_t ipb_nl_seq(struct ipb_nl *nl);
/* Sends @req and feeds every reply message to @cb until done. */
int ipb_nl_query(struct ipb_nl *nl, const struct nlmsghdr *req, mnl_cb_t cb,
		 void *data);
/* The ruleset generation, for a batch that must apply to what we read. */
int ipb_nl_genid(struct ipb_nl *nl, uint32_t *genid);

/* A batch that the kernel refuses with ERESTART if the ruleset is no
 * longer at generation @genid. */
int ipb_batch_new(struct ipb_batch **out, struct ipb_nl *nl, uint32_t genid);
void ipb_batch_free(struct ipb_batch *b);
/*
 * Add one message to the batch: @type is NFT_MSG_NEW* or NFT_MSG_DEL*,
 * @flags NLM_F_* on top of the ack we always ask for.  The object is
 * borrowed (its payload is copied into the batch).  @tag is the caller's
 * cookie for this message, returned by ipb_batch_commit() if the kernel
 * refuses it.
 */
int ipb_batch_add_table(struct ipb_batch *b, uint16_t type, uint16_t flags,
			const struct nftnl_table *t, long tag);
int ipb_batch_add_chain(struct ipb_batch *b, uint16_t type, uint16_t flags,
			const struct nftnl_chain *c, long tag);
int ipb_batch_add_rule(struct ipb_batch *b, uint16_t type, uint16_t flags,
		       const struct nftnl_rule *r, long tag);
/* The message added last (it stays in the batch until it is freed). */
struct nlmsghdr *ipb_batch_last_msg(struct ipb_batch *b);
/*
 * Every message the kernel echoes (NLM_F_ECHO) goes to @cb while
 * ipb_batch_commit() reads the answers.
 */
void ipb_batch_set_echo(struct ipb_batch *b, mnl_cb_t cb, void *data);
/* Number of messages in the batch. */
unsigned int ipb_batch_count(const struct ipb_batch *b);
/**
 * struct ipb_batch_error - one message the kernel refused
 * @tag: the message's tag
 * @err: -errno
 */
struct ipb_batch_error {
	long tag;
	int err;
};

#define IPB_BATCH_MAX_ERRORS 16

/*
 * Sends the batch and reads every answer.  Returns 0, or the -errno of
 * the first message the kernel refused; @errors (may be NULL) gets up to
 * IPB_BATCH_MAX_ERRORS refusals in batch order, *@nerrors how many.
 */
int ipb_batch_commit(struct ipb_batch *b, struct ipb_batch_error *errors,
		     unsigned int *nerrors);

#endif
