// SPDX-License-Identifier: GPL-2.0
/*
 * MHV_GET_CAPS: every capability the module reports agrees with what the
 * kernel itself found in CPUID (/proc/cpuinfo).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/multios_hv.h>
#include "kselftest_harness.h"
#include "libmultios_hv.h"
#include "test_util.h"

FIXTURE(caps) {
	struct mhv_caps caps;
};

FIXTURE_SETUP(caps)
{
	int fd = mhv_open_system();

	ASSERT_GE(fd, 0);
	memset(&self->caps, 0xa5, sizeof(self->caps));
	ASSERT_EQ(0, mhv_get_caps(fd, &self->caps));
	close(fd);
}

FIXTURE_TEARDOWN(caps)
{
}

static void expect_flag(struct __test_metadata *_metadata,
			const struct mhv_caps *caps, __u64 bit,
			const char *cpuinfo_flag)
{
	bool in_cpuinfo = cpuinfo_has_flag(cpuinfo_flag);
	bool in_caps = !!(caps->flags & bit);

	EXPECT_EQ(in_cpuinfo, in_caps)
		TH_LOG("%s: cpuinfo says %d, module says %d", cpuinfo_flag,
		       in_cpuinfo, in_caps);
}

TEST_F(caps, extension_matches_cpuinfo)
{
	expect_flag(_metadata, &self->caps, MHV_CAP_SVM, "svm");
	expect_flag(_metadata, &self->caps, MHV_CAP_VMX, "vmx");
	if (cpuinfo_has_flag("svm"))
		EXPECT_EQ(MHV_VIRT_SVM, self->caps.virt);
	if (cpuinfo_has_flag("vmx"))
		EXPECT_EQ(MHV_VIRT_VMX, self->caps.virt);
	EXPECT_NE(MHV_VIRT_NONE, self->caps.virt);
}

TEST_F(caps, svm_features_match_cpuinfo)
{
	if (self->caps.virt != MHV_VIRT_SVM)
		SKIP(return, "not an SVM host");
	/* The test VM (QEMU -cpu max) must offer SVM with NPT. */
	ASSERT_TRUE(cpuinfo_has_flag("npt"));
	expect_flag(_metadata, &self->caps, MHV_CAP_NESTED_PAGING, "npt");
	expect_flag(_metadata, &self->caps, MHV_CAP_NRIPS, "nrip_save");
	expect_flag(_metadata, &self->caps, MHV_CAP_DECODE_ASSISTS,
		    "decodeassists");
	expect_flag(_metadata, &self->caps, MHV_CAP_VMCB_CLEAN, "vmcb_clean");
	expect_flag(_metadata, &self->caps, MHV_CAP_FLUSH_BY_ASID,
		    "flushbyasid");
	expect_flag(_metadata, &self->caps, MHV_CAP_PAGE_1G, "pdpe1gb");
	EXPECT_TRUE(self->caps.flags & MHV_CAP_PAGE_2M);
	EXPECT_GT(self->caps.nr_asids, 1u);
	EXPECT_EQ(self->caps.vendor, MHV_VENDOR_AMD);
}

TEST_F(caps, vmx_features_match_cpuinfo)
{
	if (self->caps.virt != MHV_VIRT_VMX)
		SKIP(return, "not a VMX host");
	expect_flag(_metadata, &self->caps, MHV_CAP_NESTED_PAGING, "ept");
	expect_flag(_metadata, &self->caps, MHV_CAP_VPID, "vpid");
	expect_flag(_metadata, &self->caps, MHV_CAP_UNRESTRICTED,
		    "unrestricted_guest");
	expect_flag(_metadata, &self->caps, MHV_CAP_EPT_AD, "ept_ad");
	EXPECT_EQ(self->caps.vendor, MHV_VENDOR_INTEL);
}

TEST_F(caps, paging_levels_follow_host)
{
	unsigned int want = cpuinfo_has_flag("la57") ? 5 : 4;

	if (!(self->caps.flags & MHV_CAP_NESTED_PAGING))
		SKIP(return, "no nested paging");
	if (self->caps.virt == MHV_VIRT_SVM) {
		EXPECT_EQ(want, self->caps.npt_levels);
		EXPECT_EQ(want == 5, !!(self->caps.flags & MHV_CAP_NPT_5LEVEL));
	} else {
		EXPECT_TRUE(self->caps.npt_levels == 4 ||
			    self->caps.npt_levels == 5);
	}
}

TEST_F(caps, cpus_and_limits)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	EXPECT_EQ(online, (long)self->caps.nr_cpus);
	EXPECT_GE(self->caps.max_vcpus, 1u);
	EXPECT_GE(self->caps.max_mem_mb, 16u);
	EXPECT_FALSE(self->caps.flags & MHV_CAP_FW_DISABLED);
	EXPECT_FALSE(self->caps.flags & MHV_CAP_IN_USE)
		TH_LOG("another hypervisor uses the extension at test start");
}

TEST_F(caps, vendor_string_and_reserved)
{
	size_t i;
	bool amd = cpuinfo_has_flag("svm");

	EXPECT_STREQ(amd ? "AuthenticAMD" : "GenuineIntel",
		     self->caps.vendor_id);
	for (i = 0; i < sizeof(self->caps.reserved) / sizeof(self->caps.reserved[0]); i++)
		EXPECT_EQ(0ULL, self->caps.reserved[i]) TH_LOG("reserved[%zu]", i);
	EXPECT_EQ(0ULL, self->caps.flags >> MHV_CAP_NR_FLAGS);
}

/*
 * The Bochs SVM lane exists for the features QEMU's SVM lacks: its CPU
 * (Bochs 2.7, model ryzen: CPUID 8000_000A EDX = 0x44f) has NRIP save
 * and flush-by-ASID, and no decode assists or VMCB clean bits. If that
 * changes, the lane no longer runs what Documentation/testing.rst says.
 */
TEST_F(caps, bochs_svm_lane_features)
{
	if (!test_lane_is("bochs-svm"))
		SKIP(return, "not the Bochs SVM lane");
	ASSERT_EQ(MHV_VIRT_SVM, self->caps.virt);
	EXPECT_TRUE(self->caps.flags & MHV_CAP_NRIPS);
	EXPECT_TRUE(self->caps.flags & MHV_CAP_FLUSH_BY_ASID);
	EXPECT_FALSE(self->caps.flags & MHV_CAP_DECODE_ASSISTS);
	EXPECT_FALSE(self->caps.flags & MHV_CAP_VMCB_CLEAN);
}

TEST_HARNESS_MAIN
