// SPDX-License-Identifier: GPL-2.0
/*
 * What may back a memory slot. Guest pages are pinned long-term and
 * written behind the owner's back, so:
 *
 * - MAP_SHARED mappings of ordinary files (here: ramfs) are refused with
 *   EOPNOTSUPP at MHV_SET_MEMORY_REGION; anonymous memory, MAP_PRIVATE
 *   files, memfd and shared anonymous (shmem) memory are fine;
 * - VM_IO/VM_PFNMAP mappings (/dev/mem) are refused the same way;
 * - the same check runs at each nested page fault, because the mapping
 *   can change after the slot was set: MHV_RUN fails with EOPNOTSUPP,
 *   the VM stays usable, and runs on once the memory is fixed;
 * - guest-physical addresses beyond what both the host's physical width
 *   and the second-level tables (paging levels) cover are refused.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define SLOT1_GPA	0x8000000ULL	/* 128 MiB: above slot 0 */
#define PAGE		4096UL

static int set_slot(int vm_fd, uint32_t slot, uint64_t gpa, void *hva,
		    uint64_t size)
{
	struct mhv_memory_region r;

	memset(&r, 0, sizeof(r));
	r.slot = slot;
	r.guest_phys_addr = gpa;
	r.size = size;
	r.userspace_addr = (uintptr_t)hva;
	return mhv_set_memory_region(vm_fd, &r);
}

/* A file on ramfs: page cache of a real filesystem, not shmem. */
FIXTURE(ramfs) {
	char dir[64];
	char path[96];
	int fd;
	struct mhv_guest g;
};

FIXTURE_SETUP(ramfs)
{
	strcpy(self->dir, "/tmp/mhv-ramfs-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, mount("ramfs", self->dir, "ramfs", 0, NULL));
	snprintf(self->path, sizeof(self->path), "%s/guest-ram", self->dir);
	self->fd = open(self->path, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ftruncate(self->fd, 4 * PAGE));
	self->g.vm_fd = -1;
}

FIXTURE_TEARDOWN(ramfs)
{
	if (self->g.vm_fd >= 0)
		mhv_guest_destroy(&self->g);
	close(self->fd);
	umount(self->dir);
	rmdir(self->dir);
}

static void guest_nothing(uint64_t arg)
{
	GUEST_DONE();
}

TEST_F(ramfs, shared_file_mapping_refused_at_set)
{
	void *shared, *priv, *memfd_map, *shanon;
	int mfd;

	ASSERT_EQ(0, mhv_guest_create(&self->g, "slot-kinds", 1, 64,
				      guest_nothing, 0));
	shared = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		      self->fd, 0);
	ASSERT_NE(MAP_FAILED, shared);
	EXPECT_EQ(-EOPNOTSUPP, set_slot(self->g.vm_fd, 1, SLOT1_GPA, shared,
					4 * PAGE));
	/* read-only file open: MAP_SHARED without VM_SHARED, still refused */
	munmap(shared, 4 * PAGE);
	mfd = open(self->path, O_RDONLY);
	ASSERT_LE(0, mfd);
	shared = mmap(NULL, 4 * PAGE, PROT_READ, MAP_SHARED, mfd, 0);
	close(mfd);
	ASSERT_NE(MAP_FAILED, shared);
	EXPECT_EQ(-EOPNOTSUPP, set_slot(self->g.vm_fd, 1, SLOT1_GPA, shared,
					4 * PAGE));
	munmap(shared, 4 * PAGE);

	/* the same file MAP_PRIVATE: copy-on-write, fine */
	priv = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		    self->fd, 0);
	ASSERT_NE(MAP_FAILED, priv);
	EXPECT_EQ(0, set_slot(self->g.vm_fd, 1, SLOT1_GPA, priv, 4 * PAGE));
	EXPECT_EQ(0, mhv_delete_memory_region(self->g.vm_fd, 1));
	munmap(priv, 4 * PAGE);

	/* memfd and shared anonymous memory are shmem: fine */
	mfd = memfd_create("mhv-guest", 0);
	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, ftruncate(mfd, 4 * PAGE));
	memfd_map = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 mfd, 0);
	close(mfd);
	ASSERT_NE(MAP_FAILED, memfd_map);
	EXPECT_EQ(0, set_slot(self->g.vm_fd, 1, SLOT1_GPA, memfd_map, 4 * PAGE));
	EXPECT_EQ(0, mhv_delete_memory_region(self->g.vm_fd, 1));
	munmap(memfd_map, 4 * PAGE);
	shanon = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shanon);
	EXPECT_EQ(0, set_slot(self->g.vm_fd, 1, SLOT1_GPA, shanon, 4 * PAGE));
	munmap(shanon, 4 * PAGE);
}

static void guest_two_pages(uint64_t arg)
{
	*(volatile uint64_t *)SLOT1_GPA = 1;
	GUEST_SYNC(0);
	*(volatile uint64_t *)(SLOT1_GPA + PAGE) = 2;
	GUEST_SYNC(1);
	GUEST_DONE();
}

/* The slot was fine when set; its second page is replaced afterwards. */
TEST_F(ramfs, mapping_replaced_after_set_refused_at_fault)
{
	struct mhv_vm_info info;
	struct mhv_ucall uc;
	uint8_t *mem;

	ASSERT_EQ(0, mhv_guest_create(&self->g, "slot-fault", 1, 64,
				      guest_two_pages, 0));
	mem = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, set_slot(self->g.vm_fd, 1, SLOT1_GPA, mem, 2 * PAGE));
	EXPECT_UCALL(&self->g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(1, *(uint64_t *)mem);

	ASSERT_EQ(mem + PAGE, mmap(mem + PAGE, PAGE, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_FIXED, self->fd, 0));
	EXPECT_EQ(-EOPNOTSUPP, mhv_guest_run(&self->g, 0, &uc));
	ASSERT_EQ(0, mhv_get_vm_info(self->g.vm_fd, &info));
	EXPECT_NE(MHV_VM_ERROR, info.state);
	EXPECT_EQ(0, info.error);

	/* anonymous memory again: the same access completes */
	ASSERT_EQ(mem + PAGE, mmap(mem + PAGE, PAGE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				   -1, 0));
	EXPECT_UCALL(&self->g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(1, uc.args[0]);
	EXPECT_EQ(2, *(uint64_t *)(mem + PAGE));
	EXPECT_UCALL(&self->g, 0, &uc, MHV_UCALL_DONE);
	munmap(mem, 2 * PAGE);
}

/* /dev/mem's first page (allowed even with STRICT_DEVMEM): VM_IO|PFNMAP */
TEST(io_mapping_refused)
{
	struct mhv_guest g;
	void *io;
	int fd;

	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0)
		SKIP(return, "no /dev/mem in this kernel");
	io = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (io == MAP_FAILED)
		SKIP(return, "/dev/mem cannot be mapped here");
	ASSERT_EQ(0, mhv_guest_create(&g, "slot-io", 1, 64, guest_nothing, 0));
	EXPECT_EQ(-EOPNOTSUPP, set_slot(g.vm_fd, 1, SLOT1_GPA, io, PAGE));
	mhv_guest_destroy(&g);
	munmap(io, PAGE);
}

/* "address sizes : 40 bits physical, ..." of the first CPU */
static int phys_bits(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];
	int bits = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "address sizes : %d bits physical", &bits) == 1)
			break;
	fclose(f);
	return bits;
}

TEST(gpa_beyond_second_level_tables_refused)
{
	struct mhv_caps caps;
	struct mhv_guest g;
	uint64_t max, tables;
	uint8_t *mem;
	int bits = phys_bits();

	ASSERT_LT(0, bits);
	ASSERT_EQ(0, mhv_guest_create(&g, "slot-gpa", 1, 64, guest_nothing, 0));
	ASSERT_EQ(0, mhv_get_caps(g.sys_fd, &caps));
	/* each level of tables resolves 9 bits above the 12 of a page */
	tables = 1ULL << (12 + 9 * caps.npt_levels);
	max = 1ULL << bits;
	if (tables < max)
		max = tables;
	TH_LOG("%d physical address bits, %u levels: guest-physical below 0x%llx",
	       bits, caps.npt_levels, (unsigned long long)max);
	mem = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);

	EXPECT_EQ(0, set_slot(g.vm_fd, 1, max - PAGE, mem, PAGE));
	EXPECT_EQ(0, mhv_delete_memory_region(g.vm_fd, 1));
	EXPECT_EQ(-EINVAL, set_slot(g.vm_fd, 1, max, mem, PAGE));
	EXPECT_EQ(-EINVAL, set_slot(g.vm_fd, 1, max - PAGE, mem, 2 * PAGE));
	EXPECT_EQ(-EINVAL, set_slot(g.vm_fd, 1, tables, mem, PAGE));
	mhv_guest_destroy(&g);
	munmap(mem, 2 * PAGE);
}

TEST_HARNESS_MAIN
