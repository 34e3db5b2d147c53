// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 8, items 8 (MSR checks), 10 and 16: MSRs and instructions that
 * reach host state.
 *
 * - TSC_AUX is the guest's own: 0 after reset, what the guest wrote
 *   afterwards (RDMSR, and RDTSCP where CPUID offers it), bits 63:32 are
 *   reserved (#GP); after RUN the host's RDTSCP still names the host CPU
 *   (Linux keeps the CPU number in TSC_AUX[11:0]). Before the fix the
 *   guest's RDTSCP returned the host's value and the MSR was unknown.
 * - RDPMC gets #GP (MHV_STAT_RDPMC): no host counters for the guest.
 * - WBINVD and INVD are skipped (MHV_STAT_CACHE), no host-wide flush.
 * - Non-canonical LSTAR/CSTAR/KERNEL_GS_BASE and SFMASK with bits 63:32
 *   set get #GP; the host stays fine (no oops from a faulting WRMSR).
 *
 * The VMM thread runs on the last online CPU, so the host's TSC_AUX is
 * not 0 (the guest's reset value) wherever there is more than one CPU.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "isol_util.h"

#define IDT_GPA		0x2000000ULL
#define MSR_TSC_AUX	0xc0000103
#define MSR_LSTAR	0xc0000082
#define MSR_CSTAR	0xc0000083
#define MSR_SFMASK	0xc0000084
#define MSR_KGS_BASE	0xc0000102
#define NONCANONICAL	0x8000000000000000ULL	/* for 48 and 57 bits */
#define GUEST_AUX	0x5a5ULL

static inline uint8_t rdtscp_safe(uint32_t *aux)
{
	uint64_t vec;
	uint32_t c = 0;

	__asm__ volatile(ISOL_ASM_SAFE("rdtscp") "movq %%r9, %0"
			 : "=r"(vec), "+c"(c)
			 : : "rax", "rdx", "r9", "r10", "r11", "memory", "cc");
	*aux = c;
	return vec;
}

static void guest_tsc_aux(uint64_t arg)
{
	uint32_t a, b, c, d, aux;
	uint64_t val = ~0ULL;
	int has_rdtscp;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(0x80000001), "c"(0));
	has_rdtscp = !!(d & (1U << 27));
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_TSC_AUX, &val), ISOL_NO_EX);
	GUEST_ASSERT_EQ(val, 0);
	if (has_rdtscp) {
		GUEST_ASSERT_EQ(rdtscp_safe(&aux), ISOL_NO_EX);
		GUEST_ASSERT_EQ(aux, 0);
	}
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_TSC_AUX, GUEST_AUX), ISOL_NO_EX);
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_TSC_AUX, &val), ISOL_NO_EX);
	GUEST_ASSERT_EQ(val, GUEST_AUX);
	if (has_rdtscp) {
		GUEST_ASSERT_EQ(rdtscp_safe(&aux), ISOL_NO_EX);
		GUEST_ASSERT_EQ(aux, GUEST_AUX);
	}
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_TSC_AUX, 1ULL << 32 | GUEST_AUX),
			VEC_GP);
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_TSC_AUX, &val), ISOL_NO_EX);
	GUEST_ASSERT_EQ(val, GUEST_AUX);
	GUEST_DONE();
}

static int pin_to_last_cpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;
	int cpu;

	for (cpu = n > 0 ? n - 1 : 0; cpu >= 0; cpu--) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (!sched_setaffinity(0, sizeof(set), &set))
			return cpu;
	}
	return -1;
}

static uint32_t host_rdtscp_aux(void)
{
	uint32_t lo, hi, aux;

	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	return aux;
}

TEST(tsc_aux_is_switched)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	int cpu = pin_to_last_cpu();

	ASSERT_LE(0, cpu);
	ASSERT_EQ(cpu, host_rdtscp_aux() & 0xfff);
	ASSERT_EQ(0, mhv_guest_create(&g, "tsc-aux", 1, 64, guest_tsc_aux, 0));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_GP, isol_ex_handler));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_UD, isol_ex_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(cpu, host_rdtscp_aux() & 0xfff)
		TH_LOG("host TSC_AUX changed by the guest");
	EXPECT_EQ(sched_getcpu(), cpu);
	mhv_guest_destroy(&g);
}

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
