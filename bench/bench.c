// SPDX-License-Identifier: GPL-2.0
/*
 * mhv-bench: the same guest workloads under multios_hv and under KVM, in
 * the same machine, taking turns, round after round; reports per
 * workload the median cost under each with its 95 % confidence interval,
 * and the ratio KVM / multios_hv (above 1: multios_hv is faster) with
 * its 95 % interval. Absolute times inside an emulator mean little;
 * ratios do.
 *
 *   mhv-bench [--rounds N] [--json] [--only NAME,...] [--verbose]
 *
 * --only: only these workloads (trace_overhead is one); --verbose: each
 * round's figures on stderr.
 *
 * Method (Documentation/performance.rst): each round creates a fresh VM
 * under each hypervisor and runs the workload once untimed (a warm VM),
 * then, on the same VM and vCPU, a short and a long timed run; the cost
 * per exit is (t_long - t_short) / (N_long - N_short), which holds no
 * fixed per-run cost. The ratio is the median of the rounds' ratios.
 * Rounds go on (at least --rounds) until the ratio's interval is within
 * +-0.1 or the workload's time is up.
 *
 * Every run is checked (the guest computed what it should, the exits
 * were counted) before its time counts.
 */
#include <cpuid.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "libmultios_hv.h"
#include "stats.h"

#define MIN_ROUNDS	7	/* the medians' intervals need 6 */
#define MAX_ROUNDS	301
#define RATIO_HALF	0.1	/* wanted: ratio interval within +-0.1 */
#define WORKLOAD_SECS	40.0	/* adaptive rounds stop here, unless */
#define LONG_SECS	120.0	/* ... the workload says so (long_secs) */

static int verbose;	/* --verbose: every round's figures on stderr */

#define TOUCH_BYTES	(64u << 20)	/* the touch workloads: 64 MiB of slot 1 */
#define TOUCH_WARM_GPA	0x8000u		/* the warm-up touches this page */

/* One run: N units (exits or pages) from unit @start (npf, touch) */
struct run_arg {
	uint32_t n;
	uint32_t start;
	int warm;		/* the untimed first run: faults not exact */
};

/* What a run did, from the run loop and the hypervisor's counters. */
struct run_res {
	uint64_t user_exits;
	uint64_t demo_reads;		/* in-kernel device reads in the run */
	struct bench_maps before, after;
};

struct workload {
	const char *name;
	const char *what;
	const char *unit;	/* the cost is per "exit" or per "MiB" */
	uint32_t n_short, n_long;	/* exits per timed run */
	int demo;		/* needs the demo device (hv_ops.add_demo) */
	int long_secs;		/* rounds for up to LONG_SECS, not 40 s */
	size_t (*build)(uint8_t *code, const struct run_arg *a);
	int (*check)(const struct hv_ops *hv, void *ctx,
		     const struct workload *w, const struct run_arg *a,
		     const struct run_res *res);
	/* ns per unit (a difference: may come out < 0 when the host
	 * stalls the short run), NAN on failure
	 */
	double (*measure)(const struct hv_ops *hv, const struct workload *w);
	/* touch workloads: slot 1, its backing, multios_hv's page size */
	enum bench_backing backing;
	uint32_t page_size;	/* enum mhv_page_size */
	uint64_t gpa, size;
};

/* slot 1 of the touch workloads, for touch_owner (touch_backing()) */
static struct bench_mem touch_mem;
static const struct workload *touch_owner;

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* mov esi, N; L: xor eax,eax; cpuid; dec esi; jnz L; mov [0x800],ebx; hlt */
static size_t build_cpuid(uint8_t *c, const struct run_arg *a)
{
	static const uint8_t code[] = {
		0x66, 0xbe, 0, 0, 0, 0, 0x66, 0x31, 0xc0, 0x0f, 0xa2,
		0x66, 0x4e, 0x75, 0xf7, 0x66, 0x89, 0x1e, 0x00, 0x08, 0xf4,
	};
	memcpy(c, code, sizeof(code));
	put32(c + 2, a->n);
	return sizeof(code);
}

/* mov esi, N; L: out 0x80, al; dec esi; jnz L; hlt */
static size_t build_pio(uint8_t *c, const struct run_arg *a)
{
	static const uint8_t code[] = {
		0x66, 0xbe, 0, 0, 0, 0, 0xe6, 0x80, 0x66, 0x4e, 0x75, 0xfa, 0xf4,
	};
	memcpy(c, code, sizeof(code));
	put32(c + 2, a->n);
	return sizeof(code);
}

/* mov esi, N; mov ax, 0x1000 + 0x100 * start; L: mov es, ax;
 * mov byte es:[0], 1; add ax, 0x100; dec esi; jnz L; hlt
 *   -- one fresh 4K page per round, from 0x10000 + start pages
 */
static size_t build_npf(uint8_t *c, const struct run_arg *a)
{
	static const uint8_t code[] = {
		0x66, 0xbe, 0, 0, 0, 0, 0xb8, 0x00, 0x10, 0x8e, 0xc0,
		0x26, 0xc6, 0x06, 0x00, 0x00, 0x01, 0x05, 0x00, 0x01,
		0x66, 0x4e, 0x75, 0xf1, 0xf4,
	};
	memcpy(c, code, sizeof(code));
	put32(c + 2, a->n);
	put16(c + 7, 0x1000 + 0x100 * a->start);
	return sizeof(code);
}

/* mov esi, N; mov ax, 0xa000; mov es, ax; L: mov es:[0], al; dec esi;
 * jnz L; hlt   -- 0xa0000 has no memory: every store is an MMIO exit
 */
static size_t build_mmio(uint8_t *c, const struct run_arg *a)
{
	static const uint8_t code[] = {
		0x66, 0xbe, 0, 0, 0, 0, 0xb8, 0x00, 0xa0, 0x8e, 0xc0,
		0x26, 0xa2, 0x00, 0x00, 0x66, 0x4e, 0x75, 0xf8, 0xf4,
	};
	memcpy(c, code, sizeof(code));
	put32(c + 2, a->n);
	return sizeof(code);
}

/* mov esi, N; mov ax, 0xa000; mov es, ax; L: mov eax, es:[0]; dec esi;
 * jnz L; mov [0x800], eax; hlt   -- a 32-bit read of the demo device's
 * status register at 0xa0000 (in the kernel under multios_hv)
 */
static size_t build_demo(uint8_t *c, const struct run_arg *a)
{
	static const uint8_t code[] = {
		0x66, 0xbe, 0, 0, 0, 0, 0xb8, 0x00, 0xa0, 0x8e, 0xc0,
		0x26, 0x66, 0xa1, 0x00, 0x00, 0x66, 0x4e, 0x75, 0xf7,
		0x66, 0xa3, 0x00, 0x08, 0xf4,
	};
	memcpy(c, code, sizeof(code));
	put32(c + 2, a->n);
	return sizeof(code);
}

/* 32-bit: mov esi, N; mov edi, GPA; L: mov byte [edi], 1;
 * add edi, 4096; dec esi; jnz L; hlt   -- one byte in each 4K page
 */
static size_t build_touch(uint8_t *c, const struct run_arg *a)
{
	static const uint8_t code[] = {
		0xbe, 0, 0, 0, 0, 0xbf, 0, 0, 0, 0, 0xc6, 0x07, 0x01,
		0x81, 0xc7, 0x00, 0x10, 0x00, 0x00, 0x4e, 0x75, 0xf4, 0xf4,
	};
	memcpy(c, code, sizeof(code));
	put32(c + 1, a->n);
	put32(c + 6, a->start);
	return sizeof(code);
}

static int check_esi(const struct hv_ops *hv, void *ctx)
{
	uint32_t esi = 1;

	return hv->get_esi(ctx, &esi) || esi != 0 ? -EINVAL : 0;
}

static int check_cpuid(const struct hv_ops *hv, void *ctx,
		       const struct workload *w, const struct run_arg *a,
		       const struct run_res *res)
{
	unsigned int eax, b, c, d;
	uint32_t ebx;

	(void)w;
	(void)a;
	__cpuid(0, eax, b, c, d);
	memcpy(&ebx, hv->mem(ctx) + BENCH_RESULT_ADDR, 4);
	return ebx == b && res->user_exits == 0 ? check_esi(hv, ctx) : -EINVAL;
}

static int check_exits(const struct hv_ops *hv, void *ctx,
		       const struct workload *w, const struct run_arg *a,
		       const struct run_res *res)
{
	(void)w;
	return res->user_exits == a->n ? check_esi(hv, ctx) : -EINVAL;
}

/* Every page of the run written, and the faults counted where known. */
static int check_npf(const struct hv_ops *hv, void *ctx,
		     const struct workload *w, const struct run_arg *a,
		     const struct run_res *res)
{
	uint8_t *mem = hv->mem(ctx) + 0x10000 + a->start * 0x1000;
	uint32_t i;

	(void)w;
	for (i = 0; i < a->n; i++)
		if (mem[i * 0x1000] != 1)
			return -EINVAL;
	if (!a->warm && res->before.faults != BENCH_UNKNOWN &&
	    res->after.faults - res->before.faults != a->n)
		return -EINVAL;
	return res->user_exits == 0 ? check_esi(hv, ctx) : -EINVAL;
}

/*
 * The guest read the status register's value, N times: in the kernel
 * (the device counted N reads, no exit reached userspace) or, without an
 * in-kernel device, with N MMIO exits to userspace.
 */
static int check_demo(const struct hv_ops *hv, void *ctx,
		      const struct workload *w, const struct run_arg *a,
		      const struct run_res *res)
{
	uint32_t eax;

	(void)w;
	memcpy(&eax, hv->mem(ctx) + BENCH_RESULT_ADDR, 4);
	if (eax != BENCH_DEMO_STATUS)
		return -EINVAL;
	if (hv->add_demo ? res->demo_reads != a->n || res->user_exits :
	    res->user_exits != a->n)
		return -EINVAL;
	return check_esi(hv, ctx);
}

static uint64_t page_bytes(uint32_t page_size)
{
	return page_size == MHV_PAGE_SIZE_1G ? 1ull << 30 :
	       page_size == MHV_PAGE_SIZE_2M ? 2ull << 20 : 4096;
}

static uint64_t faults_at(const struct bench_maps *m, uint32_t page_size)
{
	return page_size == MHV_PAGE_SIZE_1G ? m->faults_1g :
	       page_size == MHV_PAGE_SIZE_2M ? m->faults_2m : m->faults_4k;
}

/*
 * Every 4K page of the run's range holds the 1 the guest wrote, and the
 * range (in slot 1, touched for the first time) was mapped at the page
 * size asked for: multios_hv filled one fault per page of its page
 * size, all of that size; KVM maps at least the range's worth of pages
 * of the backing's size (THP: 2M, hugetlbfs: 1G).
 */
static int check_touch(const struct hv_ops *hv, void *ctx,
		       const struct workload *w, const struct run_arg *a,
		       const struct run_res *res)
{
	uint64_t bytes = (uint64_t)a->n * 4096, i, pages;
	uint8_t *mem = a->warm ? hv->mem(ctx) + a->start :
		       touch_mem.base + (a->start - w->gpa);

	for (i = 0; i < a->n; i++)
		if (mem[i * 4096] != 1)
			return -EINVAL;
	if (res->user_exits || check_esi(hv, ctx))
		return -EINVAL;
	if (a->warm)
		return 0;
	pages = (bytes + page_bytes(w->page_size) - 1) /
		page_bytes(w->page_size);
	if (res->before.faults != BENCH_UNKNOWN &&
	    (res->after.faults - res->before.faults != pages ||
	     faults_at(&res->after, w->page_size) -
	     faults_at(&res->before, w->page_size) != pages))
		return -EINVAL;
	if (w->backing == BENCH_BACK_THP &&
	    res->after.pages_2m != BENCH_UNKNOWN &&
	    res->after.pages_2m < bytes >> 21)
		return -EINVAL;
	if (w->backing == BENCH_BACK_1G &&
	    res->after.pages_1g != BENCH_UNKNOWN && res->after.pages_1g < 1)
		return -EINVAL;
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int counters(const struct hv_ops *hv, void *ctx,
		    const struct workload *w, struct bench_maps *m,
		    uint64_t *reads)
{
	if (w->demo && hv->add_demo && hv->demo_reads(ctx, reads))
		return -EIO;
	return hv->maps(ctx, m);
}

/*
 * Load @a's code into the VM, start its vCPU at BENCH_LOAD_ADDR again,
 * run it to HLT and check what it did: the time in ns, or < 0.
 */
static double timed_run(const struct hv_ops *hv, void *ctx,
			const struct workload *w, const struct run_arg *a)
{
	struct run_res res = { 0 };
	uint64_t reads0 = 0, reads1 = 0;
	uint8_t code[64];
	size_t len = w->build(code, a);
	double t0, t1;
	int r;

	memcpy(hv->mem(ctx) + BENCH_LOAD_ADDR, code, len);
	r = hv->restart(ctx);
	if (!r)
		r = counters(hv, ctx, w, &res.before, &reads0);
	if (r) {
		fprintf(stderr, "mhv-bench: %s: %s: cannot restart the vCPU (%s)\n",
			hv->name, w->name, strerror(-r));
		return -1;
	}
	t0 = now_ns();
	r = hv->run(ctx, &res.user_exits);
	t1 = now_ns();
	if (!r)
		r = counters(hv, ctx, w, &res.after, &reads1);
	res.demo_reads = reads1 - reads0;
	if (!r)
		r = w->check(hv, ctx, w, a, &res);
	if (r) {
		fprintf(stderr, "mhv-bench: %s: %s gave a wrong result (%s)\n",
			hv->name, w->name, strerror(-r));
		return -1;
	}
	return t1 - t0;
}

/* A fresh VM for @w (its code built for @a), the demo device added. */
static void *new_vm(const struct hv_ops *hv, const struct workload *w,
		    const struct bench_guest *g)
{
	void *ctx;
	int r = hv->setup(&ctx, g);

	if (!r && w->demo && hv->add_demo) {
		r = hv->add_demo(ctx);
		if (r)
			hv->teardown(ctx);
	}
	if (r) {
		fprintf(stderr, "mhv-bench: %s: %s: setup failed: %s\n",
			hv->name, w->name, strerror(-r));
		return NULL;
	}
	return ctx;
}

/*
 * Exits: a warm run of N_short (untimed), then N_short and N_long timed
 * on the same VM and vCPU; ns per exit = the difference over the
 * difference. The npf workload takes fresh pages in each run.
 */
static double measure_exits(const struct hv_ops *hv, const struct workload *w)
{
	struct run_arg warm = { w->n_short, 0, 1 };
	struct run_arg s = { w->n_short, w->n_short, 0 };
	struct run_arg l = { w->n_long, 2 * w->n_short, 0 };
	uint8_t code[64];
	struct bench_guest g = {
		.code = code, .len = w->build(code, &warm),
	};
	void *ctx = new_vm(hv, w, &g);
	double ts = -1, tl = -1;

	if (!ctx)
		return NAN;
	if (timed_run(hv, ctx, w, &warm) >= 0) {
		ts = timed_run(hv, ctx, w, &s);
		if (ts >= 0)
			tl = timed_run(hv, ctx, w, &l);
	}
	hv->teardown(ctx);
	if (tl < 0)
		return NAN;
	return (tl - ts) / (w->n_long - w->n_short);
}

/*
 * The touch workloads' slot 1 memory (touch_mem, of touch_owner):
 * allocated and faulted in once per workload (host THP or hugetlbfs
 * pages allocated and cleared outside the timings), then given to each
 * VM in turn.
 */
static uint8_t *touch_backing(const struct workload *w)
{
	uint64_t i;

	if (touch_owner == w)
		return touch_mem.base;
	bench_mem_free(&touch_mem);
	touch_owner = NULL;
	if (!w || bench_mem_alloc(&touch_mem, w->backing, w->size))
		return NULL;
	for (i = 0; i < w->size; i += 4096)
		touch_mem.base[i] = 0;
	touch_owner = w;
	return touch_mem.base;
}

/*
 * Touch: a warm run touching one page of slot 0 (untimed), then 64 MiB
 * of slot 1, new to the VM, timed on the same VM and vCPU: ns per MiB.
 */
static double measure_touch(const struct hv_ops *hv, const struct workload *w)
{
	struct run_arg warm = { 1, TOUCH_WARM_GPA, 1 };
	struct run_arg a = { TOUCH_BYTES / 4096, w->gpa, 0 };
	uint8_t code[64];
	struct bench_guest g = {
		.code = code, .len = w->build(code, &warm), .flat32 = 1,
		.page_size = w->page_size, .big_gpa = w->gpa,
		.big_size = w->size, .big = touch_backing(w),
	};
	void *ctx;
	double t = -1;
	uint32_t i;

	if (!g.big) {
		fprintf(stderr, "mhv-bench: %s: no memory for slot 1\n", w->name);
		return NAN;
	}
	for (i = 0; i < TOUCH_BYTES; i += 4096)
		g.big[i] = 0;	/* what the guest sets to 1 */
	ctx = new_vm(hv, w, &g);
	if (!ctx)
		return NAN;
	if (timed_run(hv, ctx, w, &warm) >= 0)
		t = timed_run(hv, ctx, w, &a);
	hv->teardown(ctx);
	return t < 0 ? NAN : t / (TOUCH_BYTES >> 20);
}

#define EXITS(nm, wh, ns, nl, dm, b, c, ...)				\
	{ .name = nm, .what = wh, .unit = "exit", .n_short = ns,	\
	  .n_long = nl, .demo = dm, .build = b, .check = c,		\
	  .measure = measure_exits, __VA_ARGS__ }
#define TOUCH(nm, wh, back, ps, where, len)				\
	{ .name = nm, .what = wh, .unit = "MiB", .build = build_touch,	\
	  .check = check_touch, .measure = measure_touch,		\
	  .backing = back, .page_size = ps, .gpa = where, .size = len }

static const struct workload workloads[] = {
	EXITS("cpuid_exit", "CPUID exit handled in the kernel", 500, 2500, 0,
	      build_cpuid, check_cpuid),
	EXITS("pio_exit", "port output exit to the userspace run loop", 500,
	      2500, 0, build_pio, check_exits),
	/* 8 + 8 + 128 fresh pages: 0x10000 .. 0x9ffff */
	EXITS("npf", "nested page fault on a fresh 4K page", 8, 128, 0,
	      build_npf, check_npf),
	/*
	 * The two MMIO workloads spread most from one VM to the next (on
	 * either side): more rounds (Documentation/performance.rst)
	 */
	EXITS("mmio_exit", "MMIO exit to userspace", 500, 2500, 0,
	      build_mmio, check_exits, .long_secs = 1),
	EXITS("dev_mmio", "demo register read (MMIO); KVM: userspace", 500,
	      2500, 1, build_demo, check_demo, .long_secs = 1),
	/* slot 1: 64 MiB at 64 MiB (THP), 1 GiB at 1 GiB (hugetlbfs) */
	TOUCH("touch_4k", "64 MiB touched, 4K pages; KVM: THP (2M)",
	      BENCH_BACK_THP, MHV_PAGE_SIZE_4K, 64u << 20, 64u << 20),
	TOUCH("touch_2m", "64 MiB touched, 2M pages (THP); KVM: THP",
	      BENCH_BACK_THP, MHV_PAGE_SIZE_2M, 64u << 20, 64u << 20),
	TOUCH("touch_1g", "64 MiB touched, 1G page (hugetlbfs); KVM too",
	      BENCH_BACK_1G, MHV_PAGE_SIZE_1G, 1u << 30, 1u << 30),
};

/* ---- trace_overhead: the CPUID loop with and without a listener ------------ */

#define TRACE_N		20000
/* pairs at least: single pairs spread widely on a shared host */
#define TRACE_ROUNDS	30

struct listener {
	struct mhv_trace *t;
	volatile int stop;
	uint64_t events;
	uint64_t lost_ring;	/* what drop records counted: a ring full */
};

static int count_event(const struct mhv_trace_event *e, void *arg)
{
	struct listener *l = arg;

	l->events++;
	if (e->type == MHV_TRACE_DROP && e->drop_where == MHV_TRACE_DROP_RING)
		l->lost_ring += e->dropped;
	return 0;
}

static void *listen_all(void *arg)
{
	struct listener *l = arg;
	struct pollfd p = { .fd = mhv_trace_fd(l->t), .events = POLLIN };

	while (!l->stop)
		if (poll(&p, 1, 20) > 0)
			mhv_trace_read(l->t, count_event, l);
	return NULL;
}

/* ns per CPUID exit under multios_hv, measured as the other workloads;
 * NAN on failure
 */
static double run_cpuid(uint32_t n)
{
	static const struct workload w = EXITS("trace", "", 0, 0, 0,
					       build_cpuid, check_cpuid);
	struct workload x = w;

	x.n_short = n / 10;
	x.n_long = n;
	return measure_exits(&mhv_hv_ops, &x);
}

/*
 * Untraced: nobody subscribed. Traced: a thread of this process
 * subscribed to every event type (entries included) and reading them.
 * ratio = untraced / traced (1.0: tracing costs nothing). events: what
 * the listener read; dropped: what its drop records counted (0: it kept
 * up, the ratio is that of a listener receiving every event).
 */
static int bench_trace(int rounds)
{
	double t[2][100];
	struct bench_ci r, side[2];
	struct mhv_trace_filter f = { 0 };
	struct listener l = { 0 };
	unsigned long long dropped = 0, lost = 0;
	pthread_t th;
	int i, h;

	if (rounds < TRACE_ROUNDS)
		rounds = TRACE_ROUNDS;
	if (rounds > (int)(sizeof(t[0]) / sizeof(t[0][0])))
		rounds = sizeof(t[0]) / sizeof(t[0][0]);
	for (i = 0; i < rounds; i++) {
		for (h = 0; h < 2; h++) {
			int traced = (i + h) % 2;

			if (traced) {
				if (mhv_trace_open(&l.t))
					return -1;
				f.events = ~0u;
				/* room for bursts the reader is late for */
				if (mhv_trace_set_rcvbuf(l.t, 4 << 20) ||
				    mhv_trace_subscribe(l.t, &f) ||
				    mhv_trace_set_nonblocking(l.t))
					return -1;
				l.stop = 0;
				pthread_create(&th, NULL, listen_all, &l);
			}
			t[traced][i] = run_cpuid(TRACE_N);
			if (traced) {
				l.stop = 1;
				pthread_join(th, NULL);
				lost = mhv_trace_dropped(l.t);
				dropped += lost;
				mhv_trace_close(l.t);
			}
			if (isnan(t[traced][i]))
				return -1;
		}
		if (verbose)
			fprintf(stderr, "mhv-bench: trace_overhead round %d: untraced %.2f us, traced %.2f us, %llu dropped\n",
				i + 1, t[0][i] / 1000, t[1][i] / 1000, lost);
	}
	/*
	 * The ratio of each round's pair, run back to back, then their
	 * median and its interval: the host's load drifts between rounds
	 * more than between the two runs of one round.
	 */
	if (bench_pair_ratio_ci(t[1], t[0], rounds, &r) ||
	    bench_median_ci(t[0], rounds, &side[0]) ||
	    bench_median_ci(t[1], rounds, &side[1]))
		return -1;
	printf("bench trace_overhead ratio=%.2f ci=[%.2f,%.2f] untraced_us=%.2f traced_us=%.2f events=%llu dropped=%llu dropped_ring=%llu rounds=%d\n",
	       r.est, r.lo, r.hi, side[0].est / 1000, side[1].est / 1000,
	       (unsigned long long)l.events, dropped,
	       (unsigned long long)l.lost_ring, rounds);
	return 0;
}

struct result {
	struct bench_ci side[2];	/* multios_hv, KVM: ns per unit */
	struct bench_ci ratio;		/* KVM / multios_hv */
	int rounds;
	int narrow;			/* ratio within +-RATIO_HALF */
	const char *skipped;		/* why it did not run, or NULL */
	int off;			/* not asked for (--only) */
};

/*
 * Rounds of @w, both hypervisors in each, alternating which goes first,
 * until the ratio's interval is within +-RATIO_HALF (after @min_rounds)
 * or WORKLOAD_SECS (LONG_SECS) have gone by. The ratio is the median of
 * the rounds' ratios (the two runs of a round are close in time and
 * share the host's load of the moment), with its distribution-free
 * interval; each side's median and interval are its own.
 */
static int bench_workload(const struct workload *w, int min_rounds,
			  struct result *res)
{
	const struct hv_ops *hvs[2] = { &mhv_hv_ops, &kvm_hv_ops };
	double t[2][MAX_ROUNDS], start = now_ns();
	double secs = w->long_secs ? LONG_SECS : WORKLOAD_SECS;
	struct bench_ci *q = &res->ratio;
	int i, h;

	for (i = 0; i < MAX_ROUNDS; i++) {
		for (h = 0; h < 2; h++) {
			int which = (i + h) % 2;

			t[which][i] = w->measure(hvs[which], w);
			if (isnan(t[which][i]))
				return -1;
		}
		if (verbose)
			fprintf(stderr, "mhv-bench: %s round %d: multios_hv %.2f us, KVM %.2f us\n",
				w->name, i + 1, t[0][i] / 1000, t[1][i] / 1000);
		if (i + 1 < min_rounds)
			continue;
		if (bench_pair_ratio_ci(t[0], t[1], i + 1, q)) {
			fprintf(stderr, "mhv-bench: %s: no ratio interval\n",
				w->name);
			return -1;
		}
		res->narrow = q->est - q->lo < RATIO_HALF &&
			      q->hi - q->est < RATIO_HALF;
		if (res->narrow || now_ns() - start > secs * 1e9)
			break;
	}
	res->rounds = i < MAX_ROUNDS ? i + 1 : MAX_ROUNDS;
	fprintf(stderr, "mhv-bench: %s: %d rounds, %.0f s\n", w->name,
		res->rounds, (now_ns() - start) / 1e9);
	for (h = 0; h < 2; h++)
		if (bench_median_ci(t[h], res->rounds, &res->side[h])) {
			fprintf(stderr, "mhv-bench: %s: no median interval\n",
				w->name);
			return -1;
		}
	return 0;
}

/*
 * Why @w cannot run in this machine, or NULL: its backing cannot be had
 * (no 1G hugetlbfs page reserved), or multios_hv refuses its page size
 * (the CPU cannot map it: MHV_CAP_PAGE_2M/1G).
 */
static const char *touch_skipped(const struct workload *w)
{
	struct mhv_caps caps;
	int sys;

	if (w->measure != measure_touch)
		return NULL;
	if (!touch_backing(w))
		return w->backing == BENCH_BACK_1G ?
		       "no 1G hugetlbfs page (/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages is 0: the test VM could not reserve one)" :
		       "cannot map the guest memory";
	sys = mhv_open_system();
	if (sys < 0 || mhv_get_caps(sys, &caps))
		return "cannot read multios_hv's capabilities";
	mhv_close(sys);
	if ((w->page_size == MHV_PAGE_SIZE_2M &&
	     !(caps.flags & MHV_CAP_PAGE_2M)) ||
	    (w->page_size == MHV_PAGE_SIZE_1G &&
	     !(caps.flags & MHV_CAP_PAGE_1G)))
		return "the CPU has no second-level pages of that size";
	if ((w->size >> 20) + 2 > caps.max_mem_mb)
		return "the slot is larger than multios_hv allows here (max_mem_mb: half the RAM)";
	return NULL;
}

/* Where the module says which world-switch barriers it runs with. */
#define BARRIERS_PARAM	"/sys/module/multios_hv/parameters/world_switch_barriers"

static int read_barriers(char *buf, size_t len)
{
	FILE *f = fopen(BARRIERS_PARAM, "r");
	size_t n;

	if (!f) {
		fprintf(stderr, "mhv-bench: %s: %s\n", BARRIERS_PARAM,
			strerror(errno));
		return -1;
	}
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = 0;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

static void print_json(const struct result *res, size_t nw, int rounds,
		       const char *barriers)
{
	const char *sep = "";
	size_t w;

	printf("{\"min_rounds\": %d, \"world_switch_barriers\": \"%s\", "
	       "\"workloads\": [", rounds, barriers);
	for (w = 0; w < nw; w++) {
		const struct result *r = &res[w];

		if (r->off)
			continue;
		printf("%s{\"name\": \"%s\", \"unit\": \"%s\"", sep,
		       workloads[w].name, workloads[w].unit);
		sep = ", ";
		if (r->skipped) {
			printf(", \"skipped\": \"%s\"}", r->skipped);
			continue;
		}
		printf(", \"rounds\": %d, \"multios_hv_ns\": %.1f, "
		       "\"multios_hv_ci_ns\": [%.1f, %.1f], \"kvm_ns\": %.1f, "
		       "\"kvm_ci_ns\": [%.1f, %.1f], \"ratio\": %.3f, "
		       "\"ratio_ci\": [%.3f, %.3f], \"ratio_ci_within_0.1\": %s}",
		       r->rounds, r->side[0].est, r->side[0].lo, r->side[0].hi,
		       r->side[1].est, r->side[1].lo, r->side[1].hi,
		       r->ratio.est, r->ratio.lo, r->ratio.hi,
		       r->narrow ? "true" : "false");
	}
	printf("]}\n");
}

static void print_text(const struct result *res, size_t nw,
		       const char *barriers)
{
	size_t w;

	printf("bench: multios_hv world-switch barriers: %s\n", barriers);
	printf("%-11s %-42s %-23s %-23s %-18s %s\n", "workload", "what",
	       "multios_hv [95% CI]", "KVM [95% CI]", "ratio [95% CI]",
	       "rounds");
	for (w = 0; w < nw; w++) {
		const struct result *r = &res[w];
		char m[32], k[32];

		if (r->off)
			continue;
		if (r->skipped) {
			printf("%-11s %-42s skipped: %s\n", workloads[w].name,
			       workloads[w].what, r->skipped);
			continue;
		}
		snprintf(m, sizeof(m), "%.1f [%.1f-%.1f]",
			 r->side[0].est / 1000, r->side[0].lo / 1000,
			 r->side[0].hi / 1000);
		snprintf(k, sizeof(k), "%.1f [%.1f-%.1f]",
			 r->side[1].est / 1000, r->side[1].lo / 1000,
			 r->side[1].hi / 1000);
		printf("%-11s %-42s %-23s %-23s %.2f [%.2f-%.2f] %4d%s\n",
		       workloads[w].name, workloads[w].what, m, k, r->ratio.est,
		       r->ratio.lo, r->ratio.hi, r->rounds,
		       r->narrow ? "" : " (interval wider than +-0.1)");
	}
	printf("(us per exit, or per MiB for touch_*: median and its 95%% interval; ratio = KVM / multios_hv,\n"
	       " above 1.0 means multios_hv is faster: the median of the rounds' ratios and its 95%% interval)\n");
	for (w = 0; w < nw; w++) {
		const struct result *r = &res[w];

		if (r->off)
			continue;
		if (r->skipped) {
			printf("bench %s skipped: %s\n", workloads[w].name,
			       r->skipped);
			continue;
		}
		printf("bench %s ratio=%.2f ci=[%.2f,%.2f] per=%s mhv_us=%.2f mhv_ci_us=[%.2f,%.2f] kvm_us=%.2f kvm_ci_us=[%.2f,%.2f] rounds=%d\n",
		       workloads[w].name, r->ratio.est, r->ratio.lo,
		       r->ratio.hi, workloads[w].unit, r->side[0].est / 1000,
		       r->side[0].lo / 1000, r->side[0].hi / 1000,
		       r->side[1].est / 1000, r->side[1].lo / 1000,
		       r->side[1].hi / 1000, r->rounds);
	}
}

#define TRACE_NAME	"trace_overhead"

/*
 * --only @list (comma separated): res[w].off for the workloads not in
 * it, *trace whether trace_overhead is; -1 for a name that is none.
 */
static int select_only(char *list, struct result *res, size_t nw, int *trace)
{
	char *name, *save = NULL;
	size_t w;

	for (w = 0; w < nw; w++)
		res[w].off = 1;
	*trace = 0;
	for (name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		for (w = 0; w < nw && strcmp(name, workloads[w].name); w++)
			;
		if (w < nw) {
			res[w].off = 0;
		} else if (!strcmp(name, TRACE_NAME)) {
			*trace = 1;
		} else {
			fprintf(stderr, "mhv-bench: no workload %s; there are", name);
			for (w = 0; w < nw; w++)
				fprintf(stderr, " %s", workloads[w].name);
			fprintf(stderr, " %s\n", TRACE_NAME);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	size_t nw = sizeof(workloads) / sizeof(workloads[0]), w;
	struct result res[sizeof(workloads) / sizeof(workloads[0])] = { 0 };
	int rounds = MIN_ROUNDS, json = 0, trace = 1, i;
	char barriers[512];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--verbose")) {
			verbose = 1;
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = atoi(argv[++i]);
			if (rounds < MIN_ROUNDS || rounds > MAX_ROUNDS)
				rounds = MIN_ROUNDS;
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			if (select_only(argv[++i], res, nw, &trace))
				return 2;
		} else {
			fprintf(stderr, "usage: mhv-bench [--rounds N] [--json] [--only NAME,...] [--verbose]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (read_barriers(barriers, sizeof(barriers)))
		return 1;
	for (w = 0; w < nw; w++) {
		if (res[w].off)
			continue;
		res[w].skipped = touch_skipped(&workloads[w]);
		if (!res[w].skipped && bench_workload(&workloads[w], rounds,
						      &res[w]))
			return 1;
	}
	touch_backing(NULL);
	if (json) {
		print_json(res, nw, rounds, barriers);
		return 0;
	}
	for (w = 0; w < nw && res[w].off; w++)
		;
	if (w < nw)
		print_text(res, nw, barriers);
	else
		printf("bench: multios_hv world-switch barriers: %s\n", barriers);
	return trace && bench_trace(rounds) ? 1 : 0;
}
