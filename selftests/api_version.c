// SPDX-License-Identifier: GPL-2.0
/*
 * MHV_GET_API_VERSION: the module and this header agree.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/multios_hv.h>
#include "kselftest_harness.h"
#include "libmultios_hv.h"
#include "test_util.h"

TEST(api_version_matches_header)
{
	int fd = mhv_open_system();

	ASSERT_GE(fd, 0) TH_LOG("open %s: %d", MHV_DEVICE_PATH, fd);
	EXPECT_EQ(MHV_API_VERSION, ioctl(fd, MHV_GET_API_VERSION, 0));
	EXPECT_EQ(MHV_API_VERSION, mhv_get_api_version(fd));
	EXPECT_EQ(0, mhv_check_api(fd));
	close(fd);
}

TEST(api_version_ignores_argument)
{
	int fd = mhv_open_system();

	ASSERT_GE(fd, 0);
	/* _IO ioctls take no argument: any value is ignored. */
	EXPECT_EQ(MHV_API_VERSION, ioctl(fd, MHV_GET_API_VERSION, 0xdeadbeefUL));
	close(fd);
}

TEST_HARNESS_MAIN
