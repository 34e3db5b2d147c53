// SPDX-License-Identifier: GPL-2.0
/*
 * Reboot, power off and kexec: the module's reboot notifier turns the
 * extension off on every CPU and refuses every later VM and vCPU
 * operation with ESHUTDOWN. A real reboot would end the test VM, so the
 * test runs the notifier's own function through debugfs (multios_hv/hw,
 * "shutdown"), with a VM whose vCPU is running on another thread: the
 * running RUN returns ESHUTDOWN, every CPU is off as read back from its
 * hardware, CREATE_VM, CREATE_VCPU and vCPU ioctls fail with ESHUTDOWN,
 * the VM still closes, and the kernel log stays clean. Then the module
 * is reloaded (a refusing module stays refusing until then).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "power_util.h"

#define ROUND		50
#define WAIT_S		30	/* for one step; the test gets 150 s */

static int reload_module(void)
{
	if (syscall(SYS_delete_module, "multios_hv", O_NONBLOCK))
		return -errno;
	return mhv_load_module("");
}

static int create_vm(void)
{
	struct mhv_vm_config cfg;
	int sys = mhv_open_system(), vm;

	if (sys < 0)
		return sys;
	mhv_vm_config_default(&cfg);
	strcpy(cfg.name, "after-reboot");
	vm = mhv_create_vm(sys, &cfg);
	mhv_close(sys);
	return vm;
}

FIXTURE(shutdown) {
	int unused;
};

FIXTURE_SETUP(shutdown)
{
}

/* whatever happened, the next test finds a module that works */
FIXTURE_TEARDOWN(shutdown)
{
	int vm = create_vm();

	if (vm == -ESHUTDOWN)
		reload_module();
	if (vm >= 0)
		close(vm);
}

TEST_F_TIMEOUT(shutdown, with_a_running_vcpu, 150)
{
	int before = dmesg_count_problems(), online, n, r, vm;
	int cpu = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0;
	struct mhv_regs regs;
	struct spin_runner run;
	struct mhv_guest g;

	ASSERT_GE(before, 0);
	ASSERT_EQ(0, mhv_guest_create(&g, "reboot", 2, 16, spin_guest, 0));
	ASSERT_EQ(0, spin_start(&run, &g, cpu));
	ASSERT_EQ(0, spin_wait(&run, ROUND, cpu, WAIT_S));
	n = hw_count_cpus("on", "on", &online);
	ASSERT_EQ(sysconf(_SC_NPROCESSORS_ONLN), online);
	ASSERT_EQ(online, n) TH_LOG("not on everywhere while a VM exists");

	ASSERT_EQ(0, write_text(MHV_DEBUGFS_HW, "shutdown"));

	/* off on every CPU, as the hardware says */
	n = hw_count_cpus("off", "off", &online);
	EXPECT_EQ(online, n) TH_LOG("still on after the shutdown");
	/* the running vCPU was stopped, nothing new starts */
	r = spin_wait_end(&run, WAIT_S);
	EXPECT_EQ(-ESHUTDOWN, r) TH_LOG("RUN ended with %d", r);
	EXPECT_EQ(-ESHUTDOWN, mhv_run(g.vcpu[1].fd));
	EXPECT_EQ(-ESHUTDOWN, mhv_get_regs(g.vcpu[0].fd, &regs));
	/* (vCPU 1 exists: the refusal comes before that check) */
	EXPECT_EQ(-ESHUTDOWN, mhv_create_vcpu(g.vm_fd, 1));
	vm = create_vm();
	EXPECT_EQ(-ESHUTDOWN, vm);
	if (vm >= 0)
		close(vm);

	spin_stop(&run, WAIT_S);
	mhv_guest_destroy(&g);
	EXPECT_EQ(before, dmesg_count_problems());

	/* a fresh module works again */
	ASSERT_EQ(0, reload_module());
	vm = create_vm();
	EXPECT_GE(vm, 0) TH_LOG("CREATE_VM after the reload: %d", vm);
	n = hw_count_cpus("on", "on", &online);
	EXPECT_EQ(online, n);
	if (vm >= 0)
		close(vm);
}

/* No VM: the shutdown has nothing to turn off, and still refuses. */
TEST_F(shutdown, without_vms)
{
	int online, vm;

	ASSERT_EQ(0, write_text(MHV_DEBUGFS_HW, "shutdown"));
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN),
		  hw_count_cpus("off", "off", &online));
	vm = create_vm();
	EXPECT_EQ(-ESHUTDOWN, vm);
	if (vm >= 0)
		close(vm);
	ASSERT_EQ(0, reload_module());
	vm = create_vm();
	EXPECT_GE(vm, 0);
	if (vm >= 0)
		close(vm);
}

TEST_HARNESS_MAIN
