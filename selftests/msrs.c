// SPDX-License-Identifier: GPL-2.0
/*
 * MSRs: the ones a guest may use are handled in the kernel (and visible
 * through MHV_GET/SET_MSRS); any other access gets #GP, and is counted.
 */
#include <cpuid.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_FS_BASE		0xc0000100
#define MSR_SYSENTER_CS		0x174
#define MSR_PAT			0x277
#define MSR_TSC			0x10
#define MSR_APIC_BASE		0x1b
#define MSR_UCODE_REV		0x8b
#define CPUID_MCE		(1U << 7)	/* leaf 1 and 0x80000001 EDX */
#define CPUID_MCA		(1U << 14)

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return lo | (uint64_t)hi << 32;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

static void guest_msrs(uint64_t arg)
{
	wrmsr(MSR_LSTAR, 0xffffffff81000000ULL);
	GUEST_ASSERT_EQ(rdmsr(MSR_LSTAR), 0xffffffff81000000ULL);
	wrmsr(MSR_STAR, 0x0023001000000000ULL);
	GUEST_ASSERT_EQ(rdmsr(MSR_STAR), 0x0023001000000000ULL);
	wrmsr(MSR_KERNEL_GS_BASE, 0x1000);
	GUEST_ASSERT_EQ(rdmsr(MSR_KERNEL_GS_BASE), 0x1000);
	wrmsr(MSR_SYSENTER_CS, 0x10);
	GUEST_ASSERT_EQ(rdmsr(MSR_SYSENTER_CS), 0x10);
	/* EFER as the guest set it up: SCE, LME, LMA, NXE; SVME hidden */
	GUEST_ASSERT_EQ(rdmsr(MSR_EFER), 0xd01);
	GUEST_ASSERT_EQ(rdmsr(MSR_APIC_BASE) & 0xfffff000, 0xfee00000);
	GUEST_ASSERT(rdmsr(MSR_TSC) != 0);
	GUEST_SYNC(rdmsr(MSR_PAT));
	GUEST_DONE();
}

TEST(known_msrs_in_kernel)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_msrs m;

	ASSERT_EQ(0, mhv_guest_create(&g, "msrs", 1, 64, guest_msrs, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(0x0007040600070406ULL, uc.args[0]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);

	memset(&m, 0, sizeof(m));
	m.nmsrs = 3;
	m.entries[0].index = MSR_LSTAR;
	m.entries[1].index = MSR_KERNEL_GS_BASE;
	m.entries[2].index = MSR_EFER;
	ASSERT_EQ(3, ioctl(g.vcpu[0].fd, MHV_GET_MSRS, &m));
	EXPECT_EQ(0xffffffff81000000ULL, m.entries[0].data);
	EXPECT_EQ(0x1000, m.entries[1].data);
	EXPECT_EQ(0xd01, m.entries[2].data);
	mhv_guest_destroy(&g);
}

TEST(set_msrs_from_host)
{
	struct mhv_guest g;
	struct mhv_msrs m;

	ASSERT_EQ(0, mhv_guest_create(&g, "msrs-set", 1, 64, guest_msrs, 0));
	memset(&m, 0, sizeof(m));
	m.nmsrs = 3;
	m.entries[0].index = MSR_FS_BASE;
	m.entries[0].data = 0x7000;
	m.entries[1].index = 0xdeadbeef;	/* unknown: stops here */
	m.entries[2].index = MSR_STAR;
	ASSERT_EQ(1, ioctl(g.vcpu[0].fd, MHV_SET_MSRS, &m));
	m.entries[0].index = MSR_LSTAR;
	m.entries[0].data = 0x8000000000000000ULL;	/* not canonical */
	ASSERT_EQ(0, ioctl(g.vcpu[0].fd, MHV_SET_MSRS, &m));
	m.entries[0].index = MSR_PAT;
	m.entries[0].data = 0x0202020202020202ULL;	/* reserved type */
	ASSERT_EQ(0, ioctl(g.vcpu[0].fd, MHV_SET_MSRS, &m));

	memset(&m, 0, sizeof(m));
	m.nmsrs = 1;
	m.entries[0].index = MSR_FS_BASE;
	ASSERT_EQ(1, ioctl(g.vcpu[0].fd, MHV_GET_MSRS, &m));
	EXPECT_EQ(0x7000, m.entries[0].data);
	m.nmsrs = MHV_MAX_MSR_ENTRIES + 1;
	EXPECT_EQ(-1, ioctl(g.vcpu[0].fd, MHV_GET_MSRS, &m));
	EXPECT_EQ(EINVAL, errno);
	mhv_guest_destroy(&g);
}

static void guest_unknown_msr(uint64_t arg)
{
	/* no IDT: the injected #GP escalates to a triple fault */
	rdmsr(0x12345);
	GUEST_DONE();
}

TEST(unknown_msr_is_gp_and_counted)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_vcpu_stats st;

	ASSERT_EQ(0, mhv_guest_create(&g, "msr-gp", 1, 64,
				      guest_unknown_msr, 0));
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	EXPECT_EQ(MHV_EXIT_SHUTDOWN, g.vcpu[0].run->exit_reason);
	ASSERT_EQ(0, ioctl(g.vcpu[0].fd, MHV_GET_VCPU_STATS, &st));
	EXPECT_EQ(1, st.counters[MHV_STAT_MSR_GP]);
	EXPECT_EQ(1, st.counters[MHV_STAT_MSR_READ]);
	mhv_guest_destroy(&g);
}

/*
 * What a Linux guest meets at boot: the microcode revision read Intel's
 * way (write 0, CPUID, read: the revision is in the high half), no
 * machine-check architecture in CPUID (its MSRs are not emulated), and
 * INVPCID, when CPUID offers it, runs (VT-x: the secondary control). No
 * IDT: a #GP or #UD would end the guest in a triple fault.
 */
static void guest_linux_boot(uint64_t arg)
{
	struct { uint64_t pcid, addr; } desc = { 0, 0 };
	uint32_t a, b, c, d;

	wrmsr(MSR_UCODE_REV, 0);
	__cpuid(1, a, b, c, d);
	GUEST_ASSERT_EQ(rdmsr(MSR_UCODE_REV) >> 32, 1);
	GUEST_ASSERT_EQ(d & (CPUID_MCE | CPUID_MCA), 0);
	__cpuid(0x80000000, a, b, c, d);
	if (a >= 0x80000001) {
		__cpuid(0x80000001, a, b, c, d);
		GUEST_ASSERT_EQ(d & (CPUID_MCE | CPUID_MCA), 0);
	}
	__cpuid_count(7, 0, a, b, c, d);
	if (b & (1U << 10))	/* INVPCID: all contexts, global ones too */
		__asm__ volatile("invpcid %0, %1" : : "m"(desc), "r"(2UL)
				 : "memory");
	GUEST_SYNC(!!(b & (1U << 10)));
	GUEST_DONE();
}

TEST(what_linux_reads_at_boot)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "msr-linux", 1, 64,
				      guest_linux_boot, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	TH_LOG("INVPCID %s", uc.args[0] ? "offered and run" : "not offered");
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
