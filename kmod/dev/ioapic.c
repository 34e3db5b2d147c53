// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the I/O APIC (82093AA, as KVM and QEMU model it; version
 * 0x11, 24 pins, GSI = pin), a device of the framework at 0xfec00000 in
 * VMs with MHV_VM_F_IRQCHIP.
 *
 *   0x00 IOREGSEL  32-bit  index of the register IOWIN reaches
 *   0x10 IOWIN     32-bit  the register: 0x00 ID (bits 27:24), 0x01
 *                          version (0x00170011: 24 entries, read-only),
 *                          0x02 arbitration ID (read-only, = ID), 0x10 +
 *                          2n / 0x11 + 2n the low / high half of
 *                          redirection entry n
 *
 * A redirection entry (82093AA datasheet 3.2.4): vector 7:0, delivery
 * mode 10:8, destination mode 11, delivery status 12 (reads 0), polarity
 * 13, remote IRR 14 (read-only), trigger mode 15, mask 16, destination
 * 63:56. mhv_ioapic_set_irq() drives a pin: an edge entry sends its
 * message on a rising edge; a level entry sends it while the pin is
 * asserted and remote IRR is clear, and sets remote IRR; the EOI of its
 * vector at a local APIC (mhv_ioapic_eoi()) clears remote IRR, and the
 * message goes again if the pin is still asserted. A masked pin sends
 * nothing (an edge while masked is lost; a level pin sends on unmask).
 * The level given is the asserted state, whatever the polarity bit says.
 *
 * Locking: dev->lock protects the state; local APICs are reached under
 * it (lock order in irqchip.h).
 */
#include <asm/apicdef.h>

#include "dev.h"
#include "irqchip.h"

#define IOAPIC_PINS		24
#define IOAPIC_VERSION		(0x11 | ((IOAPIC_PINS - 1) << 16))
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_TABLE	0x10
#define IOAPIC_SIZE		0x100

#define IOAPIC_RTE_DELIVS	BIT_ULL(12)
#define IOAPIC_RTE_REMOTE_IRR	BIT_ULL(14)
#define IOAPIC_RTE_LEVEL	BIT_ULL(15)
#define IOAPIC_RTE_MASKED	BIT_ULL(16)
/* the bits software writes: all but delivery status and remote IRR */
#define IOAPIC_RTE_RW		(GENMASK_ULL(11, 0) | BIT_ULL(13) |	\
				 IOAPIC_RTE_LEVEL | IOAPIC_RTE_MASKED |	\
				 GENMASK_ULL(63, 56))

enum { IOAPIC_SEL, IOAPIC_WIN };

static const struct mhv_dev_reg mhv_ioapic_regs[] = {
	[IOAPIC_SEL]	= { "ioregsel", 0x00, 4, 4, 0 },
	[IOAPIC_WIN]	= { "iowin", 0x10, 4, 4, 0 },
};

/* dev->state, under dev->lock */
struct mhv_ioapic {
	u32 sel;			/* IOREGSEL */
	u32 id;				/* ID register (bits 27:24) */
	u32 lines;			/* pins asserted, bit n = pin n */
	u64 rte[IOAPIC_PINS];		/* redirection table */
};

static void ioapic_reset(struct mhv_dev *dev)
{
	struct mhv_ioapic *s = mhv_dev_state(dev);
	unsigned int i;

	s->sel = 0;
	s->id = 0;
	/* every entry masked at reset (datasheet 3.2.4) */
	for (i = 0; i < IOAPIC_PINS; i++)
		s->rte[i] = IOAPIC_RTE_MASKED;
	/* the pins keep their input level: they are the devices' */
}

/* Send pin @pin's message if it is due; dev->lock held. */
static void ioapic_service(struct mhv_dev *dev, unsigned int pin)
{
	struct mhv_ioapic *s = mhv_dev_state(dev);
	u64 rte = s->rte[pin];
	struct mhv_apic_irq irq = {
		.vector = rte & 0xff,
		.delivery_mode = MHV_APIC_DM(rte),
		.level = true,
		.trig_level = rte & IOAPIC_RTE_LEVEL,
		.dest_logical = rte & APIC_DEST_LOGICAL,
		.dest = rte >> 56,
	};

	if (!(s->lines & BIT(pin)) || (rte & IOAPIC_RTE_MASKED))
		return;
	if (irq.trig_level) {
		if (rte & IOAPIC_RTE_REMOTE_IRR)
			return;
		if (irq.delivery_mode <= MHV_APIC_DM(APIC_DM_LOWEST))
			s->rte[pin] |= IOAPIC_RTE_REMOTE_IRR;
	}
	if (!mhv_apic_deliver(dev->vm, NULL, &irq) && irq.trig_level)
		s->rte[pin] &= ~IOAPIC_RTE_REMOTE_IRR;	/* nobody took it */
}

static u32 ioapic_read_win(struct mhv_ioapic *s)
{
	unsigned int n;

	switch (s->sel) {
	case IOAPIC_REG_ID:
	case IOAPIC_REG_ARB:
		return s->id;
	case IOAPIC_REG_VERSION:
		return IOAPIC_VERSION;
	}
	n = (s->sel - IOAPIC_REG_TABLE) / 2;
	if (s->sel < IOAPIC_REG_TABLE || n >= IOAPIC_PINS)
		return 0;
	return s->sel & 1 ? s->rte[n] >> 32 : (u32)s->rte[n];
}

static void ioapic_write_win(struct mhv_dev *dev, u32 val)
{
	struct mhv_ioapic *s = mhv_dev_state(dev);
	unsigned int n = (s->sel - IOAPIC_REG_TABLE) / 2;
	u64 rte;

	if (s->sel == IOAPIC_REG_ID) {
		s->id = val & (0xf << 24);
		return;
	}
	if (s->sel < IOAPIC_REG_TABLE || n >= IOAPIC_PINS)
		return;
	rte = s->rte[n];
	if (s->sel & 1)
		rte = (rte & 0xffffffffULL) | (u64)val << 32;
	else
		rte = (rte & ~0xffffffffULL) | val;
	s->rte[n] = (rte & IOAPIC_RTE_RW) |
		    (s->rte[n] & IOAPIC_RTE_REMOTE_IRR);
	if (!(s->rte[n] & IOAPIC_RTE_LEVEL))
		s->rte[n] &= ~IOAPIC_RTE_REMOTE_IRR;
	/* an unmasked level pin that is asserted sends now */
	if (s->rte[n] & IOAPIC_RTE_LEVEL)
		ioapic_service(dev, n);
}

static u64 ioapic_peek(struct mhv_dev *dev, unsigned int reg)
{
	struct mhv_ioapic *s = mhv_dev_state(dev);

	return reg == IOAPIC_SEL ? s->sel : ioapic_read_win(s);
}

static u64 ioapic_read(struct mhv_dev *dev, unsigned int reg, u8 size)
{
	return ioapic_peek(dev, reg);
}

static int ioapic_write(struct mhv_dev *dev, unsigned int reg, u8 size,
			u64 val)
{
	struct mhv_ioapic *s = mhv_dev_state(dev);

	if (reg == IOAPIC_SEL)
		s->sel = val & 0xff;
	else
		ioapic_write_win(dev, val);
	return MHV_DEV_DONE;
}

const struct mhv_dev_ops mhv_dev_ioapic_ops = {
	.name		= "ioapic",
	.size		= IOAPIC_SIZE,
	.regs		= mhv_ioapic_regs,
	.nr_regs	= ARRAY_SIZE(mhv_ioapic_regs),
	.state_size	= sizeof(struct mhv_ioapic),
	.max_per_vm	= 1,
	.irqchip	= true,
	.reset		= ioapic_reset,
	.read		= ioapic_read,
	.write		= ioapic_write,
	.peek		= ioapic_peek,
};

/* The VM's I/O APIC, or NULL (lock-free, see struct mhv_vm). */
static struct mhv_dev *ioapic_of(struct mhv_vm *vm)
{
	return mhv_dev_find_type(vm, MHV_DEV_TYPE_IOAPIC);
}

/**
 * mhv_ioapic_set_irq() - drive pin @pin of the VM's I/O APIC.
 * @vm:    the VM
 * @pin:   0..23 (GSI)
 * @level: asserted or not
 *
 * Any context. Without an I/O APIC, or for a pin it does not have,
 * nothing happens.
 */
void mhv_ioapic_set_irq(struct mhv_vm *vm, u32 pin, bool level)
{
	struct mhv_dev *dev = ioapic_of(vm);
	struct mhv_ioapic *s;
	unsigned long flags;
	bool rising;

	if (!dev || pin >= IOAPIC_PINS)
		return;
	s = mhv_dev_state(dev);
	spin_lock_irqsave(&dev->lock, flags);
	rising = level && !(s->lines & BIT(pin));
	if (level)
		s->lines |= BIT(pin);
	else
		s->lines &= ~BIT(pin);
	if (rising || (level && (s->rte[pin] & IOAPIC_RTE_LEVEL)))
		ioapic_service(dev, pin);
	spin_unlock_irqrestore(&dev->lock, flags);
}

/**
 * mhv_ioapic_eoi() - a local APIC ended level-triggered @vector.
 * @vm:     the VM
 * @vector: the vector
 *
 * Clears remote IRR of the level entries with that vector; a pin still
 * asserted sends its message again. Any context, with no local APIC's
 * lock held.
 */
void mhv_ioapic_eoi(struct mhv_vm *vm, u8 vector)
{
	struct mhv_dev *dev = ioapic_of(vm);
	struct mhv_ioapic *s;
	unsigned long flags;
	unsigned int i;

	if (!dev)
		return;
	s = mhv_dev_state(dev);
	spin_lock_irqsave(&dev->lock, flags);
	for (i = 0; i < IOAPIC_PINS; i++) {
		if ((s->rte[i] & 0xff) != vector ||
		    !(s->rte[i] & IOAPIC_RTE_REMOTE_IRR))
			continue;
		s->rte[i] &= ~IOAPIC_RTE_REMOTE_IRR;
		ioapic_service(dev, i);
	}
	spin_unlock_irqrestore(&dev->lock, flags);
}

