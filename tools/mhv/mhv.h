/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MHV_TOOL_H
#define _MHV_TOOL_H

struct mhv_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
};

int cmd_caps(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* Open the system fd or print why not (module missing, permissions). */
int mhv_open_or_explain(void);
void mhv_usage(const char *name);

#endif
