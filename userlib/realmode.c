// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - starting a vCPU in real mode (mhv run, the benchmark,
 * the tutorials and tests share this one setup).
 */
#include <errno.h>
#include <string.h>

#include "libmultios_hv.h"

#define REAL_MODE_LIMIT	0x100000u	/* 1 MiB: what real mode addresses */

/* The segment of a real-mode address below 1 MiB: offsets stay < 64 KiB. */
static void real_mode_segment(struct mhv_segment *s, uint32_t addr)
{
	s->selector = (uint16_t)((addr >> 4) & 0xf000);
	s->base = (uint64_t)s->selector << 4;
}

int mhv_vcpu_set_real_mode(int vcpu_fd, uint32_t entry, uint32_t stack)
{
	struct mhv_regs regs;
	struct mhv_sregs s;
	int r;

	if (entry >= REAL_MODE_LIMIT || stack >= REAL_MODE_LIMIT)
		return -EINVAL;
	r = mhv_get_sregs(vcpu_fd, &s);
	if (r)
		return r;
	real_mode_segment(&s.cs, entry);
	real_mode_segment(&s.ds, entry);
	real_mode_segment(&s.es, entry);
	real_mode_segment(&s.fs, entry);
	real_mode_segment(&s.gs, entry);
	real_mode_segment(&s.ss, stack);
	r = mhv_set_sregs(vcpu_fd, &s);
	if (r)
		return r;
	memset(&regs, 0, sizeof(regs));
	regs.rip = entry & 0xffff;
	regs.rsp = stack & 0xffff;
	regs.rflags = 2;		/* only the always-one bit: IF clear */
	return mhv_set_regs(vcpu_fd, &regs);
}
