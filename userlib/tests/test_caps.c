// SPDX-License-Identifier: LGPL-2.1
/*
 * struct mhv_caps as a table and as JSON: content, JSON validity and
 * keys, hostile fields, snprintf-style truncation.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"
#include "tests.h"

static struct mhv_caps amd_caps(void)
{
	struct mhv_caps c;

	memset(&c, 0, sizeof(c));
	c.vendor = MHV_VENDOR_AMD;
	c.virt = MHV_VIRT_SVM;
	c.flags = MHV_CAP_SVM | MHV_CAP_NESTED_PAGING | MHV_CAP_PAGE_2M |
		  MHV_CAP_PAGE_1G | MHV_CAP_NPT_5LEVEL;
	c.nr_cpus = 2;
	c.max_vcpus = 16;
	c.nr_asids = 16;
	c.npt_levels = 5;
	c.svm_revision = 1;
	c.max_mem_mb = 512;
	strcpy(c.vendor_id, "AuthenticAMD");
	return c;
}

static struct mhv_caps intel_caps(void)
{
	struct mhv_caps c;

	memset(&c, 0, sizeof(c));
	c.vendor = MHV_VENDOR_INTEL;
	c.virt = MHV_VIRT_VMX;
	c.flags = MHV_CAP_VMX | MHV_CAP_NESTED_PAGING | MHV_CAP_PAGE_2M |
		  MHV_CAP_UNRESTRICTED | MHV_CAP_VPID | MHV_CAP_EPT_AD;
	c.nr_cpus = 8;
	c.max_vcpus = 16;
	c.nr_asids = 65535;
	c.npt_levels = 4;
	c.max_mem_mb = 4096;
	strcpy(c.vendor_id, "GenuineIntel");
	return c;
}

static const char *const top_keys[] = {
	"vendor", "vendor_id", "extension", "cpus", "max_vcpus", "asids",
	"paging_levels", "max_memory_mb", "svm_revision", "unknown_flags",
	"flags", NULL,
};

static const char amd_json[] =
	"{\"vendor\": \"AMD\", \"vendor_id\": \"AuthenticAMD\", "
	"\"extension\": \"svm\", \"cpus\": 2, \"max_vcpus\": 16, "
	"\"asids\": 16, \"paging_levels\": 5, \"max_memory_mb\": 512, "
	"\"svm_revision\": 1, \"unknown_flags\": 0, \"flags\": {"
	"\"svm\": true, \"vmx\": false, \"fw_disabled\": false, "
	"\"nested_paging\": true, \"page_2m\": true, \"page_1g\": true, "
	"\"nrips\": false, \"decode_assists\": false, \"vmcb_clean\": false, "
	"\"flush_by_asid\": false, \"unrestricted_guest\": false, "
	"\"vpid\": false, \"npt_5level\": true, \"in_use\": false, "
	"\"ept_ad\": false}}";

static const char amd_table_head[] =
	"vendor               AMD (AuthenticAMD)\n"
	"extension            AMD-V (SVM), revision 1\n"
	"CPUs                 2\n"
	"max vCPUs per VM     16\n"
	"ASIDs                16\n"
	"paging levels        5\n"
	"max memory per VM    512 MiB\n"
	"flags:\n";

/* Format into a heap buffer of exactly the size asked for. */
static char *table_of(const struct mhv_caps *c)
{
	int n = mhv_caps_format_table(c, NULL, 0);
	char *buf;

	if (n < 0)
		return NULL;
	buf = malloc((size_t)n + 1);
	if (buf && mhv_caps_format_table(c, buf, (size_t)n + 1) != n) {
		free(buf);
		return NULL;
	}
	return buf;
}

static char *json_of(const struct mhv_caps *c)
{
	int n = mhv_caps_format_json(c, NULL, 0);
	char *buf;

	if (n < 0)
		return NULL;
	buf = malloc((size_t)n + 1);
	if (buf && mhv_caps_format_json(c, buf, (size_t)n + 1) != n) {
		free(buf);
		return NULL;
	}
	return buf;
}

static unsigned int count_lines(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The flag line of bit @i as the table must print it. */
static int has_flag_line(const char *table, unsigned int i, int set)
{
	char line[256];

	snprintf(line, sizeof(line), "\n  %-18s %-3s  %s\n",
		 mhv_cap_flag_name(i), set ? "yes" : "no",
		 mhv_cap_flag_desc(i));
	return strstr(table, line) != NULL;
}

static void test_table_amd(void)
{
	struct mhv_caps c = amd_caps();
	char *t = table_of(&c);
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(strncmp(t, amd_table_head, strlen(amd_table_head)), 0);
	CU_ASSERT_EQUAL(count_lines(t), 8 + MHV_CAP_NR_FLAGS);
	CU_ASSERT_EQUAL(t[strlen(t) - 1], '\n');
	for (i = 0; i < MHV_CAP_NR_FLAGS; i++)
		CU_ASSERT(has_flag_line(t, i, !!(c.flags & (1ULL << i))));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\n  nested_paging      yes  second-level"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\n  vmx                no   "));
	CU_ASSERT_PTR_NULL(strstr(t, "other flags"));
	free(t);
}

static void test_table_intel(void)
{
	struct mhv_caps c = intel_caps();
	char *t = table_of(&c);
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "vendor               Intel (GenuineIntel)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "extension            Intel VT-x (VMX)\n"));
	CU_ASSERT_PTR_NULL(strstr(t, "revision"));	/* SVM only */
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\nVPIDs                65535\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\npaging levels        4\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\nmax memory per VM    4096 MiB\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\n  unrestricted_guest yes  "));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\n  svm                no   "));
	for (i = 0; i < MHV_CAP_NR_FLAGS; i++)
		CU_ASSERT(has_flag_line(t, i, !!(c.flags & (1ULL << i))));
	free(t);
}

/* All zero (no module extension), unknown enums, newer flag bits. */
static void test_table_odd(void)
{
	struct mhv_caps c;
	char *t;

	memset(&c, 0, sizeof(c));
	t = table_of(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "vendor               unknown ()\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "extension            none\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\nASIDs/VPIDs          0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\npaging levels        none\n"));
	free(t);

	c.vendor = 7;
	c.virt = 9;
	c.flags = MHV_CAP_SVM | (1ULL << 40) | (1ULL << MHV_CAP_NR_FLAGS);
	t = table_of(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "vendor               unknown ()\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "extension            unknown\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\n  other flags        0x10000008000  "));
	CU_ASSERT_EQUAL(count_lines(t), 8 + MHV_CAP_NR_FLAGS + 1);
	free(t);
}

/* vendor_id comes from the module: never trust it to be terminated. */
static void test_hostile_vendor_id(void)
{
	struct mhv_caps c = amd_caps();
	char *t, *j, raw[64];

	memset(c.vendor_id, 'A', sizeof(c.vendor_id));	/* no NUL */
	memset(c.reserved, 'B', sizeof(c.reserved));
	t = table_of(&c);
	j = json_of(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "AMD (AAAAAAAAAAAAAAAA)\n"));
	CU_ASSERT_PTR_NULL(strstr(t, "AB"));
	CU_ASSERT(json_valid(j));
	CU_ASSERT_EQUAL(json_member_raw(j, "vendor_id", raw, sizeof(raw)), 0);
	CU_ASSERT_STRING_EQUAL(raw, "\"AAAAAAAAAAAAAAAA\"");
	free(t);
	free(j);

	memset(c.vendor_id, 0, sizeof(c.vendor_id));
	memcpy(c.vendor_id, "Bad\"\n\x1b\xff", 7);
	t = table_of(&c);
	j = json_of(&c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "AMD (Bad\"??" "?)\n"));
	CU_ASSERT(json_valid(j));
	CU_ASSERT_EQUAL(json_member_raw(j, "vendor_id", raw, sizeof(raw)), 0);
	CU_ASSERT_STRING_EQUAL(raw, "\"Bad\\\"\\n\\u001b\\ufffd\"");
	free(t);
	free(j);
}

static void test_json_amd_exact(void)
{
	struct mhv_caps c = amd_caps();
	char *j = json_of(&c);

	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_STRING_EQUAL(j, amd_json);
	CU_ASSERT(json_valid(j));
	CU_ASSERT(json_keys_are(j, NULL, top_keys));
	free(j);
}

static void test_json_keys(void)
{
	const char *flag_keys[MHV_CAP_NR_FLAGS + 1];
	struct mhv_caps cs[3] = { amd_caps(), intel_caps() };
	unsigned int i, k;
	char raw[64], *j;

	for (i = 0; i < MHV_CAP_NR_FLAGS; i++)
		flag_keys[i] = mhv_cap_flag_name(i);
	flag_keys[i] = NULL;
	memset(&cs[2], 0, sizeof(cs[2]));

	for (k = 0; k < 3; k++) {
		j = json_of(&cs[k]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(j);
		CU_ASSERT(json_valid(j));
		CU_ASSERT(json_keys_are(j, NULL, top_keys));
		CU_ASSERT(json_keys_are(j, "flags", flag_keys));
		for (i = 0; i < MHV_CAP_NR_FLAGS; i++) {
			char key[64], want[96];

			/* "flags" holds one boolean per bit, in bit order */
			snprintf(key, sizeof(key), "\"%s\": ", flag_keys[i]);
			snprintf(want, sizeof(want), "%s%s", key,
				 cs[k].flags & (1ULL << i) ? "true" : "false");
			CU_ASSERT_PTR_NOT_NULL(strstr(j, want));
		}
		CU_ASSERT_PTR_NULL(strchr(j, '\n'));
		free(j);
	}

	j = json_of(&cs[1]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_EQUAL(json_member_raw(j, "vendor", raw, sizeof(raw)), 0);
	CU_ASSERT_STRING_EQUAL(raw, "\"Intel\"");
	CU_ASSERT_EQUAL(json_member_raw(j, "extension", raw, sizeof(raw)), 0);
	CU_ASSERT_STRING_EQUAL(raw, "\"vmx\"");
	CU_ASSERT_EQUAL(json_member_raw(j, "asids", raw, sizeof(raw)), 0);
	CU_ASSERT_STRING_EQUAL(raw, "65535");
	CU_ASSERT_EQUAL(json_member_raw(j, "paging_levels", raw, sizeof(raw)), 0);
	CU_ASSERT_STRING_EQUAL(raw, "4");
	free(j);

	j = json_of(&cs[2]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_EQUAL(json_member_raw(j, "extension", raw, sizeof(raw)), 0);
	CU_ASSERT_STRING_EQUAL(raw, "\"none\"");
	CU_ASSERT_EQUAL(json_member_raw(j, "vendor", raw, sizeof(raw)), 0);
	CU_ASSERT_STRING_EQUAL(raw, "\"unknown\"");
	free(j);

	cs[0].flags |= 1ULL << 63;
	j = json_of(&cs[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT(json_valid(j));
	CU_ASSERT_EQUAL(json_member_raw(j, "unknown_flags", raw, sizeof(raw)), 0);
	CU_ASSERT_STRING_EQUAL(raw, "9223372036854775808");
	free(j);
}

typedef int (*format_fn)(const struct mhv_caps *, char *, size_t);

/*
 * For every buffer size from 0 to past the end: the return value is the
 * full length, the buffer holds a NUL-terminated prefix of the full text,
 * and nothing past @len is touched.
 */
static void check_truncation(format_fn fn, const struct mhv_caps *c)
{
	int need = fn(c, NULL, 0);
	char *full, *buf;
	size_t len, keep, i;

	CU_ASSERT_FATAL(need > 100);
	full = malloc((size_t)need + 1);
	buf = malloc((size_t)need + 64);
	CU_ASSERT_PTR_NOT_NULL_FATAL(full);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(fn(c, full, (size_t)need + 1), need);
	CU_ASSERT_EQUAL(strlen(full), (size_t)need);

	for (len = 0; len <= (size_t)need + 8; len++) {
		memset(buf, 0x5a, (size_t)need + 64);
		if (fn(c, buf, len) != need) {
			CU_FAIL("return value is not the full length");
			break;
		}
		for (i = len; i < (size_t)need + 64; i++)
			if (buf[i] != 0x5a)
				break;
		if (i != (size_t)need + 64) {
			CU_FAIL("wrote past len");
			break;
		}
		if (!len)
			continue;
		keep = len - 1 < (size_t)need ? len - 1 : (size_t)need;
		if (buf[keep] != '\0' || memcmp(buf, full, keep)) {
			CU_FAIL("not a NUL-terminated prefix");
			break;
		}
	}
	CU_ASSERT_EQUAL(len, (size_t)need + 9);	/* every size passed */
	free(full);
	free(buf);
}

static void test_truncation(void)
{
	struct mhv_caps amd = amd_caps(), intel = intel_caps();
	char small[1] = { 'x' };

	check_truncation(mhv_caps_format_table, &amd);
	check_truncation(mhv_caps_format_json, &amd);
	check_truncation(mhv_caps_format_table, &intel);
	check_truncation(mhv_caps_format_json, &intel);

	/* len 0: the buffer is not touched at all */
	CU_ASSERT_EQUAL(mhv_caps_format_json(&amd, small, 0), (int)strlen(amd_json));
	CU_ASSERT_EQUAL(small[0], 'x');
	CU_ASSERT_EQUAL(mhv_caps_format_json(&amd, small, 1), (int)strlen(amd_json));
	CU_ASSERT_EQUAL(small[0], '\0');
}

int register_caps_tests(void)
{
	ADD_SUITE("caps",
		  { "table_amd", test_table_amd },
		  { "table_intel", test_table_intel },
		  { "table_odd", test_table_odd },
		  { "hostile_vendor_id", test_hostile_vendor_id },
		  { "json_amd_exact", test_json_amd_exact },
		  { "json_keys", test_json_keys },
		  { "truncation", test_truncation });
}
