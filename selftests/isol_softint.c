// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 8, item 4: INT n and INT3 are delivered exactly once when their
 * delivery takes a nested page fault.
 *
 * The guest's IDT is on a page the guest has never touched (the host
 * wrote it through its own mapping), so delivering the software
 * interrupt reads the gate, faults in the second-level tables, exits,
 * and the hypervisor must re-inject the event with what makes the CPU
 * deliver it as a software interrupt again: the instruction length
 * (VT-x) or the next RIP (SVM). Before the fix the guest saw the handler
 * run twice: the re-injected event returned to the INT instruction,
 * which then ran again.
 *
 * Each case runs in a fresh VM, so the IDT page is untouched. INTO is
 * #UD in 64-bit mode, the only mode these guests run in: not tested.
 */
#include <stdint.h>

#include "kselftest_harness.h"
#include "isol_util.h"

#define IDT_GPA		0x2000000ULL	/* 32 MiB: never touched before */
#define VEC_SOFT	0x30

static volatile uint64_t hits;

static void count_handler(struct mhv_ex_regs *r)
{
	hits++;
}

static void guest_soft_int(uint64_t vector)
{
	/*
	 * Map the TSS and the exception stack first: then the IDT read is
	 * the only access of the delivery that faults in the second-level
	 * tables.
	 */
	guest_map_ex_pages();
	if (vector == VEC_BP)
		__asm__ volatile("int3" : : : "memory");
	else
		__asm__ volatile("int $" __stringify(VEC_SOFT) : : : "memory");
	GUEST_SYNC(hits);
	GUEST_DONE();
}

static void run_once(struct __test_metadata *_metadata, unsigned int vector)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t npf;

	ASSERT_EQ(0, mhv_guest_create(&g, "softint", 1, 64, guest_soft_int,
				      vector));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, vector, count_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(1, uc.args[0])
		TH_LOG("vector 0x%x: handler ran %lu times for one instruction",
		       vector, (unsigned long)uc.args[0]);
	/* the delivery did fault: the IDT page was not mapped before */
	npf = vcpu_stat(&g, 0, MHV_STAT_NPF);
	EXPECT_GE(npf, 1);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

TEST(int_n_once)
{
	run_once(_metadata, VEC_SOFT);
}

TEST(int3_once)
{
	run_once(_metadata, VEC_BP);
}

TEST_HARNESS_MAIN
