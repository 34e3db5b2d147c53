/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mhv - the MultiOS HV command: shared declarations.
 *
 * Adding a subcommand: write `int cmd_NAME(int argc, char **argv)` in
 * its own file (argv[0] is the subcommand's name; return 0 on success,
 * 1 on failure, 2 on a usage error after calling mhv_usage()), declare it
 * below and add one line to commands[] in main.c.
 */
#ifndef _MHV_TOOL_H
#define _MHV_TOOL_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>

/* exit statuses of mhv */
#define MHV_EXIT_OK	0
#define MHV_EXIT_FAIL	1
#define MHV_EXIT_USAGE	2
#define MHV_EXIT_LIMIT	3	/* mhv run: stopped by --timeout, --max-exits */
/* mhv run stopped by a signal: 128 + its number, as a shell reports it */
#define MHV_EXIT_BY_SIGNAL(sig)	(128 + (sig))

struct mhv_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	/* the arguments, e.g. "[--json]" */
	const char *help;	/* one line */
	const char *details;	/* NULL, or what `mhv help NAME` adds */
};

int cmd_caps(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_crash(int argc, char **argv);
int cmd_experiment(int argc, char **argv);
/* mhv experiment analyze (exp_analyze.c) */
int cmd_experiment_analyze(int argc, char **argv);
/* mhv experiment report (report.c) */
int mhv_cmd_experiment_report(int argc, char **argv);

/* The long help of mhv run (run.c). */
extern const char mhv_run_details[];
/* ... of mhv stats, top, crash (stats.c) */
extern const char mhv_stats_details[];
extern const char mhv_top_details[];
extern const char mhv_crash_details[];
/*
 * Print the decoded flight recorder of vCPU fd @vcpu_fd to @out (after a
 * blank line if @blank), as mhv crash does, when its VM is called @name
 * (NULL: whatever its name). 1 printed, 0 another VM's, or -errno.
 */
int mhv_show_flight(FILE *out, int vcpu_fd, const char *name, int blank);
/* ... of mhv experiment (experiment.c) */
extern const char mhv_experiment_details[];

/* ---- mhv run: the watchdog thread (watch.c) ---------------------------- */

struct mhv_watch {
	int vm_fd;		/* the VM to stop */
	int timer_fd;		/* timerfd of --timeout, or -1 */
	int sig_fd;		/* signalfd of SIGINT and SIGTERM */
	int done_fd;		/* eventfd: the guest ended, stop watching */
	int started;		/* the thread runs */
	int signo;		/* atomic: the signal that stopped the VM */
	int timed_out;		/* atomic: the timeout stopped the VM */
	pthread_t thread;
};

/* Block SIGINT and SIGTERM in the calling thread; the old mask in @old. */
int watch_block_signals(sigset_t *old);
/*
 * Start watching @vm_fd: stop it (MHV_STOP_FORCE) after @timeout_s
 * seconds (0: never) or (MHV_STOP_GRACEFUL) on SIGINT/SIGTERM, which
 * watch_block_signals() must have blocked. Returns 0 or -errno.
 */
int watch_start(struct mhv_watch *w, int vm_fd, unsigned int timeout_s);
/* Stop the thread and close its fds; w->signo, w->timed_out stay. */
void watch_stop(struct mhv_watch *w);

/*
 * Open the system fd and check the module's API version, or print why
 * not (module not loaded, permissions, version mismatch).
 * Returns the fd or -errno.
 */
int mhv_open_or_explain(void);

/* ---- the netlink VM listing, shared by mhv list and mhv top (trace.c) -- */

struct mhv_vm_entry;
/* mhv_list_vms(), or print why not as "mhv WHO: ..." and return -errno. */
int mhv_fetch_vms(const char *who, struct mhv_vm_entry **v, size_t *n);
/* The listing's common columns (id, name, state, vCPUs, memory,
 * devices), then a space, without a newline: the header, one VM.
 */
void mhv_vm_columns_header(void);
void mhv_vm_columns(const struct mhv_vm_entry *e);

/* Print "usage: mhv NAME ARGS" of subcommand @name to stderr. */
void mhv_usage(const char *name);

/* Print "mhv: WHAT: strerror(-err)" to stderr (ENOTTY: not our device). */
void mhv_error(const char *what, int err);

#endif
