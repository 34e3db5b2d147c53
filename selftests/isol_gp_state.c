// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 8, item 2 (last part): SET_SREGS checks CR0, CR4 and EFER
 * against what the CPU supports. Each bad value fails with EINVAL and
 * leaves the vCPU's state as it was (GET_SREGS before == after). Before
 * the fix these went into the control block unchecked.
 */
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"
#include "isol_util.h"

#define CR0_PE		(1ULL << 0)
#define CR0_PG		(1ULL << 31)

static void guest_nothing(uint64_t arg)
{
	GUEST_DONE();
}

enum which { CR0, CR4, EFER };

static const struct bad_sregs {
	const char *what;
	enum which reg;
	uint64_t set, clear;
} bad[] = {
	{ "CR0 bit 32 (reserved)", CR0, 1ULL << 32, 0 },
	{ "CR0 bit 63 (reserved)", CR0, 1ULL << 63, 0 },
	{ "CR0.PG without CR0.PE", CR0, CR0_PG, CR0_PE },
	{ "CR4 bit 15 (reserved)", CR4, 1ULL << 15, 0 },
	{ "CR4 bit 40 (reserved)", CR4, 1ULL << 40, 0 },
	{ "EFER bit 1 (reserved)", EFER, 1ULL << 1, 0 },
	{ "EFER bit 40 (reserved)", EFER, 1ULL << 40, 0 },
};

TEST(bad_cr0_cr4_efer_refused)
{
	struct mhv_sregs before, s, after;
	struct mhv_guest g;
	__u64 *reg;
	unsigned int i;

	ASSERT_EQ(0, mhv_guest_create(&g, "gp-state", 1, 64, guest_nothing, 0));
	ASSERT_EQ(0, mhv_get_sregs(g.vcpu[0].fd, &before));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = before;
		reg = bad[i].reg == CR0 ? &s.cr0 :
		      bad[i].reg == CR4 ? &s.cr4 : &s.efer;
		*reg = (*reg | bad[i].set) & ~bad[i].clear;
		EXPECT_EQ(-EINVAL, mhv_set_sregs(g.vcpu[0].fd, &s))
			TH_LOG("SET_SREGS accepted %s", bad[i].what);
		ASSERT_EQ(0, mhv_get_sregs(g.vcpu[0].fd, &after));
		EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)))
			TH_LOG("state changed by a refused SET_SREGS (%s)",
			       bad[i].what);
		if (memcmp(&before, &after, sizeof(before)))
			ASSERT_EQ(0, mhv_set_sregs(g.vcpu[0].fd, &before));
	}
	/* the state left is still good to run */
	{
		struct mhv_ucall uc;

		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	}
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
