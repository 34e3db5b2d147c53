// SPDX-License-Identifier: GPL-2.0
/*
 * Tutorial 2: Memory virtualization deep dive.
 *
 * 1. Examine the second-level page tables (NPT on AMD, EPT on Intel):
 *    before the guest touches a page nothing maps it; afterwards
 *    MHV_TRANSLATE shows the host-physical page behind it.
 * 2. Handle second-level faults: every first touch of a page is one
 *    nested page fault / EPT violation, filled by the module on demand;
 *    touching the same pages again costs nothing.
 * 3. Performance analysis: memory allocated vs used, and the vCPU's exit
 *    counters, sampled as the guest works.
 *
 * The guest is an ordinary C function of this program (mhv_guest.h).
 * Build: make; run as root with multios_hv loaded (`make check` runs it).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libmultios_hv.h"
#include "mhv_guest.h"

#define AREA	0x2000000ULL	/* 32 MiB into guest-physical memory */
#define PAGES	16

static void guest_main(uint64_t arg __attribute__((unused)))
{
	int round, i;

	GUEST_SYNC(0);			/* setup done: code and stack mapped */
	for (round = 1; round <= 2; round++) {
		for (i = 0; i < PAGES; i++)
			*(volatile uint64_t *)(AREA + i * 4096ULL) = round;
		GUEST_SYNC(round);
	}
	GUEST_DONE();
}

static void show_translation(int vm_fd, uint64_t gpa)
{
	struct mhv_translate tr;

	memset(&tr, 0, sizeof(tr));
	tr.gpa = gpa;
	if (mhv_translate(vm_fd, &tr)) {
		printf("  MHV_TRANSLATE failed\n");
		return;
	}
	if (!tr.page_size)
		printf("  guest-physical 0x%08llx: not mapped (slot %d)\n",
		       (unsigned long long)gpa, (int)tr.slot);
	else
		printf("  guest-physical 0x%08llx -> host-physical 0x%llx, %llu KiB page, level %u, %c%c%c\n",
		       (unsigned long long)gpa, (unsigned long long)tr.hpa,
		       (unsigned long long)tr.page_size >> 10, tr.level,
		       tr.prot & MHV_PROT_READ ? 'r' : '-',
		       tr.prot & MHV_PROT_WRITE ? 'w' : '-',
		       tr.prot & MHV_PROT_EXEC ? 'x' : '-');
}

/*
 * Run the vCPU to the guest call @want. Anything else is said on stderr:
 * a failed GUEST_ASSERT with its expression, file and line.
 */
static int run_to(struct mhv_guest *g, int want, struct mhv_ucall *uc)
{
	char line[512];
	int r = mhv_guest_run(g, 0, uc);

	if (r == want)
		return 0;
	if (r > 0) {
		mhv_ucall_format(uc, line, sizeof(line));
		fprintf(stderr, "tutorial 2: %s\n", line);
	} else if (r == 0) {
		fprintf(stderr, "tutorial 2: unexpected exit %s\n",
			mhv_exit_reason_name(g->vcpu[0].run->exit_reason));
	} else {
		fprintf(stderr, "tutorial 2: MHV_RUN: %s\n", strerror(-r));
	}
	return -1;
}

static int sample(struct mhv_guest *g, const char *when, uint64_t *npf)
{
	struct mhv_vm_info info;

	if (mhv_get_vm_info(g->vm_fd, &info))
		return -1;
	printf("  %-28s faults %4llu, used %5llu KiB of %llu MiB (%.2f%%)\n",
	       when, (unsigned long long)info.npf_count,
	       (unsigned long long)info.memory_used >> 10,
	       (unsigned long long)info.memory_allocated >> 20,
	       100.0 * info.memory_used / info.memory_allocated);
	*npf = info.npf_count;
	return 0;
}

int main(void)
{
	struct mhv_vcpu_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t npf[3];
	char buf[2048];
	int r, i;

	r = mhv_guest_create(&g, "memory tutorial", 1, 64, guest_main, 0);
	if (r) {
		fprintf(stderr, "tutorial 2: cannot create the guest: %s\n",
			strerror(-r));
		return 1;
	}

	printf("Step 1: the second-level page tables\n");
	if (run_to(&g, MHV_UCALL_SYNC, &uc))
		return 1;
	show_translation(g.vm_fd, AREA);
	if (sample(&g, "after setup:", &npf[0]))
		return 1;

	printf("Step 2: faults filled on demand\n");
	for (i = 1; i <= 2; i++) {
		if (run_to(&g, MHV_UCALL_SYNC, &uc) ||
		    uc.args[0] != (uint64_t)i)
			return 1;
		if (sample(&g, i == 1 ? "after touching 16 pages:" :
				 "after touching them again:", &npf[i]))
			return 1;
	}
	show_translation(g.vm_fd, AREA);
	show_translation(g.vm_fd, AREA + (PAGES - 1) * 4096ULL);
	printf("  first touch: %llu faults (16 data pages, plus code or stack used for the first time), second touch: %llu\n",
	       (unsigned long long)(npf[1] - npf[0]),
	       (unsigned long long)(npf[2] - npf[1]));

	printf("Step 3: what the vCPU did\n");
	if (run_to(&g, MHV_UCALL_DONE, &uc) ||
	    mhv_get_vcpu_stats(g.vcpu[0].fd, &st))
		return 1;
	mhv_stats_format(&st, buf, sizeof(buf));
	fputs(buf, stdout);
	mhv_guest_destroy(&g);

	/* what the tutorial teaches must hold */
	return npf[1] - npf[0] >= PAGES && npf[2] == npf[1] ? 0 : 1;
}
