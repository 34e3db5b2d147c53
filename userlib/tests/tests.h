/* SPDX-License-Identifier: LGPL-2.1 */
#ifndef _MHV_UNIT_TESTS_H
#define _MHV_UNIT_TESTS_H

int register_names_tests(void);
int register_format_tests(void);
int register_config_tests(void);
int register_sys_tests(void);

#define ADD_SUITE(name, ...) do {					\
	static const struct { const char *n; CU_TestFunc f; } t[] = { __VA_ARGS__ }; \
	CU_pSuite s = CU_add_suite(name, NULL, NULL);			\
	unsigned int i;							\
	if (!s)								\
		return -1;						\
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)			\
		if (!CU_add_test(s, t[i].n, t[i].f))			\
			return -1;					\
	return 0;							\
} while (0)

#endif
