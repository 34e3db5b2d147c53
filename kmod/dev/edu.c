// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - a teaching DMA device after QEMU's edu (docs/specs/edu.rst
 * in QEMU): an identification register, a liveness register, a
 * factorial the guest starts and then polls or waits for by interrupt,
 * interrupt status/raise/acknowledge registers, and DMA between a 4 KiB
 * device buffer (at MHV_EDU_BUF_ADDR as DMA sees it) and guest memory.
 * Documentation/devices.rst has the register table.
 *
 * A factorial or a DMA takes real time (the delay register, 1 ms after a
 * reset): starting one arms an hrtimer. The factorial's timer callback
 * completes it and raises the interrupt (dev->lock is irq-safe, and
 * mhv_dev_irq_pulse() may be called in any context, dev->lock held too).
 * The DMA's callback only queues a work item, because a DMA copies user
 * memory, which may fault and sleep.
 *
 * The DMA copy runs in the work item (a kernel thread) on the VM's mm,
 * borrowed with mmget_not_zero() and kthread_use_mm(), under vm->lock
 * and without dev->lock: vm->lock keeps the slots from changing between
 * the check of the guest range and the copy (slots change only under
 * it), and it is taken before mmap_lock, as mhv.h orders them. The range
 * is checked when the transfer is done, not when it is started: a slot
 * deleted in between refuses the DMA. The device side is copied through
 * a bounce buffer, so dev->lock is held only to take or give the data.
 * Refused DMA moves nothing, counts in the dma_refused statistic and is
 * reported in STATUS (DMA_ERROR) and in DMA_ERROR (the reason).
 *
 * A reset abandons an operation under way: its completion finds the
 * generation changed (DMA) or the busy bit clear (factorial) and does
 * nothing. A DMA to guest memory whose copy had already begun in the
 * work item when the reset came still writes its bytes (inside the
 * checked slot), but completes nothing. When the VM goes away, destroy()
 * cancels the timers and waits for the work item, before the device is
 * freed.
 */
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "dev.h"

enum {
	EDU_ID, EDU_LIVE, EDU_FACT, EDU_DELAY, EDU_STATUS, EDU_IRQ_STATUS,
	EDU_IRQ_RAISE, EDU_IRQ_ACK, EDU_DMA_SRC, EDU_DMA_DST, EDU_DMA_COUNT,
	EDU_DMA_CMD, EDU_DMA_ERROR,
};

#define RO	MHV_DEV_REG_F_RO
#define WO	MHV_DEV_REG_F_WO

static const struct mhv_dev_reg mhv_edu_regs[] = {
	[EDU_ID]	 = { "id", MHV_EDU_ID, 4, 4, RO },
	[EDU_LIVE]	 = { "liveness", MHV_EDU_LIVE, 4, 4, 0 },
	[EDU_FACT]	 = { "factorial", MHV_EDU_FACT, 4, 4, 0 },
	[EDU_DELAY]	 = { "delay_us", MHV_EDU_DELAY, 4, 4, 0 },
	[EDU_STATUS]	 = { "status", MHV_EDU_STATUS, 4, 4, 0 },
	[EDU_IRQ_STATUS] = { "irq_status", MHV_EDU_IRQ_STATUS, 4, 4, RO },
	[EDU_IRQ_RAISE]	 = { "irq_raise", MHV_EDU_IRQ_RAISE, 4, 4, WO },
	[EDU_IRQ_ACK]	 = { "irq_ack", MHV_EDU_IRQ_ACK, 4, 4, WO },
	[EDU_DMA_SRC]	 = { "dma_src", MHV_EDU_DMA_SRC, 8, 4 | 8, 0 },
	[EDU_DMA_DST]	 = { "dma_dst", MHV_EDU_DMA_DST, 8, 4 | 8, 0 },
	[EDU_DMA_COUNT]	 = { "dma_count", MHV_EDU_DMA_COUNT, 8, 4 | 8, 0 },
	[EDU_DMA_CMD]	 = { "dma_cmd", MHV_EDU_DMA_CMD, 8, 4 | 8, 0 },
	[EDU_DMA_ERROR]	 = { "dma_error", MHV_EDU_DMA_ERROR, 4, 4, RO },
};

#define EDU_DMA_CMD_MASK \
	(MHV_EDU_DMA_START | MHV_EDU_DMA_TO_RAM | MHV_EDU_DMA_IRQ)

/* A DMA as the work item does it: the registers when it began. */
struct edu_dma {
	u64 gpa;		/* guest side */
	u32 off;		/* device side, offset in buf */
	u32 count;
	bool to_ram;
	u64 gen;		/* mhv_edu.dma_gen when taken */
};

/* dev->state */
struct mhv_edu {
	/* the registers, under dev->lock */
	u32 live;		/* already inverted */
	u32 fact;		/* n while computing, then n! */
	u32 delay_us;
	bool fact_busy;		/* STATUS.COMPUTING */
	bool irq_fact;		/* STATUS.IRQ_FACT */
	u32 irq_status;
	u64 dma_src, dma_dst, dma_count, dma_cmd;
	u32 dma_error;		/* enum mhv_edu_dma_error */
	ktime_t fact_due;	/* (dev->lock) when the factorial is done */
	ktime_t dma_due;	/* (dev->lock) when the DMA is done */
	u64 dma_gen;		/* (dev->lock) +1 at each DMA start and reset */
	u8 buf[MHV_EDU_BUF_SIZE];	/* (dev->lock) the device's buffer */

	/* set up by the first reset, before the device is published */
	struct mhv_dev *dev;		/* (R) */
	bool ready;			/* (R) timers and works set up */
	struct hrtimer fact_timer;	/* (R) fires at fact_due */
	struct hrtimer dma_timer;	/* (R) fires at dma_due */
	struct work_struct dma_work;	/* (R) does the DMA */
	/* only the DMA work item, never run twice at once, touches it */
	u8 bounce[MHV_EDU_BUF_SIZE];
};

static struct mhv_edu *edu_of(struct mhv_dev *dev)
{
	return mhv_dev_state(dev);
}

/* n! modulo 2^32: from 34! on, the factor 2^32 makes it 0. */
static u32 edu_factorial(u32 n)
{
	u32 r = 1, i;

	if (n >= 34)
		return 0;
	for (i = 2; i <= n; i++)
		r *= i;
	return r;
}

/*
 * OR @causes into IRQ_STATUS and interrupt the guest. Under dev->lock:
 * can_wake() (also under it) must never see the operation done while its
 * interrupt is not yet pending, or a HLT would go to userspace.
 */
static void edu_irq(struct mhv_dev *dev, u32 causes)
{
	struct mhv_edu *e = edu_of(dev);

	e->irq_status |= causes;
	if (causes)
		mhv_dev_irq_pulse(dev);
}

/* ---- the factorial and the DMA, when their time has come ----------------- */

static enum hrtimer_restart edu_dma_timer(struct hrtimer *t)
{
	struct mhv_edu *e = container_of(t, struct mhv_edu, dma_timer);

	schedule_work(&e->dma_work);
	return HRTIMER_NORESTART;
}

/* An operation of @delay_us started now: when it is done, timer armed. */
static ktime_t edu_arm(struct hrtimer *t, u32 delay_us)
{
	ktime_t due = ktime_add_us(ktime_get(), delay_us);

	hrtimer_start(t, due, HRTIMER_MODE_ABS);
	return due;
}

/* Hardirq context: the factorial is done, unless a reset came first. */
static enum hrtimer_restart edu_fact_timer(struct hrtimer *t)
{
	struct mhv_edu *e = container_of(t, struct mhv_edu, fact_timer);
	struct mhv_dev *dev = e->dev;
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	/* restarted after a reset while this callback waited: not yet */
	if (e->fact_busy && !ktime_before(ktime_get(), e->fact_due)) {
		e->fact = edu_factorial(e->fact);
		e->fact_busy = false;
		if (e->irq_fact)
			edu_irq(dev, MHV_EDU_IRQ_FACT);
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	return HRTIMER_NORESTART;
}

/* The device side of @d: count, then the buffer (no overflow). */
static u32 edu_dma_check_dev(u64 dev_addr, u64 count, u32 *off)
{
	if (count > MHV_EDU_BUF_SIZE)
		return MHV_EDU_DMA_ERR_COUNT;
	if (dev_addr < MHV_EDU_BUF_ADDR ||
	    dev_addr - MHV_EDU_BUF_ADDR > MHV_EDU_BUF_SIZE - count)
		return MHV_EDU_DMA_ERR_BUFFER;
	*off = dev_addr - MHV_EDU_BUF_ADDR;
	return MHV_EDU_DMA_OK;
}

/* Tries to fault the guest side of @d in, outside vm->lock */
#define EDU_DMA_TRIES	4

/*
 * One try under vm->lock: the slot checked, the bytes copied with page
 * faults off, so vm->lock is never held while a fault waits (on a file
 * system that does not answer, say). -EAGAIN with *@uptr set when a page
 * was not there.
 */
static int edu_dma_try(struct mhv_vm *vm, const struct edu_dma *d, void *buf,
		       void __user **uptr, u32 *err)
{
	const struct mhv_slot *s;
	long left;

	mutex_lock(&vm->lock);
	s = mhv_find_slot(vm, d->gpa);
	if (!s || d->count > s->gpa + s->size - d->gpa) {
		*err = MHV_EDU_DMA_ERR_NO_SLOT;
	} else if (d->to_ram && (s->flags & MHV_MEM_READONLY)) {
		*err = MHV_EDU_DMA_ERR_READONLY;
	} else {
		*uptr = u64_to_user_ptr(s->hva + (d->gpa - s->gpa));
		if (d->to_ram)
			left = copy_to_user_nofault(*uptr, buf, d->count);
		else
			left = copy_from_user_nofault(buf, *uptr, d->count);
		*err = MHV_EDU_DMA_OK;
		mutex_unlock(&vm->lock);
		return left ? -EAGAIN : 0;
	}
	mutex_unlock(&vm->lock);
	return 0;
}

/*
 * The guest side of @d, checked against the slots and copied between
 * @buf and the slot's user memory. Runs in the work item: may sleep.
 * Pages not yet there are faulted in between tries, without vm->lock.
 */
static u32 edu_dma_guest(struct mhv_vm *vm, const struct edu_dma *d,
			 void *buf)
{
	void __user *uptr = NULL;
	u32 err = MHV_EDU_DMA_ERR_FAULT;
	int i;

	if (d->gpa + d->count < d->gpa)
		return MHV_EDU_DMA_ERR_OVERFLOW;
	/* the VMM has exited (or is exiting): no memory to copy */
	if (!mmget_not_zero(vm->mm))
		return MHV_EDU_DMA_ERR_FAULT;
	kthread_use_mm(vm->mm);
	for (i = 0; i < EDU_DMA_TRIES; i++) {
		if (edu_dma_try(vm, d, buf, &uptr, &err) != -EAGAIN)
			break;
		err = MHV_EDU_DMA_ERR_FAULT;
		/* non-destructive for the write side (no zeroes stored) */
		if (d->to_ram ? fault_in_safe_writeable(uptr, d->count) :
				fault_in_readable(uptr, d->count))
			break;
	}
	kthread_unuse_mm(vm->mm);
	mmput(vm->mm);
	return err;
}

/*
 * Under dev->lock: the DMA that is due, taken into @d with the device
 * side checked (and, to RAM, its bytes in the bounce buffer). Returns
 * false when nothing is due, else true with *@err set.
 */
static bool edu_dma_take(struct mhv_edu *e, struct edu_dma *d, u32 *err)
{
	u64 dev_addr;

	if (!(e->dma_cmd & MHV_EDU_DMA_START) ||
	    ktime_before(ktime_get(), e->dma_due))
		return false;
	d->to_ram = e->dma_cmd & MHV_EDU_DMA_TO_RAM;
	d->gpa = d->to_ram ? e->dma_dst : e->dma_src;
	dev_addr = d->to_ram ? e->dma_src : e->dma_dst;
	d->gen = e->dma_gen;
	d->count = 0;
	*err = edu_dma_check_dev(dev_addr, e->dma_count, &d->off);
	if (*err)
		return true;
	d->count = e->dma_count;
	if (d->to_ram)
		memcpy(e->bounce, e->buf + d->off, d->count);
	return true;
}

static void edu_dma_work(struct work_struct *w)
{
	struct mhv_edu *e = container_of(w, struct mhv_edu, dma_work);
	struct mhv_dev *dev = e->dev;
	struct edu_dma d;
	u32 err;

	spin_lock_irq(&dev->lock);
	if (!edu_dma_take(e, &d, &err)) {
		spin_unlock_irq(&dev->lock);
		return;
	}
	spin_unlock_irq(&dev->lock);

	/* a count of 0 moves nothing and is never refused */
	if (!err && d.count)
		err = edu_dma_guest(dev->vm, &d, e->bounce);

	spin_lock_irq(&dev->lock);
	/* a reset or a new DMA meanwhile: this one is forgotten */
	if (e->dma_gen == d.gen) {
		if (!err && !d.to_ram)
			memcpy(e->buf + d.off, e->bounce, d.count);
		e->dma_error = err;
		if (err)
			dev->stats.dma_refused++;
		e->dma_cmd &= ~MHV_EDU_DMA_START;
		if (e->dma_cmd & MHV_EDU_DMA_IRQ)
			edu_irq(dev, MHV_EDU_IRQ_DMA);
	}
	spin_unlock_irq(&dev->lock);
}

/* ---- registers -------------------------------------------------------------- */

static void edu_setup(struct mhv_dev *dev, struct mhv_edu *e)
{
	e->dev = dev;
	hrtimer_init(&e->fact_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	e->fact_timer.function = edu_fact_timer;
	hrtimer_init(&e->dma_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	e->dma_timer.function = edu_dma_timer;
	INIT_WORK(&e->dma_work, edu_dma_work);
	e->ready = true;
}

/*
 * The first call (from MHV_CREATE_DEVICE, before the device is visible)
 * sets the timers and works up. Later ones run under dev->lock: they
 * stop the timers if they can; a callback or work item already running
 * finds nothing to do.
 */
static void mhv_edu_reset(struct mhv_dev *dev)
{
	struct mhv_edu *e = edu_of(dev);

	if (!e->ready) {
		edu_setup(dev, e);
	} else {
		hrtimer_try_to_cancel(&e->fact_timer);
		hrtimer_try_to_cancel(&e->dma_timer);
	}
	e->live = 0;
	e->fact = 0;
	e->delay_us = MHV_EDU_DELAY_DEFAULT;
	e->fact_busy = false;
	e->irq_fact = false;
	e->irq_status = 0;
	e->dma_src = 0;
	e->dma_dst = 0;
	e->dma_count = 0;
	e->dma_cmd = 0;
	e->dma_error = MHV_EDU_DMA_OK;
	e->dma_gen++;
	memset(e->buf, 0, sizeof(e->buf));
}

static u32 edu_status(const struct mhv_edu *e)
{
	u32 st = 0;

	if (e->fact_busy)
		st |= MHV_EDU_ST_COMPUTING;
	if (e->dma_cmd & MHV_EDU_DMA_START)
		st |= MHV_EDU_ST_DMA_BUSY;
	if (e->dma_error)
		st |= MHV_EDU_ST_DMA_ERROR;
	if (e->irq_fact)
		st |= MHV_EDU_ST_IRQ_FACT;
	return st;
}

static u64 mhv_edu_peek(struct mhv_dev *dev, unsigned int reg)
{
	struct mhv_edu *e = edu_of(dev);

	switch (reg) {
	case EDU_ID:
		return MHV_EDU_ID_VALUE;
	case EDU_LIVE:
		return e->live;
	case EDU_FACT:
		return e->fact;
	case EDU_DELAY:
		return e->delay_us;
	case EDU_STATUS:
		return edu_status(e);
	case EDU_IRQ_STATUS:
		return e->irq_status;
	case EDU_DMA_SRC:
		return e->dma_src;
	case EDU_DMA_DST:
		return e->dma_dst;
	case EDU_DMA_COUNT:
		return e->dma_count;
	case EDU_DMA_CMD:
		return e->dma_cmd;
	case EDU_DMA_ERROR:
		return e->dma_error;
	default:		/* the write-only ones */
		return 0;
	}
}

/* No register has a read side effect. */
static u64 mhv_edu_read(struct mhv_dev *dev, unsigned int reg, u8 size)
{
	return mhv_edu_peek(dev, reg);
}

/* A DMA register; while a DMA is under way, the write is dropped. */
static int edu_write_dma(struct mhv_dev *dev, unsigned int reg, u64 val)
{
	struct mhv_edu *e = edu_of(dev);

	if (e->dma_cmd & MHV_EDU_DMA_START)
		return MHV_DEV_DROPPED;
	switch (reg) {
	case EDU_DMA_SRC:
		e->dma_src = val;
		break;
	case EDU_DMA_DST:
		e->dma_dst = val;
		break;
	case EDU_DMA_COUNT:
		e->dma_count = val;
		break;
	default:
		e->dma_cmd = val & EDU_DMA_CMD_MASK;
		if (!(val & MHV_EDU_DMA_START))
			break;
		e->dma_error = MHV_EDU_DMA_OK;
		e->dma_gen++;
		e->dma_due = edu_arm(&e->dma_timer, e->delay_us);
		break;
	}
	return MHV_DEV_DONE;
}

/* FACT: a new n starts a computation, unless one is under way. */
static int edu_write_fact(struct mhv_edu *e, u32 val)
{
	if (e->fact_busy)
		return MHV_DEV_DROPPED;
	e->fact = val;
	e->fact_busy = true;
	e->fact_due = edu_arm(&e->fact_timer, e->delay_us);
	return MHV_DEV_DONE;
}

static int mhv_edu_write(struct mhv_dev *dev, unsigned int reg, u8 size,
			 u64 val)
{
	struct mhv_edu *e = edu_of(dev);

	switch (reg) {
	case EDU_LIVE:
		e->live = ~(u32)val;
		break;
	case EDU_FACT:
		return edu_write_fact(e, val);
	case EDU_DELAY:
		e->delay_us = min_t(u64, val, MHV_EDU_DELAY_MAX);
		break;
	case EDU_STATUS:
		e->irq_fact = val & MHV_EDU_ST_IRQ_FACT;
		break;
	case EDU_IRQ_RAISE:
		edu_irq(dev, val);
		break;
	case EDU_IRQ_ACK:
		e->irq_status &= ~(u32)val;
		break;
	case EDU_DMA_SRC:
	case EDU_DMA_DST:
	case EDU_DMA_COUNT:
	case EDU_DMA_CMD:
		return edu_write_dma(dev, reg, val);
	default:		/* the read-only ones */
		break;
	}
	return MHV_DEV_DONE;
}

/* An interrupt will come with no help from the host. */
static bool mhv_edu_can_wake(struct mhv_dev *dev)
{
	struct mhv_edu *e = edu_of(dev);

	if (!mhv_dev_has_irq(dev))
		return false;
	return (e->fact_busy && e->irq_fact) ||
	       ((e->dma_cmd & MHV_EDU_DMA_START) &&
		(e->dma_cmd & MHV_EDU_DMA_IRQ));
}

/* The VM goes away: nothing may run on the device after this. */
static void mhv_edu_destroy(struct mhv_dev *dev)
{
	struct mhv_edu *e = edu_of(dev);

	/* the work does not arm the timers: timers first, then the work */
	hrtimer_cancel(&e->fact_timer);
	hrtimer_cancel(&e->dma_timer);
	cancel_work_sync(&e->dma_work);
}

const struct mhv_dev_ops mhv_dev_edu_ops = {
	.name		= "edu",
	.size		= MHV_EDU_SIZE,
	.regs		= mhv_edu_regs,
	.nr_regs	= ARRAY_SIZE(mhv_edu_regs),
	.state_size	= sizeof(struct mhv_edu),
	/* one DMA engine per VM: bounds the work items a VM starts */
	.max_per_vm	= 1,
	.reset		= mhv_edu_reset,
	.read		= mhv_edu_read,
	.write		= mhv_edu_write,
	.peek		= mhv_edu_peek,
	.can_wake	= mhv_edu_can_wake,
	.destroy	= mhv_edu_destroy,
};
