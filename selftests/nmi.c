// SPDX-License-Identifier: GPL-2.0
/*
 * NMIs into the guest (MHV_NMI): delivered through IDT vector 2 whatever
 * RFLAGS.IF says, before an external interrupt pending with it; a second
 * NMI sent while the guest's NMI handler runs is held until the
 * handler's IRET, not nested, and NMIs sent meanwhile are one (at most
 * one pending, as on a CPU: SDM vol. 3 "NMI handling"); an NMI wakes a
 * vCPU asleep in HLT in the kernel.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define IDT_GPA		0x2000000ULL	/* 32 MiB: a page no one uses */
#define NMI_VECTOR	2
#define TIMER_PORT	0x540
#define VEC_TIMER	0x50
#define SPIN_MAX	20000000ULL	/* a bound, so a lost NMI fails */

static volatile uint64_t nmi_count, nmi_depth, nmi_max_depth;
static volatile uint64_t sync_in_handler;

/*
 * Counts NMIs and how deep they nest. With sync_in_handler, the first
 * one stops in the handler (a guest call) for the host to send more,
 * then spins a while: a nested NMI would show in nmi_max_depth.
 */
static void nmi_handler(struct mhv_ex_regs *r)
{
	uint64_t i;

	nmi_count++;
	nmi_depth++;
	if (nmi_depth > nmi_max_depth)
		nmi_max_depth = nmi_depth;
	if (sync_in_handler && nmi_count == 1) {
		GUEST_SYNC(100);	/* the host sends NMIs here */
		for (i = 0; i < SPIN_MAX / 10; i++)
			__asm__ volatile("pause" ::: "memory");
	}
	nmi_depth--;
}

static uint64_t wait_nmis(uint64_t n)
{
	uint64_t i;

	for (i = 0; i < SPIN_MAX && nmi_count < n; i++)
		__asm__ volatile("pause" ::: "memory");
	return nmi_count;
}

static int make_guest(struct mhv_guest *g, const char *name,
		      void (*entry)(uint64_t), uint64_t arg)
{
	int r = mhv_guest_create(g, name, 1, 64, entry, arg);

	if (r)
		return r;
	r = mhv_guest_setup_idt(g, IDT_GPA);
	if (!r)
		r = mhv_guest_install_handler(g, NMI_VECTOR, nmi_handler);
	if (r)
		mhv_guest_destroy(g);
	return r;
}

#define setup(g, name, entry, arg) \
	ASSERT_EQ(0, make_guest((g), (name), (entry), (arg)))

static uint64_t vstat(struct mhv_guest *g, unsigned int i)
{
	struct mhv_vcpu_stats st;

	memset(&st, 0, sizeof(st));
	if (mhv_get_vcpu_stats(g->vcpu[0].fd, &st))
		return ~0ULL;
	return st.counters[i];
}

static uint64_t gval(struct mhv_guest *g, const volatile uint64_t *addr)
{
	return *(volatile uint64_t *)mhv_guest_ptr(g, (uintptr_t)addr);
}

/* An NMI with interrupts off (IF=0) still reaches the handler, once. */
static void guest_one_nmi(uint64_t arg)
{
	__asm__ volatile("cli" ::: "memory");
	GUEST_SYNC(0);		/* the host sends an NMI here */
	GUEST_ASSERT_EQ(wait_nmis(1), 1);
	GUEST_ASSERT_EQ(nmi_max_depth, 1);
	GUEST_DONE();
}

TEST(nmi_reaches_handler_with_if_clear)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "nmi-one", guest_one_nmi, 0);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(0, gval(&g, &nmi_count));
	ASSERT_EQ(0, mhv_nmi(g.vcpu[0].fd));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(1, gval(&g, &nmi_count));
	EXPECT_EQ(1, vstat(&g, MHV_STAT_NMI_INJECTED));
	/* the ABI: no argument is taken */
	EXPECT_EQ(-1, ioctl(g.vcpu[0].fd, MHV_NMI, 1));
	EXPECT_EQ(EINVAL, errno);
	mhv_guest_destroy(&g);
}

static void guest_nmi_in_nmi(uint64_t arg)
{
	sync_in_handler = 1;
	GUEST_SYNC(0);		/* the host sends the first NMI here */
	GUEST_ASSERT_EQ(wait_nmis(2), 2);
	/* the NMIs sent in the handler came once, after its IRET */
	GUEST_ASSERT_EQ(nmi_max_depth, 1);
	GUEST_ASSERT_EQ(nmi_depth, 0);
	GUEST_DONE();
}

/*
 * Two NMIs sent while the first handler runs: neither nests; they are
 * one pending NMI, delivered after the handler's IRET. (A nested one
 * would also reuse the IST stack of the running handler and wreck it.)
 */
TEST(nmi_during_handler_waits_for_iret)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "nmi-nested", guest_nmi_in_nmi, 0);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, uc.args[0]);
	ASSERT_EQ(0, mhv_nmi(g.vcpu[0].fd));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(100, uc.args[0]);	/* in the handler */
	EXPECT_EQ(1, gval(&g, &nmi_depth));
	ASSERT_EQ(0, mhv_nmi(g.vcpu[0].fd));
	ASSERT_EQ(0, mhv_nmi(g.vcpu[0].fd));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(2, gval(&g, &nmi_count));
	EXPECT_EQ(1, gval(&g, &nmi_max_depth));
	EXPECT_EQ(2, vstat(&g, MHV_STAT_NMI_INJECTED));
	EXPECT_LE(1, vstat(&g, MHV_STAT_EXITS));
	mhv_guest_destroy(&g);
}

#define VEC_A		0x40

static volatile uint64_t order[2], n_order;

static void order_irq(struct mhv_ex_regs *r)
{
	if (n_order < 2)
		order[n_order] = r->vector;
	n_order++;
}

static void guest_nmi_and_irq(uint64_t arg)
{
	uint64_t i;

	__asm__ volatile("sti" ::: "memory");
	GUEST_SYNC(0);		/* the host raises VEC_A and an NMI here */
	for (i = 0; i < SPIN_MAX && n_order < 2; i++)
		__asm__ volatile("pause" ::: "memory");
	__asm__ volatile("cli" ::: "memory");
	GUEST_ASSERT_EQ(n_order, 2);
	GUEST_DONE();
}

/*
 * An NMI and an interrupt pending at the same entry, RFLAGS.IF set: the
 * NMI goes first (SDM vol. 3 "Priorities among simultaneous exceptions
 * and interrupts": NMI above maskable interrupts), the interrupt after.
 */
TEST(nmi_before_interrupt)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	volatile uint64_t *o;

	setup(&g, "nmi-prio", guest_nmi_and_irq, 0);
	ASSERT_EQ(0, mhv_guest_install_handler(&g, NMI_VECTOR, order_irq));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_A, order_irq));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_interrupt(g.vcpu[0].fd, VEC_A));
	ASSERT_EQ(0, mhv_nmi(g.vcpu[0].fd));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	o = mhv_guest_ptr(&g, (uintptr_t)order);
	EXPECT_EQ(NMI_VECTOR, o[0]);
	EXPECT_EQ(VEC_A, o[1]);
	mhv_guest_destroy(&g);
}

static volatile uint64_t ticks_seen;

static void timer_handler(struct mhv_ex_regs *r)
{
	ticks_seen++;
}

/* Halt with a timer that will not fire soon (it keeps HLT in the kernel). */
static void guest_halt_for_nmi(uint64_t arg)
{
	guest_outl(TIMER_PORT + MHV_TIMER_PERIOD, 0xffffffff);
	guest_outl(TIMER_PORT + MHV_TIMER_CTRL, MHV_TIMER_CTRL_ENABLE);
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	GUEST_ASSERT_EQ(nmi_count, 1);
	GUEST_ASSERT_EQ(ticks_seen, 0);
	guest_outl(TIMER_PORT + MHV_TIMER_CTRL, 0);
	GUEST_DONE();
}

struct kicker {
	int vcpu_fd;
	int ret;
};

/* Once the vCPU sleeps in HLT, send it an NMI. */
static void *nmi_thread(void *arg)
{
	struct kicker *k = arg;

	k->ret = vcpu_stat_wait(k->vcpu_fd, "halt_sleep", 1, 20);
	if (!k->ret)
		k->ret = mhv_nmi(k->vcpu_fd);
	return NULL;
}

TEST(nmi_wakes_hlt)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct kicker k;
	pthread_t t;

	setup(&g, "nmi-hlt", guest_halt_for_nmi, 0);
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_TIMER, timer_handler));
	ASSERT_EQ(0, mhv_create_device_irq(g.vm_fd, MHV_DEV_TYPE_TIMER,
					   MHV_DEV_SPACE_PIO, TIMER_PORT,
					   VEC_TIMER));
	k.vcpu_fd = g.vcpu[0].fd;
	ASSERT_EQ(0, pthread_create(&t, NULL, nmi_thread, &k));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	pthread_join(t, NULL);
	EXPECT_EQ(0, k.ret);
	EXPECT_EQ(1, vstat(&g, MHV_STAT_HALT_SLEEP));
	EXPECT_EQ(1, vstat(&g, MHV_STAT_HALT_WAKEUP));
	EXPECT_EQ(1, vstat(&g, MHV_STAT_NMI_INJECTED));
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
