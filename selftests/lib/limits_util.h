/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the limits_* and leak_* selftests: the module's own
 * counters, the process's locked-memory counter, kernel log lines,
 * an unprivileged child.
 */
#ifndef _MHV_LIMITS_UTIL_H
#define _MHV_LIMITS_UTIL_H

#include <stdbool.h>

/* /sys/kernel/debug/multios_hv/counters (see kmod/memstat.c) */
struct mhv_counters {
	long pages;	/* pages the module allocated and still holds */
	long pinned;	/* guest pages pinned */
	long vms;	/* VMs alive */
	long vcpus;	/* vCPUs alive */
};

/* Read the counters; 0 or -errno (-ENOENT: no debugfs). */
int mhv_counters_read(struct mhv_counters *c);

/* A "Key:   N kB" line of /proc/self/status in kB, -1 if missing. */
long proc_status_kb(const char *key);

/* Kernel log lines that contain @needle, -1 if the log is unreadable. */
int dmesg_count_lines(const char *needle);

/*
 * Become user and group 65534 ("nobody") with no supplementary groups:
 * every capability is gone. 0 or -errno.
 */
int drop_to_nobody(void);

/*
 * For a forked child that cannot use the harness's EXPECT_*: print the
 * failed condition to stderr and count it in @fails.
 */
#define CHILD_CHECK(fails, cond, ...) do {				\
	if (!(cond)) {							\
		fprintf(stderr, "child: %s:%d: %s: ", __FILE__,	\
			__LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n");					\
		(fails)++;						\
	}								\
} while (0)

#endif
