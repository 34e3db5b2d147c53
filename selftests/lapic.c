// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel local APIC (VMs created with MHV_VM_F_IRQCHIP), checked
 * against the Intel SDM vol. 3A chapter 11:
 * - every register's reset value (11.4.7.1 "Local APIC State After
 *   Power-Up or Reset", table 11-1) seen by the host (MHV_GET_LAPIC) and
 *   by the guest (xAPIC MMIO), IA32_APIC_BASE after reset (figure 11-5),
 *   and CPUID.1 offering x2APIC and the TSC-deadline timer;
 * - what each register keeps of a write (figures 11-6 to 11-23);
 * - the IA32_APIC_BASE mode transitions (11.12.5, figure 11-27): xAPIC to
 *   x2APIC to disabled to xAPIC, relocation, and the invalid ones (#GP);
 *   the x2APIC MSR rules (11.12.1.2: #GP for read-only, write-only and
 *   missing registers, for EOI/ESR writes of non-zero values);
 * - the timer in one-shot (fires once), periodic (fires again, and wakes
 *   a HLT) and TSC-deadline mode (fires after the deadline, the MSR then
 *   reads 0), counted by the guest's handler;
 * - self IPIs (ICR shorthand and the x2APIC SELF IPI MSR), TPR/PPR
 *   masking (11.8.3), ISR and EOI (11.8.4, 11.8.5);
 * - IPIs between two vCPUs driven from two threads pinned to different
 *   host CPUs: fixed physical, logical flat, all-but-self and
 *   all-including-self;
 * - NMI IPIs (ICR delivery mode NMI) from vCPU 0 to vCPUs 1 and 2, fixed
 *   physical and all-but-self: taken through IDT vector 2 with IF=0, one
 *   per IPI (MHV_STAT_NMI_INJECTED), and waking a vCPU halted with IF=0.
 * MHV_GET_LAPIC/MHV_SET_LAPIC round-trip a register.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "isol_util.h"
#include "limits_util.h"

#define IDT_GPA		0x2000000ULL	/* 32 MiB: a page no one uses */
#define APIC_GPA	0xfee00000ULL
#define APIC_NEW_GPA	0xfed00000ULL	/* relocation target, no memory */
/*
 * Bounds in TSC cycles: waiting for an interrupt gives up after about a
 * second (a lost interrupt fails, not the harness's timeout); checking
 * that none comes spins some milliseconds, many timer periods.
 */
#define WAIT_TSC	3000000000ULL
#define QUIET_TSC	30000000ULL

/* Register offsets (SDM table 11-1); x2APIC MSR = 0x800 + offset / 16 */
#define APIC_ID		0x20
#define APIC_LVR	0x30
#define APIC_TPR	0x80
#define APIC_PPR	0xa0
#define APIC_EOI	0xb0
#define APIC_LDR	0xd0
#define APIC_DFR	0xe0
#define APIC_SVR	0xf0
#define APIC_ISR	0x100
#define APIC_TMR	0x180
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_ICR	0x300
#define APIC_ICR2	0x310
#define APIC_LVTT	0x320
#define APIC_LVTTHMR	0x330
#define APIC_LVTPC	0x340
#define APIC_LVT0	0x350
#define APIC_LVT1	0x360
#define APIC_LVTERR	0x370
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390
#define APIC_TDCR	0x3e0
#define X2APIC_MSR(r)	(0x800 + ((r) >> 4))
#define X2APIC_SELF_IPI	0x83f

#define MSR_APIC_BASE	0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define BASE_BSP	(1ULL << 8)
#define BASE_EXTD	(1ULL << 10)
#define BASE_EN		(1ULL << 11)

#define LVT_MASKED	(1U << 16)
#define LVT_PERIODIC	(1U << 17)
#define LVT_DEADLINE	(2U << 17)
#define SVR_ENABLE	(1U << 8)
#define ICR_SELF	(1U << 18)
#define ICR_ALLINC	(2U << 18)
#define ICR_ALLBUT	(3U << 18)
#define ICR_LOGICAL	(1U << 11)
#define ICR_ASSERT	(1U << 14)
#define ICR_LOWEST	(1U << 8)
#define ICR_NMI		(4U << 8)
#define DIV_1		0xb

#define VEC_A		0x45	/* priority class 4 */
#define VEC_B		0x66	/* class 6 */
#define VEC_TIMER	0x70
#define NMI_VECTOR	2
#define RFLAGS_IF	(1ULL << 9)

/* ---- guest side ---------------------------------------------------------- */

static volatile uint64_t n_irq[2], last_vec[2], in_isr[2], ppr_seen[2];
static volatile uint64_t x2apic_mode, no_eoi, tsc_at_irq, ready[3];
static volatile uint64_t n_nmi[3], nmi_with_if[3];

static uint32_t apic_read(uint32_t reg)
{
	uint64_t v;

	if (!x2apic_mode)
		return *(volatile uint32_t *)(uintptr_t)(APIC_GPA + reg);
	rdmsr_safe(X2APIC_MSR(reg), &v);
	return v;
}

static void apic_write(uint32_t reg, uint32_t val)
{
	if (x2apic_mode)
		wrmsr_safe(X2APIC_MSR(reg), val);
	else
		*(volatile uint32_t *)(uintptr_t)(APIC_GPA + reg) = val;
}

static unsigned int apic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return x2apic_mode ? id : id >> 24;
}

/* This vCPU's index: the APIC ID (0 or 1). */
static unsigned int me(void)
{
	return apic_id() & 1;
}

static int isr_has(uint8_t vec)
{
	return (apic_read(APIC_ISR + (vec / 32) * 16) >> (vec % 32)) & 1;
}

static int irr_has(uint8_t vec)
{
	return (apic_read(APIC_IRR + (vec / 32) * 16) >> (vec % 32)) & 1;
}

static void irq_handler(struct mhv_ex_regs *r)
{
	unsigned int i = me();

	if (r->vector == VEC_TIMER)
		tsc_at_irq = __builtin_ia32_rdtsc();
	last_vec[i] = r->vector;
	in_isr[i] = isr_has(r->vector);
	ppr_seen[i] = apic_read(APIC_PPR);
	n_irq[i]++;
	if (r->vector != no_eoi)
		apic_write(APIC_EOI, 0);
}

/* Counts this vCPU's NMIs, and those that came with IF=1. */
static void nmi_handler(struct mhv_ex_regs *r)
{
	unsigned int i = apic_id() % 3;

	if (r->rflags & RFLAGS_IF)
		nmi_with_if[i]++;
	n_nmi[i]++;
}

/* With interrupts on, wait until this vCPU counted @n interrupts. */
static uint64_t wait_irqs(uint64_t n)
{
	unsigned int i = me();
	uint64_t t0 = __builtin_ia32_rdtsc();

	__asm__ volatile("sti" ::: "memory");
	while (__builtin_ia32_rdtsc() - t0 < WAIT_TSC && n_irq[i] < n)
		__asm__ volatile("pause" ::: "memory");
	return n_irq[i];
}

/* Spin with interrupts on long past any period the tests use. */
static void spin_on(void)
{
	uint64_t k;

	__asm__ volatile("sti" ::: "memory");
	for (k = __builtin_ia32_rdtsc(); __builtin_ia32_rdtsc() - k < QUIET_TSC;)
		__asm__ volatile("pause" ::: "memory");
}

static void apic_enable(void)
{
	apic_write(APIC_SVR, SVR_ENABLE | 0xff);
}

/* ---- host side ----------------------------------------------------------- */

static int make_guest(struct mhv_guest *g, const char *name,
		      unsigned int nr_vcpus, void (*entry)(uint64_t),
		      uint64_t arg)
{
	unsigned int v;
	int r;

	r = guest_create_features(g, name, nr_vcpus, MHV_VM_F_IRQCHIP, entry,
				  arg);
	if (r)
		return r;
	r = mhv_guest_setup_idt(g, IDT_GPA);
	if (!r)
		r = mhv_guest_install_handler(g, VEC_GP, isol_ex_handler);
	if (!r)
		r = mhv_guest_install_handler(g, VEC_UD, isol_ex_handler);
	if (!r)
		r = mhv_guest_install_handler(g, NMI_VECTOR, nmi_handler);
	for (v = 0x40; !r && v < 0x100; v++)
		r = mhv_guest_install_handler(g, v, irq_handler);
	/* the other vCPUs start waiting for a SIPI (MHV_VM_F_IRQCHIP):
	 * these tests run them from the entry mhv_guest gave them
	 */
	for (v = 1; !r && v < nr_vcpus; v++)
		r = mhv_set_mp_state(g->vcpu[v].fd, MHV_MP_STATE_RUNNABLE);
	if (r)
		mhv_guest_destroy(g);
	return r;
}

#define setup(g, name, n, entry, arg) \
	ASSERT_EQ(0, make_guest((g), (name), (n), (entry), (arg)))

static uint64_t gval(struct mhv_guest *g, const volatile uint64_t *addr)
{
	volatile uint64_t *p = mhv_guest_ptr(g, (uint64_t)(uintptr_t)addr);

	return p ? *p : ~0ULL;
}

/*
 * Reset values, SDM 11.4.7.1: IRR, ISR, TMR, ICR, LDR, TPR, timer counts
 * and divide configuration 0; DFR all ones; LVT entries masked (bit 16);
 * SVR 0xff; ID the APIC ID (bits 31:24 in xAPIC mode). Version: 0x14
 * (an integrated xAPIC) with the max LVT entry 5 (six LVT entries) in
 * bits 23:16. As KVM, the boot vCPU's LINT0 is ExtINT, unmasked (0x700).
 */
struct reg_reset {
	uint32_t reg, val;
};

static const struct reg_reset resets[] = {
	{ APIC_LVR, 0x00050014 }, { APIC_TPR, 0 }, { APIC_PPR, 0 },
	{ APIC_LDR, 0 }, { APIC_DFR, 0xffffffff }, { APIC_SVR, 0xff },
	{ APIC_ISR, 0 }, { APIC_ISR + 0x70, 0 }, { APIC_TMR, 0 },
	{ APIC_TMR + 0x70, 0 }, { APIC_IRR, 0 }, { APIC_IRR + 0x70, 0 },
	{ APIC_ESR, 0 }, { APIC_ICR, 0 }, { APIC_ICR2, 0 },
	{ APIC_LVTT, LVT_MASKED }, { APIC_LVTTHMR, LVT_MASKED },
	{ APIC_LVTPC, LVT_MASKED }, { APIC_LVT1, LVT_MASKED },
	{ APIC_LVTERR, LVT_MASKED }, { APIC_TMICT, 0 }, { APIC_TMCCT, 0 },
	{ APIC_TDCR, 0 },
};

static void guest_reset_values(uint64_t arg)
{
	uint32_t a, b, c, d;
	uint64_t base;
	unsigned int i;

	for (i = 0; i < sizeof(resets) / sizeof(resets[0]); i++)
		GUEST_ASSERT_EQ(apic_read(resets[i].reg), resets[i].val);
	GUEST_ASSERT_EQ(apic_read(APIC_ID), arg << 24);
	GUEST_ASSERT_EQ(apic_read(APIC_LVT0), arg ? LVT_MASKED : 0x700);
	/* figure 11-5: base 0xfee00000, EN, BSP on the boot processor */
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_APIC_BASE, &base), ISOL_NO_EX);
	GUEST_ASSERT_EQ(base, APIC_GPA | BASE_EN | (arg ? 0 : BASE_BSP));
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(1), "c"(0));
	GUEST_ASSERT(c & (1U << 21));	/* x2APIC */
	GUEST_ASSERT(c & (1U << 24));	/* TSC-deadline timer */
	GUEST_ASSERT(d & (1U << 9));	/* APIC */
	GUEST_ASSERT_EQ(b >> 24, arg);	/* initial APIC ID */
	GUEST_DONE();
}

TEST(reset_values)
{
	struct mhv_lapic_state st;
	struct mhv_guest g;
	struct mhv_ucall uc;
	unsigned int v, i;

	setup(&g, "lapic-reset", 2, guest_reset_values, 0);
	ASSERT_EQ(0, mhv_guest_set_entry(&g, 1, guest_reset_values, 1));
	for (v = 0; v < 2; v++) {
		ASSERT_EQ(0, mhv_get_lapic(g.vcpu[v].fd, &st));
		for (i = 0; i < sizeof(resets) / sizeof(resets[0]); i++)
			EXPECT_EQ(resets[i].val,
				  mhv_lapic_reg(&st, resets[i].reg))
				TH_LOG("vCPU %u register 0x%x", v,
				       resets[i].reg);
		EXPECT_EQ(v << 24, mhv_lapic_reg(&st, APIC_ID));
		EXPECT_EQ(v ? LVT_MASKED : 0x700,
			  mhv_lapic_reg(&st, APIC_LVT0));
		EXPECT_UCALL(&g, v, &uc, MHV_UCALL_DONE);
	}
	mhv_guest_destroy(&g);
}

/* Without MHV_VM_F_IRQCHIP there is no local APIC. */
TEST(no_irqchip_no_lapic)
{
	struct mhv_lapic_state st;
	struct mhv_guest g;

	ASSERT_EQ(0, mhv_guest_create(&g, "lapic-none", 1, 64,
				      guest_reset_values, 0));
	EXPECT_EQ(-ENXIO, mhv_get_lapic(g.vcpu[0].fd, &st));
	EXPECT_EQ(-ENXIO, mhv_set_lapic(g.vcpu[0].fd, &st));
	mhv_guest_destroy(&g);
}

/* Write @val to @reg and expect @want back. */
#define RW(reg, val, want) do {						\
	apic_write((reg), (val));					\
	GUEST_ASSERT_EQ(apic_read(reg), (want));			\
} while (0)

/*
 * What each register keeps of a write (xAPIC): the writable bits of
 * figures 11-6 (ID 31:24), 11-13 (LDR 31:24), 11-14 (DFR 31:28, the rest
 * reads 1), 11-18 (TPR 7:0), 11-23 (SVR: vector, enable, focus; no EOI
 * broadcast suppression: version bit 24 is 0), 11-8 (LVT: vector,
 * delivery mode, polarity, trigger mode, mask; the timer's mode; the
 * error entry only vector and mask), 11-12 (ICR2 31:24), 11-10 (divide
 * configuration bits 0, 1, 3); read-only ones keep their value. With SVR
 * enable clear every LVT entry is masked and stays masked (11.4.7.2).
 */
static void guest_register_rw(uint64_t arg)
{
	RW(APIC_ID, 0xffffffff, 0xff000000);
	RW(APIC_ID, 0, 0);
	RW(APIC_TPR, 0x1ff, 0xff);
	RW(APIC_TPR, 0, 0);
	RW(APIC_LDR, 0xffffffff, 0xff000000);
	RW(APIC_DFR, 0, 0x0fffffff);
	RW(APIC_DFR, 0xffffffff, 0xffffffff);
	RW(APIC_ICR2, 0xffffffff, 0xff000000);
	RW(APIC_TDCR, 0xffffffff, 0xb);
	RW(APIC_LVR, 0, 0x00050014);
	RW(APIC_PPR, 0xff, 0);
	RW(APIC_IRR, 0xffffffff, 0);
	RW(APIC_ISR + 0x10, 0xffffffff, 0);
	RW(APIC_TMR + 0x10, 0xffffffff, 0);
	RW(APIC_TMCCT, 0xffffffff, 0);
	/* software-disabled: an LVT entry cannot be unmasked */
	RW(APIC_LVTT, 0x40, LVT_MASKED | 0x40);
	RW(APIC_SVR, 0xffffffff, 0x3ff);
	RW(APIC_LVTT, 0xffffffff, 0x700ff);
	RW(APIC_LVT0, 0xffffffff, 0x1a7ff);
	RW(APIC_LVT1, 0xffffffff, 0x1a7ff);
	RW(APIC_LVTERR, 0xffffffff, 0x100ff);
	RW(APIC_LVTTHMR, 0xffffffff, 0x107ff);
	RW(APIC_LVTPC, 0xffffffff, 0x107ff);
	RW(APIC_LVT0, 0x700, 0x700);
	RW(APIC_SVR, 0xff, 0xff);	/* disabling masks every entry */
	GUEST_ASSERT_EQ(apic_read(APIC_LVT0), 0x700 | LVT_MASKED);
	GUEST_ASSERT_EQ(apic_read(APIC_LVTT) & LVT_MASKED, LVT_MASKED);
	GUEST_ASSERT_EQ(apic_read(APIC_LVTERR), 0x100ff);
	/* an illegal vector (< 16) is not sent: ESR bit 5 (figure 11-9),
	 * latched by the write to ESR
	 */
	apic_enable();
	apic_write(APIC_ICR, ICR_SELF | 5);
	GUEST_ASSERT_EQ(apic_read(APIC_ESR), 0);
	apic_write(APIC_ESR, 0);
	GUEST_ASSERT_EQ(apic_read(APIC_ESR), 0x20);
	apic_write(APIC_ESR, 0);
	GUEST_ASSERT_EQ(apic_read(APIC_ESR), 0);
	GUEST_SYNC(apic_read(APIC_TPR));
	GUEST_ASSERT_EQ(apic_read(APIC_TPR), 0x20);	/* MHV_SET_LAPIC */
	GUEST_DONE();
}

TEST(register_rw)
{
	struct mhv_lapic_state st;
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "lapic-rw", 1, guest_register_rw, 0);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_get_lapic(g.vcpu[0].fd, &st));
	EXPECT_EQ(0xff000000, mhv_lapic_reg(&st, APIC_LDR));
	EXPECT_EQ(0x1ff, mhv_lapic_reg(&st, APIC_SVR));
	st.regs[APIC_TPR] = 0x20;
	ASSERT_EQ(0, mhv_set_lapic(g.vcpu[0].fd, &st));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

static uint8_t set_base(uint64_t val)
{
	return wrmsr_safe(MSR_APIC_BASE, val);
}

static uint64_t get_base(void)
{
	uint64_t v = 0;

	GUEST_ASSERT_EQ(rdmsr_safe(MSR_APIC_BASE, &v), ISOL_NO_EX);
	return v;
}

/*
 * IA32_APIC_BASE (SDM 11.12.5, figure 11-27): xAPIC -> x2APIC ->
 * disabled -> xAPIC are valid; EN=0 with EXTD=1, x2APIC -> xAPIC and
 * disabled -> x2APIC are not (#GP), and neither are the reserved bits
 * 0-7 and 9. x2APIC mode: ID the x2APIC ID, LDR derived from it
 * (11.12.10.2), the MSRs answer and the xAPIC page does not; disabled:
 * the MSRs #GP. After disabled -> xAPIC the registers are at their reset
 * values. The page moves with the base (relocation).
 */
static void guest_mode_transitions(uint64_t arg)
{
	uint64_t v;

	GUEST_ASSERT_EQ(set_base(BASE_EXTD | APIC_GPA), VEC_GP);
	GUEST_ASSERT_EQ(set_base(BASE_EN | APIC_GPA | 1), VEC_GP);
	GUEST_ASSERT_EQ(set_base(BASE_EN | APIC_GPA | (1 << 9)), VEC_GP);
	GUEST_ASSERT_EQ(rdmsr_safe(X2APIC_MSR(APIC_LVR), &v), VEC_GP);
	apic_write(APIC_TPR, 0x30);
	/* xAPIC -> x2APIC */
	GUEST_ASSERT_EQ(set_base(BASE_EN | BASE_EXTD | APIC_GPA), ISOL_NO_EX);
	GUEST_ASSERT_EQ(get_base(), BASE_EN | BASE_EXTD | BASE_BSP | APIC_GPA);
	x2apic_mode = 1;
	GUEST_ASSERT_EQ(apic_read(APIC_LVR), 0x00050014);
	GUEST_ASSERT_EQ(apic_read(APIC_ID), 0);
	GUEST_ASSERT_EQ(apic_read(APIC_LDR), 1);	/* cluster 0, bit 0 */
	GUEST_ASSERT_EQ(apic_read(APIC_TPR), 0x30);	/* state kept */
	/* the xAPIC page is gone: this read is an MMIO exit */
	GUEST_SYNC(*(volatile uint32_t *)(uintptr_t)(APIC_GPA + APIC_LVR));
	/* x2APIC -> xAPIC */
	GUEST_ASSERT_EQ(set_base(BASE_EN | APIC_GPA), VEC_GP);
	/* x2APIC -> disabled */
	GUEST_ASSERT_EQ(set_base(APIC_GPA), ISOL_NO_EX);
	GUEST_ASSERT_EQ(rdmsr_safe(X2APIC_MSR(APIC_LVR), &v), VEC_GP);
	x2apic_mode = 0;
	/* disabled -> x2APIC */
	GUEST_ASSERT_EQ(set_base(BASE_EN | BASE_EXTD | APIC_GPA), VEC_GP);
	/* disabled -> xAPIC, moved: registers at reset */
	GUEST_ASSERT_EQ(set_base(BASE_EN | APIC_NEW_GPA), ISOL_NO_EX);
	GUEST_ASSERT_EQ(get_base(), BASE_EN | BASE_BSP | APIC_NEW_GPA);
	GUEST_ASSERT_EQ(*(volatile uint32_t *)(uintptr_t)(APIC_NEW_GPA +
							  APIC_LVR),
			0x00050014);
	GUEST_ASSERT_EQ(*(volatile uint32_t *)(uintptr_t)(APIC_NEW_GPA +
							  APIC_TPR), 0);
	GUEST_ASSERT_EQ(*(volatile uint32_t *)(uintptr_t)(APIC_NEW_GPA +
							  APIC_SVR), 0xff);
	GUEST_ASSERT_EQ(set_base(BASE_EN | APIC_GPA), ISOL_NO_EX);
	GUEST_ASSERT_EQ(apic_read(APIC_LVR), 0x00050014);
	GUEST_DONE();
}

TEST(mode_transitions)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_run *run;
	uint32_t fake = 0x12345678;

	setup(&g, "lapic-modes", 1, guest_mode_transitions, 0);
	run = g.vcpu[0].run;
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_MMIO);
	EXPECT_EQ(APIC_GPA + APIC_LVR, run->mmio.phys_addr);
	EXPECT_EQ(0, run->mmio.is_write);
	memcpy(run->mmio.data, &fake, sizeof(fake));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(fake, uc.args[0]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/*
 * x2APIC MSRs (SDM 11.12.1.2, table 11-6): writes to read-only registers
 * (ID, version, LDR, PPR, ISR, IRR, current count) #GP, so do reads of
 * write-only ones (EOI, SELF IPI), the xAPIC-only ones (DFR 0x80e, ICR2
 * 0x831, arbitration priority 0x809), a non-zero EOI or ESR write and
 * bits 63:32 of a 32-bit register. ICR is one 64-bit MSR.
 */
static void guest_x2apic_msrs(uint64_t arg)
{
	static const uint32_t ro[] = { APIC_ID, APIC_LVR, APIC_LDR, APIC_PPR,
				       APIC_ISR, APIC_IRR, APIC_TMCCT };
	static const uint32_t missing[] = { APIC_DFR, APIC_ICR2, 0x90, 0x40,
					    0x3d0 };
	unsigned int i;
	uint64_t v;

	GUEST_ASSERT_EQ(set_base(BASE_EN | BASE_EXTD | APIC_GPA), ISOL_NO_EX);
	x2apic_mode = 1;
	for (i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		GUEST_ASSERT_EQ(wrmsr_safe(X2APIC_MSR(ro[i]), 0), VEC_GP);
	for (i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		GUEST_ASSERT_EQ(rdmsr_safe(X2APIC_MSR(missing[i]), &v), VEC_GP);
		GUEST_ASSERT_EQ(wrmsr_safe(X2APIC_MSR(missing[i]), 0), VEC_GP);
	}
	GUEST_ASSERT_EQ(rdmsr_safe(X2APIC_MSR(APIC_EOI), &v), VEC_GP);
	GUEST_ASSERT_EQ(rdmsr_safe(X2APIC_SELF_IPI, &v), VEC_GP);
	GUEST_ASSERT_EQ(wrmsr_safe(X2APIC_MSR(APIC_EOI), 1), VEC_GP);
	GUEST_ASSERT_EQ(wrmsr_safe(X2APIC_MSR(APIC_ESR), 1), VEC_GP);
	GUEST_ASSERT_EQ(wrmsr_safe(X2APIC_MSR(APIC_TPR), 1ULL << 32), VEC_GP);
	GUEST_ASSERT_EQ(wrmsr_safe(X2APIC_MSR(APIC_TPR), 0x40), ISOL_NO_EX);
	GUEST_ASSERT_EQ(rdmsr_safe(X2APIC_MSR(APIC_TPR), &v), ISOL_NO_EX);
	GUEST_ASSERT_EQ(v, 0x40);
	/* ICR: 64 bits, destination in 63:32 (masked: vector 0x40 < TPR) */
	GUEST_ASSERT_EQ(wrmsr_safe(X2APIC_MSR(APIC_ICR),
				   0x500000000ULL | ICR_ASSERT | 0x50),
			ISOL_NO_EX);
	GUEST_ASSERT_EQ(rdmsr_safe(X2APIC_MSR(APIC_ICR), &v), ISOL_NO_EX);
	GUEST_ASSERT_EQ(v, 0x500000000ULL | ICR_ASSERT | 0x50);
	GUEST_DONE();
}

TEST(x2apic_msrs)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "lapic-x2apic", 1, guest_x2apic_msrs, 0);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/* Timer counts: 1 GHz bus (a count is 1 ns at divide 1) */
#define TIMER_COUNT	1000000		/* 1 ms */

/*
 * One-shot (SDM 11.5.4): the current count runs down from the initial
 * count, the interrupt comes once, then the count stays 0.
 */
static void guest_timer_oneshot(uint64_t arg)
{
	uint32_t c1, c2;

	apic_enable();
	apic_write(APIC_TDCR, DIV_1);
	apic_write(APIC_LVTT, VEC_TIMER);
	/* a count of a second: the current count runs down meanwhile */
	apic_write(APIC_TMICT, 1000 * TIMER_COUNT);
	c1 = apic_read(APIC_TMCCT);
	c2 = apic_read(APIC_TMCCT);
	GUEST_ASSERT(c1 <= 1000 * TIMER_COUNT);
	GUEST_ASSERT(c2 < c1);
	/* a new initial count starts again from it */
	apic_write(APIC_TMICT, TIMER_COUNT);
	GUEST_ASSERT(apic_read(APIC_TMCCT) <= TIMER_COUNT);
	GUEST_ASSERT_EQ(wait_irqs(1), 1);
	GUEST_ASSERT_EQ(last_vec[0], VEC_TIMER);
	GUEST_ASSERT_EQ(in_isr[0], 1);		/* in service in the handler */
	spin_on();
	GUEST_ASSERT_EQ(n_irq[0], 1);	/* once */
	GUEST_ASSERT_EQ(apic_read(APIC_TMCCT), 0);
	GUEST_ASSERT_EQ(isr_has(VEC_TIMER), 0);	/* EOI cleared it */
	/* a masked timer counts but does not interrupt */
	apic_write(APIC_LVTT, VEC_TIMER | LVT_MASKED);
	apic_write(APIC_TMICT, TIMER_COUNT);
	spin_on();
	GUEST_ASSERT_EQ(n_irq[0], 1);
	GUEST_DONE();
}

TEST(timer_oneshot)
{
	struct mhv_vcpu_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "lapic-oneshot", 1, guest_timer_oneshot, 0);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, mhv_get_vcpu_stats(g.vcpu[0].fd, &st));
	EXPECT_EQ(1, st.counters[MHV_STAT_APIC_IRQ]);
	EXPECT_EQ(1, st.counters[MHV_STAT_IRQ_INJECTED]);
	mhv_guest_destroy(&g);
}

/*
 * Periodic: the interrupt comes again and again, also while the guest
 * sleeps in HLT (each HLT ends with one); stopped by an initial count 0.
 */
static void guest_timer_periodic(uint64_t arg)
{
	uint64_t n;
	int i;

	apic_enable();
	apic_write(APIC_TDCR, DIV_1);
	apic_write(APIC_LVTT, VEC_TIMER | LVT_PERIODIC);
	apic_write(APIC_TMICT, TIMER_COUNT);
	GUEST_ASSERT(wait_irqs(5) >= 5);	/* more may come meanwhile */
	for (i = 0; i < 3; i++) {
		n = n_irq[0];
		__asm__ volatile("sti; hlt" ::: "memory");
		GUEST_ASSERT(n_irq[0] > n);
	}
	apic_write(APIC_TMICT, 0);
	n = n_irq[0];
	spin_on();
	GUEST_ASSERT_EQ(n_irq[0], n);
	GUEST_DONE();
}

TEST(timer_periodic)
{
	struct mhv_vcpu_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "lapic-periodic", 1, guest_timer_periodic, 0);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, mhv_get_vcpu_stats(g.vcpu[0].fd, &st));
	EXPECT_LE(8, st.counters[MHV_STAT_APIC_IRQ]);
	EXPECT_LE(3, st.counters[MHV_STAT_HALT_WAKEUP]);
	mhv_guest_destroy(&g);
}

/*
 * One-shot to periodic while the count runs (KVM's behaviour; the SDM
 * leaves it open): the initial count stays and the timer, periodic now,
 * interrupts again and again instead of once.
 */
static void guest_timer_mode_change(uint64_t arg)
{
	apic_enable();
	apic_write(APIC_TDCR, DIV_1);
	apic_write(APIC_LVTT, VEC_TIMER);
	apic_write(APIC_TMICT, 5 * TIMER_COUNT);
	apic_write(APIC_LVTT, VEC_TIMER | LVT_PERIODIC);
	GUEST_ASSERT_EQ(apic_read(APIC_TMICT), 5 * TIMER_COUNT);
	GUEST_ASSERT(wait_irqs(3) >= 3);
	apic_write(APIC_TMICT, 0);
	GUEST_DONE();
}

TEST(timer_oneshot_to_periodic)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "lapic-mode-change", 1, guest_timer_mode_change, 0);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/*
 * TSC-deadline mode (11.5.4.1): IA32_TSC_DEADLINE reads 0 outside the
 * mode; the interrupt comes once the TSC passed the deadline, and the
 * MSR reads 0 after it; the initial count register is ignored.
 */
static void guest_timer_deadline(uint64_t arg)
{
	uint64_t v = 1, deadline;

	apic_enable();
	wrmsr_safe(MSR_TSC_DEADLINE, 12345);
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_TSC_DEADLINE, &v), ISOL_NO_EX);
	GUEST_ASSERT_EQ(v, 0);
	apic_write(APIC_LVTT, VEC_TIMER | LVT_DEADLINE);
	apic_write(APIC_TMICT, 1000);
	GUEST_ASSERT_EQ(apic_read(APIC_TMICT), 0);
	deadline = __builtin_ia32_rdtsc() + arg;
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_TSC_DEADLINE, deadline), ISOL_NO_EX);
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_TSC_DEADLINE, &v), ISOL_NO_EX);
	GUEST_ASSERT_EQ(v, deadline);
	GUEST_ASSERT_EQ(wait_irqs(1), 1);
	GUEST_ASSERT(tsc_at_irq >= deadline);
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_TSC_DEADLINE, &v), ISOL_NO_EX);
	GUEST_ASSERT_EQ(v, 0);
	spin_on();
	GUEST_ASSERT_EQ(n_irq[0], 1);
	/* a deadline in the past fires at once */
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_TSC_DEADLINE, 1), ISOL_NO_EX);
	GUEST_ASSERT_EQ(wait_irqs(2), 2);
	GUEST_DONE();
}

TEST(timer_tsc_deadline)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	/* 10 million TSC cycles: some milliseconds at any TSC rate */
	setup(&g, "lapic-deadline", 1, guest_timer_deadline, 10000000);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/*
 * Self IPIs and priorities (SDM 11.8.3): with TPR 0x50 a class-4 vector
 * waits in IRR (PPR = TPR); lowering TPR lets it in; in its handler it is
 * in ISR and PPR is its class. A vector not EOIed stays in service and
 * holds back vectors of its class or below (VEC_A while VEC_B, class 6,
 * is in service), until the EOI (11.8.5). The x2APIC SELF IPI MSR sends
 * the same way.
 */
static void guest_self_ipi(uint64_t arg)
{
	apic_enable();
	apic_write(APIC_TPR, 0x50);
	apic_write(APIC_ICR, ICR_SELF | ICR_ASSERT | VEC_A);
	spin_on();
	GUEST_ASSERT_EQ(n_irq[0], 0);
	GUEST_ASSERT_EQ(irr_has(VEC_A), 1);
	GUEST_ASSERT_EQ(apic_read(APIC_PPR), 0x50);
	apic_write(APIC_TPR, 0);
	GUEST_ASSERT_EQ(wait_irqs(1), 1);
	GUEST_ASSERT_EQ(last_vec[0], VEC_A);
	GUEST_ASSERT_EQ(in_isr[0], 1);
	GUEST_ASSERT_EQ(ppr_seen[0], VEC_A & 0xf0);
	GUEST_ASSERT_EQ(irr_has(VEC_A), 0);
	GUEST_ASSERT_EQ(apic_read(APIC_PPR), 0);

	/* VEC_B without EOI: VEC_A waits behind it */
	no_eoi = VEC_B;
	apic_write(APIC_ICR, ICR_SELF | ICR_ASSERT | VEC_B);
	GUEST_ASSERT_EQ(wait_irqs(2), 2);
	GUEST_ASSERT_EQ(isr_has(VEC_B), 1);
	GUEST_ASSERT_EQ(apic_read(APIC_PPR), VEC_B & 0xf0);
	apic_write(APIC_ICR, ICR_SELF | ICR_ASSERT | VEC_A);
	spin_on();
	GUEST_ASSERT_EQ(n_irq[0], 2);
	apic_write(APIC_EOI, 0);
	GUEST_ASSERT_EQ(isr_has(VEC_B), 0);
	GUEST_ASSERT_EQ(wait_irqs(3), 3);
	GUEST_ASSERT_EQ(last_vec[0], VEC_A);

	/* x2APIC SELF IPI */
	GUEST_ASSERT_EQ(set_base(BASE_EN | BASE_EXTD | APIC_GPA), ISOL_NO_EX);
	x2apic_mode = 1;
	GUEST_ASSERT_EQ(wrmsr_safe(X2APIC_SELF_IPI, VEC_A), ISOL_NO_EX);
	GUEST_ASSERT_EQ(wait_irqs(4), 4);
	GUEST_ASSERT_EQ(last_vec[0], VEC_A);
	GUEST_DONE();
}

TEST(self_ipi_tpr_ppr_eoi)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "lapic-self", 1, guest_self_ipi, 0);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/* MHV_INTERRUPT goes to the local APIC's IRR: the TPR holds it back. */
static void guest_host_irq(uint64_t arg)
{
	apic_enable();
	apic_write(APIC_TPR, 0xf0);
	__asm__ volatile("sti" ::: "memory");
	GUEST_SYNC(0);			/* the host raises VEC_B here */
	spin_on();
	GUEST_ASSERT_EQ(n_irq[0], 0);
	GUEST_ASSERT_EQ(irr_has(VEC_B), 1);
	apic_write(APIC_TPR, 0);
	GUEST_ASSERT_EQ(wait_irqs(1), 1);
	GUEST_DONE();
}

TEST(host_interrupt_to_irr)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "lapic-host", 1, guest_host_irq, 0);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_interrupt(g.vcpu[0].fd, VEC_B));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/* ---- two vCPUs ----------------------------------------------------------- */

/*
 * vCPU 1: enable its APIC, LDR bit 1 (flat model), then take interrupts
 * in HLT until it counted @arg of them.
 */
static void guest_receiver(uint64_t arg)
{
	apic_enable();
	apic_write(APIC_LDR, 0x02000000);
	ready[1] = 1;
	while (n_irq[1] < arg)
		__asm__ volatile("sti; hlt" ::: "memory");
	GUEST_DONE();
}

/* vCPU 0: wait until vCPU 1 counted @n (bounded). */
static uint64_t wait_peer(uint64_t n)
{
	uint64_t t0 = __builtin_ia32_rdtsc();

	while (__builtin_ia32_rdtsc() - t0 < WAIT_TSC && n_irq[1] < n)
		__asm__ volatile("pause" ::: "memory");
	return n_irq[1];
}

static void send_ipi(uint32_t dest, uint32_t icr)
{
	apic_write(APIC_ICR2, dest << 24);
	apic_write(APIC_ICR, icr);
}

/*
 * vCPU 0 sends: fixed physical to APIC ID 1, logical flat to LDR bit 1,
 * all but self, all including self (vCPU 0 takes that one too), lowest
 * priority to both (vCPU 1, whose TPR is the lower, takes it). A fixed
 * IPI to APIC ID 3 (nobody) is lost.
 */
static void guest_sender(uint64_t arg)
{
	uint64_t t0 = __builtin_ia32_rdtsc();

	apic_enable();
	apic_write(APIC_LDR, 0x01000000);
	while (__builtin_ia32_rdtsc() - t0 < WAIT_TSC && !ready[1])
		__asm__ volatile("pause" ::: "memory");
	GUEST_ASSERT(ready[1]);
	send_ipi(1, ICR_ASSERT | VEC_A);
	GUEST_ASSERT_EQ(wait_peer(1), 1);
	GUEST_ASSERT_EQ(last_vec[1], VEC_A);
	send_ipi(3, ICR_ASSERT | VEC_A);
	send_ipi(2, ICR_LOGICAL | ICR_ASSERT | VEC_B);
	GUEST_ASSERT_EQ(wait_peer(2), 2);
	GUEST_ASSERT_EQ(last_vec[1], VEC_B);
	send_ipi(0, ICR_ALLBUT | ICR_ASSERT | VEC_A);
	GUEST_ASSERT_EQ(wait_peer(3), 3);
	spin_on();
	GUEST_ASSERT_EQ(n_irq[0], 0);
	send_ipi(0, ICR_ALLINC | ICR_ASSERT | VEC_B);
	GUEST_ASSERT_EQ(wait_peer(4), 4);
	GUEST_ASSERT_EQ(wait_irqs(1), 1);
	GUEST_ASSERT_EQ(last_vec[0], VEC_B);
	apic_write(APIC_TPR, 0x20);
	send_ipi(3, ICR_LOGICAL | ICR_LOWEST | ICR_ASSERT | VEC_A);
	GUEST_ASSERT_EQ(wait_peer(5), 5);
	GUEST_ASSERT_EQ(last_vec[1], VEC_A);
	spin_on();
	GUEST_ASSERT_EQ(n_irq[0], 1);
	GUEST_DONE();
}

struct vcpu_thread {
	struct mhv_guest *g;
	unsigned int i;
	int cpu;		/* host CPU to run on, -1: any */
	int result;
	char line[512];
};

static void on_sync(struct vcpu_thread *t, struct mhv_ucall *uc);

/*
 * Run vCPU t->i, on host CPU t->cpu, to its DONE (or anything else,
 * recorded); a SYNC goes to on_sync() and the vCPU runs on.
 */
static void *vcpu_thread_fn(void *arg)
{
	struct vcpu_thread *t = arg;
	struct mhv_ucall uc;
	cpu_set_t set;

	if (t->cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(t->cpu, &set);
		/* a test VM with one CPU: the threads share it */
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	while ((t->result = mhv_guest_run(t->g, t->i, &uc)) ==
	       MHV_UCALL_SYNC)
		on_sync(t, &uc);
	if (t->result > 0)
		mhv_ucall_format(&uc, t->line, sizeof(t->line));
	return NULL;
}

/*
 * Run vCPUs 0..@n-1 of @g, each on its thread, vCPU i pinned to host CPU
 * i % 2 (the test VM has two), until each is DONE; stop the VM when one
 * fails (the others would wait for ever).
 */
static void run_threads(struct __test_metadata *_metadata,
			struct mhv_guest *g, unsigned int n)
{
	struct vcpu_thread t[3];
	pthread_t th[3];
	unsigned int i;

	ASSERT_GE(3, n);
	for (i = 0; i < n; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].g = g;
		t[i].i = i;
		t[i].cpu = i % 2;
		ASSERT_EQ(0, pthread_create(&th[i], NULL, vcpu_thread_fn,
					    &t[i]));
	}
	for (i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		if (t[i].result != MHV_UCALL_DONE)
			mhv_stop_vm(g->vm_fd, MHV_STOP_FORCE);
		EXPECT_EQ(MHV_UCALL_DONE, t[i].result)
			TH_LOG("vCPU %u: %s", i, t[i].line);
	}
}

TEST(ipi_two_vcpus)
{
	struct mhv_guest g;

	setup(&g, "lapic-ipi", 2, guest_sender, 0);
	ASSERT_EQ(0, mhv_guest_set_entry(&g, 1, guest_receiver, 5));
	run_threads(_metadata, &g, 2);
	EXPECT_EQ(5, gval(&g, &n_irq[1]));
	EXPECT_EQ(1, gval(&g, &n_irq[0]));
	mhv_guest_destroy(&g);
}

/*
 * NMI IPIs. vCPUs 1 and 2: interrupts off for good; spin until two NMIs
 * came, then HLT (IF=0: only an NMI wakes it) until the third.
 */
static void guest_nmi_receiver(uint64_t arg)
{
	unsigned int i = apic_id() % 3;

	__asm__ volatile("cli" ::: "memory");
	apic_enable();
	ready[i] = 1;
	while (n_nmi[i] < 2)
		__asm__ volatile("pause" ::: "memory");
	while (n_nmi[i] < 3)
		__asm__ volatile("cli; hlt" ::: "memory");
	GUEST_DONE();
}

/* vCPU 0: wait until vCPUs 1 and 2 counted @n1 and @n2 NMIs (bounded). */
static int wait_nmis(uint64_t n1, uint64_t n2)
{
	uint64_t t0 = __builtin_ia32_rdtsc();

	while (__builtin_ia32_rdtsc() - t0 < WAIT_TSC &&
	       (n_nmi[1] < n1 || n_nmi[2] < n2))
		__asm__ volatile("pause" ::: "memory");
	return n_nmi[1] == n1 && n_nmi[2] == n2;
}

#define SYNC_WAIT_HALTED	1	/* the host waits for vCPUs 1, 2 in HLT */

/*
 * vCPU 0 sends NMIs: fixed physical to APIC ID 1, then 2, all but self
 * (1 and 2), and, once both sleep in HLT with IF=0, all but self again.
 */
static void guest_nmi_sender(uint64_t arg)
{
	uint64_t t0 = __builtin_ia32_rdtsc();

	apic_enable();
	while (__builtin_ia32_rdtsc() - t0 < WAIT_TSC && !(ready[1] && ready[2]))
		__asm__ volatile("pause" ::: "memory");
	GUEST_ASSERT(ready[1] && ready[2]);
	send_ipi(1, ICR_NMI | ICR_ASSERT);
	GUEST_ASSERT(wait_nmis(1, 0));
	send_ipi(2, ICR_NMI | ICR_ASSERT);
	GUEST_ASSERT(wait_nmis(1, 1));
	send_ipi(0, ICR_ALLBUT | ICR_NMI | ICR_ASSERT);
	GUEST_ASSERT(wait_nmis(2, 2));
	GUEST_SYNC(SYNC_WAIT_HALTED);
	send_ipi(0, ICR_ALLBUT | ICR_NMI | ICR_ASSERT);
	GUEST_ASSERT(wait_nmis(3, 3));
	GUEST_ASSERT_EQ(n_nmi[0], 0);
	GUEST_DONE();
}

/* Until vCPU @v slept in HLT once (its halt_sleep), at most 10 s. */
static int wait_halted(struct mhv_guest *g, unsigned int v)
{
	int fd = mhv_get_vcpu_stats_fd(g->vcpu[v].fd);
	struct mhv_stats_reader r;
	struct timespec t0, t;
	int ok = 0;

	if (fd < 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!mhv_stats_open(&r, fd)) {
		do {
			ok = mhv_stats_value(&r, "halt_sleep") > 0;
			clock_gettime(CLOCK_MONOTONIC, &t);
			sched_yield();
		} while (!ok && t.tv_sec - t0.tv_sec < 10 &&
			 !mhv_stats_refresh(&r));
		mhv_stats_close(&r);
	}
	close(fd);
	return ok;
}

static int both_halted;

static void on_sync(struct vcpu_thread *t, struct mhv_ucall *uc)
{
	/* on failure vCPU 0 sends anyway; the test checks both_halted */
	if (uc->args[0] == SYNC_WAIT_HALTED)
		both_halted = wait_halted(t->g, 1) && wait_halted(t->g, 2);
}

TEST(nmi_ipi_to_other_vcpus)
{
	struct mhv_vcpu_stats st;
	struct mhv_guest g;
	unsigned int i;

	setup(&g, "lapic-nmi-ipi", 3, guest_nmi_sender, 0);
	for (i = 1; i < 3; i++)
		ASSERT_EQ(0, mhv_guest_set_entry(&g, i, guest_nmi_receiver, 0));
	run_threads(_metadata, &g, 3);
	EXPECT_EQ(1, both_halted) TH_LOG("vCPUs 1, 2 never slept in HLT");
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(i ? 3 : 0, gval(&g, &n_nmi[i])) TH_LOG("vCPU %u", i);
		EXPECT_EQ(0, gval(&g, &nmi_with_if[i]));
		memset(&st, 0, sizeof(st));
		ASSERT_EQ(0, mhv_get_vcpu_stats(g.vcpu[i].fd, &st));
		EXPECT_EQ(i ? 3 : 0, st.counters[MHV_STAT_NMI_INJECTED]);
	}
	mhv_guest_destroy(&g);
}

/*
 * A process killed while its two vCPUs sleep in HLT with their periodic
 * timers firing: the hrtimers stop and the VM is freed with the process
 * (the module's refcount, its VM and vCPU counts and its pages come back).
 */
static void guest_halt_forever(uint64_t arg)
{
	apic_enable();
	apic_write(APIC_TDCR, DIV_1);
	apic_write(APIC_LVTT, VEC_TIMER | LVT_PERIODIC);
	apic_write(APIC_TMICT, TIMER_COUNT);
	GUEST_ASSERT(wait_irqs(2) >= 2);	/* more may come meanwhile */
	GUEST_SYNC(0);
	for (;;)
		__asm__ volatile("sti; hlt" ::: "memory");
}

static void killed_child(int fd)
{
	struct vcpu_thread t = { .i = 1, .cpu = -1 };
	struct mhv_guest g;
	struct mhv_ucall uc;
	char line[512];
	pthread_t th;
	int r;

	if (make_guest(&g, "lapic-killed", 2, guest_halt_forever, 0))
		_exit(1);
	mhv_guest_set_entry(&g, 1, guest_halt_forever, 0);
	t.g = &g;
	pthread_create(&th, NULL, vcpu_thread_fn, &t);
	r = mhv_guest_run(&g, 0, &uc);
	if (r != MHV_UCALL_SYNC) {
		snprintf(line, sizeof(line), "run: %d ", r);
		if (r > 0)
			mhv_ucall_format(&uc, line + strlen(line),
					 sizeof(line) - strlen(line));
		(void)!write(fd, line, strlen(line) + 1);
		_exit(1);
	}
	(void)!write(fd, "x", 1);
	mhv_guest_run(&g, 0, &uc);
	_exit(2);
}

TEST(killed_with_timers_running)
{
	int before = module_refcnt(), p[2], status;
	struct mhv_counters cnt0, cnt1;
	char c[512] = "";
	pid_t pid;

	ASSERT_GE(before, 0);
	ASSERT_EQ(0, mhv_counters_read(&cnt0));
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		killed_child(p[1]);
	close(p[1]);
	if (read(p[0], c, sizeof(c) - 1) != 1) {
		waitpid(pid, &status, 0);
		TH_LOG("child: %s, exit status %d", c, WEXITSTATUS(status));
		ASSERT_TRUE(0);
	}
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(before, module_refcnt()) TH_LOG("fds not released");
	ASSERT_EQ(0, mhv_counters_read(&cnt1));
	EXPECT_EQ(cnt0.vms, cnt1.vms) TH_LOG("VM not freed");
	EXPECT_EQ(cnt0.vcpus, cnt1.vcpus);
	EXPECT_EQ(cnt0.pages, cnt1.pages);
	close(p[0]);
}

TEST_HARNESS_MAIN
