// SPDX-License-Identifier: GPL-2.0
/*
 * CR8 (the task priority) is the guest's own: a guest MOV to CR8 must
 * never reach the host CPU's local APIC. On VT-x without CR8 exiting
 * (or a TPR shadow) it does, and CR8 = 15 masks every interrupt of that
 * host CPU for good: timer ticks stop, a sleep on it never ends, and
 * the host hangs. On AMD-V, V_INTR_MASKING keeps CR8 virtual.
 *
 * The guest writes CR8 = 15 and reads it back (it must see its value);
 * the vCPU thread, pinned to one CPU, then sleeps on that CPU: the timer
 * interrupt must wake it (the harness's timeout fails the test if it
 * never does). GET_SREGS reports the guest's CR8, and where the module
 * emulates CR8 (VT-x) a write with bits 63:4 set raises #GP.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "kselftest_harness.h"
#include "isol_util.h"

#define IDT_GPA		0x200000ULL

static void guest_cr8(uint64_t arg)
{
	uint64_t v = 15, back = 0, vec;

	__asm__ volatile("mov %1, %%cr8\n\tmov %%cr8, %0"
			 : "=r"(back) : "r"(v) : "memory");
	GUEST_SYNC(back);
	if (!arg)		/* the CPU's own CR8 (AMD-V): nothing more */
		GUEST_DONE();
	/* emulated (VT-x): bits 63:4 are reserved, #GP, CR8 unchanged */
	v = 0x10;
	__asm__ volatile(ISOL_ASM_SAFE("mov %1, %%cr8") "movq %%r9, %0"
			 : "=r"(vec) : "r"(v)
			 : "r9", "r10", "r11", "memory", "cc");
	__asm__ volatile("mov %%cr8, %0" : "=r"(back));
	GUEST_SYNC2(vec, back);
	GUEST_DONE();
}

TEST(cr8_is_the_guests)
{
	struct timespec ts = { .tv_nsec = 2 * 1000 * 1000 };
	struct mhv_sregs s;
	struct mhv_guest g;
	bool vmx = cpuinfo_has_flag("vmx");
	struct mhv_ucall uc;
	cpu_set_t set;
	int cpu, i;

	cpu = sched_getcpu();
	ASSERT_LE(0, cpu);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));

	ASSERT_EQ(0, mhv_guest_create(&g, "cr8", 1, 64, guest_cr8, vmx));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_GP, isol_ex_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(15, uc.args[0]);

	/* the host CPU still takes timer interrupts: sleeps end */
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, nanosleep(&ts, NULL));
	ASSERT_EQ(0, mhv_get_sregs(g.vcpu[0].fd, &s));
	EXPECT_EQ(15, s.cr8);

	if (vmx) {
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
		EXPECT_EQ(VEC_GP, uc.args[0]);
		EXPECT_EQ(15, uc.args[1]);
	}
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
