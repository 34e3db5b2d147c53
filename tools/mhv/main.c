// SPDX-License-Identifier: GPL-2.0
/*
 * mhv - the MultiOS HV command.
 *
 *   mhv caps [--json]            what this machine's CPU offers
 *   mhv run [options]            run a guest, print its console, exits
 *   mhv version                  versions of mhv, the library, the module
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"
#include "mhv.h"

static const struct mhv_cmd commands[] = {
	{ "caps", cmd_caps, "[--json]",
	  "show the virtualization capabilities of this machine" },
	{ "run", cmd_run, "[--demo | --image FILE] [--config FILE] [--max-exits N]",
	  "run a real-mode guest image, print its console and an exit summary" },
	{ "version", cmd_version, "", "show the versions of mhv, libmultios_hv and the module" },
	{ "help", cmd_help, "", "this text" },
};

int cmd_help(int argc, char **argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	printf("usage: mhv COMMAND [ARGS]\n\nMultiOS HV, an educational hypervisor.\n\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  mhv %-8s %-48s\n      %s\n", commands[i].name,
		       commands[i].usage, commands[i].help);
	return 0;
}

void mhv_usage(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			fprintf(stderr, "usage: mhv %s %s\n", name,
				commands[i].usage);
}

int mhv_open_or_explain(void)
{
	int fd = mhv_open_system();

	if (fd == -ENOENT)
		fprintf(stderr, "mhv: %s not found: the multios_hv module is not loaded (insmod multios_hv.ko)\n",
			MHV_DEVICE_PATH);
	else if (fd == -EACCES || fd == -EPERM)
		fprintf(stderr, "mhv: no permission to open %s: run as root or join the 'multios' group (see tools/udev/99-multios_hv.rules)\n",
			MHV_DEVICE_PATH);
	else if (fd < 0)
		fprintf(stderr, "mhv: cannot open %s: %s\n", MHV_DEVICE_PATH,
			strerror(-fd));
	else if (mhv_check_api(fd) == -EPROTO) {
		fprintf(stderr, "mhv: the module speaks API version %d, this mhv speaks %d: rebuild one of them\n",
			mhv_get_api_version(fd), MHV_API_VERSION);
		mhv_close(fd);
		return -EPROTO;
	}
	return fd;
}

int cmd_version(int argc, char **argv)
{
	int fd;

	(void)argc;
	(void)argv;
	printf("mhv %s, libmultios_hv %s, API version %d\n", mhv_lib_version(),
	       mhv_lib_version(), MHV_API_VERSION);
	fd = mhv_open_system();
	if (fd >= 0) {
		printf("module API version %d\n", mhv_get_api_version(fd));
		mhv_close(fd);
	} else {
		printf("module not loaded\n");
	}
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		cmd_help(0, NULL);
		return 2;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(0, NULL);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(0, NULL);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, argv[1]))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "mhv: unknown command '%s' (try 'mhv help')\n", argv[1]);
	return 2;
}
