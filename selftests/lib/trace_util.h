/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the trace selftests: a subscriber, reading a VM's events
 * until it is destroyed, looking events up. Included only by the trace
 * tests (header-only: the other selftests do not link libnl).
 */
#ifndef _TRACE_UTIL_H
#define _TRACE_UTIL_H

#include <stdint.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libmultios_hv.h"

struct trace_sub {
	struct mhv_trace *t;
};

struct trace_log {
	struct mhv_trace_event *ev;
	unsigned int n, cap;
	uint32_t vm_id;
	int done;		/* the VM's DESTROYED event came */
};

#define TRACE_UTIL static __attribute__((unused))

TRACE_UTIL struct trace_sub *trace_sub_open(const struct mhv_trace_filter *f)
{
	struct trace_sub *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (mhv_trace_open(&s->t) || mhv_trace_subscribe(s->t, f) ||
	    mhv_trace_set_nonblocking(s->t)) {
		mhv_trace_close(s->t);
		free(s);
		return NULL;
	}
	return s;
}

TRACE_UTIL void trace_sub_close(struct trace_sub *s)
{
	if (!s)
		return;
	mhv_trace_close(s->t);
	free(s);
}

TRACE_UTIL uint32_t trace_vm_id(const char *name)
{
	struct mhv_vm_entry *v = NULL;
	size_t n = 0, i;
	uint32_t id = 0;

	if (mhv_list_vms(&v, &n))
		return 0;
	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			id = v[i].id;
	free(v);
	return id;
}

TRACE_UTIL uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

TRACE_UTIL int log_event(const struct mhv_trace_event *e, void *arg)
{
	struct trace_log *l = arg;

	if (e->vm_id != l->vm_id && e->type != MHV_TRACE_DROP)
		return 0;
	if (l->n == l->cap) {
		unsigned int cap = l->cap ? l->cap * 2 : 256;
		struct mhv_trace_event *v = realloc(l->ev, cap * sizeof(*v));

		if (!v)
			return 1;
		l->ev = v;
		l->cap = cap;
	}
	l->ev[l->n++] = *e;
	if (e->type == MHV_TRACE_VM && e->lifecycle == MHV_TRACE_VM_DESTROYED)
		l->done = 1;
	return 0;
}

TRACE_UTIL int trace_collect(struct trace_sub *s, uint32_t id, struct trace_log *log)
{
	struct pollfd p = { .fd = mhv_trace_fd(s->t), .events = POLLIN };
	uint64_t end = now_ms() + 10000;

	memset(log, 0, sizeof(*log));
	log->vm_id = id;
	while (!log->done && now_ms() < end) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		mhv_trace_read(s->t, log_event, log);
	}
	return log->done ? 0 : -ETIMEDOUT;
}

TRACE_UTIL void trace_log_free(struct trace_log *log)
{
	free(log->ev);
	memset(log, 0, sizeof(*log));
}

struct account {
	uint64_t got, dropped, records;
};

TRACE_UTIL int account_event(const struct mhv_trace_event *e, void *arg)
{
	struct account *a = arg;

	if (e->type == MHV_TRACE_DROP) {
		a->dropped += e->dropped;
		a->records++;
	} else {
		a->got++;
	}
	return 0;
}

TRACE_UTIL int trace_account(struct trace_sub *s, uint64_t total, uint64_t *got,
		  uint64_t *dropped, uint64_t *records)
{
	struct pollfd p = { .fd = mhv_trace_fd(s->t), .events = POLLIN };
	uint64_t end = now_ms() + 10000;
	struct account a = { 0 };

	while (a.got + a.dropped < total && now_ms() < end) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		mhv_trace_read(s->t, account_event, &a);
	}
	*got = a.got;
	*dropped = a.dropped;
	*records = a.records;
	return a.got + a.dropped >= total ? 0 : -ETIMEDOUT;
}

TRACE_UTIL unsigned int trace_count_exits(const struct trace_log *l, uint32_t reason)
{
	unsigned int i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->ev[i].type == MHV_TRACE_EXIT &&
		     l->ev[i].exit_reason == reason;
	return n;
}

TRACE_UTIL unsigned int trace_count_io(const struct trace_log *l, uint16_t port,
			    unsigned int size, int in)
{
	uint64_t arg = port | (uint64_t)size << 16 | (uint64_t)!!in << 24;
	unsigned int i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->ev[i].type == MHV_TRACE_EXIT &&
		     l->ev[i].exit_reason == MHV_TRACE_X_IO &&
		     l->ev[i].exit_arg == arg && l->ev[i].user == 1;
	return n;
}

TRACE_UTIL const struct mhv_trace_event *trace_find_npf(const struct trace_log *l,
					     uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (l->ev[i].type == MHV_TRACE_NPF &&
		    (l->ev[i].gpa & ~0xfffULL) == (gpa & ~0xfffULL))
			return &l->ev[i];
	return NULL;
}

TRACE_UTIL const struct mhv_trace_event *trace_find_exit_gpa(const struct trace_log *l,
						  uint32_t reason, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (l->ev[i].type == MHV_TRACE_EXIT &&
		    l->ev[i].exit_reason == reason &&
		    (l->ev[i].gpa & ~0xfffULL) == (gpa & ~0xfffULL))
			return &l->ev[i];
	return NULL;
}

TRACE_UTIL const struct mhv_trace_event *trace_find_vm(const struct trace_log *l,
					    uint32_t lifecycle)
{
	static const struct mhv_trace_event none;
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (l->ev[i].type == MHV_TRACE_VM &&
		    l->ev[i].lifecycle == lifecycle)
			return &l->ev[i];
	return lifecycle == MHV_TRACE_VM_ERROR ? NULL : &none;
}

TRACE_UTIL int trace_lifecycle_order(const struct trace_log *l, const uint32_t *kinds,
			  const uint32_t *states)
{
	unsigned int i, k = 0;

	for (i = 0; i < l->n; i++) {
		const struct mhv_trace_event *e = &l->ev[i];

		if (e->type != MHV_TRACE_VM)
			continue;
		if (!kinds[k] || e->lifecycle != kinds[k])
			return -1;
		if (e->lifecycle == MHV_TRACE_VM_STATE && e->state != states[k])
			return -1;
		k++;
	}
	return kinds[k] ? -1 : 0;
}

#endif
