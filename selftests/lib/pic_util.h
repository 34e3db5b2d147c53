/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Selftest helpers for the PIC and PIT of MHV_VM_F_IRQCHIP: guest code
 * that initializes the 8259 pair and an interrupt handler recording what
 * it was given, and a guest made with the irqchip.
 */
#ifndef _MHV_PIC_UTIL_H
#define _MHV_PIC_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include "guest_util.h"

#define IDT_GPA		0x2000000ULL
#define MBASE		0x20		/* master: vectors 0x20-0x27 */
#define SBASE		0x28		/* slave: vectors 0x28-0x2f */
#define M_CMD		0x20
#define M_DATA		0x21
#define S_CMD		0xa0
#define S_DATA		0xa1
#define ELCR_M		0x4d0
#define ELCR_S		0x4d1
#define ICW1		0x11		/* edge, cascade, ICW4 follows */
#define ICW4_8086	0x01
#define ICW4_AEOI	0x03
#define OCW3_IRR	0x0a
#define OCW3_ISR	0x0b
#define OCW3_POLL	0x0c
#define EOI		0x20
#define SPEC_EOI	0x60
#define SET_PRIO	0xc0
#define MAX_SEEN	16

/* What the guest's handler saw: vectors and both ISRs (slave << 8). */
static volatile uint64_t nseen, seen_vec[MAX_SEEN], seen_isr[MAX_SEEN];
/*
 * handler policy: send EOIs (else auto-EOI), mask a level IRQ at @mask_at;
 * @count_only: only count (auto-EOI, no port access: the cheapest)
 */
static volatile uint64_t send_eoi = 1, mask_at, count_only;

static inline uint8_t read_isr(uint16_t cmd)
{
	guest_outb(cmd, OCW3_ISR);
	return guest_inb(cmd);
}

static inline uint8_t read_irr(uint16_t cmd)
{
	guest_outb(cmd, OCW3_IRR);
	return guest_inb(cmd);
}

static inline void pic_handler(struct mhv_ex_regs *r)
{
	uint64_t i = nseen;
	uint8_t m, s;

	if (count_only) {
		nseen = i + 1;
		return;
	}
	m = read_isr(M_CMD);
	s = read_isr(S_CMD);
	if (i < MAX_SEEN) {
		seen_vec[i] = r->vector;
		seen_isr[i] = m | s << 8;
	}
	nseen = i + 1;
	if (mask_at && nseen >= mask_at)
		guest_outb(M_DATA, guest_inb(M_DATA) |
			   1 << (r->vector - MBASE));
	if (!send_eoi)
		return;
	/* the slave's EOI only for a request it has in service */
	if (r->vector >= SBASE && s)
		guest_outb(S_CMD, EOI);
	guest_outb(M_CMD, EOI);
}

/* The initialization sequence of both chips, then the masks. */
static inline void pic_init(uint8_t icw4, uint8_t mmask, uint8_t smask)
{
	guest_outb(M_CMD, ICW1);
	guest_outb(M_DATA, MBASE);
	guest_outb(M_DATA, 1 << 2);	/* ICW3: a slave on IRQ 2 */
	guest_outb(M_DATA, icw4);
	guest_outb(S_CMD, ICW1);
	guest_outb(S_DATA, SBASE);
	guest_outb(S_DATA, 2);		/* ICW3: the slave's id */
	guest_outb(S_DATA, icw4);
	guest_outb(M_DATA, mmask);
	guest_outb(S_DATA, smask);
}

/* Every interrupt the PIC can deliver now is taken in here. */
static inline void irq_window(void)
{
	__asm__ volatile("sti; nop; nop; cli" ::: "memory");
}

static inline int make_guest(struct mhv_guest *g, const char *name,
		      uint32_t features, void (*entry)(uint64_t), uint64_t arg)
{
	unsigned int v;
	int r;

	r = guest_create_features(g, name, 1, features, entry, arg);
	if (r)
		return r;
	r = mhv_guest_setup_idt(g, IDT_GPA);
	for (v = MBASE; !r && v < SBASE + 8; v++)
		r = mhv_guest_install_handler(g, v, pic_handler);
	if (r)
		mhv_guest_destroy(g);
	return r;
}

#define setup(g, name, entry) \
	ASSERT_EQ(0, make_guest((g), (name), MHV_VM_F_IRQCHIP, (entry), 0))

static inline uint64_t vstat(struct mhv_guest *g, unsigned int i)
{
	struct mhv_vcpu_stats st;

	if (mhv_get_vcpu_stats(g->vcpu[0].fd, &st))
		return ~0ULL;
	return st.counters[i];
}

#endif
