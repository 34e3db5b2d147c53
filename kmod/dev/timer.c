// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - a programmable interval timer of our own.
 *
 *   0x00 ctrl    32-bit  bit 0 ENABLE, bit 1 ONESHOT; the rest reads 0
 *   0x04 period  32-bit  microseconds; values below
 *                        MHV_TIMER_MIN_PERIOD_US read back as that minimum
 *   0x08 vector  8-bit   the interrupt raised at the end of each period
 *                        (32..255); 0, or a value below 32, is no interrupt
 *   0x0c ticks   32-bit  read-only: periods ended since ENABLE was set
 *
 * Setting ENABLE (or writing the period while enabled) starts a period
 * from now; clearing it stops the timer. A one-shot timer clears ENABLE
 * when its period ends. Periods are kept by an hrtimer on the host, so
 * they run in host time, also while no vCPU runs; interrupts raised while
 * the guest has not taken the previous one merge into it (a CPU's IRR
 * holds one per vector), while ticks counts every period. Created with
 * a GSI (MHV_DEV_F_IRQ_GSI) the timer pulses that line instead and the
 * vector register is not used. Reset: stopped,
 * period MHV_TIMER_RESET_PERIOD_US, vector as given at creation
 * (irq_vector), ticks 0.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>

#include "dev.h"

enum { TIMER_CTRL, TIMER_PERIOD, TIMER_VECTOR, TIMER_TICKS };

static const struct mhv_dev_reg mhv_timer_regs[] = {
	[TIMER_CTRL]	= { "ctrl", MHV_TIMER_CTRL, 4, 4, 0 },
	[TIMER_PERIOD]	= { "period_us", MHV_TIMER_PERIOD, 4, 4, 0 },
	[TIMER_VECTOR]	= { "vector", MHV_TIMER_VECTOR, 1, 1, 0 },
	[TIMER_TICKS]	= { "ticks", MHV_TIMER_TICKS, 4, 4, MHV_DEV_REG_F_RO },
};

#define TIMER_CTRL_MASK	(MHV_TIMER_CTRL_ENABLE | MHV_TIMER_CTRL_ONESHOT)

/* dev->state; every field under dev->lock but @dev and @timer */
struct mhv_timer {
	struct mhv_dev *dev;	/* (R) set at the first reset */
	struct hrtimer timer;	/* its own locking; callback takes dev->lock */
	u32 ctrl;
	u32 period_us;
	u8 vector;
	u32 ticks;
};

static ktime_t mhv_timer_period(const struct mhv_timer *t)
{
	return ns_to_ktime((u64)t->period_us * NSEC_PER_USEC);
}

/*
 * End of a period, in hardirq context. A callback that raced with a
 * register write (hrtimer_try_to_cancel() cannot stop a running one)
 * ends there: after a stop it sees ENABLE clear, after a restart it finds
 * the timer queued again for the new period, which this expiry is not.
 */
static enum hrtimer_restart mhv_timer_fire(struct hrtimer *timer)
{
	struct mhv_timer *t = container_of(timer, struct mhv_timer, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	struct mhv_dev *dev = t->dev;
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	if ((t->ctrl & MHV_TIMER_CTRL_ENABLE) && !hrtimer_is_queued(timer)) {
		t->ticks++;
		if (t->ctrl & MHV_TIMER_CTRL_ONESHOT) {
			t->ctrl &= ~MHV_TIMER_CTRL_ENABLE;
		} else {
			/* periods missed while the host was busy count too */
			t->ticks += hrtimer_forward_now(timer,
							mhv_timer_period(t)) - 1;
			ret = HRTIMER_RESTART;
		}
		if (dev->irq_use_gsi)
			mhv_dev_irq_pulse(dev);
		else if (t->vector)
			mhv_irq_raise(dev->vm, t->vector);
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	return ret;
}

/* (Re)start or stop after a register write; under dev->lock. */
static void mhv_timer_apply(struct mhv_timer *t)
{
	hrtimer_try_to_cancel(&t->timer);
	if (t->ctrl & MHV_TIMER_CTRL_ENABLE)
		hrtimer_start(&t->timer, mhv_timer_period(t), HRTIMER_MODE_REL);
}

static void mhv_timer_reset(struct mhv_dev *dev)
{
	struct mhv_timer *t = mhv_dev_state(dev);

	if (!t->dev) {		/* creation: nothing runs yet */
		t->dev = dev;
		hrtimer_init(&t->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		t->timer.function = mhv_timer_fire;
	}
	t->ctrl = 0;
	t->period_us = MHV_TIMER_RESET_PERIOD_US;
	t->vector = dev->irq_vector;
	t->ticks = 0;
	mhv_timer_apply(t);
}

static u64 mhv_timer_peek(struct mhv_dev *dev, unsigned int reg)
{
	struct mhv_timer *t = mhv_dev_state(dev);

	switch (reg) {
	case TIMER_CTRL:
		return t->ctrl;
	case TIMER_PERIOD:
		return t->period_us;
	case TIMER_VECTOR:
		return t->vector;
	default:
		return t->ticks;
	}
}

static u64 mhv_timer_read(struct mhv_dev *dev, unsigned int reg, u8 size)
{
	return mhv_timer_peek(dev, reg);
}

static int mhv_timer_write(struct mhv_dev *dev, unsigned int reg, u8 size,
			   u64 val)
{
	struct mhv_timer *t = mhv_dev_state(dev);

	switch (reg) {
	case TIMER_CTRL:
		if ((val & MHV_TIMER_CTRL_ENABLE) &&
		    !(t->ctrl & MHV_TIMER_CTRL_ENABLE))
			t->ticks = 0;
		t->ctrl = val & TIMER_CTRL_MASK;
		mhv_timer_apply(t);
		break;
	case TIMER_PERIOD:
		t->period_us = max_t(u32, val, MHV_TIMER_MIN_PERIOD_US);
		if (t->ctrl & MHV_TIMER_CTRL_ENABLE)
			mhv_timer_apply(t);
		break;
	case TIMER_VECTOR:
		t->vector = val >= FIRST_EXTERNAL_VECTOR ? val : 0;
		break;
	}
	return MHV_DEV_DONE;
}

/* A running timer with a vector or a GSI will interrupt the guest. */
static bool mhv_timer_can_wake(struct mhv_dev *dev)
{
	struct mhv_timer *t = mhv_dev_state(dev);

	return (t->ctrl & MHV_TIMER_CTRL_ENABLE) &&
	       (t->vector || dev->irq_use_gsi);
}

static void mhv_timer_destroy(struct mhv_dev *dev)
{
	struct mhv_timer *t = mhv_dev_state(dev);

	hrtimer_cancel(&t->timer);
}

const struct mhv_dev_ops mhv_dev_timer_ops = {
	.name		= "timer",
	.size		= MHV_TIMER_SIZE,
	.regs		= mhv_timer_regs,
	.nr_regs	= ARRAY_SIZE(mhv_timer_regs),
	.state_size	= sizeof(struct mhv_timer),
	/* bounds the host work one VM makes: one hrtimer per VM */
	.max_per_vm	= MHV_TIMER_MAX_PER_VM,
	.reset		= mhv_timer_reset,
	.read		= mhv_timer_read,
	.write		= mhv_timer_write,
	.peek		= mhv_timer_peek,
	.can_wake	= mhv_timer_can_wake,
	.destroy	= mhv_timer_destroy,
};
