// SPDX-License-Identifier: GPL-2.0
/*
 * How a running vCPU is stopped and how a VM goes away: signals,
 * immediate_exit, MHV_STOP_VM (graceful and forced), closing the fds or
 * killing the process while a vCPU runs; VM states along the way.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"

static void guest_spin(uint64_t arg)
{
	for (;;)
		__asm__ volatile("pause");
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
	int ret;
	int err;
	volatile int started;
};

static void *run_thread(void *arg)
{
	struct runner *r = arg;

	r->started = 1;
	r->ret = ioctl(r->g->vcpu[r->vcpu].fd, MHV_RUN, 0);
	r->err = errno;
	return NULL;
}

static void noop_handler(int sig)
{
}

static uint32_t vm_state(struct mhv_guest *g)
{
	struct mhv_vm_info info;

	if (ioctl(g->vm_fd, MHV_GET_VM_INFO, &info))
		return ~0U;
	return info.state;
}

static int wait_state(struct mhv_guest *g, uint32_t state)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (vm_state(g) == state)
			return 0;
		usleep(10000);
	}
	return -1;
}

TEST(states_created_running_paused_stopped)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_vm_info info;
	struct runner r = { 0 };
	pthread_t t;

	ASSERT_EQ(0, mhv_guest_create(&g, "states", 1, 64, guest_sync_loop, 0));
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_GET_VM_INFO, &info));
	EXPECT_STREQ("states", info.name);
	EXPECT_EQ(MHV_VM_CREATED, info.state);
	EXPECT_EQ(1, info.vcpu_count);
	EXPECT_EQ(1, info.vcpus_created);
	EXPECT_EQ(MHV_VM_F_EDUCATIONAL, info.features);
	EXPECT_EQ((64ULL + MHV_GUEST_EXTRA_MB) << 20, info.memory_limit);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(MHV_VM_PAUSED, vm_state(&g));

	ASSERT_EQ(0, mhv_guest_set_entry(&g, 0, guest_spin, 0));
	r.g = &g;
	ASSERT_EQ(0, pthread_create(&t, NULL, run_thread, &r));
	EXPECT_EQ(0, wait_state(&g, MHV_VM_RUNNING));
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_STOP_VM, MHV_STOP_GRACEFUL));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(0, r.ret);
	EXPECT_EQ(MHV_EXIT_STOPPED, g.vcpu[0].run->exit_reason);
	EXPECT_EQ(MHV_VM_STOPPED, vm_state(&g));
	/* a stopped VM stays stopped */
	EXPECT_EQ(0, ioctl(g.vcpu[0].fd, MHV_RUN, 0));
	EXPECT_EQ(MHV_EXIT_STOPPED, g.vcpu[0].run->exit_reason);
	EXPECT_EQ(-1, ioctl(g.vm_fd, MHV_STOP_VM, 2));
	EXPECT_EQ(EINVAL, errno);
	mhv_guest_destroy(&g);
}

TEST(signal_interrupts_run)
{
	struct mhv_guest g;
	struct runner r = { 0 };
	struct sigaction sa = { .sa_handler = noop_handler };
	struct mhv_vcpu_stats st;
	pthread_t t;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, mhv_guest_create(&g, "signal", 1, 64, guest_spin, 0));
	r.g = &g;
	ASSERT_EQ(0, pthread_create(&t, NULL, run_thread, &r));
	EXPECT_EQ(0, wait_state(&g, MHV_VM_RUNNING));
	usleep(20000);
	ASSERT_EQ(0, pthread_kill(t, SIGUSR1));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINTR, r.err);
	EXPECT_EQ(MHV_EXIT_INTR, g.vcpu[0].run->exit_reason);
	ASSERT_EQ(0, ioctl(g.vcpu[0].fd, MHV_GET_VCPU_STATS, &st));
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
	EXPECT_EQ(-1, ioctl(g.vcpu[0].fd, MHV_RUN, 0));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(MHV_EXIT_INTR, g.vcpu[0].run->exit_reason);
	g.vcpu[0].run->immediate_exit = 0;
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(0, uc.args[0]);
	mhv_guest_destroy(&g);
}

TEST(forced_stop_of_two_vcpus)
{
	struct mhv_guest g;
	struct runner r[2] = { 0 };
	pthread_t t[2];
	int i;

	ASSERT_EQ(0, mhv_guest_create(&g, "force", 2, 64, guest_spin, 0));
	for (i = 0; i < 2; i++) {
		r[i].g = &g;
		r[i].vcpu = i;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, run_thread, &r[i]));
	}
	EXPECT_EQ(0, wait_state(&g, MHV_VM_RUNNING));
	usleep(50000);
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_STOP_VM, MHV_STOP_FORCE));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pthread_join(t[i], NULL));
		EXPECT_EQ(0, r[i].ret);
		EXPECT_EQ(MHV_EXIT_STOPPED, g.vcpu[i].run->exit_reason);
	}
	EXPECT_EQ(MHV_VM_STOPPED, vm_state(&g));
	mhv_guest_destroy(&g);
}

static int wait_refcnt(int want)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (module_refcnt() == want)
			return 0;
		usleep(10000);
	}
	return -1;
}

TEST(close_fds_while_running)
{
	struct mhv_guest g;
	struct runner r = { 0 };
	struct sigaction sa = { .sa_handler = noop_handler };
	pthread_t t;
	int before = module_refcnt();

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, mhv_guest_create(&g, "close", 1, 64, guest_spin, 0));
	r.g = &g;
	ASSERT_EQ(0, pthread_create(&t, NULL, run_thread, &r));
	EXPECT_EQ(0, wait_state(&g, MHV_VM_RUNNING));
	/* the running ioctl keeps the vCPU file alive: closing the fds
	 * must neither free it under the vCPU nor hang
	 */
	close(g.vm_fd);
	close(g.sys_fd);
	close(g.vcpu[0].fd);
	g.vm_fd = g.sys_fd = g.vcpu[0].fd = -1;
	usleep(50000);
	ASSERT_EQ(0, pthread_kill(t, SIGUSR1));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(EINTR, r.err);
	munmap(g.vcpu[0].run, 4096);
	g.vcpu[0].run = NULL;
	mhv_guest_destroy(&g);
	EXPECT_EQ(0, wait_refcnt(before)) TH_LOG("VM not freed");
}

TEST(process_killed_while_running)
{
	int before = module_refcnt();
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct mhv_guest g;

		if (mhv_guest_create(&g, "killed", 2, 64, guest_spin, 0))
			_exit(1);
		ioctl(g.vcpu[0].fd, MHV_RUN, 0);
		_exit(2);
	}
	usleep(300000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(0, wait_refcnt(before)) TH_LOG("VM of a killed process not freed");
}

TEST_HARNESS_MAIN
