// SPDX-License-Identifier: LGPL-2.1
/*
 * CUnit tests of libmultios_hv's pure logic (run on the host, no module
 * needed). Exit status: 0 when every test passed, 1 otherwise.
 */
#include <CUnit/Basic.h>
#include <stdlib.h>

#include "tests.h"

int main(void)
{
	unsigned int failures;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	if (register_names_tests() || register_caps_tests() ||
	    register_json_tests() || register_format_tests() ||
	    register_config_tests() || register_sys_tests() ||
	    register_vcpu_tests() || register_guest_ex_tests() ||
	    register_ucall_tests() || register_dev_tests() ||
	    register_trace_tests() || register_loader_tests() ||
	    register_stats_tests() || register_research_tests() ||
	    register_experiment_tests() ||
	    register_report_tests() ||
	    register_bench_stats_tests() || register_linux_tests()) {
		CU_cleanup_registry();
		return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS) {
		CU_cleanup_registry();
		return 1;
	}
	failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failures ? 1 : 0;
}
