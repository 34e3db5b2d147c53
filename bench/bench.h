/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV benchmarks: the same guest code under multios_hv and KVM.
 */
#ifndef _MHV_BENCH_H
#define _MHV_BENCH_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_LOAD_ADDR		0x1000
#define BENCH_STACK_TOP		0xfff0		/* SS:SP 0000:FFF0 */
#define BENCH_MEM_SIZE		(1024 * 1024)	/* real mode: 1 MiB */
#define BENCH_RAM_SIZE		0xa0000		/* memory slot: 0 .. 640K */
#define BENCH_MMIO_SEG		0xa000		/* 0xa0000: no slot, MMIO */
#define BENCH_RESULT_ADDR	0x800

/* What a hypervisor backend does for one benchmark run. */
struct hv_ops {
	const char *name;
	/* fresh VM with BENCH_RAM_SIZE of memory holding @code at 0x1000 */
	int (*setup)(void **ctx, const uint8_t *code, size_t len);
	/*
	 * Run until HLT, answering port I/O and MMIO exits; count those.
	 * Returns 0 at HLT.
	 */
	int (*run)(void *ctx, uint64_t *user_exits);
	/* guest memory, for checking what the guest computed */
	uint8_t *(*mem)(void *ctx);
	/* ESI of the vCPU after the run */
	int (*get_esi)(void *ctx, uint32_t *esi);
	void (*teardown)(void *ctx);
};

extern const struct hv_ops mhv_hv_ops;
extern const struct hv_ops kvm_hv_ops;

#endif
