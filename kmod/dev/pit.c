// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the PC's 8254 programmable interval timer
 * (MHV_DEV_TYPE_PIT), created with the VM by MHV_VM_F_IRQCHIP.
 *
 *   0x40-0x42  counters 0-2 (8-bit access: LSB, MSB or LSB then MSB, as
 *              the control word chose), 1.193182 MHz
 *   0x43       control word: counter select, access mode, mode, BCD; the
 *              counter latch command; the read-back command (0xc0 | ...)
 *   0x61       the PC's system control port B: bit 0 channel 2 gate,
 *              bit 1 speaker data, bits 2-3 stored, bit 4 reads as the
 *              refresh toggle (every 15 us), bit 5 reads OUT2
 *
 * Port 0x61 is a second port range of this device (dev.h: ops->extra, at
 * offset MHV_PIT_PORT61), not a device of its own: its bits are the gate
 * and the output of counter 2, state of this device, and a separate
 * device would have to reach into it under two locks.
 *
 * The counters are not stepped: a counter's value and output are computed
 * from the host time (ktime) since its count was loaded, so reads are
 * exact whenever the guest looks. Modes 0-5 (6 and 7 are 2 and 3); BCD
 * is stored and reported but the counting is binary. Gates: counters 0
 * and 1 have theirs tied high (modes 1 and 5 never trigger there, as on
 * a PC); counter 2's is port 0x61 bit 0: while it is low the counter
 * holds its value, and a rising gate restarts modes 1, 2, 3 and 5 from
 * the count. Counter 0's output is ISA IRQ 0 (mhv_irq_line(), which the
 * board wires to I/O APIC pin 2): an hrtimer pulses the line at each
 * terminal count, periodic in modes 2 and 3 (at least every
 * MHV_TIMER_MIN_PERIOD_US, like the timer device), once in modes 0 and
 * 4. Counter 1 (DRAM refresh) counts but drives nothing. A register no
 * port reaches, irq0_ticks (MHV_PIT_IRQ0_TICKS, read-only, for the host's
 * MHV_DEVICE_READ and MHV_DESCRIBE_DEVICE), counts counter 0's terminal
 * counts, the periods the host missed included.
 */
#include <linux/bits.h>
#include <linux/hrtimer.h>
#include <linux/i8253.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/timex.h>

#include "dev.h"
#include "irqchip.h"

enum { PIT_C0, PIT_C1, PIT_C2, PIT_CTRL, PIT_61, PIT_TICKS };

static const struct mhv_dev_reg mhv_pit_regs[] = {
	[PIT_C0]	= { "counter0", MHV_PIT_COUNTER0, 1, 1, 0 },
	[PIT_C1]	= { "counter1", MHV_PIT_COUNTER1, 1, 1, 0 },
	[PIT_C2]	= { "counter2", MHV_PIT_COUNTER2, 1, 1, 0 },
	[PIT_CTRL]	= { "control", MHV_PIT_CONTROL, 1, 1, MHV_DEV_REG_F_WO },
	[PIT_61]	= { "port61", MHV_PIT_PORT61, 1, 1, 0 },
	/* the host's alone: no port reaches offset 5 */
	[PIT_TICKS]	= { "irq0_ticks", MHV_PIT_IRQ0_TICKS, 4, 4,
			    MHV_DEV_REG_F_RO },
};

static const struct mhv_dev_range mhv_pit_extra[] = {
	{ MHV_PIT_PORT_61, 1, MHV_PIT_PORT61 },
};

/* Control word fields (8254 datasheet) */
#define PIT_CW_SC(v)	(((v) >> 6) & 3)	/* counter; 3: read-back */
#define PIT_CW_RW(v)	(((v) >> 4) & 3)	/* access; 0: latch command */
#define PIT_CW_MODE(v)	(((v) >> 1) & 7)
#define PIT_BCD		BIT(0)
#define PIT_RW_LSB	1
#define PIT_RW_MSB	2
#define PIT_RW_WORD	3
#define PIT_RB_NO_COUNT	BIT(5)		/* read-back: do not latch counts */
#define PIT_RB_NO_STAT	BIT(4)		/* ... nor statuses */
#define PIT_ST_OUT	BIT(7)		/* status: the output */
#define PIT_ST_NULL	BIT(6)		/* ... no count loaded yet */
#define PIT_61_STORED	0x0f		/* port 0x61 bits kept as written */
#define PIT_REFRESH_NS	15085		/* the refresh toggle's period */

/* One counter; all under dev->lock. */
struct mhv_pit_channel {
	u32 count;		/* the count loaded: 1..0x10000 */
	ktime_t load;		/* when it was loaded (or restarted) */
	u64 held;		/* ticks counted when the gate fell */
	u16 latched;		/* the counter latch ... */
	u8 latch_rw;		/* ... bytes still to read: PIT_RW_*, 0 none */
	u8 status;		/* the status latch ... */
	bool status_latched;	/* ... is full */
	u8 rw;			/* PIT_RW_*: how the counter is accessed */
	u8 mode;		/* 0-5 */
	bool bcd;		/* stored only */
	bool read_msb;		/* PIT_RW_WORD: the MSB is read next */
	bool write_msb;		/* PIT_RW_WORD: the MSB is written next */
	u8 write_lsb;		/* ... after this LSB */
	bool loaded;		/* a count was written after the control word */
	bool gate;
};

/* dev->state */
struct mhv_pit {
	struct mhv_dev *dev;		/* (R) set at the first reset */
	struct hrtimer timer;		/* counter 0's IRQ 0; own locking, the
					 * callback takes dev->lock
					 */
	struct mhv_pit_channel ch[3];	/* (dev->lock) */
	u8 port61;			/* (dev->lock) PIT_61_STORED bits */
	bool timer_on;			/* (dev->lock) the hrtimer is armed
					 * for an IRQ 0 of counter 0
					 */
	u32 ticks;			/* (dev->lock) terminal counts of
					 * counter 0, missed periods included
					 */
};

static struct mhv_pit *pit_of(struct mhv_dev *dev)
{
	return mhv_dev_state(dev);
}

static u64 pit_ticks_to_ns(u64 ticks)
{
	return mul_u64_u32_div(ticks, NSEC_PER_SEC, PIT_TICK_RATE);
}

/* Input clocks the counter has counted since its count was loaded. */
static u64 pit_elapsed(const struct mhv_pit_channel *c, ktime_t now)
{
	s64 ns = ktime_to_ns(ktime_sub(now, c->load));

	if (!c->gate)
		return c->held;
	return ns > 0 ? mul_u64_u32_div(ns, PIT_TICK_RATE, NSEC_PER_SEC) : 0;
}

/* The counter's value now (what a latch or a read sees). */
static u16 pit_count(const struct mhv_pit_channel *c, ktime_t now)
{
	u64 d = pit_elapsed(c, now);

	if (!c->loaded)
		return c->count;
	switch (c->mode) {
	case 2:
		return c->count - do_div(d, c->count);
	case 3:	/* counts down by two, twice per period */
		d *= 2;
		return (c->count - do_div(d, c->count)) & 0xfffe;
	default:
		return c->count - d;
	}
}

/* The counter's output now. */
static bool pit_out(const struct mhv_pit_channel *c, ktime_t now)
{
	u64 d = pit_elapsed(c, now);
	u32 r;

	if (!c->loaded)
		return c->mode != 0;
	switch (c->mode) {
	case 0:
	case 1:
		return d >= c->count;
	case 2:	/* low for the one clock the counter holds 1 */
		return do_div(d, c->count) != c->count - 1;
	case 3:	/* high for the first half of the period */
		r = do_div(d, c->count);
		return r < (c->count + 1) / 2;
	default:	/* 4, 5: low for the one clock at terminal count */
		return d != c->count;
	}
}

/* (Re)arm or stop counter 0's interrupt after its state changed. */
static void pit_arm(struct mhv_pit *p)
{
	struct mhv_pit_channel *c = &p->ch[0];
	u64 ns = pit_ticks_to_ns(c->count);

	hrtimer_try_to_cancel(&p->timer);
	p->timer_on = false;
	/* modes 1 and 5 wait for a gate that is tied high */
	if (!c->loaded || c->mode == 1 || c->mode == 5)
		return;
	if (c->mode == 2 || c->mode == 3)
		ns = max_t(u64, ns, MHV_TIMER_MIN_PERIOD_US * NSEC_PER_USEC);
	p->timer_on = true;
	hrtimer_start(&p->timer, ktime_add_ns(c->load, ns), HRTIMER_MODE_ABS);
}

/*
 * Counter 0 reached its terminal count, in hardirq context: a rising
 * edge on IRQ 0. An expiry that raced with a register write finds the
 * timer stopped or queued again for the new count, and ends there.
 */
static enum hrtimer_restart mhv_pit_fire(struct hrtimer *timer)
{
	struct mhv_pit *p = container_of(timer, struct mhv_pit, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	struct mhv_dev *dev = p->dev;
	struct mhv_pit_channel *c = &p->ch[0];
	unsigned long flags;
	u64 ns;

	spin_lock_irqsave(&dev->lock, flags);
	if (p->timer_on && !hrtimer_is_queued(timer)) {
		p->ticks++;
		if (c->mode == 2 || c->mode == 3) {
			ns = max_t(u64, pit_ticks_to_ns(c->count),
				   MHV_TIMER_MIN_PERIOD_US * NSEC_PER_USEC);
			/* periods missed while the host was busy count too */
			p->ticks += hrtimer_forward_now(timer,
							ns_to_ktime(ns)) - 1;
			ret = HRTIMER_RESTART;
		} else {
			p->timer_on = false;
		}
		mhv_irq_line(dev->vm, 0, true);
		mhv_irq_line(dev->vm, 0, false);
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	return ret;
}

/* Counter 2's gate (port 0x61 bit 0) goes to @gate. */
static void pit_set_gate(struct mhv_pit_channel *c, bool gate, ktime_t now)
{
	if (gate == c->gate)
		return;
	if (!gate) {
		c->held = pit_elapsed(c, now);
	} else if (c->mode == 0 || c->mode == 4) {
		/* counting resumes where it stopped */
		c->load = ktime_sub_ns(now, pit_ticks_to_ns(c->held));
	} else {
		/* the trigger: a new period from the count */
		c->load = now;
	}
	c->gate = gate;
}

/* A count written: counting starts now (a gate held low waits). */
static void pit_load(struct mhv_pit *p, unsigned int i, u32 val, ktime_t now)
{
	struct mhv_pit_channel *c = &p->ch[i];

	c->count = val ? val : 0x10000;
	c->load = now;
	c->held = 0;
	c->loaded = true;
	if (i == 0)
		pit_arm(p);
}

static void pit_latch_count(struct mhv_pit_channel *c, ktime_t now)
{
	if (c->latch_rw)
		return;		/* the first latch holds until read */
	c->latched = pit_count(c, now);
	c->latch_rw = c->rw;
}

static void pit_latch_status(struct mhv_pit_channel *c, ktime_t now)
{
	if (c->status_latched)
		return;
	c->status = (pit_out(c, now) ? PIT_ST_OUT : 0) |
		    (c->loaded ? 0 : PIT_ST_NULL) | c->rw << 4 |
		    c->mode << 1 | (c->bcd ? PIT_BCD : 0);
	c->status_latched = true;
}

/* The control word at 0x43. */
static void pit_control(struct mhv_pit *p, u8 val, ktime_t now)
{
	struct mhv_pit_channel *c;
	unsigned int i;

	if (PIT_CW_SC(val) == 3) {		/* read-back: bits 1-3 counters */
		for (i = 0; i < 3; i++) {
			if (!(val & BIT(i + 1)))
				continue;
			if (!(val & PIT_RB_NO_COUNT))
				pit_latch_count(&p->ch[i], now);
			if (!(val & PIT_RB_NO_STAT))
				pit_latch_status(&p->ch[i], now);
		}
		return;
	}
	c = &p->ch[PIT_CW_SC(val)];
	if (!PIT_CW_RW(val)) {
		pit_latch_count(c, now);
		return;
	}
	c->rw = PIT_CW_RW(val);
	c->mode = PIT_CW_MODE(val) > 5 ? PIT_CW_MODE(val) - 4 : PIT_CW_MODE(val);
	c->bcd = val & PIT_BCD;
	c->loaded = false;
	c->latch_rw = 0;
	c->status_latched = false;
	c->read_msb = false;
	c->write_msb = false;
	if (PIT_CW_SC(val) == 0)
		pit_arm(p);
}

static u8 pit_read_counter(struct mhv_pit_channel *c, ktime_t now)
{
	u16 v;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->latch_rw) {
		v = c->latched;
		if (c->latch_rw == PIT_RW_MSB) {
			c->latch_rw = 0;
			return v >> 8;
		}
		/* LSB alone, or the LSB of a word: the MSB comes next */
		c->latch_rw = c->latch_rw == PIT_RW_WORD ? PIT_RW_MSB : 0;
		return v & 0xff;
	}
	v = pit_count(c, now);
	if (c->rw == PIT_RW_WORD) {
		c->read_msb = !c->read_msb;
		return c->read_msb ? v & 0xff : v >> 8;
	}
	return c->rw == PIT_RW_MSB ? v >> 8 : v & 0xff;
}

static void pit_write_counter(struct mhv_pit *p, unsigned int i, u8 val,
			      ktime_t now)
{
	struct mhv_pit_channel *c = &p->ch[i];

	switch (c->rw) {
	case PIT_RW_LSB:
		pit_load(p, i, val, now);
		break;
	case PIT_RW_MSB:
		pit_load(p, i, val << 8, now);
		break;
	default:
		if (!c->write_msb)
			c->write_lsb = val;
		else
			pit_load(p, i, c->write_lsb | val << 8, now);
		c->write_msb = !c->write_msb;
	}
}

static u8 pit_port61(struct mhv_pit *p, ktime_t now)
{
	u64 t = ktime_to_ns(now);

	return p->port61 | (pit_out(&p->ch[2], now) ? MHV_PIT_61_OUT2 : 0) |
	       (div_u64(t, PIT_REFRESH_NS) & 1 ? MHV_PIT_61_REFRESH : 0);
}

/* Describe: the counters' values now, port 0x61; no latch is touched. */
static u64 mhv_pit_peek(struct mhv_dev *dev, unsigned int reg)
{
	struct mhv_pit *p = pit_of(dev);
	ktime_t now = ktime_get();

	switch (reg) {
	case PIT_CTRL:
		return 0;
	case PIT_61:
		return pit_port61(p, now);
	case PIT_TICKS:
		return p->ticks;
	default:
		return pit_count(&p->ch[reg], now);
	}
}

static u64 mhv_pit_read(struct mhv_dev *dev, unsigned int reg, u8 size)
{
	struct mhv_pit *p = pit_of(dev);
	ktime_t now = ktime_get();

	switch (reg) {
	case PIT_CTRL:
		return 0;	/* write-only; the 8254 floats the bus */
	case PIT_61:
	case PIT_TICKS:
		return mhv_pit_peek(dev, reg);
	default:
		return pit_read_counter(&p->ch[reg], now);
	}
}

static int mhv_pit_write(struct mhv_dev *dev, unsigned int reg, u8 size,
			 u64 val)
{
	struct mhv_pit *p = pit_of(dev);
	ktime_t now = ktime_get();

	switch (reg) {
	case PIT_CTRL:
		pit_control(p, val, now);
		break;
	case PIT_61:
		p->port61 = val & PIT_61_STORED;
		pit_set_gate(&p->ch[2], val & MHV_PIT_61_GATE2, now);
		break;
	case PIT_TICKS:
		break;
	default:
		pit_write_counter(p, reg, val, now);
	}
	return MHV_DEV_DONE;
}

/*
 * Reset: every counter in mode 0, LSB then MSB, no count loaded (counter
 * 0 raises nothing), gates 0 and 1 high, counter 2's low, port 0x61 0.
 */
static void mhv_pit_reset(struct mhv_dev *dev)
{
	struct mhv_pit *p = pit_of(dev);
	unsigned int i;

	if (!p->dev) {		/* creation: nothing runs yet */
		p->dev = dev;
		hrtimer_init(&p->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
		p->timer.function = mhv_pit_fire;
	}
	memset(p->ch, 0, sizeof(p->ch));
	for (i = 0; i < 3; i++) {
		p->ch[i].rw = PIT_RW_WORD;
		p->ch[i].count = 0x10000;
		p->ch[i].gate = i != 2;
	}
	p->port61 = 0;
	p->ticks = 0;
	pit_arm(p);
}

/* Counter 0 will raise IRQ 0. */
static bool mhv_pit_can_wake(struct mhv_dev *dev)
{
	return pit_of(dev)->timer_on;
}

static void mhv_pit_destroy(struct mhv_dev *dev)
{
	hrtimer_cancel(&pit_of(dev)->timer);
}

const struct mhv_dev_ops mhv_dev_pit_ops = {
	.name		= "pit",
	.size		= 4,
	.regs		= mhv_pit_regs,
	.nr_regs	= ARRAY_SIZE(mhv_pit_regs),
	.state_size	= sizeof(struct mhv_pit),
	/* bounds the host work one VM makes: one hrtimer */
	.max_per_vm	= 1,
	.reset		= mhv_pit_reset,
	.read		= mhv_pit_read,
	.write		= mhv_pit_write,
	.peek		= mhv_pit_peek,
	.can_wake	= mhv_pit_can_wake,
	.destroy	= mhv_pit_destroy,
	.irqchip	= true,
	.fixed_base	= PIT_CH0,
	.extra		= mhv_pit_extra,
	.nr_extra	= ARRAY_SIZE(mhv_pit_extra),
};
