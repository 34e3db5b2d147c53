// SPDX-License-Identifier: GPL-2.0
/*
 * The system fd: opened and closed many times, many at once, from many
 * threads; the module's reference count returns to where it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/multios_hv.h>
#include "kselftest_harness.h"
#include "test_util.h"

TEST(open_close_many_times)
{
	int before = module_refcnt();
	int i;

	ASSERT_GE(before, 0) TH_LOG("cannot read the module's refcount");
	for (i = 0; i < 2000; i++) {
		int fd = mhv_open_system();

		ASSERT_GE(fd, 0) TH_LOG("iteration %d: %d", i, fd);
		ASSERT_EQ(MHV_API_VERSION, ioctl(fd, MHV_GET_API_VERSION, 0));
		ASSERT_EQ(0, close(fd));
	}
	EXPECT_EQ(before, module_refcnt());
}

TEST(many_fds_at_once)
{
	int fds[256];
	int before = module_refcnt();
	int i;

	ASSERT_GE(before, 0) TH_LOG("cannot read the module's refcount");
	for (i = 0; i < 256; i++) {
		fds[i] = mhv_open_system();
		ASSERT_GE(fds[i], 0);
	}
	EXPECT_EQ(before + 256, module_refcnt());
	for (i = 0; i < 256; i++)
		EXPECT_EQ(MHV_API_VERSION,
			  ioctl(fds[i], MHV_GET_API_VERSION, 0));
	for (i = 0; i < 256; i++)
		close(fds[i]);
	EXPECT_EQ(before, module_refcnt());
}

TEST(dup_and_fork_share_the_fd)
{
	int fd = mhv_open_system(), fd2;
	pid_t pid;
	int status;

	ASSERT_GE(fd, 0);
	fd2 = dup(fd);
	ASSERT_GE(fd2, 0);
	close(fd);
	EXPECT_EQ(MHV_API_VERSION, ioctl(fd2, MHV_GET_API_VERSION, 0));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(ioctl(fd2, MHV_GET_API_VERSION, 0) == MHV_API_VERSION ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd2);
}

static void *opener(void *arg)
{
	long fails = 0;
	int i;

	(void)arg;
	for (i = 0; i < 500; i++) {
		int fd = mhv_open_system();
		struct mhv_caps caps;

		if (fd < 0 || ioctl(fd, MHV_GET_CAPS, &caps))
			fails++;
		if (fd >= 0)
			close(fd);
	}
	return (void *)fails;
}

TEST(open_close_from_threads)
{
	pthread_t t[4];
	void *ret;
	int i;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, opener, NULL));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &ret));
		EXPECT_EQ(0L, (long)ret);
	}
}

TEST(device_is_root_only)
{
	struct stat st;

	ASSERT_EQ(0, stat(MHV_DEVICE_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 0777);
}

TEST_HARNESS_MAIN
