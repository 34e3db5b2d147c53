// SPDX-License-Identifier: GPL-2.0
/*
 * mhv stats, mhv top, mhv crash: what the statistics fds and the flight
 * recorder say about VMs, whichever process runs them.
 *
 * Reaching VMs: the netlink listing (mhv list) names every VM the caller
 * may see, but the stats fd and the flight recorder need the VM's own
 * fds, so mhv looks for them where they are: in
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
"vCPUs, then VM-wide values; --all: also the zeros; the VM's state and\n"
"error by name, then their number), and for each exit\n"
"latency histogram its count and estimated 50th, 90th and 99th\n"
"percentiles. --json: one object per reading. --watch[=SECONDS]: again\n"
"every SECONDS (1), --count N times (0: until interrupted).\n"
"VMs of other processes are found in /proc/PID/fd: yours if ptrace is\n"
"allowed, all of them for root.\n";

/* ---- mhv top ------------------------------------------------------------- */

struct top_entry {
	struct mhv_vm_entry vm;		/* from the netlink listing */
	struct mhv_monitor_counters c;
	int have;			/* its stats fd was reached: @c valid */
};

struct top_snap {
	struct top_entry *e;
	size_t n;
};

/* The VM fd of the listed VM @v: same owner process and name, unused. */
static const struct vm_ref *top_match(const struct vm_list *l,
				      const struct mhv_vm_entry *v, char *used)
{
	int i;

	for (i = 0; i < l->nr; i++)
		if (!used[i] && l->vm[i].pid == (pid_t)v->owner_pid &&
		    !strncmp(l->vm[i].name, v->name, MHV_VM_NAME_LEN)) {
			used[i] = 1;
			return &l->vm[i];
		}
	return NULL;
}

static void top_counters(const struct vm_ref *ref, struct top_entry *e)
{
	struct mhv_stats_reader r;

	if (!ref || open_vm_stats(ref, &r))
		return;
	mhv_monitor_counters_from_stats(&r, now_s(), &e->c);
	e->have = 1;
	close_vm_stats(&r);
}

/* Every listed VM, with the counters of those whose stats fd we reach. */
static int top_read(struct vm_list *l, struct top_snap *s)
{
	struct mhv_vm_entry *v = NULL;
	char used[MAX_VMS] = { 0 };
	size_t i;

	if (mhv_fetch_vms("top", &v, &s->n))
		return -1;
	s->e = calloc(s->n ? s->n : 1, sizeof(*s->e));
	if (!s->e) {
		free(v);
		return -1;
	}
	find_vms(l);
	for (i = 0; i < s->n; i++) {
		s->e[i].vm = v[i];
		top_counters(top_match(l, &v[i], used), &s->e[i]);
	}
	free(v);
	return 0;
}

static const struct top_entry *top_prev(const struct top_snap *p,
					const struct top_entry *e)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->e[i].have && p->e[i].vm.id == e->vm.id)
			return &p->e[i];
	return NULL;
}

static void top_rates(const struct top_entry *p, const struct top_entry *e)
{
	double v[MHV_METRIC_NR] = { 0 };

	if (p)
		mhv_metrics_compute(&p->c, &e->c, v);
	printf("%12.0f %10.0f %7.1f %7.1f\n", v[MHV_METRIC_EXIT_RATE],
	       v[MHV_METRIC_NPF_RATE], 100 * v[MHV_METRIC_GUEST_CPU],
	       100 * v[MHV_METRIC_HV_OVERHEAD]);
}

static void top_print(const struct top_snap *prev, const struct top_snap *cur,
		      unsigned int ms)
{
	size_t i;

	if (isatty(STDOUT_FILENO))
		fputs("\033[H\033[J", stdout);
	printf("mhv top - %zu VM(s), every %u ms\n", cur->n, ms);
	mhv_vm_columns_header();
	printf("%-7s %-6s %12s %10s %7s %7s\n", "PID", "UID", "EXITS/s",
	       "NPF/s", "GUEST%", "HV%");
	for (i = 0; i < cur->n; i++) {
		const struct top_entry *e = &cur->e[i];

		mhv_vm_columns(&e->vm);
		printf("%-7u %-6u ", e->vm.owner_pid, e->vm.owner_uid);
		if (e->have)
			top_rates(top_prev(prev, e), e);
		else
			printf("(no rates: its stats fd is out of reach)\n");
	}
	fflush(stdout);
}

static int top_args(int argc, char **argv, unsigned int *ms, int *count)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "i:n:", opts, NULL)) != -1) {
		if (c == 'i' && atoi(optarg) > 0)
			*ms = atoi(optarg);
		else if (c == 'n')
			*count = atoi(optarg);
		else
			return -1;
	}
	return optind == argc ? 0 : -1;
}

int cmd_top(int argc, char **argv)
{
	struct top_snap prev = { 0 }, cur = { 0 };
	unsigned int ms = 1000;
	int count = 0, i, ret = MHV_EXIT_FAIL;
	struct vm_list *l;

	if (top_args(argc, argv, &ms, &count)) {
		mhv_usage("top");
		return MHV_EXIT_USAGE;
	}
	l = calloc(1, sizeof(*l));
	if (!l || top_read(l, &prev))
		goto out;
	for (i = 0; !count || i < count; i++) {
		sleep_ms(ms);
		if (top_read(l, &cur))
			goto out;
		top_print(&prev, &cur, ms);
		free(prev.e);
		prev = cur;
		cur.e = NULL;
	}
	ret = MHV_EXIT_OK;
out:
	free(prev.e);
	free(l);
	return ret;
}

const char mhv_top_details[] =
"Every VM the netlink listing shows this user (as mhv list: all of them\n"
"for root), refreshed every --interval MS (1000), --count N times (0:\n"
"until interrupted): what the listing says (id, name, state, vCPUs,\n"
"memory, devices, owner pid and uid), then, for the VMs whose stats fd\n"
"mhv reaches (see mhv help stats), exits and nested page faults per\n"
"second, guest share of a CPU (guest time / wall time) and hypervisor\n"
"share of the vCPU time (time handling exits / (that + guest time)).\n"
"The others (a process ptrace may not look into) get a note instead.\n";

/* ---- mhv crash ------------------------------------------------------------ */

struct crash_ctx {
	const char *name;
	int shown;
	int err;
};

int mhv_show_flight(FILE *out, int vcpu_fd, const char *name, int blank)
{
	struct mhv_flight_recorder fr;
	char buf[16384];
	int ret = mhv_get_flight_recorder(vcpu_fd, &fr);

	if (ret)
		return ret;
	if (name && strncmp(fr.vm_name, name, MHV_VM_NAME_LEN))
		return 0;
	mhv_flight_format(&fr, buf, sizeof(buf));
	fprintf(out, "%s%s", blank ? "\n" : "", buf);
	return 1;
}

static int show_flight(pid_t pid, int fd, void *arg)
{
	struct crash_ctx *ctx = arg;
	int nfd = grab_fd(pid, fd), ret;

	if (nfd < 0)
		return 0;
	ret = mhv_show_flight(stdout, nfd, ctx->name, ctx->shown);
	close(nfd);
	if (ret < 0) {
		ctx->err = ret;
		return 0;
	}
	ctx->shown += ret;
	return ret;
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
"recorder froze: these are the exits that led to the crash. The VM must\n"
"still exist (its program keeps it open); mhv run destroys its VM when it\n"
"exits, so it prints the flight recorder itself when its guest crashes.\n";
