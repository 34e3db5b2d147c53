// SPDX-License-Identifier: GPL-2.0
/*
 * mhv run - the guest itself: the VM, its vCPU in real mode, the exit
 * loop (console ports), the watchdog (watch.c) and the summary.
 *
 * Everything mhv says while or after the guest runs starts on a line of
 * its own: the guest's console output is ended with a newline first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "libmultios_hv.h"
#include "mhv.h"
#include "run.h"

/* How the guest ended. */
enum run_end {
	RUN_HALTED,		/* HLT */
	RUN_GUEST_FAILED,	/* triple fault, failed entry, unknown exit */
	RUN_FAILED,		/* MHV_RUN itself failed */
	RUN_TIMEOUT,
	RUN_MAX_EXITS,
	RUN_SIGNAL,
	RUN_STOPPED,		/* MHV_STOP_VM from elsewhere */
};

struct vm_run {
	const struct mhv_vm_config *cfg;
	int vm_fd;
	int vcpu_fd;
	struct mhv_run *run;
	void *mem;
	size_t mem_size;
	int console_used;	/* the guest printed something */
	char console_last;	/* the last byte it printed */
	struct timespec t0;	/* first MHV_RUN */
};

/* End the guest's output with a newline, so mhv's text starts a line. */
static void console_end_line(struct vm_run *v)
{
	if (v->console_used && v->console_last != '\n') {
		putchar('\n');
		v->console_last = '\n';
	}
	fflush(stdout);
}

static void __attribute__((format(printf, 2, 3)))
run_msg(struct vm_run *v, const char *fmt, ...)
{
	va_list ap;

	console_end_line(v);
	fputs("mhv: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void console_write(struct vm_run *v, const void *data, size_t len)
{
	if (!len)
		return;
	fwrite(data, 1, len, stdout);
	fflush(stdout);
	v->console_used = 1;
	v->console_last = ((const char *)data)[len - 1];
}

/* The output of an in-kernel UART that this return of MHV_RUN carried. */
static void console_drain(struct vm_run *v)
{
	const void *data;
	int n = mhv_run_console(v->run, &data, NULL, NULL);

	if (n > 0)
		console_write(v, data, n);
}

/* One exit handed to mhv: 1 to run on, 0 when the guest ended. */
static int handle_exit(struct vm_run *v, enum run_end *end)
{
	struct mhv_run *run = v->run;
	unsigned char *data = (unsigned char *)run + run->io.data_offset;
	size_t len;
	char dump[16384];

	switch (run->exit_reason) {
	case MHV_EXIT_IO:
		len = (size_t)run->io.size * run->io.count;
		if (run->io.direction == MHV_IO_OUT &&
		    (run->io.port == MHV_RUN_COM1 ||
		     run->io.port == MHV_RUN_DEBUG_PORT))
			console_write(v, data, len);
		else if (run->io.direction == MHV_IO_IN)
			memset(data, 0xff, len);	/* nothing connected */
		return 1;
	case MHV_EXIT_CONSOLE:		/* printed by console_drain() */
		return 1;
	case MHV_EXIT_MMIO:
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
		return 1;
	case MHV_EXIT_HLT:
		*end = RUN_HALTED;
		return 0;
	case MHV_EXIT_STOPPED:
		*end = RUN_STOPPED;	/* refined from the watchdog */
		return 0;
	case MHV_EXIT_FAIL_ENTRY:
		run_msg(v, "the CPU refused the guest state; control block:");
		if (mhv_get_state_dump(v->vcpu_fd, dump, sizeof(dump)) > 0)
			fputs(dump, stderr);
		*end = RUN_GUEST_FAILED;
		return 0;
	default:
		run_msg(v, "guest stopped: exit %s at IP 0x%llx (%s)",
			mhv_exit_reason_name(run->exit_reason),
			(unsigned long long)run->exit_rip,
			mhv_error_name(run->fail.reason));
		*end = RUN_GUEST_FAILED;
		return 0;
	}
}

static enum run_end run_loop(struct vm_run *v, unsigned long max_exits)
{
	enum run_end end = RUN_FAILED;
	unsigned long exits;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &v->t0);
	for (exits = 0; exits < max_exits; exits++) {
		r = mhv_run(v->vcpu_fd);
		console_drain(v);
		if (r == -EINTR)	/* a signal mhv does not block */
			continue;
		if (r) {
			run_msg(v, "MHV_RUN: %s", strerror(-r));
			return RUN_FAILED;
		}
		if (!handle_exit(v, &end))
			return end;
	}
	return RUN_MAX_EXITS;
}

static double run_seconds(const struct vm_run *v)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - v->t0.tv_sec) +
	       (double)(t.tv_nsec - v->t0.tv_nsec) / 1e9;
}

/* Say how the guest ended; returns mhv's exit status. */
static int report_end(struct vm_run *v, enum run_end end,
		      const struct mhv_watch *w, unsigned long max_exits,
		      unsigned int timeout_s)
{
	double secs = run_seconds(v);

	if (end == RUN_STOPPED && w->signo)
		end = RUN_SIGNAL;
	else if (end == RUN_STOPPED && w->timed_out)
		end = RUN_TIMEOUT;
	switch (end) {
	case RUN_HALTED:
		console_end_line(v);
		printf("== the guest executed HLT at IP 0x%llx after %.2f s: done\n",
		       (unsigned long long)v->run->exit_rip, secs);
		return MHV_EXIT_OK;
	case RUN_TIMEOUT:
		run_msg(v, "the guest was still running after --timeout %u s: stopped it (MHV_STOP_FORCE); --timeout 0 waits for ever",
			timeout_s);
		return MHV_EXIT_LIMIT;
	case RUN_MAX_EXITS:
		run_msg(v, "stopped after %lu exits to mhv (--max-exits)",
			max_exits);
		return MHV_EXIT_LIMIT;
	case RUN_SIGNAL:
		run_msg(v, "%s after %.2f s: stopped the guest (MHV_STOP_GRACEFUL)",
			w->signo == SIGINT ? "interrupted (Ctrl-C, SIGINT)" :
			"terminated (SIGTERM)", secs);
		return MHV_EXIT_BY_SIGNAL(w->signo);
	case RUN_STOPPED:
		run_msg(v, "the VM was stopped from outside (MHV_STOP_VM)");
		return MHV_EXIT_LIMIT;
	default:
		return MHV_EXIT_FAIL;
	}
}

static void print_summary(struct vm_run *v)
{
	struct mhv_vcpu_stats st;
	struct mhv_vm_info info;
	unsigned int i, n;

	console_end_line(v);
	if (!mhv_get_vm_info(v->vm_fd, &info)) {
		printf("== VM \"%s\": %s%s%s - %s\n", info.name,
		       mhv_vm_state_name(info.state),
		       info.state == MHV_VM_ERROR ? ": " : "",
		       info.state == MHV_VM_ERROR ? mhv_error_name(info.error) : "",
		       mhv_vm_state_desc(info.state));
		printf("   %llu nested page fault%s, %llu KiB of guest memory mapped\n",
		       (unsigned long long)info.npf_count,
		       info.npf_count == 1 ? "" : "s",
		       (unsigned long long)info.memory_used >> 10);
	}
	if (mhv_get_vcpu_stats(v->vcpu_fd, &st))
		return;
	printf("== exits of vCPU 0, counted by the module (\"total exits\": every exit;\n"
	       "   \"user_exits\": those handed to mhv, the kernel handled the others):\n");
	n = st.nr < MHV_STATS_MAX ? st.nr : MHV_STATS_MAX;
	for (i = 0; i < n; i++)
		if (st.counters[i] && i != MHV_STAT_EXITS)
			printf("  %-14s %8llu  %s\n", mhv_stat_name(i),
			       (unsigned long long)st.counters[i],
			       mhv_stat_desc(i));
	printf("  %-14s %8llu  %s\n", "total exits",
	       (unsigned long long)st.counters[MHV_STAT_EXITS],
	       mhv_stat_desc(MHV_STAT_EXITS));
	fflush(stdout);
}

/* VM, memory, vCPU 0 in real mode at the image. */
static int setup(struct vm_run *v, int sys_fd, const void *image, size_t len)
{
	struct mhv_memory_region region = { 0 };
	int r;

	v->mem = mmap(NULL, v->mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (v->mem == MAP_FAILED) {
		v->mem = NULL;
		fprintf(stderr, "mhv: guest memory: %s\n", strerror(errno));
		return -ENOMEM;
	}
	memcpy((char *)v->mem + MHV_RUN_LOAD_ADDR, image, len);

	v->vm_fd = mhv_create_vm(sys_fd, v->cfg);
	if (v->vm_fd < 0) {
		const char *hint = mhv_create_vm_hint(v->vm_fd);

		fprintf(stderr, "mhv: cannot create VM \"%s\": %s%s%s\n",
			v->cfg->name, strerror(-v->vm_fd), *hint ? ": " : "",
			hint);
		return v->vm_fd;
	}
	region.size = v->mem_size;
	region.userspace_addr = (uintptr_t)v->mem;
	r = mhv_set_memory_region(v->vm_fd, &region);
	if (!r)
		r = v->vcpu_fd = mhv_create_vcpu(v->vm_fd, 0);
	if (r >= 0)
		r = mhv_map_run(v->vcpu_fd, &v->run);
	if (!r)
		r = mhv_vcpu_set_real_mode(v->vcpu_fd, MHV_RUN_LOAD_ADDR,
					   MHV_RUN_STACK_TOP);
	if (r < 0)
		fprintf(stderr, "mhv: cannot set up the guest: %s\n",
			strerror(-r));
	return r < 0 ? r : 0;
}

static void teardown(struct vm_run *v)
{
	if (v->run)
		mhv_unmap_run(v->run);
	if (v->vcpu_fd >= 0)
		mhv_close(v->vcpu_fd);
	if (v->vm_fd >= 0)
		mhv_close(v->vm_fd);
	if (v->mem)
		munmap(v->mem, v->mem_size);
}

int run_guest(int sys_fd, const struct mhv_vm_config *cfg,
	      const void *image, size_t len, unsigned long max_exits,
	      unsigned int timeout_s)
{
	struct vm_run v = {
		.cfg = cfg, .vm_fd = -1, .vcpu_fd = -1,
		.mem_size = (size_t)cfg->memory_mb << 20,
	};
	char limit[32] = "none";
	struct mhv_watch w;
	enum run_end end;
	int r, ret = MHV_EXIT_FAIL;

	if (len > v.mem_size - MHV_RUN_LOAD_ADDR) {
		fprintf(stderr, "mhv: an image of %zu bytes does not fit in %u MiB at 0x%x (memory_mb)\n",
			len, cfg->memory_mb, MHV_RUN_LOAD_ADDR);
		return MHV_EXIT_FAIL;
	}
	/*
	 * Ctrl-C must not kill mhv while a guest runs: the watchdog takes
	 * SIGINT/SIGTERM from a signalfd. They stay blocked until mhv exits
	 * (unblocking would deliver a pending one before the status).
	 */
	r = watch_block_signals(NULL);
	if (!r)
		r = setup(&v, sys_fd, image, len);
	if (!r) {
		r = watch_start(&w, v.vm_fd, timeout_s);
		if (r)
			fprintf(stderr, "mhv: cannot start the timeout: %s\n",
				strerror(-r));
	}
	if (r) {
		teardown(&v);
		return MHV_EXIT_FAIL;
	}

	if (timeout_s)
		snprintf(limit, sizeof(limit), "%u s", timeout_s);
	printf("== guest console (VM \"%s\", %u MiB, real mode at 0000:%04x, timeout %s):\n",
	       cfg->name, cfg->memory_mb, MHV_RUN_LOAD_ADDR, limit);
	fflush(stdout);
	end = run_loop(&v, max_exits);
	watch_stop(&w);
	ret = report_end(&v, end, &w, max_exits, timeout_s);
	print_summary(&v);
	teardown(&v);
	return ret;
}
