// SPDX-License-Identifier: GPL-2.0
/*
 * A storm of VMs leaves nothing behind. Hundreds of processes (NR_VMS, or
 * as many as MAX_SECS allow in a slow emulator) each make a VM (one or
 * two vCPUs), let the guest pin its memory, and are killed
 * with SIGKILL while their vCPUs are inside MHV_RUN; every third one
 * first closes all its fds and unmaps guest memory and run pages while
 * the vCPU still runs. Afterwards the module's own exact counters
 * (kmod/memstat.c: pages it allocated, guest pages pinned, VMs, vCPUs)
 * are back at their values before the storm, and so is the module's
 * reference count. /proc/meminfo deltas are logged for information only:
 * page cache, slab caches and per-CPU lists move for reasons of their own.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "limits_util.h"

#define NR_VMS		240
#define BATCH		4		/* processes alive at once */
#define MAX_SECS	150		/* slow emulators (Bochs) stop early */
#define AREA		0xc00000ULL	/* 12 MiB, in 16 MiB of memory */
#define NPAGES		16

static void guest_spin(uint64_t arg)
{
	uint64_t i;

	for (i = 0; i < NPAGES; i++)
		*(volatile uint64_t *)(AREA + i * 4096) = i;
	GUEST_SYNC(0);
	/* @arg: the vCPU; its own slot of each page shows it is running */
	for (;;)
		for (i = 0; i < NPAGES; i++)
			(*(volatile uint64_t *)(AREA + i * 4096 + 8 + arg * 8))++;
}

struct storm_child {
	struct mhv_guest g;
	int index;
	int ready_fd;
};

static void *run_vcpu1(void *arg)
{
	struct storm_child *c = arg;

	mhv_run(c->g.vcpu[1].fd);
	return NULL;
}

/* vCPU @i's counter, which its guest code increments while it runs */
static uint64_t vcpu_count(struct storm_child *c, unsigned int i)
{
	return *(volatile uint64_t *)(c->g.mem + AREA + 8 + i * 8);
}

/*
 * Once every vCPU is inside RUN (its counter moves): maybe tear
 * everything down, then signal.
 */
static void *helper(void *arg)
{
	struct storm_child *c = arg;
	uint64_t start[2];
	unsigned int i;

	for (i = 0; i < c->g.nr_vcpus; i++)
		start[i] = vcpu_count(c, i);
	for (i = 0; i < c->g.nr_vcpus; i++)
		while (vcpu_count(c, i) == start[i])
			sched_yield();
	if (c->index % 3 == 1) {
		for (i = 0; i < c->g.nr_vcpus; i++) {
			munmap(c->g.vcpu[i].run, 4096);
			close(c->g.vcpu[i].fd);
		}
		close(c->g.vm_fd);
		close(c->g.sys_fd);
		munmap(c->g.mem, c->g.mem_size);
	}
	if (write(c->ready_fd, "r", 1) != 1)
		return NULL;
	return NULL;
}

/* The child: returns only on a failure (it is killed inside RUN). */
static int storm_child(int index, int ready_fd)
{
	static struct storm_child c;
	unsigned int i, nr = 1 + index % 2;
	struct mhv_ucall uc;
	pthread_t t1, th;
	char name[32];

	c.index = index;
	c.ready_fd = ready_fd;
	snprintf(name, sizeof(name), "storm-%d", index);
	if (mhv_guest_create(&c.g, name, nr, 16, guest_spin, 0))
		return 1;
	for (i = 0; i < nr; i++)
		if (mhv_guest_set_entry(&c.g, i, guest_spin, i) ||
		    mhv_guest_run(&c.g, i, &uc) != MHV_UCALL_SYNC)
			return 2;
	if (nr > 1 && pthread_create(&t1, NULL, run_vcpu1, &c))
		return 3;
	if (pthread_create(&th, NULL, helper, &c))
		return 4;
	mhv_run(c.g.vcpu[0].fd);
	return 5;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	size_t n = strlen(key);
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = atol(line + n + 1);
	fclose(f);
	return v;
}

FIXTURE(storm) {
	int unused;
};

FIXTURE_SETUP(storm)
{
}

FIXTURE_TEARDOWN(storm)
{
}

/* a few hundred VMs take a while in an emulator */
TEST_F_TIMEOUT(storm, killed_vms_leave_nothing, 270)
{
	struct mhv_counters before, after;
	long free0 = meminfo_kb("MemFree"), slab0 = meminfo_kb("SUnreclaim");
	int refcnt = module_refcnt();
	double t0 = now();
	pid_t pid[BATCH];
	int i, j, fd[2], status, failed = 0;
	char c;

	ASSERT_EQ(0, mhv_counters_read(&before));
	TH_LOG("before: %ld pages, %ld pinned, %ld VMs, %ld vCPUs",
	       before.pages, before.pinned, before.vms, before.vcpus);
	for (i = 0; i < NR_VMS && !failed && now() - t0 < MAX_SECS;
	     i += BATCH) {
		for (j = 0; j < BATCH; j++) {
			ASSERT_EQ(0, pipe(fd));
			pid[j] = fork();
			ASSERT_LE(0, pid[j]);
			if (pid[j] == 0) {
				close(fd[0]);
				_exit(storm_child(i + j, fd[1]));
			}
			close(fd[1]);
			/* the child's vCPU is inside RUN (or it failed) */
			if (read(fd[0], &c, 1) != 1) {
				/* it exited: say with which code (storm_child) */
				status = 0;
				if (waitpid(pid[j], &status, 0) == pid[j])
					pid[j] = 0;
				TH_LOG("child %d failed before RUN (wait status 0x%x)",
				       i + j, status);
				failed = 1;
			}
			close(fd[0]);
		}
		for (j = 0; j < BATCH; j++) {
			if (!pid[j])
				continue;
			ASSERT_EQ(0, kill(pid[j], SIGKILL));
			ASSERT_EQ(pid[j], waitpid(pid[j], &status, 0));
		}
	}
	ASSERT_EQ(0, failed);
	/* the children are reaped: their files are released already */
	ASSERT_EQ(0, mhv_counters_read(&after));
	TH_LOG("%d VMs in %.1f s", i, now() - t0);
	TH_LOG("after: %ld pages, %ld pinned, %ld VMs, %ld vCPUs",
	       after.pages, after.pinned, after.vms, after.vcpus);
	TH_LOG("MemFree %+ld kB, SUnreclaim %+ld kB (information only)",
	       meminfo_kb("MemFree") - free0, meminfo_kb("SUnreclaim") - slab0);
	EXPECT_EQ(before.pages, after.pages);
	EXPECT_EQ(before.pinned, after.pinned);
	EXPECT_EQ(before.vms, after.vms);
	EXPECT_EQ(before.vcpus, after.vcpus);
	EXPECT_EQ(refcnt, module_refcnt());
}

TEST_HARNESS_MAIN
