// SPDX-License-Identifier: LGPL-2.1
/*
 * The system fd wrappers: opening the device, the return convention, and
 * (through the fake device of fake_dev.c) that each wrapper sends the
 * right ioctl with the right argument.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "tests.h"

#define MISSING	"/nonexistent/multios_hv"

static void test_device_path(void)
{
	unsetenv("MHV_DEVICE");
	CU_ASSERT_STRING_EQUAL(mhv_device_path(), "/dev/multios_hv");
	setenv("MHV_DEVICE", "", 1);	/* empty: the default */
	CU_ASSERT_STRING_EQUAL(mhv_device_path(), MHV_DEVICE_PATH);
	setenv("MHV_DEVICE", MISSING, 1);
	CU_ASSERT_STRING_EQUAL(mhv_device_path(), MISSING);
	unsetenv("MHV_DEVICE");
}

static void test_missing_device(void)
{
	setenv("MHV_DEVICE", MISSING, 1);
	errno = 0;	/* the result must not depend on errno */
	CU_ASSERT_EQUAL(mhv_open_system(), -ENOENT);
	unsetenv("MHV_DEVICE");
}

static void test_open_flags(void)
{
	int fd, fl;

	setenv("MHV_DEVICE", "/dev/null", 1);
	fd = mhv_open_system();
	unsetenv("MHV_DEVICE");
	CU_ASSERT_FATAL(fd >= 0);
	fl = fcntl(fd, F_GETFD);
	CU_ASSERT(fl >= 0 && (fl & FD_CLOEXEC));
	fl = fcntl(fd, F_GETFL);
	CU_ASSERT(fl >= 0 && (fl & O_ACCMODE) == O_RDWR);
	CU_ASSERT_EQUAL(mhv_close(fd), 0);
	CU_ASSERT_EQUAL(mhv_close(fd), -EBADF);
	CU_ASSERT_EQUAL(mhv_close(-1), -EBADF);
}

/* A file that is not our device: the real ioctl fails with ENOTTY. */
static void test_not_our_device(void)
{
	struct mhv_caps caps;
	int fd;

	setenv("MHV_DEVICE", "/dev/null", 1);
	fd = mhv_open_system();
	unsetenv("MHV_DEVICE");
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(mhv_get_api_version(fd), -ENOTTY);
	CU_ASSERT_EQUAL(mhv_check_api(fd), -ENOTTY);
	CU_ASSERT_EQUAL(mhv_get_caps(fd, &caps), -ENOTTY);
	CU_ASSERT_EQUAL(mhv_get_run_size(fd), -ENOTTY);
	mhv_close(fd);
	CU_ASSERT_EQUAL(mhv_get_api_version(fd), -EBADF);
	CU_ASSERT_EQUAL(mhv_get_caps(-1, &caps), -EBADF);
	CU_ASSERT_EQUAL(mhv_run(-1), -EBADF);
}

static int open_fake(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		fake_dev_attach(fd);
	return fd;
}

static void close_fake(int fd)
{
	fake_dev_detach();
	close(fd);
}

static void test_api_version(void)
{
	char msg[512];
	int fd = open_fake(), saved;

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(mhv_get_api_version(fd), MHV_API_VERSION);
	CU_ASSERT_EQUAL(fake_dev.last_cmd, MHV_GET_API_VERSION);

	saved = capture_stderr_begin();
	CU_ASSERT_EQUAL(mhv_check_api(fd), 0);
	capture_stderr_end(saved, msg, sizeof(msg));
	CU_ASSERT_STRING_EQUAL(msg, "");	/* silent when all is well */

	fake_dev.api_version = MHV_API_VERSION + 1;
	CU_ASSERT_EQUAL(mhv_get_api_version(fd), MHV_API_VERSION + 1);
	saved = capture_stderr_begin();
	CU_ASSERT_EQUAL(mhv_check_api(fd), -EPROTO);
	capture_stderr_end(saved, msg, sizeof(msg));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "module speaks API version 2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "built for version 1"));
	CU_ASSERT_EQUAL(msg[strlen(msg) - 1], '\n');

	fake_dev.api_version = 0;	/* any other version is a mismatch */
	saved = capture_stderr_begin();
	CU_ASSERT_EQUAL(mhv_check_api(fd), -EPROTO);
	capture_stderr_end(saved, msg, sizeof(msg));
	close_fake(fd);
}

static void test_get_caps(void)
{
	struct mhv_caps caps;
	int fd = open_fake();

	CU_ASSERT_FATAL(fd >= 0);
	memset(&fake_dev.caps, 0, sizeof(fake_dev.caps));
	fake_dev.caps.vendor = MHV_VENDOR_AMD;
	fake_dev.caps.virt = MHV_VIRT_SVM;
	fake_dev.caps.flags = MHV_CAP_SVM | MHV_CAP_NESTED_PAGING;
	fake_dev.caps.nr_cpus = 3;
	strcpy(fake_dev.caps.vendor_id, "AuthenticAMD");
	memset(&caps, 0xa5, sizeof(caps));

	CU_ASSERT_EQUAL(mhv_get_caps(fd, &caps), 0);
	CU_ASSERT_EQUAL(fake_dev.last_cmd, MHV_GET_CAPS);
	CU_ASSERT_EQUAL(fake_dev.last_arg, (unsigned long)&caps);
	CU_ASSERT_EQUAL(memcmp(&caps, &fake_dev.caps, sizeof(caps)), 0);
	CU_ASSERT_EQUAL(mhv_get_caps(fd, NULL), -EFAULT);
	close_fake(fd);
}

static void test_errors_are_negative_errno(void)
{
	struct mhv_vm_config cfg;
	struct mhv_caps caps;
	int fd = open_fake();

	CU_ASSERT_FATAL(fd >= 0);
	fake_dev.err = EINTR;
	CU_ASSERT_EQUAL(mhv_get_api_version(fd), -EINTR);
	CU_ASSERT_EQUAL(mhv_check_api(fd), -EINTR);
	fake_dev.err = EFAULT;
	CU_ASSERT_EQUAL(mhv_get_caps(fd, &caps), -EFAULT);
	fake_dev.err = EBUSY;
	mhv_vm_config_default(&cfg);
	CU_ASSERT_EQUAL(mhv_create_vm(fd, &cfg), -EBUSY);
	CU_ASSERT_EQUAL(fake_dev.calls, 4);
	close_fake(fd);
}

static void test_create_vm_and_run_size(void)
{
	struct mhv_vm_config cfg;
	int fd = open_fake();

	CU_ASSERT_FATAL(fd >= 0);
	mhv_vm_config_default(&cfg);
	CU_ASSERT_EQUAL(mhv_create_vm(fd, &cfg), 42);	/* the VM fd */
	CU_ASSERT_EQUAL(fake_dev.last_cmd, MHV_CREATE_VM);
	CU_ASSERT_EQUAL(fake_dev.last_arg, (unsigned long)&cfg);
	CU_ASSERT_EQUAL(mhv_get_run_size(fd), 4096);
	CU_ASSERT_EQUAL(fake_dev.last_cmd, MHV_GET_RUN_SIZE);
	close_fake(fd);
}

static void test_version(void)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d", MHV_LIB_VERSION_MAJOR,
		 MHV_LIB_VERSION_MINOR);
	CU_ASSERT_STRING_EQUAL(mhv_lib_version(), want);
	CU_ASSERT_STRING_EQUAL(mhv_lib_version(), "0.9");
}

int register_sys_tests(void)
{
	ADD_SUITE("sys",
		  { "device_path", test_device_path },
		  { "missing_device", test_missing_device },
		  { "open_flags", test_open_flags },
		  { "not_our_device", test_not_our_device },
		  { "api_version", test_api_version },
		  { "get_caps", test_get_caps },
		  { "errors_are_negative_errno", test_errors_are_negative_errno },
		  { "create_vm_and_run_size", test_create_vm_and_run_size },
		  { "version", test_version });
}
