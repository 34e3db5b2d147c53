// SPDX-License-Identifier: LGPL-2.1
#include <CUnit/CUnit.h>
#include <string.h>

#include "libmultios_hv.h"
#include "internal.h"
#include "tests.h"

static struct mhv_caps amd_caps(void)
{
	struct mhv_caps c;

	memset(&c, 0, sizeof(c));
	c.vendor = MHV_VENDOR_AMD;
	c.virt = MHV_VIRT_SVM;
	c.flags = MHV_CAP_SVM | MHV_CAP_NESTED_PAGING | MHV_CAP_PAGE_2M |
		  MHV_CAP_NPT_5LEVEL;
	c.nr_cpus = 2;
	c.max_vcpus = 16;
	c.nr_asids = 16;
	c.npt_levels = 5;
	c.svm_revision = 1;
	c.max_mem_mb = 1024;
	strcpy(c.vendor_id, "AuthenticAMD");
	return c;
}

/* minimal JSON checker: balanced braces and quotes, no raw controls */
static int json_balanced(const char *s)
{
	int depth = 0, in_str = 0;

	for (; *s; s++) {
		if (in_str) {
			if (*s == '\\' && s[1])
				s++;
			else if (*s == '"')
				in_str = 0;
			else if ((unsigned char)*s < 0x20)
				return 0;
		} else if (*s == '"') {
			in_str = 1;
		} else if (*s == '{') {
			depth++;
		} else if (*s == '}') {
			if (--depth < 0)
				return 0;
		}
	}
	return depth == 0 && !in_str;
}

static void test_table(void)
{
	struct mhv_caps c = amd_caps();
	char buf[8192];
	int n = mhv_caps_format_table(&c, buf, sizeof(buf));

	CU_ASSERT_EQUAL(n, (int)strlen(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "AMD (AuthenticAMD)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "AMD-V (SVM)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "paging_levels        5\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "nested_paging        yes"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "nrips                no "));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "svm_revision"));
}

static void test_json(void)
{
	struct mhv_caps c = amd_caps();
	char buf[8192];

	mhv_caps_format_json(&c, buf, sizeof(buf));
	CU_ASSERT(json_balanced(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"vendor\": \"AMD\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"extension\": \"svm\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"paging_levels\": 5"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"nested_paging\": true"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"vmx\": false"));
	c.vendor = MHV_VENDOR_INTEL;
	c.virt = MHV_VIRT_VMX;
	c.flags = MHV_CAP_VMX | MHV_CAP_VPID;
	strcpy(c.vendor_id, "Genuine\"Intel");
	mhv_caps_format_json(&c, buf, sizeof(buf));
	CU_ASSERT(json_balanced(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"vendor_id\": \"Genuine\\\"Intel\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"vpid\": true"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"extension\": \"vmx\""));
}

static void test_truncation(void)
{
	struct mhv_caps c = amd_caps();
	char big[8192], small[32];
	int need = mhv_caps_format_json(&c, big, sizeof(big));

	memset(small, 'x', sizeof(small));
	CU_ASSERT_EQUAL(mhv_caps_format_json(&c, small, sizeof(small)), need);
	CU_ASSERT_EQUAL(small[sizeof(small) - 1], '\0');
	CU_ASSERT_EQUAL(strncmp(small, big, sizeof(small) - 1), 0);
	CU_ASSERT_EQUAL(mhv_caps_format_json(&c, NULL, 0), need);
	CU_ASSERT_EQUAL(mhv_caps_format_table(&c, small, 1), 
			mhv_caps_format_table(&c, big, sizeof(big)));
	CU_ASSERT_EQUAL(small[0], '\0');
}

static void test_json_escaping(void)
{
	struct mhv_out o;
	char buf[128];

	mhv_out_init(&o, buf, sizeof(buf));
	mhv_out_json_string(&o, "a\"b\\c\nd\te\x01\xc3\xa9");
	mhv_out_done(&o);
	CU_ASSERT_STRING_EQUAL(buf, "\"a\\\"b\\\\c\\nd\\te\\u0001\xc3\xa9\"");
}

static void test_stats(void)
{
	struct mhv_vcpu_stats st;
	char buf[2048];

	memset(&st, 0, sizeof(st));
	st.nr = MHV_STAT_NR;
	st.counters[MHV_STAT_EXITS] = 42;
	st.counters[MHV_STAT_IO] = 40;
	st.counters[MHV_STAT_NPF] = 2;
	mhv_stats_format(&st, buf, sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "io                     40"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "npf                     2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "total exits            42"));
	CU_ASSERT_PTR_NULL(strstr(buf, "hlt"));
	st.nr = 1000;	/* a newer module: never read past the array */
	CU_ASSERT(mhv_stats_format(&st, buf, sizeof(buf)) > 0);
}

int register_format_tests(void)
{
	ADD_SUITE("format",
		  { "caps_table", test_table },
		  { "caps_json", test_json },
		  { "truncation", test_truncation },
		  { "json_escaping", test_json_escaping },
		  { "stats", test_stats });
}
