// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI PM device (MHV_DEV_TYPE_ACPI_PM), as a guest OS uses it
 * through the FADT of mhv_acpi_build() (ACPI 6.4 section 4.8.3):
 * - PM1_CNT: SCI_EN reads 1; SLP_EN with the S5 sleep type of the DSDT's
 *   \_S5 ends MHV_RUN with MHV_EXIT_POWEROFF (value, device, port in
 *   run->poweroff), the VM paused; other sleep types and SLP_TYP without
 *   SLP_EN end nothing;
 * - PM1_EN keeps its enable bits, PM1_STS is write-1-to-clear;
 * - PM_TMR counts at 3.579545 MHz of the host's monotonic clock: between
 *   two host reads it advanced by the elapsed time (bracketed by
 *   CLOCK_MONOTONIC before and after each read) times the rate, within a
 *   tick; from the guest it never goes backwards and it moves.
 */
#include <stdint.h>
#include <time.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define PM	MHV_ACPI_PM_PORT
#define CNT	(PM + MHV_ACPI_PM1_CNT)
#define TMR	(PM + MHV_ACPI_PM_TMR)
#define SLP(t)	((uint16_t)((t) << MHV_ACPI_PM1_CNT_SLP_TYP_SHIFT))

static void guest_poweroff(uint64_t arg)
{
	GUEST_ASSERT_EQ(guest_inw(CNT) & MHV_ACPI_PM1_CNT_SCI_EN,
			MHV_ACPI_PM1_CNT_SCI_EN);
	guest_outw(CNT, SLP(1) | MHV_ACPI_PM1_CNT_SLP_EN);	/* S1: no */
	guest_outw(CNT, SLP(MHV_ACPI_PM_SLP_TYP_S5));	/* no SLP_EN: no */
	GUEST_ASSERT_EQ(guest_inw(CNT), SLP(MHV_ACPI_PM_SLP_TYP_S5) |
					MHV_ACPI_PM1_CNT_SCI_EN);
	/* what Linux's acpi_enter_sleep_state(ACPI_STATE_S5) writes */
	guest_outw(CNT, SLP(MHV_ACPI_PM_SLP_TYP_S5) | MHV_ACPI_PM1_CNT_SLP_EN |
			MHV_ACPI_PM1_CNT_SCI_EN);
	GUEST_DONE();
}

TEST(poweroff)
{
	struct mhv_vm_info info;
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_run *run;
	int id;

	ASSERT_EQ(0, mhv_guest_create(&g, "acpi-pm-off", 1, 16,
				      guest_poweroff, 0));
	ASSERT_EQ(0, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_RESET,
				       MHV_DEV_SPACE_PIO, MHV_RESET_PORT_CF9));
	id = mhv_create_device(g.vm_fd, MHV_DEV_TYPE_ACPI_PM,
			       MHV_DEV_SPACE_PIO, PM);
	ASSERT_EQ(1, id);
	/* one per VM */
	EXPECT_GT(0, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_ACPI_PM,
				       MHV_DEV_SPACE_PIO, PM + 0x100));
	run = g.vcpu[0].run;
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_POWEROFF, run->exit_reason)
		TH_LOG("exit %s", mhv_exit_reason_name(run->exit_reason));
	EXPECT_EQ(SLP(MHV_ACPI_PM_SLP_TYP_S5) | MHV_ACPI_PM1_CNT_SLP_EN |
		  MHV_ACPI_PM1_CNT_SCI_EN, run->poweroff.value);
	EXPECT_EQ(id, run->poweroff.device);
	EXPECT_EQ(CNT, run->poweroff.addr);
	ASSERT_EQ(0, mhv_get_vm_info(g.vm_fd, &info));
	EXPECT_EQ(MHV_VM_PAUSED, info.state);
	/* an exit like others: the vCPU runs on */
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_STREQ("POWEROFF", mhv_exit_reason_name(MHV_EXIT_POWEROFF));
	EXPECT_STREQ("acpi-pm", mhv_dev_type_name(MHV_DEV_TYPE_ACPI_PM));
	mhv_guest_destroy(&g);
}

/* Read the timer from the guest until it moved, 1000 times over. */
static void guest_timer(uint64_t arg)
{
	uint32_t prev = guest_inl(TMR), now;
	unsigned int moved = 0;

	while (moved < 1000) {
		now = guest_inl(TMR);
		GUEST_ASSERT(now - prev < 0x80000000u);	/* not backwards */
		moved += now != prev;
		prev = now;
	}
	GUEST_DONE();
}

static uint64_t host_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/* The timer from the host, between two readings of the host's clock. */
static uint32_t read_tmr(int vm_fd, int id, uint64_t *before, uint64_t *after)
{
	uint64_t v = 0;

	*before = host_ns();
	if (mhv_device_read(vm_fd, id, MHV_ACPI_PM_TMR, 4, &v))
		v = 0xffffffff;		/* not a value the test expects */
	*after = host_ns();
	return (uint32_t)v;
}

TEST(timer)
{
	uint64_t b1, a1, b2, a2, lo, hi, ticks;
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint32_t t1, t2;
	int id;

	ASSERT_EQ(0, mhv_guest_create(&g, "acpi-pm-tmr", 1, 16, guest_timer, 0));
	id = mhv_create_device(g.vm_fd, MHV_DEV_TYPE_ACPI_PM,
			       MHV_DEV_SPACE_PIO, PM);
	ASSERT_LE(0, id);
	t1 = read_tmr(g.vm_fd, id, &b1, &a1);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);	/* the guest's reads */
	while (host_ns() - a1 < 20000000ULL)		/* >= 20 ms apart */
		;
	t2 = read_tmr(g.vm_fd, id, &b2, &a2);
	ticks = (uint32_t)(t2 - t1);
	/* the reads happened within [b1, a1] and [b2, a2] */
	lo = (b2 - a1) * MHV_ACPI_PM_TMR_HZ / 1000000000ULL;
	hi = (a2 - b1) * MHV_ACPI_PM_TMR_HZ / 1000000000ULL + 1;
	EXPECT_LE(lo, ticks + 1) TH_LOG("%llu ticks in at least %llu ns",
				     (unsigned long long)ticks,
				     (unsigned long long)(b2 - a1));
	EXPECT_GE(hi, ticks) TH_LOG("%llu ticks in at most %llu ns",
				    (unsigned long long)ticks,
				    (unsigned long long)(a2 - b1));
	mhv_guest_destroy(&g);
}

TEST(status_enable)
{
	struct mhv_guest g;
	uint64_t v = 0;
	int id;

	ASSERT_EQ(0, mhv_guest_create(&g, "acpi-pm-regs", 1, 16, guest_timer, 0));
	id = mhv_create_device(g.vm_fd, MHV_DEV_TYPE_ACPI_PM,
			       MHV_DEV_SPACE_PIO, PM);
	ASSERT_LE(0, id);
	/* PM1_EN: TMR_EN, GBL_EN, PWRBTN_EN, SLPBTN_EN, RTC_EN (Table 4.15) */
	ASSERT_EQ(0, mhv_device_write(g.vm_fd, id, MHV_ACPI_PM1_EN, 2, 0xffff));
	ASSERT_EQ(0, mhv_device_read(g.vm_fd, id, MHV_ACPI_PM1_EN, 2, &v));
	EXPECT_EQ(0x0721, v);
	/* nothing pending after creation; writing 1s clears, sets nothing */
	ASSERT_EQ(0, mhv_device_write(g.vm_fd, id, MHV_ACPI_PM1_STS, 2, 0xffff));
	ASSERT_EQ(0, mhv_device_read(g.vm_fd, id, MHV_ACPI_PM1_STS, 2, &v));
	EXPECT_EQ(0, v);
	/* a host write of SLP_EN stores, it powers nothing off */
	ASSERT_EQ(0, mhv_device_write(g.vm_fd, id, MHV_ACPI_PM1_CNT, 2,
				      SLP(5) | MHV_ACPI_PM1_CNT_SLP_EN));
	ASSERT_EQ(0, mhv_device_read(g.vm_fd, id, MHV_ACPI_PM1_CNT, 2, &v));
	EXPECT_EQ(SLP(5) | MHV_ACPI_PM1_CNT_SCI_EN, v);
	/* widths: 16-bit PM1 registers, a 32-bit timer */
	EXPECT_NE(0, mhv_device_read(g.vm_fd, id, MHV_ACPI_PM_TMR, 2, &v));
	EXPECT_NE(0, mhv_device_read(g.vm_fd, id, MHV_ACPI_PM1_CNT, 4, &v));
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
