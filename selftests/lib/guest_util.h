/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Selftest helpers around mhv_guest: run a vCPU and check what it said.
 */
#ifndef _MHV_GUEST_UTIL_H
#define _MHV_GUEST_UTIL_H

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "libmultios_hv.h"
#include "mhv_guest.h"
#include "test_util.h"

/* Log an unexpected result of mhv_guest_run() @r: the guest call in full. */
#define GUEST_RUN_LOG(g, i, uc, r) do {					\
	char __line[512];						\
	if ((r) > 0) {							\
		mhv_ucall_format((uc), __line, sizeof(__line));		\
		TH_LOG("%s", __line);					\
	} else if ((r) == 0) {						\
		TH_LOG("exit %s at RIP 0x%llx",				\
		       mhv_exit_reason_name((g)->vcpu[i].run->exit_reason), \
		       (unsigned long long)(g)->vcpu[i].run->exit_rip);	\
	} else {							\
		TH_LOG("MHV_RUN: %s", strerror(-(r)));			\
	}								\
} while (0)

/*
 * Run vCPU @i of @g and expect guest call @want. A guest assertion (its
 * expression, file and line), another guest call, an exit or a failed
 * RUN fails the test with a clear log.
 */
#define EXPECT_UCALL(g, i, uc, want) do {				\
	int __r = mhv_guest_run((g), (i), (uc));			\
	if (__r != (want))						\
		GUEST_RUN_LOG((g), (i), (uc), __r);			\
	ASSERT_EQ((want), __r);						\
} while (0)

/*
 * Run vCPU @i of @g and expect an exit to userspace with @reason that is
 * not a guest call; anything else fails the test as EXPECT_UCALL does.
 */
#define EXPECT_EXIT(g, i, uc, reason) do {				\
	int __r = mhv_guest_run((g), (i), (uc));			\
	if (__r || (g)->vcpu[i].run->exit_reason != (reason))		\
		GUEST_RUN_LOG((g), (i), (uc), __r);			\
	ASSERT_EQ(0, __r);						\
	ASSERT_EQ((reason), (g)->vcpu[i].run->exit_reason);		\
} while (0)


/*
 * A guest of 64 MiB mapped with 4 KiB pages, @nr_vcpus vCPUs, the VM
 * features @features (MHV_VM_F_IRQCHIP for the platform tests), every
 * vCPU at @entry(@arg): mhv_guest_create_config() with that config.
 */
static inline int guest_create_features(struct mhv_guest *g,
					const char *name,
					unsigned int nr_vcpus,
					uint32_t features,
					void (*entry)(uint64_t), uint64_t arg)
{
	struct mhv_vm_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	cfg.vcpu_count = nr_vcpus;
	cfg.memory_mb = 64 + MHV_GUEST_EXTRA_MB;
	cfg.arch = MHV_ARCH_X86_64;
	cfg.features = features;
	cfg.page_size = MHV_PAGE_SIZE_4K;
	return mhv_guest_create_config(g, &cfg, 64, entry, arg);
}
/*
 * Wait until the guest's copy of @addr (a global of this program: the
 * guest has it at the same address) differs from @old, i.e. the guest is
 * running and has counted. Spins, yielding the CPU. Returns 0, -EFAULT
 * when @addr is not in guest memory, -ETIMEDOUT after @secs seconds.
 */
static inline int guest_wait_change(struct mhv_guest *g,
				    const volatile uint64_t *addr,
				    uint64_t old, int secs)
{
	volatile uint64_t *p = mhv_guest_ptr(g, (uint64_t)(uintptr_t)addr);
	struct timespec t0, t;

	if (!p)
		return -EFAULT;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (*p == old) {
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > secs)
			return -ETIMEDOUT;
	}
	return 0;
}

/* Port I/O from guest code (the guest's own IN and OUT). */
static inline void guest_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint8_t guest_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline void guest_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint16_t guest_inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline void guest_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint32_t guest_inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

/*
 * Wait until the statistic @name of vCPU fd @vcpu_fd (its binary stats
 * fd, readable while another thread is inside MHV_RUN) is at least @min:
 * the vCPU reached a state (asleep waiting for a SIPI, in HLT, ...).
 * Returns 0, -ETIMEDOUT after @secs seconds, or -errno.
 */
static inline int vcpu_stat_wait(int vcpu_fd, const char *name,
				 uint64_t min, int secs)
{
	struct mhv_stats_reader r;
	struct timespec t0, t;
	int fd = mhv_get_vcpu_stats_fd(vcpu_fd), ret;

	if (fd < 0)
		return fd;
	ret = mhv_stats_open(&r, fd);
	if (ret) {
		close(fd);
		return ret;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!(ret = mhv_stats_refresh(&r)) &&
	       mhv_stats_value(&r, name) < min) {
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > secs) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	mhv_stats_close(&r);
	close(fd);
	return ret;
}

#endif
