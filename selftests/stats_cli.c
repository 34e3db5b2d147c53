// SPDX-License-Identifier: GPL-2.0
/*
 * mhv stats, mhv top and mhv crash on VMs of this (another) process:
 * the counts they print are the exits the guests caused, the crash shows
 * the exits before the triple fault; mhv top lists the VMs of other
 * processes from the netlink listing, with rates where it reaches their
 * stats fd and a note where it does not.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "test_util.h"
#include "guest_util.h"
#include "limits_util.h"

#define N_CPUID	23

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

#define NOBODY		65534

struct kid {
	pid_t pid;
	int release;		/* close it: the child destroys its VM, ends */
};

/*
 * Fork a child that runs a guest called @name to its end, then waits
 * for the parent to close kid->release. With @node: as nobody, on that
 * device node, not dumpable (so no other process of nobody may ptrace
 * it or take its fds). 0 once its guest is done, -1 if it failed.
 */
static int spawn_guest(const char *name, const char *node, struct kid *k)
{
	int ready[2], release[2];
	char c = 0;

	if (pipe(ready) || pipe(release))
		return -1;
	k->pid = fork();
	if (k->pid < 0)
		return -1;
	if (!k->pid) {
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
		struct mhv_guest g;
		struct mhv_ucall uc;

		close(ready[0]);
		close(release[1]);
		if (node && (setrlimit(RLIMIT_MEMLOCK, &rl) || drop_to_nobody() ||
			     prctl(PR_SET_DUMPABLE, 0) ||
			     setenv("MHV_DEVICE", node, 1)))
			_exit(1);
		if (mhv_guest_create(&g, name, 1, 64, guest_cpuids, 0) ||
		    mhv_guest_run(&g, 0, &uc) != MHV_UCALL_DONE)
			_exit(1);
		c = 'r';
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		while (read(release[0], &c, 1) > 0)
			;
		mhv_guest_destroy(&g);
		_exit(0);
	}
	close(ready[1]);
	close(release[0]);
	k->release = release[1];
	if (read(ready[0], &c, 1) != 1)
		c = 0;
	close(ready[0]);
	return c == 'r' ? 0 : -1;
}

/* Let the child end; its exit status, -1 if it failed. */
static int reap(struct kid *k)
{
	int st;

	close(k->release);
	if (waitpid(k->pid, &st, 0) != k->pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The line of @out that shows VM @name (in @line), or NULL. */
static char *vm_line(const char *out, const char *name, char *line,
		     size_t len)
{
	char pat[64];
	const char *p, *end;

	snprintf(pat, sizeof(pat), " %s ", name);
	p = strstr(out, pat);
	if (!p)
		return NULL;
	end = strchr(p, '\n');
	if (!end)
		end = p + strlen(p);
	while (p > out && p[-1] != '\n')
		p--;
	snprintf(line, len, "%.*s", (int)(end - p), p);
	return line;
}

/*
 * A VM of another process of this user: mhv top shows it with the name
 * the netlink listing gives, its owner pid and, the child being
 * reachable (same user, root), rates and no note.
 */
TEST(top_lists_another_process)
{
	char out[16384], line[256], pid[16];
	struct kid k;

	ASSERT_EQ(0, spawn_guest("cli-child", NULL, &k));
	EXPECT_EQ(0, run_cmd("mhv top --count 1 --interval 50 2>&1", out,
			     sizeof(out)));
	EXPECT_EQ(0, reap(&k));
	ASSERT_NE(NULL, vm_line(out, "cli-child", line, sizeof(line)))
		TH_LOG("%s", out);
	snprintf(pid, sizeof(pid), " %d ", k.pid);
	EXPECT_NE(NULL, strstr(line, pid)) TH_LOG("%s", line);
	EXPECT_EQ(NULL, strstr(line, "no rates")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(out, "EXITS/s")) TH_LOG("%s", out);
}

/*
 * A VM mhv top lists but cannot reach: nobody's, in a process that is
 * not dumpable, seen by mhv top run as nobody. The listing gives it
 * (name, owner pid and uid), a note stands instead of the rates.
 */
TEST(top_notes_unreachable)
{
	char out[16384], line[256], node[64], pid[16];
	struct stat st;
	struct kid k, top = { 0 };
	int p[2];
	FILE *f;

	snprintf(node, sizeof(node), "/tmp/mhv-top-nobody-%d", getpid());
	ASSERT_EQ(0, stat(MHV_DEVICE_PATH, &st));
	unlink(node);
	ASSERT_EQ(0, mknod(node, S_IFCHR | 0600, st.st_rdev));
	ASSERT_EQ(0, chown(node, NOBODY, NOBODY));
	ASSERT_EQ(0, spawn_guest("cli-hidden", node, &k));
	ASSERT_EQ(0, pipe(p));
	top.pid = fork();
	ASSERT_LE(0, top.pid);
	if (!top.pid) {
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		if (drop_to_nobody())
			_exit(126);
		execlp("mhv", "mhv", "top", "--count", "1", "--interval", "50",
		       (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	ASSERT_NE(NULL, f);
	out[fread(out, 1, sizeof(out) - 1, f)] = '\0';
	fclose(f);
	top.release = open("/dev/null", O_RDONLY);
	EXPECT_EQ(0, reap(&top)) TH_LOG("%s", out);
	EXPECT_EQ(0, reap(&k));
	unlink(node);
	ASSERT_NE(NULL, vm_line(out, "cli-hidden", line, sizeof(line)))
		TH_LOG("%s", out);
	snprintf(pid, sizeof(pid), " %d ", k.pid);
	EXPECT_NE(NULL, strstr(line, pid)) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " 65534 ")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "no rates")) TH_LOG("%s", line);
	/* root's VMs are not in nobody's listing */
	EXPECT_EQ(NULL, strstr(out, " cli-stats ")) TH_LOG("%s", out);
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
