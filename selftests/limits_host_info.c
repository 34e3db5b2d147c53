// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side values (host state, physical addresses of control blocks and
 * tables, nested_cr3/EPTP, TRANSLATE's host-physical address) reach a
 * caller with CAP_SYS_ADMIN only. An unprivileged process that inherited
 * the VM's fds sees the same dump with those values as 0 and a note
 * saying so, the guest's state unchanged, and TRANSLATE without hpa. The
 * capability counts at ioctl time: the fds were opened by root.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "limits_util.h"

#define AREA		0x2000000ULL	/* a data page the guest writes */
#define DUMP_SIZE	32768
#define HIDDEN_NOTE	"hidden: needs CAP_SYS_ADMIN"

static void guest_touch(uint64_t arg)
{
	*(volatile uint64_t *)AREA = 0x5a5a;
	GUEST_SYNC(0);
	GUEST_DONE();
}

/* Host frame of one of our pages, from pagemap (root sees PFNs). */
static uint64_t host_pfn(void *va)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, 8, ((uintptr_t)va / 4096) * 8) != 8)
		e = 0;
	close(fd);
	return (e & (1ULL << 63)) ? e & ((1ULL << 55) - 1) : 0;
}

/* The value after "physical address 0x" on the dump's control block line */
static uint64_t control_block_pa(const char *dump)
{
	const char *p = strstr(dump, "physical address 0x");

	return p ? strtoull(p + strlen("physical address "), NULL, 16) : ~0ULL;
}

/*
 * Compare the unprivileged dump @u with the privileged @p line by line,
 * word by word: they must differ only where @u shows a zero value
 * ("0x0", "...=0x0", "0x0,"). Returns the number of such hidden values,
 * or -1 (with a message) on any other difference.
 */
static int hidden_values(const char *p, const char *u)
{
	char *pc = strdup(p), *uc = strdup(u), *ps, *us, *pl, *ul;
	int hidden = 0, lineno = 0;

	for (pl = strtok_r(pc, "\n", &ps), ul = strtok_r(uc, "\n", &us);
	     pl && ul;
	     pl = strtok_r(NULL, "\n", &ps), ul = strtok_r(NULL, "\n", &us)) {
		char *pw, *uw, *pws, *uws;

		if (lineno++ == 0)	/* the note itself */
			continue;
		for (pw = strtok_r(pl, " ", &pws), uw = strtok_r(ul, " ", &uws);
		     pw && uw;
		     pw = strtok_r(NULL, " ", &pws), uw = strtok_r(NULL, " ", &uws)) {
			char *v;

			if (!strcmp(pw, uw))
				continue;
			v = strstr(uw, "0x");
			if (!v || strtoull(v, NULL, 16) != 0 ||
			    strncmp(pw, uw, v - uw)) {
				fprintf(stderr, "dumps differ: \"%s\" vs \"%s\"\n", pw, uw);
				hidden = -1;
				goto out;
			}
			hidden++;
		}
		if (pw || uw) {
			fprintf(stderr, "line %d: different word counts\n", lineno);
			hidden = -1;
			goto out;
		}
	}
	if (pl || ul) {
		fprintf(stderr, "different line counts\n");
		hidden = -1;
	}
out:
	free(pc);
	free(uc);
	return hidden;
}

/* What the child (uid 65534, inherited fds) sees; returns failures. */
static int unprivileged_view(struct mhv_guest *g, const char *root_dump,
			     uint64_t hpa)
{
	char *dump = calloc(1, DUMP_SIZE);
	struct mhv_translate tr;
	struct mhv_sregs sregs;
	char cr3[64];
	int fails = 0, n;

	CHILD_CHECK(fails, drop_to_nobody() == 0, "cannot drop privileges");
	CHILD_CHECK(fails, mhv_open_system() == -EACCES,
		    "the device must be root-only, or this test proves nothing");
	n = mhv_get_state_dump(g->vcpu[0].fd, dump, DUMP_SIZE);
	CHILD_CHECK(fails, n > 0, "dump: %d", n);
	CHILD_CHECK(fails, strstr(dump, HIDDEN_NOTE) != NULL, "no note");
	CHILD_CHECK(fails, control_block_pa(dump) == 0, "control block at 0x%llx",
		    (unsigned long long)control_block_pa(dump));
	n = hidden_values(root_dump, dump);
	CHILD_CHECK(fails, n >= 1, "%d host-side values hidden", n);
	fprintf(stderr, "child: %d host-side values hidden\n", n);

	/* guest state stays visible: the guest's CR3 is in the dump */
	CHILD_CHECK(fails, mhv_get_sregs(g->vcpu[0].fd, &sregs) == 0, "sregs");
	snprintf(cr3, sizeof(cr3), "cr3=0x%llx", (unsigned long long)sregs.cr3);
	CHILD_CHECK(fails, sregs.cr3 && strstr(dump, cr3), "no %s in the dump", cr3);

	memset(&tr, 0, sizeof(tr));
	tr.gpa = AREA + 0x18;
	CHILD_CHECK(fails, mhv_translate(g->vm_fd, &tr) == 0, "translate");
	CHILD_CHECK(fails, tr.hpa == 0, "hpa 0x%llx (root saw 0x%llx)",
		    (unsigned long long)tr.hpa, (unsigned long long)hpa);
	CHILD_CHECK(fails, tr.page_size == 4096 && tr.level == 1 &&
		    tr.slot == 0 && (tr.prot & MHV_PROT_WRITE),
		    "guest-side translation lost");
	free(dump);
	return fails;
}

TEST(host_values_for_cap_sys_admin_only)
{
	char *dump = calloc(1, DUMP_SIZE);
	struct mhv_translate tr;
	struct mhv_guest g;
	struct mhv_ucall uc;
	int status;
	pid_t pid;

	ASSERT_NE(NULL, dump);
	ASSERT_EQ(0, mhv_guest_create(&g, "host-info", 1, 64, guest_touch, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);

	/* root: host-side values shown and real */
	ASSERT_LT(0, mhv_get_state_dump(g.vcpu[0].fd, dump, DUMP_SIZE));
	EXPECT_EQ(NULL, strstr(dump, HIDDEN_NOTE));
	EXPECT_NE(0, control_block_pa(dump));
	EXPECT_NE(~0ULL, control_block_pa(dump));
	memset(&tr, 0, sizeof(tr));
	tr.gpa = AREA + 0x18;
	ASSERT_EQ(0, mhv_translate(g.vm_fd, &tr));
	EXPECT_EQ(4096, tr.page_size);
	EXPECT_EQ(host_pfn(mhv_guest_ptr(&g, AREA)), tr.hpa >> 12);
	EXPECT_EQ(0x18, tr.hpa & 0xfff);

	/* the same fds in a process without capabilities */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(unprivileged_view(&g, dump, tr.hpa) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the unprivileged child saw host-side values (see above)");

	/* and root still does, through the same fds */
	memset(&tr, 0, sizeof(tr));
	tr.gpa = AREA;
	ASSERT_EQ(0, mhv_translate(g.vm_fd, &tr));
	EXPECT_NE(0, tr.hpa);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
	free(dump);
}

TEST_HARNESS_MAIN
