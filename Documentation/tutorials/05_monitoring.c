// SPDX-License-Identifier: GPL-2.0
/*
 * Tutorial 5: Monitoring and profiling a guest.
 *
 * 1. Monitoring: a performance monitor (libmultios_hv, monitor.c) samples
 *    the VM's stats fd (MHV_GET_STATS_FD) as the guest moves through
 *    phases: a burst of CPUIDs (exits the kernel handles alone), port
 *    writes handed to this program, first touches of memory (nested page
 *    faults). Each sample gives rates (exits, faults, I/O per second),
 *    the hypervisor's share of the vCPU time and the guest's share of a
 *    CPU; a threshold on the exit rate raises an alert.
 * 2. Profiling: the round trip of a port write through this program
 *    (guest -> module -> MHV_RUN returns -> MHV_RUN again -> guest),
 *    timed PROFILE_N times; the summary (mean, standard deviation,
 *    percentiles 50/90/99/99.9) comes from the GNU Scientific Library.
 *    The module's own view of the same exits is its latency histogram.
 * 3. The report.
 * 4. Tracing: a subscriber on the trace channel (libmultios_hv, trace.c;
 *    Documentation/tracing.rst) asks for this VM's CPUID exits only and
 *    watches the guest make TRACE_N of them; each event says the leaf,
 *    where and how long the kernel took. All of a VM's events come
 *    before its DESTROYED event: destroying the VM and reading until
 *    that event is how the program knows it has them all.
 * Build: make; run as root with multios_hv loaded (`make check` runs it).
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "mhv_guest.h"

#define N_CPUID		20000
#define PROFILE_N	300
#define PORT		0x80
#define AREA		0x2000000ULL
#define PAGES		64
#define NAME		"monitoring tutorial"
/*
 * CPUIDs the trace watches. Their events wait in the socket until the
 * program reads them after the guest is gone: a few KiB, well within the
 * receive buffer (a long trace would be read while the guest runs).
 */
#define TRACE_N		16
#define TRACE_LEAF	0x40000000u	/* their leaves: TRACE_LEAF + i */
#define TRACE_SHOWN	3		/* exit events printed */

static void guest_main(uint64_t arg __attribute__((unused)))
{
	uint32_t a, b, c, d;
	int i;

	GUEST_SYNC(0);
	for (i = 0; i < N_CPUID; i++)		/* phase 1: kernel exits */
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(0), "c"(0));
	GUEST_SYNC(1);
	for (i = 0; i < PROFILE_N; i++)		/* phase 2: user exits */
		__asm__ volatile("outb %b0, %w1" : : "a"(i), "d"(PORT));
	GUEST_SYNC(2);
	for (i = 0; i < PAGES; i++)		/* phase 3: faults */
		*(volatile uint64_t *)(AREA + i * 4096ULL) = i;
	GUEST_SYNC(3);
	for (i = 0; i < TRACE_N; i++)		/* phase 4: traced */
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(TRACE_LEAF + i), "c"(0));
	GUEST_DONE();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(const char *what)
{
	fprintf(stderr, "tutorial 5: %s\n", what);
	return 1;
}

static void show_sample(const struct mhv_monitor *m, const char *phase)
{
	const struct mhv_sample *s = mhv_monitor_get(m, m->nr_samples - 1);

	printf("  %-22s %10.0f exits/s %8.0f faults/s %8.0f I/O/s  hypervisor %5.1f%%  guest CPU %5.1f%%\n",
	       phase, s->value[MHV_METRIC_EXIT_RATE],
	       s->value[MHV_METRIC_NPF_RATE], s->value[MHV_METRIC_IO_RATE],
	       100 * s->value[MHV_METRIC_HV_OVERHEAD],
	       100 * s->value[MHV_METRIC_GUEST_CPU]);
}

/* Step 2: time each port write's round trip through this program. */
static int profile_port_writes(struct mhv_guest *g, struct mhv_profile *p)
{
	struct mhv_ucall uc;
	int i, r;

	for (i = 0; i < PROFILE_N; i++) {
		double t0 = now();

		r = mhv_guest_run(g, 0, &uc);
		if (r || g->vcpu[0].run->exit_reason != MHV_EXIT_IO ||
		    g->vcpu[0].run->io.port != PORT)
			return -1;
		/* the first exit only reaches us; later ones are round trips */
		if (i)
			mhv_profile_add(p, (now() - t0) * 1e9);
	}
	return 0;
}

/* Step 4: what the trace subscriber saw of this VM. */
struct trace_watch {
	uint32_t vm_id;
	unsigned int cpuids;	/* CPUID exits of the leaves expected next */
	unsigned int others;	/* anything else the filter let through */
	uint64_t dropped;	/* counts of the drop records */
	int destroyed;		/* the VM's DESTROYED event came */
};

/* This program's VM in the VM list (name and owner pid); 0 if none. */
static uint32_t own_vm_id(void)
{
	struct mhv_vm_entry *v;
	uint32_t id = 0;
	size_t n, i;

	if (mhv_list_vms(&v, &n))
		return 0;
	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, NAME) && v[i].owner_pid == (uint32_t)getpid())
			id = v[i].id;
	free(v);
	return id;
}

/* The next of the guest's CPUIDs: this VM, in order, leaf by leaf. */
static int is_next_cpuid(const struct mhv_trace_event *ev,
			 const struct trace_watch *w)
{
	return ev->vm_id == w->vm_id && ev->exit_reason == MHV_TRACE_X_CPUID &&
	       (uint32_t)ev->exit_arg == TRACE_LEAF + w->cpuids;
}

static int on_event(const struct mhv_trace_event *ev, void *arg)
{
	struct trace_watch *w = arg;
	char line[256];
	int show = 1;

	if (ev->type == MHV_TRACE_DROP)
		w->dropped += ev->dropped;
	else if (ev->type == MHV_TRACE_VM && ev->vm_id == w->vm_id)
		w->destroyed |= ev->lifecycle == MHV_TRACE_VM_DESTROYED;
	else if (ev->type == MHV_TRACE_EXIT && is_next_cpuid(ev, w))
		show = w->cpuids++ < TRACE_SHOWN;
	else
		show = w->others++ < TRACE_SHOWN;
	if (show) {
		mhv_trace_format(ev, line, sizeof(line));
		printf("  %s\n", line);
	}
	return 0;
}

/*
 * Read until the VM's DESTROYED event: after it, nothing more comes. The
 * poll timeout is a bound against a hang, not a wait: the event ends it.
 */
static int read_until_destroyed(struct mhv_trace *t, struct trace_watch *w)
{
	struct pollfd p = { .fd = mhv_trace_fd(t), .events = POLLIN };
	int r;

	while (!w->destroyed && poll(&p, 1, 10000) > 0) {
		r = mhv_trace_read(t, on_event, w);
		if (r < 0 && r != -ENOBUFS)	/* ENOBUFS: a drop record follows */
			return fail("cannot read the trace");
	}
	return 0;
}

/* Subscribe to this VM's CPUID exits, let the guest finish, destroy it. */
static int trace_guest(struct mhv_guest *g, struct trace_watch *w)
{
	struct mhv_trace_filter f = {
		.nr_vms = 1,
		.vms = { w->vm_id },
		.events = 1u << MHV_TRACE_EXIT | 1u << MHV_TRACE_VM,
		.exits = 1ULL << MHV_TRACE_X_CPUID,
	};
	struct mhv_ucall uc;
	struct mhv_trace *t;
	int r;

	if (!w->vm_id || mhv_trace_open(&t))
		return fail("no trace channel or VM id");
	/* acknowledged by the kernel: the guest's next exits are seen */
	if (mhv_trace_subscribe(t, &f)) {
		mhv_trace_close(t);
		return fail("cannot subscribe");
	}
	r = mhv_guest_run(g, 0, &uc) != MHV_UCALL_DONE;
	mhv_guest_destroy(g);
	if (r)
		fail("the guest did not finish");
	else
		r = read_until_destroyed(t, w);
	mhv_trace_close(t);
	return r;
}

static int trace_cpuids(struct mhv_guest *g)
{
	struct trace_watch w = { .vm_id = own_vm_id() };
	int r = trace_guest(g, &w);

	printf("  ... %u CPUID exits of VM %u traced, %u other events, %llu lost\n",
	       w.cpuids, w.vm_id, w.others, (unsigned long long)w.dropped);
	/* a loss may be the DESTROYED event itself; the count is not the guest's */
	if (w.dropped)
		return fail("trace events were lost, the count is not checked");
	if (r)
		return 1;
	if (!w.destroyed)
		return fail("the VM's DESTROYED event did not come");
	if (w.cpuids != TRACE_N || w.others)
		return fail("the trace is not the guest's CPUIDs");
	return 0;
}

int main(void)
{
	static const char *const phase[] = { "setup", "CPUID burst",
					     "port writes", "page touches" };
	struct mhv_monitor_config cfg;
	struct mhv_profile_summary sum;
	struct mhv_monitor m;
	struct mhv_profile prof;
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t cpuid0 = 0, io0 = 0;
	char report[8192];
	int r, i, sfd, ok = 1;

	r = mhv_guest_create(&g, NAME, 1, 64, guest_main, 0);
	if (r) {
		fprintf(stderr, "tutorial 5: cannot create the guest: %s\n%s%s",
			strerror(-r), mhv_create_vm_hint(r),
			*mhv_create_vm_hint(r) ? "\n" : "");
		return 1;
	}
	sfd = mhv_get_stats_fd(g.vm_fd);
	mhv_monitor_config_default(&cfg);
	cfg.retention = 16;
	cfg.threshold[MHV_METRIC_EXIT_RATE] = 1000;	/* exits per second */
	if (sfd < 0 || mhv_monitor_init(&m, &cfg, sfd))
		return fail("no stats fd or monitor");
	mhv_profile_begin(&prof, "port write round trip");

	printf("Step 1: monitoring, one sample per phase\n");
	for (i = 0; i <= 3; i++) {
		if (i == 2 && profile_port_writes(&g, &prof))
			return fail("a port write did not come");
		if (mhv_guest_run(&g, 0, &uc) != MHV_UCALL_SYNC ||
		    uc.args[0] != (uint64_t)i)
			return fail("the guest did not reach its next phase");
		if (mhv_monitor_sample(&m) < 0)
			return fail("cannot read the stats fd");
		if (i)
			show_sample(&m, phase[i]);
		if (i == 1) {
			/* exactly the guest's CPUIDs */
			if (mhv_stats_value(&m.stats, "exits_cpuid") - cpuid0 !=
			    N_CPUID)
				ok = 0;
		}
		cpuid0 = mhv_stats_value(&m.stats, "exits_cpuid");
		if (i == 2 && mhv_stats_value(&m.stats, "exits_io") - io0 !=
			      PROFILE_N + 1)	/* + the guest call */
			ok = 0;
		io0 = mhv_stats_value(&m.stats, "exits_io");
	}

	printf("Step 2: profiling\n");
	mhv_profile_format(&prof, "ns", report, sizeof(report));
	fputs(report, stdout);
	{
		const struct mhv_stat_field *f =
			mhv_stats_find(&m.stats, "exit_latency_io");
		const uint64_t *b = mhv_stats_values(&m.stats, f);

		printf("  the module's part of each (exit to run page filled): p50 ~%.0f ns, p99 ~%.0f ns over %llu I/O exits\n",
		       mhv_hist_percentile(b, f->size, 50),
		       mhv_hist_percentile(b, f->size, 99),
		       (unsigned long long)mhv_hist_count(b, f->size));
		if (mhv_hist_count(b, f->size) !=
		    mhv_stats_value(&m.stats, "exits_io"))
			ok = 0;
	}

	printf("Step 3: the report\n");
	mhv_monitor_report(&m, report, sizeof(report));
	fputs(report, stdout);

	/* what the tutorial teaches must hold */
	if (mhv_profile_summary(&prof, &sum) || sum.count != PROFILE_N - 1 ||
	    !(sum.min <= sum.p50 && sum.p50 <= sum.p90 && sum.p90 <= sum.p99 &&
	      sum.p99 <= sum.p999 && sum.p999 <= sum.max) ||
	    sum.mean < sum.min || sum.mean > sum.max) {
		fprintf(stderr, "tutorial 5: profile summary out of order\n");
		ok = 0;
	}
	/* the CPUID burst ran at well over 1000 exits per second */
	if (m.total_alerts < 1 || m.alerts[0].metric != MHV_METRIC_EXIT_RATE) {
		fprintf(stderr, "tutorial 5: no exit-rate alert\n");
		ok = 0;
	}
	if (mhv_monitor_get(&m, 2)->value[MHV_METRIC_NPF_RATE] <= 0 ||
	    mhv_monitor_get(&m, 0)->value[MHV_METRIC_GUEST_CPU] <= 0)
		ok = 0;
	mhv_profile_end(&prof);
	mhv_monitor_free(&m);
	close(sfd);	/* it holds the VM, which step 4 destroys */

	printf("Step 4: tracing the guest's last %d CPUIDs\n", TRACE_N);
	if (trace_cpuids(&g))
		ok = 0;
	if (!ok)
		fprintf(stderr, "tutorial 5: a result does not match\n");
	return ok ? 0 : 1;
}
