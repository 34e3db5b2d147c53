// SPDX-License-Identifier: GPL-2.0
/*
 * Large second-level pages: a guest touching 64 MiB takes one nested
 * page fault per page of the size the VM's page_size policy and the host
 * backing allow (4K: 16384, 2M: 32, 1G: 1), with transparent huge pages
 * and with hugetlbfs; the memory guest and host see is the same; large
 * pages are charged whole; policies the module cannot do are refused;
 * deleting a slot zaps its large pages, and slots set in their place are
 * mapped with the pages that fit them (a read-only one stays read-only).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define DATA_GPA	(1ULL << 30)	/* aligned for every page size */
#define TOUCH		(64ULL << 20)	/* what the guest touches */
#define MAIN_MB		16
#define SZ_4K		4096ULL
#define SZ_2M		(2ULL << 20)
#define SZ_1G		(1ULL << 30)
#define HUGE_2M_SYSFS	"/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
#define HUGE_1G_SYSFS	"/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21 << MAP_HUGE_SHIFT)
#define MAP_HUGE_1GB	(30 << MAP_HUGE_SHIFT)
#endif

/* Guest: read the entries of its own page walk to @va (not @va itself). */
static void guest_walk_tables(uint64_t va)
{
	uint64_t t, e;
	int level;

	__asm__ volatile("mov %%cr3, %0" : "=r"(t));
	for (level = 4; level >= 1; level--) {
		t &= 0x000ffffffffff000ULL;
		e = *(volatile uint64_t *)(t + ((va >> (12 + 9 * (level - 1))) &
						511) * 8);
		if (!(e & 1) || (e & 0x80))
			break;
		t = e;
	}
}

extern char _end[];	/* the end of this program, loaded as it is */

/*
 * Guest: fault in everything but the data before counting: vCPU 0's
 * stack, this program (code and data: the guest runs its own copy) and
 * the page-table pages of the walk to DATA_GPA.
 */
static void guest_warm(void)
{
	uint64_t a;

	for (a = MHV_GUEST_STACK_TOP - MHV_GUEST_STACK_SIZE;
	     a < (uint64_t)(uintptr_t)_end; a += SZ_4K)
		(void)*(volatile uint8_t *)a;
	guest_walk_tables(DATA_GPA);
}

static uint64_t pattern(uint64_t off)
{
	return 0x5a5a000000000000ULL ^ off;
}

/*
 * Guest: check what the host wrote at +8 of each 4K page of
 * [DATA_GPA, DATA_GPA + TOUCH) and write its own pattern at +0. Only
 * these pages fault between SYNC 0 and SYNC 1 (guest_warm()).
 */
static void guest_touch(uint64_t arg)
{
	uint64_t off;

	guest_warm();
	GUEST_SYNC(0);
	for (off = 0; off < TOUCH; off += SZ_4K) {
		GUEST_ASSERT_EQ(~off, *(volatile uint64_t *)(DATA_GPA + off + 8));
		*(volatile uint64_t *)(DATA_GPA + off) = pattern(off);
	}
	GUEST_SYNC(1);
	if (arg < TOUCH) {
		/* the split test: write the page of the read-only slot */
		*(volatile uint64_t *)(DATA_GPA + arg) = 0xdead;
		for (off = 0; off < TOUCH; off += SZ_4K)
			GUEST_ASSERT_EQ(pattern(off),
					*(volatile uint64_t *)(DATA_GPA + off));
		GUEST_SYNC(2);
	}
	GUEST_DONE();
}

struct backing {
	const char *what;
	void *map;		/* what to munmap */
	size_t map_len;
	uint8_t *mem;		/* slot memory, aligned to its page size */
	size_t size;		/* slot size */
	char *sysfs;		/* nr_hugepages file to restore, or NULL */
	long sysfs_old;
};

static long read_long(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static void write_long(const char *path, long v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", v);

	write_file(path, buf, n);
}

/* Anonymous memory with MADV_HUGEPAGE, 2M aligned: "" or why not. */
static const char *thp_backing(struct backing *b)
{
	char buf[128] = "";
	int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY);

	memset(b, 0, sizeof(*b));
	b->what = "THP";
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) < 0)
			buf[0] = '\0';
		close(fd);
	}
	if (!strstr(buf, "[always]") && !strstr(buf, "[madvise]"))
		return "transparent huge pages are off in this kernel";
	b->size = TOUCH;
	b->map_len = TOUCH + SZ_2M;
	b->map = mmap(NULL, b->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->map == MAP_FAILED) {
		b->map = NULL;
		return "cannot mmap 66 MiB";
	}
	b->mem = (uint8_t *)(((uintptr_t)b->map + SZ_2M - 1) & ~(SZ_2M - 1));
	if (madvise(b->mem, b->size, MADV_HUGEPAGE))
		return "madvise(MADV_HUGEPAGE) failed";
	return "";
}

/* hugetlbfs pages of @page bytes (reserved now), @size bytes. */
static const char *hugetlb_backing(struct backing *b, uint64_t page,
				   size_t size)
{
	const char *sysfs = page == SZ_2M ? HUGE_2M_SYSFS : HUGE_1G_SYSFS;
	long old = read_long(sysfs), want = old + size / page;

	memset(b, 0, sizeof(*b));
	b->what = page == SZ_2M ? "hugetlbfs 2M" : "hugetlbfs 1G";
	if (old < 0)
		return "no hugetlbfs pages of that size in this kernel";
	b->sysfs = (char *)sysfs;
	b->sysfs_old = old;
	write_long(sysfs, want);
	if (read_long(sysfs) < want)
		return "the test VM cannot reserve that many huge pages (memory too fragmented or too small)";
	b->size = size;
	b->map_len = size;
	b->map = mmap(NULL, size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
		      (page == SZ_2M ? MAP_HUGE_2MB : MAP_HUGE_1GB), -1, 0);
	if (b->map == MAP_FAILED) {
		b->map = NULL;
		return "mmap(MAP_HUGETLB) failed";
	}
	b->mem = b->map;
	return "";
}

static void backing_free(struct backing *b)
{
	if (b->map)
		munmap(b->map, b->map_len);
	if (b->sysfs)
		write_long(b->sysfs, b->sysfs_old);
	memset(b, 0, sizeof(*b));
}

/* AnonHugePages of the mapping at @addr, in bytes (THP backing). */
static uint64_t anon_huge_bytes(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	unsigned long lo, hi, kb;
	int in = 0;
	uint64_t ret = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in = lo <= (uintptr_t)addr && (uintptr_t)addr < hi;
		else if (in && sscanf(line, "AnonHugePages: %lu kB", &kb) == 1)
			ret = (uint64_t)kb << 10;
	}
	fclose(f);
	return ret;
}

static int get_caps(struct mhv_caps *caps)
{
	int sys = mhv_open_system(), ret;

	if (sys < 0)
		return sys;
	ret = mhv_get_caps(sys, caps);
	mhv_close(sys);
	return ret;
}

static int create_vm(struct mhv_guest *g, uint32_t page_size, uint64_t slot_mb,
		     uint64_t arg)
{
	struct mhv_vm_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.name, sizeof(cfg.name), "huge-%s",
		 mhv_page_size_name(page_size));
	cfg.vcpu_count = 1;
	cfg.memory_mb = MAIN_MB + slot_mb;
	cfg.arch = MHV_ARCH_X86_64;
	cfg.page_size = page_size;
	return mhv_guest_create_config(g, &cfg, MAIN_MB, guest_touch, arg);
}

static int set_slot(struct mhv_guest *g, uint32_t slot, uint32_t flags,
		    uint64_t gpa, uint64_t size, void *hva)
{
	struct mhv_memory_region r;

	memset(&r, 0, sizeof(r));
	r.slot = slot;
	r.flags = flags;
	r.guest_phys_addr = gpa;
	r.size = size;
	r.userspace_addr = (uint64_t)(uintptr_t)hva;
	return mhv_set_memory_region(g->vm_fd, &r);
}

static struct mhv_translate translate(struct mhv_guest *g, uint64_t gpa)
{
	struct mhv_translate tr;

	memset(&tr, 0, sizeof(tr));
	tr.gpa = gpa;
	if (mhv_translate(g->vm_fd, &tr))
		tr.level = ~0U;
	return tr;
}

struct counts {
	uint64_t npf, npf_size[3], used, leaves[3], mapped[3];
	uint64_t locked;	/* VmLck: the RLIMIT_MEMLOCK charge */
};

static uint64_t vm_locked(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	unsigned long kb = ~0UL;

	if (!f)
		return ~0ULL;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %lu kB", &kb) == 1)
			break;
	fclose(f);
	return (uint64_t)kb << 10;
}

static void read_counts(struct mhv_guest *g, struct counts *c)
{
	static const char *const sz[3] = { "4k", "2m", "1g" };
	struct mhv_stats_reader r;
	struct mhv_vm_info info;
	char name[40];
	int fd = mhv_get_stats_fd(g->vm_fd), i;

	memset(c, 0xff, sizeof(*c));
	if (fd < 0 || mhv_stats_open(&r, fd)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	c->npf = mhv_stats_value(&r, "npf");
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "npf_%s", sz[i]);
		c->npf_size[i] = mhv_stats_value(&r, name);
		snprintf(name, sizeof(name), "leaves_%s", sz[i]);
		c->leaves[i] = mhv_stats_value(&r, name);
		snprintf(name, sizeof(name), "memory_mapped_%s", sz[i]);
		c->mapped[i] = mhv_stats_value(&r, name);
	}
	mhv_stats_close(&r);
	close(fd);
	if (!mhv_get_vm_info(g->vm_fd, &info))
		c->used = info.memory_used;
	c->locked = vm_locked();
}

/*
 * `mhv stats NAME --json` shows the faults and the leaves of the page
 * size @level as @c counted them: 0, or -1 (logged).
 */
static int mhv_stats_shows(uint32_t policy, int level, const struct counts *c)
{
	static const char *const sz[3] = { "4k", "2m", "1g" };
	char cmd[96], out[65536], key[40];
	unsigned long long v;
	const char *p;

	snprintf(cmd, sizeof(cmd), "mhv stats huge-%s --json 2>&1",
		 mhv_page_size_name(policy));
	if (run_cmd(cmd, out, sizeof(out)))
		goto bad;
	snprintf(key, sizeof(key), "\"npf_%s\": ", sz[level - 1]);
	p = strstr(out, key);
	if (!p || sscanf(p + strlen(key), "%llu", &v) != 1 ||
	    v != c->npf_size[level - 1])
		goto bad;
	snprintf(key, sizeof(key), "\"leaves_%s\": ", sz[level - 1]);
	p = strstr(out, key);
	if (!p || sscanf(p + strlen(key), "%llu", &v) != 1 ||
	    v != c->leaves[level - 1])
		goto bad;
	return 0;
bad:
	fprintf(stderr, "# %s:\n%s\n", cmd, out);
	return -1;
}

/* The host's pattern at +8 of each 4K page, before the guest runs. */
static void host_fill(struct backing *b)
{
	uint64_t off;

	for (off = 0; off < TOUCH; off += SZ_4K)
		*(uint64_t *)(b->mem + off + 8) = ~off;
}

static int host_check(struct backing *b)
{
	uint64_t off;

	for (off = 0; off < TOUCH; off += SZ_4K)
		if (*(uint64_t *)(b->mem + off) != pattern(off))
			return -1;
	return 0;
}

/*
 * Touch 64 MiB of @b at DATA_GPA in a VM with @policy: @level is the
 * page the backing and the policy allow (1: 4K, 2: 2M, 3: 1G).
 */
static void touch_test(struct __test_metadata *_metadata, struct backing *b,
		       const char *why, uint32_t policy, int level)
{
	uint64_t page = 1ULL << (12 + 9 * (level - 1));
	struct mhv_caps caps;
	struct counts c0, c1;
	struct mhv_translate tr;
	struct mhv_ucall uc;
	struct mhv_guest g;
	int i, ret;

	if (*why) {
		backing_free(b);
		SKIP(return, "%s: %s", b->what, why);
	}
	ASSERT_EQ(0, get_caps(&caps));
	if (((level == 3 || policy == MHV_PAGE_SIZE_1G) &&
	     !(caps.flags & MHV_CAP_PAGE_1G)) ||
	    (level == 2 && !(caps.flags & MHV_CAP_PAGE_2M))) {
		backing_free(b);
		SKIP(return, "the CPU has no second-level pages that large");
	}
	if (MAIN_MB + (b->size >> 20) > caps.max_mem_mb) {
		backing_free(b);
		SKIP(return, "a %zu MiB slot is over this machine's max_mem_mb %u",
		     b->size >> 20, caps.max_mem_mb);
	}
	host_fill(b);
	if (!strcmp(b->what, "THP") && anon_huge_bytes(b->mem) < TOUCH) {
		backing_free(b);
		SKIP(return, "the kernel gave fewer than 32 transparent huge pages");
	}
	ret = create_vm(&g, policy, b->size >> 20, TOUCH);
	ASSERT_EQ(0, ret) TH_LOG("create: %s", strerror(-ret));
	ASSERT_EQ(0, set_slot(&g, 1, 0, DATA_GPA, b->size, b->mem));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	read_counts(&g, &c0);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(1, uc.args[0]);
	read_counts(&g, &c1);
	EXPECT_EQ(0, host_check(b)) TH_LOG("the guest's writes are not in host memory");

	/* one fault per page of that size, all counted at that size */
	EXPECT_EQ(TOUCH / (page < TOUCH ? page : TOUCH), c1.npf - c0.npf);
	for (i = 0; i < 3; i++) {
		uint64_t n = i == level - 1 ? c1.npf - c0.npf : 0;

		EXPECT_EQ(n, c1.npf_size[i] - c0.npf_size[i]) TH_LOG("size %d", i);
		EXPECT_EQ(n, c1.leaves[i] - c0.leaves[i]) TH_LOG("size %d", i);
		EXPECT_EQ(n * page, c1.mapped[i] - c0.mapped[i]);
	}
	/* the whole large page is pinned and charged */
	EXPECT_EQ(page > TOUCH ? page : TOUCH, c1.used - c0.used);
	EXPECT_EQ(page > TOUCH ? page : TOUCH, c1.locked - c0.locked);
	EXPECT_EQ(0, mhv_stats_shows(policy, level, &c1));
	tr = translate(&g, DATA_GPA + TOUCH - SZ_4K + 16);
	EXPECT_EQ(level, tr.level);
	EXPECT_EQ(page, tr.page_size);
	EXPECT_EQ(1U, tr.slot);
	mhv_guest_destroy(&g);
	backing_free(b);
}

static void thp_test(struct __test_metadata *_metadata, uint32_t policy,
		     int level)
{
	struct backing b;
	const char *why = thp_backing(&b);

	touch_test(_metadata, &b, why, policy, level);
}

static void hugetlb_test(struct __test_metadata *_metadata, uint64_t page,
			 uint32_t policy, int level)
{
	struct backing b;
	const char *why = hugetlb_backing(&b, page, page > TOUCH ? page : TOUCH);

	touch_test(_metadata, &b, why, policy, level);
}

TEST(thp_4k)
{
	thp_test(_metadata, MHV_PAGE_SIZE_4K, 1);
}

TEST(thp_2m)
{
	thp_test(_metadata, MHV_PAGE_SIZE_2M, 2);
}

/* a policy larger than the backing: each range falls back to 2M */
TEST(thp_1g_policy_falls_back_to_2m)
{
	thp_test(_metadata, MHV_PAGE_SIZE_1G, 2);
}

TEST(thp_auto)
{
	thp_test(_metadata, MHV_PAGE_SIZE_AUTO, 2);
}

TEST(hugetlb_2m)
{
	hugetlb_test(_metadata, SZ_2M, MHV_PAGE_SIZE_2M, 2);
}

TEST(hugetlb_2m_policy_4k)
{
	hugetlb_test(_metadata, SZ_2M, MHV_PAGE_SIZE_4K, 1);
}

/*
 * The kernel clears the 1 GiB page at the first touch: tens of seconds
 * under QEMU's emulation, beyond the harness's default 30 s.
 */
FIXTURE(gig) {
};

FIXTURE_SETUP(gig)
{
}

FIXTURE_TEARDOWN(gig)
{
}

TEST_F_TIMEOUT(gig, hugetlb_1g, 240)
{
	hugetlb_test(_metadata, SZ_1G, MHV_PAGE_SIZE_1G, 3);
}

/* Unknown values and sizes the CPU cannot map are refused at creation. */
TEST(policy_refused)
{
	struct mhv_vm_config cfg;
	struct mhv_caps caps;
	int sys = mhv_open_system(), fd;
	uint32_t ps;

	ASSERT_LE(0, sys);
	ASSERT_EQ(0, get_caps(&caps));
	mhv_vm_config_default(&cfg);
	cfg.page_size = MHV_PAGE_SIZE_1G + 1;
	EXPECT_EQ(-EINVAL, mhv_create_vm(sys, &cfg));
	cfg.page_size = MHV_PAGE_SIZE_2M;
	cfg.pad2 = 1;
	EXPECT_EQ(-EINVAL, mhv_create_vm(sys, &cfg));
	cfg.pad2 = 0;
	for (ps = MHV_PAGE_SIZE_AUTO; ps <= MHV_PAGE_SIZE_1G; ps++) {
		int ok = ps == MHV_PAGE_SIZE_2M ? !!(caps.flags & MHV_CAP_PAGE_2M) :
			 ps == MHV_PAGE_SIZE_1G ? !!(caps.flags & MHV_CAP_PAGE_1G) : 1;

		cfg.page_size = ps;
		fd = mhv_create_vm(sys, &cfg);
		if (ok) {
			EXPECT_LE(0, fd) TH_LOG("page_size %s",
						mhv_page_size_name(ps));
		} else {
			EXPECT_EQ(-EOPNOTSUPP, fd) TH_LOG("page_size %s",
							  mhv_page_size_name(ps));
		}
		if (fd >= 0)
			mhv_close(fd);
	}
	mhv_close(sys);
}

/*
 * 2M pages mapped, then the slot deleted (the large pages go: not
 * mapped, not charged) and set again as three slots, a read-only 4K one
 * at 4M in the middle: the guest's write there is an MMIO exit and does
 * not reach memory (the old writable 2M page is not in the TLB), the 2M
 * range around it is mapped with 4K pages, the rest with 2M pages again.
 */
TEST(split_by_slot_change)
{
	const uint64_t ro = 4ULL << 20;
	struct counts c0, c1;
	struct mhv_translate tr;
	struct mhv_ucall uc;
	struct mhv_guest g;
	struct backing b;
	const char *why = thp_backing(&b);
	struct mhv_caps caps;

	if (!*why && (get_caps(&caps) ||
		      !(caps.flags & MHV_CAP_PAGE_2M)))
		why = "the CPU has no 2M second-level pages";
	if (!*why) {
		host_fill(&b);
		if (anon_huge_bytes(b.mem) < TOUCH)
			why = "the kernel gave fewer than 32 transparent huge pages";
	}
	if (*why) {
		backing_free(&b);
		SKIP(return, "%s", why);
	}
	ASSERT_EQ(0, create_vm(&g, MHV_PAGE_SIZE_2M, TOUCH >> 20, ro));
	ASSERT_EQ(0, set_slot(&g, 1, 0, DATA_GPA, TOUCH, b.mem));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(1, uc.args[0]);
	EXPECT_EQ(2, translate(&g, DATA_GPA + ro).level);
	read_counts(&g, &c0);

	ASSERT_EQ(0, mhv_delete_memory_region(g.vm_fd, 1));
	read_counts(&g, &c1);
	EXPECT_EQ(TOUCH, c0.used - c1.used);
	EXPECT_EQ(TOUCH, c0.locked - c1.locked);
	EXPECT_EQ(TOUCH / SZ_2M, c0.leaves[1] - c1.leaves[1]);
	EXPECT_EQ(0, translate(&g, DATA_GPA + ro).page_size);
	ASSERT_EQ(0, set_slot(&g, 1, 0, DATA_GPA, ro, b.mem));
	ASSERT_EQ(0, set_slot(&g, 2, MHV_MEM_READONLY, DATA_GPA + ro, SZ_4K,
			      b.mem + ro));
	ASSERT_EQ(0, set_slot(&g, 3, 0, DATA_GPA + ro + SZ_4K,
			      TOUCH - ro - SZ_4K, b.mem + ro + SZ_4K));

	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_MMIO);
	EXPECT_EQ(DATA_GPA + ro, g.vcpu[0].run->mmio.phys_addr);
	EXPECT_EQ(1, g.vcpu[0].run->mmio.is_write);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(2, uc.args[0]);
	EXPECT_EQ(pattern(ro), *(uint64_t *)(b.mem + ro));

	tr = translate(&g, DATA_GPA);
	EXPECT_EQ(2, tr.level);
	EXPECT_EQ(SZ_2M, tr.page_size);
	tr = translate(&g, DATA_GPA + ro);
	EXPECT_EQ(1, tr.level);
	EXPECT_EQ(SZ_4K, tr.page_size);
	EXPECT_EQ(2U, tr.slot);
	EXPECT_EQ(0, tr.prot & MHV_PROT_WRITE);
	tr = translate(&g, DATA_GPA + ro + SZ_4K);
	EXPECT_EQ(1, tr.level);
	EXPECT_NE(0, tr.prot & MHV_PROT_WRITE);
	tr = translate(&g, DATA_GPA + ro + SZ_2M);
	EXPECT_EQ(2, tr.level);
	EXPECT_EQ(3U, tr.slot);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
	backing_free(&b);
}

TEST_HARNESS_MAIN
