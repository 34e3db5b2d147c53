// SPDX-License-Identifier: GPL-2.0
/*
 * The trace channel (generic netlink family multios_hv): every event type
 * appears when its cause happens, with the fields the guest's actions
 * imply; filters; the drop count and the drop record under overload.
 *
 * Synchronization: a VM's events are all delivered before its DESTROYED
 * lifecycle event (its vCPU rings are emptied when the vCPUs go), so a
 * test reads until that event for its VM arrives.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "trace_util.h"

#define NR_CPUID	10
#define LEAF0		0x40000000u
#define PORT		0x80
#define MMIO_GPA	0xc0000000ULL
#define FRESH_GPA	0x1800000ULL	/* 24 MiB: nothing of the guest there */
#define IDT_GPA		0x2000000ULL
#define VEC		0x40
#define DEMO_PORT	0x300

static void guest_exits(uint64_t arg)
{
	uint32_t a, b, c, d, i;

	for (i = 0; i < NR_CPUID; i++)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(LEAF0 + i), "c"(0));
	__asm__ volatile("outb %b0, %w1" : : "a"(0x5a), "d"(PORT));
	*(volatile uint32_t *)MMIO_GPA = 0x12345678;
	*(volatile uint64_t *)FRESH_GPA = 1;
	GUEST_DONE();
}

/* CPUID, port I/O, MMIO and a fault on fresh memory: each as it happened. */
TEST(exits_npf_and_lifecycle)
{
	struct trace_log log;
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_run *run;
	struct trace_sub *s;
	char name[32];
	uint32_t id;
	unsigned int i, n;
	const struct mhv_trace_event *e;

	s = trace_sub_open(NULL);
	ASSERT_NE(NULL, s);
	snprintf(name, sizeof(name), "tr-exits-%d", getpid());
	ASSERT_EQ(0, mhv_guest_create(&g, name, 1, 64, guest_exits, 0));
	id = trace_vm_id(name);
	ASSERT_NE(0, id);
	run = g.vcpu[0].run;
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_IO, run->exit_reason);
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_MMIO, run->exit_reason);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_STOP_VM, MHV_STOP_GRACEFUL));
	mhv_guest_destroy(&g);
	ASSERT_EQ(0, trace_collect(s, id, &log));

	/* the CPUIDs, in order, in the kernel */
	n = 0;
	for (i = 0; i < log.n; i++) {
		e = &log.ev[i];
		if (e->type != MHV_TRACE_EXIT || e->exit_reason != MHV_TRACE_X_CPUID)
			continue;
		EXPECT_EQ(LEAF0 + n, (uint32_t)e->exit_arg);
		EXPECT_EQ(0, e->user);
		EXPECT_EQ(0, e->vcpu);
		/* may be 0: a CPUID is answered from a table, and under
		 * QEMU's TCG the clock need not advance in so short a time;
		 * never an underflow of the exit time
		 */
		EXPECT_GT(1ULL << 40, e->handle_ns);
		EXPECT_NE(0, e->time_ns);
		n++;
	}
	EXPECT_EQ(NR_CPUID, n);
	/* the OUT: to userspace, port, size and direction in the argument */
	EXPECT_EQ(1, trace_count_io(&log, PORT, 1, 0));
	/* the MMIO write: an NPF exit at the GPA and an NPF event, mmio */
	e = trace_find_npf(&log, MMIO_GPA);
	ASSERT_NE(NULL, e);
	EXPECT_TRUE(e->access & MHV_TRACE_ACC_MMIO);
	EXPECT_TRUE(e->access & MHV_TRACE_ACC_WRITE);
	EXPECT_EQ(0, e->pages);
	e = trace_find_exit_gpa(&log, MHV_TRACE_X_NPF, MMIO_GPA);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1, e->user);
	/* the fresh page: one page mapped for a write */
	e = trace_find_npf(&log, FRESH_GPA);
	ASSERT_NE(NULL, e);
	EXPECT_FALSE(e->access & MHV_TRACE_ACC_MMIO);
	EXPECT_TRUE(e->access & MHV_TRACE_ACC_WRITE);
	EXPECT_EQ(1, e->pages);
	/* lifecycle, in order: created, running, stopped, destroyed */
	EXPECT_EQ(0, trace_lifecycle_order(&log, (const uint32_t []){
		MHV_TRACE_VM_CREATED, MHV_TRACE_VM_STATE, MHV_TRACE_VM_STATE,
		MHV_TRACE_VM_DESTROYED, 0 }, (const uint32_t []){
		MHV_VM_CREATED, MHV_VM_RUNNING, MHV_VM_STOPPED, 0, 0 }));
	EXPECT_STREQ(name, trace_find_vm(&log, MHV_TRACE_VM_CREATED)->vm_name);
	trace_log_free(&log);
	trace_sub_close(s);
}

#define SAME(f)	(a->f == b->f)

/* Every field of two decoded events. */
static int same_event(const struct mhv_trace_event *a,
		      const struct mhv_trace_event *b)
{
	return SAME(type) && SAME(vm_id) && SAME(vcpu) && SAME(time_ns) &&
	       SAME(exit_reason) && SAME(rip) && SAME(exit_code) &&
	       SAME(exit_info1) && SAME(exit_info2) && SAME(exit_arg) &&
	       SAME(gpa) && SAME(handle_ns) && SAME(user) && SAME(access) &&
	       SAME(pages) && SAME(dev_id) && SAME(dev_type) && SAME(width) &&
	       SAME(offset) && SAME(value) && SAME(write) && SAME(refused) &&
	       SAME(vector) && SAME(inject_kind) && SAME(error_code) &&
	       SAME(has_error_code) && SAME(lifecycle) && SAME(state) &&
	       SAME(error) && SAME(owner_uid) && SAME(dropped) &&
	       SAME(drop_where) && !strcmp(a->vm_name, b->vm_name);
}

/*
 * One subscriber of each wire format (record batches, a message per
 * event, record batches with entries folded into the exits before them),
 * the same guest: the same events, field for field, in order; entries
 * included (every event type: no filter).
 */
TEST(both_formats_agree)
{
	static const uint32_t fmt[3] = {
		MHV_TRACE_FMT_RECORDS, MHV_TRACE_FMT_ATTRS, MHV_TRACE_FMT_PAIRS,
	};
	struct trace_sub s[3] = { { NULL }, { NULL }, { NULL } };
	struct trace_log log[3];
	unsigned int entries = 0;
	struct mhv_guest g;
	struct mhv_ucall uc;
	unsigned int i, k, n = 0;
	char name[32];
	uint32_t id;

	for (k = 0; k < 3; k++) {
		ASSERT_EQ(0, mhv_trace_open(&s[k].t));
		ASSERT_EQ(0, mhv_trace_set_format(s[k].t, fmt[k]));
		ASSERT_EQ(0, mhv_trace_subscribe(s[k].t, NULL));
		ASSERT_EQ(0, mhv_trace_set_nonblocking(s[k].t));
	}
	EXPECT_EQ(-EINVAL, mhv_trace_set_format(s[0].t, 3));
	snprintf(name, sizeof(name), "tr-fmt-%d", getpid());
	ASSERT_EQ(0, mhv_guest_create(&g, name, 1, 64, guest_exits, 0));
	id = trace_vm_id(name);
	ASSERT_NE(0, id);
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
	for (k = 0; k < 3; k++)
		ASSERT_EQ(0, trace_collect(&s[k], id, &log[k]));
	ASSERT_EQ(log[0].n, log[1].n);
	ASSERT_EQ(log[0].n, log[2].n);
	for (i = 0; i < log[0].n; i++) {
		EXPECT_TRUE(same_event(&log[0].ev[i], &log[1].ev[i]));
		EXPECT_TRUE(same_event(&log[0].ev[i], &log[2].ev[i]));
		entries += log[0].ev[i].type == MHV_TRACE_ENTRY;
		n += log[0].ev[i].type == MHV_TRACE_EXIT &&
		     log[0].ev[i].exit_reason == MHV_TRACE_X_CPUID &&
		     (uint32_t)log[0].ev[i].exit_arg == LEAF0 + n;
	}
	/* and they are the guest's: its CPUIDs, in order, each re-entered */
	EXPECT_EQ(NR_CPUID, n);
	EXPECT_LT(NR_CPUID, entries);
	for (k = 0; k < 3; k++) {
		trace_log_free(&log[k]);
		mhv_trace_close(s[k].t);
	}
}

static void guest_triple_fault(uint64_t arg)
{
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idt = { 0, 0 };

	__asm__ volatile("lidt %0\n\tud2" : : "m"(idt));
	GUEST_DONE();
}

TEST(error_event_on_triple_fault)
{
	struct trace_log log;
	struct mhv_guest g;
	struct mhv_ucall uc;
	const struct mhv_trace_event *e;
	struct trace_sub *s = trace_sub_open(NULL);
	char name[32];
	uint32_t id;

	ASSERT_NE(NULL, s);
	snprintf(name, sizeof(name), "tr-triple-%d", getpid());
	ASSERT_EQ(0, mhv_guest_create(&g, name, 1, 64, guest_triple_fault, 0));
	id = trace_vm_id(name);
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_SHUTDOWN, g.vcpu[0].run->exit_reason);
	mhv_guest_destroy(&g);
	ASSERT_EQ(0, trace_collect(s, id, &log));
	e = trace_find_vm(&log, MHV_TRACE_VM_ERROR);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(MHV_ERR_TRIPLE_FAULT, e->error);
	EXPECT_EQ(MHV_VM_ERROR, e->state);
	e = trace_find_exit_gpa(&log, MHV_TRACE_X_SHUTDOWN, 0);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1, e->user);
	trace_log_free(&log);
	trace_sub_close(s);
}

static void guest_device(uint64_t port)
{
	/* DATA: 16 bits; a byte write of it is refused (width) */
	__asm__ volatile("outw %w0, %w1" : : "a"(0x1234), "d"(port + MHV_DEMO_DATA));
	__asm__ volatile("outb %b0, %w1" : : "a"(0x56), "d"(port + MHV_DEMO_DATA));
	GUEST_DONE();
}

TEST(device_access)
{
	struct trace_log log;
	struct mhv_guest g;
	struct mhv_ucall uc;
	const struct mhv_trace_event *e;
	struct trace_sub *s = trace_sub_open(NULL);
	unsigned int i, n = 0;
	char name[32];
	uint32_t id;
	int dev;

	ASSERT_NE(NULL, s);
	snprintf(name, sizeof(name), "tr-dev-%d", getpid());
	ASSERT_EQ(0, mhv_guest_create(&g, name, 1, 64, guest_device, DEMO_PORT));
	id = trace_vm_id(name);
	dev = mhv_create_device(g.vm_fd, MHV_DEV_TYPE_DEMO, MHV_DEV_SPACE_PIO,
				DEMO_PORT);
	ASSERT_LE(0, dev);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
	ASSERT_EQ(0, trace_collect(s, id, &log));
	for (i = 0; i < log.n; i++) {
		e = &log.ev[i];
		if (e->type != MHV_TRACE_DEV)
			continue;
		EXPECT_EQ((uint32_t)dev, e->dev_id);
		EXPECT_EQ(MHV_DEV_TYPE_DEMO, e->dev_type);
		EXPECT_EQ(MHV_DEMO_DATA, e->offset);
		EXPECT_EQ(1, e->write);
		EXPECT_EQ(n == 0 ? 2 : 1, e->width);
		EXPECT_EQ(n == 0 ? 0x1234 : 0x56, e->value);
		EXPECT_EQ(n == 0 ? 0 : 1, e->refused);
		n++;
	}
	EXPECT_EQ(2, n);
	trace_log_free(&log);
	trace_sub_close(s);
}

static volatile uint64_t n_irqs;

static void irq_handler(struct mhv_ex_regs *r)
{
	n_irqs++;
}

static void guest_irq(uint64_t arg)
{
	uint64_t i;

	GUEST_SYNC(0);
	__asm__ volatile("sti" ::: "memory");
	for (i = 0; i < 20000000ULL && !n_irqs; i++)
		__asm__ volatile("pause" ::: "memory");
	GUEST_ASSERT_EQ(n_irqs, 1);
	GUEST_DONE();
}

TEST(injected_interrupt)
{
	struct trace_log log;
	struct mhv_guest g;
	struct mhv_ucall uc;
	const struct mhv_trace_event *e;
	struct trace_sub *s = trace_sub_open(NULL);
	unsigned int i, n = 0;
	char name[32];
	uint32_t id;

	ASSERT_NE(NULL, s);
	snprintf(name, sizeof(name), "tr-irq-%d", getpid());
	ASSERT_EQ(0, mhv_guest_create(&g, name, 1, 64, guest_irq, 0));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC, irq_handler));
	id = trace_vm_id(name);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_interrupt(g.vcpu[0].fd, VEC));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
	ASSERT_EQ(0, trace_collect(s, id, &log));
	for (i = 0; i < log.n; i++) {
		e = &log.ev[i];
		if (e->type != MHV_TRACE_INJECT)
			continue;
		EXPECT_EQ(MHV_TRACE_INJ_IRQ, e->inject_kind);
		EXPECT_EQ(VEC, e->vector);
		EXPECT_EQ(0, e->has_error_code);
		n++;
	}
	/* an NPF may interrupt the first delivery: delivered again */
	EXPECT_LE(1, n);
	EXPECT_GE(2, n);
	trace_log_free(&log);
	trace_sub_close(s);
}

/*
 * Two subscribers: one wants only CPUID exits of this VM, the other
 * everything. Each receives what its own filter says.
 */
TEST(filters)
{
	struct trace_log a, b;
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct trace_sub *sa, *sb;
	struct mhv_trace_filter f = { 0 };
	unsigned int i, other = 0;
	char name[32];
	uint32_t id;

	snprintf(name, sizeof(name), "tr-filter-%d", getpid());
	ASSERT_EQ(0, mhv_guest_create(&g, name, 1, 64, guest_exits, 0));
	id = trace_vm_id(name);
	ASSERT_NE(0, id);
	f.vms[0] = id;
	f.nr_vms = 1;
	f.events = 1u << MHV_TRACE_EXIT | 1u << MHV_TRACE_VM;
	f.exits = 1ull << MHV_TRACE_X_CPUID;
	sa = trace_sub_open(&f);
	sb = trace_sub_open(NULL);
	ASSERT_NE(NULL, sa);
	ASSERT_NE(NULL, sb);
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
	ASSERT_EQ(0, trace_collect(sa, id, &a));
	ASSERT_EQ(0, trace_collect(sb, id, &b));
	for (i = 0; i < a.n; i++) {
		EXPECT_EQ(id, a.ev[i].vm_id);
		if (a.ev[i].type == MHV_TRACE_VM)
			continue;
		EXPECT_EQ(MHV_TRACE_EXIT, a.ev[i].type);
		EXPECT_EQ(MHV_TRACE_X_CPUID, a.ev[i].exit_reason);
	}
	EXPECT_EQ(NR_CPUID, trace_count_exits(&a, MHV_TRACE_X_CPUID));
	/* the unfiltered one saw the same CPUIDs and the rest */
	EXPECT_EQ(NR_CPUID, trace_count_exits(&b, MHV_TRACE_X_CPUID));
	for (i = 0; i < b.n; i++)
		if (b.ev[i].type == MHV_TRACE_NPF ||
		    (b.ev[i].type == MHV_TRACE_EXIT &&
		     b.ev[i].exit_reason != MHV_TRACE_X_CPUID))
			other++;
	EXPECT_LT(0, other);
	trace_log_free(&a);
	trace_log_free(&b);
	trace_sub_close(sa);
	trace_sub_close(sb);
}

#define NR_FAST		50000

static void guest_spin_cpuid(uint64_t n)
{
	uint32_t a, b, c, d;
	uint64_t i;

	for (i = 0; i < n; i++)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(0), "c"(0));
	GUEST_DONE();
}

/*
 * A guest exiting as fast as it can, a reader that does not read until
 * the guest is done, with a small socket buffer: events are lost, and
 * what arrives plus what the drop records count is every exit.
 */
TEST(drops_are_counted)
{
	struct mhv_trace_filter f = { 0 };
	struct mhv_vm_info info;
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct trace_sub *s;
	uint64_t got = 0, dropped = 0, records = 0;
	char name[32];
	uint32_t id;

	snprintf(name, sizeof(name), "tr-drop-%d", getpid());
	ASSERT_EQ(0, mhv_guest_create(&g, name, 1, 64, guest_spin_cpuid,
				      NR_FAST));
	id = trace_vm_id(name);
	f.vms[0] = id;
	f.nr_vms = 1;
	f.events = 1u << MHV_TRACE_EXIT;
	s = trace_sub_open(&f);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, mhv_trace_set_rcvbuf(s->t, 4096));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, mhv_get_vm_info(g.vm_fd, &info));
	ASSERT_LE(NR_FAST, info.exits);
	mhv_guest_destroy(&g);
	/* now read: until every exit is accounted for, or 10 s */
	ASSERT_EQ(0, trace_account(s, info.exits, &got, &dropped, &records));
	EXPECT_EQ(info.exits, got + dropped);
	EXPECT_LT(0, dropped);
	EXPECT_LT(0, records);
	EXPECT_EQ(dropped, mhv_trace_dropped(s->t));
	trace_sub_close(s);
}

TEST_HARNESS_MAIN
