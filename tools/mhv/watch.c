// SPDX-License-Identifier: GPL-2.0
/*
 * mhv - the watchdog of a running guest: one thread that waits, without
 * polling, for the first of
 *   - the --timeout timer (a timerfd): the VM is stopped with
 *     MHV_STOP_FORCE, which kicks the vCPU out of guest mode at once, even
 *     from a guest that loops with interrupts disabled;
 *   - SIGINT or SIGTERM (a signalfd; the signals are blocked in every
 *     thread, so Ctrl-C never kills mhv halfway): MHV_STOP_GRACEFUL, the
 *     vCPU returns at its next exit (a host timer tick at the latest);
 *   - the end of the guest (an eventfd written by watch_stop()).
 * MHV_RUN then returns MHV_EXIT_STOPPED and mhv prints its summary.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "mhv.h"

static void *watch_main(void *arg)
{
	struct mhv_watch *w = arg;
	struct pollfd p[3] = {
		{ .fd = w->done_fd, .events = POLLIN },
		{ .fd = w->sig_fd, .events = POLLIN },
		{ .fd = w->timer_fd, .events = POLLIN },
	};
	struct signalfd_siginfo si;

	for (;;) {
		if (poll(p, w->timer_fd >= 0 ? 3 : 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		if (p[0].revents)
			return NULL;
		if (p[1].revents &&
		    read(w->sig_fd, &si, sizeof(si)) == sizeof(si)) {
			__atomic_store_n(&w->signo, (int)si.ssi_signo,
					 __ATOMIC_RELEASE);
			mhv_stop_vm(w->vm_fd, MHV_STOP_GRACEFUL);
			return NULL;
		}
		if (p[2].revents) {
			__atomic_store_n(&w->timed_out, 1, __ATOMIC_RELEASE);
			mhv_stop_vm(w->vm_fd, MHV_STOP_FORCE);
			return NULL;
		}
	}
}

/* Block SIGINT and SIGTERM in this thread (and the threads it starts). */
int watch_block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	return -pthread_sigmask(SIG_BLOCK, &set, old);
}

int watch_start(struct mhv_watch *w, int vm_fd, unsigned int timeout_s)
{
	struct itimerspec its = { .it_value.tv_sec = timeout_s };
	sigset_t set;
	int r;

	memset(w, 0, sizeof(*w));
	w->vm_fd = vm_fd;
	w->timer_fd = -1;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	w->sig_fd = signalfd(-1, &set, SFD_CLOEXEC);
	w->done_fd = eventfd(0, EFD_CLOEXEC);
	if (w->sig_fd < 0 || w->done_fd < 0)
		goto fail;
	if (timeout_s) {
		w->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
		if (w->timer_fd < 0 ||
		    timerfd_settime(w->timer_fd, 0, &its, NULL))
			goto fail;
	}
	r = pthread_create(&w->thread, NULL, watch_main, w);
	if (r) {
		errno = r;
		goto fail;
	}
	w->started = 1;
	return 0;
fail:
	r = -errno;
	watch_stop(w);
	return r;
}

void watch_stop(struct mhv_watch *w)
{
	uint64_t one = 1;

	if (w->started) {
		if (write(w->done_fd, &one, sizeof(one)) != sizeof(one))
			pthread_cancel(w->thread);
		pthread_join(w->thread, NULL);
		w->started = 0;
	}
	if (w->timer_fd >= 0)
		close(w->timer_fd);
	if (w->sig_fd >= 0)
		close(w->sig_fd);
	if (w->done_fd >= 0)
		close(w->done_fd);
	w->timer_fd = w->sig_fd = w->done_fd = -1;
}
