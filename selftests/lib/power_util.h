/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the power_* selftests: a vCPU that keeps running a guest
 * making exits, on a thread the test moves between CPUs, and what the
 * module says about each CPU (debugfs multios_hv/hw).
 */
#ifndef _MHV_POWER_UTIL_H
#define _MHV_POWER_UTIL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "mhv_guest.h"

#define MHV_DEBUGFS_HW	"/sys/kernel/debug/multios_hv/hw"

/*
 * Guest: CPUID exits (completed in the kernel) and a GUEST_SYNC(i) to
 * userspace, over and over, until the host sets spin_guest_stop; then
 * GUEST_DONE.
 */
extern volatile uint64_t spin_guest_stop;
void spin_guest(uint64_t arg);

/* vCPU 0 of @g running spin_guest on its own thread. */
struct spin_runner {
	struct mhv_guest *g;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint64_t syncs;		/* (lock) GUEST_SYNCs so far */
	int last_cpu;		/* (lock) host CPU of the last one */
	uint64_t interrupted;	/* (lock) RUNs that returned EINTR */
	bool done;		/* (lock) the run is over: see result */
	int result;		/* (lock) MHV_UCALL_DONE, 0, or -errno */
	volatile int abort;	/* set before the SIGUSR1 that ends it */
};

/* Start the thread, pinned to @cpu (-1: any CPU). 0 or -errno. */
int spin_start(struct spin_runner *r, struct mhv_guest *g, int cpu);

/* Pin the running thread to @cpu. 0 or -errno. */
int spin_pin(struct spin_runner *r, int cpu);

/*
 * Wait until the guest made @n more GUEST_SYNCs, the last one with the
 * thread on @cpu (-1: any). 0, -ETIMEDOUT after @secs, or -ECHILD when
 * the run ended first (r->result says how).
 */
int spin_wait(struct spin_runner *r, uint64_t n, int cpu, int secs);

/* Wait up to @secs for the run to end by itself; its result or -ETIMEDOUT. */
int spin_wait_end(struct spin_runner *r, int secs);

/*
 * Tell the guest to finish, wait for the thread (forcing it out with a
 * signal after @secs) and return how the run ended.
 */
int spin_stop(struct spin_runner *r, int secs);

/*
 * Count the online CPUs whose multios_hv/hw line says module=@module and
 * hw=@hw ("on"/"off"); -errno if the file cannot be read. *@online gets
 * the number of CPU lines.
 */
int hw_count_cpus(const char *module, const char *hw, int *online);

/* Write @text to @path. 0 or -errno. */
int write_text(const char *path, const char *text);

/* Does the kernel log, after the last line containing @mark, contain @text? */
bool dmesg_after_has(const char *mark, const char *text);

#endif
