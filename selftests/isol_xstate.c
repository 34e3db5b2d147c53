// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 8, item 2: the guest never sees the host's extended vector
 * registers.
 *
 * The module switches only the x87/SSE state (FXSAVE/FXRSTOR), so it
 * must not let the guest turn on what would expose more: a guest MOV to
 * CR4 that sets OSXSAVE gets #GP(0), CR4 keeps its value, and the
 * refusal is counted (MHV_STAT_CR_WRITE, MHV_STAT_CR_GP). Before the fix
 * the write went through and VEX instructions read the upper halves of
 * the YMM registers as the host left them.
 *
 * The host parks a marker in the upper half of YMM9 just before RUN, so
 * a leak would show it. The cross-process case (another process parks
 * the marker on the same CPU and yields) is the same hole but cannot be
 * made deterministic from userspace (the VMM would have to be scheduled
 * in while already inside RUN): not tested here; the refused CR4 write
 * closes both.
 *
 * SET_SREGS with CR4.OSXSAVE or CR4.PKE fails with EINVAL.
 */
#include <cpuid.h>
#include <stdint.h>

#include "kselftest_harness.h"
#include "isol_util.h"

#define IDT_GPA		0x2000000ULL
#define MARK_LO		0x4d41524b45523031ULL	/* "10REKRAM" */
#define MARK_HI		0x4c45414b2d594d4dULL

static void guest_xstate(uint64_t arg)
{
	uint64_t cr4 = read_cr4(), hi[2];
	uint8_t vec;

	vec = write_cr4_safe(cr4 | X86_CR4_OSXSAVE);
	GUEST_SYNC2(vec, read_cr4() ^ cr4);	/* CR4 bits that changed */
	if (vec == ISOL_NO_EX) {
		/* the write went through: read YMM9[255:128] */
		__asm__ volatile("vextractf128 $1, %%ymm9, %%xmm0\n\t"
				 "vmovdqu %%xmm0, %0"
				 : "=m"(hi) : : "xmm0");
		GUEST_SYNC2(hi[0], hi[1]);
	}
	GUEST_DONE();
}

static bool host_has_avx(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_AVX) ||
	    !(c & bit_OSXSAVE))
		return false;
	__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	return (a & 6) == 6;	/* the OS switches SSE and AVX state */
}

/* Put the marker in YMM9[255:128] (YMM9[127:0] = 0). */
static void park_marker(void)
{
	static const uint64_t m[4] = { 0, 0, MARK_LO, MARK_HI };

	__asm__ volatile("vmovdqu %0, %%ymm9" : : "m"(m) : "xmm9");
}

TEST(cr4_osxsave_refused_and_no_leak)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	int r;

	if (!host_has_avx())
		SKIP(return, "the host CPU has no AVX");
	ASSERT_EQ(0, mhv_guest_create(&g, "xstate", 1, 64, guest_xstate, 0));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_GP, isol_ex_handler));

	park_marker();
	r = mhv_guest_run(&g, 0, &uc);
	ASSERT_EQ(MHV_UCALL_SYNC, r);
	EXPECT_EQ(VEC_GP, uc.args[0])
		TH_LOG("the guest set CR4.OSXSAVE without #GP");
	EXPECT_EQ(0, uc.args[1]) TH_LOG("CR4 changed by 0x%lx",
					(unsigned long)uc.args[1]);
	if (uc.args[0] == ISOL_NO_EX) {
		park_marker();
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
		EXPECT_FALSE(uc.args[0] == MARK_LO && uc.args[1] == MARK_HI)
			TH_LOG("the guest read the host's YMM9 upper half");
	}
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(1, vcpu_stat(&g, 0, MHV_STAT_CR_GP));
	EXPECT_LE(1, vcpu_stat(&g, 0, MHV_STAT_CR_WRITE));
	mhv_guest_destroy(&g);
}

TEST(set_sregs_refuses_osxsave_and_pke)
{
	static const uint64_t bits[] = { X86_CR4_OSXSAVE, X86_CR4_PKE };
	struct mhv_sregs before, s, after;
	struct mhv_guest g;
	unsigned int i;

	ASSERT_EQ(0, mhv_guest_create(&g, "xstate-sregs", 1, 64,
				      guest_xstate, 0));
	ASSERT_EQ(0, mhv_get_sregs(g.vcpu[0].fd, &before));
	for (i = 0; i < 2; i++) {
		s = before;
		s.cr4 |= bits[i];
		EXPECT_EQ(-EINVAL, mhv_set_sregs(g.vcpu[0].fd, &s))
			TH_LOG("SET_SREGS accepted CR4 0x%llx",
			       (unsigned long long)s.cr4);
		ASSERT_EQ(0, mhv_get_sregs(g.vcpu[0].fd, &after));
		EXPECT_EQ(before.cr4, after.cr4);
	}
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
