// SPDX-License-Identifier: LGPL-2.1
/*
 * Names of enums and capability flags.
 */
#include <CUnit/CUnit.h>
#include <limits.h>
#include <string.h>

#include "libmultios_hv.h"
#include "tests.h"

static const struct {
	unsigned long long flag;
	const char *name;
} expected_flags[] = {
	{ MHV_CAP_SVM, "svm" },
	{ MHV_CAP_VMX, "vmx" },
	{ MHV_CAP_FW_DISABLED, "fw_disabled" },
	{ MHV_CAP_NESTED_PAGING, "nested_paging" },
	{ MHV_CAP_PAGE_2M, "page_2m" },
	{ MHV_CAP_PAGE_1G, "page_1g" },
	{ MHV_CAP_NRIPS, "nrips" },
	{ MHV_CAP_DECODE_ASSISTS, "decode_assists" },
	{ MHV_CAP_VMCB_CLEAN, "vmcb_clean" },
	{ MHV_CAP_FLUSH_BY_ASID, "flush_by_asid" },
	{ MHV_CAP_UNRESTRICTED, "unrestricted_guest" },
	{ MHV_CAP_VPID, "vpid" },
	{ MHV_CAP_NPT_5LEVEL, "npt_5level" },
	{ MHV_CAP_IN_USE, "in_use" },
	{ MHV_CAP_EPT_AD, "ept_ad" },
};

#define NR_EXPECTED	(sizeof(expected_flags) / sizeof(expected_flags[0]))

static unsigned int bit_of(unsigned long long flag)
{
	return (unsigned int)__builtin_ctzll(flag);
}

/* Each uapi flag has the name its macro promises. */
static void test_cap_flag_names(void)
{
	unsigned int i;

	CU_ASSERT_EQUAL(NR_EXPECTED, MHV_CAP_NR_FLAGS);
	for (i = 0; i < NR_EXPECTED; i++)
		CU_ASSERT_STRING_EQUAL(mhv_cap_flag_name(bit_of(expected_flags[i].flag)),
				       expected_flags[i].name);
}

/* Every bit below MHV_CAP_NR_FLAGS: a unique snake_case name, a line. */
static void test_every_bit_named(void)
{
	unsigned int i, j;
	const char *n, *d;

	for (i = 0; i < MHV_CAP_NR_FLAGS; i++) {
		n = mhv_cap_flag_name(i);
		d = mhv_cap_flag_desc(i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		CU_ASSERT_STRING_NOT_EQUAL(n, "unknown");
		CU_ASSERT(strlen(n) > 0 && strlen(n) <= 18);
		CU_ASSERT_EQUAL(strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_"),
				strlen(n));
		CU_ASSERT_STRING_NOT_EQUAL(d, "unknown");
		CU_ASSERT(strlen(d) > 20 && strlen(d) < 100);
		CU_ASSERT_PTR_NULL(strchr(d, '\n'));
		for (j = 0; j < i; j++) {
			CU_ASSERT_STRING_NOT_EQUAL(n, mhv_cap_flag_name(j));
			CU_ASSERT_STRING_NOT_EQUAL(d, mhv_cap_flag_desc(j));
		}
	}
}

static void test_cap_flag_out_of_range(void)
{
	static const unsigned int bad[] = {
		MHV_CAP_NR_FLAGS, MHV_CAP_NR_FLAGS + 1, 63, 64, 1000, UINT_MAX,
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_STRING_EQUAL(mhv_cap_flag_name(bad[i]), "unknown");
		CU_ASSERT_STRING_EQUAL(mhv_cap_flag_desc(bad[i]), "unknown");
	}
}

static void test_vendor_virt_names(void)
{
	CU_ASSERT_STRING_EQUAL(mhv_vendor_name(MHV_VENDOR_UNKNOWN), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_vendor_name(MHV_VENDOR_AMD), "AMD");
	CU_ASSERT_STRING_EQUAL(mhv_vendor_name(MHV_VENDOR_INTEL), "Intel");
	CU_ASSERT_STRING_EQUAL(mhv_vendor_name(3), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_vendor_name(UINT32_MAX), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_virt_name(MHV_VIRT_NONE), "none");
	CU_ASSERT_STRING_EQUAL(mhv_virt_name(MHV_VIRT_SVM), "AMD-V (SVM)");
	CU_ASSERT_STRING_EQUAL(mhv_virt_name(MHV_VIRT_VMX), "Intel VT-x (VMX)");
	CU_ASSERT_STRING_EQUAL(mhv_virt_name(3), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_virt_name(UINT32_MAX), "unknown");
}

static void test_enum_names(void)
{
	unsigned int i;

	CU_ASSERT_STRING_EQUAL(mhv_vm_state_name(MHV_VM_ERROR), "ERROR");
	CU_ASSERT_STRING_EQUAL(mhv_vm_state_name(5), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_exit_reason_name(MHV_EXIT_MMIO), "MMIO");
	CU_ASSERT_STRING_EQUAL(mhv_exit_reason_name(MHV_EXIT_NR), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_error_name(MHV_ERR_TRIPLE_FAULT), "triple fault");
	CU_ASSERT_STRING_EQUAL(mhv_error_name(99), "unknown");
	for (i = 0; i < MHV_EXIT_NR; i++)
		CU_ASSERT_STRING_NOT_EQUAL(mhv_exit_reason_name(i), "unknown");
	for (i = 0; i < MHV_STAT_NR; i++)
		if (!MHV_STAT_RESERVED(i))
			CU_ASSERT_STRING_NOT_EQUAL(mhv_stat_name(i), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_stat_name(MHV_STAT_NR), "unknown");
}

int register_names_tests(void)
{
	ADD_SUITE("names",
		  { "cap_flag_names", test_cap_flag_names },
		  { "every_bit_named", test_every_bit_named },
		  { "cap_flag_out_of_range", test_cap_flag_out_of_range },
		  { "vendor_virt_names", test_vendor_virt_names },
		  { "enum_names", test_enum_names });
}
