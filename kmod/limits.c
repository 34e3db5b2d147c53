// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - information and resource limits.
 *
 * What an unprivileged caller may learn about the host (host-side values
 * in the state dump, host-physical addresses from TRANSLATE), how guest
 * memory pins are charged to RLIMIT_MEMLOCK and which mappings may back
 * a slot, and how much a guest or a caller can write to the kernel log.
 * Documentation/security.rst ("Information and resource limits") gives
 * the rules; this file is the one place that applies them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "mhv.h"

/* ---- host-side values ------------------------------------------------- */

/**
 * mhv_caller_sees_host() - may the current caller see host-side values?
 *
 * Host-side values are the host's own state (its RIP, RSP, CR3, segment
 * and descriptor-table bases, ...) and host-physical addresses (control
 * blocks, permission maps, nested_cr3/EPTP, TRANSLATE's hpa): the same
 * class of information the kernel keeps from /proc/PID/pagemap and %p
 * without CAP_SYS_ADMIN. The capability of the task making the ioctl is
 * what counts, not the opener's: an fd passed to (or inherited by) an
 * unprivileged process shows it nothing more. Not audited: lacking the
 * capability only hides values, it refuses nothing.
 */
bool mhv_caller_sees_host(void)
{
	return has_capability_noaudit(current, CAP_SYS_ADMIN);
}

/**
 * mhv_dump_host() - a host-side value as the state dump may show it.
 * @show_host: the reader may see host-side values
 * @val:       the value
 *
 * Vendor dumps pass every host-side field through this; hidden values
 * read as 0, and mhv_dump_header() says so at the top of the dump.
 */
u64 mhv_dump_host(bool show_host, u64 val)
{
	return show_host ? val : 0;
}

/* The first line of every state dump: are host-side values shown? */
size_t mhv_dump_header(char *buf, size_t size, bool show_host)
{
	static const char what[] =
		"host-side values (host state, physical addresses, nested_cr3/EPTP)";

	return scnprintf(buf, size, "%s: %s\n", what, show_host ? "shown" :
			 "hidden: needs CAP_SYS_ADMIN (shown as 0)");
}
