// SPDX-License-Identifier: GPL-2.0
/*
 * The interval timer device: its registers (reset values, widths, the
 * minimum period, read-only ticks), real interrupts at the set period
 * counted by a guest handler while the guest spins and while it sleeps in
 * HLT in the kernel, a one-shot period, HLT going to userspace when
 * nothing can wake it, and a halted vCPU woken by MHV_INTERRUPT from
 * another thread or stopped by MHV_STOP_VM.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <stdint.h>
#include <time.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define IDT_GPA		0x2000000ULL	/* 32 MiB: a page no one uses */
#define TIMER_PORT	0x540
#define VEC_TIMER	0x50
#define VEC_HOST	0x51
#define PERIOD_US	1000
#define SPIN_MAX	400000000ULL	/* a bound, so lost ticks fail */

static volatile uint64_t ticks_seen, host_irqs, halting;

static void timer_handler(struct mhv_ex_regs *r)
{
	ticks_seen++;
}

static void host_handler(struct mhv_ex_regs *r)
{
	host_irqs++;
}

static uint64_t host_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/* A guest with the timer at TIMER_PORT raising VEC_TIMER. */
static int make_guest(struct mhv_guest *g, const char *name,
		      void (*entry)(uint64_t), uint64_t arg)
{
	int r = mhv_guest_create(g, name, 1, 64, entry, arg);

	if (r)
		return r;
	r = mhv_guest_setup_idt(g, IDT_GPA);
	if (!r)
		r = mhv_guest_install_handler(g, VEC_TIMER, timer_handler);
	if (!r)
		r = mhv_guest_install_handler(g, VEC_HOST, host_handler);
	if (!r)
		r = mhv_create_device_irq(g->vm_fd, MHV_DEV_TYPE_TIMER,
					  MHV_DEV_SPACE_PIO, TIMER_PORT,
					  VEC_TIMER);
	if (r > 0)
		r = -EEXIST;	/* the first device has id 0 */
	if (r)
		mhv_guest_destroy(g);
	return r;
}

#define setup(g, name, entry, arg) \
	ASSERT_EQ(0, make_guest((g), (name), (entry), (arg)))

static uint64_t vstat(struct mhv_guest *g, unsigned int i)
{
	struct mhv_vcpu_stats st;

	if (mhv_get_vcpu_stats(g->vcpu[0].fd, &st))
		return ~0ULL;
	return st.counters[i];
}

static uint64_t reg(struct mhv_guest *g, uint32_t off, uint32_t size)
{
	uint64_t v = ~0ULL;

	if (mhv_device_read(g->vm_fd, 0, off, size, &v))
		return ~0ULL;
	return v;
}

static void guest_idle(uint64_t arg)
{
	GUEST_DONE();
}

TEST(registers)
{
	struct mhv_device_desc d;
	struct mhv_guest g;

	setup(&g, "timer-regs", guest_idle, 0);
	EXPECT_EQ(0, reg(&g, MHV_TIMER_CTRL, 4));
	EXPECT_EQ(MHV_TIMER_RESET_PERIOD_US, reg(&g, MHV_TIMER_PERIOD, 4));
	EXPECT_EQ(VEC_TIMER, reg(&g, MHV_TIMER_VECTOR, 1));
	EXPECT_EQ(0, reg(&g, MHV_TIMER_TICKS, 4));
	/* widths: 32-bit registers refuse 1 and 2 bytes, VECTOR 4 */
	EXPECT_EQ(-EINVAL, mhv_device_write(g.vm_fd, 0, MHV_TIMER_PERIOD, 2,
					    500));
	EXPECT_EQ(-EINVAL, mhv_device_write(g.vm_fd, 0, MHV_TIMER_VECTOR, 4,
					    0x60));
	/* a period below the minimum reads back as the minimum */
	ASSERT_EQ(0, mhv_device_write(g.vm_fd, 0, MHV_TIMER_PERIOD, 4, 1));
	EXPECT_EQ(MHV_TIMER_MIN_PERIOD_US, reg(&g, MHV_TIMER_PERIOD, 4));
	ASSERT_EQ(0, mhv_device_write(g.vm_fd, 0, MHV_TIMER_PERIOD, 4,
				      123456));
	EXPECT_EQ(123456, reg(&g, MHV_TIMER_PERIOD, 4));
	/* vectors below 32 are exceptions: no interrupt */
	ASSERT_EQ(0, mhv_device_write(g.vm_fd, 0, MHV_TIMER_VECTOR, 1, 14));
	EXPECT_EQ(0, reg(&g, MHV_TIMER_VECTOR, 1));
	ASSERT_EQ(0, mhv_device_write(g.vm_fd, 0, MHV_TIMER_VECTOR, 1, 0xee));
	EXPECT_EQ(0xee, reg(&g, MHV_TIMER_VECTOR, 1));
	/* unknown CTRL bits read 0; TICKS is read-only */
	ASSERT_EQ(0, mhv_device_write(g.vm_fd, 0, MHV_TIMER_CTRL, 4,
				      0xfffffffc));
	EXPECT_EQ(0, reg(&g, MHV_TIMER_CTRL, 4));
	EXPECT_EQ(0, mhv_describe_device(g.vm_fd, 0, &d));
	EXPECT_EQ(4, d.nr_regs);
	EXPECT_STREQ("timer", d.info.name);
	EXPECT_EQ(MHV_TIMER_SIZE, d.info.size);
	/* one timer per VM */
	EXPECT_EQ(-ENOSPC, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_TIMER,
					     MHV_DEV_SPACE_PIO, TIMER_PORT + 0x100));
	/* reset brings the creation values back */
	ASSERT_EQ(0, mhv_reset_device(g.vm_fd, 0));
	EXPECT_EQ(MHV_TIMER_RESET_PERIOD_US, reg(&g, MHV_TIMER_PERIOD, 4));
	EXPECT_EQ(VEC_TIMER, reg(&g, MHV_TIMER_VECTOR, 1));
	mhv_guest_destroy(&g);
}

/*
 * @arg ticks: half of them waited for spinning in guest mode (the timer
 * interrupts a running vCPU), half in HLT (it wakes a sleeping one).
 */
static void guest_count(uint64_t n)
{
	uint64_t i;

	guest_outl(TIMER_PORT + MHV_TIMER_PERIOD, PERIOD_US);
	guest_outl(TIMER_PORT + MHV_TIMER_CTRL, MHV_TIMER_CTRL_ENABLE);
	__asm__ volatile("sti" ::: "memory");
	for (i = 0; i < SPIN_MAX && ticks_seen < n / 2; i++)
		__asm__ volatile("pause" ::: "memory");
	while (ticks_seen < n)
		__asm__ volatile("hlt" ::: "memory");
	__asm__ volatile("cli" ::: "memory");
	guest_outl(TIMER_PORT + MHV_TIMER_CTRL, 0);
	GUEST_ASSERT_EQ(ticks_seen, n);
	/* the device counted at least the periods the guest took */
	GUEST_ASSERT(guest_inl(TIMER_PORT + MHV_TIMER_TICKS) >= n);
	GUEST_DONE();
}

TEST(periodic_ticks_spinning_and_halted)
{
	const uint64_t n = 20;
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t t0, ns;

	setup(&g, "timer-ticks", guest_count, n);
	t0 = host_ns();
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ns = host_ns() - t0;
	/* n periods cannot end sooner than n * period */
	EXPECT_LE(n * PERIOD_US * 1000, ns);
	EXPECT_LE(n, vstat(&g, MHV_STAT_IRQ_INJECTED));
	/* every HLT slept in the kernel, woken by the timer */
	EXPECT_LE(1, vstat(&g, MHV_STAT_HALT_SLEEP));
	EXPECT_EQ(vstat(&g, MHV_STAT_HLT), vstat(&g, MHV_STAT_HALT_SLEEP));
	EXPECT_EQ(vstat(&g, MHV_STAT_HALT_SLEEP),
		  vstat(&g, MHV_STAT_HALT_WAKEUP));
	/* only the ucall came to userspace */
	EXPECT_EQ(1, vstat(&g, MHV_STAT_USER_EXITS));
	mhv_guest_destroy(&g);
}

static void guest_oneshot(uint64_t arg)
{
	guest_outl(TIMER_PORT + MHV_TIMER_PERIOD, PERIOD_US);
	guest_outl(TIMER_PORT + MHV_TIMER_CTRL,
	      MHV_TIMER_CTRL_ENABLE | MHV_TIMER_CTRL_ONESHOT);
	__asm__ volatile("sti" ::: "memory");
	while (!ticks_seen)
		__asm__ volatile("hlt" ::: "memory");
	/* the period ended: ENABLE is clear, one tick */
	GUEST_ASSERT_EQ(guest_inl(TIMER_PORT + MHV_TIMER_CTRL),
			MHV_TIMER_CTRL_ONESHOT);
	GUEST_ASSERT_EQ(guest_inl(TIMER_PORT + MHV_TIMER_TICKS), 1);
	/* nothing can wake this HLT: it goes to userspace */
	__asm__ volatile("hlt" ::: "memory");
	GUEST_ASSERT_EQ(ticks_seen, 1);
	GUEST_DONE();
}

TEST(oneshot_then_hlt_to_user)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "timer-oneshot", guest_oneshot, 0);
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_HLT);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(1, vstat(&g, MHV_STAT_IRQ_INJECTED));
	mhv_guest_destroy(&g);
}

static void guest_hlt_if0(uint64_t arg)
{
	guest_outl(TIMER_PORT + MHV_TIMER_PERIOD, PERIOD_US);
	guest_outl(TIMER_PORT + MHV_TIMER_CTRL, MHV_TIMER_CTRL_ENABLE);
	/* IF=0: no interrupt can end this HLT, so it is not slept on */
	__asm__ volatile("cli; hlt" ::: "memory");
	GUEST_DONE();
}

TEST(hlt_with_if_clear_goes_to_user)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "timer-if0", guest_hlt_if0, 0);
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_HLT);
	EXPECT_EQ(0, vstat(&g, MHV_STAT_HALT_SLEEP));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/* Halt with a timer that will not fire soon; the host ends the wait. */
static void guest_long_halt(uint64_t arg)
{
	guest_outl(TIMER_PORT + MHV_TIMER_PERIOD, 0xffffffff);
	guest_outl(TIMER_PORT + MHV_TIMER_CTRL, MHV_TIMER_CTRL_ENABLE);
	halting = 1;
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	GUEST_ASSERT_EQ(host_irqs, 1);
	GUEST_ASSERT_EQ(ticks_seen, 0);
	GUEST_DONE();
}

enum kick { KICK_IRQ, KICK_STOP, KICK_TIMER_OFF };

struct kicker {
	struct mhv_guest *g;
	enum kick how;
	int ret;
};

static void *kick_thread(void *arg)
{
	struct kicker *k = arg;

	/* the guest is about to halt; whether it already did or not, the
	 * outcome is the same
	 */
	k->ret = guest_wait_change(k->g, &halting, 0, 60);
	if (k->ret)
		return NULL;
	switch (k->how) {
	case KICK_IRQ:
		k->ret = mhv_interrupt(k->g->vcpu[0].fd, VEC_HOST);
		break;
	case KICK_STOP:
		k->ret = mhv_stop_vm(k->g->vm_fd, MHV_STOP_GRACEFUL);
		break;
	case KICK_TIMER_OFF:	/* the host stops the timer */
		k->ret = mhv_device_write(k->g->vm_fd, 0, MHV_TIMER_CTRL, 4, 0);
		break;
	}
	return NULL;
}

TEST(interrupt_from_another_thread_wakes_hlt)
{
	struct kicker k = { .how = KICK_IRQ };
	struct mhv_guest g;
	struct mhv_ucall uc;
	pthread_t t;

	setup(&g, "timer-wake", guest_long_halt, 0);
	k.g = &g;
	ASSERT_EQ(0, pthread_create(&t, NULL, kick_thread, &k));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	pthread_join(t, NULL);
	EXPECT_EQ(0, k.ret);
	mhv_guest_destroy(&g);
}

TEST(stop_ends_hlt)
{
	struct kicker k = { .how = KICK_STOP };
	struct mhv_guest g;
	struct mhv_ucall uc;
	pthread_t t;

	setup(&g, "timer-stop", guest_long_halt, 0);
	k.g = &g;
	ASSERT_EQ(0, pthread_create(&t, NULL, kick_thread, &k));
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_STOPPED);
	pthread_join(t, NULL);
	EXPECT_EQ(0, k.ret);
	mhv_guest_destroy(&g);
}

/*
 * Restarting and stopping the timer as fast as the guest can, at the
 * shortest period, while its hrtimer expires: an expiry that waited for
 * the device while a write restarted the timer must not touch the new
 * period (the harness fails the run on any kernel warning).
 */
static void guest_toggle(uint64_t n)
{
	uint64_t i;

	/* IF=0: the expiries only set the pending vector */
	guest_outl(TIMER_PORT + MHV_TIMER_PERIOD, MHV_TIMER_MIN_PERIOD_US);
	for (i = 0; i < n; i++) {
		guest_outl(TIMER_PORT + MHV_TIMER_CTRL, MHV_TIMER_CTRL_ENABLE);
		guest_outl(TIMER_PORT + MHV_TIMER_PERIOD, MHV_TIMER_MIN_PERIOD_US);
		if (i & 1)
			guest_outl(TIMER_PORT + MHV_TIMER_CTRL, 0);
	}
	guest_outl(TIMER_PORT + MHV_TIMER_CTRL, 0);
	GUEST_DONE();
}

struct flipper {
	pid_t tid;		/* the vCPU thread */
	volatile int stop;
};

/*
 * Move the vCPU thread from CPU to CPU all the time: a timer started on
 * one CPU expires there while the vCPU writes its registers on another.
 */
static void *flip_thread(void *arg)
{
	struct flipper *f = arg;
	cpu_set_t set;
	int cpu = 0;

	while (!f->stop) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(f->tid, sizeof(set), &set);
		cpu = !cpu;
		usleep(100);
	}
	return NULL;
}

TEST(restart_races_expiry)
{
	struct flipper f = { .tid = gettid() };
	struct mhv_guest g;
	struct mhv_ucall uc;
	pthread_t t;
	cpu_set_t all;

	ASSERT_EQ(0, sched_getaffinity(0, sizeof(all), &all));
	setup(&g, "timer-toggle", guest_toggle, 2000);
	ASSERT_EQ(0, pthread_create(&t, NULL, flip_thread, &f));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	f.stop = 1;
	pthread_join(t, NULL);
	sched_setaffinity(0, sizeof(all), &all);
	EXPECT_EQ(0, reg(&g, MHV_TIMER_CTRL, 4));
	mhv_guest_destroy(&g);
}

/*
 * The host stops the timer a halted vCPU waits for: nothing can wake it
 * any more, so its HLT goes to userspace after all.
 */
TEST(host_stops_timer_hlt_returns)
{
	struct kicker k = { .how = KICK_TIMER_OFF };
	struct mhv_guest g;
	struct mhv_ucall uc;
	pthread_t t;

	setup(&g, "timer-off", guest_long_halt, 0);
	k.g = &g;
	ASSERT_EQ(0, pthread_create(&t, NULL, kick_thread, &k));
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_HLT);
	pthread_join(t, NULL);
	EXPECT_EQ(0, k.ret);
	mhv_guest_destroy(&g);
}

/* A VM closed with its timer running. */
static void guest_fast_timer(uint64_t arg)
{
	guest_outl(TIMER_PORT + MHV_TIMER_PERIOD, PERIOD_US);
	guest_outl(TIMER_PORT + MHV_TIMER_CTRL, MHV_TIMER_CTRL_ENABLE);
	__asm__ volatile("sti" ::: "memory");
	while (ticks_seen < 5)
		__asm__ volatile("hlt" ::: "memory");
	GUEST_DONE();
}

TEST(destroy_with_timer_running)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	int i;

	for (i = 0; i < 3; i++) {
		setup(&g, "timer-destroy", guest_fast_timer, 0);
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
		EXPECT_NE(0, reg(&g, MHV_TIMER_CTRL, 4));
		mhv_guest_destroy(&g);
	}
}

TEST_HARNESS_MAIN
