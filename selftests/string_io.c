// SPDX-License-Identifier: GPL-2.0
/*
 * String port I/O: outsb/outsw/insb/insl with and without REP, forwards
 * and backwards (DF), and counts larger than one exit can carry.
 */
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"

static char out_buf[8192];
static char in_buf[8192];

static void guest_outs(uint64_t n)
{
	const char *p = out_buf;
	uint64_t cnt = n;

	__asm__ volatile("cld\n\trep outsb"
			 : "+S"(p), "+c"(cnt) : "d"(0x3f8) : "memory");
	GUEST_ASSERT_EQ(cnt, 0);
	GUEST_ASSERT_EQ(p - out_buf, n);
	GUEST_DONE();
}

TEST(rep_outsb_in_chunks)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_run *run;
	char got[8192];
	size_t total = 0;
	int i;

	for (i = 0; i < (int)sizeof(out_buf); i++)
		out_buf[i] = 'a' + i % 26;
	ASSERT_EQ(0, mhv_guest_create(&g, "outs", 1, 64, guest_outs, 5000));
	ASSERT_EQ(0, mhv_guest_sync_global(&g, out_buf, sizeof(out_buf)));
	run = g.vcpu[0].run;
	while (total < 5000) {
		ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
		ASSERT_EQ(MHV_EXIT_IO, run->exit_reason);
		ASSERT_EQ(MHV_IO_OUT, run->io.direction);
		ASSERT_EQ(0x3f8, run->io.port);
		ASSERT_EQ(1, run->io.size);
		ASSERT_LE(run->io.count, MHV_RUN_IO_DATA_MAX);
		ASSERT_GT(run->io.count, 0);
		memcpy(got + total, (char *)run + run->io.data_offset,
		       run->io.count);
		total += run->io.count;
	}
	EXPECT_EQ(5000, total);
	EXPECT_EQ(0, memcmp(got, out_buf, 5000));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

static void guest_outsw_single(uint64_t arg)
{
	static const uint16_t words[2] = { 0x1234, 0x5678 };
	const uint16_t *p = words;

	__asm__ volatile("cld\n\toutsw\n\toutsw" : "+S"(p) : "d"(0x100) : "memory");
	GUEST_ASSERT_EQ((uint64_t)(p - words), 2);
	GUEST_DONE();
}

TEST(outsw_without_rep)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_run *run;

	ASSERT_EQ(0, mhv_guest_create(&g, "outsw", 1, 64, guest_outsw_single, 0));
	run = g.vcpu[0].run;
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_IO, run->exit_reason);
	EXPECT_EQ(2, run->io.size);
	EXPECT_EQ(1, run->io.count);
	EXPECT_EQ(0x1234, *(uint16_t *)((char *)run + run->io.data_offset));
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	EXPECT_EQ(0x5678, *(uint16_t *)((char *)run + run->io.data_offset));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

static void guest_ins(uint64_t n)
{
	char *p = in_buf;
	uint64_t cnt = n;
	uint64_t i;

	__asm__ volatile("cld\n\trep insb"
			 : "+D"(p), "+c"(cnt) : "d"(0x60) : "memory");
	GUEST_ASSERT_EQ(cnt, 0);
	for (i = 0; i < n; i++)
		GUEST_ASSERT_EQ((uint8_t)in_buf[i], (uint8_t)(i * 7));
	GUEST_DONE();
}

TEST(rep_insb_in_chunks)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_run *run;
	size_t total = 0, i;

	ASSERT_EQ(0, mhv_guest_create(&g, "ins", 1, 64, guest_ins, 3000));
	run = g.vcpu[0].run;
	for (;;) {
		int r = mhv_guest_run(&g, 0, &uc);

		if (r == MHV_UCALL_DONE)
			break;
		ASSERT_EQ(0, r) TH_LOG("ucall %d: %s at line %lu", r,
				       uc.expr ? uc.expr : "", (unsigned long)uc.line);
		ASSERT_EQ(MHV_EXIT_IO, run->exit_reason);
		ASSERT_EQ(MHV_IO_IN, run->io.direction);
		ASSERT_EQ(0x60, run->io.port);
		for (i = 0; i < run->io.count; i++)
			((uint8_t *)run + run->io.data_offset)[i] =
				(uint8_t)((total + i) * 7);
		total += run->io.count;
		ASSERT_LE(total, 3000);
	}
	EXPECT_EQ(3000, total);
	mhv_guest_destroy(&g);
}

static void guest_insl_backwards(uint64_t arg)
{
	static uint32_t dst[4];
	uint32_t *p = &dst[3];
	uint64_t cnt = 4;

	__asm__ volatile("std\n\trep insl\n\tcld"
			 : "+D"(p), "+c"(cnt) : "d"(0x70) : "memory");
	GUEST_ASSERT_EQ(dst[3], 0x100);
	GUEST_ASSERT_EQ(dst[2], 0x101);
	GUEST_ASSERT_EQ(dst[1], 0x102);
	GUEST_ASSERT_EQ(dst[0], 0x103);
	GUEST_ASSERT_EQ((uint64_t)(p + 1), (uint64_t)dst);
	GUEST_DONE();
}

TEST(rep_insl_with_direction_flag)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_run *run;
	uint32_t *data;

	ASSERT_EQ(0, mhv_guest_create(&g, "insl-std", 1, 64,
				      guest_insl_backwards, 0));
	run = g.vcpu[0].run;
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_IO, run->exit_reason);
	ASSERT_EQ(4, run->io.size);
	ASSERT_EQ(4, run->io.count);
	data = (uint32_t *)((char *)run + run->io.data_offset);
	data[0] = 0x100;
	data[1] = 0x101;
	data[2] = 0x102;
	data[3] = 0x103;
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

static void guest_ins_16(uint64_t arg)
{
	char *p = in_buf;
	uint64_t cnt = 16;

	__asm__ volatile("cld\n\trep insb"
			 : "+D"(p), "+c"(cnt) : "d"(0x60) : "memory");
	GUEST_DONE();
}

/*
 * The count of an ins exit is the module's, not userspace's to change: a
 * different run->io.count on the next RUN stops the VM with an internal
 * error, and the guest's buffer and registers stay as they were.
 */
TEST(ins_count_changed_by_userspace)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_regs before, after;
	struct mhv_vm_info info;
	struct mhv_run *run;
	char *buf;
	int i;

	ASSERT_EQ(0, mhv_guest_create(&g, "ins-count", 1, 64, guest_ins_16, 0));
	run = g.vcpu[0].run;
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_IO);
	ASSERT_EQ(MHV_IO_IN, run->io.direction);
	ASSERT_EQ(16, run->io.count);
	ASSERT_EQ(0, mhv_get_regs(g.vcpu[0].fd, &before));
	memset((char *)run + run->io.data_offset, 0x5a, 16);
	run->io.count = 8;
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_INTERNAL_ERROR);
	EXPECT_EQ(MHV_ERR_INTERNAL, run->fail.reason);
	ASSERT_EQ(0, mhv_get_vm_info(g.vm_fd, &info));
	EXPECT_EQ(MHV_VM_ERROR, info.state);
	EXPECT_EQ(MHV_ERR_INTERNAL, info.error);
	ASSERT_EQ(0, mhv_get_regs(g.vcpu[0].fd, &after));
	EXPECT_EQ(before.rdi, after.rdi);
	EXPECT_EQ(before.rcx, after.rcx);
	EXPECT_EQ(before.rip, after.rip);
	buf = mhv_guest_ptr(&g, (uintptr_t)in_buf);
	for (i = 0; i < 16; i++)
		EXPECT_EQ(0, buf[i]) TH_LOG("byte %d written", i);
	EXPECT_EQ(-EIO, mhv_run(g.vcpu[0].fd));
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
