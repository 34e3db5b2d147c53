// SPDX-License-Identifier: GPL-2.0
/*
 * mhv run - the guest's console: bytes written to the console ports
 * (handed to mhv as I/O exits when no UART claims them), the output of
 * the in-kernel UARTs, and stdin fed to the first UART's receiver.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "run.h"

#define UART_LSR_DATA_READY	0x01
#define UART_MCR_DTR		0x01

void console_init(struct console *c, int vm_fd)
{
	memset(c, 0, sizeof(*c));
	c->vm_fd = vm_fd;
	c->done_fd = -1;
}

void console_write(struct console *c, const void *data, size_t len)
{
	if (!len)
		return;
	fwrite(data, 1, len, stdout);
	fflush(stdout);
	c->used = 1;
	c->last = ((const char *)data)[len - 1];
}

void console_end_line(struct console *c)
{
	if (c->used && c->last != '\n') {
		putchar('\n');
		c->last = '\n';
	}
	fflush(stdout);
}

/*
 * The one place UART output reaches the terminal: the batch this return
 * of MHV_RUN carried in @run (NULL: none), then what the UARTs still
 * hold (MHV_DEV_UART_READ_OUTPUT), which is newer.
 */
void console_drain(struct console *c, const struct run_params *p,
		   struct mhv_run *run)
{
	char buf[MHV_UART_BUF_SIZE];
	const void *data;
	unsigned int i;
	int n;

	if (run) {
		n = mhv_run_console(run, &data, NULL, NULL);
		if (n > 0)
			console_write(c, data, (size_t)n);
	}
	for (i = 0; i < p->nr_dev; i++) {
		if (p->dev[i].type != MHV_DEV_TYPE_UART)
			continue;
		while ((n = mhv_uart_read_output(c->vm_fd, p->dev[i].id, buf,
						 sizeof(buf))) > 0)
			console_write(c, buf, (size_t)n);
	}
}

/* A UART register's value, read without side effects (describe). */
static uint64_t uart_peek(const struct mhv_device_desc *d, const char *name)
{
	unsigned int i;

	for (i = 0; i < d->nr_regs && i < MHV_DEV_MAX_REGS; i++)
		if (!strcmp(d->regs[i].name, name))
			return d->regs[i].value;
	return 0;
}

/*
 * May a byte go to the receiver now? The guest has said it is ready
 * (MCR.DTR, set by a driver once it has programmed the UART: a byte
 * before that would be lost when it clears the FIFOs) and the receiver
 * is empty (LSR.DR clear).
 */
static int uart_rx_ready(struct console *c)
{
	struct mhv_device_desc d;

	if (mhv_describe_device(c->vm_fd, c->uart_id, &d))
		return 0;
	return (uart_peek(&d, "mcr") & UART_MCR_DTR) &&
	       !(uart_peek(&d, "lsr") & UART_LSR_DATA_READY);
}

/* Wait up to @ms for the end of the run; 1 when it came. */
static int run_over(struct console *c, int ms)
{
	struct pollfd p = { .fd = c->done_fd, .events = POLLIN };

	return poll(&p, 1, ms) > 0;
}

/*
 * Hand @n bytes to the UART one at a time, each when uart_rx_ready(): a
 * byte the guest has not read yet would be overrun (lost, as on a real
 * 16550A). The UART tells nobody when the guest reads, so this looks
 * again every millisecond; 0 when the run ended first.
 */
static int feed(struct console *c, const char *buf, ssize_t n)
{
	ssize_t i = 0;

	while (i < n) {
		if (uart_rx_ready(c) &&
		    mhv_uart_write_input(c->vm_fd, c->uart_id, buf + i, 1) == 1) {
			i++;
			continue;
		}
		if (run_over(c, 1))
			return 0;
	}
	return 1;
}

static void *feeder(void *arg)
{
	struct console *c = arg;
	char buf[256];
	ssize_t n;

	for (;;) {
		struct pollfd p[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = c->done_fd, .events = POLLIN },
		};

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents || (p[0].revents & POLLNVAL))
			break;
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n <= 0 || !feed(c, buf, n))
			break;	/* end of input, or of the run */
	}
	return NULL;
}

int console_start_input(struct console *c, uint32_t id)
{
	int r;

	c->has_uart = 1;
	c->uart_id = id;
	c->done_fd = eventfd(0, EFD_CLOEXEC);
	if (c->done_fd < 0)
		return -errno;
	r = pthread_create(&c->feeder, NULL, feeder, c);
	if (r) {
		close(c->done_fd);
		c->done_fd = -1;
		return -r;
	}
	c->feeding = 1;
	return 0;
}

void console_stop_input(struct console *c)
{
	uint64_t one = 1;

	if (c->feeding) {
		if (write(c->done_fd, &one, sizeof(one)) != sizeof(one))
			perror("mhv: eventfd");
		pthread_join(c->feeder, NULL);
		c->feeding = 0;
	}
	if (c->done_fd >= 0)
		close(c->done_fd);
	c->done_fd = -1;
}
