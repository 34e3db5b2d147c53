// SPDX-License-Identifier: GPL-2.0
/*
 * MHV_CREATE_VM and MHV_CREATE_VCPU refuse bad input with a clear errno,
 * and ioctls sent to the wrong kind of fd are -ENOTTY.
 */
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "test_util.h"

FIXTURE(sys) {
	int fd;
	struct mhv_caps caps;
	struct mhv_vm_config c;
};

FIXTURE_SETUP(sys)
{
	self->fd = mhv_open_system();
	ASSERT_GE(self->fd, 0);
	ASSERT_EQ(0, ioctl(self->fd, MHV_GET_CAPS, &self->caps));
	memset(&self->c, 0, sizeof(self->c));
	strcpy(self->c.name, "config-test");
	self->c.vcpu_count = 1;
	self->c.memory_mb = 16;
	self->c.arch = MHV_ARCH_X86_64;
}

FIXTURE_TEARDOWN(sys)
{
	close(self->fd);
}

static int create_errno(int fd, struct mhv_vm_config *c)
{
	int vm = ioctl(fd, MHV_CREATE_VM, c);

	if (vm >= 0) {
		close(vm);
		return 0;
	}
	return errno;
}

TEST_F(sys, good_config)
{
	int vm = ioctl(self->fd, MHV_CREATE_VM, &self->c);

	ASSERT_GE(vm, 0);
	close(vm);
	self->c.vcpu_count = self->caps.max_vcpus;
	self->c.memory_mb = self->caps.max_mem_mb;
	self->c.features = MHV_VM_F_ALL;
	EXPECT_EQ(0, create_errno(self->fd, &self->c));
}

TEST_F(sys, name_tail_is_not_kept)
{
	struct mhv_vm_info info;
	int vm;

	memset(self->c.name, 'z', sizeof(self->c.name));
	strcpy(self->c.name, "tail");	/* 'z's after the NUL */
	vm = ioctl(self->fd, MHV_CREATE_VM, &self->c);
	ASSERT_GE(vm, 0);
	ASSERT_EQ(0, ioctl(vm, MHV_GET_VM_INFO, &info));
	EXPECT_STREQ("tail", info.name);
	EXPECT_EQ(0, info.name[sizeof(info.name) - 1]);
	EXPECT_EQ(0, info.name[5]);
	close(vm);
}

TEST_F(sys, bad_configs)
{
	struct mhv_vm_config c;

	c = self->c;
	c.vcpu_count = 0;
	EXPECT_EQ(EINVAL, create_errno(self->fd, &c));
	c = self->c;
	c.vcpu_count = self->caps.max_vcpus + 1;
	EXPECT_EQ(E2BIG, create_errno(self->fd, &c));
	c = self->c;
	c.memory_mb = 0;
	EXPECT_EQ(EINVAL, create_errno(self->fd, &c));
	c = self->c;
	c.memory_mb = self->caps.max_mem_mb + 1;
	EXPECT_EQ(E2BIG, create_errno(self->fd, &c));
	c = self->c;
	c.features = 1U << 20;
	EXPECT_EQ(EINVAL, create_errno(self->fd, &c));
	c = self->c;
	c.arch = 7;
	EXPECT_EQ(EINVAL, create_errno(self->fd, &c));
	c = self->c;
	c.reserved[3] = 1;
	EXPECT_EQ(EINVAL, create_errno(self->fd, &c));
	c = self->c;
	c.name[0] = 0;
	EXPECT_EQ(EINVAL, create_errno(self->fd, &c));
	c = self->c;
	memset(c.name, 'x', sizeof(c.name));	/* not terminated */
	EXPECT_EQ(EINVAL, create_errno(self->fd, &c));
	c = self->c;
	c.name[2] = '\n';
	EXPECT_EQ(EINVAL, create_errno(self->fd, &c));
	EXPECT_EQ(-1, ioctl(self->fd, MHV_CREATE_VM, NULL));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(sys, vcpu_ids)
{
	int vm, v0, v1;

	self->c.vcpu_count = 2;
	vm = ioctl(self->fd, MHV_CREATE_VM, &self->c);
	ASSERT_GE(vm, 0);
	v0 = ioctl(vm, MHV_CREATE_VCPU, 0);
	ASSERT_GE(v0, 0);
	EXPECT_EQ(-1, ioctl(vm, MHV_CREATE_VCPU, 0));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, ioctl(vm, MHV_CREATE_VCPU, 2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(vm, MHV_CREATE_VCPU, -1UL));
	EXPECT_EQ(EINVAL, errno);
	v1 = ioctl(vm, MHV_CREATE_VCPU, 1);
	ASSERT_GE(v1, 0);
	close(v0);
	close(v1);
	close(vm);
}

TEST_F(sys, ioctls_on_the_wrong_fd)
{
	struct mhv_regs regs;
	struct mhv_vm_info info;
	int vm, vcpu;

	vm = ioctl(self->fd, MHV_CREATE_VM, &self->c);
	ASSERT_GE(vm, 0);
	vcpu = ioctl(vm, MHV_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	EXPECT_EQ(-1, ioctl(self->fd, MHV_GET_VM_INFO, &info));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, MHV_RUN, 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(vm, MHV_GET_REGS, &regs));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(vm, MHV_GET_CAPS, &self->caps));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(vcpu, MHV_GET_VM_INFO, &info));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(vcpu, MHV_CREATE_VCPU, 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(vcpu, MHV_GET_REGS, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(vcpu, MHV_SET_REGS, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(vcpu, MHV_RUN, 1));
	EXPECT_EQ(EINVAL, errno);
	close(vcpu);
	close(vm);
}

TEST_F(sys, run_page_mmap_rules)
{
	int vm, vcpu;
	void *p;

	EXPECT_EQ(4096, ioctl(self->fd, MHV_GET_RUN_SIZE, 0));
	vm = ioctl(self->fd, MHV_CREATE_VM, &self->c);
	ASSERT_GE(vm, 0);
	vcpu = ioctl(vm, MHV_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 8192, PROT_READ, MAP_SHARED, vcpu, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, vcpu, 4096));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, vm, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, vcpu, 0));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	ASSERT_NE(MAP_FAILED, p);
	munmap(p, 4096);
}

/*
 * A mapping of the run page holds a reference to the vCPU file: closing
 * the vCPU and VM fds frees neither the vCPU nor the VM (nor drops the
 * module reference the file holds) until munmap; meanwhile the page still
 * shows what the module wrote last.
 */
TEST_F(sys, run_page_mapping_outlives_the_fds)
{
	int before = module_refcnt(), vm, vcpu;
	struct mhv_run *run;

	ASSERT_GE(before, 0) TH_LOG("cannot read the module's refcount");
	vm = mhv_create_vm(self->fd, &self->c);
	ASSERT_GE(vm, 0);
	vcpu = mhv_create_vcpu(vm, 0);
	ASSERT_GE(vcpu, 0);
	ASSERT_EQ(0, mhv_map_run(vcpu, &run));
	run->immediate_exit = 1;
	ASSERT_EQ(-EINTR, mhv_run(vcpu));	/* the module writes the page */
	ASSERT_EQ(MHV_EXIT_INTR, run->exit_reason);
	EXPECT_LT(before, module_refcnt());
	close(vcpu);
	close(vm);
	/* the mapping's file reference keeps the vCPU file, so the module */
	EXPECT_LT(before, module_refcnt());
	EXPECT_EQ(MHV_EXIT_INTR, run->exit_reason);
	EXPECT_EQ(1, run->immediate_exit);
	run->immediate_exit = 0;		/* and it is still writable */
	EXPECT_EQ(0, run->immediate_exit);
	ASSERT_EQ(0, mhv_unmap_run(run));
	/* the last reference: vCPU file released, VM freed */
	EXPECT_EQ(before, module_refcnt());
}

TEST_F(sys, bad_regs_and_sregs)
{
	struct mhv_regs regs;
	struct mhv_sregs s;
	int vm, vcpu;

	vm = ioctl(self->fd, MHV_CREATE_VM, &self->c);
	ASSERT_GE(vm, 0);
	vcpu = ioctl(vm, MHV_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 1ULL << 40;
	EXPECT_EQ(-1, ioctl(vcpu, MHV_SET_REGS, &regs));
	EXPECT_EQ(EINVAL, errno);
	regs.rflags = 2;
	regs.reserved[0] = 1;
	EXPECT_EQ(-1, ioctl(vcpu, MHV_SET_REGS, &regs));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, ioctl(vcpu, MHV_GET_SREGS, &s));
	s.reserved[7] = 1;
	EXPECT_EQ(-1, ioctl(vcpu, MHV_SET_SREGS, &s));
	EXPECT_EQ(EINVAL, errno);
	s.reserved[7] = 0;
	s.cr8 = 16;
	EXPECT_EQ(-1, ioctl(vcpu, MHV_SET_SREGS, &s));
	EXPECT_EQ(EINVAL, errno);
	close(vcpu);
	close(vm);
}

TEST_HARNESS_MAIN
