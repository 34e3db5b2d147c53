/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mhv run: what run.c (options, config, image) and vm_run.c (the guest)
 * share.
 */
#ifndef _MHV_RUN_H
#define _MHV_RUN_H

#include <stddef.h>

#include "libmultios_hv.h"

#define MHV_RUN_STR2(x)		#x
#define MHV_RUN_STR(x)		MHV_RUN_STR2(x)

#define MHV_RUN_LOAD_ADDR	0x1000	/* the image's guest-physical address */
#define MHV_RUN_STACK_TOP	0xfff0	/* SS:SP 0000:FFF0 */
#define MHV_RUN_COM1		0x3f8	/* console ports */
#define MHV_RUN_DEBUG_PORT	0xe9
#define MHV_RUN_DEFAULT_TIMEOUT	10	/* seconds */
#define MHV_RUN_MAX_TIMEOUT	(365UL * 24 * 3600)
#define MHV_RUN_DEFAULT_MAX_EXITS 1000000

/*
 * Run @image (@len bytes, not empty) as configured by @cfg (one vCPU)
 * and print its console and summary. Returns mhv's exit status.
 */
int run_guest(int sys_fd, const struct mhv_vm_config *cfg,
	      const void *image, size_t len, unsigned long max_exits,
	      unsigned int timeout_s);

#endif
