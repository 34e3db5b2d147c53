// SPDX-License-Identifier: LGPL-2.1
/*
 * A fake /dev/multios_hv for the unit tests: this file defines ioctl()
 * itself, so the calls libmultios_hv's wrappers make (the test links the
 * static library) come here first. Only fake_dev.fd is faked; every
 * other fd goes to the real system call.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tests.h"

struct fake_dev fake_dev = { .fd = -1 };

void fake_dev_attach(int fd)
{
	memset(&fake_dev, 0, sizeof(fake_dev));
	fake_dev.fd = fd;
	fake_dev.api_version = MHV_API_VERSION;
	fake_dev.vm_fd = 42;
	fake_dev.run_size = 4096;
}

void fake_dev_detach(void)
{
	fake_dev.fd = -1;
}

static int fake_fail(int err)
{
	errno = err;
	return -1;
}

int ioctl(int fd, unsigned long cmd, ...)
{
	unsigned long arg;
	va_list ap;

	va_start(ap, cmd);
	arg = va_arg(ap, unsigned long);
	va_end(ap);

	if (fd < 0 || fd != fake_dev.fd)
		return (int)syscall(SYS_ioctl, fd, cmd, arg);

	fake_dev.calls++;
	fake_dev.last_cmd = cmd;
	fake_dev.last_arg = arg;
	if (fake_dev.err)
		return fake_fail(fake_dev.err);
	switch (cmd) {
	case MHV_GET_API_VERSION:
		return fake_dev.api_version;
	case MHV_GET_CAPS:
		if (!arg)
			return fake_fail(EFAULT);
		memcpy((void *)arg, &fake_dev.caps, sizeof(fake_dev.caps));
		return 0;
	case MHV_CREATE_VM:
		if (!arg)
			return fake_fail(EFAULT);
		return fake_dev.vm_fd;
	case MHV_GET_RUN_SIZE:
		return fake_dev.run_size;
	case MHV_GET_SREGS:
		memcpy((void *)arg, &fake_dev.sregs, sizeof(fake_dev.sregs));
		return 0;
	case MHV_SET_SREGS:
		memcpy(&fake_dev.sregs, (void *)arg, sizeof(fake_dev.sregs));
		return 0;
	case MHV_SET_REGS:
		memcpy(&fake_dev.regs, (void *)arg, sizeof(fake_dev.regs));
		return 0;
	default:
		return fake_fail(ENOTTY);
	}
}

int capture_stderr_begin(void)
{
	FILE *tmp = tmpfile();
	int saved;

	if (!tmp)
		return -1;
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	if (saved >= 0)
		dup2(fileno(tmp), STDERR_FILENO);
	fclose(tmp);	/* fd 2 keeps the (unlinked) file open */
	return saved;
}

void capture_stderr_end(int saved, char *buf, size_t len)
{
	ssize_t n = 0;

	fflush(stderr);
	if (len) {
		n = pread(STDERR_FILENO, buf, len - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
	}
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
}
