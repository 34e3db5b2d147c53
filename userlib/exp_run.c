// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - one run of an experiment's configuration
 * (mhv_experiment_run_one(), mhv_research.h): the guest workloads, written
 * as ordinary C functions (mhv_guest.h), and the host side that measures
 * them.
 *
 * The guest prepares (touches the pages memory_retouch re-touches,
 * enables the demo device), calls GUEST_SYNC(EXP_START), does the work
 * between two TSC reads and reports their difference with
 * GUEST_SYNC2(EXP_END, cycles). The host reads the VM's statistics fd and
 * the clock at both calls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "mhv_guest.h"
#include "mhv_research.h"

#define EXP_START	0xe5a1
#define EXP_END		0xe5a2
/* the demo or edu device (kernel), or the demo model (user): MMIO */
#define EXP_DEV_GPA	0xd0000000ULL
/* MMIO writes of the mmio workload: no memory, no device */
#define EXP_MMIO_GPA	0xd1000000ULL
/* OUTs of the pio workload: no device */
#define EXP_PIO_PORT	0x510
#define EXP_PAGE	4096ULL
#define EXP_ALIGN	(2ULL << 20)
/* the memory workloads' buffer: slot 1, aligned for every page size */
#define EXP_DATA_GPA	(1ULL << 30)
#define EXP_DATA_SLOT	1
#define EXP_THP		"/sys/kernel/mm/transparent_hugepage/enabled"
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB	(30 << MAP_HUGE_SHIFT)
#endif

/* The guest's instructions; the host writes them with sync_global. */
struct exp_params {
	uint64_t workload;
	uint64_t size;
	uint64_t count;
	uint64_t buf;		/* guest-physical buffer of the workload */
};

static struct exp_params exp_params;

extern char _end[];	/* the end of this program (a non-PIE link) */

/* ---- guest side ----------------------------------------------------------- */

#define GUEST_FN static __attribute__((no_stack_protector, noinline))

static inline uint64_t guest_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

GUEST_FN void guest_touch_seq(uint64_t buf, uint64_t pages)
{
	uint64_t i;

	for (i = 0; i < pages; i++)
		*(volatile uint8_t *)(buf + i * EXP_PAGE) = (uint8_t)i;
}

/*
 * Each page once, in the order of a full-period LCG modulo the next power
 * of two (a = 1 mod 4, c odd: Hull-Dobell), skipping indices past the end.
 */
GUEST_FN void guest_touch_random(uint64_t buf, uint64_t pages)
{
	uint64_t mask = 1, x = 0, i;

	while (mask < pages)
		mask <<= 1;
	for (i = 0; i < mask; i++) {
		x = (x * 1664525 + 1013904223) & (mask - 1);
		if (x < pages)
			*(volatile uint8_t *)(buf + x * EXP_PAGE) = (uint8_t)i;
	}
}

GUEST_FN void guest_dma(uint64_t buf, uint64_t size, uint64_t count)
{
	volatile uint64_t *r = (volatile uint64_t *)EXP_DEV_GPA;
	uint64_t i;

	for (i = 0; i < count; i++) {
		r[MHV_EDU_DMA_SRC / 8] = buf;
		r[MHV_EDU_DMA_DST / 8] = MHV_EDU_BUF_ADDR;
		r[MHV_EDU_DMA_COUNT / 8] = size;
		r[MHV_EDU_DMA_CMD / 8] = MHV_EDU_DMA_START;
		while (r[MHV_EDU_DMA_CMD / 8] & MHV_EDU_DMA_START)
			;
		/* a 32-bit register */
		GUEST_ASSERT_EQ(*(volatile uint32_t *)(EXP_DEV_GPA +
						       MHV_EDU_DMA_ERROR), 0);
	}
}

GUEST_FN void guest_demo(uint64_t count)
{
	uint8_t *base = (uint8_t *)EXP_DEV_GPA;
	uint64_t i;

	for (i = 0; i < count; i++) {
		if (i & 1)
			(void)*(volatile uint32_t *)(base + MHV_DEMO_STATUS);
		else
			*(volatile uint16_t *)(base + MHV_DEMO_DATA) = (uint16_t)i;
	}
}

GUEST_FN void guest_exits(uint64_t workload, uint64_t count)
{
	uint32_t a, b, c, d;
	uint64_t i;

	for (i = 0; i < count; i++) {
		if (workload == MHV_EXP_W_CPUID) {
			__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
					 : "0"(0), "2"(0));
		} else if (workload == MHV_EXP_W_PIO) {
			__asm__ volatile("outb %%al, %%dx"
					 : : "a"((uint8_t)i), "d"(EXP_PIO_PORT));
		} else {
			*(volatile uint32_t *)EXP_MMIO_GPA = (uint32_t)i;
		}
	}
}

GUEST_FN uint64_t guest_compute(uint64_t count)
{
	uint64_t i, x = 1;

	for (i = 0; i < count; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

GUEST_FN void guest_work(const struct exp_params *p)
{
	switch (p->workload) {
	case MHV_EXP_W_MEMORY_SEQ:
	case MHV_EXP_W_MEMORY_RETOUCH:
		guest_touch_seq(p->buf, p->size << 8);
		break;
	case MHV_EXP_W_MEMORY_RANDOM:
		guest_touch_random(p->buf, p->size << 8);
		break;
	case MHV_EXP_W_DEMO:
		guest_demo(p->count);
		break;
	case MHV_EXP_W_DMA:
		guest_dma(p->buf, p->size, p->count);
		break;
	case MHV_EXP_W_COMPUTE:
		guest_compute(p->count);
		break;
	default:
		guest_exits(p->workload, p->count);
	}
}

GUEST_FN void guest_main(uint64_t arg)
{
	const struct exp_params *p = (const struct exp_params *)arg;
	uint64_t t0, t1;

	if (p->workload == MHV_EXP_W_MEMORY_RETOUCH)
		guest_touch_seq(p->buf, p->size << 8);
	if (p->workload == MHV_EXP_W_DEMO)
		*(volatile uint32_t *)(EXP_DEV_GPA + MHV_DEMO_STATUS) =
			MHV_DEMO_ST_ENABLE;
	GUEST_SYNC(EXP_START);
	t0 = guest_tsc();
	guest_work(p);
	t1 = guest_tsc();
	GUEST_SYNC2(EXP_END, t1 - t0);
	GUEST_DONE();
}

/* ---- host side: the demo device's model in userspace ---------------------- */

struct demo_model {
	uint32_t enable, written;
	uint16_t data;
	uint8_t led;
	uint64_t reads, writes, errors;
};

/* The demo device's registers as kmod/dev/demo.c and devices.rst say. */
static void demo_access(struct demo_model *m, uint64_t off, uint8_t *data,
			uint32_t len, int write)
{
	uint64_t v = 0;

	memcpy(&v, data, len);
	if ((off == MHV_DEMO_STATUS && len != 4) ||
	    (off == MHV_DEMO_DATA && len != 2) ||
	    (off == MHV_DEMO_LED && len != 1) ||
	    (off != MHV_DEMO_STATUS && off != MHV_DEMO_DATA &&
	     off != MHV_DEMO_LED)) {
		m->errors++;
		if (!write)
			memset(data, 0xff, len);
		return;
	}
	if (write) {
		m->writes++;
		if (off == MHV_DEMO_STATUS) {
			m->enable = v & MHV_DEMO_ST_ENABLE;
			if (v & MHV_DEMO_ST_DATA_WRITTEN)
				m->written = 0;
		} else if (off == MHV_DEMO_DATA) {
			m->data = v;
			m->written = 1;
		} else {
			m->led = v;
		}
		return;
	}
	m->reads++;
	if (off == MHV_DEMO_STATUS)
		v = m->enable | (m->enable && m->led ? MHV_DEMO_ST_LED_ON : 0) |
		    (m->written ? MHV_DEMO_ST_DATA_WRITTEN : 0) |
		    MHV_DEMO_VERSION << 8;
	else
		v = off == MHV_DEMO_DATA ? m->data : m->led;
	memcpy(data, &v, len);
}

/* ---- host side: one run ------------------------------------------------------ */

struct exp_snap {
	uint64_t *data;			/* the stats fd's data block */
	struct mhv_device_stats dev;	/* the kernel device's */
	struct demo_model model;	/* the userspace device's */
	uint64_t ns;
	uint64_t cycles;		/* guest-reported (the end only) */
};

struct exp_run {
	const struct mhv_exp_config *c;
	struct mhv_guest g;
	void *map;			/* the memory workloads' buffer */
	size_t map_len;
	struct mhv_stats_reader stats;
	int stats_fd;
	int dev_id;			/* the in-kernel device, or -1 */
	struct demo_model model;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 3, 4)))
run_fail(struct exp_run *r, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return ret;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* An exit the workload causes on purpose: answer it and go on. */
static int exp_exit(struct exp_run *r)
{
	struct mhv_run *run = r->g.vcpu[0].run;

	if (run->exit_reason == MHV_EXIT_IO) {
		if (run->io.direction == MHV_IO_IN)
			memset((uint8_t *)run + run->io.data_offset, 0xff,
			       run->io.size * run->io.count);
		return 0;
	}
	if (run->exit_reason != MHV_EXIT_MMIO)
		return run_fail(r, -EIO, "the guest stopped: exit %s at 0x%" PRIx64,
				mhv_exit_reason_name(run->exit_reason),
				(uint64_t)run->exit_rip);
	if (r->c->user_device && run->mmio.phys_addr >= EXP_DEV_GPA &&
	    run->mmio.phys_addr < EXP_DEV_GPA + MHV_DEMO_SIZE)
		demo_access(&r->model, run->mmio.phys_addr - EXP_DEV_GPA,
			    run->mmio.data, run->mmio.len, run->mmio.is_write);
	else if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
	return 0;
}

/* Run until the guest call @want (a SYNC value, or DONE for 0). */
static int exp_run_until(struct exp_run *r, uint64_t want, struct mhv_ucall *uc)
{
	char line[256];
	int ret;

	for (;;) {
		ret = mhv_guest_run(&r->g, 0, uc);
		if (ret < 0)
			return run_fail(r, ret, "MHV_RUN: %s", strerror(-ret));
		if (!ret) {
			ret = exp_exit(r);
			if (ret)
				return ret;
			continue;
		}
		if ((ret == MHV_UCALL_SYNC && uc->args[0] == want) ||
		    (ret == MHV_UCALL_DONE && !want))
			return 0;
		mhv_ucall_format(uc, line, sizeof(line));
		return run_fail(r, -EPROTO, "unexpected guest call: %s", line);
	}
}

static int exp_snapshot(struct exp_run *r, struct exp_snap *s)
{
	int ret;

	s->ns = now_ns();
	ret = mhv_stats_refresh(&r->stats);
	if (ret)
		return run_fail(r, ret, "reading the stats fd: %s", strerror(-ret));
	memcpy(s->data, r->stats.data, r->stats.data_size);
	s->model = r->model;
	if (r->dev_id >= 0) {
		ret = mhv_get_device_stats(r->g.vm_fd, r->dev_id, &s->dev);
		if (ret)
			return run_fail(r, ret, "MHV_GET_DEVICE_STATS: %s",
					strerror(-ret));
	}
	return 0;
}

/* The closing guest call: one OUT to userspace, counted in these. */
static int closing_ucall(const char *name)
{
	static const char *const n[] = {
		"exits", "user_exits", "io", "exits_io", "exit_latency_io",
	};
	unsigned int i;

	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		if (!strcmp(n[i], name))
			return 1;
	return 0;
}

static int exp_device_metric(struct exp_run *r, const char *name,
			     const struct exp_snap *a, const struct exp_snap *b,
			     double *v)
{
	const struct mhv_device_stats *x = &a->dev, *y = &b->dev;

	if (r->c->user_device && r->c->workload == MHV_EXP_W_DEMO) {
		if (!strcmp(name, "dev_reads"))
			*v = b->model.reads - a->model.reads;
		else if (!strcmp(name, "dev_writes"))
			*v = b->model.writes - a->model.writes;
		else
			*v = b->model.errors - a->model.errors;
		return 0;
	}
	if (r->dev_id < 0) {
		*v = 0;		/* the workload uses no device */
		return 0;
	}
	if (!strcmp(name, "dev_reads"))
		*v = y->reads - x->reads;
	else if (!strcmp(name, "dev_writes"))
		*v = y->writes - x->writes;
	else
		*v = (y->err_offset + y->err_width + y->err_refused) -
		     (x->err_offset + x->err_width + x->err_refused);
	return 0;
}

static int exp_metric(struct exp_run *r, const char *name,
		      const struct exp_snap *a, const struct exp_snap *b,
		      double *v)
{
	const struct mhv_stat_field *f;
	uint64_t x = 0, y = 0;
	unsigned int i;

	if (!strcmp(name, "wall_ns")) {
		*v = b->ns - a->ns;
		return 0;
	}
	if (!strcmp(name, "guest_tsc")) {
		*v = b->cycles;
		return 0;
	}
	if (!strcmp(name, "dev_reads") || !strcmp(name, "dev_writes") ||
	    !strcmp(name, "dev_errors"))
		return exp_device_metric(r, name, a, b, v);
	f = mhv_stats_find(&r->stats, name);
	if (!f)
		return run_fail(r, -ENOENT, "metric %s: no such statistic (wall_ns, guest_tsc, dev_reads, dev_writes, dev_errors, or a name of `mhv stats VM --all`)",
				name);
	for (i = 0; i < f->size; i++) {
		x += a->data[f->offset / 8 + i];
		y += b->data[f->offset / 8 + i];
	}
	if ((f->flags & MHV_STATS_TYPE_MASK) == MHV_STATS_TYPE_INSTANT)
		*v = y;
	else
		*v = (double)(y - x) - closing_ucall(name);
	return 0;
}

static int thp_enabled(void)
{
	char buf[128] = "";
	FILE *f = fopen(EXP_THP, "re");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	return strstr(buf, "[always]") || strstr(buf, "[madvise]");
}

/*
 * Host memory for the memory workloads' buffer, backed so that pages of
 * the configuration's size can map it: ordinary anonymous memory (4k),
 * transparent huge pages (2m), 1 GiB hugetlbfs pages (1g).
 */
static int exp_backing(struct exp_run *r, uint64_t size, void **mem)
{
	uint64_t page = r->c->page_size;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;

	r->map_len = page == EXP_ALIGN ? size + EXP_ALIGN : size;
	if (page == EXP_ALIGN && !thp_enabled())
		return run_fail(r, -EOPNOTSUPP, "page_size 2m: transparent huge pages are off in this kernel (%s)",
				EXP_THP);
	if (page > EXP_ALIGN)
		flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return run_fail(r, -ENOMEM, page > EXP_ALIGN ?
				"page_size 1g: no 1 GiB hugetlbfs pages for %" PRIu64 " MiB (reserve them: /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages)" :
				"cannot map %" PRIu64 " MiB", size >> 20);
	}
	*mem = r->map;
	if (page == EXP_ALIGN) {
		*mem = (void *)(((uintptr_t)r->map + EXP_ALIGN - 1) & ~(EXP_ALIGN - 1));
		if (madvise(*mem, size, MADV_HUGEPAGE))
			return run_fail(r, -errno, "madvise(MADV_HUGEPAGE): %s",
					strerror(errno));
	}
	return 0;
}

/* The memory workloads' buffer as slot 1 at EXP_DATA_GPA. */
static int exp_data_slot(struct exp_run *r, uint64_t size)
{
	struct mhv_memory_region region = { 0 };
	void *mem = NULL;
	int ret = exp_backing(r, size, &mem);

	if (ret)
		return ret;
	region.slot = EXP_DATA_SLOT;
	region.guest_phys_addr = EXP_DATA_GPA;
	region.size = size;
	region.userspace_addr = (uintptr_t)mem;
	ret = mhv_set_memory_region(r->g.vm_fd, &region);
	return ret ? run_fail(r, ret, "MHV_SET_MEMORY_REGION: %s", strerror(-ret)) : 0;
}

static int exp_create(struct exp_run *r, uint64_t mb, uint64_t data)
{
	static const uint32_t policy[] = { MHV_PAGE_SIZE_4K, MHV_PAGE_SIZE_2M,
					   MHV_PAGE_SIZE_1G };
	const struct mhv_exp_config *c = r->c;
	struct mhv_vm_config cfg;
	int ret;

	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.name, "experiment");
	cfg.vcpu_count = 1;
	cfg.memory_mb = mb + (data >> 20) + MHV_GUEST_EXTRA_MB;
	cfg.arch = MHV_ARCH_X86_64;
	cfg.page_size = policy[c->page_size == 4096 ? 0 :
			       c->page_size == EXP_ALIGN ? 1 : 2];
	ret = mhv_guest_create_config(&r->g, &cfg, mb, guest_main,
				      (uint64_t)&exp_params);
	if (ret == -EOPNOTSUPP)
		return run_fail(r, ret, "page_size %s: this CPU has no second-level pages that large",
				mhv_page_size_name(cfg.page_size));
	if (ret == -E2BIG)
		return run_fail(r, ret, "the VM needs %u MiB (page_size %s rounds the buffer up to its page), more than this machine allows per VM (\"max memory per VM\" in mhv caps)",
				cfg.memory_mb, mhv_page_size_name(cfg.page_size));
	if (ret)
		return run_fail(r, ret, "creating the guest: %s%s", strerror(-ret),
				ret == -ENOEXEC ? " (the program must be linked without PIE)" : "");
	return data ? exp_data_slot(r, data) : 0;
}

static int exp_setup(struct exp_run *r)
{
	const struct mhv_exp_config *c = r->c;
	uint64_t buf = ((uint64_t)_end + EXP_ALIGN - 1) & ~(EXP_ALIGN - 1);
	uint64_t mb = (buf >> 20) + 2, data = 0;
	int ret;

	if (c->workload <= MHV_EXP_W_MEMORY_RETOUCH) {
		data = ((c->size << 20) + c->page_size - 1) & ~((uint64_t)c->page_size - 1);
		buf = EXP_DATA_GPA;
	}
	ret = exp_create(r, mb, data);
	if (ret)
		return ret;
	exp_params.workload = c->workload;
	exp_params.size = c->size;
	exp_params.count = c->count;
	exp_params.buf = buf;
	ret = mhv_guest_sync_global(&r->g, &exp_params, sizeof(exp_params));
	if (ret)
		return run_fail(r, ret, "writing the guest's parameters: %s",
				strerror(-ret));
	if (c->workload == MHV_EXP_W_DMA ||
	    (c->workload == MHV_EXP_W_DEMO && !c->user_device)) {
		r->dev_id = mhv_create_device(r->g.vm_fd,
					      c->workload == MHV_EXP_W_DMA ?
					      MHV_DEV_TYPE_EDU : MHV_DEV_TYPE_DEMO,
					      MHV_DEV_SPACE_MMIO, EXP_DEV_GPA);
		if (r->dev_id < 0)
			return run_fail(r, r->dev_id, "MHV_CREATE_DEVICE: %s",
					strerror(-r->dev_id));
	}
	r->stats_fd = mhv_get_stats_fd(r->g.vm_fd);
	if (r->stats_fd < 0)
		return run_fail(r, r->stats_fd, "MHV_GET_STATS_FD: %s",
				strerror(-r->stats_fd));
	ret = mhv_stats_open(&r->stats, r->stats_fd);
	if (ret)
		return run_fail(r, ret, "reading the stats fd: %s", strerror(-ret));
	return 0;
}

static int exp_measure(struct exp_run *r, const struct mhv_experiment *e,
		       struct exp_snap *a, struct exp_snap *b, double *values)
{
	struct mhv_ucall uc;
	unsigned int i;
	int ret;

	ret = exp_run_until(r, EXP_START, &uc);
	if (!ret)
		ret = exp_snapshot(r, a);
	if (!ret)
		ret = exp_run_until(r, EXP_END, &uc);
	if (!ret)
		ret = exp_snapshot(r, b);
	if (ret)
		return ret;
	b->cycles = uc.args[1];
	ret = exp_run_until(r, 0, &uc);
	for (i = 0; !ret && i < e->nr_metrics; i++)
		ret = exp_metric(r, e->metrics[i], a, b, &values[i]);
	return ret;
}

int mhv_experiment_run_one(const struct mhv_experiment *e,
			   const struct mhv_exp_config *c, double *values,
			   char *err, size_t errlen)
{
	struct exp_run r = { .c = c, .stats_fd = -1, .dev_id = -1,
			     .err = err, .errlen = errlen };
	struct exp_snap a = { 0 }, b = { 0 };
	int ret;

	r.stats.fd = -1;
	ret = exp_setup(&r);
	if (!ret) {
		a.data = calloc(1, r.stats.data_size);
		b.data = calloc(1, r.stats.data_size);
		ret = a.data && b.data ? exp_measure(&r, e, &a, &b, values) :
			run_fail(&r, -ENOMEM, "out of memory");
	}
	free(a.data);
	free(b.data);
	if (r.stats.fields)
		mhv_stats_close(&r.stats);
	if (r.stats_fd >= 0)
		mhv_close(r.stats_fd);
	if (r.g.vm_fd > 0 || r.g.sys_fd > 0)
		mhv_guest_destroy(&r.g);
	if (r.map)
		munmap(r.map, r.map_len);
	return ret;
}
