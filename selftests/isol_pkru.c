// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 8, item 3: the guest cannot change its VMM process's PKRU.
 *
 * PKRU is not switched by the module, so the guest must not be able to
 * enable protection keys: a MOV to CR4 that sets PKE gets #GP(0) and
 * CPUID does not offer PKU or OSPKE. Before the fix the guest set
 * CR4.PKE, ran WRPKRU, and the VMM found the guest's PKRU after RUN.
 */
#include <cpuid.h>
#include <stdint.h>

#include "kselftest_harness.h"
#include "isol_util.h"

#define IDT_GPA		0x2000000ULL
#define CPUID7_ECX_PKU	(1U << 3)
#define CPUID7_ECX_OSPKE (1U << 4)

static inline uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	__asm__ volatile(".byte 0x0f, 0x01, 0xee"	/* rdpkru */
			 : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

/* @arg: the PKRU value to write if the guest managed to set CR4.PKE */
static void guest_pkru(uint64_t arg)
{
	uint32_t a, b, c, d;
	uint64_t cr4 = read_cr4();
	uint8_t vec;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(7), "c"(0));
	GUEST_SYNC(c & (CPUID7_ECX_PKU | CPUID7_ECX_OSPKE));
	vec = write_cr4_safe(cr4 | X86_CR4_PKE);
	GUEST_SYNC2(vec, read_cr4() ^ cr4);
	if (vec == ISOL_NO_EX)
		__asm__ volatile(".byte 0x0f, 0x01, 0xef"	/* wrpkru */
				 : : "a"((uint32_t)arg), "c"(0), "d"(0));
	GUEST_DONE();
}

static bool host_has_ospke(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
	       (c & CPUID7_ECX_OSPKE);
}

TEST(pke_refused_pkru_kept)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint32_t before, evil;

	if (!host_has_ospke())
		SKIP(return, "the host has no OSPKE (CPUID.7.0:ECX bit 4)");
	before = rdpkru();
	/* every key's bits flipped but key 0's: the VMM keeps running */
	evil = before ^ 0xfffffffcU;
	ASSERT_EQ(0, mhv_guest_create(&g, "pkru", 1, 64, guest_pkru, evil));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_GP, isol_ex_handler));

	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(0, uc.args[0]) TH_LOG("guest CPUID.7.0:ECX shows PKU/OSPKE");
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(VEC_GP, uc.args[0]) TH_LOG("the guest set CR4.PKE");
	EXPECT_EQ(0, uc.args[1]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(before, rdpkru()) TH_LOG("host PKRU 0x%x became 0x%x",
					   before, rdpkru());
	EXPECT_EQ(1, vcpu_stat(&g, 0, MHV_STAT_CR_GP));
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
