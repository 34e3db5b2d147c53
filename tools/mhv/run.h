/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mhv run: what run.c (options, config, image), vm_run.c (the guest and
 * its summary) and console.c (the guest's console, stdin to its UART)
 * share.
 */
#ifndef _MHV_RUN_H
#define _MHV_RUN_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "libmultios_hv.h"

#define MHV_RUN_STR2(x)		#x
#define MHV_RUN_STR(x)		MHV_RUN_STR2(x)

#define MHV_RUN_COM1		0x3f8	/* console ports without a UART */
#define MHV_RUN_DEBUG_PORT	0xe9
#define MHV_RUN_DEFAULT_TIMEOUT	10	/* seconds */
#define MHV_RUN_MAX_TIMEOUT	(365UL * 24 * 3600)
#define MHV_RUN_DEFAULT_MAX_EXITS 1000000
#define MHV_RUN_LINUX_MEM_MB	256	/* --kernel: at least this */
#define MHV_RUN_LINUX_TIMEOUT	600	/* --kernel: default --timeout */
#define MHV_RUN_LINUX_MAX_EXITS	100000000 /* --kernel: default --max-exits */
#define MHV_RUN_MAX_DEVICES	MHV_MAX_DEVICES
#define MHV_RUN_MAX_VCPUS	16	/* the module's MHV_MAX_VCPUS */

/* One --device TYPE@ADDR[,irq=VECTOR]. */
struct run_device {
	const char *spec;	/* as given, for messages */
	uint32_t type;
	uint32_t space;
	uint64_t base;
	uint32_t irq;		/* the vector it raises, 0: none */
	uint32_t id;		/* the module's id, once created */
};

/* What run.c hands to run_guest(). */
struct run_params {
	const char *image_path;		/* NULL: the built-in demo */
	const struct mhv_image *img;	/* parsed for cfg->memory_mb */
	struct run_device dev[MHV_RUN_MAX_DEVICES];
	unsigned int nr_dev;
	unsigned long max_exits;
	unsigned int timeout_s;
	int json;			/* --json */
};

/*
 * Run @p->img as configured by @cfg and print its console and summary.
 * One vCPU runs on this thread; with several (features = irqchip), each
 * runs on a thread of its own and vCPU 0 starts the others. Returns
 * mhv's exit status.
 */
int run_guest(int sys_fd, const struct mhv_vm_config *cfg,
	      struct run_params *p);

/* ---- console.c ------------------------------------------------------------ */

/* The guest's console on stdout (ports without a UART, and the UARTs). */
struct console {
	int vm_fd;
	int used;		/* the guest printed something */
	char last;		/* the last byte it printed */
	/* the first UART of --device, fed from stdin by a thread */
	int has_uart;
	uint32_t uart_id;
	int done_fd;		/* eventfd: the run is over, stop feeding */
	int feeding;		/* the thread runs */
	pthread_t feeder;
};

void console_init(struct console *c, int vm_fd);
/* Print @len bytes of guest output. */
void console_write(struct console *c, const void *data, size_t len);
/* Print what every UART of @p has buffered (after each return of RUN). */
void console_drain(struct console *c, const struct run_params *p,
		   struct mhv_run *run);
/* End the guest's output with a newline, so mhv's text starts a line. */
void console_end_line(struct console *c);
/* Feed stdin to UART @id (when there is one); 0 or -errno. */
int console_start_input(struct console *c, uint32_t id);
void console_stop_input(struct console *c);

#endif
