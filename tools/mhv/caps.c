// SPDX-License-Identifier: GPL-2.0
/*
 * mhv caps [--json] - what this machine's CPU and the module offer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"
#include "mhv.h"

typedef int (*caps_format_fn)(const struct mhv_caps *, char *, size_t);

/* Format with @fn into a buffer of the size it asks for, then print. */
static int print_caps(caps_format_fn fn, const struct mhv_caps *caps,
		      const char *end)
{
	int n = fn(caps, NULL, 0);
	char *buf;

	if (n < 0)
		return n;
	buf = malloc((size_t)n + 1);
	if (!buf)
		return -1;
	fn(caps, buf, (size_t)n + 1);
	fputs(buf, stdout);
	fputs(end, stdout);
	free(buf);
	return 0;
}

int cmd_caps(int argc, char **argv)
{
	struct mhv_caps caps;
	int json = 0, fd, r, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else {
			fprintf(stderr, "mhv caps: unknown option '%s'\n", argv[i]);
			mhv_usage("caps");
			return MHV_EXIT_USAGE;
		}
	}
	fd = mhv_open_or_explain();
	if (fd < 0)
		return MHV_EXIT_FAIL;
	r = mhv_get_caps(fd, &caps);
	mhv_close(fd);
	if (r) {
		mhv_error("MHV_GET_CAPS", r);
		return MHV_EXIT_FAIL;
	}
	if (json)
		r = print_caps(mhv_caps_format_json, &caps, "\n");
	else
		r = print_caps(mhv_caps_format_table, &caps, "");
	if (r || fflush(stdout)) {
		perror("mhv caps");
		return MHV_EXIT_FAIL;
	}
	return MHV_EXIT_OK;
}
