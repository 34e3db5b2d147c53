// SPDX-License-Identifier: GPL-2.0
/*
 * Memory slots: a read-only slot is readable and its writes become MMIO
 * exits; deleting a slot unmaps it (the guest's next access is MMIO);
 * slot changes are refused while a vCPU runs.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define EXTRA		0x10000000ULL
#define EXTRA_SIZE	0x100000ULL

static void guest_ro(uint64_t arg)
{
	volatile uint32_t *p = (volatile uint32_t *)EXTRA;

	GUEST_ASSERT_EQ(p[0], 0xcafe0001);
	GUEST_ASSERT_EQ(p[1024], 0xcafe0002);
	p[1] = 0x5555;		/* read-only: an MMIO exit */
	GUEST_DONE();
}

static int add_slot(struct mhv_guest *g, uint32_t slot, uint64_t gpa,
		    void *mem, uint64_t size, uint32_t flags)
{
	struct mhv_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.size = size, .userspace_addr = (uintptr_t)mem,
	};

	return ioctl(g->vm_fd, MHV_SET_MEMORY_REGION, &r) ? -errno : 0;
}

TEST(read_only_slot)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint32_t *mem;
	struct mhv_run *run;

	mem = mmap(NULL, EXTRA_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	mem[0] = 0xcafe0001;
	mem[1024] = 0xcafe0002;
	ASSERT_EQ(0, mhv_guest_create(&g, "ro", 1, 64, guest_ro, 0));
	ASSERT_EQ(0, add_slot(&g, 1, EXTRA, mem, EXTRA_SIZE, MHV_MEM_READONLY));
	run = g.vcpu[0].run;
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_MMIO, run->exit_reason)
		TH_LOG("exit %s", mhv_exit_reason_name(run->exit_reason));
	EXPECT_EQ(EXTRA + 4, run->mmio.phys_addr);
	EXPECT_EQ(1, run->mmio.is_write);
	EXPECT_EQ(4, run->mmio.len);
	EXPECT_EQ(0x5555, *(uint32_t *)run->mmio.data);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(0, mem[1]) TH_LOG("read-only memory was written");
	mhv_guest_destroy(&g);
	munmap(mem, EXTRA_SIZE);
}

static void guest_delete(uint64_t arg)
{
	volatile uint64_t *p = (volatile uint64_t *)EXTRA;

	*p = 0x77;
	GUEST_SYNC(*p);
	GUEST_SYNC(*p);		/* slot deleted: this read is MMIO */
	GUEST_DONE();
}

TEST(delete_slot_unmaps)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_vm_info before, after;
	struct mhv_translate tr = { .gpa = EXTRA };
	uint64_t *mem;
	struct mhv_run *run;

	mem = mmap(NULL, EXTRA_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, mhv_guest_create(&g, "delete", 1, 64, guest_delete, 0));
	ASSERT_EQ(0, add_slot(&g, 2, EXTRA, mem, EXTRA_SIZE, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(0x77, uc.args[0]);
	EXPECT_EQ(0x77, mem[0]);
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_TRANSLATE, &tr));
	EXPECT_EQ(4096, tr.page_size);
	EXPECT_EQ(2, tr.slot);
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_GET_VM_INFO, &before));

	ASSERT_EQ(0, add_slot(&g, 2, 0, NULL, 0, 0));	/* delete */
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_GET_VM_INFO, &after));
	EXPECT_EQ(before.memory_used - 4096, after.memory_used);
	EXPECT_EQ(before.memory_allocated - EXTRA_SIZE, after.memory_allocated);
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_TRANSLATE, &tr));
	EXPECT_EQ(0, tr.page_size);
	EXPECT_EQ(~0U, tr.slot);
	EXPECT_EQ(-ENOENT, add_slot(&g, 2, 0, NULL, 0, 0));

	run = g.vcpu[0].run;
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_MMIO, run->exit_reason);
	EXPECT_EQ(EXTRA, run->mmio.phys_addr);
	EXPECT_EQ(0, run->mmio.is_write);
	*(uint64_t *)run->mmio.data = 0x99;
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(0x99, uc.args[0]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
	munmap(mem, EXTRA_SIZE);
}

TEST(bad_regions)
{
	struct mhv_guest g;
	uint8_t *mem;
	struct mhv_memory_region r;

	mem = mmap(NULL, 2 * EXTRA_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, mhv_guest_create(&g, "bad-regions", 1, 64, guest_ro, 0));
	/* misaligned address, size, user address */
	EXPECT_EQ(-EINVAL, add_slot(&g, 3, EXTRA + 1, mem, EXTRA_SIZE, 0));
	EXPECT_EQ(-EINVAL, add_slot(&g, 3, EXTRA, mem, EXTRA_SIZE - 1, 0));
	EXPECT_EQ(-EINVAL, add_slot(&g, 3, EXTRA, mem + 1, EXTRA_SIZE, 0));
	/* overlaps slot 0, or an existing slot */
	EXPECT_EQ(-EEXIST, add_slot(&g, 3, 0x100000, mem, EXTRA_SIZE, 0));
	EXPECT_EQ(0, add_slot(&g, 3, EXTRA, mem, EXTRA_SIZE, 0));
	EXPECT_EQ(-EEXIST, add_slot(&g, 4, EXTRA + 0x1000, mem, 0x1000, 0));
	EXPECT_EQ(-EEXIST, add_slot(&g, 3, EXTRA * 2, mem, 0x1000, 0));
	/* over the VM's memory limit */
	EXPECT_EQ(-ENOSPC, add_slot(&g, 5, 0x40000000, mem, 128ULL << 20, 0));
	/* bad slot number, flags, reserved, kernel or wrapping address */
	EXPECT_EQ(-EINVAL, add_slot(&g, MHV_MAX_MEM_SLOTS, EXTRA * 2, mem,
				    0x1000, 0));
	EXPECT_EQ(-EINVAL, add_slot(&g, 6, EXTRA * 2, mem, 0x1000, 0x80));
	EXPECT_EQ(-EFAULT, add_slot(&g, 6, EXTRA * 2,
				    (void *)0xffff888000000000ULL, 0x1000, 0));
	EXPECT_EQ(-EINVAL, add_slot(&g, 6, 1ULL << 60, mem, 0x1000, 0));
	memset(&r, 0, sizeof(r));
	r.slot = 6;
	r.size = 0x1000;
	r.guest_phys_addr = EXTRA * 2;
	r.userspace_addr = (uintptr_t)mem;
	r.reserved[1] = 1;
	EXPECT_EQ(-1, ioctl(g.vm_fd, MHV_SET_MEMORY_REGION, &r));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(g.vm_fd, MHV_SET_MEMORY_REGION, NULL));
	EXPECT_EQ(EFAULT, errno);
	mhv_guest_destroy(&g);
	munmap(mem, 2 * EXTRA_SIZE);
}

static volatile uint64_t spins;	/* the guest counts here while it runs */

static void guest_count(uint64_t arg)
{
	for (;;)
		spins++;
}

struct runner {
	struct mhv_guest *g;
	int ret;
};

static void *run_thread(void *arg)
{
	struct runner *r = arg;

	r->ret = mhv_run(r->g->vcpu[0].fd);
	return NULL;
}

TEST(slot_change_while_running_is_ebusy)
{
	struct mhv_guest g;
	struct runner r;
	pthread_t t;
	uint8_t *mem;

	mem = mmap(NULL, EXTRA_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, mhv_guest_create(&g, "busy", 1, 64, guest_count, 0));
	r.g = &g;
	ASSERT_EQ(0, pthread_create(&t, NULL, run_thread, &r));
	/* the guest counts: its vCPU is inside RUN */
	ASSERT_EQ(0, guest_wait_change(&g, &spins, 0, 10));
	EXPECT_EQ(-EBUSY, add_slot(&g, 7, EXTRA, mem, EXTRA_SIZE, 0));
	EXPECT_EQ(-EBUSY, add_slot(&g, 0, 0, NULL, 0, 0));	/* delete */
	ASSERT_EQ(0, mhv_stop_vm(g.vm_fd, MHV_STOP_FORCE));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(0, r.ret);
	EXPECT_EQ(MHV_EXIT_STOPPED, g.vcpu[0].run->exit_reason);
	/* stopped, nothing runs: the change is taken */
	EXPECT_EQ(0, add_slot(&g, 7, EXTRA, mem, EXTRA_SIZE, 0));
	mhv_guest_destroy(&g);
	munmap(mem, EXTRA_SIZE);
}

TEST_HARNESS_MAIN
