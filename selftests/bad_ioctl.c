// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed ioctls on the system fd get clean errors: unknown numbers are
 * -ENOTTY, bad pointers -EFAULT, and nothing shows up in dmesg.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/multios_hv.h>
#include "kselftest_harness.h"
#include "test_util.h"

FIXTURE(sysfd) {
	int fd;
	int problems_before;
};

FIXTURE_SETUP(sysfd)
{
	self->fd = mhv_open_system();
	ASSERT_GE(self->fd, 0);
	self->problems_before = dmesg_count_problems();
}

FIXTURE_TEARDOWN(sysfd)
{
	close(self->fd);
	EXPECT_EQ(self->problems_before, dmesg_count_problems());
}

static int ioctl_errno(int fd, unsigned long cmd, void *arg)
{
	int r = ioctl(fd, cmd, arg);

	return r < 0 ? errno : 0;
}

TEST_F(sysfd, unknown_numbers_are_enotty)
{
	struct mhv_caps caps;
	unsigned int nr;

	/* every number of our type byte the system fd does not serve */
	for (nr = 0x04; nr < 0x100; nr++) {
		EXPECT_EQ(ENOTTY, ioctl_errno(self->fd, _IO(MHVIO, nr), NULL))
			TH_LOG("nr 0x%x", nr);
		EXPECT_EQ(ENOTTY, ioctl_errno(self->fd,
					      _IOWR(MHVIO, nr, struct mhv_caps),
					      &caps));
	}
	/* other subsystems' type bytes (KVM's 0xAE, terminal ioctls) */
	EXPECT_EQ(ENOTTY, ioctl_errno(self->fd, _IO(0xAE, 0x00), NULL));
	EXPECT_EQ(ENOTTY, ioctl_errno(self->fd, TCGETS, &caps));
}

TEST_F(sysfd, right_number_wrong_size_or_direction)
{
	char buf[512];

	EXPECT_EQ(ENOTTY, ioctl_errno(self->fd,
				      _IOC(_IOC_READ, MHVIO, 0x01, 8), buf));
	EXPECT_EQ(ENOTTY, ioctl_errno(self->fd,
				      _IOC(_IOC_READ, MHVIO, 0x01,
					   sizeof(struct mhv_caps) + 8), buf));
	EXPECT_EQ(ENOTTY, ioctl_errno(self->fd,
				      _IOW(MHVIO, 0x01, struct mhv_caps), buf));
	EXPECT_EQ(ENOTTY, ioctl_errno(self->fd,
				      _IOR(MHVIO, 0x00, int), buf));
}

TEST_F(sysfd, get_caps_bad_pointers)
{
	void *ro;

	EXPECT_EQ(EFAULT, ioctl_errno(self->fd, MHV_GET_CAPS, NULL));
	EXPECT_EQ(EFAULT, ioctl_errno(self->fd, MHV_GET_CAPS, (void *)1));
	EXPECT_EQ(EFAULT, ioctl_errno(self->fd, MHV_GET_CAPS,
				      (void *)0xffff888000000000UL));
	EXPECT_EQ(EFAULT, ioctl_errno(self->fd, MHV_GET_CAPS,
				      (void *)0x00007ffffffff000UL));

	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(EFAULT, ioctl_errno(self->fd, MHV_GET_CAPS, ro));
	munmap(ro, 4096);
}

TEST_F(sysfd, get_caps_straddling_an_unmapped_page)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + 4096, 4096));
	EXPECT_EQ(EFAULT, ioctl_errno(self->fd, MHV_GET_CAPS, p + 4096 - 16));
	munmap(p, 4096);
}

TEST_F(sysfd, read_write_mmap_not_supported)
{
	char buf[8];

	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(-1, write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED,
				   self->fd, 0));
}

TEST_HARNESS_MAIN
