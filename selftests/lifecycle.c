// SPDX-License-Identifier: GPL-2.0
/*
 * How a running vCPU is stopped and how a VM goes away: signals,
 * immediate_exit, MHV_STOP_VM (graceful and forced), closing the fds or
 * killing the process while a vCPU runs; VM states along the way.
 *
 * "Running" is never guessed with a sleep: the guests count in a global
 * of this program (the guest has it at the same address) and the test
 * waits until the guest's copy moves.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define WAIT_SECS	10	/* bound of every wait: a failure, not a hang */

static volatile uint64_t spins[MHV_GUEST_MAX_VCPUS];

/*
 * Count in spins[@i] with interrupts blocked and no exit of its own:
 * only a host interrupt (the timer's, or the kick's) takes the vCPU out
 * of the guest, and the module enters it again at once unless a stop or
 * a signal is pending.
 */
static void guest_count(uint64_t i)
{
	__asm__ volatile("cli");
	for (;;)
		spins[i]++;
}

static void guest_sync_loop(uint64_t arg)
{
	uint64_t i;

	for (i = 0;; i++)
		GUEST_SYNC(i);
}

struct runner {
	struct mhv_guest *g;
	unsigned int vcpu;
	int cpu;		/* run on this CPU only; -1: anywhere */
	int ret;		/* of mhv_run(): 0 or -errno */
};

static int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *run_thread(void *arg)
{
	struct runner *r = arg;

	r->ret = r->cpu >= 0 ? pin_to(r->cpu) : 0;
	if (!r->ret)
		r->ret = mhv_run(r->g->vcpu[r->vcpu].fd);
	return NULL;
}

static void noop_handler(int sig)
{
}

/*
 * Join @t within @secs seconds. If its RUN does not return by then, a
 * signal takes it out (SIGUSR1 must have a handler) and -ETIMEDOUT says
 * the thread had to be interrupted.
 */
static int join_within(pthread_t t, int secs)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += secs;
	if (!pthread_timedjoin_np(t, NULL, &ts))
		return 0;
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	return -ETIMEDOUT;
}

static uint32_t vm_state(struct mhv_guest *g)
{
	struct mhv_vm_info info;

	if (mhv_get_vm_info(g->vm_fd, &info))
		return ~0U;
	return info.state;
}

/* The guest's copy of spins[@i]. */
static uint64_t guest_spins(struct mhv_guest *g, unsigned int i)
{
	return *(volatile uint64_t *)mhv_guest_ptr(g, (uintptr_t)&spins[i]);
}

static int wait_running(struct mhv_guest *g, unsigned int i)
{
	return guest_wait_change(g, &spins[i], guest_spins(g, i), WAIT_SECS);
}

static void install_sigusr1(struct __test_metadata *_metadata)
{
	struct sigaction sa = { .sa_handler = noop_handler };

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
}

TEST(states_created_running_paused_stopped)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_vm_info info;
	struct runner r = { .cpu = -1 };
	pthread_t t;

	install_sigusr1(_metadata);
	ASSERT_EQ(0, mhv_guest_create(&g, "states", 1, 64, guest_sync_loop, 0));
	ASSERT_EQ(0, mhv_get_vm_info(g.vm_fd, &info));
	EXPECT_STREQ("states", info.name);
	EXPECT_EQ(MHV_VM_CREATED, info.state);
	EXPECT_EQ(1, info.vcpu_count);
	EXPECT_EQ(1, info.vcpus_created);
	EXPECT_EQ(MHV_VM_F_EDUCATIONAL, info.features);
	EXPECT_EQ((64ULL + MHV_GUEST_EXTRA_MB) << 20, info.memory_limit);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(MHV_VM_PAUSED, vm_state(&g));

	ASSERT_EQ(0, mhv_guest_set_entry(&g, 0, guest_count, 0));
	r.g = &g;
	ASSERT_EQ(0, pthread_create(&t, NULL, run_thread, &r));
	ASSERT_EQ(0, wait_running(&g, 0));
	EXPECT_EQ(MHV_VM_RUNNING, vm_state(&g));
	ASSERT_EQ(0, mhv_stop_vm(g.vm_fd, MHV_STOP_GRACEFUL));
	ASSERT_EQ(0, join_within(t, WAIT_SECS));
	EXPECT_EQ(0, r.ret);
	EXPECT_EQ(MHV_EXIT_STOPPED, g.vcpu[0].run->exit_reason);
	EXPECT_EQ(MHV_VM_STOPPED, vm_state(&g));
	/* a stopped VM stays stopped */
	EXPECT_EQ(0, mhv_run(g.vcpu[0].fd));
	EXPECT_EQ(MHV_EXIT_STOPPED, g.vcpu[0].run->exit_reason);
	EXPECT_EQ(-EINVAL, mhv_stop_vm(g.vm_fd, 2));
	mhv_guest_destroy(&g);
}

TEST(signal_interrupts_run)
{
	struct mhv_guest g;
	struct runner r = { .cpu = -1 };
	struct mhv_vcpu_stats st;
	pthread_t t;

	install_sigusr1(_metadata);
	ASSERT_EQ(0, mhv_guest_create(&g, "signal", 1, 64, guest_count, 0));
	r.g = &g;
	ASSERT_EQ(0, pthread_create(&t, NULL, run_thread, &r));
	ASSERT_EQ(0, wait_running(&g, 0));
	ASSERT_EQ(0, pthread_kill(t, SIGUSR1));
	ASSERT_EQ(0, join_within(t, WAIT_SECS));
	EXPECT_EQ(-EINTR, r.ret);
	EXPECT_EQ(MHV_EXIT_INTR, g.vcpu[0].run->exit_reason);
	ASSERT_EQ(0, mhv_get_vcpu_stats(g.vcpu[0].fd, &st));
	EXPECT_EQ(1, st.counters[MHV_STAT_SIGNAL]);
	EXPECT_EQ(MHV_VM_PAUSED, vm_state(&g));
	mhv_guest_destroy(&g);
}

TEST(immediate_exit)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "immediate", 1, 64, guest_sync_loop, 0));
	g.vcpu[0].run->immediate_exit = 1;
	EXPECT_EQ(-EINTR, mhv_run(g.vcpu[0].fd));
	EXPECT_EQ(MHV_EXIT_INTR, g.vcpu[0].run->exit_reason);
	g.vcpu[0].run->immediate_exit = 0;
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(0, uc.args[0]);
	mhv_guest_destroy(&g);
}

/*
 * MHV_STOP_VM @how while the vCPU, pinned to @cpu, counts in the guest
 * (this thread is pinned to another CPU). Checks what both kinds of stop
 * do: the RUN call the vCPU is in returns MHV_EXIT_STOPPED (one return
 * to userspace, no signal), having left the guest through a host
 * interrupt. Returns how many function-call IPIs @cpu took meanwhile:
 * the kick of MHV_STOP_FORCE is one.
 */
static long stop_running_vcpu(struct __test_metadata *_metadata,
			      unsigned int how, int cpu)
{
	struct mhv_vcpu_stats st;
	struct runner r = { .vcpu = 0, .cpu = cpu };
	struct mhv_guest g;
	long before, after;
	pthread_t t;
	int ret;

	ret = mhv_guest_create(&g, how == MHV_STOP_FORCE ? "force" : "graceful",
			       1, 64, guest_count, 0);
	EXPECT_EQ(0, ret);
	if (ret)
		return -1;
	r.g = &g;
	EXPECT_EQ(0, pthread_create(&t, NULL, run_thread, &r));
	EXPECT_EQ(0, wait_running(&g, 0));
	before = irq_count("CAL", cpu);
	EXPECT_EQ(0, mhv_stop_vm(g.vm_fd, how));
	EXPECT_EQ(0, join_within(t, WAIT_SECS))
		TH_LOG("the vCPU's RUN did not return after the stop");
	after = irq_count("CAL", cpu);
	EXPECT_GE(before, 0);
	EXPECT_EQ(0, r.ret);
	EXPECT_EQ(MHV_EXIT_STOPPED, g.vcpu[0].run->exit_reason);
	EXPECT_EQ(MHV_VM_STOPPED, vm_state(&g));
	EXPECT_EQ(0, mhv_get_vcpu_stats(g.vcpu[0].fd, &st));
	EXPECT_EQ(1, st.counters[MHV_STAT_USER_EXITS]);
	EXPECT_EQ(0, st.counters[MHV_STAT_SIGNAL]);
	EXPECT_GE(st.counters[MHV_STAT_INTR], 1);
	mhv_guest_destroy(&g);
	return after - before;
}

#define STOP_ROUNDS	3

/* The vCPU on the last CPU, this thread on the first; -1: one CPU only */
static int vcpu_cpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 2 || pin_to(0))
		return -1;
	return n - 1;
}

/*
 * MHV_STOP_FORCE kicks the vCPU out of the guest: an IPI to its CPU. The
 * vCPU may be between two entries when the stop comes (then it needs no
 * kick), and another IPI may come by: of STOP_ROUNDS rounds, most must
 * see the kick, and the graceful stop below most see none.
 */
TEST(force_stop_kicks_the_vcpu_cpu)
{
	int cpu = vcpu_cpu(), i, kicked = 0;
	long n;

	install_sigusr1(_metadata);
	if (cpu < 0)
		SKIP(return, "needs two CPUs");
	for (i = 0; i < STOP_ROUNDS; i++) {
		n = stop_running_vcpu(_metadata, MHV_STOP_FORCE, cpu);
		TH_LOG("round %d: %ld function-call IPIs on CPU %d", i, n, cpu);
		kicked += n >= 1;
	}
	EXPECT_GT(kicked, STOP_ROUNDS / 2);
}

/*
 * MHV_STOP_GRACEFUL sends nothing: the vCPU returns at its next exit,
 * here a host timer interrupt (the guest makes no exit of its own).
 */
TEST(graceful_stop_waits_for_an_exit)
{
	int cpu = vcpu_cpu(), i, quiet = 0;
	long n;

	install_sigusr1(_metadata);
	if (cpu < 0)
		SKIP(return, "needs two CPUs");
	for (i = 0; i < STOP_ROUNDS; i++) {
		n = stop_running_vcpu(_metadata, MHV_STOP_GRACEFUL, cpu);
		TH_LOG("round %d: %ld function-call IPIs on CPU %d", i, n, cpu);
		quiet += n == 0;
	}
	EXPECT_GT(quiet, STOP_ROUNDS / 2);
}

TEST(forced_stop_of_two_vcpus)
{
	struct mhv_vcpu_stats st;
	struct mhv_guest g;
	struct runner r[2];
	pthread_t t[2];
	unsigned int i;

	install_sigusr1(_metadata);
	ASSERT_EQ(0, mhv_guest_create(&g, "force2", 2, 64, guest_count, 0));
	ASSERT_EQ(0, mhv_guest_set_entry(&g, 1, guest_count, 1));
	for (i = 0; i < 2; i++) {
		r[i] = (struct runner){ .g = &g, .vcpu = i, .cpu = -1 };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, run_thread, &r[i]));
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, wait_running(&g, i)) TH_LOG("vCPU %u", i);
	ASSERT_EQ(0, mhv_stop_vm(g.vm_fd, MHV_STOP_FORCE));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, join_within(t[i], WAIT_SECS)) TH_LOG("vCPU %u", i);
		EXPECT_EQ(0, r[i].ret);
		EXPECT_EQ(MHV_EXIT_STOPPED, g.vcpu[i].run->exit_reason);
		ASSERT_EQ(0, mhv_get_vcpu_stats(g.vcpu[i].fd, &st));
		EXPECT_EQ(1, st.counters[MHV_STAT_USER_EXITS]) TH_LOG("vCPU %u", i);
	}
	EXPECT_EQ(MHV_VM_STOPPED, vm_state(&g));
	mhv_guest_destroy(&g);
}

/* An IN pending when the stop comes is completed by the next RUN. */
static void guest_in(uint64_t arg)
{
	uint8_t b;

	__asm__ volatile("inb %w1, %b0" : "=a"(b) : "d"(0x71));
	GUEST_DONE();
}

TEST(stop_completes_a_pending_in)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_regs regs, before;
	unsigned int how;

	for (how = MHV_STOP_GRACEFUL; how <= MHV_STOP_FORCE; how++) {
		ASSERT_EQ(0, mhv_guest_create(&g, "stop-in", 1, 64, guest_in, 0));
		EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_IO);
		ASSERT_EQ(MHV_IO_IN, g.vcpu[0].run->io.direction);
		ASSERT_EQ(0, mhv_get_regs(g.vcpu[0].fd, &before));
		((uint8_t *)g.vcpu[0].run)[g.vcpu[0].run->io.data_offset] = 0xc5;
		ASSERT_EQ(0, mhv_stop_vm(g.vm_fd, how));
		EXPECT_EQ(0, mhv_run(g.vcpu[0].fd));
		EXPECT_EQ(MHV_EXIT_STOPPED, g.vcpu[0].run->exit_reason);
		ASSERT_EQ(0, mhv_get_regs(g.vcpu[0].fd, &regs));
		EXPECT_EQ((before.rax & ~0xffULL) | 0xc5, regs.rax);
		EXPECT_EQ(before.rip + 1, regs.rip);	/* past "in al, dx" */
		mhv_guest_destroy(&g);
	}
}

TEST(close_fds_while_running)
{
	struct mhv_guest g;
	struct runner r = { .cpu = -1 };
	pthread_t t;
	int before = module_refcnt();

	ASSERT_GE(before, 0) TH_LOG("cannot read the module's refcount");
	install_sigusr1(_metadata);
	ASSERT_EQ(0, mhv_guest_create(&g, "close", 1, 64, guest_count, 0));
	r.g = &g;
	ASSERT_EQ(0, pthread_create(&t, NULL, run_thread, &r));
	ASSERT_EQ(0, wait_running(&g, 0));
	/* the running ioctl keeps the vCPU file alive: closing the fds
	 * must neither free it under the vCPU nor stop it
	 */
	close(g.vm_fd);
	close(g.sys_fd);
	close(g.vcpu[0].fd);
	g.vm_fd = g.sys_fd = g.vcpu[0].fd = -1;
	EXPECT_EQ(0, wait_running(&g, 0)) TH_LOG("the guest stopped counting");
	ASSERT_EQ(0, pthread_kill(t, SIGUSR1));
	ASSERT_EQ(0, join_within(t, WAIT_SECS));
	EXPECT_EQ(-EINTR, r.ret);
	/* the run page mapping is the last reference */
	EXPECT_LT(before, module_refcnt());
	mhv_unmap_run(g.vcpu[0].run);
	g.vcpu[0].run = NULL;
	mhv_guest_destroy(&g);
	EXPECT_EQ(before, module_refcnt()) TH_LOG("VM not freed");
}

TEST(process_killed_while_running)
{
	int before = module_refcnt();
	int status, p[2];
	pid_t pid;
	char c;

	ASSERT_GE(before, 0) TH_LOG("cannot read the module's refcount");
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct runner r = { .cpu = -1 };
		struct mhv_guest g;
		pthread_t t;

		close(p[0]);
		if (mhv_guest_create(&g, "killed", 2, 64, guest_count, 0))
			_exit(1);
		r.g = &g;
		if (pthread_create(&t, NULL, run_thread, &r) ||
		    wait_running(&g, 0) || write(p[1], "r", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(p[1]);
	/* the child's vCPU counts in the guest */
	ASSERT_EQ(1, read(p[0], &c, 1));
	close(p[0]);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	/* the dying process's files were released before it became a zombie */
	EXPECT_EQ(before, module_refcnt()) TH_LOG("VM of a killed process not freed");
}

TEST_HARNESS_MAIN
