// SPDX-License-Identifier: GPL-2.0
/*
 * The guest exception support of mhv_guest.h: handlers as C functions
 * for exceptions with and without an error code, handlers that change
 * the interrupted state, ring 3 and INT n back to ring 0, and a vector
 * without a handler reported as a guest assertion.
 */
#include <stdint.h>

#include "kselftest_harness.h"
#include "isol_util.h"

#define IDT_GPA		0x2000000ULL	/* 32 MiB: a page no one uses */

static volatile uint64_t seen_vector, seen_error, seen_cs, seen_ss, seen_count;

/* #UD: skip the 2-byte UD2 and leave a mark in RAX. */
static void ud_handler(struct mhv_ex_regs *r)
{
	seen_vector = r->vector;
	seen_error = r->error_code;
	seen_count++;
	r->rip += 2;
	r->rax = 0x1234;
}

static void guest_ud(uint64_t arg)
{
	uint64_t rax = 0;

	__asm__ volatile("ud2" : "+a"(rax));
	GUEST_ASSERT_EQ(rax, 0x1234);
	GUEST_ASSERT_EQ(seen_vector, VEC_UD);
	GUEST_ASSERT_EQ(seen_error, 0);
	GUEST_ASSERT_EQ(seen_count, 1);
	GUEST_DONE();
}

TEST(handler_without_error_code)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "ex-ud", 1, 64, guest_ud, 0));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_UD, ud_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/* #GP with a selector error code: loading DS with an index past the GDT. */
static void guest_gp(uint64_t arg)
{
	uint64_t vec, err;

	__asm__ volatile(ISOL_ASM_SAFE("movw %w2, %%ds")
			 "movq %%r9, %0\n\tmovq %%r10, %1"
			 : "=r"(vec), "=r"(err) : "r"(0x40)
			 : "r9", "r10", "r11", "memory", "cc");
	GUEST_ASSERT_EQ(vec, VEC_GP);
	GUEST_ASSERT_EQ(err, 0x40);
	GUEST_ASSERT_EQ(wrmsr_safe(0xdeadbeef, 0), VEC_GP);
	GUEST_DONE();
}

TEST(handler_with_error_code)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "ex-gp", 1, 64, guest_gp, 0));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_GP, isol_ex_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

static void int31_handler(struct mhv_ex_regs *r)
{
	seen_cs = r->cs;
	seen_ss = r->ss;
	seen_count++;
}

/* Ring 3, a ucall from there, and INT n to a ring-0 handler. */
static void guest_user(uint64_t arg)
{
	uint16_t cs;

	/*
	 * Map the IDT, TSS and stack pages first: software interrupts whose delivery faults
	 * in the second-level tables are isol_softint's business.
	 */
	(void)*(volatile uint64_t *)IDT_GPA;
	guest_map_ex_pages();
	mhv_guest_enter_user();
	__asm__ volatile("movw %%cs, %0" : "=r"(cs));
	GUEST_SYNC(cs);
	__asm__ volatile("int $0x31");
	GUEST_ASSERT_EQ(seen_count, 1);
	GUEST_ASSERT_EQ(seen_cs, MHV_GUEST_USER_CODE_SEL);
	GUEST_ASSERT_EQ(seen_ss, MHV_GUEST_USER_DATA_SEL);
	GUEST_DONE();
}

TEST(ring3_and_back)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "ex-user", 1, 64, guest_user, 0));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_enable_user(&g));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, 0x31, int31_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(MHV_GUEST_USER_CODE_SEL, uc.args[0]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

static void guest_int_unhandled(uint64_t arg)
{
	__asm__ volatile("int $0x42");
	GUEST_DONE();
}

TEST(unhandled_vector_is_reported)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "ex-none", 1, 64,
				      guest_int_unhandled, 0));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(MHV_UCALL_ASSERT, mhv_guest_run(&g, 0, &uc));
	EXPECT_EQ(0x42, uc.args[0]);
	EXPECT_EQ(-EINVAL, mhv_guest_install_handler(&g, 256, ud_handler));
	EXPECT_EQ(-EINVAL, mhv_guest_setup_idt(&g, IDT_GPA + 8));
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
