// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID is answered in the kernel: by default from the host's CPUID with
 * what the hypervisor cannot offer removed, or from a table userspace
 * set with MHV_SET_CPUID.
 */
#include <cpuid.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"

static void guest_cpuid(uint64_t arg)
{
	uint32_t a, b, c, d;

	__cpuid_count(0, 0, a, b, c, d);
	GUEST_SYNC2(a, b);
	__cpuid_count(1, 0, a, b, c, d);
	GUEST_SYNC2(c, b);
	__cpuid_count(0x40000000, 0, a, b, c, d);
	GUEST_SYNC2(b, ((uint64_t)d << 32) | c);
	__cpuid_count(0x80000001, 0, a, b, c, d);
	GUEST_SYNC(c);
	__cpuid_count(0x12345678, 3, a, b, c, d);
	GUEST_SYNC2(a, d);
	__cpuid_count(0x7, 1, a, b, c, d);
	GUEST_SYNC2(a, b);
	GUEST_DONE();
}

TEST(default_cpuid_follows_host)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint32_t a, b, c, d;
	struct mhv_vcpu_stats st;

	ASSERT_EQ(0, mhv_guest_create(&g, "cpuid", 1, 64, guest_cpuid, 0));
	__cpuid_count(0, 0, a, b, c, d);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(a, uc.args[0]);	/* max leaf */
	EXPECT_EQ(b, uc.args[1]);	/* vendor */
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_TRUE(uc.args[0] & (1U << 31));	/* hypervisor bit */
	EXPECT_FALSE(uc.args[0] & (1U << 5));	/* no VMX */
	EXPECT_FALSE(uc.args[0] & (1U << 27));	/* no OSXSAVE */
	EXPECT_EQ(0, uc.args[1] >> 24);		/* APIC id of vCPU 0 */
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(0x746c754d, uc.args[0]);	/* "Mult" */
	EXPECT_EQ(0x2020564820534f69ULL, uc.args[1]);	/* "iOS HV  " */
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_FALSE(uc.args[0] & (1U << 2));	/* no SVM for the guest */
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, ioctl(g.vcpu[0].fd, MHV_GET_VCPU_STATS, &st));
	EXPECT_EQ(6, st.counters[MHV_STAT_CPUID]);
	mhv_guest_destroy(&g);
}

TEST(cpuid_table_from_userspace)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_cpuid t, back;

	ASSERT_EQ(0, mhv_guest_create(&g, "cpuid-table", 1, 64, guest_cpuid, 0));
	memset(&t, 0, sizeof(t));
	t.nent = 4;
	t.entries[0] = (struct mhv_cpuid_entry){ .function = 0, .eax = 7,
						  .ebx = 0x11111111 };
	/* the entry of another index first: only the index tells them apart */
	t.entries[1] = (struct mhv_cpuid_entry){ .function = 0x12345678,
		.index = 4, .flags = MHV_CPUID_F_INDEXED, .eax = 0xbad };
	t.entries[2] = (struct mhv_cpuid_entry){ .function = 0x12345678,
		.index = 3, .flags = MHV_CPUID_F_INDEXED, .eax = 0xaa, .edx = 0xdd };
	t.entries[3] = (struct mhv_cpuid_entry){ .function = 7, .index = 1,
		.flags = MHV_CPUID_F_INDEXED, .eax = 0x77, .ebx = 0x78 };
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_SET_CPUID, &t));
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_GET_CPUID, &back));
	EXPECT_EQ(0, memcmp(&t, &back, sizeof(t)));

	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(7, uc.args[0]);
	EXPECT_EQ(0x11111111, uc.args[1]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);	/* leaf 1: absent */
	EXPECT_EQ(0, uc.args[0]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);	/* absent */
	EXPECT_EQ(0, uc.args[0]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);	/* indexed match */
	EXPECT_EQ(0xaa, uc.args[0]);
	EXPECT_EQ(0xdd, uc.args[1]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(0x77, uc.args[0]);
	EXPECT_EQ(0x78, uc.args[1]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

TEST(bad_cpuid_tables)
{
	struct mhv_guest g;
	struct mhv_cpuid t;

	ASSERT_EQ(0, mhv_guest_create(&g, "cpuid-bad", 1, 64, guest_cpuid, 0));
	memset(&t, 0, sizeof(t));
	t.nent = MHV_MAX_CPUID_ENTRIES + 1;
	EXPECT_EQ(-1, ioctl(g.vm_fd, MHV_SET_CPUID, &t));
	EXPECT_EQ(EINVAL, errno);
	t.nent = 1;
	t.entries[0].flags = 0x80;
	EXPECT_EQ(-1, ioctl(g.vm_fd, MHV_SET_CPUID, &t));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(g.vm_fd, MHV_SET_CPUID, NULL));
	EXPECT_EQ(EFAULT, errno);
	mhv_guest_destroy(&g);
}

/*
 * The VM's default answers come from a table computed at creation:
 * subleaves as the host gives them, the APIC ID of each vCPU (leaf 1
 * EBX[31:24], leaf 0xB EDX) filled in at the exit.
 */
static const uint32_t sub_leaves[] = { 4, 0xb, 0x8000001d };

/* Within the host's range: out of it, the host repeats a leaf raw */
static bool host_has_leaf(uint32_t leaf)
{
	uint32_t a, b, c, d;

	__cpuid_count(leaf & 0x80000000, 0, a, b, c, d);
	return leaf <= a;
}

static void guest_leaves(uint64_t arg)
{
	uint32_t a, b, c, d, i, l;

	for (l = 0; l < 3; l++)
		for (i = 0; i < 4; i++) {
			__cpuid_count(sub_leaves[l], i, a, b, c, d);
			GUEST_SYNC2(((uint64_t)b << 32) | a, c);
		}
	__cpuid_count(0x80000000, 0, a, b, c, d);
	GUEST_SYNC2(a, ((uint64_t)d << 32) | c);
	__cpuid_count(1, 0, a, b, c, d);
	GUEST_SYNC2(b >> 24, a);
	__cpuid_count(0xb, 5, a, b, c, d);
	GUEST_SYNC2(c & 0xff, d);
	GUEST_DONE();
}

TEST(default_table_subleaves_and_apic_ids)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint32_t a, b, c, d, i, l, v, nonzero = 0;

	ASSERT_EQ(0, mhv_guest_create(&g, "cpuid-leaves", 2, 64,
				      guest_leaves, 0));
	for (v = 0; v < 2; v++) {
		/* EAX..ECX of subleaves 0-3 (EDX of 0xB: the x2APIC ID) */
		for (l = 0; l < 3; l++)
			for (i = 0; i < 4; i++) {
				__cpuid_count(sub_leaves[l], i, a, b, c, d);
				EXPECT_UCALL(&g, v, &uc, MHV_UCALL_SYNC);
				if (!host_has_leaf(sub_leaves[l]))
					continue;
				/*
				 * Leaf 0xB ECX[7:0] is the level number asked
				 * for (SDM vol. 2A, CPUID); Bochs 2.7's CPU
				 * models leave it 0 past level 0.
				 */
				if (sub_leaves[l] == 0xb)
					c = (c & ~0xffu) | i;
				nonzero += i && (a | b);
				EXPECT_EQ(((uint64_t)b << 32) | a, uc.args[0])
					TH_LOG("leaf 0x%x.%u", sub_leaves[l], i);
				EXPECT_EQ(c, uc.args[1])
					TH_LOG("leaf 0x%x.%u", sub_leaves[l], i);
			}
		__cpuid_count(0x80000000, 0, a, b, c, d);
		EXPECT_UCALL(&g, v, &uc, MHV_UCALL_SYNC);
		EXPECT_EQ(a, uc.args[0]);
		EXPECT_EQ(((uint64_t)d << 32) | c, uc.args[1]);
		__cpuid_count(1, 0, a, b, c, d);
		EXPECT_UCALL(&g, v, &uc, MHV_UCALL_SYNC);
		EXPECT_EQ(v, uc.args[0]);	/* APIC ID = vCPU id */
		EXPECT_EQ(a, uc.args[1]);	/* family/model/stepping */
		EXPECT_UCALL(&g, v, &uc, MHV_UCALL_SYNC);
		EXPECT_EQ(5, uc.args[0]);	/* level number echoed */
		EXPECT_EQ(v, uc.args[1]);	/* x2APIC ID = vCPU id */
		EXPECT_UCALL(&g, v, &uc, MHV_UCALL_DONE);
	}
	TH_LOG("%u non-zero subleaves past 0 compared", nonzero / 2);
	mhv_guest_destroy(&g);
}

/* SET_CPUID between two runs replaces the answers the VM computed. */
TEST(set_cpuid_after_a_run)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_cpuid t;
	uint32_t a, b, c, d;

	ASSERT_EQ(0, mhv_guest_create(&g, "cpuid-reset", 1, 64, guest_cpuid, 0));
	__cpuid_count(0, 0, a, b, c, d);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);	/* leaf 0: the VM's */
	EXPECT_EQ(a, uc.args[0]);
	EXPECT_EQ(b, uc.args[1]);
	memset(&t, 0, sizeof(t));
	t.nent = 1;
	t.entries[0] = (struct mhv_cpuid_entry){ .function = 1, .ebx = 0x5678,
						  .ecx = 0x1234 };
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_SET_CPUID, &t));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);	/* leaf 1: the table's */
	EXPECT_EQ(0x1234, uc.args[0]);
	EXPECT_EQ(0x5678, uc.args[1]);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
