// SPDX-License-Identifier: GPL-2.0
/*
 * The 8259A PIC pair of MHV_VM_F_IRQCHIP, driven by a guest the way a
 * kernel drives it: the ICW1-4 initialization sequence, IMR masking,
 * IRR and ISR read through OCW3, fixed priorities (IRQ 0 highest, the
 * slave's 8-15 between IRQ 1 and 3 through the cascade on IRQ 2), EOI
 * (non-specific, specific), rotation by OCW2's set-priority command,
 * auto-EOI, the poll command, level-triggered inputs (ELCR) requesting
 * again after their EOI while the line is high, the slave's spurious IRQ
 * 7 (IRQ 15), and the ioctl side: the devices VM creation makes,
 * MHV_IRQ_LINE's checks, and an existing device (the interval timer)
 * whose GSI reaches the guest through the PIC while it sleeps in HLT.
 *
 * Expected values come from the 8259A datasheet: after ICW1 the IMR is
 * clear and IRQ 0 has the highest priority; OCW3 0x0a selects the IRR
 * for reading, 0x0b the ISR, 0x0c polls; OCW2 0x20 is the non-specific
 * EOI, 0x60 | n the specific EOI of level n, 0xc0 | n sets level n the
 * lowest priority; the PIIX ELCR has no bits for IRQ 0, 1, 2, 8, 13.
 * The lines are raised by the host (MHV_IRQ_LINE) while the guest waits
 * at a GUEST_SYNC with interrupts off; the guest then opens an interrupt
 * window of two instructions (STI; NOP; NOP; CLI), in which every
 * deliverable interrupt is taken: the module injects at the first
 * instruction boundary with RFLAGS.IF set.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <linux/serial_reg.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "pic_util.h"

/* the id of the first device a test adds: after the PIC, PIT and I/O APIC */
#define FIRST_DEV_ID	3
#define TIMER_PORT	0x540
#define COM1		0x3f8

/* An edge: the line rises and falls. */
static int pulse(struct mhv_guest *g, uint32_t gsi)
{
	int r = mhv_set_irq_line(g->vm_fd, gsi, 1);

	return r ? r : mhv_set_irq_line(g->vm_fd, gsi, 0);
}

static void guest_idle(uint64_t arg)
{
	GUEST_DONE();
}

/* The raw ioctl, to probe its checks. */
static int irq_line_raw(int vm_fd, const struct mhv_irq_level *l)
{
	return ioctl(vm_fd, MHV_IRQ_LINE, l) ? -errno : 0;
}

TEST(devices_and_ioctl_checks)
{
	struct mhv_irq_level l = { .gsi = 4, .level = 1 };
	struct mhv_device_list list;
	struct mhv_device_desc d;
	struct mhv_guest g;

	setup(&g, "pic-devices", guest_idle);
	ASSERT_EQ(0, mhv_list_devices(g.vm_fd, &list));
	ASSERT_EQ(3, list.nr);	/* and the I/O APIC (selftests/ioapic.c) */
	EXPECT_STREQ("pic", list.devices[0].name);
	EXPECT_EQ(MHV_DEV_TYPE_PIC, list.devices[0].type);
	EXPECT_EQ(MHV_PIC_MASTER_PORT, list.devices[0].base);
	EXPECT_STREQ("pit", list.devices[1].name);
	EXPECT_EQ(MHV_PIT_PORT, list.devices[1].base);
	ASSERT_EQ(0, mhv_describe_device(g.vm_fd, 0, &d));
	EXPECT_EQ(6, d.nr_regs);
	/* they exist once; their other port ranges are theirs too */
	EXPECT_EQ(-EEXIST, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_PIC,
					     MHV_DEV_SPACE_PIO, 0x20));
	EXPECT_EQ(-EEXIST, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_DEMO,
					     MHV_DEV_SPACE_PIO, 0x9c));
	EXPECT_EQ(-EEXIST, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_RTC,
					     MHV_DEV_SPACE_PIO, 0x4d0));
	EXPECT_EQ(-EEXIST, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_RTC,
					     MHV_DEV_SPACE_PIO, 0x60));
	/* MHV_IRQ_LINE: GSI below 24, level 0 or 1, reserved zero */
	EXPECT_EQ(0, irq_line_raw(g.vm_fd, &l));
	l.gsi = MHV_IRQCHIP_NR_GSI;
	EXPECT_EQ(-EINVAL, irq_line_raw(g.vm_fd, &l));
	l.gsi = 4;
	l.level = 2;
	EXPECT_EQ(-EINVAL, irq_line_raw(g.vm_fd, &l));
	l.level = 0;
	l.reserved[1] = 1;
	EXPECT_EQ(-EINVAL, irq_line_raw(g.vm_fd, &l));
	/* a GSI for a device: below 24, not with a vector */
	EXPECT_EQ(-EINVAL, mhv_create_device_gsi(g.vm_fd, MHV_DEV_TYPE_TIMER,
						 MHV_DEV_SPACE_PIO, TIMER_PORT,
						 MHV_IRQCHIP_NR_GSI));
	EXPECT_EQ(FIRST_DEV_ID, mhv_create_device_gsi(g.vm_fd, MHV_DEV_TYPE_TIMER,
					   MHV_DEV_SPACE_PIO, TIMER_PORT, 23));
	mhv_guest_destroy(&g);

	/* without the irqchip: no PIC, no lines, no GSIs */
	ASSERT_EQ(0, make_guest(&g, "pic-none", 0, guest_idle, 0));
	ASSERT_EQ(0, mhv_list_devices(g.vm_fd, &list));
	EXPECT_EQ(0, list.nr);
	EXPECT_EQ(-EINVAL, mhv_set_irq_line(g.vm_fd, 4, 1));
	EXPECT_EQ(-EINVAL, mhv_create_device_gsi(g.vm_fd, MHV_DEV_TYPE_TIMER,
						 MHV_DEV_SPACE_PIO, TIMER_PORT,
						 4));
	mhv_guest_destroy(&g);
}

/*
 * IRQ 3 and 5 raised while masked: both in the IRR, nothing delivered;
 * unmasked, IRQ 3 (higher priority) first, each in the ISR while its
 * handler runs, gone after the EOI.
 */
static void guest_mask_priority(uint64_t arg)
{
	pic_init(ICW4_8086, 0xff, 0xff);
	GUEST_ASSERT_EQ(guest_inb(M_DATA), 0xff);
	GUEST_ASSERT_EQ(guest_inb(S_DATA), 0xff);
	GUEST_ASSERT_EQ(read_irr(M_CMD), 0);
	GUEST_SYNC(1);			/* the host raises IRQ 5 and 3 */
	GUEST_ASSERT_EQ(read_irr(M_CMD), 0x28);
	GUEST_ASSERT_EQ(read_isr(M_CMD), 0);
	irq_window();
	GUEST_ASSERT_EQ(nseen, 0);	/* masked */
	guest_outb(M_DATA, 0xff & ~0x08 & ~0x20);
	irq_window();
	GUEST_ASSERT_EQ(nseen, 2);
	GUEST_ASSERT_EQ(seen_vec[0], MBASE + 3);
	GUEST_ASSERT_EQ(seen_isr[0], 0x08);
	GUEST_ASSERT_EQ(seen_vec[1], MBASE + 5);
	GUEST_ASSERT_EQ(seen_isr[1], 0x20);
	GUEST_ASSERT_EQ(read_irr(M_CMD), 0);
	GUEST_ASSERT_EQ(read_isr(M_CMD), 0);
	GUEST_DONE();
}

TEST(init_mask_irr_isr_priority_eoi)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "pic-priority", guest_mask_priority);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, pulse(&g, 5));
	ASSERT_EQ(0, pulse(&g, 3));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(2, vstat(&g, MHV_STAT_PIC_ACK));
	mhv_guest_destroy(&g);
}

/*
 * A line held high: edge-triggered IRQ 3 interrupts once; level-
 * triggered IRQ 5 (ELCR) requests again after each EOI until the
 * handler masks it at the third, and leaves the IRR when the line falls.
 */
static void guest_level(uint64_t arg)
{
	pic_init(ICW4_8086, 0xff & ~0x08, 0xff);
	guest_outb(ELCR_M, 0xff);	/* IRQ 0-2 stay edge */
	GUEST_ASSERT_EQ(guest_inb(ELCR_M), 0xf8);
	guest_outb(ELCR_S, 0xff);	/* IRQ 8 and 13 stay edge */
	GUEST_ASSERT_EQ(guest_inb(ELCR_S), 0xde);
	guest_outb(ELCR_S, 0);
	guest_outb(ELCR_M, 0x20);	/* IRQ 5 level, 3 edge */
	GUEST_SYNC(1);			/* the host raises both, keeps them */
	irq_window();
	GUEST_ASSERT_EQ(nseen, 1);
	GUEST_ASSERT_EQ(seen_vec[0], MBASE + 3);
	mask_at = 4;
	guest_outb(M_DATA, 0xff & ~0x20);
	irq_window();
	GUEST_ASSERT_EQ(nseen, 4);
	GUEST_ASSERT_EQ(seen_vec[3], MBASE + 5);
	GUEST_ASSERT_EQ(read_irr(M_CMD), 0x20);	/* the line is high */
	GUEST_SYNC(2);			/* the host lowers IRQ 5 */
	GUEST_ASSERT_EQ(read_irr(M_CMD), 0);
	guest_outb(M_DATA, 0xff & ~0x20);
	irq_window();
	GUEST_ASSERT_EQ(nseen, 4);
	GUEST_DONE();
}

TEST(level_triggered_requests_again)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "pic-level", guest_level);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_set_irq_line(g.vm_fd, 3, 1));
	ASSERT_EQ(0, mhv_set_irq_line(g.vm_fd, 5, 1));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_set_irq_line(g.vm_fd, 5, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/*
 * IRQ 10 through the cascade: the slave's vector, both chips' ISR (bit 2
 * of the master, bit 2 of the slave) in service. Raised with IRQ 5, it
 * goes first: the slave's inputs rank at IRQ 2. Then the slave's IRQ 10
 * masked after the master latched its cascade request: the spurious IRQ
 * 15 (slave vector 7), with only the master's ISR bit 2 set.
 */
static void guest_cascade(uint64_t arg)
{
	pic_init(ICW4_8086, 0xff & ~0x04 & ~0x20, 0xff & ~0x04);
	GUEST_SYNC(1);			/* the host raises IRQ 5 and 10 */
	GUEST_ASSERT_EQ(read_irr(S_CMD), 0x04);
	irq_window();
	GUEST_ASSERT_EQ(nseen, 2);
	GUEST_ASSERT_EQ(seen_vec[0], SBASE + 2);
	GUEST_ASSERT_EQ(seen_isr[0], 0x0404);
	GUEST_ASSERT_EQ(seen_vec[1], MBASE + 5);
	GUEST_ASSERT_EQ(seen_isr[1], 0x0020);
	GUEST_SYNC(2);			/* the host raises IRQ 10 again */
	GUEST_ASSERT_EQ(read_irr(M_CMD), 0x04);
	guest_outb(S_DATA, 0xff);
	irq_window();
	GUEST_ASSERT_EQ(nseen, 3);
	GUEST_ASSERT_EQ(seen_vec[2], SBASE + 7);
	GUEST_ASSERT_EQ(seen_isr[2], 0x0004);
	GUEST_ASSERT_EQ(read_isr(M_CMD), 0);
	GUEST_ASSERT_EQ(read_isr(S_CMD), 0);
	GUEST_DONE();
}

TEST(slave_cascade_and_spurious_irq15)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "pic-cascade", guest_cascade);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, pulse(&g, 5));
	ASSERT_EQ(0, pulse(&g, 10));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, pulse(&g, 10));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/*
 * Priorities rotated by "set priority" (IRQ 4 lowest: 5 highest), so 6
 * goes before 3; the poll command acknowledges without an interrupt; a
 * specific EOI clears its level only; in auto-EOI mode nothing stays in
 * service.
 */
static void guest_rotate_poll_aeoi(uint64_t arg)
{
	pic_init(ICW4_8086, 0xff & ~0x48, 0xff);
	guest_outb(M_CMD, SET_PRIO | 4);
	GUEST_SYNC(1);			/* the host raises IRQ 3 and 6 */
	irq_window();
	GUEST_ASSERT_EQ(nseen, 2);
	GUEST_ASSERT_EQ(seen_vec[0], MBASE + 6);
	GUEST_ASSERT_EQ(seen_vec[1], MBASE + 3);
	guest_outb(M_CMD, SET_PRIO | 7);	/* back to IRQ 0 highest */
	guest_outb(M_DATA, 0xff & ~0x12);
	GUEST_SYNC(2);			/* the host raises IRQ 4 and 1 */
	guest_outb(M_CMD, OCW3_POLL);
	GUEST_ASSERT_EQ(guest_inb(M_CMD), 0x80 | 1);
	GUEST_ASSERT_EQ(read_isr(M_CMD), 0x02);
	/* IRQ 1 in service holds IRQ 4 back */
	guest_outb(M_CMD, OCW3_POLL);
	GUEST_ASSERT_EQ(guest_inb(M_CMD), 0);
	/* a specific EOI of a level not in service changes nothing */
	guest_outb(M_CMD, SPEC_EOI | 4);
	GUEST_ASSERT_EQ(read_isr(M_CMD), 0x02);
	guest_outb(M_CMD, SPEC_EOI | 1);
	GUEST_ASSERT_EQ(read_isr(M_CMD), 0);
	guest_outb(M_CMD, OCW3_POLL);
	GUEST_ASSERT_EQ(guest_inb(M_CMD), 0x80 | 4);
	guest_outb(M_CMD, SPEC_EOI | 4);
	GUEST_ASSERT_EQ(read_isr(M_CMD), 0);
	guest_outb(M_CMD, OCW3_POLL);
	GUEST_ASSERT_EQ(guest_inb(M_CMD), 0);	/* nothing requested */
	pic_init(ICW4_AEOI, 0xff & ~0x08, 0xff);
	send_eoi = 0;
	GUEST_SYNC(3);			/* the host raises IRQ 3 */
	irq_window();
	GUEST_ASSERT_EQ(nseen, 3);
	GUEST_ASSERT_EQ(seen_vec[2], MBASE + 3);
	GUEST_ASSERT_EQ(seen_isr[2], 0);
	GUEST_DONE();
}

TEST(rotation_poll_specific_eoi_auto_eoi)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "pic-rotate", guest_rotate_poll_aeoi);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, pulse(&g, 3));
	ASSERT_EQ(0, pulse(&g, 6));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, pulse(&g, 4));
	ASSERT_EQ(0, pulse(&g, 1));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, pulse(&g, 3));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	/* the polls were no INTA cycles */
	EXPECT_EQ(3, vstat(&g, MHV_STAT_PIC_ACK));
	mhv_guest_destroy(&g);
}

/*
 * The interval timer device created with GSI 5 instead of a vector: its
 * periods reach the guest as IRQ 5 through the PIC, and wake it from HLT
 * in the kernel.
 */
static void guest_timer_gsi(uint64_t n)
{
	pic_init(ICW4_8086, 0xff & ~0x20, 0xff);
	guest_outl(TIMER_PORT + MHV_TIMER_PERIOD, 1000);
	guest_outl(TIMER_PORT + MHV_TIMER_CTRL, MHV_TIMER_CTRL_ENABLE);
	while (nseen < n)
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	guest_outl(TIMER_PORT + MHV_TIMER_CTRL, 0);
	GUEST_ASSERT_EQ(seen_vec[0], MBASE + 5);
	GUEST_ASSERT_EQ(seen_vec[n - 1], MBASE + 5);
	GUEST_DONE();
}

TEST(timer_device_gsi_through_pic)
{
	const uint64_t n = 5;
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, make_guest(&g, "pic-timer", MHV_VM_F_IRQCHIP,
				guest_timer_gsi, n));
	ASSERT_EQ(FIRST_DEV_ID, mhv_create_device_gsi(g.vm_fd, MHV_DEV_TYPE_TIMER,
					   MHV_DEV_SPACE_PIO, TIMER_PORT, 5));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_LE(n, vstat(&g, MHV_STAT_PIC_ACK));
	EXPECT_LE(1, vstat(&g, MHV_STAT_HALT_SLEEP));
	EXPECT_EQ(vstat(&g, MHV_STAT_HLT), vstat(&g, MHV_STAT_HALT_SLEEP));
	mhv_guest_destroy(&g);
}

/*
 * A UART on GSI 4, whose line follows its interrupt output: THR empty
 * raises it once (an edge input: no second request while it stays high);
 * reading IIR clears the source and lowers the line; a THR write sets the
 * source again, a new edge.
 */
static void guest_uart_gsi(uint64_t arg)
{
	pic_init(ICW4_8086, 0xff & ~0x10, 0xff);
	guest_outb(COM1 + UART_MCR, UART_MCR_OUT2);
	guest_outb(COM1 + UART_IER, UART_IER_THRI);
	irq_window();
	GUEST_ASSERT_EQ(nseen, 1);
	GUEST_ASSERT_EQ(seen_vec[0], MBASE + 4);
	irq_window();
	GUEST_ASSERT_EQ(nseen, 1);
	GUEST_ASSERT_EQ(guest_inb(COM1 + UART_IIR) & 0x0f, UART_IIR_THRI);
	GUEST_ASSERT_EQ(guest_inb(COM1 + UART_IIR) & 0x0f, UART_IIR_NO_INT);
	guest_outb(COM1 + UART_TX, 'x');
	irq_window();
	GUEST_ASSERT_EQ(nseen, 2);
	GUEST_ASSERT_EQ(seen_vec[1], MBASE + 4);
	GUEST_DONE();
}

TEST(uart_gsi_follows_its_output)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	setup(&g, "pic-uart", guest_uart_gsi);
	ASSERT_EQ(FIRST_DEV_ID, mhv_create_device_gsi(g.vm_fd, MHV_DEV_TYPE_UART,
					   MHV_DEV_SPACE_PIO, COM1, 4));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
