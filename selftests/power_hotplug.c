// SPDX-License-Identifier: GPL-2.0
/*
 * CPU hotplug while a VM exists and its vCPU runs: CPU 1 goes offline
 * under the running vCPU (which the scheduler moves to another CPU) and
 * comes back; the module turns the extension off and on with it (read
 * back from the hardware through debugfs multios_hv/hw), the vCPU then
 * runs on CPU 1 again and the guest completes. Skipped with one CPU or
 * when CPU 1 cannot be taken offline.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "power_util.h"

#define CPU1_ONLINE	"/sys/devices/system/cpu/cpu1/online"
#define ROUND		50	/* guest syncs between two checks */
#define WAIT_S		30	/* for one step; the test gets 150 s */

FIXTURE(cpu1) {
	int unused;
};

FIXTURE_SETUP(cpu1)
{
}

/* whatever happened, CPU 1 is online for the next test */
FIXTURE_TEARDOWN(cpu1)
{
	if (!access(CPU1_ONLINE, W_OK))
		write_text(CPU1_ONLINE, "1");
}

TEST_F_TIMEOUT(cpu1, offline_online_under_a_running_vcpu, 150)
{
	int before = dmesg_count_problems(), online, on, r;
	struct spin_runner run;
	struct mhv_guest g;

	ASSERT_GE(before, 0);
	/* (a SKIP in the fixture setup would not stop the test) */
	if (access(CPU1_ONLINE, W_OK))
		SKIP(return, "needs a second CPU that can go offline");
	ASSERT_EQ(0, mhv_guest_create(&g, "hotplug", 1, 16, spin_guest, 0));
	ASSERT_EQ(0, spin_start(&run, &g, 1));
	ASSERT_EQ(0, spin_wait(&run, ROUND, 1, WAIT_S));

	/* under the running vCPU: the extension goes off with the CPU */
	ASSERT_EQ(0, write_text(CPU1_ONLINE, "0"));
	on = hw_count_cpus("on", "on", &online);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), online);
	EXPECT_EQ(online, on) TH_LOG("after CPU 1 went offline");
	/* the vCPU goes on running elsewhere */
	EXPECT_EQ(0, spin_wait(&run, ROUND, -1, WAIT_S));
	EXPECT_NE(1, run.last_cpu);

	/* back: on again, read from the hardware of every CPU */
	ASSERT_EQ(0, write_text(CPU1_ONLINE, "1"));
	on = hw_count_cpus("on", "on", &online);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), online);
	EXPECT_EQ(online, on) TH_LOG("CPU 1 came back without the extension");

	/* the vCPU moves back to CPU 1 and runs there */
	ASSERT_EQ(0, spin_pin(&run, 1));
	r = spin_wait(&run, ROUND, 1, WAIT_S);
	EXPECT_EQ(0, r) TH_LOG("no guest progress on CPU 1: %s, RUN result %d",
			       strerror(-r), run.result);
	r = spin_stop(&run, WAIT_S);
	EXPECT_EQ(MHV_UCALL_DONE, r) TH_LOG("the run ended with %d", r);
	mhv_guest_destroy(&g);
	EXPECT_EQ(before, dmesg_count_problems());
}

/* No VM: CPU 1 comes and goes, the module keeps the extension off. */
TEST_F(cpu1, offline_online_without_vms)
{
	int online;

	if (access(CPU1_ONLINE, W_OK))
		SKIP(return, "needs a second CPU that can go offline");
	ASSERT_EQ(0, write_text(CPU1_ONLINE, "0"));
	ASSERT_EQ(0, write_text(CPU1_ONLINE, "1"));
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN),
		  hw_count_cpus("off", "off", &online));
}

TEST_HARNESS_MAIN
