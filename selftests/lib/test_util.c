// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/multios_hv.h>
#include "test_util.h"

/*
 * True when the first CPU's "flags" line (or its "vmx flags" line, where
 * Linux lists VT-x features such as unrestricted_guest) lists @flag.
 */
bool cpuinfo_has_flag(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192];
	bool found = false;
	int seen = 0;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *tok, *save = NULL;

		if (line[0] == '\n' && seen)
			break;		/* end of the first CPU */
		if (strncmp(line, "flags", 5) && strncmp(line, "vmx flags", 9))
			continue;
		seen = 1;
		tok = strchr(line, ':');
		for (tok = strtok_r(tok ? tok + 1 : line, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			if (!strcmp(tok, flag)) {
				found = true;
				break;
			}
		}
	}
	fclose(f);
	return found;
}

char *dmesg_read(void)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf;
	int n;

	if (len <= 0)
		return NULL;
	buf = malloc(len + 1);
	if (!buf)
		return NULL;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

int dmesg_count_problems(void)
{
	static const char *const bad[] = {
		"WARNING:", "BUG:", "Oops", "Call Trace",
		"general protection fault",
	};
	char *buf = dmesg_read(), *line, *save = NULL;
	int count = 0;
	size_t i;

	if (!buf)
		return -EIO;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (strstr(line, bad[i])) {
				count++;
				break;
			}
	free(buf);
	return count;
}

const char *mhv_module_path(void)
{
	const char *p = getenv("MHV_MODULE");

	return p ? p : "/mhv/multios_hv.ko";
}

int mhv_load_module(const char *params)
{
	int fd = open(mhv_module_path(), O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	r = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return r;
}

bool test_lane_is(const char *prefix)
{
	const char *lane = getenv("MHV_LANE");

	return !strncmp(lane ? lane : "qemu", prefix, strlen(prefix));
}

/* References the kernel holds on multios_hv, -1 if unknown. */
int module_refcnt(void)
{
	FILE *f = fopen("/sys/module/multios_hv/refcnt", "r");
	int n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

/*
 * Interrupts of kind @name ("CAL", "LOC", ...) that CPU @cpu has taken,
 * from /proc/interrupts; -errno if unknown. Reads with a static buffer:
 * no heap memory is mapped or unmapped (that would send TLB-flush IPIs
 * to the other CPUs of this process).
 */
long irq_count(const char *name, int cpu)
{
	static char buf[65536];
	size_t len = strlen(name);
	char *line, *end, *p;
	ssize_t n, total = 0;
	int fd = open("/proc/interrupts", O_RDONLY | O_CLOEXEC);
	long v = -ENOENT;
	int i;

	if (fd < 0)
		return -errno;
	while (total < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + total, sizeof(buf) - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	for (line = buf; line && *line; line = strchr(line, '\n')) {
		while (*line == '\n' || *line == ' ')
			line++;
		if (strncmp(line, name, len) || line[len] != ':')
			continue;
		p = line + len + 1;
		for (i = 0; i <= cpu; i++) {
			v = strtol(p, &end, 10);
			if (end == p)
				return -ENOENT;
			p = end;
		}
		return v;
	}
	return v;
}

int kmsg_open_new(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

bool kmsg_find(int fd, const char *a, const char *b)
{
	char rec[8192];
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			return false;	/* EAGAIN: nothing newer */
		rec[n] = '\0';
		if (strstr(rec, a) && (!b || strstr(rec, b)))
			return true;
	}
}

void kvm_unload(void)
{
	int r = system("modprobe -r kvm_amd 2>/dev/null; "
		       "modprobe -r kvm_intel 2>/dev/null; "
		       "modprobe -r kvm 2>/dev/null");

	(void)r;
}

int mhv_test_create_vm(const char *name)
{
	struct mhv_vm_config cfg;
	int sys = mhv_open_system(), vm;

	if (sys < 0)
		return sys;
	mhv_vm_config_default(&cfg);
	snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	vm = mhv_create_vm(sys, &cfg);
	mhv_close(sys);
	return vm;
}

int run_cmd(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, r;
	int st;

	if (!p)
		return -1;
	while (n + 1 < len && (r = fread(out + n, 1, len - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");
	size_t n;

	if (!f)
		return -1;
	n = fwrite(data, 1, len, f);
	return fclose(f) || n != len ? -1 : 0;
}
