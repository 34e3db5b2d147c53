// SPDX-License-Identifier: GPL-2.0
/*
 * The mhv command as a student meets it, on every vendor: `mhv caps
 * --json` describes this CPU; `mhv run` runs the demo and the sample
 * image, prints the console and the module's exit counts; it is safe with
 * runaway guests (--timeout and its default, Ctrl-C, an empty image); its
 * errors name what is wrong and the limit; `mhv help run` documents the
 * image, the ports and the config keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "test_util.h"

#define SAMPLE_BIN	"/mhv/samples/hello.bin"
#define SAMPLE_CONF	"/mhv/samples/hello.conf"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * A runaway guest: prints SPIN_TEXT (no newline) on port 0xe9, then
 * loops for ever with interrupts disabled. Real-mode code at 0x1000:
 *	mov si, 0x1011; mov dx, 0xe9
 * next: lodsb; test al, al; jz spin; out dx, al; jmp next
 * spin: cli; jmp spin
 * 0x1011: SPIN_TEXT, 0
 */
#define SPIN_TEXT	"spinning"
static const unsigned char spin_code[] = {
	0xbe, 0x11, 0x10, 0xba, 0xe9, 0x00, 0xac, 0x84, 0xc0, 0x74, 0x03,
	0xee, 0xeb, 0xf8, 0xfa, 0xeb, 0xfe,
};

static int write_spin_image(const char *path)
{
	unsigned char img[sizeof(spin_code) + sizeof(SPIN_TEXT)];

	memcpy(img, spin_code, sizeof(spin_code));
	memcpy(img + sizeof(spin_code), SPIN_TEXT, sizeof(SPIN_TEXT));
	return write_file(path, img, sizeof(img));
}

static int get_caps(struct mhv_caps *caps)
{
	int fd = mhv_open_system(), r;

	if (fd < 0)
		return fd;
	r = mhv_get_caps(fd, caps);
	mhv_close(fd);
	return r;
}

TEST(caps_json)
{
	char out[8192];
	const char *ext = cpuinfo_has_flag("svm") ? "\"extension\": \"svm\"" :
						    "\"extension\": \"vmx\"";

	ASSERT_EQ(0, run_cmd("mhv caps --json 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, ext)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"nested_paging\": true"));
}

TEST(run_demo)
{
	char out[16384];

	ASSERT_EQ(0, run_cmd("mhv run --demo 2>&1", out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Hello from a guest running under MultiOS HV!"));
	EXPECT_NE(NULL, strstr(out, "nested page faults"));
	EXPECT_NE(NULL, strstr(out, "cpuid"));
	EXPECT_NE(NULL, strstr(out, "total exits"));
	/* the summary says what the state and the counters mean */
	EXPECT_NE(NULL, strstr(out, "VM \"demo\": PAUSED - ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, mhv_vm_state_desc(MHV_VM_PAUSED)));
	EXPECT_NE(NULL, strstr(out, mhv_stat_desc(MHV_STAT_USER_EXITS)));
}

/* The sample image and config of the repository, as documented. */
TEST(run_sample)
{
	char out[16384];

	ASSERT_EQ(0, run_cmd("mhv run --image " SAMPLE_BIN " --config "
			     SAMPLE_CONF " 2>&1", out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Hello from hello.bin")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Counting: 12345\n"));
	EXPECT_NE(NULL, strstr(out, "IN from port 0x60 read 0xff"));
	EXPECT_NE(NULL, strstr(out, "executed HLT"));
	/* hello.conf: name = "hello guest", quotes removed */
	EXPECT_NE(NULL, strstr(out, "VM \"hello guest\":")) TH_LOG("%s", out);
}

TEST(bad_config_file)
{
	char out[4096];
	FILE *f = fopen("/tmp/bad-vm.conf", "w");

	ASSERT_NE(NULL, f);
	fputs("name = broken\nvcpus = lots\n", f);
	fclose(f);
	EXPECT_EQ(1, run_cmd("mhv run --demo --config /tmp/bad-vm.conf 2>&1",
			     out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "line 2"));
	EXPECT_EQ(2, run_cmd("mhv no-such-command 2>&1", out, sizeof(out)));
}

TEST(empty_image_refused)
{
	char out[4096];

	ASSERT_EQ(0, write_file("/tmp/empty.bin", "", 0));
	EXPECT_EQ(1, run_cmd("mhv run --image /tmp/empty.bin 2>&1", out,
			     sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "/tmp/empty.bin: the image is empty"))
		TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "== guest console"));	/* never ran */
}

/*
 * A guest that never exits is stopped by --timeout: not before the time
 * given, with mhv's message on a line of its own after the guest's
 * unfinished line, and the summary.
 */
static void expect_timeout(struct __test_metadata *_metadata,
			   const char *cmd, unsigned int secs)
{
	char out[16384], want[128];
	double t0, took;

	t0 = now();
	ASSERT_EQ(3, run_cmd(cmd, out, sizeof(out))) TH_LOG("%s", out);
	took = now() - t0;
	EXPECT_GE(took, (double)secs);
	EXPECT_LT(took, secs + 20.0);
	snprintf(want, sizeof(want),
		 SPIN_TEXT "\nmhv: the guest was still running after --timeout %u s",
		 secs);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ": STOPPED - "));
	EXPECT_NE(NULL, strstr(out, "total exits"));
}

TEST(timeout_stops_runaway_guest)
{
	ASSERT_EQ(0, write_spin_image("/tmp/spin.bin"));
	expect_timeout(_metadata, "mhv run --image /tmp/spin.bin --timeout 2 2>&1", 2);
}

/* Without --timeout: the default that `mhv help run` documents. */
TEST(default_timeout)
{
	char help[16384], cmd[64], *p;
	unsigned int secs;

	ASSERT_EQ(0, run_cmd("mhv help run 2>&1", help, sizeof(help)));
	p = strstr(help, "\n  --timeout SECONDS ");	/* its line, not the usage */
	ASSERT_NE(NULL, p) TH_LOG("%s", help);
	p = strstr(p, "(default ");
	ASSERT_NE(NULL, p);
	ASSERT_EQ(1, sscanf(p, "(default %u", &secs));
	ASSERT_GT(secs, 0);
	ASSERT_LE(secs, 15);	/* sensible: a student waits no longer */
	/* vendor-independent userspace; the QEMU lanes run it */
	if (test_lane_is("bochs"))
		SKIP(return, "%u s of guest time take many minutes in Bochs", secs);
	ASSERT_EQ(0, write_spin_image("/tmp/spin-default.bin"));
	snprintf(cmd, sizeof(cmd), "mhv run --image /tmp/spin-default.bin 2>&1");
	expect_timeout(_metadata, cmd, secs);
}

/*
 * Ctrl-C (SIGINT to mhv) while a guest loops with interrupts disabled
 * and no timeout: mhv stops the VM, still prints the summary and exits
 * with 128 + SIGINT, like a shell reports an interrupted command.
 */
TEST(ctrl_c_stops_and_summarizes)
{
	char out[16384];
	size_t n = 0;
	ssize_t r;
	int p[2], st, sent = 0;
	pid_t pid;

	ASSERT_EQ(0, write_spin_image("/tmp/spin-int.bin"));
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		execlp("mhv", "mhv", "run", "--image", "/tmp/spin-int.bin",
		       "--timeout", "0", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (n + 1 < sizeof(out) &&
	       (r = read(p[0], out + n, sizeof(out) - 1 - n)) > 0) {
		n += (size_t)r;
		out[n] = '\0';
		/* the guest printed: it runs, and only a signal can stop it */
		if (!sent && strstr(out, SPIN_TEXT)) {
			ASSERT_EQ(0, kill(pid, SIGINT));
			sent = 1;
		}
	}
	out[n] = '\0';
	close(p[0]);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(sent) TH_LOG("%s", out);
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("killed by signal %d: %s",
					  WIFSIGNALED(st) ? WTERMSIG(st) : 0, out);
	EXPECT_EQ(128 + SIGINT, WEXITSTATUS(st)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, SPIN_TEXT "\nmhv: interrupted (Ctrl-C, SIGINT)"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ": STOPPED - "));
	EXPECT_NE(NULL, strstr(out, "total exits"));
}

/*
 * A guest that triple-faults: OUT of 'X' to port 0xe9, then, with an
 * empty IDT, UD2: #UD, #GP, double fault, shutdown. Real mode at 0x1000:
 *	mov al, 'X'; out 0xe9, al; lidt [0x100a]; ud2
 * 0x100a: an IDT of limit 0, base 0
 */
static const unsigned char crash_code[] = {
	0xb0, 'X', 0xe6, 0xe9, 0x0f, 0x01, 0x1e, 0x0a, 0x10, 0x0f, 0x0b,
	0, 0, 0, 0, 0, 0,
};

/*
 * mhv run of a guest that crashes prints the flight recorder itself (its
 * VM is gone once mhv exits, mhv crash could not): the OUT, then the
 * shutdown, oldest first, after a header; the JSON summary stays the
 * last line on stdout, the recorder then goes to stderr.
 */
TEST(run_crash_shows_flight_recorder)
{
	char out[32768], *hdr, *io, *sd;

	ASSERT_EQ(0, write_file("/tmp/crash.bin", crash_code, sizeof(crash_code)));
	EXPECT_EQ(1, run_cmd("mhv run /tmp/crash.bin 2>&1", out, sizeof(out)))
		TH_LOG("%s", out);
	hdr = strstr(out, "== flight recorder: the last exits of each vCPU before the error");
	ASSERT_NE(NULL, hdr) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(hdr, "VM \"crash\" vCPU 0: last ")) TH_LOG("%s", out);
	io = strstr(hdr, " io ");
	sd = strstr(hdr, " shutdown ");
	ASSERT_NE(NULL, io) TH_LOG("%s", out);
	ASSERT_NE(NULL, sd) TH_LOG("%s", out);
	EXPECT_LT(io, sd);
	EXPECT_NE(NULL, strstr(sd, "frozen: the VM is in ERROR: triple fault"))
		TH_LOG("%s", out);
	/* before the summary, which says ERROR too */
	EXPECT_NE(NULL, strstr(sd, "VM \"crash\": ERROR: triple fault"))
		TH_LOG("%s", out);

	EXPECT_EQ(1, run_cmd("mhv run --json /tmp/crash.bin 2>/dev/null", out,
			     sizeof(out)));
	EXPECT_EQ(NULL, strstr(out, "flight recorder")) TH_LOG("%s", out);
	EXPECT_EQ(1, run_cmd("mhv run --json /tmp/crash.bin 2>&1 >/dev/null",
			     out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, " shutdown ")) TH_LOG("%s", out);
}

/*
 * Two vCPUs (the irqchip): vCPU 0 writes 0 to a debug-exit device at
 * once (mov al, 0; out 0xf4, al; cli; hlt), vCPU 1 waits for a SIPI that
 * never comes. mhv ends the guest with status 0 and stops the other vCPU
 * (MHV_STOP_VM): the summary says STOPPED, and what it says of STOPPED
 * names that cause, not only Ctrl-C and timeouts.
 */
TEST(stopped_after_a_clean_end)
{
	static const unsigned char code[] = { 0xb0, 0x00, 0xe6, 0xf4, 0xfa, 0xf4 };
	const char *conf = "vcpus = 2\nfeatures = irqchip\n";
	struct mhv_caps caps;
	char out[16384], want[512];

	ASSERT_EQ(0, get_caps(&caps));
	if (caps.max_vcpus < 2)
		SKIP(return, "this machine allows one vCPU per VM");
	ASSERT_EQ(0, write_file("/tmp/dexit.bin", code, sizeof(code)));
	ASSERT_EQ(0, write_file("/tmp/dexit.conf", conf, strlen(conf)));
	EXPECT_EQ(0, run_cmd("mhv run /tmp/dexit.bin --config /tmp/dexit.conf"
			     " --device debug-exit@0xf4 2>&1", out, sizeof(out)))
		TH_LOG("%s", out);
	snprintf(want, sizeof(want), "VM \"dexit\": STOPPED - %s\n",
		 mhv_vm_state_desc(MHV_VM_STOPPED));
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(mhv_vm_state_desc(MHV_VM_STOPPED),
			       "the other vCPUs once one ended the guest"));
}

/* Run mhv with a config of @text; its status, its output in @out. */
static int run_with_config(const char *text, char *out, size_t len)
{
	if (write_file("/tmp/cli-vm.conf", text, strlen(text)))
		return -1;
	return run_cmd("mhv run --demo --config /tmp/cli-vm.conf 2>&1", out, len);
}

TEST(errors_name_the_limit)
{
	struct mhv_caps caps;
	char conf[128], out[8192], want[128];

	ASSERT_EQ(0, get_caps(&caps));
	snprintf(conf, sizeof(conf), "memory_mb = %u\n", caps.max_mem_mb + 1);
	EXPECT_EQ(1, run_with_config(conf, out, sizeof(out)));
	snprintf(want, sizeof(want), "memory_mb = %u is more than this machine allows: at most %u MiB",
		 caps.max_mem_mb + 1, caps.max_mem_mb);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);

	if (caps.max_vcpus < 1024) {
		snprintf(conf, sizeof(conf), "vcpus = %u\n", caps.max_vcpus + 1);
		EXPECT_EQ(1, run_with_config(conf, out, sizeof(out)));
		snprintf(want, sizeof(want), "at most %u vCPUs per VM",
			 caps.max_vcpus);
		EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	}
	EXPECT_EQ(NULL, strstr(out, "== guest console"));
}

/*
 * More vCPUs without the PC irqchip: refused (nothing could start the
 * others), not silently run with one.
 */
TEST(more_vcpus_than_run_runs)
{
	struct mhv_caps caps;
	char out[8192];

	ASSERT_EQ(0, get_caps(&caps));
	if (caps.max_vcpus < 2)
		SKIP(return, "this machine allows one vCPU per VM");
	EXPECT_EQ(1, run_with_config("vcpus = 2\n", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "vcpus = 2 needs the PC interrupt controllers (features = irqchip)"))
		TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "== guest console"));
}

TEST(config_keys_and_quotes)
{
	char out[16384], want[256];

	EXPECT_EQ(1, run_with_config("# a typo\ncolour = blue\n", out, sizeof(out)));
	snprintf(want, sizeof(want), "line 2: unknown key 'colour' (valid keys: %s)",
		 mhv_vm_config_keys());
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);

	EXPECT_EQ(0, run_with_config("name = \"My VM\"\n", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "VM \"My VM\":")) TH_LOG("%s", out);
}

/* `mhv help run` documents the image, the ports, the ends, the keys. */
TEST(help_run)
{
	char out[16384], keys[128], want[64], *k, *save = NULL;

	ASSERT_EQ(0, run_cmd("mhv help run 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "0x1000")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "0x3f8"));
	EXPECT_NE(NULL, strstr(out, "0xe9"));
	EXPECT_NE(NULL, strstr(out, "HLT"));
	EXPECT_NE(NULL, strstr(out, "--timeout"));
	EXPECT_NE(NULL, strstr(out, "Ctrl-C"));
	/* the default name, as run_crash_shows_flight_recorder sees it */
	EXPECT_NE(NULL, strstr(out, "name without its extension, e.g.\n"
			       "                                       loop for loop.bin"))
		TH_LOG("%s", out);
	snprintf(keys, sizeof(keys), "%s", mhv_vm_config_keys());
	for (k = strtok_r(keys, ", ", &save); k; k = strtok_r(NULL, ", ", &save)) {
		snprintf(want, sizeof(want), " %s = ", k);
		EXPECT_NE(NULL, strstr(out, want)) TH_LOG("no key%s", want);
	}
}

TEST_HARNESS_MAIN
