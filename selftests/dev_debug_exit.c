// SPDX-License-Identifier: GPL-2.0
/*
 * The debug-exit device: each guest write (8, 16 or 32 bits, by OUT or
 * by MMIO) ends MHV_RUN with MHV_EXIT_DEBUG_EXIT and the value written as
 * the exit status; the next MHV_RUN goes on after the instruction. A
 * wrong offset or width ends nothing and is counted.
 */
#include <stdint.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define EXIT_PORT	0xf4
#define EXIT_MMIO	0xd0001000ULL

static void guest_pio_exit(uint64_t port)
{
	__asm__ volatile("outb %b0, %w1" : : "a"(0x2a), "d"(port));
	__asm__ volatile("outw %w0, %w1" : : "a"(0xbeef), "d"(port));
	__asm__ volatile("outl %0, %w1" : : "a"(0xdeadbeef), "d"(port));
	/* offset 1 and a read: nothing ends */
	__asm__ volatile("outb %b0, %w1" : : "a"(1), "d"(port + 1));
	GUEST_DONE();
}

static void expect_debug_exit(struct __test_metadata *_metadata,
			      struct mhv_guest *g, uint32_t status, int id,
			      uint64_t addr)
{
	struct mhv_run *run = g->vcpu[0].run;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_run(g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_DEBUG_EXIT, run->exit_reason)
		TH_LOG("exit %s", mhv_exit_reason_name(run->exit_reason));
	EXPECT_EQ(status, run->debug_exit.status);
	EXPECT_EQ(id, run->debug_exit.device);
	EXPECT_EQ(addr, run->debug_exit.addr);
}

static uint64_t vstat(struct mhv_guest *g, unsigned int i)
{
	struct mhv_vcpu_stats st;

	if (mhv_get_vcpu_stats(g->vcpu[0].fd, &st))
		return ~0ULL;
	return st.counters[i];
}

TEST(pio_status)
{
	struct mhv_device_stats st;
	struct mhv_vm_info info;
	struct mhv_guest g;
	struct mhv_ucall uc;
	int id;

	ASSERT_EQ(0, mhv_guest_create(&g, "dbg-pio", 1, 16, guest_pio_exit,
				      EXIT_PORT));
	/* a demo device first, so the debug-exit device is id 1 */
	ASSERT_EQ(0, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_DEMO,
				       MHV_DEV_SPACE_PIO, 0x500));
	id = mhv_create_device(g.vm_fd, MHV_DEV_TYPE_DEBUG_EXIT,
			       MHV_DEV_SPACE_PIO, EXIT_PORT);
	ASSERT_EQ(1, id);
	expect_debug_exit(_metadata, &g, 0x2a, id, EXIT_PORT);
	expect_debug_exit(_metadata, &g, 0xbeef, id, EXIT_PORT);
	expect_debug_exit(_metadata, &g, 0xdeadbeef, id, EXIT_PORT);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_STREQ("DEBUG_EXIT", mhv_exit_reason_name(MHV_EXIT_DEBUG_EXIT));

	/* three run ends and DONE; the VM is fine */
	EXPECT_EQ(4, vstat(&g, MHV_STAT_USER_EXITS));
	EXPECT_EQ(4, vstat(&g, MHV_STAT_DEV_IO));
	EXPECT_EQ(1, vstat(&g, MHV_STAT_IO));
	ASSERT_EQ(0, mhv_get_vm_info(g.vm_fd, &info));
	EXPECT_EQ(MHV_VM_PAUSED, info.state);
	ASSERT_EQ(0, mhv_get_device_stats(g.vm_fd, id, &st));
	EXPECT_EQ(3, st.writes);
	EXPECT_EQ(1 + 2 + 4, st.bytes_written);
	EXPECT_EQ(1, st.err_offset);
	EXPECT_EQ(4, st.time_count);
	mhv_guest_destroy(&g);
}

static void guest_mmio_exit(uint64_t base)
{
	uint32_t l;

	*(volatile uint32_t *)base = 7;
	*(volatile uint8_t *)base = 0;
	/* 8 bytes: a wrong width, nothing ends */
	*(volatile uint64_t *)base = 1;
	l = *(volatile uint32_t *)base;
	GUEST_ASSERT_EQ(l, 0);
	GUEST_DONE();
}

TEST(mmio_status)
{
	struct mhv_device_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;
	int id;

	ASSERT_EQ(0, mhv_guest_create(&g, "dbg-mmio", 1, 16, guest_mmio_exit,
				      EXIT_MMIO));
	id = mhv_create_device(g.vm_fd, MHV_DEV_TYPE_DEBUG_EXIT,
			       MHV_DEV_SPACE_MMIO, EXIT_MMIO);
	ASSERT_EQ(0, id);
	expect_debug_exit(_metadata, &g, 7, id, EXIT_MMIO);
	expect_debug_exit(_metadata, &g, 0, id, EXIT_MMIO);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(4, vstat(&g, MHV_STAT_DEV_MMIO));
	EXPECT_EQ(0, vstat(&g, MHV_STAT_MMIO));
	ASSERT_EQ(0, mhv_get_device_stats(g.vm_fd, id, &st));
	EXPECT_EQ(2, st.writes);
	EXPECT_EQ(1, st.reads);
	EXPECT_EQ(1, st.err_width);
	mhv_guest_destroy(&g);
}

/* A string OUT to the port ends the run at its first element. */
static void guest_outs_exit(uint64_t port)
{
	static const uint8_t codes[3] = { 3, 4, 5 };
	const void *p = codes;
	uint64_t n = 3;

	__asm__ volatile("cld\n\trep outsb" : "+S"(p), "+c"(n)
			 : "d"(port) : "memory");
	GUEST_ASSERT_EQ(n, 0);
	GUEST_DONE();
}

TEST(string_out_status)
{
	struct mhv_device_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "dbg-outs", 1, 16, guest_outs_exit,
				      EXIT_PORT));
	ASSERT_EQ(0, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_DEBUG_EXIT,
				       MHV_DEV_SPACE_PIO, EXIT_PORT));
	expect_debug_exit(_metadata, &g, 3, 0, EXIT_PORT);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, mhv_get_device_stats(g.vm_fd, 0, &st));
	EXPECT_EQ(1, st.writes);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
