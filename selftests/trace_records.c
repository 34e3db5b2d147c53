// SPDX-License-Identifier: GPL-2.0
/*
 * The raw record batches (MHV_TRACE_FMT_RECORDS), read off the socket
 * as the kernel wrote them (this test probes the wire format itself):
 * a record carries only the fields its type defines (uapi: struct
 * mhv_trace_record), every other word is zero. A vCPU's ring slots are
 * reused every 2048 events (kmod/trace.h MHV_TRACE_RING); an ENTRY record (only a[0], the RIP) lands
 * in a slot an EXIT record held once the order of types shifts (the NPF
 * of a fresh page adds one record), so stale exit codes, exit
 * information, handling times would show in its unused words.
 *
 * An ENTRY right after the EXIT of a CPUID (2 bytes: 0f a2) is at the
 * RIP after it, no earlier than the exit's time plus its handling time;
 * within a burst of entries (the kernel's record of the exit stands for
 * the entry too) exactly then: the handling ended with the entry.
 *
 * MHV_TRACE_FMT_PAIRS folds such an entry into the exit's record
 * (MHV_TRACE_F_ENTRY, the entry's RIP in aux and aux2); RECORDS never.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "trace_util.h"

#define RING_SLOTS	2048	/* kmod/trace.h MHV_TRACE_RING */
/* before the NPF: more records than a ring's slots, so it reuses one */
#define NR_CPUID	(RING_SLOTS + 64)
#define FRESH_GPA	0x1800000ULL	/* 24 MiB: nothing of the guest there */

static void guest_cpuid_npf_cpuid(uint64_t n)
{
	uint32_t a, b, c, d;
	uint64_t i;

	for (i = 0; i < n; i++)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(0x40000000), "c"(0));
	*(volatile uint64_t *)FRESH_GPA = 1;
	for (i = 0; i < n; i++)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(0x40000000), "c"(0));
	GUEST_DONE();
}

struct tally {
	uint32_t vm_id;
	unsigned int entries, npfs, dirty;
	int done;
	struct mhv_trace_record last;	/* of the VM */
	unsigned int after_cpuid, at_end, bad_entry;
	unsigned int folded, bad_fold;	/* EXIT with MHV_TRACE_F_ENTRY */
};

/* @r, an EXIT with MHV_TRACE_F_ENTRY: after a CPUID, at the next RIP */
static void check_fold(struct tally *t, const struct mhv_trace_record *r)
{
	uint64_t rip = r->aux | (uint64_t)r->aux2 << 32;

	t->folded++;
	if (r->reason == MHV_TRACE_X_CPUID && rip != r->a[0] + 2)
		t->bad_fold++;
}

/* @r, an ENTRY, against the EXIT before it (t->last) */
static void check_entry(struct tally *t, const struct mhv_trace_record *r)
{
	const struct mhv_trace_record *x = &t->last;
	uint64_t end = x->time_ns + x->a[6];

	if (x->type != MHV_TRACE_EXIT || x->reason != MHV_TRACE_X_CPUID ||
	    (x->flags & MHV_TRACE_F_USER))
		return;
	t->after_cpuid++;
	t->at_end += r->time_ns == end;
	if (r->a[0] != x->a[0] + 2 || r->time_ns < end)
		t->bad_entry++;
}

/* The words of @r its type does not define are zero. */
static int record_clean(const struct mhv_trace_record *r)
{
	unsigned int i, words;

	switch (r->type) {
	case MHV_TRACE_ENTRY:
		words = 1;
		if (r->reason || r->aux || r->aux2 || r->flags)
			return 0;
		break;
	case MHV_TRACE_NPF:
		words = 3;
		if (r->reason || r->aux2 || r->flags)
			return 0;
		break;
	case MHV_TRACE_EXIT:
		/* reason and a[] all defined; aux, aux2: a folded entry */
		return (r->flags & MHV_TRACE_F_ENTRY) || (!r->aux && !r->aux2);
	case MHV_TRACE_DROP:
		words = 1;
		if (r->aux || r->aux2 || r->flags)
			return 0;
		break;
	default:
		return 1;
	}
	for (i = words; i < 7; i++)
		if (r->a[i])
			return 0;
	return 1;
}

/* Every record of one MHV_NL_CMD_EVENTS message into @t. */
static void tally_message(struct __test_metadata *_metadata,
			  const struct nlmsghdr *nlh, struct tally *t)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const struct nlattr *a = (const void *)((const char *)g + GENL_HDRLEN);
	int left = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	const struct mhv_trace_record *r;
	uint32_t size = 0;
	size_t n, off;

	if (g->cmd != MHV_NL_CMD_EVENTS)
		return;
	for (; left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= left;
	     left -= NLA_ALIGN(a->nla_len),
	     a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		if ((a->nla_type & NLA_TYPE_MASK) == MHV_NL_A_RECORD_SIZE)
			memcpy(&size, (const char *)a + NLA_HDRLEN, 4);
		if ((a->nla_type & NLA_TYPE_MASK) != MHV_NL_A_RECORDS)
			continue;
		ASSERT_LE(sizeof(*r), size);
		n = a->nla_len - NLA_HDRLEN;
		for (off = 0; off + size <= n; off += size) {
			r = (const void *)((const char *)a + NLA_HDRLEN + off);
			if (r->vm_id != t->vm_id)
				continue;
			t->entries += r->type == MHV_TRACE_ENTRY;
			t->npfs += r->type == MHV_TRACE_NPF;
			if (r->type == MHV_TRACE_ENTRY)
				check_entry(t, r);
			if (r->type == MHV_TRACE_EXIT &&
			    (r->flags & MHV_TRACE_F_ENTRY))
				check_fold(t, r);
			memcpy(&t->last, r, sizeof(t->last));
			if (!record_clean(r)) {
				if (!t->dirty)
					TH_LOG("type %u reason %u aux %u aux2 %u a[1] 0x%llx a[3] 0x%llx a[6] 0x%llx",
					       r->type, r->reason, r->aux,
					       r->aux2,
					       (unsigned long long)r->a[1],
					       (unsigned long long)r->a[3],
					       (unsigned long long)r->a[6]);
				t->dirty++;
			}
			if (r->type == MHV_TRACE_VM &&
			    r->reason == MHV_TRACE_VM_DESTROYED)
				t->done = 1;
		}
	}
}

/* The guest's events in format @fmt, raw off the socket, into @t. */
static void tally_guest(struct __test_metadata *_metadata, uint32_t fmt,
			struct tally *t)
{
	static char buf[1 << 16];
	struct mhv_trace_filter f = { 0 };
	struct mhv_trace *tr;
	struct mhv_guest g;
	struct mhv_ucall uc;
	const struct nlmsghdr *nlh;
	struct pollfd p;
	int rcvbuf = 32 << 20;
	char name[32];
	uint64_t end;
	ssize_t len;

	snprintf(name, sizeof(name), "tr-rec-%d", getpid());
	ASSERT_EQ(0, mhv_guest_create(&g, name, 1, 64, guest_cpuid_npf_cpuid,
				      NR_CPUID));
	t->vm_id = trace_vm_id(name);
	ASSERT_NE(0, t->vm_id);
	ASSERT_EQ(0, mhv_trace_open(&tr));
	ASSERT_EQ(0, mhv_trace_set_format(tr, fmt));
	/* room for every batch: the reader starts when the guest is gone */
	ASSERT_EQ(0, setsockopt(mhv_trace_fd(tr), SOL_SOCKET, SO_RCVBUFFORCE,
				&rcvbuf, sizeof(rcvbuf)));
	f.vms[0] = t->vm_id;
	f.nr_vms = 1;
	f.events = 1u << MHV_TRACE_ENTRY | 1u << MHV_TRACE_EXIT |
		   1u << MHV_TRACE_NPF | 1u << MHV_TRACE_VM;
	ASSERT_EQ(0, mhv_trace_subscribe(tr, &f));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_STOP_VM, MHV_STOP_GRACEFUL));
	mhv_guest_destroy(&g);

	/* until the VM's DESTROYED record, which comes after all others */
	p.fd = mhv_trace_fd(tr);
	p.events = POLLIN;
	end = now_ms() + 20000;
	while (!t->done && now_ms() < end) {
		if (poll(&p, 1, 1000) <= 0)
			continue;
		len = recv(p.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (len <= 0)
			continue;
		for (nlh = (const void *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len))
			tally_message(_metadata, nlh, t);
	}
	mhv_trace_close(tr);
}

TEST(unused_words_are_zero)
{
	struct tally t = { 0 };

	tally_guest(_metadata, MHV_TRACE_FMT_RECORDS, &t);
	EXPECT_TRUE(t.done);
	EXPECT_EQ(0, t.folded);
	/* more than a ring's worth: slots were reused */
	EXPECT_LT(RING_SLOTS, t.entries);
	EXPECT_LT(0, t.npfs);
	EXPECT_EQ(0, t.dirty);
	/* every CPUID is followed by an entry (half: room for drops) */
	EXPECT_LT(NR_CPUID, t.after_cpuid);
	EXPECT_EQ(0, t.bad_entry);
	/* a burst ends only when the thread must yield: mostly, not */
	EXPECT_LT(t.after_cpuid / 2, t.at_end);
}

TEST(pairs_fold_entries)
{
	struct tally t = { 0 };

	tally_guest(_metadata, MHV_TRACE_FMT_PAIRS, &t);
	EXPECT_TRUE(t.done);
	EXPECT_EQ(0, t.dirty);
	/* most CPUIDs are in a burst: their entry is in their record */
	EXPECT_LT(NR_CPUID, t.folded);
	EXPECT_EQ(0, t.bad_fold);
	EXPECT_EQ(0, t.bad_entry);
}

TEST_HARNESS_MAIN
