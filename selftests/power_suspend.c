// SPDX-License-Identifier: GPL-2.0
/*
 * Suspend and resume with a VM whose vCPU is running. The test VM cannot
 * really sleep, so the kernel's PM test mode "core" (CONFIG_PM_DEBUG:
 * /sys/power/pm_test) runs the whole suspend path up to the platform's
 * sleep call -- tasks frozen, devices suspended, the non-boot CPUs
 * offline, the syscore suspend hooks on the boot CPU with interrupts off
 * -- and resumes from there. The module must log that it turned the
 * extension off on the boot CPU and back on (what the hardware says,
 * read back by the module), every CPU must have it on afterwards (debugfs
 * multios_hv/hw, read from the hardware), and the guest must keep running
 * on the boot CPU and on CPU 1, then complete.
 *
 * What a real S3 adds and this cannot show: firmware resetting the CPU's
 * state (EFER, VM_HSAVE_PA, FEATURE_CONTROL), which resume writes anew.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "power_util.h"

#define PM_TEST		"/sys/power/pm_test"
#define PM_STATE	"/sys/power/state"
#define PM_MEM_SLEEP	"/sys/power/mem_sleep"
#define PM_DELAY	"/sys/module/suspend/parameters/pm_test_delay"
#define ROUND		50
#define WAIT_S		30	/* for one step; the test gets 150 s */
#define MARK		"power_suspend: suspending now"

static bool file_has(const char *path, const char *word)
{
	char buf[256];
	FILE *f = fopen(path, "r");
	bool found;

	if (!f)
		return false;
	found = fgets(buf, sizeof(buf), f) && strstr(buf, word);
	fclose(f);
	return found;
}

FIXTURE(pm) {
	int unused;
};

FIXTURE_SETUP(pm)
{
}

/* whatever happened, the next suspend is a real one */
FIXTURE_TEARDOWN(pm)
{
	if (!access(PM_TEST, W_OK))
		write_text(PM_TEST, "none");
}

TEST_F_TIMEOUT(pm, pm_test_core_with_a_running_vcpu, 150)
{
	int before = dmesg_count_problems(), online, on, r;
	char line[128], virt[8];
	struct spin_runner run;
	struct mhv_caps caps;
	struct mhv_guest g;

	ASSERT_GE(before, 0);
	/* "mem" must mean S3: suspend-to-idle has no syscore stage */
	if (access(PM_TEST, W_OK) || !file_has(PM_STATE, "mem") ||
	    !file_has(PM_MEM_SLEEP, "deep"))
		SKIP(return, "no PM test mode or no suspend-to-RAM (S3) here");
	ASSERT_EQ(0, write_text(PM_MEM_SLEEP, "deep"));

	ASSERT_EQ(0, mhv_guest_create(&g, "suspend", 1, 16, spin_guest, 0));
	ASSERT_EQ(0, mhv_get_caps(g.sys_fd, &caps));
	/* the backend's name in the module's log lines */
	snprintf(virt, sizeof(virt), "%s",
		 caps.virt == MHV_VIRT_VMX ? "vmx" : "svm");
	/* the boot CPU (0) is the one the syscore hooks run on */
	ASSERT_EQ(0, spin_start(&run, &g, 0));
	ASSERT_EQ(0, spin_wait(&run, ROUND, 0, WAIT_S));

	write_text(PM_DELAY, "0");	/* no 5 s pause in the middle */
	ASSERT_EQ(0, write_text(PM_TEST, "core"));
	ASSERT_EQ(0, write_text("/dev/kmsg", MARK));
	r = write_text(PM_STATE, "mem");
	ASSERT_EQ(0, r) TH_LOG("suspend: %s", strerror(-r));

	snprintf(line, sizeof(line), "multios_hv: suspend: CPU 0: %s off", virt);
	EXPECT_TRUE(dmesg_after_has(MARK, line)) TH_LOG("no '%s'", line);
	snprintf(line, sizeof(line), "multios_hv: resume: CPU 0: %s on", virt);
	EXPECT_TRUE(dmesg_after_has(MARK, line)) TH_LOG("no '%s'", line);
	on = hw_count_cpus("on", "on", &online);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), online);
	EXPECT_EQ(online, on) TH_LOG("not every CPU has the extension back");

	/* the guest goes on: on the boot CPU, then on CPU 1 */
	r = spin_wait(&run, ROUND, 0, WAIT_S);
	EXPECT_EQ(0, r) TH_LOG("no progress on CPU 0: %s, RUN result %d",
			       strerror(-r), run.result);
	if (online > 1) {
		ASSERT_EQ(0, spin_pin(&run, 1));
		r = spin_wait(&run, ROUND, 1, WAIT_S);
		EXPECT_EQ(0, r) TH_LOG("no progress on CPU 1: %s, RUN result %d",
				       strerror(-r), run.result);
	}
	r = spin_stop(&run, WAIT_S);
	EXPECT_EQ(MHV_UCALL_DONE, r) TH_LOG("the run ended with %d", r);
	mhv_guest_destroy(&g);
	EXPECT_EQ(before, dmesg_count_problems());
}

TEST_HARNESS_MAIN
