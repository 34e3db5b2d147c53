// SPDX-License-Identifier: LGPL-2.1
#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libmultios_hv.h"
#include "tests.h"

static void test_defaults(void)
{
	struct mhv_vm_config c;

	mhv_vm_config_default(&c);
	CU_ASSERT_STRING_EQUAL(c.name, "vm");
	CU_ASSERT_EQUAL(c.vcpu_count, 1);
	CU_ASSERT_EQUAL(c.arch, MHV_ARCH_X86_64);
	CU_ASSERT_EQUAL(c.features, MHV_VM_F_EDUCATIONAL);
	CU_ASSERT_EQUAL(c.page_size, MHV_PAGE_SIZE_AUTO);
}

static void test_good_file(void)
{
	struct mhv_vm_config c;
	char err[128] = "";
	const char *text =
		"# My First VM\n"
		"name = My First VM\n"
		"\n"
		"vcpus = 2   # two of them\n"
		"memory_mb=512\n"
		"arch = x86_64\n"
		"features = educational, monitoring,debug, irqchip\n";

	mhv_vm_config_default(&c);
	CU_ASSERT_EQUAL(mhv_vm_config_parse(text, &c, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.name, "My First VM");
	CU_ASSERT_EQUAL(c.vcpu_count, 2);
	CU_ASSERT_EQUAL(c.memory_mb, 512);
	CU_ASSERT_EQUAL(c.features, MHV_VM_F_ALL);
	CU_ASSERT_STRING_EQUAL(err, "");
}

static void expect_error(const char *text, const char *msg)
{
	struct mhv_vm_config c;
	char err[256] = "";

	mhv_vm_config_default(&c);
	CU_ASSERT_EQUAL(mhv_vm_config_parse(text, &c, err, sizeof(err)), -22);
	CU_ASSERT_STRING_EQUAL(err, msg);
}

static void test_bad_files(void)
{
	expect_error("vcpus = 0\n", "line 1: vcpus must be a number from 1 to 1024");
	expect_error("\n\nvcpus = two\n",
		     "line 3: vcpus must be a number from 1 to 1024");
	expect_error("vcpus = 1025\n",
		     "line 1: vcpus must be a number from 1 to 1024");
	expect_error("memory_mb = -5\n",
		     "line 1: memory_mb must be a number from 1 to 1048576");
	expect_error("memory_mb = 99999999999\n",
		     "line 1: memory_mb must be a number from 1 to 1048576");
	expect_error("name =\n", "line 1: name must be 1 to 31 characters");
	expect_error("name = 0123456789012345678901234567890123\n",
		     "line 1: name must be 1 to 31 characters");
	expect_error("just words\n",
		     "line 1: expected \"key = value\" (keys: name, vcpus, memory_mb, arch, features, page_size)");
	expect_error("arch = arm64\n", "line 1: arch must be x86_64");
	expect_error("page_size = 4m\n",
		     "line 1: page_size: '4m' is not one of auto, 4k, 2m, 1g");
	expect_error("features = educational, turbo\n",
		     "line 1: features: 'educational, turbo' is not a list of educational, monitoring, debug, irqchip");
}

/* The key is named and every valid key is listed. */
static void test_unknown_key(void)
{
	static const char *const keys[] = {
		"name", "vcpus", "memory_mb", "arch", "features", "page_size",
	};
	struct mhv_vm_config c, before;
	char err[256] = "";
	unsigned int i;

	expect_error("\ncolour = blue\n",
		     "line 2: unknown key 'colour' (valid keys: name, vcpus, memory_mb, arch, features, page_size)");
	/* every key listed parses (it is really valid) */
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		CU_ASSERT_PTR_NOT_NULL(strstr(mhv_vm_config_keys(), keys[i]));
	}
	mhv_vm_config_default(&c);
	CU_ASSERT_EQUAL(mhv_vm_config_parse("name = x\nvcpus = 3\nmemory_mb = 7\n"
					    "arch = x86_64\nfeatures = debug\n"
					    "page_size = 2m\n",
					    &c, err, sizeof(err)), 0);
	/* a misspelt key is not taken for another one */
	mhv_vm_config_default(&before);
	c = before;
	CU_ASSERT_EQUAL(mhv_vm_config_parse("memory_MB = 64\n", &c, err,
					    sizeof(err)), -EINVAL);
	CU_ASSERT_EQUAL(c.memory_mb, before.memory_mb);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "'memory_MB'"));
}

static void expect_name(const char *text, const char *name)
{
	struct mhv_vm_config c;
	char err[256] = "";

	mhv_vm_config_default(&c);
	CU_ASSERT_EQUAL(mhv_vm_config_parse(text, &c, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.name, name);
	CU_ASSERT_STRING_EQUAL(err, "");
}

static void test_quotes(void)
{
	expect_name("name = \"My First VM\"\n", "My First VM");
	expect_name("name = 'single'   # comment\n", "single");
	expect_name("name=\"  padded \"\n", "  padded ");
	/* a quote inside is kept; only a matching pair around is removed */
	expect_name("name = it's mine\n", "it's mine");
	expect_name("name = \"'\"\n", "'");
	/* 31 characters inside the quotes fit */
	expect_name("name = \"0123456789012345678901234567890\"\n",
		    "0123456789012345678901234567890");
	expect_error("name = \"\"\n", "line 1: name must be 1 to 31 characters");
	expect_error("name = \"unclosed\n",
		     "line 1: name: the quote \" is not closed");
	expect_error("name = 'mixed\"\n",
		     "line 1: name: the quote ' is not closed");
	expect_error("name = \"\n", "line 1: name: the quote \" is not closed");
	/* other keys take quotes too */
	{
		struct mhv_vm_config c;

		mhv_vm_config_default(&c);
		CU_ASSERT_EQUAL(mhv_vm_config_parse("vcpus = \"4\"\narch = 'x86_64'\n",
						    &c, NULL, 0), 0);
		CU_ASSERT_EQUAL(c.vcpu_count, 4);
	}
}

/* Every page_size word, in the file and back to its name. */
static void test_page_size(void)
{
	static const struct { const char *text; uint32_t want; } cases[] = {
		{ "page_size = auto\n", MHV_PAGE_SIZE_AUTO },
		{ "page_size = 4k\n", MHV_PAGE_SIZE_4K },
		{ "page_size = 2M\n", MHV_PAGE_SIZE_2M },
		{ "page_size = \"1g\"\n", MHV_PAGE_SIZE_1G },
	};
	struct mhv_vm_config c;
	char err[128] = "";
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mhv_vm_config_default(&c);
		c.page_size = 77;
		CU_ASSERT_EQUAL(mhv_vm_config_parse(cases[i].text, &c, err,
						    sizeof(err)), 0);
		CU_ASSERT_EQUAL(c.page_size, cases[i].want);
	}
	CU_ASSERT_STRING_EQUAL(mhv_page_size_name(MHV_PAGE_SIZE_4K), "4k");
	CU_ASSERT_STRING_EQUAL(mhv_page_size_name(MHV_PAGE_SIZE_1G), "1g");
	CU_ASSERT_PTR_NULL(mhv_page_size_name(MHV_PAGE_SIZE_1G + 1));
}

/* The limits of the machine (caps), named in the error. */
static void test_check_against_caps(void)
{
	struct mhv_vm_config c;
	struct mhv_caps caps;
	char err[256] = "", want[256];

	memset(&caps, 0, sizeof(caps));
	caps.max_vcpus = 3;
	caps.max_mem_mb = 777;
	mhv_vm_config_default(&c);
	c.vcpu_count = caps.max_vcpus;
	c.memory_mb = caps.max_mem_mb;
	CU_ASSERT_EQUAL(mhv_vm_config_check(&c, &caps, err, sizeof(err)), 0);

	c.memory_mb = caps.max_mem_mb + 1;
	CU_ASSERT_EQUAL(mhv_vm_config_check(&c, &caps, err, sizeof(err)), -E2BIG);
	snprintf(want, sizeof(want),
		 "memory_mb = %u is more than this machine allows: at most %u MiB per VM (\"max memory per VM\" in mhv caps)",
		 caps.max_mem_mb + 1, caps.max_mem_mb);
	CU_ASSERT_STRING_EQUAL(err, want);

	c.memory_mb = 1;
	c.vcpu_count = caps.max_vcpus + 1;
	CU_ASSERT_EQUAL(mhv_vm_config_check(&c, &caps, err, sizeof(err)), -E2BIG);
	snprintf(want, sizeof(want),
		 "vcpus = %u is more than this machine allows: at most %u vCPUs per VM (\"max vCPUs per VM\" in mhv caps)",
		 caps.max_vcpus + 1, caps.max_vcpus);
	CU_ASSERT_STRING_EQUAL(err, want);
	/* no buffer for the message: the verdict still holds */
	CU_ASSERT_EQUAL(mhv_vm_config_check(&c, &caps, NULL, 0), -E2BIG);

	/* a page size the CPU cannot map */
	c.vcpu_count = 1;
	c.page_size = MHV_PAGE_SIZE_1G;
	caps.flags = MHV_CAP_PAGE_2M;
	CU_ASSERT_EQUAL(mhv_vm_config_check(&c, &caps, err, sizeof(err)),
			-EOPNOTSUPP);
	CU_ASSERT_STRING_EQUAL(err,
			       "page_size = 1g: this CPU has no second-level pages that large (\"2M pages\"/\"1G pages\" in mhv caps)");
	c.page_size = MHV_PAGE_SIZE_2M;
	CU_ASSERT_EQUAL(mhv_vm_config_check(&c, &caps, err, sizeof(err)), 0);
	caps.flags = 0;
	CU_ASSERT_EQUAL(mhv_vm_config_check(&c, &caps, err, sizeof(err)),
			-EOPNOTSUPP);
	c.page_size = MHV_PAGE_SIZE_AUTO;	/* auto: whatever the CPU has */
	CU_ASSERT_EQUAL(mhv_vm_config_check(&c, &caps, err, sizeof(err)), 0);
}

int register_config_tests(void)
{
	ADD_SUITE("config",
		  { "defaults", test_defaults },
		  { "good_file", test_good_file },
		  { "bad_files", test_bad_files },
		  { "unknown_key", test_unknown_key },
		  { "quotes", test_quotes },
		  { "page_size", test_page_size },
		  { "check_against_caps", test_check_against_caps });
}
