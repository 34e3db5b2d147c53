// SPDX-License-Identifier: GPL-2.0
/*
 * An MMIO read is completed with the size decoded at the exit, not with
 * run->mmio.len, which userspace may change before the next RUN: the
 * guest register gets exactly the bytes its instruction read.
 */
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define MMIO_BASE	0xc0000000ULL

static void guest_mmio_reads(uint64_t arg)
{
	uint64_t q = ~0ULL;
	uint32_t z;
	uint16_t w;

	/* movzx from a byte: bits 31:8 must stay 0 */
	__asm__ volatile("movzbl (%1), %0" : "=r"(z) : "r"(MMIO_BASE));
	GUEST_ASSERT_EQ(z, 0xa1);
	/* a 16-bit read: both bytes, though userspace says 1 */
	__asm__ volatile("movw (%1), %0" : "=r"(w) : "r"(MMIO_BASE + 0x10));
	GUEST_ASSERT_EQ(w, 0xb2c3);
	/* a 16-bit read into a 64-bit register: bits 63:16 untouched */
	__asm__ volatile("movw (%1), %w0" : "+r"(q) : "r"(MMIO_BASE + 0x20));
	GUEST_ASSERT_EQ(q, 0xffffffffffffd4e5ULL);
	GUEST_DONE();
}

/* Answer one read with 8 bytes of @val and a different run->mmio.len. */
static void answer(struct __test_metadata *_metadata, struct mhv_guest *g,
		   uint64_t gpa, uint32_t len, uint32_t fake_len, uint64_t val)
{
	struct mhv_run *run = g->vcpu[0].run;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_run(g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_MMIO, run->exit_reason);
	ASSERT_EQ(gpa, run->mmio.phys_addr);
	ASSERT_EQ(len, run->mmio.len);
	ASSERT_EQ(0, run->mmio.is_write);
	memcpy(run->mmio.data, &val, sizeof(val));
	run->mmio.len = fake_len;
}

TEST(mmio_read_uses_decoded_size)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "mmio-len", 1, 64,
				      guest_mmio_reads, 0));
	answer(_metadata, &g, MMIO_BASE, 1, 8, 0x99887766554433a1ULL);
	answer(_metadata, &g, MMIO_BASE + 0x10, 2, 1, 0x998877665544b2c3ULL);
	answer(_metadata, &g, MMIO_BASE + 0x20, 2, 64, 0x998877665544d4e5ULL);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
