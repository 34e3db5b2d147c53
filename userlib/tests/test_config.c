// SPDX-License-Identifier: LGPL-2.1
#include <CUnit/CUnit.h>
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
		"features = educational, monitoring,debug\n";

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
	char err[128] = "";

	mhv_vm_config_default(&c);
	CU_ASSERT_EQUAL(mhv_vm_config_parse(text, &c, err, sizeof(err)), -22);
	CU_ASSERT_STRING_EQUAL(err, msg);
}

static void test_bad_files(void)
{
	expect_error("vcpus = 0\n", "line 1: vcpus must be a number from 1");
	expect_error("\n\nvcpus = two\n", "line 3: vcpus must be a number from 1");
	expect_error("memory_mb = -5\n", "line 1: memory_mb must be a number from 1");
	expect_error("memory_mb = 99999999999\n",
		     "line 1: memory_mb must be a number from 1");
	expect_error("name =\n", "line 1: name must be 1 to 31 characters");
	expect_error("name = 0123456789012345678901234567890123\n",
		     "line 1: name must be 1 to 31 characters");
	expect_error("colour = blue\n", "line 1: unknown key");
	expect_error("just words\n", "line 1: expected \"key = value\"");
	expect_error("arch = arm64\n", "line 1: arch must be x86_64");
	expect_error("features = educational, turbo\n",
		     "line 1: features: educational, monitoring, debug");
}

int register_config_tests(void)
{
	ADD_SUITE("config",
		  { "defaults", test_defaults },
		  { "good_file", test_good_file },
		  { "bad_files", test_bad_files });
}
