// SPDX-License-Identifier: LGPL-2.1
#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"
#include "tests.h"

static void test_missing_device(void)
{
	setenv("MHV_DEVICE", "/nonexistent/multios_hv", 1);
	CU_ASSERT_EQUAL(mhv_open_system(), -ENOENT);
	unsetenv("MHV_DEVICE");
}

static void test_wrappers_report_errno(void)
{
	struct mhv_caps caps;
	int fd;

	/* not our device: the ioctl fails and the wrapper returns -errno */
	setenv("MHV_DEVICE", "/dev/null", 1);
	fd = mhv_open_system();
	CU_ASSERT(fd >= 0);
	CU_ASSERT_EQUAL(mhv_get_caps(fd, &caps), -ENOTTY);
	CU_ASSERT_EQUAL(mhv_check_api(fd), -ENOTTY);
	CU_ASSERT_EQUAL(mhv_close(fd), 0);
	CU_ASSERT_EQUAL(mhv_close(fd), -EBADF);
	CU_ASSERT_EQUAL(mhv_run(-1), -EBADF);
	unsetenv("MHV_DEVICE");
}

static void test_version(void)
{
	CU_ASSERT_STRING_EQUAL(mhv_lib_version(), "0.2");
}

int register_sys_tests(void)
{
	ADD_SUITE("sys",
		  { "missing_device", test_missing_device },
		  { "wrappers_report_errno", test_wrappers_report_errno },
		  { "version", test_version });
}
