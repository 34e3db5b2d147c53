// SPDX-License-Identifier: GPL-2.0
/*
 * mhv trace end to end.
 *
 * --perfetto: while mhv trace records a VM, its guest does N_CPUID CPUID
 * exits; the file mhv writes is JSON in the Chrome trace-event format
 * (parsed with json-c) with a track (thread) named after the vCPU in the
 * VM's process and exactly N_CPUID "CPUID" slices on it, each with a
 * duration; on stdout nothing but the last line, the count of events it
 * recorded (--count N_EVENTS of them) and of drops.
 *
 * --vm NAME of a VM that does not exist yet: mhv trace waits for its
 * creation, then prints its events from the start (the creation, the
 * N_CPUID CPUID exits).
 *
 * Synchronisation: mhv says on stderr when it is subscribed ("recording
 * into", "waiting for its creation"); the guest runs after that, does its
 * CPUIDs, then SYNC ucalls until mhv exits after --count N_EVENTS events
 * (more than the CPUIDs and the few exits before them; a vCPU's events
 * arrive in order).
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <time.h>

#include <json-c/json.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define N_CPUID		17
#define VM_NAME		"cli-trace"
#define WAIT_NAME	"cli-trace-wait"
#define PF_FILE		"/tmp/mhv-trace-cli.json"
#define N_EVENTS	(N_CPUID + 200)

static void guest_main(uint64_t arg)
{
	uint32_t a, b, c, d;
	int i;

	for (i = 0; i < N_CPUID; i++)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(i), "c"(0));
	for (;;)
		GUEST_SYNC(0);
}

struct trace_proc {
	pid_t pid;
	FILE *out, *err;	/* its stdout, its stderr */
};

/*
 * mhv trace ARGS... --count N_EVENTS, then wait until it says on stderr
 * that it is subscribed (a line containing @ready): 0, or -1 (its stderr
 * so far in @err).
 */
static int start_trace(struct trace_proc *tp, const char *ready, char *err,
		       size_t len, char *const args[])
{
	char *argv[16] = { "mhv", "trace" }, line[512], count[16];
	int o[2], e[2], n = 2;

	while (*args && n < 12)
		argv[n++] = *args++;
	snprintf(count, sizeof(count), "%d", N_EVENTS);
	argv[n++] = "--count";
	argv[n++] = count;
	if (pipe(o) || pipe(e))
		return -1;
	tp->pid = fork();
	if (tp->pid < 0)
		return -1;
	if (!tp->pid) {
		dup2(o[1], STDOUT_FILENO);
		dup2(e[1], STDERR_FILENO);
		close(o[0]);
		close(e[0]);
		execvp("mhv", argv);
		_exit(127);
	}
	close(o[1]);
	close(e[1]);
	tp->out = fdopen(o[0], "r");
	tp->err = fdopen(e[0], "r");
	err[0] = '\0';
	while (tp->err && fgets(line, sizeof(line), tp->err)) {
		strncat(err, line, len - strlen(err) - 1);
		if (strstr(line, ready))
			return 0;
	}
	return -1;
}

/*
 * Run the guest (its CPUIDs, then SYNCs) until mhv trace exits; its
 * status, or -1. A bound of 60 s in case it never does.
 */
static int run_until_trace_ends(struct mhv_guest *g, struct trace_proc *tp)
{
	time_t end = time(NULL) + 60;
	struct mhv_ucall uc;
	int st;

	while (time(NULL) < end) {
		if (mhv_guest_run(g, 0, &uc) != MHV_UCALL_SYNC)
			break;
		if (waitpid(tp->pid, &st, WNOHANG) == tp->pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	}
	kill(tp->pid, SIGINT);
	waitpid(tp->pid, &st, 0);
	return -1;
}

/* All of @f (up to @len - 1 bytes); closes it. */
static void slurp(FILE *f, char *buf, size_t len)
{
	size_t n = fread(buf, 1, len - 1, f);

	buf[n] = '\0';
	fclose(f);
}

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key);

	return v && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : "";
}

struct pf_count {
	int vcpu_tracks;	/* thread_name "vcpu0" in the VM's process */
	int cpuid;		/* complete slices named CPUID on that track */
	int cpuid_with_dur;	/* ... with a duration (0 when the clock did
				 * not advance: QEMU's TCG, a CPUID answered
				 * from a table)
				 */
	int guest;		/* guest slices on that track */
	int bad;		/* events without ph, pid, tid */
};

static void count_event(struct json_object *e, int vm, struct pf_count *n)
{
	const char *ph = str_of(e, "ph"), *name = str_of(e, "name");
	struct json_object *pid = member(e, "pid"), *tid = member(e, "tid");
	struct json_object *dur = member(e, "dur");

	if (!*ph || !pid || !tid) {
		n->bad++;
		return;
	}
	if (json_object_get_int(pid) != vm || json_object_get_int(tid) != 0)
		return;
	if (!strcmp(ph, "M") && !strcmp(name, "thread_name") &&
	    !strcmp(str_of(member(e, "args"), "name"), "vcpu0"))
		n->vcpu_tracks++;
	if (strcmp(ph, "X") || !member(e, "ts"))
		return;
	if (!strcmp(name, "guest"))
		n->guest++;
	if (strcmp(name, "CPUID") || strcmp(str_of(e, "cat"), "hypervisor"))
		return;
	n->cpuid++;
	n->cpuid_with_dur += dur && json_object_get_double(dur) >= 0;
}

TEST(perfetto_file)
{
	char *const args[] = { "--vm", VM_NAME, "--events", "exit",
			       "--perfetto", PF_FILE, NULL };
	struct json_object *root, *events;
	struct mhv_vm_entry *v = NULL;
	struct pf_count n = { 0 };
	struct trace_proc tp;
	struct mhv_guest g;
	char out[4096], err[4096], want[256];
	int vm = -1;
	size_t nv = 0, i;

	unlink(PF_FILE);
	ASSERT_EQ(0, mhv_guest_create(&g, VM_NAME, 1, 64, guest_main, 0));
	ASSERT_EQ(0, mhv_list_vms(&v, &nv));
	for (i = 0; i < nv; i++)
		if (!strcmp(v[i].name, VM_NAME) && v[i].owner_pid == getpid())
			vm = v[i].id;
	free(v);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, start_trace(&tp, "recording into " PF_FILE, err,
				 sizeof(err), args)) TH_LOG("%s", err);
	EXPECT_EQ(0, run_until_trace_ends(&g, &tp));
	slurp(tp.out, out, sizeof(out));
	fclose(tp.err);
	mhv_guest_destroy(&g);
	/* the file only: on stdout, its summary alone */
	snprintf(want, sizeof(want), "mhv trace: %d events in %s, 0 dropped\n",
		 N_EVENTS, PF_FILE);
	EXPECT_STREQ(want, out);

	root = json_object_from_file(PF_FILE);
	ASSERT_NE(NULL, root) TH_LOG("%s: %s", PF_FILE, json_util_get_last_err());
	events = member(root, "traceEvents");
	ASSERT_NE(NULL, events);
	ASSERT_TRUE(json_object_is_type(events, json_type_array));
	for (i = 0; i < json_object_array_length(events); i++)
		count_event(json_object_array_get_idx(events, i), vm, &n);
	json_object_put(root);
	EXPECT_EQ(0, n.bad);
	EXPECT_EQ(1, n.vcpu_tracks);
	EXPECT_EQ(N_CPUID, n.cpuid);
	EXPECT_EQ(N_CPUID, n.cpuid_with_dur);
	EXPECT_LE(N_CPUID, n.guest);
	unlink(PF_FILE);
}

/* --vm NAME before VM NAME exists: it waits, then traces it from birth. */
TEST(vm_not_created_yet)
{
	char *const args[] = { "--vm", WAIT_NAME, "--events", "vm,exit", NULL };
	static char out[65536];
	char err[4096], *p;
	struct trace_proc tp;
	struct mhv_guest g;
	int cpuid = 0;

	ASSERT_EQ(0, start_trace(&tp, "waiting for its creation", err,
				 sizeof(err), args)) TH_LOG("%s", err);
	ASSERT_EQ(0, mhv_guest_create(&g, WAIT_NAME, 1, 64, guest_main, 0));
	EXPECT_EQ(0, run_until_trace_ends(&g, &tp));
	slurp(tp.out, out, sizeof(out));
	fclose(tp.err);
	mhv_guest_destroy(&g);
	/* its creation first, then its exits */
	EXPECT_EQ(0, strncmp(out, "vm ", 3)) TH_LOG("%s", out);
	p = strchr(out, '\n');
	ASSERT_NE(NULL, p);
	*p = '\0';
	EXPECT_NE(NULL, strstr(out, "\"" WAIT_NAME "\" created")) TH_LOG("%s", out);
	for (p = p + 1; (p = strstr(p, " CPUID ")); p++)
		cpuid++;
	EXPECT_EQ(N_CPUID, cpuid);
}

TEST_HARNESS_MAIN
