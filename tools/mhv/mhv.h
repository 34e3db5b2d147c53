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

/* exit statuses of mhv */
#define MHV_EXIT_OK	0
#define MHV_EXIT_FAIL	1
#define MHV_EXIT_USAGE	2

struct mhv_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	/* the arguments, e.g. "[--json]" */
	const char *help;	/* one line */
};

int cmd_caps(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

/*
 * Open the system fd and check the module's API version, or print why
 * not (module not loaded, permissions, version mismatch).
 * Returns the fd or -errno.
 */
int mhv_open_or_explain(void);

/* Print "usage: mhv NAME ARGS" of subcommand @name to stderr. */
void mhv_usage(const char *name);

/* Print "mhv: WHAT: strerror(-err)" to stderr (ENOTTY: not our device). */
void mhv_error(const char *what, int err);

#endif
