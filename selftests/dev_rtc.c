// SPDX-License-Identifier: GPL-2.0
/*
 * The CMOS/RTC device (an MC146818 at ports 0x70/0x71): the time and
 * date the guest reads are the host's wall clock (UTC), in binary and in
 * BCD, 24 and 12-hour; setting the clock; register C cleared by a read;
 * the periodic interrupt at the rate of register A, counted by a guest
 * handler while the guest halts; the NMI-disable bit of the index port
 * leaving reads alone; the CMOS memory-size bytes from the VM's config.
 *
 * The register numbers and bits are the MC146818 data sheet's, written
 * out here rather than taken from the module.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <time.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define RTC_PORT	0x70
#define IDT_GPA		0x2000000ULL	/* 32 MiB: a page no one uses */
#define VEC_RTC		0x58
#define MEM_MB		64

/* MC146818 registers and bits */
#define R_SEC		0x00
#define R_MIN		0x02
#define R_HOUR		0x04
#define R_WDAY		0x06
#define R_MDAY		0x07
#define R_MON		0x08
#define R_YEAR		0x09
#define R_A		0x0a
#define R_B		0x0b
#define R_C		0x0c
#define R_D		0x0d
#define R_CENTURY	0x32
#define A_UIP		0x80
#define A_32K_RS(rs)	(0x20 | (rs))	/* 32.768 kHz divider, rate rs */
#define B_SET		0x80
#define B_PIE		0x40
#define B_DM		0x04		/* binary */
#define B_24H		0x02
#define C_IRQF		0x80
#define C_PF		0x40
#define D_VRT		0x80
#define NMI_OFF		0x80

static uint8_t cmos_read(uint8_t idx)
{
	guest_outb(RTC_PORT, idx);
	return guest_inb(RTC_PORT + 1);
}

static void cmos_write(uint8_t idx, uint8_t v)
{
	guest_outb(RTC_PORT, idx);
	guest_outb(RTC_PORT + 1, v);
}

/*
 * The clock as a kernel reads it: wait for UIP to clear, read, and again
 * until two reads agree. Packed: sec, min, hour, mday, mon, year,
 * century, wday, one byte each, as read (BCD or binary).
 */
static uint64_t guest_clock(void)
{
	static const uint8_t regs[8] = { R_SEC, R_MIN, R_HOUR, R_MDAY, R_MON,
					 R_YEAR, R_CENTURY, R_WDAY };
	uint64_t a, b = 0;
	unsigned int i;

	do {
		a = b;
		while (cmos_read(R_A) & A_UIP)
			;
		b = 0;
		for (i = 0; i < 8; i++)
			b |= (uint64_t)cmos_read(regs[i]) << (8 * i);
	} while (a != b);
	return b;
}

/* Binary, then BCD, then 12-hour BCD (with the 24-hour hour again). */
static void guest_read_clock(uint64_t arg)
{
	uint8_t h24, h12, h24b;

	GUEST_ASSERT_EQ(cmos_read(R_D), D_VRT);
	cmos_write(R_B, B_24H | B_DM);
	GUEST_SYNC(guest_clock());
	cmos_write(R_B, B_24H);
	GUEST_SYNC(guest_clock());
	do {
		h24 = cmos_read(R_HOUR);
		cmos_write(R_B, 0);
		h12 = cmos_read(R_HOUR);
		cmos_write(R_B, B_24H);
		h24b = cmos_read(R_HOUR);
	} while (h24 != h24b);
	GUEST_SYNC2(h24, h12);
	GUEST_DONE();
}

static unsigned int bcd(unsigned int v)
{
	return (v >> 4) * 10 + (v & 0xf);
}

static int all_bcd(uint64_t v)
{
	for (; v; v >>= 4)
		if ((v & 0xf) > 9)
			return 0;
	return 1;
}

static unsigned int field(uint64_t packed, unsigned int i, int is_bcd)
{
	unsigned int v = (packed >> (8 * i)) & 0xff;

	return is_bcd ? bcd(v) : v;
}

/* The packed clock as seconds since the epoch; its day of week too. */
static time_t clock_secs(uint64_t packed, int is_bcd, int *wday)
{
	struct tm tm = { 0 };

	tm.tm_sec = field(packed, 0, is_bcd);
	tm.tm_min = field(packed, 1, is_bcd);
	tm.tm_hour = field(packed, 2, is_bcd);
	tm.tm_mday = field(packed, 3, is_bcd);
	tm.tm_mon = field(packed, 4, is_bcd) - 1;
	tm.tm_year = field(packed, 6, is_bcd) * 100 +
		     field(packed, 5, is_bcd) - 1900;
	*wday = field(packed, 7, is_bcd);
	return timegm(&tm);
}

static int make_guest(struct mhv_guest *g, const char *name,
		      void (*entry)(uint64_t), uint64_t arg, uint8_t irq)
{
	int r = mhv_guest_create(g, name, 1, MEM_MB, entry, arg);

	if (r)
		return r;
	r = mhv_create_device_irq(g->vm_fd, MHV_DEV_TYPE_RTC,
				  MHV_DEV_SPACE_PIO, RTC_PORT, irq);
	if (r > 0)
		r = -EEXIST;	/* the first device has id 0 */
	if (r)
		mhv_guest_destroy(g);
	return r;
}

TEST(time_is_host_time_binary_bcd_12h)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	time_t t0, t1, t;
	struct tm tm;
	int i, wday;

	ASSERT_EQ(0, make_guest(&g, "rtc-time", guest_read_clock, 0, 0));
	for (i = 0; i < 2; i++) {
		t0 = time(NULL);
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
		t1 = time(NULL);
		t = clock_secs(uc.args[0], i, &wday);
		/* the same clock read between t0 and t1, give or take the
		 * second the host's time() and the guest's read can straddle
		 */
		EXPECT_LE(t0 - 1, t) TH_LOG("%s: guest %ld, host %ld",
					     i ? "bcd" : "binary", (long)t,
					     (long)t0);
		EXPECT_GE(t1 + 1, t) TH_LOG("%s: guest %ld, host %ld",
					     i ? "bcd" : "binary", (long)t,
					     (long)t1);
		gmtime_r(&t, &tm);
		EXPECT_EQ(tm.tm_wday + 1, wday);
		if (i)		/* BCD: no nibble above 9 */
			EXPECT_TRUE(all_bcd(uc.args[0]))
				TH_LOG("not BCD: %llx",
				       (unsigned long long)uc.args[0]);
	}
	/* 12-hour BCD: 1..12 with bit 7 for PM */
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	i = bcd(uc.args[0]);
	EXPECT_EQ(i % 12 ? i % 12 : 12, bcd(uc.args[1] & 0x7f));
	EXPECT_EQ(i >= 12 ? 0x80 : 0, uc.args[1] & 0x80);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/* Set the year to 2099 (binary) with SET; the clock runs on from there. */
static void guest_set_clock(uint64_t arg)
{
	uint8_t mon = 0;

	cmos_write(R_B, B_24H | B_DM | B_SET);
	cmos_write(R_YEAR, 99);
	cmos_write(R_MON, 13);		/* out of range: ignored */
	GUEST_ASSERT_EQ(cmos_read(R_YEAR), 99);
	mon = cmos_read(R_MON);
	GUEST_ASSERT(mon >= 1 && mon <= 12);
	cmos_write(R_B, B_24H | B_DM);
	GUEST_ASSERT_EQ(cmos_read(R_YEAR), 99);
	GUEST_ASSERT_EQ(cmos_read(R_CENTURY), 20);
	cmos_write(R_CENTURY, 21);
	GUEST_ASSERT_EQ(cmos_read(R_CENTURY), 21);
	GUEST_SYNC(guest_clock());
	GUEST_DONE();
}

TEST(set_clock)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	time_t t0, t;
	struct tm tm;
	int wday;

	ASSERT_EQ(0, make_guest(&g, "rtc-set", guest_set_clock, 0, 0));
	t0 = time(NULL);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	t = clock_secs(uc.args[0], 0, &wday);
	gmtime_r(&t, &tm);
	EXPECT_EQ(2199 - 1900, tm.tm_year);
	/* the rest of the date is today's (unless the guest ran over a
	 * month's end)
	 */
	gmtime_r(&t0, &tm);
	EXPECT_EQ(tm.tm_mon + 1, field(uc.args[0], 4, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/*
 * The index port's bit 7 (NMI disable) is read back and leaves the byte
 * it selects alone; CMOS RAM holds what is written; the memory bytes.
 */
static void guest_cmos_ram(uint64_t arg)
{
	guest_outb(RTC_PORT, NMI_OFF | 0x40);
	guest_outb(RTC_PORT + 1, 0x5a);
	GUEST_ASSERT_EQ(guest_inb(RTC_PORT), NMI_OFF | 0x40);
	GUEST_ASSERT_EQ(cmos_read(0x40), 0x5a);
	cmos_write(0x41, 0xa5);
	guest_outb(RTC_PORT, NMI_OFF | 0x41);
	GUEST_ASSERT_EQ(guest_inb(RTC_PORT + 1), 0xa5);
	guest_outb(RTC_PORT, NMI_OFF | R_D);
	GUEST_ASSERT_EQ(guest_inb(RTC_PORT + 1), D_VRT);
	/* shutdown status byte: plain RAM, 0 at reset */
	GUEST_ASSERT_EQ(cmos_read(0x0f), 0);
	cmos_write(0x0f, 0x0a);
	GUEST_ASSERT_EQ(cmos_read(0x0f), 0x0a);
	/* registers C and D are read-only */
	cmos_write(R_D, 0);
	GUEST_ASSERT_EQ(cmos_read(R_D), D_VRT);
	GUEST_SYNC2(cmos_read(0x15) | cmos_read(0x16) << 8,
		    cmos_read(0x17) | cmos_read(0x18) << 8);
	GUEST_SYNC2(cmos_read(0x30) | cmos_read(0x31) << 8,
		    cmos_read(0x34) | cmos_read(0x35) << 8);
	GUEST_DONE();
}

TEST(cmos_ram_nmi_bit_memory_size)
{
	struct mhv_device_desc d;
	struct mhv_vm_info info;
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t kib, ext, high;

	ASSERT_EQ(0, make_guest(&g, "rtc-ram", guest_cmos_ram, 0, 0));
	/* the VM's memory as configured, in KiB; the 16-bit values cap */
	ASSERT_EQ(0, mhv_get_vm_info(g.vm_fd, &info));
	kib = info.memory_limit / 1024;
	ASSERT_LE(16 * 1024, kib);
	ext = kib - 1024 > 0xffff ? 0xffff : kib - 1024;
	high = (kib - 16 * 1024) / 64 > 0xffff ? 0xffff :
						 (kib - 16 * 1024) / 64;
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(640, uc.args[0]);			/* KiB below 640 K */
	EXPECT_EQ(ext, uc.args[1]);			/* KiB above 1 MiB */
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(ext, uc.args[0]);
	EXPECT_EQ(high, uc.args[1]);			/* 64 KiB above 16 M */
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(0, mhv_describe_device(g.vm_fd, 0, &d));
	EXPECT_STREQ("rtc", d.info.name);
	EXPECT_EQ(2, d.nr_regs);
	/* one RTC per VM */
	EXPECT_EQ(-ENOSPC, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_RTC,
					     MHV_DEV_SPACE_PIO, 0x170));
	mhv_guest_destroy(&g);
}

/* Register C: PF set by the rate of register A, cleared by a read. */
static void guest_reg_c(uint64_t arg)
{
	uint8_t c;

	GUEST_ASSERT_EQ(cmos_read(R_C), 0);
	/* rate 15: 2 Hz, interrupts off (IF=0 and no vector anyway) */
	cmos_write(R_A, A_32K_RS(15));
	cmos_write(R_B, B_24H | B_PIE);
	while (!(c = cmos_read(R_C)))
		;
	GUEST_ASSERT_EQ(c, C_IRQF | C_PF);
	/* the next period is half a second away: the read cleared it */
	GUEST_ASSERT_EQ(cmos_read(R_C), 0);
	cmos_write(R_B, B_24H);
	GUEST_DONE();
}

TEST(reg_c_clear_on_read)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, make_guest(&g, "rtc-c", guest_reg_c, 0, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

static volatile uint64_t rtc_irqs, bad_c;

/* As a kernel's RTC handler: read C, which acknowledges the interrupt. */
static void rtc_handler(struct mhv_ex_regs *r)
{
	uint8_t c = cmos_read(R_C);

	if (c == (C_IRQF | C_PF))
		rtc_irqs++;
	else
		bad_c++;
}

/*
 * Rate select 10: 64 Hz, a period of 15.625 ms, long next to what an
 * interrupt costs even in an emulated test VM, so that n periods taking
 * at least n * 15.625 ms tells this rate from the next faster one.
 */
#define PIE_RS		10
#define PIE_HZ		64

/* Halt until n interrupts came. */
static void guest_periodic(uint64_t n)
{
	cmos_write(R_A, A_32K_RS(PIE_RS));
	cmos_write(R_B, B_24H | B_PIE);
	__asm__ volatile("sti" ::: "memory");
	while (rtc_irqs < n)
		__asm__ volatile("hlt" ::: "memory");
	__asm__ volatile("cli" ::: "memory");
	cmos_write(R_B, B_24H);
	GUEST_ASSERT_EQ(bad_c, 0);
	GUEST_ASSERT_EQ(rtc_irqs, n);
	GUEST_DONE();
}

static uint64_t host_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

TEST(periodic_interrupt_while_halted)
{
	const uint64_t n = 16;
	struct mhv_vcpu_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t t0, ns;

	ASSERT_EQ(0, make_guest(&g, "rtc-pie", guest_periodic, n, VEC_RTC));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_RTC, rtc_handler));
	t0 = host_ns();
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ns = host_ns() - t0;
	/* n periods of 1/64 s cannot end sooner (a lower bound, not a
	 * speed: twice the rate, or any faster one, ends sooner)
	 */
	EXPECT_LE(n * 1000000000ULL / PIE_HZ, ns);
	ASSERT_EQ(0, mhv_get_vcpu_stats(g.vcpu[0].fd, &st));
	EXPECT_LE(n, st.counters[MHV_STAT_IRQ_INJECTED]);
	/* every HLT slept in the kernel, woken by the RTC */
	EXPECT_LE(1, st.counters[MHV_STAT_HALT_SLEEP]);
	EXPECT_EQ(1, st.counters[MHV_STAT_USER_EXITS]);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
