// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the generic netlink family "multios_hv": subscribers of
 * the trace channel, their filters, event messages, the VM list.
 *
 * Delivery is per-socket unicast, not a filtered multicast: each
 * subscriber gets a batch built for it alone (its filter, the access
 * rule), sent with MSG_DONTWAIT to its port id: one MHV_NL_CMD_EVENTS
 * message of struct mhv_trace_record (MHV_TRACE_FMT_RECORDS: a copy per
 * event), or MHV_NL_CMD_EVENT messages of an attribute per field. A slow or unfiltered
 * reader only fills its own socket; the others' batches are neither
 * bigger nor later because of it. Linux 6.1 has no per-socket filter for
 * genetlink multicast (genlmsg_multicast_netns_filtered() came in 6.10),
 * and one multicast skb cannot carry a different subset of a batch to
 * each member. The multicast group carries only lifecycle events, to
 * CAP_NET_ADMIN members.
 *
 * Access rule: a subscriber without CAP_NET_ADMIN (netlink_capable())
 * receives only events of VMs whose owner (the euid that created them)
 * is its socket's uid; the same holds for the VM list.
 *
 * Port ids: a subscriber holds a reference on its socket (sk) and is
 * sent to only while that socket is not SOCK_DEAD. netlink_release()
 * frees the port id (netlink_remove()) and marks the socket dead
 * (sock_orphan()) right after, with nothing in between that another
 * user could stall, so a socket that binds the freed port id afterwards
 * does not receive the closed one's events. The NETLINK_URELEASE
 * notifier takes no lock: it only wakes the worker, which frees dead
 * subscribers; a closing socket never waits for a pass of the worker.
 *
 * Limits: MHV_TRACE_MAX_SUBS_PER_UID subscriptions per uid without
 * CAP_NET_ADMIN, MHV_TRACE_MAX_SUBS in all (delivery costs records x
 * subscribers under mhv_trace_lock).
 *
 * Locking: subscribers are under mhv_trace_lock (trace.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "trace.h"

/* One socket that sent MHV_NL_CMD_SUBSCRIBE; all fields (mhv_trace_lock). */
struct mhv_trace_sub {
	struct list_head node;		/* mhv_subs */
	struct sock *sk;		/* (R) the socket, sock_hold()-ed */
	u32 portid;			/* (R) its port id */
	kuid_t uid;			/* the socket's uid */
	bool all;			/* CAP_NET_ADMIN: every VM */
	bool dead;			/* the socket is gone: free it */
	u32 vms[MHV_TRACE_MAX_FILTER_VMS];	/* filter: VM ids */
	u32 nr_vms;			/* 0: every VM */
	u64 vcpus;			/* filter: 1 << vCPU id */
	u32 events;			/* filter: 1 << enum mhv_trace_type */
	u64 exits;			/* filter: 1 << enum mhv_trace_exit */
	bool records;			/* MHV_TRACE_FMT_RECORDS or _PAIRS */
	bool pairs;			/* MHV_TRACE_FMT_PAIRS */
	struct sk_buff *skb;		/* the batch being built, or NULL */
	struct nlattr *recs;		/* records: its MHV_NL_A_RECORDS */
	u64 in_skb;			/* events it stands for: 1 per event,
					 * the count of each drop record
					 */
	u64 lost;			/* not delivered, not yet reported */
	bool filled;			/* a batch filled up in this pass */
	bool big;			/* ... or in the last: big batches */
};

static LIST_HEAD(mhv_subs);		/* (mhv_trace_lock) */
/* (mhv_trace_lock) write, (A) read */
static unsigned int mhv_nr_subs;
/* mhv_trace_key taken by the subscribers (mhv_trace_lock) */
static bool mhv_key_held;
static bool mhv_genl_up;		/* (A) the family is registered */

static struct genl_family mhv_genl_family;

/* ---- event messages ------------------------------------------------------- */

static int mhv_put_u64(struct sk_buff *skb, int attr, u64 val)
{
	return nla_put_u64_64bit(skb, attr, val, MHV_NL_A_PAD);
}

static int mhv_put_exit(struct sk_buff *skb, const struct mhv_trace_rec *r)
{
	if (nla_put_u32(skb, MHV_NL_A_EXIT_REASON, r->reason) ||
	    mhv_put_u64(skb, MHV_NL_A_RIP, r->a[0]) ||
	    mhv_put_u64(skb, MHV_NL_A_EXIT_CODE, r->a[1]) ||
	    mhv_put_u64(skb, MHV_NL_A_EXIT_INFO1, r->a[2]) ||
	    mhv_put_u64(skb, MHV_NL_A_EXIT_INFO2, r->a[3]) ||
	    mhv_put_u64(skb, MHV_NL_A_EXIT_ARG, r->a[4]) ||
	    mhv_put_u64(skb, MHV_NL_A_HANDLE_NS, r->a[6]) ||
	    nla_put_u8(skb, MHV_NL_A_USER, !!(r->flags & MHV_TREC_USER)))
		return -EMSGSIZE;
	if (r->reason == MHV_X_NPF && mhv_put_u64(skb, MHV_NL_A_GPA, r->a[5]))
		return -EMSGSIZE;
	return 0;
}

static int mhv_put_vm_event(struct sk_buff *skb, const struct mhv_trace_rec *r)
{
	char name[MHV_VM_NAME_LEN];

	memcpy(name, &r->a[2], sizeof(name));
	name[sizeof(name) - 1] = 0;
	if (nla_put_u32(skb, MHV_NL_A_LIFECYCLE, r->reason) ||
	    nla_put_u32(skb, MHV_NL_A_STATE, r->aux) ||
	    nla_put_string(skb, MHV_NL_A_VM_NAME, name) ||
	    nla_put_u32(skb, MHV_NL_A_OWNER_UID,
			from_kuid_munged(&init_user_ns, r->uid)))
		return -EMSGSIZE;
	if (r->reason == MHV_TRACE_VM_ERROR &&
	    (nla_put_u32(skb, MHV_NL_A_ERROR, r->a[0]) ||
	     mhv_put_u64(skb, MHV_NL_A_EXIT_CODE, r->a[1])))
		return -EMSGSIZE;
	return 0;
}

static int mhv_put_fields(struct sk_buff *skb, const struct mhv_trace_rec *r)
{
	switch (r->type) {
	case MHV_TRACE_EXIT:
		return mhv_put_exit(skb, r);
	case MHV_TRACE_ENTRY:
		return mhv_put_u64(skb, MHV_NL_A_RIP, r->a[0]);
	case MHV_TRACE_NPF:
		return mhv_put_u64(skb, MHV_NL_A_GPA, r->a[0]) ||
		       nla_put_u32(skb, MHV_NL_A_ACCESS, r->aux) ||
		       mhv_put_u64(skb, MHV_NL_A_PAGES, r->a[1]) ||
		       mhv_put_u64(skb, MHV_NL_A_RIP, r->a[2]) ? -EMSGSIZE : 0;
	case MHV_TRACE_DEV:
		return nla_put_u32(skb, MHV_NL_A_DEV_ID, r->reason) ||
		       nla_put_u32(skb, MHV_NL_A_DEV_TYPE, r->aux) ||
		       mhv_put_u64(skb, MHV_NL_A_OFFSET, r->a[0]) ||
		       nla_put_u32(skb, MHV_NL_A_WIDTH, r->width) ||
		       mhv_put_u64(skb, MHV_NL_A_VALUE, r->a[1]) ||
		       nla_put_u8(skb, MHV_NL_A_WRITE,
				  !!(r->flags & MHV_TREC_WRITE)) ||
		       nla_put_u8(skb, MHV_NL_A_REFUSED,
				  !!(r->flags & MHV_TREC_REFUSED)) ? -EMSGSIZE : 0;
	case MHV_TRACE_INJECT:
		if (nla_put_u32(skb, MHV_NL_A_VECTOR, r->reason) ||
		    nla_put_u32(skb, MHV_NL_A_INJECT_KIND, r->aux) ||
		    mhv_put_u64(skb, MHV_NL_A_RIP, r->a[1]))
			return -EMSGSIZE;
		if ((r->flags & MHV_TREC_ERRCODE) &&
		    nla_put_u32(skb, MHV_NL_A_ERROR_CODE, r->a[0]))
			return -EMSGSIZE;
		return 0;
	case MHV_TRACE_VM:
		return mhv_put_vm_event(skb, r);
	case MHV_TRACE_DROP:
		return mhv_put_u64(skb, MHV_NL_A_DROPPED, r->a[0]) ||
		       nla_put_u32(skb, MHV_NL_A_DROP_WHERE, r->reason) ?
		       -EMSGSIZE : 0;
	}
	return 0;
}

/* One MHV_NL_CMD_EVENT message at the end of @skb, or -EMSGSIZE. */
static int mhv_genl_put_rec(struct sk_buff *skb, const struct mhv_trace_rec *r)
{
	void *hdr = genlmsg_put(skb, 0, 0, &mhv_genl_family, 0,
				MHV_NL_CMD_EVENT);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MHV_NL_A_EVENT, r->type) ||
	    mhv_put_u64(skb, MHV_NL_A_TIME_NS, r->ts) ||
	    nla_put_u32(skb, MHV_NL_A_VM_ID, r->vm_id) ||
	    nla_put_u32(skb, MHV_NL_A_VCPU, r->vcpu) ||
	    mhv_put_fields(skb, r)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * MHV_TRACE_FMT_RECORDS: one MHV_NL_CMD_EVENTS message per batch, whose
 * MHV_NL_A_RECORDS grows by one struct mhv_trace_record per event: a
 * copy, no attribute per field. The data starts 32 bytes into the
 * message (nlmsghdr, genlmsghdr, RECORD_SIZE, the RECORDS header), so
 * the u64 fields are aligned.
 */
static int mhv_records_open(struct sk_buff *skb, struct nlattr **recs)
{
	if (!genlmsg_put(skb, 0, 0, &mhv_genl_family, 0, MHV_NL_CMD_EVENTS) ||
	    nla_put_u32(skb, MHV_NL_A_RECORD_SIZE,
			sizeof(struct mhv_trace_record)))
		return -EMSGSIZE;
	*recs = nla_reserve(skb, MHV_NL_A_RECORDS, 0);
	return *recs ? 0 : -EMSGSIZE;
}

static void mhv_records_close(struct sk_buff *skb, struct nlattr *recs)
{
	recs->nla_len = skb_tail_pointer(skb) - (unsigned char *)recs;
	nlmsg_end(skb, nlmsg_hdr(skb));
}

/*
 * What each type defines (uapi: struct mhv_trace_record): words of a[],
 * and whether reason, aux, aux2 hold something. The producers fill only
 * those, in ring slots an earlier event of another type held: the rest
 * goes out as zeros, not as what that event left.
 */
static const struct {
	u8 words;
	bool reason, aux, aux2;
} mhv_record_fields[MHV_TRACE_NR] = {
	[MHV_TRACE_EXIT]	= { 7, true, false, false },
	[MHV_TRACE_ENTRY]	= { 1, false, false, false },
	[MHV_TRACE_NPF]		= { 3, false, true, false },
	[MHV_TRACE_DEV]		= { 2, true, true, true },
	[MHV_TRACE_INJECT]	= { 2, true, true, false },
	[MHV_TRACE_VM]		= { 6, true, true, true },
	[MHV_TRACE_DROP]	= { 1, true, false, false },
};

/*
 * Every field of the record is stored once, no memset() or memcpy() of
 * it: under an emulator a string instruction costs an iteration per
 * byte, and this runs for every event a subscriber receives.
 */
static int mhv_put_record(struct sk_buff *skb, const struct mhv_trace_rec *r,
			  bool pair)
{
	struct mhv_trace_record *w;
	unsigned int i, words;

	BUILD_BUG_ON(sizeof(*w) % NLA_ALIGNTO || sizeof(w->a) != sizeof(r->a));
	/* no padding: the fields below are the whole record */
	BUILD_BUG_ON(sizeof(*w) != offsetof(struct mhv_trace_record, a) +
		     sizeof(w->a) || offsetof(struct mhv_trace_record, a) !=
		     offsetofend(struct mhv_trace_record, aux2));
	if (skb_tailroom(skb) < sizeof(*w) || r->type >= MHV_TRACE_NR)
		return -EMSGSIZE;
	w = skb_put(skb, sizeof(*w));
	w->time_ns = r->ts;
	w->vm_id = r->vm_id;
	w->vcpu = r->vcpu;
	w->type = r->type;
	w->flags = r->flags & MHV_TREC_WIRE;
	w->reason = mhv_record_fields[r->type].reason ? r->reason : 0;
	w->aux = mhv_record_fields[r->type].aux ? r->aux : 0;
	w->aux2 = mhv_record_fields[r->type].aux2 ? r->width : 0;
	words = mhv_record_fields[r->type].words;
	for (i = 0; i < ARRAY_SIZE(w->a); i++)
		w->a[i] = i < words ? r->a[i] : 0;
	/* MHV_TRACE_FMT_PAIRS: the ENTRY after the exit, in the record */
	if (pair) {
		w->flags |= MHV_TRACE_F_ENTRY;
		w->aux = lower_32_bits(r->entry_rip);
		w->aux2 = upper_32_bits(r->entry_rip);
	}
	if (r->type == MHV_TRACE_VM) {
		w->aux2 = from_kuid_munged(&init_user_ns, r->uid);
		if (r->reason != MHV_TRACE_VM_ERROR) {
			w->a[0] = 0;
			w->a[1] = 0;
		}
	}
	return 0;
}

/* ---- subscribers ---------------------------------------------------------- */

/*
 * @r at the end of the subscriber's batch, in its format; with @pair,
 * the EXIT @r and the ENTRY right after it in one record (pairs only).
 */
static int mhv_sub_put_rec(struct mhv_trace_sub *sub,
			   const struct mhv_trace_rec *r, bool pair)
{
	return sub->records ? mhv_put_record(sub->skb, r, pair) :
			      mhv_genl_put_rec(sub->skb, r);
}

/* @sub may see @r's VM and wants its vCPU (whatever the event type). */
static bool mhv_sub_sees(const struct mhv_trace_sub *sub,
			 const struct mhv_trace_rec *r)
{
	u32 i;

	/* a record of no VM (a lost lifecycle event): every filter sees it */
	if (r->flags & MHV_TREC_ALL)
		return true;
	if (!sub->all && !uid_eq(sub->uid, r->uid))
		return false;
	if (r->vcpu != MHV_TRACE_NO_VCPU &&
	    (r->vcpu >= 64 || !(sub->vcpus & BIT_ULL(r->vcpu))))
		return false;
	if (!sub->nr_vms)
		return true;
	for (i = 0; i < sub->nr_vms; i++)
		if (sub->vms[i] == r->vm_id)
			return true;
	return false;
}

/* ... and wants @r's type (and exit reason) */
static bool mhv_sub_wants_type(const struct mhv_trace_sub *sub,
			       const struct mhv_trace_rec *r)
{
	if (!(sub->events & BIT(r->type)))
		return false;
	return r->type != MHV_TRACE_EXIT || (sub->exits & BIT_ULL(r->reason));
}

/* The socket is closed: its port id may be someone else's now. */
static bool mhv_sub_gone(struct mhv_trace_sub *sub)
{
	if (sock_flag(sub->sk, SOCK_DEAD))
		sub->dead = true;
	return sub->dead;
}

/* Send the batch; what a full socket refused is counted as lost. */
static void mhv_sub_send(struct mhv_trace_sub *sub)
{
	int ret;

	if (!sub->skb)
		return;
	if (sub->records)
		mhv_records_close(sub->skb, sub->recs);
	if (mhv_sub_gone(sub)) {
		kfree_skb(sub->skb);
		sub->skb = NULL;
		sub->in_skb = 0;
		return;
	}
	ret = genlmsg_unicast(&init_net, sub->skb, sub->portid);
	if (ret) {
		sub->lost += sub->in_skb;
		if (ret == -ECONNREFUSED)
			sub->dead = true;
	}
	sub->skb = NULL;
	sub->in_skb = 0;
}

/*
 * A record batch is a page (some 40 records) or, while the events come
 * faster than a page per pass of the worker (a batch filled up in this
 * pass or the last), 32 KiB (some 370 records): a datagram, a recv()
 * and a wake-up of the reader per 370 events, not per 40. A slow stream
 * keeps small datagrams, which take less of the socket's receive
 * buffer. When memory is too fragmented for 32 KiB, a page.
 */
#define MHV_TRACE_BATCH_SIZE	(SKB_WITH_OVERHEAD(SZ_32K) - NLMSG_HDRLEN - \
				 GENL_HDRLEN)

static struct sk_buff *mhv_sub_alloc(const struct mhv_trace_sub *sub)
{
	struct sk_buff *skb = NULL;

	if (sub->records && sub->big)
		skb = genlmsg_new(MHV_TRACE_BATCH_SIZE, GFP_KERNEL |
				  __GFP_NOWARN | __GFP_NORETRY);
	return skb ?: genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
}

/* A new batch; it starts with a drop record when events were lost. */
static bool mhv_sub_start(struct mhv_trace_sub *sub)
{
	struct mhv_trace_rec drop;

	sub->skb = mhv_sub_alloc(sub);
	if (!sub->skb)
		return false;
	if (sub->records && mhv_records_open(sub->skb, &sub->recs)) {
		kfree_skb(sub->skb);
		sub->skb = NULL;
		return false;
	}
	if (sub->lost) {
		memset(&drop, 0, sizeof(drop));
		drop.ts = local_clock();
		drop.vcpu = MHV_TRACE_NO_VCPU;
		drop.type = MHV_TRACE_DROP;
		drop.reason = MHV_TRACE_DROP_SOCKET;
		drop.a[0] = sub->lost;
		if (!mhv_sub_put_rec(sub, &drop, false)) {
			sub->in_skb = sub->lost;
			sub->lost = 0;
		}
	}
	return true;
}

static void mhv_sub_put(struct mhv_trace_sub *sub,
			const struct mhv_trace_rec *r, bool pair)
{
	/* a lost drop record loses the events it counted */
	u64 weight = r->type == MHV_TRACE_DROP ? r->a[0] : 1 + pair;
	int tries;

	for (tries = 0; tries < 2 && !sub->dead; tries++) {
		if (!sub->skb && !mhv_sub_start(sub))
			break;
		if (!mhv_sub_put_rec(sub, r, pair)) {
			sub->in_skb += weight;
			return;
		}
		sub->filled = true;
		sub->big = true;
		mhv_sub_send(sub);
	}
	sub->lost += weight;
}

/**
 * mhv_genl_deliver() - one event to every subscriber that wants it.
 * @rec: the event
 *
 * Under mhv_trace_lock. It joins each subscriber's batch; full batches
 * leave at once, the rest with mhv_genl_flush().
 */
void mhv_genl_deliver(const struct mhv_trace_rec *rec)
{
	struct mhv_trace_sub *sub;

	lockdep_assert_held(&mhv_trace_lock);
	list_for_each_entry(sub, &mhv_subs, node)
		if (!sub->dead && mhv_sub_wants_type(sub, rec) &&
		    mhv_sub_sees(sub, rec))
			mhv_sub_put(sub, rec, false);
}

/*
 * The ENTRY event an EXIT record with MHV_TREC_ENTRY stands for, to
 * @sub, which wants it without the exit's record. Out of line: the
 * kernel zeroes a stack record in every call of the function that holds
 * it (CONFIG_INIT_STACK_ALL_ZERO), and mhv_genl_deliver_pair() runs for
 * every exit.
 */
static noinline void mhv_sub_put_entry(struct mhv_trace_sub *sub,
				       const struct mhv_trace_rec *exit)
{
	struct mhv_trace_rec entry = {
		.ts = exit->ts + exit->a[6],
		.vm_id = exit->vm_id,
		.vcpu = exit->vcpu,
		.uid = exit->uid,
		.type = MHV_TRACE_ENTRY,
		.a[0] = exit->entry_rip,
	};

	mhv_sub_put(sub, &entry, false);
}

/**
 * mhv_genl_deliver_pair() - an exit and the entry right after it.
 * @exit: an EXIT record with MHV_TREC_ENTRY (trace.h): the exit, and the
 *        entry at the end of its handling
 *
 * As mhv_genl_deliver() of each in turn; a subscriber of
 * MHV_TRACE_FMT_PAIRS that wants both gets one record for the two. The
 * ENTRY record is made only for a subscriber that wants it alone.
 */
void mhv_genl_deliver_pair(const struct mhv_trace_rec *exit)
{
	struct mhv_trace_sub *sub;
	bool x, e;

	lockdep_assert_held(&mhv_trace_lock);
	list_for_each_entry(sub, &mhv_subs, node) {
		/* the entry's VM, vCPU and owner are the exit's */
		if (sub->dead || !mhv_sub_sees(sub, exit))
			continue;
		x = mhv_sub_wants_type(sub, exit);
		e = sub->events & BIT(MHV_TRACE_ENTRY);
		if (x && e && sub->pairs) {
			mhv_sub_put(sub, exit, true);
			continue;
		}
		if (x)
			mhv_sub_put(sub, exit, false);
		if (e)
			mhv_sub_put_entry(sub, exit);
	}
}

static void mhv_subs_changed(void)
{
	struct mhv_trace_sub *sub;
	u32 types = 0;

	list_for_each_entry(sub, &mhv_subs, node)
		types |= sub->events;
	WRITE_ONCE(mhv_trace_types, types);
	/*
	 * Deferred: the hooks go off a second after the last subscriber,
	 * so a subscribe/unsubscribe loop patches the text at most once a
	 * second (each patch is a sync IPI to every CPU).
	 */
	if (mhv_nr_subs && !mhv_key_held) {
		static_branch_deferred_inc(&mhv_trace_key);
		mhv_key_held = true;
	} else if (!mhv_nr_subs && mhv_key_held) {
		static_branch_slow_dec_deferred(&mhv_trace_key);
		mhv_key_held = false;
	}
}

static void mhv_sub_free(struct mhv_trace_sub *sub)
{
	list_del(&sub->node);
	kfree_skb(sub->skb);
	sock_put(sub->sk);
	kfree(sub);
	WRITE_ONCE(mhv_nr_subs, mhv_nr_subs - 1);
}

/* Every batch out; subscribers whose socket is gone are freed. */
void mhv_genl_flush(void)
{
	struct mhv_trace_sub *sub, *tmp;
	bool changed = false;

	lockdep_assert_held(&mhv_trace_lock);
	list_for_each_entry_safe(sub, tmp, &mhv_subs, node) {
		/* a drop to report, nothing else: a batch of its own */
		if (!mhv_sub_gone(sub) && !sub->skb && sub->lost)
			mhv_sub_start(sub);
		mhv_sub_send(sub);
		sub->big = sub->filled;
		sub->filled = false;
		if (sub->dead) {
			mhv_sub_free(sub);
			changed = true;
		}
	}
	if (changed)
		mhv_subs_changed();
}

bool mhv_genl_has_subs(void)
{
	lockdep_assert_held(&mhv_trace_lock);
	return mhv_nr_subs;
}

/* Any context. */
bool mhv_genl_group_listens(void)
{
	return READ_ONCE(mhv_genl_up) &&
	       genl_has_listeners(&mhv_genl_family, &init_net, 0);
}

void mhv_genl_multicast(const struct mhv_trace_rec *rec)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!skb)
		return;
	if (mhv_genl_put_rec(skb, rec)) {
		kfree_skb(skb);
		return;
	}
	genlmsg_multicast(&mhv_genl_family, skb, 0, 0, GFP_KERNEL);
}

static struct mhv_trace_sub *mhv_sub_find(struct sock *sk)
{
	struct mhv_trace_sub *sub;

	list_for_each_entry(sub, &mhv_subs, node)
		if (sub->sk == sk)
			return sub;
	return NULL;
}

/* Free the subscribers of closed sockets; true if there were any. */
static bool mhv_subs_reap(void)
{
	struct mhv_trace_sub *sub, *tmp;
	bool changed = false;

	list_for_each_entry_safe(sub, tmp, &mhv_subs, node) {
		if (mhv_sub_gone(sub)) {
			mhv_sub_free(sub);
			changed = true;
		}
	}
	return changed;
}

/* May one more socket of @uid subscribe? 0, -EMFILE or -ENOSPC. */
static int mhv_sub_room(kuid_t uid, bool all)
{
	struct mhv_trace_sub *sub;
	unsigned int n = 0;

	if (mhv_nr_subs >= MHV_TRACE_MAX_SUBS)
		return -ENOSPC;
	if (all)
		return 0;
	list_for_each_entry(sub, &mhv_subs, node)
		n += !sub->all && uid_eq(sub->uid, uid);
	return n >= MHV_TRACE_MAX_SUBS_PER_UID ? -EMFILE : 0;
}

/* A new subscriber of the request's socket, or an ERR_PTR(). */
static struct mhv_trace_sub *mhv_sub_new(struct sk_buff *skb,
					 struct genl_info *info)
{
	struct sock *sk = NETLINK_CB(skb).sk;
	bool all = netlink_capable(skb, CAP_NET_ADMIN);
	kuid_t uid = sock_i_uid(sk);
	struct mhv_trace_sub *sub;
	int ret;

	lockdep_assert_held(&mhv_trace_lock);
	ret = mhv_sub_room(uid, all);
	if (ret)
		return ERR_PTR(ret);
	sub = kzalloc(sizeof(*sub), GFP_KERNEL_ACCOUNT);
	if (!sub)
		return ERR_PTR(-ENOMEM);
	sock_hold(sk);
	sub->sk = sk;
	sub->portid = info->snd_portid;
	sub->uid = uid;
	sub->all = all;
	list_add_tail(&sub->node, &mhv_subs);
	WRITE_ONCE(mhv_nr_subs, mhv_nr_subs + 1);
	return sub;
}

/* ---- requests ------------------------------------------------------------- */

static int mhv_parse_filter(struct genl_info *info, struct mhv_trace_sub *f)
{
	struct nlattr **a = info->attrs;

	f->vcpus = ~0ULL;
	f->events = GENMASK(MHV_TRACE_NR - 1, 1);
	f->exits = ~0ULL;
	f->nr_vms = 0;
	if (a[MHV_NL_A_FILTER_VMS]) {
		u32 len = nla_len(a[MHV_NL_A_FILTER_VMS]);

		if (len % sizeof(u32) || len > sizeof(f->vms))
			return -EINVAL;
		memcpy(f->vms, nla_data(a[MHV_NL_A_FILTER_VMS]), len);
		f->nr_vms = len / sizeof(u32);
	}
	if (a[MHV_NL_A_FILTER_VCPUS])
		f->vcpus = nla_get_u64(a[MHV_NL_A_FILTER_VCPUS]);
	if (a[MHV_NL_A_FILTER_EVENTS])
		f->events = nla_get_u32(a[MHV_NL_A_FILTER_EVENTS]) &
			    GENMASK(MHV_TRACE_NR - 1, 1);
	if (a[MHV_NL_A_FILTER_EXITS])
		f->exits = nla_get_u64(a[MHV_NL_A_FILTER_EXITS]);
	f->pairs = a[MHV_NL_A_FORMAT] &&
		   nla_get_u32(a[MHV_NL_A_FORMAT]) == MHV_TRACE_FMT_PAIRS;
	f->records = f->pairs || (a[MHV_NL_A_FORMAT] &&
		     nla_get_u32(a[MHV_NL_A_FORMAT]) == MHV_TRACE_FMT_RECORDS);
	/* a loss is always reported */
	f->events |= BIT(MHV_TRACE_DROP);
	return 0;
}

static int mhv_nl_subscribe(struct sk_buff *skb, struct genl_info *info)
{
	struct mhv_trace_sub f, *sub;
	int ret;

	ret = mhv_parse_filter(info, &f);
	if (ret)
		return ret;
	mutex_lock(&mhv_trace_lock);
	/* closed sockets count no more */
	mhv_subs_reap();
	sub = mhv_sub_find(NETLINK_CB(skb).sk);
	if (!sub)
		sub = mhv_sub_new(skb, info);
	if (IS_ERR(sub)) {
		mhv_subs_changed();
		mutex_unlock(&mhv_trace_lock);
		return PTR_ERR(sub);
	}
	/* the batch under way leaves in the format it was built in */
	if (sub->records != f.records)
		mhv_sub_send(sub);
	sub->records = f.records;
	sub->pairs = f.pairs;
	sub->uid = sock_i_uid(NETLINK_CB(skb).sk);
	sub->all = netlink_capable(skb, CAP_NET_ADMIN);
	memcpy(sub->vms, f.vms, sizeof(f.vms));
	sub->nr_vms = f.nr_vms;
	sub->vcpus = f.vcpus;
	sub->events = f.events;
	sub->exits = f.exits;
	mhv_subs_changed();
	mutex_unlock(&mhv_trace_lock);
	mhv_trace_kick();
	return 0;
}

static int mhv_nl_unsubscribe(struct sk_buff *skb, struct genl_info *info)
{
	struct mhv_trace_sub *sub;

	mutex_lock(&mhv_trace_lock);
	sub = mhv_sub_find(NETLINK_CB(skb).sk);
	if (sub)
		mhv_sub_free(sub);
	mhv_subs_reap();
	mhv_subs_changed();
	mutex_unlock(&mhv_trace_lock);
	return 0;
}

static int mhv_nl_put_vm(struct sk_buff *skb, struct netlink_callback *cb,
			 struct mhv_vm *vm)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, &mhv_genl_family,
				NLM_F_MULTI, MHV_NL_CMD_LIST_VMS);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MHV_NL_A_VM_ID, vm->id) ||
	    nla_put_string(skb, MHV_NL_A_VM_NAME, vm->config.name) ||
	    nla_put_u32(skb, MHV_NL_A_OWNER_PID, vm->owner_pid) ||
	    nla_put_u32(skb, MHV_NL_A_OWNER_UID,
			from_kuid_munged(&init_user_ns, vm->owner_uid)) ||
	    nla_put_u32(skb, MHV_NL_A_STATE, mhv_vm_state(vm)) ||
	    nla_put_u32(skb, MHV_NL_A_VCPUS, vm->config.vcpu_count) ||
	    nla_put_u32(skb, MHV_NL_A_VCPUS_CREATED, READ_ONCE(vm->nr_vcpus)) ||
	    mhv_put_u64(skb, MHV_NL_A_MEM_LIMIT,
			(u64)vm->config.memory_mb << 20) ||
	    mhv_put_u64(skb, MHV_NL_A_MEM_ALLOCATED,
			READ_ONCE(vm->mem_allocated)) ||
	    mhv_put_u64(skb, MHV_NL_A_MEM_USED,
			READ_ONCE(vm->mmu.nr_mapped) << PAGE_SHIFT) ||
	    /* pairs with smp_store_release() in mhv_dev_create() */
	    nla_put_u32(skb, MHV_NL_A_DEVICES, smp_load_acquire(&vm->nr_devs)) ||
	    mhv_put_u64(skb, MHV_NL_A_EXITS, atomic64_read(&vm->exits))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * The VMs in creation order (vm->seq grows along mhv_vm_list and never
 * wraps, unlike the u32 ids): cb->args[0] is the seq of the last VM
 * looked at, where the next part of the dump goes on.
 */
static int mhv_nl_list_vms(struct sk_buff *skb, struct netlink_callback *cb)
{
	bool all = netlink_capable(cb->skb, CAP_NET_ADMIN);
	kuid_t uid = sock_i_uid(NETLINK_CB(cb->skb).sk);
	u64 last = cb->args[0];
	struct mhv_vm *vm;

	BUILD_BUG_ON(sizeof(cb->args[0]) < sizeof(last));
	mutex_lock(&mhv_vm_list_lock);
	list_for_each_entry(vm, &mhv_vm_list, node) {
		if (vm->seq <= last)
			continue;
		if (!all && !uid_eq(vm->owner_uid, uid))
			continue;
		if (mhv_nl_put_vm(skb, cb, vm))
			break;
		last = vm->seq;
	}
	mutex_unlock(&mhv_vm_list_lock);
	cb->args[0] = last;
	return skb->len;
}

/* ---- the family ------------------------------------------------------------ */

static const struct nla_policy mhv_nl_policy[MHV_NL_A_MAX + 1] = {
	[MHV_NL_A_FILTER_VMS]	= { .type = NLA_BINARY,
				    .len = MHV_TRACE_MAX_FILTER_VMS * sizeof(u32) },
	[MHV_NL_A_FILTER_VCPUS]	= { .type = NLA_U64 },
	[MHV_NL_A_FILTER_EVENTS] = { .type = NLA_U32 },
	[MHV_NL_A_FILTER_EXITS]	= { .type = NLA_U64 },
	[MHV_NL_A_FORMAT]	= NLA_POLICY_MAX(NLA_U32, MHV_TRACE_FMT_PAIRS),
};

static const struct genl_small_ops mhv_nl_ops[] = {
	{ .cmd = MHV_NL_CMD_SUBSCRIBE, .doit = mhv_nl_subscribe },
	{ .cmd = MHV_NL_CMD_UNSUBSCRIBE, .doit = mhv_nl_unsubscribe },
	{ .cmd = MHV_NL_CMD_LIST_VMS, .dumpit = mhv_nl_list_vms },
};

static const struct genl_multicast_group mhv_nl_mcgrps[] = {
	{ .name = MHV_GENL_MCGRP_TRACE, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family mhv_genl_family = {
	.name		= MHV_GENL_NAME,
	.version	= MHV_GENL_VERSION,
	.maxattr	= MHV_NL_A_MAX,
	.policy		= mhv_nl_policy,
	.module		= THIS_MODULE,
	.small_ops	= mhv_nl_ops,
	.n_small_ops	= ARRAY_SIZE(mhv_nl_ops),
	.resv_start_op	= MHV_NL_CMD_EVENT + 1,
	.mcgrps		= mhv_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(mhv_nl_mcgrps),
};

/*
 * A netlink socket closed: its subscription ends with it. The socket is
 * already SOCK_DEAD, so nothing is sent to it any more; the worker's
 * next pass frees it (or a SUBSCRIBE or UNSUBSCRIBE before it). No lock
 * here: the closing task never waits for the worker. Any generic netlink
 * socket's close comes here, whoever owns it: no pass sooner than due.
 */
static int mhv_nl_notify(struct notifier_block *nb, unsigned long state,
			 void *ptr)
{
	struct netlink_notify *n = ptr;

	if (state == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    net_eq(n->net, &init_net) && READ_ONCE(mhv_nr_subs))
		mhv_trace_kick_later();
	return NOTIFY_DONE;
}

static struct notifier_block mhv_nl_notifier = {
	.notifier_call = mhv_nl_notify,
};

int mhv_genl_init(void)
{
	int ret;

	/* the internal exit types are the uapi reasons */
	BUILD_BUG_ON((int)MHV_X_NR != (int)MHV_TRACE_X_NR);
	BUILD_BUG_ON((int)MHV_X_NPF != (int)MHV_TRACE_X_NPF);
	BUILD_BUG_ON((int)MHV_X_IRQ_WINDOW != (int)MHV_TRACE_X_IRQ_WINDOW);
	BUILD_BUG_ON(MHV_TRACE_NR > 32);
	BUILD_BUG_ON(MHV_TRACE_X_NR > 64);

	ret = netlink_register_notifier(&mhv_nl_notifier);
	if (ret)
		return ret;
	ret = genl_register_family(&mhv_genl_family);
	if (ret) {
		netlink_unregister_notifier(&mhv_nl_notifier);
		return ret;
	}
	WRITE_ONCE(mhv_genl_up, true);
	return 0;
}

/* Module unload, first step: no request, no multicast any more. */
void mhv_genl_exit(void)
{
	WRITE_ONCE(mhv_genl_up, false);
	genl_unregister_family(&mhv_genl_family);
	netlink_unregister_notifier(&mhv_nl_notifier);
}

/* Last step, the worker stopped: the subscriptions go. */
void mhv_genl_free_subs(void)
{
	struct mhv_trace_sub *sub, *tmp;

	mutex_lock(&mhv_trace_lock);
	list_for_each_entry_safe(sub, tmp, &mhv_subs, node)
		mhv_sub_free(sub);
	mhv_subs_changed();
	mutex_unlock(&mhv_trace_lock);
}
