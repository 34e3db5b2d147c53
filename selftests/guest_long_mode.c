// SPDX-License-Identifier: GPL-2.0
/*
 * A 64-bit guest written in C runs, computes, calls the host, uses SSE
 * and its own globals, and halts when its function returns.
 */
#include <stdint.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"

static volatile uint64_t guest_counter;

static uint64_t fib(uint64_t n)
{
	uint64_t a = 0, b = 1;

	while (n--) {
		uint64_t t = a + b;

		a = b;
		b = t;
	}
	return a;
}

static void guest_main(uint64_t arg)
{
	volatile double x = 1.5;
	int i;

	GUEST_SYNC(arg);
	GUEST_ASSERT_EQ(fib(50), 12586269025ULL);
	for (i = 0; i < 3; i++) {
		guest_counter++;
		GUEST_SYNC2(i, guest_counter);
	}
	x = x * 4.0;
	GUEST_ASSERT(x == 6.0);
	GUEST_DONE();
}

TEST(c_function_runs_in_long_mode)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	int i;

	ASSERT_EQ(0, mhv_guest_create(&g, "long-mode", 1, 64, guest_main,
				      0x1234));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(0x1234, uc.args[0]);
	for (i = 0; i < 3; i++) {
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
		EXPECT_EQ((uint64_t)i, uc.args[0]);
		EXPECT_EQ((uint64_t)i + 1, uc.args[1]);
	}
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	/* the host's copy of the global is untouched: the guest has its own */
	EXPECT_EQ(0, guest_counter);
	/* returning from guest_main lands on HLT */
	EXPECT_EQ(0, mhv_guest_run(&g, 0, &uc));
	EXPECT_EQ(MHV_EXIT_HLT, g.vcpu[0].run->exit_reason);
	mhv_guest_destroy(&g);
}

static void guest_regs(uint64_t arg)
{
	__asm__ volatile("mov $0x1111, %%rbx\n\t"
			 "mov $0x2222, %%r12\n\t"
			 "mov $0x3333, %%r15\n\t"
			 "hlt"
			 : : : "rbx", "r12", "r15");
}

TEST(guest_registers_reach_the_host)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_regs regs;

	ASSERT_EQ(0, mhv_guest_create(&g, "regs", 1, 64, guest_regs, 7));
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_HLT, g.vcpu[0].run->exit_reason);
	ASSERT_EQ(0, ioctl(g.vcpu[0].fd, MHV_GET_REGS, &regs));
	EXPECT_EQ(0x1111, regs.rbx);
	EXPECT_EQ(0x2222, regs.r12);
	EXPECT_EQ(0x3333, regs.r15);
	EXPECT_EQ(7, regs.rdi);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
