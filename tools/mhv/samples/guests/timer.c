// SPDX-License-Identifier: GPL-2.0
/*
 * timer.c - the timer guest of mhv run: programs the interval timer
 * device for a tick every PERIOD_US microseconds, sleeps in HLT between
 * ticks (the vCPU sleeps in the kernel, woken by the timer's interrupt),
 * counts the ticks in its interrupt handler and reports the count
 * through the debug-exit port:
 *
 *   mhv run /mhv/samples/timer.elf --device uart@0x3f8 \
 *           --device timer@0x540 --device debug-exit@0xf4
 *
 * exits with status TICKS (10) when every tick arrived.
 */
#include "rt.h"

#define TICKS		10
#define PERIOD_US	10000		/* 10 ms */
#define TIMER_VEC	0x30

static volatile uint32_t ticks;

static void on_tick(struct rt_frame *f)
{
	(void)f;
	ticks++;
}

int main(const struct rt_boot *boot)
{
	uint32_t device_ticks;

	(void)boot;
	rt_set_handler(TIMER_VEC, on_tick);
	outb(RT_TIMER_PORT + TIMER_VECTOR, TIMER_VEC);
	outl(RT_TIMER_PORT + TIMER_PERIOD, PERIOD_US);
	rt_printf("timer: a tick every %u us, vector 0x%x; waiting for %u\n",
		  PERIOD_US, TIMER_VEC, TICKS);
	outl(RT_TIMER_PORT + TIMER_CTRL, TIMER_CTRL_ENABLE);
	/* interrupts on only inside STI; HLT: one tick per wake-up */
	while (ticks < TICKS) {
		rt_wait_irq();
		rt_cli();
		rt_printf("  tick %u\n", ticks);
	}
	outl(RT_TIMER_PORT + TIMER_CTRL, 0);
	device_ticks = inl(RT_TIMER_PORT + TIMER_TICKS);
	rt_printf("timer: %u ticks counted, the device counted %u periods\n",
		  ticks, device_ticks);
	return ticks;
}
