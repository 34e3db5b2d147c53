// SPDX-License-Identifier: GPL-2.0
/*
 * Four VMs with two vCPUs each run at once on every CPU of the host,
 * their threads moved between CPUs while they run: each guest computes
 * its own answer, and no VM sees another's memory.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define NR_VMS		4
#define NR_VCPUS	2
#define ROUNDS		150

static volatile uint64_t guest_slot[NR_VCPUS];

/* arg: VM number * 16 + vCPU number */
static void guest_worker(uint64_t arg)
{
	uint64_t vcpu = arg & 15, acc = arg;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		acc = acc * 6364136223846793005ULL + 1442695040888963407ULL;
		guest_slot[vcpu] = acc;		/* this VM's own memory */
		GUEST_SYNC2(i, acc);
		GUEST_ASSERT_EQ(guest_slot[vcpu], acc);
	}
	GUEST_DONE();
}

struct worker {
	struct mhv_guest *g;
	unsigned int vm, vcpu;
	int failures;
	int done;
};

static void *run_worker(void *arg)
{
	struct worker *w = arg;
	uint64_t acc = w->vm * 16 + w->vcpu;
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct mhv_ucall uc;
	cpu_set_t set;
	int i, r;

	for (i = 0; i < ROUNDS; i++) {
		/* hop to another CPU: the vCPU must follow */
		CPU_ZERO(&set);
		CPU_SET((i + w->vcpu) % ncpus, &set);
		sched_setaffinity(0, sizeof(set), &set);
		r = mhv_guest_run(w->g, w->vcpu, &uc);
		acc = acc * 6364136223846793005ULL + 1442695040888963407ULL;
		if (r != MHV_UCALL_SYNC || uc.args[0] != (uint64_t)i ||
		    uc.args[1] != acc) {
			w->failures++;
			return NULL;
		}
	}
	r = mhv_guest_run(w->g, w->vcpu, &uc);
	w->done = r == MHV_UCALL_DONE;
	return NULL;
}

TEST(four_vms_two_vcpus_each)
{
	struct mhv_guest g[NR_VMS];
	struct worker w[NR_VMS][NR_VCPUS];
	pthread_t t[NR_VMS][NR_VCPUS];
	unsigned int v, c;

	for (v = 0; v < NR_VMS; v++) {
		ASSERT_EQ(0, mhv_guest_create(&g[v], "multi", NR_VCPUS, 32,
					      guest_worker, 0));
		for (c = 0; c < NR_VCPUS; c++)
			ASSERT_EQ(0, mhv_guest_set_entry(&g[v], c, guest_worker,
							 v * 16 + c));
	}
	for (v = 0; v < NR_VMS; v++)
		for (c = 0; c < NR_VCPUS; c++) {
			w[v][c] = (struct worker){ .g = &g[v], .vm = v, .vcpu = c };
			ASSERT_EQ(0, pthread_create(&t[v][c], NULL, run_worker,
						    &w[v][c]));
		}
	for (v = 0; v < NR_VMS; v++)
		for (c = 0; c < NR_VCPUS; c++) {
			ASSERT_EQ(0, pthread_join(t[v][c], NULL));
			EXPECT_EQ(0, w[v][c].failures) TH_LOG("VM %u vCPU %u", v, c);
			EXPECT_TRUE(w[v][c].done);
		}
	for (v = 0; v < NR_VMS; v++) {
		struct mhv_vm_info info;

		ASSERT_EQ(0, ioctl(g[v].vm_fd, MHV_GET_VM_INFO, &info));
		EXPECT_EQ(MHV_VM_PAUSED, info.state);
		EXPECT_EQ(2, info.vcpus_created);
		mhv_guest_destroy(&g[v]);
	}
}

TEST_HARNESS_MAIN
