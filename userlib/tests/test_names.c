// SPDX-License-Identifier: LGPL-2.1
#include <CUnit/CUnit.h>
#include <string.h>

#include "libmultios_hv.h"
#include "tests.h"

static void test_cap_flag_names(void)
{
	unsigned int i, j;

	for (i = 0; i < MHV_CAP_NR_FLAGS; i++) {
		CU_ASSERT_STRING_NOT_EQUAL(mhv_cap_flag_name(i), "unknown");
		CU_ASSERT(strlen(mhv_cap_flag_desc(i)) > 10);
		for (j = 0; j < i; j++)
			CU_ASSERT_STRING_NOT_EQUAL(mhv_cap_flag_name(i),
						   mhv_cap_flag_name(j));
	}
	CU_ASSERT_STRING_EQUAL(mhv_cap_flag_name(0), "svm");
	CU_ASSERT_STRING_EQUAL(mhv_cap_flag_name(3), "nested_paging");
	CU_ASSERT_STRING_EQUAL(mhv_cap_flag_name(MHV_CAP_NR_FLAGS), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_cap_flag_desc(1000), "unknown");
}

static void test_enum_names(void)
{
	unsigned int i;

	CU_ASSERT_STRING_EQUAL(mhv_vendor_name(MHV_VENDOR_AMD), "AMD");
	CU_ASSERT_STRING_EQUAL(mhv_vendor_name(99), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_virt_name(MHV_VIRT_VMX), "Intel VT-x (VMX)");
	CU_ASSERT_STRING_EQUAL(mhv_vm_state_name(MHV_VM_ERROR), "ERROR");
	CU_ASSERT_STRING_EQUAL(mhv_vm_state_name(5), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_exit_reason_name(MHV_EXIT_MMIO), "MMIO");
	CU_ASSERT_STRING_EQUAL(mhv_error_name(MHV_ERR_TRIPLE_FAULT), "triple fault");
	for (i = 0; i < MHV_EXIT_NR; i++)
		CU_ASSERT_STRING_NOT_EQUAL(mhv_exit_reason_name(i), "unknown");
	for (i = 0; i < MHV_STAT_NR; i++)
		CU_ASSERT_STRING_NOT_EQUAL(mhv_stat_name(i), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_stat_name(MHV_STAT_NR), "unknown");
}

int register_names_tests(void)
{
	ADD_SUITE("names",
		  { "cap_flag_names", test_cap_flag_names },
		  { "enum_names", test_enum_names });
}
