// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel I/O APIC (VMs created with MHV_VM_F_IRQCHIP), after the
 * 82093AA datasheet (and KVM's and QEMU's model of it):
 * - it is a device of the framework (MHV_LIST_DEVICES: type 11 at
 *   0xfec00000) whose guest accesses are counted;
 * - registers: version 0x11 with 24 entries (0x00170011), the ID's bits
 *   27:24, arbitration ID = ID, every redirection entry masked at reset,
 *   what a write keeps of an entry (delivery status and remote IRR are
 *   read-only);
 * - a pin raised from the host (MHV_IRQ_LINE, the VM ioctl of the routing
 *   contract) through an edge entry: one interrupt per rising edge, none
 *   while the line stays high or the entry is masked;
 * - a level entry: remote IRR set on delivery, the vector's TMR bit set
 *   at the local APIC, the EOI clears remote IRR and sends again while
 *   the line is still high, not once it is low; a level pin that went
 *   high while masked sends when it is unmasked.
 */
#include <stdint.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define IDT_GPA		0x2000000ULL	/* 32 MiB: a page no one uses */
#define APIC_GPA	0xfee00000ULL
#define IOAPIC_GPA	0xfec00000ULL
/* bounds in TSC cycles: about a second, some milliseconds */
#define WAIT_TSC	3000000000ULL
#define QUIET_TSC	30000000ULL

#define APIC_EOI	0xb0
#define APIC_SVR	0xf0
#define APIC_TMR	0x180
#define APIC_LVT0	0x350
#define LVT_MASKED	(1U << 16)

#define RTE_LEVEL	(1U << 15)
#define RTE_REMOTE_IRR	(1U << 14)
#define RTE_MASKED	(1U << 16)

#define PIN_EDGE	5
#define PIN_LEVEL	9
#define VEC_EDGE	0x61
#define VEC_LEVEL	0x62

static volatile uint64_t n_irq, last_vec, eoi_in_handler = 1;

static uint32_t apic_read(uint32_t reg)
{
	return *(volatile uint32_t *)(uintptr_t)(APIC_GPA + reg);
}

static void apic_write(uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(uintptr_t)(APIC_GPA + reg) = val;
}

/*
 * Software-enable the local APIC and mask LINT0, as a kernel that routes
 * through the I/O APIC does: the pins below 16 are also the 8259's inputs
 * (MHV_IRQ_LINE drives both), and vCPU 0's LINT0 is an ExtINT entry at
 * reset, which would let the uninitialized PIC's vectors in.
 */
static void apic_on(void)
{
	apic_write(APIC_SVR, 0x1ff);
	apic_write(APIC_LVT0, LVT_MASKED);
}

static uint32_t ioapic_read(uint32_t idx)
{
	*(volatile uint32_t *)(uintptr_t)IOAPIC_GPA = idx;
	return *(volatile uint32_t *)(uintptr_t)(IOAPIC_GPA + 0x10);
}

static void ioapic_write(uint32_t idx, uint32_t val)
{
	*(volatile uint32_t *)(uintptr_t)IOAPIC_GPA = idx;
	*(volatile uint32_t *)(uintptr_t)(IOAPIC_GPA + 0x10) = val;
}

static void irq_handler(struct mhv_ex_regs *r)
{
	last_vec = r->vector;
	n_irq++;
	if (eoi_in_handler)
		apic_write(APIC_EOI, 0);
}

static uint64_t wait_irqs(uint64_t n)
{
	uint64_t t0 = __builtin_ia32_rdtsc();

	__asm__ volatile("sti" ::: "memory");
	while (__builtin_ia32_rdtsc() - t0 < WAIT_TSC && n_irq < n)
		__asm__ volatile("pause" ::: "memory");
	return n_irq;
}

static void spin_on(void)
{
	uint64_t k;

	__asm__ volatile("sti" ::: "memory");
	for (k = __builtin_ia32_rdtsc(); __builtin_ia32_rdtsc() - k < QUIET_TSC;)
		__asm__ volatile("pause" ::: "memory");
}

/* Redirection entry @pin: @lo (vector, modes, mask), destination APIC 0 */
static void set_rte(unsigned int pin, uint32_t lo)
{
	ioapic_write(0x11 + 2 * pin, 0);
	ioapic_write(0x10 + 2 * pin, lo);
}

static int make_guest(struct mhv_guest *g, const char *name,
		      void (*entry)(uint64_t))
{
	int r;

	r = guest_create_features(g, name, 1, MHV_VM_F_IRQCHIP, entry, 0);
	if (r)
		return r;
	r = mhv_guest_setup_idt(g, IDT_GPA);
	if (!r)
		r = mhv_guest_install_handler(g, VEC_EDGE, irq_handler);
	if (!r)
		r = mhv_guest_install_handler(g, VEC_LEVEL, irq_handler);
	if (r)
		mhv_guest_destroy(g);
	return r;
}

#define setup(g, name, entry) ASSERT_EQ(0, make_guest((g), (name), (entry)))

/* MHV_IRQ_LINE: the routing contract's VM ioctl (probed directly). */
static int irq_line(struct mhv_guest *g, uint32_t gsi, uint32_t level)
{
	struct mhv_irq_level l = { .gsi = gsi, .level = level };

	return ioctl(g->vm_fd, MHV_IRQ_LINE, &l) ? -errno : 0;
}

/* Version, ID, arbitration ID and the table after reset; writes. */
static void guest_registers(uint64_t arg)
{
	unsigned int i;

	GUEST_ASSERT_EQ(ioapic_read(1), 0x00170011);
	GUEST_ASSERT_EQ(ioapic_read(0), 0);
	ioapic_write(0, 0xffffffff);
	GUEST_ASSERT_EQ(ioapic_read(0), 0x0f000000);
	GUEST_ASSERT_EQ(ioapic_read(2), 0x0f000000);
	ioapic_write(1, 0);
	GUEST_ASSERT_EQ(ioapic_read(1), 0x00170011);
	for (i = 0; i < 24; i++) {
		GUEST_ASSERT_EQ(ioapic_read(0x10 + 2 * i), RTE_MASKED);
		GUEST_ASSERT_EQ(ioapic_read(0x11 + 2 * i), 0);
	}
	/* no entry 24 */
	GUEST_ASSERT_EQ(ioapic_read(0x10 + 2 * 24), 0);
	ioapic_write(0x10 + 2 * 3, 0xffffffff);
	GUEST_ASSERT_EQ(ioapic_read(0x10 + 2 * 3), 0x1afff);
	ioapic_write(0x11 + 2 * 3, 0xffffffff);
	GUEST_ASSERT_EQ(ioapic_read(0x11 + 2 * 3), 0xff000000);
	GUEST_DONE();
}

TEST(registers_and_device)
{
	struct mhv_device_list list;
	struct mhv_device_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "ioapic-regs", guest_registers);
	ASSERT_EQ(0, mhv_list_devices(g.vm_fd, &list));
	/* the PIC and the PIT come first (selftests/pic.c), then it */
	ASSERT_EQ(3, list.nr);
	EXPECT_EQ(MHV_DEV_TYPE_IOAPIC, list.devices[2].type);
	EXPECT_EQ(MHV_DEV_SPACE_MMIO, list.devices[2].space);
	EXPECT_EQ(IOAPIC_GPA, list.devices[2].base);
	EXPECT_STREQ("ioapic", list.devices[2].name);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, mhv_get_device_stats(g.vm_fd, 2, &st));
	EXPECT_LT(50, st.reads);
	EXPECT_LT(50, st.writes);
	/* GSIs end at the I/O APIC's 24 pins; the level is 0 or 1 */
	EXPECT_EQ(-EINVAL, irq_line(&g, MHV_IRQCHIP_NR_GSI, 1));
	EXPECT_EQ(-EINVAL, irq_line(&g, 1, 2));
	mhv_guest_destroy(&g);
}

/* An edge entry: one interrupt per rising edge, none while masked. */
static void guest_edge(uint64_t arg)
{
	apic_on();
	set_rte(PIN_EDGE, VEC_EDGE);
	GUEST_SYNC(1);			/* host: line 0 -> 1 */
	GUEST_ASSERT_EQ(wait_irqs(1), 1);
	GUEST_ASSERT_EQ(last_vec, VEC_EDGE);
	GUEST_SYNC(2);			/* host: 1 again (no edge) */
	spin_on();
	GUEST_ASSERT_EQ(n_irq, 1);
	GUEST_SYNC(3);			/* host: 0, then 1 */
	GUEST_ASSERT_EQ(wait_irqs(2), 2);
	set_rte(PIN_EDGE, VEC_EDGE | RTE_MASKED);
	GUEST_SYNC(4);			/* host: 0, then 1, masked */
	spin_on();
	GUEST_ASSERT_EQ(n_irq, 2);
	GUEST_ASSERT_EQ(apic_read(APIC_TMR + (VEC_EDGE / 32) * 16) &
			(1U << (VEC_EDGE % 32)), 0);
	GUEST_DONE();
}

TEST(edge)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "ioapic-edge", guest_edge);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, irq_line(&g, PIN_EDGE, 1));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, irq_line(&g, PIN_EDGE, 1));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, irq_line(&g, PIN_EDGE, 0));
	ASSERT_EQ(0, irq_line(&g, PIN_EDGE, 1));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, irq_line(&g, PIN_EDGE, 0));
	ASSERT_EQ(0, irq_line(&g, PIN_EDGE, 1));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/*
 * A level entry: delivered with remote IRR set and the TMR bit at the
 * local APIC; while remote IRR is set nothing more comes; the EOI clears
 * it and, the line still high, the interrupt comes again; with the line
 * low the EOI clears remote IRR and nothing comes.
 */
static void guest_level(uint64_t arg)
{
	apic_on();
	eoi_in_handler = 0;
	set_rte(PIN_LEVEL, VEC_LEVEL | RTE_LEVEL);
	GUEST_SYNC(1);			/* host: line high */
	GUEST_ASSERT_EQ(wait_irqs(1), 1);
	GUEST_ASSERT_EQ(last_vec, VEC_LEVEL);
	GUEST_ASSERT(ioapic_read(0x10 + 2 * PIN_LEVEL) & RTE_REMOTE_IRR);
	GUEST_ASSERT(apic_read(APIC_TMR + (VEC_LEVEL / 32) * 16) &
		     (1U << (VEC_LEVEL % 32)));
	/* a write of the entry keeps remote IRR */
	set_rte(PIN_LEVEL, VEC_LEVEL | RTE_LEVEL);
	GUEST_ASSERT(ioapic_read(0x10 + 2 * PIN_LEVEL) & RTE_REMOTE_IRR);
	apic_write(APIC_EOI, 0);	/* still high: again */
	GUEST_ASSERT_EQ(wait_irqs(2), 2);
	GUEST_ASSERT(ioapic_read(0x10 + 2 * PIN_LEVEL) & RTE_REMOTE_IRR);
	GUEST_SYNC(2);			/* host: line low */
	apic_write(APIC_EOI, 0);
	GUEST_ASSERT_EQ(ioapic_read(0x10 + 2 * PIN_LEVEL) & RTE_REMOTE_IRR, 0);
	spin_on();
	GUEST_ASSERT_EQ(n_irq, 2);
	/* masked while the line goes high: sent when unmasked */
	set_rte(PIN_LEVEL, VEC_LEVEL | RTE_LEVEL | RTE_MASKED);
	GUEST_SYNC(3);			/* host: line high */
	spin_on();
	GUEST_ASSERT_EQ(n_irq, 2);
	set_rte(PIN_LEVEL, VEC_LEVEL | RTE_LEVEL);
	GUEST_ASSERT_EQ(wait_irqs(3), 3);
	apic_write(APIC_EOI, 0);
	GUEST_DONE();
}

TEST(level_remote_irr_eoi)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "ioapic-level", guest_level);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, irq_line(&g, PIN_LEVEL, 1));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, irq_line(&g, PIN_LEVEL, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, irq_line(&g, PIN_LEVEL, 1));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
