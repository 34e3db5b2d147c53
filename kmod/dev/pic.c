// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the PC's two cascaded 8259A interrupt controllers and the
 * ELCR (MHV_DEV_TYPE_PIC), created with the VM by MHV_VM_F_IRQCHIP.
 *
 *   0x20-0x21   master: command (ICW1, OCW2, OCW3; reads IRR, ISR or the
 *               poll word) and data (ICW2-4 during initialization, else
 *               OCW1: the IMR)
 *   0xa0-0xa1   slave, the same; its output is the master's input 2
 *   0x4d0-0x4d1 ELCR: one bit per IRQ, 1 level-triggered, 0 edge; IRQ 0,
 *               1, 2, 8 and 13 are always edge (the bits read 0)
 *
 * One device with three port ranges (dev.h: ops->extra). Register
 * offsets: 0-1 master, 2-3 slave, 4-5 ELCR (MHV_PIC_* in the uapi).
 *
 * Model: an edge input sets its IRR bit when its line rises; a level
 * input's IRR bit follows the line. The highest-priority request not
 * masked (IMR, or with the special mask mode the ISR bits masked too)
 * and above every request in service drives the chip's output (rotating
 * priorities: priority_add is the IRQ of highest priority). The slave's
 * output is a rising edge on the master's input 2 (the cascade, ELCR bit
 * 2 is always edge). The master's output is the INTR line of the boot
 * vCPU: when it rises the vCPU is kicked; at injection mhv_pic_ack() is
 * the INTA cycle: the IRQ moves from IRR to ISR (edge: IRR clears; level:
 * IRR follows the line) or, in auto-EOI mode, the ISR bit is never set.
 * A request gone by then is the spurious IRQ 7 of that chip (the slave's
 * when the master's input 2 was latched but the slave has no request
 * left: IRQ 15, with the master's ISR bit 2 set as on the hardware).
 * ICW1's LTIM bit is ignored: on a PC the ELCR says edge or level. The
 * buffered mode and microprocessor mode bits of ICW4 are stored only.
 */
#include <linux/bits.h>
#include <asm/i8259.h>

#include "dev.h"
#include "irqchip.h"

enum { PIC_M_CMD, PIC_M_DATA, PIC_S_CMD, PIC_S_DATA, PIC_ELCR_M, PIC_ELCR_S };

static const struct mhv_dev_reg mhv_pic_regs[] = {
	[PIC_M_CMD]	= { "master_cmd", MHV_PIC_MASTER_CMD, 1, 1, 0 },
	[PIC_M_DATA]	= { "master_imr", MHV_PIC_MASTER_DATA, 1, 1, 0 },
	[PIC_S_CMD]	= { "slave_cmd", MHV_PIC_SLAVE_CMD, 1, 1, 0 },
	[PIC_S_DATA]	= { "slave_imr", MHV_PIC_SLAVE_DATA, 1, 1, 0 },
	[PIC_ELCR_M]	= { "elcr_master", MHV_PIC_ELCR_MASTER, 1, 1, 0 },
	[PIC_ELCR_S]	= { "elcr_slave", MHV_PIC_ELCR_SLAVE, 1, 1, 0 },
};

/* The slave's and the ELCR's ports, after the master's (0x20) */
static const struct mhv_dev_range mhv_pic_extra[] = {
	{ PIC_SLAVE_CMD, 2, MHV_PIC_SLAVE_CMD },
	{ PIC_ELCR1, 2, MHV_PIC_ELCR_MASTER },
};

/* Command and data words (8259A datasheet) */
#define ICW1_IC4	BIT(0)	/* an ICW4 follows */
#define ICW1_SNGL	BIT(1)	/* single: no ICW3 */
#define ICW1_INIT	BIT(4)	/* on the command port: ICW1 */
#define ICW4_SFNM	BIT(4)	/* special fully nested mode */
#define OCW3_SEL	BIT(3)	/* on the command port, bit 4 clear: OCW3 */
#define OCW3_RIS	BIT(0)	/* read ISR (else IRR) ... */
#define OCW3_RR		BIT(1)	/* ... if this is set */
#define OCW3_POLL	BIT(2)
#define OCW3_SMM	BIT(5)	/* special mask mode on (else off) ... */
#define OCW3_ESMM	BIT(6)	/* ... if this is set */
#define OCW2_EOI	BIT(5)
#define OCW2_SL		BIT(6)	/* specific: the level is in bits 2-0 */
#define OCW2_R		BIT(7)	/* rotate */
#define POLL_INT	BIT(7)	/* poll word: an interrupt was pending */

/* ELCR bits that exist: IRQ 0, 1, 2 and 8, 13 are always edge */
static const u8 mhv_elcr_mask[2] = { 0xf8, 0xde };

/* One 8259A; all under dev->lock. */
struct mhv_pic_chip {
	u8 irr;			/* interrupt requests */
	u8 isr;			/* in service */
	u8 imr;			/* masked */
	u8 line;		/* input levels, for edge detection */
	u8 elcr;		/* level-triggered inputs */
	u8 base;		/* ICW2: vector of IRQ 0 of the chip */
	u8 priority_add;	/* IRQ of highest priority */
	u8 init_state;		/* 0 ready, else the ICW expected next */
	bool need_icw4;
	bool single;
	bool auto_eoi;
	bool rotate_auto_eoi;
	bool sfnm;		/* special fully nested mode (ICW4) */
	bool special_mask;
	bool read_isr;		/* OCW3: the command port reads the ISR */
	bool poll;		/* OCW3: the next read is a poll */
	u8 icw4;		/* as written */
};

/* dev->state */
struct mhv_pic {
	struct mhv_pic_chip chip[2];	/* (dev->lock) master, slave */
	bool output;			/* (dev->lock) the master's INTR */
};

static struct mhv_pic *pic_of(struct mhv_dev *dev)
{
	return mhv_dev_state(dev);
}

/* The priority (0 highest) of the best request in @mask, 8: none. */
static int pic_priority(const struct mhv_pic_chip *c, u8 mask)
{
	int p;

	for (p = 0; p < 8; p++)
		if (mask & BIT((p + c->priority_add) & 7))
			return p;
	return 8;
}

/* The IRQ the chip presents to the CPU (or the master), -1: none. */
static int pic_best_irq(const struct mhv_pic_chip *c, bool master)
{
	u8 in_service = c->isr;
	int p;

	p = pic_priority(c, c->irr & ~c->imr);
	if (p == 8)
		return -1;
	if (c->special_mask)
		in_service &= ~c->imr;
	/* the slave's other requests may nest in its cascade input */
	if (master && c->sfnm)
		in_service &= ~BIT(PIC_CASCADE_IR);
	if (p >= pic_priority(c, in_service))
		return -1;
	return (p + c->priority_add) & 7;
}

/* Input @irq of chip @c goes to @level. */
static void pic_input(struct mhv_pic_chip *c, unsigned int irq, bool level)
{
	u8 bit = BIT(irq);

	if (c->elcr & bit) {
		if (level)
			c->irr |= bit;
		else
			c->irr &= ~bit;
	} else if (level && !(c->line & bit)) {
		c->irr |= bit;
	}
	if (level)
		c->line |= bit;
	else
		c->line &= ~bit;
}

/*
 * Propagate a change: the slave's output is a pulse on the master's
 * input 2; the master's output is INTR, and its rising edge kicks the
 * boot vCPU. Under dev->lock, after every change of the state.
 */
static void pic_update(struct mhv_dev *dev)
{
	struct mhv_pic *s = pic_of(dev);
	struct mhv_vcpu *vcpu;
	bool out;

	if (pic_best_irq(&s->chip[1], false) >= 0) {
		pic_input(&s->chip[0], PIC_CASCADE_IR, true);
		pic_input(&s->chip[0], PIC_CASCADE_IR, false);
	}
	out = pic_best_irq(&s->chip[0], true) >= 0;
	if (out && !s->output) {
		/* pairs with smp_store_release() in mhv_create_vcpu() */
		vcpu = smp_load_acquire(&dev->vm->boot_vcpu);
		if (vcpu)
			mhv_vcpu_kick(vcpu);
	}
	s->output = out;
}

/* The CPU (or the poll command) acknowledges @irq of chip @c. */
static void pic_intack(struct mhv_pic_chip *c, int irq)
{
	if (!c->auto_eoi)
		c->isr |= BIT(irq);
	else if (c->rotate_auto_eoi)
		c->priority_add = (irq + 1) & 7;
	/* a level input stays requested while its line is high */
	if (!(c->elcr & BIT(irq)))
		c->irr &= ~BIT(irq);
}

/**
 * mhv_pic_set_irq() - ISA IRQ @irq (0-15) goes to @level.
 * @vm:    a VM with the irqchip
 * @irq:   the input: 0-7 master, 8-15 slave
 * @level: the line is high
 *
 * Any context; takes the PIC's dev->lock (see irqchip.h for the order).
 */
void mhv_pic_set_irq(struct mhv_vm *vm, u32 irq, bool level)
{
	struct mhv_dev *dev = vm->pic;
	unsigned long flags;

	if (!dev || irq >= 16)
		return;
	spin_lock_irqsave(&dev->lock, flags);
	pic_input(&pic_of(dev)->chip[irq >> 3], irq & 7, level);
	pic_update(dev);
	spin_unlock_irqrestore(&dev->lock, flags);
}

/* Is the PIC's INTR output up? Any context. */
bool mhv_pic_has_intr(struct mhv_vm *vm)
{
	struct mhv_dev *dev = vm->pic;
	unsigned long flags;
	bool out;

	if (!dev)
		return false;
	spin_lock_irqsave(&dev->lock, flags);
	out = pic_of(dev)->output;
	spin_unlock_irqrestore(&dev->lock, flags);
	return out;
}

/* The INTA cycle on chip @c: its IRQ, or 7 (spurious) with none left. */
static int pic_ack_chip(struct mhv_pic_chip *c, bool master)
{
	int irq = pic_best_irq(c, master);

	if (irq < 0)
		return 7;
	pic_intack(c, irq);
	return irq;
}

/**
 * mhv_pic_ack() - the interrupt acknowledge cycle of the boot vCPU.
 * @vm: a VM with the irqchip
 *
 * Return: the vector the PIC puts on the bus: its highest request moves
 * from IRR to ISR; a request that went away since INTR rose gives the
 * spurious vector of IRQ 7 (of the slave when the cascade input was
 * taken). Any context.
 */
int mhv_pic_ack(struct mhv_vm *vm)
{
	struct mhv_dev *dev = vm->pic;
	struct mhv_pic *s;
	unsigned long flags;
	int irq, vector;

	if (!dev)
		return -ENODEV;
	s = pic_of(dev);
	spin_lock_irqsave(&dev->lock, flags);
	irq = pic_best_irq(&s->chip[0], true);
	if (irq < 0) {
		vector = s->chip[0].base + 7;
	} else {
		pic_intack(&s->chip[0], irq);
		if (irq == PIC_CASCADE_IR)
			vector = s->chip[1].base +
				 pic_ack_chip(&s->chip[1], false);
		else
			vector = s->chip[0].base + irq;
	}
	pic_update(dev);
	spin_unlock_irqrestore(&dev->lock, flags);
	return vector;
}

/* OCW2: the end of interrupt commands and the priority rotations. */
static void pic_ocw2(struct mhv_pic_chip *c, u8 val)
{
	int irq = val & 7;

	switch (val & (OCW2_R | OCW2_SL | OCW2_EOI)) {
	case OCW2_R:				/* rotate in auto-EOI: set */
	case 0:					/* ... clear */
		c->rotate_auto_eoi = val & OCW2_R;
		return;
	case OCW2_EOI:				/* non-specific EOI */
	case OCW2_R | OCW2_EOI:			/* ... and rotate */
		irq = pic_priority(c, c->isr);
		if (irq == 8)
			return;
		irq = (irq + c->priority_add) & 7;
		break;
	case OCW2_SL | OCW2_EOI:		/* specific EOI */
	case OCW2_R | OCW2_SL | OCW2_EOI:	/* ... and rotate */
		break;
	case OCW2_R | OCW2_SL:			/* set priority */
		c->priority_add = (irq + 1) & 7;
		return;
	default:				/* no operation */
		return;
	}
	c->isr &= ~BIT(irq);
	if (val & OCW2_R)
		c->priority_add = (irq + 1) & 7;
}

/* ICW1: start the initialization sequence. */
static void pic_icw1(struct mhv_pic_chip *c, u8 val)
{
	c->need_icw4 = val & ICW1_IC4;
	c->single = val & ICW1_SNGL;
	c->init_state = 2;
	c->imr = 0;
	c->isr = 0;
	c->priority_add = 0;
	c->special_mask = false;
	c->read_isr = false;
	c->poll = false;
	c->auto_eoi = false;
	c->rotate_auto_eoi = false;
	c->sfnm = false;
	/* the edge latches are reset: an edge input must rise again */
	c->irr &= c->elcr;
	c->line &= c->elcr;
}

static void pic_write_cmd(struct mhv_pic_chip *c, u8 val)
{
	if (val & ICW1_INIT) {
		pic_icw1(c, val);
	} else if (!(val & OCW3_SEL)) {
		pic_ocw2(c, val);
	} else {
		if (val & OCW3_POLL)
			c->poll = true;
		if (val & OCW3_RR)
			c->read_isr = val & OCW3_RIS;
		if (val & OCW3_ESMM)
			c->special_mask = val & OCW3_SMM;
	}
}

/* The data port: ICW2, ICW3, ICW4 in the init sequence, else the IMR. */
static void pic_write_data(struct mhv_pic_chip *c, u8 val)
{
	switch (c->init_state) {
	case 2:
		c->base = val & 0xf8;
		c->init_state = c->single ? (c->need_icw4 ? 4 : 0) : 3;
		break;
	case 3:				/* the cascade wiring: fixed on a PC */
		c->init_state = c->need_icw4 ? 4 : 0;
		break;
	case 4:
		c->icw4 = val;
		c->auto_eoi = val & PIC_ICW4_AEOI;
		c->sfnm = val & ICW4_SFNM;
		c->init_state = 0;
		break;
	default:
		c->imr = val;
	}
}

/*
 * The poll command: the next read of the chip acknowledges its best
 * request and returns it with bit 7 set, or 0 with none (the slave's
 * request must be polled at the slave).
 */
static u8 pic_poll(struct mhv_pic_chip *c, bool master)
{
	int irq = pic_best_irq(c, master);

	c->poll = false;
	if (irq < 0)
		return 0;
	pic_intack(c, irq);
	return POLL_INT | irq;
}

static u64 mhv_pic_read(struct mhv_dev *dev, unsigned int reg, u8 size)
{
	struct mhv_pic *s = pic_of(dev);
	struct mhv_pic_chip *c;
	u8 val;

	if (reg >= PIC_ELCR_M)
		return s->chip[reg - PIC_ELCR_M].elcr;
	c = &s->chip[reg >= PIC_S_CMD];
	if (c->poll) {
		val = pic_poll(c, c == &s->chip[0]);
		pic_update(dev);
		return val;
	}
	if (reg == PIC_M_DATA || reg == PIC_S_DATA)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

static int mhv_pic_write(struct mhv_dev *dev, unsigned int reg, u8 size,
			 u64 val)
{
	struct mhv_pic *s = pic_of(dev);
	unsigned int i;

	switch (reg) {
	case PIC_M_CMD:
	case PIC_S_CMD:
		pic_write_cmd(&s->chip[reg == PIC_S_CMD], val);
		break;
	case PIC_M_DATA:
	case PIC_S_DATA:
		pic_write_data(&s->chip[reg == PIC_S_DATA], val);
		break;
	default:
		i = reg - PIC_ELCR_M;
		s->chip[i].elcr = val & mhv_elcr_mask[i];
		/* an input now level-triggered is requested while high */
		s->chip[i].irr = (s->chip[i].irr & ~s->chip[i].elcr) |
				 (s->chip[i].line & s->chip[i].elcr);
		break;
	}
	pic_update(dev);
	return MHV_DEV_DONE;
}

/* Describe: IRR on the command ports, IMR on the data ports, the ELCR. */
static u64 mhv_pic_peek(struct mhv_dev *dev, unsigned int reg)
{
	struct mhv_pic *s = pic_of(dev);

	switch (reg) {
	case PIC_M_CMD:
	case PIC_S_CMD:
		return s->chip[reg == PIC_S_CMD].irr;
	case PIC_M_DATA:
	case PIC_S_DATA:
		return s->chip[reg == PIC_S_DATA].imr;
	default:
		return s->chip[reg - PIC_ELCR_M].elcr;
	}
}

/*
 * Power-on: both chips uninitialized (base 0, nothing masked, nothing
 * requested), every IRQ edge-triggered. The input lines keep their
 * levels: they belong to the devices.
 */
static void mhv_pic_reset(struct mhv_dev *dev)
{
	struct mhv_pic *s = pic_of(dev);
	unsigned int i;
	u8 line;

	for (i = 0; i < 2; i++) {
		line = s->chip[i].line;
		memset(&s->chip[i], 0, sizeof(s->chip[i]));
		s->chip[i].line = line;
	}
	s->output = false;
}

const struct mhv_dev_ops mhv_dev_pic_ops = {
	.name		= "pic",
	.size		= 2,
	.regs		= mhv_pic_regs,
	.nr_regs	= ARRAY_SIZE(mhv_pic_regs),
	.state_size	= sizeof(struct mhv_pic),
	.max_per_vm	= 1,
	.reset		= mhv_pic_reset,
	.read		= mhv_pic_read,
	.write		= mhv_pic_write,
	.peek		= mhv_pic_peek,
	.irqchip	= true,
	.fixed_base	= PIC_MASTER_CMD,
	.extra		= mhv_pic_extra,
	.nr_extra	= ARRAY_SIZE(mhv_pic_extra),
};
