// SPDX-License-Identifier: GPL-2.0
/*
 * The 8254 PIT of MHV_VM_F_IRQCHIP, programmed by a guest as a kernel
 * does: counter 0 in modes 2 and 3 interrupting periodically on IRQ 0
 * through the PIC (counted by the guest's handler, while it sleeps in
 * HLT), at no shorter period than MHV_TIMER_MIN_PERIOD_US; mode 0 once;
 * counter reads going down; the counter latch command holding its value
 * (a second latch ignored until it is read); the read-back status
 * (output, access mode, mode, BCD); port 0x61's gate holding counter 2;
 * Linux's calibration loop (gate on, mode 0, wait for OUT2 on port 0x61
 * bit 5); mode 3's square wave on OUT2.
 *
 * Expected values are the 8254 datasheet's: control word SC(7-6) RW(5-4)
 * M(3-1) BCD(0), RW 0 the latch command, SC 3 the read-back command
 * (bit 5 clear: latch counts, bit 4 clear: latch statuses); the status
 * byte OUT(7) NULL(6) RW(5-4) M(3-1) BCD(0); mode 0's output low until
 * the terminal count; the counter counts at 1.193182 MHz, so N periods
 * of C counts take at least N * C / 1193182 s of host time. Pauses the
 * guest needs are counted in toggles of port 0x61 bit 4 (every 15 us).
 */
#include <stdint.h>
#include <time.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "pic_util.h"

#define PIT_CTRL	0x43
#define PORT_61		0x61
#define PIT_CHANNEL_PORT(ch) (MHV_PIT_PORT + (ch))
#define CW(ch, mode)	((ch) << 6 | 0x30 | (mode) << 1)  /* LSB then MSB */
#define CW_LATCH(ch)	((ch) << 6)
#define RB_STATUS(ch)	(0xe0 | 2 << (ch))	/* read-back: status only */
#define ST_OUT		0x80
#define COUNT_1MS	1193
#define COUNT_MAX	0xffff		/* 54.9 ms */
#define NR_TICKS	5

static uint64_t host_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static void pit_program(uint8_t ch, uint8_t mode, uint16_t count)
{
	guest_outb(PIT_CTRL, CW(ch, mode));
	guest_outb(PIT_CHANNEL_PORT(ch), count & 0xff);
	guest_outb(PIT_CHANNEL_PORT(ch), count >> 8);
}

static uint16_t pit_read16(uint8_t ch)
{
	uint8_t lo = guest_inb(PIT_CHANNEL_PORT(ch));

	return lo | guest_inb(PIT_CHANNEL_PORT(ch)) << 8;
}

/* Let @n toggles of the refresh bit pass: at least @n * 15 us. */
static void refresh_wait(unsigned int n)
{
	uint8_t last = guest_inb(PORT_61) & MHV_PIT_61_REFRESH, b;

	while (n) {
		b = guest_inb(PORT_61) & MHV_PIT_61_REFRESH;
		if (b != last)
			n--;
		last = b;
	}
}

/* Counter 0 in mode @arg >> 16 with count @arg & 0xffff: NR_TICKS IRQ 0s. */
static void guest_periodic(uint64_t arg)
{
	uint64_t i;

	pic_init(ICW4_8086, 0xfe, 0xff);
	GUEST_SYNC(0);
	pit_program(0, arg >> 16, arg & 0xffff);
	while (nseen < NR_TICKS)
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	GUEST_SYNC(1);
	guest_outb(PIT_CTRL, CW(0, 0));	/* no count: counter 0 stops */
	for (i = 0; i < NR_TICKS; i++)
		GUEST_ASSERT_EQ(seen_vec[i], MBASE);
	GUEST_DONE();
}

/* NR_TICKS periods of @count in @mode take at least @min_ns each. */
static void run_periodic(struct __test_metadata *_metadata, uint8_t mode,
			 uint16_t count, uint64_t min_ns)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t t0, ns;

	ASSERT_EQ(0, make_guest(&g, "pit-periodic", MHV_VM_F_IRQCHIP,
				guest_periodic, (uint64_t)mode << 16 | count));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	t0 = host_ns();
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ns = host_ns() - t0;
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_LE(NR_TICKS * min_ns, ns);
	EXPECT_LE(NR_TICKS, vstat(&g, MHV_STAT_PIC_ACK));
	EXPECT_LE(1, vstat(&g, MHV_STAT_HALT_SLEEP));
	EXPECT_EQ(vstat(&g, MHV_STAT_HLT), vstat(&g, MHV_STAT_HALT_SLEEP));
	mhv_guest_destroy(&g);
}

TEST(mode2_rate_generator_irq0)
{
	run_periodic(_metadata, 2, COUNT_MAX,
		     COUNT_MAX * 1000000000ULL / MHV_PIT_FREQ_HZ);
}

TEST(mode3_square_wave_irq0)
{
	run_periodic(_metadata, 3, COUNT_MAX / 2,
		     COUNT_MAX / 2 * 1000000000ULL / MHV_PIT_FREQ_HZ);
}

/* Counter 0 in mode 2 with a count of 2 (1.7 us) for 200 refresh toggles. */
static void guest_short(uint64_t arg)
{
	count_only = 1;
	pic_init(ICW4_AEOI, 0xfe, 0xff);
	GUEST_SYNC(0);
	pit_program(0, 2, 2);
	__asm__ volatile("sti" ::: "memory");
	refresh_wait(200);
	__asm__ volatile("cli" ::: "memory");
	guest_outb(PIT_CTRL, CW(0, 0));	/* no count: counter 0 stops */
	GUEST_SYNC(nseen);
	GUEST_DONE();
}

/*
 * The guard: counter 0's periods, as the PIT counts them (irq0_ticks),
 * end no more often than every MHV_TIMER_MIN_PERIOD_US, so in the host's
 * window around the guest's there are at most window / period + 1.
 */
TEST(short_period_guard)
{
	uint64_t t0, ns, ticks = 0;
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, make_guest(&g, "pit-guard", MHV_VM_F_IRQCHIP,
				guest_short, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	t0 = host_ns();
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ns = host_ns() - t0;
	ASSERT_EQ(0, mhv_device_read(g.vm_fd, 1, MHV_PIT_IRQ0_TICKS, 4,
				     &ticks));
	/* each IRQ 0 the guest took was a period of the PIT */
	EXPECT_LE(1, uc.args[0]);
	EXPECT_LE(uc.args[0], ticks);
	EXPECT_GE(ns / (MHV_TIMER_MIN_PERIOD_US * 1000ULL) + 1, ticks);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/*
 * Mode 0: one IRQ 0 at the terminal count (1 ms), then none while the
 * guest waits with interrupts on for three times as long.
 */
static void guest_oneshot(uint64_t arg)
{
	pic_init(ICW4_8086, 0xfe, 0xff);
	pit_program(0, 0, COUNT_1MS);
	guest_outb(PIT_CTRL, RB_STATUS(0));
	/* LSB+MSB, mode 0, a count loaded (OUT depends on the time) */
	GUEST_ASSERT_EQ(guest_inb(PIT_CHANNEL_PORT(0)) & ~ST_OUT, 0x30);
	while (!nseen)
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	guest_outb(PIT_CTRL, RB_STATUS(0));
	GUEST_ASSERT_EQ(guest_inb(PIT_CHANNEL_PORT(0)), ST_OUT | 0x30);
	__asm__ volatile("sti" ::: "memory");
	refresh_wait(200);		/* 3 ms at least */
	__asm__ volatile("cli" ::: "memory");
	GUEST_ASSERT_EQ(nseen, 1);
	GUEST_DONE();
}

TEST(mode0_oneshot_irq0)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t ticks = 0;

	ASSERT_EQ(0, make_guest(&g, "pit-oneshot", MHV_VM_F_IRQCHIP,
				guest_oneshot, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(1, vstat(&g, MHV_STAT_PIC_ACK));
	ASSERT_EQ(0, mhv_device_read(g.vm_fd, 1, MHV_PIT_IRQ0_TICKS, 4,
				     &ticks));
	EXPECT_EQ(1, ticks);
	mhv_guest_destroy(&g);
}

/*
 * Counter 2, mode 0, from 0xffff: reads go down; with the gate low it
 * holds (two reads equal); a latch taken then holds that value through a
 * second latch command and the counting that resumes with the gate;
 * after it is read the live count is below it. BCD and the modes are in
 * the read-back status.
 */
static void guest_latch(uint64_t arg)
{
	uint16_t a, b, held, l;

	guest_outb(PORT_61, MHV_PIT_61_GATE2);
	pit_program(2, 0, 0xffff);
	a = pit_read16(2);
	refresh_wait(2);
	b = pit_read16(2);
	GUEST_ASSERT(b < a);
	refresh_wait(2);
	guest_outb(PORT_61, 0);			/* gate low: counter 2 holds */
	held = pit_read16(2);
	refresh_wait(2);
	GUEST_ASSERT_EQ(pit_read16(2), held);
	GUEST_ASSERT(held < b);
	guest_outb(PIT_CTRL, CW_LATCH(2));
	guest_outb(PORT_61, MHV_PIT_61_GATE2);	/* counting again */
	refresh_wait(2);
	guest_outb(PIT_CTRL, CW_LATCH(2));	/* ignored: one is pending */
	l = pit_read16(2);
	GUEST_ASSERT_EQ(l, held);
	GUEST_ASSERT(pit_read16(2) < held);
	/* status: LSB+MSB, mode 0, a count loaded */
	guest_outb(PIT_CTRL, RB_STATUS(2));
	GUEST_ASSERT_EQ(guest_inb(PIT_CHANNEL_PORT(2)) & ~ST_OUT, 0x30);
	/* counter 1, mode 2 with BCD, no count yet: NULL count, OUT high */
	guest_outb(PIT_CTRL, CW(1, 2) | 1);
	guest_outb(PIT_CTRL, RB_STATUS(1));
	GUEST_ASSERT_EQ(guest_inb(PIT_CHANNEL_PORT(1)),
			ST_OUT | 0x40 | 0x30 | 2 << 1 | 1);
	GUEST_DONE();
}

/* A guest that checks everything itself. */
static void run_to_done(struct __test_metadata *_metadata, const char *name,
			void (*entry)(uint64_t))
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, make_guest(&g, name, MHV_VM_F_IRQCHIP, entry, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

TEST(counter_reads_latch_readback_gate)
{
	run_to_done(_metadata, "pit-latch", guest_latch);
}

/*
 * Linux's pit_calibrate_tsc(): speaker off, gate on, counter 2 in mode 0
 * with a count, then poll port 0x61 until OUT2 is high. The wait ends,
 * and not before the count's time.
 */
static void guest_calibrate(uint64_t count)
{
	uint64_t polls = 0;	/* how long it waited, for the log */

	guest_outb(PORT_61, (guest_inb(PORT_61) & ~MHV_PIT_61_SPEAKER) |
		   MHV_PIT_61_GATE2);
	GUEST_SYNC(0);
	guest_outb(PIT_CTRL, 0xb0);		/* counter 2, LSB+MSB, mode 0 */
	guest_outb(PIT_CHANNEL_PORT(2), count & 0xff);
	guest_outb(PIT_CHANNEL_PORT(2), count >> 8);
	while (!(guest_inb(PORT_61) & MHV_PIT_61_OUT2))
		polls++;
	GUEST_SYNC(polls);
	GUEST_ASSERT_EQ(guest_inb(PORT_61) & MHV_PIT_61_GATE2,
			MHV_PIT_61_GATE2);
	GUEST_DONE();
}

TEST(port61_calibration_loop)
{
	const uint64_t count = 50 * COUNT_1MS;
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t t0, ns;

	ASSERT_EQ(0, make_guest(&g, "pit-calibrate", MHV_VM_F_IRQCHIP,
				guest_calibrate, count));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	t0 = host_ns();
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ns = host_ns() - t0;
	TH_LOG("%llu polls of port 0x61", (unsigned long long)uc.args[0]);
	EXPECT_LE(count * 1000000000ULL / MHV_PIT_FREQ_HZ, ns);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/* Mode 3 on counter 2: OUT2 on port 0x61 goes up and down. */
static void guest_square(uint64_t arg)
{
	unsigned int changes = 0, waited = 0;
	uint8_t last, b;

	guest_outb(PORT_61, MHV_PIT_61_GATE2);
	pit_program(2, 3, COUNT_1MS);
	last = guest_inb(PORT_61) & MHV_PIT_61_OUT2;
	while (changes < 4 && waited < 10000) {
		refresh_wait(1);
		waited++;
		b = guest_inb(PORT_61) & MHV_PIT_61_OUT2;
		changes += b != last;
		last = b;
	}
	GUEST_ASSERT_EQ(changes, 4);
	GUEST_DONE();
}

TEST(mode3_out2_square_wave)
{
	run_to_done(_metadata, "pit-square", guest_square);
}

TEST_HARNESS_MAIN
