// SPDX-License-Identifier: GPL-2.0
/*
 * mhv list [--json]     every VM of the system the caller may see
 * mhv trace [--vm NAME] [--events LIST] [--json] [--perfetto FILE]
 *           [--count N]
 *                       live trace events, one decoded line each; with
 *                       --perfetto instead a Chrome trace-event JSON file
 *                       (ui.perfetto.dev, chrome://tracing): one process
 *                       per VM, one thread per vCPU, time in the guest,
 *                       in the hypervisor (exits as slices) and in
 *                       userspace as a timeline, and a last line saying
 *                       how many events it holds and how many were
 *                       dropped. --vm NAME of a VM not created yet waits
 *                       for its creation (a lifecycle event), then traces
 *                       it from its start.
 * Both go through the generic netlink family multios_hv (libmultios_hv).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"
#include "mhv.h"

#define MAX_NAMES	256

/* ---- mhv list ------------------------------------------------------------- */

int mhv_fetch_vms(const char *who, struct mhv_vm_entry **v, size_t *n)
{
	int r = mhv_list_vms(v, n);

	if (r)
		fprintf(stderr, "mhv %s: %s%s\n", who, strerror(-r),
			r == -ENOENT ? " (is the multios_hv module loaded?)" : "");
	return r;
}

void mhv_vm_columns_header(void)
{
	printf("%-4s %-20s %-8s %-6s %-15s %-4s ", "ID", "NAME", "STATE",
	       "VCPUS", "MEMORY(MiB)", "DEVS");
}

void mhv_vm_columns(const struct mhv_vm_entry *e)
{
	char mem[48];

	snprintf(mem, sizeof(mem), "%" PRIu64 "/%" PRIu64, e->mem_used >> 20,
		 e->mem_limit >> 20);
	printf("%-4u %-20.32s %-8s %u/%-4u %-15s %-4u ", e->id, e->name,
	       mhv_vm_state_name(e->state), e->vcpus_created, e->vcpus, mem,
	       e->devices);
}

int cmd_list(int argc, char **argv)
{
	struct mhv_vm_entry *v = NULL;
	size_t n = 0, i;
	int json = 0;
	char buf[1024];

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--json")) {
			fprintf(stderr, "mhv list: unknown option '%s'\n", argv[i]);
			mhv_usage("list");
			return MHV_EXIT_USAGE;
		}
		json = 1;
	}
	if (mhv_fetch_vms("list", &v, &n))
		return MHV_EXIT_FAIL;
	if (json) {
		fputs("[", stdout);
	} else {
		mhv_vm_columns_header();
		printf("%-10s %-7s %s\n", "EXITS", "PID", "UID");
	}
	for (i = 0; i < n; i++) {
		if (json) {
			mhv_vm_entry_format_json(&v[i], buf, sizeof(buf));
			printf("%s%s", i ? ", " : "", buf);
			continue;
		}
		mhv_vm_columns(&v[i]);
		printf("%-10" PRIu64 " %-7u %u\n", v[i].exits, v[i].owner_pid,
		       v[i].owner_uid);
	}
	if (json)
		fputs("]\n", stdout);
	free(v);
	return fflush(stdout) ? MHV_EXIT_FAIL : MHV_EXIT_OK;
}

/* ---- mhv trace -------------------------------------------------------------- */

struct vcpu_time {
	uint32_t vm, vcpu;
	uint64_t entry;		/* last ENTRY, 0: none since the last exit */
	uint64_t exit_done;	/* end of the last exit handled for userspace */
	int named;		/* its thread_name record is written */
};

struct trace_ctx {
	int json;
	/*
	 * --vm NAME: the VMs of that name (@f.vms); until one is created,
	 * @waiting. Events of other VMs that arrive before the kernel has
	 * the new filter (mhv_trace_subscribe() again once @refilter) are
	 * left out here.
	 */
	const char *want;
	int waiting;
	int refilter;
	struct mhv_trace_filter f;
	int multi;		/* several VMs: prefix lines with the VM */
	long count;		/* stop after this many events, 0: never */
	long seen;
	uint32_t user_events;	/* what the user asked to see */
	FILE *pf;		/* --perfetto */
	int pf_items;
	uint64_t t0;
	struct { uint32_t id; char name[MHV_VM_NAME_LEN]; } names[MAX_NAMES];
	unsigned int nr_names;
	struct vcpu_time vt[MAX_NAMES];
	unsigned int nr_vt;
};

static volatile sig_atomic_t stop_tracing;

static void on_signal(int sig)
{
	(void)sig;
	stop_tracing = 1;
}

static const char *vm_name(struct trace_ctx *c, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < c->nr_names; i++)
		if (c->names[i].id == id)
			return c->names[i].name;
	return NULL;
}

static void remember_name(struct trace_ctx *c, uint32_t id, const char *name)
{
	if (vm_name(c, id) || c->nr_names == MAX_NAMES)
		return;
	c->names[c->nr_names].id = id;
	snprintf(c->names[c->nr_names].name, MHV_VM_NAME_LEN, "%s", name);
	c->nr_names++;
}

static struct vcpu_time *vcpu_time(struct trace_ctx *c, uint32_t vm,
				   uint32_t vcpu)
{
	unsigned int i;

	for (i = 0; i < c->nr_vt; i++)
		if (c->vt[i].vm == vm && c->vt[i].vcpu == vcpu)
			return &c->vt[i];
	if (c->nr_vt == MAX_NAMES)
		return NULL;
	c->vt[c->nr_vt] = (struct vcpu_time){ .vm = vm, .vcpu = vcpu };
	return &c->vt[c->nr_vt++];
}

static double us(struct trace_ctx *c, uint64_t ns)
{
	return (double)(ns - c->t0) / 1000.0;
}

static void pf_slice(struct trace_ctx *c, const char *name, const char *cat,
		     uint32_t vm, uint32_t vcpu, uint64_t start, uint64_t end,
		     const char *args)
{
	fprintf(c->pf, "%s{\"name\":\"%s\",\"cat\":\"%s\",\"ph\":\"X\",\"ts\":%.3f,\"dur\":%.3f,\"pid\":%u,\"tid\":%u%s%s}\n",
		c->pf_items++ ? "," : "", name, cat, us(c, start),
		(double)(end - start) / 1000.0, vm, vcpu,
		args ? ",\"args\":" : "", args ? args : "");
}

static void pf_meta(struct trace_ctx *c, const char *what, uint32_t pid,
		    uint32_t tid, const char *name)
{
	fprintf(c->pf, "%s{\"name\":\"%s\",\"ph\":\"M\",\"pid\":%u,\"tid\":%u,\"args\":{\"name\":\"%s\"}}\n",
		c->pf_items++ ? "," : "", what, pid, tid, name);
}

/* Guest time ends at the exit, hypervisor time is the exit's handling. */
static void pf_event(struct trace_ctx *c, const struct mhv_trace_event *e)
{
	struct vcpu_time *vt;
	char args[256];

	if (!c->t0)
		c->t0 = e->time_ns;
	if (e->type == MHV_TRACE_VM) {
		pf_meta(c, "process_name", e->vm_id, 0, e->vm_name);
		return;
	}
	if (e->vcpu == MHV_TRACE_NO_VCPU)
		return;
	vt = vcpu_time(c, e->vm_id, e->vcpu);
	if (!vt)
		return;
	if (!vt->named) {
		snprintf(args, sizeof(args), "vcpu%u", e->vcpu);
		pf_meta(c, "thread_name", e->vm_id, e->vcpu, args);
		vt->named = 1;
	}
	if (e->type == MHV_TRACE_ENTRY) {
		if (vt->exit_done && e->time_ns > vt->exit_done)
			pf_slice(c, "userspace", "user", e->vm_id, e->vcpu,
				 vt->exit_done, e->time_ns, NULL);
		vt->exit_done = 0;
		vt->entry = e->time_ns;
	} else if (e->type == MHV_TRACE_EXIT) {
		if (vt->entry && e->time_ns >= vt->entry)
			pf_slice(c, "guest", "guest", e->vm_id, e->vcpu,
				 vt->entry, e->time_ns, NULL);
		vt->entry = 0;
		snprintf(args, sizeof(args),
			 "{\"rip\":\"0x%" PRIx64 "\",\"code\":\"0x%" PRIx64 "\",\"arg\":\"0x%" PRIx64 "\",\"handled\":\"%s\"}",
			 e->rip, e->exit_code, e->exit_arg,
			 e->user ? "user" : "kernel");
		pf_slice(c, mhv_trace_exit_name(e->exit_reason), "hypervisor",
			 e->vm_id, e->vcpu, e->time_ns,
			 e->time_ns + e->handle_ns, args);
		vt->exit_done = e->user ? e->time_ns + e->handle_ns : 0;
	}
}

static int filter_has(const struct mhv_trace_filter *f, uint32_t vm)
{
	uint32_t i;

	for (i = 0; i < f->nr_vms; i++)
		if (f->vms[i] == vm)
			return 1;
	return 0;
}

/* --vm NAME: is @e of that VM? The first one created ends the wait. */
static int wanted(struct trace_ctx *c, const struct mhv_trace_event *e)
{
	if (!c->want || e->type == MHV_TRACE_DROP)
		return 1;
	if (c->waiting && e->type == MHV_TRACE_VM &&
	    e->lifecycle == MHV_TRACE_VM_CREATED &&
	    !strncmp(e->vm_name, c->want, MHV_VM_NAME_LEN)) {
		c->f.vms[c->f.nr_vms++] = e->vm_id;
		c->waiting = 0;
		c->refilter = 1;
	}
	return filter_has(&c->f, e->vm_id);
}

static int print_event(const struct mhv_trace_event *e, void *arg)
{
	struct trace_ctx *c = arg;
	const char *name;
	char buf[512];

	if (e->type == MHV_TRACE_VM)
		remember_name(c, e->vm_id, e->vm_name);
	if (!wanted(c, e))
		return 0;
	if (c->pf)
		pf_event(c, e);
	/* ENTRY events asked for the timeline only */
	if (!(c->user_events & (1u << e->type)) && e->type != MHV_TRACE_DROP)
		return 0;
	if (c->pf) {
		/* the file only: printing slowed the reader into drops */
	} else if (c->json) {
		mhv_trace_format_json(e, buf, sizeof(buf));
		puts(buf);
	} else {
		mhv_trace_format(e, buf, sizeof(buf));
		name = vm_name(c, e->vm_id);
		if (c->multi && e->type != MHV_TRACE_VM && e->type != MHV_TRACE_DROP)
			printf("%s ", name ? name : "?");
		puts(buf);
	}
	c->seen++;
	return c->count && c->seen >= c->count;
}

static int trace_args(int argc, char **argv, struct trace_ctx *c,
		      const char **vm, const char **pf, uint32_t *events)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--json")) {
			c->json = 1;
			continue;
		}
		if (!v)
			goto usage;
		if (!strcmp(a, "--vm")) {
			*vm = v;
		} else if (!strcmp(a, "--perfetto")) {
			*pf = v;
		} else if (!strcmp(a, "--count")) {
			c->count = strtol(v, NULL, 0);
		} else if (!strcmp(a, "--events")) {
			if (mhv_trace_events_parse(v, events)) {
				fprintf(stderr, "mhv trace: bad --events '%s' (exit,entry,npf,dev,inject,vm,drop or all)\n",
					v);
				return -1;
			}
		} else {
			goto usage;
		}
		i++;
	}
	return 0;
usage:
	fprintf(stderr, "mhv trace: bad option '%s'\n", argv[i]);
	return -1;
}

/*
 * --vm NAME into ids (c->f.vms) and the names of the VMs seen now; none
 * of that name yet: wait for its creation. Called once subscribed, so a
 * VM created meanwhile is in the listing or its creation on the socket.
 */
static int trace_resolve(struct trace_ctx *c)
{
	struct mhv_vm_entry *v = NULL;
	size_t n = 0, i;
	int r = mhv_list_vms(&v, &n);

	if (r)
		return r;
	for (i = 0; i < n; i++) {
		remember_name(c, v[i].id, v[i].name);
		if (c->want && !strcmp(v[i].name, c->want) &&
		    c->f.nr_vms < MHV_TRACE_MAX_FILTER_VMS)
			c->f.vms[c->f.nr_vms++] = v[i].id;
	}
	free(v);
	c->waiting = c->want && !c->f.nr_vms;
	c->refilter = c->want && c->f.nr_vms;
	if (c->waiting)
		fprintf(stderr, "mhv trace: no VM named '%s' yet: waiting for its creation (Ctrl-C ends)\n",
			c->want);
	return 0;
}

static int trace_loop(struct mhv_trace *t, struct trace_ctx *c)
{
	struct pollfd p = { .fd = mhv_trace_fd(t), .events = POLLIN };
	int r;

	while (!stop_tracing) {
		r = poll(&p, 1, 200);
		if (r <= 0)
			continue;
		r = mhv_trace_read(t, print_event, c);
		if (r < 0 && r != -EAGAIN && r != -ENOBUFS && r != -EINTR) {
			fprintf(stderr, "mhv trace: %s\n", strerror(-r));
			return MHV_EXIT_FAIL;
		}
		if (c->refilter) {
			c->refilter = 0;
			r = mhv_trace_subscribe(t, &c->f);
			if (r) {
				fprintf(stderr, "mhv trace: subscribe: %s\n",
					strerror(-r));
				return MHV_EXIT_FAIL;
			}
		}
		fflush(stdout);
		if (c->count && c->seen >= c->count)
			break;
	}
	return MHV_EXIT_OK;
}

/* Subscribe (every VM until --vm NAME is resolved), then resolve it. */
static int trace_start(struct mhv_trace *t, struct trace_ctx *c)
{
	int r = mhv_trace_subscribe(t, &c->f);

	if (!r)
		r = mhv_trace_set_nonblocking(t);
	if (r) {
		fprintf(stderr, "mhv trace: subscribe: %s\n", strerror(-r));
		return r;
	}
	r = trace_resolve(c);
	if (r)
		fprintf(stderr, "mhv trace: %s%s\n", strerror(-r),
			r == -ENOENT ? " (is the multios_hv module loaded?)" : "");
	return r;
}

static int open_perfetto(struct trace_ctx *c, const char *pf)
{
	c->pf = fopen(pf, "w");
	if (!c->pf) {
		fprintf(stderr, "mhv trace: %s: %s\n", pf, strerror(errno));
		return -1;
	}
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", c->pf);
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	static struct trace_ctx c;
	const char *pf = NULL;
	uint32_t events = 0;
	struct mhv_trace *t;
	int r, ret;

	if (trace_args(argc, argv, &c, &c.want, &pf, &events)) {
		mhv_usage("trace");
		return MHV_EXIT_USAGE;
	}
	c.user_events = events ? events : ~(1u << MHV_TRACE_ENTRY);
	/* VM lifecycle events: to see the creation of --vm NAME */
	c.f.events = c.user_events | (pf ? 1u << MHV_TRACE_ENTRY |
					   1u << MHV_TRACE_EXIT : 0) |
		     (c.want ? 1u << MHV_TRACE_VM : 0);
	c.multi = !c.want;
	r = mhv_trace_open(&t);
	if (r) {
		fprintf(stderr, "mhv trace: %s%s\n", strerror(-r),
			r == -ENOENT ? " (is the multios_hv module loaded?)" : "");
		return MHV_EXIT_FAIL;
	}
	if (pf && open_perfetto(&c, pf)) {
		mhv_trace_close(t);
		return MHV_EXIT_FAIL;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	ret = MHV_EXIT_FAIL;
	if (!trace_start(t, &c)) {
		if (pf)
			fprintf(stderr, "mhv trace: recording into %s (Ctrl-C ends)\n",
				pf);
		ret = trace_loop(t, &c);
	}
	if (c.pf && (fputs("]}\n", c.pf) == EOF || fclose(c.pf)))
		ret = MHV_EXIT_FAIL;
	if (pf)
		printf("mhv trace: %ld events in %s, %" PRIu64 " dropped\n",
		       c.seen, pf, mhv_trace_dropped(t));
	else if (mhv_trace_dropped(t))
		fprintf(stderr, "mhv trace: %" PRIu64 " events dropped\n",
			mhv_trace_dropped(t));
	mhv_trace_close(t);
	return ret;
}
