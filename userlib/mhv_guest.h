/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libmultios_hv - guests written as ordinary C functions.
 *
 * A program linked statically and without PIE (the selftests and the
 * examples are) can run its own functions as guest code: the loader
 * copies the program's loadable segments into guest memory at the same
 * addresses, builds identity-mapped long-mode page tables and a GDT, and
 * starts a vCPU at the function. Guest code must not call libc: it talks
 * to the host with GUEST_SYNC / GUEST_ASSERT / GUEST_DONE, a small call
 * over an I/O port (MHV_UCALL_PORT), like KVM's selftests do.
 *
 * Guest memory map (guest-physical = guest-virtual below 4 GiB):
 *   0x00001000  GDT                 0x00010000  page tables (6 pages)
 *   0x00100000  vCPU stacks, 64 KiB each, downwards from 0x00400000
 *   0x00400000  the program (its PT_LOAD segments), then free memory
 *   above the memory size: no slot, so accesses are MMIO exits
 */
#ifndef _MHV_GUEST_H
#define _MHV_GUEST_H

#include <stddef.h>
#include <stdint.h>
#include <linux/multios_hv.h>

#define MHV_UCALL_PORT		0x1f00
#define MHV_GUEST_MAX_VCPUS	16
#define MHV_GUEST_GDT		0x1000ULL
#define MHV_GUEST_PT		0x10000ULL
#define MHV_GUEST_STACK_TOP	0x400000ULL
#define MHV_GUEST_STACK_SIZE	0x10000ULL
#define MHV_GUEST_CODE_SEL	0x08
#define MHV_GUEST_DATA_SEL	0x10

enum mhv_ucall_cmd {
	MHV_UCALL_NONE = 0,
	MHV_UCALL_SYNC,		/* args[0..1]: values for the host */
	MHV_UCALL_ASSERT,	/* expr, file, line, args[0..1] */
	MHV_UCALL_DONE,
};

/* Lives on the guest stack; the host reads it through guest memory. */
struct mhv_ucall {
	uint64_t cmd;
	uint64_t args[4];
	const char *expr;	/* same address in guest and host */
	const char *file;
	uint64_t line;
};

static inline void mhv_guest_ucall(struct mhv_ucall *uc)
{
	__asm__ volatile("outl %%eax, %%dx"
			 : : "a"(0), "d"(MHV_UCALL_PORT), "D"(uc) : "memory");
}

#define GUEST_UCALL(_cmd, _a0, _a1, _expr) do {				\
	struct mhv_ucall __uc = {					\
		.cmd = (_cmd), .args = { (uint64_t)(_a0), (uint64_t)(_a1) }, \
		.expr = (_expr), .file = __FILE__, .line = __LINE__,	\
	};								\
	mhv_guest_ucall(&__uc);						\
} while (0)

#define GUEST_SYNC(v)		GUEST_UCALL(MHV_UCALL_SYNC, (v), 0, NULL)
#define GUEST_SYNC2(a, b)	GUEST_UCALL(MHV_UCALL_SYNC, (a), (b), NULL)
#define GUEST_DONE()		GUEST_UCALL(MHV_UCALL_DONE, 0, 0, NULL)
#define GUEST_ASSERT(e) do {						\
	if (!(e))							\
		GUEST_UCALL(MHV_UCALL_ASSERT, 0, 0, #e);		\
} while (0)
#define GUEST_ASSERT_EQ(a, b) do {					\
	uint64_t __a = (uint64_t)(a), __b = (uint64_t)(b);		\
	if (__a != __b)							\
		GUEST_UCALL(MHV_UCALL_ASSERT, __a, __b, #a " == " #b);	\
} while (0)

struct mhv_guest_vcpu {
	int fd;
	struct mhv_run *run;
};

struct mhv_guest {
	int sys_fd;
	int vm_fd;
	uint8_t *mem;		/* guest-physical 0 .. mem_size */
	size_t mem_size;
	unsigned int nr_vcpus;
	struct mhv_guest_vcpu vcpu[MHV_GUEST_MAX_VCPUS];
};

/* The VM's memory limit leaves this much beyond slot 0 for more slots. */
#define MHV_GUEST_EXTRA_MB	64

/*
 * Create a VM named @name with @nr_vcpus vCPUs and @mem_mb MiB of memory
 * in slot 0 at guest-physical 0 (limit @mem_mb + MHV_GUEST_EXTRA_MB),
 * load this program into it and put every vCPU in 64-bit mode at
 * @entry(@arg) on its own stack.
 * Returns 0 or -errno; on failure nothing is left open.
 */
int mhv_guest_create(struct mhv_guest *g, const char *name,
		     unsigned int nr_vcpus, unsigned int mem_mb,
		     void (*entry)(uint64_t), uint64_t arg);
void mhv_guest_destroy(struct mhv_guest *g);

/* Point vCPU @i at @entry(@arg) with a fresh stack. */
int mhv_guest_set_entry(struct mhv_guest *g, unsigned int i,
			void (*entry)(uint64_t), uint64_t arg);

/* Host pointer for guest-physical @gpa, NULL outside memory. */
void *mhv_guest_ptr(struct mhv_guest *g, uint64_t gpa);

/* Copy a host global into the guest's copy of it (same address). */
int mhv_guest_sync_global(struct mhv_guest *g, const void *addr, size_t len);

/*
 * Run vCPU @i until it makes a guest call or exits for another reason.
 * Returns the ucall command (> 0) with *uc filled, 0 for any other exit
 * (look at the run page), or -errno from MHV_RUN.
 */
int mhv_guest_run(struct mhv_guest *g, unsigned int i, struct mhv_ucall *uc);

/*
 * The guest call @uc as one line into @buf (snprintf's return value). A
 * failed GUEST_ASSERT reads "guest assertion failed: EXPR at FILE:LINE
 * (0xA0, 0xA1)", the two values of GUEST_ASSERT_EQ (0 for GUEST_ASSERT).
 */
int mhv_ucall_format(const struct mhv_ucall *uc, char *buf, size_t size);

/* Identity long-mode state, for tests that change one thing of it. */
int mhv_guest_long_mode_sregs(struct mhv_sregs *s);

#endif /* _MHV_GUEST_H */
