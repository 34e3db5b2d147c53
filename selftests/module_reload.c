// SPDX-License-Identifier: GPL-2.0
/*
 * Unload and load multios_hv 20 times: every cycle leaves the device
 * usable and dmesg free of warnings. Leaves the module loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/multios_hv.h>
#include "kselftest_harness.h"
#include "test_util.h"

static int unload_module(void)
{
	return syscall(SYS_delete_module, "multios_hv", O_NONBLOCK) ? -errno : 0;
}

static bool module_loaded(void)
{
	struct stat st;

	return stat("/sys/module/multios_hv", &st) == 0;
}

TEST(reload_20_times)
{
	int before = dmesg_count_problems();
	int i;

	ASSERT_GE(before, 0);
	if (!module_loaded())
		ASSERT_EQ(0, mhv_load_module(""));
	for (i = 0; i < 20; i++) {
		int fd;

		ASSERT_EQ(0, unload_module()) TH_LOG("cycle %d", i);
		ASSERT_FALSE(module_loaded());
		ASSERT_EQ(0, mhv_load_module("")) TH_LOG("cycle %d", i);
		fd = mhv_open_system();
		ASSERT_GE(fd, 0) TH_LOG("cycle %d", i);
		EXPECT_EQ(MHV_API_VERSION, ioctl(fd, MHV_GET_API_VERSION, 0));
		close(fd);
	}
	EXPECT_EQ(before, dmesg_count_problems());
}

TEST(unload_refused_while_fd_open)
{
	int fd;

	if (!module_loaded())
		ASSERT_EQ(0, mhv_load_module(""));
	fd = mhv_open_system();
	ASSERT_GE(fd, 0);
	EXPECT_EQ(-EWOULDBLOCK, unload_module());
	EXPECT_TRUE(module_loaded());
	close(fd);
}

TEST(unload_refused_while_a_vm_exists)
{
	struct mhv_vm_config cfg = { .name = "pin", .vcpu_count = 1,
				     .memory_mb = 1, .arch = MHV_ARCH_X86_64 };
	int sys, vm;

	if (!module_loaded())
		ASSERT_EQ(0, mhv_load_module(""));
	sys = mhv_open_system();
	ASSERT_GE(sys, 0);
	vm = ioctl(sys, MHV_CREATE_VM, &cfg);
	ASSERT_GE(vm, 0);
	close(sys);
	/* only the VM fd is left: it alone keeps the module */
	EXPECT_EQ(-EWOULDBLOCK, unload_module());
	EXPECT_TRUE(module_loaded());
	close(vm);
	EXPECT_EQ(0, unload_module());
	EXPECT_EQ(0, mhv_load_module(""));
}

TEST(double_load_is_eexist)
{
	if (!module_loaded())
		ASSERT_EQ(0, mhv_load_module(""));
	EXPECT_EQ(-EEXIST, mhv_load_module(""));
}

TEST_HARNESS_MAIN
