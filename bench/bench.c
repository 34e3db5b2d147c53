// SPDX-License-Identifier: GPL-2.0
/*
 * mhv-bench: the same guest workloads under multios_hv and under KVM, in
 * the same machine, alternating, several rounds; reports the median cost
 * per exit and the ratio KVM / multios_hv (above 1: multios_hv is faster).
 * Absolute times inside an emulator mean little; ratios do.
 *
 *   mhv-bench [--rounds N] [--json]
 *
 * Every run is checked (the guest computed what it should, the exits
 * were counted) before its time counts.
 */
#include <cpuid.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "libmultios_hv.h"

struct workload {
	const char *name;
	const char *what;
	uint32_t n;		/* exits (or pages) per run */
	int demo;		/* needs the demo device (hv_ops.add_demo) */
	size_t (*build)(uint8_t *code, uint32_t n);
	int (*check)(const struct hv_ops *hv, void *ctx, uint32_t n,
		     uint64_t user_exits);
};

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* mov esi, N; L: xor eax,eax; cpuid; dec esi; jnz L; mov [0x800],ebx; hlt */
static size_t build_cpuid(uint8_t *c, uint32_t n)
{
	static const uint8_t code[] = {
		0x66, 0xbe, 0, 0, 0, 0, 0x66, 0x31, 0xc0, 0x0f, 0xa2,
		0x66, 0x4e, 0x75, 0xf7, 0x66, 0x89, 0x1e, 0x00, 0x08, 0xf4,
	};
	memcpy(c, code, sizeof(code));
	put32(c + 2, n);
	return sizeof(code);
}

/* mov esi, N; L: out 0x80, al; dec esi; jnz L; hlt */
static size_t build_pio(uint8_t *c, uint32_t n)
{
	static const uint8_t code[] = {
		0x66, 0xbe, 0, 0, 0, 0, 0xe6, 0x80, 0x66, 0x4e, 0x75, 0xfa, 0xf4,
	};
	memcpy(c, code, sizeof(code));
	put32(c + 2, n);
	return sizeof(code);
}

/* mov esi, N; mov ax, 0x1000; L: mov es, ax; mov byte es:[0], 1;
 * add ax, 0x100; dec esi; jnz L; hlt   -- one fresh 4K page per round
 */
static size_t build_npf(uint8_t *c, uint32_t n)
{
	static const uint8_t code[] = {
		0x66, 0xbe, 0, 0, 0, 0, 0xb8, 0x00, 0x10, 0x8e, 0xc0,
		0x26, 0xc6, 0x06, 0x00, 0x00, 0x01, 0x05, 0x00, 0x01,
		0x66, 0x4e, 0x75, 0xf1, 0xf4,
	};
	memcpy(c, code, sizeof(code));
	put32(c + 2, n);
	return sizeof(code);
}

/* mov esi, N; mov ax, 0xa000; mov es, ax; L: mov es:[0], al; dec esi;
 * jnz L; hlt   -- 0xa0000 has no memory: every store is an MMIO exit
 */
static size_t build_mmio(uint8_t *c, uint32_t n)
{
	static const uint8_t code[] = {
		0x66, 0xbe, 0, 0, 0, 0, 0xb8, 0x00, 0xa0, 0x8e, 0xc0,
		0x26, 0xa2, 0x00, 0x00, 0x66, 0x4e, 0x75, 0xf8, 0xf4,
	};
	memcpy(c, code, sizeof(code));
	put32(c + 2, n);
	return sizeof(code);
}

/* mov esi, N; mov ax, 0xa000; mov es, ax; L: mov eax, es:[0]; dec esi;
 * jnz L; mov [0x800], eax; hlt   -- a 32-bit read of the demo device's
 * status register at 0xa0000 (in the kernel under multios_hv)
 */
static size_t build_demo(uint8_t *c, uint32_t n)
{
	static const uint8_t code[] = {
		0x66, 0xbe, 0, 0, 0, 0, 0xb8, 0x00, 0xa0, 0x8e, 0xc0,
		0x26, 0x66, 0xa1, 0x00, 0x00, 0x66, 0x4e, 0x75, 0xf7,
		0x66, 0xa3, 0x00, 0x08, 0xf4,
	};
	memcpy(c, code, sizeof(code));
	put32(c + 2, n);
	return sizeof(code);
}

static int check_esi(const struct hv_ops *hv, void *ctx)
{
	uint32_t esi = 1;

	return hv->get_esi(ctx, &esi) || esi != 0 ? -EINVAL : 0;
}

static int check_cpuid(const struct hv_ops *hv, void *ctx, uint32_t n,
		       uint64_t user_exits)
{
	unsigned int a, b, c, d;
	uint32_t ebx;

	(void)n;
	__cpuid(0, a, b, c, d);
	memcpy(&ebx, hv->mem(ctx) + BENCH_RESULT_ADDR, 4);
	return ebx == b && user_exits == 0 ? check_esi(hv, ctx) : -EINVAL;
}

static int check_exits(const struct hv_ops *hv, void *ctx, uint32_t n,
		       uint64_t user_exits)
{
	return user_exits == n ? check_esi(hv, ctx) : -EINVAL;
}

static int check_npf(const struct hv_ops *hv, void *ctx, uint32_t n,
		     uint64_t user_exits)
{
	uint8_t *mem = hv->mem(ctx);
	uint32_t i;

	for (i = 0; i < n; i++)
		if (mem[0x10000 + i * 0x1000] != 1)
			return -EINVAL;
	return user_exits == 0 ? check_esi(hv, ctx) : -EINVAL;
}

/*
 * The guest read the status register's value, N times: in the kernel
 * (the device counted N reads, no exit reached userspace) or, without an
 * in-kernel device, with N MMIO exits to userspace.
 */
static int check_demo(const struct hv_ops *hv, void *ctx, uint32_t n,
		      uint64_t user_exits)
{
	uint64_t reads = 0;
	uint32_t eax;

	memcpy(&eax, hv->mem(ctx) + BENCH_RESULT_ADDR, 4);
	if (eax != BENCH_DEMO_STATUS)
		return -EINVAL;
	if (hv->add_demo) {
		if (hv->demo_reads(ctx, &reads) || reads != n || user_exits)
			return -EINVAL;
	} else if (user_exits != n) {
		return -EINVAL;
	}
	return check_esi(hv, ctx);
}

static const struct workload workloads[] = {
	{ "cpuid_exit", "CPUID exit handled in the kernel", 2000, 0,
	  build_cpuid, check_cpuid },
	{ "pio_exit", "port output exit to the userspace run loop", 2000, 0,
	  build_pio, check_exits },
	{ "npf", "nested page fault on a fresh 4K page", 128, 0,
	  build_npf, check_npf },
	{ "mmio_exit", "MMIO exit to userspace", 2000, 0,
	  build_mmio, check_exits },
	{ "dev_mmio", "demo register read (MMIO); KVM: userspace", 2000, 1,
	  build_demo, check_demo },
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One measured run: ns per exit, or < 0 on failure. */
static double run_once(const struct hv_ops *hv, const struct workload *w)
{
	uint8_t code[64];
	size_t len = w->build(code, w->n);
	uint64_t user_exits = 0;
	void *ctx;
	double t0, t1;
	int r;

	r = hv->setup(&ctx, code, len);
	if (!r && w->demo && hv->add_demo) {
		r = hv->add_demo(ctx);
		if (r)
			hv->teardown(ctx);
	}
	if (r) {
		fprintf(stderr, "mhv-bench: %s: setup failed: %s\n", hv->name,
			strerror(-r));
		return -1;
	}
	t0 = now_ns();
	r = hv->run(ctx, &user_exits);
	t1 = now_ns();
	if (!r)
		r = w->check(hv, ctx, w->n, user_exits);
	hv->teardown(ctx);
	if (r) {
		fprintf(stderr, "mhv-bench: %s: %s gave a wrong result (%s)\n",
			hv->name, w->name, strerror(-r));
		return -1;
	}
	return (t1 - t0) / w->n;
}

static int cmp_double(const void *a, const void *b);

/* ---- trace_overhead: the CPUID loop with and without a listener ------------ */

#define TRACE_N		20000
/* pairs at least: single pairs spread widely on a shared host */
#define TRACE_ROUNDS	15

struct listener {
	struct mhv_trace *t;
	volatile int stop;
	uint64_t events;
};

static int count_event(const struct mhv_trace_event *e, void *arg)
{
	struct listener *l = arg;

	(void)e;
	l->events++;
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

static double run_cpuid(uint32_t n)
{
	static const struct workload w = { "trace", "", 0, 0, build_cpuid,
					   check_cpuid };
	struct workload x = w;

	x.n = n;
	return run_once(&mhv_hv_ops, &x);
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
	double t[2][100], r[100];
	struct mhv_trace_filter f = { 0 };
	struct listener l = { 0 };
	unsigned long long dropped = 0;
	pthread_t th;
	int i, h;

	if (rounds < TRACE_ROUNDS)
		rounds = TRACE_ROUNDS;
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
				dropped += mhv_trace_dropped(l.t);
				mhv_trace_close(l.t);
			}
			if (t[traced][i] < 0)
				return -1;
		}
	}
	/*
	 * The ratio of each round's pair, run back to back, then their
	 * median: the host's load drifts between rounds more than between
	 * the two runs of one round.
	 */
	for (i = 0; i < rounds; i++)
		r[i] = t[0][i] / t[1][i];
	qsort(r, rounds, sizeof(double), cmp_double);
	qsort(t[0], rounds, sizeof(double), cmp_double);
	qsort(t[1], rounds, sizeof(double), cmp_double);
	printf("bench trace_overhead ratio=%.2f untraced_us=%.2f traced_us=%.2f events=%llu dropped=%llu\n",
	       r[rounds / 2], t[0][rounds / 2] / 1000,
	       t[1][rounds / 2] / 1000, (unsigned long long)l.events, dropped);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct result {
	double med[2], min[2], max[2];
};

int main(int argc, char **argv)
{
	const struct hv_ops *hvs[2] = { &mhv_hv_ops, &kvm_hv_ops };
	size_t nw = sizeof(workloads) / sizeof(workloads[0]);
	struct result res[sizeof(workloads) / sizeof(workloads[0])];
	int rounds = 7, json = 0, i, h, failed = 0;
	size_t w;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = atoi(argv[++i]);
			if (rounds < 1 || rounds > 100)
				rounds = 7;
		} else {
			fprintf(stderr, "usage: mhv-bench [--rounds N] [--json]\n");
			return 2;
		}
	}

	for (w = 0; w < nw; w++) {
		double t[2][100];

		for (i = 0; i < rounds && !failed; i++) {
			/* alternate which hypervisor goes first */
			for (h = 0; h < 2; h++) {
				int which = (i + h) % 2;

				t[which][i] = run_once(hvs[which], &workloads[w]);
				if (t[which][i] < 0)
					failed = 1;
			}
		}
		if (failed)
			break;
		for (h = 0; h < 2; h++) {
			qsort(t[h], rounds, sizeof(double), cmp_double);
			res[w].med[h] = t[h][rounds / 2];
			res[w].min[h] = t[h][0];
			res[w].max[h] = t[h][rounds - 1];
		}
	}
	if (failed)
		return 1;

	if (json) {
		printf("{\"rounds\": %d, \"workloads\": [", rounds);
		for (w = 0; w < nw; w++)
			printf("%s{\"name\": \"%s\", \"n\": %u, \"multios_hv_ns\": %.0f, "
			       "\"kvm_ns\": %.0f, \"multios_hv_min_ns\": %.0f, "
			       "\"multios_hv_max_ns\": %.0f, \"kvm_min_ns\": %.0f, "
			       "\"kvm_max_ns\": %.0f, \"ratio\": %.2f}",
			       w ? ", " : "", workloads[w].name, workloads[w].n,
			       res[w].med[0], res[w].med[1], res[w].min[0],
			       res[w].max[0], res[w].min[1], res[w].max[1],
			       res[w].med[1] / res[w].med[0]);
		printf("]}\n");
		return 0;
	}
	printf("%-11s %-44s %14s %14s %7s %6s\n", "workload", "what",
	       "multios_hv", "KVM", "ratio", "rounds");
	for (w = 0; w < nw; w++)
		printf("%-11s %-44s %11.1f us %11.1f us %7.2f %6d\n",
		       workloads[w].name, workloads[w].what,
		       res[w].med[0] / 1000, res[w].med[1] / 1000,
		       res[w].med[1] / res[w].med[0], rounds);
	printf("(median cost per exit; ratio = KVM / multios_hv, above 1.0 means multios_hv is faster)\n");
	for (w = 0; w < nw; w++)
		printf("bench %s ratio=%.2f mhv_us=%.1f kvm_us=%.1f mhv_spread_us=%.1f-%.1f kvm_spread_us=%.1f-%.1f\n",
		       workloads[w].name, res[w].med[1] / res[w].med[0],
		       res[w].med[0] / 1000, res[w].med[1] / 1000,
		       res[w].min[0] / 1000, res[w].max[0] / 1000,
		       res[w].min[1] / 1000, res[w].max[1] / 1000);
	return bench_trace(rounds) ? 1 : 0;
}
