// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 8, item 7: the guest's debug registers are its own, and the
 * host's survive a run.
 *
 * The VMM process sets a hardware write breakpoint on one of its
 * variables (perf_event_open, PERF_TYPE_BREAKPOINT): the kernel puts its
 * address in a DR0-3 of the CPU while the thread runs. The guest reads
 * DR0-3 and DR7 (it must not see the host's breakpoint), writes its own
 * (see GUEST_DR7 for what the emulators allow) and reads them back.
 * Every access is
 * intercepted and emulated (MHV_STAT_DR_ACCESS). After RUN the host
 * writes its variable: the breakpoint must still fire. Before the fix the
 * guest read the host's DR0 and overwrote it, and the host breakpoint was
 * lost.
 */
#define _GNU_SOURCE
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "isol_util.h"

/*
 * The guest's DR7: L1, an instruction breakpoint at DR1 = 0x1000 (the
 * GDT, never executed), RW/LEN fields and the other bits left at their
 * reset values. Changing anything above bit 7 (RW/LEN, LE/GE) while the
 * host has a breakpoint of its own makes QEMU 7.2's nested SVM crash
 * (SIGSEGV of the test VM's QEMU: its DR7 update path confuses the
 * host's watchpoint with a breakpoint), whatever the module does.
 */
#define DR7_L1		(1ULL << 2)
#define GUEST_DR1	0x1000ULL
#define GUEST_DR7	(DR7_L1 | 0x400)
#define DR_READS_WRITES	15	/* 5 reads, 5 writes, 5 reads back */

static volatile uint64_t host_var;
static volatile uint64_t guest_var;	/* the guest's own breakpoint */

static void guest_debugregs(uint64_t arg)
{
	uint64_t dr[5];

	dr[0] = read_dr(0);
	dr[1] = read_dr(1);
	dr[2] = read_dr(2);
	dr[3] = read_dr(3);
	dr[4] = read_dr(7);
	GUEST_SYNC2(dr[0], dr[4]);
	GUEST_SYNC2(dr[1], dr[2]);
	GUEST_SYNC(dr[3]);

	write_dr(0, (uint64_t)&guest_var);
	write_dr(1, GUEST_DR1);
	write_dr(2, 0x2000);
	write_dr(3, 0x3000);
	write_dr(7, GUEST_DR7);
	GUEST_ASSERT_EQ(read_dr(0), (uint64_t)&guest_var);
	GUEST_ASSERT_EQ(read_dr(1), GUEST_DR1);
	GUEST_ASSERT_EQ(read_dr(2), 0x2000);
	GUEST_ASSERT_EQ(read_dr(3), 0x3000);
	GUEST_ASSERT_EQ(read_dr(7), GUEST_DR7);
	GUEST_DONE();
}

static int pin_here(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -1 : cpu;
}

static int host_breakpoint(void)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.bp_type = HW_BREAKPOINT_W;
	attr.bp_addr = (uint64_t)&host_var;
	attr.bp_len = HW_BREAKPOINT_LEN_8;
	attr.sample_period = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	return syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
}

static uint64_t hits(int fd)
{
	uint64_t n = ~0ULL;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return ~0ULL;
	return n;
}

TEST(guest_drs_own_host_bp_survives)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	int fd, problems = dmesg_count_problems();

	ASSERT_LE(0, pin_here());
	fd = host_breakpoint();
	if (fd < 0 && (errno == ENOENT || errno == EOPNOTSUPP ||
		       errno == ENODEV || errno == ENOSPC || errno == EACCES))
		SKIP(return, "no hardware breakpoints here (perf_event_open: %s)",
		     strerror(errno));
	ASSERT_LE(0, fd);
	host_var = 1;
	ASSERT_EQ(1, hits(fd)) TH_LOG("the host breakpoint does not fire");

	ASSERT_EQ(0, mhv_guest_create(&g, "debugregs", 1, 64,
				      guest_debugregs, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_NE((uint64_t)&host_var, uc.args[0])
		TH_LOG("the guest read the host breakpoint in DR0");
	EXPECT_EQ(0, uc.args[1] & 0xff) TH_LOG("guest DR7 0x%lx enables breakpoints",
					      (unsigned long)uc.args[1]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_NE((uint64_t)&host_var, uc.args[0]);
	EXPECT_NE((uint64_t)&host_var, uc.args[1]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_NE((uint64_t)&host_var, uc.args[0]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(DR_READS_WRITES, vcpu_stat(&g, 0, MHV_STAT_DR_ACCESS));

	host_var = 2;
	EXPECT_EQ(2, hits(fd)) TH_LOG("the host breakpoint was lost in RUN");
	mhv_guest_destroy(&g);
	close(fd);
	EXPECT_EQ(problems, dmesg_count_problems());
}

TEST_HARNESS_MAIN
