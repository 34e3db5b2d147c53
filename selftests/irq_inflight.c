// SPDX-License-Identifier: GPL-2.0
/*
 * An external interrupt whose delivery an exit interrupted is in flight:
 * its controller already handed it over (the PIC's INTA cycle moved it
 * from IRR to ISR there, the local APIC moved it from IRR to ISR, or it
 * left the bitmap of a VM without the irqchip), so it is delivered again
 * as it is, once, and never put back into a controller. Here userspace
 * also clears RFLAGS.IF before the next entry (VT-x refuses to inject
 * an external interrupt then): the interrupt waits until the guest sets
 * IF, on both backends, and comes first then.
 *
 * Reaching that state deterministically: guest pages are mapped on
 * demand, so the first delivery's read of the IDT page takes a nested
 * page fault (mhv_guest.h). The host has put a MAP_SHARED mapping of a
 * ramfs file behind that page, which may not back guest memory: the
 * fault fails and MHV_RUN returns EOPNOTSUPP with the VM intact
 * (selftests/limits_slot_memory.c), the interrupt in flight. The host
 * puts anonymous memory with the IDT back, clears IF with MHV_SET_REGS
 * and runs on.
 *
 * Expected, from the 8259A and SDM 11.8.4 (ISR: in service until EOI):
 * - a PIC interrupt stays in the PIC's ISR and out of its IRR while it
 *   waits, never shows in the local APIC (MHV_GET_LAPIC: no IRR or ISR
 *   bit), is taken once by the guest's handler, whose PIC EOI clears the
 *   ISR, so that the same IRQ raised again comes again;
 * - a local APIC interrupt (MHV_INTERRUPT) stays in the APIC's ISR while
 *   it waits; raised once more meanwhile it is also in the IRR, and the
 *   guest takes it twice: the one in flight, then, after its EOI, the
 *   one raised again;
 * - without the irqchip the same, with the vector raised again pending
 *   in the vCPU: two deliveries.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "pic_util.h"

#define PAGE		4096UL
#define PIC_IRQ		4		/* master IRQ 4: vector MBASE + 4 */
#define PIC_VEC		(MBASE + PIC_IRQ)
#define VEC		0x45		/* MHV_INTERRUPT's vector */
#define APIC_GPA	0xfee00000ULL
#define APIC_EOI	0xb0
#define APIC_SVR	0xf0
#define APIC_ISR	0x100
#define APIC_IRR	0x200
#define SVR_ENABLE	0x100
#define RFLAGS_IF	(1ULL << 9)
#define SPIN_MAX	20000000ULL	/* a bound, so a lost interrupt fails */
#define FRESH_GPA	0x1800000ULL	/* 24 MiB: nothing of the guest there */

/* ---- guest side ---------------------------------------------------------- */

static volatile uint64_t n_vec, eoi_apic;

static void vec_handler(struct mhv_ex_regs *r)
{
	n_vec++;
	if (eoi_apic)
		*(volatile uint32_t *)(uintptr_t)(APIC_GPA + APIC_EOI) = 0;
}

/* With interrupts on until @n interrupts came (a bounded time); off. */
static uint64_t wait_vec(uint64_t n)
{
	uint64_t i;

	__asm__ volatile("sti" ::: "memory");
	for (i = 0; i < SPIN_MAX && n_vec < n; i++)
		__asm__ volatile("pause" ::: "memory");
	__asm__ volatile("cli" ::: "memory");
	return n_vec;
}

/* IRQ 4 of the PIC; the host raises it at SYNC 0 and again at SYNC 2. */
static void guest_pic(uint64_t arg)
{
	pic_init(ICW4_8086, (uint8_t)~(1 << PIC_IRQ), 0xff);
	GUEST_SYNC(0);
	irq_window();		/* its delivery fails; the host clears IF */
	GUEST_ASSERT_EQ(nseen, 0);
	/* acknowledged: in service at the PIC, no longer requested */
	GUEST_ASSERT_EQ(read_isr(M_CMD), 1 << PIC_IRQ);
	GUEST_ASSERT_EQ(read_irr(M_CMD), 0);
	GUEST_SYNC(1);
	irq_window();
	GUEST_ASSERT_EQ(nseen, 1);
	GUEST_ASSERT_EQ(seen_vec[0], PIC_VEC);
	GUEST_ASSERT_EQ(seen_isr[0], 1 << PIC_IRQ);
	/* the handler's EOI ended it; nothing else comes */
	GUEST_ASSERT_EQ(read_isr(M_CMD), 0);
	irq_window();
	GUEST_ASSERT_EQ(nseen, 1);
	GUEST_SYNC(2);
	irq_window();
	GUEST_ASSERT_EQ(nseen, 2);
	GUEST_ASSERT_EQ(seen_vec[1], PIC_VEC);
	GUEST_DONE();
}

/* VEC from MHV_INTERRUPT, at the local APIC when @apic. */
static void guest_raised(uint64_t apic)
{
	eoi_apic = apic;
	if (apic)
		*(volatile uint32_t *)(uintptr_t)(APIC_GPA + APIC_SVR) =
			SVR_ENABLE | 0xff;
	GUEST_SYNC(0);
	irq_window();		/* its delivery fails; raised again, IF cleared */
	GUEST_ASSERT_EQ(n_vec, 0);
	GUEST_SYNC(1);
	GUEST_ASSERT_EQ(wait_vec(2), 2);
	irq_window();		/* nothing more */
	GUEST_ASSERT_EQ(n_vec, 2);
	GUEST_DONE();
}

/*
 * VEC in flight, IF cleared: the guest sets IF with STI and, in the STI
 * shadow, touches a page for the first time (a nested page fault exits
 * with the shadow still on). The interrupt waits for the end of the
 * shadow (VT-x refuses an entry that injects one inside it, SDM
 * 26.3.1.5) and comes right after the store.
 */
static void guest_shadow(uint64_t arg)
{
	GUEST_SYNC(0);
	irq_window();		/* its delivery fails; IF cleared */
	GUEST_ASSERT_EQ(n_vec, 0);
	GUEST_SYNC(1);
	__asm__ volatile("sti; movq $1, (%0); nop; nop; cli"
			 : : "r"(FRESH_GPA) : "memory");
	GUEST_ASSERT_EQ(n_vec, 1);
	GUEST_DONE();
}

/* ---- host side ----------------------------------------------------------- */

/* The IDT page's memory replaced by a shared ramfs mapping, and back. */
struct idt_trap {
	char dir[64];
	uint8_t *page;
	uint8_t saved[PAGE];
};

/* Anonymous memory again, with the IDT; the ramfs goes. */
static int untrap_idt(struct idt_trap *t)
{
	void *m = mmap(t->page, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (m == t->page)
		memcpy(t->page, t->saved, PAGE);
	umount(t->dir);
	rmdir(t->dir);
	return m == t->page ? 0 : -1;
}

static int trap_idt(struct idt_trap *t, struct mhv_guest *g)
{
	void *m = MAP_FAILED;
	char path[96];
	int fd;

	t->page = mhv_guest_ptr(g, IDT_GPA);
	strcpy(t->dir, "/tmp/mhv-inflight-XXXXXX");
	if (!t->page || !mkdtemp(t->dir))
		return -1;
	memcpy(t->saved, t->page, PAGE);
	if (mount("ramfs", t->dir, "ramfs", 0, NULL)) {
		rmdir(t->dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/idt", t->dir);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	if (fd >= 0 && !ftruncate(fd, PAGE))
		m = mmap(t->page, PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, fd, 0);
	if (fd >= 0)
		close(fd);
	if (m == t->page)
		return 0;
	untrap_idt(t);
	return -1;
}

/*
 * The interrupt the guest is about to take: its delivery fails on the
 * IDT page, MHV_RUN returns EOPNOTSUPP with the interrupt in flight;
 * then the IDT is back and RFLAGS.IF clear.
 */
static void fail_delivery_clear_if(struct __test_metadata *_metadata,
				   struct mhv_guest *g)
{
	struct mhv_ucall uc;
	struct mhv_regs regs;
	struct idt_trap t;
	int r;

	ASSERT_EQ(0, trap_idt(&t, g));
	r = mhv_guest_run(g, 0, &uc);
	ASSERT_EQ(0, untrap_idt(&t));
	if (r != -EOPNOTSUPP)
		GUEST_RUN_LOG(g, 0, &uc, r);
	ASSERT_EQ(-EOPNOTSUPP, r);
	ASSERT_EQ(0, mhv_get_regs(g->vcpu[0].fd, &regs));
	ASSERT_TRUE(regs.rflags & RFLAGS_IF);
	regs.rflags &= ~RFLAGS_IF;
	ASSERT_EQ(0, mhv_set_regs(g->vcpu[0].fd, &regs));
}

/* @vec's bit in the local APIC's 256-bit register at @reg (IRR, ISR). */
static int apic_bit(struct mhv_guest *g, unsigned int reg, unsigned int vec)
{
	struct mhv_lapic_state st;

	if (mhv_get_lapic(g->vcpu[0].fd, &st))
		return -1;
	return mhv_lapic_reg(&st, reg + 0x10 * (vec / 32)) >> (vec % 32) & 1;
}

TEST(pic_interrupt_in_flight)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "inflight-pic", guest_pic);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_set_irq_line(g.vm_fd, PIC_IRQ, 1));
	fail_delivery_clear_if(_metadata, &g);
	EXPECT_EQ(1, vstat(&g, MHV_STAT_PIC_ACK));
	EXPECT_LE(1, vstat(&g, MHV_STAT_REINJECT));

	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(1, uc.args[0]);
	EXPECT_EQ(0, apic_bit(&g, APIC_IRR, PIC_VEC));
	EXPECT_EQ(0, apic_bit(&g, APIC_ISR, PIC_VEC));
	EXPECT_EQ(0, g.vcpu[0].run->ready_for_interrupt_injection);

	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(2, uc.args[0]);
	EXPECT_EQ(0, apic_bit(&g, APIC_IRR, PIC_VEC));
	EXPECT_EQ(0, apic_bit(&g, APIC_ISR, PIC_VEC));
	/* one INTA cycle, one interrupt, none through the local APIC */
	EXPECT_EQ(1, vstat(&g, MHV_STAT_PIC_ACK));
	EXPECT_EQ(1, vstat(&g, MHV_STAT_IRQ_INJECTED));
	EXPECT_EQ(0, vstat(&g, MHV_STAT_APIC_IRQ));

	/* an edge again: the PIC's ISR is free, it comes */
	ASSERT_EQ(0, mhv_set_irq_line(g.vm_fd, PIC_IRQ, 0));
	ASSERT_EQ(0, mhv_set_irq_line(g.vm_fd, PIC_IRQ, 1));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(2, vstat(&g, MHV_STAT_PIC_ACK));
	EXPECT_EQ(2, vstat(&g, MHV_STAT_IRQ_INJECTED));
	mhv_guest_destroy(&g);
}

/* MHV_INTERRUPT's VEC in flight, raised again meanwhile: two deliveries. */
static void raised_in_flight(struct __test_metadata *_metadata,
			     uint32_t features)
{
	bool apic = features & MHV_VM_F_IRQCHIP;
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, make_guest(&g, "inflight-raised", features, guest_raised,
				apic));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC, vec_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_interrupt(g.vcpu[0].fd, VEC));
	fail_delivery_clear_if(_metadata, &g);
	if (apic) {	/* taken: in service, not requested */
		EXPECT_EQ(1, apic_bit(&g, APIC_ISR, VEC));
		EXPECT_EQ(0, apic_bit(&g, APIC_IRR, VEC));
	}
	ASSERT_EQ(0, mhv_interrupt(g.vcpu[0].fd, VEC));

	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(1, uc.args[0]);
	if (apic) {	/* one in service, one requested */
		EXPECT_EQ(1, apic_bit(&g, APIC_ISR, VEC));
		EXPECT_EQ(1, apic_bit(&g, APIC_IRR, VEC));
	}
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	if (apic) {
		EXPECT_EQ(0, apic_bit(&g, APIC_ISR, VEC));
		EXPECT_EQ(0, apic_bit(&g, APIC_IRR, VEC));
		EXPECT_EQ(2, vstat(&g, MHV_STAT_APIC_IRQ));
	}
	EXPECT_EQ(2, vstat(&g, MHV_STAT_IRQ_INJECTED));
	EXPECT_LE(1, vstat(&g, MHV_STAT_REINJECT));
	mhv_guest_destroy(&g);
}

TEST(lapic_interrupt_in_flight)
{
	raised_in_flight(_metadata, MHV_VM_F_IRQCHIP);
}

TEST(interrupt_in_flight_without_irqchip)
{
	raised_in_flight(_metadata, 0);
}

TEST(in_flight_waits_out_an_sti_shadow)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, make_guest(&g, "inflight-shadow", 0, guest_shadow, 0));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC, vec_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_interrupt(g.vcpu[0].fd, VEC));
	fail_delivery_clear_if(_metadata, &g);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(1, uc.args[0]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(1, vstat(&g, MHV_STAT_IRQ_INJECTED));
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
