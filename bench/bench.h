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
