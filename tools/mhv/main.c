// SPDX-License-Identifier: GPL-2.0
/*
 * mhv - the MultiOS HV command.
 *
 *   mhv caps [--json]        what this machine's CPU offers
 *   mhv run [IMAGE] [options]  run a guest (flat, ELF, Multiboot, Linux) with
 *                            in-kernel devices, print its console and a
 *                            summary (mhv help run: formats, devices, keys)
 *   mhv list [--json]        every VM of the system (that you may see)
 *   mhv trace [options]      live trace events (--vm, --events, --json,
 *                            --perfetto FILE, --count N)
 *   mhv stats VM [--json] [--watch[=S]]   a VM's statistics
 *   mhv top                  all VMs, refreshing: exit rate, faults, CPU share
 *   mhv crash VM             the flight recorder: the exits before a crash
 *   mhv experiment run|analyze|report ...   designed experiments (research.rst)
 *   mhv version              versions of mhv, the library, the module
 *   mhv help [COMMAND]       the commands, or one command's usage
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 * Environment: MHV_DEVICE overrides the device path (/dev/multios_hv).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"
#include "mhv.h"

/* One line per subcommand; keep them in the order `mhv help` shows. */
static const struct mhv_cmd commands[] = {
	{ "caps", cmd_caps, "[--json]",
	  "show the virtualization capabilities of this machine", NULL },
	{ "run", cmd_run,
	  "[IMAGE | --image FILE | --kernel BZIMAGE [--initrd FILE] | --demo]\n"
	  "       [--format F] [--mem MB] [--vcpus N]\n"
	  "       [--device TYPE@ADDR ...] [--append ARGS] [--config FILE]\n"
	  "       [--timeout SECONDS] [--max-exits N] [--json]",
	  "run a guest (flat, ELF, Multiboot or Linux), print its console and a summary",
	  mhv_run_details },
	{ "list", cmd_list, "[--json]",
	  "list the VMs of the system (yours; all with CAP_NET_ADMIN)", NULL },
	{ "trace", cmd_trace,
	  "[--vm NAME] [--events LIST] [--json] [--perfetto FILE] [--count N]",
	  "print trace events live (exits, faults, devices, injections, lifecycle)",
	  "LIST: comma-separated exit,entry,npf,dev,inject,vm,drop or all\n"
	  "(default: all but entry). --perfetto FILE writes a Chrome trace-event\n"
	  "JSON file for ui.perfetto.dev instead of printing events: per vCPU,\n"
	  "guest time, exits as slices, userspace time; at the end one line says\n"
	  "how many events of LIST it holds and how many were dropped.\n"
	  "--vm NAME: only the VMs of that name; if none exists yet, mhv trace\n"
	  "waits for one to be created and traces it from its creation.\n"
	  "Stops at Ctrl-C or after --count events (printed, or with --perfetto\n"
	  "recorded).\n" },
	{ "stats", cmd_stats, "VM [--json] [--all] [--watch[=SECONDS]] [--count N]",
	  "show a VM's statistics: exits, times, latency percentiles",
	  mhv_stats_details },
	{ "top", cmd_top, "[--interval MS] [--count N]",
	  "a refreshing view of all VMs: exit rate, faults, CPU shares",
	  mhv_top_details },
	{ "crash", cmd_crash, "VM",
	  "show the flight recorder: the last exits before a crash",
	  mhv_crash_details },
	{ "experiment", cmd_experiment,
	  "run FILE [--out DIR] | run --resume DIR [FILE] | analyze DIR [--json]\n"
	  "       | report DIR [--pdf FILE] [--svg DIR] [--png DIR] [--markdown FILE]\n"
	  "         [--histogram METRIC]",
	  "run a designed experiment (tutorial 6) and analyse its results",
	  mhv_experiment_details },
	{ "version", cmd_version, "",
	  "show the versions of mhv, libmultios_hv and the module", NULL },
	{ "help", cmd_help, "[COMMAND]", "list the commands, or explain one", NULL },
};

#define NR_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

static const struct mhv_cmd *mhv_find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void mhv_print_commands(FILE *f)
{
	size_t i;

	fprintf(f, "usage: mhv COMMAND [ARGS]   (mhv --version, mhv help COMMAND)\n\n"
		   "MultiOS HV, an educational hypervisor. Commands:\n\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
}

static void mhv_print_cmd(FILE *f, const struct mhv_cmd *c)
{
	fprintf(f, "usage: mhv %s%s%s\n", c->name, *c->usage ? " " : "",
		c->usage);
	if (f == stdout)
		fprintf(f, "\n%s\n%s%s", c->help, c->details ? "\n" : "",
			c->details ? c->details : "");
}

void mhv_usage(const char *name)
{
	const struct mhv_cmd *c = mhv_find_cmd(name);

	if (c)
		mhv_print_cmd(stderr, c);
}

int cmd_help(int argc, char **argv)
{
	const struct mhv_cmd *c;

	if (argc > 2) {
		mhv_usage("help");
		return MHV_EXIT_USAGE;
	}
	if (argc < 2) {
		mhv_print_commands(stdout);
		return MHV_EXIT_OK;
	}
	c = mhv_find_cmd(argv[1]);
	if (!c) {
		fprintf(stderr, "mhv: unknown command '%s'\n\n", argv[1]);
		mhv_print_commands(stderr);
		return MHV_EXIT_USAGE;
	}
	mhv_print_cmd(stdout, c);
	return MHV_EXIT_OK;
}

void mhv_error(const char *what, int err)
{
	if (err == -ENOTTY)
		fprintf(stderr, "mhv: %s: %s is not a multios_hv device (or speaks another API)\n",
			what, mhv_device_path());
	else
		fprintf(stderr, "mhv: %s: %s\n", what, strerror(-err));
}

/* Why the system fd cannot be opened, in words a student can act on. */
static void mhv_explain_open(int err)
{
	const char *path = mhv_device_path();

	switch (err) {
	case -ENOENT:
	case -ENXIO:
	case -ENODEV:
		fprintf(stderr, "mhv: %s: multios_hv module not loaded (insmod multios_hv.ko)\n",
			path);
		break;
	case -EACCES:
	case -EPERM:
		fprintf(stderr, "mhv: %s: permission denied: join the 'multios' group (usermod -aG multios $USER)\n"
				"     and install tools/udev/99-multios_hv.rules, or run as root\n",
			path);
		break;
	default:
		fprintf(stderr, "mhv: %s: %s\n", path, strerror(-err));
	}
}

int mhv_open_or_explain(void)
{
	int fd = mhv_open_system(), r;

	if (fd < 0) {
		mhv_explain_open(fd);
		return fd;
	}
	r = mhv_check_api(fd);	/* explains a version mismatch itself */
	if (r < 0) {
		if (r != -EPROTO)
			mhv_error("MHV_GET_API_VERSION", r);
		mhv_close(fd);
		return r;
	}
	return fd;
}

int cmd_version(int argc, char **argv)
{
	int fd, v;

	(void)argv;
	if (argc > 1) {
		mhv_usage("version");
		return MHV_EXIT_USAGE;
	}
	printf("mhv %s (libmultios_hv %s, API version %d)\n",
	       mhv_lib_version(), mhv_lib_version(), MHV_API_VERSION);
	fd = mhv_open_system();
	if (fd < 0) {
		printf("module: not loaded (%s)\n", strerror(-fd));
		return MHV_EXIT_OK;
	}
	v = mhv_get_api_version(fd);
	if (v < 0)
		printf("module: %s does not answer: %s\n", mhv_device_path(),
		       strerror(-v));
	else
		printf("module: API version %d%s\n", v,
		       v == MHV_API_VERSION ? "" : " (MISMATCH)");
	mhv_close(fd);
	return MHV_EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct mhv_cmd *c;

	if (argc < 2) {
		mhv_print_commands(stderr);
		return MHV_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version(1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(1, argv + 1);

	c = mhv_find_cmd(argv[1]);
	if (!c) {
		fprintf(stderr, "mhv: unknown command '%s'\n\n", argv[1]);
		mhv_print_commands(stderr);
		return MHV_EXIT_USAGE;
	}
	/* every subcommand answers --help the same way */
	if (argc == 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
		mhv_print_cmd(stdout, c);
		return MHV_EXIT_OK;
	}
	return c->fn(argc - 1, argv + 1);
}
