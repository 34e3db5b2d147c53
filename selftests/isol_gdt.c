// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 8, item 1: after a VM ran, the host's GDT is the kernel's again.
 *
 * A VM exit on VT-x sets the host GDT limit to 0xFFFF; unless the module
 * reloads the real GDT, every process on that CPU can then use selectors
 * far past the kernel's 16 descriptors (GDT_ENTRIES) with LAR/LSL and read
 * whatever follows the GDT page in the CPU entry area (and LSL on some of
 * them oopsed the host). On SVM, VMRUN restores GDTR itself: this test
 * passes there anyway and guards the VT-x path.
 *
 * A guest runs (a few exits) pinned on each online CPU in turn; then an
 * unprivileged child (uid/gid 65534) probes, on each CPU, every selector
 * with index 16 .. 8191 (RPL 3) with LSL: none may be valid, and the
 * kernel log must stay clean.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "isol_util.h"

#define KERNEL_GDT_ENTRIES	16
#define SYNCS_PER_CPU		4

static void guest_sync_loop(uint64_t arg)
{
	uint64_t i;

	for (i = 0;; i++)
		GUEST_SYNC(i);
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* Selectors past the kernel's GDT that LSL finds valid on this CPU. */
static unsigned int probe_selectors(void)
{
	unsigned int idx, valid = 0;

	for (idx = KERNEL_GDT_ENTRIES; idx < 8192; idx++) {
		uint32_t sel = idx << 3 | 3, limit = 0;
		uint8_t ok;

		__asm__ volatile("lsl %2, %1\n\tsetz %0"
				 : "=q"(ok), "+r"(limit) : "r"(sel) : "cc");
		valid += ok;
	}
	return valid;
}

TEST(no_selector_past_the_gdt)
{
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	int problems = dmesg_count_problems();
	struct mhv_guest g;
	struct mhv_ucall uc;
	int cpu, ran = 0, i, status, fds[2];
	unsigned int valid[2] = { 0, 0 };
	pid_t pid;

	ASSERT_LE(0, problems);
	ASSERT_LT(0, ncpus);
	ASSERT_EQ(0, mhv_guest_create(&g, "gdt", 1, 64, guest_sync_loop, 0));
	for (cpu = 0; cpu < ncpus; cpu++) {
		if (pin(cpu))
			continue;	/* offline */
		for (i = 0; i < SYNCS_PER_CPU; i++)
			EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
		ran++;
	}
	ASSERT_LT(0, ran);
	mhv_guest_destroy(&g);

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		unsigned int res[2] = { 0, 0 };	/* CPUs probed, valid found */

		close(fds[0]);
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(2);
		for (cpu = 0; cpu < ncpus; cpu++) {
			if (pin(cpu))
				continue;
			res[0]++;
			res[1] += probe_selectors();
		}
		if (write(fds[1], res, sizeof(res)) != sizeof(res))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	EXPECT_EQ(sizeof(valid), read(fds[0], valid, sizeof(valid)));
	close(fds[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status)) TH_LOG("the probing child died (signal %d)",
					     WTERMSIG(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(ran, valid[0]);
	EXPECT_EQ(0, valid[1]) TH_LOG("%u selectors past the GDT are valid",
				      valid[1]);
	EXPECT_EQ(problems, dmesg_count_problems());
}

TEST_HARNESS_MAIN
