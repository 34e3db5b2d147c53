// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - the trace channel and the VM list over generic netlink
 * (libnl-genl-3): resolve the family and its group, subscribe with a
 * filter, receive events, list VMs. Decoding is trace_fmt.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "internal.h"
#include "libmultios_hv.h"

/* bytes one recv() takes: many datagrams of a page each fit */
#define MHV_TRACE_RECV_BUF	(64 * 1024)

struct mhv_trace {
	struct nl_sock *sk;
	int family;
	int group;
	uint64_t dropped;
	/* mhv_trace_read() in progress */
	mhv_trace_cb cb;
	void *arg;
	int count;
	int stop;
	/* the kernel's errno of the last refused request, or 0 */
	int req_errno;
	/* an overrun seen after events were read: the next read says so */
	int pending_err;
	/* MHV_TRACE_FMT_* that SUBSCRIBE asks for */
	uint32_t format;
	/* what recv() returns, read without libnl (one copy, no malloc) */
	unsigned char buf[MHV_TRACE_RECV_BUF];
};

/* libnl's NLE_* into an -errno */
static int mhv_nl_err(int err)
{
	switch (-err) {
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_INTR:
		return -EINTR;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_BUSY:
		return -EBUSY;
	default:
		return -EIO;
	}
}

static struct nl_sock *mhv_nl_connect(int *family)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk)
		return NULL;
	if (genl_connect(sk)) {
		nl_socket_free(sk);
		return NULL;
	}
	*family = genl_ctrl_resolve(sk, MHV_GENL_NAME);
	return sk;
}

int mhv_trace_open(struct mhv_trace **out)
{
	struct mhv_trace *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->sk = mhv_nl_connect(&t->family);
	if (!t->sk) {
		free(t);
		return -EIO;
	}
	if (t->family < 0) {
		int err = mhv_nl_err(t->family);

		mhv_trace_close(t);
		return err;
	}
	t->group = genl_ctrl_resolve_grp(t->sk, MHV_GENL_NAME,
					 MHV_GENL_MCGRP_TRACE);
	t->format = MHV_TRACE_FMT_PAIRS;
	/* events are not answers: no sequence numbers to check */
	nl_socket_disable_seq_check(t->sk);
	*out = t;
	return 0;
}

void mhv_trace_close(struct mhv_trace *t)
{
	if (!t)
		return;
	nl_socket_free(t->sk);
	free(t);
}

int mhv_trace_fd(const struct mhv_trace *t)
{
	return nl_socket_get_fd(t->sk);
}

int mhv_trace_family_id(const struct mhv_trace *t)
{
	return t->family;
}

int mhv_trace_group_id(const struct mhv_trace *t)
{
	return t->group < 0 ? mhv_nl_err(t->group) : t->group;
}

int mhv_trace_join_group(struct mhv_trace *t)
{
	int err;

	if (t->group < 0)
		return mhv_nl_err(t->group);
	err = nl_socket_add_membership(t->sk, t->group);
	return err ? mhv_nl_err(err) : 0;
}

int mhv_trace_set_rcvbuf(struct mhv_trace *t, int bytes)
{
	int err = nl_socket_set_buffer_size(t->sk, bytes, 0);

	return err ? mhv_nl_err(err) : 0;
}

int mhv_trace_set_nonblocking(struct mhv_trace *t)
{
	int err = nl_socket_set_nonblocking(t->sk);

	return err ? mhv_nl_err(err) : 0;
}

/* Send @cmd with the filter's attributes; wait for the kernel's ack. */
/* The kernel's own errno: libnl maps EMFILE, ENOSPC and others to one code. */
static int mhv_trace_nlerr(struct sockaddr_nl *nla, struct nlmsgerr *e,
			   void *arg)
{
	struct mhv_trace *t = arg;

	(void)nla;
	t->req_errno = e->error;
	return NL_STOP;
}

static int mhv_trace_request(struct mhv_trace *t, uint8_t cmd,
			     const struct mhv_trace_filter *f)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err = -ENOMEM;

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, t->family, 0,
			 NLM_F_ACK, cmd, MHV_GENL_VERSION))
		goto out;
	if (f && f->nr_vms &&
	    (f->nr_vms > MHV_TRACE_MAX_FILTER_VMS ||
	     nla_put(msg, MHV_NL_A_FILTER_VMS, f->nr_vms * sizeof(uint32_t),
		     f->vms)))
		goto out;
	if (f && f->vcpus && nla_put_u64(msg, MHV_NL_A_FILTER_VCPUS, f->vcpus))
		goto out;
	if (f && f->events &&
	    nla_put_u32(msg, MHV_NL_A_FILTER_EVENTS, f->events))
		goto out;
	if (f && f->exits && nla_put_u64(msg, MHV_NL_A_FILTER_EXITS, f->exits))
		goto out;
	if (cmd == MHV_NL_CMD_SUBSCRIBE &&
	    nla_put_u32(msg, MHV_NL_A_FORMAT, t->format))
		goto out;
	t->req_errno = 0;
	nl_socket_modify_err_cb(t->sk, NL_CB_CUSTOM, mhv_trace_nlerr, t);
	err = nl_send_sync(t->sk, msg);		/* frees msg */
	if (err && t->req_errno < 0)
		return t->req_errno;
	return err ? mhv_nl_err(err) : 0;
out:
	nlmsg_free(msg);
	return err == -ENOMEM && f && f->nr_vms > MHV_TRACE_MAX_FILTER_VMS ?
	       -EINVAL : err;
}

int mhv_trace_set_format(struct mhv_trace *t, uint32_t format)
{
	if (format != MHV_TRACE_FMT_ATTRS && format != MHV_TRACE_FMT_RECORDS &&
	    format != MHV_TRACE_FMT_PAIRS)
		return -EINVAL;
	t->format = format;
	return 0;
}

int mhv_trace_subscribe(struct mhv_trace *t, const struct mhv_trace_filter *f)
{
	return mhv_trace_request(t, MHV_NL_CMD_SUBSCRIBE, f);
}

int mhv_trace_unsubscribe(struct mhv_trace *t)
{
	return mhv_trace_request(t, MHV_NL_CMD_UNSUBSCRIBE, NULL);
}

/* One event to the reader's callback; non-zero: stop. */
static int mhv_trace_one(const struct mhv_trace_event *ev, void *arg)
{
	struct mhv_trace *t = arg;

	if (ev->type == MHV_TRACE_DROP)
		t->dropped += ev->dropped;
	t->count++;
	if (t->cb && t->cb(ev, t->arg))
		t->stop = 1;
	return t->stop;
}

/* A batch of records, or one event (MHV_TRACE_FMT_ATTRS, the group). */
static void mhv_trace_msg(struct mhv_trace *t, struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct mhv_trace_event ev;

	if (t->stop || nlh->nlmsg_type != t->family ||
	    !genlmsg_valid_hdr(nlh, 0))
		return;
	if (g->cmd == MHV_NL_CMD_EVENTS)
		mhv_trace_parse_records(nlh, nlh->nlmsg_len, mhv_trace_one, t);
	else if (!mhv_trace_parse(nlh, nlh->nlmsg_len, &ev))
		mhv_trace_one(&ev, t);
}

/* Events that come while a request waits for its ack (libnl reads). */
static int mhv_trace_valid(struct nl_msg *msg, void *arg)
{
	mhv_trace_msg(arg, nlmsg_hdr(msg));
	return NL_OK;
}

/*
 * Every datagram waiting, read with recv() into t->buf and walked here:
 * libnl would allocate and copy each datagram, and peek at it first.
 * Only the first recv() may block.
 */
int mhv_trace_read(struct mhv_trace *t, mhv_trace_cb cb, void *arg)
{
	int fd = nl_socket_get_fd(t->sk), flags = 0, err;
	struct nlmsghdr *nlh;
	ssize_t n;

	t->cb = cb;
	t->arg = arg;
	t->count = 0;
	t->stop = 0;
	nl_socket_modify_cb(t->sk, NL_CB_VALID, NL_CB_CUSTOM, mhv_trace_valid,
			    t);
	if (t->pending_err) {
		err = t->pending_err;
		t->pending_err = 0;
		return err;
	}
	while (!t->stop) {
		n = recv(fd, t->buf, sizeof(t->buf), flags);
		if (n < 0 && errno == EINTR && !flags)
			continue;
		if (n < 0) {
			/*
			 * ENOBUFS: the socket overran. The kernel counts what
			 * a subscriber lost and says so in a drop record;
			 * only multicast losses (the lifecycle group) are not
			 * counted anywhere.
			 */
			err = -errno;
			if (!flags)
				return err;
			if (err == -ENOBUFS)
				t->pending_err = err;
			break;
		}
		for (nlh = (struct nlmsghdr *)t->buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n))
			mhv_trace_msg(t, nlh);
		flags = MSG_DONTWAIT;
	}
	return t->count;
}

uint64_t mhv_trace_dropped(const struct mhv_trace *t)
{
	return t->dropped;
}

/* ---- the VM list ----------------------------------------------------------- */

struct mhv_vm_list_ctx {
	struct mhv_vm_entry *v;
	size_t n, cap;
	int err;
};

static int mhv_list_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct mhv_vm_list_ctx *c = arg;
	struct mhv_vm_entry e;

	if (mhv_vm_entry_parse(nlh, nlh->nlmsg_len, &e))
		return NL_SKIP;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct mhv_vm_entry *v = realloc(c->v, cap * sizeof(*v));

		if (!v) {
			c->err = -ENOMEM;
			return NL_STOP;
		}
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = e;
	return NL_OK;
}

int mhv_list_vms(struct mhv_vm_entry **out, size_t *n)
{
	struct mhv_vm_list_ctx c = { 0 };
	struct nl_sock *sk;
	struct nl_msg *msg;
	int family, err;

	sk = mhv_nl_connect(&family);
	if (!sk)
		return -EIO;
	err = family;
	if (family < 0)
		goto out;
	err = -NLE_NOMEM;
	msg = nlmsg_alloc();
	if (!msg)
		goto out;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
			 MHV_NL_CMD_LIST_VMS, MHV_GENL_VERSION)) {
		nlmsg_free(msg);
		goto out;
	}
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err < 0)
		goto out;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, mhv_list_valid, &c);
	err = nl_recvmsgs_default(sk);
out:
	nl_socket_free(sk);
	if (c.err || err < 0) {
		free(c.v);
		return c.err ? c.err : mhv_nl_err(err);
	}
	*out = c.v;
	*n = c.n;
	return 0;
}
