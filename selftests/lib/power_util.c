// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "power_util.h"
#include "test_util.h"

volatile uint64_t spin_guest_stop;

void spin_guest(uint64_t arg)
{
	uint32_t a, b, c, d;
	uint64_t i;
	int k;

	for (i = 0; !spin_guest_stop; i++) {
		for (k = 0; k < 8; k++)
			__asm__ volatile("cpuid"
					 : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
					 : "a"(0), "c"(0));
		GUEST_SYNC(i);
	}
	GUEST_DONE();
}

static void spin_sigusr1(int sig)
{
}

static void *spin_thread(void *arg)
{
	struct spin_runner *r = arg;
	struct mhv_ucall uc;
	int ret;

	for (;;) {
		ret = mhv_guest_run(r->g, 0, &uc);
		pthread_mutex_lock(&r->lock);
		if (ret == -EINTR && !r->abort) {
			/* the freezer (suspend) or a stray signal */
			r->interrupted++;
			pthread_mutex_unlock(&r->lock);
			continue;
		}
		if (ret == MHV_UCALL_SYNC && uc.args[0] == r->syncs) {
			r->syncs++;
			r->last_cpu = sched_getcpu();
			pthread_cond_broadcast(&r->cond);
			pthread_mutex_unlock(&r->lock);
			continue;
		}
		/* DONE, an error, or a sync out of sequence (result 1) */
		r->result = ret;
		r->done = true;
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
		return NULL;
	}
}

int spin_pin(struct spin_runner *r, int cpu)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	if (cpu >= 0) {
		CPU_SET(cpu, &set);
	} else {
		for (i = 0; i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	}
	return -pthread_setaffinity_np(r->thread, sizeof(set), &set);
}

int spin_start(struct spin_runner *r, struct mhv_guest *g, int cpu)
{
	struct sigaction sa;
	int ret;

	memset(r, 0, sizeof(*r));
	r->g = g;
	r->last_cpu = -1;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = spin_sigusr1;	/* no SA_RESTART: RUN returns EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	spin_guest_stop = 0;
	ret = mhv_guest_sync_global(g, (const void *)&spin_guest_stop,
				    sizeof(spin_guest_stop));
	if (ret)
		return ret;
	ret = -pthread_create(&r->thread, NULL, spin_thread, r);
	if (ret)
		return ret;
	return cpu >= 0 ? spin_pin(r, cpu) : 0;
}

static void deadline(struct timespec *ts, int secs)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += secs;
}

int spin_wait(struct spin_runner *r, uint64_t n, int cpu, int secs)
{
	struct timespec ts;
	uint64_t want;
	int ret = 0;

	deadline(&ts, secs);
	pthread_mutex_lock(&r->lock);
	want = r->syncs + n;
	while (!r->done && (r->syncs < want || (cpu >= 0 && r->last_cpu != cpu))) {
		if (pthread_cond_timedwait(&r->cond, &r->lock, &ts) == ETIMEDOUT) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	if (!ret && r->done)
		ret = -ECHILD;
	pthread_mutex_unlock(&r->lock);
	return ret;
}

int spin_wait_end(struct spin_runner *r, int secs)
{
	struct timespec ts;
	int ret = 0;

	deadline(&ts, secs);
	pthread_mutex_lock(&r->lock);
	while (!r->done && !ret)
		if (pthread_cond_timedwait(&r->cond, &r->lock, &ts) == ETIMEDOUT)
			ret = -ETIMEDOUT;
	if (!ret)
		ret = r->result;
	pthread_mutex_unlock(&r->lock);
	return ret;
}

int spin_stop(struct spin_runner *r, int secs)
{
	uint64_t *stop = mhv_guest_ptr(r->g, (uintptr_t)&spin_guest_stop);
	int ret;

	if (stop)
		__atomic_store_n(stop, 1, __ATOMIC_SEQ_CST);
	ret = spin_wait_end(r, secs);
	if (ret == -ETIMEDOUT) {
		r->abort = 1;
		pthread_kill(r->thread, SIGUSR1);
	}
	pthread_join(r->thread, NULL);
	return ret;
}

int hw_count_cpus(const char *module, const char *hw, int *online)
{
	char line[128], m[8], h[8];
	unsigned int cpu;
	int n = 0;
	FILE *f;

	*online = 0;
	f = fopen(MHV_DEBUGFS_HW, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "cpu%u module=%7s hw=%7s", &cpu, m, h) != 3)
			continue;
		(*online)++;
		if (!strcmp(m, module) && !strcmp(h, hw))
			n++;
	}
	fclose(f);
	return n;
}

int write_text(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t w;

	if (fd < 0)
		return -errno;
	w = write(fd, text, len);
	if (w < 0) {
		w = -errno;
		close(fd);
		return w;
	}
	close(fd);
	return w == (ssize_t)len ? 0 : -EIO;
}

bool dmesg_after_has(const char *mark, const char *text)
{
	char *log = dmesg_read(), *from, *p;
	bool found = false;

	if (!log)
		return false;
	from = strstr(log, mark);
	if (from) {
		while ((p = strstr(from + 1, mark)))
			from = p;
		found = strstr(from, text) != NULL;
	}
	free(log);
	return found;
}
