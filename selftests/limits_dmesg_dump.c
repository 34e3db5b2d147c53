// SPDX-License-Identifier: GPL-2.0
/*
 * A failed VM entry writes the control block dump to the kernel log
 * once for the VM, every line naming the VM, and never with host-side
 * values: the note says they are hidden, and the control block's
 * physical address that root sees through MHV_GET_STATE_DUMP is not in
 * the log. Later failures of the same VM add nothing.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "limits_util.h"

#define DUMP_SIZE	32768

static void guest_nothing(uint64_t arg)
{
	GUEST_DONE();
}

/* Kernel log lines with @needle, joined with '\n' (to free()). */
static char *dmesg_lines(const char *needle)
{
	char *buf = dmesg_read(), *line, *save = NULL, *out;
	size_t len = 0;

	if (!buf)
		return NULL;
	out = calloc(1, strlen(buf) + 1);
	for (line = strtok_r(buf, "\n", &save); out && line;
	     line = strtok_r(NULL, "\n", &save))
		if (strstr(line, needle))
			len += sprintf(out + len, "%s\n", line);
	free(buf);
	return out;
}

TEST(failed_entry_dump_once_without_host_values)
{
	char name[32], tag[48], pa[32], *dump, *log, *p;
	unsigned long long cb_pa;
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_sregs s;
	int lines, dump_lines = 0;

	snprintf(name, sizeof(name), "dump-%d", getpid());
	snprintf(tag, sizeof(tag), "VM \"%s\" ", name);
	ASSERT_EQ(0, dmesg_count_lines(tag));
	ASSERT_EQ(0, mhv_guest_create(&g, name, 2, 64, guest_nothing, 0));
	/* a 64-bit code segment with D set: VMRUN and VM entry refuse it */
	ASSERT_EQ(0, mhv_get_sregs(g.vcpu[0].fd, &s));
	s.cs.db = 1;
	ASSERT_EQ(0, mhv_set_sregs(g.vcpu[0].fd, &s));
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_FAIL_ENTRY, g.vcpu[0].run->exit_reason);
	/* the VM is in ERROR: the other vCPU cannot add a report */
	EXPECT_EQ(-EIO, mhv_guest_run(&g, 1, &uc));
	EXPECT_EQ(-EIO, mhv_guest_run(&g, 0, &uc));

	dump = calloc(1, DUMP_SIZE);
	ASSERT_NE(NULL, dump);
	ASSERT_LT(0, mhv_get_state_dump(g.vcpu[0].fd, dump, DUMP_SIZE));
	for (p = dump; (p = strchr(p, '\n')); p++)
		dump_lines++;
	p = strstr(dump, "physical address 0x");
	ASSERT_NE(NULL, p);
	cb_pa = strtoull(p + strlen("physical address "), NULL, 16);
	ASSERT_NE(0, cb_pa) TH_LOG("root must see the control block address");
	snprintf(pa, sizeof(pa), "0x%llx", cb_pa);

	log = dmesg_lines(tag);
	ASSERT_NE(NULL, log);
	lines = dmesg_count_lines(tag);
	/* one header line, then the dump (note included) line by line */
	EXPECT_EQ(1 + dump_lines, lines) TH_LOG("log:\n%s", log);
	p = strstr(log, "the CPU refused the guest state");
	EXPECT_TRUE(p && !strstr(p + 1, "the CPU refused the guest state"));
	EXPECT_NE(NULL, strstr(log, "hidden: needs CAP_SYS_ADMIN"));
	EXPECT_NE(NULL, strstr(log, "physical address 0x0"));
	EXPECT_EQ(NULL, strstr(log, pa)) TH_LOG("host address %s in the log", pa);
	free(log);
	free(dump);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
