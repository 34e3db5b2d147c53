// SPDX-License-Identifier: GPL-2.0
/*
 * The trace channel's access rule with a real unprivileged user (nobody,
 * uid 65534, no capabilities), the multicast group, tracing switched on
 * and off while VMs come and go, and a third-party client
 * (genl-ctrl-list of libnl-utils) that sees the family and its group.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "limits_util.h"
#include "test_util.h"
#include "trace_util.h"

#define NOBODY		65534
#define NR_CPUID	5

static void guest_cpuid(uint64_t n)
{
	uint32_t a, b, c, d;
	uint64_t i;

	for (i = 0; i < n; i++)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(0), "c"(0));
	GUEST_DONE();
}

static int run_done(struct mhv_guest *g)
{
	struct mhv_ucall uc;

	return mhv_guest_run(g, 0, &uc) == MHV_UCALL_DONE ? 0 : -1;
}

struct per_vm {
	uint32_t own, other;
	uint64_t own_events, other_events;
	int own_done;
};

static int count_by_vm(const struct mhv_trace_event *e, void *arg)
{
	struct per_vm *p = arg;

	if (e->vm_id == p->own)
		p->own_events++;
	else if (e->vm_id == p->other)
		p->other_events++;
	if (e->vm_id == p->own && e->type == MHV_TRACE_VM &&
	    e->lifecycle == MHV_TRACE_VM_DESTROYED)
		p->own_done = 1;
	return 0;
}

/* Read until VM p->own is destroyed, 10 s at most. */
static int read_until_destroyed(struct trace_sub *s, struct per_vm *p)
{
	struct pollfd pf = { .fd = mhv_trace_fd(s->t), .events = POLLIN };
	int i;

	for (i = 0; i < 100 && !p->own_done; i++)
		if (poll(&pf, 1, 100) > 0)
			mhv_trace_read(s->t, count_by_vm, p);
	return p->own_done ? 0 : -ETIMEDOUT;
}

/*
 * The child, as nobody, on a device node of its own: its VM, its
 * subscription, its list. @to and @from: pipes to and from the parent.
 */
static int child_nobody(const char *node, uint32_t root_id, int to, int from)
{
	struct mhv_vm_entry *v = NULL;
	struct mhv_trace *group = NULL;
	struct per_vm p = { .other = root_id };
	struct trace_sub *s;
	struct mhv_guest g;
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	size_t n = 0, i;
	int fails = 0, own_seen = 0, root_seen = 0;
	char name[32], c;

	setrlimit(RLIMIT_MEMLOCK, &rl);
	CHILD_CHECK(fails, drop_to_nobody() == 0, "cannot drop privileges");
	if (fails)
		return fails;
	setenv("MHV_DEVICE", node, 1);
	s = trace_sub_open(NULL);
	CHILD_CHECK(fails, s != NULL, "subscribe as nobody");
	if (!s)
		return fails;
	/* the lifecycle group is for CAP_NET_ADMIN */
	CHILD_CHECK(fails, mhv_trace_open(&group) == 0, "open");
	CHILD_CHECK(fails, mhv_trace_join_group(group) == -EPERM,
		    "nobody joined the multicast group");
	mhv_trace_close(group);
	snprintf(name, sizeof(name), "tr-nobody-%d", getpid());
	CHILD_CHECK(fails, mhv_guest_create(&g, name, 1, 16, guest_cpuid,
					    NR_CPUID) == 0, "create as nobody");
	if (fails)
		return fails;
	p.own = trace_vm_id(name);
	CHILD_CHECK(fails, write(to, &p.own, sizeof(p.own)) == sizeof(p.own),
		    "pipe");
	/* the parent's VM runs now; we wait */
	CHILD_CHECK(fails, read(from, &c, 1) == 1, "pipe");
	CHILD_CHECK(fails, mhv_list_vms(&v, &n) == 0, "list");
	for (i = 0; i < n; i++) {
		own_seen += v[i].id == p.own && v[i].owner_uid == NOBODY &&
			    v[i].owner_pid == (uint32_t)getpid();
		root_seen += v[i].id == root_id || v[i].owner_uid != NOBODY;
	}
	free(v);
	CHILD_CHECK(fails, own_seen == 1, "own VM not listed");
	CHILD_CHECK(fails, root_seen == 0, "root's VM listed for nobody");
	CHILD_CHECK(fails, run_done(&g) == 0, "run");
	mhv_guest_destroy(&g);
	CHILD_CHECK(fails, read_until_destroyed(s, &p) == 0, "own events");
	CHILD_CHECK(fails, p.own_events >= NR_CPUID, "own: %llu events",
		    (unsigned long long)p.own_events);
	CHILD_CHECK(fails, p.other_events == 0, "root's VM: %llu events",
		    (unsigned long long)p.other_events);
	trace_sub_close(s);
	return fails;
}

TEST(unprivileged_user_sees_own_vms_only)
{
	struct mhv_vm_entry *v = NULL;
	struct trace_sub *s;
	struct mhv_guest g;
	struct per_vm p = { 0 };
	struct stat st;
	char node[64], name[32], c = 'g';
	int to[2], from[2], status, both = 0;
	size_t n = 0, i;
	uint32_t kid_id = 0;
	pid_t pid;

	snprintf(node, sizeof(node), "/tmp/mhv-nobody-%d", getpid());
	ASSERT_EQ(0, stat(MHV_DEVICE_PATH, &st));
	unlink(node);
	ASSERT_EQ(0, mknod(node, S_IFCHR | 0600, st.st_rdev));
	ASSERT_EQ(0, chown(node, NOBODY, NOBODY));
	s = trace_sub_open(NULL);
	ASSERT_NE(NULL, s);
	snprintf(name, sizeof(name), "tr-root-%d", getpid());
	ASSERT_EQ(0, mhv_guest_create(&g, name, 1, 16, guest_cpuid, NR_CPUID));
	p.other = trace_vm_id(name);
	ASSERT_EQ(0, pipe(to));
	ASSERT_EQ(0, pipe(from));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(child_nobody(node, p.other, to[1], from[0]) ? 1 : 0);
	ASSERT_EQ(sizeof(kid_id), read(to[0], &kid_id, sizeof(kid_id)));
	/* root lists both */
	ASSERT_EQ(0, mhv_list_vms(&v, &n));
	for (i = 0; i < n; i++)
		both += (v[i].id == kid_id && v[i].owner_uid == NOBODY) ||
			(v[i].id == p.other && v[i].owner_uid == 0);
	free(v);
	EXPECT_EQ(2, both);
	ASSERT_EQ(0, run_done(&g));
	mhv_guest_destroy(&g);
	ASSERT_EQ(1, write(from[1], &c, 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* CAP_NET_ADMIN: nobody's VM's events too */
	p.own = kid_id;
	ASSERT_EQ(0, read_until_destroyed(s, &p));
	EXPECT_LE(NR_CPUID, p.own_events);
	EXPECT_LE(NR_CPUID, p.other_events);
	trace_sub_close(s);
	unlink(node);
}

/* The group announces lifecycle events to a member that never subscribed. */
TEST(multicast_group_lifecycle)
{
	struct mhv_trace *t;
	struct mhv_guest g;
	struct per_vm p = { 0 };
	struct trace_sub s;
	char name[32];

	ASSERT_EQ(0, mhv_trace_open(&t));
	ASSERT_EQ(0, mhv_trace_join_group(t));
	ASSERT_EQ(0, mhv_trace_set_nonblocking(t));
	s.t = t;
	snprintf(name, sizeof(name), "tr-group-%d", getpid());
	ASSERT_EQ(0, mhv_guest_create(&g, name, 1, 16, guest_cpuid, 1));
	p.own = trace_vm_id(name);
	ASSERT_EQ(0, run_done(&g));
	mhv_guest_destroy(&g);
	ASSERT_EQ(0, read_until_destroyed(&s, &p));
	/* created, running, destroyed: lifecycle only, no exits */
	EXPECT_EQ(3, p.own_events);
	mhv_trace_close(t);
}

static volatile int storm_stop;

static void *toggle(void *arg)
{
	struct mhv_trace_filter f = { 0 };
	unsigned int i = 0;

	while (!storm_stop) {
		struct trace_sub *s;

		f.events = i++ & 1 ? 1u << MHV_TRACE_EXIT : 0;
		s = trace_sub_open(&f);
		if (s && (i & 3) == 0) {
			struct pollfd pf = { .fd = mhv_trace_fd(s->t),
					     .events = POLLIN };

			if (poll(&pf, 1, 1) > 0)
				mhv_trace_read(s->t, NULL, NULL);
		}
		trace_sub_close(s);
	}
	return NULL;
}

/* Subscribers come and go while VMs are created, run and destroyed. */
TEST(on_off_while_vms_come_and_go)
{
	int problems = dmesg_count_problems();
	struct mhv_guest g;
	pthread_t th;
	char name[32];
	int i;

	storm_stop = 0;
	ASSERT_EQ(0, pthread_create(&th, NULL, toggle, NULL));
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "tr-storm-%d", i);
		ASSERT_EQ(0, mhv_guest_create(&g, name, 1, 16, guest_cpuid,
					      200));
		EXPECT_EQ(0, run_done(&g));
		mhv_guest_destroy(&g);
	}
	storm_stop = 1;
	pthread_join(th, NULL);
	EXPECT_EQ(problems, dmesg_count_problems());
}

/* A new socket that subscribed to everything: 0 or the -errno. */
static int sub_try(struct mhv_trace **t)
{
	int ret = mhv_trace_open(t);

	if (ret)
		return ret;
	ret = mhv_trace_subscribe(*t, NULL);
	if (ret) {
		mhv_trace_close(*t);
		*t = NULL;
	}
	return ret;
}

/*
 * The child, as nobody: exactly MHV_TRACE_MAX_SUBS_PER_UID subscriptions;
 * the next one EMFILE; unsubscribing or closing one makes room at once
 * (a closed socket counts no more, the worker need not have run); a
 * subscribe/unsubscribe/close loop leaks no subscription.
 */
static int child_limits(void)
{
	struct mhv_trace *t[MHV_TRACE_MAX_SUBS_PER_UID] = { 0 }, *x = NULL;
	int fails = 0, i, n = 0, ret;

	CHILD_CHECK(fails, drop_to_nobody() == 0, "cannot drop privileges");
	if (fails)
		return fails;
	for (i = 0; i < MHV_TRACE_MAX_SUBS_PER_UID; i++)
		n += sub_try(&t[i]) == 0;
	CHILD_CHECK(fails, n == MHV_TRACE_MAX_SUBS_PER_UID, "%d subscribed", n);
	/* a new filter on a subscribed socket is no new subscription */
	CHILD_CHECK(fails, mhv_trace_subscribe(t[1], NULL) == 0, "refilter");
	ret = sub_try(&x);
	CHILD_CHECK(fails, ret == -EMFILE, "one too many: %d", ret);
	CHILD_CHECK(fails, mhv_trace_unsubscribe(t[0]) == 0, "unsubscribe");
	ret = sub_try(&x);
	CHILD_CHECK(fails, ret == 0, "after UNSUBSCRIBE: %d", ret);
	mhv_trace_close(t[1]);
	t[1] = x;
	ret = sub_try(&x);
	CHILD_CHECK(fails, ret == 0, "after close: %d", ret);
	mhv_trace_close(t[0]);
	t[0] = x;
	ret = sub_try(&x);
	CHILD_CHECK(fails, ret == -EMFILE, "one too many again: %d", ret);
	for (i = 0; i < MHV_TRACE_MAX_SUBS_PER_UID; i++)
		mhv_trace_close(t[i]);
	for (i = 0; i < 500 && !fails; i++) {
		CHILD_CHECK(fails, sub_try(&x) == 0, "loop %d", i);
		CHILD_CHECK(fails, mhv_trace_unsubscribe(x) == 0, "loop %d", i);
		CHILD_CHECK(fails, mhv_trace_subscribe(x, NULL) == 0, "loop %d",
			    i);
		mhv_trace_close(x);
	}
	for (i = 0, n = 0; i < MHV_TRACE_MAX_SUBS_PER_UID; i++)
		n += sub_try(&t[i]) == 0;
	CHILD_CHECK(fails, n == MHV_TRACE_MAX_SUBS_PER_UID,
		    "after the loop: %d", n);
	for (i = 0; i < MHV_TRACE_MAX_SUBS_PER_UID; i++)
		mhv_trace_close(t[i]);
	return fails;
}

TEST(subscriber_limits)
{
	static struct mhv_trace *t[MHV_TRACE_MAX_SUBS + 1];
	int problems = dmesg_count_problems();
	int status, n, ret = 0;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(child_limits() ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* CAP_NET_ADMIN has no per-uid limit, all together have one */
	for (n = 0; n <= MHV_TRACE_MAX_SUBS; n++) {
		ret = sub_try(&t[n]);
		if (ret)
			break;
	}
	EXPECT_EQ(MHV_TRACE_MAX_SUBS, n);
	EXPECT_EQ(-ENOSPC, ret);
	while (n--)
		mhv_trace_close(t[n]);
	EXPECT_EQ(problems, dmesg_count_problems());
}

#define N_TOGGLE	200

/*
 * Switching the hooks on or off patches the kernel text, and each patch
 * makes every CPU take function-call IPIs (text_poke_bp()'s sync_core).
 * The key is deferred: it goes off a second after the last subscriber,
 * so N_TOGGLE subscribe/unsubscribe rounds from CPU 0 patch the text
 * once or twice, not 2 * N_TOGGLE times (at least one IPI per other CPU
 * each).
 */
TEST(subscribe_loop_patches_text_rarely)
{
	long before = 0, after = 0, c;
	struct mhv_trace *t;
	cpu_set_t set;
	int i, cpu, ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (ncpu < 2)
		SKIP(return, "one CPU: there is nobody to send an IPI to");
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
	ASSERT_EQ(0, mhv_trace_open(&t));
	for (cpu = 1; cpu < ncpu; cpu++) {
		c = irq_count("CAL", cpu);
		ASSERT_LE(0, c);
		before += c;
	}
	for (i = 0; i < N_TOGGLE; i++) {
		ASSERT_EQ(0, mhv_trace_subscribe(t, NULL));
		ASSERT_EQ(0, mhv_trace_unsubscribe(t));
	}
	for (cpu = 1; cpu < ncpu; cpu++)
		after += irq_count("CAL", cpu);
	mhv_trace_close(t);
	TH_LOG("%d subscribe/unsubscribe: %ld function call IPIs on the other CPUs",
	       N_TOGGLE, after - before);
	EXPECT_LT(after - before, N_TOGGLE / 4);
}

/* A client that is not ours: libnl-utils' genl-ctrl-list. */
TEST(genl_ctrl_list_sees_family_and_group)
{
	struct mhv_trace *t;
	char line[256], want[64];
	int family = 0, group = 0;
	FILE *f;

	ASSERT_EQ(0, mhv_trace_open(&t));
	snprintf(want, sizeof(want), "grp %s (0x%02x)", MHV_GENL_MCGRP_TRACE,
		 mhv_trace_group_id(t));
	f = popen("/mhv/bin/genl-ctrl-list -d 2>&1", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, " " MHV_GENL_NAME " version 1"))
			family = 1;
		else if (family == 1 && strstr(line, want))
			group = 1;
		else if (family == 1 && strncmp(line, "  ", 2))
			family = 2;	/* the next family */
	}
	EXPECT_EQ(0, pclose(f));
	EXPECT_NE(0, family);
	EXPECT_EQ(1, group);
	mhv_trace_close(t);
}

TEST_HARNESS_MAIN
