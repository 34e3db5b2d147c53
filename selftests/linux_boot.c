// SPDX-License-Identifier: GPL-2.0
/*
 * Linux under multios_hv: `mhv run --kernel` boots the test VM's own
 * kernel (/mhv/linux/vmlinuz, Debian's bzImage) with the initramfs of
 * selftests/linux_guest/init.c, its console on the UART at 0x3f8 that
 * --kernel creates, and this test reads what mhv prints of it.
 *
 * boots_to_linux_version: the loader's half of the boot protocol: the
 * bzImage's decompressor runs at the 64-bit entry with our zero page and
 * reads the command line from it: it prints "KASLR disabled: 'nokaslr'
 * on cmdline." (its own serial output, set up from
 * earlyprintk=serial,ttyS0), decompresses and jumps to the kernel, which
 * prints its "Linux version ... Debian ..." banner through earlyprintk;
 * it then reads our E820 map, finds the ACPI tables (the RSDP, the
 * FADT's PM timer, the MADT's entries) and prints our command line. The
 * test checks these lines on the console, in order (read as mhv prints
 * them: the UART's output), then stops mhv with SIGINT (its Ctrl-C: a
 * graceful stop) and checks it ended that way, and that the host kernel
 * logged no problem.
 *
 * boots_to_poweroff: the whole boot on the PC platform (local APICs, I/O
 * APIC, PIC, PIT, the ACPI PM device, 2 vCPUs brought up by INIT/SIPI):
 * the guest's init prints its marker, sees 2 CPUs, times sleep(1) on
 * CLOCK_MONOTONIC and powers off through ACPI S5, which ends mhv with
 * status 0 (MHV_EXIT_POWEROFF).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "test_util.h"

#define KERNEL		"/mhv/linux/vmlinuz"
#define INITRD		"/mhv/linux/initramfs.cpio"
#define APPEND_BASE	"console=ttyS0 earlyprintk=serial,ttyS0,115200 " \
			"panic=-1 nokaslr"
#define DECOMP_LINE	"KASLR disabled: 'nokaslr' on cmdline."
#define BANNER		"Linux version "
#define TAG		"linux-guest: "
#define OUT_MAX		(1 << 20)

/* mhv run and what it printed (stdout and stderr, in order). */
struct boot {
	pid_t pid;
	int fd;			/* read end of its output */
	char *out;
	size_t len;
	int status;		/* from waitpid */
};

static int boot_start(struct boot *b, const char *vcpus, const char *timeout)
{
	int p[2];

	memset(b, 0, sizeof(*b));
	b->out = calloc(1, OUT_MAX + 1);
	if (!b->out || pipe(p))
		return -ENOMEM;
	b->pid = fork();
	if (b->pid < 0)
		return -errno;
	if (!b->pid) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execlp("mhv", "mhv", "run", "--kernel", KERNEL, "--initrd",
		       INITRD, "--append", APPEND_BASE, "--mem", "256",
		       "--vcpus", vcpus, "--timeout", timeout, "--max-exits",
		       "100000000", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	b->fd = p[0];
	return 0;
}

/*
 * Read mhv's output until @want appears (then 1) or mhv closes it (0).
 * mhv's own --timeout bounds the wait.
 */
static int boot_read_until(struct boot *b, const char *want)
{
	ssize_t n;

	for (;;) {
		if (want && strstr(b->out, want))
			return 1;
		if (b->len == OUT_MAX)
			return 0;
		n = read(b->fd, b->out + b->len, OUT_MAX - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		b->len += (size_t)n;
		b->out[b->len] = '\0';
	}
}

/* Read the rest, reap mhv; its exit status or -1. */
static int boot_finish(struct boot *b)
{
	boot_read_until(b, NULL);
	close(b->fd);
	if (waitpid(b->pid, &b->status, 0) != b->pid)
		return -1;
	return WIFEXITED(b->status) ? WEXITSTATUS(b->status) : -1;
}

/* The last @n bytes of the output, for the log. */
static const char *tail(const struct boot *b, size_t n)
{
	return b->len > n ? b->out + b->len - n : b->out;
}

/* No state: a fixture only for TEST_F_TIMEOUT (the default is 30 s). */
FIXTURE(kboot) {
	int unused;
};

FIXTURE_SETUP(kboot)
{
}

FIXTURE_TEARDOWN(kboot)
{
}

/*
 * The lines the kernel prints from what mhv gave it, in the order it
 * prints them (6.1 and 6.12 alike); each expected value derives from the
 * inputs: the E820 RAM above 1 MiB ends at --mem 256 MiB, the RSDP is at
 * MHV_ACPI_RSDP, the FADT's PM timer at MHV_ACPI_PM_PORT + MHV_ACPI_PM_TMR
 * (the acpi-pm device --kernel creates), the MADT's LINT1 NMI entry and
 * overrides (IRQ 0 -> GSI 2 with the bus's defaults, the SCI IRQ 9 level
 * and active high), and the command line is --append's.
 */
static const char *const today_lines[] = {
	DECOMP_LINE,
	BANNER,
	"BIOS-e820: [mem 0x0000000000100000-0x000000000fffffff] usable",
	"ACPI: RSDP 0x00000000000E0000 000024 (v02 MHV   )",
	"ACPI: PM-Timer IO Port: 0x608",
	"ACPI: LAPIC_NMI (acpi_id[0xff] high edge lint[0x1])",
	"ACPI: INT_SRC_OVR (bus 0 bus_irq 0 global_irq 2 dfl dfl)",
	"ACPI: INT_SRC_OVR (bus 0 bus_irq 9 global_irq 9 high level)",
	"ACPI: Using ACPI (MADT) for SMP configuration information",
	"Kernel command line: " APPEND_BASE,
};

/*
 * How many of today_lines this lane shows. On the VT-x lane (Bochs,
 * MHV_LANE=bochs) the nested kernel stops in init_mem_mapping(), after
 * its E820 map: INVPCID, which the guest's CPUID offers, raises #UD there
 * (the VMX backend does not enable INVPCID for the guest), so only the
 * first three lines are checked there.
 */
static unsigned int lines_on_this_lane(void)
{
	const char *lane = getenv("MHV_LANE");

	return lane && !strcmp(lane, "bochs") ? 3 : ARRAY_SIZE(today_lines);
}

/* mhv's --timeout ends the boot well before the harness's limit */
TEST_F_TIMEOUT(kboot, boots_to_linux_version, 300)
{
	unsigned int i, n = lines_on_this_lane();
	const char *last = today_lines[n - 1];
	int found, st, problems = dmesg_count_problems();
	const char *p;
	struct boot b;

	ASSERT_EQ(MHV_ACPI_PM_PORT + MHV_ACPI_PM_TMR, 0x608);
	ASSERT_EQ(0, access(KERNEL, R_OK));
	ASSERT_EQ(0, access(INITRD, R_OK));
	ASSERT_EQ(0, boot_start(&b, "1", "240"));
	found = boot_read_until(&b, last);
	/* the rest is boots_to_poweroff's: stop it here, as Ctrl-C would */
	kill(b.pid, SIGINT);
	st = boot_finish(&b);
	EXPECT_EQ(1, found) TH_LOG("%s", tail(&b, 6000));
	for (i = 0, p = b.out; i < n; i++) {
		const char *q = strstr(p, today_lines[i]);

		EXPECT_NE(NULL, q) TH_LOG("no \"%s\" after what came before in:\n%s",
					  today_lines[i], tail(&b, 16000));
		if (q)
			p = q;
	}
	/* the banner names the kernel mhv booted: this very kernel's */
	EXPECT_NE(NULL, strstr(b.out, "Debian"));
	/* mhv stopped the guest on SIGINT and said so (130), or the guest
	 * had already ended on its own: a failed guest is an error */
	EXPECT_TRUE(st == 130 || st == 0 || st == 3) TH_LOG("mhv exited %d: %s", st, tail(&b, 4000));
	/* no new problem in the host's log (a lane's own boot warnings,
	 * Bochs's XSAVE one, were there before) */
	EXPECT_EQ(problems, dmesg_count_problems());
	free(b.out);
}

/* Everything the guest's init reports, as numbers; -1 when missing. */
static long long guest_value(const char *out, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), TAG "%s=", key);
	p = strstr(out, pat);
	return p ? atoll(p + strlen(pat)) : -1;
}

/*
 * The init's marker, 2 CPUs online, sleep(1) between 0.5 and 5 s of the
 * guest's own clock (loose: time is never asserted tightly), the
 * poweroff, and mhv's status 0 with the summary. Not on the VT-x lane
 * (Bochs): see lines_on_this_lane().
 */
TEST_F_TIMEOUT(kboot, boots_to_poweroff, 700)
{
	const char *lane = getenv("MHV_LANE");
	int st, problems = dmesg_count_problems();
	long long ns;
	struct boot b;

	if (lane && !strcmp(lane, "bochs"))
		SKIP(return, "the VT-x lane checks the start of the boot only");
	ASSERT_EQ(0, boot_start(&b, "2", "600"));
	st = boot_finish(&b);
	EXPECT_NE(NULL, strstr(b.out, TAG "init started")) TH_LOG("%s", tail(&b, 4000));
	EXPECT_EQ(2, guest_value(b.out, "cpus")) TH_LOG("%s", tail(&b, 4000));
	ns = guest_value(b.out, "sleep1_ns");
	EXPECT_TRUE(ns >= 500000000LL && ns <= 5000000000LL) TH_LOG("sleep(1) took %lld ns", ns);
	EXPECT_NE(NULL, strstr(b.out, TAG "powering off"));
	EXPECT_NE(NULL, strstr(b.out, "powered off")) TH_LOG("%s", tail(&b, 4000));
	EXPECT_EQ(0, st) TH_LOG("%s", tail(&b, 4000));
	EXPECT_EQ(problems, dmesg_count_problems());
	free(b.out);
}

TEST_HARNESS_MAIN
