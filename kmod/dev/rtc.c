// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the CMOS/RTC of a PC, a Motorola MC146818 behind ports
 * 0x70 (index) and 0x71 (data).
 *
 * INDEX: a write selects one of 128 bytes with its low 7 bits; bit 7 is
 * the PC's NMI-disable bit, stored and read back (a read of INDEX gives
 * the last byte written) and without effect on DATA. DATA reads or
 * writes the selected byte:
 *
 *   0x00-0x09  seconds, (alarm,) minutes, (alarm,) hours, (alarm,) day of
 *              week (1: Sunday), day, month, year: the host's wall clock
 *              (ktime_get_real_seconds(), UTC) plus the guest's offset,
 *              0 at creation. BCD unless register B's DM bit, 12-hour
 *              (bit 7: PM) unless its 24H bit. A write sets the clock (the
 *              offset) but for the day of week, derived from the date; a
 *              value out of range is ignored. The alarm bytes are stored.
 *   0x0a (A)   bits 0-6 stored: rate select (bits 0-3), divider; bit 7
 *              (UIP) reads 1 in the last 244 us of each second, as on the
 *              chip, so a kernel that waits for it to clear reads a clock
 *              that is not about to change.
 *   0x0b (B)   SET (the clock stops: reads give the time SET was set at,
 *              writes change it, clearing SET runs it again from there),
 *              PIE, AIE, UIE, SQWE, DM, 24H, DSE: stored.
 *   0x0c (C)   read-only flags IRQF and PF; a read clears them.
 *   0x0d (D)   read-only: VRT, valid RAM and time (0x80).
 *   0x0e-0x7f  CMOS RAM, stored; at reset 0 but the memory size (base,
 *              extended and above-16-MiB bytes, 0x15-0x18, 0x30-0x31,
 *              0x34-0x35, from the VM's config) and the checksum of
 *              0x10-0x2d in 0x2e-0x2f; 0x32, the century, is the clock's.
 *
 * The periodic interrupt: while PIE is set and the rate select is not 0,
 * an hrtimer sets PF (and IRQF) in register C at the rate of register A
 * (32768 >> (RS - 1) Hz, RS 1 and 2 as 8 and 9), periods at least
 * MHV_TIMER_MIN_PERIOD_US long (RS 3, 8192 Hz, runs at 5000 Hz). When
 * IRQF goes from clear to set, the device raises its irq_vector or pulses
 * its GSI (mhv_dev_irq_pulse()): a guest
 * that does not read C gets no further interrupt, as with the chip on an
 * edge-triggered PIC. PF is not set while PIE is clear, and the alarm
 * and update-ended interrupts (AF, UF) are not implemented.
 */
#include <linux/bcd.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/mc146818rtc.h>
#include <linux/sizes.h>
#include <linux/time.h>

#include "dev.h"

#define RTC_UIP_NS	244000		/* UIP before each update */
#define RTC_A_MASK	(RTC_DIV_CTL | RTC_RATE_SELECT)
#define RTC_A_RESET	(RTC_REF_CLCK_32KHZ | 0x06)	/* 1024 Hz */
#define CMOS_BASE_LO	0x15	/* base memory, KiB */
#define CMOS_EXT_LO	0x17	/* memory above 1 MiB, KiB */
#define CMOS_EXT2_LO	0x30	/* the same again */
#define CMOS_CSUM_FIRST	0x10
#define CMOS_CSUM_HI	0x2e	/* sum of 0x10-0x2d, high byte first */
#define CMOS_CENTURY	0x32
#define CMOS_HIGH_LO	0x34	/* memory above 16 MiB, 64 KiB units */

enum { RTC_INDEX_REG, RTC_DATA_REG };

static const struct mhv_dev_reg mhv_rtc_regs[] = {
	[RTC_INDEX_REG]	= { "index", MHV_RTC_INDEX, 1, 1, 0 },
	[RTC_DATA_REG]	= { "data", MHV_RTC_DATA, 1, 1, 0 },
};

/* dev->state; every field under dev->lock but @dev and @timer */
struct mhv_rtc {
	struct mhv_dev *dev;	/* (R) set at the first reset */
	struct hrtimer timer;	/* its own locking; callback takes dev->lock */
	u8 index;		/* the last INDEX write, NMI bit included */
	u8 ram[MHV_RTC_NR_REGS];	/* stored bytes (not the clock's) */
	time64_t offset;	/* guest time - host time, seconds */
	time64_t frozen;	/* the guest's time while B has SET */
};

/* ---- the clock ------------------------------------------------------------ */

static time64_t mhv_rtc_time(const struct mhv_rtc *r)
{
	if (r->ram[RTC_REG_B] & RTC_SET)
		return r->frozen;
	return ktime_get_real_seconds() + r->offset;
}

static void mhv_rtc_set_time(struct mhv_rtc *r, time64_t t)
{
	if (r->ram[RTC_REG_B] & RTC_SET)
		r->frozen = t;
	else
		r->offset = t - ktime_get_real_seconds();
}

static u8 mhv_rtc_enc(const struct mhv_rtc *r, unsigned int v)
{
	return r->ram[RTC_REG_B] & RTC_DM_BINARY ? v : bin2bcd(v);
}

static unsigned int mhv_rtc_dec(const struct mhv_rtc *r, u8 v)
{
	return r->ram[RTC_REG_B] & RTC_DM_BINARY ? v : bcd2bin(v);
}

static u8 mhv_rtc_hour(const struct mhv_rtc *r, int hour)
{
	int h12 = hour % 12 ? hour % 12 : 12;

	if (r->ram[RTC_REG_B] & RTC_24H)
		return mhv_rtc_enc(r, hour);
	return mhv_rtc_enc(r, h12) | (hour >= 12 ? 0x80 : 0);
}

/* A clock byte, or -1 if @idx is not one. */
static int mhv_rtc_clock_read(const struct mhv_rtc *r, unsigned int idx)
{
	struct tm tm;
	long year;

	time64_to_tm(mhv_rtc_time(r), 0, &tm);
	year = tm.tm_year + 1900;
	switch (idx) {
	case RTC_SECONDS:
		return mhv_rtc_enc(r, tm.tm_sec);
	case RTC_MINUTES:
		return mhv_rtc_enc(r, tm.tm_min);
	case RTC_HOURS:
		return mhv_rtc_hour(r, tm.tm_hour);
	case RTC_DAY_OF_WEEK:
		return mhv_rtc_enc(r, tm.tm_wday + 1);
	case RTC_DAY_OF_MONTH:
		return mhv_rtc_enc(r, tm.tm_mday);
	case RTC_MONTH:
		return mhv_rtc_enc(r, tm.tm_mon + 1);
	case RTC_YEAR:
		return mhv_rtc_enc(r, year % 100);
	case CMOS_CENTURY:
		return mhv_rtc_enc(r, year / 100);
	default:
		return -1;
	}
}

/* A write of clock byte @idx: the clock's new time. False: not one. */
static bool mhv_rtc_clock_write(struct mhv_rtc *r, unsigned int idx, u8 val)
{
	unsigned int v = mhv_rtc_dec(r, val & 0x7f), year, f[6];
	struct tm tm;

	time64_to_tm(mhv_rtc_time(r), 0, &tm);
	year = tm.tm_year + 1900;
	f[0] = tm.tm_sec;
	f[1] = tm.tm_min;
	f[2] = tm.tm_hour;
	f[3] = tm.tm_mday;
	f[4] = tm.tm_mon + 1;
	f[5] = year;
	switch (idx) {
	case RTC_SECONDS:
		f[0] = v;
		break;
	case RTC_MINUTES:
		f[1] = v;
		break;
	case RTC_HOURS:
		if (r->ram[RTC_REG_B] & RTC_24H)
			f[2] = mhv_rtc_dec(r, val);
		else
			f[2] = v % 12 + (val & 0x80 ? 12 : 0);
		break;
	case RTC_DAY_OF_MONTH:
		f[3] = v;
		break;
	case RTC_MONTH:
		f[4] = v;
		break;
	case RTC_YEAR:
		f[5] = year - year % 100 + mhv_rtc_dec(r, val);
		break;
	case CMOS_CENTURY:
		f[5] = mhv_rtc_dec(r, val) * 100 + year % 100;
		break;
	case RTC_DAY_OF_WEEK:	/* derived from the date */
		return true;
	default:
		return false;
	}
	if (f[0] < 60 && f[1] < 60 && f[2] < 24 && f[3] >= 1 &&
	    f[3] <= 31 && f[4] >= 1 && f[4] <= 12)
		mhv_rtc_set_time(r, mktime64(f[5], f[4], f[3], f[2], f[1],
					     f[0]));
	return true;
}

/* ---- the periodic interrupt ------------------------------------------------ */

/* The period of register A's rate select, 0: none. */
static u64 mhv_rtc_period_ns(const struct mhv_rtc *r)
{
	unsigned int rs = r->ram[RTC_REG_A] & RTC_RATE_SELECT;

	if (!rs)
		return 0;
	if (rs < 3)
		rs += 7;
	return max_t(u64, ((u64)NSEC_PER_SEC << (rs - 1)) >> 15,
		     (u64)MHV_TIMER_MIN_PERIOD_US * NSEC_PER_USEC);
}

static bool mhv_rtc_ticking(const struct mhv_rtc *r)
{
	return (r->ram[RTC_REG_B] & RTC_PIE) && mhv_rtc_period_ns(r);
}

/*
 * A period ended, in hardirq context. An expiry that raced with a write
 * to A or B (hrtimer_try_to_cancel() cannot stop a running callback) ends
 * here: it finds PIE clear, or the timer queued again for the new rate.
 */
static enum hrtimer_restart mhv_rtc_fire(struct hrtimer *timer)
{
	struct mhv_rtc *r = container_of(timer, struct mhv_rtc, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	struct mhv_dev *dev = r->dev;
	unsigned long flags;
	u8 *c = &r->ram[RTC_REG_C];

	spin_lock_irqsave(&dev->lock, flags);
	if (mhv_rtc_ticking(r) && !hrtimer_is_queued(timer)) {
		hrtimer_forward_now(timer, ns_to_ktime(mhv_rtc_period_ns(r)));
		ret = HRTIMER_RESTART;
		if (!(*c & RTC_IRQF))
			mhv_dev_irq_pulse(dev);
		*c |= RTC_PF | RTC_IRQF;
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	return ret;
}

/* (Re)start or stop after a write to A or B; under dev->lock. */
static void mhv_rtc_apply(struct mhv_rtc *r)
{
	hrtimer_try_to_cancel(&r->timer);
	if (mhv_rtc_ticking(r))
		hrtimer_start(&r->timer, ns_to_ktime(mhv_rtc_period_ns(r)),
			      HRTIMER_MODE_REL);
}

/* ---- registers ------------------------------------------------------------- */

/* A 16-bit CMOS value: low byte at @idx, unless @big_endian */
static void mhv_rtc_put16(struct mhv_rtc *r, unsigned int idx, u16 v,
			  bool big_endian)
{
	r->ram[idx + big_endian] = v & 0xff;
	r->ram[idx + !big_endian] = v >> 8;
}

/* The memory bytes and their checksum, from the VM's config. */
static void mhv_rtc_memory(struct mhv_rtc *r, u32 memory_mb)
{
	u64 kib = (u64)memory_mb * SZ_1K;
	u32 base = min_t(u64, kib, 640), ext, high, sum = 0;
	unsigned int i;

	ext = kib > SZ_1K ? min_t(u64, kib - SZ_1K, 0xffff) : 0;
	high = kib > 16 * SZ_1K ? min_t(u64, (kib - 16 * SZ_1K) / 64, 0xffff)
				: 0;
	mhv_rtc_put16(r, CMOS_BASE_LO, base, false);
	mhv_rtc_put16(r, CMOS_EXT_LO, ext, false);
	mhv_rtc_put16(r, CMOS_EXT2_LO, ext, false);
	mhv_rtc_put16(r, CMOS_HIGH_LO, high, false);
	for (i = CMOS_CSUM_FIRST; i < CMOS_CSUM_HI; i++)
		sum += r->ram[i];
	mhv_rtc_put16(r, CMOS_CSUM_HI, sum, true);
}

/* The clock keeps its time across a reset, as on battery. */
static void mhv_rtc_reset(struct mhv_dev *dev)
{
	struct mhv_rtc *r = mhv_dev_state(dev);

	if (!r->dev) {		/* creation: nothing runs yet */
		r->dev = dev;
		hrtimer_init(&r->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		r->timer.function = mhv_rtc_fire;
	}
	r->frozen = mhv_rtc_time(r);
	memset(r->ram, 0, sizeof(r->ram));
	r->index = 0;
	r->ram[RTC_REG_A] = RTC_A_RESET;
	r->ram[RTC_REG_B] = RTC_24H;
	mhv_rtc_set_time(r, r->frozen);
	mhv_rtc_memory(r, dev->vm->config.memory_mb);
	mhv_rtc_apply(r);
}

static bool mhv_rtc_uip(const struct mhv_rtc *r)
{
	struct timespec64 ts;

	if (r->ram[RTC_REG_B] & RTC_SET)
		return false;
	ktime_get_real_ts64(&ts);
	return ts.tv_nsec >= NSEC_PER_SEC - RTC_UIP_NS;
}

/* The selected byte, without side effects. */
static u8 mhv_rtc_data(const struct mhv_rtc *r)
{
	unsigned int idx = r->index & ~MHV_RTC_NMI_DISABLE;
	int clock = mhv_rtc_clock_read(r, idx);

	if (clock >= 0)
		return clock;
	if (idx == RTC_REG_A)
		return r->ram[idx] | (mhv_rtc_uip(r) ? RTC_UIP : 0);
	if (idx == RTC_REG_D)
		return RTC_VRT;
	return r->ram[idx];
}

static u64 mhv_rtc_peek(struct mhv_dev *dev, unsigned int reg)
{
	struct mhv_rtc *r = mhv_dev_state(dev);

	return reg == RTC_INDEX_REG ? r->index : mhv_rtc_data(r);
}

static u64 mhv_rtc_read(struct mhv_dev *dev, unsigned int reg, u8 size)
{
	struct mhv_rtc *r = mhv_dev_state(dev);
	u8 v = mhv_rtc_peek(dev, reg);

	if (reg == RTC_DATA_REG &&
	    (r->index & ~MHV_RTC_NMI_DISABLE) == RTC_REG_C)
		r->ram[RTC_REG_C] = 0;
	return v;
}

static void mhv_rtc_write_b(struct mhv_rtc *r, u8 val)
{
	time64_t t = mhv_rtc_time(r);

	/* SET set: the clock stops at t; SET clear: it runs from t */
	r->ram[RTC_REG_B] = val;
	if (val & RTC_SET)
		r->frozen = t;
	else
		mhv_rtc_set_time(r, t);
	mhv_rtc_apply(r);
}

static int mhv_rtc_write(struct mhv_dev *dev, unsigned int reg, u8 size,
			 u64 val)
{
	struct mhv_rtc *r = mhv_dev_state(dev);
	unsigned int idx = r->index & ~MHV_RTC_NMI_DISABLE;

	if (reg == RTC_INDEX_REG) {
		r->index = val;
		return MHV_DEV_DONE;
	}
	if (mhv_rtc_clock_write(r, idx, val))
		return MHV_DEV_DONE;
	switch (idx) {
	case RTC_REG_A:
		r->ram[idx] = val & RTC_A_MASK;
		mhv_rtc_apply(r);
		break;
	case RTC_REG_B:
		mhv_rtc_write_b(r, val);
		break;
	case RTC_REG_C:
	case RTC_REG_D:
		break;		/* read-only */
	default:
		r->ram[idx] = val;
	}
	return MHV_DEV_DONE;
}

/* A running periodic interrupt with a vector will interrupt the guest. */
static bool mhv_rtc_can_wake(struct mhv_dev *dev)
{
	struct mhv_rtc *r = mhv_dev_state(dev);

	return mhv_rtc_ticking(r) && mhv_dev_has_irq(dev);
}

static void mhv_rtc_destroy(struct mhv_dev *dev)
{
	struct mhv_rtc *r = mhv_dev_state(dev);

	hrtimer_cancel(&r->timer);
}

const struct mhv_dev_ops mhv_dev_rtc_ops = {
	.name		= "rtc",
	.size		= MHV_RTC_SIZE,
	.regs		= mhv_rtc_regs,
	.nr_regs	= ARRAY_SIZE(mhv_rtc_regs),
	.state_size	= sizeof(struct mhv_rtc),
	/* bounds the host work one VM makes: one hrtimer per VM */
	.max_per_vm	= MHV_RTC_MAX_PER_VM,
	.reset		= mhv_rtc_reset,
	.read		= mhv_rtc_read,
	.write		= mhv_rtc_write,
	.peek		= mhv_rtc_peek,
	.can_wake	= mhv_rtc_can_wake,
	.destroy	= mhv_rtc_destroy,
};
