// SPDX-License-Identifier: GPL-2.0
/*
 * A real-mode guest (the state after x86 RESET, CS:IP = F000:FFF0 aliased
 * to our code) runs 16-bit code: port output, a memory write, HLT; and a
 * 32-bit protected-mode guest without paging does the same.
 */
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "test_util.h"

/* 16-bit code at 0x1000 */
static const unsigned char real_code[] = {
	0xb8, 0x00, 0x00,	/* mov ax, 0 */
	0x8e, 0xd8,		/* mov ds, ax */
	0xba, 0xf8, 0x03,	/* mov dx, 0x3f8 */
	0xb0, 'R',		/* mov al, 'R' */
	0xee,			/* out dx, al */
	0xc7, 0x06, 0x00, 0x20, 0x34, 0x12, /* mov word [0x2000], 0x1234 */
	0xf4,			/* hlt */
};

FIXTURE(rm) {
	int sys, vm, vcpu;
	unsigned char *mem;
	struct mhv_run *run;
};

FIXTURE_SETUP(rm)
{
	struct mhv_vm_config c = { .name = "real-mode", .vcpu_count = 1,
				   .memory_mb = 1, .arch = MHV_ARCH_X86_64 };
	struct mhv_memory_region r = { .slot = 0, .size = 0x10000 };

	self->sys = mhv_open_system();
	ASSERT_GE(self->sys, 0);
	self->vm = ioctl(self->sys, MHV_CREATE_VM, &c);
	ASSERT_GE(self->vm, 0);
	self->mem = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
	memcpy(self->mem + 0x1000, real_code, sizeof(real_code));
	r.userspace_addr = (unsigned long)self->mem;
	ASSERT_EQ(0, ioctl(self->vm, MHV_SET_MEMORY_REGION, &r));
	self->vcpu = ioctl(self->vm, MHV_CREATE_VCPU, 0);
	ASSERT_GE(self->vcpu, 0);
	self->run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->vcpu, 0);
	ASSERT_NE(MAP_FAILED, self->run);
}

FIXTURE_TEARDOWN(rm)
{
	munmap(self->run, 4096);
	munmap(self->mem, 0x10000);
	close(self->vcpu);
	close(self->vm);
	close(self->sys);
}

TEST_F(rm, reset_state_is_real_mode)
{
	struct mhv_sregs s;
	struct mhv_regs r;

	ASSERT_EQ(0, ioctl(self->vcpu, MHV_GET_SREGS, &s));
	ASSERT_EQ(0, ioctl(self->vcpu, MHV_GET_REGS, &r));
	EXPECT_EQ(0, s.cr0 & 1);		/* PE clear */
	EXPECT_EQ(0xf000, s.cs.selector);
	EXPECT_EQ(0xffff0000ULL, s.cs.base);
	EXPECT_EQ(0xfff0, r.rip);
	EXPECT_EQ(0, s.efer);			/* SVME is hidden */
}

TEST_F(rm, runs_16bit_code)
{
	struct mhv_sregs s;
	struct mhv_regs r;

	ASSERT_EQ(0, ioctl(self->vcpu, MHV_GET_SREGS, &s));
	s.cs.selector = 0;
	s.cs.base = 0;
	ASSERT_EQ(0, ioctl(self->vcpu, MHV_SET_SREGS, &s));
	memset(&r, 0, sizeof(r));
	r.rip = 0x1000;
	r.rflags = 2;
	ASSERT_EQ(0, ioctl(self->vcpu, MHV_SET_REGS, &r));

	ASSERT_EQ(0, ioctl(self->vcpu, MHV_RUN, 0));
	ASSERT_EQ(MHV_EXIT_IO, self->run->exit_reason);
	EXPECT_EQ(0x3f8, self->run->io.port);
	EXPECT_EQ(MHV_IO_OUT, self->run->io.direction);
	EXPECT_EQ(1, self->run->io.size);
	EXPECT_EQ('R', ((char *)self->run)[self->run->io.data_offset]);

	ASSERT_EQ(0, ioctl(self->vcpu, MHV_RUN, 0));
	ASSERT_EQ(MHV_EXIT_HLT, self->run->exit_reason);
	EXPECT_EQ(0x1234, *(unsigned short *)(self->mem + 0x2000));
	ASSERT_EQ(0, ioctl(self->vcpu, MHV_GET_REGS, &r));
	EXPECT_EQ(0x1000 + sizeof(real_code), r.rip);
}

/* 32-bit code at 0x3000: out 0x3f8 'P'; movl $0x12345678, [0x2000]; hlt */
static const unsigned char pm_code[] = {
	0x66, 0xba, 0xf8, 0x03,			/* mov dx, 0x3f8 */
	0xb0, 'P',				/* mov al, 'P' */
	0xee,					/* out dx, al */
	0xc7, 0x05, 0x00, 0x20, 0x00, 0x00,	/* mov dword [0x2000], */
	0x78, 0x56, 0x34, 0x12,			/*     0x12345678 */
	0xf4,					/* hlt */
};

static void flat_seg(struct mhv_segment *seg, __u16 sel, __u8 type)
{
	memset(seg, 0, sizeof(*seg));
	seg->selector = sel;
	seg->limit = 0xffffffff;
	seg->type = type;
	seg->s = 1;
	seg->present = 1;
	seg->db = 1;
	seg->g = 1;
}

TEST_F(rm, protected_mode_32bit)
{
	struct mhv_sregs s;
	struct mhv_regs r;

	memcpy(self->mem + 0x3000, pm_code, sizeof(pm_code));
	ASSERT_EQ(0, ioctl(self->vcpu, MHV_GET_SREGS, &s));
	flat_seg(&s.cs, 0x08, 0xb);
	flat_seg(&s.ds, 0x10, 0x3);
	s.es = s.ds;
	s.ss = s.ds;
	s.fs = s.ds;
	s.gs = s.ds;
	s.cr0 = 0x11;		/* PE | ET, no paging */
	ASSERT_EQ(0, ioctl(self->vcpu, MHV_SET_SREGS, &s));
	memset(&r, 0, sizeof(r));
	r.rip = 0x3000;
	r.rflags = 2;
	r.rsp = 0x8000;
	ASSERT_EQ(0, ioctl(self->vcpu, MHV_SET_REGS, &r));

	ASSERT_EQ(0, ioctl(self->vcpu, MHV_RUN, 0));
	ASSERT_EQ(MHV_EXIT_IO, self->run->exit_reason);
	EXPECT_EQ(0x3f8, self->run->io.port);
	EXPECT_EQ('P', ((char *)self->run)[self->run->io.data_offset]);
	ASSERT_EQ(0, ioctl(self->vcpu, MHV_RUN, 0));
	ASSERT_EQ(MHV_EXIT_HLT, self->run->exit_reason);
	EXPECT_EQ(0x12345678, *(unsigned int *)(self->mem + 0x2000));
	ASSERT_EQ(0, ioctl(self->vcpu, MHV_GET_SREGS, &s));
	EXPECT_EQ(1, s.cr0 & 1);
	EXPECT_EQ(1, s.cs.db);
}

TEST_HARNESS_MAIN
