// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 8, item 8: the host's LDT and segment selectors survive a run.
 * A VM exit on VT-x loads LDTR with 0 and GS with the selector of the
 * VMCS host area, which cannot hold an LDT selector; the module must
 * put the process's LDT and its GS selector back before the process
 * runs again (AMD-V's VMSAVE/VMLOAD keep them by themselves). The VMM
 * process here has an LDT (modify_ldt) with a data segment and GS
 * loaded with its selector; after RUN, GS still holds that selector and
 * reads the segment's memory. (FS is glibc's TLS: left alone.)
 */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define LDT_SEL		((0 << 3) | 4 | 3)	/* LDT entry 0, RPL 3 */
#define MARKER		0x5e6e5e6e5e6e5e6eULL

static uint64_t segment_data[8] __attribute__((aligned(4096))) = { MARKER };

static void guest_exits(uint64_t arg)
{
	uint32_t a, b, c, d;
	int i;

	for (i = 0; i < 16; i++)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(0), "c"(0));
	GUEST_SYNC(a);
	GUEST_DONE();
}

TEST(ldt_and_gs_survive_run)
{
	struct user_desc d = {
		.entry_number = 0,
		.base_addr = (unsigned int)(uintptr_t)segment_data,
		.limit = sizeof(segment_data) - 1,
		.seg_32bit = 1,
		.useable = 1,
	};
	uint16_t sel = LDT_SEL, now = 0;
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t val = 0;

	/* a static, non-PIE binary: the data is below 4 GiB */
	ASSERT_EQ((uintptr_t)segment_data, d.base_addr);
	ASSERT_EQ(0, syscall(SYS_modify_ldt, 1, &d, sizeof(d)));
	__asm__ volatile("mov %0, %%gs" : : "r"(sel));

	ASSERT_EQ(0, mhv_guest_create(&g, "ldt", 1, 64, guest_exits, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);

	__asm__ volatile("mov %%gs, %0" : "=r"(now));
	EXPECT_EQ(LDT_SEL, now);
	__asm__ volatile("mov %%gs:0, %0" : "=r"(val));
	EXPECT_EQ(MARKER, val);
	__asm__ volatile("mov %0, %%gs" : : "r"((uint16_t)0));
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
