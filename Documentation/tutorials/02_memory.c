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
 * 5. Page sizes: the same workload (the guest touches 64 MiB) in a VM
 *    with each page_size policy, 4k, 2m and 1g, on memory backed by
 *    transparent huge pages (and a 1 GiB hugetlbfs page for 1g, when one
 *    is reserved: echo 1 >
 *    /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages): the
 *    faults taken, by page size, and the time, side by side.
 *
 * The guest is an ordinary C function of this program (mhv_guest.h).
 * Build: make; run as root with multios_hv loaded (`make check` runs it).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
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

#define BIG_GPA		(1ULL << 30)	/* 1 GiB: aligned for every size */
#define BIG_TOUCH	(64ULL << 20)
#define MIB_2		(2ULL << 20)
#define GIB		(1ULL << 30)
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB	(30 << MAP_HUGE_SHIFT)
#endif

/* Step 5's guest: touch 64 MiB at BIG_GPA, one write per 4 KiB. */
static void guest_big(uint64_t arg __attribute__((unused)))
{
	uint64_t off;

	GUEST_SYNC(0);
	for (off = 0; off < BIG_TOUCH; off += 4096)
		*(volatile uint64_t *)(BIG_GPA + off) = off;
	GUEST_SYNC(1);
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

/* Host memory for step 5: a 1 GiB hugetlbfs page, or THP (2 MiB). */
struct big_mem {
	void *map;
	size_t map_len;
	uint8_t *mem;
	size_t size;
};

static int big_mem_get(struct big_mem *b, int want_1g)
{
	if (want_1g) {
		b->map = mmap(NULL, GIB, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			      MAP_HUGE_1GB, -1, 0);
		if (b->map != MAP_FAILED) {
			b->map_len = b->size = GIB;
			b->mem = b->map;
			return 1;
		}
	}
	/* 2 MiB aligned, so that user and guest-physical offsets match */
	b->map_len = BIG_TOUCH + MIB_2;
	b->size = BIG_TOUCH;
	b->map = mmap(NULL, b->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->map == MAP_FAILED)
		return -1;
	b->mem = (uint8_t *)(((uintptr_t)b->map + MIB_2 - 1) & ~(MIB_2 - 1));
	madvise(b->mem, b->size, MADV_HUGEPAGE);
	memset(b->mem, 0, b->size);	/* the host's pages exist first */
	return 0;
}

struct big_result {
	uint64_t npf, by_size[3];
	double ms;
	uint64_t leaf;
};

static uint64_t stat_now(int vm_fd, const char *name)
{
	struct mhv_stats_reader r;
	int fd = mhv_get_stats_fd(vm_fd);
	uint64_t v = 0;

	if (fd >= 0 && !mhv_stats_open(&r, fd)) {
		v = mhv_stats_value(&r, name);
		mhv_stats_close(&r);
	}
	if (fd >= 0)
		close(fd);
	return v;
}

/* The 64 MiB workload in a VM with @policy; 0, or -1 when it failed. */
static int big_run(uint32_t policy, struct big_result *res)
{
	static const char *const sz[3] = { "npf_4k", "npf_2m", "npf_1g" };
	struct mhv_memory_region region;
	struct mhv_vm_config cfg;
	struct timespec t0, t1;
	struct big_mem b;
	struct mhv_translate tr;
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t before[4];
	int i, ret = -1;

	if (big_mem_get(&b, policy == MHV_PAGE_SIZE_1G) < 0)
		return -1;
	mhv_vm_config_default(&cfg);
	snprintf(cfg.name, sizeof(cfg.name), "tutorial 2 %s",
		 mhv_page_size_name(policy));
	cfg.memory_mb = 16 + (b.size >> 20);
	cfg.page_size = policy;
	memset(&region, 0, sizeof(region));
	region.slot = 1;
	region.guest_phys_addr = BIG_GPA;
	region.size = b.size;
	region.userspace_addr = (uintptr_t)b.mem;
	if (mhv_guest_create_config(&g, &cfg, 16, guest_big, 0))
		goto out_mem;
	if (mhv_set_memory_region(g.vm_fd, &region) ||
	    run_to(&g, MHV_UCALL_SYNC, &uc))
		goto out;
	before[0] = stat_now(g.vm_fd, "npf");
	for (i = 0; i < 3; i++)
		before[i + 1] = stat_now(g.vm_fd, sz[i]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (run_to(&g, MHV_UCALL_SYNC, &uc))
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	res->npf = stat_now(g.vm_fd, "npf") - before[0];
	for (i = 0; i < 3; i++)
		res->by_size[i] = stat_now(g.vm_fd, sz[i]) - before[i + 1];
	memset(&tr, 0, sizeof(tr));
	tr.gpa = BIG_GPA;
	res->leaf = mhv_translate(g.vm_fd, &tr) ? 0 : tr.page_size;
	ret = 0;
out:
	mhv_guest_destroy(&g);
out_mem:
	munmap(b.map, b.map_len);
	return ret;
}

/* Step 5: the same workload at each page size. */
static int page_sizes(void)
{
	static const uint32_t policy[3] = {
		MHV_PAGE_SIZE_4K, MHV_PAGE_SIZE_2M, MHV_PAGE_SIZE_1G,
	};
	struct big_result res[3];
	char by[48];
	int i, ok = 1;

	printf("  policy  faults (4K/2M/1G pages)      leaf at 1 GiB         time\n");
	for (i = 0; i < 3; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		if (big_run(policy[i], &res[i])) {
			printf("  %-6s  refused or failed (see mhv caps: page_2m, page_1g)\n",
			       mhv_page_size_name(policy[i]));
			continue;
		}
		snprintf(by, sizeof(by), "(%llu/%llu/%llu)",
			 (unsigned long long)res[i].by_size[0],
			 (unsigned long long)res[i].by_size[1],
			 (unsigned long long)res[i].by_size[2]);
		printf("  %-6s  %6llu %-22s %8llu KiB  %8.1f ms\n",
		       mhv_page_size_name(policy[i]),
		       (unsigned long long)res[i].npf, by,
		       (unsigned long long)res[i].leaf >> 10, res[i].ms);
	}
	printf("  (16384 and 32 faults for the data, plus one or two for the guest's own\n"
	       "   page-table page and code; 1g maps a 1 GiB page only on a 1 GiB\n"
	       "   hugetlbfs page: on THP memory each range falls back to 2 MiB)\n");
	/*
	 * What the step teaches: one fault per 4 KiB page, or per 2 MiB
	 * page, plus at most two of the guest's own (the page-table page of
	 * its walk to 1 GiB, code of the loop) that may be mapped either way.
	 */
	if (res[0].by_size[0] - BIG_TOUCH / 4096 > 2 || res[0].leaf != 4096 ||
	    res[0].by_size[1] || res[0].by_size[2])
		ok = 0;
	if (res[1].leaf == MIB_2 &&
	    res[1].npf - BIG_TOUCH / MIB_2 > 2)
		ok = 0;
	return ok ? 0 : -1;
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

	printf("Step 5: the same workload at each page size\n");
	if (page_sizes()) {
		fprintf(stderr, "tutorial 2: the 4k run did not take one fault per 4 KiB page, or the 2m run one per 2 MiB page\n");
		ok = 0;
	}

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
