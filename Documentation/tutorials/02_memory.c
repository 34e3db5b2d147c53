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
 * 4. Memory statistics from the VM's stats fd (MHV_GET_STATS_FD): pages
 *    mapped, page-table pages, nested page faults and how long the
 *    module took to fill them (a log2 latency histogram), read with
 *    pread() as a monitoring tool would.
 *
 * The guest is an ordinary C function of this program (mhv_guest.h).
 * Build: make; run as root with multios_hv loaded (`make check` runs it).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

/* Returns the page size mapping @gpa: 0 when nothing maps it. */
static uint64_t show_translation(int vm_fd, uint64_t gpa)
{
	struct mhv_translate tr;

	memset(&tr, 0, sizeof(tr));
	tr.gpa = gpa;
	if (mhv_translate(vm_fd, &tr)) {
		printf("  MHV_TRANSLATE failed\n");
		return ~0ULL;
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
	return tr.page_size;
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

/* Memory statistics of the VM's stats fd, read now. */
struct memstats {
	uint64_t pages_mapped, page_tables, npf, allocated;
};

static int read_memstats(struct mhv_stats_reader *r, struct memstats *m)
{
	if (mhv_stats_refresh(r))
		return -1;
	m->pages_mapped = mhv_stats_value(r, "pages_mapped");
	m->page_tables = mhv_stats_value(r, "page_tables");
	m->npf = mhv_stats_value(r, "exits_npf");
	m->allocated = mhv_stats_value(r, "memory_allocated");
	printf("  stats fd: %llu pages mapped (%llu KiB), %llu page-table pages, %llu nested page faults\n",
	       (unsigned long long)m->pages_mapped,
	       (unsigned long long)m->pages_mapped * 4,
	       (unsigned long long)m->page_tables,
	       (unsigned long long)m->npf);
	return 0;
}

static void show_fault_latency(struct mhv_stats_reader *r)
{
	const struct mhv_stat_field *f = mhv_stats_find(r, "exit_latency_npf");
	const uint64_t *b;
	unsigned int i;

	if (!f)
		return;
	b = mhv_stats_values(r, f);
	printf("  time to fill a nested page fault (%llu faults, p50 ~%.0f ns, p99 ~%.0f ns):\n",
	       (unsigned long long)mhv_hist_count(b, f->size),
	       mhv_hist_percentile(b, f->size, 50),
	       mhv_hist_percentile(b, f->size, 99));
	for (i = 0; i < f->size; i++)
		if (b[i])
			printf("    %9llu-%-9llu ns: %llu\n",
			       i ? 1ULL << i : 0ULL, (2ULL << i) - 1,
			       (unsigned long long)b[i]);
}

int main(void)
{
	const struct mhv_stat_field *lat;
	struct mhv_stats_reader sr;
	struct mhv_vcpu_stats st;
	struct memstats m[3];
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_vm_info info;
	uint64_t npf[3], before, after;
	char buf[2048];
	int r, i, sfd, ok = 1;

	r = mhv_guest_create(&g, "memory tutorial", 1, 64, guest_main, 0);
	if (r) {
		/* the same advice as mhv's, e.g. when KVM holds the CPU */
		fprintf(stderr, "tutorial 2: cannot create the guest: %s\n%s%s",
			strerror(-r), mhv_create_vm_hint(r),
			*mhv_create_vm_hint(r) ? "\n" : "");
		return 1;
	}
	/* the VM's statistics: a file of self-describing counters */
	sfd = mhv_get_stats_fd(g.vm_fd);
	if (sfd < 0 || mhv_stats_open(&sr, sfd)) {
		fprintf(stderr, "tutorial 2: no stats fd\n");
		return 1;
	}

	printf("Step 1: the second-level page tables\n");
	if (run_to(&g, MHV_UCALL_SYNC, &uc))
		return 1;
	before = show_translation(g.vm_fd, AREA);
	if (sample(&g, "after setup:", &npf[0]) || read_memstats(&sr, &m[0]))
		return 1;

	printf("Step 2: faults filled on demand\n");
	for (i = 1; i <= 2; i++) {
		if (run_to(&g, MHV_UCALL_SYNC, &uc) ||
		    uc.args[0] != (uint64_t)i)
			return 1;
		if (sample(&g, i == 1 ? "after touching 16 pages:" :
				 "after touching them again:", &npf[i]) ||
		    read_memstats(&sr, &m[i]))
			return 1;
	}
	after = show_translation(g.vm_fd, AREA);
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

	printf("Step 4: memory statistics from the stats fd\n");
	if (mhv_get_vm_info(g.vm_fd, &info) || mhv_stats_refresh(&sr))
		return 1;
	printf("  %llu MiB in memory slots, %llu KiB mapped: %.2f%% of it touched\n",
	       (unsigned long long)m[2].allocated >> 20,
	       (unsigned long long)m[2].pages_mapped * 4,
	       100.0 * m[2].pages_mapped * 4096 / m[2].allocated);
	show_fault_latency(&sr);

	/* what the tutorial teaches must hold */
	if (before != 0 || after != 4096) {
		fprintf(stderr, "tutorial 2: AREA mapped %llu before, %llu after\n",
			(unsigned long long)before, (unsigned long long)after);
		ok = 0;
	}
	if (npf[1] - npf[0] < PAGES || npf[2] != npf[1]) {
		fprintf(stderr, "tutorial 2: faults %llu then %llu\n",
			(unsigned long long)(npf[1] - npf[0]),
			(unsigned long long)(npf[2] - npf[1]));
		ok = 0;
	}
	/* the stats fd and MHV_GET_VM_INFO count the same faults and pages */
	for (i = 0; i < 3; i++)
		if (m[i].npf != npf[i])
			ok = 0;
	if (m[1].pages_mapped - m[0].pages_mapped < PAGES ||
	    m[2].pages_mapped != m[1].pages_mapped ||
	    mhv_stats_value(&sr, "pages_mapped") * 4096 != info.memory_used ||
	    m[2].allocated != info.memory_allocated) {
		fprintf(stderr, "tutorial 2: stats fd pages %llu %llu %llu, GET_VM_INFO %llu bytes\n",
			(unsigned long long)m[0].pages_mapped,
			(unsigned long long)m[1].pages_mapped,
			(unsigned long long)m[2].pages_mapped,
			(unsigned long long)info.memory_used);
		ok = 0;
	}
	/* every fault in the histogram of its handling time */
	lat = mhv_stats_find(&sr, "exit_latency_npf");
	if (!lat || mhv_hist_count(mhv_stats_values(&sr, lat), lat->size) !=
		    mhv_stats_value(&sr, "exits_npf"))
		ok = 0;
	mhv_stats_close(&sr);
	close(sfd);
	mhv_guest_destroy(&g);
	return ok ? 0 : 1;
}
