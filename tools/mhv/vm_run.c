// SPDX-License-Identifier: GPL-2.0
/*
 * mhv run - the guest itself: the VM, its memory with the image loaded,
 * the in-kernel devices of --device, vCPU 0 started as the image's
 * format says, the exit loop (console ports, debug-exit), the watchdog
 * (watch.c) and the summary (text, or JSON with --json).
 *
 * Everything mhv says while or after the guest runs starts on a line of
 * its own: the guest's console output is ended with a newline first.
 */
#include <errno.h>
#include <pthread.h>
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
	RUN_DEBUG_EXIT,		/* the guest wrote a debug-exit device */
	RUN_RESET,		/* the guest asked a reset device for a reset */
	RUN_POWEROFF,		/* ACPI S5 through the ACPI PM device */
};

static const char *const end_names[] = {
	[RUN_HALTED] = "hlt", [RUN_GUEST_FAILED] = "failed",
	[RUN_FAILED] = "failed", [RUN_TIMEOUT] = "timeout",
	[RUN_MAX_EXITS] = "max-exits", [RUN_SIGNAL] = "signal",
	[RUN_STOPPED] = "stopped", [RUN_DEBUG_EXIT] = "debug-exit",
	[RUN_RESET] = "reset", [RUN_POWEROFF] = "poweroff",
};

struct vm_run {
	const struct mhv_vm_config *cfg;
	struct run_params *p;
	int vm_fd;
	int vcpu_fd;
	struct mhv_run *run;
	void *mem;
	size_t mem_size;
	struct console con;
	struct timespec t0;	/* first MHV_RUN */
	uint64_t run_ns;	/* t0 to the end of the loop */
	uint32_t debug_status;	/* RUN_DEBUG_EXIT: the value written */
	uint32_t debug_dev;	/* ... to this device */
	uint64_t reset_port;	/* RUN_RESET, RUN_POWEROFF: the port */
	uint32_t reset_value;	/* ... and the value written */
	/*
	 * vcpus > 1 (features = irqchip): every vCPU on a thread of its own
	 * (mhv_vm_run_all()); fds[0] and runs[0] are vCPU 0's. The exits
	 * are handled one at a time, under @lock.
	 */
	unsigned int nr_vcpus;
	int fds[MHV_RUN_MAX_VCPUS];
	struct mhv_run *runs[MHV_RUN_MAX_VCPUS];
	pthread_mutex_t lock;
	unsigned long exits;	/* (lock) returns of MHV_RUN, all vCPUs */
	enum run_end end;	/* (lock) how the first vCPU that ended did */
};

static void __attribute__((format(printf, 2, 3)))
run_msg(struct vm_run *v, const char *fmt, ...)
{
	va_list ap;

	console_end_line(&v->con);
	fputs("mhv: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * One exit of the vCPU @fd (run page @run) handed to mhv: 1 to run on, 0
 * when the guest ended.
 */
static int handle_exit(struct vm_run *v, int fd, struct mhv_run *run,
		       enum run_end *end)
{
	unsigned char *data = (unsigned char *)run + run->io.data_offset;
	size_t len;
	char dump[16384];

	switch (run->exit_reason) {
	case MHV_EXIT_IO:
		len = (size_t)run->io.size * run->io.count;
		if (run->io.direction == MHV_IO_OUT &&
		    (run->io.port == MHV_RUN_COM1 ||
		     run->io.port == MHV_RUN_DEBUG_PORT))
			console_write(&v->con, data, len);
		else if (run->io.direction == MHV_IO_IN)
			memset(data, 0xff, len);	/* nothing connected */
		return 1;
	case MHV_EXIT_MMIO:
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
		return 1;
	case MHV_EXIT_HLT:
		*end = RUN_HALTED;
		return 0;
	case MHV_EXIT_DEBUG_EXIT:
		v->debug_status = run->debug_exit.status;
		v->debug_dev = run->debug_exit.device;
		*end = RUN_DEBUG_EXIT;
		return 0;
	case MHV_EXIT_RESET:
		v->reset_port = run->reset.addr;
		v->reset_value = run->reset.value;
		*end = RUN_RESET;
		return 0;
	case MHV_EXIT_POWEROFF:
		v->reset_port = run->poweroff.addr;
		v->reset_value = run->poweroff.value;
		*end = RUN_POWEROFF;
		return 0;
	case MHV_EXIT_CONSOLE:		/* UART output: drained already */
		return 1;
	case MHV_EXIT_STOPPED:
		*end = RUN_STOPPED;	/* refined from the watchdog */
		return 0;
	case MHV_EXIT_FAIL_ENTRY:
		run_msg(v, "the CPU refused the guest state; control block:");
		if (mhv_get_state_dump(fd, dump, sizeof(dump)) > 0)
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

static uint64_t ns_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)(t.tv_sec - t0->tv_sec) * 1000000000ULL +
	       (uint64_t)(t.tv_nsec - t0->tv_nsec);
}

static enum run_end run_loop(struct vm_run *v, unsigned long max_exits)
{
	enum run_end end = RUN_MAX_EXITS;
	unsigned long exits;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &v->t0);
	for (exits = 0; exits < max_exits; exits++) {
		r = mhv_run(v->vcpu_fd);
		console_drain(&v->con, v->p, v->run);
		if (r == -EINTR)	/* a signal mhv does not block */
			continue;
		if (r) {
			run_msg(v, "MHV_RUN: %s", strerror(-r));
			end = RUN_FAILED;
			break;
		}
		if (!handle_exit(v, v->vcpu_fd, v->run, &end))
			break;
	}
	v->run_ns = ns_since(&v->t0);
	return end;
}

/* mhv_vm_run_all()'s callback, on vCPU @i's thread: 1 ends the guest. */
static int vcpu_exit(void *arg, unsigned int i, int r, struct mhv_run *run)
{
	struct vm_run *v = arg;
	int ended = 0;

	pthread_mutex_lock(&v->lock);
	console_drain(&v->con, v->p, run);
	if (r && r != -EINTR) {
		run_msg(v, "MHV_RUN on vCPU %u: %s", i, strerror(-r));
		v->end = RUN_FAILED;
		ended = 1;
	} else if (!r && !handle_exit(v, v->fds[i], run, &v->end)) {
		ended = 1;
	} else if (++v->exits >= v->p->max_exits) {
		v->end = RUN_MAX_EXITS;
		ended = 1;
	}
	pthread_mutex_unlock(&v->lock);
	return ended;
}

/* Several vCPUs: one thread each, until one of them ends the guest. */
static enum run_end run_all(struct vm_run *v)
{
	int r;

	v->end = RUN_MAX_EXITS;
	clock_gettime(CLOCK_MONOTONIC, &v->t0);
	r = mhv_vm_run_all(v->vm_fd, v->nr_vcpus, v->fds, v->runs, vcpu_exit,
			   v);
	v->run_ns = ns_since(&v->t0);
	if (r < 0) {
		run_msg(v, "cannot run the vCPUs: %s", strerror(-r));
		return RUN_FAILED;
	}
	return v->end;
}

/* Say how the guest ended; returns mhv's exit status. */
static int report_end(struct vm_run *v, enum run_end *endp,
		      const struct mhv_watch *w)
{
	double secs = (double)v->run_ns / 1e9;
	enum run_end end = *endp;
	int quiet = v->p->json;

	if (end == RUN_STOPPED && w->signo)
		end = RUN_SIGNAL;
	else if (end == RUN_STOPPED && w->timed_out)
		end = RUN_TIMEOUT;
	*endp = end;
	switch (end) {
	case RUN_HALTED:
		console_end_line(&v->con);
		if (!quiet)
			printf("== the guest executed HLT at IP 0x%llx after %.2f s: done\n",
			       (unsigned long long)v->run->exit_rip, secs);
		return MHV_EXIT_OK;
	case RUN_DEBUG_EXIT:
		console_end_line(&v->con);
		if (!quiet)
			printf("== the guest wrote %u (0x%x) to debug-exit device %u after %.2f s: mhv exits with %u\n",
			       v->debug_status, v->debug_status, v->debug_dev,
			       secs, v->debug_status & 0xff);
		return (int)(v->debug_status & 0xff);
	case RUN_RESET:
		console_end_line(&v->con);
		if (!quiet)
			printf("== the guest asked for a reset (0x%x to port 0x%llx) after %.2f s: done\n",
			       v->reset_value,
			       (unsigned long long)v->reset_port, secs);
		return MHV_EXIT_OK;
	case RUN_POWEROFF:
		console_end_line(&v->con);
		if (!quiet)
			printf("== the guest powered off (ACPI S5: 0x%x to port 0x%llx) after %.2f s: done\n",
			       v->reset_value,
			       (unsigned long long)v->reset_port, secs);
		return MHV_EXIT_OK;
	case RUN_TIMEOUT:
		run_msg(v, "the guest was still running after --timeout %u s: stopped it (MHV_STOP_FORCE); --timeout 0 waits for ever",
			v->p->timeout_s);
		return MHV_EXIT_LIMIT;
	case RUN_MAX_EXITS:
		run_msg(v, "stopped after %lu exits to mhv (--max-exits)",
			v->p->max_exits);
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

/*
 * A VM in ERROR: its flight recorder, as mhv crash VM would print it (the
 * VM is gone when mhv exits, so mhv crash could not). On stdout before
 * the summary; on stderr with --json (stdout is the JSON alone).
 */
static void print_flight(struct vm_run *v)
{
	FILE *out = v->p->json ? stderr : stdout;
	struct mhv_vm_info info;
	unsigned int i;
	int r;

	if (mhv_get_vm_info(v->vm_fd, &info) || info.state != MHV_VM_ERROR)
		return;
	console_end_line(&v->con);
	fprintf(out, "== flight recorder: the last exits of each vCPU before the error (what mhv crash VM shows):\n");
	for (i = 0; i < v->nr_vcpus; i++) {
		r = mhv_show_flight(out, v->fds[i], NULL, i);
		if (r < 0)
			fprintf(stderr, "mhv: the flight recorder of vCPU %u: %s\n",
				i, strerror(-r));
	}
	fflush(out);
}

/* The module's counters: VM, vCPU 0, every device. */
static void gather(struct vm_run *v, struct mhv_run_summary *s)
{
	struct mhv_device_list list;
	unsigned int i;

	s->name = v->cfg->name;
	s->image = v->p->image_path;
	s->format = v->p->img->format;
	s->run_ns = v->run_ns;
	s->has_info = !mhv_get_vm_info(v->vm_fd, &s->info);
	s->has_stats = !mhv_get_vcpu_stats(v->vcpu_fd, &s->stats);
	if (mhv_list_devices(v->vm_fd, &list))
		return;
	for (i = 0; i < list.nr && i < MHV_MAX_DEVICES; i++) {
		if (mhv_get_device_stats(v->vm_fd, list.devices[i].id,
					 &s->dev_stats[s->nr_devices]))
			continue;
		s->dev[s->nr_devices++] = list.devices[i];
	}
}

static void print_devices(const struct mhv_run_summary *s)
{
	char buf[4096];
	unsigned int i;

	for (i = 0; i < s->nr_devices; i++) {
		const struct mhv_device_info *d = &s->dev[i];

		printf("== device %u: %s at %s 0x%llx (%s), counted by the module:\n",
		       d->id, mhv_dev_type_name(d->type),
		       mhv_dev_space_name(d->space),
		       (unsigned long long)d->base, mhv_dev_mode_name(d->mode));
		mhv_dev_stats_format(&s->dev_stats[i], buf, sizeof(buf));
		fputs(buf, stdout);
	}
}

static void print_summary(const struct mhv_run_summary *s)
{
	const struct mhv_vm_info *info = &s->info;
	const struct mhv_vcpu_stats *st = &s->stats;
	unsigned int i, n;

	if (s->has_info) {
		printf("== VM \"%s\": %s%s%s - %s\n", info->name,
		       mhv_vm_state_name(info->state),
		       info->state == MHV_VM_ERROR ? ": " : "",
		       info->state == MHV_VM_ERROR ? mhv_error_name(info->error) : "",
		       mhv_vm_state_desc(info->state));
		printf("   ran %.3f s; %llu nested page fault%s, %llu KiB of guest memory mapped\n",
		       (double)s->run_ns / 1e9,
		       (unsigned long long)info->npf_count,
		       info->npf_count == 1 ? "" : "s",
		       (unsigned long long)info->memory_used >> 10);
	}
	if (s->has_stats) {
		printf("== exits of vCPU 0 by reason, counted by the module (\"total exits\": every exit;\n"
		       "   \"user_exits\": those handed to mhv, the kernel handled the others):\n");
		n = st->nr < MHV_STATS_MAX ? st->nr : MHV_STATS_MAX;
		for (i = 0; i < n; i++)
			if (st->counters[i] && i != MHV_STAT_EXITS)
				printf("  %-14s %8llu  %s\n", mhv_stat_name(i),
				       (unsigned long long)st->counters[i],
				       mhv_stat_desc(i));
		printf("  %-14s %8llu  %s\n", "total exits",
		       (unsigned long long)st->counters[MHV_STAT_EXITS],
		       mhv_stat_desc(MHV_STAT_EXITS));
	}
	print_devices(s);
}

static void summarize(struct vm_run *v, enum run_end end, int status)
{
	struct mhv_run_summary *s = calloc(1, sizeof(*s));
	char *buf;
	int n;

	console_end_line(&v->con);
	if (!s)
		return;
	gather(v, s);
	s->end = end_names[end];
	s->exit_status = status;
	if (!v->p->json) {
		print_summary(s);
	} else {
		n = mhv_run_summary_format_json(s, NULL, 0);
		buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
		if (buf) {
			mhv_run_summary_format_json(s, buf, (size_t)n + 1);
			puts(buf);
			free(buf);
		}
	}
	fflush(stdout);
	free(s);
}

/*
 * The ISA interrupt line a PC wires the device at @d's address to (COM1
 * IRQ 4, COM2 IRQ 3, the RTC IRQ 8), or -1: with the irqchip, a device
 * given no ,irq=VECTOR drives that line, as the guest's drivers expect.
 */
#define PC_COM2		0x2f8
#define PC_RTC		0x70

static int pc_isa_irq(const struct run_device *d)
{
	if (d->irq || d->space != MHV_DEV_SPACE_PIO)
		return -1;
	if (d->type == MHV_DEV_TYPE_UART && d->base == MHV_UART_COM1)
		return 4;
	if (d->type == MHV_DEV_TYPE_UART && d->base == PC_COM2)
		return 3;
	if (d->type == MHV_DEV_TYPE_RTC && d->base == PC_RTC)
		return 8;
	return -1;
}

static int create_device(struct vm_run *v, const struct run_device *d)
{
	int gsi = v->cfg->features & MHV_VM_F_IRQCHIP ? pc_isa_irq(d) : -1;

	if (gsi >= 0)
		return mhv_create_device_gsi(v->vm_fd, d->type, d->space,
					     d->base, (uint32_t)gsi);
	return mhv_create_device_irq(v->vm_fd, d->type, d->space, d->base,
				     d->irq);
}

/* The in-kernel devices of --device; the first UART gets stdin. */
static int create_devices(struct vm_run *v)
{
	struct run_params *p = v->p;
	unsigned int i;
	int r, uart = -1;

	for (i = 0; i < p->nr_dev; i++) {
		r = create_device(v, &p->dev[i]);
		if (r < 0) {
			fprintf(stderr, "mhv: --device %s: %s%s\n", p->dev[i].spec,
				strerror(-r), r == -EEXIST ?
				" (it overlaps another device's range)" :
				r == -EINVAL || r == -EOPNOTSUPP ?
				" (the module does not offer this type at this address)" : "");
			return r;
		}
		p->dev[i].id = (uint32_t)r;
		if (p->dev[i].type == MHV_DEV_TYPE_UART && uart < 0)
			uart = (int)i;
	}
	if (uart < 0)
		return 0;
	r = console_start_input(&v->con, p->dev[uart].id);
	if (r)
		fprintf(stderr, "mhv: cannot feed stdin to the UART: %s\n",
			strerror(-r));
	return r;
}

/* A Linux guest's ACPI tables (the boot parameters point at them). */
static int linux_tables(struct vm_run *v)
{
	struct mhv_acpi_config acpi = {
		.nr_vcpus = v->cfg->vcpu_count,
		.pm_base = MHV_ACPI_PM_PORT,
	};
	int r = mhv_acpi_build(v->mem, v->mem_size, &acpi);

	return r < 0 ? r : 0;
}

/* VM, memory with the image, devices, vCPU 0 at the image's entry. */
/*
 * vCPUs 1 .. vcpus - 1: with the PC irqchip they wait for a SIPI, which
 * the guest's boot processor sends through its local APIC.
 */
static int create_aps(struct vm_run *v)
{
	unsigned int i;
	int r;

	v->fds[0] = v->vcpu_fd;
	v->runs[0] = v->run;
	for (i = 1; i < v->nr_vcpus; i++) {
		r = v->fds[i] = mhv_create_vcpu(v->vm_fd, i);
		if (r < 0)
			return r;
		r = mhv_map_run(v->fds[i], &v->runs[i]);
		if (r)
			return r;
	}
	return 0;
}

static int setup(struct vm_run *v, int sys_fd)
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
	r = mhv_image_load(v->p->img, v->mem);
	if (!r && v->p->img->format == MHV_IMAGE_LINUX)
		r = linux_tables(v);
	if (r) {
		fprintf(stderr, "mhv: cannot load the image: %s\n", strerror(-r));
		return r;
	}
	v->vm_fd = mhv_create_vm(sys_fd, v->cfg);
	if (v->vm_fd < 0) {
		const char *hint = mhv_create_vm_hint(v->vm_fd);

		fprintf(stderr, "mhv: cannot create VM \"%s\": %s%s%s\n",
			v->cfg->name, strerror(-v->vm_fd), *hint ? ": " : "",
			hint);
		return v->vm_fd;
	}
	console_init(&v->con, v->vm_fd);
	region.size = v->mem_size;
	region.userspace_addr = (uintptr_t)v->mem;
	r = mhv_set_memory_region(v->vm_fd, &region);
	if (!r)
		r = v->vcpu_fd = mhv_create_vcpu(v->vm_fd, 0);
	if (r >= 0)
		r = mhv_map_run(v->vcpu_fd, &v->run);
	if (!r)
		r = mhv_vcpu_boot_image(v->vcpu_fd, v->p->img);
	if (!r)
		r = create_aps(v);
	if (r < 0) {
		fprintf(stderr, "mhv: cannot set up the guest: %s\n",
			strerror(-r));
		return r;
	}
	return create_devices(v);
}

static void teardown(struct vm_run *v)
{
	unsigned int i;

	console_stop_input(&v->con);
	for (i = 1; i < v->nr_vcpus; i++) {
		if (v->runs[i])
			mhv_unmap_run(v->runs[i]);
		if (v->fds[i] >= 0)
			mhv_close(v->fds[i]);
	}
	if (v->run)
		mhv_unmap_run(v->run);
	if (v->vcpu_fd >= 0)
		mhv_close(v->vcpu_fd);
	if (v->vm_fd >= 0)
		mhv_close(v->vm_fd);
	if (v->mem)
		munmap(v->mem, v->mem_size);
}

/* "real mode at 0000:1000", "32-bit protected mode at 0x100000", ... */
static void describe_start(const struct mhv_image *img, char *buf, size_t len)
{
	switch (img->format) {
	case MHV_IMAGE_FLAT:
		snprintf(buf, len, "flat image, real mode at 0000:%04x",
			 MHV_IMAGE_FLAT_ADDR);
		break;
	case MHV_IMAGE_ELF64:
		snprintf(buf, len, "elf64, long mode at 0x%llx",
			 (unsigned long long)img->entry);
		break;
	case MHV_IMAGE_LINUX:
		snprintf(buf, len, "Linux bzImage, boot protocol %u.%02u, 64-bit entry at 0x%llx%s",
			 img->lx.version >> 8, img->lx.version & 0xff,
			 (unsigned long long)img->entry,
			 img->lx.initrd ? ", initrd" : "");
		break;
	default:
		snprintf(buf, len, "%s, 32-bit protected mode at 0x%llx",
			 mhv_image_format_name(img->format),
			 (unsigned long long)img->entry);
	}
}

static void print_banner(const struct vm_run *v)
{
	const struct run_params *p = v->p;
	char limit[32] = "none", start[96];
	unsigned int i;

	if (p->json)
		return;
	if (p->timeout_s)
		snprintf(limit, sizeof(limit), "%u s", p->timeout_s);
	describe_start(p->img, start, sizeof(start));
	printf("== guest console (VM \"%s\", %u MiB, %s, timeout %s",
	       v->cfg->name, v->cfg->memory_mb, start, limit);
	for (i = 0; i < p->nr_dev; i++)
		printf("%s%s", i ? " " : "; devices: ", p->dev[i].spec);
	printf("):\n");
	fflush(stdout);
}

int run_guest(int sys_fd, const struct mhv_vm_config *cfg,
	      struct run_params *p)
{
	struct vm_run v = {
		.cfg = cfg, .p = p, .vm_fd = -1, .vcpu_fd = -1,
		.mem_size = (size_t)cfg->memory_mb << 20,
		.nr_vcpus = cfg->vcpu_count ? cfg->vcpu_count : 1,
		.lock = PTHREAD_MUTEX_INITIALIZER,
	};
	struct mhv_watch w;
	enum run_end end;
	unsigned int i;
	int r, ret;

	for (i = 1; i < MHV_RUN_MAX_VCPUS; i++)
		v.fds[i] = -1;

	console_init(&v.con, -1);
	/*
	 * Ctrl-C must not kill mhv while a guest runs: the watchdog takes
	 * SIGINT/SIGTERM from a signalfd. They stay blocked until mhv exits
	 * (unblocking would deliver a pending one before the status); the
	 * stdin thread inherits the mask.
	 */
	r = watch_block_signals(NULL);
	if (!r)
		r = setup(&v, sys_fd);
	if (!r) {
		r = watch_start(&w, v.vm_fd, p->timeout_s);
		if (r)
			fprintf(stderr, "mhv: cannot start the timeout: %s\n",
				strerror(-r));
	}
	if (r) {
		teardown(&v);
		return MHV_EXIT_FAIL;
	}

	print_banner(&v);
	end = v.nr_vcpus > 1 ? run_all(&v) : run_loop(&v, p->max_exits);
	watch_stop(&w);
	console_stop_input(&v.con);
	console_drain(&v.con, p, NULL);
	ret = report_end(&v, &end, &w);
	print_flight(&v);
	summarize(&v, end, ret);
	teardown(&v);
	return ret;
}
