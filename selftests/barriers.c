// SPDX-License-Identifier: GPL-2.0
/*
 * world_switch_barriers, the module's read-only parameter (what
 * mhv-bench prints): only names of barriers the vendor's world switch
 * has, each once, "none" only alone; and each agrees with what the
 * kernel chose for itself and KVM: the RSB refill after every exit when
 * the kernel logged that it fills the RSB on VMEXIT ("Filling RSB on
 * [context switch and] VMEXIT"; the lite refill, VT-x only, when it
 * logged "single CALL on VMEXIT"), the IBPB on a vCPU switch
 * when /sys/devices/system/cpu/vulnerabilities/spectre_v2 reports IBPB
 * as conditional or always-on. A value given at load time is refused,
 * not called through a missing setter.
 */
#define _GNU_SOURCE	/* memmem */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/multios_hv.h>
#include "kselftest_harness.h"
#include "libmultios_hv.h"
#include "test_util.h"

#define PARAM		"/sys/module/multios_hv/parameters/world_switch_barriers"
#define SPECTRE_V2	"/sys/devices/system/cpu/vulnerabilities/spectre_v2"

static const char *const svm_names[] = {
	"ibpb-on-vcpu-switch", "verw-before-entry", "rsb-fill-after-exit",
	"untrain-ret-after-exit", "ibpb-after-exit", NULL,
};
static const char *const vmx_names[] = {
	"ibpb-on-vcpu-switch", "verw-before-entry", "l1d-flush-before-entry",
	"rsb-fill-after-exit", "rsb-fill-lite-after-exit",
	"bhb-clear-after-exit", NULL,
};

static void read_text(struct __test_metadata *_metadata, const char *path,
		      char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	ASSERT_NE(NULL, f) TH_LOG("%s", path);
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
}

/* @word is one of the space-separated words of @list */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

/* some line of @log holds both @a and @b */
static bool log_line_has(const char *log, const char *a, const char *b)
{
	const char *p = log, *end;

	while ((p = strstr(p, a))) {
		const char *start = p;

		while (start > log && start[-1] != '\n')
			start--;
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		if (memmem(start, end - start, b, strlen(b)))
			return true;
		p = end;
	}
	return false;
}

static enum mhv_virt virt(struct __test_metadata *_metadata)
{
	struct mhv_caps caps;
	int fd = mhv_open_system();

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, mhv_get_caps(fd, &caps));
	close(fd);
	return caps.virt;
}

TEST(only_known_names)
{
	const char *const *names = virt(_metadata) == MHV_VIRT_VMX ?
				   vmx_names : svm_names;
	char buf[512], *w, *save;
	int count = 0, none = 0, i;

	read_text(_metadata, PARAM, buf, sizeof(buf));
	TH_LOG("world_switch_barriers: %s", buf);
	ASSERT_NE(NULL, strchr(buf, '\n'));
	for (w = strtok_r(buf, " \n", &save); w;
	     w = strtok_r(NULL, " \n", &save)) {
		bool known = !strcmp(w, "none");

		none += known;
		for (i = 0; names[i]; i++)
			known |= !strcmp(w, names[i]);
		EXPECT_TRUE(known) TH_LOG("unknown barrier \"%s\"", w);
		EXPECT_FALSE(has_word(save, w)) TH_LOG("\"%s\" twice", w);
		count++;
	}
	ASSERT_GE(count, 1);
	if (none)
		EXPECT_EQ(1, count);
}

TEST(what_the_kernel_chose)
{
	char buf[512], v2[512], *klog;
	int size = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
	bool rsb, lite, ibpb;

	ASSERT_GT(size, 0);
	klog = calloc(1, size + 1);
	ASSERT_NE(NULL, klog);
	ASSERT_GT(klogctl(3, klog, size), 0);	/* SYSLOG_ACTION_READ_ALL */
	rsb = log_line_has(klog, "Filling RSB on", "VMEXIT");
	lite = log_line_has(klog, "single CALL on", "VMEXIT");
	free(klog);
	read_text(_metadata, PARAM, buf, sizeof(buf));
	read_text(_metadata, SPECTRE_V2, v2, sizeof(v2));
	ibpb = strstr(v2, "IBPB: conditional") || strstr(v2, "IBPB: always-on");
	TH_LOG("barriers: %sspectre_v2: %skernel log: RSB fill %d, lite %d",
	       buf, v2, rsb, lite);
	EXPECT_EQ(rsb, has_word(buf, "rsb-fill-after-exit"));
	if (virt(_metadata) == MHV_VIRT_VMX)
		EXPECT_EQ(lite && !rsb, has_word(buf, "rsb-fill-lite-after-exit"));
	EXPECT_EQ(ibpb, has_word(buf, "ibpb-on-vcpu-switch"));
}

/*
 * The parameter is read-only: a value on the module's command line is
 * refused (it had no set operation, and the kernel's parser calls it
 * without checking: an oops in insmod).
 */
TEST(value_at_load_is_refused)
{
	char buf[256];

	ASSERT_EQ(0, syscall(SYS_delete_module, "multios_hv", O_NONBLOCK));
	EXPECT_EQ(-EPERM, mhv_load_module("world_switch_barriers=none"));
	ASSERT_EQ(0, mhv_load_module(""));
	read_text(_metadata, PARAM, buf, sizeof(buf));
	EXPECT_NE(0, strlen(buf));
}

TEST_HARNESS_MAIN
