// SPDX-License-Identifier: GPL-2.0
/*
 * mhv stats, mhv top and mhv crash on VMs of this (another) process:
 * the counts they print are the exits the guests caused, the crash shows
 * the exits before the triple fault.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define N_CPUID	23

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

static void guest_cpuids(uint64_t arg)
{
	uint32_t a, b, c, d;
	int i;

	for (i = 0; i < N_CPUID; i++)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(0), "c"(0));
	GUEST_DONE();
}

extern char cli_out[];

static void guest_crash(uint64_t arg)
{
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idt = { 0, 0 };

	__asm__ volatile(".global cli_out\ncli_out: outb %b0, %w1"
			 : : "a"(1), "d"(0x80));
	__asm__ volatile("lidt %0\n\tud2" : : "m"(idt));
	GUEST_DONE();
}

FIXTURE(vms) {
	struct mhv_guest ok, bad;
};

FIXTURE_SETUP(vms)
{
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&self->ok, "cli-stats", 1, 64,
				      guest_cpuids, 0));
	ASSERT_EQ(0, mhv_guest_create(&self->bad, "cli-crash", 1, 64,
				      guest_crash, 0));
	EXPECT_UCALL(&self->ok, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EXIT(&self->bad, 0, &uc, MHV_EXIT_IO);
	EXPECT_EXIT(&self->bad, 0, &uc, MHV_EXIT_SHUTDOWN);
}

FIXTURE_TEARDOWN(vms)
{
	mhv_guest_destroy(&self->ok);
	mhv_guest_destroy(&self->bad);
}

TEST_F(vms, stats_json_counts)
{
	char out[65536], want[64];

	ASSERT_EQ(0, run_cmd("mhv stats cli-stats --json 2>&1", out, sizeof(out)))
		TH_LOG("%s", out);
	snprintf(want, sizeof(want), "\"exits_cpuid\": %d,", N_CPUID);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"id\": \"cli-stats\"")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"exit_latency_cpuid\": {\"count\": "))
		TH_LOG("%s", out);
}

TEST_F(vms, stats_text_and_watch)
{
	char out[65536];
	const char *p;
	int n = 0;

	ASSERT_EQ(0, run_cmd("mhv stats cli-stats --watch=1 --count 2 2>&1",
			     out, sizeof(out)));
	for (p = out; (p = strstr(p, "\nexits_cpuid ")); p++)
		n++;
	EXPECT_EQ(2, n) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "exit_latency_cpuid")) TH_LOG("%s", out);
	EXPECT_EQ(1, run_cmd("mhv stats no-such-vm 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "no VM named")) TH_LOG("%s", out);
}

TEST_F(vms, top_lists_both)
{
	char out[16384];

	ASSERT_EQ(0, run_cmd("mhv top --count 1 --interval 50 2>&1", out,
			     sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "cli-stats")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "cli-crash")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "EXITS/s")) TH_LOG("%s", out);
}

TEST_F(vms, crash_shows_the_last_exits)
{
	char out[16384], rip[32];
	const char *io, *sd;

	ASSERT_EQ(0, run_cmd("mhv crash cli-crash 2>&1", out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "triple fault")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "frozen: the VM is in ERROR")) TH_LOG("%s", out);
	snprintf(rip, sizeof(rip), "%#llx", (unsigned long long)(uintptr_t)cli_out);
	io = strstr(out, rip);
	sd = strstr(out, " shutdown ");
	ASSERT_NE(NULL, io) TH_LOG("no exit at %s: %s", rip, out);
	ASSERT_NE(NULL, sd) TH_LOG("%s", out);
	EXPECT_LT(io, sd);	/* the port write, then the crash */
	/* a VM that did not crash: not frozen */
	ASSERT_EQ(0, run_cmd("mhv crash cli-stats 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "not frozen")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
