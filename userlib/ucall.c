// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - a guest call (mhv_guest.h) as one line of text.
 */
#include <stdio.h>

#include "mhv_guest.h"

int mhv_ucall_format(const struct mhv_ucall *uc, char *buf, size_t size)
{
	const char *file = uc->file ? uc->file : "?";
	unsigned long line = (unsigned long)uc->line;
	unsigned long long a0 = uc->args[0], a1 = uc->args[1];

	switch (uc->cmd) {
	case MHV_UCALL_ASSERT:
		return snprintf(buf, size,
				"guest assertion failed: %s at %s:%lu (0x%llx, 0x%llx)",
				uc->expr ? uc->expr : "?", file, line, a0, a1);
	case MHV_UCALL_SYNC:
		return snprintf(buf, size, "guest sync (0x%llx, 0x%llx) at %s:%lu",
				a0, a1, file, line);
	case MHV_UCALL_DONE:
		return snprintf(buf, size, "guest done at %s:%lu", file, line);
	default:
		return snprintf(buf, size, "unknown guest call %llu at %s:%lu",
				(unsigned long long)uc->cmd, file, line);
	}
}
