/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV benchmarks: the same guest code under multios_hv and KVM.
 */
#ifndef _MHV_BENCH_H
#define _MHV_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define BENCH_LOAD_ADDR		0x1000
#define BENCH_STACK_TOP		0xfff0		/* SS:SP 0000:FFF0 */
#define BENCH_MEM_SIZE		(1024 * 1024)	/* real mode: 1 MiB */
#define BENCH_RAM_SIZE		0xa0000		/* memory slot: 0 .. 640K */
#define BENCH_MMIO_SEG		0xa000		/* 0xa0000: no slot, MMIO */
#define BENCH_RESULT_ADDR	0x800
#define BENCH_DEMO_GPA		0xa0000		/* the demo device, in MMIO */
#define BENCH_DEMO_STATUS	0x100		/* its status after reset:
						 * version 1 in bits 15:8
						 */

/* How the guest's memory is backed in the host. */
enum bench_backing {
	BENCH_BACK_ANON,	/* anonymous memory, 4K pages */
	BENCH_BACK_THP,		/* anonymous, 2M-aligned, MADV_HUGEPAGE */
	BENCH_BACK_1G,		/* hugetlbfs 1G pages (MAP_HUGE_1GB) */
};

/* The VM a benchmark run needs (both hypervisors alike). */
struct bench_guest {
	const uint8_t *code;	/* copied to BENCH_LOAD_ADDR, started there */
	size_t len;
	int flat32;		/* flat 32-bit protected mode, paging off;
				 * else real mode, SS:SP 0000:BENCH_STACK_TOP
				 */
	uint32_t page_size;	/* multios_hv: enum mhv_page_size (KVM maps
				 * what the backing allows)
				 */
	/*
	 * Slot 0 is BENCH_RAM_SIZE at 0, anonymous memory; slot 1, when
	 * big_size is not 0, big_size bytes at big_gpa: the caller's memory
	 * at big (bench_mem_alloc()), which outlives the VM.
	 */
	uint64_t big_gpa, big_size;
	uint8_t *big;
};

/* Second-level mappings, from the hypervisor's own statistics. */
struct bench_maps {
	uint64_t faults;	/* nested page faults filled (multios_hv) */
	uint64_t faults_4k;	/* ... that mapped a 4K, 2M, 1G page */
	uint64_t faults_2m;
	uint64_t faults_1g;
	uint64_t pages_2m;	/* 2M pages mapped now (KVM) */
	uint64_t pages_1g;	/* 1G pages mapped now (KVM) */
};
#define BENCH_UNKNOWN	UINT64_MAX	/* a bench_maps field not counted */

/* Guest memory of a run, from bench_mem_alloc(). */
struct bench_mem {
	uint8_t *base;		/* mem_size bytes, aligned as the backing */
	void *map;		/* what to munmap */
	size_t map_len;
};

int bench_mem_alloc(struct bench_mem *m, enum bench_backing b, size_t len);
void bench_mem_free(struct bench_mem *m);

/* Register memory slot @slot with the hypervisor of @vm. */
typedef int (*bench_set_slot_fn)(void *vm, uint32_t slot, uint64_t gpa,
				 uint64_t size, void *hva);
/*
 * Slot 0 (anonymous, BENCH_RAM_SIZE at 0, @g's code copied in) into
 * @mem and, when @g has one, slot 1; both registered through @set_slot.
 */
int bench_add_memory(struct bench_mem *mem, const struct bench_guest *g,
		     bench_set_slot_fn set_slot, void *vm);

/*
 * Flat 32-bit protected mode, paging off, for KVM's and multios_hv's
 * segment registers alike (the same field names): CS 0x08, data 0x10.
 */
#define BENCH_FLAT_SEG(seg, sel, typ) do {			\
	(seg).base = 0;						\
	(seg).limit = 0xffffffff;				\
	(seg).selector = (sel);					\
	(seg).type = (typ);					\
	(seg).present = 1;					\
	(seg).dpl = 0;						\
	(seg).db = 1;						\
	(seg).s = 1;						\
	(seg).l = 0;						\
	(seg).g = 1;						\
	(seg).avl = 0;						\
	(seg).unusable = 0;					\
} while (0)
#define BENCH_FLAT32_SREGS(sr) do {				\
	BENCH_FLAT_SEG((sr).cs, 0x08, 0xb);			\
	BENCH_FLAT_SEG((sr).ds, 0x10, 0x3);			\
	(sr).es = (sr).ds;					\
	(sr).fs = (sr).ds;					\
	(sr).gs = (sr).ds;					\
	(sr).ss = (sr).ds;					\
	(sr).cr0 |= 1;						\
} while (0)

/* What a hypervisor backend does for one benchmark run. */
struct hv_ops {
	const char *name;
	/* fresh VM and vCPU as @g says; @g->code at BENCH_LOAD_ADDR */
	int (*setup)(void **ctx, const struct bench_guest *g);
	/*
	 * Run until HLT, answering port I/O and MMIO exits; count those.
	 * Returns 0 at HLT.
	 */
	int (*run)(void *ctx, uint64_t *user_exits);
	/* the same vCPU starts again at BENCH_LOAD_ADDR (after a HLT) */
	int (*restart)(void *ctx);
	/* guest memory, for checking what the guest computed */
	uint8_t *(*mem)(void *ctx);
	/* ESI of the vCPU after the run */
	int (*get_esi)(void *ctx, uint32_t *esi);
	/* second-level mappings so far; BENCH_UNKNOWN where not counted */
	int (*maps)(void *ctx, struct bench_maps *m);
	/*
	 * An in-kernel demo device (MMIO) at BENCH_DEMO_GPA. NULL when the
	 * hypervisor has none (KVM): its run loop then answers every MMIO
	 * read as the device's status register would, in userspace.
	 */
	int (*add_demo)(void *ctx);
	/* guest reads the in-kernel demo device counted (with add_demo) */
	int (*demo_reads)(void *ctx, uint64_t *reads);
	void (*teardown)(void *ctx);
};

/*
 * An MMIO read the userspace run loop answers (both hypervisors): what
 * the demo device's status register gives; @data is the run page's 8.
 */
static inline void bench_answer_read(uint8_t *data, uint32_t len)
{
	uint32_t v = BENCH_DEMO_STATUS;

	memset(data, 0, 8);
	memcpy(data, &v, len < 4 ? len : 4);
}

extern const struct hv_ops mhv_hv_ops;
extern const struct hv_ops kvm_hv_ops;

#endif
