// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - a VM with several vCPUs: one thread per vCPU, all of
 * them stopped when one ends the VM (mhv_vm_run_all()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "libmultios_hv.h"

struct run_all {
	int vm_fd;
	mhv_vcpu_exit_fn fn;
	void *arg;
	pthread_mutex_t lock;
	int ended;		/* (lock) the VM was ended */
	int result;		/* (lock) the value that ended it */
};

struct run_one {
	struct run_all *all;
	unsigned int i;
	int fd;
	struct mhv_run *run;
};

static int run_all_ended(struct run_all *a)
{
	int ended;

	pthread_mutex_lock(&a->lock);
	ended = a->ended;
	pthread_mutex_unlock(&a->lock);
	return ended;
}

/* The first end wins: stop every vCPU, wherever it is. */
static void run_all_end(struct run_all *a, int result)
{
	pthread_mutex_lock(&a->lock);
	if (!a->ended) {
		a->ended = 1;
		a->result = result;
		mhv_stop_vm(a->vm_fd, MHV_STOP_FORCE);
	}
	pthread_mutex_unlock(&a->lock);
}

/*
 * Does this return of MHV_RUN end the VM, and with what (*@result)? The
 * callback says so; an error or MHV_EXIT_STOPPED it let pass ends it.
 */
static int run_one_ends(struct run_one *o, int ret, int *result)
{
	struct run_all *a = o->all;

	*result = a->fn(a->arg, o->i, ret, o->run);
	if (*result)
		return 1;
	if (ret && ret != -EINTR) {
		*result = ret;
		return 1;
	}
	return !ret && o->run->exit_reason == MHV_EXIT_STOPPED;
}

static void *run_one_thread(void *p)
{
	struct run_one *o = p;
	int result;

	for (;;) {
		int ret = mhv_run(o->fd);

		if (run_all_ended(o->all))
			break;
		if (run_one_ends(o, ret, &result)) {
			run_all_end(o->all, result);
			break;
		}
	}
	return NULL;
}

int mhv_vm_run_all(int vm_fd, unsigned int n, const int *vcpu_fds,
		   struct mhv_run *const *runs, mhv_vcpu_exit_fn fn,
		   void *arg)
{
	struct run_all a = { .vm_fd = vm_fd, .fn = fn, .arg = arg };
	struct run_one *one;
	pthread_t *t;
	unsigned int i, started = 0;
	int ret = 0;

	if (!n || !fn)
		return -EINVAL;
	one = calloc(n, sizeof(*one));
	t = calloc(n, sizeof(*t));
	if (!one || !t) {
		free(one);
		free(t);
		return -ENOMEM;
	}
	pthread_mutex_init(&a.lock, NULL);
	for (i = 0; i < n; i++) {
		one[i] = (struct run_one){ &a, i, vcpu_fds[i], runs[i] };
		ret = -pthread_create(&t[i], NULL, run_one_thread, &one[i]);
		if (ret) {
			run_all_end(&a, ret);
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	pthread_mutex_destroy(&a.lock);
	free(one);
	free(t);
	return a.result;
}
