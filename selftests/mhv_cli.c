// SPDX-License-Identifier: GPL-2.0
/*
 * The mhv command behaves the same on every vendor: `mhv caps --json`
 * describes this CPU, `mhv run --demo` runs the demo guest, prints its
 * console and the module's exit counts, and a bad config file is a clear
 * error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "test_util.h"

/* Run @cmd, return its exit status; its output (stdout+stderr) in @out. */
static int run_cmd(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, r;
	int st;

	if (!p)
		return -1;
	while (n + 1 < len && (r = fread(out + n, 1, len - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(caps_json)
{
	char out[8192];
	const char *ext = cpuinfo_has_flag("svm") ? "\"extension\": \"svm\"" :
						    "\"extension\": \"vmx\"";

	ASSERT_EQ(0, run_cmd("mhv caps --json 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, ext)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"nested_paging\": true"));
}

TEST(run_demo)
{
	char out[16384];

	ASSERT_EQ(0, run_cmd("mhv run --demo 2>&1", out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Hello from a guest running under MultiOS HV!"));
	EXPECT_NE(NULL, strstr(out, "nested page faults"));
	EXPECT_NE(NULL, strstr(out, "cpuid"));
	EXPECT_NE(NULL, strstr(out, "total exits"));
}

TEST(bad_config_file)
{
	char out[4096];
	FILE *f = fopen("/tmp/bad-vm.conf", "w");

	ASSERT_NE(NULL, f);
	fputs("name = broken\nvcpus = lots\n", f);
	fclose(f);
	EXPECT_EQ(1, run_cmd("mhv run --demo --config /tmp/bad-vm.conf 2>&1",
			     out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "line 2"));
	EXPECT_EQ(2, run_cmd("mhv no-such-command 2>&1", out, sizeof(out)));
}

TEST_HARNESS_MAIN
