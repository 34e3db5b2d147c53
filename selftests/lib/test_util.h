/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the multios_hv selftests (run inside the test VM).
 */
#ifndef _MHV_TEST_UTIL_H
#define _MHV_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/multios_hv.h>
#include "libmultios_hv.h"	/* mhv_open_system() and friends */

/* True when /proc/cpuinfo's first CPU lists @flag (flags or vmx flags). */
bool cpuinfo_has_flag(const char *flag);

/*
 * Count kernel log lines that mean something went wrong (WARNING:, BUG:,
 * Oops, Call Trace, general protection fault). Returns the count, or
 * -errno when the log cannot be read.
 */
int dmesg_count_problems(void);

/* The whole kernel log, NUL-terminated, to free(); NULL if unreadable. */
char *dmesg_read(void);

/*
 * /dev/kmsg opened at its end: kmsg_find() then sees only the kernel log
 * records written after this call. Returns the fd or -errno.
 */
int kmsg_open_new(void);

/*
 * Read the records @fd has not read yet; true once one of them contains
 * @a (and @b, unless NULL).
 */
bool kmsg_find(int fd, const char *a, const char *b);

/* References the kernel holds on multios_hv.ko, -1 if unknown. */
int module_refcnt(void);

/*
 * Interrupts of kind @name (the tag of a /proc/interrupts line: "CAL" for
 * function-call IPIs, "LOC", ...) CPU @cpu has taken; -errno if unknown.
 */
long irq_count(const char *name, int cpu);

/*
 * Run @cmd through sh: its exit status (-1 when it did not exit), its
 * stdout and stderr, NUL-terminated and cut to @len, in @out.
 */
int run_cmd(const char *cmd, char *out, size_t len);

/* Write @len bytes of @data to the file @path: 0 or -1. */
int write_file(const char *path, const void *data, size_t len);

/* Path of multios_hv.ko inside the test VM ($MHV_MODULE). */
const char *mhv_module_path(void);
/* finit_module() of mhv_module_path() with @params: 0 or -errno */
int mhv_load_module(const char *params);

/*
 * The emulator the test VM runs in ($MHV_LANE, from mhv.lane=): "qemu",
 * "bochs" (VT-x lane) or "bochs-svm". True if it starts with @prefix.
 */
bool test_lane_is(const char *prefix);

/* Best effort: unload kvm_amd/kvm_intel and kvm (the next test starts
 * from a host without KVM).
 */
void kvm_unload(void);

/* A VM of the default configuration named @name: its fd, or -errno. */
int mhv_test_create_vm(const char *name);

#endif
