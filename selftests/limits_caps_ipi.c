// SPDX-License-Identifier: GPL-2.0
/*
 * MHV_GET_CAPS, which any user of the device may call in a loop, sends
 * no IPI: MHV_CAP_IN_USE is read on the calling CPU only (see
 * mhv_on_this_cpu()). The test runs on CPU 0 and counts the function
 * call interrupts ("CAL" in /proc/interrupts) the other CPUs take while
 * it calls GET_CAPS N times: asking every CPU would be N per other CPU;
 * the rule allows none, and the bound N / 10 leaves room for unrelated
 * kernel work in that time. It also writes nothing to the kernel log.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libmultios_hv.h"
#include "limits_util.h"

#define N_CALLS		2000
#define MAX_CPUS	64

/* Function call IPIs per CPU; returns the number of CPUs, or -1. */
static int cal_counts(unsigned long long *count)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char line[4096], *p, *end;
	int n = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p = line;
		while (*p == ' ')
			p++;
		if (strncmp(p, "CAL:", 4))
			continue;
		p += 4;
		for (n = 0; n < MAX_CPUS; n++) {
			count[n] = strtoull(p, &end, 10);
			if (end == p)
				break;
			p = end;
		}
		break;
	}
	fclose(f);
	return n;
}

TEST(get_caps_sends_no_ipi)
{
	unsigned long long before[MAX_CPUS], after[MAX_CPUS], others = 0;
	struct mhv_caps caps;
	cpu_set_t set;
	int sys, i, ncpu, lines;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "one CPU: there is nobody to send an IPI to");
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
	sys = mhv_open_system();
	ASSERT_LE(0, sys);
	lines = dmesg_count_lines("multios_hv");

	ncpu = cal_counts(before);
	ASSERT_LE(2, ncpu);
	for (i = 0; i < N_CALLS; i++)
		ASSERT_EQ(0, mhv_get_caps(sys, &caps));
	ASSERT_EQ(ncpu, cal_counts(after));
	for (i = 1; i < ncpu; i++)
		others += after[i] - before[i];
	TH_LOG("%d GET_CAPS: %llu function call IPIs on the other CPUs",
	       N_CALLS, others);
	EXPECT_LT(others, N_CALLS / 10);
	EXPECT_EQ(0, caps.flags & MHV_CAP_IN_USE);
	EXPECT_EQ(lines, dmesg_count_lines("multios_hv"));
	mhv_close(sys);
}

TEST_HARNESS_MAIN
