// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the initramfs a Linux guest of multios_hv boots with
 * (selftests/linux_boot.c; `make` packs it into
 * .cache/build/user/linux_guest/initramfs.cpio, /mhv/linux/ in the test VM).
 *
 * Static, no libraries: it prints, on /dev/console (ttyS0 with
 * console=ttyS0), one line per fact the test checks:
 *	linux-guest: init started
 *	linux-guest: cpus=N             (CPUs online: sysconf)
 *	linux-guest: affinity=N         (CPUs init may run on)
 *	linux-guest: sleep1_ns=N        (CLOCK_MONOTONIC around sleep(1))
 *	linux-guest: powering off
 * and powers the machine off (reboot(RB_POWER_OFF): ACPI S5 through the
 * PM1a control block of the FADT).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

/* not "MHV-...": the test VM's console filter keeps such lines for itself */
#define TAG "linux-guest: "

/* stdin/stdout/stderr on the console (the initramfs has no /dev). */
static void open_console(void)
{
	int fd;

	mkdir("/dev", 0755);
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL))
		mknod("/dev/console", S_IFCHR | 0600, makedev(5, 1));
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

static long long ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
	cpu_set_t set;
	long long t0;

	open_console();
	setvbuf(stdout, NULL, _IONBF, 0);
	printf(TAG "init started\n");
	printf(TAG "cpus=%ld\n", sysconf(_SC_NPROCESSORS_ONLN));
	if (!sched_getaffinity(0, sizeof(set), &set))
		printf(TAG "affinity=%d\n", CPU_COUNT(&set));
	t0 = ns();
	sleep(1);
	printf(TAG "sleep1_ns=%lld\n", ns() - t0);
	printf(TAG "powering off\n");
	sync();
	reboot(RB_POWER_OFF);
	printf(TAG "reboot(RB_POWER_OFF) returned\n");
	for (;;)
		pause();
}
