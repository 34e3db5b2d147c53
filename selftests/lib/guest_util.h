/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Selftest helpers around mhv_guest: run a vCPU and check what it said.
 */
#ifndef _MHV_GUEST_UTIL_H
#define _MHV_GUEST_UTIL_H

#include <errno.h>
#include <string.h>
#include "libmultios_hv.h"
#include "mhv_guest.h"
#include "test_util.h"

/*
 * Run vCPU @i of @g and expect guest call @want. A guest assertion, an
 * unexpected exit or a failed RUN fails the test with a clear log.
 */
#define EXPECT_UCALL(g, i, uc, want) do {				\
	int __r = mhv_guest_run((g), (i), (uc));			\
	if (__r == MHV_UCALL_ASSERT)					\
		TH_LOG("guest assertion failed: %s at %s:%lu (0x%lx, 0x%lx)", \
		       (uc)->expr, (uc)->file, (unsigned long)(uc)->line, \
		       (unsigned long)(uc)->args[0],			\
		       (unsigned long)(uc)->args[1]);			\
	else if (__r == 0)						\
		TH_LOG("unexpected exit %s at RIP 0x%llx",		\
		       mhv_exit_reason_name((g)->vcpu[i].run->exit_reason),	\
		       (unsigned long long)(g)->vcpu[i].run->exit_rip);	\
	else if (__r < 0)						\
		TH_LOG("MHV_RUN: %s", strerror(-__r));			\
	ASSERT_EQ((want), __r);						\
} while (0)

#endif
