// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 8, items 8 (MSR checks) and 10: MSRs and instructions that reach
 * host state.
 *
 * - RDPMC gets #GP (MHV_STAT_RDPMC): no host counters for the guest.
 * - WBINVD and INVD are skipped (MHV_STAT_CACHE), no host-wide flush.
 * - Non-canonical LSTAR/CSTAR/KERNEL_GS_BASE and SFMASK with bits 63:32
 *   set get #GP; the host stays fine (no oops from a faulting WRMSR).
 */
#include <stdint.h>

#include "kselftest_harness.h"
#include "isol_util.h"

#define IDT_GPA		0x2000000ULL
#define MSR_LSTAR	0xc0000082
#define MSR_CSTAR	0xc0000083
#define MSR_SFMASK	0xc0000084
#define MSR_KGS_BASE	0xc0000102
#define NONCANONICAL	0x8000000000000000ULL	/* for 48 and 57 bits */

static inline uint8_t rdpmc_safe(uint32_t idx)
{
	uint64_t vec;

	__asm__ volatile(ISOL_ASM_SAFE("rdpmc") "movq %%r9, %0"
			 : "=r"(vec) : "c"(idx)
			 : "rax", "rdx", "r9", "r10", "r11", "memory", "cc");
	return vec;
}

static void guest_instructions(uint64_t arg)
{
	GUEST_ASSERT_EQ(rdpmc_safe(0), VEC_GP);
	__asm__ volatile("wbinvd" : : : "memory");
	__asm__ volatile("invd" : : : "memory");
	GUEST_DONE();
}

TEST(rdpmc_gp_wbinvd_invd_skipped)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "cache-pmc", 1, 64,
				      guest_instructions, 0));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_GP, isol_ex_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(1, vcpu_stat(&g, 0, MHV_STAT_RDPMC));
	EXPECT_EQ(2, vcpu_stat(&g, 0, MHV_STAT_CACHE));
	mhv_guest_destroy(&g);
}

static void guest_bad_msrs(uint64_t arg)
{
	static const uint32_t bases[] = { MSR_LSTAR, MSR_CSTAR, MSR_KGS_BASE };
	uint64_t before, after;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		GUEST_ASSERT_EQ(rdmsr_safe(bases[i], &before), ISOL_NO_EX);
		GUEST_ASSERT_EQ(wrmsr_safe(bases[i], NONCANONICAL), VEC_GP);
		GUEST_ASSERT_EQ(rdmsr_safe(bases[i], &after), ISOL_NO_EX);
		GUEST_ASSERT_EQ(after, before);
	}
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_SFMASK, &before), ISOL_NO_EX);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_SFMASK, 1ULL << 32), VEC_GP);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_SFMASK, 0xffffffff00000000ULL), VEC_GP);
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_SFMASK, &after), ISOL_NO_EX);
	GUEST_ASSERT_EQ(after, before);
	/* the good values still go through */
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_SFMASK, 0x47700), ISOL_NO_EX);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_LSTAR, 0xffffffff81000000ULL),
			ISOL_NO_EX);
	GUEST_SYNC(0);
	GUEST_DONE();
}

TEST(bad_syscall_msrs_gp)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	int problems = dmesg_count_problems();

	ASSERT_LE(0, problems);
	ASSERT_EQ(0, mhv_guest_create(&g, "bad-msrs", 1, 64, guest_bad_msrs, 0));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_GP, isol_ex_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	/* and the guest enters again after them */
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
	EXPECT_EQ(problems, dmesg_count_problems());
}

TEST_HARNESS_MAIN
