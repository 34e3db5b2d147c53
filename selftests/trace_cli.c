// SPDX-License-Identifier: GPL-2.0
/*
 * mhv trace --perfetto end to end: while mhv trace records a VM, its
 * guest does N_CPUID CPUID exits; the file mhv writes is JSON in the
 * Chrome trace-event format (parsed with json-c) with a track (thread)
 * named after the vCPU in the VM's process and exactly N_CPUID "CPUID"
 * slices on it, each with a duration.
 *
 * Synchronisation: the guest makes SYNC ucalls until mhv trace prints
 * the exit of one of them (it is subscribed then); the guest is then let
 * go on to its CPUIDs; mhv is stopped (SIGINT) once it printed N_CPUID
 * CPUID lines, and the file read after it exited.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <json-c/json.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define N_CPUID		17
#define VM_NAME		"cli-trace"
#define PF_FILE		"/tmp/mhv-trace-cli.json"

static volatile int go;

static void guest_main(uint64_t arg)
{
	uint32_t a, b, c, d;
	int i;

	while (!go)
		GUEST_SYNC(0);
	for (i = 0; i < N_CPUID; i++)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(i), "c"(0));
	GUEST_DONE();
}

/* mhv trace --vm VM_NAME --events exit --perfetto PF_FILE, stdout in *out */
static pid_t start_trace(FILE **out)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execlp("mhv", "mhv", "trace", "--vm", VM_NAME, "--events",
		       "exit", "--perfetto", PF_FILE, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	*out = fdopen(p[0], "r");
	return pid;
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
	struct json_object *root, *events;
	struct mhv_vm_entry *v = NULL;
	struct pf_count n = { 0 };
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct pollfd pfd;
	char line[512];
	int vm = -1, cpuid_lines = 0, st, r;
	size_t nv = 0, i;
	FILE *out;
	pid_t pid;

	unlink(PF_FILE);
	ASSERT_EQ(0, mhv_guest_create(&g, VM_NAME, 1, 64, guest_main, 0));
	ASSERT_EQ(0, mhv_list_vms(&v, &nv));
	for (i = 0; i < nv; i++)
		if (!strcmp(v[i].name, VM_NAME) && v[i].owner_pid == getpid())
			vm = v[i].id;
	free(v);
	ASSERT_LE(0, vm);
	pid = start_trace(&out);
	ASSERT_LT(0, pid);
	ASSERT_NE(NULL, out);
	pfd = (struct pollfd){ .fd = fileno(out), .events = POLLIN };
	/* SYNC until mhv prints one: then it is subscribed */
	do {
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
		r = poll(&pfd, 1, 100);
	} while (r == 0);
	ASSERT_EQ(1, r);
	go = 1;
	ASSERT_EQ(0, mhv_guest_sync_global(&g, (const void *)&go, sizeof(go)));
	do {
		r = mhv_guest_run(&g, 0, &uc);
	} while (r == MHV_UCALL_SYNC);
	ASSERT_EQ(MHV_UCALL_DONE, r);
	while (cpuid_lines < N_CPUID && fgets(line, sizeof(line), out))
		cpuid_lines += !!strstr(line, " CPUID ");
	ASSERT_EQ(N_CPUID, cpuid_lines);
	kill(pid, SIGINT);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	fclose(out);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) TH_LOG("status %#x", st);
	mhv_guest_destroy(&g);

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

TEST_HARNESS_MAIN
