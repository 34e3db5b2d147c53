// SPDX-License-Identifier: GPL-2.0
/*
 * Guest pages the module pins are charged to RLIMIT_MEMLOCK of the VM's
 * process (they show in VmLck), exactly as long as they are pinned:
 *
 * - a user without CAP_IPC_LOCK stops at its limit: MHV_RUN fails with
 *   ENOMEM at the first page over it, the VM stays usable and runs on
 *   once the limit is raised; destroying the VM gives every page back;
 * - a caller with CAP_IPC_LOCK (root) is counted the same way but not
 *   limited, as for mlock().
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "limits_util.h"

#define AREA		0x2000000ULL	/* 32 MiB: untouched by the loader */
#define NPAGES		64
#define ROOM		16		/* pages allowed over the first SYNC */

static void guest_fill(uint64_t arg)
{
	int i;

	GUEST_SYNC(0);
	for (i = 0; i < NPAGES; i++)
		*(volatile uint64_t *)(AREA + i * 4096ULL) = i + 1;
	GUEST_SYNC(1);
	GUEST_DONE();
}

static long memory_used(struct mhv_guest *g)
{
	struct mhv_vm_info info;

	if (mhv_get_vm_info(g->vm_fd, &info))
		return -1;
	return (long)info.memory_used;
}

static int set_memlock(rlim_t cur, rlim_t max)
{
	struct rlimit r = { .rlim_cur = cur, .rlim_max = max };

	return setrlimit(RLIMIT_MEMLOCK, &r);
}

/* The unprivileged child: returns the number of failed checks. */
static int over_the_limit(void)
{
	struct mhv_vm_info info;
	struct mhv_guest g;
	struct mhv_ucall uc;
	long locked, limit;
	int fails = 0, r;

	/* as root: room to raise the soft limit later, then the VM */
	CHILD_CHECK(fails, set_memlock(8 << 20, RLIM_INFINITY) == 0, "rlimit");
	r = mhv_guest_create(&g, "memlock", 1, 64, guest_fill, 0);
	CHILD_CHECK(fails, r == 0, "create: %d", r);
	if (r)
		return fails;
	CHILD_CHECK(fails, drop_to_nobody() == 0, "cannot drop privileges");

	CHILD_CHECK(fails, mhv_guest_run(&g, 0, &uc) == MHV_UCALL_SYNC, "sync 0");
	locked = proc_status_kb("VmLck") * 1024;
	CHILD_CHECK(fails, locked > 0 && locked == memory_used(&g),
		    "VmLck %ld bytes, pinned %ld", locked, memory_used(&g));

	limit = locked + ROOM * 4096L;
	CHILD_CHECK(fails, set_memlock(limit, RLIM_INFINITY) == 0, "rlimit");
	r = mhv_guest_run(&g, 0, &uc);
	CHILD_CHECK(fails, r == -ENOMEM, "RUN over the limit: %d", r);
	CHILD_CHECK(fails, proc_status_kb("VmLck") * 1024 == limit,
		    "VmLck %ld kB, limit %ld", proc_status_kb("VmLck"), limit);
	CHILD_CHECK(fails, memory_used(&g) == limit, "pinned %ld, limit %ld",
		    memory_used(&g), limit);
	CHILD_CHECK(fails, mhv_get_vm_info(g.vm_fd, &info) == 0 &&
		    info.state != MHV_VM_ERROR, "the VM must stay usable");

	/* the limit raised, the same RUN goes on */
	CHILD_CHECK(fails, set_memlock(RLIM_INFINITY, RLIM_INFINITY) == 0, "rlimit");
	CHILD_CHECK(fails, mhv_guest_run(&g, 0, &uc) == MHV_UCALL_SYNC &&
		    uc.args[0] == 1, "sync 1");
	CHILD_CHECK(fails, mhv_guest_run(&g, 0, &uc) == MHV_UCALL_DONE, "done");
	CHILD_CHECK(fails, proc_status_kb("VmLck") * 1024 == memory_used(&g),
		    "VmLck %ld kB, pinned %ld", proc_status_kb("VmLck"),
		    memory_used(&g));
	mhv_guest_destroy(&g);
	CHILD_CHECK(fails, proc_status_kb("VmLck") == 0,
		    "VmLck %ld kB after the VM is gone", proc_status_kb("VmLck"));
	return fails;
}

/* Root (CAP_IPC_LOCK) with a zero limit: counted, not limited. */
static int root_not_limited(void)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	int fails = 0, r;

	CHILD_CHECK(fails, set_memlock(0, RLIM_INFINITY) == 0, "rlimit");
	r = mhv_guest_create(&g, "memlock-root", 1, 64, guest_fill, 0);
	CHILD_CHECK(fails, r == 0, "create: %d", r);
	if (r)
		return fails;
	CHILD_CHECK(fails, mhv_guest_run(&g, 0, &uc) == MHV_UCALL_SYNC, "sync 0");
	CHILD_CHECK(fails, mhv_guest_run(&g, 0, &uc) == MHV_UCALL_SYNC, "sync 1");
	CHILD_CHECK(fails, mhv_guest_run(&g, 0, &uc) == MHV_UCALL_DONE, "done");
	CHILD_CHECK(fails, memory_used(&g) >= NPAGES * 4096L, "pinned %ld",
		    memory_used(&g));
	CHILD_CHECK(fails, proc_status_kb("VmLck") * 1024 == memory_used(&g),
		    "VmLck %ld kB, pinned %ld", proc_status_kb("VmLck"),
		    memory_used(&g));
	mhv_guest_destroy(&g);
	CHILD_CHECK(fails, proc_status_kb("VmLck") == 0,
		    "VmLck %ld kB after the VM is gone", proc_status_kb("VmLck"));
	return fails;
}

static void in_child(struct __test_metadata *_metadata, int (*fn)(void))
{
	struct mhv_counters before, after;
	int status;
	pid_t pid;

	ASSERT_EQ(0, mhv_counters_read(&before));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(fn() ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("a check in the child failed (see above)");
	/* the module holds no more pins and pages than before */
	ASSERT_EQ(0, mhv_counters_read(&after));
	EXPECT_EQ(before.pinned, after.pinned);
	EXPECT_EQ(before.pages, after.pages);
	EXPECT_EQ(before.vms, after.vms);
}

TEST(unprivileged_user_stops_at_rlimit_memlock)
{
	in_child(_metadata, over_the_limit);
}

TEST(cap_ipc_lock_is_counted_not_limited)
{
	in_child(_metadata, root_not_limited);
}

TEST_HARNESS_MAIN
