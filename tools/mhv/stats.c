// SPDX-License-Identifier: GPL-2.0
/*
 * mhv stats, mhv top, mhv crash: what the statistics fds and the flight
 * recorder say about VMs, whichever process runs them.
 *
 * Finding VMs: the module lists no VMs to userspace itself (the netlink
 * listing is another work), so mhv looks for them where they are: in
 * /proc/PID/fd, the fds whose link reads "anon_inode:multios_hv-vm"
 * (and -vcpu), and takes a copy of each with pidfd_getfd(2). That works
 * for the caller's own processes when ptrace is allowed (same user,
 * kernel.yama.ptrace_scope permitting) and for root; other VMs are not
 * seen. The copy only reads: MHV_GET_VM_INFO, MHV_GET_STATS_FD,
 * MHV_GET_FLIGHT_RECORDER; it is closed at once.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "libmultios_hv.h"
#include "mhv.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd		438
#endif

#define MAX_VMS		64
#define MAX_VCPU_FDS	64

struct vm_ref {
	pid_t pid;
	int fd;				/* the fd number in that process */
	char name[MHV_VM_NAME_LEN + 1];
	struct mhv_vm_info info;
};

/* A copy of fd @fd of process @pid in this one, or -errno. */
static int grab_fd(pid_t pid, int fd)
{
	int pfd, nfd;

	if (pid == getpid()) {
		nfd = dup(fd);
		return nfd < 0 ? -errno : nfd;
	}
	pfd = syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		return -errno;
	nfd = syscall(SYS_pidfd_getfd, pfd, fd, 0);
	if (nfd < 0)
		nfd = -errno;
	close(pfd);
	return nfd;
}

/* Call @fn for each fd of every process whose link is @link. */
static int scan_fds(const char *link, pid_t only,
		    int (*fn)(pid_t pid, int fd, void *arg), void *arg)
{
	DIR *proc = opendir("/proc"), *fds;
	struct dirent *p, *f;
	char path[300], target[64];
	int n = 0;

	if (!proc)
		return -errno;
	while ((p = readdir(proc))) {
		pid_t pid;

		if (!isdigit((unsigned char)p->d_name[0]))
			continue;
		pid = atoi(p->d_name);
		if (only && pid != only)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd", pid);
		fds = opendir(path);
		if (!fds)
			continue;
		while ((f = readdir(fds))) {
			ssize_t len;

			if (!isdigit((unsigned char)f->d_name[0]))
				continue;
			snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid,
				 f->d_name);
			len = readlink(path, target, sizeof(target) - 1);
			if (len < 0)
				continue;
			target[len] = 0;
			if (strcmp(target, link))
				continue;
			if (fn(pid, atoi(f->d_name), arg) > 0)
				n++;
		}
		closedir(fds);
	}
	closedir(proc);
	return n;
}

struct vm_list {
	struct vm_ref vm[MAX_VMS];
	int nr;
};

static int add_vm(pid_t pid, int fd, void *arg)
{
	struct vm_list *l = arg;
	struct vm_ref *v;
	int nfd;

	if (l->nr == MAX_VMS)
		return 0;
	v = &l->vm[l->nr];
	nfd = grab_fd(pid, fd);
	if (nfd < 0)
		return 0;
	if (mhv_get_vm_info(nfd, &v->info)) {
		close(nfd);
		return 0;
	}
	close(nfd);
	v->pid = pid;
	v->fd = fd;
	memcpy(v->name, v->info.name, MHV_VM_NAME_LEN);
	v->name[MHV_VM_NAME_LEN] = 0;
	l->nr++;
	return 1;
}

static void find_vms(struct vm_list *l)
{
	l->nr = 0;
	scan_fds("anon_inode:multios_hv-vm", 0, add_vm, l);
}

/* The VM called @name (or "PID:FD"); 0, or -ENOENT with a message. */
static int find_vm(const char *name, struct vm_ref *out)
{
	struct vm_list *l = calloc(1, sizeof(*l));
	int i, pid, fd, found = 0;

	if (!l)
		return -ENOMEM;
	find_vms(l);
	for (i = 0; i < l->nr && !found; i++) {
		char id[32];

		snprintf(id, sizeof(id), "%d:%d", l->vm[i].pid, l->vm[i].fd);
		if (!strcmp(l->vm[i].name, name) || !strcmp(id, name)) {
			*out = l->vm[i];
			found = 1;
		}
	}
	if (!found && sscanf(name, "%d:%d", &pid, &fd) == 2)
		fprintf(stderr, "mhv: %s: no VM fd there (or not allowed to look)\n",
			name);
	else if (!found)
		fprintf(stderr, "mhv: no VM named \"%s\" among %d VM(s) this user can see\n",
			name, l->nr);
	free(l);
	return found ? 0 : -ENOENT;
}

/* Open the stats of @v into @r (its fd kept in r->fd: close it). */
static int open_vm_stats(const struct vm_ref *v, struct mhv_stats_reader *r)
{
	int vfd = grab_fd(v->pid, v->fd), sfd, ret;

	if (vfd < 0)
		return vfd;
	sfd = mhv_get_stats_fd(vfd);
	close(vfd);
	if (sfd < 0)
		return sfd;
	ret = mhv_stats_open(r, sfd);
	if (ret)
		close(sfd);
	return ret;
}

static void close_vm_stats(struct mhv_stats_reader *r)
{
	int fd = r->fd;

	mhv_stats_close(r);
	if (fd >= 0)
		close(fd);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- mhv stats ------------------------------------------------------------ */

static int print_stats(struct mhv_stats_reader *r, int json, int all)
{
	int len = json ? mhv_stats_reader_json(r, NULL, 0) :
			 mhv_stats_reader_format(r, all, NULL, 0);
	char *buf;

	if (len < 0)
		return len;
	buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	if (json)
		mhv_stats_reader_json(r, buf, len + 1);
	else
		mhv_stats_reader_format(r, all, buf, len + 1);
	fputs(buf, stdout);
	if (json)
		putchar('\n');
	fflush(stdout);
	free(buf);
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "watch", optional_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, all = 0, watch_ms = 0, count = 0, c, i, ret;
	struct mhv_stats_reader r;
	struct vm_ref v;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jaw::n:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'a':
			all = 1;
			break;
		case 'w':
			watch_ms = optarg ? atoi(optarg) * 1000 : 1000;
			if (watch_ms <= 0)
				watch_ms = 1000;
			break;
		case 'n':
			count = atoi(optarg);
			break;
		default:
			mhv_usage("stats");
			return MHV_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		mhv_usage("stats");
		return MHV_EXIT_USAGE;
	}
	if (find_vm(argv[optind], &v))
		return MHV_EXIT_FAIL;
	ret = open_vm_stats(&v, &r);
	if (ret) {
		mhv_error("MHV_GET_STATS_FD", ret);
		return MHV_EXIT_FAIL;
	}
	for (i = 0; ; i++) {
		if (watch_ms && !json && isatty(STDOUT_FILENO))
			fputs("\033[H\033[J", stdout);
		ret = mhv_stats_refresh(&r);
		if (!ret)
			ret = print_stats(&r, json, all);
		if (ret || !watch_ms || (count && i + 1 >= count))
			break;
		sleep_ms(watch_ms);
	}
	close_vm_stats(&r);
	if (ret)
		mhv_error("stats", ret);
	return ret ? MHV_EXIT_FAIL : MHV_EXIT_OK;
}

const char mhv_stats_details[] =
"VM is a VM's name (or PID:FD of its VM fd, as mhv top shows it).\n"
"Prints every nonzero statistic of the VM's stats fd (the sum over its\n"
"vCPUs, then VM-wide values; --all: also the zeros), and for each exit\n"
"latency histogram its count and estimated 50th, 90th and 99th\n"
"percentiles. --json: one object per reading. --watch[=SECONDS]: again\n"
"every SECONDS (1), --count N times (0: until interrupted).\n"
"VMs of other processes are found in /proc/PID/fd: yours if ptrace is\n"
"allowed, all of them for root.\n";

/* ---- mhv top ------------------------------------------------------------- */

struct top_entry {
	pid_t pid;
	int fd;
	char name[MHV_VM_NAME_LEN + 1];
	struct mhv_monitor_counters c;
	int have;
	uint32_t state, vcpus;
};

static void top_read(const struct vm_list *l, struct top_entry *e)
{
	int i;

	for (i = 0; i < l->nr; i++) {
		struct mhv_stats_reader r;

		memset(&e[i], 0, sizeof(e[i]));
		e[i].pid = l->vm[i].pid;
		e[i].fd = l->vm[i].fd;
		memcpy(e[i].name, l->vm[i].name, sizeof(e[i].name));
		if (open_vm_stats(&l->vm[i], &r))
			continue;
		mhv_monitor_counters_from_stats(&r, now_s(), &e[i].c);
		e[i].state = mhv_stats_value(&r, "state");
		e[i].vcpus = mhv_stats_value(&r, "vcpus");
		e[i].have = 1;
		close_vm_stats(&r);
	}
}

static const struct top_entry *top_prev(const struct top_entry *p, int n,
					const struct top_entry *e)
{
	int i;

	for (i = 0; i < n; i++)
		if (p[i].have && p[i].pid == e->pid && p[i].fd == e->fd &&
		    !strcmp(p[i].name, e->name))
			return &p[i];
	return NULL;
}

static void top_print(const struct top_entry *prev, int nprev,
		      const struct top_entry *cur, int n, unsigned int ms)
{
	int i;

	if (isatty(STDOUT_FILENO))
		fputs("\033[H\033[J", stdout);
	printf("mhv top - %d VM(s), every %u ms\n", n, ms);
	printf("%-20s %7s %-9s %5s %12s %10s %7s %7s %10s\n", "VM", "PID:FD",
	       "STATE", "VCPUS", "EXITS/s", "NPF/s", "GUEST%", "HV%",
	       "MEM(KiB)");
	for (i = 0; i < n; i++) {
		const struct top_entry *e = &cur[i], *p;
		double v[MHV_METRIC_NR] = { 0 };
		char id[24];

		if (!e->have)
			continue;
		p = top_prev(prev, nprev, e);
		if (p)
			mhv_metrics_compute(&p->c, &e->c, v);
		else
			v[MHV_METRIC_MEMORY_USED] = e->c.pages_mapped * 4096.0;
		snprintf(id, sizeof(id), "%d:%d", e->pid, e->fd);
		printf("%-20s %7s %-9s %5u %12.0f %10.0f %7.1f %7.1f %10.0f\n",
		       e->name, id, mhv_vm_state_name(e->state), e->vcpus,
		       v[MHV_METRIC_EXIT_RATE], v[MHV_METRIC_NPF_RATE],
		       100 * v[MHV_METRIC_GUEST_CPU],
		       100 * v[MHV_METRIC_HV_OVERHEAD],
		       v[MHV_METRIC_MEMORY_USED] / 1024);
	}
	fflush(stdout);
}

int cmd_top(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct top_entry *prev, *cur, *tmp;
	unsigned int ms = 1000;
	int count = 0, nprev, c, i;
	struct vm_list *l;

	optind = 1;
	while ((c = getopt_long(argc, argv, "i:n:", opts, NULL)) != -1) {
		if (c == 'i' && atoi(optarg) > 0) {
			ms = atoi(optarg);
		} else if (c == 'n') {
			count = atoi(optarg);
		} else {
			mhv_usage("top");
			return MHV_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		mhv_usage("top");
		return MHV_EXIT_USAGE;
	}
	l = calloc(1, sizeof(*l));
	prev = calloc(MAX_VMS, sizeof(*prev));
	cur = calloc(MAX_VMS, sizeof(*cur));
	if (!l || !prev || !cur) {
		free(l);
		free(prev);
		free(cur);
		return MHV_EXIT_FAIL;
	}
	find_vms(l);
	top_read(l, prev);
	nprev = l->nr;
	for (i = 0; !count || i < count; i++) {
		sleep_ms(ms);
		find_vms(l);
		top_read(l, cur);
		top_print(prev, nprev, cur, l->nr, ms);
		tmp = prev;
		prev = cur;
		cur = tmp;
		nprev = l->nr;
	}
	free(l);
	free(prev);
	free(cur);
	return MHV_EXIT_OK;
}

const char mhv_top_details[] =
"Every VM this user can see (see mhv help stats), refreshed every\n"
"--interval MS (1000), --count N times (0: until interrupted): its state,\n"
"exits and nested page faults per second, guest share of a CPU (guest\n"
"time / wall time), hypervisor share of the vCPU time (time handling\n"
"exits / (that + guest time)) and guest memory mapped.\n";

/* ---- mhv crash ------------------------------------------------------------ */

struct crash_ctx {
	const char *name;
	int shown;
	int err;
};

static int show_flight(pid_t pid, int fd, void *arg)
{
	struct crash_ctx *ctx = arg;
	struct mhv_flight_recorder fr;
	char buf[16384];
	int nfd = grab_fd(pid, fd), ret;

	if (nfd < 0)
		return 0;
	ret = mhv_get_flight_recorder(nfd, &fr);
	close(nfd);
	if (ret) {
		ctx->err = ret;
		return 0;
	}
	if (strncmp(fr.vm_name, ctx->name, MHV_VM_NAME_LEN))
		return 0;
	mhv_flight_format(&fr, buf, sizeof(buf));
	printf("%s%s", ctx->shown ? "\n" : "", buf);
	ctx->shown++;
	return 1;
}

int cmd_crash(int argc, char **argv)
{
	struct crash_ctx ctx = { 0 };
	struct vm_ref v;

	if (argc != 2) {
		mhv_usage("crash");
		return MHV_EXIT_USAGE;
	}
	if (find_vm(argv[1], &v))
		return MHV_EXIT_FAIL;
	if (v.info.state == MHV_VM_RUNNING) {
		fprintf(stderr, "mhv: VM \"%s\" is running: its flight recorder can be read when no vCPU is inside MHV_RUN\n",
			v.name);
		return MHV_EXIT_FAIL;
	}
	printf("VM \"%s\" (pid %d): %s", v.name, v.pid,
	       mhv_vm_state_name(v.info.state));
	if (v.info.state == MHV_VM_ERROR)
		printf(": %s, exit code %#llx", mhv_error_name(v.info.error),
		       (unsigned long long)v.info.error_code);
	printf("\n\n");
	ctx.name = v.name;
	scan_fds("anon_inode:multios_hv-vcpu", v.pid, show_flight, &ctx);
	if (!ctx.shown) {
		if (ctx.err)
			mhv_error("MHV_GET_FLIGHT_RECORDER", ctx.err);
		else
			fprintf(stderr, "mhv: VM \"%s\" has no vCPU fd open\n",
				v.name);
		return MHV_EXIT_FAIL;
	}
	return MHV_EXIT_OK;
}

const char mhv_crash_details[] =
"The flight recorder of each vCPU of VM: its last 64 exits, oldest first,\n"
"with their time before the last one, exit type, guest RIP, vendor exit\n"
"code and information. When the VM went to ERROR (triple fault, refused\n"
"entry, unknown exit, an MMIO instruction that cannot be emulated) the\n"
"recorder froze: these are the exits that led to the crash.\n";
