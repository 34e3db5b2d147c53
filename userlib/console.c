// SPDX-License-Identifier: LGPL-2.1
/*
 * The UART output a return of MHV_RUN hands over in the run page
 * (run->console, bytes at MHV_RUN_CONSOLE_OFFSET).
 */
#include <errno.h>
#include <stddef.h>

#include "libmultios_hv.h"

int mhv_run_console(struct mhv_run *run, const void **data,
		    uint32_t *device, uint64_t *pos)
{
	uint32_t len = run->console.len;

	if (len > MHV_RUN_CONSOLE_MAX)
		return -EPROTO;
	if (data)
		*data = len ? (const uint8_t *)run + MHV_RUN_CONSOLE_OFFSET :
			      NULL;
	if (device)
		*device = run->console.device;
	if (pos)
		*pos = run->console.pos;
	run->console.len = 0;	/* taken: a second call finds none */
	return (int)len;
}
