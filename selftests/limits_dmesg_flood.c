// SPDX-License-Identifier: GPL-2.0
/*
 * Many failing guests do not flood the kernel log. The rule
 * (Documentation/security.rst): each VM writes at most one report, and
 * all VMs together at most BURST reports per INTERVAL, the kernel's
 * default printk rate limit (DEFAULT_RATELIMIT_BURST = 10 per
 * DEFAULT_RATELIMIT_INTERVAL = 5 s). A rate-limit window starts at the
 * first report after the previous one ended, so during T seconds at most
 * floor(T / INTERVAL) + 2 windows overlap the test: the bound is
 * BURST * (floor(T / INTERVAL) + 2) reports, each one line here (a
 * triple fault).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "limits_util.h"

#define BURST		10
#define INTERVAL	5	/* seconds */
#define NR_VMS		(3 * BURST)

static void guest_triple_fault(uint64_t arg)
{
	/* an empty IDT, then a fault: #UD -> #DF -> shutdown */
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idt = { 0, 0 };

	__asm__ volatile("lidt %0\n\tud2" : : "m"(idt));
	GUEST_DONE();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

TEST(failing_guests_do_not_flood_the_log)
{
	char prefix[32], name[32], tag[48];
	int i, n, total = 0, max_one = 0, bound;
	struct mhv_ucall uc;
	struct mhv_guest g;
	double t0, t;

	snprintf(prefix, sizeof(prefix), "VM \"flood%d-", getpid());
	ASSERT_EQ(0, dmesg_count_lines(prefix));
	t0 = now();
	for (i = 0; i < NR_VMS; i++) {
		snprintf(name, sizeof(name), "flood%d-%d", getpid(), i);
		ASSERT_EQ(0, mhv_guest_create(&g, name, 1, 8,
					      guest_triple_fault, 0));
		ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
		ASSERT_EQ(MHV_EXIT_SHUTDOWN, g.vcpu[0].run->exit_reason);
		mhv_guest_destroy(&g);
	}
	t = now() - t0;
	for (i = 0; i < NR_VMS; i++) {
		snprintf(tag, sizeof(tag), "VM \"flood%d-%d\" ", getpid(), i);
		n = dmesg_count_lines(tag);
		total += n;
		if (n > max_one)
			max_one = n;
	}
	bound = BURST * ((int)(t / INTERVAL) + 2);
	if (bound > NR_VMS)
		bound = NR_VMS;
	TH_LOG("%d failing VMs in %.1f s: %d report lines (at most %d)",
	       NR_VMS, t, total, bound);
	EXPECT_LE(max_one, 1) TH_LOG("a VM reported more than once");
	EXPECT_LE(total, bound);
	if (bound == NR_VMS)
		TH_LOG("too slow here for the rate limit to show");
}

TEST_HARNESS_MAIN
