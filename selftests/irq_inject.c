// SPDX-License-Identifier: GPL-2.0
/*
 * Events from userspace into the guest: MHV_INTERRUPT held while the
 * guest has RFLAGS.IF clear and delivered once it sets it, the highest
 * vector first, the interrupt window (request_interrupt_window and
 * MHV_EXIT_IRQ_WINDOW_OPEN), the run page's if_flag and
 * ready_for_interrupt_injection, re-delivery of an interrupt whose
 * delivery a nested page fault interrupted, and MHV_QUEUE_EXCEPTION with
 * its argument checks.
 */
#include <stdint.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define IDT_GPA		0x2000000ULL	/* 32 MiB: a page no one uses */
#define VEC_A		0x40
#define VEC_B		0x41
#define SPIN_MAX	20000000ULL	/* a bound, so a lost interrupt fails */

static volatile uint64_t n_irqs, irq_order[4];
static volatile uint64_t exc_vector, exc_error, exc_count;

static void irq_handler(struct mhv_ex_regs *r)
{
	if (n_irqs < 4)
		irq_order[n_irqs] = r->vector;
	n_irqs++;
}

static void exc_handler(struct mhv_ex_regs *r)
{
	exc_vector = r->vector;
	exc_error = r->error_code;
	exc_count++;
}

/* With interrupts on, wait until @n interrupts came, a bounded time. */
static uint64_t wait_irqs(uint64_t n)
{
	uint64_t i;

	__asm__ volatile("sti" ::: "memory");
	for (i = 0; i < SPIN_MAX && n_irqs < n; i++)
		__asm__ volatile("pause" ::: "memory");
	return n_irqs;
}

static void guest_held_then_delivered(uint64_t nr)
{
	__asm__ volatile("cli" ::: "memory");
	GUEST_SYNC(0);		/* the host raises @nr interrupts here */
	/* the entry had them pending, but IF=0 holds them */
	GUEST_ASSERT_EQ(n_irqs, 0);
	GUEST_SYNC(1);
	GUEST_ASSERT_EQ(wait_irqs(nr), nr);
	GUEST_DONE();
}

#define stats(g, st) do {						\
	memset((st), 0, sizeof(*(st)));					\
	ASSERT_EQ(0, mhv_get_vcpu_stats((g)->vcpu[0].fd, (st)));	\
} while (0)

/* A guest with handlers for VEC_A, VEC_B and #GP. */
static int make_guest(struct mhv_guest *g, const char *name,
		      void (*entry)(uint64_t), uint64_t arg)
{
	int r = mhv_guest_create(g, name, 1, 64, entry, arg);

	if (r)
		return r;
	r = mhv_guest_setup_idt(g, IDT_GPA);
	if (!r)
		r = mhv_guest_install_handler(g, VEC_A, irq_handler);
	if (!r)
		r = mhv_guest_install_handler(g, VEC_B, irq_handler);
	if (!r)
		r = mhv_guest_install_handler(g, 13, exc_handler);
	if (r)
		mhv_guest_destroy(g);
	return r;
}

#define setup(g, name, entry, arg) \
	ASSERT_EQ(0, make_guest((g), (name), (entry), (arg)))

/*
 * One interrupt: held while IF=0, delivered after STI through an
 * interrupt window. Its first delivery touches the IDT and exception
 * stack pages, which no nested page table maps yet: the nested page
 * fault interrupts the delivery, and the interrupt must be delivered
 * again, once.
 */
TEST(held_by_if_then_delivered_once)
{
	struct mhv_vcpu_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;
	volatile uint64_t *count;

	setup(&g, "irq-held", guest_held_then_delivered, 1);
	count = mhv_guest_ptr(&g, (uint64_t)(uintptr_t)&n_irqs);
	ASSERT_NE(NULL, count);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(0, g.vcpu[0].run->if_flag);
	EXPECT_EQ(0, g.vcpu[0].run->ready_for_interrupt_injection);
	ASSERT_EQ(0, mhv_interrupt(g.vcpu[0].fd, VEC_A));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	/* still pending: not ready for another one */
	EXPECT_EQ(0, g.vcpu[0].run->ready_for_interrupt_injection);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(1, *count);
	EXPECT_EQ(VEC_A, ((volatile uint64_t *)mhv_guest_ptr(&g,
		  (uint64_t)(uintptr_t)irq_order))[0]);
	EXPECT_EQ(1, g.vcpu[0].run->if_flag);
	EXPECT_EQ(1, g.vcpu[0].run->ready_for_interrupt_injection);
	stats(&g, &st);
	EXPECT_EQ(1, st.counters[MHV_STAT_IRQ_INJECTED]);
	EXPECT_LE(1, st.counters[MHV_STAT_IRQ_WINDOW]);
	EXPECT_LE(1, st.counters[MHV_STAT_REINJECT]);
	mhv_guest_destroy(&g);
}

static void guest_window(uint64_t arg)
{
	__asm__ volatile("cli" ::: "memory");
	GUEST_SYNC(1);		/* the host asks for the window here */
	GUEST_SYNC(2);		/* IF=0: no window yet */
	GUEST_ASSERT_EQ(wait_irqs(1), 1);
	GUEST_DONE();
}

/* request_interrupt_window: the exit comes when IF=1, not before. */
TEST(window_opens_with_if)
{
	struct mhv_vcpu_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_run *run;

	setup(&g, "irq-window", guest_window, 0);
	run = g.vcpu[0].run;
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(1, uc.args[0]);
	run->request_interrupt_window = 1;
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(2, uc.args[0]);
	EXPECT_EQ(0, run->if_flag);
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_IRQ_WINDOW_OPEN);
	EXPECT_EQ(1, run->if_flag);
	EXPECT_EQ(1, run->ready_for_interrupt_injection);
	run->request_interrupt_window = 0;
	ASSERT_EQ(0, mhv_interrupt(g.vcpu[0].fd, VEC_A));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	stats(&g, &st);
	EXPECT_EQ(1, st.counters[MHV_STAT_IRQ_INJECTED]);
	mhv_guest_destroy(&g);
}

static void guest_exception(uint64_t arg)
{
	GUEST_SYNC(0);		/* the host queues #GP(arg) here */
	GUEST_ASSERT_EQ(exc_count, 1);
	GUEST_ASSERT_EQ(exc_vector, 13);
	GUEST_ASSERT_EQ(exc_error, arg);
	GUEST_DONE();
}

TEST(queued_exception)
{
	struct mhv_vcpu_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;
	int fd;

	setup(&g, "exc-queue", guest_exception, 0x1234);
	fd = g.vcpu[0].fd;
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	/* NMI, reserved vectors, interrupts, wrong error-code flags */
	EXPECT_EQ(-EINVAL, mhv_queue_exception(fd, 2, 0, 0));
	EXPECT_EQ(-EINVAL, mhv_queue_exception(fd, 15, 0, 0));
	EXPECT_EQ(-EINVAL, mhv_queue_exception(fd, 22, 0, 0));
	EXPECT_EQ(-EINVAL, mhv_queue_exception(fd, 32, 0, 0));
	/* #CP, #VC, #SX: not for this module's guests */
	EXPECT_EQ(-EINVAL, mhv_queue_exception(fd, 21, MHV_EXC_F_ERROR_CODE, 0));
	EXPECT_EQ(-EINVAL, mhv_queue_exception(fd, 29, MHV_EXC_F_ERROR_CODE, 0));
	EXPECT_EQ(-EINVAL, mhv_queue_exception(fd, 30, MHV_EXC_F_ERROR_CODE, 0));
	EXPECT_EQ(-EINVAL, mhv_queue_exception(fd, 13, 0, 0));
	EXPECT_EQ(-EINVAL, mhv_queue_exception(fd, 6, MHV_EXC_F_ERROR_CODE, 0));
	EXPECT_EQ(-EINVAL, mhv_queue_exception(fd, 6, 0, 1));
	EXPECT_EQ(-EINVAL, mhv_queue_exception(fd, 13, 2, 0));
	ASSERT_EQ(0, mhv_queue_exception(fd, 13, MHV_EXC_F_ERROR_CODE,
					 0x1234));
	EXPECT_EQ(-EBUSY, mhv_queue_exception(fd, 13, MHV_EXC_F_ERROR_CODE,
					      0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	stats(&g, &st);
	EXPECT_EQ(1, st.counters[MHV_STAT_EXC_INJECTED]);
	EXPECT_EQ(0, st.counters[MHV_STAT_IRQ_INJECTED]);
	mhv_guest_destroy(&g);
}

TEST(interrupt_arguments)
{
	struct mhv_interrupt irq;
	struct mhv_guest g;
	int fd;

	setup(&g, "irq-args", guest_exception, 0);
	fd = g.vcpu[0].fd;
	EXPECT_EQ(-EINVAL, mhv_interrupt(fd, 31));
	EXPECT_EQ(-EINVAL, mhv_interrupt(fd, 256));
	memset(&irq, 0, sizeof(irq));
	irq.vector = VEC_A;
	irq.flags = 1;
	EXPECT_EQ(-1, ioctl(fd, MHV_INTERRUPT, &irq));
	EXPECT_EQ(EINVAL, errno);
	irq.flags = 0;
	irq.reserved[1] = 1;
	EXPECT_EQ(-1, ioctl(fd, MHV_INTERRUPT, &irq));
	EXPECT_EQ(EINVAL, errno);
	mhv_guest_destroy(&g);
}

/* Two vectors pending: the higher one first, then the other. */
TEST(highest_vector_first)
{
	struct mhv_vcpu_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;
	volatile uint64_t *order;

	setup(&g, "irq-prio", guest_held_then_delivered, 2);
	order = mhv_guest_ptr(&g, (uint64_t)(uintptr_t)irq_order);
	ASSERT_NE(NULL, order);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_interrupt(g.vcpu[0].fd, VEC_A));
	ASSERT_EQ(0, mhv_interrupt(g.vcpu[0].fd, VEC_B));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(VEC_B, order[0]);
	EXPECT_EQ(VEC_A, order[1]);
	stats(&g, &st);
	EXPECT_EQ(2, st.counters[MHV_STAT_IRQ_INJECTED]);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
